"""The "Republier" button on publishing failure messages (capabilities.communication.publishing)."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import PostRepublish
from capabilities.communication import publishing
from handlers.common import Context, Group, Handlers, answer, load_actor, services


async def republish(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = PostRepublish.parse(query.data)
    if pressed is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    await query.answer()
    # The capability checks the presser's role again and refuses an unknown (forged) id politely.
    text = await publishing.republish_pressed(
        services(context), actor.person, pressed.post_id, actor.lang, datetime.now(UTC)
    )
    await answer(update, text)


def handlers() -> Handlers:
    return {Group.MAIN: [CallbackQueryHandler(republish, pattern=PostRepublish.pattern())]}

"""« Ce n'est pas ça »: correcting how the bot read a reply to an event's post (issue 17).

The person whose reply was read gets, in private, what the bot understood and the button; where a
group has reactions turned off, the short acknowledgement in the group carries it instead (there,
an organiser of the event may press it too). The choices: Je viens / Peut-être / Je ne viens pas /
Rien à noter. The capability checks who may correct (capabilities/understanding/corrections.py).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler

from bot.callbacks import ReplyFix, ReplyFixSet
from bot.texts import t
from capabilities import understanding
from capabilities.events import render
from domain.learned import Reading
from domain.statuses import RsvpStatus
from handlers.common import Actor, Context, Group, Handlers, buttons, load_actor, services

log = logging.getLogger(__name__)

CHOICE_KEYS = (("y", "rx.btn_yes"), ("m", "rx.btn_maybe"), ("n", "rx.btn_no"), ("x", "rx.btn_other"))
DENIED_KEYS = {
    understanding.Denied.GONE: "rx.gone",
    understanding.Denied.CLOSED: "rx.closed",
    understanding.Denied.NOT_YOURS: "rx.denied",
}


def reading_text(lang: str, status: str | None, role: str | None) -> str:
    if status is None or status == "other":
        return t(lang, "rx.reading.other")
    if status == RsvpStatus.YES and role:
        return t(lang, "rx.reading.yes_role", role=render.role_label(lang, role))
    return t(lang, f"rx.reading.{status}")


def wrong_button(lang: str, correction_id: int) -> InlineKeyboardMarkup:
    return buttons([[(t(lang, "rx.btn_wrong"), ReplyFix(correction_id).pack())]])


def choices(lang: str, correction_id: int) -> InlineKeyboardMarkup:
    rows = [(t(lang, key), ReplyFixSet(correction_id, code).pack()) for code, key in CHOICE_KEYS]  # type: ignore[arg-type]
    return buttons([rows[:2], rows[2:]])


async def remember(
    context: Context, message: Message, actor: Actor, event_id: int, reading: Reading
) -> int | None:
    """Keep the reading of this reply so that it can be corrected; its id, None if not kept."""
    if actor.person is None or message.reply_to_message is None:
        return None
    return await understanding.remember(
        services(context),
        author_id=actor.person.id,
        event_id=event_id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        text=message.text or "",
        announcement=message.reply_to_message.text or "",
        reading=reading,
        now=datetime.now(UTC),
    )


async def offer(
    context: Context, actor: Actor, correction_id: int, title: str, status: str, role: str | None
) -> None:
    """The private note: what the bot understood, and « Ce n'est pas ça »."""
    text = t(actor.lang, "rx.note", title=title, reading=reading_text(actor.lang, status, role))
    try:
        await context.bot.send_message(
            actor.telegram_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=wrong_button(actor.lang, correction_id),
        )
    except (Forbidden, BadRequest):
        pass  # never started the bot in private, or blocked it: the group's reaction stays
    except TelegramError as exc:
        log.warning("correction note not sent: %s", type(exc).__name__)


async def wrong_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    data = ReplyFix.parse(query.data)
    if data is None or actor.person is None:
        await query.answer(actor.t("rx.gone"), show_alert=True)
        return
    found = await understanding.check(
        services(context), data.correction_id, actor.person, actor.roles, datetime.now(UTC)
    )
    if isinstance(found, understanding.Denied):
        await query.answer(actor.t(DENIED_KEYS[found]), show_alert=True)
        return
    await query.answer(actor.t("rx.ask"))
    with suppress(BadRequest):
        await query.edit_message_reply_markup(choices(actor.lang, data.correction_id))


async def choice_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    data = ReplyFixSet.parse(query.data)
    if data is None or actor.person is None:
        await query.answer(actor.t("rx.gone"), show_alert=True)
        return
    fixed = await understanding.correct(
        services(context), data.correction_id, data.choice, actor.person, actor.roles, datetime.now(UTC)
    )
    if isinstance(fixed, understanding.Denied):
        await query.answer(actor.t(DENIED_KEYS[fixed]), show_alert=True)
        return
    title = fixed.event.title
    if fixed.intent == "other":
        done = actor.t("rx.done_other", title=title)
    else:
        done = actor.t("rx.done", title=title, reading=reading_text(actor.lang, fixed.status, fixed.role))
    await query.answer(done if len(done) <= 200 else actor.t("rx.done_group"))
    message = query.message
    in_group = message is not None and message.chat.type != "private"
    with suppress(BadRequest):
        # In a group nothing personal is shown (counts only): the acknowledgement just says so.
        await query.edit_message_text(
            actor.t("rx.done_group") if in_group else done, parse_mode=ParseMode.HTML, reply_markup=None
        )


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CallbackQueryHandler(wrong_pressed, pattern=ReplyFix.pattern()),
            CallbackQueryHandler(choice_pressed, pattern=ReplyFixSet.pattern()),
        ]
    }

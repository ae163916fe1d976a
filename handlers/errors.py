"""The last resort: log every failure with its context, and tell the person in private."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.texts import language_of, t
from handlers.common import Context

log = logging.getLogger("coordo.errors")


def describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)[:200]
    chat = update.effective_chat
    kind = next(
        (k for k in ("message", "edited_message", "callback_query", "my_chat_member") if getattr(update, k)),
        "?",
    )
    return f"update {update.update_id} ({kind}) chat={chat.id if chat else None} user={update.effective_user.id if update.effective_user else None}"


async def on_error(update: object, context: Context) -> None:
    log.error("failure while handling %s", describe(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    lang = language_of(update.effective_user.language_code if update.effective_user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(t(lang, "error.generic"), show_alert=True)
        else:
            await update.effective_chat.send_message(t(lang, "error.generic"))
    except Exception:  # the network may be what failed
        log.warning("could not tell the person about the failure")

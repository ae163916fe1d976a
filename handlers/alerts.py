"""The buttons of the summaries the bot sends on its own instead of one message per item (issue 18):
the coordinators' daily summary of late emails (Ouvrir, Réaffecter), and that of the communication
requests nobody took (Ouvrir: the request's card). Coordinators only, checked at each press: the
keyboard is not a permission."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import ComLate, InboxLate
from capabilities.communication.requests import open_late
from capabilities.inbox.common import Who
from capabilities.inbox.followup import late_list, reassign_late
from domain.people import Role
from handlers.common import Actor, Context, Group, Handlers, answer, button, services


@button(Role.COORDINATOR)
async def late_pressed(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    press = InboxLate.parse(query.data)
    if press is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    who, now = Who(actor.person, True), datetime.now(UTC)
    await query.answer()
    if press.action == "o":
        await answer(update, *await late_list(services(context), who, press.person_id, now))
    else:
        await answer(update, await reassign_late(services(context), who, press.person_id, now))


@button(Role.COORDINATOR)
async def com_late_pressed(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    press = ComLate.parse(query.data)
    if press is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    outcome = await open_late(services(context), press.request_id, Who(actor.person, True))
    await query.answer(actor.toast(outcome.key, **outcome.values), show_alert=not outcome.ok)


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CallbackQueryHandler(late_pressed, pattern=InboxLate.pattern()),
            CallbackQueryHandler(com_late_pressed, pattern=ComLate.pattern()),
        ]
    }

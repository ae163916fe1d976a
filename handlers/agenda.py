"""/agenda: upcoming actions (mine, my city, all); /agenda_ics: the same for a calendar app."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from bot.callbacks import AgendaView
from capabilities.events import agenda, render
from capabilities.events.ical import agenda_ics
from handlers.common import (
    NO_PREVIEW,
    Actor,
    Context,
    Group,
    Handlers,
    answer,
    buttons,
    command,
    load_actor,
    services,
)


@command(commands.AGENDA)
async def show(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    svc, now = services(context), datetime.now(UTC)
    view = await agenda.default_view(svc, actor.person, now)
    text, rows = render.agenda_page(actor.lang, await agenda.agenda_page(svc, actor.person, view, now))
    await answer(update, text, rows)


async def switch(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = AgendaView.parse(query.data)
    if actor.person is None or pressed is None:
        await query.answer(actor.t("perm.need_start" if actor.person is None else "fallback.button_stale"))
        return
    await query.answer()
    page = await agenda.agenda_page(services(context), actor.person, pressed.view, datetime.now(UTC))
    text, rows = render.agenda_page(actor.lang, page)
    await query.edit_message_text(
        text, parse_mode="HTML", reply_markup=buttons(rows), link_preview_options=NO_PREVIEW
    )


@command(commands.AGENDA_ICS)
async def send_ics(update: Update, context: Context, actor: Actor) -> None:
    data = await agenda_ics(services(context))
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(data, filename=actor.t("agenda.ics_name"), caption=actor.t("agenda.ics_caption"))


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.AGENDA.name, show),
            CommandHandler(commands.AGENDA_ICS.name, send_ics),
            CallbackQueryHandler(switch, pattern=AgendaView.pattern()),
        ]
    }

"""/agenda: upcoming actions (mine, my city or any city, all), one page at a time in one message;
/agenda_ics: the same for a calendar app."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from bot.callbacks import AgendaPage, AgendaView, pattern_of
from capabilities.events import agenda, render
from capabilities.events.ical import agenda_ics
from handlers.common import (
    NO_CITY,
    Actor,
    Context,
    Group,
    Handlers,
    answer,
    buttons,
    command,
    is_private,
    load_actor,
    services,
    typed_city,
)
from handlers.paged import show as show_page
from webapp.buttons import webapp_keyboard


@command(commands.AGENDA)
async def show(update: Update, context: Context, actor: Actor) -> None:
    """`/agenda` (the view that suits the person) or `/agenda Lyon` (that city's actions)."""
    assert actor.person is not None
    svc, now = services(context), datetime.now(UTC)
    city_id = await typed_city(update, context, actor)
    if city_id == NO_CITY:
        return
    view = "city" if city_id else await agenda.default_view(svc, actor.person, now)
    page = await agenda.agenda_page(svc, actor.person, view, now, 0, city_id)
    text, rows = render.agenda_page(actor.lang, page)
    markup = buttons(rows) if rows else None
    # In private, a way into the Mini App's week board (web_app buttons are refused in groups).
    app = webapp_keyboard(svc.settings, actor.lang, "agenda") if is_private(update) else None
    if app is not None:
        markup = InlineKeyboardMarkup([*(markup.inline_keyboard if markup else ()), *app.inline_keyboard])
    await answer(update, text, markup=markup)


async def switch(update: Update, context: Context) -> None:
    """A view button (its first page) or a page button (the view, the city and the page it carries;
    a page out of range shows the nearest one, an unknown city the person's own)."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    view_pressed = AgendaView.parse(query.data)
    page_pressed = AgendaPage.parse(query.data)
    if actor.person is None or (view_pressed is None and page_pressed is None):
        await query.answer(actor.t("perm.need_start" if actor.person is None else "fallback.button_stale"))
        return
    await query.answer()
    if page_pressed is not None:
        view, page_number, city_id = page_pressed.view, page_pressed.page, page_pressed.city_id
    else:
        assert view_pressed is not None
        view, page_number, city_id = view_pressed.view, 0, 0
    page = await agenda.agenda_page(
        services(context), actor.person, view, datetime.now(UTC), page_number, city_id
    )
    await show_page(update, *render.agenda_page(actor.lang, page))


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
            CallbackQueryHandler(switch, pattern=pattern_of(AgendaView, AgendaPage)),
        ]
    }

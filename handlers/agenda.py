"""/agenda: upcoming actions (mine, my city, all); /agenda_ics: the same for a calendar app."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from capabilities.events import render
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
from storage import events as q

VIEWS = ("mine", "city", "all")


async def agenda_text(context: Context, actor: Actor, view: str) -> tuple[str, list[list[tuple[str, str]]]]:
    assert actor.person is not None
    now = datetime.now(UTC)
    async with services(context).db.session() as s:
        if view == "mine":
            events = await q.upcoming(s, now, person_id=actor.person.id, limit=15)
            header = actor.t("agenda.header_mine")
        elif view == "city" and actor.person.city_id is not None:
            events = await q.upcoming(s, now, city_id=actor.person.city_id, limit=15)
            header = actor.t("agenda.header_city", city=actor.person.city.name if actor.person.city else "")
        else:
            events = await q.upcoming(s, now, limit=15)
            header = actor.t("agenda.header_all")
        counts = await q.counts(s, [e.id for e in events])
    lines = [header]
    lines += [render.agenda_line(e, counts.get(e.id, {}), actor.lang) for e in events] or [actor.t("agenda.none")]
    rows = [[(actor.t(f"btn.agenda_{v}"), f"ag:{v}") for v in VIEWS if v != view]]
    return "\n".join(lines), rows


@command(commands.AGENDA)
async def show(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    async with services(context).db.session() as s:
        mine = await q.upcoming(s, datetime.now(UTC), person_id=actor.person.id, limit=1)
    view = "mine" if mine else "city" if actor.person.city_id else "all"
    text, rows = await agenda_text(context, actor, view)
    await answer(update, text, rows)


async def switch(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    view = (query.data or "").split(":")[-1]
    if not actor.onboarded or view not in VIEWS:
        await query.answer(actor.t("perm.need_start" if not actor.onboarded else "fallback.button_stale"))
        return
    await query.answer()
    text, rows = await agenda_text(context, actor, view)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=buttons(rows),
                                  link_preview_options=NO_PREVIEW)


@command(commands.AGENDA_ICS)
async def send_ics(update: Update, context: Context, actor: Actor) -> None:
    data = await agenda_ics(services(context))
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(data, filename=actor.t("agenda.ics_name"), caption=actor.t("agenda.ics_caption"))


def handlers() -> Handlers:
    return {Group.MAIN: [
        CommandHandler(commands.AGENDA.name, show),
        CommandHandler(commands.AGENDA_ICS.name, send_ics),
        CallbackQueryHandler(switch, pattern=r"^ag:(mine|city|all)$"),
    ]}

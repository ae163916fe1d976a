"""/besoins and recruiting, the ask buttons, /pause and /reprendre, reminder and attendance buttons."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from bot.texts import Html
from capabilities import recruitment
from capabilities.events import render
from capabilities.recruitment import Reply, reminders
from domain.events import colour
from domain.matching import Ranking, may_recruit, organiser_cities
from domain.people import Role
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, services
from storage import events as q
from storage import people as people_q
from storage.models import Ask, Event, Person

ORGANISERS = (Role.COORDINATOR, Role.CANDIDATE, Role.LEAD)
MAX_EVENTS = 8  # cards per /besoins (one message each, gentle on the chat); the rest is counted
MAX_NAMES = 15  # per role in "who was asked", to stay within one message

RECRUIT = re.compile(r"^rec:(\d+):(\d+)$")
WHO = re.compile(r"^recw:(\d+)$")
ASK = re.compile(r"^ask:(\d+):([yn])$")
REMINDER = re.compile(r"^rem:(\d+):(ok|no)$")
ATTENDED = re.compile(r"^att:(\d+):([yn])$")


async def _scope(session: AsyncSession, actor: Actor) -> set[int] | None:
    """The cities whose events the actor organises (None: all)."""
    city_ids = {c.name: c.id for c in await people_q.cities(session)}
    grants = people_q.grants_of(actor.person) if actor.person else []
    return organiser_cities(actor.roles, grants, actor.person.city_id if actor.person else None, city_ids)


async def _short_of_people(session: AsyncSession, cities: set[int] | None, now: datetime) -> list[Event]:
    if cities is None:
        events = await q.upcoming(session, now, limit=100)
    else:
        events = [e for cid in sorted(cities) for e in await q.upcoming(session, now, city_id=cid, national_too=False)]
    return sorted((e for e in events if e.starts_at > now and e.needs), key=lambda e: (e.starts_at, e.id))


def _card(actor: Actor, event: Event, counts: dict[str, int], pending: dict[tuple[int, str], int]) -> tuple[str, list[list[tuple[str, str]]]]:
    lang = actor.lang
    fills = render.fills(event, counts)
    lines = [actor.t("needs.event", colour=render.COLOUR_EMOJI[colour(fills)], title=event.title,
                     city=recruitment.city_name(event, lang), when=render.when(event, lang))]
    rows: list[list[tuple[str, str]]] = []
    need_ids = {n.role: n.id for n in event.needs}
    for fill in fills:
        if fill.missing == 0:
            continue
        label = render.role_label(lang, fill.role)
        waiting = pending.get((event.id, fill.role), 0)
        key = "needs.role_running" if waiting else "needs.role"
        lines.append(actor.t(key, role=label, taken=fill.taken, needed=fill.needed, missing=fill.missing,
                             pending=waiting))
        rows.append([(actor.t("btn.recruit", role=label), f"rec:{event.id}:{need_ids[fill.role]}")])
    rows.append([(actor.t("btn.who_asked"), f"recw:{event.id}")])
    return "\n".join(lines), rows


@command(commands.BESOINS)
async def needs(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    async with services(context).db.session() as s:
        cities = await _scope(s, actor)
        events = await _short_of_people(s, cities, now)
        counts = await q.counts(s, [e.id for e in events])
        short = [e for e in events if any(f.missing for f in render.fills(e, counts[e.id]))]
        pending = await q.open_asks_by_role(s, [e.id for e in short[:MAX_EVENTS]])
    if not short:
        await answer(update, actor.t("needs.none"))
        return
    await answer(update, actor.t("needs.header", count=len(short)))
    for event in short[:MAX_EVENTS]:
        text, rows = _card(actor, event, counts[event.id], pending)
        await answer(update, text, rows)
    if len(short) > MAX_EVENTS:
        await answer(update, actor.t("needs.more", count=len(short) - MAX_EVENTS))


@button(*ORGANISERS)
async def recruit(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    match = RECRUIT.match(query.data or "")
    assert match is not None
    event_id, need_id = int(match.group(1)), int(match.group(2))
    svc = services(context)
    settings = svc.settings
    refusal: str | None = None
    async with svc.transaction() as s:
        event = await q.event_by_id(s, event_id)
        need = next((n for n in event.needs if n.id == need_id), None) if event else None
        if event is None or need is None:
            refusal = "fallback.button_stale"
        elif not may_recruit(await _scope(s, actor), event.city_id):
            refusal = "rec.forbidden"
        else:
            started = await recruitment.start(s, settings, event, need.role, actor.person.id, datetime.now(UTC))
            values = recruitment.event_values(event, need.role, actor.lang)
    if refusal is not None:
        await query.answer(actor.t(refusal), show_alert=True)
        return
    await query.answer()
    await answer(update, actor.t(
        f"rec.{started.status}", count=started.asked, pending=started.pending,
        cap=settings.ask_max_per_person_per_week, hours=recruitment.hours(settings.ask_timeout_hours), **values,
    ))


def _who_text(
    actor: Actor, event: Event, counts: dict[str, int], asks: list[tuple[Ask, Person]], rankings: dict[str, Ranking],
    cap: int,
) -> str:
    lang = actor.lang
    lines = [actor.t("asked.header", title=event.title, when=render.when(event, lang))]
    for fill in render.fills(event, counts):
        lines.append("")
        lines.append(actor.t("asked.role", role=render.role_label(lang, fill.role), taken=fill.taken, needed=fill.needed))
        mine = [(a, p) for a, p in asks if a.role == fill.role]
        for ask, person in mine[:MAX_NAMES]:
            lines.append(actor.t("asked.line", name=person.first_name, answer=actor.t(f"answer.{ask.answer or 'pending'}")))
        if len(mine) > MAX_NAMES:
            lines.append(actor.t("asked.more", count=len(mine) - MAX_NAMES))
        if not mine:
            lines.append(actor.t("asked.none"))
        ranking = rankings.get(fill.role)
        if ranking is not None and ranking.excluded:
            reasons = [actor.t(f"reason.{r}", n=n, cap=cap) for r, n in ranking.excluded_counts().items()
                       if r != "asked"]  # the asked are listed above
            if reasons:
                lines.append(actor.t("asked.excluded", reasons=Html(", ".join(reasons))))
    return "\n".join(lines)


@button(*ORGANISERS)
async def who_was_asked(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    match = WHO.match(query.data or "")
    assert match is not None
    svc = services(context)
    now = datetime.now(UTC)
    text: str | None = None
    refusal = "fallback.button_stale"
    async with svc.db.session() as s:
        event = await q.event_by_id(s, int(match.group(1)))
        if event is not None and not may_recruit(await _scope(s, actor), event.city_id):
            refusal = "rec.forbidden"
        elif event is not None:
            counts = (await q.counts(s, [event.id]))[event.id]
            asks = await q.asks_of_event(s, event.id)
            rankings: dict[str, Ranking] = {}
            for fill in render.fills(event, counts):
                if fill.missing:
                    rankings[fill.role] = await recruitment.ranking(s, svc.settings, event, fill.role, now)
            text = _who_text(actor, event, counts, asks, rankings, svc.settings.ask_max_per_person_per_week)
    if text is None:
        await query.answer(actor.t(refusal), show_alert=True)
        return
    await query.answer()
    await answer(update, text)


async def _set_paused(context: Context, actor: Actor, paused: bool) -> bool:
    """Set the person's pause; True when it changed."""
    assert actor.person is not None
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id)
        assert person is not None
        changed = person.asks_paused != paused
        person.asks_paused = paused
    return changed


@command(commands.PAUSE)
async def pause(update: Update, context: Context, actor: Actor) -> None:
    changed = await _set_paused(context, actor, True)
    await answer(update, actor.t("pause.done" if changed else "pause.already"))


@command(commands.REPRENDRE)
async def resume(update: Update, context: Context, actor: Actor) -> None:
    changed = await _set_paused(context, actor, False)
    cap = services(context).settings.ask_max_per_person_per_week
    await answer(update, actor.t("resume.done" if changed else "resume.already", cap=cap))


async def _finish(update: Update, actor: Actor, reply: Reply) -> None:
    """Acknowledge the press, retire the spent buttons, say what happened."""
    query = update.callback_query
    assert query is not None
    if not reply.final and reply.key == "fallback.button_stale":
        await query.answer(actor.t(reply.key), show_alert=True)
        return
    await query.answer()
    if reply.final:
        # Already gone or too old: the answer below is what matters.
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
    await answer(update, actor.t(reply.key, **reply.values))


@button()
async def ask_answer(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    match = ASK.match(query.data or "")
    assert match is not None
    svc = services(context)
    async with svc.transaction() as s:
        reply = await recruitment.answer_ask(s, svc.settings, int(match.group(1)), actor.person.id,
                                             match.group(2) == "y", datetime.now(UTC), actor.lang)
    await _finish(update, actor, reply)


@button()
async def reminder_answer(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    match = REMINDER.match(query.data or "")
    assert match is not None
    svc = services(context)
    pid, now = int(match.group(1)), datetime.now(UTC)
    async with svc.transaction() as s:
        if match.group(2) == "ok":
            reply = await reminders.still_coming(s, pid, actor.person.id, now, actor.lang)
        else:
            reply = await reminders.withdraw(s, svc.settings, pid, actor.person.id, now, actor.lang)
    await _finish(update, actor, reply)


@button()
async def attendance_answer(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    match = ATTENDED.match(query.data or "")
    assert match is not None
    async with services(context).transaction() as s:
        reply = await reminders.record_attendance(s, int(match.group(1)), actor.person.id, match.group(2) == "y",
                                                  actor.lang)
    await _finish(update, actor, reply)


def handlers() -> Handlers:
    """Register before the fallback handlers (bot/app.py: `app.add_handlers(recruitment.handlers())`)."""
    return {Group.MAIN: [
        CommandHandler(commands.BESOINS.name, needs),
        CommandHandler(commands.PAUSE.name, pause),
        CommandHandler(commands.REPRENDRE.name, resume),
        CallbackQueryHandler(recruit, pattern=RECRUIT),
        CallbackQueryHandler(who_was_asked, pattern=WHO),
        CallbackQueryHandler(ask_answer, pattern=ASK),
        CallbackQueryHandler(reminder_answer, pattern=REMINDER),
        CallbackQueryHandler(attendance_answer, pattern=ATTENDED),
    ]}

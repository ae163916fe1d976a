"""Recruitment: private asks in small waves, best volunteers first, until a role is filled.

Shared by /besoins (start), the ask buttons (answer) and the reminders (a withdrawal restarts a
recruitment). `run` is the job: it closes recruitments whose role got filled (by asks or by the
announcement's buttons), expires unanswered asks and sends the next wave once nobody is left to
answer. Everything happens in the caller's transaction, messages through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import AskReply
from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.events import render
from capabilities.events.agenda import record_answer
from capabilities.events.organise import Organiser
from domain.matching import Ranking, Slot, Volunteer, may_recruit, organiser_cities, rank
from domain.statuses import AskAnswer, EventStatus, RsvpSource, RsvpStatus
from storage import events as q
from storage import outbox
from storage import people as pq
from storage import recruitment as rq
from storage.models import Ask, Event, Person, Recruitment

WEEK = timedelta(days=7)
# No new asks this close to the start: nobody rearranges their day in less.
LAST_CALL = timedelta(hours=2)


@dataclass(frozen=True)
class Reply:
    """What to tell the person who pressed a button: a text key, its values, whether the buttons of
    the pressed message are spent (`final`), and whether it is a refusal shown on the button only
    (`alert`: nothing was done)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    final: bool = False
    alert: bool = False


STALE = Reply("fallback.button_stale", alert=True)


class RecruitStart(StrEnum):
    """What pressing « Relancer » did (the `rec.<value>` text says it)."""

    STARTED = "started"
    RUNNING = "running"
    FILLED = "filled"
    NOBODY = "nobody"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Started:
    status: RecruitStart
    asked: int = 0
    pending: int = 0


def hours(value: float) -> str:
    return f"{value:g}"


def city_name(event: Event, lang: str) -> str:
    return event.city.name if event.city else t(lang, "rec.national")


def where(event: Event, lang: str) -> str:
    city = city_name(event, lang)
    return f"{event.place}, {city}" if event.place else city


def event_values(event: Event, role: str | None, lang: str) -> dict[str, Any]:
    return {
        "title": event.title,
        "when": render.when(event, lang),
        "where": where(event, lang),
        "role": render.role_label(lang, role) if role else "",
    }


def is_open(event: Event, now: datetime) -> bool:
    """Still worth asking people for: scheduled and not about to start."""
    return event.status == EventStatus.SCHEDULED and event.starts_at - LAST_CALL > now


async def missing(session: AsyncSession, event: Event, role: str) -> int | None:
    """Places still free for `role`; None when the event no longer needs that role."""
    need = next((n for n in event.needs if n.role == role), None)
    if need is None:
        return None
    counts = (await q.counts(session, [event.id]))[event.id]
    return max(0, need.count - counts.get(f"role:{role}", 0))


async def ranking(
    session: AsyncSession, settings: Settings, event: Event, role: str, now: datetime
) -> Ranking:
    """Everyone who could be asked for `role`, ranked; the others with the reason."""
    people = await rq.recruitable_people(session, event.city_id)
    stats = await rq.ask_stats(session, now - WEEK)
    seats = await q.seats(session, event.id)
    busy = await rq.busy_person_ids(session, event.starts_at, event.ends_at, event.id)
    asked = await rq.asked_person_ids(session, event.id, role)
    volunteers = []
    for p in people:
        recent, last = stats.get(p.id, (0, None))
        volunteers.append(
            Volunteer(
                p.id,
                p.city_id,
                tuple(p.skills or ()),
                p.asks_paused,
                p.reachable,
                p.absent_until,
                last,
                recent,
            )
        )
    slot = Slot(event.id, role, event.city_id, event.starts_at.astimezone(settings.tz).date())
    return rank(
        slot,
        volunteers,
        busy=busy,
        participating={s.person_id for s in seats},
        asked=asked,
        max_per_week=settings.ask_max_per_person_per_week,
    )


def ask_message(settings: Settings, event: Event, ask: Ask, person: Person) -> dict[str, Any]:
    lang = person.language
    text = t(
        lang,
        "ask.text",
        name=person.first_name,
        hours=hours(settings.ask_timeout_hours),
        **event_values(event, ask.role, lang),
    )
    rows = [
        [
            (t(lang, "btn.ask_yes"), AskReply(ask.id, "y").pack()),
            (t(lang, "btn.ask_no"), AskReply(ask.id, "n").pack()),
        ]
    ]
    return text_message(text, rows)


async def send_wave(
    session: AsyncSession, settings: Settings, event: Event, rec: Recruitment, now: datetime
) -> int:
    """Ask the next best people (at most ask_wave_size); returns how many were asked."""
    chosen = (await ranking(session, settings, event, rec.role, now)).eligible[: settings.ask_wave_size]
    if not chosen:
        return 0
    rec.waves += 1
    rec.last_wave_at = now
    people = await q.people_by_ids(session, [v.person_id for v in chosen])
    for v in chosen:
        person = people[v.person_id]
        ask = await rq.add_ask(session, event.id, rec.role, person.id, rec.waves, now)
        await outbox.enqueue(
            session,
            person.telegram_id,
            ask_message(settings, event, ask, person),
            dedupe_key=f"ask:{ask.id}",
            person_id=person.id,
        )
    return len(chosen)


async def tell(
    session: AsyncSession,
    person_id: int | None,
    key: str,
    dedupe_key: str,
    event: Event,
    role: str,
    **values: Any,
) -> bool:
    """A notice to the organiser behind a recruitment, once per dedupe key."""
    if person_id is None:
        return False
    person = await session.get(Person, person_id)
    if person is None:
        return False
    text = t(person.language, key, **event_values(event, role, person.language), **values)
    return await outbox.enqueue(
        session, person.telegram_id, text_message(text), dedupe_key=dedupe_key, person_id=person.id
    )


async def start(
    session: AsyncSession, settings: Settings, event: Event, role: str, by_id: int | None, now: datetime
) -> Started:
    """Start (or restart) recruiting for `role` and send the first wave now.

    Pressing again while asks are still unanswered sends nothing more: a double tap asks nobody twice,
    and people get their `ask_timeout_hours` to answer.
    """
    if not is_open(event, now):
        return Started(RecruitStart.CLOSED)
    left = await missing(session, event, role)
    if left is None:
        return Started(RecruitStart.UNKNOWN)
    if left == 0:
        return Started(RecruitStart.FILLED)
    rec = await rq.recruitment(session, event.id, role, lock=True)
    if rec is None:
        rec = Recruitment(
            event_id=event.id,
            role=role,
            active=True,
            started_by=by_id or event.created_by,
            started_at=now,
            waves=0,
        )
        session.add(rec)
        await session.flush()
    else:
        if not rec.active:
            rec.active, rec.started_at = True, now
        if by_id is not None:
            rec.started_by = by_id
        pending = await rq.open_asks(session, event.id, role)
        if pending:
            return Started(RecruitStart.RUNNING, pending=pending)
    asked = await send_wave(session, settings, event, rec, now)
    return Started(RecruitStart.STARTED if asked else RecruitStart.NOBODY, asked=asked)


async def close_if_filled(session: AsyncSession, event: Event, rec: Recruitment, now: datetime) -> bool:
    """Stop a recruitment whose role is filled (or no longer needed); tell who started it, once."""
    left = await missing(session, event, rec.role)
    if left is None:
        rec.active = False
        return True
    if left > 0:
        return False
    rec.active = False
    # One notice per (re)start: a role freed and filled again is news again.
    await tell(
        session,
        rec.started_by,
        "rec.filled_notice",
        f"rec:filled:{rec.id}:{int(rec.started_at.timestamp())}",
        event,
        rec.role,
    )
    return True


async def answer_ask(
    session: AsyncSession,
    settings: Settings,
    ask_id: int,
    person_id: int,
    yes: bool,
    now: datetime,
    lang: str,
) -> Reply:
    """Oui / Non on an ask. Only a live ask of a live event changes anything."""
    ask = await rq.ask_by_id(session, ask_id, lock=True)
    if ask is None or ask.person_id != person_id:
        return STALE
    event = await q.event_by_id(session, ask.event_id)
    if event is None:
        return Reply("fallback.button_stale", final=True)
    values = event_values(event, ask.role, lang)
    if event.status == EventStatus.CANCELLED:
        return Reply("ask.cancelled", values, final=True)
    if event.status != EventStatus.SCHEDULED or event.starts_at <= now:
        return Reply("ask.past", values, final=True)
    if ask.answer in (AskAnswer.YES, AskAnswer.NO):
        return Reply("ask.already", values, final=True)
    if ask.answer is not None or ask.asked_at + timedelta(hours=settings.ask_timeout_hours) <= now:
        if ask.answer is None:  # the job has not passed yet: same rule, same outcome
            ask.answer, ask.answered_at = AskAnswer.EXPIRED, now
        return Reply("ask.expired", values, final=True)
    ask.answer, ask.answered_at = (AskAnswer.YES if yes else AskAnswer.NO), now
    if not yes:
        return Reply("ask.no", values, final=True)
    person = await session.get(Person, person_id)
    assert person is not None
    answered = await record_answer(session, event, person, RsvpStatus.YES, ask.role, RsvpSource.ASK, now)
    status = answered.change.status if answered.change else None
    if status is None:
        row = await q.participation(session, event.id, person.id)
        status = row.status if row else None
    rec = await rq.recruitment(session, event.id, ask.role)
    if rec is not None and rec.active:
        await close_if_filled(session, event, rec, now)
    return Reply("ask.waitlist" if status == RsvpStatus.WAITLIST else "ask.yes", values, final=True)


async def advance(session: AsyncSession, settings: Settings, rec_id: int, now: datetime) -> int:
    """One recruitment's tick: close it, wait, or send the next wave. Returns the work done."""
    rec = await session.get(Recruitment, rec_id, with_for_update=True)
    if rec is None or not rec.active:
        return 0
    event = await q.event_by_id(session, rec.event_id)
    if event is None or not is_open(event, now):
        rec.active = False
        return 1
    if await close_if_filled(session, event, rec, now):
        return 1
    if await rq.open_asks(session, event.id, rec.role):
        return 0
    asked = await send_wave(session, settings, event, rec, now)
    if asked:
        return asked
    # Nobody left to ask: say so once per wave count (a later wave that runs dry is news again).
    left = await missing(session, event, rec.role)
    sent = await tell(
        session,
        rec.started_by,
        "rec.exhausted_notice",
        f"rec:none:{rec.id}:{rec.waves}",
        event,
        rec.role,
        missing=left or 0,
    )
    return int(sent)


async def run(services: Services, now: datetime) -> int:
    settings = services.settings
    async with services.transaction() as s:
        # Cancelled first, so that asks of a cancelled event do not read as "expired".
        done = await rq.cancel_asks_of_closed_events(s, now)
        done += await rq.expire_asks(s, now - timedelta(hours=settings.ask_timeout_hours), now)
        rec_ids = [r.id for r in await rq.active_recruitments(s)]
    # One transaction per recruitment: one that fails does not hold back the others.
    for rec_id in rec_ids:
        async with services.transaction() as s:
            done += await advance(s, settings, rec_id, now)
    return done


# --- What organisers and volunteers do with their buttons and commands -------------------------------


async def scope_of(session: AsyncSession, who: Organiser) -> set[int] | None:
    """The cities whose events the organiser organises (None: all)."""
    city_ids = {c.name: c.id for c in await pq.cities(session)}
    return organiser_cities(who.roles, pq.grants_of(who.person), who.person.city_id, city_ids)


@dataclass(frozen=True)
class Shortage:
    """/besoins: upcoming events short of people, soonest first."""

    events: list[Event]
    counts: dict[int, dict[str, int]]
    pending: dict[tuple[int, str], int]  # unanswered asks per (event, role), for the events shown


async def shortage(services: Services, who: Organiser, now: datetime, shown: int) -> Shortage:
    """The events of the organiser's cities that still miss people (`shown` of them with their asks)."""
    async with services.db.session() as s:
        cities = await scope_of(s, who)
        if cities is None:
            events = await q.upcoming(s, now, limit=100)
        else:
            events = [
                e for cid in sorted(cities) for e in await q.upcoming(s, now, city_id=cid, national_too=False)
            ]
        events = sorted(
            (e for e in events if e.starts_at > now and e.needs), key=lambda e: (e.starts_at, e.id)
        )
        counts = await q.counts(s, [e.id for e in events])
        short = [e for e in events if any(f.missing for f in render.fills(e, counts[e.id]))]
        pending = await rq.open_asks_by_role(s, [e.id for e in short[:shown]])
    return Shortage(short, counts, pending)


async def recruit(
    services: Services, who: Organiser, event_id: int, need_id: int, now: datetime, lang: str
) -> Reply:
    """« Relancer »: start recruiting for one need of an event of the organiser's cities."""
    settings = services.settings
    async with services.transaction() as s:
        event = await q.event_by_id(s, event_id)
        need = next((n for n in event.needs if n.id == need_id), None) if event else None
        if event is None or need is None:
            return STALE
        if not may_recruit(await scope_of(s, who), event.city_id):
            return Reply("rec.forbidden", alert=True)
        started = await start(s, settings, event, need.role, who.person.id, now)
        values = event_values(event, need.role, lang)
    return Reply(
        f"rec.{started.status}",
        {
            "count": started.asked,
            "pending": started.pending,
            "cap": settings.ask_max_per_person_per_week,
            "hours": hours(settings.ask_timeout_hours),
            **values,
        },
    )


@dataclass(frozen=True)
class AskedReport:
    """« Qui a été sollicité ? »: the asks of an event, and who could not be asked for each role short."""

    event: Event
    counts: dict[str, int]
    asks: list[tuple[Ask, Person]]
    rankings: dict[str, Ranking]


async def asked_report(
    services: Services, who: Organiser, event_id: int, now: datetime
) -> AskedReport | Reply:
    async with services.db.session() as s:
        event = await q.event_by_id(s, event_id)
        if event is None:
            return STALE
        if not may_recruit(await scope_of(s, who), event.city_id):
            return Reply("rec.forbidden", alert=True)
        counts = (await q.counts(s, [event.id]))[event.id]
        asks = await rq.asks_of_event(s, event.id)
        rankings = {
            fill.role: await ranking(s, services.settings, event, fill.role, now)
            for fill in render.fills(event, counts)
            if fill.missing
        }
    return AskedReport(event, counts, asks, rankings)


async def set_paused(services: Services, person_id: int, paused: bool) -> bool:
    """/pause and /reprendre: stop or resume asks to the person; True when it changed."""
    async with services.transaction() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        changed = person.asks_paused != paused
        person.asks_paused = paused
    return changed


async def reply_to_ask(
    services: Services, ask_id: int, person_id: int, yes: bool, now: datetime, lang: str
) -> Reply:
    """A volunteer's Oui / Non on an ask."""
    async with services.transaction() as s:
        return await answer_ask(s, services.settings, ask_id, person_id, yes, now, lang)

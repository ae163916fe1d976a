"""Recruitment: private asks in small waves, best volunteers first, until a role is filled.

Shared by /besoins (start), the ask buttons (answer) and the reminders (a withdrawal restarts a
recruitment). `run` is the job: it closes recruitments whose role got filled (by asks or by the
announcement's buttons), expires unanswered asks and sends the next wave once nobody is left to
answer. Everything happens in the caller's transaction, messages through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.events import render
from capabilities.events.agenda import record_answer
from domain.matching import Ranking, Slot, Volunteer, rank
from storage import events as q
from storage import outbox
from storage.models import Ask, Event, Person, Recruitment

WEEK = timedelta(days=7)
# No new asks this close to the start: nobody rearranges their day in less.
LAST_CALL = timedelta(hours=2)
SCHEDULED = "scheduled"


@dataclass(frozen=True)
class Reply:
    """What to tell the person who pressed a button: a text key, its values, and whether the
    buttons of the pressed message are spent."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    final: bool = False


@dataclass(frozen=True)
class Started:
    status: str  # started | running | filled | nobody | closed | unknown
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
    return event.status == SCHEDULED and event.starts_at - LAST_CALL > now


async def missing(session: AsyncSession, event: Event, role: str) -> int | None:
    """Places still free for `role`; None when the event no longer needs that role."""
    need = next((n for n in event.needs if n.role == role), None)
    if need is None:
        return None
    counts = (await q.counts(session, [event.id]))[event.id]
    return max(0, need.count - counts.get(f"role:{role}", 0))


async def ranking(session: AsyncSession, settings: Settings, event: Event, role: str, now: datetime) -> Ranking:
    """Everyone who could be asked for `role`, ranked; the others with the reason."""
    people = await q.recruitable_people(session, event.city_id)
    stats = await q.ask_stats(session, now - WEEK)
    seats = await q.seats(session, event.id)
    busy = await q.busy_person_ids(session, event.starts_at, event.ends_at, event.id)
    asked = await q.asked_person_ids(session, event.id, role)
    volunteers = []
    for p in people:
        recent, last = stats.get(p.id, (0, None))
        volunteers.append(Volunteer(
            p.id, p.city_id, tuple(p.skills or ()), p.asks_paused, p.reachable, p.absent_until, last, recent,
        ))
    slot = Slot(event.id, role, event.city_id, event.starts_at.astimezone(settings.tz).date())
    return rank(slot, volunteers, busy=busy, participating={s.person_id for s in seats}, asked=asked,
                max_per_week=settings.ask_max_per_person_per_week)


def ask_message(settings: Settings, event: Event, ask: Ask, person: Person) -> dict[str, Any]:
    lang = person.language
    text = t(lang, "ask.text", name=person.first_name, hours=hours(settings.ask_timeout_hours),
             **event_values(event, ask.role, lang))
    rows = [[(t(lang, "btn.ask_yes"), f"ask:{ask.id}:y"), (t(lang, "btn.ask_no"), f"ask:{ask.id}:n")]]
    return text_message(text, rows)


async def send_wave(session: AsyncSession, settings: Settings, event: Event, rec: Recruitment, now: datetime) -> int:
    """Ask the next best people (at most ask_wave_size); returns how many were asked."""
    chosen = (await ranking(session, settings, event, rec.role, now)).eligible[: settings.ask_wave_size]
    if not chosen:
        return 0
    rec.waves += 1
    rec.last_wave_at = now
    people = await q.people_by_ids(session, [v.person_id for v in chosen])
    for v in chosen:
        person = people[v.person_id]
        ask = await q.add_ask(session, event.id, rec.role, person.id, rec.waves, now)
        await outbox.enqueue(session, person.telegram_id, ask_message(settings, event, ask, person),
                             dedupe_key=f"ask:{ask.id}", person_id=person.id)
    return len(chosen)


async def tell(session: AsyncSession, person_id: int | None, key: str, dedupe_key: str, event: Event, role: str,
               **values: Any) -> bool:
    """A notice to the organiser behind a recruitment, once per dedupe key."""
    if person_id is None:
        return False
    person = await session.get(Person, person_id)
    if person is None:
        return False
    text = t(person.language, key, **event_values(event, role, person.language), **values)
    return await outbox.enqueue(session, person.telegram_id, text_message(text), dedupe_key=dedupe_key,
                                person_id=person.id)


async def start(
    session: AsyncSession, settings: Settings, event: Event, role: str, by_id: int | None, now: datetime
) -> Started:
    """Start (or restart) recruiting for `role` and send the first wave now.

    Pressing again while asks are still unanswered sends nothing more: a double tap asks nobody twice,
    and people get their `ask_timeout_hours` to answer.
    """
    if not is_open(event, now):
        return Started("closed")
    left = await missing(session, event, role)
    if left is None:
        return Started("unknown")
    if left == 0:
        return Started("filled")
    rec = await q.recruitment(session, event.id, role, lock=True)
    if rec is None:
        rec = Recruitment(event_id=event.id, role=role, active=True, started_by=by_id or event.created_by,
                          started_at=now, waves=0)
        session.add(rec)
        await session.flush()
    else:
        if not rec.active:
            rec.active, rec.started_at = True, now
        if by_id is not None:
            rec.started_by = by_id
        pending = await q.open_asks(session, event.id, role)
        if pending:
            return Started("running", pending=pending)
    asked = await send_wave(session, settings, event, rec, now)
    return Started("started" if asked else "nobody", asked=asked)


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
    await tell(session, rec.started_by, "rec.filled_notice", f"rec:filled:{rec.id}:{int(rec.started_at.timestamp())}",
               event, rec.role)
    return True


async def answer_ask(
    session: AsyncSession, settings: Settings, ask_id: int, person_id: int, yes: bool, now: datetime, lang: str
) -> Reply:
    """Oui / Non on an ask. Only a live ask of a live event changes anything."""
    ask = await q.ask_by_id(session, ask_id, lock=True)
    if ask is None or ask.person_id != person_id:
        return Reply("fallback.button_stale")
    event = await q.event_by_id(session, ask.event_id)
    if event is None:
        return Reply("fallback.button_stale", final=True)
    values = event_values(event, ask.role, lang)
    if event.status == "cancelled":
        return Reply("ask.cancelled", values, final=True)
    if event.status != SCHEDULED or event.starts_at <= now:
        return Reply("ask.past", values, final=True)
    if ask.answer in ("yes", "no"):
        return Reply("ask.already", values, final=True)
    if ask.answer is not None or ask.asked_at + timedelta(hours=settings.ask_timeout_hours) <= now:
        if ask.answer is None:  # the job has not passed yet: same rule, same outcome
            ask.answer, ask.answered_at = "expired", now
        return Reply("ask.expired", values, final=True)
    ask.answer, ask.answered_at = ("yes" if yes else "no"), now
    if not yes:
        return Reply("ask.no", values, final=True)
    person = await session.get(Person, person_id)
    assert person is not None
    answered = await record_answer(session, event, person, "yes", ask.role, "ask", now)
    status = answered.change.status if answered.change else None
    if status is None:
        row = await q.participation(session, event.id, person.id)
        status = row.status if row else None
    rec = await q.recruitment(session, event.id, ask.role)
    if rec is not None and rec.active:
        await close_if_filled(session, event, rec, now)
    return Reply("ask.waitlist" if status == "waitlist" else "ask.yes", values, final=True)


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
    if await q.open_asks(session, event.id, rec.role):
        return 0
    asked = await send_wave(session, settings, event, rec, now)
    if asked:
        return asked
    # Nobody left to ask: say so once per wave count (a later wave that runs dry is news again).
    left = await missing(session, event, rec.role)
    sent = await tell(session, rec.started_by, "rec.exhausted_notice", f"rec:none:{rec.id}:{rec.waves}", event,
                      rec.role, missing=left or 0)
    return int(sent)


async def run(services: Services, now: datetime) -> int:
    settings = services.settings
    async with services.transaction() as s:
        # Cancelled first, so that asks of a cancelled event do not read as "expired".
        done = await q.cancel_asks_of_closed_events(s, now)
        done += await q.expire_asks(s, now - timedelta(hours=settings.ask_timeout_hours), now)
        rec_ids = [r.id for r in await q.active_recruitments(s)]
    # One transaction per recruitment: one that fails does not hold back the others.
    for rec_id in rec_ids:
        async with services.transaction() as s:
            done += await advance(s, settings, rec_id, now)
    return done

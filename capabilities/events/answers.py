"""Answers to an event's post: its buttons, a reply in the group, or either before /start (kept, then
applied once the person is registered)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.texts import t
from capabilities.events import agenda, render
from domain.statuses import EventStatus, RsvpSource
from storage import events as q
from storage import people as pq
from storage.models import Event, Person


@dataclass(frozen=True)
class Recorded:
    event: Event
    answered: agenda.Answered


def _open(event: Event | None, now: datetime) -> bool:
    return event is not None and event.status == EventStatus.SCHEDULED and event.ends_at > now


async def need_role(services: Services, event_id: int, need_id: int) -> str | None:
    """The role of one need of the event (a post's role button), None when it is gone."""
    async with services.db.session() as s:
        event = await q.event_by_id(s, event_id)
    need = next((n for n in event.needs if n.id == need_id), None) if event else None
    return need.role if need else None


async def event_of_post(services: Services, chat_id: int, message_id: int) -> int | None:
    """The event whose post this message is, if any."""
    async with services.db.session() as s:
        post = await q.post_for_message(s, chat_id, message_id)
    return post.event_id if post else None


async def _record(
    session: AsyncSession,
    event_id: int,
    person_id: int,
    answer: str,
    role: str | None,
    source: str,
    now: datetime,
    *,
    guests: int | None = None,
    switch: bool = False,
) -> Recorded | None:
    event = await q.event_by_id(session, event_id, lock=True)
    if not _open(event, now):
        return None
    assert event is not None
    person = await session.get(Person, person_id)
    assert person is not None
    answered = await agenda.record_answer(
        session, event, person, answer, role, source, now, guests=guests, switch=switch
    )
    return Recorded(event, answered)


async def record(
    services: Services,
    person_id: int,
    event_id: int,
    answer: str,
    role: str | None,
    source: str,
    now: datetime,
    *,
    guests: int | None = None,
    switch: bool = False,
) -> Recorded | None:
    """One registered person's answer; None when the event is cancelled or over.

    `guests`: the people they bring, read from a reply (domain.replies.guests); None keeps the
    number given before. `switch`: the private "take this task instead" button."""
    async with services.transaction() as s:
        return await _record(s, event_id, person_id, answer, role, source, now, guests=guests, switch=switch)


def notice_text(lang: str, recorded: Recorded) -> str | None:
    """What to tell someone coming who offered another task (their place is kept), else None."""
    answered = recorded.answered
    if answered.notice is None or answered.offered is None:
        return None
    held = render.role_label(lang, answered.held) if answered.held else ""
    offered = render.role_label(lang, answered.offered)
    # Only a full task can be offered by someone coming without one (a free one is simply taken).
    key = f"rsvp.second_{answered.notice}" if held else "rsvp.second_full_no_task"
    return t(lang, key, title=recorded.event.title, held=held, offered=offered)


@dataclass(frozen=True)
class Press:
    """One answer waiting its turn in its event's line (handlers.rsvp): a button pressed, or a reply.

    The person is found by `telegram_id` when the answer is recorded, with the others of the batch.
    `need_id`: a task's button, whose task is read then too (gone: closed). `keep`: someone not
    registered yet has their answer kept for after /start (else: closed). `username`: the @handle
    the update came with, refreshed like handlers.common.load_actor does (False: not known here)."""

    telegram_id: int
    answer: str
    now: datetime
    role: str | None = None
    need_id: int | None = None
    source: str = RsvpSource.BUTTON
    guests: int | None = None
    switch: bool = False
    keep: bool = False
    username: str | None | Literal[False] = False


@dataclass(frozen=True)
class Outcome:
    """What became of one answer of the line."""

    lang: str | None = None  # the person's language; None: not registered
    recorded: Recorded | None = None  # None: the event is cancelled or over, the task gone
    kept: bool = False  # not registered yet: kept, applied after /start


async def record_line(services: Services, event_id: int, presses: list[Press]) -> list[Outcome]:
    """The answers waiting for one event, in the order they came, recorded in one transaction (a
    crowd pressing at once costs one read of the event's answers and one commit, not one per press).
    Each outcome is the one that press would have had alone at its turn: the later presses see the
    earlier ones, a person's last press wins, and a full task waitlists who comes after it."""
    async with services.transaction() as s:
        event = await q.event_by_id(s, event_id, lock=True)
        people = await pq.people_by_telegram_ids(s, [p.telegram_id for p in presses])
        await _refresh_handles(s, presses, people)
        seating: agenda.Seating | None = None
        out: list[Outcome] = []
        for press in presses:
            person = people.get(press.telegram_id)
            lang = person.language if person is not None else None
            role = press.role
            if press.need_id is not None:
                need = next((n for n in event.needs if n.id == press.need_id), None) if event else None
                if need is None:
                    out.append(Outcome(lang))
                    continue
                role = need.role
            if person is None:
                kept = press.keep and event is not None and event.status == EventStatus.SCHEDULED
                if kept:
                    await q.save_pending_rsvp(s, press.telegram_id, event_id, press.answer, role)
                out.append(Outcome(lang, kept=press.keep))
                continue
            if not _open(event, press.now):
                out.append(Outcome(lang))
                continue
            assert event is not None
            if seating is None:
                # One answer: its own rows are fetched; many: every row of the event at once.
                many = len(people) > 1
                seating = await (agenda.Seating.load if many else agenda.Seating.read)(s, event_id)
            answered = await agenda.record_answer(
                s,
                event,
                person,
                press.answer,
                role,
                press.source,
                press.now,
                guests=press.guests,
                switch=press.switch,
                seating=seating,
            )
            out.append(Outcome(lang, Recorded(event, answered)))
        return out


async def _refresh_handles(session: AsyncSession, presses: list[Press], people: dict[int, Person]) -> None:
    """The @handles the presses came with, stored as capabilities.people.actors.identify stores them
    (a handle has one holder at a time): the presses skip that per-update look-up."""
    handles = {p.telegram_id: p.username for p in presses if p.username is not False}
    for telegram_id, username in handles.items():
        person = people.get(telegram_id)
        if person is not None:
            stale = person.username != username
        else:
            stale = bool(username) and await pq.username_taken_elsewhere(session, telegram_id, username or "")
        if stale:
            await pq.set_username(session, telegram_id, username or None)


async def keep_for_later(
    services: Services, telegram_id: int, event_id: int, answer: str, role: str | None
) -> None:
    """An answer from someone not registered yet: applied after /start (apply_pending)."""
    async with services.transaction() as s:
        event = await q.event_by_id(s, event_id)
        if event is not None and event.status == EventStatus.SCHEDULED:
            await q.save_pending_rsvp(s, telegram_id, event_id, answer, role)


async def apply_pending(services: Services, person_id: int, telegram_id: int, now: datetime) -> list[str]:
    """Record the answers kept before /start; the titles of the events they counted for."""
    applied: list[str] = []
    async with services.transaction() as s:
        for pending in await q.pop_pending_rsvps(s, telegram_id):
            recorded = await _record(
                s, pending.event_id, person_id, pending.answer, pending.role, RsvpSource.DEEPLINK, now
            )
            if recorded is not None:
                applied.append(recorded.event.title)
    return applied

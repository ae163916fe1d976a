"""Corrections: "Ce n'est pas ça" on a reply the bot read as an answer, and inbox reassignments.

A reply read as an answer is remembered (`remember`) so that its button can find it. Its author,
or an organiser of the event (capabilities/events/organise: may manage it), may then say what it
meant: the participation is changed exactly as if the author had answered that (removed for
"Rien à noter"), and the correction is stored for the daily training (training.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from capabilities.events import agenda
from capabilities.events.organise import Organiser, Refused, managed_in
from domain.learned import Reading
from domain.people import Role
from domain.replies.guests import guest_count
from domain.statuses import EventStatus, RsvpSource, RsvpStatus
from storage import corrections as q
from storage import events as eq
from storage import people as pq
from storage.models import Correction, EmailMessage, Event, Person

# The choices of the correction buttons (bot.callbacks.ReplyFixSet): intent, or "other".
CHOICES: dict[str, str] = {"y": "yes", "m": "maybe", "n": "no", "x": "other"}
TEXT_KEPT = 1000


class Denied(StrEnum):
    GONE = "gone"  # no such reading (forged, or tidied away)
    CLOSED = "closed"  # the event is over or cancelled
    NOT_YOURS = "not_yours"  # neither the author nor an organiser of the event


@dataclass(frozen=True)
class Fixed:
    event: Event
    intent: str  # what it is now: yes, maybe, no, other (nothing recorded)
    status: str | None  # the participation's status after it (None: no participation)
    role: str | None
    by_author: bool


async def remember(
    services: Services,
    *,
    author_id: int,
    event_id: int,
    chat_id: int,
    message_id: int,
    text: str,
    announcement: str,
    reading: Reading,
    now: datetime,
) -> int:
    """Keep a reading of a reply so that it can be corrected; returns its id (for the button)."""
    async with services.transaction() as s:
        row = await q.add(
            s,
            Correction(
                kind=q.REPLY,
                text=text[:TEXT_KEPT],
                context=announcement[:TEXT_KEPT],
                read=reading.intent,
                read_detail=reading.role,
                author_id=author_id,
                event_id=event_id,
                chat_id=chat_id,
                message_id=message_id,
                created_at=now,
            ),
        )
        return row.id


async def reading_of(services: Services, correction_id: int) -> Correction | None:
    async with services.db.session() as s:
        return await q.by_id(s, correction_id)


async def _may_correct(
    session: AsyncSession, row: Correction, person: Person, roles: frozenset[Role], now: datetime
) -> Event | Denied:
    if row.kind != q.REPLY or row.event_id is None:
        return Denied.GONE
    event = await eq.event_by_id(session, row.event_id, lock=True)
    if event is None:
        return Denied.GONE
    if row.author_id is None:
        return Denied.GONE  # its author left: nothing of theirs to change
    if row.author_id != person.id:
        managed = await managed_in(session, Organiser(person, roles), event.id)
        if managed == Refused.DENIED:
            return Denied.NOT_YOURS
    if event.status != EventStatus.SCHEDULED or event.ends_at <= now:
        return Denied.CLOSED
    return event


async def check(
    services: Services, correction_id: int, person: Person, roles: frozenset[Role], now: datetime
) -> Event | Denied:
    """May this person correct that reading now? (Before showing the choices.)"""
    async with services.db.session() as s:
        row = await q.by_id(s, correction_id)
        if row is None:
            return Denied.GONE
        return await _may_correct(s, row, person, roles, now)


async def correct(
    services: Services,
    correction_id: int,
    choice: str,
    person: Person,
    roles: frozenset[Role],
    now: datetime,
) -> Fixed | Denied:
    """Apply and store one correction, in one transaction."""
    intent = CHOICES.get(choice)
    if intent is None:
        return Denied.GONE
    async with services.transaction() as s:
        row = await q.by_id(s, correction_id, lock=True)
        if row is None:
            return Denied.GONE
        event = await _may_correct(s, row, person, roles, now)
        if isinstance(event, Denied):
            return event
        assert row.author_id is not None
        author = await s.get(Person, row.author_id)
        if author is None:
            return Denied.GONE
        role = row.read_detail if intent in ("yes", "maybe") and row.read in ("yes", "maybe") else None
        status: str | None = None
        if intent == "other":
            await _withdraw(s, event, author, now)
        else:
            await agenda.record_answer(
                s, event, author, intent, role, RsvpSource.REPLY, now, guests=guest_count(row.text)
            )
            current = await eq.participation(s, event.id, author.id)
            status = current.status if current is not None else None
            role = current.role if current is not None else role
        row.expected, row.expected_detail = intent, role
        row.corrected_by, row.corrected_at = person.id, now
        await pq.audit(
            s, person, "understanding.corrected", f"event:{event.id}", read=row.read, expected=intent
        )
        return Fixed(event, intent, status, role, person.id == author.id)


async def _withdraw(session: AsyncSession, event: Event, author: Person, now: datetime) -> None:
    """ "Rien à noter": the answer read is taken back; a place held goes to the waitlist first."""
    row = await eq.participation(session, event.id, author.id)
    if row is None:
        return
    if row.status != RsvpStatus.NO:
        await agenda.record_answer(session, event, author, RsvpStatus.NO, None, row.source, now)
    await session.delete(row)
    await session.flush()
    await eq.mark_dirty(session, event.id)


async def note_reassignment(
    session: AsyncSession,
    email: EmailMessage,
    domain: str,
    city: str | None,
    person_id: int,
    now: datetime,
) -> None:
    """An email moved to another domain or city: stored as a correction of the triage (call it
    before the email's fields change, in the re-routing's transaction)."""
    if (domain, city) == (email.domain, email.city):
        return
    await q.add(
        session,
        Correction(
            kind=q.INBOX,
            text=f"{email.subject}\n{email.excerpt}"[:TEXT_KEPT],
            context=email.subject[:TEXT_KEPT],
            read=email.domain,
            read_detail=email.city,
            expected=domain,
            expected_detail=city,
            corrected_by=person_id,
            email_id=email.id,
            created_at=now,
            corrected_at=now,
        ),
    )

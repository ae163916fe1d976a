"""Queries behind recruitment: who may be asked, the asks, and the reminders and attendance of participants."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Role
from domain.statuses import AskAnswer, EventStatus, RsvpStatus
from storage.db import rows_changed
from storage.models import Ask, Event, Participation, Person, Recruitment, RoleGrant


async def recruitment(
    session: AsyncSession, event_id: int, role: str, lock: bool = False
) -> Recruitment | None:
    stmt = select(Recruitment).where(Recruitment.event_id == event_id, Recruitment.role == role)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def active_recruitments(session: AsyncSession) -> list[Recruitment]:
    return list(
        await session.scalars(
            select(Recruitment).where(Recruitment.active.is_(True)).order_by(Recruitment.id)
        )
    )


async def recruitable_people(session: AsyncSession, city_id: int | None) -> list[Person]:
    """Everyone who could be asked: the event's city, or everyone for a national event."""
    stmt = select(Person)
    if city_id is not None:
        stmt = stmt.where(Person.city_id == city_id)
    return list(await session.scalars(stmt.order_by(Person.id)))


async def busy_person_ids(
    session: AsyncSession, starts_at: datetime, ends_at: datetime, exclude_event: int
) -> set[int]:
    """People already coming to another event at an overlapping time."""
    rows = await session.scalars(
        select(Participation.person_id)
        .join(Event, Event.id == Participation.event_id)
        .where(
            Event.id != exclude_event,
            Event.status == EventStatus.SCHEDULED,
            Participation.status == RsvpStatus.YES,
            Event.starts_at < ends_at,
            Event.ends_at > starts_at,
        )
    )
    return set(rows)


# --- Asks ------------------------------------------------------------------------------------------


async def add_ask(
    session: AsyncSession, event_id: int, role: str, person_id: int, wave: int, now: datetime
) -> Ask:
    ask = Ask(event_id=event_id, role=role, person_id=person_id, wave=wave, asked_at=now)
    session.add(ask)
    await session.flush()
    return ask


async def ask_by_id(session: AsyncSession, ask_id: int, lock: bool = False) -> Ask | None:
    stmt = select(Ask).where(Ask.id == ask_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def asks_of_event(session: AsyncSession, event_id: int) -> list[tuple[Ask, Person]]:
    rows = await session.execute(
        select(Ask, Person)
        .join(Person, Person.id == Ask.person_id)
        .where(Ask.event_id == event_id)
        .order_by(Ask.role, Ask.asked_at, Ask.id)
    )
    return [(a, p) for a, p in rows.all()]


async def asked_person_ids(session: AsyncSession, event_id: int, role: str) -> set[int]:
    """Asked for this role already, or still to answer an ask for another role of the event."""
    rows = await session.scalars(
        select(Ask.person_id).where(Ask.event_id == event_id, (Ask.role == role) | Ask.answer.is_(None))
    )
    return set(rows)


async def open_asks(session: AsyncSession, event_id: int, role: str) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Ask)
            .where(Ask.event_id == event_id, Ask.role == role, Ask.answer.is_(None))
        )
        or 0
    )


async def open_asks_by_role(session: AsyncSession, event_ids: list[int]) -> dict[tuple[int, str], int]:
    """Unanswered asks per (event, role)."""
    if not event_ids:
        return {}
    rows = await session.execute(
        select(Ask.event_id, Ask.role, func.count())
        .where(Ask.event_id.in_(event_ids), Ask.answer.is_(None))
        .group_by(Ask.event_id, Ask.role)
    )
    return {(eid, role): int(n) for eid, role, n in rows.all()}


async def ask_stats(session: AsyncSession, since: datetime) -> dict[int, tuple[int, datetime | None]]:
    """Per person ever asked: (asks since `since`, time of the last ask)."""
    rows = await session.execute(
        select(
            Ask.person_id, func.sum(case((Ask.asked_at > since, 1), else_=0)), func.max(Ask.asked_at)
        ).group_by(Ask.person_id)
    )
    out: dict[int, tuple[int, datetime | None]] = {}
    for pid, recent, last in rows.all():
        # func.max bypasses the UTCDateTime type on SQLite: read it back as aware UTC.
        if isinstance(last, str):
            last = datetime.fromisoformat(last)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        out[pid] = (int(recent or 0), last)
    return out


async def expire_asks(session: AsyncSession, asked_before: datetime, now: datetime) -> int:
    result = await session.execute(
        update(Ask)
        .where(Ask.answer.is_(None), Ask.asked_at < asked_before)
        .values(answer=AskAnswer.EXPIRED, answered_at=now)
    )
    return rows_changed(result)


async def cancel_asks_of_closed_events(session: AsyncSession, now: datetime) -> int:
    """Open asks for events cancelled, done or already started are answered 'cancelled'."""
    closed = select(Event.id).where((Event.status != EventStatus.SCHEDULED) | (Event.starts_at <= now))
    result = await session.execute(
        update(Ask)
        .where(Ask.answer.is_(None), Ask.event_id.in_(closed))
        .values(answer=AskAnswer.CANCELLED, answered_at=now)
    )
    return rows_changed(result)


# --- Reminders and attendance ----------------------------------------------------------------------


async def participation_by_id(
    session: AsyncSession, participation_id: int, lock: bool = False
) -> Participation | None:
    stmt = select(Participation).where(Participation.id == participation_id)
    if lock:  # the person is joined in: lock the participation row only (PostgreSQL refuses outer joins)
        stmt = stmt.with_for_update(of=Participation)
    return await session.scalar(stmt)


async def due_reminders(
    session: AsyncSession, day: bool, starts_after: datetime, starts_until: datetime
) -> list[tuple[Participation, Event]]:
    """Yes-participations not yet given the day (`day`) or the soon reminder, whose scheduled event
    starts after `starts_after` and by `starts_until`."""
    reminded = Participation.reminded_day_at if day else Participation.reminded_soon_at
    rows = await session.execute(
        select(Participation, Event)
        .join(Event, Event.id == Participation.event_id)
        .where(
            Participation.status == RsvpStatus.YES,
            reminded.is_(None),
            Event.status == EventStatus.SCHEDULED,
            Event.starts_at <= starts_until,
            Event.starts_at > starts_after,
        )
        .order_by(Event.starts_at, Participation.id)
    )
    return [(p, e) for p, e in rows.all()]


async def ended_events(session: AsyncSession, now: datetime, limit: int = 50) -> list[Event]:
    """Events still 'scheduled' whose end has passed: attendance to ask and report."""
    return list(
        await session.scalars(
            select(Event)
            .where(Event.status == EventStatus.SCHEDULED, Event.ends_at < now)
            .order_by(Event.ends_at, Event.id)
            .limit(limit)
        )
    )


async def coordinators(session: AsyncSession, telegram_ids: list[int]) -> list[Person]:
    """Onboarded people with the coordinator role, by grant or by settings."""
    granted = Person.id.in_(select(RoleGrant.person_id).where(RoleGrant.role == Role.COORDINATOR))
    cond = (granted | Person.telegram_id.in_(telegram_ids)) if telegram_ids else granted
    return list(await session.scalars(select(Person).where(cond).order_by(Person.id)))

"""Queries for an event's roster: who answered, who was asked and said nothing, today's events, and
which events had their date changed (kept in key_value: the event table has no column for it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import AskAnswer, EventStatus
from storage.models import Ask, Event, KeyValue, Participation, Person

RESCHEDULED_PREFIX = "event.rescheduled:"


async def answers(session: AsyncSession, event_id: int) -> list[Participation]:
    """Every answer to the event (any status), oldest first: the order places were taken in."""
    return list(
        await session.scalars(
            select(Participation)
            .where(Participation.event_id == event_id)
            .order_by(Participation.updated_at, Participation.id)
        )
    )


async def asked_silent(session: AsyncSession, event_id: int) -> list[Person]:
    """People asked in private for the event who neither answered the ask nor the announcement."""
    answered = select(Participation.person_id).where(Participation.event_id == event_id)
    rows = await session.scalars(
        select(Person)
        .join(Ask, Ask.person_id == Person.id)
        .where(
            Ask.event_id == event_id,
            (Ask.answer.is_(None)) | (Ask.answer == AskAnswer.EXPIRED),
            Person.id.not_in(answered),
        )
        .order_by(Ask.asked_at, Person.id)
    )
    return list(dict.fromkeys(rows))  # asked for two tasks: listed once


async def starting_between(session: AsyncSession, start: datetime, end: datetime) -> list[Event]:
    """Scheduled events starting in [start, end), by start."""
    return list(
        await session.scalars(
            select(Event)
            .where(Event.status == EventStatus.SCHEDULED, Event.starts_at >= start, Event.starts_at < end)
            .order_by(Event.starts_at, Event.id)
        )
    )


async def mark_rescheduled(session: AsyncSession, event_id: int, previous: datetime) -> None:
    """Remember that the event's date changed (its posts say so), with its first date."""
    key = f"{RESCHEDULED_PREFIX}{event_id}"
    row = await session.get(KeyValue, key)
    if row is None:
        session.add(KeyValue(key=key, value={"first": previous.isoformat()}))
        await session.flush()


async def rescheduled(session: AsyncSession, event_ids: list[int]) -> set[int]:
    """Which of these events had their date changed."""
    if not event_ids:
        return set()
    keys = [f"{RESCHEDULED_PREFIX}{eid}" for eid in event_ids]
    found = await session.scalars(select(KeyValue.key).where(KeyValue.key.in_(keys)))
    return {int(k.removeprefix(RESCHEDULED_PREFIX)) for k in found}


async def answers_of(
    session: AsyncSession, person_id: int, event_ids: list[int]
) -> dict[int, tuple[str, str | None]]:
    """One person's answer (status, task) to each of these events: their own /agenda shows it."""
    if not event_ids:
        return {}
    rows = await session.execute(
        select(Participation.event_id, Participation.status, Participation.role).where(
            Participation.person_id == person_id, Participation.event_id.in_(event_ids)
        )
    )
    return {eid: (status, role) for eid, status, role in rows.all()}

"""Read-only queries of the Mini App (webapp/): a week of events, one person's events and asks, the
ledger filtered. Nothing here writes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import EventStatus, RsvpStatus
from storage.models import Ask, Donation, Event, Participation

REGISTERED = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.WAITLIST)


async def events_between(
    session: AsyncSession, start: datetime, end: datetime, limit: int = 200
) -> list[Event]:
    """Scheduled events starting in [start, end), soonest first."""
    stmt = (
        select(Event)
        .where(Event.status == EventStatus.SCHEDULED, Event.starts_at >= start, Event.starts_at < end)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list((await session.scalars(stmt)).unique())


async def my_participations(
    session: AsyncSession, person_id: int, now: datetime, limit: int = 50
) -> list[tuple[Participation, Event]]:
    """The person's answers to events not over yet (yes, maybe, waitlist), soonest first."""
    rows = await session.execute(
        select(Participation, Event)
        .join(Event, Event.id == Participation.event_id)
        .where(
            Participation.person_id == person_id,
            Participation.status.in_(REGISTERED),
            Event.status == EventStatus.SCHEDULED,
            Event.ends_at > now,
        )
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return [(p, e) for p, e in rows.unique().all()]


async def my_open_asks(session: AsyncSession, person_id: int, now: datetime) -> list[tuple[Ask, Event]]:
    """Private asks still waiting for the person's answer, for events not over yet."""
    rows = await session.execute(
        select(Ask, Event)
        .join(Event, Event.id == Ask.event_id)
        .where(
            Ask.person_id == person_id,
            Ask.answer.is_(None),
            Event.status == EventStatus.SCHEDULED,
            Event.ends_at > now,
        )
        .order_by(Event.starts_at, Ask.id)
    )
    return [(a, e) for a, e in rows.unique().all()]


async def ledger(
    session: AsyncSession,
    start: date,
    end: date,
    *,
    ledger: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> list[Donation]:
    """Donations received in [start, end], newest first, with the filters given."""
    stmt = select(Donation).where(Donation.received_on >= start, Donation.received_on <= end)
    if ledger:
        stmt = stmt.where(Donation.ledger == ledger)
    if kind:
        stmt = stmt.where(Donation.kind == kind)
    if status:
        stmt = stmt.where(Donation.status == status)
    return list(await session.scalars(stmt.order_by(Donation.received_on.desc(), Donation.id.desc())))


async def ledger_names(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Donation.ledger).distinct().order_by(Donation.ledger)))


async def donation_years(session: AsyncSession) -> list[int]:
    first = await session.scalar(select(func.min(Donation.received_on)))
    last = await session.scalar(select(func.max(Donation.received_on)))
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))

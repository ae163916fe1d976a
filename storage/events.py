"""Queries on events, their needs, participations, posts in groups and answers given before /start."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.rsvp import Seat
from domain.statuses import REGISTERED, EventStatus, RsvpStatus
from storage.models import Chat, Event, EventPost, Need, Outbox, Participation, PendingRsvp, Person


async def create_event(
    session: AsyncSession,
    *,
    title: str,
    kind: str,
    city_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    description: str,
    needs: list[tuple[str, int]],
    created_by: int | None,
) -> Event:
    event = Event(
        title=title,
        kind=kind,
        city_id=city_id,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description,
        created_by=created_by,
    )
    event.needs = [Need(role=role, count=count) for role, count in needs]
    session.add(event)
    await session.flush()
    return event


async def event_by_id(session: AsyncSession, event_id: int, lock: bool = False) -> Event | None:
    stmt = select(Event).where(Event.id == event_id)
    if lock:
        stmt = stmt.with_for_update(of=Event)
    return await session.scalar(stmt)


async def upcoming(
    session: AsyncSession,
    now: datetime,
    city_id: int | None = None,
    national_too: bool = True,
    person_id: int | None = None,
    limit: int = 30,
) -> list[Event]:
    stmt = select(Event).where(Event.status == EventStatus.SCHEDULED, Event.ends_at > now)
    if person_id is not None:
        stmt = stmt.join(Participation, Participation.event_id == Event.id).where(
            Participation.person_id == person_id, Participation.status.in_(REGISTERED)
        )
    elif city_id is not None:
        cond = Event.city_id == city_id
        stmt = stmt.where(cond | Event.city_id.is_(None)) if national_too else stmt.where(cond)
    return list(await session.scalars(stmt.order_by(Event.starts_at, Event.id).limit(limit)))


async def seats(session: AsyncSession, event_id: int) -> list[Seat]:
    rows = await session.execute(
        select(
            Participation.person_id,
            Participation.status,
            Participation.role,
            Participation.updated_at,
            Participation.guests,
        )
        .where(Participation.event_id == event_id)
        .order_by(Participation.updated_at, Participation.id)
    )
    return [Seat(pid, status, role, since, guests) for pid, status, role, since, guests in rows.all()]


async def participation(session: AsyncSession, event_id: int, person_id: int) -> Participation | None:
    return await session.scalar(
        select(Participation).where(Participation.event_id == event_id, Participation.person_id == person_id)
    )


async def participations(
    session: AsyncSession, event_id: int, statuses: tuple[str, ...]
) -> list[Participation]:
    return list(
        await session.scalars(
            select(Participation)
            .where(Participation.event_id == event_id, Participation.status.in_(statuses))
            .order_by(Participation.updated_at, Participation.id)
        )
    )


async def counts(session: AsyncSession, event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per event: number of people by status, and of `yes` by role (keys 'role:<name>'); the guests
    people bring are counted with them."""
    out: dict[int, dict[str, int]] = {eid: {} for eid in event_ids}
    if not event_ids:
        return out
    rows = await session.execute(
        select(
            Participation.event_id,
            Participation.status,
            Participation.role,
            func.count() + func.coalesce(func.sum(Participation.guests), 0),
        )
        .where(Participation.event_id.in_(event_ids))
        .group_by(Participation.event_id, Participation.status, Participation.role)
    )
    for eid, status, role, n in rows.all():
        bucket = out[eid]
        bucket[status] = bucket.get(status, 0) + n
        if status == RsvpStatus.YES and role:
            bucket[f"role:{role}"] = bucket.get(f"role:{role}", 0) + n
    return out


async def people_by_ids(session: AsyncSession, ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(ids)))}


# --- Posts in groups -------------------------------------------------------------------------------


async def groups_for(session: AsyncSession, city_id: int | None) -> list[Chat]:
    """The groups an event is posted in: its city's, or all for a national event."""
    stmt = select(Chat).where(Chat.active.is_(True), Chat.city_id.is_not(None))
    if city_id is not None:
        stmt = stmt.where(Chat.city_id == city_id)
    return list(await session.scalars(stmt.order_by(Chat.id)))


async def mark_dirty(session: AsyncSession, event_id: int) -> None:
    """The event changed: its posts are edited at the next refresh."""
    # Posts already dirty are left alone: in a crowd, most answers then write nothing here.
    await session.execute(
        update(EventPost).where(EventPost.event_id == event_id, EventPost.dirty.is_(False)).values(dirty=True)
    )


async def last_answer_at(session: AsyncSession, event_ids: list[int]) -> dict[int, datetime]:
    """Per event, when its latest answer was recorded (events without answers are left out)."""
    if not event_ids:
        return {}
    rows = await session.execute(
        select(Participation.event_id, func.max(Participation.updated_at))
        .where(Participation.event_id.in_(event_ids))
        .group_by(Participation.event_id)
    )
    return {eid: at for eid, at in rows.all() if at is not None}


async def dirty_posts(
    session: AsyncSession, edited_before: datetime, limit: int = 100
) -> list[tuple[EventPost, Outbox]]:
    """Dirty posts already sent and not edited too recently, with their sent message."""
    rows = await session.execute(
        select(EventPost, Outbox)
        .join(Outbox, Outbox.dedupe_key == EventPost.outbox_key)
        .where(
            EventPost.dirty.is_(True),
            Outbox.message_id.is_not(None),
            (EventPost.last_edit_at.is_(None)) | (EventPost.last_edit_at < edited_before),
        )
        .limit(limit)
    )
    return [(p, o) for p, o in rows.all()]


async def post_for_message(session: AsyncSession, chat_id: int, message_id: int) -> EventPost | None:
    return await session.scalar(
        select(EventPost)
        .join(Outbox, Outbox.dedupe_key == EventPost.outbox_key)
        .where(Outbox.chat_id == chat_id, Outbox.message_id == message_id)
    )


# --- Answers given before /start -------------------------------------------------------------------


async def save_pending_rsvp(
    session: AsyncSession, telegram_id: int, event_id: int, answer: str, role: str | None
) -> None:
    existing = await session.get(PendingRsvp, (telegram_id, event_id))
    if existing is None:
        session.add(PendingRsvp(telegram_id=telegram_id, event_id=event_id, answer=answer, role=role))
    else:
        existing.answer, existing.role = answer, role
    await session.flush()


async def pop_pending_rsvps(session: AsyncSession, telegram_id: int) -> list[PendingRsvp]:
    rows = list(await session.scalars(select(PendingRsvp).where(PendingRsvp.telegram_id == telegram_id)))
    for row in rows:
        await session.delete(row)
    return rows


# --- Calendars -------------------------------------------------------------------------------------


async def events_ending_after(session: AsyncSession, since: datetime) -> list[Event]:
    """Every event (cancelled ones too) that ends after `since`, by start."""
    return list(await session.scalars(select(Event).where(Event.ends_at > since).order_by(Event.starts_at)))


async def events_to_sync(session: AsyncSession, ended_after: datetime, limit: int) -> list[Event]:
    """Events changed since their last calendar sync (not those long over)."""
    return list(
        await session.scalars(
            select(Event)
            .where(Event.revision != Event.gcal_synced_revision, Event.ends_at > ended_after)
            .limit(limit)
        )
    )


async def mark_synced(session: AsyncSession, event_id: int, gcal_id: str | None, revision: int) -> None:
    event = await session.get(Event, event_id)
    if event is not None:
        event.gcal_id = gcal_id
        event.gcal_synced_revision = revision


async def upcoming_window(
    session: AsyncSession,
    now: datetime,
    offset: int,
    limit: int,
    *,
    city_id: int | None = None,
    person_id: int | None = None,
    count: bool = True,
) -> tuple[list[Event], int]:
    """One page of the upcoming events (a city's with the national ones, or one person's answered
    ones, or all), soonest first, and how many there are in all (the lists page: issue 18).
    `limit` 0 reads the count only; `count` False the rows only (the total then reads -1)."""
    stmt = select(Event).where(Event.status == EventStatus.SCHEDULED, Event.ends_at > now)
    if person_id is not None:
        stmt = stmt.join(Participation, Participation.event_id == Event.id).where(
            Participation.person_id == person_id, Participation.status.in_(REGISTERED)
        )
    elif city_id is not None:
        stmt = stmt.where((Event.city_id == city_id) | Event.city_id.is_(None))
    total = -1
    if count:
        total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if limit <= 0:
        return [], total
    rows = await session.scalars(stmt.order_by(Event.starts_at, Event.id).offset(offset).limit(limit))
    return list(rows), total

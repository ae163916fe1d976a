"""Queries on events, their needs, participations, announcements and asks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.rsvp import Seat
from storage.models import Announcement, Chat, Event, Need, Outbox, Participation, PendingRsvp, Person

SCHEDULED = "scheduled"


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
        title=title, kind=kind, city_id=city_id, starts_at=starts_at, ends_at=ends_at, place=place,
        description=description, created_by=created_by,
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
    session: AsyncSession, now: datetime, city_id: int | None = None, national_too: bool = True,
    person_id: int | None = None, limit: int = 30,
) -> list[Event]:
    stmt = select(Event).where(Event.status == SCHEDULED, Event.ends_at > now)
    if person_id is not None:
        stmt = stmt.join(Participation, Participation.event_id == Event.id).where(
            Participation.person_id == person_id, Participation.status.in_(["yes", "maybe", "waitlist"])
        )
    elif city_id is not None:
        cond = Event.city_id == city_id
        stmt = stmt.where(cond | Event.city_id.is_(None)) if national_too else stmt.where(cond)
    return list(await session.scalars(stmt.order_by(Event.starts_at, Event.id).limit(limit)))


async def seats(session: AsyncSession, event_id: int) -> list[Seat]:
    rows = await session.execute(
        select(Participation.person_id, Participation.status, Participation.role, Participation.updated_at)
        .where(Participation.event_id == event_id)
        .order_by(Participation.updated_at, Participation.id)
    )
    return [Seat(pid, status, role, since) for pid, status, role, since in rows.all()]


async def participation(session: AsyncSession, event_id: int, person_id: int) -> Participation | None:
    return await session.scalar(
        select(Participation).where(Participation.event_id == event_id, Participation.person_id == person_id)
    )


async def participations(session: AsyncSession, event_id: int, statuses: tuple[str, ...]) -> list[Participation]:
    return list(
        await session.scalars(
            select(Participation)
            .where(Participation.event_id == event_id, Participation.status.in_(statuses))
            .order_by(Participation.updated_at, Participation.id)
        )
    )


async def counts(session: AsyncSession, event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per event: number of people by status, and of `yes` by role (keys 'role:<name>')."""
    out: dict[int, dict[str, int]] = {eid: {} for eid in event_ids}
    if not event_ids:
        return out
    rows = await session.execute(
        select(Participation.event_id, Participation.status, Participation.role, func.count())
        .where(Participation.event_id.in_(event_ids))
        .group_by(Participation.event_id, Participation.status, Participation.role)
    )
    for eid, status, role, n in rows.all():
        bucket = out[eid]
        bucket[status] = bucket.get(status, 0) + n
        if status == "yes" and role:
            bucket[f"role:{role}"] = bucket.get(f"role:{role}", 0) + n
    return out


async def groups_for(session: AsyncSession, city_id: int | None) -> list[Chat]:
    """The groups an event is announced in: its city's, or all for a national event."""
    stmt = select(Chat).where(Chat.active.is_(True), Chat.city_id.is_not(None))
    if city_id is not None:
        stmt = stmt.where(Chat.city_id == city_id)
    return list(await session.scalars(stmt.order_by(Chat.id)))


async def announcements(session: AsyncSession, event_id: int) -> list[Announcement]:
    return list(await session.scalars(select(Announcement).where(Announcement.event_id == event_id)))


async def mark_dirty(session: AsyncSession, event_id: int) -> None:
    await session.execute(update(Announcement).where(Announcement.event_id == event_id).values(dirty=True))


async def dirty_announcements(session: AsyncSession, edited_before: datetime, limit: int = 100) -> list[tuple[Announcement, Outbox]]:
    """Dirty announcements already posted and not edited too recently, with their posted message."""
    rows = await session.execute(
        select(Announcement, Outbox)
        .join(Outbox, Outbox.dedupe_key == Announcement.outbox_key)
        .where(
            Announcement.dirty.is_(True),
            Outbox.message_id.is_not(None),
            (Announcement.last_edit_at.is_(None)) | (Announcement.last_edit_at < edited_before),
        )
        .limit(limit)
    )
    return [(a, o) for a, o in rows.all()]


async def announcement_for_message(session: AsyncSession, chat_id: int, message_id: int) -> Announcement | None:
    return await session.scalar(
        select(Announcement)
        .join(Outbox, and_(Outbox.dedupe_key == Announcement.outbox_key))
        .where(Outbox.chat_id == chat_id, Outbox.message_id == message_id)
    )


async def busy_person_ids(session: AsyncSession, starts_at: datetime, ends_at: datetime, exclude_event: int) -> set[int]:
    """People already coming to another event at an overlapping time."""
    rows = await session.scalars(
        select(Participation.person_id)
        .join(Event, Event.id == Participation.event_id)
        .where(
            Event.id != exclude_event, Event.status == SCHEDULED, Participation.status == "yes",
            Event.starts_at < ends_at, Event.ends_at > starts_at,
        )
    )
    return set(rows)


async def save_pending_rsvp(session: AsyncSession, telegram_id: int, event_id: int, answer: str, role: str | None) -> None:
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


async def people_by_ids(session: AsyncSession, ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(ids)))}


# --- Recruitment asks, reminders and attendance (appended for scheduler/ and handlers/recruitment) ---

from datetime import UTC, timedelta  # noqa: E402

from sqlalchemy import case  # noqa: E402

from storage.models import Ask, Recruitment, RoleGrant  # noqa: E402


async def need_by_id(session: AsyncSession, need_id: int) -> Need | None:
    return await session.get(Need, need_id)


async def recruitment(session: AsyncSession, event_id: int, role: str, lock: bool = False) -> Recruitment | None:
    stmt = select(Recruitment).where(Recruitment.event_id == event_id, Recruitment.role == role)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def recruitments_of(session: AsyncSession, event_ids: list[int]) -> list[Recruitment]:
    if not event_ids:
        return []
    return list(await session.scalars(select(Recruitment).where(Recruitment.event_id.in_(event_ids))))


async def active_recruitments(session: AsyncSession) -> list[Recruitment]:
    return list(await session.scalars(select(Recruitment).where(Recruitment.active.is_(True)).order_by(Recruitment.id)))


async def add_ask(session: AsyncSession, event_id: int, role: str, person_id: int, wave: int, now: datetime) -> Ask:
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
        select(Ask, Person).join(Person, Person.id == Ask.person_id)
        .where(Ask.event_id == event_id).order_by(Ask.role, Ask.asked_at, Ask.id)
    )
    return [(a, p) for a, p in rows.all()]


async def asked_person_ids(session: AsyncSession, event_id: int, role: str) -> set[int]:
    """Asked for this role already, or still to answer an ask for another role of the event."""
    rows = await session.scalars(
        select(Ask.person_id).where(Ask.event_id == event_id, (Ask.role == role) | Ask.answer.is_(None))
    )
    return set(rows)


async def open_asks(session: AsyncSession, event_id: int, role: str) -> int:
    return int(await session.scalar(
        select(func.count()).select_from(Ask)
        .where(Ask.event_id == event_id, Ask.role == role, Ask.answer.is_(None))
    ) or 0)


async def ask_stats(session: AsyncSession, since: datetime) -> dict[int, tuple[int, datetime | None]]:
    """Per person ever asked: (asks since `since`, time of the last ask)."""
    rows = await session.execute(
        select(Ask.person_id, func.sum(case((Ask.asked_at > since, 1), else_=0)), func.max(Ask.asked_at))
        .group_by(Ask.person_id)
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
        update(Ask).where(Ask.answer.is_(None), Ask.asked_at < asked_before).values(answer="expired", answered_at=now)
    )
    return result.rowcount or 0


async def cancel_asks_of_closed_events(session: AsyncSession, now: datetime) -> int:
    """Open asks for events cancelled, done or already started are answered 'cancelled'."""
    closed = select(Event.id).where((Event.status != SCHEDULED) | (Event.starts_at <= now))
    result = await session.execute(
        update(Ask).where(Ask.answer.is_(None), Ask.event_id.in_(closed)).values(answer="cancelled", answered_at=now)
    )
    return result.rowcount or 0


async def recruitable_people(session: AsyncSession, city_id: int | None) -> list[Person]:
    """Everyone who could be asked: the event's city, or everyone for a national event."""
    stmt = select(Person)
    if city_id is not None:
        stmt = stmt.where(Person.city_id == city_id)
    return list(await session.scalars(stmt.order_by(Person.id)))


async def participation_by_id(session: AsyncSession, participation_id: int, lock: bool = False) -> Participation | None:
    stmt = select(Participation).where(Participation.id == participation_id)
    if lock:  # the person is joined in: lock the participation row only (PostgreSQL refuses outer joins)
        stmt = stmt.with_for_update(of=Participation)
    return await session.scalar(stmt)


async def due_day_reminders(session: AsyncSession, now: datetime, ahead: timedelta, last_call: timedelta) -> list[tuple[Participation, Event]]:
    """Yes-participations not yet reminded whose event starts within `ahead` but not within `last_call`."""
    rows = await session.execute(
        select(Participation, Event).join(Event, Event.id == Participation.event_id)
        .where(
            Participation.status == "yes", Participation.reminded_day_at.is_(None), Event.status == SCHEDULED,
            Event.starts_at <= now + ahead, Event.starts_at > now + last_call,
        )
        .order_by(Event.starts_at, Participation.id)
    )
    return [(p, e) for p, e in rows.all()]


async def due_soon_reminders(session: AsyncSession, now: datetime, ahead: timedelta) -> list[tuple[Participation, Event]]:
    rows = await session.execute(
        select(Participation, Event).join(Event, Event.id == Participation.event_id)
        .where(
            Participation.status == "yes", Participation.reminded_soon_at.is_(None), Event.status == SCHEDULED,
            Event.starts_at <= now + ahead, Event.starts_at > now,
        )
        .order_by(Event.starts_at, Participation.id)
    )
    return [(p, e) for p, e in rows.all()]


async def ended_events(session: AsyncSession, now: datetime, limit: int = 50) -> list[Event]:
    """Events still 'scheduled' whose end has passed: attendance to ask and report."""
    return list(await session.scalars(
        select(Event).where(Event.status == SCHEDULED, Event.ends_at < now).order_by(Event.ends_at, Event.id).limit(limit)
    ))


async def coordinators(session: AsyncSession, telegram_ids: list[int]) -> list[Person]:
    """Onboarded people with the coordinator role, by grant or by settings."""
    granted = select(RoleGrant.person_id).where(RoleGrant.role == "coordinator")
    cond = Person.id.in_(granted)
    if telegram_ids:
        cond = cond | Person.telegram_id.in_(telegram_ids)
    return list(await session.scalars(select(Person).where(cond).order_by(Person.id)))


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

"""Organising events: create one (/evenement), list, change or cancel one's events (/mes_evenements).

Who may do what is decided by the organiser's roles now (domain.events), at every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from capabilities.events import agenda
from capabilities.events.ical import write_ics_file
from domain.events import DEFAULT_DURATION_MINUTES, creatable_cities, may_manage
from domain.people import Role
from domain.statuses import REGISTERED, EventStatus
from storage import events as q
from storage import people as pq
from storage.models import Event, Person

MY_EVENTS_LIMIT = 50


@dataclass(frozen=True)
class Organiser:
    """The person acting and their roles now."""

    person: Person
    roles: frozenset[Role]


class Refused(StrEnum):
    GONE = "gone"  # no such event, or not scheduled any more
    DENIED = "denied"  # not the organiser's event (any more)


@dataclass(frozen=True)
class NewEvent:
    title: str
    kind: str
    city_id: int | None
    starts_at: datetime
    ends_at: datetime | None
    place: str
    description: str
    needs: list[tuple[str, int]]


async def _creatable(session: AsyncSession, who: Organiser, national: str) -> list[tuple[int | None, str]]:
    cities = [(c.id, c.name) for c in await pq.cities(session)]
    return creatable_cities(who.roles, pq.grants_of(who.person), who.person.city_id, cities, national)


async def cities_for(services: Services, who: Organiser, national: str) -> list[tuple[int | None, str]]:
    """Where the organiser may create an event, as (city id, name); None is national, named `national`."""
    async with services.db.session() as s:
        return await _creatable(s, who, national)


async def create(services: Services, who: Organiser, new: NewEvent) -> int | None:
    """Save the event and post it in its groups; how many groups, None when the city is no longer
    the organiser's."""
    async with services.transaction() as s:
        if new.city_id not in dict(await _creatable(s, who, "")):
            return None
        event = await q.create_event(
            s,
            title=new.title,
            kind=new.kind,
            city_id=new.city_id,
            starts_at=new.starts_at,
            ends_at=new.ends_at or new.starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES),
            place=new.place,
            description=new.description,
            needs=new.needs,
            created_by=who.person.id,
        )
        await s.refresh(event, ["city", "needs"])
        groups = await agenda.announce(s, event)
        await pq.audit(s, who.person, "event.created", f"event:{event.id}", title=event.title)
    await write_ics_file(services)
    return groups


async def _may_manage(session: AsyncSession, who: Organiser, event: Event) -> bool:
    city_ids = {c.name: c.id for c in await pq.cities(session)}
    person = who.person
    return may_manage(
        who.roles, pq.grants_of(person), person.id, person.city_id, city_ids, event.city_id, event.created_by
    )


async def my_events(services: Services, who: Organiser, now: datetime) -> list[Event]:
    """Upcoming events the organiser may change or cancel."""
    async with services.db.session() as s:
        return [e for e in await q.upcoming(s, now, limit=MY_EVENTS_LIMIT) if await _may_manage(s, who, e)]


async def _managed(
    session: AsyncSession, who: Organiser, event_id: int, lock: bool = False
) -> Event | Refused:
    event = await q.event_by_id(session, event_id, lock=lock)
    if event is None or event.status != EventStatus.SCHEDULED:
        return Refused.GONE
    if not await _may_manage(session, who, event):
        return Refused.DENIED
    return event


async def managed_event(services: Services, who: Organiser, event_id: int) -> Event | Refused:
    """The event, when it is still scheduled and the organiser may manage it."""
    async with services.db.session() as s:
        return await _managed(s, who, event_id)


async def registered(services: Services, event_id: int) -> int:
    """How many people are registered (yes, maybe, waitlist): they are told of a change."""
    async with services.db.session() as s:
        return len(await q.participations(s, event_id, REGISTERED))


async def change(
    services: Services,
    who: Organiser,
    event_id: int,
    *,
    title: str | None = None,
    place: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> int | Refused:
    """Change the title, the place or the date (a new start without an end keeps the length); the
    people registered are told. Returns how many."""
    async with services.transaction() as s:
        event = await _managed(s, who, event_id, lock=True)
        if isinstance(event, Refused):
            return event
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = title
        if place is not None:
            changes["place"] = place
        if starts_at is not None:
            changes["starts_at"] = starts_at
            changes["ends_at"] = ends_at or starts_at + (event.ends_at - event.starts_at)
        count = await agenda.change_event(s, event, **changes)
        await pq.audit(s, who.person, "event.changed", f"event:{event.id}", fields=sorted(changes))
    await write_ics_file(services)
    return count


async def cancel(services: Services, who: Organiser, event_id: int) -> int | Refused:
    """Cancel the event; the people registered are told. Returns how many."""
    async with services.transaction() as s:
        event = await _managed(s, who, event_id, lock=True)
        if isinstance(event, Refused):
            return event
        count = await agenda.cancel_event(s, event)
        await pq.audit(s, who.person, "event.cancelled", f"event:{event.id}")
    await write_ics_file(services)
    return count

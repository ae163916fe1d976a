"""Organising events: create one (/evenement), list, change or cancel one's events (/mes_evenements).

Who may do what is decided by the organiser's roles now (domain.events), at every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from capabilities.events import agenda, render
from capabilities.events.ical import write_ics_file
from domain.communication import law
from domain.events import DEFAULT_DURATION_MINUTES, creatable_cities, may_manage
from domain.fundraising import LEVEE_KIND, Progress
from domain.people import Role
from domain.statuses import REGISTERED, EventStatus
from storage import com_planning, outbox
from storage import donations as dq
from storage import events as q
from storage import people as pq
from storage import roster as rs
from storage.models import Donation, Event, Person

MY_EVENTS_LIMIT = 500  # /mes_evenements pages them all (issue 18): none left out unsaid
# A fundraiser stays in /mes_evenements (and in /don's choices) this long after it ended.
FUNDRAISER_DAYS = timedelta(days=30)
# Who may see the names of a fundraiser's donors (rules 33 and 41 of docs/legal-rules.md).
DONOR_NAMES_ROLES = frozenset({Role.TREASURER, Role.COORDINATOR})


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
    goal_cents: int | None = None  # a levée de fonds's goal, shown on its post


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
        if new.kind == LEVEE_KIND:
            event.fundraising_goal_cents = new.goal_cents
        await s.refresh(event, ["city", "needs"])
        groups = await agenda.announce(s, event)
        await pq.audit(s, who.person, "event.created", f"event:{event.id}", title=event.title)
    await write_ics_file(services)
    return groups


async def election_days(services: Services) -> list[date]:
    """Polling days for the electoral silence (rule 1 of docs/communication-rules.md): the
    settings' and the campaign ledgers' first rounds with their second rounds (the same days as
    the posts: domain.communication.law.polling_days)."""
    async with services.db.session() as s:
        ledgers = await com_planning.election_days(s)
    return law.polling_days(services.settings.election_days, ledgers)


def silence_day(kind: str, starts_at: datetime, days: list[str], tz: ZoneInfo) -> date | None:
    """The polling day whose silence (code électoral, art. L49) a campaigning event falls in: a
    warning for the organiser, not a block. `days` are ISO dates (kept in the form's draft)."""
    return law.event_in_silence(kind, starts_at, [date.fromisoformat(d) for d in days], tz)


async def _may_manage(session: AsyncSession, who: Organiser, event: Event) -> bool:
    city_ids = {c.name: c.id for c in await pq.cities(session)}
    person = who.person
    return may_manage(
        who.roles, pq.grants_of(person), person.id, person.city_id, city_ids, event.city_id, event.created_by
    )


async def my_events(services: Services, who: Organiser, now: datetime) -> list[Event]:
    """Upcoming events the organiser may change or cancel, and their fundraisers that ended in the
    last FUNDRAISER_DAYS (money still comes in: the organiser follows the total)."""
    async with services.db.session() as s:
        events = await q.upcoming(s, now, limit=MY_EVENTS_LIMIT)
        shown = {e.id for e in events}
        ended = [
            e
            for e in await dq.open_levee_events(s, now - FUNDRAISER_DAYS)
            if e.id not in shown and e.status == EventStatus.SCHEDULED
        ]
        # The cities read once for the whole list (not once per event: /mes_evenements at a month's volume).
        city_ids = {c.name: c.id for c in await pq.cities(s)}
        person = who.person
        grants = pq.grants_of(person)
        return [
            e
            for e in [*ended, *events]
            if may_manage(who.roles, grants, person.id, person.city_id, city_ids, e.city_id, e.created_by)
        ]


async def _managed(
    session: AsyncSession, who: Organiser, event_id: int, lock: bool = False
) -> Event | Refused:
    event = await q.event_by_id(session, event_id, lock=lock)
    if event is None or event.status != EventStatus.SCHEDULED:
        return Refused.GONE
    if not await _may_manage(session, who, event):
        return Refused.DENIED
    return event


async def managed_in(
    session: AsyncSession, who: Organiser, event_id: int, lock: bool = False
) -> Event | Refused:
    """The same check inside the caller's transaction (the roster: capabilities/events/roster.py)."""
    return await _managed(session, who, event_id, lock)


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


def new_end(event: Event, starts_at: datetime, ends_at: datetime | None) -> datetime:
    """A new date keeps the event's length unless an end was given with it."""
    if ends_at is not None and ends_at > starts_at:
        return ends_at
    return starts_at + (event.ends_at - event.starts_at)


async def reschedule(
    services: Services, who: Organiser, event_id: int, starts_at: datetime, ends_at: datetime | None
) -> int | Refused:
    """Move the event to the date the organiser confirmed in words. Its posts show that the date
    changed; each person registered is told the new date once (one outbox row per change and
    person). Returns how many were told."""
    async with services.transaction() as s:
        event = await _managed(s, who, event_id, lock=True)
        if isinstance(event, Refused):
            return event
        previous = event.starts_at
        event.ends_at = new_end(event, starts_at, ends_at)
        event.starts_at = starts_at
        event.revision += 1
        await s.flush()
        await q.mark_dirty(s, event.id)
        await rs.mark_rescheduled(s, event.id, previous)
        told = 0
        for row in await q.participations(s, event.id, REGISTERED):
            person, lang = row.person, row.person.language
            text = t(
                lang,
                "roster.date_notice",
                title=event.title,
                when=render.when(event, lang),
                place=event.place or "—",
            )
            told += await outbox.enqueue(
                s,
                person.telegram_id,
                text_message(text),
                dedupe_key=f"moved:{event.id}:{event.revision}:{person.id}",
                person_id=person.id,
            )
        await pq.audit(s, who.person, "event.rescheduled", f"event:{event.id}", told=told)
    await write_ics_file(services)
    return told


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


# --- Fundraisers (levée de fonds) -------------------------------------------------------------------


async def progress(services: Services, event: Event) -> Progress | None:
    """What a fundraiser raised (recorded gifts linked to it), against its goal; None otherwise."""
    if event.kind != LEVEE_KIND:
        return None
    async with services.db.session() as s:
        count, cents = (await dq.raised_by_event(s, [event.id])).get(event.id, (0, 0))
    return Progress(cents, count, event.fundraising_goal_cents)


async def set_goal(
    services: Services, who: Organiser, event_id: int, goal_cents: int | None
) -> Refused | None:
    """Change a fundraiser's goal; its posts are edited at the next refresh. Nobody is notified:
    the goal is not something registered people plan around."""
    async with services.transaction() as s:
        event = await _managed(s, who, event_id, lock=True)
        if isinstance(event, Refused):
            return event
        if event.kind != LEVEE_KIND:
            return Refused.GONE
        event.fundraising_goal_cents = goal_cents
        event.revision += 1
        await s.flush()
        await q.mark_dirty(s, event.id)
        await pq.audit(s, who.person, "event.goal_changed", f"event:{event.id}", goal_cents=goal_cents)
    return None


async def set_ha_form(
    services: Services, who: Organiser, event_id: int, slug: str | None
) -> Refused | Event | None:
    """Link a fundraiser to its HelloAsso form (or unlink it with None): the sync books that form's
    tickets and dons toward it (capabilities/donations/helloasso.py). A form already linked to
    another event is refused: that event is returned. Payments already recorded keep their link."""
    from storage import helloasso as hq

    async with services.transaction() as s:
        event = await _managed(s, who, event_id, lock=True)
        if isinstance(event, Refused):
            return event
        if event.kind != LEVEE_KIND:
            return Refused.GONE
        if slug is not None:
            other = await hq.event_by_form_slug(s, slug)
            if other is not None and other.id != event.id:
                return other
        event.helloasso_form_slug = slug
        await s.flush()
        await pq.audit(s, who.person, "event.ha_form_changed", f"event:{event.id}", slug=slug)
    return None


def may_see_donors(who: Organiser) -> bool:
    return bool(who.roles & DONOR_NAMES_ROLES)


async def donors(services: Services, who: Organiser, event_id: int) -> list[Donation] | Refused:
    """The recorded gifts of a fundraiser with their donors (a collection has none), for the
    treasury and coordination only, checked at each call; the look is audited."""
    if not may_see_donors(who):
        return Refused.DENIED
    async with services.transaction() as s:
        event = await _managed(s, who, event_id)
        if isinstance(event, Refused):
            return event
        if event.kind != LEVEE_KIND:
            return Refused.GONE
        gifts = await dq.event_donations(s, event.id)
        await pq.audit(s, who.person, "event.donors_viewed", f"event:{event.id}", count=len(gifts))
    return gifts

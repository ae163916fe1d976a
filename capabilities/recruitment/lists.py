"""/besoins as one paged message: the events short of people, a page at a time, in one city or in
every city the organiser sees; each event opens in the same message with its « Relancer » buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import paging
from bot.services import Services
from capabilities.events import render
from capabilities.events.organise import Organiser
from capabilities.recruitment import scope_of
from storage import events as q
from storage import people as pq
from storage import recruitment as rq
from storage.models import Event

NEEDS_PAGE = 6  # events per page: each takes three or four lines
UPCOMING_MAX = 500  # events looked at (a month holds about 60)


@dataclass(frozen=True)
class NeedsPage:
    events: list[Event]  # the page's events
    counts: dict[int, dict[str, int]]
    pending: dict[tuple[int, str], int]  # unanswered asks per (event, role), for the page's events
    window: paging.Window
    city_id: int  # 0: every city the organiser sees
    city: str  # the city's name ("" for every city)
    cities: list[tuple[int, str]]  # the cities the organiser may filter by


async def needs_page(
    services: Services, who: Organiser, now: datetime, page: int = 0, city_id: int = 0
) -> NeedsPage:
    """One page of the upcoming events of the organiser's cities that still miss people, soonest
    first. `city_id` narrows to one of those cities (another city, forged, is ignored)."""
    async with services.db.session() as s:
        scope = await scope_of(s, who)
        cities = [(c.id, c.name) for c in await pq.cities(s) if scope is None or c.id in scope]
        names = dict(cities)
        city_id = city_id if city_id in names else 0
        if city_id:
            events = await q.upcoming(s, now, city_id=city_id, national_too=scope is None, limit=UPCOMING_MAX)
        elif scope is None:
            events = await q.upcoming(s, now, limit=UPCOMING_MAX)
        else:
            events = [
                e
                for cid in sorted(scope)
                for e in await q.upcoming(s, now, city_id=cid, national_too=False, limit=UPCOMING_MAX)
            ]
        events = sorted(
            (e for e in events if e.starts_at > now and e.needs), key=lambda e: (e.starts_at, e.id)
        )
        counts = await q.counts(s, [e.id for e in events])
        short = [e for e in events if any(f.missing for f in render.fills(e, counts[e.id]))]
        win = paging.window(len(short), page, NEEDS_PAGE)
        shown = win.slice(short)
        pending = await rq.open_asks_by_role(s, [e.id for e in shown])
    return NeedsPage(
        shown, {e.id: counts[e.id] for e in shown}, pending, win, city_id, names.get(city_id, ""), cities
    )


async def needs_of(
    services: Services, who: Organiser, event_id: int
) -> tuple[Event, dict[str, int], dict[tuple[int, str], int]] | None:
    """One event's needs, to open from the list; None when it is gone or outside the organiser's cities."""
    async with services.db.session() as s:
        event = await q.event_by_id(s, event_id)
        scope = await scope_of(s, who)
        if event is None or (scope is not None and event.city_id not in scope):
            return None
        counts = (await q.counts(s, [event.id]))[event.id]
        pending = await rq.open_asks_by_role(s, [event.id])
    return event, counts, pending

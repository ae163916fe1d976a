"""The agenda feed: sent on demand, and kept up to date in a file for web serving."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.services import Services
from domain.statuses import EventStatus
from integrations.ical import IcsEvent, build_calendar
from storage import events as q

log = logging.getLogger(__name__)
# Cancelled and past events stay in the feed a while, so that subscribed calendars update them.
KEEP_PAST = timedelta(days=60)


async def agenda_ics(services: Services, now: datetime | None = None) -> bytes:
    since = (now or datetime.now(UTC)) - KEEP_PAST
    async with services.db.session() as s:
        events = await q.events_ending_after(s, since)
    items = [
        IcsEvent(
            uid=f"event-{e.id}@coordo",
            title=f"{e.title} ({e.city.name})" if e.city else e.title,
            start=e.starts_at,
            end=e.ends_at,
            location=e.place,
            description=e.description,
            cancelled=e.status == EventStatus.CANCELLED,
            sequence=e.revision,
            updated=e.updated_at,
        )
        for e in events
    ]
    return build_calendar(items)


async def write_ics_file(services: Services) -> None:
    """Rewrite the feed file atomically (a web server may be reading it)."""
    path = Path(services.settings.ics_path)
    try:
        data = await agenda_ics(services)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError as exc:  # the feed is a convenience: never fail the user's action for it
        log.warning("could not write the agenda file %s: %s", path, exc)
    from capabilities.events.feed import write_json_file  # the JSON feed goes with the .ics

    await write_json_file(services)

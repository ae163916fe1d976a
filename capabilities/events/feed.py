"""The public agenda feed in JSON, next to the .ics: what any website can embed.

Only scheduled public events (domain.communication.planning.is_public: a public kind, and a
« réunion » only when it says « publique » or « ouverte ») that are not over; only what the public
may read: title, kind, city, times and the place as typed. Never who organises or who comes, and
never the description: it is free text that may hold a home address or a phone number, and no
column lets an organiser mark it public (adding one needs a migration), so it stays out.

Electoral silence (code électoral L49, docs/communication-rules.md rule 1): from 00:00 on the eve
of a polling day until 20:00 on that day no new propaganda may be put out, but content already
online may stay. So during the window the feed keeps the events it already listed (created before
the window opened) and adds none created since. Written atomically each time the .ics is
(capabilities.events.ical.write_ics_file).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.services import Services
from domain.communication import law
from domain.communication.planning import is_public
from domain.statuses import EventStatus
from storage import com_planning
from storage import events as q
from storage.models import Event

log = logging.getLogger(__name__)
VERSION = 1
LIMIT = 500


def _aware(when: datetime) -> datetime:
    # SQLite gives naive UTC datetimes back.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _item(event: Event) -> dict[str, Any]:
    return {
        "id": f"event-{event.id}",  # the same uid as the .ics
        "title": event.title,
        "kind": event.kind,
        "city": event.city.name if event.city else None,
        "starts_at": event.starts_at.astimezone(UTC).isoformat(),
        "ends_at": event.ends_at.astimezone(UTC).isoformat(),
        "place": event.place,
    }


async def agenda_json(services: Services, now: datetime | None = None) -> dict[str, Any]:
    moment = now or datetime.now(UTC)
    settings = services.settings
    async with services.db.session() as s:
        events = await q.events_ending_after(s, moment)
        days = law.polling_days(settings.election_days, await com_planning.election_days(s))
    public = [
        e for e in events if e.status == EventStatus.SCHEDULED and is_public(e.kind, e.title, e.description)
    ]
    silenced = law.silence_day(moment, days, settings.tz)
    if silenced is not None:  # L49: what was online stays, nothing new is added
        opened = law.silence_window(silenced, settings.tz)[0]
        public = [e for e in public if _aware(e.created_at) < opened]
    return {
        "version": VERSION,
        "generated_at": moment.astimezone(UTC).isoformat(),
        "timezone": services.settings.tz.key,
        "events": [_item(e) for e in public[:LIMIT]],
    }


async def write_json_file(services: Services, now: datetime | None = None) -> None:
    """Rewrite the JSON feed atomically (a web server may be reading it)."""
    path = Path(services.settings.agenda_json_path)
    try:
        data = json.dumps(await agenda_json(services, now), ensure_ascii=False, indent=1).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError as exc:  # the feed is a convenience: never fail the user's action for it
        log.warning("could not write the agenda feed %s: %s", path, exc)

"""Mirror the agenda in the movement's Google Calendar: create, update, cancel, at most once per change."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from bot.services import Services
from domain.statuses import EventStatus
from integrations.calendar import CalendarClient, CalendarEvent
from integrations.google_api import GoogleApiError
from integrations.google_auth import SCOPES, CredentialStore, GoogleAuthError
from storage import events as q
from storage.models import Event

log = logging.getLogger(__name__)
BATCH = 50
# Events over for longer than this are no longer kept in sync.
KEEP_SYNCING = timedelta(days=30)


def calendar_client(services: Services) -> CalendarClient | None:
    """The configured client (tests put one pointing at a fake server in services.extras)."""
    client = services.extras.get("calendar")
    if isinstance(client, CalendarClient):
        return client
    settings = services.settings
    if not settings.google_calendar_id or not Path(settings.google_token_path).exists():
        return None
    client = CalendarClient(
        CredentialStore(settings.google_token_path, SCOPES),
        settings.google_calendar_id,
        api_endpoint=settings.google_calendar_api_endpoint,
    )
    services.extras["calendar"] = client
    return client


def as_calendar_event(event: Event) -> CalendarEvent:
    title = f"{event.title} ({event.city.name})" if event.city else event.title
    return CalendarEvent(
        uid=f"coordo-event-{event.id}",
        title=title,
        start=event.starts_at,
        end=event.ends_at,
        description=event.description,
        location=event.place,
    )


async def run(services: Services, now: datetime) -> int:
    client = calendar_client(services)
    if client is None:
        return 0
    async with services.db.session() as s:
        events = await q.events_to_sync(s, now - KEEP_SYNCING, BATCH)
    synced = 0
    for event in events:
        try:
            if event.status == EventStatus.CANCELLED:
                if event.gcal_id:
                    await client.cancel_event(event.gcal_id)
                gcal_id = event.gcal_id
            elif event.gcal_id:
                await client.update_event(event.gcal_id, as_calendar_event(event))
                gcal_id = event.gcal_id
            else:
                gcal_id = await client.create_event(as_calendar_event(event))
        except (GoogleApiError, GoogleAuthError) as exc:  # tried again at the next tick
            log.warning("calendar sync of event %s failed: %s", event.id, exc)
            continue
        async with services.db.session() as s:
            # Only the revision that was sent counts as synced: a change made meanwhile goes next time.
            await q.mark_synced(s, event.id, gcal_id, event.revision)
        synced += 1
    return synced

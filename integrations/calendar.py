"""Google Calendar adapter: mirror the movement's events into a shared calendar."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from integrations.google_api import CredentialsFactory, GoogleApiError, GoogleNotFound, GoogleService

PARIS = "Europe/Paris"


@dataclass
class CalendarEvent:
    uid: str  # our stable id for the event (the Google id is derived from it)
    title: str
    start: datetime  # timezone-aware
    end: datetime  # timezone-aware
    description: str = ""
    location: str = ""
    timezone: str = PARIS

    def to_google(self) -> dict[str, Any]:
        for name in ("start", "end"):
            if getattr(self, name).tzinfo is None:
                raise ValueError(f"CalendarEvent.{name} must be timezone-aware")
        return {
            "summary": self.title,
            "description": self.description,
            "location": self.location,
            "start": {"dateTime": self.start.isoformat(), "timeZone": self.timezone},
            "end": {"dateTime": self.end.isoformat(), "timeZone": self.timezone},
            "extendedProperties": {"private": {"coordo_uid": self.uid}},
        }


def event_id_for_uid(uid: str) -> str:
    """Deterministic Google event id (base32hex alphabet: 0-9 and a-v; hex digits qualify).

    Choosing the id ourselves makes events.insert idempotent: a retry after a lost answer
    gets 409 instead of creating a duplicate event.
    """
    return "coordo" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40]


class CalendarClient:
    def __init__(
        self,
        credentials_factory: CredentialsFactory,
        calendar_id: str,
        api_endpoint: str | None = None,
        retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 32.0,
        timeout: float = 30.0,
        send_updates: str = "none",
    ) -> None:
        self.calendar_id = calendar_id
        self.send_updates = send_updates
        self._api = GoogleService(
            "calendar",
            "v3",
            credentials_factory,
            api_endpoint=api_endpoint,
            service_path="calendar/v3/",
            retries=retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            timeout=timeout,
        )

    async def create_event(self, event: CalendarEvent) -> str:
        """Insert the event; returns its Google id. Creating the same uid again updates it."""
        body = {"id": event_id_for_uid(event.uid), **event.to_google()}
        try:
            created = await self._api.call(
                lambda s: s.events().insert(
                    calendarId=self.calendar_id, body=body, sendUpdates=self.send_updates
                ),
                what="calendar.events.insert",
            )
        except GoogleApiError as exc:
            if exc.status != 409:
                raise
            # Already there: a retried insert whose first answer was lost, or an event cancelled
            # earlier (Google keeps the id reserved): bring it in line with ``event``.
            await self.update_event(body["id"], event)
            return str(body["id"])
        return str(created["id"])

    async def update_event(self, google_id: str, event: CalendarEvent) -> None:
        # patch, not update: keeps what people added in Google Calendar (attendees, colour...).
        body = {**event.to_google(), "status": "confirmed"}
        await self._api.call(
            lambda s: s.events().patch(
                calendarId=self.calendar_id, eventId=google_id, body=body, sendUpdates=self.send_updates
            ),
            what="calendar.events.patch",
        )

    async def cancel_event(self, google_id: str) -> None:
        """Delete (Google marks it cancelled); an event already gone counts as cancelled."""
        try:
            await self._api.call(
                lambda s: s.events().delete(
                    calendarId=self.calendar_id, eventId=google_id, sendUpdates=self.send_updates
                ),
                what="calendar.events.delete",
            )
        except GoogleNotFound:  # 404 or 410 Gone: a retry after a lost answer, or deleted by hand
            return

    async def get_event(self, google_id: str) -> dict[str, Any] | None:
        """The raw Google event (``status`` may be "cancelled"), or None when unknown."""
        try:
            found: dict[str, Any] = await self._api.call(
                lambda s: s.events().get(calendarId=self.calendar_id, eventId=google_id),
                what="calendar.events.get",
            )
        except GoogleNotFound:
            return None
        return found

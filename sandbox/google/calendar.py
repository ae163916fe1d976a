"""Fake Google Calendar API (v3): events of in-memory calendars."""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sandbox.google.server import FakeHttpError, FakeServer, RecordedRequest, Response, paginate

_BASE = r"/calendar/v3/calendars/(?P<cal>[^/]+)/events"
_ID = re.compile(r"[a-v0-9]{5,1024}")
# Fields a client may write; update (PUT) replaces exactly these.
_WRITABLE = (
    "summary",
    "description",
    "location",
    "start",
    "end",
    "status",
    "extendedProperties",
    "attendees",
    "colorId",
    "transparency",
    "visibility",
    "reminders",
    "recurrence",
    "source",
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _when(value: Any, field: str) -> datetime:
    if not isinstance(value, dict) or not (value.get("dateTime") or value.get("date")):
        raise FakeHttpError(400, f"Missing {field} time.", "required")
    raw = value.get("dateTime") or value["date"]
    try:
        parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError as exc:
        raise FakeHttpError(400, f"Invalid {field} time.", "invalid") from exc
    if parsed.tzinfo is None and not value.get("timeZone"):
        raise FakeHttpError(400, "Missing time zone definition for start time.", "required")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    """Patch semantics: objects merge field by field, anything else (lists too) is replaced."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


class FakeCalendar(FakeServer):
    def __init__(
        self, calendars: Iterable[str] = ("primary",), token_validator: Callable[[str], bool] | None = None
    ) -> None:
        super().__init__(token_validator)
        self.events: dict[str, dict[str, dict[str, Any]]] = {cal: {} for cal in calendars}

    def add_calendar(self, calendar_id: str) -> None:
        with self.lock:
            self.events.setdefault(calendar_id, {})

    def event(self, calendar_id: str, event_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self.events[calendar_id][event_id])

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", _BASE, self._list),
            ("POST", _BASE, self._insert),
            ("GET", _BASE + "/(?P<eid>[^/]+)", self._get),
            ("PUT", _BASE + "/(?P<eid>[^/]+)", self._update),
            ("PATCH", _BASE + "/(?P<eid>[^/]+)", self._patch),
            ("DELETE", _BASE + "/(?P<eid>[^/]+)", self._delete),
        ]

    def _calendar(self, cal: str) -> dict[str, dict[str, Any]]:
        if cal not in self.events:
            raise FakeHttpError(404, "Not Found", "notFound")
        return self.events[cal]

    def _existing(self, cal: str, eid: str) -> dict[str, Any]:
        event = self._calendar(cal).get(eid)
        if event is None:
            raise FakeHttpError(404, "Not Found", "notFound")
        return event

    def _validate(self, event: dict[str, Any]) -> None:
        start, end = _when(event.get("start"), "start"), _when(event.get("end"), "end")
        if end < start:
            raise FakeHttpError(400, "The specified time range is empty.", "timeRangeEmpty")

    def _touch(self, cal: str, event: dict[str, Any]) -> dict[str, Any]:
        event["updated"] = _now()
        event["etag"] = f'"{uuid.uuid4().int % 10**16}"'
        event["htmlLink"] = f"https://www.google.com/calendar/event?eid={event['id']}"
        event.setdefault("organizer", {"email": cal, "self": True})
        return copy.deepcopy(event)

    def _insert(self, req: RecordedRequest, cal: str) -> dict[str, Any]:
        events = self._calendar(cal)
        body = req.json or {}
        eid = body.get("id") or uuid.uuid4().hex[:26]
        if not _ID.fullmatch(eid):
            raise FakeHttpError(400, "Invalid resource id value.", "invalid")
        if eid in events:  # Google keeps the id of a deleted event reserved
            raise FakeHttpError(409, "The requested identifier already exists.", "duplicate")
        event = {k: copy.deepcopy(v) for k, v in body.items() if k in _WRITABLE}
        event.update(
            id=eid,
            kind="calendar#event",
            status=body.get("status", "confirmed"),
            created=_now(),
            sequence=0,
            iCalUID=body.get("iCalUID") or f"{eid}@google.com",
        )
        self._validate(event)
        events[eid] = event
        return self._touch(cal, event)

    def _get(self, req: RecordedRequest, cal: str, eid: str) -> dict[str, Any]:
        return copy.deepcopy(self._existing(cal, eid))

    def _update(self, req: RecordedRequest, cal: str, eid: str) -> dict[str, Any]:
        event = self._existing(cal, eid)
        body = req.json or {}
        replacement = {k: copy.deepcopy(v) for k, v in body.items() if k in _WRITABLE}
        self._validate(replacement)
        for key in _WRITABLE:
            event.pop(key, None)
        event.update(replacement)
        event.setdefault("status", "confirmed")
        event["sequence"] = event.get("sequence", 0) + 1
        return self._touch(cal, event)

    def _patch(self, req: RecordedRequest, cal: str, eid: str) -> dict[str, Any]:
        event = self._existing(cal, eid)
        candidate = copy.deepcopy(event)
        _merge(candidate, {k: v for k, v in (req.json or {}).items() if k in _WRITABLE})
        self._validate(candidate)
        event.clear()
        event.update(candidate)
        event["sequence"] = event.get("sequence", 0) + 1
        return self._touch(cal, event)

    def _delete(self, req: RecordedRequest, cal: str, eid: str) -> Response:
        event = self._existing(cal, eid)
        if event.get("status") == "cancelled":
            raise FakeHttpError(410, "Resource has been deleted", "deleted")
        event["status"] = "cancelled"
        self._touch(cal, event)
        return Response(204, None)

    def _list(self, req: RecordedRequest, cal: str) -> dict[str, Any]:
        events = list(self._calendar(cal).values())
        show_deleted = req.param("showDeleted") == "true"
        time_min, time_max = req.param("timeMin"), req.param("timeMax")
        private = [p.split("=", 1) for p in req.query.get("privateExtendedProperty", []) if "=" in p]
        found = []
        for event in events:
            if event.get("status") == "cancelled" and not show_deleted:
                continue
            start, end = _when(event["start"], "start"), _when(event["end"], "end")
            if time_min and end <= datetime.fromisoformat(time_min.replace("Z", "+00:00")):
                continue
            if time_max and start >= datetime.fromisoformat(time_max.replace("Z", "+00:00")):
                continue
            props = event.get("extendedProperties", {}).get("private", {})
            if any(props.get(k) != v for k, v in private):
                continue
            found.append(copy.deepcopy(event))
        found.sort(key=lambda e: _when(e["start"], "start"))
        page, token = paginate(found, req, default=250, maximum=2500)
        result: dict[str, Any] = {"kind": "calendar#events", "summary": cal, "items": page, "updated": _now()}
        if token:
            result["nextPageToken"] = token
        return result

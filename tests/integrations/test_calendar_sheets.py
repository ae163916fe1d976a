"""Calendar and Sheets adapters through the real client against the fakes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from integrations.calendar import CalendarClient, CalendarEvent, event_id_for_uid
from integrations.google_api import GoogleApiError
from integrations.sheets import SheetsClient
from sandbox.google import FakeCalendar, FakeSheets

PARIS = ZoneInfo("Europe/Paris")
CAL = "coordo-test@group.calendar.google.com"
SHEET = "1FakeSpreadsheetId"


def _event(uid: str = "evt-42", **changes: object) -> CalendarEvent:
    start = datetime(2025, 6, 21, 18, 0, tzinfo=PARIS)
    fields: dict[str, Any] = {
        "uid": uid,
        "title": "Fête de la musique — stand",
        "start": start,
        "end": start + timedelta(hours=3),
        "description": "Apporter les tracts",
        "location": "Place de la République, Paris",
    }
    fields.update(changes)
    return CalendarEvent(**fields)


# --- Calendar -----------------------------------------------------------------------------


async def test_calendar_create_update_cancel(calendar: CalendarClient, calendar_fake: FakeCalendar) -> None:
    google_id = await calendar.create_event(_event())
    assert google_id == event_id_for_uid("evt-42")
    stored = calendar_fake.event(CAL, google_id)
    assert stored["summary"] == "Fête de la musique — stand"
    assert stored["start"] == {"dateTime": "2025-06-21T18:00:00+02:00", "timeZone": "Europe/Paris"}
    assert stored["location"] == "Place de la République, Paris"
    assert stored["extendedProperties"]["private"]["coordo_uid"] == "evt-42"
    assert stored["status"] == "confirmed"

    calendar_fake.events[CAL][google_id]["attendees"] = [{"email": "someone@example.fr"}]  # added by a human
    later = datetime(2025, 6, 21, 19, 0, tzinfo=PARIS)
    await calendar.update_event(
        google_id, _event(title="Stand (décalé)", start=later, end=later + timedelta(hours=2))
    )
    stored = calendar_fake.event(CAL, google_id)
    assert stored["summary"] == "Stand (décalé)"
    assert stored["end"]["dateTime"] == "2025-06-21T21:00:00+02:00"
    assert stored["attendees"] == [{"email": "someone@example.fr"}]  # patch keeps it
    assert calendar_fake.calls(r"/events/", "PATCH")[0].query["sendUpdates"] == ["none"]

    await calendar.cancel_event(google_id)
    assert calendar_fake.event(CAL, google_id)["status"] == "cancelled"
    await calendar.cancel_event(google_id)  # 410 Gone the second time: still fine
    assert (await calendar.get_event(google_id))["status"] == "cancelled"  # type: ignore[index]
    assert await calendar.get_event("unknown00") is None


async def test_calendar_create_is_idempotent(calendar: CalendarClient, calendar_fake: FakeCalendar) -> None:
    first = await calendar.create_event(_event())
    # The first answer was lost and the bot creates again: same event, updated, not a duplicate.
    again = await calendar.create_event(_event(title="Titre corrigé"))
    assert again == first and len(calendar_fake.events[CAL]) == 1
    assert calendar_fake.event(CAL, first)["summary"] == "Titre corrigé"
    # Re-creating a cancelled event brings it back.
    await calendar.cancel_event(first)
    await calendar.create_event(_event())
    assert calendar_fake.event(CAL, first)["status"] == "confirmed"


async def test_calendar_retries_and_errors(calendar: CalendarClient, calendar_fake: FakeCalendar) -> None:
    calendar_fake.inject(503, times=2, path="/events")
    google_id = await calendar.create_event(_event("evt-retry"))
    assert calendar_fake.event(CAL, google_id)["summary"]
    with pytest.raises(GoogleApiError) as info:
        await calendar.update_event(google_id, _event(end=datetime(2025, 6, 21, 17, 0, tzinfo=PARIS)))
    assert info.value.status == 400 and info.value.reason == "timeRangeEmpty"
    with pytest.raises(ValueError, match="timezone-aware"):
        await calendar.create_event(_event(start=datetime(2025, 6, 21, 18, 0)))


async def test_calendar_unknown_calendar(calendar_fake: FakeCalendar) -> None:
    from sandbox.google import static_credentials

    client = CalendarClient(
        static_credentials, "nope@group.calendar.google.com", api_endpoint=calendar_fake.url
    )
    with pytest.raises(GoogleApiError) as info:
        await client.create_event(_event())
    assert info.value.status == 404


# --- Sheets -------------------------------------------------------------------------------


async def test_sheets_append_then_read(sheets: SheetsClient, sheets_fake: FakeSheets) -> None:
    assert await sheets.read_rows("Dépenses") == []
    first = await sheets.append_rows(
        "Dépenses", [["Date", "Objet", "Montant"], ["2025-05-01", "Affiches", 120.5]]
    )
    assert first == "'Dépenses'!A1:C2"
    second = await sheets.append_rows("Dépenses", [["2025-05-02", '=IMPORTXML("http://evil")', 30]])
    assert second == "'Dépenses'!A3:C3"

    assert await sheets.read_rows("Dépenses") == [
        ["Date", "Objet", "Montant"],
        ["2025-05-01", "Affiches", "120.5"],
        ["2025-05-02", '=IMPORTXML("http://evil")', "30"],
    ]
    assert (await sheets.read_rows("Dépenses", formatted=False))[2][2] == 30
    append = sheets_fake.calls(r":append$")[0]
    assert append.query["valueInputOption"] == ["RAW"]  # typed text never becomes a formula
    assert append.path.endswith("/values/'Dépenses'!A1:append")
    assert sheets_fake.rows(SHEET, "Feuille 1") == []
    assert await sheets.append_rows("Dépenses", []) == ""


async def test_sheets_quoting_and_errors(sheets: SheetsClient, sheets_fake: FakeSheets) -> None:
    sheets_fake.add_spreadsheet(SHEET, ["L'équipe!"])
    await sheets.append_rows("L'équipe!", [["a"]])
    assert await sheets.read_rows("L'équipe!") == [["a"]]
    with pytest.raises(GoogleApiError) as info:
        await sheets.read_rows("Absente")
    assert info.value.status == 400


async def test_sheets_append_retries_quota_not_5xx(sheets: SheetsClient, sheets_fake: FakeSheets) -> None:
    sheets_fake.inject(429, path=":append")
    await sheets.append_rows("Dépenses", [["ok"]])
    sheets_fake.inject(500, path=":append")
    with pytest.raises(GoogleApiError):
        await sheets.append_rows("Dépenses", [["peut-être écrit"]])
    assert sheets_fake.rows(SHEET, "Dépenses") == [["ok"]]
    sheets_fake.inject(503, path="/values/")
    assert await sheets.read_rows("Dépenses") == [["ok"]]  # reads are retried


async def test_sheets_clear_rows_empties_them_in_place(sheets: SheetsClient, sheets_fake: FakeSheets) -> None:
    sheets_fake.add_spreadsheet(SHEET, ["Dons"])
    await sheets.append_rows("Dons", [["id", "donateur"], [1, "Ancien Donateur"], [2, "Jeune Donatrice"]])
    sheets_fake.inject(503, path=":batchClear")  # idempotent: retried
    assert await sheets.clear_rows("Dons", [2, 2]) == 1
    assert await sheets.read_rows("Dons") == [["id", "donateur"], [], ["2", "Jeune Donatrice"]]
    assert await sheets.clear_rows("Dons", []) == 0
    await sheets.append_rows("Dons", [[3, "Nouvelle"]])
    assert (await sheets.read_rows("Dons"))[3] == ["3", "Nouvelle"]

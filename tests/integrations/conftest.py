"""Fixtures: the fake Google servers (real google-api-python-client talks to them over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from integrations.calendar import CalendarClient
from integrations.gmail import GmailClient
from integrations.sheets import SheetsClient
from sandbox.google import FakeCalendar, FakeGmail, FakeSheets, FakeTokenEndpoint, static_credentials

CALENDAR_ID = "coordo-test@group.calendar.google.com"
SPREADSHEET_ID = "1FakeSpreadsheetId"
# Tiny backoff: retries are exercised for real, in microseconds.
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005}


@pytest.fixture
def gmail_fake() -> Iterator[FakeGmail]:
    with FakeGmail() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def gmail(gmail_fake: FakeGmail) -> GmailClient:
    return GmailClient(static_credentials, api_endpoint=gmail_fake.url, **FAST)


@pytest.fixture
def calendar_fake() -> Iterator[FakeCalendar]:
    with FakeCalendar(calendars=[CALENDAR_ID]) as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def calendar(calendar_fake: FakeCalendar) -> CalendarClient:
    return CalendarClient(static_credentials, CALENDAR_ID, api_endpoint=calendar_fake.url, **FAST)


@pytest.fixture
def sheets_fake() -> Iterator[FakeSheets]:
    with FakeSheets() as fake:
        fake.add_spreadsheet(SPREADSHEET_ID, ["Dépenses", "Feuille 1"])
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def sheets(sheets_fake: FakeSheets) -> SheetsClient:
    return SheetsClient(static_credentials, SPREADSHEET_ID, api_endpoint=sheets_fake.url, **FAST)


@pytest.fixture
def tokens() -> Iterator[FakeTokenEndpoint]:
    with FakeTokenEndpoint() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors

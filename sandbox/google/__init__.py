"""Fake Google servers (Gmail, Calendar, Sheets, OAuth) on 127.0.0.1 for tests and local runs.

The real google-api-python-client talks to them; point an adapter at ``fake.url``::

    with FakeGmail() as gmail:
        gmail.deliver(subject="Bonjour")
        client = GmailClient(static_credentials, api_endpoint=gmail.url, backoff_base=0.001)
"""

from __future__ import annotations

from google.oauth2.credentials import Credentials

from sandbox.google.calendar import FakeCalendar
from sandbox.google.gmail import FakeGmail, StoredMessage
from sandbox.google.mime import build_raw_email
from sandbox.google.oauth import FakeBrowser, FakeTokenEndpoint
from sandbox.google.server import FakeHttpError, FakeServer, Fault, RecordedRequest
from sandbox.google.sheets import FakeSheets

__all__ = [
    "FakeBrowser",
    "FakeCalendar",
    "FakeGmail",
    "FakeHttpError",
    "FakeServer",
    "FakeSheets",
    "FakeTokenEndpoint",
    "Fault",
    "RecordedRequest",
    "StoredMessage",
    "build_raw_email",
    "static_credentials",
]


def static_credentials(token: str = "fake-access-token") -> Credentials:
    """Credentials with a fixed access token and no refresh (the fakes accept any Bearer by default)."""
    return Credentials(token=token)

"""Credentials: token file, refresh through a fake token endpoint, invalid_grant, consent flow."""

from __future__ import annotations

import json
import stat
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from google.oauth2.credentials import Credentials

from integrations.calendar import CalendarClient, CalendarEvent
from integrations.gmail import GmailClient
from integrations.google_auth import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_GMAIL_MODIFY,
    SCOPE_SPREADSHEETS,
    SCOPES,
    CredentialStore,
    GoogleAuthExpired,
    GoogleAuthMissing,
    load_credentials,
    refresh_credentials,
    run_consent_flow,
    save_credentials,
)
from sandbox.google import FakeBrowser, FakeCalendar, FakeGmail, FakeTokenEndpoint

FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_scopes() -> None:
    assert SCOPES == (
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/calendar.events",
        "https://www.googleapis.com/auth/spreadsheets",
    )
    assert SCOPE_GMAIL_MODIFY in SCOPES and SCOPE_CALENDAR_EVENTS in SCOPES and SCOPE_SPREADSHEETS in SCOPES


def test_save_writes_0600_in_new_dir(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "deep" / "google-token.json"
    creds = Credentials(
        token="t",
        refresh_token="r",
        client_id="c",
        client_secret="s",
        token_uri="https://oauth2.googleapis.com/token",
        scopes=list(SCOPES),
    )
    save_credentials(creds, path)
    assert _mode(path) == 0o600
    assert json.loads(path.read_text())["refresh_token"] == "r"
    path.chmod(0o644)
    save_credentials(creds, path)  # rewriting tightens permissions again
    assert _mode(path) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["google-token.json"]  # no temp file left
    loaded = load_credentials(path, SCOPES, token_uri="http://127.0.0.1:1/token")
    assert loaded.refresh_token == "r" and loaded.token_uri == "http://127.0.0.1:1/token"


def test_missing_or_corrupt_token_file(tmp_path: Path) -> None:
    with pytest.raises(GoogleAuthMissing) as info:
        load_credentials(tmp_path / "absent.json")
    assert "google-login" in info.value.how_to_fix
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(GoogleAuthMissing):
        load_credentials(tmp_path / "bad.json")
    (tmp_path / "partial.json").write_text('{"client_id": "x"}')
    with pytest.raises(GoogleAuthMissing):
        CredentialStore(tmp_path / "partial.json")()


def test_refresh_through_fake_token_endpoint(tokens: FakeTokenEndpoint, tmp_path: Path) -> None:
    path = tokens.write_token_file(tmp_path / "token.json", scopes=SCOPES)
    # google-auth ignores a token_uri read from the file (always Google's): override it explicitly.
    assert load_credentials(path).token_uri == "https://oauth2.googleapis.com/token"
    store = CredentialStore(path, SCOPES, token_uri=tokens.token_uri)
    creds = store()
    assert creds.token == "ya29.fake-1" and creds.valid
    assert tokens.events.refreshes == 1
    assert store() is creds and tokens.events.refreshes == 1  # still valid: no new refresh
    saved = json.loads(path.read_text())
    assert saved["token"] == "ya29.fake-1" and saved["refresh_token"] == "1//fake-refresh"
    assert _mode(path) == 0o600
    form = tokens.calls("/token")[0].form
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "1//fake-refresh"
    # A restart reuses the saved access token instead of refreshing.
    assert (
        CredentialStore(path, SCOPES, token_uri=tokens.token_uri)().token == "ya29.fake-1"
        and tokens.events.refreshes == 1
    )


def test_invalid_grant_raises_auth_expired(tokens: FakeTokenEndpoint, tmp_path: Path) -> None:
    path = tokens.write_token_file(tmp_path / "token.json")
    tokens.revoke()
    with pytest.raises(GoogleAuthExpired) as info:
        CredentialStore(path, token_uri=tokens.token_uri)()
    assert info.value.reason == "invalid_grant"
    assert "coordo google-login" in info.value.how_to_fix and "production" in info.value.how_to_fix.lower()

    creds = load_credentials(path, token_uri=tokens.token_uri)
    tokens.fail_with = "invalid_grant"
    with pytest.raises(GoogleAuthExpired):
        refresh_credentials(creds)


async def test_clients_refresh_and_detect_expiry_end_to_end(
    tokens: FakeTokenEndpoint, tmp_path: Path
) -> None:
    path = tokens.write_token_file(tmp_path / "token.json", scopes=SCOPES)
    store = CredentialStore(path, SCOPES, token_uri=tokens.token_uri)
    with FakeGmail(token_validator=tokens.is_valid_access_token) as gmail_fake:
        gmail = GmailClient(store, api_endpoint=gmail_fake.url, **FAST)
        mid = gmail_fake.deliver()
        assert (await gmail.get_message(mid)).id == mid
        assert gmail_fake.requests[-1].bearer == "ya29.fake-1"

        # Google invalidates the access token early: AuthorizedHttp refreshes on 401 and retries.
        tokens.expire_access_tokens()
        assert (await gmail.get_message(mid)).id == mid
        assert [r.status for r in gmail_fake.requests[-2:]] == [401, 200]
        assert gmail_fake.requests[-1].bearer == "ya29.fake-2"

        # Then the refresh token itself is revoked: a specific, actionable error.
        tokens.revoke()
        with pytest.raises(GoogleAuthExpired) as info:
            await gmail.get_message(mid)
        assert info.value.reason == "invalid_grant"

    # A restarted bot: the saved access token is refused (401), the refresh gets invalid_grant.
    with FakeCalendar(calendars=["c"], token_validator=tokens.is_valid_access_token) as calendar_fake:
        client = CalendarClient(
            CredentialStore(path, SCOPES, token_uri=tokens.token_uri),
            "c",
            api_endpoint=calendar_fake.url,
            **FAST,
        )
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        with pytest.raises(GoogleAuthExpired):
            await client.create_event(CalendarEvent("u", "t", now, now))
        assert [r.status for r in calendar_fake.requests] == [401]


async def test_insufficient_scope_is_an_auth_problem(tokens: FakeTokenEndpoint) -> None:
    from sandbox.google import static_credentials

    with FakeGmail() as gmail_fake:
        gmail_fake.inject(403, reason="insufficientPermissions")
        with pytest.raises(GoogleAuthExpired) as info:
            await GmailClient(static_credentials, api_endpoint=gmail_fake.url, **FAST).profile_history_id()
        assert info.value.reason == "insufficient_scope"


def test_consent_flow_writes_token_file(
    tokens: FakeTokenEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is plain http
    browser = FakeBrowser("coordo-test-browser")
    webbrowser.register(browser.name, None, browser)
    secrets = tokens.write_client_secrets(tmp_path / "client_secret.json")
    token_path = tmp_path / "state" / "google-token.json"

    creds = run_consent_flow(
        secrets,
        token_path,
        SCOPES,
        open_browser=True,
        host="127.0.0.1",
        port=0,
        timeout_seconds=10,
        browser=browser.name,
    )
    for thread in browser.threads:
        thread.join(5)
    assert not browser.errors
    assert creds.refresh_token and creds.refresh_token.startswith("1//fake-refresh-")
    auth = tokens.events.auth_requests[0]
    assert auth["access_type"] == "offline" and auth["prompt"] == "consent"
    assert set(auth["scope"].split()) == set(SCOPES)
    assert _mode(token_path) == 0o600
    reloaded = load_credentials(token_path, SCOPES)
    assert reloaded.refresh_token == creds.refresh_token
    # The saved token refreshes against the same endpoint.
    assert str(CredentialStore(token_path, SCOPES, token_uri=tokens.token_uri)().token).startswith(
        "ya29.fake-"
    )

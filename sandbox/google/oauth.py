"""Fake Google OAuth 2.0 endpoints: token (refresh and code grants) and authorization.

Hand ``token_validator=tokens.is_valid_access_token`` to the API fakes so they accept only
access tokens this endpoint issued (and answer 401 once ``expire_access_tokens`` is called).
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import urllib.request
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode

from sandbox.google.server import FakeServer, RecordedRequest, Response

CLIENT_ID = "fake-client.apps.googleusercontent.com"
CLIENT_SECRET = "fake-secret"


@dataclass
class _Grant:
    scopes: list[str]
    revoked: bool = False


@dataclass
class _Code:
    redirect_uri: str
    scopes: list[str]


@dataclass
class TokenEvents:
    refreshes: int = 0
    codes_exchanged: int = 0
    auth_requests: list[dict[str, str]] = field(default_factory=list)


class FakeTokenEndpoint(FakeServer):
    public_paths = ("/token", "/auth")

    def __init__(
        self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET, expires_in: int = 3599
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.expires_in = expires_in
        self.grants: dict[str, _Grant] = {}
        self.access_tokens: set[str] = set()
        self.codes: dict[str, _Code] = {}
        self.events = TokenEvents()
        # When set, every refresh answers this OAuth error (e.g. "invalid_grant").
        self.fail_with: str | None = None
        self._counter = itertools.count(1)

    @property
    def token_uri(self) -> str:
        return self.url + "token"

    @property
    def auth_uri(self) -> str:
        return self.url + "auth"

    def routes(self) -> list[tuple[str, str, Any]]:
        return [("POST", "/token", self._token), ("GET", "/auth", self._auth)]

    # --- Test helpers ------------------------------------------------------------------

    def add_refresh_token(self, refresh_token: str = "1//fake-refresh", scopes: Sequence[str] = ()) -> str:
        with self.lock:
            self.grants[refresh_token] = _Grant(list(scopes))
        return refresh_token

    def revoke(self, refresh_token: str | None = None) -> None:
        """Revoke one refresh token (or all): refreshes get invalid_grant, access tokens die."""
        with self.lock:
            for token, grant in self.grants.items():
                if refresh_token is None or token == refresh_token:
                    grant.revoked = True
            self.access_tokens.clear()

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def is_valid_access_token(self, token: str) -> bool:
        with self.lock:
            return token in self.access_tokens

    def authorized_user_info(
        self, refresh_token: str = "1//fake-refresh", scopes: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The content of a token file (what ``Credentials.to_json`` writes) using this endpoint."""
        if refresh_token not in self.grants:
            self.add_refresh_token(refresh_token, scopes)
        return {
            "refresh_token": refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "token_uri": self.token_uri,
            "scopes": list(scopes),
            "type": "authorized_user",
        }

    def write_token_file(
        self, path: str | Path, refresh_token: str = "1//fake-refresh", scopes: Sequence[str] = ()
    ) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.authorized_user_info(refresh_token, scopes)), encoding="utf-8")
        return path

    def write_client_secrets(self, path: str | Path) -> Path:
        """An "installed app" client secrets file pointing at this fake."""
        path = Path(path)
        path.write_text(
            json.dumps(
                {
                    "installed": {
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                        "auth_uri": self.auth_uri,
                        "token_uri": self.token_uri,
                        "redirect_uris": ["http://localhost"],
                    }
                }
            ),
            encoding="utf-8",
        )
        return path

    # --- Routes ------------------------------------------------------------------------

    def _error(self, error: str, description: str, status: int = 400) -> Response:
        return Response(status, {"error": error, "error_description": description})

    def _issue(self, scopes: list[str]) -> dict[str, Any]:
        token = f"ya29.fake-{next(self._counter)}"
        self.access_tokens.add(token)
        return {
            "access_token": token,
            "expires_in": self.expires_in,
            "scope": " ".join(scopes),
            "token_type": "Bearer",
        }

    def _client_credentials(self, req: RecordedRequest) -> tuple[str | None, str | None]:
        """From the form (google-auth) or HTTP Basic auth (requests-oauthlib in the consent flow)."""
        auth = req.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            return unquote_plus(user), unquote_plus(password)
        return req.form.get("client_id"), req.form.get("client_secret")

    def _token(self, req: RecordedRequest) -> Response:
        form = req.form
        if self._client_credentials(req) != (self.client_id, self.client_secret):
            return self._error("invalid_client", "The OAuth client was not found.", 401)
        grant_type = form.get("grant_type")
        if grant_type == "refresh_token":
            self.events.refreshes += 1
            grant = self.grants.get(form.get("refresh_token", ""))
            if self.fail_with:
                return self._error(self.fail_with, "Token has been expired or revoked.")
            if grant is None or grant.revoked:
                return self._error("invalid_grant", "Token has been expired or revoked.")
            scopes = form["scope"].split() if form.get("scope") else grant.scopes
            return Response(200, self._issue(scopes))
        if grant_type == "authorization_code":
            code = self.codes.pop(form.get("code", ""), None)
            if code is None or code.redirect_uri != form.get("redirect_uri"):
                return self._error("invalid_grant", "Malformed auth code.")
            self.events.codes_exchanged += 1
            refresh = self.add_refresh_token(f"1//fake-refresh-{next(self._counter)}", code.scopes)
            return Response(200, {**self._issue(code.scopes), "refresh_token": refresh})
        return self._error("unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _auth(self, req: RecordedRequest) -> Response:
        """Consent is granted at once: redirect back to the app with a code."""
        params = {k: v[-1] for k, v in req.query.items()}
        self.events.auth_requests.append(params)
        if params.get("client_id") != self.client_id:
            return Response(400, {"error": "invalid_client"})
        code = f"4/fake-code-{next(self._counter)}"
        self.codes[code] = _Code(params.get("redirect_uri", ""), params.get("scope", "").split())
        query = urlencode({"code": code, "state": params.get("state", ""), "scope": params.get("scope", "")})
        return Response(302, None, {"Location": f"{params.get('redirect_uri', '')}?{query}"})


class FakeBrowser(webbrowser.BaseBrowser):
    """Plays the user in the consent flow: opens the auth URL and follows the redirect.

    Register with ``webbrowser.register(name, None, FakeBrowser(name))`` and pass
    ``browser=name, open_browser=True`` to ``run_consent_flow``. It runs in a thread because
    the flow only starts listening for the redirect after "opening the browser".
    """

    def __init__(self, name: str = "coordo-fake-browser") -> None:
        super().__init__(name)
        self.opened: list[str] = []
        self.errors: list[BaseException] = []
        self.threads: list[threading.Thread] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)

        def visit() -> None:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
            except BaseException as exc:  # surfaced by the test through .errors
                self.errors.append(exc)

        thread = threading.Thread(target=visit, daemon=True)
        thread.start()
        self.threads.append(thread)
        return True

"""Google credentials for the movement's plain @gmail.com account.

Service accounts only reach Gmail on Google Workspace, so the bot holds an OAuth
"installed app" refresh token, obtained once with ``run_consent_flow`` (the ``google-login``
CLI subcommand) and stored as an authorized-user JSON file. When Google later refuses the
refresh token (``invalid_grant``: revoked, password changed, or the consent screen still in
"Testing" mode, where refresh tokens die after 7 days) every call raises
``GoogleAuthExpired`` so the bot can tell coordinators how to fix it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from google.auth import exceptions as gexc
    from google.oauth2.credentials import Credentials

# google-auth and httplib2 are imported by the functions that use them: the bot starts without them.

SCOPE_GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify"
SCOPE_CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"
SCOPE_SPREADSHEETS = "https://www.googleapis.com/auth/spreadsheets"
SCOPES: tuple[str, ...] = (SCOPE_GMAIL_MODIFY, SCOPE_CALENDAR_EVENTS, SCOPE_SPREADSHEETS)

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"

HOW_TO_FIX = (
    "L'accès du bot au compte Google du mouvement ne fonctionne plus. Pour le rétablir : "
    "sur le serveur du bot, lancez « coordo google-login » (si le serveur est distant, ouvrez "
    "d'abord un tunnel « ssh -L 8080:localhost:8080 <serveur> »), ouvrez le lien affiché, "
    "connectez-vous avec le compte Gmail du mouvement et acceptez toutes les autorisations. "
    "Si le problème revient chaque semaine, l'écran de consentement OAuth du projet Google "
    "Cloud est resté en mode « Test » : passez-le « En production »."
)

# Token-endpoint errors that no retry will cure: a human must run the consent flow again.
_DEAD_GRANT_ERRORS = frozenset({"invalid_grant", "unauthorized_client", "invalid_client", "access_denied"})


class GoogleAuthError(Exception):
    """Base class: the bot cannot authenticate to Google; ``how_to_fix`` is for coordinators."""

    how_to_fix = HOW_TO_FIX

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class GoogleAuthExpired(GoogleAuthError):
    """The refresh token was refused (``reason`` is e.g. ``invalid_grant``) or lacks a scope."""


class GoogleAuthMissing(GoogleAuthError):
    """No usable token file: the consent flow was never run (or the file is corrupt)."""


def refresh_error_reason(exc: gexc.RefreshError) -> str:
    """The OAuth ``error`` code of a refresh failure, or "" when there is none."""
    for arg in exc.args[1:]:
        if isinstance(arg, dict) and isinstance(error := arg.get("error"), str):
            return error
    text = str(exc.args[0]) if exc.args else ""
    for code in _DEAD_GRANT_ERRORS:
        if text.startswith(code):
            return code
    return ""


def is_retryable_refresh_error(exc: gexc.RefreshError) -> bool:
    return bool(getattr(exc, "retryable", False)) and refresh_error_reason(exc) not in _DEAD_GRANT_ERRORS


def auth_expired_from(exc: gexc.RefreshError) -> GoogleAuthExpired:
    """Translate a non-retryable refresh failure; keeps Google's wording in the message."""
    reason = refresh_error_reason(exc) or "refresh_failed"
    return GoogleAuthExpired(
        f"Google refused to refresh the access token: {exc.args[0] if exc.args else exc}", reason=reason
    )


def load_credentials(
    token_path: str | os.PathLike[str],
    scopes: Sequence[str] | None = None,
    token_uri: str | None = None,
) -> Credentials:
    """Read an authorized-user token file.

    google-auth ignores the file's ``token_uri`` (always Google's endpoint, so a tampered file
    cannot send the refresh token elsewhere); ``token_uri`` overrides it explicitly (tests).
    """
    from google.oauth2.credentials import Credentials

    try:
        creds = Credentials.from_authorized_user_file(os.fspath(token_path), list(scopes) if scopes else None)
    except FileNotFoundError as exc:
        raise GoogleAuthMissing(f"no Google token file at {token_path}", reason="missing") from exc
    except (ValueError, KeyError, OSError) as exc:  # JSONDecodeError is a ValueError
        raise GoogleAuthMissing(
            f"unreadable Google token file {token_path}: {exc}", reason="corrupt"
        ) from exc
    if token_uri:
        creds = creds.with_token_uri(token_uri)
    return cast(Credentials, creds)  # google-auth's with_token_uri is untyped


def save_credentials(creds: Credentials, token_path: str | os.PathLike[str]) -> None:
    """Write the token file atomically, readable by the bot's user only (it holds a refresh token)."""
    path = Path(token_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = creds.to_json()
    # Created 0600 from the start (no window where the secret is world-readable), then renamed
    # over the old file so a crash never leaves half a token.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def refresh_credentials(creds: Credentials, timeout: float = 30.0) -> None:
    """Refresh now (blocking); ``GoogleAuthExpired`` when Google says the grant is dead."""
    import google_auth_httplib2
    import httplib2
    from google.auth import exceptions as gexc

    request = google_auth_httplib2.Request(httplib2.Http(timeout=timeout))
    try:
        creds.refresh(request)
    except gexc.RefreshError as exc:
        if is_retryable_refresh_error(exc):
            raise
        raise auth_expired_from(exc) from exc


class CredentialStore:
    """A ``credentials_factory`` backed by the token file.

    Calling it returns credentials with a valid access token, refreshing (under a lock, since
    adapters call it from worker threads) and persisting the new token when needed, so a
    restart does not need an extra refresh. When the file changes on disk (``google-login``
    run after a ``GoogleAuthExpired``), it is reloaded: no restart needed.
    """

    def __init__(
        self,
        token_path: str | os.PathLike[str],
        scopes: Sequence[str] | None = SCOPES,
        token_uri: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.token_path = Path(token_path)
        self.scopes = tuple(scopes) if scopes else None
        self.token_uri = token_uri
        self.timeout = timeout
        self._lock = threading.Lock()
        self._creds: Credentials | None = None
        self._loaded_version: tuple[int, int] | None = None

    def _file_version(self) -> tuple[int, int] | None:
        try:
            st = self.token_path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_ino  # save_credentials renames a new file in: new inode

    def __call__(self) -> Credentials:
        with self._lock:
            version = self._file_version()
            if self._creds is None or version != self._loaded_version:
                self._creds = load_credentials(self.token_path, self.scopes, self.token_uri)
                self._loaded_version = version
            creds = self._creds
            if not creds.valid:
                refresh_credentials(creds, self.timeout)
                # A read-only disk must not stop the bot; the next start just refreshes again.
                with contextlib.suppress(OSError):
                    save_credentials(creds, self.token_path)
                    self._loaded_version = self._file_version()
            return creds

    def invalidate(self) -> None:
        """Forget the cached credentials: the next call reads the file again."""
        with self._lock:
            self._creds = None


def run_consent_flow(
    client_secrets_path: str | os.PathLike[str],
    token_path: str | os.PathLike[str],
    scopes: Sequence[str] = SCOPES,
    open_browser: bool = False,
    *,
    host: str = "localhost",
    port: int = 8080,
    timeout_seconds: int | None = 600,
    browser: str | None = None,
) -> Credentials:
    """Run the installed-app consent flow and save the token file; returns the credentials.

    Prints the URL to open. Google redirects the browser to ``http://<host>:<port>/``, so on a
    remote server forward that port first (``ssh -L 8080:localhost:8080 server``). ``port=0``
    picks a free port (only useful when the browser runs on the same machine).
    """
    from google.oauth2.credentials import Credentials
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_secrets_file(os.fspath(client_secrets_path), scopes=list(scopes))
    # prompt=consent: Google only returns a refresh token on a fresh consent; offline: we need one.
    creds = flow.run_local_server(
        host=host,
        port=port,
        open_browser=open_browser,
        browser=browser,
        timeout_seconds=timeout_seconds,
        access_type="offline",
        prompt="consent",
    )
    if not isinstance(creds, Credentials) or not creds.refresh_token:
        raise GoogleAuthError(
            "Google did not return a refresh token; run the login again", reason="no_refresh_token"
        )
    save_credentials(creds, token_path)
    return creds


def token_file_info(token_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The token file's non-secret fields (for a ``google-login --status`` style command)."""
    data = json.loads(Path(token_path).read_text(encoding="utf-8"))
    return {k: data.get(k) for k in ("client_id", "scopes", "expiry", "token_uri", "account")}

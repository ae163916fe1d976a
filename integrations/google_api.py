"""Shared plumbing for the Google adapters.

google-api-python-client is synchronous and its ``httplib2.Http`` is not thread-safe, so every
attempt builds its own ``AuthorizedHttp`` inside ``asyncio.to_thread`` and passes it to
``HttpRequest.execute(http=...)``. The service object itself only turns arguments into
requests; it is built once (from the bundled discovery document) and shared, because
building sub-resources renders every method's docstring from the schema (~0.1-0.3 s of CPU
per call for Sheets). Retries live here, in async code, so a backoff sleeps on the event
loop instead of holding a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from integrations.google_auth import (
    GoogleAuthError,
    GoogleAuthExpired,
    auth_expired_from,
    is_retryable_refresh_error,
)

if TYPE_CHECKING:
    from google.auth.credentials import Credentials
    from googleapiclient.discovery import Resource
    from googleapiclient.errors import HttpError
    from googleapiclient.http import HttpRequest

# The Google client libraries are imported by the calls that need them: the bot starts without
# loading them (most deployments never call Google, and they weigh ~0.3 s and ~30 MB).

log = logging.getLogger(__name__)

CredentialsFactory = Callable[[], "Credentials"]
RequestMaker = Callable[[Any], "HttpRequest"]  # receives the (cached) service resource

# 403 reasons Google documents as "slow down" (the rest of 403 is permanent).
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})


def _network_errors() -> tuple[type[BaseException], ...]:
    """Network failures worth another try; ConnectionRefused never reached the server."""
    import httplib2
    from google.auth import exceptions as gexc

    return (OSError, httplib2.HttpLib2Error, gexc.TransportError)


class GoogleApiError(Exception):
    """A Google API call failed for good (after retries when the failure was transient)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        reason: str = "",
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after

    @property
    def quota(self) -> bool:
        """Google refused before doing anything (safe to retry even a non-idempotent call)."""
        return self.status == 429 or (self.status == 403 and self.reason in RATE_LIMIT_REASONS)


class GoogleNotFound(GoogleApiError):
    """404 (or 410 Gone): the resource does not exist (any more)."""


def error_from_http(exc: HttpError) -> GoogleApiError | GoogleAuthExpired:
    """Map a googleapiclient ``HttpError`` to our exceptions (reason from Google's JSON body)."""
    status = int(exc.resp.status)
    message, reason = str(exc), ""
    try:
        payload = json.loads(exc.content.decode("utf-8", "replace"))
        err = payload.get("error", {}) if isinstance(payload, dict) else {}
        if isinstance(err, dict):
            message = str(err.get("message") or message)
            errors = err.get("errors") or []
            if errors and isinstance(errors[0], dict):
                reason = str(errors[0].get("reason", ""))
            for detail in err.get("details") or []:
                if not reason and isinstance(detail, dict) and detail.get("reason"):
                    reason = str(detail["reason"])
            reason = reason or str(err.get("status", ""))
    except (ValueError, AttributeError):
        pass
    if status == 403 and reason in SCOPE_REASONS:
        # The token was granted without a scope we need: only a new consent fixes it.
        return GoogleAuthExpired(f"missing OAuth scope: {message}", reason="insufficient_scope")
    retry_after: float | None = None
    header = exc.resp.get("retry-after") if hasattr(exc.resp, "get") else None
    if header:
        try:
            retry_after = float(header)
        except ValueError:
            retry_after = None
    retryable = status in (408, 429) or status >= 500 or (status == 403 and reason in RATE_LIMIT_REASONS)
    cls = GoogleNotFound if status in (404, 410) else GoogleApiError
    return cls(
        f"{status} {reason}: {message}",
        status=status,
        reason=reason,
        retryable=retryable,
        retry_after=retry_after,
    )


class _CachedResource:
    """Memoizes argument-less sub-resource accessors (``users()``, ``messages()``...).

    Only request construction goes through it (read-only on the resource), so sharing it
    between worker threads is safe; the per-call Http is what must not be shared.
    """

    def __init__(self, resource: Resource) -> None:
        self._resource = resource
        self._children: dict[str, _CachedResource] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        attr = getattr(self._resource, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if args or kwargs:
                return attr(*args, **kwargs)
            from googleapiclient.discovery import Resource

            with self._lock:
                child = self._children.get(name)
                if child is None:
                    result = attr()
                    if not isinstance(result, Resource):
                        return result  # an argument-less API method: a fresh HttpRequest
                    child = self._children[name] = _CachedResource(result)
                return child

        return call


# Shared by every client of the same API and endpoint (they only build requests).
_SERVICES: dict[tuple[str, str, str | None], _CachedResource] = {}
_SERVICES_LOCK = threading.Lock()


class GoogleService:
    """One Google API (e.g. gmail v1) reached through per-call authorized Http objects.

    ``api_endpoint`` is the server root (``http://127.0.0.1:PORT/`` for the fakes);
    ``service_path`` is appended because client_options replace the whole base URL,
    including the discovery document's servicePath (``calendar/v3/`` for Calendar).
    """

    def __init__(
        self,
        api: str,
        version: str,
        credentials_factory: CredentialsFactory,
        *,
        api_endpoint: str | None = None,
        service_path: str = "",
        retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 32.0,
        timeout: float = 30.0,
    ) -> None:
        self.api = api
        self.version = version
        self.credentials_factory = credentials_factory
        self.endpoint = None if api_endpoint is None else api_endpoint.rstrip("/") + "/" + service_path
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.timeout = timeout

    def _service(self) -> _CachedResource:
        key = (self.api, self.version, self.endpoint)
        with _SERVICES_LOCK:
            if key not in _SERVICES:
                import httplib2
                from googleapiclient.discovery import build

                resource = build(
                    self.api,
                    self.version,
                    # Never used to send: every request is executed with its own AuthorizedHttp.
                    http=httplib2.Http(),
                    static_discovery=True,
                    cache_discovery=False,
                    client_options={"api_endpoint": self.endpoint} if self.endpoint else None,
                )
                _SERVICES[key] = _CachedResource(resource)
            return _SERVICES[key]

    def _attempt(self, make: RequestMaker) -> Any:
        import google_auth_httplib2
        import httplib2

        credentials = self.credentials_factory()  # may refresh; raises GoogleAuthError
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=self.timeout))
        try:
            return make(self._service()).execute(http=http)
        finally:
            http.close()

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.backoff_max, self.backoff_base * (2**attempt))
        delay *= 0.5 + random.random() / 2  # jitter: concurrent callers do not retry in lockstep
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_max))
        return float(delay)

    async def call(self, make: RequestMaker, *, idempotent: bool = True, what: str = "") -> Any:
        """Execute ``make(service)`` with retries.

        Quota answers (429, 403 rate limits) are always retried: Google did nothing. 5xx and
        network errors are retried only when ``idempotent`` (a 5xx on messages.send may still
        have sent the mail; a duplicate reply to a citizen is worse than an error).
        """
        from google.auth import exceptions as gexc
        from googleapiclient.errors import HttpError

        label = what or f"{self.api}.{self.version}"
        network_errors = _network_errors()
        attempt = 0
        while True:
            try:
                return await asyncio.to_thread(self._attempt, make)
            except HttpError as exc:
                err = error_from_http(exc)
                if isinstance(err, GoogleAuthExpired):
                    raise err from exc
                if not (err.quota or (err.retryable and idempotent)) or attempt >= self.retries:
                    raise err from exc
                delay = self._delay(attempt, err.retry_after)
                log.warning("%s: %s, retry %d in %.2fs", label, err, attempt + 1, delay)
            except GoogleAuthError:
                raise
            except gexc.RefreshError as exc:  # AuthorizedHttp refreshing after a 401
                if not is_retryable_refresh_error(exc):
                    raise auth_expired_from(exc) from exc
                if attempt >= self.retries:
                    raise GoogleApiError(f"{label}: token refresh failed: {exc}", retryable=True) from exc
                delay = self._delay(attempt, None)
            except network_errors as exc:
                safe = idempotent or isinstance(exc, ConnectionRefusedError)
                if not safe or attempt >= self.retries:
                    raise GoogleApiError(f"{label}: network error: {exc!r}", retryable=True) from exc
                delay = self._delay(attempt, None)
                log.warning("%s: %r, retry %d in %.2fs", label, exc, attempt + 1, delay)
            attempt += 1
            await asyncio.sleep(delay)

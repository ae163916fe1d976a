"""Async client for HelloAsso API v5: the association's payments, read-only.

Research, sources and the choices made where HelloAsso's documentation is unclear:
docs/helloasso-notes.md. Recording a payment (don, cotisation, ticket) and the checks of
docs/legal-rules.md are not done here; ``Payment`` carries what they need.

* OAuth2 client credentials (``POST {api_url}/oauth2/token``). The access token (30 min) is
  cached with its expiry and renewed shortly before it, with the refresh_token grant first
  (HelloAsso asks clients not to ask for a new token on every call), client credentials when the
  refresh token is refused. A 401 mid-sync renews it once and replays the request, so a token
  expiring between two pages never fails the sync.
* 429, 5xx and network errors are retried with bounded, jittered exponential backoff (every call
  here is a GET, or a token request that is safe to repeat).
* ``payments(since)`` walks every page with the continuation token until an empty page.
* ``parse_notification`` turns a notification body into ids to fetch again: never into facts.
* Secrets stay secret: the client secret, access and refresh tokens appear in no log line, no
  exception message and no repr.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Self

import httpx

from integrations.helloasso_models import (
    NotificationTrigger,
    Payer,
    Payment,
    PaymentItem,
    parse_notification,
    payment_from_json,
    verify_signature,
)

__all__ = [
    "DEFAULT_API_URL",
    "SANDBOX_API_URL",
    "HelloAssoAuthError",
    "HelloAssoClient",
    "HelloAssoError",
    "HelloAssoNotFound",
    "HelloAssoPaginationError",
    "HelloAssoSettings",
    "HelloAssoUnavailable",
    "NotificationTrigger",
    "Payer",
    "Payment",
    "PaymentItem",
    "parse_notification",
    "payment_from_json",
    "verify_signature",
]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.helloasso.com"
SANDBOX_API_URL = "https://api.helloasso-sandbox.com"
TOKEN_PATH = "/oauth2/token"
DEFAULT_EXPIRES_IN = 1800  # the documented lifetime, when the answer omits expires_in
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Token-endpoint answers that a retry will not cure.
_AUTH_STATUSES = frozenset({400, 401, 403})


class _Secret(Protocol):
    def get_secret_value(self) -> str: ...


def _reveal(value: str | _Secret) -> str:
    return value if isinstance(value, str) else value.get_secret_value()


# --- Errors -------------------------------------------------------------------------------------------


class HelloAssoError(Exception):
    """A HelloAsso call failed for good. Messages never hold a token or the client secret."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HelloAssoAuthError(HelloAssoError):
    """The credentials were refused, or lack a privilege: a human must fix the settings."""


class HelloAssoNotFound(HelloAssoError):
    """404, or a payment of another organisation."""


class HelloAssoUnavailable(HelloAssoError):
    """Still failing (429, 5xx, network) after every retry: try the sync again later."""


class HelloAssoPaginationError(HelloAssoError):
    """The payment list stopped advancing (the same page again): stopped rather than loop."""


# --- Settings -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelloAssoSettings:
    """What the bot's settings provide. ``client_secret`` may be a str or a pydantic SecretStr."""

    client_id: str
    client_secret: str | _Secret = field(repr=False)
    organization_slug: str
    api_url: str = DEFAULT_API_URL

    def __post_init__(self) -> None:
        if not self.client_id or not _reveal(self.client_secret) or not self.organization_slug:
            raise ValueError("HelloAsso: client_id, client_secret and organization_slug are required")
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))

    def __repr__(self) -> str:
        return (
            f"HelloAssoSettings(api_url={self.api_url!r}, organization_slug={self.organization_slug!r}, "
            "client_id=<set>, client_secret=<hidden>)"
        )


@dataclass
class _Token:
    access: str = field(repr=False)
    refresh: str | None = field(repr=False)
    expires_at: float  # on the client's clock

    def __repr__(self) -> str:
        return "<HelloAsso token>"


# --- Client -------------------------------------------------------------------------------------------


class HelloAssoClient:
    """One organisation's payments. Use ``async with HelloAssoClient(settings) as client:``."""

    def __init__(
        self,
        settings: HelloAssoSettings,
        *,
        http: httpx.AsyncClient | None = None,
        page_size: int = 100,
        retries: int = 4,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        timeout: float = 30.0,
        refresh_margin: float = 60.0,
        max_pages: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
        trust_env: bool = True,
    ) -> None:
        self._settings = settings
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(
            timeout=timeout, trust_env=trust_env, headers={"User-Agent": "coordo"}
        )
        self.page_size = max(1, min(100, page_size))
        self.retries = max(0, retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.refresh_margin = refresh_margin
        self.max_pages = max_pages
        self._clock = clock
        self._sleep = sleep
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"HelloAssoClient(api_url={self._settings.api_url!r}, organization={self.organization_slug!r})"

    __str__ = __repr__

    @property
    def organization_slug(self) -> str:
        return self._settings.organization_slug

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    # --- Public API ---------------------------------------------------------------------------------

    async def payments(self, since: datetime, until: datetime | None = None) -> AsyncIterator[Payment]:
        """Every payment dated from ``since`` (and before ``until``), oldest first, in any state.

        Refused, refunded and contested payments come too: the caller decides. Each payment is
        yielded once even if the API repeats it across pages. A refund or chargeback of a payment
        dated before ``since`` does not show here: notifications, or a sync with a look-back,
        catch those (see docs/helloasso-notes.md).
        """
        params: dict[str, str | int] = {
            "from": _iso(since, "since"),
            "pageSize": self.page_size,
            "sortOrder": "Asc",
            "sortField": "Date",
        }
        if until is not None:
            params["to"] = _iso(until, "until")
        path = f"/v5/organizations/{self.organization_slug}/payments"
        seen: set[int] = set()
        token: str | None = None
        for page in range(1, self.max_pages + 1):
            query = dict(params)
            if token:
                query["continuationToken"] = token
            body = await self._get_json(path, query)
            data = body.get("data")
            if data is None:
                data = []
            if not isinstance(data, list):
                raise HelloAssoError(f"GET {path}: 'data' is not a list")
            if not data:
                return  # HelloAsso's documented end signal: an empty page
            fresh = repeated = 0
            for index, raw in enumerate(data):
                try:
                    payment = payment_from_json(raw)
                except ValueError as exc:
                    log.warning("HelloAsso: page %d, element %d skipped: %s", page, index, exc)
                    continue
                if payment.id in seen:
                    repeated += 1
                    continue
                seen.add(payment.id)
                fresh += 1
                yield payment
            pagination = body.get("pagination")
            next_token = pagination.get("continuationToken") if isinstance(pagination, Mapping) else None
            if not isinstance(next_token, str) or not next_token:
                return  # the older documented end signal: no token
            if fresh == 0 and (next_token == token or repeated == len(data)):
                raise HelloAssoPaginationError(
                    f"GET {path}: page {page} brought no new payment; stopped to avoid a loop"
                )
            token = next_token
        raise HelloAssoPaginationError(f"GET {path}: more than {self.max_pages} pages")

    async def payment(self, payment_id: int) -> Payment:
        """One payment, as the API says it is now."""
        if isinstance(payment_id, bool) or not isinstance(payment_id, int) or payment_id <= 0:
            raise ValueError("a HelloAsso payment id is a positive integer")
        path = f"/v5/payments/{payment_id}"
        body = await self._get_json(path, {})
        try:
            payment = payment_from_json(body)
        except ValueError as exc:
            raise HelloAssoError(f"GET {path}: {exc}") from exc
        slug = payment.organization_slug
        if payment.id != payment_id or (slug and slug.casefold() != self.organization_slug.casefold()):
            raise HelloAssoNotFound(f"payment {payment_id} does not belong to this organisation", status=404)
        return payment

    def parse_notification(self, body: bytes) -> NotificationTrigger | None:
        """The payments to fetch again for a notification body (of this organisation), or None."""
        return parse_notification(body, self.organization_slug)

    async def payments_for(self, trigger: NotificationTrigger) -> list[Payment]:
        """Fetch again, from the API, every payment a notification named (unknown ids skipped)."""
        found: list[Payment] = []
        for payment_id in trigger.payment_ids:
            try:
                found.append(await self.payment(payment_id))
            except HelloAssoNotFound:
                log.warning("HelloAsso: notified payment %d not found for this organisation", payment_id)
        return found

    # --- Tokens ---------------------------------------------------------------------------------------

    async def _access_token(self) -> str:
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.expires_at:
                return token.access
            self._token = await self._new_token(token)
            return self._token.access

    async def _discard(self, access: str) -> None:
        """Forget ``access`` after a 401 (unless another task already replaced it)."""
        async with self._token_lock:
            if self._token is not None and self._token.access == access:
                self._token.expires_at = float("-inf")

    async def _new_token(self, old: _Token | None) -> _Token:
        settings = self._settings
        if old is not None and old.refresh:
            try:
                return await self._token_request(
                    {
                        "grant_type": "refresh_token",
                        "client_id": settings.client_id,
                        "refresh_token": old.refresh,
                    }
                )
            except HelloAssoAuthError as exc:
                log.info("HelloAsso: refresh token refused (%s), asking with client credentials", exc)
        return await self._token_request(
            {
                "grant_type": "client_credentials",
                "client_id": settings.client_id,
                "client_secret": _reveal(settings.client_secret),
            }
        )

    async def _token_request(self, form: dict[str, str]) -> _Token:
        url = self._settings.api_url + TOKEN_PATH
        grant = form["grant_type"]
        response = await self._send("POST", url, TOKEN_PATH, data=form)
        if response.status_code in _AUTH_STATUSES:
            raise HelloAssoAuthError(
                f"HelloAsso refused the {grant} grant: {_oauth_error(response)}", status=response.status_code
            )
        if response.status_code != 200:
            raise HelloAssoError(
                f"POST {TOKEN_PATH}: HTTP {response.status_code}", status=response.status_code
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not access:
            raise HelloAssoError(f"POST {TOKEN_PATH}: no access_token in the answer")
        assert isinstance(body, dict)
        refresh = body.get("refresh_token")
        expires_in = body.get("expires_in")
        if isinstance(expires_in, bool) or not isinstance(expires_in, int | float) or expires_in <= 0:
            expires_in = DEFAULT_EXPIRES_IN
        margin = min(self.refresh_margin, expires_in / 10)
        log.debug("HelloAsso: new access token (%s grant), valid %ss", grant, expires_in)
        return _Token(
            access=access,
            refresh=refresh if isinstance(refresh, str) and refresh else None,
            expires_at=self._clock() + float(expires_in) - margin,
        )

    # --- HTTP ---------------------------------------------------------------------------------------------

    async def _get_json(self, path: str, params: Mapping[str, str | int]) -> Mapping[str, Any]:
        url = self._settings.api_url + path
        response: httpx.Response | None = None
        for _ in range(2):  # the second pass only after a 401 with a token we then renewed
            access = await self._access_token()
            response = await self._send(
                "GET", url, path, params=params, headers={"Authorization": f"Bearer {access}"}
            )
            if response.status_code != 401:
                break
            log.info("HelloAsso: GET %s answered 401, renewing the access token", path)
            await self._discard(access)
        assert response is not None
        status = response.status_code
        if status == 401:
            raise HelloAssoAuthError(f"GET {path}: a fresh access token was refused too", status=401)
        if status == 403:
            raise HelloAssoAuthError(
                f"GET {path}: forbidden (does the API client have the AccessTransactions privilege "
                f"on organisation {self.organization_slug!r}?)",
                status=403,
            )
        if status == 404:
            raise HelloAssoNotFound(f"GET {path}: not found", status=404)
        if status != 200:
            raise HelloAssoError(f"GET {path}: HTTP {status}: {_api_message(response)}", status=status)
        try:
            body = response.json()
        except ValueError as exc:
            raise HelloAssoError(f"GET {path}: the answer is not JSON") from exc
        if not isinstance(body, dict):
            raise HelloAssoError(f"GET {path}: the answer is not a JSON object")
        return body

    async def _send(self, method: str, url: str, label: str, **kwargs: Any) -> httpx.Response:
        """One request with retries on 429, 5xx and network errors; other answers are returned."""
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self.retries:
                    raise HelloAssoUnavailable(
                        f"{method} {label}: network error after {attempt + 1} attempts: {type(exc).__name__}"
                    ) from None
                delay = self._delay(attempt, None)
                log.warning(
                    "HelloAsso %s %s: %s, retry %d in %.2fs",
                    method,
                    label,
                    type(exc).__name__,
                    attempt + 1,
                    delay,
                )
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                if attempt >= self.retries:
                    raise HelloAssoUnavailable(
                        f"{method} {label}: HTTP {response.status_code} after {attempt + 1} attempts",
                        status=response.status_code,
                    )
                delay = self._delay(attempt, _retry_after(response))
                log.warning(
                    "HelloAsso %s %s: HTTP %d, retry %d in %.2fs",
                    method,
                    label,
                    response.status_code,
                    attempt + 1,
                    delay,
                )
            attempt += 1
            await self._sleep(delay)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.backoff_max, self.backoff_base * (2**attempt))
        delay *= 0.5 + random.random() / 2  # jitter
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_max))
        return float(delay)


# --- Helpers ------------------------------------------------------------------------------------------


def _iso(moment: datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (HelloAsso dates carry their offset)")
    return moment.isoformat()


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("retry-after")
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None


def _oauth_error(response: httpx.Response) -> str:
    """The OAuth ``error`` code only: a token endpoint's description is not ours to echo."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    return (
        f"HTTP {response.status_code} {error}" if isinstance(error, str) else f"HTTP {response.status_code}"
    )


def _api_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("message", "error", "title"):
            value = body.get(key)
            if isinstance(value, str):
                return value[:200]
    return ""

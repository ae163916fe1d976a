"""A fake HelloAsso API v5 on 127.0.0.1, in its own thread, for tests and local runs.

Same pattern as the fake Google servers: a ThreadingHTTPServer on a free port, every request
recorded, faults injectable. It serves what ``integrations.helloasso`` reads, shaped like the
real answers (docs/helloasso-notes.md lists the sources):

* ``POST /oauth2/token``: client_credentials and refresh_token grants (refresh tokens rotate);
  access tokens die after ``token_lifetime`` seconds of the fake's own clock (``advance()``), or
  at once with ``expire_access_tokens()``; the API then answers 401.
* ``GET /v5/organizations/{slug}/payments``: ``from``/``to`` (to exclusive), ``states``,
  ``sortOrder``, ``sortField``, ``pageSize``, ``pageIndex`` and ``continuationToken``. Like the
  real one it reports ``totalCount``/``totalPages`` as -1 and still returns a continuation token
  on the last page: the end is an empty ``data``.
* ``GET /v5/payments/{id}``.

Test helpers build payments (a tip, a company payer, a refund, a chargeback, many over a page
boundary, a payout) and notification bodies::

    with FakeHelloAsso() as fake:
        fake.add_payment(2000, tip_cents=300)
        settings = fake.settings()          # HelloAssoSettings pointing at fake.url
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from integrations.helloasso import HelloAssoSettings
from sandbox.local_http import LocalHttpServer

CLIENT_ID = "fake-helloasso-client"
CLIENT_SECRET = "fake-helloasso-secret-0123456789"
ORGANIZATION = "a-nous-la-democratie"
PARIS = ZoneInfo("Europe/Paris")
MAX_PAGE_SIZE = 100
DEFAULT_TOKEN_LIFETIME = 1800.0
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600.0
START = datetime(2026, 1, 5, 10, 0, tzinfo=PARIS)


@dataclass
class RecordedRequest:
    method: str
    path: str  # percent-decoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int = 0

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    @property
    def bearer(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else None


@dataclass
class Fault:
    """The next ``times`` requests whose path matches the regex ``path`` answer ``status``."""

    status: int
    times: int = 1
    path: str | None = None
    retry_after: float | None = None
    fired: int = 0

    def matches(self, path: str) -> bool:
        return self.fired < self.times and (self.path is None or re.search(self.path, path) is not None)


@dataclass
class TokenStats:
    client_credentials: int = 0
    refreshes: int = 0
    refused: int = 0


@dataclass
class _Access:
    expires_at: float


@dataclass
class _Refresh:
    expires_at: float
    used: bool = False


@dataclass
class _Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeHelloAsso(LocalHttpServer):
    """Start with ``start()`` / ``with`` / ``async with``; ``url`` is the ``api_url`` to configure."""

    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        organization_slug: str = ORGANIZATION,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
        tip_in_amount: bool = True,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.organization_slug = organization_slug
        self.token_lifetime = token_lifetime
        # Whether a payment's "amount" includes its "amountTip" (HelloAsso does not say; both are served).
        self.tip_in_amount = tip_in_amount
        self.now = 1_000_000.0  # the fake's clock, for token lifetimes; moved by advance()
        self.payments: dict[int, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.server_errors: list[str] = []
        self.tokens = TokenStats()
        self.issued_tokens: list[str] = []  # every access and refresh token handed out (for leak tests)
        self.lock = threading.RLock()
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._ids = itertools.count(41_001)
        self._order_ids = itertools.count(71_001)
        self._token_ids = itertools.count(1)
        self._next_date = START

    # --- Lifecycle -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self, **overrides: Any) -> HelloAssoSettings:
        values: dict[str, Any] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "organization_slug": self.organization_slug,
            "api_url": self.url,
        }
        values.update(overrides)
        return HelloAssoSettings(**values)

    # --- Clock and tokens ------------------------------------------------------------------------------

    def clock(self) -> float:
        """The fake's clock: hand it to the client (``clock=fake.clock``) to share one timeline."""
        with self.lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is refused from now on (refresh tokens still work)."""
        with self.lock:
            self._access.clear()

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self._refresh.clear()

    @property
    def live_access_tokens(self) -> int:
        with self.lock:
            return sum(1 for a in self._access.values() if a.expires_at > self.now)

    # --- Faults and records ----------------------------------------------------------------------------

    def inject(
        self, status: int, times: int = 1, path: str | None = None, retry_after: float | None = None
    ) -> Fault:
        fault = Fault(status, times, path, retry_after)
        with self.lock:
            self.faults.append(fault)
        return fault

    def calls(self, path: str | None = None, method: str | None = None) -> list[RecordedRequest]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))
            ]

    # --- Payments --------------------------------------------------------------------------------------

    def add_payment(
        self,
        amount_cents: int = 2000,
        *,
        tip_cents: int = 0,
        state: str = "Authorized",
        form_type: str = "Donation",
        form_slug: str = "faire-un-don",
        item_type: str | None = None,
        items: Iterable[tuple[str, int]] | None = None,
        first_name: str | None = "Camille",
        last_name: str | None = "Martin",
        email: str | None = "camille.martin@example.org",
        address: str | None = "12 rue de la République",
        zip_code: str | None = "69002",
        city: str | None = "Lyon",
        country: str | None = "FRA",
        company: str | None = None,
        birth_date: date | None = date(1984, 5, 15),
        when: datetime | None = None,
        means: str = "Card",
        cash_out_state: str = "MoneyIn",
    ) -> dict[str, Any]:
        """Store a payment and return its JSON as the API serves it.

        ``amount_cents`` is the association's part; ``items`` splits it as (TierType, cents)
        pairs (default: one item of ``item_type``, itself chosen from ``form_type``).
        """
        with self.lock:
            payment_id = next(self._ids)
            order_id = next(self._order_ids)
            moment = when or self._tick()
            lines = (
                list(items)
                if items is not None
                else [(item_type or _TIER_OF_FORM.get(form_type, "Payment"), amount_cents)]
            )
            total = sum(cents for _, cents in lines)
            stamp = _stamp(moment)
            payer: dict[str, Any] = {
                "email": email,
                "address": address,
                "city": city,
                "zipCode": zip_code,
                "country": country,
                "company": company,
                "dateOfBirth": None if birth_date is None else f"{birth_date.isoformat()}T00:00:00+02:00",
                "firstName": first_name,
                "lastName": last_name,
            }
            payment: dict[str, Any] = {
                "order": {
                    "id": order_id,
                    "date": stamp,
                    "formSlug": form_slug,
                    "formType": form_type,
                    "organizationName": "À nous la démocratie !",
                    "organizationSlug": self.organization_slug,
                    "organizationType": "Association1901",
                    "organizationIsUnderColucheLaw": False,
                    "meta": {"createdAt": stamp, "updatedAt": stamp},
                },
                "payer": {k: v for k, v in payer.items() if v is not None},
                "items": [
                    {
                        "shareAmount": cents,
                        "shareItemAmount": cents,
                        "id": order_id * 10 + n,
                        "amount": cents,
                        "type": tier,
                        "state": "Processed",
                        "name": _ITEM_NAMES.get(tier, tier),
                    }
                    for n, (tier, cents) in enumerate(lines)
                ],
                "cashOutState": cash_out_state,
                "paymentReceiptUrl": f"https://www.helloasso.com/associations/{self.organization_slug}/"
                f"formulaires/1/paiement-attestation/{order_id}/{payment_id}",
                "id": payment_id,
                "amount": total + tip_cents if self.tip_in_amount else total,
                "date": stamp,
                "paymentMeans": means,
                "installmentNumber": 1,
                "state": state,
                "type": "Offline" if state == "Registered" else "Credit",
                "meta": {"createdAt": stamp, "updatedAt": stamp},
                "refundOperations": [],
            }
            if tip_cents:
                payment["amountTip"] = tip_cents
            self.payments[payment_id] = payment
            return copy.deepcopy(payment)

    def add_company_payment(
        self, amount_cents: int = 50_000, company: str = "Dupont Bâtiment SAS", **kw: Any
    ) -> dict[str, Any]:
        return self.add_payment(amount_cents, company=company, **kw)

    def add_tipped_payment(self, amount_cents: int = 2000, tip_cents: int = 250, **kw: Any) -> dict[str, Any]:
        return self.add_payment(amount_cents, tip_cents=tip_cents, **kw)

    def add_refunded_payment(self, amount_cents: int = 3000, **kw: Any) -> dict[str, Any]:
        payment = self.add_payment(amount_cents, **kw)
        return self.refund(payment["id"])

    def add_contested_payment(self, amount_cents: int = 4000, **kw: Any) -> dict[str, Any]:
        payment = self.add_payment(amount_cents, **kw)
        return self.contest(payment["id"])

    def add_many(self, count: int, amount_cents: int = 1000, **kw: Any) -> list[dict[str, Any]]:
        return [self.add_payment(amount_cents + n, **kw) for n in range(count)]

    def refund(self, payment_id: int, amount_cents: int | None = None) -> dict[str, Any]:
        """Refund in full (or ``amount_cents`` of it: a partial refund keeps the state)."""
        with self.lock:
            payment = self.payments[payment_id]
            tip = int(payment.get("amountTip") or 0)
            share = sum(int(i["shareAmount"]) for i in payment["items"])
            full = amount_cents is None or amount_cents >= share
            stamp = _stamp(self._tick())
            payment["refundOperations"].append(
                {
                    "id": next(self._ids),
                    "amount": share if amount_cents is None else amount_cents,
                    "amountTip": tip if full else 0,
                    "status": "Processed",
                    "meta": {"createdAt": stamp, "updatedAt": stamp},
                }
            )
            if full:
                payment["state"] = "Refunded"
                payment["cashOutState"] = "Refunded"
            payment["meta"]["updatedAt"] = stamp
            return copy.deepcopy(payment)

    def contest(self, payment_id: int) -> dict[str, Any]:
        """A chargeback: the payer disputed the card payment with their bank."""
        with self.lock:
            payment = self.payments[payment_id]
            payment["state"] = "Contested"
            payment["cashOutState"] = "Contested"
            payment["meta"]["updatedAt"] = _stamp(self._tick())
            return copy.deepcopy(payment)

    def cash_out(self, payment_ids: Iterable[int], payout_id: int, when: datetime | None = None) -> None:
        """HelloAsso transferred these payments to the association's bank account."""
        with self.lock:
            stamp = _stamp(when or self._tick())
            for payment_id in payment_ids:
                payment = self.payments[payment_id]
                payment["cashOutState"] = "CashedOut"
                payment["idCashOut"] = payout_id
                payment["cashOutDate"] = stamp

    def set_field(self, payment_id: int, name: str, value: Any) -> None:
        """Overwrite (or, with ``...``, delete) one raw field: for tests of odd answers."""
        with self.lock:
            if value is ...:
                self.payments[payment_id].pop(name, None)
            else:
                self.payments[payment_id][name] = value

    # --- Notifications ---------------------------------------------------------------------------------

    def notification_body(self, payment_id: int, event_type: str = "Payment") -> bytes:
        """The POST body HelloAsso sends to the notification URL for this payment (or its order)."""
        with self.lock:
            payment = copy.deepcopy(self.payments[payment_id])
        if event_type == "Payment":
            payment["order"]["formName"] = "Faire un don"
            doc: dict[str, Any] = {"data": payment, "eventType": "Payment"}
        elif event_type == "Order":
            order = payment.pop("order")
            payer = payment.pop("payer")
            items = payment.pop("items")
            payment["items"] = [
                {"id": i["id"], "shareAmount": i["shareAmount"], "shareItemAmount": i["shareItemAmount"]}
                for i in items
            ]
            data = {
                "payer": payer,
                "items": [
                    {**i, "payments": [{"id": payment_id, "shareAmount": i["shareAmount"]}]} for i in items
                ],
                "payments": [payment],
                "amount": {"total": sum(i["amount"] for i in items), "vat": 0, "discount": 0},
                **{k: v for k, v in order.items()},
            }
            doc = {"data": data, "eventType": "Order"}
        else:
            doc = {"data": {"organizationSlug": self.organization_slug}, "eventType": event_type}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    # --- Request handling -------------------------------------------------------------------------------

    def _tick(self) -> datetime:
        self._next_date += timedelta(minutes=7)
        return self._next_date

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        split = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        req = RecordedRequest(
            method=h.command,
            path=unquote(split.path),
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in h.headers.items()},
            body=h.rfile.read(length) if length else b"",
        )
        with self.lock:
            self.requests.append(req)
            fault = next((f for f in self.faults if f.matches(req.path)), None)
            if fault is not None:
                fault.fired += 1
        if fault is not None:
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            return self._respond(h, req, _Response(fault.status, {"message": "Injected fault"}, headers))
        try:
            with self.lock:
                response = self._route(req)
        except Exception:
            tb = traceback.format_exc()
            self.server_errors.append(tb)
            print(f"FakeHelloAsso bug:\n{tb}", file=sys.stderr)
            response = _Response(500, {"message": "fake server bug (see server_errors)"})
        self._respond(h, req, response)

    def _route(self, req: RecordedRequest) -> _Response:
        if req.path == "/oauth2/token":
            return self._token(req) if req.method == "POST" else _Response(405)
        if not req.path.startswith("/v5/"):
            return _Response(404, {"message": "Not found"})
        token = req.bearer
        access = self._access.get(token or "")
        if access is None or access.expires_at <= self.now:
            return _Response(401, None, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if req.method != "GET":
            return _Response(405)
        m = re.fullmatch(r"/v5/organizations/([^/]+)/payments", req.path)
        if m:
            if m.group(1) != self.organization_slug:
                return _Response(
                    403, {"message": "The JWT token hasn't the privileges or Roles for this action"}
                )
            return self._list(req)
        m = re.fullmatch(r"/v5/payments/(\d+)", req.path)
        if m:
            payment = self.payments.get(int(m.group(1)))
            if payment is None:
                return _Response(404, {"message": "Payment not found"})
            return _Response(200, copy.deepcopy(payment))
        return _Response(404, {"message": "Not found"})

    def _token(self, req: RecordedRequest) -> _Response:
        form = req.form
        grant = form.get("grant_type")
        if form.get("client_id") != self.client_id:
            self.tokens.refused += 1
            return _Response(400, {"error": "invalid_client", "error_description": "Unknown client"})
        if grant == "client_credentials":
            if form.get("client_secret") != self.client_secret:
                self.tokens.refused += 1
                return _Response(400, {"error": "invalid_client", "error_description": "Bad secret"})
            self.tokens.client_credentials += 1
            return _Response(200, self._issue())
        if grant == "refresh_token":
            refresh = self._refresh.get(form.get("refresh_token") or "")
            if refresh is None or refresh.used or refresh.expires_at <= self.now:
                self.tokens.refused += 1
                return _Response(
                    400, {"error": "invalid_grant", "error_description": "Invalid refresh token"}
                )
            refresh.used = True  # rotation: a refresh token serves once
            self.tokens.refreshes += 1
            return _Response(200, self._issue())
        return _Response(400, {"error": "unsupported_grant_type"})

    def _issue(self) -> dict[str, Any]:
        n = next(self._token_ids)
        access = f"fake-access-{n:04d}-{self.client_id}"
        refresh = f"fake-refresh-{n:04d}-{self.client_id}"
        self.issued_tokens += [access, refresh]
        self._access[access] = _Access(self.now + self.token_lifetime)
        self._refresh[refresh] = _Refresh(self.now + REFRESH_TOKEN_LIFETIME)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": int(self.token_lifetime),
        }

    def _list(self, req: RecordedRequest) -> _Response:
        try:
            size = min(MAX_PAGE_SIZE, max(1, int(req.param("pageSize") or 20)))
            index = max(1, int(req.param("pageIndex") or 1))
            since = _parse_query_date(req.param("from"))
            until = _parse_query_date(req.param("to"))
        except ValueError:
            return _Response(400, {"message": "Invalid parameter"})
        states = set(req.query.get("states", []))
        descending = (req.param("sortOrder") or "Desc") == "Desc"
        by_update = (req.param("sortField") or "Date") == "UpdateDate"

        def key(p: Mapping[str, Any]) -> tuple[datetime, int]:
            stamp = p["meta"]["updatedAt"] if by_update else p["date"]
            return datetime.fromisoformat(stamp), int(p["id"])

        rows = [
            p
            for p in self.payments.values()
            if (since is None or key(p)[0] >= since)
            and (until is None or key(p)[0] < until)
            and (not states or p["state"] in states)
        ]
        rows.sort(key=key, reverse=descending)
        cursor = req.param("continuationToken")
        if cursor:
            after = _parse_cursor(cursor)
            if after is None:
                return _Response(400, {"message": "Invalid continuation token"})
            rows = [p for p in rows if (key(p) < after if descending else key(p) > after)]
            page = rows[:size]
        else:
            page = rows[(index - 1) * size : index * size]
        # Like the real API: a token on every page, the last one included; the end is an empty page.
        next_cursor = _cursor(key(page[-1])) if page else (cursor or _cursor((START, 0)))
        return _Response(
            200,
            {
                "data": copy.deepcopy(page),
                "pagination": {
                    "pageSize": size,
                    "totalCount": -1,
                    "pageIndex": index,
                    "totalPages": -1,
                    "continuationToken": next_cursor,
                },
            },
        )

    def _respond(self, h: BaseHTTPRequestHandler, req: RecordedRequest, response: _Response) -> None:
        req.status = response.status
        data = b"" if response.body is None else json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        h.send_response(response.status)
        if data:
            h.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in response.headers.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if data:
            h.wfile.write(data)


_TIER_OF_FORM = {
    "Donation": "Donation",
    "Membership": "Membership",
    "Event": "Registration",
    "CrowdFunding": "Donation",
    "PaymentForm": "Payment",
    "Shop": "Product",
    "Checkout": "Payment",
}
_ITEM_NAMES = {"Donation": "Don", "Membership": "Adhésion 2026", "Registration": "Entrée"}


def _stamp(moment: datetime) -> str:
    """HelloAsso's style: a Paris offset and seven fractional digits ("…T14:11:15.7442115+02:00")."""
    text = moment.astimezone(PARIS).isoformat(timespec="microseconds")
    return text[:26] + "1" + text[26:]


def _parse_query_date(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _cursor(position: tuple[datetime, int]) -> str:
    """Shaped like HelloAsso's ("20180215135600_1914333"), with microseconds to stay exact."""
    moment, payment_id = position
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S%f") + f"_{payment_id}"


def _parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    m = re.fullmatch(r"(\d{20})_(\d+)", cursor)
    if not m:
        return None
    moment = datetime.strptime(m.group(1), "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)
    return moment, int(m.group(2))


__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "ORGANIZATION",
    "FakeHelloAsso",
    "Fault",
    "RecordedRequest",
    "TokenStats",
]

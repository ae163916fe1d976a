"""The HelloAsso client against the fake HelloAsso server (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from integrations.helloasso import (
    HelloAssoAuthError,
    HelloAssoClient,
    HelloAssoNotFound,
    HelloAssoPaginationError,
    HelloAssoSettings,
    HelloAssoUnavailable,
    NotificationTrigger,
    Payment,
    parse_notification,
    payment_from_json,
    verify_signature,
)
from sandbox.helloasso import CLIENT_SECRET, ORGANIZATION, FakeHelloAsso, RecordedRequest, _Response

SINCE = datetime(2026, 1, 1, tzinfo=UTC)
# Tiny backoff: retries run for real, in milliseconds.
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005, "trust_env": False}


@pytest.fixture
def fake() -> Iterator[FakeHelloAsso]:
    with FakeHelloAsso() as server:
        yield server
        assert not server.server_errors, server.server_errors


def make_client(fake: FakeHelloAsso, **kw: Any) -> HelloAssoClient:
    return HelloAssoClient(fake.settings(), clock=fake.clock, **{**FAST, **kw})


@pytest.fixture
async def client(fake: FakeHelloAsso) -> AsyncIterator[HelloAssoClient]:
    async with make_client(fake) as c:
        yield c


async def collect(client: HelloAssoClient, since: datetime = SINCE) -> list[Payment]:
    return [p async for p in client.payments(since)]


def list_calls(fake: FakeHelloAsso) -> list[RecordedRequest]:
    return fake.calls(r"^/v5/organizations/.*/payments$")


# --- Tokens ---------------------------------------------------------------------------------------------


async def test_token_fetched_once_and_reused(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    ids = [fake.add_payment()["id"] for _ in range(3)]
    assert [p.id for p in await collect(client)] == ids
    assert (await client.payment(ids[0])).id == ids[0]
    assert (await client.payment(ids[1])).id == ids[1]

    assert len(fake.calls("^/oauth2/token$")) == 1
    assert (fake.tokens.client_credentials, fake.tokens.refreshes) == (1, 0)
    bearers = {r.bearer for r in fake.calls("^/v5/")}
    assert len(bearers) == 1 and None not in bearers
    form = fake.calls("^/oauth2/token$")[0].form
    assert form["grant_type"] == "client_credentials" and form["client_secret"] == CLIENT_SECRET


async def test_token_renewed_shortly_before_expiry_with_the_refresh_grant(
    fake: FakeHelloAsso, client: HelloAssoClient
) -> None:
    payment_id = fake.add_payment()["id"]
    await client.payment(payment_id)
    fake.advance(1800 - 30)  # still valid for the server, but inside the client's margin
    await client.payment(payment_id)

    assert (fake.tokens.client_credentials, fake.tokens.refreshes) == (1, 1)
    assert not [r for r in fake.requests if r.status == 401]
    refresh_form = fake.calls("^/oauth2/token$")[1].form
    assert refresh_form["grant_type"] == "refresh_token" and "client_secret" not in refresh_form


async def test_token_expiring_mid_pagination_the_sync_still_returns_every_payment(
    fake: FakeHelloAsso,
) -> None:
    ids = [p["id"] for p in fake.add_many(250)]
    seen: list[int] = []
    async with make_client(fake, page_size=100) as client:
        async for payment in client.payments(SINCE):
            seen.append(payment.id)
            if len(seen) == 100:
                fake.advance(3600)  # the token dies between page 1 and page 2
    assert seen == ids
    assert (fake.tokens.client_credentials, fake.tokens.refreshes) == (1, 1)


async def test_401_mid_pagination_renews_once_and_replays_the_page(fake: FakeHelloAsso) -> None:
    ids = [p["id"] for p in fake.add_many(120)]
    seen: list[int] = []
    # The server drops the token while the client still believes it valid: only a 401 tells.
    async with make_client(fake, page_size=50) as client:
        async for payment in client.payments(SINCE):
            seen.append(payment.id)
            if len(seen) == 50:
                fake.expire_access_tokens()
    assert seen == ids
    assert len([r for r in fake.requests if r.status == 401]) == 1
    assert fake.tokens.refreshes == 1


async def test_refused_refresh_token_falls_back_to_client_credentials(
    fake: FakeHelloAsso, client: HelloAssoClient
) -> None:
    payment_id = fake.add_payment()["id"]
    await client.payment(payment_id)
    fake.expire_access_tokens()
    fake.revoke_refresh_tokens()
    assert (await client.payment(payment_id)).id == payment_id
    assert fake.tokens.client_credentials == 2 and fake.tokens.refused == 1


async def test_bad_credentials_raise_an_auth_error_naming_no_secret(fake: FakeHelloAsso) -> None:
    settings = fake.settings(client_secret="wrong-secret-value-42")
    async with HelloAssoClient(settings, **FAST) as client:
        with pytest.raises(HelloAssoAuthError) as caught:
            await collect(client)
    assert "invalid_client" in str(caught.value)
    assert "wrong-secret-value-42" not in str(caught.value)


async def test_another_organisation_is_forbidden(fake: FakeHelloAsso) -> None:
    async with HelloAssoClient(fake.settings(organization_slug="autre-asso"), **FAST) as client:
        with pytest.raises(HelloAssoAuthError, match="AccessTransactions"):
            await collect(client)


# --- Pagination ------------------------------------------------------------------------------------------


async def test_pages_walked_to_the_end_with_the_continuation_token(fake: FakeHelloAsso) -> None:
    fake.add_payment(when=datetime(2025, 12, 20, tzinfo=UTC))  # before `since`: not listed
    ids = [p["id"] for p in fake.add_many(205)]
    async with make_client(fake, page_size=50) as client:
        payments = await collect(client)

    assert [p.id for p in payments] == ids
    dates = [p.date for p in payments]
    assert all(d is not None for d in dates) and dates == sorted(dates)  # type: ignore[type-var]
    calls = list_calls(fake)
    # 50+50+50+50+5, then the empty page that ends it (the last page still carried a token).
    assert len(calls) == 6
    assert calls[0].param("continuationToken") is None
    assert all(c.param("continuationToken") for c in calls[1:])
    assert {c.param("sortOrder") for c in calls} == {"Asc"}
    assert {c.param("pageSize") for c in calls} == {"50"}
    assert datetime.fromisoformat(calls[0].param("from") or "") == SINCE


async def test_a_full_last_page_then_an_empty_one(fake: FakeHelloAsso) -> None:
    fake.add_many(200)
    async with make_client(fake, page_size=100) as client:
        assert len(await collect(client)) == 200
    assert len(list_calls(fake)) == 3


async def test_no_payment_at_all(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    assert await collect(client) == []
    assert len(list_calls(fake)) == 1


async def test_a_stuck_continuation_token_stops_instead_of_looping(fake: FakeHelloAsso) -> None:
    fake.add_many(3)

    def same_page_forever(req: RecordedRequest) -> _Response:
        page = sorted(fake.payments.values(), key=lambda p: p["id"])
        return _Response(200, {"data": page, "pagination": {"continuationToken": "stuck"}})

    fake._list = same_page_forever  # type: ignore[method-assign]
    seen: list[int] = []
    async with make_client(fake) as client:
        with pytest.raises(HelloAssoPaginationError):
            async for payment in client.payments(SINCE):
                seen.append(payment.id)
    assert len(seen) == 3  # each once


async def test_unusable_elements_are_skipped_and_the_walk_goes_on(fake: FakeHelloAsso) -> None:
    first, second = fake.add_many(2)
    pages: dict[str | None, tuple[list[Any], str]] = {
        None: ([{"amount": 100}, first], "A"),
        "A": (["garbage", {"id": "x"}], "B"),  # nothing usable, but the token moved on
        "B": ([second], "C"),
        "C": ([], "C"),
    }

    def scripted(req: RecordedRequest) -> _Response:
        data, token = pages[req.param("continuationToken")]
        return _Response(200, {"data": data, "pagination": {"continuationToken": token}})

    fake._list = scripted  # type: ignore[method-assign]
    async with make_client(fake) as client:
        assert [p.id for p in await collect(client)] == [first["id"], second["id"]]


async def test_naive_since_is_refused(client: HelloAssoClient) -> None:
    with pytest.raises(ValueError, match="aware"):
        await collect(client, datetime(2026, 1, 1))


# --- Retries ---------------------------------------------------------------------------------------------


async def test_429_and_5xx_are_retried(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    ids = [p["id"] for p in fake.add_many(3)]
    fake.inject(429, path="/payments$", retry_after=0)
    fake.inject(503, times=2, path="/payments$")
    fake.inject(502, path="^/oauth2/token$")
    assert [p.id for p in await collect(client)] == ids
    assert [c.status for c in list_calls(fake)] == [429, 503, 503, 200, 200]  # the last: the empty end page


async def test_retries_are_bounded(fake: FakeHelloAsso) -> None:
    fake.add_payment()
    fake.inject(500, times=100, path="/payments$")
    async with make_client(fake, retries=2) as client:
        with pytest.raises(HelloAssoUnavailable) as caught:
            await collect(client)
    assert caught.value.status == 500
    assert len(list_calls(fake)) == 3


async def test_network_errors_are_retried_then_reported(fake: FakeHelloAsso) -> None:
    settings = fake.settings(api_url="http://127.0.0.1:9")  # discard port: connection refused
    async with HelloAssoClient(settings, retries=1, **FAST) as client:
        with pytest.raises(HelloAssoUnavailable, match="network error after 2 attempts"):
            await collect(client)


# --- Payments --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tip_in_amount", [True, False], ids=["amount-includes-tip", "amount-excludes-tip"])
async def test_tip_is_separated_from_the_associations_money(tip_in_amount: bool) -> None:
    with FakeHelloAsso(tip_in_amount=tip_in_amount) as fake:
        raw = fake.add_tipped_payment(2000, tip_cents=250)
        async with make_client(fake) as client:
            payment = await client.payment(raw["id"])
    assert (payment.amount_cents, payment.tip_cents, payment.charged_cents) == (2000, 250, 2250)
    assert payment.tip_in_amount is tip_in_amount
    assert sum(i.amount_cents for i in payment.items) == 2000


def test_tip_without_items_is_never_counted_as_the_associations_money() -> None:
    payment = payment_from_json({"id": 7, "amount": 1500, "amountTip": 200})
    assert (payment.amount_cents, payment.tip_cents, payment.tip_in_amount) == (1300, 200, None)


async def test_membership_with_an_extra_donation_keeps_both_items(
    fake: FakeHelloAsso, client: HelloAssoClient
) -> None:
    raw = fake.add_payment(
        form_type="Membership",
        form_slug="adhesion-2026",
        items=[("Membership", 1500), ("Donation", 1000)],
        tip_cents=100,
    )
    payment = await client.payment(raw["id"])
    assert payment.form_type == "Membership" and payment.form_slug == "adhesion-2026"
    assert [(i.type, i.amount_cents) for i in payment.items] == [("Membership", 1500), ("Donation", 1000)]
    assert (payment.amount_cents, payment.tip_cents) == (2500, 100)
    assert payment.order_id == raw["order"]["id"]


async def test_refunded_and_contested_payments(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    ok = fake.add_payment()["id"]
    refunded = fake.add_refunded_payment(3000)["id"]
    contested = fake.add_contested_payment(4000)["id"]
    partial = fake.add_payment(5000)["id"]
    fake.refund(partial, 1000)
    by_id = {p.id: p for p in await collect(client)}

    assert by_id[ok].is_paid and not by_id[ok].is_refunded and not by_id[ok].is_contested
    assert by_id[refunded].is_refunded and by_id[refunded].state == "Refunded" and not by_id[refunded].is_paid
    assert by_id[refunded].refunded_cents == 3000
    assert by_id[contested].is_contested and not by_id[contested].is_refunded and not by_id[contested].is_paid
    assert by_id[partial].is_partially_refunded and not by_id[partial].is_refunded
    assert by_id[partial].refunded_cents == 1000

    fake.refund(ok)  # refunded after the sync: fetching it again says so
    assert (await client.payment(ok)).is_refunded


async def test_company_payer_is_flagged(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    company = fake.add_company_payment(company="Dupont Bâtiment SAS")["id"]
    person = fake.add_payment()["id"]
    assert (await client.payment(company)).is_company
    assert (await client.payment(company)).payer.company == "Dupont Bâtiment SAS"
    assert not (await client.payment(person)).is_company


async def test_payer_fields_and_dates(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    raw = fake.add_payment(birth_date=date(1986, 7, 5), when=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    payment = await client.payment(raw["id"])
    payer = payment.payer
    assert (payer.first_name, payer.last_name, payer.email) == (
        "Camille",
        "Martin",
        "camille.martin@example.org",
    )
    assert (payer.address, payer.postcode, payer.city, payer.country) == (
        "12 rue de la République",
        "69002",
        "Lyon",
        "FRA",
    )
    assert payer.birth_date == date(1986, 7, 5)  # "1986-07-05T00:00:00+02:00" is 5 July, not 4
    assert payer.has_full_address
    assert payment.date == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert (
        payment.means == "Card" and payment.state == "Authorized" and payment.provider_tx_id == str(raw["id"])
    )
    assert payment.payout_id is None and payment.payout_date is None and payment.cash_out_state == "MoneyIn"


async def test_payout_is_identified(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    payment_id = fake.add_payment()["id"]
    fake.cash_out([payment_id], payout_id=9001, when=datetime(2026, 2, 10, 8, 0, tzinfo=UTC))
    payment = await client.payment(payment_id)
    assert payment.payout_id == 9001
    assert payment.payout_date == datetime(2026, 2, 10, 8, 0, tzinfo=UTC)
    assert payment.cash_out_state == "CashedOut"


async def test_unknown_payment_and_payment_of_another_organisation(
    fake: FakeHelloAsso, client: HelloAssoClient
) -> None:
    with pytest.raises(HelloAssoNotFound):
        await client.payment(999_999)
    payment_id = fake.add_payment()["id"]
    fake.payments[payment_id]["order"]["organizationSlug"] = "autre-asso"
    with pytest.raises(HelloAssoNotFound, match="another organisation|does not belong"):
        await client.payment(payment_id)


def test_payment_from_json_is_tolerant() -> None:
    with pytest.raises(ValueError):
        payment_from_json({})
    with pytest.raises(ValueError):
        payment_from_json({"id": "abc"})
    with pytest.raises(ValueError):
        payment_from_json([1, 2])

    bare = payment_from_json({"id": 12})
    assert (bare.amount_cents, bare.tip_cents, bare.state, bare.date, bare.items) == (
        0,
        0,
        "Unknown",
        None,
        (),
    )
    assert bare.payer.first_name is None and not bare.is_company and not bare.is_refunded

    odd = payment_from_json(
        {
            "id": 13,
            "amount": "1200",
            "amountTip": None,
            "date": "not a date",
            "payer": "nobody",
            "order": {"id": True, "formType": 3},
            "items": [None, {"type": "Donation", "amount": 1200}],
            "cashOutDate": "0001-01-01T00:00:00+00:00",
            "idCashOut": 0,
            "refundOperations": [{"amount": 500, "status": "Aborted"}],
            "meta": {"updatedAt": "2024-06-07T14:11:15.3255145+02:00"},
        }
    )
    assert (odd.amount_cents, odd.tip_cents, odd.date, odd.order_id, odd.form_type) == (
        1200,
        0,
        None,
        None,
        None,
    )
    assert [(i.type, i.amount_cents) for i in odd.items] == [("Donation", 1200)]
    assert odd.payout_date is None and odd.payout_id is None and odd.refunded_cents == 0
    assert odd.updated_at is not None and odd.updated_at.microsecond == 325514


# --- Notifications ---------------------------------------------------------------------------------------


async def test_payment_notification_is_only_a_trigger(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    raw = fake.add_payment(2000)
    body = json.loads(fake.notification_body(raw["id"]))
    body["data"]["amount"] = 99_999_00  # a forged body: its figures are never read
    body["data"]["payer"]["company"] = None
    trigger = client.parse_notification(json.dumps(body).encode())
    assert trigger == NotificationTrigger("Payment", (raw["id"],), raw["order"]["id"], ORGANIZATION)

    fetched = await client.payments_for(trigger)
    assert [(p.id, p.amount_cents) for p in fetched] == [(raw["id"], 2000)]


async def test_order_notification_names_its_payments(fake: FakeHelloAsso, client: HelloAssoClient) -> None:
    raw = fake.add_payment()
    trigger = client.parse_notification(fake.notification_body(raw["id"], "Order"))
    assert trigger is not None and trigger.event_type == "Order"
    assert trigger.payment_ids == (raw["id"],) and trigger.order_id == raw["order"]["id"]


async def test_notification_of_an_unknown_payment_fetches_nothing(client: HelloAssoClient) -> None:
    trigger = client.parse_notification(b'{"eventType": "Payment", "data": {"id": 424242}}')
    assert trigger is not None
    assert await client.payments_for(trigger) == []


def _deep(n: int) -> bytes:
    return b'{"eventType": "Payment", "data": ' + b"[" * n + b"]" * n + b"}"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b"null",
        b'{"eventType": "Payment"}',
        b'{"eventType": "Payment", "data": []}',
        b'{"eventType": "Payment", "data": {"id": "123"}}',
        b'{"eventType": "Payment", "data": {"id": -5}}',
        b'{"eventType": "Payment", "data": {"id": true}}',
        b'{"eventType": "Payment", "data": {"id": 12.5}}',
        b'{"eventType": "Payment", "data": {"id": 99999999999}}',
        b'{"eventType": "Payment", "data": {"id": 5, "order": {"organizationSlug": "autre-asso"}}}',
        b'{"eventType": "Payment", "data": {"id": 5',
        b'{"eventType": "Form", "data": {"id": 5}}',
        b'{"eventType": "Organization", "data": {"id": 5}}',
        b'{"eventType": "payment", "data": {"id": 5}}',
        b'{"eventType": "Order", "data": {"id": 8, "payments": []}}',
        b'{"eventType": "Order", "data": {"id": 8, "payments": [{"id": 5}, {"id": "x"}]}}',
        b'{"eventType": "Order", "data": {"id": 8, "payments": "5"}}',
        b"\xff\xfe\x00garbage",
        b'{"eventType": "Payment", "data": {"id": 5, "pad": "' + b"x" * 300_000 + b'"}}',
        _deep(100_000),
    ],
)
def test_forged_or_garbled_notification_is_ignored(body: bytes) -> None:
    assert parse_notification(body, ORGANIZATION) is None


def test_notification_signature() -> None:
    body = b'{"eventType": "Payment", "data": {"id": 5}}'
    key = "AyCM0yTeQd8In2OzdP3R2HGTrYiCA818UCFLhrD9BCnNhTriWLipxEDpsaTbdfec"
    signature = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    assert verify_signature(body, signature, key)
    assert verify_signature(body, signature.upper(), key)
    assert not verify_signature(body + b" ", signature, key)
    assert not verify_signature(body, None, key)
    assert not verify_signature(body, signature, "")


# --- Secrets ---------------------------------------------------------------------------------------------


async def test_no_secret_in_logs_reprs_or_errors(
    fake: FakeHelloAsso, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    fake.add_many(30)
    errors: list[str] = []
    async with make_client(fake, page_size=10) as client:
        fake.inject(503, path="/payments$")
        seen = 0
        async for _ in client.payments(SINCE):
            seen += 1
            if seen == 10:
                fake.expire_access_tokens()  # a 401 and a refresh in the middle
            if seen == 20:
                fake.advance(3600)  # a proactive refresh too
        reprs = [repr(client), str(client), repr(client._settings), repr(client._token), f"{client._token}"]
        fake.revoke_refresh_tokens()
        fake.expire_access_tokens()
        fake.client_secret = "rotated"  # the next client_credentials grant fails
        try:
            await client.payment(41_001)
        except HelloAssoAuthError as exc:
            errors.append(str(exc))
            errors.append(repr(exc))
    assert seen == 30 and errors
    assert fake.tokens.refreshes >= 2
    secrets = [CLIENT_SECRET, *fake.issued_tokens]
    assert len(secrets) >= 7
    texts = [caplog.text, *reprs, *errors]
    leaks = [s for s in secrets for text in texts if s in text]
    assert not leaks, leaks
    assert "HelloAsso" in caplog.text  # the retry and the renewal were logged, without secrets


def test_settings_repr_hides_the_secret_and_validates() -> None:
    settings = HelloAssoSettings("id-1", "s3cr3t-value", "asso", api_url="https://api.helloasso-sandbox.com/")
    assert "s3cr3t-value" not in repr(settings) and "s3cr3t-value" not in str(settings)
    assert settings.api_url == "https://api.helloasso-sandbox.com"
    with pytest.raises(ValueError):
        HelloAssoSettings("id-1", "", "asso")


async def test_an_injected_http_client_is_not_closed(fake: FakeHelloAsso) -> None:
    payment_id = fake.add_payment()["id"]
    async with httpx.AsyncClient(trust_env=False) as http:
        async with HelloAssoClient(fake.settings(), http=http, **FAST) as client:
            assert (await client.payment(payment_id)).id == payment_id
        assert not http.is_closed

"""bot/web.py: HelloAsso's notification URL is a trigger only; forged calls are refused."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot import web
from bot.services import Services
from capabilities.donations import helloasso
from integrations.helloasso import HelloAssoClient
from sandbox.helloasso import FakeHelloAsso
from storage.models import Donation, Donor, Outbox, Person, RoleGrant
from tests.conftest import make_settings

KEY = "cle-de-signature-0123456789"
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005, "trust_env": False}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sign(body: bytes, key: str = KEY) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def fake() -> Iterator[FakeHelloAsso]:
    with FakeHelloAsso() as server:
        yield server


@pytest.fixture
async def served(db: Any, db_target: Any, fake: FakeHelloAsso) -> AsyncIterator[tuple[Services, str]]:
    settings = make_settings(
        db_target,
        helloasso_api_url=fake.url,
        helloasso_client_id=fake.client_id,
        helloasso_client_secret=fake.client_secret,
        helloasso_organization_slug=fake.organization_slug,
        helloasso_signature_key=KEY,
    )
    services = Services(settings, db)
    services.extras[helloasso.CLIENT_EXTRA] = HelloAssoClient(fake.settings(), clock=fake.clock, **FAST)
    async with db.session() as s:
        person = Person(telegram_id=555, first_name="Nora", consent_version="v", consent_at=datetime.now(UTC))
        person.grants.append(RoleGrant(role="treasurer", scope=""))
        s.add(person)
        s.add(
            Donor(
                first_name="Camille",
                last_name="Martin",
                address="12 rue de la République",
                postcode="69002",
                city="Lyon",
                nationality="FR",
                sworn_declaration_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    port = free_port()
    server = web.listen(web.make_app(services), "127.0.0.1", port)
    yield services, f"http://127.0.0.1:{port}{web.HELLOASSO_PATH}"
    server.stop()
    await web.drain()
    await helloasso.client_of(services).aclose()


async def stored(services: Services) -> list[Donation]:
    async with services.db.session() as s:
        return list(await s.scalars(select(Donation)))


async def test_a_signed_notification_records_the_payment_fetched_again_then_the_sync_adds_nothing(
    served: tuple[Services, str], fake: FakeHelloAsso
) -> None:
    services, url = served
    payment_id = fake.add_payment(2500)["id"]
    body = fake.notification_body(payment_id)
    async with httpx.AsyncClient(trust_env=False) as client:
        answer = await client.post(url, content=body, headers={"x-ha-signature": sign(body)})
        assert answer.status_code == 200
        await web.drain()
        # HelloAsso sends it again (retries are not documented): still one row.
        again = await client.post(url, content=body, headers={"x-ha-signature": sign(body)})
        assert again.status_code == 200
        await web.drain()
    rows = await stored(services)
    assert [(d.provider_tx_id, d.amount_cents) for d in rows] == [(str(payment_id), 2500)]
    assert fake.calls(rf"^/v5/payments/{payment_id}$")  # fetched from the API, not believed
    report = await helloasso.sync(services, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert report.added == 0 and len(await stored(services)) == 1
    async with services.db.session() as s:
        alerts = (await s.scalars(select(Outbox).where(Outbox.dedupe_key.startswith("don:alert:")))).all()
    assert len(alerts) == 1  # the treasurer alerted once


async def test_a_forged_notification_is_refused_and_fetches_nothing(
    served: tuple[Services, str], fake: FakeHelloAsso
) -> None:
    services, url = served
    payment_id = fake.add_payment(2500)["id"]
    body = fake.notification_body(payment_id)
    async with httpx.AsyncClient(trust_env=False) as client:
        for headers in ({"x-ha-signature": sign(body, "devine")}, {}, {"x-ha-signature": "zz"}):
            answer = await client.post(url, content=body, headers=headers)
            assert answer.status_code == 403
        assert (await client.get(url)).status_code == 405
    await asyncio.sleep(0.1)
    await web.drain()
    assert not fake.calls(r"^/v5/payments/") and await stored(services) == []


async def test_polling_mode_with_web_port_serves_helloassos_notification_url(
    sandbox: Any, db: Any, db_target: Any, fake: FakeHelloAsso
) -> None:
    """No WEBHOOK_URL, WEB_PORT set: the bot polls Telegram and the same server takes HelloAsso's
    notifications on 127.0.0.1 (bot/web.py's own run loop, as `python -m bot run` starts it)."""
    from bot.app import build_application
    from sandbox import SandboxRequest

    port = free_port()
    settings = make_settings(
        db_target,
        web_port=port,
        helloasso_api_url=fake.url,
        helloasso_client_id=fake.client_id,
        helloasso_client_secret=fake.client_secret,
        helloasso_organization_slug=fake.organization_slug,
    )
    assert not settings.webhook_url
    app = build_application(
        settings, request=SandboxRequest(sandbox), get_updates_request=SandboxRequest(sandbox)
    )
    services: Services = app.bot_data["services"]
    services.extras[helloasso.CLIENT_EXTRA] = HelloAssoClient(fake.settings(), clock=fake.clock, **FAST)
    async with db.session() as s:
        s.add(
            Donor(
                first_name="Camille",
                last_name="Martin",
                address="12 rue de la République",
                postcode="69002",
                city="Lyon",
                nationality="FR",
                sworn_declaration_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    stop = asyncio.Event()
    running = asyncio.create_task(web._run(app, settings, stop))
    url = f"http://127.0.0.1:{port}{web.HELLOASSO_PATH}"
    try:
        payment_id = fake.add_payment(2500)["id"]
        body = fake.notification_body(payment_id)
        async with httpx.AsyncClient(trust_env=False) as client:
            for _ in range(200):  # the server listens once post_init has run
                try:
                    answer = await client.post(url, content=body)
                    break
                except httpx.TransportError:
                    assert not running.done(), running
                    await asyncio.sleep(0.05)
            assert answer.status_code == 200
        await web.drain()
        rows = await stored(services)
        assert [(d.provider_tx_id, d.amount_cents) for d in rows] == [(str(payment_id), 2500)]
        # Polling works alongside: a user's message is answered.
        user = sandbox.user(4242, "Léa")
        user.send("/start")
        assert (await user.next_message()).plain
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await helloasso.client_of(services).aclose()
    assert running.exception() is None

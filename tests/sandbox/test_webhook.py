"""Webhook mode: the sandbox POSTs updates to a local receiver with the secret token header."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from sandbox import SandboxServer, SandboxUser, TelegramSandbox, WebhookDelivery, sandbox_builder
from sandbox.demo import build_demo_app


class Receiver:
    """A tiny tornado endpoint on 127.0.0.1 that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.fail_next = 0
        self.port = 0
        self._server: tornado.httpserver.HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        receiver = self

        class Hook(tornado.web.RequestHandler):
            def post(self) -> None:
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.set_status(500)
                    return
                secret = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token")
                receiver.received.append((json.loads(self.request.body), secret))

        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(
            tornado.web.Application([(r"/hook", Hook)], log_function=lambda h: None)
        )
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.stop()
        await self._server.close_all_connections()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    await hook.start()
    yield hook
    await hook.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_are_pushed_with_the_secret(
    sb: TelegramSandbox, server: SandboxServer, receiver: Receiver
) -> None:
    alice = sb.user(101, "Alice")
    status, _ = await sb.call(
        "setWebhook", {"url": receiver.url, "secret_token": "s3cr3t", "drop_pending_updates": True}
    )
    assert status == 200
    alice.send("premier")
    alice.send("second")
    await sb.wait_for(lambda: len(receiver.received) == 2)
    assert [(u["message"]["text"], secret) for u, secret in receiver.received] == [
        ("premier", "s3cr3t"),
        ("second", "s3cr3t"),
    ]
    assert receiver.received[0][0]["update_id"] < receiver.received[1][0]["update_id"]
    await sb.wait_for(lambda: not sb.pending_updates)
    status, body = await sb.call("getUpdates", {})
    assert status == 409


async def test_failed_delivery_is_reported_and_retried(
    sb: TelegramSandbox, server: SandboxServer, receiver: Receiver
) -> None:
    receiver.fail_next = 1
    await sb.call("setWebhook", {"url": receiver.url})
    sb.user(101, "Alice").send("insiste")
    await sb.wait_for(lambda: receiver.received)
    assert receiver.received[0][0]["message"]["text"] == "insiste"
    assert receiver.received[0][1] is None  # no secret set, no header
    _, body = await sb.call("getWebhookInfo", {})
    info = body["result"]
    assert info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    assert info["pending_update_count"] == 0


async def test_ptb_webhook_mode(sb: TelegramSandbox, alice: SandboxUser) -> None:
    # In-process Bot API calls, updates pushed over HTTP to PTB's own webhook server.
    delivery = WebhookDelivery(sb)
    delivery.start()
    app = build_demo_app(sandbox_builder(sb))
    port = free_port()
    await app.initialize()
    assert app.updater is not None
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cr3t",
        )
        await app.start()
        assert sb.webhook.url == f"http://127.0.0.1:{port}/hook" and sb.webhook.secret_token == "s3cr3t"
        alice.send("/menu")  # the fixture's /start was still pending: it is delivered first
        first = await alice.next_message()
        assert first.plain == "Bienvenue !"
        menu = await alice.next_message()
        alice.press(menu, "Oui")
        await sb.wait_for(lambda: menu.edits)
        assert menu.plain == "Réponse : oui"

        # PTB refuses a wrong secret with 403; the sandbox reports it like Telegram.
        sb.webhook.secret_token = "autre"
        alice.send("perdu")
        await sb.wait_for(lambda: sb.webhook.last_error_message)
        assert (sb.webhook.last_error_message or "").startswith("Wrong response from the webhook: 403")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await delivery.stop()

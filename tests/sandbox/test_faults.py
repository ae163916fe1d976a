"""Injected faults, seen directly, through PTB in-process, and through PTB over HTTP."""

from __future__ import annotations

import random

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from sandbox import InjectedTimeout, SandboxRequest, SandboxServer, SandboxUser, TelegramSandbox


def in_process_bot(sb: TelegramSandbox) -> Bot:
    return Bot(sb.token, request=SandboxRequest(sb), get_updates_request=SandboxRequest(sb))


def http_bot(sb: TelegramSandbox, server: SandboxServer, read_timeout: float = 5.0) -> Bot:
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=1.0)
    return Bot(sb.token, base_url=server.base_url, base_file_url=server.base_file_url, request=request)


@pytest.mark.parametrize(
    ("kind", "status", "description"),
    [
        ("429", 429, "Too Many Requests: retry after 7"),
        ("403", 403, "Forbidden: bot was blocked by the user"),
        ("500", 500, "Internal Server Error"),
        ("502", 502, "Bad Gateway"),
    ],
)
async def test_status_faults(
    sb: TelegramSandbox, alice: SandboxUser, kind: str, status: int, description: str
) -> None:
    sb.inject_fault("sendMessage", kind, retry_after=7)
    got_status, body = await sb.call("sendMessage", {"chat_id": alice.id, "text": "x"})
    assert (got_status, body["description"]) == (status, description)
    if kind == "429":
        assert body["parameters"] == {"retry_after": 7}
    assert alice.messages == []
    assert (await sb.call("sendMessage", {"chat_id": alice.id, "text": "x"}))[0] == 200  # times=1
    assert sb.stats.faults == 1 and sb.calls_to("sendMessage")[0].fault == kind


# PTB itself warns about RetryAfter.retry_after turning into a timedelta in v23.
PTB_RETRY_AFTER_WARNING = "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_faults_as_ptb_sees_them(sb: TelegramSandbox, alice: SandboxUser) -> None:
    bot = in_process_bot(sb)
    async with bot:
        sb.inject_fault("sendMessage", "429", retry_after=3)
        with pytest.raises(RetryAfter):
            await bot.send_message(alice.id, "x")
        sb.inject_fault("sendMessage", "403")
        with pytest.raises(Forbidden):
            await bot.send_message(alice.id, "x")
        for kind in ("500", "502", "network"):
            sb.inject_fault("sendMessage", kind)
            with pytest.raises(NetworkError):
                await bot.send_message(alice.id, "x")
        assert alice.messages == []


async def test_timeout_applied_or_not(sb: TelegramSandbox, alice: SandboxUser) -> None:
    bot = in_process_bot(sb)
    async with bot:
        sb.inject_fault("sendMessage", "timeout")
        with pytest.raises(TimedOut):
            await bot.send_message(alice.id, "perdu")
        assert alice.messages == []  # never reached Telegram

        sb.inject_fault("sendMessage", "timeout", applied=True)
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(alice.id, "livré quand même")
        assert isinstance(caught.value, InjectedTimeout) and caught.value.applied
        assert [m.plain for m in alice.messages] == ["livré quand même"]  # a retry would duplicate it
    assert [c.status for c in sb.calls_to("sendMessage")] == [None, None]


async def test_fault_filters(sb: TelegramSandbox, alice: SandboxUser) -> None:
    bob = sb.user(102, "Bob")
    bob.send("/start")
    sb.inject_fault(kind="500", chat_id=bob.id, times=2)
    assert (await sb.call("sendMessage", {"chat_id": alice.id, "text": "x"}))[0] == 200
    assert (await sb.call("getUpdates", {}))[0] == 200  # method=None never hits getUpdates
    assert (await sb.call("sendMessage", {"chat_id": bob.id, "text": "x"}))[0] == 500
    assert (await sb.call("sendChatAction", {"chat_id": bob.id, "action": "typing"}))[0] == 500
    assert (await sb.call("sendMessage", {"chat_id": bob.id, "text": "x"}))[0] == 200
    sb.inject_fault("getUpdates", "502", times=None)
    assert (await sb.call("getUpdates", {}))[0] == 502
    sb.clear_faults()
    assert (await sb.call("getUpdates", {}))[0] == 200


async def test_probability_is_seeded(sb: TelegramSandbox, alice: SandboxUser) -> None:
    sb.inject_fault("sendMessage", "502", times=None, probability=0.3, seed=42)
    statuses = [(await sb.call("sendMessage", {"chat_id": alice.id, "text": "x"}))[0] for _ in range(40)]
    rng = random.Random(42)
    assert statuses == [502 if rng.random() < 0.3 else 200 for _ in range(40)]
    assert 0 < statuses.count(502) < 40


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_faults_over_http(sb: TelegramSandbox, alice: SandboxUser, server: SandboxServer) -> None:
    bot = http_bot(sb, server, read_timeout=0.3)
    async with bot:
        sb.inject_fault("sendMessage", "timeout", hang=2.0)
        with pytest.raises(TimedOut):
            await bot.send_message(alice.id, "perdu")
        sb.inject_fault("sendMessage", "network", applied=True)
        with pytest.raises(NetworkError):
            await bot.send_message(alice.id, "livré")
        sb.inject_fault("sendMessage", "429", retry_after=2)
        with pytest.raises(RetryAfter):
            await bot.send_message(alice.id, "trop vite")
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(alice.id, "")
        await bot.send_message(alice.id, "enfin")
    assert [m.plain for m in alice.messages] == ["livré", "enfin"]

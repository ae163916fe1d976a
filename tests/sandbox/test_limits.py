"""Flood limits on a fake clock: 429s with Telegram's retry_after, scaling, counters."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox import FakeClock, Limits, SandboxUser, TelegramSandbox, UploadedFile


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limited(clock: FakeClock) -> TelegramSandbox:
    return TelegramSandbox(limits=Limits(enforce=True), clock=clock)


def started_users(sb: TelegramSandbox, count: int) -> list[SandboxUser]:
    users = [sb.user(1000 + i, f"U{i}") for i in range(count)]
    for user in users:
        user.send("/start")
    return users


async def send(
    sb: TelegramSandbox, chat_id: int, method: str = "sendMessage", **extra: Any
) -> tuple[int, dict[str, Any]]:
    return await sb.call(method, {"chat_id": chat_id, "text": "x", **extra})


async def test_one_message_per_second_per_chat(limited: TelegramSandbox, clock: FakeClock) -> None:
    [user] = started_users(limited, 1)
    assert (await send(limited, user.id))[0] == 200
    status, body = await send(limited, user.id)
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    clock.advance(0.999)
    assert (await send(limited, user.id))[0] == 429
    clock.advance(0.001)
    assert (await send(limited, user.id))[0] == 200
    assert (limited.stats.sent, limited.stats.rate_limited) == (2, 2)
    assert len(user.messages) == 2


async def test_edits_count_too(limited: TelegramSandbox, clock: FakeClock) -> None:
    [user] = started_users(limited, 1)
    _, body = await send(limited, user.id)
    status, _ = await limited.call(
        "editMessageText", {"chat_id": user.id, "message_id": body["result"]["message_id"], "text": "y"}
    )
    assert status == 429


async def test_twenty_per_minute_per_group(limited: TelegramSandbox, clock: FakeClock) -> None:
    group = limited.group(-1001, "AG")
    for _ in range(20):
        assert (await send(limited, group.id))[0] == 200
        clock.advance(1.0)  # respect the per-chat limit; it is the group limit that bites
    status, body = await send(limited, group.id)
    assert status == 429
    # The first message went out at t=0 and it is now t=20: the slot frees 40 s later.
    assert body["parameters"]["retry_after"] == 40
    clock.advance(39.5)
    assert (await send(limited, group.id))[1]["parameters"]["retry_after"] == 1
    clock.advance(0.5)
    assert (await send(limited, group.id))[0] == 200


async def test_thirty_per_second_overall(limited: TelegramSandbox, clock: FakeClock) -> None:
    users = started_users(limited, 31)
    statuses = [(await send(limited, user.id))[0] for user in users]
    assert statuses == [200] * 30 + [429]
    clock.advance(1.0)
    assert (await send(limited, users[-1].id))[0] == 200


async def test_documents_and_photos_are_limited(limited: TelegramSandbox) -> None:
    [user] = started_users(limited, 1)
    assert (await limited.call("sendDocument", {"chat_id": user.id, "document": _upload()}))[0] == 200
    assert (await limited.call("sendDocument", {"chat_id": user.id, "document": _upload()}))[0] == 429


def _upload() -> UploadedFile:
    return UploadedFile("a.txt", b"contenu", "text/plain")


async def test_scale_multiplies_every_limit(clock: FakeClock) -> None:
    sb = TelegramSandbox(limits=Limits(enforce=True, scale=10), clock=clock)
    [user] = started_users(sb, 1)
    statuses = [(await send(sb, user.id))[0] for _ in range(11)]
    assert statuses == [200] * 10 + [429]

    slow = TelegramSandbox(limits=Limits(enforce=True, scale=0.5), clock=clock)
    [other] = started_users(slow, 1)
    assert (await send(slow, other.id))[0] == 200
    status, body = await send(slow, other.id)
    assert (status, body["parameters"]["retry_after"]) == (429, 2)  # 0.5 msg/s: one every 2 s


async def test_not_enforced_by_default(clock: FakeClock) -> None:
    sb = TelegramSandbox(clock=clock)
    [user] = started_users(sb, 1)
    statuses = [(await send(sb, user.id))[0] for _ in range(50)]
    assert set(statuses) == {200}
    sb.limits = Limits(enforce=True)
    assert (await send(sb, user.id))[0] == 200  # new limits start from a clean slate
    assert (await send(sb, user.id))[0] == 429
    assert sb.stats.rate_limited == 1 and sb.stats.by_status[429] == 1


async def test_failed_calls_do_not_use_a_slot(limited: TelegramSandbox) -> None:
    [user] = started_users(limited, 1)
    assert (await limited.call("sendMessage", {"chat_id": user.id, "text": ""}))[0] == 400
    assert (await send(limited, user.id))[0] == 200

"""The outbox sender: Telegram's limits, retries, 403, migrations, never twice."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.messages import text_message
from storage import outbox
from storage.models import Chat, Outbox


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # Limits scaled ×50 on both sides keep these tests short.
    return {
        "send_per_chat_per_second": 50.0,
        "send_per_group_per_minute": 1000.0,
        "send_global_per_second": 1500.0,
    }


async def queue(bot, chat_id: int, n: int, prefix: str = "m") -> None:  # type: ignore[no-untyped-def]
    async with bot.services.transaction() as s:
        for i in range(n):
            await outbox.enqueue(s, chat_id, text_message(f"{prefix} {i}"))


async def test_messages_arrive_once_in_order_within_limits(bot) -> None:  # type: ignore[no-untyped-def]
    from sandbox import Limits

    bot.sb.limits = Limits(enforce=True, scale=50)
    lea = bot.user(501, "Léa")
    lea.send("/aide")
    await lea.next_message()
    group = bot.sb.group(-2001, "Lyon")
    await queue(bot, 501, 20)
    await queue(bot, -2001, 60, "g")
    counts = await bot.outbox_idle(timeout=20)
    assert counts == {"sent": 80}
    assert [m.plain for m in lea.messages[1:]] == [f"m {i}" for i in range(20)]
    assert [m.plain for m in group.messages] == [f"g {i}" for i in range(60)]
    assert bot.sb.stats.rate_limited == 0


async def test_429_retry_after_is_honoured_not_a_fixed_delay(bot) -> None:  # type: ignore[no-untyped-def]
    lea = bot.user(502, "Léa")
    lea.send("/aide")
    await lea.next_message()
    # 3 s, not 1: a sender that ignored retry_after for a fixed short delay would retry too early.
    bot.sb.inject_fault(method="sendMessage", kind="429", times=1, chat_id=502, retry_after=3)
    before = len(bot.sb.calls)
    await queue(bot, 502, 1)
    assert await bot.outbox_idle(timeout=10) == {"sent": 1}
    assert [m.plain for m in lea.messages[1:]] == ["m 0"]
    # The sender itself scheduled the retry (PTB's limiter must not retry outbox calls behind its back).
    async with bot.services.db.session() as s:
        row = await s.scalar(select(Outbox).where(Outbox.chat_id == 502))
    assert row is not None and row.attempts == 2 and (row.last_error or "").startswith("429")
    tries = [
        c
        for c in bot.sb.calls[before:]
        if c.method == "sendMessage" and c.params.get("chat_id") in (502, "502")
    ]
    assert [c.status for c in tries] == [429, 200]
    spacing = tries[1].time - tries[0].time
    assert 3.0 <= spacing < 5.0, spacing


@pytest.mark.parametrize("kind", ["500", "502", "timeout", "network"])
async def test_transient_errors_are_retried_without_duplicates(bot, kind: str) -> None:  # type: ignore[no-untyped-def]
    lea = bot.user(503, "Léa")
    lea.send("/aide")
    await lea.next_message()
    bot.sb.inject_fault(method="sendMessage", kind=kind, times=2, chat_id=503)
    await queue(bot, 503, 3)
    assert await bot.outbox_idle(timeout=20) == {"sent": 3}
    assert sorted(m.plain for m in lea.messages[1:]) == ["m 0", "m 1", "m 2"]


async def test_403_marks_the_person_unreachable(bot) -> None:  # type: ignore[no-untyped-def]
    lea = bot.user(504, "Léa")
    await bot.onboard(lea)
    lea.block_bot()
    await queue(bot, 504, 1)
    assert (
        await bot.outbox_idle() == {"sent": 0, "unreachable": 1}
        or (await bot.outbox_idle()).get("unreachable") == 1
    )
    person = await bot.person(504)
    assert person is not None and person.reachable is False


async def test_403_without_my_chat_member_marks_a_deleted_account_unreachable(bot) -> None:  # type: ignore[no-untyped-def]
    """A deleted account sends no my_chat_member update: the 403 alone must mark the person."""
    lea = bot.user(509, "Léa")
    await bot.onboard(lea)
    await bot.outbox_idle()
    seen = len(bot.sb.calls)
    lea.deactivate()
    await queue(bot, 509, 1)
    assert (await bot.outbox_idle()).get("unreachable") == 1
    person = await bot.person(509)
    assert person is not None and person.reachable is False
    tries = [c for c in bot.sb.calls[seen:] if c.params.get("chat_id") in (509, "509")]
    assert [c.status for c in tries] == [403]  # tried once, not retried


async def test_unblocking_makes_the_person_reachable_again(bot) -> None:  # type: ignore[no-untyped-def]
    from capabilities.announcements import queue as queue_announcement

    lea = bot.user(505, "Léa")
    await bot.onboard(lea)
    lea.block_bot()
    await queue(bot, 505, 1)
    assert (await bot.outbox_idle()).get("unreachable") == 1
    lea.unblock_bot()
    for _ in range(100):  # the my_chat_member update is handled asynchronously
        person = await bot.person(505)
        if person is not None and person.reachable:
            break
        await asyncio.sleep(0.05)
    assert person is not None and person.reachable is True
    async with bot.services.transaction() as s:
        await queue_announcement(s, None, "all", "", "Réunion jeudi")
    await bot.outbox_idle()
    assert "Réunion jeudi" in lea.messages[-1].plain


async def test_never_started_user_is_unreachable_not_retried_forever(bot) -> None:  # type: ignore[no-untyped-def]
    bot.user(505, "Jamais")
    await queue(bot, 505, 1)
    counts = await bot.outbox_idle()
    assert counts.get("unreachable") == 1


async def test_group_migration_is_followed(bot) -> None:  # type: ignore[no-untyped-def]
    coord_group = bot.sb.group(-3001, "Ancien groupe", type="group")
    async with bot.services.transaction() as s:
        s.add(Chat(id=-3001, type="group", title="Ancien groupe"))
    member = bot.user(508, "Membre")
    coord_group.add_member(member)
    new_group = coord_group.migrate(by=member, new_id=-1003001)
    await bot.outbox_idle()
    await queue(bot, -3001, 1)
    assert (await bot.outbox_idle()).get("sent") == 1
    assert [m.plain for m in new_group.messages if m.plain == "m 0"] == ["m 0"]
    async with bot.services.db.session() as s:
        row = await s.scalar(select(Outbox))
        old = await s.get(Chat, -3001)
    assert row is not None and row.chat_id == -1003001
    assert old is not None and old.migrated_to == -1003001


async def test_bad_request_fails_once_without_retry(bot) -> None:  # type: ignore[no-untyped-def]
    lea = bot.user(506, "Léa")
    lea.send("/aide")
    await lea.next_message()
    async with bot.services.transaction() as s:
        await outbox.enqueue(s, 506, text_message("<b>oops"))  # broken HTML: Telegram says 400
    assert (await bot.outbox_idle()).get("failed") == 1


async def test_two_senders_never_send_a_row_twice(bot) -> None:  # type: ignore[no-untyped-def]
    from bot.delivery import OutboxSender

    lea = bot.user(507, "Léa")
    lea.send("/aide")
    await lea.next_message()
    svc = bot.services
    second = OutboxSender(svc.db, bot.app.bot, svc.settings)
    await second.start()
    try:
        await queue(bot, 507, 30)
        second.kick()
        assert await bot.outbox_idle(timeout=20) == {"sent": 30}
    finally:
        await second.stop()
    texts = [m.plain for m in lea.messages[1:]]
    assert sorted(texts) == sorted(f"m {i}" for i in range(30))

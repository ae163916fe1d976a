from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.messages import text_message
from storage import outbox
from storage.models import Outbox, utcnow


async def test_dedupe_key_queues_once(db) -> None:  # type: ignore[no-untyped-def]
    async with db.session() as s:
        assert await outbox.enqueue(s, 10, text_message("a"), dedupe_key="k1")
        assert not await outbox.enqueue(s, 10, text_message("a"), dedupe_key="k1")
        assert await outbox.enqueue(s, 10, text_message("b"))
        assert await outbox.enqueue(s, 10, text_message("b"))
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Outbox)) == 3


async def test_claim_is_won_once_and_recovery_never_resends(db) -> None:  # type: ignore[no-untyped-def]
    async with db.session() as s:
        await outbox.enqueue(s, 10, text_message("a"))
    async with db.session() as s:
        (row,) = await outbox.due(s, utcnow(), 10)
    async with db.session() as s:
        assert await outbox.claim(s, row.id)
    async with db.session() as s:
        assert not await outbox.claim(s, row.id)
        assert await outbox.due(s, utcnow(), 10) == []
    async with db.session() as s:
        assert await outbox.recover_interrupted(s) == 0  # a live sender may still hold it
        assert await outbox.recover_interrupted(s, older_than=timedelta(0)) == 1
    async with db.session() as s:
        assert await outbox.counts(s) == {outbox.UNCERTAIN: 1}
        assert await outbox.due(s, utcnow(), 10) == []


async def test_rollback_drops_the_message_with_the_change(db) -> None:  # type: ignore[no-untyped-def]
    try:
        async with db.session() as s:
            await outbox.enqueue(s, 10, text_message("a"))
            raise RuntimeError("the state change failed")
    except RuntimeError:
        pass
    async with db.session() as s:
        assert await outbox.counts(s) == {}

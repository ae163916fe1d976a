"""The outbox: messages decided in a transaction, delivered later by one sender."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rows_changed
from storage.models import Outbox, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNREACHABLE = "unreachable"
UNCERTAIN = "uncertain"


async def enqueue(
    session: AsyncSession,
    chat_id: int,
    payload: dict[str, Any],
    *,
    method: str = "sendMessage",
    dedupe_key: str | None = None,
    batch: str | None = None,
    person_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue a message in the caller's transaction. A repeated dedupe_key queues nothing (False)."""
    values = {
        "chat_id": chat_id,
        "method": method,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "batch": batch,
        "person_id": person_id,
        "status": PENDING,
        "attempts": 0,
        "next_try_at": not_before or utcnow(),
        "created_at": utcnow(),
    }
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Outbox).values(**values)
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = await session.execute(stmt)
    return bool(rows_changed(result))


async def enqueue_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Queue many messages in the caller's transaction (announcements): one cached statement run
    with many parameter sets. rows: chat_id, payload and optional method, dedupe_key, batch,
    person_id. A row whose dedupe_key exists is skipped."""
    if not rows:
        return
    now = utcnow()
    values = [
        {
            "method": "sendMessage",
            "dedupe_key": None,
            "batch": None,
            "person_id": None,
            **row,
            "status": PENDING,
            "attempts": 0,
            "next_try_at": now,
            "created_at": now,
        }
        for row in rows
    ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    conn = await session.connection()
    await conn.execute(insert(Outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]), values)


async def due(session: AsyncSession, now: datetime, limit: int) -> list[Outbox]:
    """The oldest pending row of each chat, if it is due: a chat's messages go out in order."""
    # A claim older than any send's timeout belongs to a dead sender: it no longer holds the chat.
    busy = set(
        await session.scalars(
            select(Outbox.chat_id).where(
                Outbox.status == SENDING, Outbox.claimed_at > now - timedelta(seconds=60)
            )
        )
    )
    # Pending rows by id read straight off the status index (it ends with the row id): no sort of
    # the whole backlog on every look.
    rows = await session.scalars(
        select(Outbox).where(Outbox.status == PENDING).order_by(Outbox.id).limit(limit)
    )
    heads: dict[int, Outbox] = {}
    for row in rows:
        if row.chat_id not in busy:
            heads.setdefault(row.chat_id, row)
    return [r for r in heads.values() if r.next_try_at <= now]


async def next_due_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(func.min(Outbox.next_try_at)).where(Outbox.status == PENDING))


async def claim(session: AsyncSession, row_id: int) -> bool:
    """Mark one row as being sent; only one process can win it."""
    result = await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.status == PENDING)
        .values(status=SENDING, attempts=Outbox.attempts + 1, claimed_at=utcnow())
    )
    return rows_changed(result) == 1


async def claim_many(session: AsyncSession, row_ids: list[int]) -> set[int]:
    """Claim several rows at once; returns the ids this process won."""
    if not row_ids:
        return set()
    result = await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(row_ids), Outbox.status == PENDING)
        .values(status=SENDING, attempts=Outbox.attempts + 1, claimed_at=utcnow())
        .returning(Outbox.id)
    )
    return set(result.scalars().all())


async def mark(session: AsyncSession, row_id: int, status: str, **values: Any) -> None:
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(status=status, **values))


async def mark_sent_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """rows: {"row_id", "sent_at", "message_id"}; one executemany statement."""
    stmt = (
        update(Outbox)
        .where(Outbox.id == bindparam("row_id"))
        .values(status=SENT, sent_at=bindparam("sent_at"), message_id=bindparam("message_id"))
    )
    conn = await session.connection()
    await conn.execute(stmt, rows)


async def release(
    session: AsyncSession, row_id: int, delay: timedelta, error: str, chat_id: int | None = None
) -> None:
    """Put a row back for a later try (network error, 5xx, 429, migrated group)."""
    values: dict[str, Any] = {"status": PENDING, "next_try_at": utcnow() + delay, "last_error": error[:500]}
    if chat_id is not None:
        values["chat_id"] = chat_id
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))


async def recover_interrupted(session: AsyncSession, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Rows left 'sending' by a crash may or may not have reached Telegram: never resend them blindly.

    Only old claims are relabelled, so that another live sender's rows are left alone.
    """
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == SENDING, Outbox.claimed_at < utcnow() - older_than)
        .values(status=UNCERTAIN, last_error="interrupted")
    )
    return rows_changed(result) or 0


async def counts(session: AsyncSession, batch: str | None = None) -> dict[str, int]:
    stmt = select(Outbox.status, func.count()).group_by(Outbox.status)
    if batch is not None:
        stmt = stmt.where(Outbox.batch == batch)
    return {status: n for status, n in (await session.execute(stmt)).all()}

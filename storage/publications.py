"""The publication ledger's queries: one row per post and channel, claimed before each attempt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import PostStatus, PublicationStatus
from storage.db import rows_changed
from storage.models import ComPost, Publication, utcnow

SETTLED = frozenset({PublicationStatus.PUBLISHED, PublicationStatus.FAILED, PublicationStatus.SKIPPED})


def key_for(post_id: int, channel: str) -> str:
    """The idempotency key of one post on one channel (the adapters derive their markers from it)."""
    return f"post:{post_id}:{channel}"


async def post(session: AsyncSession, post_id: int) -> ComPost | None:
    return await session.get(ComPost, post_id)


async def post_by_key(session: AsyncSession, external_key: str) -> ComPost | None:
    return await session.scalar(select(ComPost).where(ComPost.external_key == external_key))


async def of_post(session: AsyncSession, post_id: int) -> list[Publication]:
    rows = await session.scalars(
        select(Publication).where(Publication.post_id == post_id).order_by(Publication.id)
    )
    return list(rows)


async def ensure(session: AsyncSession, post_id: int, channel: str, **values: Any) -> None:
    """Create the row of `channel` for the post unless it exists (two workers may race here)."""
    row = {
        "post_id": post_id,
        "channel": channel,
        "key": key_for(post_id, channel),
        "status": PublicationStatus.PENDING,
        "attempts": 0,
        "remote_id": "",
        "url": "",
        "error_kind": "",
        "error_detail": "",
        "metrics": {},
        "created_at": utcnow(),
        "updated_at": utcnow(),
        **values,
    }
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(Publication).values(**row).on_conflict_do_nothing())


async def claim(session: AsyncSession, publication_id: int, expected: str) -> bool:
    """Move one row from `expected` to SENDING; only one caller wins (one UPDATE ... WHERE status)."""
    result = await session.execute(
        update(Publication)
        .where(Publication.id == publication_id, Publication.status == expected)
        .values(status=PublicationStatus.SENDING, attempts=Publication.attempts + 1, updated_at=utcnow())
    )
    return rows_changed(result) == 1


async def settle(session: AsyncSession, publication_id: int, **values: Any) -> None:
    """Write an attempt's outcome on a row this caller claimed."""
    await session.execute(
        update(Publication)
        .where(Publication.id == publication_id, Publication.status == PublicationStatus.SENDING)
        .values(updated_at=utcnow(), **values)
    )


async def drop(session: AsyncSession, publication_id: int) -> bool:
    """A row whose channel was unticked: never sent (only from PENDING or UNCERTAIN, never SENDING)."""
    result = await session.execute(
        update(Publication)
        .where(
            Publication.id == publication_id,
            Publication.status.in_([PublicationStatus.PENDING, PublicationStatus.UNCERTAIN]),
        )
        .values(status=PublicationStatus.SKIPPED, error_kind="removed", next_try_at=None, updated_at=utcnow())
    )
    return rows_changed(result) == 1


async def reopen(session: AsyncSession, post_id: int, publication_ids: Sequence[int]) -> None:
    """Settled rows, never PUBLISHED ones, removed so that the next pass makes them again (PENDING,
    or skipped again when the channel is still not configured)."""
    if publication_ids:
        await session.execute(
            delete(Publication).where(
                Publication.post_id == post_id,
                Publication.id.in_(list(publication_ids)),
                Publication.status.in_([PublicationStatus.FAILED, PublicationStatus.SKIPPED]),
            )
        )


async def mark_interrupted(session: AsyncSession, post_id: int | None, before: datetime) -> int:
    """SENDING rows whose attempt began before `before` belong to a process that stopped: their
    outcome is unknown (UNCERTAIN: the platform is looked at before any new attempt)."""
    condition = [Publication.status == PublicationStatus.SENDING, Publication.updated_at < before]
    if post_id is not None:
        condition.append(Publication.post_id == post_id)
    result = await session.execute(
        update(Publication).where(*condition).values(status=PublicationStatus.UNCERTAIN)
    )
    return rows_changed(result)


async def due_posts(session: AsyncSession, now: datetime, limit: int = 50) -> list[int]:
    """Posts to publish now: approved, or scheduled and their time has come."""
    rows = await session.scalars(
        select(ComPost.id)
        .where(
            or_(
                ComPost.status == PostStatus.APPROVED,
                (ComPost.status == PostStatus.SCHEDULED) & (ComPost.publish_at <= now),
            )
        )
        .order_by(ComPost.id)
        .limit(limit)
    )
    return list(rows)


async def set_post_status(
    session: AsyncSession, post_id: int, expected: Sequence[str], **values: Any
) -> bool:
    result = await session.execute(
        update(ComPost).where(ComPost.id == post_id, ComPost.status.in_(list(expected))).values(**values)
    )
    return rows_changed(result) == 1


async def for_metrics(
    session: AsyncSession, since: datetime, stale_before: datetime, limit: int = 100
) -> list[Publication]:
    """Published rows of the last days whose figures are missing or older than `stale_before`."""
    rows = await session.scalars(
        select(Publication)
        .where(
            Publication.status == PublicationStatus.PUBLISHED,
            Publication.published_at >= since,
            Publication.remote_id != "",
            or_(Publication.metrics_at.is_(None), Publication.metrics_at <= stale_before),
        )
        .order_by(Publication.id)
        .limit(limit)
    )
    return list(rows)


async def save_metrics(
    session: AsyncSession, publication_id: int, metrics: dict[str, int], at: datetime
) -> None:
    await session.execute(
        update(Publication).where(Publication.id == publication_id).values(metrics=metrics, metrics_at=at)
    )

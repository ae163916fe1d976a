"""Queries of the communication requests (capabilities.communication.requests)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import ComRequestStatus, PostPurpose
from storage.models import ComPost, ComRequest, Outbox

ACTIVE = (ComRequestStatus.OPEN, ComRequestStatus.CLAIMED)


def card_prefix(request_id: int) -> str:
    """The outbox key of a request's cards: `comreq:<id>:card:<tag>`."""
    return f"comreq:{request_id}:card:"


async def add(session: AsyncSession, **values: Any) -> ComRequest:
    request = ComRequest(**values)
    session.add(request)
    await session.flush()
    return request


async def by_id(session: AsyncSession, request_id: int, lock: bool = False) -> ComRequest | None:
    stmt = select(ComRequest).where(ComRequest.id == request_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def by_email(session: AsyncSession, email_id: int) -> ComRequest | None:
    return await session.scalar(select(ComRequest).where(ComRequest.email_id == email_id))


async def transition(
    session: AsyncSession, request_id: int, from_: Sequence[str], values: dict[str, Any]
) -> bool:
    """Change a request only if it is still in one of `from_` (two presses at once: one wins)."""
    result = await session.execute(
        update(ComRequest)
        .where(ComRequest.id == request_id, ComRequest.status.in_(list(from_)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def active(session: AsyncSession) -> list[ComRequest]:
    """Open and claimed requests, by deadline (none last), then by age."""
    rows = await session.scalars(select(ComRequest).where(ComRequest.status.in_(ACTIVE)))
    return sorted(
        rows,
        key=lambda r: (r.deadline is None, r.deadline or r.created_at, r.created_at, r.id),
    )


async def due_reminders(session: AsyncSession, before: datetime) -> list[ComRequest]:
    """Active requests with a deadline before `before`, not reminded yet."""
    return list(
        await session.scalars(
            select(ComRequest)
            .where(
                ComRequest.status.in_(ACTIVE),
                ComRequest.deadline.is_not(None),
                ComRequest.deadline <= before,
                ComRequest.reminded_at.is_(None),
            )
            .order_by(ComRequest.id)
            .with_for_update(skip_locked=True)
        )
    )


async def due_escalations(session: AsyncSession, created_before: datetime) -> list[ComRequest]:
    """Open requests nobody took since `created_before`, not escalated yet."""
    return list(
        await session.scalars(
            select(ComRequest)
            .where(
                ComRequest.status == ComRequestStatus.OPEN,
                ComRequest.created_at <= created_before,
                ComRequest.escalated_at.is_(None),
            )
            .order_by(ComRequest.id)
            .with_for_update(skip_locked=True)
        )
    )


async def cards(session: AsyncSession, request_id: int) -> list[Outbox]:
    """The outbox rows of a request's cards (to edit them when the request changes)."""
    prefix = card_prefix(request_id)
    return list(
        await session.scalars(select(Outbox).where(Outbox.dedupe_key.like(f"{prefix}%")).order_by(Outbox.id))
    )


async def post_of(session: AsyncSession, request_id: int) -> ComPost | None:
    """The post written for a request, if one was started."""
    return await session.scalar(
        select(ComPost)
        .where(ComPost.request_id == request_id, ComPost.purpose == PostPurpose.REQUEST)
        .order_by(ComPost.id)
        .limit(1)
    )


async def add_post(session: AsyncSession, **values: Any) -> ComPost:
    post = ComPost(**values)
    session.add(post)
    await session.flush()
    return post

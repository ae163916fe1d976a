"""Queries of the communication planning: suggested posts, site needs, photos, the digest, the calendar."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import (
    ComRequestKind,
    ComRequestStatus,
    EventStatus,
    PostStatus,
    PublicationStatus,
    RsvpStatus,
)
from storage.db import rows_changed
from storage.models import CampaignLedger, ComPost, ComRequest, Event, Participation, Publication


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


async def public_events(
    session: AsyncSession, kinds: Collection[str], start: datetime, end: datetime
) -> list[Event]:
    """Scheduled events of these kinds starting in [start, end)."""
    return list(
        await session.scalars(
            select(Event)
            .where(
                Event.status == EventStatus.SCHEDULED,
                Event.kind.in_(list(kinds)),
                Event.starts_at >= start,
                Event.starts_at < end,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


async def add_suggestion(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert a suggested post; False when the event already has one for this purpose."""
    result = await session.execute(
        _insert(session)(ComPost)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["event_id", "purpose"])
    )
    return bool(rows_changed(result))


async def post_of_event(
    session: AsyncSession, event_id: int, purpose: str, lock: bool = False
) -> ComPost | None:
    stmt = select(ComPost).where(ComPost.event_id == event_id, ComPost.purpose == purpose)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def due_suggestions(session: AsyncSession, now: datetime) -> list[ComPost]:
    return list(
        await session.scalars(
            select(ComPost)
            .where(
                ComPost.status == PostStatus.SUGGESTED, ComPost.due_at <= now, ComPost.event_id.is_not(None)
            )
            .order_by(ComPost.due_at, ComPost.id)
        )
    )


# Statuses of a post that was not published yet and may still be stopped.
UNPUBLISHED = (
    PostStatus.SUGGESTED,
    PostStatus.DRAFT,
    PostStatus.SUBMITTED,
    PostStatus.SCHEDULED,
    PostStatus.PAUSED,
)


async def cancel_posts_of_cancelled_events(session: AsyncSession, purposes: Sequence[str]) -> int:
    """The event posts not published yet of cancelled events become cancelled."""
    cancelled = select(Event.id).where(Event.status == EventStatus.CANCELLED)
    result = await session.execute(
        update(ComPost)
        .where(
            ComPost.event_id.in_(cancelled),
            ComPost.purpose.in_(list(purposes)),
            ComPost.status.in_(list(UNPUBLISHED)),
        )
        .values(status=PostStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


async def on_website(session: AsyncSession, event_id: int) -> bool:
    """Some post of the event is published on the website."""
    found = await session.scalar(
        select(Publication.id)
        .join(ComPost, ComPost.id == Publication.post_id)
        .where(
            ComPost.event_id == event_id,
            Publication.channel == "wordpress",
            Publication.status == PublicationStatus.PUBLISHED,
        )
        .limit(1)
    )
    return found is not None


async def site_request_exists(session: AsyncSession, event_id: int) -> bool:
    found = await session.scalar(
        select(ComRequest.id)
        .where(ComRequest.event_id == event_id, ComRequest.kind == ComRequestKind.WEBSITE)
        .limit(1)
    )
    return found is not None


async def add_request(session: AsyncSession, **values: Any) -> ComRequest:
    request = ComRequest(**values)
    session.add(request)
    await session.flush()
    return request


async def election_days(session: AsyncSession) -> list[Any]:
    """The campaign ledgers' polling days (1st rounds)."""
    return list(
        await session.scalars(
            select(CampaignLedger.election_day).where(CampaignLedger.election_day.is_not(None)).distinct()
        )
    )


# --- Photos -------------------------------------------------------------------------------------------


async def photo_events(
    session: AsyncSession, person_id: int, skilled: bool, since: datetime, now: datetime
) -> list[Event]:
    """Events that ended in [since, now] where the person said yes: with the photo task, or any
    task when the person has the photo skill."""
    took_part = and_(
        Participation.event_id == Event.id,
        Participation.person_id == person_id,
        Participation.status == RsvpStatus.YES,
    )
    condition = took_part if skilled else and_(took_part, Participation.role == "photo")
    return list(
        await session.scalars(
            select(Event)
            .where(
                Event.status != EventStatus.CANCELLED,
                Event.ends_at >= since,
                Event.ends_at <= now,
                exists().where(condition),
            )
            .order_by(Event.ends_at.desc(), Event.id)
            .limit(8)
        )
    )


# --- The digest and the calendar --------------------------------------------------------------------


async def requests_due(session: AsyncSession, before: datetime, limit: int = 20) -> list[ComRequest]:
    """Requests not settled whose deadline is before `before` (overdue included), or not claimed."""
    return list(
        await session.scalars(
            select(ComRequest)
            .where(
                ComRequest.status.in_([ComRequestStatus.OPEN, ComRequestStatus.CLAIMED]),
                or_(ComRequest.deadline <= before, ComRequest.status == ComRequestStatus.OPEN),
            )
            .order_by(ComRequest.deadline.is_(None), ComRequest.deadline, ComRequest.id)
            .limit(limit)
        )
    )


async def posts_with_status(session: AsyncSession, statuses: Sequence[str], limit: int = 30) -> list[ComPost]:
    return list(
        await session.scalars(
            select(ComPost)
            .where(ComPost.status.in_(list(statuses)))
            .order_by(ComPost.due_at, ComPost.publish_at, ComPost.id)
            .limit(limit)
        )
    )


async def posts_due_between(session: AsyncSession, start: datetime, end: datetime) -> list[ComPost]:
    """Planned posts of [start, end): scheduled at, approved or suggested due then."""
    return list(
        await session.scalars(
            select(ComPost)
            .where(
                or_(
                    and_(
                        ComPost.status.in_([PostStatus.SCHEDULED, PostStatus.APPROVED]),
                        ComPost.publish_at >= start,
                        ComPost.publish_at < end,
                    ),
                    and_(
                        ComPost.status == PostStatus.SUGGESTED,
                        ComPost.due_at >= start,
                        ComPost.due_at < end,
                    ),
                )
            )
            .order_by(ComPost.id)
        )
    )


async def publications_between(
    session: AsyncSession, start: datetime, end: datetime, limit: int = 200
) -> list[tuple[Publication, ComPost]]:
    """Publications published in [start, end), with their post, newest first."""
    rows = await session.execute(
        select(Publication, ComPost)
        .join(ComPost, ComPost.id == Publication.post_id)
        .where(
            Publication.status == PublicationStatus.PUBLISHED,
            Publication.published_at >= start,
            Publication.published_at < end,
        )
        .order_by(Publication.published_at.desc(), Publication.id)
        .limit(limit)
    )
    return [(p, c) for p, c in rows.all()]

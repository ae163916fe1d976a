"""Queries for announcements to members (/annonce)."""

from __future__ import annotations

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statuses import REGISTERED, AnnouncementStatus, Audience
from storage.models import Announcement, Outbox, Participation, Person, RoleGrant


async def audience(
    session: AsyncSession, kind: str, value: str
) -> list[Row[tuple[int, int, str, list[str]]]]:
    """Reachable members who did not stop announcements, for: all, city:<id>, role:<role>, skill:<s>, event:<id>.

    Rows of (id, telegram_id, language, skills): an announcement to thousands needs no whole Person.
    """
    stmt = select(Person.id, Person.telegram_id, Person.language, Person.skills).where(
        Person.reachable.is_(True), Person.announcements_stopped.is_(False)
    )
    if kind == Audience.CITY:
        stmt = stmt.where(Person.city_id == int(value))
    elif kind == Audience.ROLE:
        stmt = stmt.where(Person.id.in_(select(RoleGrant.person_id).where(RoleGrant.role == value)))
    elif kind == Audience.SKILL:
        people = (await session.execute(stmt.order_by(Person.id))).all()
        return [p for p in people if value in (p.skills or [])]
    elif kind == Audience.EVENT:
        stmt = stmt.where(
            Person.id.in_(
                select(Participation.person_id).where(
                    Participation.event_id == int(value), Participation.status.in_(REGISTERED)
                )
            )
        )
    return list((await session.execute(stmt.order_by(Person.id))).all())


async def active(session: AsyncSession) -> list[Announcement]:
    return list(
        await session.scalars(
            select(Announcement)
            .where(Announcement.status.in_([AnnouncementStatus.QUEUED, AnnouncementStatus.SENDING]))
            .order_by(Announcement.id)
        )
    )


async def progress(session: AsyncSession, announcement_id: int) -> dict[str, int]:
    """Outbox rows of one announcement, by status."""
    rows = await session.execute(
        select(Outbox.status, func.count())
        .where(Outbox.batch == f"bc:{announcement_id}")
        .group_by(Outbox.status)
    )
    return {status: n for status, n in rows.all()}

"""Queries for the readings the bot made of free text and their corrections (issue 17)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Correction

REPLY = "reply"
INBOX = "inbox"


async def add(session: AsyncSession, row: Correction) -> Correction:
    session.add(row)
    await session.flush()
    return row


async def by_id(session: AsyncSession, correction_id: int, *, lock: bool = False) -> Correction | None:
    stmt = select(Correction).where(Correction.id == correction_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def corrected(session: AsyncSession, kind: str, limit: int) -> list[Correction]:
    """The latest corrections of one kind, oldest first."""
    rows = await session.scalars(
        select(Correction)
        .where(Correction.kind == kind, Correction.expected.is_not(None))
        .order_by(Correction.corrected_at.desc(), Correction.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Erasure: the person's readings never corrected go; corrections stay, without their link."""
    await session.execute(
        delete(Correction).where(Correction.author_id == person_id, Correction.expected.is_(None))
    )
    await session.execute(update(Correction).where(Correction.author_id == person_id).values(author_id=None))
    await session.execute(
        update(Correction).where(Correction.corrected_by == person_id).values(corrected_by=None)
    )


async def purge(session: AsyncSession, readings_before: datetime, links_before: datetime) -> int:
    """Readings nobody corrected, older than `readings_before`, go; corrections older than
    `links_before` lose their links to people and events (their text and labels still teach)."""
    gone = await session.execute(
        delete(Correction).where(Correction.expected.is_(None), Correction.created_at < readings_before)
    )
    await session.execute(
        update(Correction)
        .where(
            Correction.corrected_at < links_before,
            (Correction.author_id.is_not(None))
            | (Correction.corrected_by.is_not(None))
            | (Correction.event_id.is_not(None)),
        )
        .values(author_id=None, corrected_by=None, event_id=None, chat_id=None, message_id=None)
    )
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]

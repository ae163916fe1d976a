"""Queries of the conversation_state table: forms and drafts kept across restarts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState

USER_DATA = "user_data"  # the `name` of the rows holding a person's drafts


async def rows_named(s: AsyncSession, name: str) -> list[ConversationState]:
    return list((await s.scalars(select(ConversationState).where(ConversationState.name == name))).all())


async def put(s: AsyncSession, name: str, key: str, state: int | None, data: dict[str, Any]) -> None:
    """Insert or replace one row; its updated_at is now (a restored form times out from there)."""
    row = await s.scalar(
        select(ConversationState).where(ConversationState.name == name, ConversationState.key == key)
    )
    now = datetime.now(UTC)
    if row is None:
        s.add(ConversationState(name=name, key=key, state=state, data=data, updated_at=now))
    else:
        row.state, row.data, row.updated_at = state, data, now
    await s.flush()


async def remove(s: AsyncSession, name: str, key: str) -> None:
    await s.execute(
        delete(ConversationState).where(ConversationState.name == name, ConversationState.key == key)
    )


async def forget_person(s: AsyncSession, telegram_id: int) -> None:
    """Erasure: the person's drafts and their forms' states (keys "[chat, user]") leave with them."""
    await s.execute(
        delete(ConversationState).where(
            ((ConversationState.name == USER_DATA) & (ConversationState.key == str(telegram_id)))
            | ConversationState.key.like(f"%, {int(telegram_id)}]")
        )
    )

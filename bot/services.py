"""What handlers and jobs share: settings, database, the outbox sender. Kept in bot_data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from bot.delivery import OutboxSender


@dataclass
class Services:
    settings: Settings
    db: Database
    sender: OutboxSender | None = None
    bot_username: str = ""
    extras: dict[str, object] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work; the outbox sender is woken once it is committed."""
        async with self.db.session() as session:
            yield session
        if self.sender is not None:
            self.sender.kick()

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

"""What handlers and jobs share: settings, database, the outbox sender. Kept in bot_data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import CallbackContext

    from bot.delivery import OutboxSender

# (update, context, actor, payload): what a `/start <payload>` link does for a registered person.
DeepLink = Callable[["Update", "CallbackContext[Any, Any, Any, Any]", Any, str], Awaitable[None]]


@dataclass
class Services:
    settings: Settings
    db: Database
    sender: OutboxSender | None = None
    bot_username: str = ""
    extras: dict[str, object] = field(default_factory=dict)
    # Deep-link payload prefix → what runs once the person is known (declared in bot/app.py).
    deep_links: dict[str, DeepLink] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work; the outbox sender is woken once it is committed."""
        async with self.db.session() as session:
            yield session
        if self.sender is not None:
            self.sender.kick()

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

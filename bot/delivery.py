"""The single sender of the outbox, within Telegram's limits.

Each row is claimed in its own committed transaction before the HTTP call and marked sent right
after, so a row is never sent twice, even by two processes or after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from telegram import Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.settings import Settings
from domain.throttle import Throttle
from storage import outbox
from storage.db import Database
from storage.models import Outbox, Person, utcnow
from storage.people import migrate_chat

log = logging.getLogger(__name__)
# The outbox stores raw Bot API payloads on purpose; PTB would nudge towards its typed methods.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)

BATCH = 200
IDLE_POLL_SECONDS = 1.0


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60.0, 0.5 * 2 ** max(0, attempts - 1)))


class OutboxSender:
    def __init__(self, db: Database, bot: ExtBot[None], settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.db = db
        self.bot = bot
        self.settings = settings
        self.clock = clock
        self.throttle = Throttle(
            per_chat_per_second=settings.send_per_chat_per_second,
            per_group_per_minute=settings.send_per_group_per_minute,
            global_per_second=settings.send_global_per_second,
        )
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.listeners: list[Callable[[Outbox, Message | bool], Any]] = []

    def kick(self) -> None:
        """New rows were committed: look now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        async with self.db.session() as s:
            n = await outbox.recover_interrupted(s)
        if n:
            log.warning("%d outbox row(s) were being sent at the last stop; marked uncertain, not resent", n)
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                wait = await self.drain_once()
            except Exception:
                log.exception("outbox sender loop failed; retrying")
                wait = IDLE_POLL_SECONDS
            if self._stopping:
                break
            if wait > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def drain_once(self) -> float:
        """Send what is due and allowed now; return how long to sleep before the next look."""
        async with self.db.session() as s:
            rows = await outbox.due(s, utcnow(), BATCH)
        if not rows:
            async with self.db.session() as s:
                nxt = await outbox.next_due_at(s)
            if nxt is None:
                return IDLE_POLL_SECONDS
            return max(0.01, min(IDLE_POLL_SECONDS, (nxt - utcnow()).total_seconds()))
        soonest = IDLE_POLL_SECONDS
        sent_any = False
        for row in rows:
            if self._stopping:
                break
            wait = self.throttle.wait_time(row.chat_id, self.clock())
            if wait > 0:
                soonest = min(soonest, wait)
                continue
            await self.deliver(row)
            sent_any = True
        return 0.0 if sent_any else max(0.005, soonest)

    async def deliver(self, row: Outbox) -> None:
        async with self.db.session() as s:
            if not await outbox.claim(s, row.id):
                return
        try:
            await self._send_claimed(row, row.attempts + 1)
        except Exception as exc:  # never leave a claimed row stuck in 'sending'
            log.exception("outbox row %s: unexpected failure", row.id)
            await self._release(row, backoff(row.attempts + 1), repr(exc))

    async def _send_claimed(self, row: Outbox, attempts: int) -> None:
        try:
            result = await self.bot.do_api_request(
                row.method,
                api_kwargs={"chat_id": row.chat_id, **row.payload},
                return_type=Message if row.method.startswith("send") else None,
                rate_limit_args=0,  # 429s are ours to schedule, not the limiter's
            )
            # Stamped after the answer: Telegram counted the send somewhere before this instant.
            self.throttle.record(row.chat_id, self.clock())
        except RetryAfter as exc:
            self.throttle.record(row.chat_id, self.clock())
            delay = exc.retry_after if isinstance(exc.retry_after, timedelta) else timedelta(seconds=exc.retry_after)
            self.throttle.back_off(row.chat_id, self.clock() + delay.total_seconds())
            await self._release(row, delay, f"429 retry after {delay.total_seconds():.0f}s")
        except ChatMigrated as exc:
            async with self.db.session() as s:
                await migrate_chat(s, row.chat_id, exc.new_chat_id)
                await outbox.release(s, row.id, timedelta(0), "chat migrated", chat_id=exc.new_chat_id)
        except Forbidden as exc:
            async with self.db.session() as s:
                await outbox.mark(s, row.id, outbox.UNREACHABLE, last_error=str(exc)[:500])
                if row.chat_id > 0:
                    await s.execute(update(Person).where(Person.telegram_id == row.chat_id).values(reachable=False))
            self._notify(row, False)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                await self._mark_sent(row, None)
                return
            log.error("outbox row %s refused by Telegram: %s", row.id, exc)
            async with self.db.session() as s:
                await outbox.mark(s, row.id, outbox.FAILED, last_error=str(exc)[:500])
            self._notify(row, False)
        except (NetworkError, TelegramError) as exc:
            if attempts >= self.settings.send_max_attempts:
                async with self.db.session() as s:
                    await outbox.mark(s, row.id, outbox.FAILED, last_error=str(exc)[:500])
                self._notify(row, False)
            else:
                await self._release(row, backoff(attempts), str(exc))
        else:
            await self._mark_sent(row, result if isinstance(result, Message) else None)

    async def _release(self, row: Outbox, delay: timedelta, error: str) -> None:
        async with self.db.session() as s:
            await outbox.release(s, row.id, delay, error)

    async def _mark_sent(self, row: Outbox, message: Message | None) -> None:
        async with self.db.session() as s:
            await outbox.mark(
                s, row.id, outbox.SENT, sent_at=utcnow(), message_id=message.message_id if message else None
            )
        self._notify(row, message or True)

    def _notify(self, row: Outbox, outcome: Message | bool) -> None:
        for listener in self.listeners:
            try:
                listener(row, outcome)
            except Exception:
                log.exception("outbox listener failed")

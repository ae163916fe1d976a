"""The single sender of the outbox, within Telegram's limits.

Each row is claimed in its own committed transaction before the HTTP call and marked sent right
after, so a row is never sent twice, even by two processes or after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
import warnings
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.ratelimit import OUTBOX
from bot.settings import Settings
from domain.throttle import Throttle
from storage import outbox
from storage.db import Database
from storage.models import Outbox, Person, utcnow
from storage.people import migrate_chat

log = logging.getLogger(__name__)
# The outbox stores raw Bot API payloads on purpose; PTB would nudge towards its typed methods.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)

BATCH = 500
IDLE_POLL_SECONDS = 1.0
# Sends are booked this far ahead at most, then started at their slot; the HTTP calls overlap.
HORIZON_SECONDS = 0.5
# Enough overlap for round trips at the global rate; the HTTP pool has the same size (bot.app).
MAX_IN_FLIGHT = 16
# Pace a little under Telegram's limits so that network jitter never makes a send look early.
SAFETY = 0.97
FLUSH_SECONDS = 0.05
DISPATCH_WINDOW = 0.02
# How far behind its pace the dispatcher may catch up at once: bounded so that a late loop never
# sends more in a second than the safety margin absorbs.
CATCH_UP_SECONDS = 0.01
RECOVER_EVERY = int(60 / FLUSH_SECONDS)
# Every committed use case kicks the sender: in a crowd (500 presses a second) one look at the
# outbox serves all the kicks of this short while instead of two queries per kick.
KICK_COALESCE_SECONDS = 0.05


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60.0, 0.5 * 2 ** max(0, attempts - 1)))


class OutboxSender:
    def __init__(
        self, db: Database, bot: ExtBot[int], settings: Settings, clock: Callable[[], float] = time.monotonic
    ):
        self.db = db
        self.bot = bot
        self.settings = settings
        self.clock = clock
        self.throttle = Throttle(
            per_chat_per_second=settings.send_per_chat_per_second * SAFETY,
            per_group_per_minute=settings.send_per_group_per_minute * SAFETY,
            global_per_second=settings.send_global_per_second * SAFETY,
        )
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._planned: set[int] = set()
        self._booked: list[tuple[float, int, Outbox]] = []
        self._dispatch_wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._dispatch_at = 0.0
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        # Successful sends are written in batches: the commonest outcome costs one commit per batch.
        self._sent: list[dict[str, Any]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._stopping = False

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
        self._flusher = asyncio.create_task(self._flush_loop(), name="outbox-flusher")
        self._dispatcher = asyncio.create_task(self._dispatch_loop(), name="outbox-dispatcher")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._dispatch_wake.set()
        for attr in ("_task", "_dispatcher"):
            task = getattr(self, attr)
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                setattr(self, attr, None)
        self._booked.clear()
        self._planned.clear()
        # Sends already started finish; booked ones not yet claimed are simply dropped (still pending).
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await self.flush()

    async def _flush_loop(self) -> None:
        ticks = 0
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            ticks += 1
            try:
                await self.flush()
                if ticks % RECOVER_EVERY == 0:
                    # Claims left by a crashed sender (this one before a restart, or another process)
                    # are labelled uncertain, so that announcement reports can finish.
                    async with self.db.session() as s:
                        await outbox.recover_interrupted(s, older_than=timedelta(minutes=2))
            except Exception:
                log.exception("could not record sent messages; retrying")

    async def flush(self) -> None:
        """Record the sends that succeeded since the last flush, in one transaction."""
        if not self._sent:
            return
        batch, self._sent = self._sent, []
        try:
            async with self.db.session() as s:
                await outbox.mark_sent_many(s, batch)
        except Exception:
            self._sent = batch + self._sent
            raise

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time() - KICK_COALESCE_SECONDS
        while not self._stopping:
            gap = last + KICK_COALESCE_SECONDS - loop.time()
            if gap > 0:
                await asyncio.sleep(gap)
            last = loop.time()
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
        # Read about what can be booked within the horizon, not the whole backlog.
        batch = min(BATCH, int(self.throttle.global_per_second * HORIZON_SECONDS * 1.5) + 20)
        async with self.db.session() as s:
            rows = await outbox.due(s, utcnow(), batch)
        if not rows:
            async with self.db.session() as s:
                nxt = await outbox.next_due_at(s)
            if nxt is None:
                return IDLE_POLL_SECONDS
            return max(0.01, min(IDLE_POLL_SECONDS, (nxt - utcnow()).total_seconds()))
        soonest = IDLE_POLL_SECONDS
        booked = 0
        now = self.clock()
        for row in rows:
            if self._stopping:
                break
            if row.id in self._planned:
                continue
            wait = self.throttle.wait_time(row.chat_id, now)
            if wait > HORIZON_SECONDS:
                soonest = min(soonest, wait)
                continue
            slot = now + wait
            self.throttle.record(row.chat_id, slot)
            self._planned.add(row.id)
            heapq.heappush(self._booked, (slot, row.id, row))
            booked += 1
        if booked:
            self._dispatch_wake.set()
        if booked:
            return HORIZON_SECONDS / 2
        return max(0.005, min(soonest, HORIZON_SECONDS) if self._planned else soonest)

    async def _dispatch_loop(self) -> None:
        """Start booked sends at their slot; the rows due together are claimed in one transaction.

        A row is claimed just before its HTTP call, so a crash leaves at most the calls under way
        in doubt, never the rows booked for later.
        """
        while not self._stopping:
            if not self._booked:
                self._dispatch_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._dispatch_wake.wait(), timeout=IDLE_POLL_SECONDS)
                continue
            now = self.clock()
            delay = max(self._booked[0][0], self._dispatch_at) - now
            if delay > 0:
                await asyncio.sleep(min(delay, 0.05))
                continue
            room = max(1, int(self.throttle.global_per_second * DISPATCH_WINDOW))
            batch: list[Outbox] = []
            while self._booked and self._booked[0][0] <= now + DISPATCH_WINDOW and len(batch) < room:
                batch.append(heapq.heappop(self._booked)[2])
            try:
                async with self.db.session() as s:
                    won = await outbox.claim_many(s, [r.id for r in batch])
            except Exception:
                log.exception("could not claim outbox rows; they stay pending")
                won = set()
            # The pace is kept on the moments the calls start, after the claim (whose time varies).
            # A little lateness is caught up; more is re-paced, so that a stall never turns into a
            # burst that Telegram would count against the limit.
            started = self.clock()
            if started < self._dispatch_at - CATCH_UP_SECONDS:
                await asyncio.sleep(self._dispatch_at - CATCH_UP_SECONDS - started)
                started = self.clock()
            self._dispatch_at = (
                max(self._dispatch_at, started - CATCH_UP_SECONDS)
                + len(won) / self.throttle.global_per_second
            )
            for row in batch:
                if row.id not in won:
                    self._planned.discard(row.id)
                    continue
                # A free slot before the task: a send never waits after its slot and then bursts.
                await self._slots.acquire()
                task = asyncio.create_task(self._send_one(row))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)

    async def _send_one(self, row: Outbox) -> None:
        try:
            await self._send_claimed(row, row.attempts + 1)
        except Exception as exc:  # never leave a claimed row stuck in 'sending'
            log.exception("outbox row %s: unexpected failure", row.id)
            await self._release(row, backoff(row.attempts + 1), repr(exc))
        finally:
            self._slots.release()
            self._planned.discard(row.id)
            if not self._planned:
                self._wake.set()

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
                # Raw JSON: only the message id is kept, parsing a whole Message would be wasted work.
                return_type=None,
                rate_limit_args=OUTBOX,  # 429s are ours to schedule, not the limiter's
            )
        except RetryAfter as exc:
            delay = (
                exc.retry_after
                if isinstance(exc.retry_after, timedelta)
                else timedelta(seconds=exc.retry_after)
            )
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
                    await s.execute(
                        update(Person).where(Person.telegram_id == row.chat_id).values(reachable=False)
                    )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                await self._mark_sent(row, None)
                return
            log.error("outbox row %s refused by Telegram: %s", row.id, exc)
            async with self.db.session() as s:
                await outbox.mark(s, row.id, outbox.FAILED, last_error=str(exc)[:500])
        except (NetworkError, TelegramError) as exc:
            if attempts >= self.settings.send_max_attempts:
                async with self.db.session() as s:
                    await outbox.mark(s, row.id, outbox.FAILED, last_error=str(exc)[:500])
            else:
                await self._release(row, backoff(attempts), str(exc))
        else:
            await self._mark_sent(row, result.get("message_id") if isinstance(result, dict) else None)

    async def _release(self, row: Outbox, delay: timedelta, error: str) -> None:
        async with self.db.session() as s:
            await outbox.release(s, row.id, delay, error)

    async def _mark_sent(self, row: Outbox, message_id: int | None) -> None:
        self._sent.append({"row_id": row.id, "sent_at": utcnow(), "message_id": message_id})

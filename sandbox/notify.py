"""Wake-ups for everything that waits on the sandbox (long polls, next_message, wait_for)."""

from __future__ import annotations

import asyncio


class Notifier:
    """Every state change calls notify(); waiters re-check their condition after it.

    Futures are created on the waiter's running loop, so a sandbox built outside any
    loop (e.g. in a sync fixture) works in whichever loop the test runs.
    """

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, timeout: float | None) -> bool:
        """Wait for the next notify(); False if ``timeout`` seconds passed first."""
        if timeout is not None and timeout <= 0:
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)

"""Telegram's flood limits: 1 message/s per chat, 20/min per group, 30/s overall."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

LIMITED_METHODS = frozenset({"sendMessage", "editMessageText", "sendDocument", "sendPhoto"})


@dataclass
class Limits:
    """Rates of the three limits; ``scale`` multiplies all of them (e.g. 100 for fast benchmarks)."""

    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20
    global_per_second: float = 30
    enforce: bool = False
    scale: float = 1.0
    methods: frozenset[str] = field(default=LIMITED_METHODS)

    def as_dict(self) -> dict[str, object]:
        return {
            "per_chat_per_second": self.per_chat_per_second,
            "per_group_per_minute": self.per_group_per_minute,
            "global_per_second": self.global_per_second,
            "enforce": self.enforce,
            "scale": self.scale,
            "methods": sorted(self.methods),
        }


class _Window:
    """A sliding log allowing ``rate`` events per ``period`` seconds.

    A fractional rate is kept exact by widening the window: 0.5/s is 1 event per 2 s.
    """

    def __init__(self, rate: float, period: float) -> None:
        if rate <= 0:
            raise ValueError("rate limits must be positive")
        self.capacity = max(1, math.floor(rate))
        self.window = period * self.capacity / rate
        self.events: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self.events and self.events[0] <= now - self.window:
            self.events.popleft()
        if len(self.events) < self.capacity:
            return 0.0
        return self.events[0] + self.window - now

    def record(self, now: float) -> None:
        self.wait(now)  # trims, so the log stays bounded even when limits are not enforced
        self.events.append(now)


class RateLimiter:
    """Checks and records limited calls against the three windows, on an injectable clock."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.limits = limits

    @property
    def limits(self) -> Limits:
        return self._limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        # New rates start with empty windows: history under the old rates is meaningless.
        self._limits = limits
        self._global = _Window(limits.global_per_second * limits.scale, 1.0)
        self._per_chat: dict[int, _Window] = {}
        self._per_group: dict[int, _Window] = {}

    def applies_to(self, method: str) -> bool:
        return method in self._limits.methods

    def _windows(self, chat_id: int) -> list[_Window]:
        limits = self._limits
        windows = [self._global]
        if chat_id not in self._per_chat:
            self._per_chat[chat_id] = _Window(limits.per_chat_per_second * limits.scale, 1.0)
        windows.append(self._per_chat[chat_id])
        if chat_id < 0:
            if chat_id not in self._per_group:
                self._per_group[chat_id] = _Window(limits.per_group_per_minute * limits.scale, 60.0)
            windows.append(self._per_group[chat_id])
        return windows

    def retry_after(self, chat_id: int) -> int | None:
        """None if a call to ``chat_id`` may go now, else Telegram's retry_after (whole seconds, >= 1)."""
        if not self._limits.enforce:
            return None
        now = self.clock()
        wait = max(w.wait(now) for w in self._windows(chat_id))
        if wait <= 0:
            return None
        return max(1, math.ceil(wait - 1e-9))

    def record(self, chat_id: int) -> None:
        now = self.clock()
        for window in self._windows(chat_id):
            window.record(now)

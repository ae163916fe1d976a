"""Telegram's sending limits as a pure scheduler: given the clock, how long to wait before a send."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class Throttle:
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0
    global_per_second: float = 30.0
    _global: deque[float] = field(default_factory=deque)
    _chat_last: dict[int, float] = field(default_factory=dict)
    _group: dict[int, deque[float]] = field(default_factory=dict)
    _blocked_until: dict[int, float] = field(default_factory=dict)
    _global_blocked_until: float = 0.0

    def wait_time(self, chat_id: int, now: float) -> float:
        """Seconds to wait before `chat_id` may receive a message (0 = now)."""
        waits = [0.0, self._global_blocked_until - now, self._blocked_until.get(chat_id, 0.0) - now]
        last = self._chat_last.get(chat_id)
        if last is not None:
            waits.append(last + 1.0 / self.per_chat_per_second - now)
        global_cap = max(1, int(self.global_per_second))
        window = 1.0 * global_cap / self.global_per_second
        self._trim(self._global, now - window)
        if len(self._global) >= global_cap:
            waits.append(self._global[0] + window - now)
        if chat_id < 0:
            group_cap = max(1, int(self.per_group_per_minute))
            group_window = 60.0 * group_cap / self.per_group_per_minute
            sent = self._group.setdefault(chat_id, deque())
            self._trim(sent, now - group_window)
            if len(sent) >= group_cap:
                waits.append(sent[0] + group_window - now)
        return max(waits)

    def record(self, chat_id: int, now: float) -> None:
        self._chat_last[chat_id] = now
        self._global.append(now)
        if chat_id < 0:
            self._group.setdefault(chat_id, deque()).append(now)

    def back_off(self, chat_id: int | None, until: float) -> None:
        """Telegram said 429: hold that chat (or everything) until `until`."""
        if chat_id is None:
            self._global_blocked_until = max(self._global_blocked_until, until)
        else:
            self._blocked_until[chat_id] = max(self._blocked_until.get(chat_id, 0.0), until)

    @staticmethod
    def _trim(times: deque[float], older_than: float) -> None:
        while times and times[0] <= older_than:
            times.popleft()

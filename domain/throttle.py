"""Telegram's sending limits as a pure schedule: given the clock, when may the next send to a chat go.

Sends are spaced rather than burst: Telegram (and the sandbox) count over sliding windows, and an
even pace at the limit never trips them, whatever the network jitter within the safety margin.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class Throttle:
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0
    global_per_second: float = 30.0
    _global_next: float = float("-inf")
    _chat_last: dict[int, float] = field(default_factory=dict)
    _group: dict[int, deque[float]] = field(default_factory=dict)
    _blocked_until: dict[int, float] = field(default_factory=dict)
    _global_blocked_until: float = 0.0

    def wait_time(self, chat_id: int, now: float) -> float:
        """Seconds to wait before `chat_id` may receive a message (0 = now)."""
        waits = [
            0.0,
            self._global_next - now,
            self._global_blocked_until - now,
            self._blocked_until.get(chat_id, 0.0) - now,
        ]
        last = self._chat_last.get(chat_id)
        if last is not None:
            waits.append(last + 1.0 / self.per_chat_per_second - now)
        if chat_id < 0:
            # Groups: at most N in any minute (bursts allowed within it, as Telegram does).
            cap = max(1, int(self.per_group_per_minute))
            window = 60.0 * cap / self.per_group_per_minute
            sent = self._group.setdefault(chat_id, deque())
            while sent and sent[0] <= now - window:
                sent.popleft()
            if len(sent) >= cap:
                waits.append(sent[-cap] + window - now)
        return max(waits)

    def record(self, chat_id: int, at: float) -> None:
        """A send to `chat_id` happens (or is booked) at `at`, possibly in the near future."""
        self._chat_last[chat_id] = max(self._chat_last.get(chat_id, float("-inf")), at)
        self._global_next = max(self._global_next, at) + 1.0 / self.global_per_second
        if chat_id < 0:
            self._group.setdefault(chat_id, deque()).append(at)

    def back_off(self, chat_id: int | None, until: float) -> None:
        """Telegram said 429: hold that chat (or everything) until `until`."""
        if chat_id is None:
            self._global_blocked_until = max(self._global_blocked_until, until)
        else:
            self._blocked_until[chat_id] = max(self._blocked_until.get(chat_id, 0.0), until)

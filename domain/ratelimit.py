"""A per-person rate limit on commands, as a pure rule: a token bucket per key.

Each key may spend `burst` commands at once, then one every `1 / per_second` seconds: someone
typing by hand never meets it, a script sending hundreds of requests is told to slow down (nothing
is stored for the refused ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    REFUSE = "refuse"  # over the limit: say so once
    SILENT = "silent"  # over the limit, and told already: ignore


@dataclass
class RateLimit:
    burst: float = 30.0
    per_second: float = 1.0
    max_keys: int = 10_000
    _tokens: dict[int, tuple[float, float]] = field(default_factory=dict)  # key → (tokens, at)
    _told: set[int] = field(default_factory=set)  # keys told to slow down, until their bucket refills

    def check(self, key: int, now: float) -> Verdict:
        """Spend one command for `key` at `now` (seconds, monotonic). Over the limit, the first
        refusal is to be said (REFUSE), the next ones are silent until the bucket has refilled."""
        tokens, at = self._tokens.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + max(0.0, now - at) * self.per_second)
        if tokens >= self.burst:
            self._told.discard(key)  # calm again: a next burst is told again
        allowed = tokens >= 1.0
        self._tokens[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._tokens) > self.max_keys:
            self._forget_full(now)
        if allowed:
            return Verdict.ALLOW
        if key in self._told:
            return Verdict.SILENT
        self._told.add(key)
        return Verdict.REFUSE

    def _forget_full(self, now: float) -> None:
        """Keys whose bucket has refilled carry no state: forget them (memory stays bounded)."""
        for key, (tokens, at) in list(self._tokens.items()):
            if tokens + (now - at) * self.per_second >= self.burst:
                del self._tokens[key]
                self._told.discard(key)

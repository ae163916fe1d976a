"""Injected faults: make chosen Bot API calls fail like a flaky Telegram or network would."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import ApiError, InjectedNetworkError, InjectedTimeout, forbidden, too_many_requests

FAULT_KINDS = ("429", "403", "500", "502", "timeout", "network")

# Polling runs all the time; a fault with no method must not be eaten by it.
_UNMATCHED_BY_DEFAULT = frozenset({"getupdates"})


@dataclass
class Fault:
    """One injected fault; ``times=None`` means unlimited, ``probability`` makes it random.

    ``applied`` only matters for "timeout" and "network": True means the call takes effect
    before the failure (Telegram did send the message but the answer was lost), False means
    it never reached Telegram. ``hang`` is how long the HTTP server holds a "timeout" call
    before dropping the connection (in-process, TimedOut is raised at once).
    """

    kind: str
    method: str | None = None
    times: int | None = 1
    chat_id: int | None = None
    probability: float | None = None
    retry_after: int = 1
    seed: int = 0
    applied: bool = False
    hang: float = 30.0
    fired: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        self.kind = str(self.kind)
        self._rng = random.Random(self.seed)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.exhausted:
            return False
        if self.method is None:
            if method.lower() in _UNMATCHED_BY_DEFAULT:
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def draw(self) -> bool:
        """Whether the fault fires on this matching call (always, unless it has a probability)."""
        return self.probability is None or self._rng.random() < self.probability

    def api_error(self) -> ApiError | None:
        """The Telegram answer of an HTTP-status fault (None for timeout/network)."""
        if self.kind == "429":
            return too_many_requests(self.retry_after)
        if self.kind == "403":
            return forbidden("bot was blocked by the user")
        if self.kind == "500":
            return ApiError(500, "Internal Server Error")
        if self.kind == "502":
            return ApiError(502, "Bad Gateway")
        return None

    def transport_error(self) -> InjectedTimeout | InjectedNetworkError:
        if self.kind == "timeout":
            return InjectedTimeout(self.applied, self.hang)
        return InjectedNetworkError(self.applied)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "method": self.method,
            "times": self.times,
            "chat_id": self.chat_id,
            "probability": self.probability,
            "retry_after": self.retry_after,
            "seed": self.seed,
            "applied": self.applied,
            "hang": self.hang,
            "fired": self.fired,
        }


class FaultInjector:
    """Faults in injection order; the first matching one that draws fires."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id) and fault.draw():
                fault.fired += 1
                return fault
        return None

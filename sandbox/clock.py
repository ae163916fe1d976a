"""A hand-driven clock for deterministic rate-limit tests."""

from __future__ import annotations


class FakeClock:
    """Callable like time.monotonic; time only moves when advance() is called."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

"""Telegram's limits as a pure schedule, with a fake clock."""

from __future__ import annotations

import pytest

from domain.throttle import Throttle


def test_one_message_per_second_per_private_chat() -> None:
    th = Throttle()
    assert th.wait_time(1, 0.0) == 0
    th.record(1, 0.0)
    assert th.wait_time(1, 0.2) == pytest.approx(0.8)
    assert th.wait_time(2, 0.2) == 0
    assert th.wait_time(1, 1.0) == 0


def test_twenty_per_minute_per_group() -> None:
    th = Throttle(global_per_second=1000)
    for i in range(20):
        now = i * 1.0
        assert th.wait_time(-100, now) == 0
        th.record(-100, now)
    # the 21st must wait until the first send leaves the 60 s window
    assert th.wait_time(-100, 20.0) == pytest.approx(40.0)
    assert th.wait_time(-100, 60.0) == 0


def test_global_sends_are_evenly_spaced() -> None:
    th = Throttle(global_per_second=30)
    th.record(1, 0.0)
    assert th.wait_time(2, 0.0) == pytest.approx(1 / 30)
    # Booking ahead: thirty sends at the earliest slots span exactly one second.
    now, slots = 0.0, []
    for chat in range(2, 32):
        slot = now + th.wait_time(chat, now)
        th.record(chat, slot)
        slots.append(slot)
    assert slots[-1] == pytest.approx(30 / 30)
    assert all(b - a == pytest.approx(1 / 30) for a, b in zip(slots, slots[1:], strict=False))


def test_back_off_after_429() -> None:
    th = Throttle()
    th.back_off(7, until=10.0)
    assert th.wait_time(7, 4.0) == 6.0
    assert th.wait_time(8, 4.0) == 0
    th.back_off(None, until=5.0)
    assert th.wait_time(8, 4.0) == 1.0

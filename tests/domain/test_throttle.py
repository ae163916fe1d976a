"""Telegram's limits as a pure schedule, with a fake clock."""

from __future__ import annotations

from domain.throttle import Throttle


def test_one_message_per_second_per_private_chat() -> None:
    th = Throttle()
    assert th.wait_time(1, 0.0) == 0
    th.record(1, 0.0)
    assert th.wait_time(1, 0.2) == 0.8
    assert th.wait_time(2, 0.2) == 0
    assert th.wait_time(1, 1.0) == 0


def test_twenty_per_minute_per_group() -> None:
    th = Throttle()
    for i in range(20):
        now = i * 1.0
        assert th.wait_time(-100, now) == 0
        th.record(-100, now)
    # the 21st must wait until the first send leaves the 60 s window
    assert th.wait_time(-100, 20.0) == 40.0
    assert th.wait_time(-100, 60.0) == 0


def test_thirty_per_second_overall() -> None:
    th = Throttle()
    for chat in range(30):
        assert th.wait_time(chat, 0.5) == 0
        th.record(chat, 0.5)
    assert th.wait_time(99, 0.9) == 0.6
    assert th.wait_time(99, 1.5) == 0


def test_back_off_after_429() -> None:
    th = Throttle()
    th.back_off(7, until=10.0)
    assert th.wait_time(7, 4.0) == 6.0
    assert th.wait_time(8, 4.0) == 0
    th.back_off(None, until=5.0)
    assert th.wait_time(8, 4.0) == 1.0

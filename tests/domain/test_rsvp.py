"""Who is in, on the waitlist or out after one answer (domain.rsvp). Pure logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.rsvp import Change, Seat, decide
from domain.statuses import RsvpStatus

YES, MAYBE, NO, WAITLIST = RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO, RsvpStatus.WAITLIST
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
NEEDS = {"photo": 1, "tractage": 2}


def seat(pid: int, status: str, role: str | None = None, minutes_ago: int = 10) -> Seat:
    return Seat(pid, status, role, NOW - timedelta(minutes=minutes_ago))


def test_a_plain_yes_is_never_waitlisted() -> None:
    assert decide([seat(1, YES, "photo")], NEEDS, 2, YES, None, NOW) == [Change(2, YES, None)]


def test_a_full_role_waitlists_and_the_same_answer_again_changes_nothing() -> None:
    seats = [seat(1, YES, "photo")]
    assert decide(seats, NEEDS, 2, YES, "photo", NOW) == [Change(2, WAITLIST, "photo")]
    assert decide([*seats, seat(2, WAITLIST, "photo")], NEEDS, 2, YES, "photo", NOW) == []
    assert decide(seats, NEEDS, 1, YES, "photo", NOW) == []


def test_a_freed_place_goes_to_the_oldest_on_the_waitlist() -> None:
    seats = [seat(1, YES, "photo"), seat(2, WAITLIST, "photo", 5), seat(3, WAITLIST, "photo", 8)]
    assert decide(seats, NEEDS, 1, NO, None, NOW) == [
        Change(1, NO, None),
        Change(3, YES, "photo", promoted=True),
    ]


def test_a_yes_keeps_the_role_already_held() -> None:
    assert decide([seat(1, MAYBE, "tractage")], NEEDS, 1, YES, None, NOW) == [Change(1, YES, "tractage")]


@pytest.mark.parametrize("answer", ["waitlist", "other", ""])
def test_only_yes_maybe_no_are_answers(answer: str) -> None:
    with pytest.raises(ValueError):
        decide([], NEEDS, 1, answer, None, NOW)


def test_a_plain_yes_takes_the_main_task_while_it_has_room() -> None:
    assert decide([], NEEDS, 1, YES, None, NOW, main="tractage") == [Change(1, YES, "tractage")]
    full = [seat(2, YES, "tractage"), seat(3, YES, "tractage")]
    assert decide(full, NEEDS, 1, YES, None, NOW, main="tractage") == [Change(1, YES, None)]


def test_someone_coming_never_trades_their_place_for_a_waitlist() -> None:
    seats = [seat(1, YES, "tractage"), seat(2, YES, "photo")]
    assert decide(seats, NEEDS, 1, YES, "photo", NOW) == []
    assert decide([seat(1, YES, None), seat(2, YES, "photo")], NEEDS, 1, YES, "photo", NOW) == []


def test_guests_take_places_and_are_kept_until_changed() -> None:
    assert decide([], NEEDS, 1, YES, "tractage", NOW, guests=1) == [Change(1, YES, "tractage", guests=1)]
    seats = [Seat(1, YES, "tractage", NOW, guests=1)]
    assert decide(seats, NEEDS, 2, YES, "tractage", NOW) == [Change(2, WAITLIST, "tractage")]
    assert decide(seats, NEEDS, 1, YES, None, NOW) == []  # a button press keeps the guests
    waiting = [*seats, seat(2, WAITLIST, "tractage")]
    assert decide(waiting, NEEDS, 1, YES, None, NOW, guests=0) == [
        Change(1, YES, "tractage"),
        Change(2, YES, "tractage", promoted=True),
    ]

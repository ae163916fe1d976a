"""domain.communication.planning: lead times, weeks and clashes, as plain tables of cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.communication import planning as plan
from domain.statuses import PostPurpose

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


START = paris(2030, 3, 16, 14, 0)  # a Saturday
END = paris(2030, 3, 16, 16, 0)


@pytest.mark.parametrize(
    ("purpose", "created", "expected"),
    [
        # Created long before: 7 days before the start.
        (PostPurpose.ANNOUNCE, paris(2030, 2, 1, 9, 0), paris(2030, 3, 9, 14, 0)),
        # Created 3 days before: due at once.
        (PostPurpose.ANNOUNCE, paris(2030, 3, 13, 9, 0), paris(2030, 3, 13, 9, 0)),
        (PostPurpose.RECALL, paris(2030, 2, 1, 9, 0), paris(2030, 3, 15, 18, 0)),
        (PostPurpose.RECAP, paris(2030, 2, 1, 9, 0), paris(2030, 3, 17, 10, 0)),
        # The recall of an event just after a clock change is still at 18:00 local.
        (PostPurpose.RECALL, paris(2030, 3, 1, 9, 0), paris(2030, 3, 30, 18, 0)),
    ],
)
def test_due_at(purpose: PostPurpose, created: datetime, expected: datetime) -> None:
    start, end = START, END
    if expected.day == 30:
        start, end = paris(2030, 3, 31, 10, 0), paris(2030, 3, 31, 12, 0)
    got = plan.due_at(purpose, start.astimezone(UTC), end.astimezone(UTC), created.astimezone(UTC), PARIS)
    assert got == expected
    assert got.astimezone(PARIS).hour == expected.hour


def test_no_lead_time_for_a_free_post() -> None:
    with pytest.raises(ValueError):
        plan.due_at(PostPurpose.FREE, START, END, START, PARIS)


@pytest.mark.parametrize(
    ("kind", "public"),
    [("réunion", False), ("stand", True), ("tractage", True), ("formation", False), ("collage", False)],
)
def test_public_kinds(kind: str, public: bool) -> None:
    assert plan.is_public(kind) is public


@pytest.mark.parametrize(
    ("title", "description", "public"),
    [
        ("Réunion publique sur les transports", "", True),
        ("Réunion", "Ouverte à tous, salle des fêtes", True),
        ("Réunion d'équipe", "Chez Marie, 3 rue des Lilas", False),
        ("Point hebdo", "", False),
    ],
)
def test_a_meeting_is_public_only_when_it_says_so(title: str, description: str, public: bool) -> None:
    assert plan.is_public("réunion", title, description) is public


def test_weeks_run_monday_to_sunday() -> None:
    assert plan.week_of(date(2030, 3, 16)) == date(2030, 3, 11)
    assert plan.week_of(date(2030, 3, 11)) == date(2030, 3, 11)
    start, end = plan.week_bounds(date(2030, 3, 25), PARIS)  # the week of the clock change
    assert (start, end) == (paris(2030, 3, 25, 0, 0), paris(2030, 4, 1, 0, 0))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=7) - timedelta(hours=1)
    assert plan.previous_week(date(2030, 3, 18)) == (date(2030, 3, 11), date(2030, 3, 17))


def _p(post_id: int, channel: str, hour: int, minute: int = 0) -> plan.Planned:
    return plan.Planned(post_id, channel, paris(2030, 3, 12, hour, minute), f"p{post_id}", "scheduled")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([_p(1, "mastodon", 10), _p(2, "mastodon", 11, 59)], [(1, 2)]),
        ([_p(1, "mastodon", 10), _p(2, "mastodon", 12)], []),  # exactly 2 hours: no clash
        ([_p(1, "mastodon", 10), _p(2, "facebook", 10)], []),  # other channel
        ([_p(1, "x", 10), _p(1, "x", 10, 30)], []),  # the same post
        ([_p(3, "x", 11), _p(1, "x", 10), _p(2, "x", 10, 30)], [(1, 2), (1, 3), (2, 3)]),
    ],
)
def test_clashes(items: list[plan.Planned], expected: list[tuple[int, int]]) -> None:
    assert [(a.post_id, b.post_id) for a, b in plan.clashes(items)] == expected


def test_by_channel_orders_by_time() -> None:
    grouped = plan.by_channel([_p(2, "x", 12), _p(1, "x", 9), _p(3, "bluesky", 8)])
    assert list(grouped) == ["bluesky", "x"]
    assert [p.post_id for p in grouped["x"]] == [1, 2]


def test_metrics_line_keeps_numbers_only() -> None:
    assert plan.metrics_line({"likes": 3, "shares": 1.0, "note": "x", "ok": True}) == [
        ("likes", 3),
        ("shares", 1),
    ]

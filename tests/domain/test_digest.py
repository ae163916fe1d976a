from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.digest import CityDigest, CityFigures, EventItem, digest_kinds, due_today, national, parse_hour

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
CATCH_UP = timedelta(hours=4)


@pytest.mark.parametrize(
    ("utc", "hour", "expected"),
    [
        # 26 Nov 2026, winter time (UTC+1): 08:00 local = 07:00 UTC.
        (datetime(2026, 11, 26, 6, 59, tzinfo=UTC), 8, None),
        (datetime(2026, 11, 26, 7, 0, tzinfo=UTC), 8, "2026-11-26"),
        (datetime(2026, 11, 26, 7, 0, 30, tzinfo=UTC), 8, "2026-11-26"),
        (datetime(2026, 11, 26, 10, 59, tzinfo=UTC), 8, "2026-11-26"),  # within the catch-up window
        (datetime(2026, 11, 26, 11, 0, tzinfo=UTC), 8, None),  # too late: skipped, not sent at noon
        # Spring forward, 29 March 2026: 02:00-03:00 does not exist; a 2 am digest goes out at 03:00.
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), 2, None),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 2, "2026-03-29"),
        (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), 8, "2026-03-29"),  # 08:00 CEST
        (datetime(2026, 3, 29, 5, 59, tzinfo=UTC), 8, None),
        # Fall back, 25 October 2026: 02:00-03:00 happens twice; the day key stays the same.
        (datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 2, "2026-10-25"),  # first 02:00 (CEST)
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 2, "2026-10-25"),  # second 02:00 (CET): same key
        (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), 8, "2026-10-25"),  # 08:00 CET
        # Digest at 23:00 with the catch-up running past midnight keeps the previous day's key.
        (datetime(2026, 11, 26, 23, 30, tzinfo=UTC), 23, "2026-11-26"),
    ],
)
def test_due_today(utc: datetime, hour: int, expected: str | None) -> None:
    day = due_today(utc.astimezone(PARIS), hour, CATCH_UP)
    assert (day.isoformat() if day else None) == expected


def test_empty_sections_make_an_empty_digest() -> None:
    city = CityFigures(1, "Lyon")
    assert CityDigest(city).empty
    city.pending_emails = 1
    assert not CityDigest(city).empty


def test_national_lists_red_events() -> None:
    e = EventItem(1, "Tractage", datetime(2026, 11, 28, 14, tzinfo=PARIS), (("tractage", 1, 3),), "red")
    lyon = CityFigures(1, "Lyon", events=[e])
    nantes = CityFigures(2, "Nantes")
    digest = national([nantes, lyon], unrouted_emails=0)
    assert [c.name for c in digest.cities] == ["Lyon", "Nantes"]
    assert digest.red_events == [("Lyon", e)]
    assert not digest.empty
    assert national([nantes], 0).empty


def test_digest_kinds_one_per_city_and_domain_and_the_national_one() -> None:
    grants = [("lead", "finance"), ("candidate", "Lyon"), ("treasurer", ""), ("candidate", "Lyon")]
    assert digest_kinds(grants, coordinator=False) == [("lead", "finance"), ("candidate", "Lyon")]
    assert digest_kinds([("coordinator", "")], coordinator=False) == [("coordinator", "")]
    assert digest_kinds([], coordinator=True) == [("coordinator", "")]
    assert digest_kinds([("volunteer", "")], coordinator=False) == []


@pytest.mark.parametrize(("typed", "hour"), [("7", 7), ("7h", 7), ("07H", 7), ("0", 0), ("23", 23)])
def test_parse_hour(typed: str, hour: int) -> None:
    assert parse_hour(typed) == hour


@pytest.mark.parametrize("typed", ["24", "-1", "7h30", "sept", "", "h"])
def test_parse_hour_refuses(typed: str) -> None:
    assert parse_hour(typed) is None

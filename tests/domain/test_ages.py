"""Ages as people say them (issue 18): days or weeks, never "180 h ouvrées"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.ages import age_parts, format_age, format_since

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
NB = "\u00a0"


@pytest.mark.parametrize(
    ("age", "fr", "en"),
    [
        (timedelta(0), f"0{NB}minute", f"0{NB}minute"),
        (timedelta(seconds=-30), f"0{NB}minute", f"0{NB}minute"),  # a clock a little ahead
        (timedelta(minutes=1), f"1{NB}minute", f"1{NB}minute"),
        (timedelta(minutes=59, seconds=59), f"59{NB}minutes", f"59{NB}minutes"),
        (timedelta(hours=1), f"1{NB}heure", f"1{NB}hour"),
        (timedelta(hours=5, minutes=59), f"5{NB}heures", f"5{NB}hours"),
        (timedelta(hours=23, minutes=59), f"23{NB}heures", f"23{NB}hours"),
        (timedelta(days=1), f"1{NB}jour", f"1{NB}day"),
        (timedelta(days=3, hours=20), f"3{NB}jours", f"3{NB}days"),
        (timedelta(days=13, hours=23), f"13{NB}jours", f"13{NB}days"),
        (timedelta(days=14), f"2{NB}semaines", f"2{NB}weeks"),
        (timedelta(days=20), f"2{NB}semaines", f"2{NB}weeks"),
        (timedelta(days=21), f"3{NB}semaines", f"3{NB}weeks"),
        (timedelta(days=28, hours=3), f"4{NB}semaines", f"4{NB}weeks"),
        (timedelta(days=59), f"8{NB}semaines", f"8{NB}weeks"),
        (timedelta(days=60), f"2{NB}mois", f"2{NB}months"),
        (timedelta(days=400), f"13{NB}mois", f"13{NB}months"),
    ],
)
def test_format_age(age: timedelta, fr: str, en: str) -> None:
    assert format_age(age, "fr") == fr
    assert format_age(age, "en") == en


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (NOW, "à l'instant"),
        (NOW - timedelta(seconds=59), "à l'instant"),
        (NOW - timedelta(minutes=5), f"depuis 5{NB}minutes"),
        (NOW - timedelta(days=3, hours=2), f"depuis 3{NB}jours"),
        (
            NOW - timedelta(days=28, hours=3),
            f"depuis 4{NB}semaines",
        ),  # "Hugo : 9 en retard, le plus ancien depuis 4 semaines"
        (NOW - timedelta(days=7 * 25), f"depuis 5{NB}mois"),  # 180 days: never "180 h ouvrées"
    ],
)
def test_format_since(since: datetime, expected: str) -> None:
    assert format_since(since, NOW, "fr") == expected
    assert "ouvr" not in format_since(since, NOW, "fr")


def test_english_and_unknown_language() -> None:
    assert format_since(NOW - timedelta(days=3), NOW, "en") == f"for 3{NB}days"
    assert format_since(NOW - timedelta(days=3), NOW, "de") == f"depuis 3{NB}jours"  # French by default


@pytest.mark.parametrize("days", range(0, 120))
def test_units_never_go_backwards(days: int) -> None:
    """A day older never reads younger: the (unit rank, number) pair only grows."""
    rank = ["minute", "hour", "day", "week", "month"]
    n1, u1 = age_parts(timedelta(days=days))
    n2, u2 = age_parts(timedelta(days=days + 1))
    assert (rank.index(u2), n2) >= (rank.index(u1), n1)

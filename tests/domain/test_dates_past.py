"""domain.dates.parse_past_day: the day a payment was received, in the one French date vocabulary."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dates import parse_past_day

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hier", date(2026, 11, 25)),
        ("Aujourd'hui", TODAY),
        ("avant-hier", date(2026, 11, 24)),
        ("il y a 3 jours", date(2026, 11, 23)),
        ("il y a deux semaines", date(2026, 11, 12)),
        ("lundi", date(2026, 11, 23)),
        ("jeudi", TODAY),
        ("jeudi dernier", date(2026, 11, 19)),
        ("le 3", date(2026, 11, 3)),
        ("le 30", date(2026, 10, 30)),
        ("12/11", date(2026, 11, 12)),
        ("12/12", date(2025, 12, 12)),  # no year: the last 12 December that is not in the future
        ("12/11/2025", date(2025, 11, 12)),
        ("12.11.25", date(2025, 11, 12)),
        ("2025-11-12", date(2025, 11, 12)),
        ("1er décembre 2025", date(2025, 12, 1)),
        ("12 nov.", date(2026, 11, 12)),
        ("reçu le mardi 3 novembre", date(2026, 11, 3)),
        ("31 décembre 2025", date(2025, 12, 31)),
        ("demain", date(2026, 11, 27)),  # read, then refused by the caller as in the future
        ("31/12/2099", date(2099, 12, 31)),
        ("31/02/2025", None),
        ("douze novembre", None),
        ("un jour", None),
        ("", None),
        ("12/11/1999", None),
    ],
)
def test_parse_past_day(text: str, expected: date | None) -> None:
    assert parse_past_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English, and the words of the shared vocabulary (domain/dates.py).
        ("yesterday", date(2026, 11, 25)),
        ("today", TODAY),
        ("3 days ago", date(2026, 11, 23)),
        ("a week ago", date(2026, 11, 19)),
        ("monday last", date(2026, 11, 23)),
        ("received on the 12th november", None),  # "the 12th november": not a form we read
        ("paid 12 november 2025", date(2025, 11, 12)),
        ("il y a quinze jours", date(2026, 11, 11)),  # literal: 15 days
        ("il y a huit jours", date(2026, 11, 18)),
        ("il y a douze jours", date(2026, 11, 14)),
        ("il y a 3661 jours", None),
        ("12 mar", date(2026, 3, 12)),  # March: "mar" is a month here, never "mardi"
        ("12 mars 2025", date(2025, 3, 12)),
        ("29/02", None),  # no 29 February this year nor last year: typed with its year, it is read
        ("29/02/2024", date(2024, 2, 29)),
        ("le 31", date(2026, 10, 31)),
        # Typographic quotes and dashes are the plain ones.
        ("aujourd’hui", TODAY),
        ("avant–hier", date(2026, 11, 24)),
        ("avanthier", date(2026, 11, 24)),
        ("après-demain", date(2026, 11, 28)),
        ("Hier.", date(2026, 11, 25)),
        ("2025/11/12", date(2025, 11, 12)),
        ("1999-12-31", None),
        ("x" * 61, None),
        ("hier soir vers 20h", None),
    ],
)
def test_parse_past_day_more(text: str, expected: date | None) -> None:
    assert parse_past_day(text, TODAY) == expected


def test_monday_last_on_a_monday_is_a_week_ago() -> None:
    monday = date(2026, 11, 23)
    assert parse_past_day("lundi", monday) == monday
    assert parse_past_day("lundi dernier", monday) == date(2026, 11, 16)


@settings(deadline=None)  # timing is measured in bench/, not asserted here (the machine may be busy)
@given(st.text(max_size=80))
def test_parse_past_day_never_raises(text: str) -> None:
    result = parse_past_day(text, TODAY)
    assert result is None or isinstance(result, date)


@settings(deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY))
def test_numeric_dates_read_back(day: date) -> None:
    assert parse_past_day(day.strftime("%d/%m/%Y"), TODAY) == day
    assert parse_past_day(day.isoformat(), TODAY) == day

"""Dates as coordinators really type them, kind by kind (issue 17, docs/date-conventions.md):
typing slips in day and month names, glued tokens, durations in weeks, months and years, words
that look like date words but are none (None, never another day), and everyday words that must
stay as typed. Then the independent sets (tests/domain/data/dates_set_*.jsonl) read as a whole.

Expected values are written by hand from a calendar: 26 November 2026 is a Thursday, 19 December
2026 a Saturday, 6 February 2027 a Saturday; the clocks change on Sunday 25 October 2026 (03:00 →
02:00) and Sunday 28 March 2027 (02:00 → 03:00).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.dates import parse_when, parse_when_detailed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # Thursday

Row = tuple[str, str | None, bool | None]

# One slip in a day name (a letter missing, extra, wrong, or two swapped), two in the longest.
WEEKDAY_SLIPS: list[Row] = [
    ("vendreid 18h", "2026-11-27 18:00", True),
    ("mecredi 18h30", "2026-12-02 18:30", True),
    ("lnudi 18h", "2026-11-30 18:00", True),
    ("samdi 10h", "2026-11-28 10:00", True),
    ("dimance", "2026-11-29 00:00", False),
    ("jeudii soir", "2026-12-03 19:00", True),
    ("mardii", "2026-12-01 00:00", False),
    ("sammedi matin", "2026-11-28 09:00", True),
    ("vendrdei 18h", "2026-11-27 18:00", True),
    ("lundiii 18h", "2026-11-30 18:00", True),
    ("Vendreid 18H", "2026-11-27 18:00", True),
    ("fridy 6pm", "2026-11-27 18:00", True),
    ("wendesday 7pm", "2026-12-02 19:00", True),
    ("samedi prohcain 14h", "2026-11-28 14:00", True),
    ("demian 14h", "2026-11-27 14:00", True),
    ("tomorow 9am", "2026-11-27 09:00", True),
    ("apres demian", "2026-11-28 00:00", False),
    # Cut names, trusted before a time or a part of the day.
    ("vend 18h", "2026-11-27 18:00", True),
    ("merc soir", "2026-12-02 19:00", True),
    ("dima 10h", "2026-11-29 10:00", True),
    # A plural with no "les" is a slip too.
    ("samedis 14h", "2026-11-28 14:00", True),
]

MONTH_SLIPS: list[Row] = [
    ("15 janvir 18h", "2027-01-15 18:00", True),
    ("novmbre 30 à 10h", "2026-11-30 10:00", True),
    ("sam 6 fevirer 14h", "2027-02-06 14:00", True),
    ("5 septembr", "2027-09-05 00:00", False),
    ("12 octobr 18h", "2027-10-12 18:00", True),
    ("le 4 decmbre", "2026-12-04 00:00", False),
    ("le 12 dece", "2026-12-12 00:00", False),
    ("12 avirl", "2027-04-12 00:00", False),
    ("3 spetembre 20h", "2027-09-03 20:00", True),
    ("le 12 févirer", "2027-02-12 00:00", False),
    # Short names: two letters swapped, beside a day number.
    ("le 15 jiun", "2027-06-15 00:00", False),
    ("3 mras 18h", "2027-03-03 18:00", True),
]

GLUED: list[Row] = [
    ("lundi9h", "2026-11-30 09:00", True),
    ("15avril à 19h", "2027-04-15 19:00", True),
    ("15mars", "2027-03-15 00:00", False),
    ("18h30samedi", "2026-11-28 18:30", True),
    ("14hsamedi", "2026-11-28 14:00", True),
    ("demain18h", "2026-11-27 18:00", True),
    ("jeudi18h30", "2026-12-03 18:30", True),
    ("le10/12 à 18h", "2026-12-10 18:00", True),
    ("1erdécembre", "2026-12-01 00:00", False),
    ("lundisoir", "2026-11-30 19:00", True),
    ("cesoir", "2026-11-26 19:00", True),
    ("vendreid18h", "2026-11-27 18:00", True),
]

# Days and weeks move the date, months and years too (calendar ones); hours are elapsed time.
DURATIONS: list[Row] = [
    ("dans trois semaines", "2026-12-17 00:00", False),
    ("dans 2 mois", "2027-01-26 00:00", False),
    ("dans deux mois à 18h", "2027-01-26 18:00", True),
    ("dans 10 jours", "2026-12-06 00:00", False),
    ("dans dix jours", "2026-12-06 00:00", False),
    ("dans une semaine", "2026-12-03 00:00", False),
    ("dans 6 mois", "2027-05-26 00:00", False),
    ("dans un an", "2027-11-26 00:00", False),
    ("dans 36 heures", "2026-11-27 22:00", True),
    ("dans 72h", "2026-11-29 10:00", True),
    ("dans trois semianes", "2026-12-17 00:00", False),
    ("dans un mois et demi", None, None),
    ("dans 2 semaines et demie", None, None),
    ("d'ici 3 semaines", None, None),
    ("dans 2 mois et 3 jours", None, None),
    ("in 2 months", "2027-01-26 00:00", False),
]

# Looks like a date word, is none: None (the bot asks again), never a reading without the word.
UNKNOWN_DATE_WORDS: list[Row] = [
    ("lundimanche", None, None),
    ("lundimanche 18h", None, None),
    ("jeudredi 19h", None, None),
    ("mardredi", None, None),
    ("samedimanche 10h", None, None),
    ("samedixx 14h", None, None),
    ("les samedis 14h", None, None),
    ("on mondays 6pm", None, None),
    ("trois samedis", None, None),
    ("jeudis", None, None),
    ("mardi gras", None, None),
    ("à la Saint-Valentin 20h", None, None),
    ("le 12 brumaire", None, None),
    ("le 3 thermidor à 18h", None, None),
    ("le 3 dezember", None, None),
    ("à la rentrée", None, None),
    ("à la rentrée 18h", None, None),
    ("à Noël 20h", None, None),
    ("pendant les vacances", None, None),
    ("cet été", None, None),
    ("en été 18h", None, None),
    ("à la Saint-Glinglin 18h", None, None),
    ("soirée pizza chez Léa", None, None),
    ("le matin", None, None),
    # A period named beside a real day is an extra word.
    ("repas de Noël samedi 19 décembre 19h", "2026-12-19 19:00", True),
    ("marché de Noël samedi 10h", "2026-11-28 10:00", True),
]

# Everyday words one or two letters from a date word stay as typed.
EVERYDAY_WORDS: list[Row] = [
    ("il vend des gâteaux samedi 14h", "2026-11-28 14:00", True),
    ("on a un match samedi 15h", "2026-11-28 15:00", True),
    ("mon mari vient samedi", "2026-11-28 00:00", False),
    ("coup de main samedi", "2026-11-28 00:00", False),
    ("démarche en mairie lundi 10h", "2026-11-30 10:00", True),
    ("merci, rdv mardi 18h", "2026-12-01 18:00", True),
    ("chez Martin vendredi", "2026-11-27 00:00", False),
    ("rdv chez Mehdi samedi 14h", "2026-11-28 14:00", True),
]

# SMS spellings and idioms.
CASUAL: list[Row] = [
    ("2main 18h", "2026-11-27 18:00", True),
    ("ajd 18h", "2026-11-26 18:00", True),
    ("tmrw 6pm", "2026-11-27 18:00", True),
    ("mardi semaine pro", "2026-12-01 00:00", False),
    ("samedi pro 14h", "2026-11-28 14:00", True),
    ("lundi en quinze", "2026-12-14 00:00", False),
    ("samedi en 15 à 10h", "2026-12-12 10:00", True),
]

# A day of the month that is today: today while the moment is ahead, else next month's.
TODAYS_NUMBER: list[Row] = [
    ("le 26", "2026-12-26 00:00", False),
    ("le 26 à 9h", "2026-12-26 09:00", True),
    ("le 26 à 20h", "2026-11-26 20:00", True),
]

KINDS = {
    "weekday slips": WEEKDAY_SLIPS,
    "month slips": MONTH_SLIPS,
    "glued": GLUED,
    "durations": DURATIONS,
    "unknown date words": UNKNOWN_DATE_WORDS,
    "everyday words": EVERYDAY_WORDS,
    "casual": CASUAL,
    "today's number": TODAYS_NUMBER,
}
ALL = [(kind, *row) for kind, rows in KINDS.items() for row in rows]


@pytest.mark.parametrize(("kind", "text", "expected", "has_time"), ALL, ids=lambda v: repr(v)[:40])
def test_kinds(kind: str, text: str, expected: str | None, has_time: bool | None) -> None:
    result = parse_when_detailed(text, NOW)
    if expected is None:
        assert result is None, kind
        assert parse_when(text, NOW) is None
        return
    assert result is not None, kind
    assert result.start.tzinfo is PARIS
    assert (result.start.strftime("%Y-%m-%d %H:%M"), result.has_time) == (expected, has_time), kind


# (now, text, expected "YYYY-MM-DD HH:MM +ZZZZ" or None, has_time)
OTHER_NOWS: list[tuple[datetime, str, str | None, bool | None]] = [
    # Past the end of a shorter month: its last day (February 2028 has 29).
    (datetime(2027, 1, 31, 10, 0, tzinfo=PARIS), "dans un mois", "2027-02-28 00:00 +0100", False),
    (datetime(2028, 1, 31, 10, 0, tzinfo=PARIS), "dans 1 mois", "2028-02-29 00:00 +0100", False),
    (datetime(2027, 12, 31, 10, 0, tzinfo=PARIS), "dans 2 mois", "2028-02-29 00:00 +0100", False),
    (datetime(2027, 11, 15, 10, 0, tzinfo=PARIS), "dans 3 mois", "2028-02-15 00:00 +0100", False),
    # Hours are real hours across both clock changes.
    (datetime(2026, 10, 24, 10, 0, tzinfo=PARIS), "dans 36 heures", "2026-10-25 21:00 +0100", True),
    (datetime(2027, 3, 26, 18, 0, tzinfo=PARIS), "dans 36 heures", "2027-03-28 07:00 +0200", True),
    # Days are calendar days, whatever the clocks do.
    (datetime(2026, 10, 24, 10, 0, tzinfo=PARIS), "dans 1 jour à 10h", "2026-10-25 10:00 +0100", True),
    # "le 1er" typed on the 1st, "le 15 du mois prochain".
    (datetime(2027, 9, 1, 12, 30, tzinfo=PARIS), "le 1er", "2027-10-01 00:00 +0200", False),
    (datetime(2026, 11, 10, 10, 0, tzinfo=PARIS), "le 15 du mois prochain", "2026-12-15 00:00 +0100", False),
    (
        datetime(2026, 12, 10, 10, 0, tzinfo=PARIS),
        "le 31 du mois prochain à 18h",
        "2027-01-31 18:00 +0100",
        True,
    ),
    (datetime(2027, 1, 10, 10, 0, tzinfo=PARIS), "le 30 du mois prochain", None, None),  # no 30 February
]


@pytest.mark.parametrize(("now", "text", "expected", "has_time"), OTHER_NOWS, ids=lambda v: repr(v)[:40])
def test_other_nows(now: datetime, text: str, expected: str | None, has_time: bool | None) -> None:
    result = parse_when_detailed(text, now)
    if expected is None:
        assert result is None
        return
    assert result is not None
    assert (result.start.strftime("%Y-%m-%d %H:%M %z"), result.has_time) == (expected, has_time)
    assert result.start > now


def test_a_slip_never_changes_the_day_a_clean_text_gives() -> None:
    # The same texts typed right and with a slip read the same.
    pairs = [
        ("vendredi 18h", "vendreid 18h"),
        ("lundi 9h", "lundi9h"),
        ("15 janvier 18h", "15 janvir 18h"),
        ("samedi 18h30", "18h30samedi"),
        ("dans 3 semaines", "dans trois semianes"),
    ]
    for clean, slipped in pairs:
        assert parse_when_detailed(clean, NOW) == parse_when_detailed(slipped, NOW) is not None


# ------------------------------------------------------------------------------------------------
# The independent sets, written by people who never saw the code: read as a whole, not row by row.
# ------------------------------------------------------------------------------------------------

DATA = Path(__file__).parent / "data"
MIN_ACCURACY = 0.98


@pytest.mark.parametrize("name", ["dates_set_i.jsonl", "dates_set_g.jsonl"])
def test_independent_set_accuracy(name: str) -> None:
    with (DATA / name).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    assert len(rows) >= 150
    misses = []
    for row in rows:
        got = parse_when_detailed(row["text"], datetime.fromisoformat(row["now"]))
        shown = got.start.strftime("%Y-%m-%d %H:%M") if got else None
        if shown != row["expected"] or (got is not None and got.has_time != row["has_time"]):
            misses.append(f"{row['id']} {row['text']!r}: {shown} (want {row['expected']})")
    assert 1 - len(misses) / len(rows) >= MIN_ACCURACY, misses

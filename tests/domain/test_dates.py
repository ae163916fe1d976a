"""Tests for domain/dates.py: the conventions of docs/date-conventions.md, phrase by phrase.

Every expected value below is written out by hand from a calendar (26 November 2026 is a
Thursday; 3 December 2026 a Thursday; 2 January 2027 a Saturday; the clocks change on Sunday 29
March 2026, 02:00 → 03:00, and on Sunday 25 October 2026, 03:00 → 02:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.dates import ParsedWhen, format_day, format_when, parse_when, parse_when_detailed

PARIS = ZoneInfo("Europe/Paris")
# Thursday 26 November 2026, 10:00 in Paris: the spec's "now".
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)

# (text, expected start as Paris wall clock "YYYY-MM-DD HH:MM" or None, has_time)
TABLE: list[tuple[str, str | None, bool | None]] = [
    # Weekday alone: strictly after today; the same weekday as today is next week.
    ("vendredi", "2026-11-27 00:00", False),
    ("Vendredi", "2026-11-27 00:00", False),
    ("samedi", "2026-11-28 00:00", False),
    ("lundi", "2026-11-30 00:00", False),
    ("mercredi", "2026-12-02 00:00", False),
    ("jeudi", "2026-12-03 00:00", False),
    ("jeudi 18h", "2026-12-03 18:00", True),
    ("samedi 14h", "2026-11-28 14:00", True),
    ("ce vendredi", "2026-11-27 00:00", False),
    # "X prochain" = the next X; "X en huit" = a week after that.
    ("dimanche prochain", "2026-11-29 00:00", False),
    ("vendredi prochain", "2026-11-27 00:00", False),
    ("samedi prochain à 14h", "2026-11-28 14:00", True),
    ("dimanche en huit", "2026-12-06 00:00", False),
    ("jeudi en huit", "2026-12-10 00:00", False),
    ("lundi en huit à 18h", "2026-12-07 18:00", True),
    # "X de la semaine prochaine": X in the Monday-to-Sunday week after this one.
    ("mardi de la semaine prochaine", "2026-12-01 00:00", False),
    ("vendredi de la semaine prochaine à 19h", "2026-12-04 19:00", True),
    # Weekday with a date that agrees.
    ("samedi 28", "2026-11-28 00:00", False),
    ("samedi 28 novembre", "2026-11-28 00:00", False),
    ("lundi 30 novembre 18h30", "2026-11-30 18:30", True),
    ("vendredi 4 décembre à 18h", "2026-12-04 18:00", True),
    ("vendredi 27 à 20h", "2026-11-27 20:00", True),
    ("jeu 3 déc", "2026-12-03 00:00", False),
    # Parts of the day: matin 09:00, midi 12:00, après-midi 14:00, soir 19:00; explicit time wins.
    ("vendredi matin", "2026-11-27 09:00", True),
    ("vendredi midi", "2026-11-27 12:00", True),
    ("vendredi après-midi", "2026-11-27 14:00", True),
    ("vendredi aprem", "2026-11-27 14:00", True),
    ("vendredi soir", "2026-11-27 19:00", True),
    ("vendredi soir 21h", "2026-11-27 21:00", True),
    ("vendredi soir 9h", "2026-11-27 21:00", True),
    ("samedi matin 10h30", "2026-11-28 10:30", True),
    ("ce soir", "2026-11-26 19:00", True),
    ("cet après-midi", "2026-11-26 14:00", True),
    ("ce midi", "2026-11-26 12:00", True),
    ("ce soir 8h", "2026-11-26 20:00", True),
    ("demain soir 20h30", "2026-11-27 20:30", True),
    ("demain matin", "2026-11-27 09:00", True),
    # minuit is 00:00 of the following day.
    ("ce soir à minuit", "2026-11-27 00:00", True),
    ("minuit", "2026-11-27 00:00", True),
    ("vendredi minuit", "2026-11-28 00:00", True),
    ("minuit et demi", "2026-11-27 00:30", True),
    # A time alone: today if still ahead, otherwise tomorrow.
    ("16h", "2026-11-26 16:00", True),
    ("à 9h15", "2026-11-27 09:15", True),
    ("10h", "2026-11-27 10:00", True),
    ("10h01", "2026-11-26 10:01", True),
    ("midi", "2026-11-26 12:00", True),
    ("midi et demi", "2026-11-26 12:30", True),
    ("midi et quart", "2026-11-26 12:15", True),
    # Time formats.
    ("14h", "2026-11-26 14:00", True),
    ("14h30", "2026-11-26 14:30", True),
    ("14 h 30", "2026-11-26 14:30", True),
    ("14:30", "2026-11-26 14:30", True),
    ("14H30", "2026-11-26 14:30", True),
    ("14 heures", "2026-11-26 14:00", True),
    ("14 heures 30", "2026-11-26 14:30", True),
    ("2 heures de l'après-midi", "2026-11-26 14:00", True),
    ("9h du matin", "2026-11-27 09:00", True),
    ("8h du soir", "2026-11-26 20:00", True),
    ("8pm", "2026-11-26 20:00", True),
    ("8:30 pm", "2026-11-26 20:30", True),
    ("11am", "2026-11-26 11:00", True),
    ("dix-huit heures trente", "2026-11-26 18:30", True),
    ("huit heures du soir", "2026-11-26 20:00", True),
    ("14h et demie", "2026-11-26 14:30", True),
    ("15h moins le quart", "2026-11-26 14:45", True),
    # A day of the month alone: the next such day (today included).
    ("le 14 à 20h", "2026-12-14 20:00", True),
    ("le 27", "2026-11-27 00:00", False),
    ("le 1er", "2026-12-01 00:00", False),
    ("le 31", "2026-12-31 00:00", False),
    ("le 26 à 20h", "2026-11-26 20:00", True),
    # Today's number once its moment has passed: the next month's (set i: "le 1er" on the 1st).
    ("le 26", "2026-12-26 00:00", False),
    ("le 26 à 9h", "2026-12-26 09:00", True),
    # Numeric dates are day/month.
    ("le 4/12", "2026-12-04 00:00", False),
    ("04/12/2026", "2026-12-04 00:00", False),
    ("04.12.2026", "2026-12-04 00:00", False),
    ("4/12/26", "2026-12-04 00:00", False),
    ("2026-12-04 18:00", "2026-12-04 18:00", True),
    ("2026-12-04", "2026-12-04 00:00", False),
    ("04-12-2026 à 18h30", "2026-12-04 18:30", True),
    ("le 4.12", "2026-12-04 00:00", False),
    ("14/07", "2027-07-14 00:00", False),
    ("2026-12-04T18:00:00+01:00", "2026-12-04 18:00", True),
    ("2026-12-04T17:00Z", "2026-12-04 18:00", True),
    ("2026/12/04", "2026-12-04 00:00", False),
    ("2026.12.04", "2026-12-04 00:00", False),
    ("04 12 2026 18h", "2026-12-04 18:00", True),
    # Dates in words; a date without a year already past this year is next year's.
    ("le 4 décembre", "2026-12-04 00:00", False),
    ("le 4 decembre", "2026-12-04 00:00", False),
    ("4 DÉCEMBRE 18H", "2026-12-04 18:00", True),
    ("1er déc. 20h", "2026-12-01 20:00", True),
    ("le premier décembre", "2026-12-01 00:00", False),
    ("vingt et un décembre à 19h", "2026-12-21 19:00", True),
    ("le 2 janvier", "2027-01-02 00:00", False),
    ("2 janv 2027", "2027-01-02 00:00", False),
    ("le 25 décembre 2026 à 10h", "2026-12-25 10:00", True),
    ("le 4 déc. 2026", "2026-12-04 00:00", False),
    ("14 juillet", "2027-07-14 00:00", False),
    ("26 novembre 20h", "2026-11-26 20:00", True),
    ("25 novembre", "2027-11-25 00:00", False),
    ("december 4th", "2026-12-04 00:00", False),
    ("dec 4, 2026 6pm", "2026-12-04 18:00", True),
    ("the 4th of december", "2026-12-04 00:00", False),
    # Durations: days and weeks move the date, hours and minutes are elapsed time.
    ("dans 3 jours", "2026-11-29 00:00", False),
    ("dans deux semaines", "2026-12-10 00:00", False),
    ("dans quinze jours", "2026-12-10 00:00", False),
    ("dans huit jours", "2026-12-03 00:00", False),
    ("dans 1 semaine", "2026-12-03 00:00", False),
    ("dans 2 heures", "2026-11-26 12:00", True),
    ("dans 30 heures", "2026-11-27 16:00", True),
    ("dans 1h30", "2026-11-26 11:30", True),
    ("dans une heure et demie", "2026-11-26 11:30", True),
    ("dans une demi-heure", "2026-11-26 10:30", True),
    ("dans 45 minutes", "2026-11-26 10:45", True),
    ("dans 3 jours à 18h", "2026-11-29 18:00", True),
    ("in 2 hours", "2026-11-26 12:00", True),
    ("in 3 days", "2026-11-29 00:00", False),
    # Months and years are calendar ones: the same day number, later.
    ("dans un mois", "2026-12-26 00:00", False),
    ("dans 2 mois à 18h", "2027-01-26 18:00", True),
    ("dans un an", "2027-11-26 00:00", False),
    # Relative days.
    ("aujourd'hui 18h", "2026-11-26 18:00", True),
    ("demain", "2026-11-27 00:00", False),
    ("après-demain", "2026-11-28 00:00", False),
    ("apres demain 15h", "2026-11-28 15:00", True),
    ("demain 14h30", "2026-11-27 14:30", True),
    ("aujourd'hui jeudi 18h", "2026-11-26 18:00", True),
    # Extra words are ignored.
    ("rdv vendredi 18h devant la mairie", "2026-11-27 18:00", True),
    ("Réunion publique samedi 28 novembre à 14h30, salle des fêtes", "2026-11-28 14:30", True),
    ("on se retrouve demain vers 19h", "2026-11-27 19:00", True),
    ("Tractage dim. 10h au marché", "2026-11-29 10:00", True),
    # Abbreviations, casual writing, upper case.
    ("sam 14h", "2026-11-28 14:00", True),
    ("dim. 10h", "2026-11-29 10:00", True),
    ("VENDREDI 18H", "2026-11-27 18:00", True),
    ("ven 19h", "2026-11-27 19:00", True),
    ("mar 1er déc 18h", "2026-12-01 18:00", True),
    # English.
    ("friday 6pm", "2026-11-27 18:00", True),
    ("tomorrow 9am", "2026-11-27 09:00", True),
    ("next monday 10:30", "2026-11-30 10:30", True),
    ("saturday at noon", "2026-11-28 12:00", True),
    ("tonight", "2026-11-26 19:00", True),
    ("Monday, December 7 at 6 pm", "2026-12-07 18:00", True),
    ("tomorrow morning", "2026-11-27 09:00", True),
    ("on friday at 6 o'clock", "2026-11-27 06:00", True),
    # None: vague.
    ("prochainement", None, None),
    ("à définir", None, None),
    ("bientôt", None, None),
    ("TBD", None, None),
    # None: impossible dates and times.
    ("31 avril", None, None),
    ("le 0/12", None, None),
    ("le 32", None, None),
    ("30 février", None, None),
    ("31/04", None, None),
    ("22h75", None, None),
    ("26h", None, None),
    ("13pm", None, None),
    ("vendredi 24h", None, None),
    # None: a weekday that contradicts the date, or two different days or times.
    ("vendredi 3 décembre", None, None),
    ("samedi 14", None, None),
    ("demain 3 décembre", None, None),
    ("vendredi ou samedi", None, None),
    ("14h ou 16h", None, None),
    ("dans 2 heures à 14h", None, None),
    # None: no single day.
    ("le mois prochain", None, None),
    ("en fin de semaine", None, None),
    ("la semaine prochaine", None, None),
    ("ce week-end", None, None),
    ("en décembre", None, None),
    ("fin novembre", None, None),
    ("cette semaine à 18h", None, None),
    ("tous les samedis", None, None),
    ("du 4 au 6 décembre", None, None),
    ("les 4 et 5 décembre", None, None),
    ("dans un mois et demi", None, None),
    # None: a moment in the past (or now).
    ("avant-hier", None, None),
    ("hier", None, None),
    ("hier 14h", None, None),
    ("vendredi dernier", None, None),
    ("yesterday 6pm", None, None),
    ("04/12/2025", None, None),
    ("ce matin", None, None),
    ("aujourd'hui 9h", None, None),
    ("aujourd'hui", None, None),
    ("26/11", None, None),
    ("dans 0 minute", None, None),
    ("maintenant", None, None),
    # None: nothing, or junk.
    ("", None, None),
    ("   \n\t ", None, None),
    ("lorem ipsum dolor sit amet", None, None),
    ("x" * 5000, None, None),
    ("rdv vendredi 18h " + "blabla " * 40, None, None),
    ("12345", None, None),
    ("😀🎉 ٣/١٢", None, None),
]

# Ranges: (text, start, end), Paris wall clock.
RANGES: list[tuple[str, str, str]] = [
    ("de 18h à 20h", "2026-11-26 18:00", "2026-11-26 20:00"),
    ("18h-20h", "2026-11-26 18:00", "2026-11-26 20:00"),
    ("vendredi de 18h à 20h", "2026-11-27 18:00", "2026-11-27 20:00"),
    ("de 18 à 20h", "2026-11-26 18:00", "2026-11-26 20:00"),
    ("entre 18h et 20h", "2026-11-26 18:00", "2026-11-26 20:00"),
    ("samedi 22h-2h", "2026-11-28 22:00", "2026-11-29 02:00"),
    ("18:00-20:30", "2026-11-26 18:00", "2026-11-26 20:30"),
    ("de 10h à midi", "2026-11-27 10:00", "2026-11-27 12:00"),
    ("samedi 14-16h", "2026-11-28 14:00", "2026-11-28 16:00"),
    ("le 4 décembre de 18h30 à 21h", "2026-12-04 18:30", "2026-12-04 21:00"),
    ("friday from 6pm to 8pm", "2026-11-27 18:00", "2026-11-27 20:00"),
    ("samedi de 22h à minuit", "2026-11-28 22:00", "2026-11-29 00:00"),
]

# Other "now" values: (now, text, expected start "YYYY-MM-DD HH:MM +ZZZZ" or None, has_time).
LATE = datetime(2026, 11, 26, 23, 30, tzinfo=PARIS)  # Thursday, late evening
LATE_UTC = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # = Friday 27, 00:30 in Paris
SUNDAY = datetime(2026, 11, 29, 15, 0, tzinfo=PARIS)
NEW_YEAR_EVE = datetime(2026, 12, 31, 18, 0, tzinfo=PARIS)  # a Thursday
BEFORE_SPRING = datetime(2026, 3, 28, 12, 0, tzinfo=PARIS)  # Saturday, UTC+1
BEFORE_AUTUMN = datetime(2026, 10, 24, 12, 0, tzinfo=PARIS)  # Saturday, UTC+2
IN_AUTUMN_FOLD = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)  # second 02:30, UTC+1

OTHER_NOWS: list[tuple[datetime, str, str | None, bool | None]] = [
    (LATE, "ce soir", None, None),
    (LATE, "minuit", "2026-11-27 00:00 +0100", True),
    (LATE, "ce soir à minuit", "2026-11-27 00:00 +0100", True),
    (LATE, "23h45", "2026-11-26 23:45 +0100", True),
    (LATE, "23h", "2026-11-27 23:00 +0100", True),
    (LATE, "demain", "2026-11-27 00:00 +0100", False),
    (LATE, "vendredi", "2026-11-27 00:00 +0100", False),
    (LATE, "dans 1 heure", "2026-11-27 00:30 +0100", True),
    (LATE, "aujourd'hui 22h", None, None),
    (LATE_UTC, "demain", "2026-11-28 00:00 +0100", False),
    (LATE_UTC, "vendredi", "2026-12-04 00:00 +0100", False),
    (LATE_UTC, "minuit", "2026-11-28 00:00 +0100", True),
    (LATE_UTC, "9h", "2026-11-27 09:00 +0100", True),
    (SUNDAY, "dimanche", "2026-12-06 00:00 +0100", False),
    (SUNDAY, "lundi", "2026-11-30 00:00 +0100", False),
    (SUNDAY, "dimanche prochain", "2026-12-06 00:00 +0100", False),
    (SUNDAY, "samedi", "2026-12-05 00:00 +0100", False),
    (SUNDAY, "vendredi de la semaine prochaine", "2026-12-04 00:00 +0100", False),
    (SUNDAY, "lundi en huit", "2026-12-07 00:00 +0100", False),
    (SUNDAY, "le 29 à 20h", "2026-11-29 20:00 +0100", True),
    (SUNDAY, "14h", "2026-11-30 14:00 +0100", True),
    (NEW_YEAR_EVE, "demain", "2027-01-01 00:00 +0100", False),
    (NEW_YEAR_EVE, "le 2 janvier", "2027-01-02 00:00 +0100", False),
    (NEW_YEAR_EVE, "1er janvier à 10h", "2027-01-01 10:00 +0100", True),
    (NEW_YEAR_EVE, "le 1er", "2027-01-01 00:00 +0100", False),
    (NEW_YEAR_EVE, "le 31 à 20h", "2026-12-31 20:00 +0100", True),
    (NEW_YEAR_EVE, "le 31", "2027-01-31 00:00 +0100", False),
    (NEW_YEAR_EVE, "31/12", None, None),
    (NEW_YEAR_EVE, "lundi", "2027-01-04 00:00 +0100", False),
    (NEW_YEAR_EVE, "ce soir à minuit", "2027-01-01 00:00 +0100", True),
    (NEW_YEAR_EVE, "dans 2 semaines", "2027-01-14 00:00 +0100", False),
    (NEW_YEAR_EVE, "4/01", "2027-01-04 00:00 +0100", False),
    (NEW_YEAR_EVE, "le 30", "2027-01-30 00:00 +0100", False),
    (NEW_YEAR_EVE, "10h", "2027-01-01 10:00 +0100", True),
    (NEW_YEAR_EVE, "vendredi 1er janvier", "2027-01-01 00:00 +0100", False),
    # Spring: 02:00-03:00 on 29 March does not exist; shifted forward by the hour.
    (BEFORE_SPRING, "demain 2h30", "2026-03-29 03:30 +0200", True),
    (BEFORE_SPRING, "demain 2h", "2026-03-29 03:00 +0200", True),
    (BEFORE_SPRING, "demain 3h", "2026-03-29 03:00 +0200", True),
    (BEFORE_SPRING, "demain 1h59", "2026-03-29 01:59 +0100", True),
    (BEFORE_SPRING, "demain 12h", "2026-03-29 12:00 +0200", True),
    (BEFORE_SPRING, "dimanche 10h", "2026-03-29 10:00 +0200", True),
    (BEFORE_SPRING, "dans 24 heures", "2026-03-29 13:00 +0200", True),
    (BEFORE_SPRING, "dans 2 jours", "2026-03-30 00:00 +0200", False),
    # Autumn: 02:00-03:00 on 25 October happens twice; the first one (UTC+2) is taken.
    (BEFORE_AUTUMN, "dans 30 heures", "2026-10-25 17:00 +0100", True),
    (BEFORE_AUTUMN, "dans 24 heures", "2026-10-25 11:00 +0100", True),
    (BEFORE_AUTUMN, "demain 2h30", "2026-10-25 02:30 +0200", True),
    (BEFORE_AUTUMN, "demain 1h30", "2026-10-25 01:30 +0200", True),
    (BEFORE_AUTUMN, "demain 3h", "2026-10-25 03:00 +0100", True),
    (BEFORE_AUTUMN, "demain 12h", "2026-10-25 12:00 +0100", True),
    (IN_AUTUMN_FOLD, "dans 1 heure", "2026-10-25 03:30 +0100", True),
    (IN_AUTUMN_FOLD, "3h", "2026-10-25 03:00 +0100", True),
]


def _wall(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("text", "expected", "has_time"), TABLE, ids=lambda v: repr(v)[:40])
def test_table(text: str, expected: str | None, has_time: bool | None) -> None:
    result = parse_when_detailed(text, NOW)
    if expected is None:
        assert result is None
        assert parse_when(text, NOW) is None
        return
    assert result is not None
    assert result.start.tzinfo is PARIS
    assert _wall(result.start) == expected
    assert result.has_time is has_time
    assert result.end is None
    assert parse_when(text, NOW) == result.start


@pytest.mark.parametrize(("text", "start", "end"), RANGES, ids=lambda v: repr(v)[:40])
def test_ranges(text: str, start: str, end: str) -> None:
    result = parse_when_detailed(text, NOW)
    assert result is not None
    assert (_wall(result.start), result.end and _wall(result.end), result.has_time) == (start, end, True)
    assert result.end is not None and result.end.tzinfo is PARIS
    assert parse_when(text, NOW) == result.start


@pytest.mark.parametrize(("now", "text", "expected", "has_time"), OTHER_NOWS, ids=lambda v: repr(v)[:40])
def test_other_nows(now: datetime, text: str, expected: str | None, has_time: bool | None) -> None:
    result = parse_when_detailed(text, now)
    if expected is None:
        assert result is None
        return
    assert result is not None
    assert result.start.tzinfo is PARIS
    assert result.start.strftime("%Y-%m-%d %H:%M %z") == expected
    assert result.has_time is has_time
    assert result.start > now


def test_range_across_autumn_change() -> None:
    result = parse_when_detailed("dimanche 2h-4h", BEFORE_AUTUMN)
    assert result is not None and result.end is not None
    assert result.start.strftime("%Y-%m-%d %H:%M %z") == "2026-10-25 02:00 +0200"
    assert result.end.strftime("%Y-%m-%d %H:%M %z") == "2026-10-25 04:00 +0100"


def test_elapsed_hours_are_real_hours_across_autumn_change() -> None:
    # 30 real hours after Saturday 12:00 CEST; counting on the wall clock would give 18:00.
    result = parse_when("dans 30 heures", BEFORE_AUTUMN)
    assert result is not None
    assert result.astimezone(UTC) == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)


def test_now_in_another_time_zone_gives_paris_result() -> None:
    now = datetime(2026, 11, 26, 4, 0, tzinfo=ZoneInfo("America/New_York"))  # 10:00 in Paris
    result = parse_when("vendredi 18h", now)
    assert result == datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)
    assert result is not None and result.tzinfo is PARIS


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_when("vendredi", datetime(2026, 11, 26, 10, 0))


def test_parsed_when_is_a_frozen_value() -> None:
    start = datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)
    assert parse_when_detailed("vendredi 18h", NOW) == ParsedWhen(start, None, True)


def test_table_is_big_enough() -> None:
    assert len(TABLE) + len(RANGES) >= 120


# --- format_when / format_day --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dt", "lang", "with_time", "expected"),
    [
        (datetime(2026, 11, 28, 14, 0, tzinfo=PARIS), "fr", True, "samedi 28 novembre à 14h00"),
        (datetime(2026, 11, 28, 14, 0, tzinfo=PARIS), "en", True, "Saturday 28 November at 14:00"),
        (datetime(2027, 1, 2, 10, 0, tzinfo=PARIS), "fr", True, "samedi 2 janvier 2027 à 10h00"),
        (datetime(2027, 1, 2, 10, 0, tzinfo=PARIS), "en", True, "Saturday 2 January 2027 at 10:00"),
        (datetime(2026, 12, 1, 20, 0, tzinfo=PARIS), "fr", True, "mardi 1er décembre à 20h00"),
        (datetime(2026, 12, 1, 20, 0, tzinfo=PARIS), "en", True, "Tuesday 1 December at 20:00"),
        (datetime(2026, 12, 4, 0, 0, tzinfo=PARIS), "fr", False, "vendredi 4 décembre"),
        (datetime(2026, 12, 4, 0, 0, tzinfo=PARIS), "en", False, "Friday 4 December"),
        (datetime(2026, 11, 28, 13, 0, tzinfo=UTC), "fr", True, "samedi 28 novembre à 14h00"),
        (datetime(2026, 11, 28, 9, 5), "fr", True, "samedi 28 novembre à 09h05"),
        (datetime(2026, 11, 27, 0, 0, tzinfo=PARIS), "fr", True, "vendredi 27 novembre à 00h00"),
        (datetime(2026, 11, 28, 14, 0, tzinfo=PARIS), "en-GB", True, "Saturday 28 November at 14:00"),
        (datetime(2026, 11, 28, 14, 0, tzinfo=PARIS), "fr_FR", True, "samedi 28 novembre à 14h00"),
        (datetime(2026, 3, 29, 3, 30, tzinfo=PARIS), "fr", True, "dimanche 29 mars à 03h30"),
    ],
)
def test_format_when(dt: datetime, lang: str, with_time: bool, expected: str) -> None:
    assert format_when(dt, lang, with_time, now=NOW) == expected


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        (
            datetime(2026, 11, 28, 18, 0, tzinfo=PARIS),
            datetime(2026, 11, 28, 20, 0, tzinfo=PARIS),
            "fr",
            "samedi 28 novembre de 18h00 à 20h00",
        ),
        (
            datetime(2026, 11, 28, 18, 0, tzinfo=PARIS),
            datetime(2026, 11, 28, 20, 0, tzinfo=PARIS),
            "en",
            "Saturday 28 November from 18:00 to 20:00",
        ),
        (
            datetime(2026, 11, 28, 22, 0, tzinfo=PARIS),
            datetime(2026, 11, 29, 2, 0, tzinfo=PARIS),
            "fr",
            "samedi 28 novembre de 22h00 à 02h00",
        ),
        (
            datetime(2026, 12, 4, 18, 0, tzinfo=PARIS),
            datetime(2026, 12, 6, 12, 0, tzinfo=PARIS),
            "fr",
            "du vendredi 4 décembre à 18h00 au dimanche 6 décembre à 12h00",
        ),
        (
            datetime(2026, 12, 4, 18, 0, tzinfo=PARIS),
            datetime(2026, 12, 6, 12, 0, tzinfo=PARIS),
            "en",
            "from Friday 4 December at 18:00 to Sunday 6 December at 12:00",
        ),
    ],
)
def test_format_when_range(start: datetime, end: datetime, lang: str, expected: str) -> None:
    assert format_when(start, lang, now=NOW, end=end) == expected


def test_format_day() -> None:
    assert format_day(date(2026, 12, 4), now=NOW) == "vendredi 4 décembre"
    assert format_day(date(2027, 12, 4), "en", now=NOW) == "Saturday 4 December 2027"
    assert format_day(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), now=NOW) == "mardi 1er décembre"


def test_parse_then_format_round_trip() -> None:
    parsed = parse_when_detailed("sam 14h", NOW)
    assert parsed is not None
    assert format_when(parsed.start, "fr", parsed.has_time, now=NOW) == "samedi 28 novembre à 14h00"
    day_only = parse_when_detailed("le 2 janvier", NOW)
    assert day_only is not None
    assert format_when(day_only.start, "fr", day_only.has_time, now=NOW) == "samedi 2 janvier 2027"

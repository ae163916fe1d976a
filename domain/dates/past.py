"""Reading the day a payment was received: a past day typed by a treasurer, with the same
vocabulary as event dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from domain.dates.vocabulary import MONTHS, NUMBER_WORDS, PUNCT, REL_DAYS, WEEKDAYS
from domain.text import lazy_compile

# --- Past days (when a payment was received) -----------------------------------------------------

# The same month and weekday words as event dates; "mar" (March) is read here only: in an event
# date it would be the abbreviation of "mardi".
_PAST_MONTHS = {**MONTHS, "mar": 3}
_PAST_MONTH_ALT = "|".join(sorted(_PAST_MONTHS, key=len, reverse=True))
_PAST_WEEKDAY_ALT = "|".join(WEEKDAYS)
_PAST_RELATIVE = {**REL_DAYS, "hier": -1, "yesterday": -1, "avanthier": -2}
_PAST_COUNTS = {**NUMBER_WORDS, "a": 1, "an": 1}
_PAST_ISO_RE = lazy_compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_PAST_NUM_RE = lazy_compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")
_PAST_TEXT_RE = lazy_compile(
    rf"^(?:(?:{_PAST_WEEKDAY_ALT}) )?(\d{{1,2}})(?:er|e|st|nd|rd|th)? ({_PAST_MONTH_ALT})(?: (\d{{4}}))?$"
)
_PAST_DOM_RE = lazy_compile(rf"^(?:(?:{_PAST_WEEKDAY_ALT}) )?(\d{{1,2}})(?:er|e)?$")
_PAST_WEEKDAY_RE = lazy_compile(rf"^({_PAST_WEEKDAY_ALT})(?: (dernier|derniere|last))?$")
_PAST_AGO_RE = lazy_compile(r"^(?:il y a (\w+) (jours?|semaines?)|(\w+) (days?|weeks?) ago)$")
_PAST_PREFIX_RE = lazy_compile(r"^(?:recu |received |paid |verse )?(?:le |on |the )?")
_PAST_WORDS = [
    (lazy_compile(r"\baujourd hui\b"), "aujourdhui"),
    (lazy_compile(r"\bavant hier\b"), "avanthier"),
    (lazy_compile(r"\bapres demain\b"), "apresdemain"),
]


def _normalise_past(text: str) -> str:
    """Lower case without accents, quotes and dashes unified, "reçu le" and friends dropped."""
    folded = unicodedata.normalize("NFKD", text.strip().translate(PUNCT))
    s = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    s = s.replace("'", " ").replace(",", " ")
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)  # "avant-hier", "après-demain"
    s = re.sub(r"\s+", " ", s).strip().rstrip(".")
    s = _PAST_PREFIX_RE.sub("", s, count=1).strip()
    for pattern, word in _PAST_WORDS:
        s = pattern.sub(word, s)
    return s


def parse_past_day(text: str, today: date) -> date | None:
    """The day something happened (a payment received), typed in French or English; None when unreadable.

    "hier", "avant-hier", "il y a 3 jours", "lundi", "jeudi dernier", "le 3", "12/11", "12 nov.",
    "1er décembre 2025", "2025-11-12". A date without a year is the most recent such day that is
    not after `today`; a future day ("demain", "31/12/2099") is returned as read, for the caller to
    refuse with a clear message. Years before 2000 are refused. Never raises.
    """
    if not isinstance(text, str) or len(text) > 60:
        return None
    s = _normalise_past(text)
    if not s:
        return None
    try:
        return _read_past_day(s, today)
    except (ValueError, OverflowError):
        return None  # 31/02, year 0…


def _read_past_day(s: str, today: date) -> date | None:
    if s in _PAST_RELATIVE:
        return today + timedelta(days=_PAST_RELATIVE[s])
    if m := _PAST_AGO_RE.match(s):
        count_word, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        count = int(count_word) if count_word.isdigit() else _PAST_COUNTS.get(count_word)
        if count is None or count > 3660:
            return None
        return today - timedelta(days=count * (7 if unit.startswith(("semaine", "week")) else 1))
    if m := _PAST_ISO_RE.match(s):
        return _since_2000(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _PAST_NUM_RE.match(s):
        return _past_date(int(m.group(1)), int(m.group(2)), m.group(3), today)
    if m := _PAST_TEXT_RE.match(s):
        return _past_date(int(m.group(1)), _PAST_MONTHS[m.group(2)], m.group(3), today)
    if m := _PAST_DOM_RE.match(s):
        return _last_dom(int(m.group(1)), today)
    if m := _PAST_WEEKDAY_RE.match(s):
        back = (today.weekday() - WEEKDAYS[m.group(1)]) % 7
        if m.group(2) and back == 0:
            back = 7  # "lundi dernier" said on a Monday: a week ago
        return today - timedelta(days=back)
    return None


def _last_dom(day: int, today: date) -> date | None:
    """The most recent `day` of a month ("le 3"): this month's, or one of the two before."""
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate: date | None = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return None


def _past_date(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is None:
        try:
            candidate: date | None = date(today.year, month, day)
        except ValueError:
            candidate = None
        if candidate is None or candidate > today:
            candidate = date(today.year - 1, month, day)
        return candidate
    return _since_2000(date(int(year) + (2000 if len(year) == 2 else 0), month, day))


def _since_2000(day: date) -> date | None:
    return day if day.year >= 2000 else None

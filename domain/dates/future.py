"""Reading an event's date: the start (and end) of a future moment typed by a coordinator
(docs/date-conventions.md). See the package docstring for the method."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from domain.dates.vocabulary import (
    MAX_DURATION,
    MAX_TEXT_LEN,
    MAX_YEARS_AHEAD,
    MONTH_ALONE_RE,
    MONTH_ALT,
    MONTHS,
    PARIS,
    PARTS,
    REL_DAYS,
    WEEKDAY_ABBR,
    WEEKDAYS,
    ParsedWhen,
    normalise,
)
from domain.text import lazy_compile

# --- Token patterns (over normalised text) -------------------------------------------------------

# The past, anywhere in the text, means the event is not ahead: refuse rather than drop the word.
_PAST_RE = lazy_compile(
    r"\b(?:hier|avanthier|yesterday|dernier|derniere|last|ago|il y a|semaine passee|mois passe)\b"
)
# No single day, or a repetition: without an explicit day these give None.
_VAGUE_RE = lazy_compile(
    r"\b(?:semaine prochaine|next week|mois prochain|next month|annee prochaine|next year|"
    r"fin de (?:la )?semaine|fin (?:de|du) mois|end of (?:the )?(?:week|month)|debut de (?:la )?semaine|"
    r"weekend|cette semaine|this week|ce mois|this month|prochainement|bientot|soon|a definir|"
    r"a confirmer|a determiner|a preciser|tbd|tba|tbc|later|plus tard|un de ces jours|d ici|"
    # Periods and holidays: with a day named they are extra words ("repas de Noël samedi 19
    # décembre"), alone they give no single day ("à la rentrée 18h", "à Noël", "cet été").
    r"rentree|vacances|toussaint|noel|paques|pentecote|ascension|careme|reveillon|nouvel an|"
    r"printemps|automne|hiver|(?:cet|en|l|d|fin|debut|pendant|avant|apres) ete|quinzaine|"
    r"saint[- ]?glinglin|la saint[- ][a-z]+|chandeleur|calendes|jour j|christmas|xmas|easter|halloween|new year|thanksgiving)\b"
)
_NEXT_MONTH_RE = lazy_compile(r"\b(?:du|of) (?:mois prochain|next month)\b")
_NEXT_WEEK_RE = lazy_compile(r"\b(?:(?:de )?(?:la )?semaine prochaine|next week)\b")
# Always None, even with a day: recurring events and several days.
_REFUSE_RE = lazy_compile(
    r"\b(?:tous les|toutes les|chaque|every|mardi gras)\b"
    # Two durations added up ("dans 2 mois et 3 jours"): not read, so not half read either.
    r"|\b(?:dans|in)\s+[0-9]+\s*[a-z]+\s+(?:et|and)\s+[0-9]+\s*(?:jours?|j|semaines?|weeks?|days?|mois|months?|h|heures?|hours?|minutes?)\b"
    rf"|\bdu\s+[0-9]{{1,2}}(?:er)?(?:\s+(?:{MONTH_ALT}))?\s+(?:au|a)\s+[0-9]{{1,2}}\b"
    rf"|\b[0-9]{{1,2}}(?:er)?\s*(?:-|au|et)\s*[0-9]{{1,2}}(?:er)?\s+(?:{MONTH_ALT})\b"
)

# "dans 3 jours", "dans 1h30", "in an hour and a half", "dans environ 2 heures".
_DURATION_RE = lazy_compile(
    r"\b(?:dans|in)\s+(?:(?:environ|about|around|approximativement|a peu pres)\s+)?"
    r"(?:(?P<hn>[0-9]{1,6}|an|a)\s*(?:h|hrs?|heures?|hours?)(?![a-z])"
    r"(?:(?P<hm>[0-9]{2})(?![0-9])|\s(?P<hm2>[0-9]{2})(?![0-9]|\s*(?:h(?![a-z])|heures?\b|:)))?"
    r"(?:\s+(?:et|and)\s+(?:a\s+)?(?P<hfrac>demie?|quart|half|quarter))?"
    r"|(?P<n>[0-9]{1,6}|an|a)\s*(?P<unit>minutes?|mins?|mn|jours?|j|days?|semaines?|sem|weeks?|"
    r"mois|months?|ans?|annees?|years?)\b)"
)
_HALF_AFTER_RE = lazy_compile(r"\s*(?:et|and)\s+(?:(?:a|une)\s+)?(?:demie?|quart|half)\b")
# ISO with an offset is an absolute instant; without, it is a Paris date (+ a time read later).
_ISO_TZ_RE = lazy_compile(
    r"\b([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[t ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"\s*(z|[+-][0-9]{2}:?[0-9]{2})(?![0-9])"
)
_ISO_RE = lazy_compile(r"\b([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])(?:t(?=[0-9]))?")
# Numeric dates are day/month: "4/12", "4/12/26", "04.12.2026", "04-12-2026", "le 4.12".
_NUM_DATE_RE = lazy_compile(
    r"(?<![0-9/.:-])([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?(?![0-9/])"
    r"|(?<![0-9/.:-])([0-9]{1,2})([.-])([0-9]{1,2})\5([0-9]{4}|[0-9]{2})(?![0-9.-])"
)
# "4.12" without a year is a date only if it is a valid one ("18.30" could be a time: left alone).
_DOT_DATE_RE = lazy_compile(r"(?<![0-9/.:-])([0-9]{1,2})\.([0-9]{1,2})(?![0-9.]|\s*(?:h(?![a-z])|am\b|pm\b))")
_ORD = r"(?:er|eme|e|st|nd|rd|th)"
_TEXT_DATE_RE = lazy_compile(
    rf"\b(?P<d>[0-9]{{1,2}})\s*{_ORD}?\s+(?:of\s+|de\s+)?(?P<m>{MONTH_ALT})\b(?:\s+(?P<y>[0-9]{{4}}))?(?![0-9])"
    rf"|\b(?P<m2>{MONTH_ALT})\s+(?:the\s+)?(?P<d2>[0-9]{{1,2}}){_ORD}?\b(?!\s*(?:h(?![a-z])|heures?\b|:|am\b|pm\b))"
    rf"(?:,?\s+(?P<y2>[0-9]{{4}}))?(?![0-9])"
)
# What may follow a day number without turning it into an hour ("le 14 à 20h" yes, "le 14h" no).
_NOT_HOUR = r"(?![./-][0-9]|\s*(?:h(?![a-z])|heures?\b|hrs?\b|:|am\b|pm\b|o clock\b))"
_DOM_RE = lazy_compile(rf"\b(?:le|the|on the)\s+([0-9]{{1,2}}){_ORD}?\b{_NOT_HOUR}")

# Abbreviations are ordinary words too ("jeu", "mer", "mon"): only trusted when a time, a day
# number, a part of the day or a modifier follows, as in "sam 14h" or "dim 10h".
_WEEKDAY_RE = lazy_compile(
    r"\b(?:(?:prochaine?|next|this|ce|cette|on)\s+)?"
    rf"(?:(?P<full>{'|'.join(WEEKDAYS)})\b"
    rf"|(?P<abbr>{'|'.join(sorted(WEEKDAY_ABBR, key=len, reverse=True))})\b"
    r"(?=\s*(?:[0-9]|matin|midi|soir|apresmidi|morning|afternoon|evening|prochaine?|en huit|en 8|en quinze|en 15|a\s+[0-9])))"
    r"(?:\s+(?P<post>prochaine?|en huit|en 8|en quinze|en 15))?"
    rf"(?:\s+(?:le\s+|the\s+)?(?P<dom>[0-9]{{1,2}}){_ORD}?\b{_NOT_HOUR})?"
)
# Relative days; "ce"/"this" before a part of the day means today ("ce soir", "this evening").
_REL_DAY_RE = lazy_compile(
    r"\b(?P<word>apresdemain|demain|tomorrow|aujourdhui|today|tonight)\b"
    r"|\b(?P<this>ce|cet|cette|this)\s+(?=(?:soir|soiree|matin|matinee|apresmidi|midi|morning|afternoon|evening)\b)"
)
_TIME_RE = lazy_compile(
    r"(?<![0-9/.:,])(?:"
    r"(?P<ah>[0-9]{1,2})(?:[:.h](?P<amin>[0-9]{2}))?\s*(?P<ap>am|pm)\b"
    r"|(?P<ch>[0-9]{1,2}):(?P<cm>[0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?(?![0-9])"
    r"|(?P<hh>[0-9]{1,4})\s*(?:h|hrs?|heures?|o clock)(?![a-z])"
    r"(?:(?P<hm>[0-9]{1,4})|\s(?P<hm2>[0-9]{2})(?![0-9]|\s*(?:h(?![a-z])|heures?\b|:)))?"
    r"|\b(?P<named>midi|minuit|noon|midnight)\b"
    r")"
    r"(?:\s*(?:(?:et|and)\s+(?:a\s+)?(?P<frac>demie?|quart|half|quarter)|(?P<minus>moins\s+(?:le\s+)?quart)))?"
    r"(?:\s*(?P<mer>du matin|du soir|de l apresmidi|du midi|in the morning|in the afternoon|in the evening|at night))?"
)
_RANGE_SEP_RE = lazy_compile(r"^\s*(?:-|a|au|jusqu a|jusqu au|to|till|until|through)\s*$")
_BETWEEN_RE = lazy_compile(r"\b(?:entre|between)\s*$")
# "de 18 à 20h", "18-20h", "6-8pm": the first hour borrows the second one's unit.
_RANGE_HOURS_RE = lazy_compile(
    r"\b(?P<pre>de|entre|from)\s+(?P<a>[0-9]{1,2})\s+(?P<sep>a|et|to|and|-)\s+(?P<b>[0-9]{1,2})\s*(?P<u>h(?![a-z])|heures?\b|am\b|pm\b)"
    r"|(?<![0-9a-z/.:-])(?P<a2>[0-9]{1,2})\s*-\s*(?P<b2>[0-9]{1,2})\s*(?P<u2>h(?![a-z])|heures?\b|am\b|pm\b)"
)
_PART_RE = lazy_compile(r"\b(matin|matinee|apresmidi|soir|soiree|morning|afternoon|evening)\b")
# fmt: off
_PART_NAMES = {
    "matin": "matin", "matinee": "matin", "morning": "matin", "apresmidi": "apresmidi",
    "afternoon": "apresmidi", "soir": "soir", "soiree": "soir", "evening": "soir",
}
# fmt: on
# A day/month/year cluster we did not read ("04 12 2026 18h"): our partial reading is suspect.
_UNREAD_DATE_RE = lazy_compile(
    r"(?<![0-9])(?<![0-9][\s./-])[0-9]{1,4}[\s./-][0-9]{1,2}[\s./-][0-9]{2,4}(?![0-9])(?![\s./-][0-9])"
)


@dataclass(slots=True)
class _Time:
    hour: int
    minute: int
    next_day: bool  # minuit: 00:00 of the day after
    meridian: bool  # am/pm or "du matin/du soir" given: no part-of-day adjustment
    start: int
    end: int


@dataclass(slots=True)
class _Tokens:
    day_offsets: list[int] = field(default_factory=list)
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    doms: list[int] = field(default_factory=list)
    weekdays: list[tuple[int, int]] = field(default_factory=list)  # (weekday, extra weeks)
    times: list[_Time] = field(default_factory=list)
    parts: set[str] = field(default_factory=set)
    elapsed: timedelta | None = None
    months_ahead: int | None = None  # "dans 2 mois", "dans un an": calendar months
    instant: datetime | None = None
    next_week: bool = False
    next_month: bool = False  # "le 15 du mois prochain"
    vague: bool = False

    def empty(self) -> bool:
        return (
            not (self.day_offsets or self.dates or self.doms or self.weekdays or self.times or self.parts)
            and self.elapsed is None
            and self.months_ahead is None
            and self.instant is None
        )


class _Refused(Exception):
    """The text is understood well enough to know it gives no single future moment."""


def _blank(text: str, match: re.Match[str]) -> str:
    # Same length, so positions stay meaningful for range detection.
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _duration_count(raw: str) -> int:
    return 1 if raw in ("a", "an") else int(raw)


def _read_duration(work: str, tokens: _Tokens) -> str:
    matches = list(_DURATION_RE.finditer(work))
    if len(matches) > 1:
        raise _Refused
    if not matches:
        return work
    m = matches[0]
    if m.group("hn") is not None:
        minutes = 60 * _duration_count(m.group("hn")) + int(m.group("hm") or m.group("hm2") or 0)
        frac = m.group("hfrac")
        minutes += 30 if frac in ("demi", "demie", "half") else 15 if frac in ("quart", "quarter") else 0
        tokens.elapsed = timedelta(minutes=minutes)
    else:
        count, unit = _duration_count(m.group("n")), m.group("unit")
        if _HALF_AFTER_RE.match(work, m.end()):
            raise _Refused  # "dans un mois et demi", "dans 2 jours et demi": no single day
        if unit.startswith(("mois", "month")):
            tokens.months_ahead = count
        elif unit.startswith(("an", "annee", "year")):
            tokens.months_ahead = 12 * count
        elif unit.startswith(("min", "mn")):
            tokens.elapsed = timedelta(minutes=count)
        elif unit.startswith(("sem", "week")):
            tokens.day_offsets.append(7 * count)
        else:
            tokens.day_offsets.append(count)
    if tokens.elapsed is not None and tokens.elapsed > MAX_DURATION:
        raise _Refused
    if tokens.months_ahead is not None and tokens.months_ahead > 12 * MAX_YEARS_AHEAD:
        raise _Refused
    if tokens.day_offsets and tokens.day_offsets[-1] > MAX_DURATION.days:
        raise _Refused
    return _blank(work, m)


def _read_dates(work: str, tokens: _Tokens) -> str:
    for m in _ISO_TZ_RE.finditer(work):
        y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
        tz_raw = m.group(7)
        if tz_raw == "z":
            tz = UTC
        else:
            sign = -1 if tz_raw[0] == "-" else 1
            digits = tz_raw[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset >= timedelta(hours=24):
                raise _Refused
            tz = timezone(sign * offset)
        if tokens.instant is not None:
            raise _Refused  # two instants
        try:
            tokens.instant = datetime(y, mo, d, h, mi, tzinfo=tz)
        except ValueError as exc:
            raise _Refused from exc
        work = _blank(work, m)
    for m in _ISO_RE.finditer(work):
        tokens.dates.append((int(m.group(1)), int(m.group(3)), int(m.group(4))))
        work = _blank(work, m)
    for m in _NUM_DATE_RE.finditer(work):
        if m.group(1) is not None:
            tokens.dates.append((_year(m.group(3)), int(m.group(2)), int(m.group(1))))
        else:
            tokens.dates.append((_year(m.group(7)), int(m.group(6)), int(m.group(4))))
        work = _blank(work, m)
    for m in _DOT_DATE_RE.finditer(work):
        d, mo = int(m.group(1)), int(m.group(2))
        if 1 <= d <= 31 and 1 <= mo <= 12:
            tokens.dates.append((None, mo, d))
            work = _blank(work, m)
    for m in _TEXT_DATE_RE.finditer(work):
        if m.group("m") is not None:
            tokens.dates.append((_year(m.group("y")), MONTHS[m.group("m")], int(m.group("d"))))
        else:
            tokens.dates.append((_year(m.group("y2")), MONTHS[m.group("m2")], int(m.group("d2"))))
        work = _blank(work, m)
    if MONTH_ALONE_RE.search(work):
        raise _Refused  # "en décembre", "fin novembre": a month, not a day
    return work


def _read_days(work: str, tokens: _Tokens) -> str:
    for m in _WEEKDAY_RE.finditer(work):
        name = m.group("full") or m.group("abbr")
        weekday = WEEKDAYS.get(name, WEEKDAY_ABBR.get(name, 0))
        post = m.group("post") or ""
        # "X en huit" is a week after the next X, "X en quinze" two weeks after it.
        extra = 2 if post in ("en quinze", "en 15") else 1 if post.startswith("en") else 0
        tokens.weekdays.append((weekday, extra))
        if m.group("dom") is not None:
            tokens.doms.append(int(m.group("dom")))
        work = _blank(work, m)
    for m in _DOM_RE.finditer(work):
        tokens.doms.append(int(m.group(1)))
        work = _blank(work, m)
    for m in _REL_DAY_RE.finditer(work):
        word = m.group("word")
        tokens.day_offsets.append(REL_DAYS[word] if word else 0)
        if word == "tonight":
            tokens.parts.add("soir")
        work = _blank(work, m)
    return work


def _range_hours(m: re.Match[str]) -> str:
    if m.group("a") is not None:
        a, b, unit = m.group("a"), m.group("b"), m.group("u")
        pre, sep = m.group("pre"), m.group("sep")
    else:
        a, b, unit = m.group("a2"), m.group("b2"), m.group("u2")
        pre, sep = "", "-"
    first_unit = unit
    if unit == "pm" and int(a) > int(b):
        first_unit = "am"  # "11-1pm"
    return f"{pre} {a}{first_unit} {sep} {b}{unit}".strip()


def _read_times(work: str, tokens: _Tokens) -> str:
    work = _RANGE_HOURS_RE.sub(_range_hours, work)
    for m in list(_TIME_RE.finditer(work)):
        tokens.times.append(_make_time(m))
        work = _blank(work, m)  # same length: the times' positions stay valid for ranges
    for m in _PART_RE.finditer(work):
        tokens.parts.add(_PART_NAMES[m.group(1)])
    return work


def _make_time(m: re.Match[str]) -> _Time:
    meridian = False
    next_day = False
    if m.group("ah") is not None:
        hour, minute = int(m.group("ah")), int(m.group("amin") or 0)
        if not 1 <= hour <= 12:
            raise _Refused
        hour = hour % 12 + (12 if m.group("ap") == "pm" else 0)
        meridian = True
    elif m.group("ch") is not None:
        hour, minute = int(m.group("ch")), int(m.group("cm"))
    elif m.group("hh") is not None:
        raw_min = m.group("hm") or m.group("hm2")
        hour, minute = int(m.group("hh")), int(raw_min) if raw_min else 0
        if raw_min is not None and len(raw_min) > 2:
            raise _Refused
    else:
        named = m.group("named")
        hour, minute = (0, 0) if named in ("minuit", "midnight") else (12, 0)
        next_day = hour == 0
        meridian = True
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _Refused  # "26h", "22h75"
    frac = m.group("frac")
    if frac or m.group("minus"):
        if minute:
            raise _Refused  # "14h30 et demie"
        if frac in ("demi", "demie", "half"):
            minute = 30
        elif frac in ("quart", "quarter"):
            minute = 15
        else:  # moins le quart
            if next_day:
                next_day, hour = False, 23
            elif hour == 0:
                raise _Refused
            else:
                hour -= 1
            minute = 45
    mer = m.group("mer")
    if mer:
        if mer in ("du matin", "in the morning"):
            if hour > 12:
                raise _Refused  # "15h du matin"
        elif 1 <= hour <= 11:
            hour += 12  # "2 heures de l'après-midi", "8h du soir"
        meridian = True
    return _Time(hour, minute, next_day, meridian, m.start(), m.end())


def _tokenise(norm: str) -> tuple[_Tokens, str]:
    tokens = _Tokens()
    if _PAST_RE.search(norm) or _REFUSE_RE.search(norm):
        raise _Refused
    tokens.vague = bool(_VAGUE_RE.search(norm))
    tokens.next_week = bool(_NEXT_WEEK_RE.search(norm))
    tokens.next_month = bool(_NEXT_MONTH_RE.search(norm))
    work = _read_duration(norm, tokens)
    work = _read_dates(work, tokens)
    work = _read_days(work, tokens)
    work = _read_times(work, tokens)
    return tokens, work


# --- Resolution ----------------------------------------------------------------------------------


def _localise(day: date, hour: int, minute: int) -> datetime:
    """Paris wall-clock time: nonexistent ones shifted forward by the gap, ambiguous ones fold=0."""
    naive = datetime(day.year, day.month, day.day, hour, minute)
    # zoneinfo gives a nonexistent time (fold=0) the offset from before the gap; a round trip
    # through UTC then yields the real wall-clock time after it (02:30 → 03:30).
    return naive.replace(tzinfo=PARIS, fold=0).astimezone(UTC).astimezone(PARIS)


def _resolve_date(y: int | None, mo: int, d: int, today: date) -> date:
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        raise _Refused
    if y is None:
        # Without a year: this year unless already past, then next year ("le 2 janvier").
        y = today.year if (mo, d) >= (today.month, today.day) else today.year + 1
    try:
        return date(y, mo, d)  # "31 avril", "29 février" of a non-leap year: ValueError
    except ValueError as exc:
        raise _Refused from exc


def _add_months(today: date, months: int) -> date:
    """The same day `months` calendar months later; past the end of a short month, its last day."""
    index = today.month - 1 + months
    year, month = today.year + index // 12, index % 12 + 1
    for day in range(today.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))


def _resolve_dom(d: int, today: date) -> date:
    """The next day numbered d, today included; months without that day are skipped."""
    if not 1 <= d <= 31:
        raise _Refused
    year, month = today.year, today.month
    if d < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for _ in range(3):  # a 31 is at most two months away
        try:
            return date(year, month, d)
        except ValueError:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise _Refused


def _resolve(tokens: _Tokens, work: str, now: datetime) -> ParsedWhen:
    today = now.date()
    others = (
        tokens.day_offsets
        or tokens.dates
        or tokens.doms
        or tokens.weekdays
        or tokens.times
        or tokens.parts
        or tokens.months_ahead is not None
    )
    if tokens.instant is not None or tokens.elapsed is not None:
        # An exact instant or an elapsed time says everything: anything else is a contradiction.
        if others or (tokens.instant is not None and tokens.elapsed is not None):
            raise _Refused
        if tokens.instant is not None:
            start = tokens.instant.astimezone(PARIS)
        else:
            # Elapsed hours are real hours (across a clock change too): add them in UTC.
            moved = now.astimezone(UTC) + (tokens.elapsed or timedelta())
            start = moved.replace(second=0, microsecond=0).astimezone(PARIS)
        return ParsedWhen(start, None, True)

    candidates = {today + timedelta(days=off) for off in tokens.day_offsets}
    if tokens.months_ahead is not None:
        candidates.add(_add_months(today, tokens.months_ahead))
    candidates |= {_resolve_date(y, mo, d, today) for y, mo, d in tokens.dates}
    if tokens.next_month:
        if not tokens.doms or tokens.dates:
            raise _Refused  # "du mois prochain" names a day of the month, and no month
        after = _add_months(today.replace(day=1), 1)
        candidates |= {_resolve_date(after.year, after.month, d, today) for d in tokens.doms}
    else:
        candidates |= {_resolve_dom(d, today) for d in tokens.doms}
    weekdays = set(tokens.weekdays)
    if len(candidates) > 1 or len(weekdays) > 1:
        raise _Refused
    day = next(iter(candidates)) if candidates else None
    if weekdays:
        weekday, extra_weeks = next(iter(weekdays))
        if day is not None:
            if day.weekday() != weekday:
                raise _Refused  # "vendredi 3 décembre" when the 3rd is a Thursday
        elif tokens.next_week:
            day = today + timedelta(days=7 - today.weekday() + weekday)
        else:
            # Strictly after today: the same weekday as today is next week.
            day = today + timedelta(days=(weekday - today.weekday()) % 7 or 7, weeks=extra_weeks)
    if day is None and tokens.vague:
        raise _Refused  # "le mois prochain", "en fin de semaine 18h"
    if day is None and not tokens.times:
        raise _Refused  # a part of the day with no day: "soirée pizza chez Léa"
    if day is not None and day.year > today.year + MAX_YEARS_AHEAD:
        raise _Refused

    start_t, end_t = _pick_times(tokens, work)
    if day == today and tokens.doms and not (tokens.day_offsets or tokens.dates or tokens.weekdays):
        # A day of the month alone that is today: today only while the moment is still ahead,
        # otherwise the next such day ("le 1er" typed on the 1st is the 1st of next month).
        hour, minute, next_day = start_t if start_t is not None else (0, 0, False)
        if _localise(today + timedelta(days=next_day), hour, minute) <= now:
            day = _resolve_dom(tokens.doms[0], today + timedelta(days=1))
    if start_t is None:
        if day is None:
            raise _Refused  # nothing understood
        return ParsedWhen(_localise(day, 0, 0), None, False)
    hour, minute, next_day = start_t
    if day is None:
        # A time alone: today if still ahead, otherwise tomorrow.
        day = today
        if _localise(day + timedelta(days=next_day), hour, minute) <= now:
            day = today + timedelta(days=1)
    start = _localise(day + timedelta(days=next_day), hour, minute)
    end = None
    if end_t is not None:
        e_hour, e_minute, e_next = end_t
        end = _localise(day + timedelta(days=e_next), e_hour, e_minute)
        if end <= start:
            end = _localise(end.date() + timedelta(days=1), e_hour, e_minute)  # "22h-2h"
    return ParsedWhen(start, end, True)


def _pick_times(
    tokens: _Tokens, work: str
) -> tuple[tuple[int, int, bool] | None, tuple[int, int, bool] | None]:
    """The start (and end) time: explicit times, else the part of the day, else None."""
    if len(tokens.parts) > 1:
        raise _Refused  # "matin ou soir"
    part = next(iter(tokens.parts)) if tokens.parts else None
    times = tokens.times
    if not times:
        return ((PARTS[part], 0, False) if part else None), None
    if len(times) > 2:
        raise _Refused
    adjusted = []
    for t in times:
        hour = t.hour
        # "vendredi soir 9h" is 21:00; an explicit 24-hour time always wins ("soir 21h").
        if part in ("apresmidi", "soir") and not t.meridian and 1 <= hour <= 11:
            hour += 12
        adjusted.append((hour, t.minute, t.next_day))
    if len(times) == 1:
        return adjusted[0], None
    first, second = times
    between = work[first.end : second.start]
    is_range = bool(_RANGE_SEP_RE.match(between))
    if not is_range and between.strip() in ("et", "and") and _BETWEEN_RE.search(work[: first.start]):
        is_range = True  # "entre 18h et 20h"
    if is_range:
        return adjusted[0], adjusted[1]
    if adjusted[0] == adjusted[1]:
        return adjusted[0], None
    raise _Refused  # "14h ou 16h"


# --- dateparser fallback -------------------------------------------------------------------------

_FALLBACK_MAX_LEN = 64
_dateparser_cache: dict[str, Any] = {}


def _dateparser_fallback(text: str, now: datetime) -> ParsedWhen | None:
    """Ask dateparser about a text we could not read, then check what it says."""
    if len(text) > _FALLBACK_MAX_LEN or not re.search(r"[0-9]", text):
        # Without a digit it only guesses from words we know better; on long texts it is slow
        # (~20 ms for 200 characters) for formats that only come alone ("2026.12.04").
        return None
    if "parser" not in _dateparser_cache:
        # Imported lazily: it costs ~0.3 s and most texts never need it.
        from dateparser.date import DateDataParser

        _dateparser_cache["parser"] = DateDataParser
    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_TIME_AS_PERIOD": True,
    }
    # Explicit languages: auto-detection can take over a second on a bad string.
    parser = _dateparser_cache["parser"](languages=["fr", "en"], settings=settings)
    try:
        data = parser.get_date_data(text)
    except Exception:  # a third-party guess must never break the bot: no answer, ask again
        return None
    found = data.date_obj if data else None
    if found is None:
        return None
    has_time = data.period == "time"
    day = found.date()
    if not now.year <= day.year <= now.year + MAX_YEARS_AHEAD:
        return None
    start = _localise(day, found.hour, found.minute) if has_time else _localise(day, 0, 0)
    return ParsedWhen(start, None, has_time)


# --- Public API ----------------------------------------------------------------------------------


def parse_when_detailed(text: str, now: datetime) -> ParsedWhen | None:
    """Read an event's date in `text` typed at `now` (aware, any time zone).

    Returns the start (aware, Europe/Paris), the end of a range if any, and whether a time was
    given; None when the text gives no single future moment. Never raises on any text.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    stripped = text.strip() if isinstance(text, str) else ""
    if not stripped or len(stripped) > MAX_TEXT_LEN:
        return None
    now_paris = now.astimezone(PARIS)
    norm = normalise(stripped)
    if not norm:
        return None
    try:
        tokens, work = _tokenise(norm)
        if tokens.empty() and tokens.vague:
            return None  # "prochainement", "le mois prochain"
        if tokens.empty() or _UNREAD_DATE_RE.search(work):
            # Nothing we know, or a date-like cluster we could not read: dateparser's turn.
            result = _dateparser_fallback(stripped, now_paris)
        else:
            result = _resolve(tokens, work, now_paris)
    except (_Refused, ValueError, OverflowError):
        return None
    if result is None or result.start <= now:
        return None  # events are in the future
    return result


def parse_when(text: str, now: datetime) -> datetime | None:
    """The start of the event `text` describes, aware in Europe/Paris, or None (see module doc)."""
    parsed = parse_when_detailed(text, now)
    return parsed.start if parsed else None

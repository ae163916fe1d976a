"""How old something is, as people say it: "depuis 3 jours", "depuis 4 semaines" — never "180 h ouvrées".

Pure logic, no I/O. The age is calendar time (what a person feels), rounded down to the unit shown:
minutes under an hour, hours under a day, days under two weeks, weeks under two months, then months.
"""

from __future__ import annotations

from datetime import datetime, timedelta

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEKS_FROM_DAYS = 14  # 13 days are "13 jours", 14 days "2 semaines"
MONTHS_FROM_DAYS = 60  # 59 days are "8 semaines", 60 days "2 mois"
DAYS_PER_MONTH = 30

_UNITS = {
    "fr": {
        "minute": ("minute", "minutes"),
        "hour": ("heure", "heures"),
        "day": ("jour", "jours"),
        "week": ("semaine", "semaines"),
        "month": ("mois", "mois"),
    },
    "en": {
        "minute": ("minute", "minutes"),
        "hour": ("hour", "hours"),
        "day": ("day", "days"),
        "week": ("week", "weeks"),
        "month": ("month", "months"),
    },
}
_SINCE = {"fr": "depuis {age}", "en": "for {age}"}
_NOW = {"fr": "à l'instant", "en": "just now"}


def age_parts(age: timedelta) -> tuple[int, str]:
    """(number, unit) of an age: unit is minute, hour, day, week or month; a negative age is 0 minutes."""
    age = max(age, timedelta(0))
    if age < HOUR:
        return int(age.total_seconds() // 60), "minute"
    if age < DAY:
        return int(age // HOUR), "hour"
    days = age.days
    if days < WEEKS_FROM_DAYS:
        return days, "day"
    if days < MONTHS_FROM_DAYS:
        return days // 7, "week"
    return days // DAYS_PER_MONTH, "month"


def format_age(age: timedelta, lang: str = "fr") -> str:
    """ "3 jours", "4 semaines", "1 heure" (a non-breaking space between number and unit)."""
    n, unit = age_parts(age)
    one, many = _UNITS.get(lang, _UNITS["fr"])[unit]
    return f"{n}\u00a0{one if n <= 1 else many}"


def format_since(since: datetime, now: datetime, lang: str = "fr") -> str:
    """ "depuis 3 jours" for something that started at `since` (seen at `now`); under a minute, "à l'instant"."""
    age = now - since
    if age < timedelta(minutes=1):
        return _NOW.get(lang, _NOW["fr"])
    return _SINCE.get(lang, _SINCE["fr"]).format(age=format_age(age, lang))

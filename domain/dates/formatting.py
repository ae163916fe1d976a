"""Saying a date back in words, in French or English (babel)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from domain.dates.vocabulary import PARIS

# --- Formatting ----------------------------------------------------------------------------------

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _lang(lang: str) -> str:
    return "en" if lang.lower().replace("-", "_").split("_")[0] == "en" else "fr"


def _paris(dt: datetime) -> datetime:
    # A naive datetime is taken as Paris wall-clock time, like everything in this module.
    return dt.replace(tzinfo=PARIS) if dt.tzinfo is None else dt.astimezone(PARIS)


def format_day(dt: datetime | date, lang: str = "fr", now: datetime | None = None) -> str:
    """'samedi 28 novembre' / 'Saturday 28 November', with the year if not `now`'s year.

    Without `now` the year is compared with the current year (the clock, in Paris).
    """
    day = _paris(dt).date() if isinstance(dt, datetime) else dt
    current = _paris(now) if now is not None else datetime.now(PARIS)
    language = _lang(lang)
    pattern = "EEEE d MMMM" if day.year == current.year else "EEEE d MMMM y"
    # babel costs ~10 ms of the bot's start-up: imported at the first date said, not at import.
    from babel.dates import format_date

    text = format_date(day, pattern, locale=_LOCALES[language])
    if language == "fr" and day.day == 1:
        # French writes the first of the month as an ordinal: "mardi 1er décembre".
        text = text.replace(" 1 ", " 1er ", 1)
    return text


def _format_time(dt: datetime, language: str) -> str:
    local = _paris(dt)
    return (
        f"{local.hour:02d}h{local.minute:02d}" if language == "fr" else f"{local.hour:02d}:{local.minute:02d}"
    )


def format_when(
    dt: datetime,
    lang: str = "fr",
    with_time: bool = True,
    now: datetime | None = None,
    end: datetime | None = None,
) -> str:
    """Words to confirm a date: 'samedi 28 novembre à 14h00' / 'Saturday 28 November at 14:00'.

    `with_time=False` gives the day only (no time was given). With `end`, a range: 'samedi 28
    novembre de 18h00 à 20h00', or from one day to the other when it ends on a later day (except
    an end before 06:00 the next morning, read as the same evening: 'de 22h00 à 02h00').
    """
    language = _lang(lang)
    day = format_day(dt, language, now)
    if not with_time:
        return day
    start_local = _paris(dt)
    if end is None:
        return f"{day} {'à' if language == 'fr' else 'at'} {_format_time(start_local, language)}"
    end_local = _paris(end)
    same_evening = end_local.date() == start_local.date() or (
        end_local.date() == start_local.date() + timedelta(days=1) and end_local.time() <= time(6, 0)
    )
    if same_evening:
        if language == "fr":
            return f"{day} de {_format_time(start_local, language)} à {_format_time(end_local, language)}"
        return f"{day} from {_format_time(start_local, language)} to {_format_time(end_local, language)}"
    end_day = format_day(end_local, language, now)
    if language == "fr":
        return (
            f"du {day} à {_format_time(start_local, language)} "
            f"au {end_day} à {_format_time(end_local, language)}"
        )
    return (
        f"from {day} at {_format_time(start_local, language)} "
        f"to {end_day} at {_format_time(end_local, language)}"
    )


def format_date_babel(day: date, pattern: str, locale: str) -> str:
    """babel's `format_date`, imported at the first call: babel costs ~10 ms of the bot's start-up."""
    from babel.dates import format_date

    return format_date(day, pattern, locale=locale)

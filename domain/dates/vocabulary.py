"""The French (and English) date vocabulary shared by every date reader: months, weekdays, number
words, relative days, parts of the day, and the normalisation of typed text. Pure data and logic."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.dates.typos import Unreadable, repair_words, split_glued
from domain.text import lazy_compile

PARIS = ZoneInfo("Europe/Paris")

# A date typed in a chat is short; refusing long texts keeps the worst case bounded (regexes and
# dateparser are linear-ish, but a 5,000-character paste is not a date anyway).
MAX_TEXT_LEN = 200
# NFKD can expand one character into many (ligatures, "㍻"): cap after normalising too.
_MAX_NORM_LEN = 2 * MAX_TEXT_LEN
MAX_YEARS_AHEAD = 10
# Durations beyond this are typos or jokes, and would overflow datetime if unbounded.
MAX_DURATION = timedelta(days=366 * MAX_YEARS_AHEAD)

PARTS = {"matin": 9, "apresmidi": 14, "soir": 19}


@dataclass(frozen=True, slots=True)
class ParsedWhen:
    """What a text says about an event: its start, maybe its end, and whether a time was given."""

    start: datetime
    end: datetime | None = None
    has_time: bool = True


# --- Normalisation -------------------------------------------------------------------------------

# fmt: off
PUNCT = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'", "\u2032": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-",
    }
)
# fmt: on

# fmt: off
NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "vingt": 20,
    "vingt-un": 21, "vingt-deux": 22, "vingt-trois": 23, "vingt-quatre": 24, "vingt-cinq": 25,
    "vingt-six": 26, "vingt-sept": 27, "vingt-huit": 28, "vingt-neuf": 29, "trente": 30,
    "trente-un": 31, "quarante": 40, "quarante-cinq": 45, "cinquante": 50,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty-five": 45,
}
# fmt: on
# "vingt et un", "vingt-et-un" and "vingt un" are all typed: hyphens, spaces and "et" vary.
_NUMBER_ALT = "|".join(w.replace("-", "[- ](?:et[- ])?") for w in sorted(NUMBER_WORDS, key=len, reverse=True))

# fmt: off
MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}
# fmt: on


def _month_prefixes() -> dict[str, int]:
    """Longer cuts of the French names ("dece", "novem", "septemb"), when only one month starts so."""
    names = [n for n in MONTHS if len(n) >= 5]
    cuts: dict[str, set[int]] = {}
    for name in names:
        for size in range(4, len(name)):
            cuts.setdefault(name[:size], set()).add(MONTHS[name])
    return {
        cut: next(iter(m)) for cut, m in cuts.items() if len(m) == 1 and cut not in MONTHS and cut != "marc"
    }


MONTHS.update(_month_prefixes())
# Two letters swapped in the short names, read beside a day number only ("15 jiun", "3 mras").
MONTHS.update(
    {
        "jiun": 6,
        "ujin": 6,
        "juni": 6,
        "mras": 3,
        "masr": 3,
        "amrs": 3,
        "auot": 8,
        "aotu": 8,
        "oaut": 8,
        "mia": 5,
    }
)
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# Month names that, alone, mean "some day that month": too vague. "may"/"march" are English
# verbs and the abbreviations are too short to be sure, so only these count.
MONTH_ALONE_RE = lazy_compile(
    r"\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|january|february|april|june|july|august|september|october|november|december)\b"
)

# Number words become digits only before a unit or a month, so "sept" in "1er sept" stays the
# month, "en huit" stays the idiom and "une réunion" stays untouched.
_UNIT_AHEAD = (
    r"(?=\s*(?:h(?![a-z])|heures?\b|hours?\b|jours?\b|days?\b|semaines?\b|weeks?\b|minutes?\b|"
    rf"mins?\b|mois\b|months?\b|ans?\b|annees?\b|years?\b|am\b|pm\b|o clock\b|(?:{MONTH_ALT})\b))"
)
_NUMBER_WORD_RE = lazy_compile(rf"\b({_NUMBER_ALT})\b{_UNIT_AHEAD}")
# Minutes in words after an hour: "dix-huit heures trente".
_MINUTE_WORD_RE = lazy_compile(
    r"\b([0-9]{1,2}\s*(?:h|heures?))\s+(trente|quinze|quarante-cinq|quarante|vingt|dix)\b"
)

_REPLACEMENTS = [
    (lazy_compile(r"\b([ap])\s?\.\s?m\b\.?"), r"\1m"),  # "p.m." before dots after letters go
    (lazy_compile(r"(?<=[a-z])\."), " "),  # "dim.", "déc."
    (lazy_compile(r"'"), " "),  # "aujourd'hui", "l'après-midi"
    (lazy_compile(r"\bapres[- ]?midi\b|\bap[- ]?midi\b|\baprems?\b|\bapm\b"), "apresmidi"),
    (lazy_compile(r"\bapres[- ]?demain\b|\bday after tomorrow\b"), "apresdemain"),
    (lazy_compile(r"\bavant[- ]?hier\b"), "avanthier"),
    (lazy_compile(r"\baujourd ?hui\b|\bauj\b|\bajd\b"), "aujourdhui"),
    # SMS spellings: "2main" (demain), "tmrw" (tomorrow).
    (lazy_compile(r"\b2main\b"), "demain"),
    (lazy_compile(r"\bsemaine proc?h?\b"), "semaine prochaine"),
    (lazy_compile(r"\b(mois|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) proc?h?\b"), r"\1 prochain"),
    (lazy_compile(r"\b(?:tmrw|tmr|tmw|2moro|2morrow|2morow)\b"), "tomorrow"),
    (lazy_compile(r"\bweek[- ]?ends?\b"), "weekend"),
    (lazy_compile(r"\b(?:une\s+)?demi[- ]heures?\b|\bhalf\s+(?:an\s+)?hours?\b"), "30 minutes"),
    (lazy_compile(r"\b(?:a\s+)?fortnight\b"), "14 days"),
    # Idioms: "quinze jours" is two weeks, "huit jours" one week (like "en huit").
    (lazy_compile(r"\bquinze\s+jours\b"), "14 jours"),
    (lazy_compile(r"\bhuit\s+jours\b"), "7 jours"),
    (lazy_compile(rf"\bpremier\b(?=\s+(?:{MONTH_ALT})\b)"), "1er"),
    (lazy_compile(r"\s+"), " "),
]


def _number_word(match: re.Match[str]) -> str:
    return str(NUMBER_WORDS[re.sub(r"[- ](?:et[- ])?", "-", match.group(1))])


def normalise(text: str) -> str:
    """Lower-case, accent-folded, punctuation-simplified text with number words as digits."""
    folded = unicodedata.normalize("NFKD", text)
    if len(folded) > _MAX_NORM_LEN:
        return ""  # "ﷺ" and friends expand 18-fold: no date hides in that
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = split_glued(folded.translate(PUNCT))
    for pattern, repl in _REPLACEMENTS:
        folded = pattern.sub(repl, folded)
    try:
        repaired = repair_words(folded)
    except Unreadable:
        return ""  # a word that looks like a date word but is none: no reading at all
    if repaired != folded:  # "apres demian" → "apres demain" → "apresdemain"
        folded = repaired
        for pattern, repl in _REPLACEMENTS:
            folded = pattern.sub(repl, folded)
    folded = _NUMBER_WORD_RE.sub(_number_word, folded)
    folded = _MINUTE_WORD_RE.sub(lambda m: f"{m.group(1)}{NUMBER_WORDS[m.group(2)]:02d}", folded)
    return folded.strip()


# --- Days ---------------------------------------------------------------------------------------

# fmt: off
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# fmt: on
# fmt: off
WEEKDAY_ABBR = {
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
    "sun": 6,
}
# fmt: on
REL_DAYS = {"apresdemain": 2, "demain": 1, "tomorrow": 1, "aujourdhui": 0, "today": 0, "tonight": 0}

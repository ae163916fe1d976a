"""The whole catalog, rendered as people read it, follows docs/french-style.md.

Every key of `bot.texts.CATALOG` (fr and en) is rendered with representative values (names with
accents and `< & >`, amounts, dates in words) and, for every placeholder that is a count, with 0,
1 and 2. Then, on what the person reads (tags removed, entities decoded):

- French typography: a no-break space (U+00A0 or the narrow U+202F, as the catalog uses) before
  `: ; ! ? »` and after `«`, never a plain space there; none before `: ; ! ?` in English;
- real plurals: no "(s)", "·e", "(e)", "·s"; a count followed by a noun goes through the plural
  spec (`{count} {count:plural:personne:personnes}`), and "1 versements" / "0 personnes" never
  show;
- no internal code (waitlist, onboarded, party, recorded, status names, FR, None, braces);
- one time format (the compact `14h00` of `format_when`, docs/french-style.md);
- vouvoiement (no "tu", "ton", "ta", "tes" in French).

Each check lists every offending key in its failure message.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator

import pytest

from bot.texts import CATALOG, t

NBSP = "\u00a0"
NNBSP = "\u202f"
SPACES = NBSP + NNBSP

# Placeholders that hold a number of things: rendered with 0, 1 and 2.
COUNTS = {
    "count",
    "n",
    "total",
    "sent",
    "done",
    "added",
    "absent",
    "present",
    "attempts",
    "cap",
    "days",
    "donations",
    "donors",
    "emails",
    "events",
    "expenses",
    "groups",
    "hours",
    "length",
    "limit",
    "max",
    "maybe",
    "memberships",
    "missing",
    "moved",
    "pending",
    "refused",
    "unreachable",
    "volunteers",
    "warned",
    "warnings",
    "yes",
    "years",
    "failed",
    "taken",
    "needed",
    "silent",
    "unknown",
    "attached",
    "dons",
}

# Representative values for the other placeholders (the rest get a name with accents and < & >).
WHEN = "samedi 28 novembre à 14h00"
WHEN_EN = "Saturday 28 November at 14:00"
AMOUNT = "1\u202f234,50\u00a0€"
VALUES: dict[str, str] = {
    "amount": AMOUNT,
    "ceiling": "48\u202f000\u00a0€",
    "goal": "7\u202f500\u00a0€",
    "raised": AMOUNT,
    "receipts": AMOUNT,
    "spent": AMOUNT,
    "fee": "3,50\u00a0€",
    "tip": "2,00\u00a0€",
    "donation": AMOUNT,
    "url": "https://example.org/a?b=3",
    "link": "https://t.me/coordo_bot?start=abc",
    "email": "lea@example.org",
    "id": "42",
    "number": "42",
    "receipt": "2026-0042",
    "post": "42",
    "version": "2026-11-v1",
    "percent": "42",
    "year": "2026",
    "age": "42",
    "command": "/annuler",
    "path": "/tmp/export.csv",
}
DATES = {"when", "day", "date", "deadline", "until", "since", "start", "end", "time", "cutoff", "later"}

# Words that do not change with the number before them ("3 fois", "2 h", "5 sur 8").
INVARIANT = {
    "fr": {
        "h",
        "fois",
        "en",
        "de",
        "sur",
        "au",
        "à",
        "d",
        "déjà",
        "sans",
        "ou",
        "avec",
        "par",
        "pour",
        "peut",
        "peut-être",
        "venant",
    }
    | {"mois", "plus", "et", "dont", "min", "€", "%", "—", "/"},
    "en": {"h", "of", "out", "in", "at", "on", "or", "with", "maybe", "per", "for", "already"}
    | {"without", "and", "more", "min", "€", "%", "—", "/", "to", "from"},
}
# Words ending in s or x that are singular too ("1 fois").
ENDS_IN_S = {
    "fr": {"fois", "mois", "sans", "plus", "dans", "sous", "vers", "après", "près", "pas", "prix", "choix"},
    "en": {"is", "was", "has", "its", "this", "as", "plus", "yes", "us"},
}

# Internal codes, never shown in French (statuses of domain/statuses.py that are not French words).
CODES_FR = {
    "waitlist",
    "onboarded",
    "party",
    "recorded",
    "pending",
    "scheduled",
    "cancelled",
    "queued",
    "sending",
    "expired",
    "assigned",
    "claimed",
    "answered",
    "to_refund",
    "refunded",
    "draft",
    "submitted",
    "approved",
    "paused",
    "published",
    "uncertain",
    "failed",
    "skipped",
    "refused",
    "paid",
    "press_release",
    "cotisation_élu",
    "none",
    "true",
    "false",
    "None",
    "True",
    "False",
}
# Texts that quote the exact words a person must type in a file (the import's "nature" column).
QUOTES_WHAT_TO_TYPE = {"imp.bad_kind"}
CODES_ALL = {"FR", "person.onboarded"}


def _fields(template: str) -> Iterator[tuple[str, str]]:
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            yield name, spec or ""


def _value(lang: str, name: str, count: int) -> str:
    if name in COUNTS:
        return str(count)
    if name in DATES:
        return WHEN if lang == "fr" else WHEN_EN
    return VALUES.get(name, "Élodie <b>&</b> Dupré")


def renders(lang: str) -> Iterator[tuple[str, int, str]]:
    """(key, count, what the person reads) for every key, with every count at 0, 1 and 2."""
    for key, template in CATALOG[lang].items():
        names = {name for name, _ in _fields(template)}
        for count in (0, 1, 2):
            out = t(lang, key, **{name: _value(lang, name, count) for name in names})
            yield key, count, _readable(out)
            if not names & COUNTS:
                break


def _readable(out: str) -> str:
    """What the phone shows: no tags, entities decoded, URLs, commands and e-mails left out."""
    text = re.sub(r"<[^>]+>", "", out)
    text = re.sub(r"https?://\S+|\S+@\S+\.\w+|\S+\.(?:fr|org|com)\b", "URL", text)
    return html.unescape(re.sub(r"(?<![\w/])/\w+", "/cmd", text))


def _report(problems: dict[str, str]) -> str:
    return f"{len(problems)} texts:\n" + "\n".join(f"{k}: {v!r}" for k, v in sorted(problems.items()))


def _excerpt(text: str, pos: int) -> str:
    return text[max(0, pos - 25) : pos + 25]


# The texts of the movement's name: "À nous la démocratie !" is a proper name, kept in English.
NAME = "« À nous la démocratie ! »"


def test_french_typography_no_break_spaces() -> None:
    problems: dict[str, str] = {}
    plain_before = re.compile(r" [:;!?»]|« ")
    missing_before = re.compile(r"[\w)\]’'\"»…](?:[;!?](?=[\s<»)]|$)|:(?=[\s]|$))")
    missing_quote = re.compile(rf"«[^{SPACES}]|[^{SPACES}]»")
    for key, _, text in renders("fr"):
        for pattern in (plain_before, missing_before, missing_quote):
            m = pattern.search(text)
            if m:
                problems[key] = _excerpt(text, m.start())
                break
    assert not problems, "French punctuation without a no-break space: " + _report(problems)


def test_numero_is_glued_to_its_number() -> None:
    """« n° 12 » with a no-break space, so that a phone never leaves « n° » alone at a line's end."""
    bad = {
        key: _excerpt(text, m.start())
        for key, _, text in renders("fr")
        if (m := re.search("n° ?[0-9]", text))
    }
    assert not bad, "« n° » without a no-break space: " + _report(bad)


def test_english_has_no_space_before_punctuation() -> None:
    problems: dict[str, str] = {}
    for key, _, text in renders("en"):
        m = re.search(rf"[{SPACES}][:;!?]", text.replace(NAME, ""))
        if m:
            problems[key] = _excerpt(text, m.start())
    assert not problems, "English punctuation after a space: " + _report(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_plural_or_gender_markers(lang: str) -> None:
    markers = re.compile(r"\((?:s|e|es|x|nes|ne)\)|\w·\w" if lang == "fr" else r"\w\((?:s|es)\)")
    problems: dict[str, str] = {}
    for key, template in CATALOG[lang].items():
        m = markers.search(template)
        if m:
            problems[key] = _excerpt(template, m.start())
    assert not problems, "Write real plurals (plural spec), no markers: " + _report(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_count_before_a_word_uses_the_plural_spec(lang: str) -> None:
    """`{count} personnes` reads "1 personnes": the word must come from `{count:plural:…}`."""
    problems: dict[str, str] = {}
    word_after = re.compile(r"\{(\w+)\}[ \u00a0\u202f]*([^\W\d][\w’'-]*)")
    for key, template in CATALOG[lang].items():
        for m in word_after.finditer(template):
            name, word = m.group(1), m.group(2).split("'")[0].split("’")[0]
            # English adjectives do not change ("2 unreachable"): only a noun written in the plural
            # (or "person") after a count is fixed there.
            fixed = word.lower() not in INVARIANT[lang]
            if lang == "en":
                fixed = word.lower() in {"person", "people"} or (
                    word.endswith("s") and word.lower() not in ENDS_IN_S["en"]
                )
            if name in COUNTS and fixed:
                problems[key] = _excerpt(template, m.start())
    assert not problems, "Count followed by a fixed word: " + _report(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_plural_word_after_one(lang: str) -> None:
    """Rendered with each count at 0, 1 and 2: never "1 versements" (nor "0 personnes" in French)."""
    singular_counts = (0, 1) if lang == "fr" else (1,)
    pattern = re.compile(r"(?<![\d,.\u202f\u00a0])([01])[ \u00a0\u202f]([^\W\d]+[sx])\b")
    problems: dict[str, str] = {}
    for key, count, text in renders(lang):
        if count not in singular_counts:
            continue
        for m in pattern.finditer(text):
            if int(m.group(1)) in singular_counts and m.group(2).lower() not in ENDS_IN_S[lang]:
                problems[key] = _excerpt(text, m.start())
    assert not problems, "Plural word after 0 or 1: " + _report(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_internal_code_is_shown(lang: str) -> None:
    problems: dict[str, str] = {}
    for key, _, text in renders(lang):
        if "{" in text or "}" in text:
            problems[key] = "unformatted brace"
            continue
        if key in QUOTES_WHAT_TO_TYPE:
            continue
        words = set(re.findall(r"[\w.]+", text))
        shown = (words & CODES_ALL) | ({w for w in words if w.lower() in CODES_FR} if lang == "fr" else set())
        if shown:
            problems[key] = ", ".join(sorted(shown))
    assert not problems, "Internal codes shown: " + _report(problems)


def test_one_time_format_in_french() -> None:
    """The catalog writes times like format_when does: `14h00`, never `14 h 30`, `14h` or `14:00`."""
    # A bare "2h" is a duration ("2h", "1h30" for how long): hours of the day from 7h need minutes.
    other = re.compile(
        r"\b(?:(?:[01]?\d|2[0-3])(?:[ \u00a0\u202f]h[ \u00a0\u202f]?[0-5]\d|:[0-5]\d)|(?:[7-9]|1\d|2[0-3])h(?![0-5]\d))"
    )
    problems: dict[str, str] = {}
    for key, template in CATALOG["fr"].items():
        literal = re.sub(r"\{[^}]*\}", "X", _readable(template))
        m = other.search(literal)
        if m:
            problems[key] = _excerpt(literal, m.start())
    assert not problems, "Time not written like 14h00: " + _report(problems)


def test_vouvoiement() -> None:
    tutoiement = re.compile(r"\b(?:tu|ton|ta|tes|toi|te|t’|t')(?=[\s’']|$)", re.IGNORECASE)
    problems: dict[str, str] = {}
    for key, template in CATALOG["fr"].items():
        literal = re.sub(r"\{[^}]*\}", "X", _readable(template))
        m = tutoiement.search(literal)
        if m:
            problems[key] = _excerpt(literal, m.start())
    assert not problems, "Tutoiement: " + _report(problems)

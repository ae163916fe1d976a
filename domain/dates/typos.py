"""Words typed almost right: misspelt day and month names repaired, glued tokens split, and words
that look like date words but are none refused (docs/date-conventions.md, "Typing slips").

Three steps over accent-folded, lower-case text:
- `split_glued`: "lundi9h" → "lundi 9h", "15mars" → "15 mars", "18h30samedi" → "18h30 samedi",
  "le10/09" → "le 10/09". Letters before digits are always cut apart (a unit like "h" or "er" is
  one letter after the digits, never before them); digits before letters only when the letters
  are a date word ("15avril"), maybe after a unit ("18hsamedi", "1erdecembre").
- `repair_words`: a word that is not a known word is compared with the day and month names (and
  "demain", "tomorrow", "prochain", "semaine"...). One slip (a letter missing, extra, wrong, or
  two letters swapped: "vendreid", "janvir", "lnudi", "samdi") is repaired; two slips only in
  long names and when the first letter is right ("septmbere"). Glued date words are split
  ("lundisoir" → "lundi soir").
- Refusals (None, the bot asks again) rather than a reading that drops a word: two names blended
  ("lundimanche", "jeudredi"), a name with a tail that is no word ("samedixx"), a word as close to
  two different names, weekday plurals ("les samedis", "trois samedis": several days;
  "samedis 14h" alone is a slip), and calendar words that give no single day in our calendar ("brumaire", "à la
  rentrée", "à Noël", "pendant les vacances").

Everything is a table lookup: the names' deletion variants are indexed once, so a word costs a
few dictionary lookups, not a distance against every name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from domain.text import lazy_compile


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# fmt: off
# Names a slip is repaired to (keys are the typo targets; values what they become).
_NAMES = {
    # weekdays (English ones repaired to the French name: same day)
    "lundi": "lundi", "mardi": "mardi", "mercredi": "mercredi", "jeudi": "jeudi",
    "vendredi": "vendredi", "samedi": "samedi", "dimanche": "dimanche",
    "monday": "lundi", "tuesday": "mardi", "wednesday": "mercredi", "thursday": "jeudi",
    "friday": "vendredi", "saturday": "samedi", "sunday": "dimanche",
    # months; four letters and fewer are left out ("mais", "tout" are one slip from "mars",
    # "aout"), and so is "march" ("match")
    "janvier": "janvier", "fevrier": "fevrier", "avril": "avril", "juillet": "juillet",
    "septembre": "septembre", "octobre": "octobre", "novembre": "novembre",
    "decembre": "decembre", "january": "janvier", "february": "fevrier", "april": "avril",
    "august": "aout", "september": "septembre", "october": "octobre", "november": "novembre",
    "december": "decembre",
    # other date words
    "demain": "demain", "tomorrow": "demain", "aujourdhui": "aujourdhui",
    "apresdemain": "apresdemain", "prochain": "prochain", "prochaine": "prochaine",
    "semaine": "semaine", "semaines": "semaines", "minuit": "minuit", "heures": "heures",
    "minutes": "minutes", "tonight": "tonight", "matin": "matin",
}
_WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre",
)
# Words that are right as typed: the date vocabulary, and everyday words one or two slips away
# from a name ("merci" is two from "mardi", "vendre" a prefix of "vendredi", "martin" one from
# "matin"). Checked first, so they are never "repaired".
_KNOWN = _words(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday
    saturday sunday lun mar mer jeu ven sam dim mon tue tues wed thu thur thurs fri sat sun
    janvier janv jan january fevrier fevr fev february feb mars march avril avr april apr mai may
    juin june jun juillet juil july jul aout august aug septembre sept sep september octobre oct
    october novembre nov november decembre dec december
    demain tomorrow aujourdhui today tonight apresdemain avanthier hier yesterday
    matin matinee apresmidi soir soiree midi minuit noon midnight morning afternoon evening night
    heure heures hour hours jour jours day days semaine semaines week weeks minute minutes mins
    mois month months annee annees year years prochain prochaine next this dernier derniere last
    dans environ about around vers entre between from until jusqu demi demie quart half quarter
    moins huit quinze weekend debut fin
    merci mairie marie marche marcher manche manches vendre vendu vendeur vendeuse
    martin matins mating mutin latin satin patin marin marins javier heres
    domain domaine remain remains demande demander dessin
    semaine semer semis
    prochains prochaines proche
    heureux heureuse
    monde mondes sunny funny
    avis avoir avec aout tout mais juin juif
    octet jeune jeunes same land main mains mari maris mardi gras
    minute minutes minuscule
    toujours todays
    """
)
# Month and weekday names of another calendar or language: a day we cannot read, never dropped
# ("le 12 brumaire" is not the 12th of this month).
_NO_SINGLE_DAY = _words(
    """
    vendemiaire brumaire frimaire nivose pluviose ventose germinal floreal prairial messidor
    thermidor fructidor sansculottide sansculottides
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    januar februar marz juli oktober dezember gennaio febbraio aprile maggio giugno luglio
    settembre ottobre dicembre
    lunes martes miercoles jueves viernes sabado domingo montag dienstag mittwoch donnerstag
    freitag samstag sonntag
    """
)
# What may be glued after a day word, and before a part of the day.
_GLUE_LEFT = ("ce", "cet", "cette", "demain", "aujourdhui", "apresdemain", *_WEEKDAY_NAMES)
_GLUE_RIGHT = ("matin", "soir", "midi", "apresmidi", "aprem", "prochain", "prochaine", "minuit")
# fmt: on
# Words that, glued after digits, are cut off them ("15mars", "18h30samedi", "9hdemain").
_GLUE_WORDS = _words(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday
    saturday sunday lun mar mer jeu ven sam dim
    janvier janv fevrier fevr mars avril avr mai juin juillet juil aout septembre sept octobre oct
    novembre nov decembre dec january february march april june july august september october
    november december
    demain tomorrow aujourdhui today tonight matin soir midi apresmidi aprem minuit
    """
)
# Units and ordinals that stay glued to the digits before them ("18h", "1er", "6pm").
_UNIT_PREFIXES = ("h", "er", "eme", "e", "am", "pm")


class Unreadable(Exception):
    """A word looks like a date word but is none we can trust: no reading at all."""


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


_INDEX: dict[str, set[str]] = {}
_LONGEST_NAME = max(map(len, _NAMES))


def _index() -> dict[str, set[str]]:
    if not _INDEX:
        for name in _NAMES:
            for variant in _deletions(name, 2):
                _INDEX.setdefault(variant, set()).add(name)
    return _INDEX


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _allowed(name: str, word: str, distance: int) -> bool:
    """One slip in names of five letters or more; two only in names of eight letters or more, the
    first two letters right ("vendrdei"; not "demarche", two slips from "dimanche")."""
    if distance <= 1:
        return len(name) >= 5 and len(word) >= 4
    return distance == 2 and len(name) >= 8 and len(word) >= 7 and word[:2] == name[:2]


def _near(word: str) -> list[tuple[int, str]]:
    """The names within reach of `word`, as (distance, name), closest first."""
    if len(word) > _LONGEST_NAME + 2:
        return []  # two slips at most: no name is that long (and "x" * 200 costs nothing)
    index = _index()
    found: dict[str, int] = {}
    for variant in _deletions(word, 2):
        for name in index.get(variant, ()):
            if name not in found and abs(len(name) - len(word)) <= 2:
                found[name] = _osa(word, name)
    return sorted((d, n) for n, d in found.items() if _allowed(n, word, d))


def _blend(word: str) -> bool:
    """The start of one day or month name and the end of another: "lundimanche", "jeudredi"."""
    for group, shortest in ((_WEEKDAY_NAMES, 3), (_MONTH_NAMES, 4)):  # "mai" + "llet" is a word
        for a in group:
            for cut in range(shortest, min(len(a), len(word) - 3) + 1):
                if word[:cut] != a[:cut]:
                    break
                tail = word[cut:]
                for b in group:
                    if b != a and len(tail) >= 3 and b.endswith(tail) and not a.endswith(tail):
                        return True
    return False


@lru_cache(maxsize=4096)
def _repair(word: str) -> str:
    """The word as it should read, or Unreadable. `word` is lower-case letters, not a known word."""
    if word in _NO_SINGLE_DAY:
        raise Unreadable(word)
    squeezed = _REPEATS_RE.sub(r"\1", word)
    if squeezed != word:  # "lundiii", "samediiii": a key held down
        return _repair(squeezed) if squeezed not in _KNOWN else squeezed
    for left in _GLUE_LEFT:
        if word.startswith(left) and word[len(left) :] in _GLUE_RIGHT:
            return f"{left} {word[len(left) :]}"  # "lundisoir", "cesoir"
    accepted = _near(word)
    if accepted:
        best = accepted[0][0]
        names = {_NAMES[n] for d, n in accepted if d == best}
        if len(names) > 1:
            raise Unreadable(word)  # as close to two names
        if best <= 1 or not _blend(word):
            return names.pop()
    if _blend(word):
        raise Unreadable(word)
    for name in (*_WEEKDAY_NAMES, *_MONTH_NAMES):
        if len(name) >= 5 and word.startswith(name) and len(word) > len(name):
            raise Unreadable(word)  # "samedixx", "lundimanche"
    return word


_WORD_RE = lazy_compile(r"[a-z]{4,}")
# Weekday plurals are several days ("les samedis", "trois samedis", "on mondays"); only one right
# before a time, with nothing plural before it, is a slip ("samedis 14h").
_PLURAL_DAYS = "|".join(_WEEKDAY_NAMES + _ENGLISH_WEEKDAYS)
_RECURRING_RE = lazy_compile(
    rf"\b(?:{_PLURAL_DAYS})s\b(?!\s*[0-9])"
    r"|\b(?:les|des|ces|mes|nos|vos|tous|deux|trois|quatre|plusieurs|quelques|certains|on|[0-9]+)"
    rf"\s+(?:{_PLURAL_DAYS})s\b"
)
_REPEATS_RE = lazy_compile(r"([a-z])\1{2,}")
# Longer cuts of a weekday's name ("vend 18h", "merc. soir"), trusted like "sam" and "dim" only
# before a time, a number or a part of the day ("il vend des gâteaux" stays a verb).
_WEEKDAY_CUTS = {
    cut: name for name in _WEEKDAY_NAMES for cut in (name[:n] for n in range(4, len(name))) if cut != "same"
}
_WEEKDAY_CUT_RE = lazy_compile(
    rf"\b({'|'.join(sorted(_WEEKDAY_CUTS, key=len, reverse=True))})\b"
    r"(?=\s*(?:[0-9]|matin|midi|soir|apresmidi|aprem|prochaine?\b|en huit|en quinze))"
)


def repair_words(text: str) -> str:
    """`text` with misspelt date words repaired; raises Unreadable on a doubtful date word."""
    if _RECURRING_RE.search(text):
        raise Unreadable(text)  # "les samedis", "on mondays"

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        return word if word in _KNOWN else _repair(word)

    text = _WEEKDAY_CUT_RE.sub(lambda m: _WEEKDAY_CUTS[m.group(1)], text)
    return _WORD_RE.sub(fix, text)


# Letters then digits: "lundi9h", "le10/09", "demain18h" (two letters at least: "18h30", "t10").
_LETTERS_DIGITS_RE = lazy_compile(r"(?<=[a-z]{2})(?=[0-9])")
_DIGITS_LETTERS_RE = lazy_compile(r"(?<=[0-9])([a-z]{3,})(?![a-z])")


def _exact_date_word(letters: str) -> bool:
    return letters in _GLUE_WORDS


def _fuzzy_date_word(letters: str) -> bool:
    if letters in _KNOWN:
        return False
    try:
        return _repair(letters) != letters
    except Unreadable:
        return True  # kept whole here, refused by repair_words


def _split_after_digits(m: re.Match[str]) -> str:
    letters = m.group(1)
    for test in (_exact_date_word, _fuzzy_date_word):
        if test(letters):
            return " " + letters
        for unit in _UNIT_PREFIXES:
            rest = letters[len(unit) :]
            if letters.startswith(unit) and len(rest) >= 3 and test(rest):
                return f"{unit} {rest}"
    return letters


def split_glued(text: str) -> str:
    """Cut date words glued to numbers apart ("lundi9h", "15mars", "18h30samedi")."""
    if not any(c.isdigit() for c in text):
        return text
    text = _LETTERS_DIGITS_RE.sub(" ", text)
    return _DIGITS_LETTERS_RE.sub(_split_after_digits, text)

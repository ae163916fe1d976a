"""How many people a volunteer brings, read from their reply ("+2", "je viens avec ma sœur",
"on sera 3", "avec 2 amis"). Pure logic; the intent itself is classify_reply's (not changed here).

docs/reply-conventions.md, Intent: coming with others ("je ramène mon coloc", "+3") is a yes; this
module only counts the others. Readings, chosen to match how people write in groups:
- "+N" alone counts N people, the sender included ("+1" is "count me", so "+2" is me and one more);
  "moi +2" is me and two more;
- "on sera 3", "nous serons 3", "on vient à 3": the sender and 2 guests;
- after "avec", "je ramène", "j'amène", "j'emmène": each person named counts one ("ma sœur", "un
  ami"), a number counts that many ("2 amis", "deux de mes potes"), a plural without a number counts
  the least it says ("mes enfants", "des amis": 2); things are not people ("avec ma voiture": none);
- "seul", "seule": none.
None when the reply says nothing about others (an earlier count is then kept).
"""

from __future__ import annotations

import unicodedata

from domain.text import lazy_compile

MAX_GUESTS = 20  # a reply cannot book a coach: larger groups are arranged with the organisers

_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_NUMBER = r"(?:\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)"
# People someone comes with (folded, singular stems; an optional plural s/x).
_PEOPLE = (
    r"(?:soeur|frere|belle soeur|beau frere|mari|femme|epoux|epouse|compagnon|compagne|conjoint|"
    r"conjointe|copain|copine|pote|ami|amie|coloc|colocataire|fils|fille|enfant|gamin|gamine|"
    r"pere|mere|parent|voisin|voisine|collegue|cousin|cousine|neveu|niece|cheri|cherie|"
    r"camarade|militant|militante|personne|gens|autre|binome|chum|meuf|mec)[sx]?"
)
_ADJECTIVE = r"(?:petit|petite|petits|petites|grand|grande|grands|grandes|meilleur|meilleure|meilleurs|meilleures|vieux|vieil|vieille)"
_SINGLE = r"(?:mon|ma|un|une|le|la|son|sa|notre|ton|ta)"
_PLURAL = r"(?:mes|des|les|nos|quelques|plusieurs|tes|ses)"
_COMPANION = lazy_compile(
    rf"\b(?:(?P<n>{_NUMBER})(?:\s+(?:de\s+)?(?:mes|nos|des))?|(?P<p>{_PLURAL})|(?P<s>{_SINGLE}))"
    rf"\s+(?:{_ADJECTIVE}\s+)?(?P<who>{_PEOPLE})\b"
)
_TRIGGER = lazy_compile(
    r"\b(?:avec|ramene|ramenerai|amene|amenerai|emmene|emmenerai|accompagne(?:e)? (?:de|par))\b"
)
_CLAUSE_END = lazy_compile(r"[.!?;\n]|\bmais\b|\bsans\b")
_TOTAL = lazy_compile(
    rf"\b(?:on|nous)\s+(?:sera|seront|serons|est|sommes|vient|venons|viendra|viendrons|va|allons|ira|irons)"
    rf"(?:\s+la)?\s+(?:a\s+)?(?P<n>{_NUMBER})\b(?!\s*(?:h\b|heures?|:|\d))"
)
_PLUS_ALONE = lazy_compile(r"^\s*\+\s?(?P<n>\d{1,3})\s*$")
_MOI_PLUS = lazy_compile(rf"\bmoi\s*(?:\+|plus)\s*(?P<n>{_NUMBER})\b")
_PLUS_START = lazy_compile(r"^\s*\+\s?(?P<n>\d{1,3})\b")
_ALONE = lazy_compile(r"\b(?:seul|seule|solo)\b")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _fold(text: str) -> str:
    text = text.casefold().replace("œ", "oe").replace("’", "'").replace("'", " ").replace("-", " ")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def guest_count(text: str) -> int | None:
    """How many people the sender brings (0 to MAX_GUESTS), or None when the reply does not say."""
    value = _fold(text[:1000])
    found: int | None = None
    if match := _PLUS_ALONE.match(value) or _PLUS_START.match(value):
        found = max(0, int(match.group("n")) - 1)
    elif match := _MOI_PLUS.search(value):
        found = _number(match.group("n"))
    elif match := _TOTAL.search(value):
        found = max(0, _number(match.group("n")) - 1)
    else:
        found = _companions(value)
        if found is None and _ALONE.search(value):
            found = 0
    return None if found is None else min(found, MAX_GUESTS)


def _companions(value: str) -> int | None:
    """The people named after each "avec" / "je ramène", up to the end of the clause."""
    total: int | None = None
    read_until = 0  # "avec ma sœur et avec mon frère": each person once
    for trigger in _TRIGGER.finditer(value):
        if trigger.start() < read_until:
            continue
        if value[: trigger.start()].rstrip().endswith((" pas", " plus", " non")):
            continue  # "pas avec ma fille"
        rest = value[trigger.end() :]
        end = _CLAUSE_END.search(rest)
        window = rest[: end.start()] if end else rest
        read_until = trigger.end() + len(window)
        for match in _COMPANION.finditer(window):
            if match.group("n"):
                count = _number(match.group("n"))
            elif match.group("p"):
                count = 2  # a plural without a number: the least it means
            else:
                count = 1
            total = (total or 0) + count
    return total

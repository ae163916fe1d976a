"""What a treasurer types about a payment and its donor (the /don form and the CSV import).

Each reader returns the stored value, or None when the text is not understood (the caller asks
again or refuses the row). Words are matched folded (case, accents, apostrophes). Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from domain.money import parse_amount
from domain.statuses import DonationKind, DonorType, PaymentMethod
from domain.text import TextError, fold, fold_words, lazy_compile
from domain.text import clean_line as _clean_line

# fmt: off
_METHOD_WORDS = {
    "cheque": PaymentMethod.CHEQUE, "chq": PaymentMethod.CHEQUE, "check": PaymentMethod.CHEQUE,
    "cheques": PaymentMethod.CHEQUE,
    "virement": PaymentMethod.VIREMENT, "vir": PaymentMethod.VIREMENT, "transfer": PaymentMethod.VIREMENT,
    "virement bancaire": PaymentMethod.VIREMENT, "bank transfer": PaymentMethod.VIREMENT,
    "transfert": PaymentMethod.VIREMENT,
    "carte": PaymentMethod.CARTE, "cb": PaymentMethod.CARTE, "carte bancaire": PaymentMethod.CARTE,
    "card": PaymentMethod.CARTE, "carte bleue": PaymentMethod.CARTE,
    "prelevement": PaymentMethod.PRELEVEMENT, "direct debit": PaymentMethod.PRELEVEMENT,
    "sepa": PaymentMethod.PRELEVEMENT, "prelevement sepa": PaymentMethod.PRELEVEMENT,
    "especes": PaymentMethod.ESPECES, "espece": PaymentMethod.ESPECES, "liquide": PaymentMethod.ESPECES,
    "cash": PaymentMethod.ESPECES,
    "plateforme": PaymentMethod.PLATEFORME, "plateforme en ligne": PaymentMethod.PLATEFORME,
    "en ligne": PaymentMethod.PLATEFORME, "online": PaymentMethod.PLATEFORME,
    "helloasso": PaymentMethod.PLATEFORME, "stripe": PaymentMethod.PLATEFORME,
    "paypal": PaymentMethod.PLATEFORME,
}
PROVIDERS = {"helloasso": "HelloAsso", "stripe": "Stripe", "paypal": "PayPal"}
_KIND_WORDS = {
    "don": DonationKind.DON, "dons": DonationKind.DON, "gift": DonationKind.DON, "donation": DonationKind.DON,
    "cotisation": DonationKind.COTISATION, "adhesion": DonationKind.COTISATION, "fee": DonationKind.COTISATION,
    "membership": DonationKind.COTISATION,
    "cotisation elu": DonationKind.COTISATION_ELU, "cotisation_elu": DonationKind.COTISATION_ELU,
    "cotisation d elu": DonationKind.COTISATION_ELU, "cotisation delu": DonationKind.COTISATION_ELU,
    "cotisation-elu": DonationKind.COTISATION_ELU,
}
_DONOR_TYPES = {
    "physique": DonorType.PHYSIQUE, "personne physique": DonorType.PHYSIQUE, "pp": DonorType.PHYSIQUE,
    "particulier": DonorType.PHYSIQUE,
    "morale": DonorType.MORALE, "personne morale": DonorType.MORALE, "pm": DonorType.MORALE,
    "entreprise": DonorType.MORALE, "societe": DonorType.MORALE, "association": DonorType.MORALE,
    "company": DonorType.MORALE,
}
_NATIONALITIES = {
    "francaise": "FR", "francais": "FR", "french": "FR", "allemande": "DE", "allemand": "DE", "german": "DE",
    "belge": "BE", "belgian": "BE", "espagnole": "ES", "espagnol": "ES", "spanish": "ES",
    "italienne": "IT", "italien": "IT", "italian": "IT", "portugaise": "PT", "portugais": "PT",
    "portuguese": "PT", "britannique": "GB", "anglaise": "GB", "anglais": "GB", "british": "GB",
    "irlandaise": "IE", "irlandais": "IE", "irish": "IE", "neerlandaise": "NL", "neerlandais": "NL",
    "dutch": "NL", "luxembourgeoise": "LU", "luxembourgeois": "LU", "suisse": "CH", "swiss": "CH",
    "americaine": "US", "americain": "US", "american": "US", "canadienne": "CA", "canadien": "CA",
    "canadian": "CA", "marocaine": "MA", "marocain": "MA", "algerienne": "DZ", "algerien": "DZ",
    "tunisienne": "TN", "tunisien": "TN", "senegalaise": "SN", "senegalais": "SN", "malienne": "ML",
    "malien": "ML", "ivoirienne": "CI", "ivoirien": "CI", "camerounaise": "CM", "camerounais": "CM",
    "turque": "TR", "turc": "TR", "polonaise": "PL", "polonais": "PL", "roumaine": "RO", "roumain": "RO",
    "grecque": "GR", "grec": "GR", "chinoise": "CN", "chinois": "CN", "japonaise": "JP", "japonais": "JP",
    "indienne": "IN", "indien": "IN", "bresilienne": "BR", "bresilien": "BR", "russe": "RU",
    "ukrainienne": "UA", "ukrainien": "UA", "autrichienne": "AT", "autrichien": "AT", "suedoise": "SE",
    "suedois": "SE", "danoise": "DK", "danois": "DK", "norvegienne": "NO", "norvegien": "NO",
    "finlandaise": "FI", "finlandais": "FI", "tcheque": "CZ", "hongroise": "HU", "hongrois": "HU",
    "bulgare": "BG", "croate": "HR", "libanaise": "LB", "libanais": "LB", "vietnamienne": "VN",
    "vietnamien": "VN", "haitienne": "HT", "haitien": "HT",
}
# fmt: on
NONE_WORDS = frozenset({"-", "non", "aucun", "aucune", "none", "no", "rien", "/"})
YES_WORDS = frozenset({"oui", "yes", "1", "x", "true", "vrai"})
_POSTCITY_RE = lazy_compile(
    r"^\s*([0-9][0-9A-Za-z-]{2,9}|[A-Za-z]{1,2}[0-9][0-9A-Za-z-]{1,8})[\s,]+(\S.*?)\s*$"
)
_EMAIL_RE = lazy_compile(r"^[^@\s<>&]+@[^@\s<>&]+\.[^@\s<>&]+$")


def key(text: str) -> str:
    """`text` folded for matching: lower case, no accents, apostrophes as spaces, spaces collapsed."""
    return re.sub(r"\s+", " ", fold(text).replace("'", " ").replace("\u2019", " ")).strip()


# Street words as people abbreviate them: "12 r. de la Paix" is "12 rue de la Paix".
# fmt: off
_STREET_WORDS = {
    "r": "rue", "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard",
    "boul": "boulevard", "pl": "place", "ch": "chemin", "chem": "chemin", "imp": "impasse",
    "all": "allee", "rte": "route", "fg": "faubourg", "fbg": "faubourg", "sq": "square",
    "crs": "cours", "res": "residence", "st": "saint", "ste": "sainte", "b": "bis", "qu": "quai",
}
# fmt: on


def name_identity(*parts: str) -> str:
    """A name as identity: case, accents, spaces, hyphens and apostrophes do not matter
    ("Le Gall" = "LEGALL" = "le-gall"; "Hélène" = "helene"). Parts stay in order."""
    return "|".join("".join(fold_words(p or "").split()) for p in parts)


def address_identity(street: str, city: str) -> str:
    """A street address as identity: folded, abbreviations spelled out, spaces and punctuation
    ignored ("12, R. de la Paix" = "12 rue de la paix"); the town too, the postcode not (a typo in
    it must not make another person)."""
    words = [_STREET_WORDS.get(w, w) for w in fold_words(street or "").split()]
    return "".join(words) + "@" + "".join(fold_words(city or "").split())


def parse_method(text: str) -> tuple[PaymentMethod, str] | None:
    """(method, provider) from a typed payment method; provider only for known platforms."""
    word = key(text)
    method = _METHOD_WORDS.get(word)
    return (method, PROVIDERS.get(word, "")) if method else None


def parse_kind(text: str) -> DonationKind | None:
    word = key(text)
    return _KIND_WORDS.get(word.replace("_", " ").replace(" d elu", " elu")) or _KIND_WORDS.get(word)


def parse_donor_type(text: str) -> DonorType | None:
    return _DONOR_TYPES.get(key(text))


@cache
def _countries() -> dict[str, str]:
    """Country names from babel's locale data, built at the first country typed: loading the fr and
    en locale data costs ~17 ms and several MB the idle bot does not need."""
    from babel import Locale

    out: dict[str, str] = {}
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                out[key(name).replace("-", " ")] = code
    for code in list(out.values()):
        out[code.lower()] = code
    out.update({"uk": "GB", "angleterre": "GB", "usa": "US", "etats unis d amerique": "US", "fra": "FR"})
    return out


def parse_country(text: str) -> str | None:
    """ISO 3166 alpha-2 code of a country typed as a name (fr or en) or a code."""
    return _countries().get(key(text).replace("-", " "))


def parse_nationality(text: str) -> str | None:
    """ISO codes joined by "/" (dual nationals), from adjectives, country names or codes."""
    parts = [p for p in re.split(r"\s*(?:[,;/+]| et | and )\s*", key(text)) if p]
    codes: list[str] = []
    for part in parts:
        code = _NATIONALITIES.get(part) or parse_country(part)
        if code is None:
            return None
        if code not in codes:
            codes.append(code)
    return "/".join(codes) if codes else None


def parse_postcode_city(text: str) -> tuple[str, str] | None:
    """(postcode, city) from "69001 Lyon"; foreign postcodes too ("SW1A London")."""
    m = _POSTCITY_RE.match(text or "")
    if not m or len(m.group(2)) > 100:
        return None
    return m.group(1).upper(), m.group(2)


def is_none_answer(text: str) -> bool:
    """True for "Aucun", "non", "-"…: the person has nothing to give for this question."""
    return key(text) in NONE_WORDS


def is_yes_answer(text: str) -> bool:
    return key(text) in YES_WORDS


def parse_email(text: str) -> str | None:
    value = (text or "").strip()
    return value.lower() if len(value) <= 320 and _EMAIL_RE.match(value) else None


def one_line(text: str, max_len: int) -> str | None:
    """One line of 1..max_len characters, spaces collapsed; None otherwise (a pasted paragraph too)."""
    if "\n" in (text or "").strip():
        return None
    value = _clean_line(text or "", max_len)
    return None if isinstance(value, TextError) else value


def parse_provider(text: str) -> tuple[str, str] | None:
    """(platform, transaction id) from "HelloAsso 123456"."""
    parts = (text or "").strip().split(maxsplit=1)
    if len(parts) != 2 or len(parts[0]) > 40 or len(parts[1]) > 120 or "\n" in parts[1]:
        return None
    return PROVIDERS.get(parts[0].lower(), parts[0]), parts[1].strip()


# --- The whole gift on one line ("50 € chèque Jean Martin 12 rue X 69001 Lyon") ----------------

# An amount needs its currency ("50 €", "200€", "20 euros"), or a payment method right after it
# ("50 chèque"): a bare number is a street number or a postcode.
_LINE_AMOUNT_RE = lazy_compile(
    r"(?<![\w,.])([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:,[0-9]{1,2})?|[0-9]+(?:[.,][0-9]{1,2})?)"
    r"\s*(?:€|euros?\b|eur\b)",
    re.IGNORECASE,
)
_LINE_LEADING_RE = lazy_compile(r"^\s*([0-9]+(?:[.,][0-9]{1,2})?)\s+(?=[^\W\d])")
# A French postcode and the town, at the end of the line; foreign addresses are asked, not guessed.
_LINE_TOWN_RE = lazy_compile(r"[\s,]+([0-9]{5})\s+([^\W\d][^\d,;]*?)\s*$")
_CIVILITIES = {
    "mme": "Mme",
    "madame": "Mme",
    "mlle": "Mme",
    "m": "M.",
    "m.": "M.",
    "mr": "M.",
    "monsieur": "M.",
}
# Name splits offered as buttons stop here: a longer name is typed in its two questions.
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class GiftLine:
    """What one typed line says about a gift; None where it says nothing (asked afterwards).

    `names` are the name words in the order typed; `first_name`/`last_name` are set only when the
    line itself tells them apart (the family name in capitals, "DURAND Claire")."""

    amount_cents: int
    method: str | None = None
    civility: str | None = None
    names: tuple[str, ...] = ()
    first_name: str | None = None
    last_name: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None


def parse_gift_line(text: str) -> GiftLine | None:
    """The gift typed on one line, or None when the line has no amount (then it is a name)."""
    line = one_line(text or "", 400)
    if line is None:
        return None
    m = _LINE_AMOUNT_RE.search(line)
    leading = m is None
    if m is None:
        m = _LINE_LEADING_RE.match(line)
    amount = parse_amount(m.group(1)) if m else None
    if m is None or amount is None:
        return None
    rest = (line[: m.start()] + " " + line[m.end() :]).strip()
    postcode = city = None
    town = _LINE_TOWN_RE.search(" " + rest)
    if town:
        postcode, city = town.group(1), town.group(2).strip(" ,")
        rest = (" " + rest)[: town.start()].strip(" ,")
    words = rest.replace(",", " , ").split()
    method, words = _take_method(words)
    if leading and method is None:
        return None  # "12 rue X": a number without currency nor method is no amount
    street = next((i for i, w in enumerate(words) if w[0].isdigit()), len(words))
    address = " ".join(words[street:]).replace(" , ", ", ").strip(" ,") or None
    names = [w for w in words[:street] if w != ","]
    civility = _CIVILITIES.get(names[0].lower()) if names else None
    if civility:
        names = names[1:]
    first, last = _split_by_capitals(names)
    return GiftLine(
        amount_cents=amount,
        method=method,
        civility=civility,
        names=tuple(names),
        first_name=first,
        last_name=last,
        address=address,
        postcode=postcode,
        city=city or None,
    )


def _take_method(words: list[str]) -> tuple[str | None, list[str]]:
    """The first payment-method word (or two words: "carte bancaire") and the words without it."""
    for i in range(len(words)):
        for size in (2, 1):
            found = parse_method(" ".join(words[i : i + size])) if i + size <= len(words) else None
            if found:
                return found[0], words[:i] + words[i + size :]
    return None, words


def _split_by_capitals(names: list[str]) -> tuple[str | None, str | None]:
    """(first, last) when the family name is the only run in capitals ("DURAND Claire",
    "Marie DE LA TOUR"); (None, None) when the line does not say which is which."""
    caps = [len(w) > 1 and w.isupper() for w in names]
    if not any(caps) or all(caps):
        return None, None
    start, end = caps.index(True), len(caps) - caps[::-1].index(True)
    if not all(caps[start:end]) or (start and end < len(caps)):
        return None, None
    last = " ".join(names[start:end])
    first = " ".join(names[:start] + names[end:])
    return first, last


def name_splits(names: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """Every (first name, family name) reading of the typed words, offered as buttons:
    "Jean Martin" → (Jean, Martin) and (Martin, Jean). Empty beyond MAX_NAME_WORDS words."""
    words = list(names)
    if len(words) < 2 or len(words) > MAX_NAME_WORDS:
        return []
    out: list[tuple[str, str]] = []
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        for pair in ((head, tail), (tail, head)):
            if pair not in out:
                out.append(pair)
    return out

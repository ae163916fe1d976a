"""The 13 volunteer roles (skills) and how typed words map to them. Pure logic.

`ROLES` is the shared, ordered list (onboarding buttons, reply reading, statistics); its strings
are the canonical French names and the keys of the `skill.*` texts. `normalize_role` turns what a
person types ("PAP", "boites aux lettres", "compta", "photos") into one of them.
"""

from __future__ import annotations

from domain.text import fold_words, lazy_compile

ROLES: tuple[str, ...] = (
    "tractage",
    "porte-à-porte",
    "boîtage",
    "collage",
    "stand",
    "logistique",
    "photo",
    "graphisme",
    "réseaux sociaux",
    "rédaction",
    "site web",
    "comptabilité",
    "assesseur",
)

# Longer texts are sentences, not role names: normalize_role gives up on them.
MAX_ROLE_WORDS = 6

# Words that may stand for each role, on folded text (lower case, no accents, hyphens and
# apostrophes as spaces). Each entry starts at a word boundary; suffixes are spelled out so that
# "tracteur" or "standard" do not match. French first, then the English of the bot's texts.
_TERMS: dict[str, str] = {
    "tractage": r"tract(?:s|age|ages|er|e|es|ons|ez|erai|erais|erons)?\b|flyers?\b|flyage\b|distribu\w*"
    r"|leaflet\w*",
    "porte-à-porte": r"porte a porte\b|portes a portes\b|porte en porte\b|paps?\b|door to door\b"
    r"|door knocking\b|canvass\w*",
    "boîtage": r"boitages?\b|boiter\b|boites? aux lettres\b|bal\b|mise en boite\b|letterbox\w*",
    "collage": r"collages?\b|coll(?:er|e|es|erai|ons)\b|affich\w*|placard\w*|posters?\b",
    "stand": r"stands?\b|tenue de stand\b",
    "logistique": r"logisti\w*|materiel\b|matos\b|transports?\b|covoit\w*|installation\b|montage\b"
    r"|demontage\b|intendance\b",
    "photo": r"photo\w*|video\w*|film\w*|captation\b",
    "graphisme": r"graphis\w*|graphic\w*|visuels?\b|maquett\w*|mise en page\b|infographi\w*|design\w*"
    r"|logos?\b|bannieres?\b|illustrat\w*",
    "réseaux sociaux": r"reseaux?(?: sociaux)?\b|rs\b|posts?\b|publications?\b|stor(?:y|ies|ys)\b|lives?\b"
    r"|insta(?:gram)?\b|facebook\b|fb\b|twitter\b|tiktok\b|tweets?\b|community\w*|social media\b",
    "rédaction": r"redact\w*|redig\w*|redac\b|textes?\b|comptes? rendus?\b|cr\b|articles?\b"
    r"|communiques?\b|ecri(?:re|s|t|ts|rai|ture)\b|relecture\b|newsletter\w*|tribunes?\b|writing\b",
    "site web": r"sites?(?: web| internet)?\b|web\b|wordpress\b|website\b",
    "comptabilité": r"compta\w*|comptab\w*|caisses?\b|tresor\w*|dons?\b|recus?\b|cagnottes?\b|quetes?\b"
    r"|finances?\b|accounting\b",
    "assesseur": r"assesse\w*|bureaux? de vote\b|scrutat\w*|depouill\w*|polling\w*",
}

# One regex; the group name tells the role (group names must be identifiers, hence the index).
_ROLE_RE = lazy_compile("|".join(rf"\b(?P<r{i}>{_TERMS[role]})" for i, role in enumerate(ROLES)))


def role_mentions(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, role) of every role word in an already folded text, in order."""
    found = []
    for match in _ROLE_RE.finditer(folded):
        group = match.lastgroup
        if group is not None:
            found.append((match.start(), match.end(), ROLES[int(group[1:])]))
    return found


def normalize_role(text: str) -> str | None:
    """The role a typed name stands for ("PAP" → "porte-à-porte"), or None.

    Accent- and case-insensitive. Several role words: the first one. A long text is not a name.
    """
    folded = fold_words(text)
    if not folded or len(folded.split()) > MAX_ROLE_WORDS:
        return None
    mentions = role_mentions(folded)
    return mentions[0][2] if mentions else None

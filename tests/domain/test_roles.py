"""The 13 volunteer roles and normalize_role."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.roles import ROLES, normalize_role, role_mentions
from domain.text import fold_words

CASES: list[tuple[str, str | None]] = [
    # the canonical names themselves, as typed or not
    ("tractage", "tractage"),
    ("porte-à-porte", "porte-à-porte"),
    ("boîtage", "boîtage"),
    ("collage", "collage"),
    ("stand", "stand"),
    ("logistique", "logistique"),
    ("photo", "photo"),
    ("graphisme", "graphisme"),
    ("réseaux sociaux", "réseaux sociaux"),
    ("rédaction", "rédaction"),
    ("site web", "site web"),
    ("comptabilité", "comptabilité"),
    ("assesseur", "assesseur"),
    ("TRACTAGE", "tractage"),
    ("  Stand  ", "stand"),
    ("Reseaux Sociaux", "réseaux sociaux"),
    ("redaction", "rédaction"),
    ("comptabilite", "comptabilité"),
    ("Site Web", "site web"),
    # synonyms and typed forms
    ("tracter", "tractage"),
    ("tracts", "tractage"),
    ("tract", "tractage"),
    ("distribution de tracts", "tractage"),
    ("flyers", "tractage"),
    ("PAP", "porte-à-porte"),
    ("pap", "porte-à-porte"),
    ("porte a porte", "porte-à-porte"),
    ("Porte à porte", "porte-à-porte"),
    ("du porte-à-porte", "porte-à-porte"),
    ("boitage", "boîtage"),
    ("boîtes aux lettres", "boîtage"),
    ("boite aux lettres", "boîtage"),
    ("affiches", "collage"),
    ("affichage", "collage"),
    ("collage d'affiches", "collage"),
    ("coller", "collage"),
    ("stands", "stand"),
    ("tenue de stand", "stand"),
    ("matériel", "logistique"),
    ("covoiturage", "logistique"),
    ("transport", "logistique"),
    ("photos", "photo"),
    ("vidéo", "photo"),
    ("vidéos", "photo"),
    ("photo/vidéo", "photo"),
    ("filmer", "photo"),
    ("visuel", "graphisme"),
    ("visuels", "graphisme"),
    ("mise en page", "graphisme"),
    ("graphiste", "graphisme"),
    ("réseaux", "réseaux sociaux"),
    ("rs", "réseaux sociaux"),
    ("RS", "réseaux sociaux"),
    ("insta", "réseaux sociaux"),
    ("posts", "réseaux sociaux"),
    ("compta", "comptabilité"),
    ("caisse", "comptabilité"),
    ("trésorerie", "comptabilité"),
    ("bureau de vote", "assesseur"),
    ("assesseure", "assesseur"),
    ("site", "site web"),
    ("site internet", "site web"),
    ("texte", "rédaction"),
    ("textes", "rédaction"),
    ("compte-rendu", "rédaction"),
    ("compte rendu", "rédaction"),
    ("CR", "rédaction"),
    ("écrire", "rédaction"),
    # English (the bot also speaks English)
    ("leafleting", "tractage"),
    ("door-to-door", "porte-à-porte"),
    ("posters", "collage"),
    ("social media", "réseaux sociaux"),
    ("website", "site web"),
    ("accounting", "comptabilité"),
    ("polling station", "assesseur"),
    # several: the first
    ("photos et vidéos", "photo"),
    ("tractage, collage", "tractage"),
    # not a role
    ("", None),
    ("   ", None),
    ("bonjour", None),
    ("trésorier de campagne, coordination, lyon, paris et marseille", None),  # too long
    ("tracteur", None),
    ("standard", None),
    ("collègue", None),
    ("compte", None),
    ("coordinateur", None),
    ("👍", None),
]


@pytest.mark.parametrize(("text", "role"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_normalize_role(text: str, role: str | None) -> None:
    assert normalize_role(text) == role


def test_roles_are_the_thirteen_canonical_names_in_order() -> None:
    assert ROLES == (
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
    assert all(unicodedata.is_normalized("NFC", r) for r in ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_normalizes_to_itself(role: str) -> None:
    assert normalize_role(role) == role
    assert normalize_role(role.upper()) == role
    assert normalize_role(fold_words(role)) == role


def test_fold() -> None:
    assert fold_words("  Boîtes-aux-Lettres ") == "boites aux lettres"
    assert fold_words("Collage d’affiches !") == "collage d affiches"
    assert fold_words("Cœur") == "coeur"


def test_role_mentions_in_order() -> None:
    assert [r for _, _, r in role_mentions(fold_words("je fais les photos puis du tractage"))] == [
        "photo",
        "tractage",
    ]


@given(st.text())
def test_normalize_role_never_raises(text: str) -> None:
    assert normalize_role(text) in (*ROLES, None)

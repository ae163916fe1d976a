"""Guests read from a reply: a table of cases (domain/replies/guests.py)."""

from __future__ import annotations

import pytest

from domain.replies.guests import MAX_GUESTS, guest_count

CASES: list[tuple[str, int | None]] = [
    # "+N" alone: N people, the sender included.
    ("+1", 0),
    ("+2", 1),
    ("+ 3", 2),
    ("+1 pour le boîtage", 0),
    ("moi +2", 2),
    # A total.
    ("on sera 3", 2),
    ("On sera trois !", 2),
    ("nous serons 4", 3),
    ("on vient à 2", 1),
    ("on sera là à 3h", None),
    ("on sera 3 heures en retard", None),
    # People named after « avec », « je ramène ».
    ("je viens avec ma sœur", 1),
    ("Je viens avec ma soeur", 1),
    ("je viens avec 2 amis", 2),
    ("avec 2 amis", 2),
    ("je viens avec deux de mes potes", 2),
    ("je ramène mon coloc", 1),
    ("j'amène mes enfants", 2),
    ("je viens avec ma sœur et 2 amis", 3),
    ("je viens avec ma sœur et avec mon frère", 2),
    ("je viens avec mon fils mais pas avec ma fille", 1),
    ("je viens avec ma petite sœur", 1),
    ("je viens avec un ami", 1),
    # Nothing about others.
    ("je viens", None),
    ("je viens avec plaisir", None),
    ("je viens avec ma voiture", None),
    ("je ramène des tracts", None),
    ("sans ma sœur cette fois", None),
    ("je viens seul", 0),
    ("on se retrouve où ?", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_guest_count(text: str, expected: int | None) -> None:
    assert guest_count(text) == expected


def test_a_reply_cannot_book_a_coach() -> None:
    assert guest_count("on sera 300") == MAX_GUESTS
    assert guest_count("+999") == MAX_GUESTS

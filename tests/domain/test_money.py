"""Amounts typed by a treasurer, and euros shown back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import MAX_CENTS, format_eur, parse_amount

NBSP = "\u00a0"
NNBSP = "\u202f"

AMOUNTS: list[tuple[str, int | None]] = [
    # Plain euros, with or without the currency.
    ("50", 5000),
    ("50 €", 5000),
    ("50€", 5000),
    ("€50", 5000),
    ("€ 50", 5000),
    ("EUR 20", 2000),
    ("eur20", 2000),
    ("20 EUR", 2000),
    ("20 euros", 2000),
    ("20 euro", 2000),
    ("Euros 20", 2000),
    ("  7  ", 700),
    # French decimals, and the dot people type on phones.
    ("12,50", 1250),
    ("12.50", 1250),
    ("12,5", 1250),
    ("0,5", 50),
    ("0,05", 5),
    ("0.01", 1),
    ("00,50", 50),
    ("150,01 €", 15001),
    # Thousands: every kind of space, dots, commas.
    ("1 000 €", 100000),
    (f"1{NBSP}000 €", 100000),
    (f"1{NNBSP}000{NBSP}€", 100000),
    ("1000", 100000),
    ("1.000,50", 100050),
    ("1 000,50 €", 100050),
    (f"1{NNBSP}000,50{NBSP}€", 100050),
    ("1.000.000", 100000000),
    ("1,000,000", 100000000),
    ("1,000.50", 100050),
    ("€1,000.50", 100050),
    ("12 345 678,90", None),  # above 10 million euros
    ("10 000 000", MAX_CENTS),
    ("10000000,00", MAX_CENTS),
    # Refused: ambiguous, too many decimals, irregular grouping.
    ("12,345", None),
    ("12.345", None),
    ("1.000", None),
    ("1 000.000", None),
    ("12,3", 1230),
    ("12,999", None),
    ("1,2345", None),
    ("1,000,50", None),
    ("1.000.50", None),
    ("10 00", None),
    ("1 0000", None),
    ("12,", None),
    ("12.", None),
    (",50", None),
    # Refused: not positive, not a number, absurd.
    ("0", None),
    ("0,00", None),
    ("-5", None),
    ("-5 €", None),
    ("\u22125", None),
    ("+5", None),
    ("", None),
    ("   ", None),
    ("€", None),
    ("euros", None),
    ("beaucoup", None),
    ("cinquante", None),
    ("1e3", None),
    ("50 € 20", None),
    ("€ 50 €", None),
    ("10000000,01", None),
    ("99999999999999999999", None),
    ("1" * 5000, None),
    ("\u0661\u0662", None),  # Arabic-Indic digits
    ("FR76 3000 6000 0112 3456 7890 189", None),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_parse_amount_table(text: str, expected: int | None) -> None:
    assert parse_amount(text) == expected


def test_table_is_big_enough() -> None:
    assert len(AMOUNTS) >= 40


@pytest.mark.parametrize(
    ("cents", "lang", "expected"),
    [
        (100050, "fr", f"1{NNBSP}000,50{NBSP}€"),
        (100050, "en", "€1,000.50"),
        (5, "fr", f"0,05{NBSP}€"),
        (5, "en", "€0.05"),
        (15000, "fr", f"150,00{NBSP}€"),
        (750000, "fr", f"7{NNBSP}500,00{NBSP}€"),
        (750000, "en", "€7,500.00"),
        (MAX_CENTS, "fr", f"10{NNBSP}000{NNBSP}000,00{NBSP}€"),
        (0, "fr", f"0,00{NBSP}€"),
        (-2500, "fr", f"-25,00{NBSP}€"),
    ],
)
def test_format_eur(cents: int, lang: str, expected: str) -> None:
    assert format_eur(cents, lang) == expected


def test_format_eur_defaults_to_french() -> None:
    assert format_eur(1234) == format_eur(1234, "fr")


@given(st.integers(min_value=1, max_value=MAX_CENTS), st.sampled_from(["fr", "en"]))
def test_what_we_write_we_read(cents: int, lang: str) -> None:
    assert parse_amount(format_eur(cents, lang)) == cents


@given(st.integers(min_value=1, max_value=MAX_CENTS))
def test_plain_french_forms_round_trip(cents: int) -> None:
    euros, rest = divmod(cents, 100)
    assert parse_amount(f"{euros},{rest:02d}") == cents
    assert parse_amount(f"{euros}.{rest:02d} €") == cents


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    result = parse_amount(text)
    assert result is None or 0 < result <= MAX_CENTS


@given(st.text(alphabet="0123456789 ,.€eurosEUR\u00a0\u202f-", max_size=30))
def test_never_raises_on_amount_like_text(text: str) -> None:
    result = parse_amount(text)
    assert result is None or 0 < result <= MAX_CENTS

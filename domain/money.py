"""Amounts of money: reading what a treasurer types, and showing cents as euros.

Every amount in the project is an `int` of euro cents; floats never carry money.

`parse_amount` reads the forms French people type ("50", "12,50 €", "1 000,50", "1.000,50",
"EUR 20", "20 euros") and the English form `format_eur(..., "en")` produces ("€1,000.50").
It returns None rather than guess. The one real ambiguity is a single separator followed by
exactly three digits: "12,345" is 12,345 € to an English reader and 12.345 € (three decimals,
not a sum of cents) to a French one, and "1.000" is a thousand to a French reader but one euro
to an English one. Both are refused (None) so the bot asks again instead of booking a wrong sum.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from domain.text import lazy_compile

# 10 million euros: no gift to a city list or a small movement comes near it, so anything larger
# is a typo (an IBAN or a phone number pasted into the amount field).
MAX_CENTS = 1_000_000_000

# Characters people (and babel) put between groups of thousands: space, no-break space, narrow
# no-break space, thin space, figure space.
_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_SPACE_RE = lazy_compile(f"[{_SPACES}]+")
# Currency either before or after the number, never both: "€ 20", "EUR 20", "20 €", "20 euros".
_CURRENCY = r"(?:euros?|eur|€)"  # longest first, or "euros" stops at "eur"
_PREFIX_RE = lazy_compile(rf"^{_CURRENCY}\s*")
_SUFFIX_RE = lazy_compile(rf"\s*{_CURRENCY}$")
# Only ASCII digits: `\d` would also accept Arabic-Indic digits, which nobody means here.
_BODY_RE = lazy_compile(r"^[0-9][0-9 .,]*$")
_GROUPED_RE = {sep: lazy_compile(rf"^[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+$") for sep in " .,"}
_DIGITS_RE = lazy_compile(r"^[0-9]+$")
# More integer digits than this cannot be below MAX_CENTS; checking first also keeps int() away
# from CPython's limit on very long digit strings (which raises ValueError).
_MAX_INT_DIGITS = 12

_LOCALES = {"fr": "fr_FR", "en": "en_US"}


def parse_amount(text: str) -> int | None:
    """Cents for a positive amount typed in French (or as `format_eur` writes it), else None."""
    if not isinstance(text, str):
        return None
    s = _SPACE_RE.sub(" ", text).strip().lower()
    without_prefix = _PREFIX_RE.sub("", s, count=1)
    s = without_prefix if without_prefix != s else _SUFFIX_RE.sub("", s, count=1)
    s = s.strip()
    if not _BODY_RE.match(s) or s[-1] in " .,":
        return None
    return _cents(s)


def _cents(body: str) -> int | None:
    int_part, decimals = _split_decimals(body)
    if int_part is None:
        return None
    digits = _integer_digits(int_part)
    if digits is None or len(digits.lstrip("0")) > _MAX_INT_DIGITS:
        return None
    cents = int(digits) * 100 + int(decimals.ljust(2, "0") or "0")
    if cents <= 0 or cents > MAX_CENTS:
        return None
    return cents


def _split_decimals(body: str) -> tuple[str | None, str]:
    """(integer part, 0-2 decimal digits); (None, "") when the separators make no sense."""
    last = max(body.rfind("."), body.rfind(","))
    if last == -1:
        return body, ""
    tail = body[last + 1 :]
    if not _DIGITS_RE.match(tail):
        return None, ""
    if len(tail) <= 2:
        # The last separator is the decimal mark; it may not appear again on its left
        # ("1,000,50" is not a number).
        head = body[:last]
        if body[last] in head:
            return None, ""
        return head, tail
    if len(tail) == 3:
        # A thousands separator only when it repeats ("1.000.000"); a lone "12,345" or "1.000"
        # is ambiguous (see module doc), and so is "1 000.000".
        if body.count(body[last]) == 1:
            return None, ""
        return body, ""
    return None, ""  # more than two decimals, or a separator in a random place


def _integer_digits(int_part: str) -> str | None:
    """The digits of an integer part, after checking its thousands grouping is regular."""
    if _DIGITS_RE.match(int_part):
        return int_part
    seps = {c for c in int_part if c in " .,"}
    if len(seps) != 1:
        return None  # "1 000.000": two different grouping marks
    (sep,) = seps
    if not _GROUPED_RE[sep].match(int_part):
        return None  # "1 2", "10.00.000": irregular groups
    return int_part.replace(sep, "")


def format_eur(cents: int, lang: str = "fr") -> str:
    """`cents` as babel writes euros: "1 000,50 €" (narrow no-break spaces) in fr, "€1,000.50" in en."""
    from babel.numbers import format_currency  # ~5 ms of start-up: at the first amount shown

    locale = _LOCALES.get(lang, lang)
    # Decimal, not float: 0.1 + 0.2 style errors must never reach a receipt.
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=locale)


def cents_of(euros: Decimal | int | float) -> int:
    """Euros from a setting (a Decimal, or a number) as cents, rounded half up."""
    return int((Decimal(str(euros)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def euros_text(amount_cents: int) -> str:
    """Cents as a plain decimal for machines (exports): 123450 → "1234.50", never a float."""
    sign = "-" if amount_cents < 0 else ""
    whole, part = divmod(abs(amount_cents), 100)
    return f"{sign}{whole}.{part:02d}"

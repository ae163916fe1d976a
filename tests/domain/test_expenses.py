"""Expense claims, pure: amounts, days, receipts, the form's order and the ceiling of rule 23
(docs/legal-rules.md: warn at 80 %, block above 100 %, exactly 100 % passes)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.expenses import (
    CATEGORIES,
    ceiling_check,
    next_step,
    read_amount,
    read_day,
    receipt_kind,
    receipt_name,
)

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("42,50 €", 4250),
        ("42.50", 4250),
        ("1 000 €", 100000),
        ("0,01", 1),
        ("beaucoup", None),
        ("-5", None),
        ("0", None),
        ("", None),
        ("200 000 €", None),  # above the sane maximum
    ],
)
def test_amounts(text: str, cents: int | None) -> None:
    assert read_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hier", date(2026, 12, 5)),
        ("12/11", date(2026, 11, 12)),
        ("3 novembre 2026", date(2026, 11, 3)),
        ("demain", "future"),
        ("n'importe quoi", "unreadable"),
        ("01/01/2020", "too_old"),
    ],
)
def test_days(text: str, expected: object) -> None:
    assert read_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("spent", "claim", "ceiling", "level"),
    [
        (0, 7_999, 10_000, "ok"),
        (0, 8_000, 10_000, "warn"),  # 80 %: warn
        (5_000, 3_000, 10_000, "warn"),
        (9_000, 1_000, 10_000, "warn"),  # exactly the ceiling: allowed
        (9_000, 1_001, 10_000, "block"),  # one cent above: blocked
        (10_000, 1, 10_000, "block"),
        (0, 1, None, "unknown"),
        (0, 1, 0, "unknown"),
    ],
)
def test_ceiling(spent: int, claim: int, ceiling: int | None, level: str) -> None:
    check = ceiling_check(spent, claim, ceiling)
    assert check.level == level
    assert check.total_cents == spent + claim


def test_form_order_and_receipts() -> None:
    d: dict[str, object] = {}
    order = []
    for key, value in [
        ("amount", 1),
        ("purpose", "x"),
        ("date", "2026-12-01"),
        ("ledger", "party"),
        ("event", None),
        ("category", "other"),
        ("receipt", {}),
    ]:
        order.append(next_step(d))
        d[key] = value
    assert order == ["amount", "purpose", "date", "ledger", "event", "category", "receipt"]
    assert next_step(d) == "confirm"
    assert receipt_kind("application/pdf", False) == "pdf"
    assert receipt_kind(None, True) == "photo"
    assert receipt_kind("application/zip", False) is None
    assert receipt_name(7, "photo") == "frais-00007.jpg"
    assert len(set(CATEGORIES)) == len(CATEGORIES) and "other" in CATEGORIES

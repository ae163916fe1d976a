"""domain.donation_import: a file of payments read row by row, before the law sees it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from domain.donation_import import IMPORT_COLUMNS, parse_row, read_csv, row_key

TODAY = date(2026, 11, 26)
GOOD = {
    "date": "12/11/2025",
    "last_name": "Dupont",
    "first_name": "Jean",
    "address": "12 rue de la Paix",
    "postcode": "69001",
    "city": "Lyon",
    "country": "France",
    "nationality": "française",
    "donor_type": "physique",
    "amount": "50",
    "method": "chèque",
    "ledger": "mouvement",
    "kind": "don",
    "reference": "R-1",
}


@dataclass
class Ledger:
    id: str
    city: str
    window_start: date | None = None
    window_end: date | None = None
    account_filed_on: date | None = None


LEDGERS = [
    Ledger("campaign:Lyon:municipales-2020", "Lyon", date(2019, 9, 1), None, date(2020, 5, 1)),
    Ledger("campaign:Lyon:municipales-2026", "Lyon", date(2025, 9, 1)),
    Ledger("campaign:Saint-Étienne:municipales-2026", "Saint-Étienne", date(2025, 9, 1)),
]


def test_read_csv_finds_the_delimiter_and_the_missing_columns() -> None:
    header = ";".join(IMPORT_COLUMNS)
    rows, missing = read_csv("\ufeff" + header + "\n" + ";".join(GOOD[c] for c in IMPORT_COLUMNS) + "\n;;\n")
    assert missing == [] and len(rows) == 1
    line, raw = rows[0]
    assert line == 2 and raw["last_name"] == "Dupont" and raw["amount"] == "50"
    rows, missing = read_csv("Date,Nom,Montant\n2025-01-01,Dupont,50\n")
    assert "last_name" in missing and "date" not in missing and len(rows) == 1
    assert read_csv("") == ([], list(IMPORT_COLUMNS))


def test_read_csv_pads_short_rows_and_folds_the_header() -> None:
    rows, missing = read_csv("Last Name\tAmount\tDate\nDupont\n")
    assert rows == [(2, {"last_name": "Dupont", "amount": "", "date": ""})]
    assert "last_name" not in missing


def test_row_keys_come_from_the_reference_or_the_content() -> None:
    seen: Counter[str] = Counter()
    assert row_key(GOOD, seen) == "imp:ref:cheque:R-1"
    same = {**GOOD, "reference": ""}
    first, second = row_key(same, seen), row_key(same, seen)
    assert first.startswith("imp:row:") and first.endswith(":1") and second.endswith(":2")
    assert first[:-2] == second[:-2]
    assert row_key(same, Counter()) == first  # the same file again: the same keys


def test_a_good_row() -> None:
    amount, row, errors = parse_row({**GOOD, "declaration": "oui", "email": "Jean@Ex.fr"}, TODAY, LEDGERS)
    assert errors == [] and amount == 5000 and row is not None
    assert (row.method, row.kind, row.received_on, row.ledger) == (
        "chèque",
        "don",
        date(2025, 11, 12),
        "party",
    )
    assert (
        row.donor["country"] == "FR"
        and row.donor["nationality"] == "FR"
        and row.donor["email"] == "jean@ex.fr"
    )
    assert row.donor["sworn_declaration_at"] == datetime(2025, 11, 12, 12, tzinfo=UTC)
    assert row.provider == "" and row.provider_tx_id == ""


@pytest.mark.parametrize(
    ("cells", "codes"),
    [
        ({"amount": "douze euros"}, ["imp.bad_amount"]),
        ({"date": "31/02/2025"}, ["imp.bad_date"]),
        ({"date": "2099-01-01"}, ["imp.future_date"]),
        ({"donor_type": "robot"}, ["imp.bad_donor_type"]),
        ({"method": "troc"}, ["imp.bad_method"]),
        ({"kind": "prêt"}, ["imp.bad_kind"]),
        ({"ledger": "???"}, ["imp.bad_ledger"]),
        ({"ledger": "liste:Atlantis"}, ["imp.unknown_list"]),
        ({"country": "Atlantide"}, ["imp.bad_country"]),
        ({"nationality": "martienne"}, ["imp.bad_nationality"]),
        ({"amount": "0", "method": "", "kind": ""}, ["imp.bad_amount", "imp.bad_method", "imp.bad_kind"]),
    ],
)
def test_bad_cells_are_reported_in_column_order(cells: dict[str, str], codes: list[str]) -> None:
    amount, row, errors = parse_row({**GOOD, **cells}, TODAY, LEDGERS)
    assert row is None and [e.code for e in errors] == codes
    assert ("amount" in cells) == (amount is None)


def test_bad_cell_values_are_quoted() -> None:
    _, _, errors = parse_row({**GOOD, "ledger": "liste : Atlantis "}, TODAY, LEDGERS)
    assert [(e.code, dict(e.params)) for e in errors] == [("imp.unknown_list", {"value": "Atlantis"})]


@pytest.mark.parametrize(
    ("ledger", "day", "expected"),
    [
        ("liste:Lyon", "12/11/2025", "campaign:Lyon:municipales-2026"),
        ("Liste : lyon", "10/03/2020", "campaign:Lyon:municipales-2020"),  # the window that holds the day
        ("liste:Lyon", "10/06/2020", "campaign:Lyon:municipales-2026"),  # none holds it: the latest
        ("liste:saint-etienne", "12/11/2025", "campaign:Saint-Étienne:municipales-2026"),
        ("Parti", "12/11/2025", "party"),
        ("movement", "12/11/2025", "party"),
    ],
)
def test_ledger_of_a_row(ledger: str, day: str, expected: str) -> None:
    _, row, errors = parse_row({**GOOD, "ledger": ledger, "date": day}, TODAY, LEDGERS)
    assert errors == [] and row is not None and row.ledger == expected


def test_a_company_and_a_platform() -> None:
    cells = {"donor_type": "société", "last_name": "Exemple", "first_name": "SARL", "method": "HelloAsso"}
    _, row, errors = parse_row({**GOOD, **cells, "nationality": ""}, TODAY, LEDGERS)
    assert errors == [] and row is not None
    assert (row.donor["organisation"], row.donor["first_name"], row.donor["last_name"]) == (
        "Exemple SARL",
        "",
        "",
    )
    assert (row.method, row.provider, row.provider_tx_id) == ("plateforme", "HelloAsso", "R-1")


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        ("", None),
        ("non", None),
        ("X", datetime(2025, 11, 12, 12, tzinfo=UTC)),
        ("03/11/2025", datetime(2025, 11, 3, 12, tzinfo=UTC)),
        ("peut-être", None),
    ],
)
def test_sworn_declaration(declaration: str, expected: datetime | None) -> None:
    _, row, _ = parse_row({**GOOD, "declaration": declaration}, TODAY, LEDGERS)
    assert row is not None and row.donor["sworn_declaration_at"] == expected


def test_the_elected_mandate_column_is_read_onto_the_donor() -> None:
    _, row, _ = parse_row(
        {**GOOD, "kind": "cotisation élu", "elected_mandate": " maire  de Lyon "}, TODAY, LEDGERS
    )
    assert (
        row is not None and row.kind == "cotisation_élu" and row.donor["elected_mandate"] == "maire de Lyon"
    )
    _, row, _ = parse_row({**GOOD, "elected_mandate": "aucun"}, TODAY, LEDGERS)
    assert row is not None and row.donor["elected_mandate"] == ""

"""integrations/spreadsheets.py: files a French Excel or LibreOffice opens right (issue 13, item 8)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from integrations.spreadsheets import MONEY_FORMAT, cents_to_euros, csv_bytes, xlsx_bytes

HEADERS = ["Nom", "Montant (€)", "Date", "Heure", "Enregistré le", "Invités", "Cotisation"]
ROWS: list[list[object]] = [
    [
        "Léa",
        Decimal("1234.5"),
        date(2026, 12, 6),
        time(14, 30),
        datetime(2026, 12, 6, 9, 5, tzinfo=UTC),
        2,
        12,
    ],
    ['=HYPERLINK("http://x")', None, None, None, None, 0, 7.5],
    ["+33 6 12 34 56 78", cents_to_euros(-1050), date(2026, 1, 2), None, None, 1, None],
    ["@SUM(A1)", Decimal("0"), None, None, None, 3, None],
]


def _sheet() -> Worksheet:
    ws = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes("Inscrits", HEADERS, ROWS, money=["Cotisation"]))
    ).active
    assert isinstance(ws, Worksheet)
    return ws


def test_xlsx_types_header_and_frozen_pane() -> None:
    ws = _sheet()
    assert ws.title == "Inscrits"
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    name, amount, day, hour, created, guests, fee = ws[2]
    assert amount.data_type == "n" and amount.value == pytest.approx(1234.5)
    assert amount.number_format == MONEY_FORMAT
    assert day.data_type == "d" and day.value == datetime(2026, 12, 6) and day.number_format == "DD/MM/YYYY"
    assert hour.value == time(14, 30)
    # Aware times are written as Paris wall-clock time (Excel has no time zones).
    assert created.data_type == "d" and created.value == datetime(2026, 12, 6, 10, 5)
    assert guests.data_type == "n" and guests.value == 2
    assert fee.number_format == MONEY_FORMAT  # named money column: euros
    assert ws.cell(row=4, column=2).value == pytest.approx(-10.5)


def test_xlsx_never_writes_a_formula() -> None:
    ws = _sheet()
    for row in (3, 5):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s", cell.value
    assert ws.cell(row=3, column=1).value == '=HYPERLINK("http://x")'
    assert ws.cell(row=1, column=1).data_type == "s"


def test_xlsx_column_widths_and_sheet_name() -> None:
    ws = _sheet()
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert all(8 <= w <= 50 for w in widths.values())
    assert widths["A"] > widths["F"]  # a long name gets a wider column than a count
    odd = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("Dons: 2026/[x]" * 4, ["a"], []))).active
    assert odd is not None and len(odd.title) <= 31 and "/" not in odd.title and ":" not in odd.title


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_bom_separator_decimal_comma_and_dates() -> None:
    data = csv_bytes(HEADERS, ROWS, money=["Cotisation"])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = _csv_rows(data)
    assert rows[0] == HEADERS
    assert rows[1] == ["Léa", "1234,50", "06/12/2026", "14:30", "06/12/2026 10:05", "2", "12,00"]
    assert rows[2][1:] == ["", "", "", "", "0", "7,50"]
    assert rows[3][1:3] == ["-10,50", "02/01/2026"]


def test_csv_cells_that_could_run_as_formulas_are_quoted() -> None:
    rows = _csv_rows(csv_bytes(HEADERS, ROWS))
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert rows[4][0] == "'@SUM(A1)"
    assert rows[3][0] == "+33 6 12 34 56 78"  # a phone number stays as typed
    for payload in ("-2+3", "+cmd|' /C calc'!A0", "\t=1"):
        assert _csv_rows(csv_bytes(["x"], [[payload]]))[1][0] == "'" + payload
    # A value holding the separator or quotes stays one cell.
    assert _csv_rows(csv_bytes(["x", "y"], [['a;b "c"', 1]]))[1] == ['a;b "c"', "1"]

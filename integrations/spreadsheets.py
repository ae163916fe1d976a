"""Spreadsheet files that open right in French office software (issue 13, item 8).

Two writers share one notion of a cell:

- `xlsx_bytes`: an Excel workbook of one sheet. Numbers stay numbers and dates stay dates (the
  reader can sort and add them), the header row is bold, filtered and frozen, columns are as wide
  as their content (within bounds).
- `csv_bytes`: `;`-separated, decimal comma, dates as JJ/MM/AAAA, UTF-8 with BOM — what a French
  Excel or LibreOffice opens by double-click without an import dialog.

Values a row may hold:

- `None` → empty cell; `str` → text (never a formula, see below);
- `int`, `float` → number; `Decimal` → an amount in euros (two decimals, `#,##0.00 €` in xlsx);
- a column whose header is listed in `money` (or contains "€") is money too: its ints and floats
  are euros, not cents — convert cents with `cents_to_euros` first;
- `date` → date (JJ/MM/AAAA); `datetime` → date and time in `tz` (aware values are converted,
  naive ones are taken as already local); `time` → HH:MM;
- `bool` → a boolean cell in xlsx, 1/0 in CSV (callers wanting "oui"/"non" pass the label text).

Formula injection: a text cell that starts with = + - @ (or a tab / carriage return) is written as
text in xlsx, and prefixed with an apostrophe in CSV, so a donor called "=HYPERLINK(...)" does not
run when the file is opened. Plain numbers and phone numbers ("-12,5", "+33 6 12 34 56 78") are
left alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

PARIS = ZoneInfo("Europe/Paris")
# Excel format codes are locale-neutral: a French Excel shows "1 234,50 €" and "06/12/2026".
MONEY_FORMAT = '#,##0.00\\ "€"'
INT_FORMAT = "0"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TIME_FORMAT = "HH:MM"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Digits with an optional leading sign, spaces, dots and commas cannot run as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d\s.,]+")
# Characters XML 1.0 forbids (openpyxl refuses them): a pasted control code must not break the export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 8, 50


def cents_to_euros(cents: int | None) -> Decimal | None:
    """An amount in cents as euros, for a money cell."""
    return None if cents is None else Decimal(cents) / 100


def _money_columns(headers: Sequence[str], money: Collection[str] | None) -> set[int]:
    named = set(money or ())
    return {i for i, h in enumerate(headers) if h in named or "€" in h}


def _is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    # Excel has no time zones: write the wall-clock time the reader expects.
    return value.astimezone(tz).replace(tzinfo=None) if value.tzinfo else value


def _display_len(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_title(sheet: str) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", sheet).strip("' ")[:31]
    return title or "Feuille"


def xlsx_bytes(
    sheet: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    money: Collection[str] | None = None,
    tz: ZoneInfo = PARIS,
) -> bytes:
    """One-sheet workbook: typed cells, bold frozen header with a filter, sized columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    money_cols = _money_columns(headers, money)
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = _sheet_title(sheet)
    bold = Font(bold=True)
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        _write(ws, 1, col, header, False, tz)
        ws.cell(row=1, column=col).font = bold
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if c >= len(widths):
                widths.append(0)
            widths[c] = max(widths[c], _display_len(value))
            _write(ws, r, c + 1, value, c in money_cols, tz)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write(ws: Worksheet, row: int, col: int, value: object, is_money: bool, tz: ZoneInfo) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int | float):
        cell.value = value
        if is_money:
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, int):
            cell.number_format = INT_FORMAT
    elif isinstance(value, datetime):
        cell.value = _local(value, tz)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, time):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = TIME_FORMAT
    else:
        # Set as a string cell explicitly: openpyxl would turn "=..." into a live formula.
        cell.value = _ILLEGAL.sub("", str(value))
        cell.data_type = "s"


def _number_text(value: float | Decimal, decimals: int | None) -> str:
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    elif isinstance(value, float):
        text = repr(value) if value != int(value) else str(int(value))
    else:
        text = str(value)
    return text.replace(".", ",")


def csv_cell(value: object, is_money: bool = False, tz: ZoneInfo = PARIS) -> str:
    """One value as the CSV writer spells it (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return _number_text(value, 2)
    if isinstance(value, int | float):
        return _number_text(value, 2 if is_money else None)
    if isinstance(value, datetime):
        return _local(value, tz).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value)
    return "'" + text if _is_formula_like(text) else text


def csv_bytes(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    money: Collection[str] | None = None,
    tz: ZoneInfo = PARIS,
) -> bytes:
    """`;`-separated, decimal comma, JJ/MM/AAAA dates, CRLF lines, UTF-8 with BOM."""
    money_cols = _money_columns(headers, money)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v, i in money_cols, tz) for i, v in enumerate(row)])
    # The BOM tells Excel the file is UTF-8: accents then read right.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")

"""Fake Google Sheets API (v4): spreadsheets.get and values.append/get/batchClear on in-memory grids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from sandbox.google.server import FakeHttpError, FakeServer, RecordedRequest

_BASE = r"/v4/spreadsheets/(?P<sid>[^/]+)"
_CELL = re.compile(r"([A-Za-z]*)(\d*)")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def formatted(value: Any) -> str:
    """What FORMATTED_VALUE shows for a RAW-entered value (default number format)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


class FakeSheets(FakeServer):
    def __init__(self, token_validator: Callable[[str], bool] | None = None) -> None:
        super().__init__(token_validator)
        self.spreadsheets: dict[str, dict[str, list[list[Any]]]] = {}

    def add_spreadsheet(self, spreadsheet_id: str, sheets: Iterable[str] = ("Feuille 1",)) -> None:
        with self.lock:
            book = self.spreadsheets.setdefault(spreadsheet_id, {})
            for title in sheets:
                book.setdefault(title, [])

    def rows(self, spreadsheet_id: str, sheet: str) -> list[list[Any]]:
        with self.lock:
            return [list(r) for r in self.spreadsheets[spreadsheet_id][sheet]]

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", _BASE, self._get_spreadsheet),
            ("POST", _BASE + "/values/(?P<rng>[^/]+):append", self._append),
            ("POST", _BASE + "/values:batchClear", self._batch_clear),
            ("GET", _BASE + "/values/(?P<rng>[^/]+)", self._values_get),
        ]

    # --- A1 notation -------------------------------------------------------------------

    def _book(self, sid: str) -> dict[str, list[list[Any]]]:
        if sid not in self.spreadsheets:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        return self.spreadsheets[sid]

    def _parse_range(
        self, book: dict[str, list[list[Any]]], rng: str
    ) -> tuple[str, int, int | None, int, int | None]:
        """(sheet, first col, last col or None, first row, last row or None), 0-based."""
        sheet_part, cells = rng, ""
        if rng.startswith("'"):
            match = re.fullmatch(r"'((?:[^']|'')*)'(?:!(.*))?", rng)
            if not match:
                raise FakeHttpError(400, f"Unable to parse range: {rng}")
            sheet_part, cells = match[1].replace("''", "'"), match[2] or ""
        elif "!" in rng:
            sheet_part, cells = rng.rsplit("!", 1)
        elif rng not in book and _CELL.fullmatch(rng.split(":")[0] or "-"):
            sheet_part, cells = next(iter(book), ""), rng  # a bare A1 range means the first sheet
        if sheet_part not in book:
            raise FakeHttpError(400, f"Unable to parse range: {rng}")
        if not cells:
            return sheet_part, 0, None, 0, None
        first, _, last = cells.partition(":")
        m1, m2 = _CELL.fullmatch(first), _CELL.fullmatch(last or first)
        if not m1 or not m2:
            raise FakeHttpError(400, f"Unable to parse range: {rng}")
        c1 = col_index(m1[1]) if m1[1] else 0
        r1 = int(m1[2]) - 1 if m1[2] else 0
        c2 = col_index(m2[1]) if m2[1] else None
        r2 = int(m2[2]) - 1 if m2[2] else None
        return sheet_part, c1, c2, r1, r2

    # --- Routes ------------------------------------------------------------------------

    def _get_spreadsheet(self, req: RecordedRequest, sid: str) -> dict[str, Any]:
        book = self._book(sid)
        return {
            "spreadsheetId": sid,
            "properties": {"title": sid, "locale": "fr_FR", "timeZone": "Europe/Paris"},
            "sheets": [
                {"properties": {"sheetId": i, "title": title, "index": i, "sheetType": "GRID"}}
                for i, title in enumerate(book)
            ],
        }

    def _append(self, req: RecordedRequest, sid: str, rng: str) -> dict[str, Any]:
        book = self._book(sid)
        option = req.param("valueInputOption")
        if option not in ("RAW", "USER_ENTERED"):
            raise FakeHttpError(400, "Invalid valueInputOption: " + str(option))
        sheet, c1, _, _, _ = self._parse_range(book, rng)
        body = req.json or {}
        values = body.get("values") or []
        if body.get("majorDimension", "ROWS") != "ROWS":
            raise FakeHttpError(400, "Only ROWS is supported by the fake")
        for row in values:
            if not isinstance(row, list) or any(
                v is not None and not isinstance(v, str | int | float | bool) for v in row
            ):
                raise FakeHttpError(400, "Invalid values: each row must be a list of scalars")
        grid = book[sheet]
        while grid and not any(v not in (None, "") for v in grid[-1]):
            grid.pop()
        table_end = len(grid)
        result: dict[str, Any] = {"spreadsheetId": sid}
        if table_end:
            width = max(len(r) for r in grid)
            result["tableRange"] = (
                f"{quote(sheet)}!{col_letters(c1)}1:{col_letters(max(c1, width - 1))}{table_end}"
            )
        for row in values:
            grid.append([None] * c1 + list(row))
        width = max((len(r) for r in values), default=0)
        updated = f"{quote(sheet)}!{col_letters(c1)}{table_end + 1}:{col_letters(c1 + max(width, 1) - 1)}{table_end + len(values)}"
        result["updates"] = {
            "spreadsheetId": sid,
            "updatedRange": updated,
            "updatedRows": len(values),
            "updatedColumns": width,
            "updatedCells": sum(len(r) for r in values),
        }
        return result

    def _batch_clear(self, req: RecordedRequest, sid: str) -> dict[str, Any]:
        book = self._book(sid)
        ranges = (req.json or {}).get("ranges") or []
        cleared = []
        for rng in ranges:
            sheet, c1, c2, r1, r2 = self._parse_range(book, rng)
            grid = book[sheet]
            for row in grid[r1 : len(grid) if r2 is None else r2 + 1]:
                for c in range(c1, len(row) if c2 is None else min(c2 + 1, len(row))):
                    row[c] = None
            cleared.append(rng)
        return {"spreadsheetId": sid, "clearedRanges": cleared}

    def _values_get(self, req: RecordedRequest, sid: str, rng: str) -> dict[str, Any]:
        book = self._book(sid)
        sheet, c1, c2, r1, r2 = self._parse_range(book, rng)
        render = req.param("valueRenderOption", "FORMATTED_VALUE")
        rows = book[sheet][r1 : None if r2 is None else r2 + 1]
        out: list[list[Any]] = []
        for row in rows:
            cells = row[c1 : None if c2 is None else c2 + 1]
            cells = [formatted(v) if render == "FORMATTED_VALUE" else ("" if v is None else v) for v in cells]
            while cells and cells[-1] == "":
                cells.pop()
            out.append(cells)
        while out and not out[-1]:
            out.pop()
        last_row = r2 + 1 if r2 is not None else max(len(book[sheet]), 1)
        result: dict[str, Any] = {
            "range": f"{quote(sheet)}!{col_letters(c1)}{r1 + 1}:{col_letters(c2 if c2 is not None else 25)}{last_row}",
            "majorDimension": "ROWS",
        }
        if out:
            result["values"] = out
        return result

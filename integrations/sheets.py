"""Google Sheets adapter: append rows to, read and clear rows of a tab of the movement's spreadsheet."""

from __future__ import annotations

from typing import Any

from integrations.google_api import CredentialsFactory, GoogleService

Cell = str | int | float


def quote_sheet_name(name: str) -> str:
    """A1-notation sheet reference; quoting always is valid and copes with spaces and '!'."""
    return "'" + name.replace("'", "''") + "'"


class SheetsClient:
    def __init__(
        self,
        credentials_factory: CredentialsFactory,
        spreadsheet_id: str,
        api_endpoint: str | None = None,
        retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 32.0,
        timeout: float = 30.0,
    ) -> None:
        self.spreadsheet_id = spreadsheet_id
        self._api = GoogleService(
            "sheets",
            "v4",
            credentials_factory,
            api_endpoint=api_endpoint,
            retries=retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            timeout=timeout,
        )

    async def append_rows(self, sheet_name: str, rows: list[list[Cell]]) -> str:
        """Append rows after the tab's data; returns the updated range (e.g. "'Dons'!A5:C6").

        RAW input: a value typed by someone on Telegram such as "=IMPORTXML(...)" stays text
        instead of becoming a formula. Not idempotent, so 5xx are not retried (see
        GoogleService.call): a duplicate accounting row is worse than an error.
        """
        if not rows:
            return ""
        body = {"values": rows, "majorDimension": "ROWS"}
        result = await self._api.call(
            lambda s: (
                s.spreadsheets()
                .values()
                .append(
                    spreadsheetId=self.spreadsheet_id,
                    range=f"{quote_sheet_name(sheet_name)}!A1",
                    valueInputOption="RAW",
                    insertDataOption="INSERT_ROWS",
                    body=body,
                )
            ),
            idempotent=False,
            what="sheets.values.append",
        )
        return str(result.get("updates", {}).get("updatedRange", ""))

    async def read_rows(self, sheet_name: str, formatted: bool = True) -> list[list[Any]]:
        """All rows of the tab (trailing empty cells are omitted by Google).

        ``formatted=True`` returns strings as displayed; False returns numbers as numbers.
        """
        result = await self._api.call(
            lambda s: (
                s.spreadsheets()
                .values()
                .get(
                    spreadsheetId=self.spreadsheet_id,
                    range=quote_sheet_name(sheet_name),
                    valueRenderOption="FORMATTED_VALUE" if formatted else "UNFORMATTED_VALUE",
                )
            ),
            what="sheets.values.get",
        )
        return [list(row) for row in result.get("values", [])]

    async def clear_rows(self, sheet_name: str, row_numbers: list[int]) -> int:
        """Empty whole rows (1-based numbers) of the tab: the cells go, the rows stay (no shift, so the
        row numbers read just before remain right). Idempotent, so retried. Returns how many."""
        if not row_numbers:
            return 0
        tab = quote_sheet_name(sheet_name)
        body = {"ranges": [f"{tab}!{n}:{n}" for n in sorted(set(row_numbers))]}
        await self._api.call(
            lambda s: s.spreadsheets().values().batchClear(spreadsheetId=self.spreadsheet_id, body=body),
            what="sheets.values.batchClear",
        )
        return len(body["ranges"])

"""The optional Google Sheet of donations (DONATIONS_SHEET_ID): new rows appended by a job."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.services import Services
from capabilities.donations.config import ledger_map
from capabilities.donations.labels import donor_name, ledger_label
from domain.money import format_eur
from storage import donations as q

log = logging.getLogger(__name__)

SHEET_CURSOR = "donations.sheet"
# fmt: off
SHEET_HEADER = ["id", "date", "montant", "montant_centimes", "mode", "caisse", "nature", "statut",
                "numero_registre", "donateur", "ville", "enregistre_le"]
# fmt: on


def sheets_client(services: Services) -> Any:
    """The SheetsClient of the donations sheet: injected in services.extras (tests) or built once."""
    client = services.extras.get("donations_sheets")
    if client is None:
        from integrations.google_auth import CredentialStore
        from integrations.sheets import SheetsClient

        settings = services.settings
        client = SheetsClient(
            CredentialStore(settings.donations_google_token_path), settings.donations_sheet_id
        )
        services.extras["donations_sheets"] = client
    return client


async def push_to_sheet(services: Services) -> int:
    """Append the donations recorded since the last push; the cursor moves only after Google said yes.

    Google's append is not idempotent: a crash between its answer and our commit would append
    those rows again at the next push (rare; a duplicate line in a sheet, never in the ledger).
    """
    settings = services.settings
    if not settings.donations_sheet_id:
        return 0
    async with services.db.session() as s:
        state = await q.kv_get(s, SHEET_CURSOR)
        after = int(state.get("last_id", 0)) if state else 0
        rows = await q.donations_after(s, after)
        ledgers = await ledger_map(s)
    if not rows:
        return 0
    values: list[list[Any]] = [] if state else [SHEET_HEADER]
    for d in rows:
        values.append(
            [
                d.id,
                d.received_on.isoformat(),
                format_eur(d.amount_cents, "fr"),
                d.amount_cents,
                d.method,
                ledger_label("fr", d.ledger, ledgers),
                d.kind,
                d.status,
                d.receipt_number or "",
                donor_name(d.donor),
                d.donor.city if d.donor else "",
                d.created_at.isoformat(timespec="seconds"),
            ]
        )
    await sheets_client(services).append_rows(settings.donations_sheet_tab, values)
    async with services.db.session() as s:
        await q.kv_set(s, SHEET_CURSOR, {"last_id": rows[-1].id})
    return len(rows)


async def push_sheet_due(services: Services, now: datetime) -> int:
    """The job: append new donations to the Google Sheet when DONATIONS_SHEET_ID is set."""
    if not services.settings.donations_sheet_id:
        return 0
    try:
        return await push_to_sheet(services)
    except Exception as exc:  # Google down or the token expired: the next tick tries again
        log.warning("donations sheet push failed: %s", exc)
        return 0

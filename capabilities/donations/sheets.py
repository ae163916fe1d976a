"""The optional Google Sheet of donations (DONATIONS_SHEET_ID): new rows appended by a job, and the
rows of purged donations cleared (the Sheet is a copy the bot wrote: a purge reaches it too)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from capabilities.donations.config import ledger_map
from capabilities.donations.labels import donor_name, ledger_label
from domain.money import format_eur
from storage import donations as q

log = logging.getLogger(__name__)

SHEET_CURSOR = "donations.sheet"
SHEET_PURGE = "donations.sheet_purge"  # ids of donations purged, whose rows the Sheet still has
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


async def forget_in_sheet(session: AsyncSession, donation_ids: list[int]) -> None:
    """In the purge's transaction: these donations' rows are to leave the Sheet (done just after, and
    retried by the job until Google said yes)."""
    if not donation_ids:
        return
    state = await q.kv_get(session, SHEET_PURGE) or {}
    pending = {int(i) for i in state.get("ids", [])} | set(donation_ids)
    await q.kv_set(session, SHEET_PURGE, {"ids": sorted(pending)})


async def clear_purged_rows(services: Services) -> int:
    """Empty the Sheet's rows of purged donations (matched by their id, the first column)."""
    settings = services.settings
    async with services.db.session() as s:
        state = await q.kv_get(s, SHEET_PURGE)
    ids = {str(i) for i in (state or {}).get("ids", [])}
    if not ids:
        return 0
    cleared = 0
    if settings.donations_sheet_id:
        client = sheets_client(services)
        rows = await client.read_rows(settings.donations_sheet_tab, formatted=True)
        numbers = [n for n, row in enumerate(rows, start=1) if row and str(row[0]).strip() in ids]
        cleared = await client.clear_rows(settings.donations_sheet_tab, numbers)
    async with services.transaction() as s:
        now_state = await q.kv_get(s, SHEET_PURGE) or {}
        left = [i for i in now_state.get("ids", []) if str(i) not in ids]  # added meanwhile: next time
        await q.kv_set(s, SHEET_PURGE, {"ids": left})
    return cleared


async def purge_sheet_now(services: Services) -> None:
    """Right after a purge; a failure is logged and the job tries again."""
    try:
        await clear_purged_rows(services)
    except Exception as exc:  # Google down or the token expired
        log.warning("donations sheet purge failed: %s", exc)


async def push_sheet_due(services: Services, now: datetime) -> int:
    """The job: append new donations to the Google Sheet when DONATIONS_SHEET_ID is set, and clear
    the rows of purged ones."""
    if not services.settings.donations_sheet_id:
        return 0
    try:
        await clear_purged_rows(services)
        return await push_to_sheet(services)
    except Exception as exc:  # Google down or the token expired: the next tick tries again
        log.warning("donations sheet push failed: %s", exc)
        return 0

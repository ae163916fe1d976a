"""Recording a payment: the donation, its register number, the membership a cotisation buys, the
audit row and the treasurers' alerts (outbox), in the caller's transaction.

Only accepted gifts ("recorded") get a register number, in sequence per ledger and received
year; a gift refused by the law is stored "à rembourser" without one (rule 15: never issue the
receipt). A replayed request (the same request_key) records nothing more.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.settings import Settings
from capabilities.donations.checking import Entry, findings_json
from capabilities.donations.config import PARTY, ledger_map
from capabilities.donations.labels import alert_text
from capabilities.donations.memberships import add_membership
from domain import law
from domain.statuses import DonationKind, DonationStatus
from domain.text import fold
from storage import donations as q
from storage import events as eq
from storage import outbox
from storage import people as pq
from storage.models import CampaignLedger, Donation, Donor, Person


def snapshot(donation: Donation) -> dict[str, Any]:
    """What the audit log keeps of a donation, before and after a change."""
    return {
        "amount_cents": donation.amount_cents,
        "method": donation.method,
        "provider": donation.provider,
        "provider_tx_id": donation.provider_tx_id,
        "received_on": donation.received_on.isoformat(),
        "ledger": donation.ledger,
        "kind": donation.kind,
        "status": donation.status,
        "receipt_number": donation.receipt_number,
        "donor_id": donation.donor_id,
        "event_id": donation.event_id,
        "reason": donation.reason,
    }


def receipt_number(ledger: str, year: int, n: int, ledgers: Mapping[str, CampaignLedger]) -> str:
    """The register number: "MVT-2026-00001" for the movement, "<CITY>-<hash>-2026-00001" for a
    campaign (40 characters at most)."""
    if ledger == PARTY:
        return f"MVT-{year}-{n:05d}"
    row = ledgers.get(ledger)
    slug = re.sub(r"[^A-Z0-9]+", "", fold(row.city if row else ledger).upper())[:14] or "LISTE"
    digest = hashlib.sha1(ledger.encode()).hexdigest()[:4].upper()
    return f"{slug}-{digest}-{year}-{n:05d}"


async def record(
    session: AsyncSession,
    settings: Settings,
    entry: Entry,
    donor: Donor | None,
    *,
    findings: Sequence[law.Finding],
    request_key: str,
    actor: Person | None,
    status: str = DonationStatus.RECORDED,
    reason: str = "",
    alert: bool = True,
    source: str = "bot",
    ledgers: Mapping[str, CampaignLedger] | None = None,
    key_checked: bool = False,
) -> tuple[Donation, bool]:
    """Store one payment once (request_key), with its register number, membership, audit and alerts.

    Returns (donation, created); a key already used returns the stored donation and does nothing.
    """
    if status == DonationStatus.RECORDED and law.has_block(findings):
        raise ValueError("a gift the law blocks can only be stored 'to_refund'")
    existing = None if key_checked else await q.donation_by_request_key(session, request_key)
    if existing is not None:
        return existing, False
    ledgers = ledgers if ledgers is not None else await ledger_map(session)
    number = None
    # A collection (no donor) gets no receipt number: there is no one to give a receipt to.
    if status == DonationStatus.RECORDED and entry.kind != DonationKind.QUETE:
        n = await q.next_receipt_number(session, entry.ledger, entry.received_on.year)
        number = receipt_number(entry.ledger, entry.received_on.year, n, ledgers)
    donation = await q.add_donation(
        session,
        donor,
        amount_cents=entry.amount_cents,
        method=entry.method,
        provider=entry.provider,
        provider_tx_id=entry.provider_tx_id,
        received_on=entry.received_on,
        ledger=entry.ledger,
        kind=entry.kind,
        status=status,
        findings=findings_json(findings),
        receipt_number=number,
        event_id=entry.event_id,
        reason=reason,
        request_key=request_key,
        created_by=actor.id if actor else None,
    )
    if donation.event_id is not None:
        # A fundraiser's group post shows its total: edited at the next refresh (capabilities.events.agenda).
        await eq.mark_dirty(session, donation.event_id)
    membership = None
    kind = entry.effective_membership_kind(settings)
    if status == DonationStatus.RECORDED and kind and donor is not None:
        membership = await add_membership(session, settings, donation, donor, kind)
    await pq.audit(
        session,
        actor,
        "donation.recorded",
        f"donation:{donation.id}",
        after=snapshot(donation),
        source=source,
        membership_id=membership.id if membership else None,
    )
    if alert:
        await alert_treasurers(session, donation, findings, actor, ledgers)
    return donation, True


async def alert_treasurers(
    session: AsyncSession,
    donation: Donation,
    findings: Sequence[law.Finding],
    actor: Person | None,
    ledgers: Mapping[str, CampaignLedger],
) -> int:
    """Tell every treasurer but `actor` (who recorded it) of a new payment; how many were queued."""
    sent = 0
    for person in await q.treasurers(session):
        if actor is not None and person.id == actor.id:
            continue  # the treasurer who typed the gift knows it: the others are told
        text = alert_text(person.language, donation, findings, actor, ledgers)
        sent += await outbox.enqueue(
            session,
            person.telegram_id,
            text_message(text[:4000]),
            dedupe_key=f"don:alert:{donation.id}:{person.id}",
            person_id=person.id,
        )
    return sent

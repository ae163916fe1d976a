"""/dons: recent payments, one payment's card, and corrections (treasurers only; nothing is deleted).

A correction changes one field (amount, date, method) or the status (cancel, refunded), with a
reason, audited before/after. A change that would make an accepted gift illegal is refused; a
cancelled gift keeps its register number so the sequence shows the gap, and voids the membership
its cotisation bought.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.donations.checking import check, entry_of, findings_from_json, findings_json, law_donor
from capabilities.donations.config import ledger_map
from capabilities.donations.donors import search_donors
from capabilities.donations.labels import day_words, donation_line, donor_card, finding_lines
from capabilities.donations.memberships import void_memberships
from capabilities.donations.recording import snapshot
from domain import law
from domain.dates import parse_past_day
from domain.money import parse_amount
from domain.statuses import DonationStatus, PaymentMethod
from domain.text import TextError
from storage import donations as q
from storage import events as eq
from storage import people as pq
from storage.models import Donation, Person

LIST_LIMIT = 15
EditField = Literal["amount", "date", "method", "cancel", "refunded"]
STATUS_CHANGES = ("cancel", "refunded")
EDITABLE = (DonationStatus.RECORDED, DonationStatus.TO_REFUND)
Draft = dict[str, Any]


async def recent(services: Services, query: str = "") -> list[Donation]:
    """The latest payments, or the latest of the donors matching `query` (treasurers' search)."""
    async with services.db.session() as s:
        donor_ids = None
        if query:
            donor_ids = [d.id for d in search_donors(await q.all_donors(s), query, exact=False)]
        return await q.recent_donations(s, LIST_LIMIT, donor_ids)


async def recent_page(services: Services, query: str = "") -> tuple[list[Donation], int]:
    """`recent`, and how many payments match in all: the list says how many it leaves out."""
    async with services.db.session() as s:
        donor_ids = None
        if query:
            donor_ids = [d.id for d in search_donors(await q.all_donors(s), query, exact=False)]
        return await q.recent_donations(s, LIST_LIMIT, donor_ids), await q.count_donations(s, donor_ids)


@dataclass
class Card:
    donation: Donation
    lines: list[str]

    @property
    def editable(self) -> bool:
        return self.donation.status in EDITABLE

    @property
    def refundable(self) -> bool:
        return self.donation.status == DonationStatus.TO_REFUND


async def card(services: Services, donation_id: int, lang: str, today: date) -> Card | None:
    """One payment in full (treasurers): donor, the law's remarks, reason, size of the audit trail."""
    async with services.db.session() as s:
        d = await q.donation_by_id(s, donation_id)
        if d is None:
            return None
        ledgers = await ledger_map(s)
        trail = await q.audit_trail(s, d.id)
    lines = [donation_line(lang, d, ledgers, full=True, today=today)]
    if d.donor is not None:
        lines.append(donor_card(d.donor, lang))
    lines += finding_lines(findings_from_json(d.findings), lang)
    if d.reason:
        lines.append(t(lang, "money.reason_line", reason=d.reason))
    lines.append(t(lang, "dons.trail", count=len(trail)))
    return Card(d, lines)


# --- The correction form ------------------------------------------------------------------------------


def edit_draft(donation_id: int, field_name: EditField) -> Draft:
    return {"id": donation_id, "field": field_name}


def edit_step(d: Draft) -> str:
    """The next question: "value" (the new amount, date or method), then "reason"."""
    return "reason" if d["field"] in STATUS_CHANGES or "value" in d else "value"


def choose_method(d: Draft, index: int) -> bool:
    """The method button pressed; False when this draft does not expect one."""
    if d["field"] != "method" or edit_step(d) != "value" or index >= len(law.METHODS):
        return False
    d["value"] = law.METHODS[index]
    return True


def read_value(d: Draft, text: str, lang: str, today: date) -> TextError | None:
    """The new amount or date, typed; the error to show."""
    value: Any
    if d["field"] == "amount":
        value = parse_amount(text)
        if value is None:
            return TextError("don.amount_invalid")
    elif d["field"] == "date":
        value = parse_past_day(text, today)
        if value is None:
            return TextError("don.date_invalid")
        if value > today:
            return TextError("don.date_future", (("day", day_words(value, lang, today)),))
    else:
        return TextError("don.use_buttons")
    d["value"] = value
    return None


@dataclass
class Correction:
    ok: bool
    donation: Donation | None = None
    findings: list[law.Finding] = field(default_factory=list)
    error: str = ""  # a text key when not ok


async def apply_edit(
    services: Services, d: Draft, reason: str, actor: Person | None, today: date
) -> Correction:
    """The correction of a complete edit draft, in one transaction."""
    value = d.get("value")
    async with services.transaction() as s:
        if d["field"] == "method":
            current = await q.donation_by_id(s, d["id"])
            value = (value, current.provider if current and value == PaymentMethod.PLATEFORME else "")
        return await correct(
            s,
            services.settings,
            d["id"],
            field_name=d["field"],
            value=value,
            reason=reason,
            actor=actor,
            today=today,
        )


async def correct(
    session: AsyncSession,
    settings: Settings,
    donation_id: int,
    *,
    field_name: str,
    value: Any,
    reason: str,
    actor: Person | None,
    today: date,
) -> Correction:
    """Change one field (amount, date, method) or the status (cancel, refunded), audited with
    before/after. A change that would make an accepted gift illegal is refused."""
    donation = await q.donation_by_id(session, donation_id, lock=True)
    if donation is None:
        return Correction(False, error="dons.gone")
    before = snapshot(donation)
    findings: list[law.Finding] = findings_from_json(donation.findings)
    if field_name in STATUS_CHANGES:
        allowed = EDITABLE if field_name == "cancel" else (DonationStatus.TO_REFUND,)
        if donation.status not in allowed:
            return Correction(False, donation, error="dons.bad_status")
        donation.status = DonationStatus.CANCELLED if field_name == "cancel" else DonationStatus.REFUNDED
        if donation.status == DonationStatus.CANCELLED:
            await void_memberships(session, donation.id)
    else:
        if donation.status in (DonationStatus.CANCELLED, DonationStatus.REFUNDED):
            return Correction(False, donation, error="dons.bad_status")
        entry = entry_of(donation)
        if field_name == "amount":
            entry.amount_cents = int(value)
        elif field_name == "date":
            entry.received_on = value
        elif field_name == "method":
            entry.method, entry.provider = value
        else:
            raise ValueError(field_name)
        donor = donation.donor
        findings = await check(
            session,
            settings,
            entry,
            law_donor(donor) if donor else None,
            donation.donor_id,
            today,
            exclude_id=donation.id,
            ledgers=await ledger_map(session),
        )
        if donation.status == DonationStatus.RECORDED and law.has_block(findings):
            return Correction(False, donation, findings, error="dons.edit_blocked")
        donation.amount_cents, donation.received_on = entry.amount_cents, entry.received_on
        donation.method, donation.provider = entry.method, entry.provider
        donation.findings = findings_json(findings)
        for m in await q.memberships_for_donation(session, donation.id):
            m.fee_cents = donation.amount_cents
    donation.reason = reason
    donation.updated_at = datetime.now(UTC)
    await session.flush()
    if donation.event_id is not None:  # the fundraiser's group post shows the new total
        await eq.mark_dirty(session, donation.event_id)
    action = "corrected" if field_name not in STATUS_CHANGES else field_name
    await pq.audit(
        session,
        actor,
        f"donation.{action}",
        f"donation:{donation.id}",
        before=before,
        after=snapshot(donation),
        reason=reason,
    )
    return Correction(True, donation, findings)

"""/dons and /adherents as paged lists, and what the treasurer does from them (issue 18).

/dons: the payments, newest first, or only those the law made a remark on (« avec remarques »);
from a payment with « déclaration sur l'honneur non enregistrée » the treasurer records that the
declaration was collected (the donor's record, audited, and the remark taken off that donor's
payments). /adherents: the members to renew (ending within 30 days) or lapsed, a page at a time,
each with a « Renouveler » button that opens the /don form on their cotisation (the renewal is
recorded as any cotisation is: capabilities.donations.form, then memberships.add_membership).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from bot import paging
from bot.services import Services
from capabilities.donations.checking import findings_from_json
from capabilities.donations.config import ELU_MEMBERSHIP, PARTY, default_membership_kind, fees
from capabilities.donations.donors import search_donors
from capabilities.donations.form import new_draft
from capabilities.donations.memberships import EXPIRING, latest_memberships
from domain import law
from domain.statuses import DonationKind, DonationStatus
from storage import donations as q
from storage import people as pq
from storage.models import Donation, Donor, Membership, Person

DONS_PAGE = 10
MEMBERS_PAGE = 15
SWORN = "sworn_declaration_missing"
# Payments whose remarks still call for the treasurer: a cancelled or refunded one does not.
OPEN_STATUSES = (DonationStatus.RECORDED, DonationStatus.TO_REFUND)


def remarks(findings: list[Any]) -> list[law.Finding]:
    """The law's remarks stored on a payment (warnings and blocks)."""
    return [f for f in findings_from_json(findings) if f.level in ("warn", "block")]


@dataclass(frozen=True)
class DonsPage:
    donations: list[Donation]
    window: paging.Window
    only: str  # all | warn
    query: str  # the search carried by the page buttons ("_": none)
    with_remarks: int  # payments with remarks to act on, in the same search
    remarks: dict[int, list[law.Finding]] = field(default_factory=dict)  # per payment shown


async def dons_page(services: Services, only: str, page: int, query: str = "_") -> DonsPage:
    """One page of the payments (newest first), all or only those with remarks to act on."""
    async with services.db.session() as s:
        donor_ids = None
        if query != "_":
            donor_ids = [d.id for d in search_donors(await q.all_donors(s), query, exact=False)]
        rows = await q.donation_remarks(s, donor_ids)
        flagged = [i for i, status, found in rows if status in OPEN_STATUSES and remarks(found)]
        ids = flagged if only == "warn" else [i for i, _, _ in rows]
        win = paging.window(len(ids), page, DONS_PAGE)
        shown = await q.donations_by_ids(s, win.slice(ids))
    return DonsPage(shown, win, only, query, len(flagged), {d.id: remarks(d.findings) for d in shown})


class Recorded(StrEnum):
    """What recording a sworn declaration did (the `dons.sworn_<value>` text says it)."""

    DONE = "done"
    ALREADY = "already"  # the donor's declaration was already recorded
    NONE = "none"  # no such payment, or a payment without a donor


@dataclass(frozen=True)
class Declaration:
    outcome: Recorded
    donor: Donor | None = None
    cleared: int = 0  # payments whose remark was taken off


async def record_declaration(
    services: Services, donation_id: int, actor: Person | None, now: datetime | None = None
) -> Declaration:
    """The treasurer collected the donor's sworn declaration (docs/legal-rules.md: « recueillez-la
    et notez sa date »): its date on the donor's record, the remark taken off that donor's payments,
    one audit row. Pressing twice records nothing more."""
    now = now or datetime.now(UTC)
    async with services.transaction() as s:
        donation = await q.donation_by_id(s, donation_id, lock=True)
        donor = await q.donor_by_id(s, donation.donor_id) if donation and donation.donor_id else None
        if donation is None or donor is None:
            return Declaration(Recorded.NONE)
        if donor.sworn_declaration_at is not None:
            return Declaration(Recorded.ALREADY, donor)
        donor.sworn_declaration_at = now
        cleared = []
        for paid in await q.donations_of_donor(s, donor.id, lock=True):
            kept = [f for f in paid.findings or [] if not (isinstance(f, dict) and f.get("code") == SWORN)]
            if len(kept) != len(paid.findings or []):
                paid.findings = kept
                cleared.append(paid.id)
        await pq.audit(
            s,
            actor,
            "donor.sworn_declaration",
            f"donor:{donor.id}",
            before={"sworn_declaration_at": None},
            after={"sworn_declaration_at": now.isoformat()},
            from_donation=donation.id,
            cleared=cleared,
        )
    return Declaration(Recorded.DONE, donor, len(cleared))


# --- /adherents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembersPage:
    memberships: list[Membership]  # the page's members (each donor's latest membership)
    window: paging.Window
    group: str  # due (ends within 30 days) | lapsed (ended)
    active: int
    due: int
    lapsed: int
    names: dict[int, str] = field(default_factory=dict)  # donor id → name (treasurers only)


async def members_page(
    services: Services, today: date, group: str, page: int, *, names: bool, lang: str
) -> MembersPage:
    """One page of the members to renew (soonest end first) or lapsed (latest end first), with the
    counts of each group; the names only for treasurers (`names`)."""
    from capabilities.donations.labels import donor_name

    async with services.db.session() as s:
        latest = latest_memberships(await q.all_memberships(s))
        due = sorted(
            (m for m in latest if today <= m.period_end <= today + EXPIRING), key=lambda m: m.period_end
        )
        lapsed = sorted((m for m in latest if m.period_end < today), key=lambda m: m.period_end, reverse=True)
        active = len(latest) - len(due) - len(lapsed)
        chosen = lapsed if group == "lapsed" else due
        win = paging.window(len(chosen), page, MEMBERS_PAGE)
        shown = win.slice(chosen)
        donors = await q.donor_names(s, [m.donor_id for m in shown]) if names else {}
    return MembersPage(
        shown,
        win,
        "lapsed" if group == "lapsed" else "due",
        active,
        len(due),
        len(lapsed),
        {i: donor_name(d, lang) for i, d in donors.items()},
    )


async def renewal_draft(services: Services, donor_id: int, *, lang: str) -> dict[str, Any] | None:
    """The /don draft of a member's renewal: the donor, a cotisation to the movement, the kind and
    fee of their last membership; the form asks the rest (method, date) and checks the law as for
    any cotisation. None when the donor has no membership (a forged or stale button)."""
    async with services.db.session() as s:
        donor = await q.donor_by_id(s, donor_id)
        kept = latest_memberships(await q.memberships_of(s, donor_id)) if donor else []
    if donor is None or not kept:
        return None
    draft = await new_draft(services, treasurer=True, lang=lang)
    draft["renewal"] = True
    if kept[0].kind == ELU_MEMBERSHIP:  # an élu's cotisation: its own kind, outside the cap
        draft.update(
            donor_id=donor.id, ledger=PARTY, kind=DonationKind.COTISATION_ELU, amount=kept[0].fee_cents
        )
        return draft
    kind = kept[0].kind if kept[0].kind in draft["mkinds"] else default_membership_kind(services.settings)
    draft.update(donor_id=donor.id, ledger=PARTY, kind=DonationKind.COTISATION)
    if kind in draft["mkinds"]:
        draft["mkind"] = kind
        draft["amount"] = fees(services.settings).get(kind) or kept[0].fee_cents
    else:
        draft["amount"] = kept[0].fee_cents
    return draft


async def donor_label(services: Services, donor_id: int, lang: str) -> str:
    from capabilities.donations.labels import donor_name

    async with services.db.session() as s:
        return donor_name(await q.donor_by_id(s, donor_id), lang)

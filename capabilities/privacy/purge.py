"""Financial records past their legal retention (rule 42): never deleted by a job. Treasurers are told,
and /purge deletes on their confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from capabilities.donations.sheets import forget_in_sheet, purge_sheet_now
from capabilities.expenses import receipts as expense_receipts
from capabilities.privacy.register import tell
from domain.dates import PARIS
from domain.money import format_eur
from storage import expenses as expenses_q
from storage import people as people_q
from storage import privacy as q
from storage import retention as retention_q
from storage.models import Donation, Donor, Expense, Membership, Person

PURGE_LINES = 20  # donations listed in the preview; the rest is counted


def purge_cutoff(today: date, years: int) -> date:
    """Records dated on or before this day are past `years` years + 1 day (rule 42)."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - timedelta(days=1)


@dataclass
class PurgePreview:
    cutoff: date
    donations: list[Donation]
    memberships: list[Membership]
    donors: list[Donor]
    expenses: list[Expense] = field(default_factory=list)  # expense claims and their receipts

    @property
    def empty(self) -> bool:
        return not (self.donations or self.memberships or self.donors or self.expenses)


async def purge_preview(
    session: AsyncSession, settings: Settings, today: date, cutoff: date | None = None
) -> PurgePreview:
    limit = purge_cutoff(today, settings.financial_retention_years)
    cutoff = min(cutoff, limit) if cutoff is not None else limit
    created_before = datetime.combine(cutoff + timedelta(days=1), datetime.min.time(), PARIS)
    return PurgePreview(
        cutoff,
        await retention_q.purgeable_donations(session, cutoff),
        await retention_q.purgeable_memberships(session, cutoff),
        await retention_q.purgeable_donors(session, cutoff, created_before),
        await expenses_q.purgeable(session, cutoff),
    )


async def purge(
    session: AsyncSession, settings: Settings, today: date, cutoff: date, actor: Person | None
) -> tuple[int, int, int]:
    """Delete what the treasurer saw (never newer than the legal limit of today)."""
    preview = await purge_preview(session, settings, today, cutoff)
    counts = await retention_q.purge_financial(
        session,
        [d.id for d in preview.donations],
        [m.id for m in preview.memberships],
        [d.id for d in preview.donors],
    )
    expenses = await expense_receipts.purge_claims(session, preview.cutoff)
    await people_q.audit(
        session,
        actor,
        "privacy.purged",
        f"cutoff:{preview.cutoff.isoformat()}",
        donations=counts[0],
        memberships=counts[1],
        donors=counts[2],
        donation_ids=[d.id for d in preview.donations],
        expenses=expenses,
    )
    # The Google Sheet holds a copy of each donation (donor's name, amount): it goes too.
    await forget_in_sheet(session, [d.id for d in preview.donations])
    return counts


async def notify_purge(session: AsyncSession, settings: Settings, today: date) -> int:
    """Treasurers hear of records past their retention, once a month at most; nothing is deleted here."""
    preview = await purge_preview(session, settings, today)
    if preview.empty:
        return 0
    queued = 0
    for person in await q.treasurers(session):
        lang = person.language
        text = t(
            lang,
            "pv.purge_notice",
            donations=len(preview.donations),
            memberships=len(preview.memberships),
            donors=len(preview.donors),
            expenses=len(preview.expenses),
            years=settings.financial_retention_years,
        )
        queued += await tell(session, person, text_message(text), f"privacy:purge:{today:%Y-%m}")
    return queued


def donor_name(donor: Donor | None) -> str:
    if donor is None:
        return "—"
    names = " ".join(p for p in (donor.first_name, donor.last_name) if p)
    return donor.organisation or names or f"n°\u00a0{donor.id}"


# --- /purge -------------------------------------------------------------------------------------------


def today_of(svc: Services) -> date:
    return datetime.now(svc.settings.tz).date()


async def preview(svc: Services) -> PurgePreview:
    """What /purge would delete today."""
    async with svc.db.session() as s:
        return await purge_preview(s, svc.settings, today_of(svc))


def preview_text(lang: str, found: PurgePreview, years: int) -> str:
    lines = [
        t(
            lang,
            "pv.purge_line",
            id=d.id,
            amount=format_eur(d.amount_cents, lang),
            day=d.received_on.strftime("%d/%m/%Y"),
            receipt=d.receipt_number or "—",
            name=donor_name(d.donor),
        )
        for d in found.donations[:PURGE_LINES]
    ]
    if len(found.donations) > PURGE_LINES:
        lines.append(t(lang, "pv.purge_more", count=len(found.donations) - PURGE_LINES))
    if found.expenses:
        lines.append(t(lang, "exp.purge_count", count=len(found.expenses)))
    return t(
        lang,
        "pv.purge_preview",
        years=years,
        cutoff=found.cutoff.strftime("%d/%m/%Y"),
        donations=len(found.donations),
        memberships=len(found.memberships),
        donors=len(found.donors),
        lines=Html("\n".join(lines)),
    )


async def confirm(svc: Services, cutoff: date, actor: Person | None) -> tuple[int, int, int]:
    """The treasurer confirmed: delete up to `cutoff` (never newer than today's legal limit)."""
    async with svc.transaction() as s:
        counts = await purge(s, svc.settings, today_of(svc), cutoff, actor)
    await expense_receipts.remove_orphans(svc)  # the purged claims' receipt files, once committed
    await purge_sheet_now(svc)
    return counts

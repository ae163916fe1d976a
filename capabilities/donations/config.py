"""Settings → the law's numbers, the ledgers, and the treasurer's calendar day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from domain import law
from domain.money import cents_of
from storage import donations as q
from storage import people as pq
from storage.models import CampaignLedger

PARTY = law.PARTY_LEDGER_ID
# The membership an élu's cotisation buys (stored in membership.kind).
ELU_MEMBERSHIP = "élu"


def fees(settings: Settings) -> dict[str, int]:
    """Yearly fee per membership kind, in cents (settings MEMBERSHIP_FEES)."""
    return {kind: cents_of(amount) for kind, amount in settings.membership_fees.items()}


def default_membership_kind(settings: Settings) -> str:
    return next(iter(settings.membership_fees), "standard")


def law_config(settings: Settings, membership_kind: str | None = None) -> law.LawConfig:
    return law.LawConfig(
        party_cap_cents=cents_of(settings.law_party_cap_eur),
        party_warn_cents=cents_of(settings.law_party_warn_eur),
        cash_max_cents=cents_of(settings.law_cash_max_eur),
        campaign_cap_cents=cents_of(settings.law_campaign_cap_eur),
        campaign_cash_share=settings.law_campaign_cash_share,
        campaign_cash_ceiling_threshold_cents=cents_of(settings.law_campaign_cash_ceiling_threshold_eur),
        campaign_cash_warn_share=settings.law_campaign_cash_warn_share,
        commune_threshold=settings.law_commune_threshold,
        cash_split_days=settings.law_cash_split_days,
        is_party_1988=settings.law_is_party_1988,
        tax_reduction_suspended_until=settings.law_tax_reduction_suspended_until,
        # The statutory fee is the one of the membership kind paid for (rule 30).
        statutory_fee_cents=fees(settings).get(membership_kind) if membership_kind else None,
        require_sworn_declaration=settings.law_require_sworn_declaration,
    )


def today_in(settings: Settings, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(settings.tz).date()


async def campaign_ledgers(session: AsyncSession) -> list[CampaignLedger]:
    return await q.campaign_ledgers(session)


async def ledger_map(session: AsyncSession) -> dict[str, CampaignLedger]:
    return {row.id: row for row in await q.campaign_ledgers(session)}


def new_ledger(
    *,
    city: str,
    election: str,
    population: int | None,
    mandataire: bool,
    ceiling_cents: int | None,
    window_start: date | None,
    window_end: date | None,
    filed_on: date | None,
    bank_account: str,
) -> CampaignLedger:
    """A city list's campaign account for one election (the CLI saves it)."""
    return CampaignLedger(
        id=law.campaign_ledger_id(city, election),
        city=city,
        election_id=election,
        population=population,
        mandataire_declared=mandataire,
        official_ceiling_cents=ceiling_cents,
        window_start=window_start,
        window_end=window_end,
        account_filed_on=filed_on,
        bank_account=bank_account,
    )


async def save_ledger(
    session: AsyncSession, *, city: str, election: str, changes: Mapping[str, Any]
) -> CampaignLedger:
    """Create or change the campaign ledger of `city` for `election` (CLI): only the fields in
    `changes` (names of the model) change; audited."""
    row = await q.campaign_ledger(session, law.campaign_ledger_id(city, election)) or new_ledger(
        city=city,
        election=election,
        population=None,
        mandataire=False,
        ceiling_cents=None,
        window_start=None,
        window_end=None,
        filed_on=None,
        bank_account="",
    )
    for name, value in changes.items():
        setattr(row, name, value)
    saved = await q.save_campaign_ledger(session, row)
    await pq.audit(
        session,
        None,
        "ledger.saved",
        f"ledger:{saved.id}",
        population=saved.population,
        mandataire=saved.mandataire_declared,
    )
    return saved

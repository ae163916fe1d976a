"""The expense ceiling of a city list (docs/legal-rules.md, rule 23): approved and paid claims of its
campaign ledger against the official ceiling of the préfecture's order, checked at approval."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.expenses import PARTY_LEDGER, CeilingCheck, ceiling_check
from storage import donations as dq
from storage import expenses as q


async def check(
    session: AsyncSession, ledger: str, claim_cents: int, expense_id: int | None
) -> CeilingCheck | None:
    """None for the party's account (no ceiling); else the check with this claim counted once."""
    if ledger == PARTY_LEDGER:
        return None
    row = await dq.campaign_ledger(session, ledger)
    spent = await q.spent_on_ledger(session, ledger, exclude_id=expense_id)
    return ceiling_check(spent, claim_cents, row.official_ceiling_cents if row else None)

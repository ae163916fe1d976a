"""Queries of expense claims (/frais). `totals` is read by /bilan too: keep its signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.expenses import SPENT
from domain.statuses import ExpenseStatus
from storage.models import AuditLog, Event, Expense, Outbox, Person


@dataclass
class ExpenseTotals:
    """Cents per status for one ledger or all; `by_category` and `by_ledger` count approved + paid."""

    submitted: int = 0  # waiting for a treasurer (question asked included)
    approved: int = 0  # approved, not paid yet
    paid: int = 0
    refused: int = 0
    count: int = 0  # every claim, whatever its status
    by_category: dict[str, int] = field(default_factory=dict)
    by_ledger: dict[str, int] = field(default_factory=dict)

    @property
    def spent(self) -> int:
        """Approved + paid: the money the account owes or has paid (the ceiling counts this)."""
        return self.approved + self.paid


async def totals(session: AsyncSession, ledger: str | None = None) -> ExpenseTotals:
    """Sums of the claims of one ledger ("party" or a campaign ledger id), or of all ledgers."""
    stmt = select(
        Expense.status, Expense.category, Expense.ledger, func.sum(Expense.amount_cents), func.count()
    )
    if ledger is not None:
        stmt = stmt.where(Expense.ledger == ledger)
    stmt = stmt.group_by(Expense.status, Expense.category, Expense.ledger)
    out = ExpenseTotals()
    for status, category, ledger_id, cents, count in await session.execute(stmt):
        cents = int(cents or 0)
        out.count += int(count)
        if status in (ExpenseStatus.SUBMITTED, ExpenseStatus.QUESTION):
            out.submitted += cents
        elif status == ExpenseStatus.APPROVED:
            out.approved += cents
        elif status == ExpenseStatus.PAID:
            out.paid += cents
        elif status == ExpenseStatus.REFUSED:
            out.refused += cents
        if status in SPENT:
            out.by_category[category] = out.by_category.get(category, 0) + cents
            out.by_ledger[ledger_id] = out.by_ledger.get(ledger_id, 0) + cents
    return out


async def spent_on_ledger(session: AsyncSession, ledger: str, exclude_id: int | None = None) -> int:
    """Approved + paid claims of one ledger, in cents (the rule 23 ceiling check of docs/legal-rules.md)."""
    stmt = select(func.coalesce(func.sum(Expense.amount_cents), 0)).where(
        Expense.ledger == ledger, Expense.status.in_(SPENT)
    )
    if exclude_id is not None:
        stmt = stmt.where(Expense.id != exclude_id)
    return int(await session.scalar(stmt) or 0)


async def add(session: AsyncSession, **fields: object) -> Expense:
    expense = Expense(**fields)
    session.add(expense)
    await session.flush()
    return expense


async def by_id(session: AsyncSession, expense_id: int, lock: bool = False) -> Expense | None:
    stmt = select(Expense).where(Expense.id == expense_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def by_request_key(session: AsyncSession, key: str) -> Expense | None:
    return await session.scalar(select(Expense).where(Expense.request_key == key))


async def for_export(
    session: AsyncSession, start: date, end: date, statuses: Sequence[str] | None = None
) -> list[Expense]:
    """Claims spent between `start` and `end` (both included), oldest first."""
    stmt = select(Expense).where(Expense.spent_on >= start, Expense.spent_on <= end)
    if statuses is not None:
        stmt = stmt.where(Expense.status.in_(statuses))
    return list(await session.scalars(stmt.order_by(Expense.spent_on, Expense.id)))


async def recent_events(
    session: AsyncSession, since: datetime, until: datetime, limit: int = 6
) -> list[Event]:
    """Events that started in the window, newest first: what a claim may belong to."""
    stmt = (
        select(Event)
        .where(Event.starts_at >= since, Event.starts_at <= until)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(stmt))


async def event_titles(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Event.id, Event.title).where(Event.id.in_(ids)))
    return {i: title for i, title in rows}


async def person(session: AsyncSession, person_id: int | None) -> Person | None:
    return await session.get(Person, person_id) if person_id is not None else None


# --- Retention (rule 42) --------------------------------------------------------------------------------


async def purgeable(session: AsyncSession, cutoff: date) -> list[Expense]:
    return list(await session.scalars(select(Expense).where(Expense.spent_on <= cutoff).order_by(Expense.id)))


async def delete_expenses(session: AsyncSession, ids: Sequence[int]) -> None:
    """Delete the claims; the audit details about them go too (as a purged donation's do)."""
    if not ids:
        return
    await session.execute(delete(Expense).where(Expense.id.in_(ids)))
    subjects = [f"expense:{i}" for i in ids]
    for start in range(0, len(subjects), 500):
        await session.execute(
            update(AuditLog)
            .where(AuditLog.subject.in_(subjects[start : start + 500]))
            .values(details={"purged": True})
        )


async def receipt_files(session: AsyncSession) -> set[str]:
    """Every receipt file name still referenced: the others in receipts_dir are leftovers."""
    return {name for name in await session.scalars(select(Expense.receipt_file)) if name}


async def cards(session: AsyncSession, expense_id: int) -> list[Outbox]:
    """The treasurers' cards of one claim, as queued (dedupe key "expense:<id>:<stage>:…")."""
    stmt = select(Outbox).where(Outbox.dedupe_key.startswith(f"expense:{expense_id}:", autoescape=True))
    return list(await session.scalars(stmt.order_by(Outbox.id)))

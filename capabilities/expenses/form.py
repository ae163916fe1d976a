"""/frais: the choices the form offers, its summary, and the claim stored on Confirmer only."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.services import Services
from bot.texts import t
from capabilities.donations.labels import ledger_label
from capabilities.expenses import receipts, review
from domain.dates import format_day
from domain.expenses import PARTY_LEDGER
from domain.money import format_eur
from domain.statuses import ExpenseStatus
from storage import donations as dq
from storage import expenses as q
from storage import people as pq
from storage.models import Expense, Person

EVENT_DAYS = 60  # the events a claim may belong to: those of the last two months


@dataclass
class Choices:
    ledgers: list[tuple[str, str]]  # (ledger id, label)
    events: list[tuple[int, str]]  # (event id, title)


async def ledgers(svc: Services, lang: str) -> list[tuple[str, str]]:
    """The party's account first, then each city list's campaign account."""
    async with svc.db.session() as s:
        rows = await dq.campaign_ledgers(s)
    by_id = {r.id: r for r in rows}
    return [(PARTY_LEDGER, ledger_label(lang, PARTY_LEDGER, by_id))] + [
        (r.id, ledger_label(lang, r.id, by_id)) for r in rows
    ]


async def recent_events(svc: Services, now: datetime) -> list[tuple[int, str]]:
    async with svc.db.session() as s:
        events = await q.recent_events(s, now - timedelta(days=EVENT_DAYS), now + timedelta(days=1))
    return [(e.id, e.title) for e in events]


def summary_text(lang: str, d: dict[str, Any]) -> str:
    return t(
        lang,
        "exp.summary",
        amount=format_eur(d["amount"], lang),
        purpose=d["purpose"],
        day=format_day(date.fromisoformat(d["date"]), lang),
        ledger=d["ledger_label"],
        event=d.get("event_title") or t(lang, "exp.no_event"),
        category=t(lang, f"exp.cat.{d['category']}"),
        receipt=t(lang, f"exp.receipt.{d['receipt']['kind']}"),
    )


async def submit(
    svc: Services, person: Person, d: dict[str, Any], data: bytes, key: str
) -> tuple[Expense, bool]:
    """Store the claim and its receipt, and queue the treasurers' cards, in one transaction.
    A replayed confirmation (same `key`) stores nothing more: (the claim, False)."""
    async with svc.db.session() as s:
        known = await q.by_request_key(s, key)
    if known is not None:
        return known, False
    name = receipts.write(svc, data, d["receipt"]["kind"])
    try:
        async with svc.transaction() as s:
            expense = await q.add(
                s,
                person_id=person.id,
                claimant=person.first_name,
                amount_cents=d["amount"],
                purpose=d["purpose"],
                spent_on=date.fromisoformat(d["date"]),
                ledger=d["ledger"],
                event_id=d.get("event"),
                category=d["category"],
                receipt_file=name,
                receipt_kind=d["receipt"]["kind"],
                receipt_file_id=d["receipt"]["file_id"],
                status=ExpenseStatus.SUBMITTED,
                request_key=key,
            )
            await pq.audit(
                s, person, "expense.submitted", f"expense:{expense.id}", amount=expense.amount_cents
            )
            await review.send_cards(s, svc, expense, "new")
    except Exception:
        with contextlib.suppress(OSError):
            receipts.remove(svc, name)  # nothing refers to it: the claim was not stored
        raise
    return expense, True

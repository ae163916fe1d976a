"""The treasurers' review of a claim: a card with the receipt (Approuver, Refuser, Demander une
précision, then Payé), the member told at each step through the outbox. Only treasurers act, and the
claim's status is re-read under lock at every press: a stale or replayed button changes nothing.
Approval of a city list's claim runs the ceiling check (docs/legal-rules.md, rule 23)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import FrDecide, FrReply
from bot.messages import keyboard, text_message
from bot.services import Services
from bot.texts import t
from capabilities.donations.labels import ledger_label
from capabilities.expenses import ceiling
from domain.dates import format_day
from domain.expenses import OPEN, CeilingCheck
from domain.money import format_eur
from domain.statuses import ExpenseStatus
from storage import donations as dq
from storage import expenses as q
from storage import outbox
from storage import people as pq
from storage.models import Expense, Person

Stage = Literal["new", "reply"]


@dataclass
class Outcome:
    code: str  # a text key for the treasurer or the member
    expense: Expense | None = None
    check: CeilingCheck | None = None

    @property
    def done(self) -> bool:
        return self.code.endswith("_done")


async def card_text(session: AsyncSession, lang: str, e: Expense) -> str:
    ledgers = {r.id: r for r in await dq.campaign_ledgers(session)}
    titles = await q.event_titles(session, [e.event_id] if e.event_id else [])
    lines = [
        t(
            lang,
            "exp.card",
            id=e.id,
            name=e.claimant or "—",
            amount=format_eur(e.amount_cents, lang),
            purpose=e.purpose,
            day=format_day(e.spent_on, lang),
            ledger=ledger_label(lang, e.ledger, ledgers),
            event=titles.get(e.event_id or 0) or t(lang, "exp.no_event"),
            category=t(lang, f"exp.cat.{e.category}"),
            status=t(lang, f"exp.status.{e.status}"),
        )
    ]
    if e.question:
        lines.append(t(lang, "exp.card_question", question=e.question))
    if e.reply:
        lines.append(t(lang, "exp.card_reply", reply=e.reply))
    check = await ceiling.check(session, e.ledger, 0, None)
    if check is not None:
        lines.append(ceiling_line(lang, check))
    return "\n".join(lines)


def ceiling_line(lang: str, check: CeilingCheck) -> str:
    if check.ceiling_cents is None:
        return t(lang, "exp.ceiling_unknown")
    return t(
        lang,
        "exp.ceiling_line",
        total=format_eur(check.total_cents, lang),
        ceiling=format_eur(check.ceiling_cents, lang),
        percent=check.percent,
    )


def card_rows(lang: str, e: Expense) -> list[list[tuple[str, str]]]:
    if e.status in OPEN:
        return [
            [
                (t(lang, "exp.btn_approve"), FrDecide("ok", e.id).pack()),
                (t(lang, "exp.btn_refuse"), FrDecide("no", e.id).pack()),
            ],
            [(t(lang, "exp.btn_ask"), FrDecide("ask", e.id).pack())],
        ]
    if e.status == ExpenseStatus.APPROVED:
        return [[(t(lang, "exp.btn_paid"), FrDecide("paid", e.id).pack())]]
    return []


async def send_cards(session: AsyncSession, svc: Services, e: Expense, stage: Stage) -> int:
    """The card, receipt attached, to every treasurer (a new claim, or the member's answer)."""
    queued = 0
    for person in await dq.treasurers(session):
        if person.telegram_id < 0:
            continue
        lang = person.language
        caption = await card_text(session, lang, e)
        payload: dict[str, object] = {"caption": caption, "parse_mode": "HTML"}
        rows = card_rows(lang, e)
        if rows:
            payload["reply_markup"] = keyboard(rows)
        kind = "photo" if e.receipt_kind == "photo" else "document"
        payload[kind] = e.receipt_file_id
        key = f"expense:{e.id}:{stage}:{len(e.reply)}:{person.id}"
        queued += await outbox.enqueue(
            session,
            person.telegram_id,
            payload,
            method="sendPhoto" if kind == "photo" else "sendDocument",
            dedupe_key=key,
            person_id=person.id,
        )
    return queued


async def refresh_cards(session: AsyncSession, e: Expense, skip: tuple[int, int] | None = None) -> int:
    """Every treasurer's card of the claim gets the buttons of its status now (none once refused
    or paid, « Payé » once approved), as inbox cards are kept up to date: a card left with live
    buttons would invite a second decision. `skip` is the card whose presser is answered anew.
    The caption keeps the facts of the claim; the buttons say what is left to do."""
    edits = 0
    for row in await q.cards(session, e.id):
        if skip is not None and (row.chat_id, row.message_id) == skip:
            continue
        holder = await q.person(session, row.person_id)
        lang = holder.language if holder is not None else "fr"
        rows = card_rows(lang, e)
        markup = keyboard(rows) if rows else {"inline_keyboard": []}
        if row.status == outbox.PENDING:
            payload = {k: v for k, v in row.payload.items() if k != "reply_markup"}
            if rows:
                payload["reply_markup"] = markup
            row.payload = payload
        elif row.status == outbox.SENT and row.message_id is not None:
            edits += await outbox.enqueue(
                session,
                row.chat_id,
                {"message_id": row.message_id, "reply_markup": markup},
                method="editMessageReplyMarkup",
                person_id=row.person_id,
            )
    return edits


async def _tell_member(
    session: AsyncSession,
    e: Expense,
    key: str,
    rows: list[list[tuple[str, str]]] | None = None,
    **values: object,
) -> None:
    member = await q.person(session, e.person_id)
    if member is None or member.telegram_id < 0:
        return  # erased: the record stays, nobody to tell
    lang = member.language
    values = {k: format_day(v, lang) if isinstance(v, date) else v for k, v in values.items()}
    text = t(lang, key, id=e.id, amount=format_eur(e.amount_cents, lang), purpose=e.purpose, **values)
    await outbox.enqueue(session, member.telegram_id, text_message(text, rows), person_id=member.id)


async def _open(session: AsyncSession, expense_id: int, statuses: tuple[str, ...]) -> Expense | Outcome:
    e = await q.by_id(session, expense_id, lock=True)
    if e is None:
        return Outcome("exp.gone")
    if e.status not in statuses:
        return Outcome("exp.already", e)
    return e


async def approve(
    svc: Services, expense_id: int, actor: Person, pressed: tuple[int, int] | None = None
) -> Outcome:
    """Approve an open claim, unless it takes a city list above its official ceiling (rule 23).
    `pressed` (chat id, message id) is the card the treasurer pressed: answered by the handler."""
    async with svc.transaction() as s:
        e = await _open(s, expense_id, OPEN)
        if isinstance(e, Outcome):
            return e
        check = await ceiling.check(s, e.ledger, e.amount_cents, e.id)
        if check is not None and check.level == "block":
            await pq.audit(s, actor, "expense.ceiling_blocked", f"expense:{e.id}", total=check.total_cents)
            return Outcome("exp.ceiling_block", e, check)
        e.status, e.decided_by, e.decided_at = ExpenseStatus.APPROVED, actor.id, datetime.now(UTC)
        await pq.audit(s, actor, "expense.approved", f"expense:{e.id}")
        await refresh_cards(s, e, pressed)
        await _tell_member(s, e, "exp.member_approved")
        return Outcome("exp.approve_done", e, check)


async def refuse(svc: Services, expense_id: int, actor: Person, reason: str) -> Outcome:
    async with svc.transaction() as s:
        e = await _open(s, expense_id, OPEN)
        if isinstance(e, Outcome):
            return e
        e.status, e.reason = ExpenseStatus.REFUSED, reason
        e.decided_by, e.decided_at = actor.id, datetime.now(UTC)
        await pq.audit(s, actor, "expense.refused", f"expense:{e.id}")
        await refresh_cards(s, e)
        await _tell_member(s, e, "exp.member_refused", reason=reason)
        return Outcome("exp.refuse_done", e)


async def ask(svc: Services, expense_id: int, actor: Person, question: str) -> Outcome:
    async with svc.transaction() as s:
        e = await _open(s, expense_id, OPEN)
        if isinstance(e, Outcome):
            return e
        e.status, e.question, e.reply = ExpenseStatus.QUESTION, question, ""
        await pq.audit(s, actor, "expense.asked", f"expense:{e.id}")
        member = await q.person(s, e.person_id)
        lang = member.language if member else "fr"
        rows = [[(t(lang, "exp.btn_reply"), FrReply(e.id).pack())]]
        await _tell_member(s, e, "exp.member_question", rows, question=question)
        return Outcome("exp.ask_done", e)


async def reply(svc: Services, expense_id: int, member: Person, text: str) -> Outcome:
    """The member's answer to the question: back to the treasurers, with the receipt."""
    async with svc.transaction() as s:
        e = await _open(s, expense_id, (ExpenseStatus.QUESTION,))
        if isinstance(e, Outcome):
            return e
        if e.person_id != member.id:
            return Outcome("exp.gone")  # someone else's claim: nothing shown
        e.status, e.reply = ExpenseStatus.SUBMITTED, text
        await pq.audit(s, member, "expense.replied", f"expense:{e.id}")
        await send_cards(s, svc, e, "reply")
        return Outcome("exp.reply_done", e)


async def mark_paid(svc: Services, expense_id: int, actor: Person, day: date) -> Outcome:
    async with svc.transaction() as s:
        e = await _open(s, expense_id, (ExpenseStatus.APPROVED,))
        if isinstance(e, Outcome):
            return e
        e.status, e.paid_on = ExpenseStatus.PAID, day
        await pq.audit(s, actor, "expense.paid", f"expense:{e.id}", day=day.isoformat())
        await refresh_cards(s, e)
        await _tell_member(s, e, "exp.member_paid", day=day)
        return Outcome("exp.paid_done", e)

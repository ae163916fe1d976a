"""The register of requests (docs/legal-rules.md rule 37): deadlines, the day-20 reminder, the treasurers'
notice, and what a restore carries over."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import FinancialRecords, RequestDone
from bot.messages import text_message
from bot.settings import Settings
from bot.texts import t
from capabilities.privacy.erasure import erase, stop
from capabilities.privacy.subjects import subject_of_request, subject_of_user
from domain.dates import PARIS
from domain.statuses import CANCELLED_NOTE_PREFIX, RequestKind, RequestNote
from storage import outbox
from storage import people as people_q
from storage import privacy as q
from storage.models import DataRequest, Person


def deadline(requested_at: datetime) -> date:
    """One month to answer (RGPD art. 12(3)): the same day next month, or its last day."""
    day = requested_at.astimezone(PARIS).date()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


async def who_asked(session: AsyncSession, request: DataRequest) -> str:
    if request.email:
        return request.email
    if request.telegram_id is not None:
        subject = await subject_of_user(session, request.telegram_id)
        return subject.label()
    return "?"


def request_line(lang: str, request: DataRequest, who: str) -> str:
    return t(
        lang,
        "pv.open_line",
        id=request.id,
        kind=t(lang, f"pv.kind.{request.kind}"),
        who=who,
        day=request.requested_at.astimezone(PARIS).strftime("%d/%m/%Y"),
        deadline=deadline(request.requested_at).strftime("%d/%m/%Y"),
    )


async def open_lines(session: AsyncSession, lang: str, limit: int = 20, offset: int = 0) -> list[str]:
    """The requests still open, one line each (oldest first): `limit` of them from the `offset`-th."""
    found = await q.open_requests(session, limit, offset)
    return [request_line(lang, r, await who_asked(session, r)) for r in found]


async def tell(session: AsyncSession, person: Person, message: dict[str, Any], key: str) -> int:
    """Queue a message to one coordinator or treasurer, once: its dedupe key is `key:<person id>`."""
    return await outbox.enqueue(
        session, person.telegram_id, message, dedupe_key=f"{key}:{person.id}", person_id=person.id
    )


async def remind_open_requests(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Day 20 of an open request: every coordinator is told once (reminded_at, then dedupe keys)."""
    due = await q.requests_to_remind(session, now - timedelta(days=settings.data_request_reminder_days))
    if not due:
        return 0
    people = await q.coordinators(session, settings.coordinator_ids)
    queued = 0
    for request in due:
        request.reminded_at = now
        who = await who_asked(session, request)
        for person in people:
            if person.telegram_id < 0:
                continue
            lang = person.language
            text = t(lang, "pv.remind", line=request_line(lang, request, who))
            rows = [[(t(lang, "pv.btn_done"), RequestDone(request.id).pack())]]
            queued += await tell(session, person, text_message(text, rows), f"privacy:remind:{request.id}")
        await people_q.audit(
            session, None, "privacy.reminded", f"request:{request.id}", coordinators=len(people)
        )
    return queued


async def notify_treasurers_financial(
    session: AsyncSession, request: DataRequest, who: str, count: int
) -> int:
    """A coordinator answered an access request: the donor records are for a treasurer to send."""
    queued = 0
    for person in await q.treasurers(session):
        lang = person.language
        text = t(lang, "pv.fin_notice", id=request.id, who=who, count=count)
        rows = [[(t(lang, "pv.btn_fin"), FinancialRecords(request.id).pack())]]
        queued += await tell(session, person, text_message(text, rows), f"privacy:fin:{request.id}")
    return queued


# --- After a restore: the register of requests made since the backup still applies ------------------


async def register_rows(session: AsyncSession) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "telegram_id": r.telegram_id,
            "email": r.email,
            "requested_at": r.requested_at,
            "done_at": r.done_at,
            "note": r.note,
        }
        for r in await q.all_requests(session)
    ]


async def carry_over_register(session: AsyncSession, rows: list[dict[str, Any]], now: datetime) -> int:
    """Requests logged after the backup was taken are logged again, and erasures and stops made since
    are applied again: restoring an old backup must not bring back someone who asked to be erased."""
    known = {
        (r["kind"], r["telegram_id"], r["email"], r["requested_at"]) for r in await register_rows(session)
    }
    applied = 0
    for row in rows:
        if (row["kind"], row["telegram_id"], row["email"], row["requested_at"]) in known:
            continue
        note = (row["note"] + " — " if row["note"] else "") + RequestNote.CARRIED_OVER
        request = await q.add_request(
            session,
            row["kind"],
            telegram_id=row["telegram_id"],
            email=row["email"],
            note=note,
            now=row["requested_at"],
        )
        if row["done_at"] is None:
            continue  # still open: the day-20 reminder will bring it up
        subject = await subject_of_request(session, request)
        if row["kind"] == RequestKind.ERASURE and not row["note"].startswith(CANCELLED_NOTE_PREFIX):
            await erase(session, subject, request=request, actor=None, now=now)
            applied += 1
        elif row["kind"] == RequestKind.STOP and subject.person is not None:
            await stop(session, subject.person, now)
            applied += 1
        await q.close_request(session, request.id, row["done_at"])
    return applied

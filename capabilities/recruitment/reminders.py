"""Reminders before an event, and attendance after it.

Before: a reminder about 24 h ahead (with « Je viens toujours » / « Je ne peux plus ») and one
2 h ahead. After: each participant is asked whether they came; once everyone answered, or a day
after the end, the event's creator gets the attendance and the event is done. The other
coordinators read it in their next morning digest (capabilities/digest: one line per event, not one
message each; issue 18).

Exactly once, restarts included: the participation's timestamp and the outbox row are written in
the same transaction, and the outbox dedupe key refuses a second row for the same reminder.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import AttendanceReply, ReminderReply
from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from capabilities import recruitment
from capabilities.events import render
from capabilities.events.agenda import record_answer
from capabilities.recruitment import STALE, Reply, event_values
from domain.statuses import REGISTERED, EventStatus, RsvpSource, RsvpStatus
from storage import events as q
from storage import outbox
from storage import recruitment as rq
from storage.models import Event, Participation, Person

DAY_AHEAD = timedelta(hours=24)
SOON_AHEAD = timedelta(hours=2)
# Attendance answers are awaited this long after the end; then the summary goes anyway.
SUMMARY_AFTER = timedelta(hours=24)


def _role_line(lang: str, role: str | None) -> Html:
    return Html("\n" + t(lang, "rem.role", role=render.role_label(lang, role)) if role else "")


def day_message(event: Event, row: Participation) -> dict[str, Any]:
    lang = row.person.language
    text = t(lang, "rem.day", role_line=_role_line(lang, row.role), **_values(event, lang))
    rows = [
        [
            (t(lang, "btn.rem_ok"), ReminderReply(row.id, "ok").pack()),
            (t(lang, "btn.rem_no"), ReminderReply(row.id, "no").pack()),
        ]
    ]
    return text_message(text, rows)


def soon_message(event: Event, row: Participation) -> dict[str, Any]:
    lang = row.person.language
    return text_message(t(lang, "rem.soon", role_line=_role_line(lang, row.role), **_values(event, lang)))


def attendance_message(event: Event, row: Participation) -> dict[str, Any]:
    lang = row.person.language
    rows = [
        [
            (t(lang, "btn.att_yes"), AttendanceReply(row.id, "y").pack()),
            (t(lang, "btn.att_no"), AttendanceReply(row.id, "n").pack()),
        ]
    ]
    return text_message(t(lang, "att.ask", **_values(event, lang)), rows)


def _values(event: Event, lang: str) -> dict[str, Any]:
    values = event_values(event, None, lang)
    values.pop("role")
    return values


async def send_reminders(session: AsyncSession, now: datetime) -> int:
    """The day reminder (from 24 h to 2 h before) and the soon one (within 2 h), once each."""
    sent = 0
    for day, after, until in ((True, now + SOON_AHEAD, now + DAY_AHEAD), (False, now, now + SOON_AHEAD)):
        for row, event in await rq.due_reminders(session, day, after, until):
            if day:
                row.reminded_day_at = now
            else:
                row.reminded_soon_at = now
            sent += await outbox.enqueue(
                session,
                row.person.telegram_id,
                day_message(event, row) if day else soon_message(event, row),
                dedupe_key=f"rem:{'d' if day else 's'}:{row.id}",
                person_id=row.person_id,
            )
    return sent


async def follow_up(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Ask participants of ended events whether they came; report and close the event when due."""
    done = 0
    for event in await rq.ended_events(session, now):
        rows = await q.participations(session, event.id, (RsvpStatus.YES,))
        if now < event.ends_at + SUMMARY_AFTER:
            for row in rows:
                if row.attendance_asked_at is None:
                    row.attendance_asked_at = now
                    done += await outbox.enqueue(
                        session,
                        row.person.telegram_id,
                        attendance_message(event, row),
                        dedupe_key=f"att:{row.id}",
                        person_id=row.person_id,
                    )
            if any(row.attended is None for row in rows):
                continue
        done += await send_summary(session, event, rows)
        event.status = EventStatus.DONE
        await q.mark_dirty(session, event.id)  # the announcement loses its buttons
    return done


async def send_summary(session: AsyncSession, event: Event, rows: list[Participation]) -> int:
    """The attendance, with names, in private to the event's creator (coordinator or not), once.
    The coordinators get no message per event: the event, now done, is in their next morning digest
    (capabilities.digest, « Présence aux actions terminées »)."""
    recipients: dict[int, Person] = {}
    if event.created_by is not None:
        creator = await session.get(Person, event.created_by)
        if creator is not None:
            recipients[creator.id] = creator
    came = [r.person.first_name for r in rows if r.attended is True]
    missed = [r.person.first_name for r in rows if r.attended is False]
    silent = [r.person.first_name for r in rows if r.attended is None]
    sent = 0
    for person in recipients.values():
        lang = person.language
        lines = [
            t(
                lang,
                "att.summary",
                present=len(came),
                absent=len(missed),
                unknown=len(silent),
                **_values(event, lang),
            )
        ]
        if not rows:
            lines.append(t(lang, "att.nobody"))
        for key, names in (("att.present", came), ("att.absent", missed), ("att.unknown", silent)):
            if names:
                lines.append(t(lang, key, names=", ".join(names)))
        sent += await outbox.enqueue(
            session,
            person.telegram_id,
            text_message("\n".join(lines)),
            dedupe_key=f"attsum:{event.id}:{person.id}",
            person_id=person.id,
        )
    return sent


async def _own_row(
    session: AsyncSession, participation_id: int, person_id: int
) -> tuple[Participation, Event] | None:
    row = await rq.participation_by_id(session, participation_id, lock=True)
    if row is None or row.person_id != person_id:
        return None
    event = await q.event_by_id(session, row.event_id)
    return (row, event) if event is not None else None


async def still_coming(session: AsyncSession, participation_id: int, person_id: int, lang: str) -> Reply:
    found = await _own_row(session, participation_id, person_id)
    if found is None:
        return STALE
    row, event = found
    values = _values(event, lang)
    if event.status == EventStatus.CANCELLED:
        return Reply("ask.cancelled", values, final=True)
    if row.status != RsvpStatus.YES:
        return Reply("rem.not_registered", values, final=True)
    return Reply("rem.ok", values, final=True)


async def withdraw(
    session: AsyncSession, settings: Settings, participation_id: int, person_id: int, now: datetime, lang: str
) -> Reply:
    """« Je ne peux plus »: free the place (the waitlist moves up) and recruit again if still short."""
    found = await _own_row(session, participation_id, person_id)
    if found is None:
        return STALE
    row, event = found
    values = _values(event, lang)
    if event.status == EventStatus.CANCELLED:
        return Reply("ask.cancelled", values, final=True)
    if event.status != EventStatus.SCHEDULED or event.starts_at <= now:
        return Reply("ask.past", values, final=True)
    if row.status not in REGISTERED:
        return Reply("rem.not_registered", values, final=True)
    freed = row.role if row.status == RsvpStatus.YES else None
    person = await session.get(Person, person_id)
    assert person is not None
    await record_answer(session, event, person, RsvpStatus.NO, None, RsvpSource.REMINDER, now)
    if freed is not None and await recruitment.missing(session, event, freed):
        await recruitment.start(session, settings, event, freed, None, now)
    return Reply("rem.withdrawn", values, final=True)


async def record_attendance(
    session: AsyncSession, participation_id: int, person_id: int, came: bool, lang: str
) -> Reply:
    found = await _own_row(session, participation_id, person_id)
    if found is None:
        return STALE
    row, event = found
    if event.status == EventStatus.CANCELLED:
        return Reply("ask.cancelled", _values(event, lang), final=True)
    row.attended = came
    return Reply("att.thanks_yes" if came else "att.thanks_no", _values(event, lang), final=True)


async def run(services: Services, now: datetime) -> int:
    async with services.transaction() as s:
        done = await send_reminders(s, now)
    async with services.transaction() as s:
        done += await follow_up(s, services.settings, now)
    return done


async def reply_to_reminder(
    services: Services, participation_id: int, person_id: int, coming: bool, now: datetime, lang: str
) -> Reply:
    """« Je viens toujours » / « Je ne peux plus » under a reminder."""
    async with services.transaction() as s:
        if coming:
            return await still_coming(s, participation_id, person_id, lang)
        return await withdraw(s, services.settings, participation_id, person_id, now, lang)


async def reply_to_attendance(
    services: Services, participation_id: int, person_id: int, came: bool, lang: str
) -> Reply:
    """« Étiez-vous là ? » Oui / Non."""
    async with services.transaction() as s:
        return await record_attendance(s, participation_id, person_id, came, lang)

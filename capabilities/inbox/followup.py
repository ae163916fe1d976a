"""Nothing waits unseen: reminders and escalations counted in working hours, interrupted sends
reported, and absences (/absent) with their emails given to others."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import InboxAway
from bot.messages import Button, text_message
from bot.services import Services
from bot.texts import t
from capabilities.inbox.cards import refresh_cards, reminder_rows, send_card
from capabilities.inbox.common import SPAM, SUBJECT_SHOWN, Who, clip, gmail_link, number
from capabilities.inbox.routing import available, choose
from domain.dates import format_day
from domain.inbox_input import ends_absence, parse_absence
from domain.people import Domain
from domain.statuses import EmailStatus
from storage import inbox as q
from storage import outbox
from storage.people import audit

WORK_START = time(9, 0)
WORK_END = time(18, 0)
SENDING_STUCK_AFTER = timedelta(minutes=15)


def working_hours_between(start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """Hours of Monday–Friday 9:00–18:00 (local time in `tz`) between two aware instants."""
    if end <= start:
        return 0.0
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    total = 0.0
    while day <= last:
        if day.weekday() < 5:
            lo = max(datetime.combine(day, WORK_START, tz), start)
            hi = min(datetime.combine(day, WORK_END, tz), end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
        if (last - day).days > 14:
            # Whole weeks strictly inside the interval count 45 hours each: no long loop for old mail.
            weeks = (last - day).days // 7 - 1
            total += weeks * 5 * (WORK_END.hour - WORK_START.hour)
            day += timedelta(weeks=weeks)
    return total


async def follow_up(services: Services, now: datetime) -> int:
    """Remind the assignee after the claim delay, escalate to the coordinators after twice that,
    and report answers whose sending was interrupted. Returns the messages queued."""
    settings = services.settings
    hours = settings.inbox_claim_hours
    queued = 0
    async with services.transaction() as s:
        emails = await q.due_follow_up(s)
        if emails:
            people = await q.people_by_ids(s, [e.assignee_id for e in emails])
            today = now.astimezone(settings.tz).date()
            coordinators = await q.coordinators(s, settings.coordinator_ids)
            present = [c for c in coordinators if available(c, today)] or coordinators
        for email in emails:
            waited = working_hours_between(email.created_at, now, settings.tz)
            assignee = people.get(email.assignee_id or -1)
            if email.reminded_at is None and waited >= hours:
                email.reminded_at = now
                if assignee is not None:
                    lang = assignee.language
                    subject = clip(email.subject, SUBJECT_SHOWN)
                    values = {"hours": number(hours, lang), "sender": email.sender, "subject": subject}
                    text = t(lang, "inbox.reminder", number=email.id, **values)
                    message = text_message(text, reminder_rows(lang, email.id))
                    key = f"inbox:{email.id}:remind:{assignee.id}"
                    queued += await outbox.enqueue(
                        s, assignee.telegram_id, message, dedupe_key=key, person_id=assignee.id
                    )
            if email.escalated_at is None and waited >= 2 * hours:
                email.escalated_at = now
                for coordinator in present:
                    queued += await send_card(s, settings, email, coordinator, "e")
        for email in await q.stuck_sending(s, now - SENDING_STUCK_AFTER):
            # The process stopped while Gmail was sending: we cannot know whether it left.
            stamp = email.answered_at.isoformat() if email.answered_at else ""
            email.status, email.answered_at = EmailStatus.CLAIMED, None
            person = (await q.people_by_ids(s, [email.claimed_by])).get(email.claimed_by or -1)
            if person is not None:
                subject, link = clip(email.subject, SUBJECT_SHOWN), gmail_link(email.thread_id)
                text = t(person.language, "inbox.reply_interrupted", subject=subject, link=link)
                key = f"inbox:{email.id}:stuck:{stamp}"
                queued += await outbox.enqueue(
                    s, person.telegram_id, text_message(text), dedupe_key=key, person_id=person.id
                )
    return queued


async def absence(services: Services, who: Who, text: str, now: datetime) -> tuple[str, list[list[Button]]]:
    """/absent: where the person stands, back now (`non`), or away until a day; an absent person's
    unclaimed emails may go to others (a button)."""
    person = who.person
    lang = person.language
    tz = services.settings.tz
    if not text:
        until = person.absent_until
        if until is not None and until >= now.astimezone(tz).date():
            return t(lang, "inbox.absent_status", date=format_day(until, lang)), []
        return t(lang, "inbox.absent_usage"), []
    if ends_absence(text):
        async with services.transaction() as s:
            await q.set_absence(s, person.id, None)
        return t(lang, "inbox.absent_cleared"), []
    day = parse_absence(text, now, tz)
    if day is None:
        return t(lang, "inbox.absent_bad_date"), []
    async with services.transaction() as s:
        await q.set_absence(s, person.id, day)
        pending = await q.pending_assigned_to(s, person.id)
        await audit(s, person, "inbox.absent", f"person:{person.id}", until=day.isoformat())
    reply = t(lang, "inbox.absent_set", date=format_day(day, lang))
    if not pending:
        return reply, []
    reply += "\n" + t(lang, "inbox.absent_pending", count=len(pending))
    return reply, [[(t(lang, "inbox.btn_redistribute"), InboxAway().pack())]]


async def redistribute(services: Services, who: Who, now: datetime) -> int:
    """Someone goes away: their unclaimed emails go to the next available person of each domain."""
    settings = services.settings
    today = now.astimezone(settings.tz).date()
    moved = 0
    async with services.transaction() as s:
        for email in await q.pending_assigned_to(s, who.person.id):
            domain = email.domain if email.domain != SPAM else Domain.SECRETARIAT
            target = await choose(s, settings, domain, email.city, today, exclude=[who.person.id])
            if target is None:
                continue
            email.assignee_id, email.reminded_at = target.id, None
            await s.flush()
            await send_card(s, settings, email, target, "f")
            await refresh_cards(s, settings, email)
            moved += 1
    return moved

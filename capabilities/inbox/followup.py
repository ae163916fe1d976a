"""Nothing waits unseen: reminders and escalations counted in working hours, interrupted sends
reported, and absences (/absent) with their emails given to others."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import InboxAway, InboxCard, InboxLate
from bot.messages import Button, text_message
from bot.paging import fit
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.inbox.cards import refresh_cards, reminder_rows, send_card
from capabilities.inbox.common import SPAM, SUBJECT_SHOWN, Who, clip, domain_label, gmail_link, number
from capabilities.inbox.routing import available, choose
from domain.ages import format_since
from domain.dates import format_day
from domain.inbox_input import ends_absence, parse_absence
from domain.people import Domain
from domain.statuses import EmailStatus
from storage import digest as digest_q
from storage import inbox as q
from storage import outbox
from storage.models import EmailMessage, Person
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
    """Remind the assignee after the claim delay (one message per person and pass: several emails due
    at once come as one list), mark as late after twice that, tell the coordinators once a working
    day in one summary (late_summary), and report answers whose sending was interrupted. Returns the
    messages queued."""
    settings = services.settings
    hours = settings.inbox_claim_hours
    queued = 0
    async with services.transaction() as s:
        emails = await q.due_follow_up(s)
        due: dict[int, list[EmailMessage]] = {}
        escalated = False
        for email in emails:
            waited = working_hours_between(email.created_at, now, settings.tz)
            if email.reminded_at is None and waited >= hours:
                email.reminded_at = now
                if email.assignee_id is not None:
                    due.setdefault(email.assignee_id, []).append(email)
            if email.escalated_at is None and waited >= 2 * hours:
                # Late: the coordinators hear of it in the day's summary, not one card per email.
                email.escalated_at = now
                escalated = True
        if due:
            people = await q.people_by_ids(s, list(due))
            for pid, mine in due.items():
                assignee = people.get(pid)
                if assignee is not None:
                    queued += await _remind(s, assignee, mine, hours, now)
        if escalated or summary_day(now, settings) is not None:
            queued += await late_summary(s, settings, now)
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


async def _remind(
    session: AsyncSession, assignee: Person, emails: list[EmailMessage], hours: float, now: datetime
) -> int:
    """The reminder to who holds emails past the claim delay: the email itself when one, else one list."""
    lang = assignee.language
    if len(emails) == 1:
        email = emails[0]
        subject = clip(email.subject, SUBJECT_SHOWN)
        values = {"hours": number(hours, lang), "sender": email.sender, "subject": subject}
        text = t(lang, "inbox.reminder", number=email.id, **values)
        message = text_message(text, reminder_rows(lang, email.id))
        key = f"inbox:{email.id}:remind:{assignee.id}"
    else:
        oldest = min(emails, key=lambda e: e.received_at)
        header = t(
            lang, "inbox.reminder_many", count=len(emails), since=format_since(oldest.received_at, now, lang)
        )
        lines = [_late_line(lang, e, now) for e in sorted(emails, key=lambda e: e.received_at)]
        text = fit(lines, lambda n: t(lang, "inbox.list_more", count=n), header=header)
        message = text_message(text, _view_rows(lang, emails))
        ids = ",".join(str(e.id) for e in emails)
        key = f"inbox:remind:{assignee.id}:" + hashlib.sha1(ids.encode()).hexdigest()[:16]
    return int(
        await outbox.enqueue(session, assignee.telegram_id, message, dedupe_key=key, person_id=assignee.id)
    )


# --- Late emails: one summary a working day for each coordinator ---------------------------------------


LATE_SUMMARY_JOB = "inbox.late_summary"
LATE_SUMMARY_HOUR = time(9, 0)  # local; from then on, on working days, as soon as something is late
LATE_GROUPS_SHOWN = 8  # people listed in a summary (the others counted)
LATE_BUTTON_GROUPS = 5  # people with their two buttons
LATE_LISTED = 30  # emails listed when a group is opened (the others counted)
VIEW_BUTTONS = 8
NOBODY = 0  # the group of late emails that nobody holds


@dataclass(frozen=True)
class LateGroup:
    """The late emails one person holds (person_id NOBODY: nobody does)."""

    person_id: int
    name: str
    emails: tuple[EmailMessage, ...]

    @property
    def count(self) -> int:
        return len(self.emails)

    @property
    def oldest_at(self) -> datetime:
        return min(e.received_at for e in self.emails)


def is_late(email: EmailMessage) -> bool:
    """Nobody took it within twice the claim delay (working hours): follow_up stamped escalated_at."""
    return email.status in q.PENDING and email.escalated_at is not None


async def late_groups(session: AsyncSession, lang: str) -> list[LateGroup]:
    """The late emails by who holds them: most first, then the oldest first."""
    late = [e for e in await q.open_emails(session, limit=5000) if is_late(e)]
    people = await q.people_by_ids(session, [e.assignee_id for e in late])
    by: dict[int, list[EmailMessage]] = {}
    for email in late:
        holder = email.assignee_id if email.assignee_id in people else NOBODY
        by.setdefault(holder or NOBODY, []).append(email)
    groups = [
        LateGroup(
            pid, people[pid].first_name if pid in people else t(lang, "inbox.late_nobody"), tuple(emails)
        )
        for pid, emails in by.items()
    ]
    return sorted(groups, key=lambda g: (-g.count, g.oldest_at))


def _late_line(lang: str, email: EmailMessage, now: datetime) -> str:
    subject = clip(email.subject, 80) or t(lang, "inbox.no_subject")
    return t(
        lang,
        "inbox.late_email_line",
        number=email.id,
        domain=domain_label(lang, email.domain, email.city),
        subject=subject,
        since=format_since(email.received_at, now, lang),
    )


def _view_rows(lang: str, emails: list[EmailMessage]) -> list[list[Button]]:
    shown = sorted(emails, key=lambda e: e.received_at)[:VIEW_BUTTONS]
    return [
        [(t(lang, "inbox.btn_view_n", number=e.id), InboxCard("v", e.id).pack()) for e in shown[i : i + 4]]
        for i in range(0, len(shown), 4)
    ]


def summary_message(lang: str, groups: list[LateGroup], now: datetime) -> tuple[str, list[list[Button]]]:
    """ "Hugo : 9 en retard, le plus ancien depuis 4 semaines", a line per person, with Ouvrir and
    Réaffecter buttons for the first ones."""
    total = sum(g.count for g in groups)
    lines = []
    for g in groups:
        since = format_since(g.oldest_at, now, lang)
        key = "inbox.late_line_one" if g.count == 1 else "inbox.late_line"
        lines.append(t(lang, key, name=g.name, count=g.count, since=since))
    shown = lines[:LATE_GROUPS_SHOWN]
    if len(lines) > LATE_GROUPS_SHOWN:
        shown.append(t(lang, "inbox.list_more", count=len(lines) - LATE_GROUPS_SHOWN))
    header = t(lang, "inbox.late_title", count=total)
    text = fit(
        [*shown, "", t(lang, "inbox.late_hint")], lambda n: t(lang, "inbox.list_more", count=n), header=header
    )
    rows: list[list[Button]] = []
    for g in groups[:LATE_BUTTON_GROUPS]:
        row = [
            (
                t(lang, "inbox.btn_late_open", name=g.name, count=g.count)[:60],
                InboxLate("o", g.person_id).pack(),
            )
        ]
        if g.person_id != NOBODY:
            row.append((t(lang, "inbox.btn_late_move", name=g.name)[:60], InboxLate("r", g.person_id).pack()))
        rows.append(row)
    return text, rows


def summary_day(now: datetime, settings: Settings) -> str | None:
    """Today's key once the summary hour has passed on a working day, else None."""
    local = now.astimezone(settings.tz)
    if local.weekday() >= 5 or local.time() < LATE_SUMMARY_HOUR:
        return None
    return local.date().isoformat()


async def late_summary(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Once a working day, from 9:00, as soon as something is late: one message to each coordinator
    present (all of them if none is), the late emails counted by who holds them."""
    day = summary_day(now, settings)
    if day is None or (LATE_SUMMARY_JOB, day) in await digest_q.done_periods(session, [LATE_SUMMARY_JOB]):
        return 0
    coordinators = await q.coordinators(session, settings.coordinator_ids)
    if not coordinators:
        return 0
    today = now.astimezone(settings.tz).date()
    present = [c for c in coordinators if available(c, today)] or coordinators
    by_lang: dict[str, list[LateGroup]] = {}
    for person in present:
        if person.language not in by_lang:
            by_lang[person.language] = await late_groups(session, person.language)
    if not any(by_lang.values()):
        return 0  # nothing late yet today: the day stays open
    if not await digest_q.claim_period(session, LATE_SUMMARY_JOB, day):
        return 0
    queued = 0
    for person in present:
        if person.telegram_id < 0:
            continue
        groups = by_lang[person.language]
        text, rows = summary_message(person.language, groups, now)
        key = f"inbox:late:{person.id}:{day}"
        queued += await outbox.enqueue(
            session, person.telegram_id, text_message(text, rows), dedupe_key=key, person_id=person.id
        )
    return queued


async def late_list(
    services: Services, who: Who, person_id: int, now: datetime
) -> tuple[str, list[list[Button]]]:
    """Ouvrir on the summary: that person's late emails, oldest first, each with its Voir button."""
    lang = who.person.language
    async with services.db.session() as s:
        group = next((g for g in await late_groups(s, lang) if g.person_id == person_id), None)
        if group is None:
            holder = (await q.people_by_ids(s, [person_id])).get(person_id)
            name = holder.first_name if holder else t(lang, "inbox.late_nobody")
            return t(lang, "inbox.late_none", name=name), []
    emails = sorted(group.emails, key=lambda e: e.received_at)
    header = t(lang, "inbox.late_list_title", name=group.name, count=group.count)
    lines = [_late_line(lang, e, now) for e in emails[:LATE_LISTED]]
    if group.count > LATE_LISTED:
        lines.append(t(lang, "inbox.list_more", count=group.count - LATE_LISTED))
    text = fit(lines, lambda n: t(lang, "inbox.list_more", count=n), header=header)
    rows = _view_rows(lang, list(emails))
    if person_id != NOBODY:
        rows.append(
            [(t(lang, "inbox.btn_late_move", name=group.name)[:60], InboxLate("r", person_id).pack())]
        )
    return text, rows


async def reassign_late(services: Services, who: Who, person_id: int, now: datetime) -> str:
    """Réaffecter on the summary: that person's late emails go to the next available person of each
    email's domain (never back to them); each new holder gets the card. Says who got how many."""
    settings = services.settings
    lang = who.person.language
    today = now.astimezone(settings.tz).date()
    moved: dict[str, int] = {}
    stuck = 0
    async with services.transaction() as s:
        holder = (await q.people_by_ids(s, [person_id])).get(person_id)
        if holder is None:
            return t(lang, "inbox.late_none", name=t(lang, "inbox.late_nobody"))
        late = [e for e in await q.pending_assigned_to(s, person_id) if is_late(e)]
        if not late:
            return t(lang, "inbox.late_none", name=holder.first_name)
        for email in late:
            domain = email.domain if email.domain != SPAM else Domain.SECRETARIAT
            target = await choose(s, settings, domain, email.city, today, exclude=[person_id])
            if target is None:
                stuck += 1
                continue
            # The new holder gets the card now: no reminder on top of it.
            email.assignee_id, email.status, email.reminded_at = target.id, EmailStatus.ASSIGNED, now
            await s.flush()
            await send_card(s, settings, email, target, "f")
            await refresh_cards(s, settings, email)
            moved[target.first_name] = moved.get(target.first_name, 0) + 1
        await audit(
            s,
            who.person,
            "inbox.late_reassigned",
            f"person:{person_id}",
            moved=sum(moved.values()),
            kept=stuck,
        )
    parts = []
    if moved:
        names = ", ".join(f"{name} {n}" for name, n in sorted(moved.items(), key=lambda kv: -kv[1]))
        parts.append(
            t(lang, "inbox.late_moved", count=sum(moved.values()), name=holder.first_name, names=names)
        )
    if stuck:
        parts.append(t(lang, "inbox.late_stuck", count=stuck))
    return "\n".join(parts)


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

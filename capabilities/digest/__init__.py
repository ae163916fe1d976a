"""Morning digests: composed for every recipient from a few grouped queries, sent once a day each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import InboxCard, Recruit
from bot.messages import text_message
from bot.paging import fit
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.events import roster
from capabilities.events.render import COLOUR_EMOJI, role_label
from capabilities.privacy.register import deadline as privacy_deadline
from domain.ages import format_since
from domain.dates import format_day, format_when
from domain.digest import (
    RENEWAL_AHEAD,
    CityDigest,
    CityFigures,
    DataRequestItem,
    EmailItem,
    EventItem,
    NationalFigures,
    digest_kinds,
    due_today,
    national,
    requests_near_deadline,
)
from domain.money import format_eur
from domain.people import Role
from storage import digest as q
from storage import outbox
from storage.models import Person

Rows = list[list[tuple[str, str]]]
CATCH_UP = timedelta(hours=4)
MAX_RELAUNCH_BUTTONS = 4
# The attendance of the events closed since a coordinator's previous digest (issue 18): each event
# is listed in exactly one of their morning digests. Not a time window: an event closes anywhere
# from its end to a day later, the digest goes out anywhere in its catch-up window, and the event
# keeps no closing time; so the digest that lists an event claims it for that coordinator (a
# job_run row `digest-att:<person>` / `<event id>`, unique), and the next one leaves it out. No
# event is missed as long as one digest goes out within ATTENDANCE_LOOKBACK of its end (a day
# without digest included); /digest on demand shows the section without claiming. A coordinator's
# own events are left out: their report came to them when the event closed.
ATTENDANCE_LOOKBACK = timedelta(days=7)
ATTENDANCE_LISTED = 10


@dataclass(frozen=True)
class Composed:
    text: str
    rows: Rows
    closed: tuple[int, ...] = ()  # the events whose attendance it lists, claimed once it is sent


def _event_line(lang: str, e: EventItem, settings: Settings, rows: Rows | None) -> str:
    missing = ""
    if e.missing:
        missing = t(
            lang,
            "digest.missing",
            roles=", ".join(f"{role_label(lang, r)} ×{n}" for r, _, n in e.missing),
        )
        if rows is not None and len(rows) < MAX_RELAUNCH_BUTTONS:
            role, need_id, _ = e.missing[0]
            rows.append([(t(lang, "btn.relaunch", title=e.title)[:60], Recruit(e.event_id, need_id).pack())])
    when = format_when(e.starts_at.astimezone(settings.tz), lang)
    return t(
        lang, "digest.event_line", colour=COLOUR_EMOJI[e.colour], when=when, title=e.title, missing=missing
    )


def _event_lines(lang: str, figures: CityFigures, settings: Settings, rows: Rows | None) -> list[str]:
    return [t(lang, "digest.events"), *(_event_line(lang, e, settings, rows) for e in figures.events)]


def _national_events(lang: str, events: list[EventItem], settings: Settings, rows: Rows | None) -> str:
    """The national events (no city: announced in every group) of the next 7 days."""
    return "\n".join(
        [t(lang, "digest.national_events"), *(_event_line(lang, e, settings, rows) for e in events)]
    )


def city_digest(
    lang: str, figures: CityFigures, settings: Settings, national_events: list[EventItem] | None = None
) -> Composed | None:
    national_events = national_events or []
    if CityDigest(figures).empty and not national_events:
        return None
    rows: Rows = []
    parts = [t(lang, "digest.city_title", city=figures.name)]
    if figures.events:
        parts.append("\n".join(_event_lines(lang, figures, settings, rows)))
    if national_events:
        parts.append(_national_events(lang, national_events, settings, rows))
    if figures.new_volunteer_count:
        names = ", ".join(figures.new_volunteers) + (
            "…" if figures.new_volunteer_count > len(figures.new_volunteers) else ""
        )
        parts.append(t(lang, "digest.new_volunteers", count=figures.new_volunteer_count, names=names))
    if figures.pending_emails:
        lines = [t(lang, "digest.emails", count=figures.pending_emails)]
        lines += [t(lang, "digest.email_line", subject=s[:80]) for s in figures.email_subjects]
        parts.append("\n".join(lines))
    if figures.donations_count:
        parts.append(
            t(
                lang,
                "digest.donations",
                count=figures.donations_count,
                total=format_eur(figures.donations_cents, lang),
            )
        )
    return Composed(_fit(lang, parts), rows)


def _fit(lang: str, parts: list[str]) -> str:
    """The sections within one message: whole lines, the rest counted ("… et N autres")."""
    return fit("\n\n".join(parts).split("\n"), lambda n: t(lang, "inbox.list_more", count=n))


def _request_line(lang: str, r: DataRequestItem, today: date) -> str:
    days = (r.deadline - today).days
    if days > 0:
        left = t(lang, "digest.due_in", days=days)
    elif days == 0:
        left = t(lang, "digest.due_today")
    else:
        left = t(lang, "digest.overdue", days=-days)
    return t(
        lang,
        "digest.data_request_line",
        number=r.request_id,
        kind=t(lang, f"pv.kind.{r.kind}"),
        deadline=format_day(r.deadline, lang),
        left=left,
    )


def _attendance(lang: str, closed: list[q.ClosedEvent], settings: Settings, now: datetime) -> str:
    """« Présence aux actions terminées »: one line per event, oldest first, the rest counted."""
    lines = [t(lang, "digest.attendance")]
    for c in closed[:ATTENDANCE_LISTED]:
        lines.append(
            t(
                lang,
                "digest.attendance_line",
                title=c.title,
                city=c.city or t(lang, "digest.national"),
                day=format_day(c.starts_at.astimezone(settings.tz), lang, now),
                present=c.present,
                absent=c.absent,
                unknown=c.unknown,
            )
        )
    if len(closed) > ATTENDANCE_LISTED:
        lines.append(t(lang, "inbox.list_more", count=len(closed) - ATTENDANCE_LISTED))
    return "\n".join(lines)


def national_digest(
    lang: str,
    cities: list[CityFigures],
    unrouted: int,
    settings: Settings,
    extra: NationalFigures | None = None,
    now: datetime | None = None,
    attendance: list[q.ClosedEvent] | None = None,
) -> Composed | None:
    digest = national(cities, unrouted, extra)
    attendance = attendance or []
    if digest.empty and not attendance:
        return None
    now = now or datetime.now(UTC)
    today = now.astimezone(settings.tz).date()
    extra = digest.extra
    rows: Rows = []
    parts = [t(lang, "digest.national_title")]
    if extra.events:
        parts.append(_national_events(lang, extra.events, settings, rows))
    lines = [
        t(
            lang,
            "digest.city_line",
            city=c.name,
            events=len(c.events),
            missing=c.missing_people,
            volunteers=c.new_volunteer_count,
            emails=c.pending_emails,
        )
        for c in digest.busy_cities
    ]
    if lines:
        parts.append("\n".join(lines))
    if attendance:
        parts.append(_attendance(lang, attendance, settings, now))
    needs = []
    for city, e in digest.red_events[:10]:
        needs.append(
            t(
                lang,
                "digest.red_event",
                city=city or t(lang, "digest.national"),
                title=e.title,
                when=format_when(e.starts_at.astimezone(settings.tz), lang),
            )
        )
    if digest.unrouted_emails:
        needs.append(t(lang, "digest.unrouted", count=digest.unrouted_emails))
    if extra.pending_emails:
        needs.append(t(lang, "digest.inbox_backlog", count=extra.pending_emails, late=extra.late_emails))
        oldest = extra.oldest_email
        if oldest is not None:
            subject = oldest.subject[:80] or t(lang, "inbox.no_subject")
            since = format_since(oldest.received_at, now, lang)
            needs.append(t(lang, "digest.inbox_oldest", number=oldest.email_id, subject=subject, since=since))
            rows.append(
                [
                    (
                        t(lang, "inbox.btn_view_n", number=oldest.email_id),
                        InboxCard("v", oldest.email_id).pack(),
                    )
                ]
            )
    for r in extra.data_requests[:5]:
        needs.append(_request_line(lang, r, today))
    if len(extra.data_requests) > 5:
        needs.append(t(lang, "inbox.list_more", count=len(extra.data_requests) - 5))
    if extra.memberships_due:
        needs.append(t(lang, "digest.memberships_due", count=extra.memberships_due))
    if extra.donations_warned:
        needs.append(t(lang, "digest.donations_warned", count=extra.donations_warned))
    if needs:
        parts.append("\n".join([t(lang, "digest.needs_you"), *needs]))
    return Composed(_fit(lang, parts), rows, tuple(c.event_id for c in attendance))


LEAD_LISTED = 5
LEAD_BUTTONS = 4


def lead_digest(
    lang: str, domain: str, emails: list[EmailItem], now: datetime | None = None
) -> Composed | None:
    """A lead's digest: how many emails wait, how many are late, the oldest first, each with its button."""
    if not emails:
        return None
    now = now or datetime.now(UTC)
    late = sum(1 for e in emails if e.late)
    oldest = min(emails, key=lambda e: e.received_at)
    lines = [
        t(
            lang,
            "digest.lead_summary",
            count=len(emails),
            late=late,
            since=format_since(oldest.received_at, now, lang),
        )
    ]
    shown = sorted(emails, key=lambda e: (not e.late, e.received_at))[:LEAD_LISTED]
    for e in shown:
        subject = e.subject[:80] or t(lang, "inbox.no_subject")
        key = "digest.lead_late_line" if e.late else "digest.lead_email_line"
        lines.append(
            t(lang, key, number=e.email_id, subject=subject, since=format_since(e.received_at, now, lang))
        )
    if len(emails) > LEAD_LISTED:
        lines.append(t(lang, "digest.lead_more", count=len(emails) - LEAD_LISTED))
    rows: Rows = [
        [
            (t(lang, "inbox.btn_view_n", number=e.email_id), InboxCard("v", e.email_id).pack())
            for e in shown[:LEAD_BUTTONS]
        ]
    ]
    title = t(lang, "digest.lead_title", domain=t(lang, f"domain.{domain}"))
    return Composed(_fit(lang, [title, "\n".join(lines)]), rows)


async def national_figures(
    session: AsyncSession,
    now: datetime,
    settings: Settings,
    by_domain: dict[str, list[EmailItem]] | None = None,
) -> NationalFigures:
    """Everything the national digest adds to the cities (a few grouped queries)."""
    today = now.astimezone(settings.tz).date()
    if by_domain is None:
        by_domain = await q.pending_emails_by_domain(session)
    emails = [e for items in by_domain.values() for e in items]
    requests = [
        DataRequestItem(rid, kind, privacy_deadline(at))
        for rid, kind, at in await q.open_data_requests(session)
    ]
    return NationalFigures(
        events=await q.national_events(session, now),
        pending_emails=len(emails),
        late_emails=sum(1 for e in emails if e.late),
        oldest_email=min(emails, key=lambda e: e.received_at) if emails else None,
        data_requests=requests_near_deadline(requests, today),
        memberships_due=await q.memberships_to_renew(session, today, today + RENEWAL_AHEAD),
        donations_warned=await q.donations_with_warnings(session),
    )


async def compose(
    session: AsyncSession, settings: Settings, now: datetime, recipients: list[q.Recipient]
) -> dict[q.Recipient, Composed | None]:
    """Every listed recipient's digest (None when empty), from one pass over the data."""
    since = now - timedelta(days=1)
    cities = await q.city_figures(session, now, since)
    by_name = {c.name: c for c in cities.values()}
    emails = await q.pending_emails_by_domain(session)
    unrouted = await q.unrouted_emails(session)
    today = await roster.today(session, now, settings.tz)
    extra = None
    closed: list[q.ClosedEvent] = []
    listed: set[tuple[str, str]] = set()
    coordinators = [r for r in recipients if r.kind == Role.COORDINATOR]
    if coordinators:
        extra = await national_figures(session, now, settings, emails)
        closed = await q.closed_events(session, now - ATTENDANCE_LOOKBACK)
        if closed:
            listed = await q.done_periods(session, [attendance_job(r.person_id) for r in coordinators])
    national_events = extra.events if extra is not None else await q.national_events(session, now)
    out: dict[q.Recipient, Composed | None] = {}
    for r in recipients:
        if r.kind == Role.CANDIDATE:
            figures = by_name.get(r.scope)
            out[r] = city_digest(r.language, figures, settings, national_events) if figures else None
        elif r.kind == Role.COORDINATOR:
            job = attendance_job(r.person_id)
            attendance = [
                c for c in closed if c.created_by != r.person_id and (job, str(c.event_id)) not in listed
            ]
            out[r] = national_digest(
                r.language, list(cities.values()), unrouted, settings, extra, now, attendance
            )
        else:
            out[r] = lead_digest(r.language, r.scope, emails.get(r.scope, []), now)
        out[r] = _with_roster(r, out[r], today)
    return out


def _with_roster(r: q.Recipient, composed: Composed | None, today: list[roster.Roster]) -> Composed | None:
    """The organiser's events of the day, with who is coming (capabilities/events/roster.py)."""
    part = roster.digest_part(
        r.language, [x for x in today if roster.may_see(x, r.kind, r.scope, r.person_id)]
    )
    if part is None:
        return composed
    if composed is None:
        return Composed(part, [])
    return replace(composed, text=composed.text + "\n\n" + part)


def job_key(r: q.Recipient) -> str:
    return f"digest:{r.person_id}:{r.kind}:{r.scope}"[:80]


def attendance_job(person_id: int) -> str:
    """The job_run rows (one per event) of the attendance already listed in this person's digests."""
    return f"digest-att:{person_id}"


async def send_due(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Queue every digest due now and not yet sent today; the job_run row makes it once a day."""
    local = now.astimezone(settings.tz)
    recipients = await q.recipients(session, settings.coordinator_ids)
    due = []
    for r in recipients:
        day = _due_day(local, r.digest_hour)
        if day is not None:
            due.append((r, day))
    if not due:
        return 0
    done = await q.done_periods(session, [job_key(r) for r, _ in due])
    todo = [(r, day) for r, day in due if (job_key(r), day) not in done]
    if not todo:
        return 0
    composed = await compose(session, settings, now, [r for r, _ in todo])
    sent = 0
    for r, day in todo:
        if not await q.claim_period(session, job_key(r), day):
            continue  # another process got there first
        digest = composed[r]
        if digest is None:
            continue  # an empty digest is not sent, and the day is done
        await outbox.enqueue(
            session,
            r.telegram_id,
            text_message(digest.text, digest.rows or None),
            dedupe_key=f"{job_key(r)}:{day}",
            person_id=r.person_id,
        )
        for event_id in digest.closed:  # listed once: the next digests leave them out
            await q.claim_period(session, attendance_job(r.person_id), str(event_id))
        sent += 1
    return sent


def _due_day(local: datetime, hour: int) -> str | None:
    day = due_today(local, hour, CATCH_UP)
    return day.isoformat() if day else None


async def run(services: Services, now: datetime) -> int:
    """Job: the morning digests, each sent once per local day (restarts and clock changes included)."""
    async with services.transaction() as s:
        return await send_due(s, services.settings, now)


# --- /digest, /digest_heure, /digest_pause -----------------------------------------------------------


async def digests_of(
    services: Services, person: Person, lang: str, coordinator: bool, now: datetime
) -> list[Composed]:
    """/digest: the person's digests now (those not empty), even while paused or unreachable."""
    settings = services.settings
    async with services.db.session() as s:
        mine = [r for r in await q.recipients(s, settings.coordinator_ids) if r.person_id == person.id]
        if not mine:  # paused or unreachable: shown anyway, on demand
            grants = [(g.role, g.scope) for g in person.grants]
            mine = [
                q.Recipient(person.id, person.telegram_id, lang, person.digest_hour, kind, scope)
                for kind, scope in digest_kinds(grants, coordinator)
            ]
        composed = await compose(s, settings, now, mine)
    return [c for c in composed.values() if c is not None]


async def set_hour(services: Services, person_id: int, hour: int) -> None:
    """/digest_heure: the digest comes at this hour, and is no longer paused."""
    async with services.transaction() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        person.digest_hour, person.digest_paused = hour, False


async def set_paused(services: Services, person_id: int, paused: bool) -> None:
    """/digest_pause."""
    async with services.transaction() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        person.digest_paused = paused

"""Morning digests: composed for every recipient from a few grouped queries, sent once a day each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Recruit
from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.events import roster
from capabilities.events.render import COLOUR_EMOJI, role_label
from domain.dates import format_when
from domain.digest import CityDigest, CityFigures, digest_kinds, due_today, national
from domain.money import format_eur
from domain.people import Role
from storage import digest as q
from storage import outbox
from storage.models import Person

Rows = list[list[tuple[str, str]]]
CATCH_UP = timedelta(hours=4)
MAX_RELAUNCH_BUTTONS = 4


@dataclass(frozen=True)
class Composed:
    text: str
    rows: Rows


def _event_lines(lang: str, figures: CityFigures, settings: Settings, rows: Rows | None) -> list[str]:
    lines = [t(lang, "digest.events")]
    for e in figures.events:
        missing = ""
        if e.missing:
            missing = t(
                lang,
                "digest.missing",
                roles=", ".join(f"{role_label(lang, r)} ×{n}" for r, _, n in e.missing),
            )
            if rows is not None and len(rows) < MAX_RELAUNCH_BUTTONS:
                role, need_id, _ = e.missing[0]
                rows.append(
                    [(t(lang, "btn.relaunch", title=e.title)[:60], Recruit(e.event_id, need_id).pack())]
                )
        when = format_when(e.starts_at.astimezone(settings.tz), lang)
        lines.append(
            t(
                lang,
                "digest.event_line",
                colour=COLOUR_EMOJI[e.colour],
                when=when,
                title=e.title,
                missing=missing,
            )
        )
    return lines


def city_digest(lang: str, figures: CityFigures, settings: Settings) -> Composed | None:
    if CityDigest(figures).empty:
        return None
    rows: Rows = []
    parts = [t(lang, "digest.city_title", city=figures.name)]
    if figures.events:
        parts.append("\n".join(_event_lines(lang, figures, settings, rows)))
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
    return Composed("\n\n".join(parts), rows)


def national_digest(
    lang: str, cities: list[CityFigures], unrouted: int, settings: Settings
) -> Composed | None:
    digest = national(cities, unrouted)
    if digest.empty:
        return None
    parts = [t(lang, "digest.national_title")]
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
        for c in digest.cities
        if not CityDigest(c).empty
    ]
    if lines:
        parts.append("\n".join(lines))
    needs = []
    if digest.unrouted_emails:
        needs.append(t(lang, "digest.unrouted", count=digest.unrouted_emails))
    for city, e in digest.red_events[:10]:
        needs.append(
            t(
                lang,
                "digest.red_event",
                city=city,
                title=e.title,
                when=format_when(e.starts_at.astimezone(settings.tz), lang),
            )
        )
    if needs:
        parts.append("\n".join([t(lang, "digest.needs_you"), *needs]))
    return Composed("\n\n".join(parts), [])


def lead_digest(lang: str, domain: str, subjects: list[str]) -> Composed | None:
    if not subjects:
        return None
    lines = [t(lang, "digest.lead_emails", count=len(subjects))]
    lines += [t(lang, "digest.email_line", subject=s[:80]) for s in subjects[:10]]
    return Composed(
        t(lang, "digest.lead_title", domain=t(lang, f"domain.{domain}")) + "\n\n" + "\n".join(lines), []
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
    out: dict[q.Recipient, Composed | None] = {}
    for r in recipients:
        if r.kind == Role.CANDIDATE:
            figures = by_name.get(r.scope)
            out[r] = city_digest(r.language, figures, settings) if figures else None
        elif r.kind == Role.COORDINATOR:
            out[r] = national_digest(r.language, list(cities.values()), unrouted, settings)
        else:
            out[r] = lead_digest(r.language, r.scope, emails.get(r.scope, []))
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
    return Composed(composed.text + "\n\n" + part, composed.rows)


def job_key(r: q.Recipient) -> str:
    return f"digest:{r.person_id}:{r.kind}:{r.scope}"[:80]


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

"""Who is coming: an event's roster by name, for its organisers only, in private.

The organisers are those who may manage the event (domain.events.may_manage: the coordinators,
the candidates of its city, its creator while they may still organise there). Events carry no
domain, so a lead sees the roster of the events they created, not of a domain. Groups keep counts
only (capabilities/events/render.post). From the roster an organiser can write to everyone
registered (once per message), export it (.xlsx, CSV: docs/french-style.md, files for treasurers
and coordinators) and mark who came (the participation's `attended`, the same field the attendance
asked after the event fills: capabilities/recruitment/reminders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import paging
from bot.callbacks import RosterAct, RosterMark, RosterOpen, RosterPage
from bot.messages import text_message
from bot.services import Services
from bot.texts import Html, t
from capabilities.events import render
from capabilities.events.organise import Organiser, Refused, managed_in
from domain.statuses import EventStatus, RsvpStatus
from domain.text import fold
from storage import events as q
from storage import outbox
from storage import people as pq
from storage import recruitment as rq
from storage import roster as rs
from storage.models import Event, Participation, Person

Rows = list[list[tuple[str, str]]]
# Attendance can be taken from a little before the start (the roll call at the meeting point).
ATTENDANCE_FROM = timedelta(hours=1)
MESSAGE_MAX = 1000
# The digest names this many people per event, then counts the rest.
DIGEST_NAMES = 8


@dataclass(frozen=True)
class Entry:
    name: str
    role: str | None = None
    guests: int = 0
    attended: bool | None = None
    participation_id: int | None = None


@dataclass(frozen=True)
class Roster:
    event: Event
    coming: list[Entry]
    maybe: list[Entry]
    waitlist: list[Entry]
    not_coming: list[Entry]
    silent: list[Entry]  # asked in private, no answer
    attendance_open: bool  # the event started (or is about to): présent / absent can be marked

    @property
    def guests(self) -> int:
        return sum(e.guests for e in self.coming)


def _name(person: Person) -> str:
    return f"{person.first_name} (@{person.username})" if person.username else person.first_name


def _guests(row: Participation) -> int:
    """Guests announced with the answer (« +2 », « avec ma sœur »)."""
    return row.guests or 0


def _entry(row: Participation) -> Entry:
    return Entry(_name(row.person), row.role, _guests(row), row.attended, row.id)


async def build(session: AsyncSession, event: Event, now: datetime) -> Roster:
    rows = await rs.answers(session, event.id)
    by: dict[str, list[Entry]] = {s: [] for s in RsvpStatus}
    for row in rows:
        by.setdefault(row.status, []).append(_entry(row))
    silent = [Entry(_name(p)) for p in await rs.asked_silent(session, event.id)]
    return Roster(
        event,
        by[RsvpStatus.YES],
        by[RsvpStatus.MAYBE],
        by[RsvpStatus.WAITLIST],
        by[RsvpStatus.NO],
        silent,
        now >= event.starts_at - ATTENDANCE_FROM,
    )


async def roster(services: Services, who: Organiser, event_id: int, now: datetime) -> Roster | Refused:
    """The roster, when the person may manage the event now; the look is audited (names of people
    and their political engagement: docs/legal-rules.md)."""
    async with services.transaction() as s:
        event = await managed_in(s, who, event_id)
        if isinstance(event, Refused):
            return event
        found = await build(s, event, now)
        await pq.audit(s, who.person, "event.roster_viewed", f"event:{event.id}")
    return found


async def mark_attendance(
    services: Services, who: Organiser, participation_id: int, came: bool, now: datetime
) -> Roster | Refused:
    """Présent / absent from the roster: the button carries a participation; its event is checked."""
    async with services.transaction() as s:
        row = await rq.participation_by_id(s, participation_id, lock=True)
        if row is None:
            return Refused.GONE
        event = await managed_in(s, who, row.event_id)
        if isinstance(event, Refused):
            return event
        if row.status != RsvpStatus.YES or now < event.starts_at - ATTENDANCE_FROM:
            return Refused.GONE
        row.attended = came
        await s.flush()
        return await build(s, event, now)


async def message_registered(
    services: Services, who: Organiser, event_id: int, text: str, token: str
) -> int | Refused:
    """Queue the organiser's message to each person coming or maybe coming. `token` names this one
    message: a second confirmation of it queues nothing (the outbox dedupe key)."""
    async with services.transaction() as s:
        event = await managed_in(s, who, event_id)
        if isinstance(event, Refused):
            return event
        rows = await q.participations(s, event.id, (RsvpStatus.YES, RsvpStatus.MAYBE))
        sent = 0
        for row in rows:
            person = row.person
            lang = person.language
            body = t(
                lang,
                "roster.message",
                title=event.title,
                when=render.when(event, lang),
                sender=who.person.first_name,
                text=text,
            )
            sent += await outbox.enqueue(
                s,
                person.telegram_id,
                text_message(body),
                dedupe_key=f"rmsg:{event.id}:{token}:{person.id}",
                person_id=person.id,
            )
        await pq.audit(s, who.person, "event.roster_messaged", f"event:{event.id}", count=sent)
    return sent


# --- Exports ---------------------------------------------------------------------------------------


def _status_word(lang: str, status: str) -> str:
    return t(lang, f"roster.status_{status}")


def _attended_word(lang: str, attended: bool | None) -> str:
    if attended is None:
        return ""
    return t(lang, "roster.att_yes_word" if attended else "roster.att_no_word")


def _filename(event: Event, ext: str) -> str:
    slug = "-".join(fold(event.title).replace("'", " ").split())[:40] or "action"
    slug = "".join(c for c in slug if c.isalnum() or c == "-")
    return f"inscrits-{slug}-{event.starts_at.date().isoformat()}.{ext}"


async def export(
    services: Services, who: Organiser, event_id: int, lang: str, kind: Literal["xlsx", "csv"], now: datetime
) -> tuple[str, bytes] | Refused:
    """The roster as a French spreadsheet (integrations/spreadsheets.py): (file name, bytes)."""
    from integrations.spreadsheets import csv_bytes, xlsx_bytes

    async with services.transaction() as s:
        event = await managed_in(s, who, event_id)
        if isinstance(event, Refused):
            return event
        rows = await rs.answers(s, event.id)
        silent = await rs.asked_silent(s, event.id)
        await pq.audit(s, who.person, "event.roster_exported", f"event:{event.id}", format=kind)
    headers = [t(lang, f"roster.col_{c}") for c in ("name", "status", "task", "guests", "attended", "since")]
    order = {RsvpStatus.YES: 0, RsvpStatus.MAYBE: 1, RsvpStatus.WAITLIST: 2, RsvpStatus.NO: 3}
    table: list[list[object]] = [
        [
            _name(r.person),
            _status_word(lang, r.status),
            render.role_label(lang, r.role) if r.role else "",
            _guests(r),
            _attended_word(lang, r.attended),
            r.updated_at,
        ]
        for r in sorted(rows, key=lambda r: order.get(RsvpStatus(r.status), 9))
    ]
    table += [[_name(p), t(lang, "roster.status_silent"), "", 0, "", None] for p in silent]
    if kind == "xlsx":
        data = xlsx_bytes(t(lang, "roster.sheet"), headers, table, tz=services.settings.tz)
    else:
        data = csv_bytes(headers, table, tz=services.settings.tz)
    return _filename(event, kind), data


# --- How the roster reads ---------------------------------------------------------------------------


def _line(lang: str, e: Entry, attendance: bool) -> str:
    parts = [e.name]
    if e.role:
        parts.append(render.role_label(lang, e.role))
    if e.guests:
        parts.append(t(lang, "roster.guests", count=e.guests))
    mark = ""
    if attendance and e.attended is not None:
        mark = " ✅" if e.attended else " ❌"
    return "• " + " — ".join(parts) + mark


ROSTER_PAGE = 30  # people on one page of the roster (a line each, under Telegram's limit)
ATTENDANCE_PAGE = 10  # people on one page of the attendance sheet (two buttons each)


def _sections(r: Roster) -> list[tuple[str, list[Entry]]]:
    return [
        ("roster.coming", r.coming),
        ("roster.maybe", r.maybe),
        ("roster.waitlist", r.waitlist),
        ("roster.not_coming", r.not_coming),
        ("roster.silent", r.silent),
    ]


def _section_title(lang: str, r: Roster, key: str, count: int) -> str:
    if key == "roster.coming":
        guests = Html(f" ({t(lang, 'roster.guests', count=r.guests)})") if r.guests else Html("")
        return t(lang, key, count=count, guests=guests)
    return t(lang, key, count=count)


def view(lang: str, r: Roster, page: int = 0) -> tuple[str, Rows]:
    """The roster in private, one page (bot.paging): each answer with its people, a section's title
    (with its count) on each page that shows some of them, then the organiser's actions and the
    page buttons. A page number out of range is clamped."""
    ev = r.event
    people = [
        (key, e, key == "roster.coming" and r.attendance_open)
        for key, entries in _sections(r)
        for e in entries
    ]
    win = paging.window(len(people), page, ROSTER_PAGE)
    sizes = {key: len(entries) for key, entries in _sections(r)}
    header = t(lang, "roster.header", title=ev.title, when=render.when(ev, lang))
    if win.pages > 1:  # what each answer counts, though this page shows only some of them
        header += "\n" + t(lang, "roster.counts", **{k.removeprefix("roster."): n for k, n in sizes.items()})
    lines: list[str] = []
    if not people:
        lines.append(_section_title(lang, r, "roster.coming", 0))
        lines.append(t(lang, "roster.empty"))
    elif win.page == 0 and not r.coming:
        lines.append(_section_title(lang, r, "roster.coming", 0))  # « 0 personne vient », as before
    current = ""
    for key, e, attendance in win.slice(people):
        if key != current:
            current = key
            lines.append(_section_title(lang, r, key, sizes[key]))
        lines.append(_line(lang, e, attendance))
    rows: Rows = []
    if r.coming or r.maybe:
        rows.append([(t(lang, "btn.roster_message"), RosterAct("msg", ev.id).pack())])
    rows.append(
        [
            (t(lang, "btn.roster_xlsx"), RosterAct("xlsx", ev.id).pack()),
            (t(lang, "btn.roster_csv"), RosterAct("csv", ev.id).pack()),
        ]
    )
    if r.attendance_open and r.coming:
        rows.append([(t(lang, "btn.roster_attendance"), RosterAct("att", ev.id).pack())])
    nav = paging.nav_row(lang, win, lambda n: RosterPage("list", ev.id, n).pack())
    if nav:
        rows.append(nav)
    return Html(paging.page_message(header, lines, paging.footer(lang, win))), rows


def attendance_view(lang: str, r: Roster, page: int = 0, focus: int | None = None) -> tuple[str, Rows]:
    """Présent / absent, one row of two buttons per person coming, a page at a time; `focus` (a
    participation just marked) shows the page that holds it."""
    marks = {True: " ✅", False: " ❌", None: ""}
    if focus is not None:
        at = next((i for i, e in enumerate(r.coming) if e.participation_id == focus), None)
        if at is not None:
            page = at // ATTENDANCE_PAGE
    win = paging.window(len(r.coming), page, ATTENDANCE_PAGE)
    shown = win.slice(r.coming)
    header = t(lang, "roster.att_header", title=r.event.title)
    lines = [f"• {e.name}{marks[e.attended]}" for e in shown]
    rows: Rows = [
        [
            (t(lang, "btn.roster_present", name=e.name)[:60], RosterMark(e.participation_id, "y").pack()),
            (t(lang, "btn.roster_absent", name=e.name)[:60], RosterMark(e.participation_id, "n").pack()),
        ]
        for e in shown
        if e.participation_id is not None
    ]
    nav = paging.nav_row(lang, win, lambda n: RosterPage("att", r.event.id, n).pack())
    if nav:
        rows.append(nav)
    rows.append([(t(lang, "btn.roster_back"), RosterOpen(r.event.id).pack())])
    return Html(paging.page_message(header, lines, paging.footer(lang, win))), rows


# --- The digest: today's events of the organiser -----------------------------------------------------


async def today(session: AsyncSession, now: datetime, tz: ZoneInfo) -> list[Roster]:
    """The rosters of the events starting today (local day), for the morning digests."""
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    return [await build(session, e, now) for e in await rs.starting_between(session, start, end)]


def digest_part(lang: str, rosters: list[Roster]) -> str | None:
    """One short line per event of the day: who is coming, by first name, and the other counts."""
    if not rosters:
        return None
    lines = [t(lang, "roster.digest_title")]
    for r in rosters:
        names = [e.name for e in r.coming[:DIGEST_NAMES]]
        more = len(r.coming) - len(names)
        who = ", ".join(names) + (t(lang, "roster.digest_more", count=more) if more else "")
        lines.append(
            t(
                lang,
                "roster.digest_line",
                title=r.event.title,
                when=render.when(r.event, lang),
                count=len(r.coming),
                names=who or "—",
                maybe=len(r.maybe),
                silent=len(r.silent),
            )
        )
    return "\n".join(lines)


def may_see(r: Roster, kind: str, scope: str, person_id: int) -> bool:
    """A digest recipient's events: all for the coordination, the city's for a candidate, the ones
    they created for a lead (events have no domain)."""
    e = r.event
    if kind == "coordinator":
        return True
    if kind == "candidate":
        return e.city is not None and fold(e.city.name) == fold(scope)
    return e.created_by == person_id and e.status == EventStatus.SCHEDULED

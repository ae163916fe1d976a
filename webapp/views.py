"""The Mini App's JSON: each view assembled from the capabilities' own use cases and read queries.
Who may see what is decided here per object (a lead's emails, a volunteer's own data), on top of
the route's role check (webapp/routes.py). Texts that come from the bot (labels, answers of a use
case) are its catalog's, as plain text; the app's own words live in webapp/static/i18n.js."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.services import Services
from bot.texts import plain, t
from capabilities import recruitment
from capabilities.communication.planning import may_see_calendar
from capabilities.donations import bilan as bilan_cap
from capabilities.donations import memberships as mship
from capabilities.donations.config import law_config, ledger_map
from capabilities.donations.labels import (
    donor_name,
    kind_label,
    ledger_label,
    method_label,
    status_label,
)
from capabilities.events import render
from capabilities.events import roster as roster_cap
from capabilities.events.organise import Organiser, Refused
from capabilities.inbox import actions as inbox_actions
from capabilities.inbox.common import DOMAINS, Outcome, Who, domain_label
from capabilities.inbox.followup import working_hours_between
from capabilities.privacy import requests as privacy
from capabilities.privacy.erasure import erasure_parts, kept_text
from domain.communication import planning as plan
from domain.dates import format_day, format_when
from domain.events import Fill, may_manage
from domain.matching import may_recruit, organiser_cities
from domain.money import format_eur
from domain.people import Domain, Role
from domain.roles import ROLES
from domain.statuses import DonationKind, DonationStatus, EmailStatus, PostStatus
from storage import com_planning as com_q
from storage import events as events_q
from storage import inbox as inbox_q
from storage import people as people_q
from storage import webapp as q
from storage.models import Event, Person

WEEKS_BACK, WEEKS_AHEAD = 8, 26  # how far the agenda board and the calendar go
INBOX_SHOWN = 100
LEDGER_SHOWN = 300
CAP_SHOWN = 50


@dataclass(frozen=True)
class Viewer:
    """Who opened the app (the signed Telegram id) and their roles now."""

    telegram_id: int
    person: Person | None
    roles: frozenset[Role]
    lang: str

    @property
    def organiser(self) -> Organiser:
        assert self.person is not None
        return Organiser(self.person, self.roles)

    @property
    def who(self) -> Who:
        assert self.person is not None
        return Who(self.person, Role.COORDINATOR in self.roles)


def text(lang: str, key: str, **values: Any) -> str:
    """A text of the bot's catalog as plain text (the app sets it with textContent)."""
    return plain(t(lang, key, **values))


def staffing(fills: list[Fill]) -> str:
    """An event's staffing colour from its needs and the people coming for each: green when every
    place is taken, amber from half of them, red below; `none` without needs."""
    needed = sum(f.needed for f in fills)
    if needed == 0:
        return "none"
    taken = sum(min(f.taken, f.needed) for f in fills)
    if taken >= needed:
        return "green"
    return "amber" if taken * 2 >= needed else "red"


def week_bounds(now: datetime, tz: Any, offset: int) -> tuple[date, datetime, datetime]:
    offset = max(-WEEKS_BACK, min(WEEKS_AHEAD, offset))
    monday = plan.week_of(now.astimezone(tz).date()) + timedelta(weeks=offset)
    start, end = plan.week_bounds(monday, tz)
    return monday, start, end


def _week(lang: str, monday: date, now: datetime, offset: int) -> dict[str, Any]:
    return {
        "offset": max(-WEEKS_BACK, min(WEEKS_AHEAD, offset)),
        "start": format_day(monday, lang, now=now),
        "end": format_day(monday + timedelta(days=6), lang, now=now),
        "min": -WEEKS_BACK,
        "max": WEEKS_AHEAD,
    }


def _needs(lang: str, fills: list[Fill], event: Event) -> list[dict[str, Any]]:
    ids = {n.role: n.id for n in event.needs}
    return [
        {
            "id": ids.get(f.role),
            "role": f.role,
            "label": render.role_label(lang, f.role),
            "needed": f.needed,
            "taken": f.taken,
            "missing": f.missing,
        }
        for f in fills
    ]


def _has(lang: str, key: str) -> bool:
    from bot.texts import CATALOG

    return key in CATALOG.get(lang, CATALOG["fr"])


# --- Who am I ------------------------------------------------------------------------------------------


def me(viewer: Viewer, views: list[str]) -> dict[str, Any]:
    person = viewer.person
    return {
        "first_name": person.first_name if person else "",
        "lang": viewer.lang,
        "onboarded": person is not None,
        "roles": sorted(r.value for r in viewer.roles),
        "views": views,
    }


# --- Coordinators and organisers: the agenda board -----------------------------------------------------


async def agenda(services: Services, viewer: Viewer, offset: int, now: datetime) -> dict[str, Any]:
    """The week's events the person organises or recruits for, with their staffing colour."""
    person = viewer.person
    assert person is not None
    lang = viewer.lang
    monday, start, end = week_bounds(now, services.settings.tz, offset)
    async with services.db.session() as s:
        events = await q.events_between(s, start, end)
        city_ids = {c.name: c.id for c in await people_q.cities(s)}
        grants = people_q.grants_of(person)
        scope = organiser_cities(viewer.roles, grants, person.city_id, city_ids)
        shown = []
        for e in events:
            manages = may_manage(
                viewer.roles, grants, person.id, person.city_id, city_ids, e.city_id, e.created_by
            )
            recruits = may_recruit(scope, e.city_id)
            if manages or recruits:
                shown.append((e, manages, recruits))
        counts = await events_q.counts(s, [e.id for e, _, _ in shown])
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e, manages, recruits in shown:
        c = counts.get(e.id, {})
        fills = render.fills(e, c)
        day = format_day(e.starts_at, lang, now=now)
        days[day].append(
            {
                "id": e.id,
                "title": e.title,
                "kind": e.kind,
                "city": e.city.name if e.city else "",
                "when": format_when(e.starts_at, lang, now=now, end=e.ends_at),
                "place": e.place,
                "yes": c.get("yes", 0),
                "maybe": c.get("maybe", 0),
                "waitlist": c.get("waitlist", 0),
                "needs": _needs(lang, fills, e),
                "staffing": staffing(fills),
                "can_roster": manages,
                "can_recruit": recruits and e.starts_at > now,
            }
        )
    return {
        "week": _week(lang, monday, now, offset),
        "days": [{"day": d, "events": evs} for d, evs in days.items()],
    }


async def roster(services: Services, viewer: Viewer, event_id: int, now: datetime) -> dict[str, Any] | None:
    """Names of who is coming, for the event's organisers only (the capability checks and audits)."""
    found = await roster_cap.roster(services, viewer.organiser, event_id, now)
    if isinstance(found, Refused):
        return None
    lang = viewer.lang

    def names(entries: list[roster_cap.Entry]) -> list[dict[str, Any]]:
        return [
            {
                "name": e.name,
                "task": render.role_label(lang, e.role) if e.role else "",
                "guests": e.guests,
            }
            for e in entries
        ]

    return {
        "event": {"id": found.event.id, "title": found.event.title},
        "coming": names(found.coming),
        "maybe": names(found.maybe),
        "waitlist": names(found.waitlist),
        "not_coming": names(found.not_coming),
        "silent": names(found.silent),
    }


async def recruit(
    services: Services, viewer: Viewer, event_id: int, need_id: int, now: datetime
) -> dict[str, Any]:
    """« Relancer »: the same use case as the button of /besoins."""
    reply = await recruitment.recruit(services, viewer.organiser, event_id, need_id, now, viewer.lang)
    ok = not reply.alert
    return {"ok": ok, "message": text(viewer.lang, reply.key, **reply.values)}


async def recruitment_status(services: Services, viewer: Viewer, now: datetime) -> dict[str, Any]:
    """/besoins in full: the events short of people, each need's places and unanswered asks."""
    found = await recruitment.shortage(services, viewer.organiser, now, shown=50)
    lang = viewer.lang
    out = []
    for e in found.events[:50]:
        fills = render.fills(e, found.counts.get(e.id, {}))
        needs = _needs(lang, fills, e)
        for need in needs:
            need["pending"] = found.pending.get((e.id, need["role"]), 0)
        out.append(
            {
                "id": e.id,
                "title": e.title,
                "city": e.city.name if e.city else "",
                "when": format_when(e.starts_at, lang, now=now),
                "staffing": staffing(fills),
                "needs": needs,
            }
        )
    return {"events": out, "cap": services.settings.ask_max_per_person_per_week}


# --- Domain leads: the inbox queue ----------------------------------------------------------------------


async def inbox(services: Services, viewer: Viewer, now: datetime) -> dict[str, Any]:
    """The open emails the person may act on (actions.may_handle: a lead sees their domain's),
    as three lists: late (waiting longer than INBOX_CLAIM_HOURS), unclaimed, claimed."""
    settings = services.settings
    lang = viewer.lang
    who = viewer.who
    async with services.db.session() as s:
        emails = [
            e for e in await inbox_q.open_emails(s) if await inbox_actions.may_handle(s, settings, e, who)
        ]
        people = await inbox_q.people_by_ids(s, [e.claimed_by or e.assignee_id for e in emails])
    lists: dict[str, list[dict[str, Any]]] = {"late": [], "unclaimed": [], "claimed": []}
    for e in emails[:INBOX_SHOWN]:
        waited = working_hours_between(e.created_at, now, settings.tz)
        owner = people.get(e.claimed_by or e.assignee_id or -1)
        pending = e.status in inbox_q.PENDING
        late = pending and waited > settings.inbox_claim_hours
        row = {
            "id": e.id,
            "subject": e.subject or text(lang, "inbox.no_subject"),
            "sender": e.sender,
            "domain": domain_label(lang, e.domain, e.city),
            "received": format_when(e.received_at, lang, now=now),
            "waited_hours": round(waited, 1),
            "status": e.status,
            "owner": owner.first_name if owner else "",
            "mine": who.person.id in (e.assignee_id, e.claimed_by),
            "can_claim": pending,
            "can_done": e.status in (*inbox_q.PENDING, EmailStatus.CLAIMED),
        }
        lists["late" if late else "unclaimed" if pending else "claimed"].append(row)
    domains = [{"id": d, "label": domain_label(lang, d)} for d in DOMAINS if d != Domain.CAMPAIGN]
    return {**lists, "domains": domains, "sla_hours": settings.inbox_claim_hours}


def _outcome(lang: str, outcome: Outcome) -> dict[str, Any]:
    return {"ok": outcome.ok, "message": text(lang, outcome.key, **outcome.values) if outcome.key else ""}


async def inbox_action(
    services: Services, viewer: Viewer, action: str, email_id: int, domain: str, now: datetime
) -> dict[str, Any]:
    """The card's actions: take it, mark it answered, give it to another domain."""
    who = viewer.who
    if action == "claim":
        outcome = await inbox_actions.claim(services, email_id, who, now)
    elif action == "done":
        outcome = await inbox_actions.mark_done(services, email_id, who, now)
    else:
        outcome = await inbox_actions.reroute(services, email_id, who, domain, None, "m", now)
    return _outcome(viewer.lang, outcome)


# --- Communication: the editorial calendar --------------------------------------------------------------


def may_see_com(services: Services, viewer: Viewer) -> bool:
    return may_see_calendar(services.settings, viewer.person)


async def com_calendar(services: Services, viewer: Viewer, offset: int, now: datetime) -> dict[str, Any]:
    """The week's planned and published posts, per channel, clashes marked."""
    lang = viewer.lang
    tz = services.settings.tz
    monday, start, end = week_bounds(now, tz, offset)
    items: list[plan.Planned] = []
    async with services.db.session() as s:
        for post in await com_q.posts_due_between(s, start, end):
            when = post.due_at if post.status == PostStatus.SUGGESTED else post.publish_at
            if when is None:
                continue
            title = post.title or post.text[:60]
            for channel in post.channels:
                items.append(plan.Planned(post.id, str(channel), when, title, post.status))
        for pub, post in await com_q.publications_between(s, start, end):
            if pub.published_at is not None:
                title = post.title or post.text[:60]
                items.append(
                    plan.Planned(post.id, pub.channel, pub.published_at, title, PostStatus.PUBLISHED)
                )
    clashing = {(a.post_id, a.channel) for pair in plan.clashes(items) for a in pair}
    channels = []
    for channel, planned in plan.by_channel(items).items():
        channels.append(
            {
                "channel": text(lang, f"complan.channel.{channel}")
                if _has(lang, f"complan.channel.{channel}")
                else channel,
                "posts": [
                    {
                        "id": p.post_id,
                        "title": p.title,
                        "when": format_when(p.when.astimezone(tz), lang, now=now),
                        "status": p.status,
                        "status_label": text(lang, f"complan.status.{p.status}"),
                        "clash": (p.post_id, p.channel) in clashing,
                    }
                    for p in planned
                ],
            }
        )
    return {"week": _week(lang, monday, now, offset), "channels": channels}


# --- Treasurer: the ledger, the bilan, memberships -------------------------------------------------------


async def ledger(
    services: Services,
    viewer: Viewer,
    year: int,
    ledger_id: str | None,
    kind: str | None,
    status: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The year's payments with the filters, their totals, and each donor's total against the legal
    cap (gifts and fees accepted in the year, docs/legal-rules.md)."""
    lang = viewer.lang
    settings = services.settings
    today = now.astimezone(settings.tz).date()
    config = law_config(settings)
    async with services.db.session() as s:
        ledgers = await ledger_map(s)
        rows = await q.ledger(
            s, date(year, 1, 1), date(year, 12, 31), ledger=ledger_id, kind=kind, status=status
        )
        every = await q.ledger(s, date(year, 1, 1), date(year, 12, 31))
        names = await q.ledger_names(s)
        years = await q.donation_years(s)
    donations = [
        {
            "id": d.id,
            "day": format_day(d.received_on, lang, now=now),
            "amount": format_eur(d.amount_cents, lang),
            "amount_cents": d.amount_cents,
            "donor": donor_name(d.donor, lang) if d.donor else "",
            "kind": kind_label(lang, d.kind),
            "method": method_label(lang, d.method),
            "ledger": ledger_label(lang, d.ledger, ledgers),
            "status": d.status,
            "status_label": status_label(lang, d.status),
            "receipt": d.receipt_number or "",
        }
        for d in rows[:LEDGER_SHOWN]
    ]
    accepted = [d for d in rows if d.status == DonationStatus.RECORDED]
    per_donor: dict[int, int] = defaultdict(int)
    donor_of: dict[int, Any] = {}
    for d in every:
        if d.status == DonationStatus.RECORDED and d.donor_id is not None and d.kind != DonationKind.QUETE:
            per_donor[d.donor_id] += d.amount_cents
            donor_of[d.donor_id] = d.donor
    caps = []
    for donor_id, total in sorted(per_donor.items(), key=lambda kv: -kv[1])[:CAP_SHOWN]:
        state = (
            "over" if total > config.party_cap_cents else "near" if total >= config.party_warn_cents else "ok"
        )
        caps.append(
            {
                "donor": donor_name(donor_of[donor_id], lang),
                "total": format_eur(total, lang),
                "share": round(100 * total / config.party_cap_cents),
                "state": state,
            }
        )
    return {
        "year": year,
        "years": sorted({*years, today.year}, reverse=True),
        "filters": {
            "ledgers": [
                {"id": n, "label": ledger_label(lang, n, ledgers)} for n in sorted({*names, *ledgers})
            ],
            "kinds": [{"id": k.value, "label": kind_label(lang, k.value)} for k in DonationKind],
            "statuses": [{"id": k.value, "label": status_label(lang, k.value)} for k in DonationStatus],
        },
        "donations": donations,
        "more": max(0, len(rows) - LEDGER_SHOWN),
        "totals": {
            "count": len(rows),
            "accepted": format_eur(sum(d.amount_cents for d in accepted), lang),
            "accepted_count": len(accepted),
        },
        "cap": format_eur(config.party_cap_cents, lang),
        "caps": caps,
    }


async def bilan_png(services: Services, viewer: Viewer, year: int) -> bytes:
    """The /bilan chart, drawn by the same code."""
    report = await bilan_cap.year_bilan(services, year)
    return await bilan_cap.bilan_png(report, viewer.lang)


async def memberships(services: Services, viewer: Viewer, now: datetime) -> dict[str, Any]:
    """/adherents: counts; names of those to renew for treasurers only (as the command)."""
    lang = viewer.lang
    today = now.astimezone(services.settings.tz).date()
    names = Role.TREASURER in viewer.roles
    counts = await mship.overview(services, today, names=names, lang=lang)

    def rows(items: list[Any], shown: int) -> list[dict[str, Any]]:
        return [
            {"name": counts.names.get(m.donor_id, ""), "end": format_day(m.period_end, lang, now=now)}
            for m in items[:shown]
        ]

    return {
        "active": counts.active,
        "expiring": counts.expiring,
        "lapsed": counts.lapsed,
        "names": names,
        "expiring_list": rows(counts.expiring_list, mship.EXPIRING_SHOWN) if names else [],
        "lapsed_list": rows(counts.lapsed_list, mship.LAPSED_SHOWN) if names else [],
    }


# --- Volunteers: my events and tasks, my availability and skills, my data --------------------------------


async def mine(services: Services, viewer: Viewer, now: datetime) -> dict[str, Any]:
    person = viewer.person
    assert person is not None
    lang = viewer.lang
    async with services.db.session() as s:
        fresh = await people_q.person_by_id(s, person.id)
        assert fresh is not None
        parts = await q.my_participations(s, person.id, now)
        asks = await q.my_open_asks(s, person.id, now)
        held = (
            [e for e in await inbox_q.held_by(s, person.id)]
            if viewer.roles & {Role.LEAD, Role.COORDINATOR}
            else []
        )
    return {
        "events": [
            {
                "id": e.id,
                "title": e.title,
                "when": format_when(e.starts_at, lang, now=now, end=e.ends_at),
                "place": e.place,
                "city": e.city.name if e.city else "",
                "status": p.status,
                "task": render.role_label(lang, p.role) if p.role else "",
            }
            for p, e in parts
        ],
        "asks": [
            {
                "event": e.title,
                "when": format_when(e.starts_at, lang, now=now),
                "task": render.role_label(lang, a.role),
            }
            for a, e in asks
        ],
        "emails": [{"id": m.id, "subject": m.subject} for m in held],
        "skills": [
            {"id": r, "label": render.role_label(lang, r), "on": r in (fresh.skills or [])} for r in ROLES
        ],
        "paused": fresh.asks_paused,
        "absent_until": format_day(fresh.absent_until, lang, now=now) if fresh.absent_until else "",
        "city": fresh.city.name if fresh.city else "",
    }


async def export(services: Services, viewer: Viewer) -> dict[str, Any]:
    """/mes_donnees: the same export, logged as a request and answered at once."""
    access = await privacy.access_mine(services, viewer.telegram_id)
    await privacy.close(services, access.request_id)
    return access.export


async def erase_ask(services: Services, viewer: Viewer) -> dict[str, Any]:
    """/supprimer_mes_donnees, first step: what would go and what stays; nothing erased yet."""
    request_id, found = await privacy.ask_erasure(services, viewer.telegram_id)
    lang = viewer.lang
    if not found.anything:
        return {"nothing": True, "request_id": None, "erased": "", "kept": ""}
    return {
        "nothing": False,
        "request_id": request_id,
        "erased": plain(erasure_parts(lang, found)),
        "kept": plain(kept_text(lang, found, services.settings)),
    }


async def erase_confirm(services: Services, viewer: Viewer, request_id: int, yes: bool) -> dict[str, Any]:
    """The confirmation: the person's own request only (the use case checks the Telegram id)."""
    settled = await privacy.confirm_erasure(services, request_id, yes, telegram_id=viewer.telegram_id)
    lang = viewer.lang
    if settled.key == privacy.STALE:
        return {"ok": False, "erased": False, "message": text(lang, "fallback.button_stale")}
    if settled.erased is None:
        return {"ok": True, "erased": False, "message": text(lang, settled.key)}
    return {"ok": True, "erased": True, "message": plain(erasure_parts(lang, settled.erased))}

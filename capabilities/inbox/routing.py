"""Who handles an email: routing rules, the domain's leads, then the coordinators, round-robin among
those available; and /routage, which shows and edits the rules."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from capabilities.inbox.common import DOMAINS, Who, domain_label, fit
from domain.dates import format_day
from domain.inbox_input import parse_routing
from domain.people import Domain, Role
from domain.triage import CITIES
from storage import inbox as q
from storage import people as pq
from storage.models import Person


def available(person: Person, today: date) -> bool:
    return person.reachable and (person.absent_until is None or person.absent_until < today)


async def _tiers(
    session: AsyncSession, settings: Settings, domain: str, city: str | None
) -> AsyncIterator[list[Person]]:
    """Who may get an email of a domain, by preference: routing rules (the city's own first for
    campaign), the domain's leads, then the coordinators. Lazy: most emails stop at the first."""
    cities: list[str | None] = [city, None] if domain == Domain.CAMPAIGN and city else [None]
    for rule_city in cities:
        rules = await q.rules(session, domain, rule_city)
        if rules:
            people = await q.people_by_ids(session, [r.person_id for r in rules])
            yield [people[r.person_id] for r in rules if r.person_id in people]
    yield await q.leads_of(session, domain)
    yield await q.coordinators(session, settings.coordinator_ids)


async def choose(
    session: AsyncSession,
    settings: Settings,
    domain: str,
    city: str | None,
    today: date,
    exclude: Iterable[int] = (),
) -> Person | None:
    """The next person for an email, round-robin among the first tier with someone available."""
    excluded = set(exclude)
    async for tier in _tiers(session, settings, domain, city):
        candidates = {p.id: p for p in tier if available(p, today) and p.id not in excluded}
        pool = sorted(candidates.values(), key=lambda p: p.id)
        if not pool:
            continue
        key = f"inbox.rr:{domain}:{city or '*'}"
        row = await q.kv_get(session, key)
        last = int((row.value if row is not None else {}).get("last", 0))
        chosen = next((p for p in pool if p.id > last), pool[0])
        await q.kv_put(session, key, {"last": chosen.id})
        return chosen
    return None


async def describe_routing(session: AsyncSession, settings: Settings, lang: str, today: date) -> str:
    """/routage: the table, with who gets what when no rule is set."""

    def names(people: Sequence[Person]) -> str:
        out = []
        for p in people:
            name = p.first_name + (f" (@{p.username})" if p.username else "")
            if not available(p, today):
                if p.absent_until is not None and p.absent_until >= today:
                    name += " — " + t(lang, "inbox.route_absent", until=format_day(p.absent_until, lang))
                else:
                    name += " — " + t(lang, "inbox.route_unreachable")
            out.append(name)
        return ", ".join(out)

    all_rules = await q.rules(session)
    people = await q.people_by_ids(session, [r.person_id for r in all_rules])

    def ruled(domain: str, city: str | None) -> list[Person]:
        return [
            people[r.person_id]
            for r in all_rules
            if (r.domain, r.city) == (domain, city) and r.person_id in people
        ]

    coordinators = await q.coordinators(session, settings.coordinator_ids)
    lines = [t(lang, "inbox.route_header")]
    for domain in DOMAINS:
        own = ruled(domain, None)
        leads = await q.leads_of(session, domain)
        if own:
            who = Html(html.escape(names(own), quote=False))
        elif leads:
            who = Html(t(lang, "inbox.route_default_leads", names=names(leads)))
        else:
            who = Html(t(lang, "inbox.route_default_coord", names=names(coordinators) or "—"))
        lines.append(t(lang, "inbox.route_line", domain=domain_label(lang, domain), who=who))
        if domain == Domain.CAMPAIGN:
            for city in CITIES:
                local = ruled(domain, city)
                if local:
                    lines.append(
                        t(lang, "inbox.route_line", domain=domain_label(lang, domain, city), who=names(local))
                    )
    lines.append(t(lang, "inbox.route_unsure"))
    lines.append(t(lang, "inbox.route_usage"))
    return fit(lines)


async def routage(services: Services, who: Who, text: str, now: datetime) -> str:
    """/routage [retirer] <domaine> [ville] @pseudo…: the table, or the edit then the table."""
    settings = services.settings
    lang = who.person.language
    today = now.astimezone(settings.tz).date()
    if not text.split():
        async with services.db.session() as s:
            return await describe_routing(s, settings, lang, today)
    edit = parse_routing(text.split())
    if isinstance(edit, str):
        return t(lang, edit, cities=", ".join(CITIES)) + "\n" + t(lang, "inbox.route_usage")
    label = domain_label(lang, edit.domain, edit.city)
    done: list[str] = []
    notes: list[str] = []
    async with services.transaction() as s:
        for handle in edit.handles:
            person = await pq.person_by_handle(s, handle)
            if person is None:
                notes.append(t(lang, "role.person_unknown", who=handle))
                continue
            if edit.remove:
                changed = await q.remove_rule(s, edit.domain, edit.city, person.id)
                key = "inbox.route_removed" if changed else "inbox.route_not_found"
            else:
                changed = await q.add_rule(s, edit.domain, edit.city, person.id)
                key = "inbox.route_added" if changed else "inbox.route_exists"
                roles = {g.role for g in person.grants}
                is_coord = person.telegram_id in settings.coordinator_ids
                if changed and not roles & {Role.LEAD, Role.COORDINATOR} and not is_coord:
                    notes.append(t(lang, "inbox.route_not_lead", name=person.first_name))
            if changed:
                await pq.audit(
                    s,
                    who.person,
                    "inbox.routing",
                    f"routing:{key}",
                    domain=edit.domain,
                    city=edit.city,
                    person=person.id,
                )
            done.append(t(lang, key, name=person.first_name, domain=label))
        table = await describe_routing(s, settings, lang, today)
    return fit([*done, *notes, "", table])

"""Coordinators give roles, by invitation link or by command, and take them away. Each change is
audited and the person is told in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from capabilities.inbox.revocation import release_for_revoked_lead
from capabilities.people import Refused
from capabilities.people.cities import names
from capabilities.people.onboarding import INVITE_PREFIX
from domain.people import Grant, Role, RoleSpecError, effective_roles, parse_role_spec
from storage import outbox
from storage import people as q
from storage.models import Person


def grant_label(lang: str, grant: Grant) -> str:
    """`candidat·e Lyon`, `responsable communication`, `trésorerie`."""
    label = t(lang, f"role.{grant.role.value}")
    if grant.role is Role.LEAD and grant.scope:
        return f"{label} {t(lang, f'domain.{grant.scope}')}"
    return f"{label} {grant.scope}".strip()


async def _parse(svc: Services, words: list[str]) -> Grant | Refused:
    cities = await names(svc)
    spec = parse_role_spec(words, cities)
    if isinstance(spec, RoleSpecError):
        return Refused(spec.code, {"cities": ", ".join(cities)})
    return spec


@dataclass(frozen=True)
class Invitation:
    grant: Grant
    link: str
    hours: int


async def invite(svc: Services, by: Person | None, words: list[str]) -> Invitation | Refused:
    """A single-use link that gives the role `words` name (`candidat Lyon`) to whoever opens it first."""
    grant = await _parse(svc, words)
    if isinstance(grant, Refused):
        return grant
    token = secrets.token_urlsafe(12)
    hours = svc.settings.invite_ttl_hours
    async with svc.transaction() as s:
        await q.create_invite(s, token, grant, by, datetime.now(UTC) + timedelta(hours=hours))
        await q.audit(s, by, "invite.created", f"role:{grant.role.value}", scope=grant.scope)
    return Invitation(grant, svc.deep_link(INVITE_PREFIX + token), hours)


@dataclass(frozen=True)
class RoleChange:
    """A role given or taken away (`changed` False: they already had it, or did not)."""

    grant: Grant
    changed: bool
    name: str  # the person's first name
    telegram_id: int
    language: str
    roles: frozenset[Role]  # theirs now, for their menu


@dataclass(frozen=True)
class Namesakes:
    """A first name several people share: the coordinator picks one (never a guess)."""

    who: str
    people: list[tuple[int, str]]  # (person id, a label telling them apart)


def is_handle(who: str) -> bool:
    """`@pseudo` or a Telegram id, rather than a first name."""
    who = who.strip()
    return who.startswith("@") or who.lstrip("-").isdigit()


def _label(person: Person) -> str:
    """`Léa · Lyon · @lea`: what tells namesakes apart (coordinators see all of it anyway)."""
    parts = [
        person.first_name,
        person.city.name if person.city else "",
        f"@{person.username}" if person.username else "",
    ]
    return " · ".join(p for p in parts if p)


async def change_role(
    svc: Services, by: Person | None, handle: str, words: list[str], *, give: bool
) -> RoleChange | Refused:
    """/role and /retirer_role with `@pseudo` or a Telegram id (`handle`), `words` the role."""
    change = await change_role_for(svc, by, handle if is_handle(handle) else f"@{handle}", words, give=give)
    assert not isinstance(change, Namesakes)  # a handle never names several people at once
    return change


async def change_role_for(
    svc: Services, by: Person | None, who: str, words: list[str], *, give: bool
) -> RoleChange | Namesakes | Refused:
    """/role and /retirer_role as typed: `who` is `@pseudo`, a Telegram id or a first name, `words`
    the role. A first name several people share returns them (Namesakes) for the coordinator to
    pick; an unknown one says to use /inviter for people not registered yet."""
    grant = await _parse(svc, words)
    if isinstance(grant, Refused):
        return grant
    async with svc.transaction() as s:
        if is_handle(who):
            found = await q.people_by_handle(s, who)
            if len(found) > 1:
                return Refused("role.person_ambiguous", {"who": who})
        else:
            found = await q.people_by_first_name(s, who)
            if len(found) > 1:
                return Namesakes(who, [(p.id, _label(p)) for p in found])
            if not found:  # a @pseudo typed without its @
                found = await q.people_by_handle(s, who)
                if len(found) > 1:
                    return Refused("role.person_ambiguous", {"who": who})
        if not found:
            key = "role.person_unknown" if is_handle(who) else "role.name_unknown"
            return Refused(key, {"who": who})
        return await _apply(s, svc, by, found[0], grant, give=give)


async def change_role_of(
    svc: Services, by: Person | None, person_id: int, words: list[str], *, give: bool
) -> RoleChange | Refused:
    """The same, for the person a coordinator picked among namesakes (a button: checked again)."""
    grant = await _parse(svc, words)
    if isinstance(grant, Refused):
        return grant
    async with svc.transaction() as s:
        person = await q.person_by_id(s, person_id)
        if person is None:
            return Refused("role.pick_gone")
        return await _apply(s, svc, by, person, grant, give=give)


async def _apply(
    s: AsyncSession, svc: Services, by: Person | None, person: Person, grant: Grant, *, give: bool
) -> RoleChange:
    if give:
        changed = await q.grant_role(s, person, grant, by)
    else:
        changed = await q.revoke_role(s, person, grant)
        if changed:
            await release_for_revoked_lead(s, svc.settings, person, grant, datetime.now(UTC))
    if changed:
        action, key = ("role.granted", "role.you_got") if give else ("role.revoked", "role.you_lost")
        await q.audit(s, by, action, f"person:{person.id}", role=grant.role.value, scope=grant.scope)
        text = t(person.language, key, role=grant_label(person.language, grant))
        await outbox.enqueue(s, person.telegram_id, text_message(text), person_id=person.id)
    roles = effective_roles(
        q.grants_of(person), person.telegram_id in svc.settings.coordinator_ids, onboarded=True
    )
    return RoleChange(grant, changed, person.first_name, person.telegram_id, person.language, roles)


async def coordinators_to_ask(svc: Services) -> list[str]:
    """First names of the coordinators a refused person may ask for a role (oldest first)."""
    async with svc.db.session() as s:
        return await q.coordinator_names(s, list(svc.settings.coordinator_ids))

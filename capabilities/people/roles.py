"""Coordinators give roles, by invitation link or by command, and take them away. Each change is
audited and the person is told in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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


async def change_role(
    svc: Services, by: Person | None, handle: str, words: list[str], *, give: bool
) -> RoleChange | Refused:
    """/role and /retirer_role: `handle` is `@pseudo` or a Telegram id, `words` the role."""
    grant = await _parse(svc, words)
    if isinstance(grant, Refused):
        return grant
    async with svc.transaction() as s:
        found = await q.people_by_handle(s, handle)
        if len(found) > 1:
            return Refused("role.person_ambiguous", {"who": handle})
        if not found:
            return Refused("role.person_unknown", {"who": handle})
        person = found[0]
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

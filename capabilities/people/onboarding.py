"""/start: a newcomer is stored only once they consent; an invitation link gives its role once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import Services
from bot.texts import PRIVACY_VERSION
from capabilities.people import Refused
from domain.people import Grant, Role, invite_problem
from storage import people as q

INVITE_PREFIX = "inv_"  # `/start inv_<token>`


async def register(
    svc: Services,
    *,
    telegram_id: int,
    username: str | None,
    language: str,
    first_name: str,
    city_id: int | None,
    skills: list[str],
) -> None:
    """The person consented to the privacy notice (this version, now): their profile is created."""
    async with svc.transaction() as s:
        person = await q.create_person(
            s,
            telegram_id=telegram_id,
            first_name=first_name,
            username=username,
            language=language,
            city_id=city_id,
            skills=skills,
            consent_version=PRIVACY_VERSION,
            consent_at=datetime.now(UTC),
        )
        await q.audit(s, person, "person.onboarded", f"person:{person.id}", consent_version=PRIVACY_VERSION)


async def accept_invite(svc: Services, person_id: int, payload: str) -> Grant | Refused:
    """`inv_<token>`: single use, expiring; the role is granted in one transaction."""
    token = payload.removeprefix(INVITE_PREFIX)
    now = datetime.now(UTC)
    async with svc.transaction() as s:
        invite = await q.invite_by_token(s, token)
        if invite is None:
            return Refused("invite.invalid")
        problem = invite_problem(invite.used_at, invite.expires_at, now)
        if problem is not None:
            return Refused(problem)
        person = await q.person_by_id(s, person_id)
        assert person is not None
        grant = Grant(Role(invite.role), invite.scope)
        await q.grant_role(s, person, grant, None)
        invite.used_by = person.id
        invite.used_at = now
        await q.audit(
            s, person, "role.granted_by_invite", f"person:{person.id}", role=invite.role, scope=invite.scope
        )
    return grant

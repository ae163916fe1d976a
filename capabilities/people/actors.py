"""Who is acting: their profile (None before /start) and what their roles allow."""

from __future__ import annotations

from bot.services import Services
from domain.people import Role, effective_roles
from storage import people as q
from storage.models import Person


async def identify(svc: Services, telegram_id: int) -> tuple[Person | None, frozenset[Role]]:
    async with svc.db.session() as s:
        person = await q.person_by_telegram_id(s, telegram_id)
    roles = effective_roles(
        q.grants_of(person) if person else [],
        is_env_coordinator=telegram_id in svc.settings.coordinator_ids,
        onboarded=person is not None,
    )
    return person, roles

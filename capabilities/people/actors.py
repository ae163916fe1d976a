"""Who is acting: their profile (None before /start) and what their roles allow."""

from __future__ import annotations

from typing import Literal

from bot.services import Services
from domain.people import Role, effective_roles
from storage import people as q
from storage.models import Person


async def identify(
    svc: Services, telegram_id: int, *, username: str | None | Literal[False] = False
) -> tuple[Person | None, frozenset[Role]]:
    """Who `telegram_id` is, and their roles. `username` is the @handle (or None) Telegram gives
    with an update (False: not known here): when it differs from the stored one (renamed, or now
    held by someone else), it is refreshed at once, so that `/role @handle` reaches whoever holds
    the handle today."""
    async with svc.db.session() as s:
        person = await q.person_by_telegram_id(s, telegram_id)
        if username is False:
            stale = False
        elif person is not None:
            stale = person.username != username
        else:
            stale = bool(username) and await q.username_taken_elsewhere(s, telegram_id, username or "")
    if stale:
        async with svc.transaction() as s:
            await q.set_username(s, telegram_id, username or None)
            person = await q.person_by_telegram_id(s, telegram_id)
    roles = effective_roles(
        q.grants_of(person) if person else [],
        is_env_coordinator=telegram_id in svc.settings.coordinator_ids,
        onboarded=person is not None,
    )
    return person, roles

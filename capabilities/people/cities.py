"""Cities, the group chats attached to them, and what the bot learns of its chats."""

from __future__ import annotations

from bot.services import Services
from capabilities.people import Refused
from domain.people import match_city
from storage import people as q
from storage.models import Person


async def choices(svc: Services) -> list[tuple[int, str]]:
    """(id, name) of every city, by name: the buttons of /start and /profil."""
    async with svc.db.session() as s:
        return [(c.id, c.name) for c in await q.cities(s)]


async def names(svc: Services) -> list[str]:
    return [name for _, name in await choices(svc)]


async def with_groups(svc: Services) -> list[tuple[str, int]]:
    """Each city and how many active groups are attached to it."""
    async with svc.db.session() as s:
        cities = await q.cities(s)
        groups = await q.group_counts(s)
    return [(c.name, groups.get(c.id, 0)) for c in cities]


async def create(svc: Services, by: Person | None, name: str) -> bool:
    """False when a city of that name (any case) exists."""
    async with svc.transaction() as s:
        city = await q.create_city(s, name)
        if city is not None:
            await q.audit(s, by, "city.created", f"city:{name}")
    return city is not None


async def link_group(
    svc: Services, by: Person | None, chat_id: int, chat_type: str, title: str, wanted: str
) -> str | Refused:
    """/lier_ville in a group: the city's name as known, once the group is attached to it."""
    known = await names(svc)
    if not wanted:
        return Refused("group.usage", {"cities": ", ".join(known)})
    city_name = match_city(wanted, known)
    if city_name is None:
        return Refused("group.unknown_city", {"city": wanted, "cities": ", ".join(known)})
    async with svc.transaction() as s:
        city = next(c for c in await q.cities(s) if c.name == city_name)
        await q.upsert_group(s, chat_id, chat_type, title, city, by)
        await q.audit(s, by, "group.linked", f"chat:{chat_id}", city=city_name)
    return city_name


async def group_membership(svc: Services, chat_id: int, chat_type: str, title: str, *, joined: bool) -> None:
    """The bot was added to a group (remembered) or removed from it (no longer sent to)."""
    async with svc.transaction() as s:
        group = await q.known_group(s, chat_id)
        if joined and group is None:
            await q.upsert_group(s, chat_id, chat_type, title, None, None)
        elif not joined and group is not None:
            group.active = False


async def set_reachable(svc: Services, telegram_id: int, reachable: bool) -> None:
    """Someone blocked (False) or unblocked (True) the bot in private chat."""
    async with svc.transaction() as s:
        await q.set_reachable(s, telegram_id, reachable)


async def group_migrated(svc: Services, old_id: int, new_id: int) -> None:
    """A group upgraded to a supergroup changes id."""
    async with svc.transaction() as s:
        await q.migrate_chat(s, old_id, new_id)

"""Queries on people, roles, invitations and cities."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Grant, Role
from storage.models import AuditLog, Chat, City, Invite, Person, RoleGrant, utcnow


async def person_by_telegram_id(session: AsyncSession, telegram_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.telegram_id == telegram_id))


async def people_by_telegram_ids(session: AsyncSession, telegram_ids: Iterable[int]) -> dict[int, Person]:
    """The registered among these Telegram ids, by Telegram id."""
    ids = sorted(set(telegram_ids))
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.telegram_id.in_(ids)))
    return {p.telegram_id: p for p in found}


async def person_by_id(session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def people_by_handle(session: AsyncSession, handle: str) -> list[Person]:
    """Everyone stored under `@pseudo` (or a numeric Telegram id), oldest first: more than one means
    a handle that changed hands before its holders wrote again (see `set_username`)."""
    handle = handle.strip()
    if handle.lstrip("-").isdigit():
        found = await person_by_telegram_id(session, int(handle))
        return [found] if found is not None else []
    name = handle.removeprefix("@").lower()
    if not name:
        return []
    rows = await session.scalars(
        select(Person).where(func.lower(Person.username) == name).order_by(Person.id)
    )
    return list(rows)


async def person_by_handle(session: AsyncSession, handle: str) -> Person | None:
    """`@pseudo` or a numeric Telegram id; None when unknown or ambiguous (never a guess)."""
    found = await people_by_handle(session, handle)
    return found[0] if len(found) == 1 else None


async def people_by_first_name(session: AsyncSession, name: str) -> list[Person]:
    """Everyone whose first name is `name`, ignoring case and accents (`lea` finds Léa), oldest first.
    Folded in Python: accents are not folded alike by SQLite and PostgreSQL."""
    from domain.text import fold

    wanted = fold(name)
    if not wanted:
        return []
    rows = await session.execute(select(Person.id, Person.first_name).order_by(Person.id))
    ids = [pid for pid, first in rows.all() if fold(first) == wanted]
    if not ids:
        return []
    return list(await session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))


async def coordinator_names(session: AsyncSession, env_ids: list[int], limit: int = 3) -> list[str]:
    """First names of the coordinators (given the role, or listed in COORDINATOR_IDS), oldest first."""
    granted = select(RoleGrant.person_id).where(RoleGrant.role == Role.COORDINATOR.value)
    rows = await session.scalars(
        select(Person.first_name)
        .where(Person.id.in_(granted) | Person.telegram_id.in_(list(env_ids)))
        .order_by(Person.id)
        .limit(limit)
    )
    return list(rows)


async def username_taken_elsewhere(session: AsyncSession, telegram_id: int, username: str) -> bool:
    """Does a row other than `telegram_id`'s still hold `username`?"""
    found = await session.scalar(
        select(Person.id)
        .where(func.lower(Person.username) == username.lower(), Person.telegram_id != telegram_id)
        .limit(1)
    )
    return found is not None


async def set_username(session: AsyncSession, telegram_id: int, username: str | None) -> None:
    """Telegram says `telegram_id` is `@username` now: store it on their row (if any), and take it
    from every other row (a handle has one holder at a time)."""
    if username:
        await session.execute(
            update(Person)
            .where(func.lower(Person.username) == username.lower(), Person.telegram_id != telegram_id)
            .values(username=None)
        )
    await session.execute(update(Person).where(Person.telegram_id == telegram_id).values(username=username))


def grants_of(person: Person) -> list[Grant]:
    return [Grant(Role(g.role), g.scope) for g in person.grants]


async def create_person(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str | None,
    language: str,
    city_id: int | None,
    skills: list[str],
    consent_version: str,
    consent_at: datetime,
) -> Person:
    person = Person(
        telegram_id=telegram_id,
        first_name=first_name,
        username=username,
        language=language,
        city_id=city_id,
        skills=skills,
        consent_version=consent_version,
        consent_at=consent_at,
    )
    session.add(person)
    await session.flush()
    return person


async def grant_role(session: AsyncSession, person: Person, grant: Grant, by: Person | None) -> bool:
    """Add the role; False when the person already had it."""
    if any(g.role == grant.role and g.scope == grant.scope for g in person.grants):
        return False
    person.grants.append(
        RoleGrant(role=grant.role.value, scope=grant.scope, granted_by=by.id if by else None)
    )
    await session.flush()
    return True


async def revoke_role(session: AsyncSession, person: Person, grant: Grant) -> bool:
    for g in list(person.grants):
        if g.role == grant.role and g.scope == grant.scope:
            person.grants.remove(g)
            await session.flush()
            return True
    return False


async def cities(session: AsyncSession) -> list[City]:
    return list(await session.scalars(select(City).order_by(City.name)))


async def create_city(session: AsyncSession, name: str) -> City | None:
    """None if a city of that name (any case) exists."""
    exists = await session.scalar(select(City).where(func.lower(City.name) == name.lower()))
    if exists:
        return None
    city = City(name=name, aliases=[])
    session.add(city)
    await session.flush()
    return city


async def group_counts(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(Chat.city_id, func.count()).where(Chat.active.is_(True)).group_by(Chat.city_id)
    )
    return {city_id: n for city_id, n in rows.all() if city_id is not None}


async def upsert_group(
    session: AsyncSession, chat_id: int, chat_type: str, title: str, city: City | None, by: Person | None
) -> Chat:
    chat = await session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(id=chat_id, type=chat_type, title=title)
        session.add(chat)
    chat.title = title
    chat.active = True
    if city is not None:
        chat.city_id = city.id
        chat.city = city
        chat.linked_by = by.id if by else None
    await session.flush()
    return chat


async def set_reachable(session: AsyncSession, telegram_id: int, reachable: bool) -> None:
    """Someone blocked (False) or unblocked (True) the bot in private chat."""
    await session.execute(update(Person).where(Person.telegram_id == telegram_id).values(reachable=reachable))


async def known_group(session: AsyncSession, chat_id: int) -> Chat | None:
    return await session.get(Chat, chat_id)


async def migrate_chat(session: AsyncSession, old_id: int, new_id: int) -> None:
    """A group upgraded to a supergroup changes id: carry its row over (idempotent, race-safe)."""
    old = await session.get(Chat, old_id)
    if old is None:
        return
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(Chat)
        .values(
            id=new_id,
            type="supergroup",
            title=old.title,
            city_id=old.city_id,
            purpose=old.purpose,
            active=True,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    old.active = False
    old.migrated_to = new_id
    await session.flush()


async def create_invite(
    session: AsyncSession, token: str, grant: Grant, by: Person | None, expires_at: datetime
) -> Invite:
    invite = Invite(
        token=token,
        role=grant.role.value,
        scope=grant.scope,
        created_by=by.id if by else None,
        expires_at=expires_at,
    )
    session.add(invite)
    await session.flush()
    return invite


async def invite_by_token(session: AsyncSession, token: str) -> Invite | None:
    return await session.get(Invite, token, with_for_update=True)


async def audit(
    session: AsyncSession, actor: Person | None, action: str, subject: str = "", **details: object
) -> None:
    """One row of the audit log. `subject` is typed, `kind:id` (`person:2`, `event:2`, `request:2`), or
    empty: ids of people, events and requests share one number space, and /mes_donnees reads the
    rows about a person by their `person:` subject only."""
    kind, sep, ident = subject.partition(":")
    if subject and not (sep and ident and kind.isidentifier() and kind.islower()):
        raise ValueError(f"untyped audit subject {subject!r}: write it as kind:id")
    session.add(
        AuditLog(actor_id=actor.id if actor else None, action=action, subject=subject, details=details)
    )

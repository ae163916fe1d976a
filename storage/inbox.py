"""Queries of the shared inbox: emails, routing rules, saved answers, small durable state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Role
from domain.statuses import EmailStatus
from storage.db import rows_changed
from storage.models import EmailMessage, KeyValue, Outbox, Person, RoleGrant, RoutingRule, SavedReply, utcnow

PENDING = (EmailStatus.NEW, EmailStatus.ASSIGNED)  # nobody has taken it yet
OPEN = (*PENDING, EmailStatus.CLAIMED, EmailStatus.SENDING)


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


# --- Key/value state ------------------------------------------------------------------------


async def kv_get(session: AsyncSession, key: str) -> KeyValue | None:
    return await session.get(KeyValue, key)


async def kv_stamp(session: AsyncSession, key: str) -> datetime | None:
    """When a value last changed, without loading it (the triage model is large)."""
    return await session.scalar(select(KeyValue.updated_at).where(KeyValue.key == key))


async def kv_put(session: AsyncSession, key: str, value: dict[str, Any]) -> None:
    now = utcnow()
    stmt = _insert(session)(KeyValue).values(key=key, value=value, updated_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value, "updated_at": now})
    await session.execute(stmt)


async def kv_delete(session: AsyncSession, key: str) -> None:
    await session.execute(delete(KeyValue).where(KeyValue.key == key))


async def kv_with_prefix(session: AsyncSession, prefix: str, limit: int) -> list[KeyValue]:
    return list(
        await session.scalars(
            select(KeyValue)
            .where(KeyValue.key.startswith(prefix, autoescape=True))
            .order_by(KeyValue.key)
            .limit(limit)
        )
    )


# --- Emails ---------------------------------------------------------------------------------


async def known_gmail_ids(session: AsyncSession, ids: Sequence[str]) -> set[str]:
    known: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        known.update(
            await session.scalars(select(EmailMessage.gmail_id).where(EmailMessage.gmail_id.in_(chunk)))
        )
    return known


async def insert_email(session: AsyncSession, values: dict[str, Any]) -> int | None:
    """The new row's id, or None when another process stored this Gmail message first."""
    stmt = (
        _insert(session)(EmailMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["gmail_id"])
        .returning(EmailMessage.id)
    )
    email_id: int | None = await session.scalar(stmt)
    return email_id


async def email_by_id(session: AsyncSession, email_id: int, lock: bool = False) -> EmailMessage | None:
    stmt = select(EmailMessage).where(EmailMessage.id == email_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def thread_owner(session: AsyncSession, thread_id: str) -> EmailMessage | None:
    """The latest earlier email of a thread that somebody handled (for follow-ups in the thread)."""
    return await session.scalar(
        select(EmailMessage)
        .where(
            EmailMessage.thread_id == thread_id,
            EmailMessage.status != EmailStatus.SPAM,
            or_(EmailMessage.claimed_by.is_not(None), EmailMessage.assignee_id.is_not(None)),
        )
        .order_by(EmailMessage.received_at.desc(), EmailMessage.id.desc())
        .limit(1)
    )


async def transition(
    session: AsyncSession,
    email_id: int,
    from_statuses: Iterable[str],
    values: dict[str, Any],
    claimed_by: int | None | str = "any",
) -> bool:
    """Change an email only if it is still in one of `from_statuses` (and, when given, still
    claimed by `claimed_by`, None meaning unclaimed): the check that makes a double tap harmless."""
    stmt = update(EmailMessage).where(
        EmailMessage.id == email_id, EmailMessage.status.in_(list(from_statuses))
    )
    if claimed_by is None:
        stmt = stmt.where(EmailMessage.claimed_by.is_(None))
    elif claimed_by != "any":
        stmt = stmt.where(or_(EmailMessage.claimed_by.is_(None), EmailMessage.claimed_by == claimed_by))
    result = await session.execute(stmt.values(**values, updated_at=utcnow()))
    return rows_changed(result) == 1


async def open_emails(session: AsyncSession, limit: int = 500) -> list[EmailMessage]:
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(EmailMessage.status.in_(OPEN))
            .order_by(EmailMessage.received_at)
            .limit(limit)
        )
    )


async def recent_spam(session: AsyncSession, limit: int = 10) -> list[EmailMessage]:
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(EmailMessage.status == EmailStatus.SPAM)
            .order_by(EmailMessage.received_at.desc())
            .limit(limit)
        )
    )


async def due_follow_up(session: AsyncSession) -> list[EmailMessage]:
    """Unclaimed emails not yet reminded or not yet escalated (the clock is checked in Python)."""
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(
                EmailMessage.status.in_(PENDING),
                or_(EmailMessage.reminded_at.is_(None), EmailMessage.escalated_at.is_(None)),
            )
            .order_by(EmailMessage.id)
            .with_for_update()
        )
    )


async def stuck_sending(session: AsyncSession, before: datetime) -> list[EmailMessage]:
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(EmailMessage.status == EmailStatus.SENDING, EmailMessage.answered_at < before)
            .with_for_update()
        )
    )


async def pending_assigned_to(session: AsyncSession, person_id: int) -> list[EmailMessage]:
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(EmailMessage.status.in_(PENDING), EmailMessage.assignee_id == person_id)
            .order_by(EmailMessage.id)
        )
    )


async def held_by(session: AsyncSession, person_id: int) -> list[EmailMessage]:
    """Emails waiting for this person or taken by them (not those being sent), locked."""
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(
                or_(
                    (EmailMessage.status.in_(PENDING)) & (EmailMessage.assignee_id == person_id),
                    (EmailMessage.status == EmailStatus.CLAIMED) & (EmailMessage.claimed_by == person_id),
                )
            )
            .order_by(EmailMessage.id)
            .with_for_update()
        )
    )


# --- Telegram cards of an email (outbox rows) ------------------------------------------------


def card_prefix(email_id: int) -> str:
    return f"inbox:{email_id}:card:"


async def cards(session: AsyncSession, email_id: int) -> list[Outbox]:
    """Every message that showed this email with its buttons, to whom, and its Telegram id."""
    return list(
        await session.scalars(
            select(Outbox).where(Outbox.dedupe_key.startswith(card_prefix(email_id))).order_by(Outbox.id)
        )
    )


async def card_tag(session: AsyncSession, email_id: int, chat_id: int, message_id: int) -> str | None:
    """The tag (f1, e7, v3…) of the card shown in that Telegram message, if it is one."""
    key = await session.scalar(
        select(Outbox.dedupe_key).where(
            Outbox.dedupe_key.startswith(card_prefix(email_id)),
            Outbox.chat_id == chat_id,
            Outbox.message_id == message_id,
        )
    )
    return key.rsplit(":", 1)[-1] if key else None


async def received_card(session: AsyncSession, email_id: int, person_id: int) -> bool:
    found = await session.scalar(
        select(Outbox.id)
        .where(Outbox.dedupe_key.startswith(card_prefix(email_id)), Outbox.person_id == person_id)
        .limit(1)
    )
    return found is not None


# --- People ---------------------------------------------------------------------------------


async def people_by_ids(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Person]:
    """The people of these ids (None and unknown ids are skipped)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(wanted)))}


async def leads_of(session: AsyncSession, domain: str) -> list[Person]:
    return list(
        await session.scalars(
            select(Person)
            .join(RoleGrant, RoleGrant.person_id == Person.id)
            .where(RoleGrant.role == Role.LEAD, RoleGrant.scope == domain)
            .order_by(Person.id)
        )
    )


async def coordinators(session: AsyncSession, env_ids: Sequence[int]) -> list[Person]:
    granted = select(RoleGrant.person_id).where(RoleGrant.role == Role.COORDINATOR)
    condition: ColumnElement[bool] = Person.id.in_(granted)
    if env_ids:
        condition = or_(condition, Person.telegram_id.in_(list(env_ids)))
    return list(await session.scalars(select(Person).where(condition).order_by(Person.id)))


async def set_absence(session: AsyncSession, person_id: int, until: date | None) -> None:
    await session.execute(update(Person).where(Person.id == person_id).values(absent_until=until))


# --- Routing rules --------------------------------------------------------------------------


async def rules(
    session: AsyncSession, domain: str | None = None, city: str | None | bool = False
) -> list[RoutingRule]:
    """Rules, optionally of one domain; `city`: False any, None only city-less, a name that city."""
    stmt = select(RoutingRule).order_by(RoutingRule.domain, RoutingRule.city, RoutingRule.id)
    if domain is not None:
        stmt = stmt.where(RoutingRule.domain == domain)
    if city is None:
        stmt = stmt.where(RoutingRule.city.is_(None))
    elif isinstance(city, str):
        stmt = stmt.where(RoutingRule.city == city)
    return list(await session.scalars(stmt))


async def has_rule(session: AsyncSession, person_id: int) -> bool:
    """Whether the person is named in a routing rule (the inbox reaches them without a lead role)."""
    found = await session.scalar(select(RoutingRule.id).where(RoutingRule.person_id == person_id).limit(1))
    return found is not None


async def rule_domains(session: AsyncSession, person_id: int) -> set[str]:
    """The domains of the routing rules that name this person."""
    return set(await session.scalars(select(RoutingRule.domain).where(RoutingRule.person_id == person_id)))


async def add_rule(session: AsyncSession, domain: str, city: str | None, person_id: int) -> bool:
    """False when the rule exists (NULL cities are distinct for the unique index: checked here)."""
    exists = await session.scalar(
        select(RoutingRule.id).where(
            RoutingRule.domain == domain,
            RoutingRule.person_id == person_id,
            RoutingRule.city.is_(None) if city is None else RoutingRule.city == city,
        )
    )
    if exists is not None:
        return False
    session.add(RoutingRule(domain=domain, city=city, person_id=person_id))
    await session.flush()
    return True


async def remove_rule(session: AsyncSession, domain: str, city: str | None, person_id: int) -> bool:
    result = await session.execute(
        delete(RoutingRule).where(
            RoutingRule.domain == domain,
            RoutingRule.person_id == person_id,
            RoutingRule.city.is_(None) if city is None else RoutingRule.city == city,
        )
    )
    return rows_changed(result) > 0


# --- Saved answers --------------------------------------------------------------------------


async def saved_replies(session: AsyncSession) -> list[SavedReply]:
    return list(await session.scalars(select(SavedReply).order_by(func.lower(SavedReply.name))))


async def saved_reply(session: AsyncSession, name: str) -> SavedReply | None:
    return await session.scalar(select(SavedReply).where(func.lower(SavedReply.name) == name.lower()))


async def saved_reply_by_id(session: AsyncSession, reply_id: int) -> SavedReply | None:
    return await session.get(SavedReply, reply_id)


async def save_reply(session: AsyncSession, name: str, body: str, person_id: int | None) -> bool:
    """True when created, False when an existing answer of that name was replaced."""
    existing = await saved_reply(session, name)
    if existing is not None:
        existing.body = body
        return False
    session.add(SavedReply(name=name, body=body, created_by=person_id))
    await session.flush()
    return True


async def delete_reply(session: AsyncSession, name: str) -> bool:
    result = await session.execute(delete(SavedReply).where(func.lower(SavedReply.name) == name.lower()))
    return rows_changed(result) > 0

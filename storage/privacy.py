"""Queries behind personal-data rights and retention: what is stored about someone, and how it goes.

Every statement of the privacy capability lives here; capabilities/privacy/ decides what to run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from sqlalchemy import String, case, cast, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.people import Role
from domain.statuses import AskAnswer, EmailStatus
from storage import outbox
from storage.db import rows_changed
from storage.models import (
    Announcement,
    Ask,
    AuditLog,
    ComPost,
    ComRequest,
    DataRequest,
    Donation,
    Donor,
    EmailMessage,
    Event,
    Expense,
    Membership,
    Outbox,
    Participation,
    PendingRsvp,
    Person,
    RoleGrant,
    RoutingRule,
    SavedReply,
)

# Anonymised people get a Telegram id below -2**53: beyond Telegram's 52-bit ids, so no chat can match.
SENTINEL_BASE = 2**53
# Outbox status of a message that must no longer go out (the person stopped or erased everything).
CANCELLED = "cancelled"
ERASED = "[effacé]"
OPEN_EMAIL = (EmailStatus.ASSIGNED, EmailStatus.CLAIMED)


def sentinel_id(person_id: int) -> int:
    return -(SENTINEL_BASE + person_id)


# --- Who ------------------------------------------------------------------------------------


async def person_by_id(session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def donors_linked(session: AsyncSession, person_id: int) -> list[Donor]:
    return list(await session.scalars(select(Donor).where(Donor.person_id == person_id).order_by(Donor.id)))


async def donors_by_email(session: AsyncSession, emails: Iterable[str]) -> list[Donor]:
    wanted = sorted({e.strip().lower() for e in emails if e.strip()})
    if not wanted:
        return []
    return list(
        await session.scalars(select(Donor).where(func.lower(Donor.email).in_(wanted)).order_by(Donor.id))
    )


async def coordinators(session: AsyncSession, env_ids: Sequence[int]) -> list[Person]:
    has_grant = exists().where(RoleGrant.person_id == Person.id, RoleGrant.role == Role.COORDINATOR)
    stmt = select(Person).where(or_(has_grant, Person.telegram_id.in_(list(env_ids) or [0])))
    return list(await session.scalars(stmt.order_by(Person.id)))


async def treasurers(session: AsyncSession) -> list[Person]:
    has_grant = exists().where(RoleGrant.person_id == Person.id, RoleGrant.role == Role.TREASURER)
    return list(await session.scalars(select(Person).where(has_grant).order_by(Person.id)))


# --- What is stored about them (read side of /mes_donnees) ------------------------------------


async def donations_of(session: AsyncSession, donor_ids: Sequence[int]) -> list[Donation]:
    if not donor_ids:
        return []
    return list(
        await session.scalars(
            select(Donation)
            .where(Donation.donor_id.in_(donor_ids))
            .order_by(Donation.received_on, Donation.id)
        )
    )


async def memberships_of(
    session: AsyncSession, donor_ids: Sequence[int], person_id: int | None
) -> list[Membership]:
    conditions: list[ColumnElement[bool]] = [Membership.donor_id.in_(donor_ids)] if donor_ids else []
    if person_id is not None:
        conditions.append(Membership.person_id == person_id)
    if not conditions:
        return []
    return list(
        await session.scalars(select(Membership).where(or_(*conditions)).order_by(Membership.period_start))
    )


async def participations_of(session: AsyncSession, person_id: int) -> list[tuple[Participation, Event]]:
    rows = await session.execute(
        select(Participation, Event)
        .join(Event, Event.id == Participation.event_id)
        .where(Participation.person_id == person_id)
        .order_by(Event.starts_at)
    )
    return [(p, e) for p, e in rows.all()]


async def asks_of(session: AsyncSession, person_id: int) -> list[tuple[Ask, Event]]:
    rows = await session.execute(
        select(Ask, Event)
        .join(Event, Event.id == Ask.event_id)
        .where(Ask.person_id == person_id)
        .order_by(Ask.asked_at)
    )
    return [(a, e) for a, e in rows.all()]


async def pending_rsvps_of(session: AsyncSession, telegram_id: int) -> list[tuple[PendingRsvp, Event]]:
    rows = await session.execute(
        select(PendingRsvp, Event)
        .join(Event, Event.id == PendingRsvp.event_id)
        .where(PendingRsvp.telegram_id == telegram_id)
        .order_by(PendingRsvp.created_at)
    )
    return [(r, e) for r, e in rows.all()]


async def emails_handled_by(session: AsyncSession, person_id: int) -> list[EmailMessage]:
    return list(
        await session.scalars(
            select(EmailMessage)
            .where(or_(EmailMessage.assignee_id == person_id, EmailMessage.claimed_by == person_id))
            .order_by(EmailMessage.received_at)
        )
    )


def _addresses(emails: Iterable[str]) -> list[str]:
    return sorted({e.strip().lower() for e in emails if e.strip()})


def sender_address(sender: str) -> str:
    """The address of a From header (`a@b.fr` or `Name <a@b.fr>`), lower-cased."""
    return parseaddr(sender)[1].strip().lower()


async def emails_from(session: AsyncSession, emails: Iterable[str]) -> list[EmailMessage]:
    """Emails whose sender's parsed address is one of `emails`, exactly (never a LIKE pattern: `_` and
    `%` are ordinary characters of an address typed by a coordinator)."""
    addresses = _addresses(emails)
    if not addresses:
        return []
    sender = func.lower(EmailMessage.sender)
    # Narrowed in SQL with the wildcards escaped, decided on the parsed address.
    candidates = await session.scalars(
        select(EmailMessage)
        .where(or_(*[sender.contains(a, autoescape=True) for a in addresses]))
        .order_by(EmailMessage.received_at, EmailMessage.id)
    )
    wanted = set(addresses)
    return [m for m in candidates if sender_address(m.sender) in wanted]


async def routing_rules_of(session: AsyncSession, person_id: int) -> list[RoutingRule]:
    return list(await session.scalars(select(RoutingRule).where(RoutingRule.person_id == person_id)))


async def events_created_by(session: AsyncSession, person_id: int) -> list[Event]:
    return list(
        await session.scalars(select(Event).where(Event.created_by == person_id).order_by(Event.starts_at))
    )


async def com_requests_by(session: AsyncSession, person_id: int) -> list[ComRequest]:
    return list(
        await session.scalars(
            select(ComRequest).where(ComRequest.requested_by == person_id).order_by(ComRequest.id)
        )
    )


async def com_posts_by(session: AsyncSession, person_id: int) -> list[ComPost]:
    return list(
        await session.scalars(select(ComPost).where(ComPost.author_id == person_id).order_by(ComPost.id))
    )


async def expenses_of(session: AsyncSession, person_id: int) -> list[Expense]:
    return list(
        await session.scalars(select(Expense).where(Expense.person_id == person_id).order_by(Expense.id))
    )


async def broadcasts_by(session: AsyncSession, person_id: int) -> list[Announcement]:
    return list(
        await session.scalars(
            select(Announcement).where(Announcement.created_by == person_id).order_by(Announcement.id)
        )
    )


async def saved_replies_by(session: AsyncSession, person_id: int) -> list[SavedReply]:
    return list(await session.scalars(select(SavedReply).where(SavedReply.created_by == person_id)))


def person_subject(person_id: int) -> str:
    return f"person:{person_id}"


def _about(person_id: int) -> Any:
    """Audit rows done by the person, or about them (a `person:` subject, or a `person` detail).

    A bare id (rows written before subjects were typed) may be an event's or an email's: never theirs.
    """
    marker = f'"person": {person_id}'
    return or_(
        AuditLog.actor_id == person_id,
        AuditLog.subject == person_subject(person_id),
        cast(AuditLog.details, String).contains(marker),
    )


async def audit_about(session: AsyncSession, person_id: int) -> list[AuditLog]:
    rows = await session.scalars(select(AuditLog).where(_about(person_id)).order_by(AuditLog.at, AuditLog.id))
    return [r for r in rows if r.actor_id == person_id or is_about(r, person_id)]


def is_about(row: AuditLog, person_id: int) -> bool:
    """The row's object is the person (not merely done by them)."""
    # The JSON text match may hit `"person": 12` for person 1; the parsed value decides.
    return row.subject == person_subject(person_id) or (
        isinstance(row.details, dict) and row.details.get("person") == person_id
    )


async def data_requests_for(
    session: AsyncSession, telegram_id: int | None, emails: Iterable[str]
) -> list[DataRequest]:
    conditions = []
    if telegram_id is not None:
        conditions.append(DataRequest.telegram_id == telegram_id)
    addresses = sorted({e.strip().lower() for e in emails if e.strip()})
    if addresses:
        conditions.append(func.lower(DataRequest.email).in_(addresses))
    if not conditions:
        return []
    return list(await session.scalars(select(DataRequest).where(or_(*conditions)).order_by(DataRequest.id)))


async def messages_to(session: AsyncSession, telegram_id: int, limit: int = 500) -> list[Outbox]:
    return list(
        await session.scalars(
            select(Outbox).where(Outbox.chat_id == telegram_id).order_by(Outbox.id.desc()).limit(limit)
        )
    )


async def count_messages_to(session: AsyncSession, telegram_id: int) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.chat_id == telegram_id))
        or 0
    )


# --- Requests (the register of rule 37) --------------------------------------------------------


async def add_request(
    session: AsyncSession,
    kind: str,
    *,
    telegram_id: int | None,
    email: str = "",
    requested_by: int | None = None,
    note: str = "",
    now: datetime,
    done: bool = False,
) -> DataRequest:
    row = DataRequest(
        kind=kind,
        telegram_id=telegram_id,
        email=email[:320],
        requested_at=now,
        requested_by=requested_by,
        note=note,
        done_at=now if done else None,
    )
    session.add(row)
    await session.flush()
    return row


async def open_request(
    session: AsyncSession, kind: str, *, telegram_id: int | None, email: str = "", by_coordination: bool
) -> DataRequest | None:
    """The request of this kind still open for the same person (Telegram id, or else email address),
    made by them (`by_coordination` False) or received by the coordination."""
    made_by = DataRequest.requested_by.is_not(None) if by_coordination else DataRequest.requested_by.is_(None)
    stmt = select(DataRequest).where(DataRequest.kind == kind, DataRequest.done_at.is_(None), made_by)
    if telegram_id is not None:
        stmt = stmt.where(DataRequest.telegram_id == telegram_id)
    elif email:
        stmt = stmt.where(DataRequest.telegram_id.is_(None), func.lower(DataRequest.email) == email.lower())
    else:
        return None
    return await session.scalar(stmt.order_by(DataRequest.id).limit(1).with_for_update())


async def request_by_id(session: AsyncSession, request_id: int, lock: bool = False) -> DataRequest | None:
    stmt = select(DataRequest).where(DataRequest.id == request_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def close_request(session: AsyncSession, request_id: int, now: datetime, note: str = "") -> bool:
    """Mark the request answered; False when it already was (a double tap closes it once)."""
    values: dict[str, Any] = {"done_at": now}
    if note:
        values["note"] = note
    result = await session.execute(
        update(DataRequest)
        .where(DataRequest.id == request_id, DataRequest.done_at.is_(None))
        .values(**values)
    )
    return rows_changed(result) == 1


async def open_requests(session: AsyncSession, limit: int = 20, offset: int = 0) -> list[DataRequest]:
    """The requests still open, oldest first: `limit` of them from the `offset`-th (a page)."""
    return list(
        await session.scalars(
            select(DataRequest)
            .where(DataRequest.done_at.is_(None))
            .order_by(DataRequest.requested_at, DataRequest.id)
            .offset(offset)
            .limit(limit)
        )
    )


async def count_open_requests(session: AsyncSession) -> int:
    found = await session.scalar(
        select(func.count()).select_from(DataRequest).where(DataRequest.done_at.is_(None))
    )
    return int(found or 0)


async def all_requests(session: AsyncSession) -> list[DataRequest]:
    return list(await session.scalars(select(DataRequest).order_by(DataRequest.id)))


async def requests_to_remind(session: AsyncSession, requested_before: datetime) -> list[DataRequest]:
    return list(
        await session.scalars(
            select(DataRequest)
            .where(
                DataRequest.done_at.is_(None),
                DataRequest.reminded_at.is_(None),
                DataRequest.requested_at <= requested_before,
            )
            .order_by(DataRequest.id)
            .with_for_update()
        )
    )


# --- /stop --------------------------------------------------------------------------------------


async def stop_everything(session: AsyncSession, person_id: int) -> None:
    await session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(asks_paused=True, digest_paused=True, announcements_stopped=True)
    )


async def cancel_open_asks(session: AsyncSession, person_id: int, now: datetime) -> int:
    result = await session.execute(
        update(Ask)
        .where(Ask.person_id == person_id, Ask.answer.is_(None))
        .values(answer=AskAnswer.CANCELLED, answered_at=now)
    )
    return rows_changed(result)


async def cancel_pending(session: AsyncSession, telegram_id: int, key_prefixes: Sequence[str]) -> int:
    """Pending messages to the person whose dedupe key starts with one of the prefixes: not sent."""
    if not key_prefixes:
        return 0
    result = await session.execute(
        update(Outbox)
        .where(
            Outbox.chat_id == telegram_id,
            Outbox.status == outbox.PENDING,
            or_(*[Outbox.dedupe_key.startswith(p) for p in key_prefixes]),
        )
        .values(status=CANCELLED, last_error="stopped by the person")
    )
    return rows_changed(result)


# --- Erasure and anonymisation ------------------------------------------------------------------


async def blank_messages_to(session: AsyncSession, telegram_id: int, person_id: int | None) -> int:
    """Messages to the person lose their text and address; pending ones are cancelled.

    The rows stay (blank) so that counts of an announcement in progress and the dedupe keys of
    other features remain right.
    """
    result = await session.execute(
        update(Outbox)
        .where(Outbox.chat_id == telegram_id)
        .values(
            status=case((Outbox.status == outbox.PENDING, CANCELLED), else_=Outbox.status),
            chat_id=0,
            payload={},
            person_id=None,
            message_id=None,
            last_error="erased",
        )
    )
    if person_id is not None:
        await session.execute(update(Outbox).where(Outbox.person_id == person_id).values(person_id=None))
    return rows_changed(result)


async def delete_pending_rsvps(session: AsyncSession, telegram_id: int) -> int:
    result = await session.execute(delete(PendingRsvp).where(PendingRsvp.telegram_id == telegram_id))
    return rows_changed(result)


async def delete_routing_rules(session: AsyncSession, person_id: int) -> int:
    result = await session.execute(delete(RoutingRule).where(RoutingRule.person_id == person_id))
    return rows_changed(result)


async def unlink_financial(session: AsyncSession, person_id: int) -> None:
    """The financial core stays (legal retention) but no longer points at the person's profile."""
    await session.execute(update(Donor).where(Donor.person_id == person_id).values(person_id=None))
    await session.execute(update(Membership).where(Membership.person_id == person_id).values(person_id=None))


async def clear_donor_contact(session: AsyncSession, donor_ids: Sequence[int]) -> None:
    """An email address is contact data, not part of the financial core the law keeps."""
    if donor_ids:
        await session.execute(update(Donor).where(Donor.id.in_(donor_ids)).values(email=""))


async def release_emails(session: AsyncSession, person_id: int) -> int:
    """Open emails the person held go back to the pile, unassigned, for someone else to take."""
    result = await session.execute(
        update(EmailMessage)
        .where(
            or_(EmailMessage.assignee_id == person_id, EmailMessage.claimed_by == person_id),
            EmailMessage.status.in_(OPEN_EMAIL),
        )
        .values(status=EmailStatus.NEW, assignee_id=None, claimed_by=None, claimed_at=None)
    )
    await session.execute(
        update(EmailMessage).where(EmailMessage.assignee_id == person_id).values(assignee_id=None)
    )
    await session.execute(
        update(EmailMessage).where(EmailMessage.claimed_by == person_id).values(claimed_by=None)
    )
    return rows_changed(result)


async def delete_emails(session: AsyncSession, email_ids: Sequence[int]) -> int:
    """Emails go, and so does the text of the cards that showed them in Telegram."""
    if not email_ids:
        return 0
    for email_id in email_ids:
        await session.execute(
            update(Outbox)
            .where(Outbox.dedupe_key.startswith(f"inbox:{email_id}:"))
            .values(
                payload={}, status=case((Outbox.status == outbox.PENDING, CANCELLED), else_=Outbox.status)
            )
        )
    result = await session.execute(delete(EmailMessage).where(EmailMessage.id.in_(email_ids)))
    return rows_changed(result)


async def clear_broadcast_progress(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(
        update(Announcement)
        .where(Announcement.progress_chat_id == telegram_id)
        .values(progress_chat_id=None, progress_message_id=None)
    )


async def scrub_audit(session: AsyncSession, person_id: int, names: Sequence[str]) -> int:
    """The person's name leaves the details of the audit rows about them; the rows stay."""
    wanted = [n for n in {n.strip() for n in names} if len(n) >= 2]
    changed = 0
    for row in await audit_about(session, person_id):
        details = _replace_names(row.details, wanted) if wanted else row.details
        if details != row.details:
            row.details = details
            changed += 1
    return changed


SCRUB_BATCH = 1000


async def _messages_naming(
    session: AsyncSession, names: Sequence[str]
) -> AsyncIterator[tuple[int, int, Any, Any]]:
    """(id, chat, payload, payload with the names replaced) of every outbox row that names them."""
    wanted = [n for n in {n.strip() for n in names} if len(n) >= 2]
    if not wanted:
        return
    after = 0
    while True:
        batch = (
            await session.execute(
                select(Outbox.id, Outbox.chat_id, Outbox.payload)
                .where(Outbox.id > after)
                .order_by(Outbox.id)
                .limit(SCRUB_BATCH)
            )
        ).all()
        if not batch:
            return
        for row_id, chat_id, payload in batch:
            scrubbed = _replace_names(payload, wanted)
            if scrubbed != payload:
                yield row_id, chat_id, payload, scrubbed
        after = batch[-1][0]


async def count_messages_naming(session: AsyncSession, names: Sequence[str], to_others_of: int) -> int:
    """Messages the bot wrote to other people that name the person (digests, cards, lists)."""
    return len([1 async for _, chat, _, _ in _messages_naming(session, names) if chat != to_others_of])


async def scrub_messages(session: AsyncSession, names: Sequence[str]) -> int:
    """The name leaves every message the bot wrote to anyone (sent or not): candidates' digests
    ("Nouveaux bénévoles : …"), email cards ("Pris en charge par …"), attendance lists. The messages
    stay for their recipients, with « [effacé] » in its place. Returns how many rows changed."""
    changed = [(row_id, scrubbed) async for row_id, _, _, scrubbed in _messages_naming(session, names)]
    for row_id, scrubbed in changed:
        await session.execute(update(Outbox).where(Outbox.id == row_id).values(payload=scrubbed))
    return len(changed)


def _replace_names(value: Any, names: Sequence[str]) -> Any:
    if isinstance(value, str):
        out = value
        for name in names:
            out = _replace_ci(out, name)
        return out
    if isinstance(value, dict):
        return {k: _replace_names(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_names(v, names) for v in value]
    return value


def _replace_ci(text: str, name: str) -> str:
    lowered, target = text.casefold(), name.casefold()
    if target not in lowered or len(lowered) != len(text):
        return text.replace(name, ERASED)
    out, start = [], 0
    while (found := lowered.find(target, start)) >= 0:
        out.append(text[start:found])
        out.append(ERASED)
        start = found + len(target)
    out.append(text[start:])
    return "".join(out)


async def delete_person(session: AsyncSession, person_id: int) -> None:
    """Role grants, participations and asks go with the row (ON DELETE CASCADE); other links are nulled."""
    await session.execute(delete(RoleGrant).where(RoleGrant.person_id == person_id))
    await session.execute(delete(Person).where(Person.id == person_id))


async def anonymise_person(session: AsyncSession, person_id: int, label: str) -> None:
    await session.execute(delete(RoleGrant).where(RoleGrant.person_id == person_id))
    await session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(
            telegram_id=sentinel_id(person_id),
            first_name=label,
            username=None,
            skills=[],
            city_id=None,
            reachable=False,
            asks_paused=True,
            digest_paused=True,
            announcements_stopped=True,
            absent_until=None,
            last_active_at=None,
        )
    )

"""Queries behind retention: who has been inactive too long, what is past its time, and the purge of
financial records a treasurer confirmed (capabilities/privacy/retention.py and purge.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Role
from storage.db import rows_changed
from storage.models import (
    Ask,
    AuditLog,
    Donation,
    Donor,
    EmailMessage,
    Event,
    Membership,
    Participation,
    PendingRsvp,
    Person,
    RoleGrant,
)

# --- Retention ----------------------------------------------------------------------------------


async def inactive_volunteers(
    session: AsyncSession,
    active_before: datetime,
    member_until_before: date,
    exclude_telegram_ids: Sequence[int],
    limit: int = 500,
) -> list[Person]:
    """Volunteers (no other role) with no activity since `active_before` and no recent membership."""
    last_participation = (
        select(func.max(Participation.updated_at))
        .where(Participation.person_id == Person.id)
        .scalar_subquery()
    )
    last_answer = select(func.max(Ask.answered_at)).where(Ask.person_id == Person.id).scalar_subquery()
    other_role = exists().where(RoleGrant.person_id == Person.id, RoleGrant.role != Role.VOLUNTEER)
    own_membership = exists().where(
        Membership.person_id == Person.id, Membership.period_end >= member_until_before
    )
    donor_membership = exists().where(
        Membership.donor_id == Donor.id,
        Donor.person_id == Person.id,
        Membership.period_end >= member_until_before,
    )
    own_activity = func.coalesce(Person.last_active_at, Person.updated_at, Person.created_at)
    stmt = select(Person).where(
        Person.telegram_id > 0,
        Person.telegram_id.not_in(list(exclude_telegram_ids) or [0]),
        own_activity < active_before,
        or_(last_participation.is_(None), last_participation < active_before),
        or_(last_answer.is_(None), last_answer < active_before),
        ~other_role,
        ~own_membership,
        ~donor_membership,
    )
    return list(await session.scalars(stmt.order_by(Person.id).limit(limit)))


async def old_email_ids(session: AsyncSession, received_before: datetime, limit: int = 1000) -> list[int]:
    return list(
        await session.scalars(
            select(EmailMessage.id)
            .where(EmailMessage.received_at < received_before)
            .order_by(EmailMessage.id)
            .limit(limit)
        )
    )


async def delete_stale_pending_rsvps(session: AsyncSession, now: datetime, created_before: datetime) -> int:
    """Answers pressed before consent, once their event has ended or they are older than the cap."""
    ended = select(Event.id).where(Event.ends_at < now)
    result = await session.execute(
        delete(PendingRsvp).where(
            or_(PendingRsvp.event_id.in_(ended), PendingRsvp.created_at < created_before)
        )
    )
    return rows_changed(result)


async def touch_activities(session: AsyncSession, telegram_ids: Collection[int], now: datetime) -> set[int]:
    """touch_activity for several people in one statement; the ids of those who are known."""
    known = set(
        await session.scalars(
            update(Person)
            .where(Person.telegram_id.in_(telegram_ids))
            .values(last_active_at=now, updated_at=Person.updated_at)
            .returning(Person.telegram_id),
            execution_options={"synchronize_session": False},
        )
    )
    return {int(i) for i in known}


async def touch_activity(session: AsyncSession, telegram_id: int, now: datetime) -> bool:
    """Remember that the person used the bot (retention counts from there); updated_at is left alone.

    False when nobody has that id (not onboarded yet).
    """
    result = await session.execute(
        update(Person)
        .where(Person.telegram_id == telegram_id)
        .values(last_active_at=now, updated_at=Person.updated_at)
    )
    return bool(rows_changed(result))


# --- Financial records past their retention ---------------------------------------------------


async def purgeable_donations(session: AsyncSession, cutoff: date) -> list[Donation]:
    return list(
        await session.scalars(
            select(Donation).where(Donation.received_on <= cutoff).order_by(Donation.received_on, Donation.id)
        )
    )


async def purgeable_memberships(session: AsyncSession, cutoff: date) -> list[Membership]:
    return list(
        await session.scalars(
            select(Membership).where(Membership.period_end <= cutoff).order_by(Membership.id)
        )
    )


async def purgeable_donors(session: AsyncSession, cutoff: date, created_before: datetime) -> list[Donor]:
    """Donors whose every record is past the cutoff (or who have none, and were created before it)."""
    newer_gift = exists().where(Donation.donor_id == Donor.id, Donation.received_on > cutoff)
    newer_membership = exists().where(Membership.donor_id == Donor.id, Membership.period_end > cutoff)
    return list(
        await session.scalars(
            select(Donor)
            .where(~newer_gift, ~newer_membership, Donor.created_at < created_before)
            .order_by(Donor.id)
        )
    )


async def purge_financial(
    session: AsyncSession,
    donation_ids: Sequence[int],
    membership_ids: Sequence[int],
    donor_ids: Sequence[int],
) -> tuple[int, int, int]:
    """Delete, children first (a donation is RESTRICTed by its donor); audit details of them go too."""
    if membership_ids:
        await session.execute(delete(Membership).where(Membership.id.in_(membership_ids)))
    if donation_ids:
        await session.execute(
            update(Membership).where(Membership.donation_id.in_(donation_ids)).values(donation_id=None)
        )
        await session.execute(delete(Donation).where(Donation.id.in_(donation_ids)))
        subjects = [f"donation:{i}" for i in donation_ids]
        for start in range(0, len(subjects), 500):
            await session.execute(
                update(AuditLog)
                .where(AuditLog.subject.in_(subjects[start : start + 500]))
                .values(details={"purged": True})
            )
    gone_donors = 0
    if donor_ids:
        # A donor that still has a record (a newer gift came meanwhile) is kept.
        has_gift = exists().where(Donation.donor_id == Donor.id)
        has_membership = exists().where(Membership.donor_id == Donor.id)
        result = await session.execute(
            delete(Donor).where(Donor.id.in_(donor_ids), ~has_gift, ~has_membership)
        )
        gone_donors = rows_changed(result)
    return len(donation_ids), len(membership_ids), gone_donors

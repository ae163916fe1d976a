"""Queries on donors, donations, receipt counters, campaign ledgers and memberships.

Every SQL statement of the money capability lives here; the rules live in domain/law/ and the
use cases in capabilities/donations/.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Role
from domain.statuses import DonationStatus, EventStatus, PaymentMethod
from storage.models import (
    AuditLog,
    CampaignLedger,
    Donation,
    Donor,
    DonorMatch,
    Event,
    KeyValue,
    Membership,
    Person,
    ReceiptCounter,
    RoleGrant,
)

LEVEE_KIND = "levée de fonds"  # the kind of event a fundraiser is (domain.events.KINDS)


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


# --- Donors ---------------------------------------------------------------------------------


async def donor_by_id(session: AsyncSession, donor_id: int) -> Donor | None:
    return await session.get(Donor, donor_id)


async def all_donors(session: AsyncSession) -> list[Donor]:
    return list(await session.scalars(select(Donor).order_by(Donor.id)))


async def add_donor(session: AsyncSession, **fields: Any) -> Donor:
    donor = Donor(**fields)
    session.add(donor)
    await session.flush()
    return donor


# --- Campaign ledgers -----------------------------------------------------------------------


async def campaign_ledgers(session: AsyncSession) -> list[CampaignLedger]:
    return list(
        await session.scalars(select(CampaignLedger).order_by(CampaignLedger.city, CampaignLedger.id))
    )


async def campaign_ledger(session: AsyncSession, ledger_id: str) -> CampaignLedger | None:
    return await session.get(CampaignLedger, ledger_id)


async def save_campaign_ledger(session: AsyncSession, ledger: CampaignLedger) -> CampaignLedger:
    merged = await session.merge(ledger)
    await session.flush()
    return merged


# --- Donations ------------------------------------------------------------------------------


async def donation_by_id(session: AsyncSession, donation_id: int, lock: bool = False) -> Donation | None:
    stmt = select(Donation).where(Donation.id == donation_id)
    if lock:
        stmt = stmt.with_for_update(of=Donation)
    return await session.scalar(stmt)


async def donation_by_request_key(session: AsyncSession, key: str) -> Donation | None:
    return await session.scalar(select(Donation).where(Donation.request_key == key))


async def existing_request_keys(session: AsyncSession, keys: Iterable[str]) -> dict[str, Donation]:
    wanted = list(dict.fromkeys(keys))
    out: dict[str, Donation] = {}
    for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        rows = await session.scalars(select(Donation).where(Donation.request_key.in_(wanted[i : i + 500])))
        out.update({d.request_key: d for d in rows if d.request_key})
    return out


async def accepted_gifts_of(
    session: AsyncSession, donor_id: int, exclude_id: int | None = None
) -> list[Donation]:
    """The donor's recorded gifts on every ledger: the law's history (refused ones excluded)."""
    stmt = select(Donation).where(Donation.donor_id == donor_id, Donation.status == DonationStatus.RECORDED)
    if exclude_id is not None:
        stmt = stmt.where(Donation.id != exclude_id)
    return list(await session.scalars(stmt.order_by(Donation.received_on, Donation.id)))


async def ledger_cash_total(session: AsyncSession, ledger: str, exclude_id: int | None = None) -> int:
    stmt = select(func.coalesce(func.sum(Donation.amount_cents), 0)).where(
        Donation.ledger == ledger,
        Donation.status == DonationStatus.RECORDED,
        Donation.method == PaymentMethod.ESPECES,
    )
    if exclude_id is not None:
        stmt = stmt.where(Donation.id != exclude_id)
    return int(await session.scalar(stmt) or 0)


async def next_receipt_number(session: AsyncSession, ledger: str, year: int) -> int:
    """The next number of (ledger, year), race-free: one atomic upsert, never reused."""
    insert = _insert(session)
    stmt = (
        insert(ReceiptCounter)
        .values(ledger=ledger, year=year, last=1)
        .on_conflict_do_update(index_elements=["ledger", "year"], set_={"last": ReceiptCounter.last + 1})
        .returning(ReceiptCounter.last)
    )
    return int((await session.execute(stmt)).scalar_one())


async def add_donation(session: AsyncSession, donor: Donor | None, **fields: Any) -> Donation:
    donation = Donation(donor=donor, **fields)  # the relationship set here: no reload for the alerts
    session.add(donation)
    await session.flush()
    return donation


async def recent_donations(
    session: AsyncSession, limit: int = 10, donor_ids: list[int] | None = None
) -> list[Donation]:
    stmt = select(Donation)
    if donor_ids is not None:
        stmt = stmt.where(Donation.donor_id.in_(donor_ids or [-1]))
    return list(await session.scalars(stmt.order_by(Donation.id.desc()).limit(limit)))


async def count_donations(session: AsyncSession, donor_ids: list[int] | None = None) -> int:
    """How many donations `recent_donations` chooses from (the /dons list says how many it leaves out)."""
    stmt = select(func.count()).select_from(Donation)
    if donor_ids is not None:
        stmt = stmt.where(Donation.donor_id.in_(donor_ids or [-1]))
    return int(await session.scalar(stmt) or 0)


async def donations(
    session: AsyncSession,
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[Donation]:
    """Donations received in [start, end] (both inclusive), oldest first."""
    stmt = select(Donation)
    if start is not None:
        stmt = stmt.where(Donation.received_on >= start)
    if end is not None:
        stmt = stmt.where(Donation.received_on <= end)
    return list(await session.scalars(stmt.order_by(Donation.received_on, Donation.id)))


async def donations_after(session: AsyncSession, after_id: int, limit: int = 500) -> list[Donation]:
    return list(
        await session.scalars(
            select(Donation).where(Donation.id > after_id).order_by(Donation.id).limit(limit)
        )
    )


async def audit_trail(session: AsyncSession, donation_id: int) -> list[AuditLog]:
    return list(
        await session.scalars(
            select(AuditLog)
            .where(AuditLog.subject == f"donation:{donation_id}")
            .order_by(AuditLog.at, AuditLog.id)
        )
    )


# --- Events ---------------------------------------------------------------------------------


async def levee_events(session: AsyncSession, since: datetime, until: datetime) -> list[Event]:
    """Fundraising events that started in [since, until], not cancelled, newest first."""
    return list(
        await session.scalars(
            select(Event)
            .where(
                Event.kind == LEVEE_KIND,
                Event.status != EventStatus.CANCELLED,
                Event.starts_at >= since,
                Event.starts_at <= until,
            )
            .order_by(Event.starts_at.desc(), Event.id.desc())
        )
    )


async def raised_by_event(session: AsyncSession, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per event: (number of recorded gifts, cents)."""
    if not event_ids:
        return {}
    rows = await session.execute(
        select(Donation.event_id, func.count(), func.coalesce(func.sum(Donation.amount_cents), 0))
        .where(Donation.event_id.in_(event_ids), Donation.status == DonationStatus.RECORDED)
        .group_by(Donation.event_id)
    )
    return {eid: (int(n), int(total)) for eid, n, total in rows.all() if eid is not None}


async def open_levee_events(session: AsyncSession, ended_after: datetime) -> list[Event]:
    """Fundraising events upcoming or ended after `ended_after`, not cancelled, soonest first."""
    return list(
        await session.scalars(
            select(Event)
            .where(
                Event.kind == LEVEE_KIND, Event.status != EventStatus.CANCELLED, Event.ends_at >= ended_after
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


async def event_donations(session: AsyncSession, event_id: int) -> list[Donation]:
    """The recorded payments linked to one event, with their donors, largest first."""
    return list(
        await session.scalars(
            select(Donation)
            .where(Donation.event_id == event_id, Donation.status == DonationStatus.RECORDED)
            .order_by(Donation.amount_cents.desc(), Donation.id)
        )
    )


async def totals_by_ledger(session: AsyncSession) -> dict[str, tuple[int, int]]:
    """Per ledger, all years: (number of recorded payments, cents). A campaign account runs
    across its window, not a calendar year."""
    rows = await session.execute(
        select(Donation.ledger, func.count(), func.coalesce(func.sum(Donation.amount_cents), 0))
        .where(Donation.status == DonationStatus.RECORDED)
        .group_by(Donation.ledger)
    )
    return {ledger: (int(n), int(total)) for ledger, n, total in rows.all()}


# --- Memberships ----------------------------------------------------------------------------


async def memberships_of(session: AsyncSession, donor_id: int) -> list[Membership]:
    return list(
        await session.scalars(
            select(Membership)
            .where(Membership.donor_id == donor_id)
            .order_by(Membership.period_end, Membership.id)
        )
    )


async def add_membership(session: AsyncSession, **fields: Any) -> Membership:
    membership = Membership(**fields)
    session.add(membership)
    await session.flush()
    return membership


async def memberships_for_donation(session: AsyncSession, donation_id: int) -> list[Membership]:
    return list(await session.scalars(select(Membership).where(Membership.donation_id == donation_id)))


async def all_memberships(session: AsyncSession, lock: bool = False) -> list[Membership]:
    stmt = select(Membership).order_by(Membership.donor_id, Membership.period_end, Membership.id)
    if lock:
        stmt = stmt.with_for_update()
    return list(await session.scalars(stmt))


async def donor_people(session: AsyncSession, donor_ids: Iterable[int]) -> dict[int, int]:
    """donor id → the Telegram person linked to that donor, for donors that have one."""
    wanted = sorted(set(donor_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Donor.id, Donor.person_id).where(Donor.id.in_(wanted), Donor.person_id.is_not(None))
    )
    return {donor_id: person_id for donor_id, person_id in rows.all() if person_id is not None}


# --- People ---------------------------------------------------------------------------------


async def treasurers(session: AsyncSession) -> list[Person]:
    return list(
        await session.scalars(
            select(Person)
            .where(Person.id.in_(select(RoleGrant.person_id).where(RoleGrant.role == Role.TREASURER)))
            .order_by(Person.id)
        )
    )


async def people_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(wanted)))}


# --- Small durable state --------------------------------------------------------------------


async def kv_get(session: AsyncSession, key: str) -> dict[str, Any] | None:
    row = await session.get(KeyValue, key, with_for_update=True)
    return dict(row.value) if row is not None else None


async def kv_set(session: AsyncSession, key: str, value: dict[str, Any]) -> None:
    row = await session.get(KeyValue, key)
    if row is None:
        session.add(KeyValue(key=key, value=value))
    else:
        row.value = value
    await session.flush()


# --- Donor records that may be one person (same name, another address) -------------------------


async def matched_pairs(session: AsyncSession) -> set[frozenset[int]]:
    """Every pair of donors already reported (pending or decided): never asked twice."""
    rows = await session.execute(select(DonorMatch.donor_id, DonorMatch.other_id))
    return {frozenset((a, b)) for a, b in rows}


async def add_donor_match(session: AsyncSession, donor_id: int, other_id: int) -> DonorMatch:
    match = DonorMatch(donor_id=donor_id, other_id=other_id, status="pending")
    session.add(match)
    await session.flush()
    return match


async def donor_match(session: AsyncSession, match_id: int, lock: bool = False) -> DonorMatch | None:
    stmt = select(DonorMatch).where(DonorMatch.id == match_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def move_donor_records(session: AsyncSession, from_id: int, to_id: int) -> int:
    """Give `from_id`'s payments and memberships to `to_id` (a merge); the count of payments moved.
    The pairs naming `from_id` go with it (it is about to be deleted)."""
    moved = await session.execute(update(Donation).where(Donation.donor_id == from_id).values(donor_id=to_id))
    await session.execute(update(Membership).where(Membership.donor_id == from_id).values(donor_id=to_id))
    await session.execute(
        delete(DonorMatch).where((DonorMatch.donor_id == from_id) | (DonorMatch.other_id == from_id))
    )
    return int(getattr(moved, "rowcount", 0) or 0)


# --- Paged lists (issue 18) ---------------------------------------------------------------------


async def donation_remarks(
    session: AsyncSession, donor_ids: list[int] | None = None
) -> list[tuple[int, str, list[Any]]]:
    """(id, status, stored findings) of every payment (of `donor_ids` when given), newest first:
    /dons finds those with the law's remarks without loading whole rows."""
    stmt = select(Donation.id, Donation.status, Donation.findings)
    if donor_ids is not None:
        stmt = stmt.where(Donation.donor_id.in_(donor_ids or [-1]))
    rows = await session.execute(stmt.order_by(Donation.id.desc()))
    return [(int(i), str(status), list(found or [])) for i, status, found in rows.all()]


async def donations_by_ids(session: AsyncSession, ids: list[int]) -> list[Donation]:
    """The payments of `ids`, in that order (those that exist)."""
    if not ids:
        return []
    found = {d.id: d for d in await session.scalars(select(Donation).where(Donation.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


async def donations_of_donor(session: AsyncSession, donor_id: int, lock: bool = False) -> list[Donation]:
    stmt = select(Donation).where(Donation.donor_id == donor_id).order_by(Donation.id)
    if lock:
        stmt = stmt.with_for_update(of=Donation)
    return list(await session.scalars(stmt))


async def donor_names(session: AsyncSession, donor_ids: Iterable[int]) -> dict[int, Donor]:
    wanted = sorted(set(donor_ids))
    if not wanted:
        return {}
    return {d.id: d for d in await session.scalars(select(Donor).where(Donor.id.in_(wanted)))}

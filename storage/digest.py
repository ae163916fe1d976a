"""Set-based queries behind the digests: a handful of grouped queries, whatever the number of people."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.digest import CityFigures, EmailItem, EventItem, digest_kinds
from domain.events import colour, fills_from_counts
from domain.people import Domain
from domain.statuses import DonationStatus, EmailStatus, EventStatus, RsvpStatus
from storage import events as eq
from storage.db import rows_changed
from storage.models import (
    CampaignLedger,
    City,
    DataRequest,
    Donation,
    EmailMessage,
    Event,
    JobRun,
    Membership,
    Participation,
    Person,
    RoleGrant,
)

PENDING_EMAIL = (EmailStatus.NEW, EmailStatus.ASSIGNED)


@dataclass(frozen=True)
class Recipient:
    person_id: int
    telegram_id: int
    language: str
    digest_hour: int
    kind: str  # a Role: candidate | coordinator | lead
    scope: str  # city name, domain, or ""


async def recipients(session: AsyncSession, env_coordinators: list[int]) -> list[Recipient]:
    """Candidates, coordinators and leads who want a digest and can be reached."""
    rows = await session.execute(
        select(
            Person.id,
            Person.telegram_id,
            Person.language,
            Person.digest_hour,
            RoleGrant.role,
            RoleGrant.scope,
        )
        .join(RoleGrant, RoleGrant.person_id == Person.id, isouter=True)
        .where(Person.digest_paused.is_(False), Person.reachable.is_(True))
    )
    people: dict[int, tuple[int, str, int]] = {}
    grants: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, tid, lang, hour, role, scope in rows.all():
        people[pid] = (tid, lang, hour)
        if role is not None:
            grants[pid].append((role, scope))
    out = [
        Recipient(pid, tid, lang, hour, kind, scope)
        for pid, (tid, lang, hour) in people.items()
        for kind, scope in digest_kinds(grants[pid], tid in env_coordinators)
    ]
    return sorted(out, key=lambda r: (r.person_id, r.kind, r.scope))


async def city_figures(session: AsyncSession, now: datetime, since: datetime) -> dict[int, CityFigures]:
    cities = {c.id: CityFigures(c.id, c.name) for c in await session.scalars(select(City))}
    by_name = {c.name: c for c in cities.values()}
    for city_id, item in await _event_items(session, now, national=False):
        assert city_id is not None
        cities[city_id].events.append(item)
    new_people = await session.execute(
        select(Person.city_id, Person.first_name)
        .where(Person.created_at > since, Person.city_id.is_not(None))
        .order_by(Person.created_at)
    )
    for city_id, first_name in new_people.all():
        assert city_id is not None
        home = cities[city_id]
        home.new_volunteer_count += 1
        if len(home.new_volunteers) < 10:
            home.new_volunteers.append(first_name)
    emails = await session.execute(
        select(EmailMessage.city, EmailMessage.subject)
        .where(
            EmailMessage.domain == Domain.CAMPAIGN,
            EmailMessage.status.in_(PENDING_EMAIL),
            EmailMessage.city.is_not(None),
        )
        .order_by(EmailMessage.received_at)
    )
    for email_city, subject in emails.all():
        mailed = by_name.get(email_city or "")
        if mailed is None:
            continue
        mailed.pending_emails += 1
        if len(mailed.email_subjects) < 5:
            mailed.email_subjects.append(subject)
    money = await session.execute(
        select(CampaignLedger.city, func.count(), func.coalesce(func.sum(Donation.amount_cents), 0))
        .join(CampaignLedger, CampaignLedger.id == Donation.ledger)
        .where(Donation.status == DonationStatus.RECORDED, Donation.created_at > since)
        .group_by(CampaignLedger.city)
    )
    for ledger_city, n, total in money.all():
        funded = by_name.get(ledger_city)
        if funded is not None:
            funded.donations_count, funded.donations_cents = int(n), int(total)
    return cities


async def _event_items(
    session: AsyncSession, now: datetime, *, national: bool
) -> list[tuple[int | None, EventItem]]:
    """The scheduled events of the next 7 days, in a city or national (no city), with what they miss."""
    where_city = Event.city_id.is_(None) if national else Event.city_id.is_not(None)
    events = list(
        await session.scalars(
            select(Event)
            .where(
                Event.status == EventStatus.SCHEDULED,
                Event.starts_at >= now,
                Event.starts_at < now + timedelta(days=7),
                where_city,
            )
            .order_by(Event.starts_at)
        )
    )
    counts = await eq.counts(session, [e.id for e in events])
    out: list[tuple[int | None, EventItem]] = []
    for event in events:
        fills = fills_from_counts([(n.role, n.count) for n in event.needs], counts.get(event.id, {}))
        need_ids = {n.role: n.id for n in event.needs}
        missing = tuple((f.role, need_ids[f.role], f.missing) for f in fills if f.missing)
        out.append((event.city_id, EventItem(event.id, event.title, event.starts_at, missing, colour(fills))))
    return out


async def national_events(session: AsyncSession, now: datetime) -> list[EventItem]:
    return [item for _, item in await _event_items(session, now, national=True)]


@dataclass(frozen=True)
class ClosedEvent:
    """An event whose attendance was reported (status done), as the coordinators' digest lists it:
    how many of those registered came, did not, did not answer."""

    event_id: int
    title: str
    city: str  # "" for a national event
    starts_at: datetime
    created_by: int | None
    present: int
    absent: int
    unknown: int


async def closed_events(session: AsyncSession, ended_after: datetime) -> list[ClosedEvent]:
    """The done events that ended after `ended_after`, with their attendance counts, oldest first."""

    def count(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    rows = await session.execute(
        select(
            Event.id,
            Event.title,
            City.name,
            Event.starts_at,
            Event.created_by,
            count(Participation.attended.is_(True)),
            count(Participation.attended.is_(False)),
            count(Participation.id.is_not(None) & Participation.attended.is_(None)),
        )
        .join(City, City.id == Event.city_id, isouter=True)
        .join(
            Participation,
            (Participation.event_id == Event.id) & (Participation.status == RsvpStatus.YES),
            isouter=True,
        )
        .where(Event.status == EventStatus.DONE, Event.ends_at > ended_after)
        .group_by(Event.id, City.name)
        .order_by(Event.ends_at, Event.id)
    )
    return [
        ClosedEvent(eid, title, city or "", starts_at, by, int(came), int(missed), int(silent))
        for eid, title, city, starts_at, by, came, missed, silent in rows.all()
    ]


async def pending_emails_by_domain(session: AsyncSession) -> dict[str, list[EmailItem]]:
    """Emails nobody took yet, by domain, oldest first (late: escalated, see capabilities.inbox.followup)."""
    rows = await session.execute(
        select(
            EmailMessage.domain,
            EmailMessage.id,
            EmailMessage.subject,
            EmailMessage.received_at,
            EmailMessage.escalated_at,
        )
        .where(EmailMessage.status.in_(PENDING_EMAIL))
        .order_by(EmailMessage.received_at)
    )
    out: dict[str, list[EmailItem]] = defaultdict(list)
    for domain, email_id, subject, received_at, escalated_at in rows.all():
        out[domain].append(EmailItem(email_id, subject, received_at, escalated_at is not None))
    return out


async def open_data_requests(session: AsyncSession) -> list[tuple[int, str, datetime]]:
    """(id, kind, requested at) of the personal-data requests still open."""
    rows = await session.execute(
        select(DataRequest.id, DataRequest.kind, DataRequest.requested_at)
        .where(DataRequest.done_at.is_(None))
        .order_by(DataRequest.requested_at)
    )
    return [(rid, kind, at) for rid, kind, at in rows.all()]


async def memberships_to_renew(session: AsyncSession, today: date, until: date) -> int:
    """Members whose latest membership ends between today and `until` (none recorded after it)."""
    latest = (
        select(Membership.donor_id, func.max(Membership.period_end).label("ends"))
        .group_by(Membership.donor_id)
        .subquery()
    )
    count = await session.scalar(
        select(func.count()).select_from(latest).where(latest.c.ends >= today, latest.c.ends <= until)
    )
    return int(count or 0)


async def donations_with_warnings(session: AsyncSession) -> int:
    """Recorded donations whose check left findings (the law's warnings: a recorded gift has no block)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Donation)
        .where(Donation.status == DonationStatus.RECORDED, func.json_array_length(Donation.findings) > 0)
    )
    return int(count or 0)


async def claim_period(session: AsyncSession, job: str, period_key: str) -> bool:
    """Insert the (job, period) row; False when another run or process already did it."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(JobRun)
        .values(job=job, period_key=period_key, started_at=datetime.now().astimezone())
        .on_conflict_do_nothing(index_elements=["job", "period_key"])
    )
    return bool(rows_changed(result))


async def unrouted_emails(session: AsyncSession) -> int:
    """New emails that nobody was given."""
    count = await session.scalar(
        select(func.count())
        .select_from(EmailMessage)
        .where(EmailMessage.status == EmailStatus.NEW, EmailMessage.assignee_id.is_(None))
    )
    return int(count or 0)


async def done_periods(session: AsyncSession, jobs: list[str]) -> set[tuple[str, str]]:
    """The (job, period) pairs already claimed among `jobs`."""
    rows = await session.execute(select(JobRun.job, JobRun.period_key).where(JobRun.job.in_(jobs)))
    return {(job, key) for job, key in rows.all()}

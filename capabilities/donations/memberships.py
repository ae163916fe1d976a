"""Memberships: what a cotisation buys, who is up to date, and the reminders before the end.

A cotisation buys `membership_months` from the payment, or from the end of a membership still
running that day. Each member linked to a Telegram person is reminded 30 and 7 days before the
end and on the last day, exactly once each (the stage's column and the outbox row are written in
one transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.donations.config import today_in
from capabilities.donations.labels import day_words, donor_name
from storage import donations as q
from storage import outbox
from storage.models import Donation, Donor, Membership

REMINDER_DAYS = (30, 7, 0)
EXPIRING = timedelta(days=30)
_STAGE_COLUMN = {30: "reminded_30_at", 7: "reminded_7_at", 0: "reminded_end_at"}
_STAGE_TEXT = {30: "mship.remind_30", 7: "mship.remind_7", 0: "mship.remind_end"}
# A membership that ended longer ago than this gets no "expired" message (first run on old data).
STALE_AFTER = timedelta(days=7)
# How many names /adherents lists, per group.
EXPIRING_SHOWN, LAPSED_SHOWN = 20, 10


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def is_live(m: Membership) -> bool:
    # A membership voided by the cancellation of its cotisation ends before it starts.
    return m.period_end >= m.period_start


async def add_membership(
    session: AsyncSession, settings: Settings, donation: Donation, donor: Donor, kind: str
) -> Membership:
    """A cotisation buys `membership_months` from the payment, or from the end of a membership
    still running on that day (an early renewal extends it instead of overlapping)."""
    start = donation.received_on
    running = [m for m in await q.memberships_of(session, donor.id) if is_live(m) and m.period_end >= start]
    if running:
        start = max(m.period_end for m in running) + timedelta(days=1)
    end = add_months(start, settings.membership_months) - timedelta(days=1)
    return await q.add_membership(
        session,
        donor_id=donor.id,
        person_id=donor.person_id,
        kind=kind,
        period_start=start,
        period_end=end,
        fee_cents=donation.amount_cents,
        donation_id=donation.id,
    )


async def void_memberships(session: AsyncSession, donation_id: int) -> None:
    """Voided, not deleted: the period ends the day before it starts."""
    for m in await q.memberships_for_donation(session, donation_id):
        m.period_end = m.period_start - timedelta(days=1)


def latest_memberships(memberships: Iterable[Membership]) -> list[Membership]:
    """Each donor's membership that ends last (voided ones left out)."""
    latest: dict[int, Membership] = {}
    for m in memberships:
        if not is_live(m):
            continue
        current = latest.get(m.donor_id)
        if current is None or (m.period_end, m.id) > (current.period_end, current.id):
            latest[m.donor_id] = m
    return list(latest.values())


@dataclass
class MembershipCounts:
    active: int = 0  # ends in more than 30 days
    expiring: int = 0  # ends within 30 days (today included)
    lapsed: int = 0  # ended
    expiring_list: list[Membership] = field(default_factory=list)
    lapsed_list: list[Membership] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # donor id → name, for treasurers only


def membership_counts(memberships: Iterable[Membership], today: date) -> MembershipCounts:
    out = MembershipCounts()
    for m in latest_memberships(memberships):
        if m.period_end < today:
            out.lapsed += 1
            out.lapsed_list.append(m)
        elif m.period_end <= today + EXPIRING:
            out.expiring += 1
            out.expiring_list.append(m)
        else:
            out.active += 1
    out.expiring_list.sort(key=lambda m: m.period_end)
    out.lapsed_list.sort(key=lambda m: m.period_end, reverse=True)
    return out


async def overview(services: Services, today: date, *, names: bool, lang: str) -> MembershipCounts:
    """/adherents: the counts; with `names` (treasurers), the names of the first to renew and lapsed."""
    async with services.db.session() as s:
        counts = membership_counts(await q.all_memberships(s), today)
        if names:
            for m in counts.expiring_list[:EXPIRING_SHOWN] + counts.lapsed_list[:LAPSED_SHOWN]:
                counts.names[m.donor_id] = donor_name(await q.donor_by_id(s, m.donor_id), lang)
    return counts


def reminder_stage(m: Membership, today: date) -> int | None:
    """30, 7 or 0 (the last day) once that many days or fewer are left; None before."""
    left = (m.period_end - today).days
    for stage in sorted(REMINDER_DAYS):
        if left <= stage:
            return stage
    return None


async def send_membership_reminders(session: AsyncSession, now: datetime, today: date) -> int:
    """Remind each member (linked to a Telegram person) at 30 and 7 days before the end and on the
    last day, exactly once each: the column and the outbox row are written together, and a stage
    reached late marks the earlier ones done without sending them."""
    sent = 0
    latest = latest_memberships(await q.all_memberships(session, lock=True))
    # The member's Telegram account: the one linked when the fee was paid, else the donor's now.
    linked = await q.donor_people(session, [m.donor_id for m in latest if m.person_id is None])
    people = await q.people_by_ids(session, [m.person_id or linked.get(m.donor_id) or 0 for m in latest])
    for m in latest:
        stage = reminder_stage(m, today)
        if stage is None or getattr(m, _STAGE_COLUMN[stage]) is not None:
            continue
        for earlier in (s for s in REMINDER_DAYS if s > stage):
            if getattr(m, _STAGE_COLUMN[earlier]) is None:
                setattr(m, _STAGE_COLUMN[earlier], now)
        setattr(m, _STAGE_COLUMN[stage], now)
        person = people.get(m.person_id or linked.get(m.donor_id) or 0)
        if person is None or not person.reachable or today - m.period_end > STALE_AFTER:
            continue
        lang = person.language
        text = t(
            lang,
            _STAGE_TEXT[stage],
            name=person.first_name,
            end=day_words(m.period_end, lang, today),
            days=(m.period_end - today).days,
        )
        sent += await outbox.enqueue(
            session,
            person.telegram_id,
            text_message(text),
            dedupe_key=f"mship:{m.id}:{stage}",
            person_id=person.id,
        )
    return sent


async def remind_due(services: Services, now: datetime) -> int:
    """The job: queue the reminders due at `now`; returns how many were queued."""
    today = today_in(services.settings, now)
    async with services.transaction() as s:
        return await send_membership_reminders(s, now, today)

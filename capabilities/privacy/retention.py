"""Retention: the hourly job and the activity it counts from (docs/legal-rules.md, rule 39 in
section E; rule 42 in section F for the purge notice).

Retention anonymises rather than deletes an inactive volunteer: the row stays as « Ancien·ne
bénévole » with an unreachable Telegram id, so past actions keep their attendance figures while
nothing identifies the person any more.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.settings import Settings
from bot.texts.privacy import ANONYMOUS_NAME
from capabilities.privacy.erasure import forget_links
from capabilities.privacy.purge import notify_purge
from capabilities.privacy.register import remind_open_requests
from storage import people as people_q
from storage import privacy as q
from storage import retention as retention_q
from storage.digest import claim_period

log = logging.getLogger(__name__)

# An answer to an announcement pressed before /start waits this long at most for the consent.
PENDING_RSVP_DAYS = 30
ACTIVITY_MEMO = "privacy.active"  # Services.extras: who was stamped today, by this process


async def anonymise_inactive(session: AsyncSession, settings: Settings, now: datetime) -> int:
    before = now - timedelta(days=settings.volunteer_retention_days)
    members_until = (now - timedelta(days=settings.former_member_retention_days)).date()
    people = await retention_q.inactive_volunteers(session, before, members_until, settings.coordinator_ids)
    for person in people:
        tid = person.telegram_id
        await q.blank_messages_to(session, tid, person.id)
        await q.delete_pending_rsvps(session, tid)
        await q.clear_broadcast_progress(session, tid)
        await forget_links(session, person)
        await q.anonymise_person(session, person.id, ANONYMOUS_NAME)
        await people_q.audit(
            session,
            None,
            "privacy.anonymised",
            f"person:{person.id}",
            inactive_days=settings.volunteer_retention_days,
        )
    return len(people)


async def expire_emails(session: AsyncSession, settings: Settings, now: datetime) -> int:
    ids = await retention_q.old_email_ids(session, now - timedelta(days=settings.email_retention_days))
    if ids:
        await q.delete_emails(session, ids)
        await people_q.audit(
            session, None, "privacy.emails_expired", "", count=len(ids), days=settings.email_retention_days
        )
    return len(ids)


async def daily(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Once per local day: anonymise, expire emails, tell treasurers what may be purged."""
    today = now.astimezone(settings.tz).date()
    if not await claim_period(session, "retention", today.isoformat()):
        return 0
    anonymised = await anonymise_inactive(session, settings, now)
    expired = await expire_emails(session, settings, now)
    queued = await notify_purge(session, settings, today)
    if anonymised or expired:
        log.info("retention: %d volunteer(s) anonymised, %d email(s) deleted", anonymised, expired)
    return queued


async def run_retention(services: Services, now: datetime) -> int:
    async with services.transaction() as s:
        queued = await remind_open_requests(s, services.settings, now)
        # Every run, not once a day: an answer waits no longer than its event.
        await retention_q.delete_stale_pending_rsvps(s, now, now - timedelta(days=PENDING_RSVP_DAYS))
    async with services.transaction() as s:
        queued += await daily(s, services.settings, now)
    return queued


@dataclass
class _Stamped:
    day: date
    ids: set[int] = field(default_factory=set)
    # Group commit: a crowd's stamps wait for the write under way, then go in one statement.
    batch: dict[int, datetime] = field(default_factory=dict)
    done: asyncio.Future[None] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


async def record_activity(svc: Services, telegram_id: int, now: datetime) -> None:
    """Stamp the person's last activity (retention counts from there), at most once a day per person
    and process; stamps arriving together are written together (500 people pressing one button
    make a few writes, not 500 competing for the database). Returns once the stamp is written.
    Bookkeeping: a failure is logged, never raised."""
    seen = svc.extras.get(ACTIVITY_MEMO)
    if not isinstance(seen, _Stamped) or seen.day != now.date():
        seen = svc.extras[ACTIVITY_MEMO] = _Stamped(now.date())
    if telegram_id in seen.ids:
        return
    seen.batch[telegram_id] = now
    if seen.done is not None:  # a write is gathering: this stamp goes with it
        await asyncio.shield(seen.done)
        return
    done = seen.done = asyncio.get_running_loop().create_future()
    try:
        await asyncio.sleep(0)  # let the other updates of a burst join
        async with seen.lock:  # one write at a time; the next batch gathers meanwhile
            batch, seen.batch, seen.done = seen.batch, {}, None
            if not batch:
                return
            try:
                async with svc.db.session() as s:
                    known = await retention_q.touch_activities(s, list(batch), max(batch.values()))
            except Exception:  # bookkeeping must never cost the person their answer
                log.warning("could not record activity", exc_info=True)
                return
            seen.ids |= known  # a newcomer is stamped again once onboarded
    finally:
        done.set_result(None)

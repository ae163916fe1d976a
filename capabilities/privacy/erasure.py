"""Erasure (RGPD art. 17) and /stop: what goes, what the law keeps, and nothing sent any more.

Erasure deletes the person's row and everything hanging from it (roles, participations, asks),
blanks the messages addressed to them, and keeps only the financial core the law requires
(Donor + Donation + Membership), unlinked from the profile: an archive for treasurers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from bot.texts import t
from capabilities.events.agenda import leave_events
from capabilities.privacy.subjects import Subject, donors_of, names_of
from domain.people import Role
from storage import conversations as conversations_q
from storage import corrections as corrections_q
from storage import people as people_q
from storage import privacy as q
from storage.models import DataRequest, Person

# Messages /stop cancels when still waiting: announcements, asks for help, digests.
STOPPED_PREFIXES = ("bc:", "ask:", "digest:")
# What an erasure counts, in the order people read it (`pv.part.<name>`).
ERASED_COUNTS = (
    "roles",
    "participations",
    "asks",
    "pending",
    "messages",
    "rules",
    "emails_held",
    "emails_sent",
)


@dataclass
class Erasure:
    """What goes and what stays; filled by `inventory`, and by `erase` as it happens."""

    profile: bool = False
    roles: int = 0
    participations: int = 0
    asks: int = 0
    pending: int = 0
    messages: int = 0
    rules: int = 0
    emails_held: int = 0
    emails_sent: int = 0
    donors: int = 0
    donations: int = 0
    memberships: int = 0
    # Whose Telegram drafts the caller must also drop from memory (None: no Telegram account).
    telegram_id: int | None = None
    kept_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return bool(self.profile or self.pending or self.messages or self.emails_sent or self.donors)

    @property
    def kept(self) -> bool:
        return bool(self.donations or self.memberships or self.donors)


async def inventory(session: AsyncSession, subject: Subject) -> Erasure:
    out = Erasure()
    person = subject.person
    if person is not None:
        out.profile = True
        out.roles = len([g for g in person.grants if g.role != Role.VOLUNTEER])
        out.participations = len(await q.participations_of(session, person.id))
        out.asks = len(await q.asks_of(session, person.id))
        out.rules = len(await q.routing_rules_of(session, person.id))
        out.emails_held = len(
            [m for m in await q.emails_handled_by(session, person.id) if m.status in q.OPEN_EMAIL]
        )
    if subject.telegram_id is not None:
        out.pending = len(await q.pending_rsvps_of(session, subject.telegram_id))
        out.messages = await q.count_messages_to(session, subject.telegram_id)
    out.emails_sent = len(await q.emails_from(session, subject.emails))
    donors = await donors_of(session, subject)
    donations = await q.donations_of(session, [d.id for d in donors])
    memberships = await q.memberships_of(session, [d.id for d in donors], person.id if person else None)
    out.donors, out.donations, out.memberships = len(donors), len(donations), len(memberships)
    out.kept_ids = {
        "donors": [d.id for d in donors],
        "donations": [d.id for d in donations],
        "memberships": [m.id for m in memberships],
    }
    return out


async def erase(
    session: AsyncSession, subject: Subject, *, request: DataRequest, actor: Person | None, now: datetime
) -> Erasure:
    """Erase everything but the financial core, in the caller's transaction; the request is closed."""
    done = await inventory(session, subject)
    done.telegram_id = subject.telegram_id
    person = subject.person
    if subject.telegram_id is not None:
        await q.blank_messages_to(session, subject.telegram_id, person.id if person else None)
        await q.delete_pending_rsvps(session, subject.telegram_id)
        await q.clear_broadcast_progress(session, subject.telegram_id)
        await conversations_q.forget_person(session, subject.telegram_id)
    if person is not None:
        # Their places go to the waitlist now, and the posts are refreshed (the promoted are told).
        await leave_events(session, person, now)
        await forget_links(session, person)
        await q.delete_person(session, person.id)
    # The email address is contact data: it leaves the donor records, which otherwise stay whole.
    await q.clear_donor_contact(session, done.kept_ids["donors"])
    sent = await q.emails_from(session, subject.emails)
    await q.delete_emails(session, [m.id for m in sent])
    await q.close_request(session, request.id, now)
    await people_q.audit(
        session,
        actor if actor is not None and (person is None or actor.id != person.id) else None,
        "privacy.erased",
        f"request:{request.id}",
        participations=done.participations,
        asks=done.asks,
        messages=done.messages,
        emails=done.emails_sent,
        kept_donors=done.donors,
        kept_donations=done.donations,
        kept_memberships=done.memberships,
    )
    return done


async def forget_links(session: AsyncSession, person: Person) -> None:
    """What erasure and anonymisation share: the person's traces outside their own row."""
    await q.cancel_open_asks(session, person.id, datetime.now(UTC))
    await q.delete_routing_rules(session, person.id)
    await q.unlink_financial(session, person.id)
    await q.release_emails(session, person.id)
    # Their corrections of the bot's readings still teach it, without their name (issue 17).
    await corrections_q.forget_person(session, person.id)
    names = names_of(person)
    await q.scrub_audit(session, person.id, names)
    await q.scrub_messages(session, names)


def erasure_parts(lang: str, e: Erasure) -> str:
    parts = []
    if e.profile:
        parts.append(t(lang, "pv.part.profile"))
    for attr in ERASED_COUNTS:
        count = getattr(e, attr)
        if count:
            parts.append(t(lang, f"pv.part.{attr}", count=count))
    return ", ".join(parts) if parts else t(lang, "pv.part.none")


def kept_text(lang: str, e: Erasure, settings: Settings) -> str:
    if not e.kept:
        return t(lang, "pv.kept_nothing")
    return t(
        lang,
        "pv.kept_money",
        donors=e.donors,
        donations=e.donations,
        memberships=e.memberships,
        years=settings.financial_retention_years,
    )


async def stop(session: AsyncSession, person: Person, now: datetime) -> int:
    """No more asks, digests or announcements; the ones still waiting are cancelled. Returns that count."""
    await q.stop_everything(session, person.id)
    await leave_events(session, person, now)  # out of upcoming events: the waitlist moves up at once
    await q.cancel_open_asks(session, person.id, now)
    cancelled = await q.cancel_pending(session, person.telegram_id, STOPPED_PREFIXES)
    await people_q.audit(session, person, "privacy.stopped", f"person:{person.id}", cancelled=cancelled)
    return cancelled

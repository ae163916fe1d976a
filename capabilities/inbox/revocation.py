"""A lead role taken away (/retirer_role): the emails that person held and may no longer handle are
released in the same transaction, given to whoever the routing names next, and the coordinators are
told (through the outbox). The role itself is checked again at every press (actions.may_handle)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.settings import Settings
from bot.texts import t
from capabilities.inbox.cards import refresh_cards, send_card
from capabilities.inbox.common import SPAM, is_unsure
from capabilities.inbox.routing import choose
from capabilities.inbox.sync import mark_labels
from domain.people import Domain, Grant, Role
from domain.statuses import EmailStatus
from storage import inbox as q
from storage import outbox
from storage.models import EmailMessage, Person
from storage.people import audit


async def release_for_revoked_lead(
    session: AsyncSession, settings: Settings, person: Person, grant: Grant, now: datetime
) -> int:
    """Call after `grant` was taken from `person` (their grants as they are now). Returns how many
    emails were released. A coordinator keeps everything; someone who keeps another inbox role keeps
    what that role covers; someone with no inbox role left releases all they held."""
    if grant.role is not Role.LEAD:
        return 0
    if person.telegram_id in settings.coordinator_ids or any(
        g.role == Role.COORDINATOR for g in person.grants
    ):
        return 0
    scopes = {g.scope for g in person.grants if g.role == Role.LEAD}
    ruled = await q.rule_domains(session, person.id)
    threshold = settings.triage_threshold

    def lost(email: EmailMessage) -> bool:
        if not scopes and not ruled:
            return True  # no inbox role left: may_handle refuses them everything
        unsure = is_unsure(email, threshold)
        if email.domain in scopes or email.domain in ruled or (Domain.SECRETARIAT in scopes and unsure):
            return False
        return email.domain == grant.scope or (grant.scope == Domain.SECRETARIAT and unsure)

    released = [e for e in await q.held_by(session, person.id) if lost(e)]
    if not released:
        return 0
    today = now.astimezone(settings.tz).date()
    moves: list[tuple[EmailMessage, Person | None]] = []
    for email in released:
        confident = email.domain != SPAM and not is_unsure(email, threshold)
        domain = email.domain if confident else Domain.SECRETARIAT
        city = email.city if domain == Domain.CAMPAIGN else None
        target = await choose(session, settings, domain, city, today, exclude=[person.id])
        email.status = EmailStatus.ASSIGNED if target is not None else EmailStatus.NEW
        email.assignee_id = target.id if target is not None else None
        email.claimed_by, email.claimed_at, email.reminded_at = None, None, None
        await session.flush()
        if target is not None:
            await send_card(session, settings, email, target, "f")
        await refresh_cards(session, settings, email)  # the former lead's cards lose their buttons
        await mark_labels(session, email.id)
        moves.append((email, target))
    await audit(
        session,
        None,
        "inbox.released",
        f"person:{person.id}",
        role=grant.scope,
        emails=[e.id for e in released],
    )
    for coordinator in await q.coordinators(session, settings.coordinator_ids):
        lang = coordinator.language
        lines = [
            t(
                lang,
                "inbox.released_head",
                name=person.first_name,
                domain=t(lang, f"domain.{grant.scope}"),
                count=len(moves),
            )
        ]
        for email, target in moves:
            if target is not None:
                lines.append(t(lang, "inbox.released_to", number=email.id, name=target.first_name))
            else:
                lines.append(t(lang, "inbox.released_nobody", number=email.id))
        await outbox.enqueue(
            session, coordinator.telegram_id, text_message("\n".join(lines)), person_id=coordinator.id
        )
    return len(moves)

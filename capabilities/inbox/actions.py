"""What people do with an email from its card: take it, mark it answered or spam, sort or move it,
look at it again. One transaction each; the cards of everyone concerned follow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import InboxSort
from bot.messages import Button
from bot.services import Services
from bot.settings import Settings
from capabilities.inbox.cards import city_rows, domain_rows, names_of, refresh_cards, render_for, send_card
from capabilities.inbox.common import DOMAINS, SPAM, Outcome, Who, domain_label, is_unsure
from capabilities.inbox.learning import learn
from capabilities.inbox.routing import choose
from capabilities.inbox.sync import mark_labels, push_labels_soon
from capabilities.understanding.corrections import note_reassignment
from domain.people import Domain
from domain.statuses import EmailStatus
from domain.triage import CITIES
from storage import inbox as q
from storage.models import EmailMessage
from storage.people import audit

Pressed = tuple[int, int] | None  # (chat id, message id) of the card whose button was pressed


async def may_handle(session: AsyncSession, settings: Settings, email: EmailMessage, who: Who) -> bool:
    """Coordinators, the domain's leads, the secretariat leads for emails to sort; and the assignee,
    the claimer and anyone who was shown the email, while they still have an inbox role (a lead or
    a routing rule): a former lead's old cards act no more. Roles are read as they are now."""
    person = who.person
    if who.coordinator:
        return True
    scopes = who.lead_scopes
    if email.domain in scopes:
        return True
    if Domain.SECRETARIAT in scopes and (
        email.status == EmailStatus.SPAM or is_unsure(email, settings.triage_threshold)
    ):
        return True  # the secretariat sorts what the model could not, and watches the spam
    if not scopes and not await q.has_rule(session, person.id):
        return False
    if person.id in (email.assignee_id, email.claimed_by):
        return True
    return await q.received_card(session, email.id, person.id)


async def load(session: AsyncSession, settings: Settings, email_id: int, who: Who) -> EmailMessage | Outcome:
    """The email, locked for this transaction, or why this person may not act on it."""
    email = await q.email_by_id(session, email_id, lock=True)
    if email is None:
        return Outcome(False, "inbox.gone")
    if not await may_handle(session, settings, email, who):
        return Outcome(False, "inbox.not_yours", email=email)
    return email


async def closed(session: AsyncSession, email: EmailMessage) -> Outcome:
    """Too late: someone else took it, answered it, or it is spam."""
    names = await names_of(session, email)
    who = names.get(email.claimed_by or email.assignee_id or -1, "?")
    if email.status == EmailStatus.ANSWERED:
        return Outcome(False, "inbox.already_answered", {"name": who}, email)
    if email.status == EmailStatus.SPAM:
        return Outcome(False, "inbox.already_spam", {}, email)
    return Outcome(False, "inbox.already_claimed", {"name": who}, email)


def taken_by(person_id: int, now: datetime) -> dict[str, Any]:
    """The change that gives an email to the person who takes it."""
    return {
        "status": EmailStatus.CLAIMED,
        "claimed_by": person_id,
        "assignee_id": person_id,
        "claimed_at": now,
    }


async def finish(
    session: AsyncSession, settings: Settings, email: EmailMessage, who: Who, pressed: Pressed
) -> tuple[str, list[list[Button]]]:
    """After a change: labels to push, every other card refreshed; the pressed card as it now is."""
    await session.flush()
    await session.refresh(email)
    await mark_labels(session, email.id)
    await refresh_cards(session, settings, email, skip_message=pressed)
    return await render_for(session, settings, email, who.person)


async def claim(
    services: Services, email_id: int, who: Who, now: datetime, pressed: Pressed = None
) -> Outcome:
    settings = services.settings
    async with services.transaction() as s:
        loaded = await load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        pid = who.person.id
        if email.status == EmailStatus.CLAIMED and email.claimed_by == pid:
            card = await render_for(s, settings, email, who.person)
            return Outcome(True, "inbox.claimed_already_you", email=email, card=card)
        if not await q.transition(s, email.id, q.PENDING, taken_by(pid, now)):
            await s.refresh(email)
            return await closed(s, email)
        card = await finish(s, settings, email, who, pressed)
        await audit(s, who.person, "inbox.claimed", f"email:{email.id}")
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.claimed", email=email, card=card)


async def mark_done(
    services: Services, email_id: int, who: Who, now: datetime, pressed: Pressed = None
) -> Outcome:
    """Répondu: answered outside the bot (from Gmail, by phone…)."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        pid = who.person.id
        owner = "any" if who.coordinator else pid
        values: dict[str, Any] = {"status": EmailStatus.ANSWERED, "answered_at": now}
        if email.claimed_by is None:
            values.update(claimed_by=pid, assignee_id=pid, claimed_at=now)
        if not await q.transition(s, email.id, (*q.PENDING, EmailStatus.CLAIMED), values, claimed_by=owner):
            await s.refresh(email)
            return await closed(s, email)
        card = await finish(s, settings, email, who, pressed)
        await audit(s, who.person, "inbox.answered", f"email:{email.id}", via="elsewhere")
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.done", email=email, card=card)


async def mark_spam(
    services: Services, email_id: int, who: Who, now: datetime, pressed: Pressed = None
) -> Outcome:
    return await reroute(services, email_id, who, SPAM, None, "k", now, pressed)


async def reroute(
    services: Services,
    email_id: int,
    who: Who,
    domain: str,
    city: str | None,
    mode: InboxSort,
    now: datetime,
    pressed: Pressed = None,
) -> Outcome:
    """A person sorts (`k`) or moves (`m`) an email to a domain: it is routed there and, when the
    domain differs from the model's or the email was unsure, the model learns it."""
    settings = services.settings
    if domain not in (*DOMAINS, SPAM) or (domain == Domain.CAMPAIGN and city not in CITIES):
        return Outcome(False, "fallback.button_stale")
    city = city if domain == Domain.CAMPAIGN else None
    today = now.astimezone(settings.tz).date()
    async with services.transaction() as s:
        loaded = await load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        if email.status in (EmailStatus.ANSWERED, EmailStatus.SENDING) or (
            email.status == EmailStatus.SPAM and domain == SPAM
        ):
            return await closed(s, email)
        if email.status == EmailStatus.CLAIMED and email.claimed_by != who.person.id and not who.coordinator:
            return await closed(s, email)
        unsure = is_unsure(email, settings.triage_threshold)
        changed = (domain, city) != (email.domain, email.city)
        if changed or unsure or email.status == EmailStatus.SPAM:
            await learn(services, s, email, domain, city)
        await note_reassignment(s, email, domain, city, who.person.id, now)  # issue 17: kept as a correction
        if domain == SPAM:
            email.status, email.domain, email.city, email.confidence = EmailStatus.SPAM, SPAM, None, 1.0
            card = await finish(s, settings, email, who, pressed)
            await audit(s, who.person, "inbox.spam", f"email:{email.id}")
            result = Outcome(True, "inbox.spammed", email=email, card=card)
        else:
            # Moving within the same domain means "someone else, please".
            exclude = [email.assignee_id] if mode == "m" and not changed and email.assignee_id else []
            target = await choose(s, settings, domain, city, today, exclude=exclude)
            if target is None and mode == "m" and not changed:
                return Outcome(False, "inbox.nobody_else", email=email)
            previous_assignee = email.assignee_id
            email.domain, email.city, email.confidence = domain, city, 1.0
            email.status = EmailStatus.ASSIGNED if target is not None else EmailStatus.NEW
            email.assignee_id = target.id if target is not None else None
            email.claimed_by, email.claimed_at = None, None
            email.reminded_at = None  # the new person gets their own reminder
            await s.flush()
            # The new person gets a card, unless they are the one sorting it or already hold one.
            if target is not None and target.id not in (who.person.id, previous_assignee):
                await send_card(s, settings, email, target, "f")
            card = await finish(s, settings, email, who, pressed)
            to = target.id if target else None
            await audit(s, who.person, "inbox.routed", f"email:{email.id}", domain=domain, city=city, to=to)
            if target is None:
                key = "inbox.moved_nobody"
            else:
                key = "inbox.kept" if target.id == who.person.id else "inbox.moved"
            name = target.first_name if target is not None else "—"
            values = {"name": name, "domain": domain_label(who.person.language, domain, city)}
            result = Outcome(True, key, values, email=email, card=card)
    await push_labels_soon(services, email_id)
    return result


async def card_for(services: Services, email_id: int, who: Who, pressed: Pressed = None) -> Outcome:
    """The card as this person should see it now (Retour, after Répondre), as the kind of card
    that was pressed (an escalation keeps its line and its buttons)."""
    async with services.db.session() as s:
        loaded = await load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        tag = (await q.card_tag(s, email_id, *pressed) if pressed else None) or "v"
        card = await render_for(s, services.settings, loaded, who.person, tag)
        return Outcome(True, "", email=loaded, card=card)


async def menu(services: Services, email_id: int, who: Who, which: str) -> Outcome:
    """Réaffecter (`r`: the domains), or the cities of a campaign email being sorted or moved
    (`kc`, `mc`): the buttons to put on the card, for someone who may act on it."""
    outcome = await card_for(services, email_id, who)
    if outcome.ok:
        lang = who.person.language
        if which == "r":
            outcome.rows = domain_rows(lang, email_id, "m")
        else:
            outcome.rows = city_rows(lang, email_id, "k" if which == "kc" else "m")
    return outcome


async def show_card(services: Services, email_id: int, who: Who) -> Outcome:
    """/courriels → Voir: a fresh card in the person's chat, tracked like the others."""
    async with services.transaction() as s:
        loaded = await load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        await send_card(s, services.settings, loaded, who.person, "v")
        return Outcome(True, "inbox.card_sent", email=loaded)


async def not_spam(services: Services, email_id: int, who: Who) -> Outcome:
    """From /courriels: show a spam email with the domain buttons, to sort it back."""
    async with services.db.session() as s:
        loaded = await load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        if loaded.status != EmailStatus.SPAM:
            return await closed(s, loaded)
        text, _ = await render_for(s, services.settings, loaded, who.person)
        return Outcome(True, "", email=loaded, card=(text, domain_rows(who.person.language, loaded.id, "k")))

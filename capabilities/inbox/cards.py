"""The Telegram card of an email: its text and buttons for each viewer, queued and kept up to date.

A card is an outbox row keyed `inbox:<email id>:card:<tag>`; the tag says which kind of card it is:
f (forwarded), t (a follow-up in a thread), e<person id> (escalated to a coordinator), v (asked for
with Voir). The kind decides a few lines and who keeps the buttons.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ComReqFromEmail, InboxCard, InboxDomain, InboxRoute, InboxRouteCity, InboxSort
from bot.messages import Button, keyboard, text_message
from bot.settings import Settings
from bot.texts import t
from capabilities.inbox.common import (
    EXCERPT_SHOWN,
    MAX_ATTACHMENTS_SHOWN,
    SUBJECT_SHOWN,
    answers_elsewhere,
    clip,
    domain_label,
    gmail_link,
    is_unsure,
    number,
    recipient,
)
from domain.dates import format_when
from domain.people import Domain
from domain.statuses import EmailStatus
from domain.triage import CITIES
from storage import inbox as q
from storage import outbox
from storage.models import EmailMessage, Person

Rows = list[list[Button]]


def _rows_new(lang: str, eid: int) -> Rows:
    return [
        [
            (t(lang, "inbox.btn_claim"), InboxCard("c", eid).pack()),
            (t(lang, "inbox.btn_move"), InboxCard("r", eid).pack()),
        ],
        [
            (t(lang, "inbox.btn_reply"), InboxCard("p", eid).pack()),
            (t(lang, "inbox.btn_done"), InboxCard("d", eid).pack()),
            (t(lang, "inbox.btn_spam"), InboxCard("s", eid).pack()),
        ],
    ]


def _rows_claimed(lang: str, eid: int) -> Rows:
    return [
        [
            (t(lang, "inbox.btn_reply"), InboxCard("p", eid).pack()),
            (t(lang, "inbox.btn_done"), InboxCard("d", eid).pack()),
        ],
        [
            (t(lang, "inbox.btn_move"), InboxCard("r", eid).pack()),
            (t(lang, "inbox.btn_spam"), InboxCard("s", eid).pack()),
        ],
    ]


def domain_rows(lang: str, eid: int, mode: InboxSort) -> Rows:
    """One-tap domains: `k` sorts an unsure email, `m` moves an email to another domain."""

    def b(domain: InboxDomain) -> Button:
        return (domain_label(lang, domain), InboxRoute(mode, eid, domain).pack())

    rows = [
        [b("finance"), b("communication"), b("website")],
        [
            (
                domain_label(lang, Domain.CAMPAIGN) + " …",
                InboxCard("kc" if mode == "k" else "mc", eid).pack(),
            ),
            b("secretariat"),
            b("spam"),
        ],
    ]
    if mode == "m":
        rows.append([(t(lang, "btn.back"), InboxCard("b", eid).pack())])
    return rows


def city_rows(lang: str, eid: int, mode: InboxSort) -> Rows:
    buttons = [(city, InboxRouteCity(mode, eid, "campaign", i).pack()) for i, city in enumerate(CITIES)]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append([(t(lang, "btn.back"), InboxCard("b", eid).pack())])
    return rows


def city_named(index: int) -> str | None:
    """The city of a city button (its index in CITIES), or None for an index no button carries."""
    return CITIES[index] if 0 <= index < len(CITIES) else None


def card_rows(email: EmailMessage, viewer_id: int, threshold: float, lang: str, tag: str = "f") -> Rows:
    """The buttons below, and on a sure communication or website email still to handle, one to turn
    it into a communication request (capabilities.communication.requests.from_email: once)."""
    rows = _card_rows(email, viewer_id, threshold, lang, tag)
    if rows and email.domain in (Domain.COMMUNICATION, Domain.WEBSITE) and not is_unsure(email, threshold):
        rows.append([(t(lang, "inbox.btn_to_request"), ComReqFromEmail(email.id).pack())])
    return rows


def _card_rows(email: EmailMessage, viewer_id: int, threshold: float, lang: str, tag: str = "f") -> Rows:
    """The buttons a card shows to its holder: none once someone else holds the email (escalation
    cards and cards asked for with Voir keep them: coordinators and leads may step in)."""
    if email.status in q.PENDING:
        if email.assignee_id not in (None, viewer_id) and tag[:1] not in ("e", "v"):
            return []
        if is_unsure(email, threshold):
            rows = domain_rows(lang, email.id, "k")
            rows.append(
                [
                    (t(lang, "inbox.btn_claim"), InboxCard("c", email.id).pack()),
                    (t(lang, "inbox.btn_reply"), InboxCard("p", email.id).pack()),
                ]
            )
            return rows
        return _rows_new(lang, email.id)
    if email.status == EmailStatus.CLAIMED and email.claimed_by == viewer_id:
        return _rows_claimed(lang, email.id)
    return []


def reminder_rows(lang: str, eid: int) -> Rows:
    return [
        [
            (t(lang, "inbox.btn_claim"), InboxCard("c", eid).pack()),
            (t(lang, "inbox.btn_view"), InboxCard("v", eid).pack()),
        ]
    ]


def _status_line(email: EmailMessage, viewer_id: int, names: dict[int, str], lang: str) -> str:
    def name(pid: int | None) -> str:
        return names.get(pid or -1, "?")

    if email.status == EmailStatus.CLAIMED:
        if email.claimed_by == viewer_id:
            return t(lang, "inbox.st_claimed_you")
        return t(lang, "inbox.st_claimed", name=name(email.claimed_by))
    if email.status == EmailStatus.SENDING:
        return t(lang, "inbox.st_sending", name=name(email.claimed_by))
    if email.status == EmailStatus.ANSWERED:
        return t(lang, "inbox.st_answered", name=name(email.claimed_by or email.assignee_id))
    if email.status == EmailStatus.SPAM:
        return t(lang, "inbox.st_spam")
    if email.assignee_id is not None and email.assignee_id != viewer_id:
        return t(lang, "inbox.st_moved", name=name(email.assignee_id))
    return ""


def card_text(
    email: EmailMessage, lang: str, viewer_id: int, names: dict[int, str], settings: Settings, tag: str = "f"
) -> str:
    domain = domain_label(lang, email.domain, email.city)
    pending = email.status in q.PENDING
    if is_unsure(email, settings.triage_threshold) and pending:
        head = t(lang, "inbox.card_unsure", domain=domain, confidence=round(email.confidence * 100))
    else:
        head = t(lang, "inbox.card_head", domain=domain, number=email.id)
    parts = [head]
    if tag.startswith("t"):
        parts.append(t(lang, "inbox.card_thread"))
    if tag.startswith("e"):
        hours = number(settings.inbox_claim_hours * 2, lang)
        parts.append(
            t(lang, "inbox.card_escalated", hours=hours, name=names.get(email.assignee_id or -1, "—"))
        )
    subject = clip(email.subject, SUBJECT_SHOWN) or t(lang, "inbox.no_subject")
    parts.append(t(lang, "inbox.card_from", sender=email.sender or "?"))
    if recipient(email.sender, email.reply_to) != email.sender:
        parts.append(t(lang, "inbox.card_reply_to", address=email.reply_to))
        if answers_elsewhere(email.sender, email.reply_to):
            parts.append(t(lang, "inbox.card_reply_elsewhere"))
    parts.append(t(lang, "inbox.card_subject", subject=subject))
    parts.append(t(lang, "inbox.card_date", date=format_when(email.received_at, lang)))
    if email.attachments:
        files = [str(a) for a in email.attachments[:MAX_ATTACHMENTS_SHOWN]]
        more = len(email.attachments) - len(files)
        listed = ", ".join(files) + (f" (+{more})" if more > 0 else "")
        parts.append(t(lang, "inbox.card_files", files=clip(listed, 600)))
    excerpt = clip(email.excerpt, EXCERPT_SHOWN) if email.excerpt.strip() else t(lang, "inbox.no_text")
    parts.append(t(lang, "inbox.card_excerpt", excerpt=excerpt))
    parts.append(t(lang, "inbox.card_link", link=gmail_link(email.thread_id)))
    status = _status_line(email, viewer_id, names, lang)
    if status and not (tag.startswith("e") and pending):  # already said above
        parts.append(status)
    return "\n".join(parts)


async def names_of(session: AsyncSession, email: EmailMessage) -> dict[int, str]:
    """First names of who holds the email (its assignee and who claimed it)."""
    people = await q.people_by_ids(session, [email.assignee_id, email.claimed_by])
    return {pid: p.first_name for pid, p in people.items()}


async def render_for(
    session: AsyncSession, settings: Settings, email: EmailMessage, viewer: Person, tag: str = "f"
) -> tuple[str, Rows]:
    names = await names_of(session, email)
    lang = viewer.language
    text = card_text(email, lang, viewer.id, names, settings, tag)
    return text, card_rows(email, viewer.id, settings.triage_threshold, lang, tag)


async def send_card(
    session: AsyncSession, settings: Settings, email: EmailMessage, person: Person, kind: str
) -> bool:
    """Queue a card; `kind` f (forward), t (thread follow-up), v (Voir) or e (escalation, once per person)."""
    existing = await q.cards(session, email.id)
    tag = f"e{person.id}" if kind == "e" else f"{kind}{len(existing) + 1}"
    text, rows = await render_for(session, settings, email, person, tag)
    key = f"{q.card_prefix(email.id)}{tag}"
    return await outbox.enqueue(
        session, person.telegram_id, text_message(text, rows), dedupe_key=key, person_id=person.id
    )


async def refresh_cards(
    session: AsyncSession,
    settings: Settings,
    email: EmailMessage,
    skip_message: tuple[int, int] | None = None,
) -> None:
    """Bring every card of the email up to date for whoever holds it (who claimed it, moved…).

    A card already delivered is edited; one still waiting in the outbox is rewritten in place.
    """
    rows = await q.cards(session, email.id)
    people = await q.people_by_ids(session, [r.person_id for r in rows])
    names = await names_of(session, email)
    for row in rows:
        person = people.get(row.person_id or -1)
        if person is None or (skip_message is not None and (row.chat_id, row.message_id) == skip_message):
            continue
        tag = (row.dedupe_key or "").rsplit(":", 1)[-1]
        text = card_text(email, person.language, person.id, names, settings, tag)
        buttons = card_rows(email, person.id, settings.triage_threshold, person.language, tag)
        payload = text_message(text, buttons)
        if row.status == outbox.PENDING:
            row.payload = payload
        elif row.status == outbox.SENT and row.message_id is not None:
            edit = {k: v for k, v in payload.items() if k != "reply_markup"}
            edit["message_id"] = row.message_id
            if buttons:
                edit["reply_markup"] = keyboard(buttons)
            await outbox.enqueue(session, row.chat_id, edit, method="editMessageText", person_id=person.id)

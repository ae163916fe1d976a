"""Answering an email from Telegram (in its Gmail thread, never twice), and the saved answers
(/modeles) offered while answering."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot import paging
from bot.callbacks import InboxCancel, InboxEdit, InboxSend, InboxSendTo, InboxTemplate, TemplatesPage
from bot.messages import Button
from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from capabilities.inbox.actions import Pressed, closed, finish, load, taken_by
from capabilities.inbox.cards import refresh_cards
from capabilities.inbox.common import (
    Outcome,
    ReplyChoice,
    Who,
    answers_elsewhere,
    bare_addresses,
    clip,
    gmail_link,
    recipient,
)
from capabilities.inbox.sync import alert_auth, gmail_client, mark_labels, push_labels_soon
from domain.inbox_input import MAX_ANSWER_CHARS, check_template, parse_templates
from domain.statuses import EmailStatus
from storage import inbox as q
from storage.models import EmailMessage, Person
from storage.people import audit

log = logging.getLogger(__name__)

SAVED_OFFERED = 10  # saved answers offered as buttons under the prompt


def reply_body(settings: Settings, person: Person, text: str) -> str:
    signature = settings.inbox_signature.replace("\\n", "\n").replace("{prenom}", person.first_name).strip()
    return f"{text.strip()}\n\n{signature}" if signature else text.strip()


def new_draft(email: EmailMessage) -> dict[str, Any]:
    """What the answer being written keeps: the email, who it would go to, and the text once typed."""
    return {
        "email_id": email.id,
        "sender": email.sender,
        "reply_to": email.reply_to,
        "subject": email.subject,
        "text": None,
        "link": gmail_link(email.thread_id),
    }


def _cancel_button(lang: str) -> Button:
    return (t(lang, "inbox.btn_cancel_reply"), InboxCancel().pack())


async def begin_reply(
    services: Services, email_id: int, who: Who, now: datetime, pressed: Pressed = None
) -> Outcome:
    """Répondre: the one who answers owns the email (claimed now if nobody had). The prompt offers
    the saved answers and a way out."""
    settings = services.settings
    lang = who.person.language
    async with services.transaction() as s:
        loaded = await load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        pid = who.person.id
        if email.status in q.PENDING:
            await q.transition(s, email.id, q.PENDING, taken_by(pid, now))
            await s.refresh(email)
            await finish(s, settings, email, who, pressed)
        if email.status != EmailStatus.CLAIMED or email.claimed_by != pid:
            return await closed(s, email)
        replies = await q.saved_replies(s)
    await push_labels_soon(services, email_id)
    rows = [[(r.name, InboxTemplate(r.id).pack())] for r in replies[:SAVED_OFFERED]]
    values: dict[str, Any] = {"subject": email.subject, "max": MAX_ANSWER_CHARS}
    if answers_elsewhere(email.sender, email.reply_to):
        key = "inbox.reply_prompt_elsewhere"
        values.update(sender=email.sender, reply_to=email.reply_to)
    else:
        key = "inbox.reply_prompt"
        values.update(sender=recipient(email.sender, email.reply_to))
    return Outcome(True, key, values, email=email, rows=[*rows, [_cancel_button(lang)]])


def _shown(value: str) -> Html:
    """An address on a button: bare (a display name could hide it), as typed (buttons are plain text)."""
    return Html(clip(bare_addresses(value), 60))


def _choice_rows(lang: str, eid: int, sender: str, reply_to: str) -> list[list[Button]]:
    """One Envoyer per recipient, each naming its address: the person chooses who gets the answer."""
    return [
        [(t(lang, "inbox.btn_send_from", address=_shown(sender)), InboxSendTo(eid, "from").pack())],
        [(t(lang, "inbox.btn_send_reply_to", address=_shown(reply_to)), InboxSendTo(eid, "reply").pack())],
    ]


def preview(settings: Settings, person: Person, draft: dict[str, Any]) -> tuple[str, list[list[Button]]]:
    """The answer as it will leave, with Envoyer, Modifier and Annuler. When Reply-To names another
    domain than From, nothing is sent without choosing the recipient: one Envoyer button each."""
    # Google's libraries load on first use, not with the bot.
    from integrations.gmail import reply_subject

    lang = person.language
    body = reply_body(settings, person, draft["text"])
    subject = clip(reply_subject(draft["subject"]), 200)
    sender, reply_to, eid = draft["sender"], draft.get("reply_to", ""), draft["email_id"]
    edit = (t(lang, "inbox.btn_edit"), InboxEdit().pack())
    if answers_elsewhere(sender, reply_to):
        text = t(
            lang, "inbox.reply_preview_choose", sender=sender, reply_to=reply_to, subject=subject, body=body
        )
        return text, [*_choice_rows(lang, eid, sender, reply_to), [edit, _cancel_button(lang)]]
    text = t(lang, "inbox.reply_preview", to=recipient(sender, reply_to), subject=subject, body=body)
    rows = [[(t(lang, "inbox.btn_send"), InboxSend(eid).pack()), edit], [_cancel_button(lang)]]
    return text, rows


async def saved_answer(services: Services, reply_id: int) -> str | None:
    """The text of a saved answer chosen under the prompt, or None when it was deleted since."""
    async with services.db.session() as s:
        saved = await q.saved_reply_by_id(s, reply_id)
    return saved.body if saved is not None else None


async def send_answer(
    services: Services,
    email_id: int,
    who: Who,
    text: str,
    now: datetime,
    choice: ReplyChoice | None = None,
) -> Outcome:
    """Send the answer (signed) from the shared Gmail, in the thread, to the recipient shown (the
    one `choice` names; it must be given when Reply-To names another domain than From). Never
    twice: the email goes to `sending` in its own committed transaction before Gmail is called.
    When Gmail may or may not have sent it, the outcome offers to send again (the person checks in
    Gmail first)."""
    # Google's libraries load on first use, not with the bot.
    from integrations.google_api import GoogleApiError, GoogleNotFound
    from integrations.google_auth import GoogleAuthError

    settings = services.settings
    client = gmail_client(services)
    if client is None:
        return Outcome(False, "inbox.not_connected")
    body = reply_body(settings, who.person, text)
    pid = who.person.id
    async with services.transaction() as s:
        loaded = await load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        if choice is None and answers_elsewhere(email.sender, email.reply_to):
            rows = _choice_rows(who.person.language, email.id, email.sender, email.reply_to)
            cancel = [_cancel_button(who.person.language)]
            return Outcome(False, "inbox.reply_choose", email=email, rows=[*rows, cancel])
        to = recipient(email.sender, email.reply_to, choice)
        values = {
            "status": EmailStatus.SENDING,
            "claimed_by": pid,
            "assignee_id": pid,
            "claimed_at": email.claimed_at or now,
            "answered_at": now,
        }
        if not await q.transition(s, email.id, (*q.PENDING, EmailStatus.CLAIMED), values, claimed_by=pid):
            await s.refresh(email)
            return await closed(s, email)
    try:
        original = await client.get_message(email.gmail_id)
        await client.send_reply(original, body, to=to)
    except GoogleAuthError as exc:
        await _unsend(services, email_id)
        await alert_auth(services, exc, now)
        return Outcome(False, "inbox.reply_auth", email=email)
    except GoogleNotFound:
        await _unsend(services, email_id)
        return Outcome(False, "inbox.reply_gone", {"link": gmail_link(email.thread_id)}, email=email)
    except GoogleApiError as exc:
        await _unsend(services, email_id)
        maybe = exc.status is None or exc.status >= 500
        log.warning("answer to email %s failed: %s", email_id, exc)
        lang = who.person.language
        again = InboxSend(email_id) if choice is None else InboxSendTo(email_id, choice)
        retry = [[(t(lang, "inbox.btn_send"), again.pack()), _cancel_button(lang)]]
        key = "inbox.reply_maybe_sent" if maybe else "inbox.reply_failed"
        return Outcome(False, key, {"link": gmail_link(email.thread_id)}, email=email, rows=retry)
    async with services.transaction() as s:
        await q.transition(
            s, email_id, (EmailStatus.SENDING,), {"status": EmailStatus.ANSWERED, "answered_at": now}
        )
        sent = await q.email_by_id(s, email_id)
        assert sent is not None
        await mark_labels(s, email_id)
        await refresh_cards(s, settings, sent)
        await audit(s, who.person, "inbox.answered", f"email:{email_id}", via="telegram", chars=len(body))
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.reply_sent", {"sender": to}, email=sent)


async def _unsend(services: Services, email_id: int) -> None:
    async with services.transaction() as s:
        values = {"status": EmailStatus.CLAIMED, "answered_at": None}
        await q.transition(s, email_id, (EmailStatus.SENDING,), values)


TEMPLATES_PAGE = 15  # saved answers on one page of /modeles


async def templates(services: Services, who: Who, text: str) -> tuple[str, list[list[Button]]]:
    """/modeles: the list (its first page, with the page buttons), one answer, or add / replace /
    delete one."""
    lang = who.person.language
    request = parse_templates(text)
    if request.action == "list":
        return await templates_page(services, who, 0)
    if request.action == "add":
        problem = check_template(request.name, request.body)
        if problem is not None:
            key, values = problem
            return t(lang, key, **values) + "\n" + t(lang, "inbox.tpl_usage"), []
        async with services.transaction() as s:
            created = await q.save_reply(s, request.name, request.body, who.person.id)
            await audit(s, who.person, "inbox.template_saved", f"template:{request.name}")
        return t(lang, "inbox.tpl_created" if created else "inbox.tpl_updated", name=request.name), []
    if request.action == "delete":
        async with services.transaction() as s:
            deleted = await q.delete_reply(s, request.name)
            if deleted:
                await audit(s, who.person, "inbox.template_deleted", f"template:{request.name}")
        key = "inbox.tpl_deleted" if deleted else "inbox.tpl_not_found"
        return t(lang, key, name=request.name or "?"), []
    async with services.db.session() as s:
        saved = await q.saved_reply(s, request.name)
    if saved is None:
        return t(lang, "inbox.tpl_not_found", name=request.name) + "\n" + t(lang, "inbox.tpl_usage"), []
    return t(lang, "inbox.tpl_show", name=saved.name, body=saved.body), []


async def templates_page(services: Services, who: Who, page: int) -> tuple[str, list[list[Button]]]:
    """/modeles: one page of the saved answers (bot.paging), « et N autres » and the page buttons;
    the way to add, see and delete one under each page. A page out of range is clamped."""
    lang = who.person.language
    async with services.db.session() as s:
        replies = await q.saved_replies(s)
    win = paging.window(len(replies), page, TEMPLATES_PAGE)
    lines = [
        t(lang, "inbox.tpl_line", name=r.name, preview=clip(" ".join(r.body.split()), 70))
        for r in win.slice(replies)
    ]
    if not replies:
        lines.append(t(lang, "inbox.tpl_none"))
    foot = "\n".join(part for part in (paging.footer(lang, win), t(lang, "inbox.tpl_usage")) if part)
    nav = paging.nav_row(lang, win, lambda n: TemplatesPage(n).pack())
    return paging.page_message(t(lang, "inbox.tpl_header"), lines, foot), [nav] if nav else []

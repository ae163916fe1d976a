"""/courriels: what is pending, the person's own emails in detail, then everyone's counts."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import InboxCard
from bot.messages import Button
from bot.paging import LIMIT, fit, shown_length
from bot.services import Services
from bot.texts import t
from capabilities.inbox.common import Who, clip, domain_label, number
from capabilities.inbox.followup import working_hours_between
from capabilities.inbox.sync import gmail_client
from domain.dates import format_when
from domain.people import Domain
from storage import inbox as q
from storage.models import EmailMessage

SHOWN = 15  # emails listed in each part
VIEW_BUTTONS = 8
SPAM_BUTTONS = 6


async def overview(services: Services, who: Who, now: datetime) -> tuple[str, list[list[Button]]]:
    """What is pending: the person's own emails in detail, then everyone's counts. Senders and
    subjects only to coordinators and to the person or lead concerned."""
    settings = services.settings
    person = who.person
    lang = person.language
    scopes = who.lead_scopes
    sorts_spam = who.coordinator or Domain.SECRETARIAT in scopes

    def detailed(email: EmailMessage) -> bool:
        return who.coordinator or person.id in (email.assignee_id, email.claimed_by) or email.domain in scopes

    async with services.db.session() as s:
        emails = await q.open_emails(s)
        people = await q.people_by_ids(s, [e.claimed_by or e.assignee_id for e in emails])
        spam = await q.recent_spam(s) if sorts_spam else []

    def line(email: EmailMessage) -> str:
        waited = working_hours_between(email.created_at, now, settings.tz)
        owner = people.get(email.claimed_by or email.assignee_id or -1)
        state = t(lang, f"inbox.state_{email.status}", name=owner.first_name if owner else "—")
        if waited >= 1:
            age = t(lang, "inbox.age_hours", hours=number(round(waited, 1), lang))
        else:
            age = t(lang, "inbox.age_new", date=format_when(email.received_at, lang))
        subject = clip(email.subject, 80) or t(lang, "inbox.no_subject")
        domain = domain_label(lang, email.domain, email.city)
        sender = clip(email.sender, 80)
        return t(
            lang,
            "inbox.list_line",
            number=email.id,
            domain=domain,
            sender=sender,
            subject=subject,
            age=age,
            state=state,
        )

    mine = [e for e in emails if person.id in (e.assignee_id, e.claimed_by)]
    visible = [e for e in emails if detailed(e) and e not in mine]
    lines = [t(lang, "inbox.list_header", count=len(emails))]
    lines.append(t(lang, "inbox.list_mine", count=len(mine)))
    lines += [line(e) for e in mine[:SHOWN]]
    if len(mine) > SHOWN:
        lines.append(t(lang, "inbox.list_more", count=len(mine) - SHOWN))
    if visible:
        lines.append(t(lang, "inbox.list_others"))
        lines += [line(e) for e in visible[:SHOWN]]
        if len(visible) > SHOWN:
            lines.append(t(lang, "inbox.list_more", count=len(visible) - SHOWN))
    counts: dict[str, list[int]] = {}
    for email in emails:
        owner = people.get(email.claimed_by or email.assignee_id or -1)
        name = owner.first_name if owner else t(lang, "inbox.list_nobody")
        pair = counts.setdefault(name, [0, 0])
        pair[0 if email.status in q.PENDING else 1] += 1
    if counts:
        lines.append(t(lang, "inbox.list_people"))
        for name, (todo, doing) in sorted(counts.items()):
            lines.append(t(lang, "inbox.list_person", name=name, todo=todo, doing=doing))
    by_domain: dict[str, int] = {}
    for email in emails:
        by_domain[email.domain] = by_domain.get(email.domain, 0) + 1
    if by_domain:
        parts = [f"{domain_label(lang, d)} {n}" for d, n in sorted(by_domain.items(), key=lambda kv: -kv[1])]
        lines.append(t(lang, "inbox.list_domains", parts=" · ".join(parts)))
    rows: list[list[Button]] = []
    shown = (mine + visible)[:VIEW_BUTTONS]
    for i in range(0, len(shown), 4):
        rows.append(
            [
                (t(lang, "inbox.btn_view_n", number=e.id), InboxCard("v", e.id).pack())
                for e in shown[i : i + 4]
            ]
        )
    if spam:
        lines.append(t(lang, "inbox.list_spam", count=len(spam)))
        for email in spam:
            subject = clip(email.subject, 80) or t(lang, "inbox.no_subject")
            lines.append(
                t(lang, "inbox.spam_line", number=email.id, sender=clip(email.sender, 80), subject=subject)
            )
        for i in range(0, min(len(spam), SPAM_BUTTONS), 3):
            rows.append(
                [
                    (t(lang, "inbox.btn_not_spam", number=e.id), InboxCard("ns", e.id).pack())
                    for e in spam[i : i + 3]
                ]
            )
    # Within Telegram's 4,096 (UTF-16, HTML read), the note included; lines that do not fit are
    # counted on a last line ("… et N autre(s)"), never dropped silently.
    note = t(lang, "inbox.not_connected_note") if who.coordinator and gmail_client(services) is None else ""
    limit = LIMIT - (shown_length(note) + 2 if note else 0)
    text = fit(lines, lambda n: t(lang, "inbox.list_more", count=n), limit=limit)
    return (text + "\n\n" + note if note else text), rows

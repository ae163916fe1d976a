"""/courriels: the open emails as one message, a page at a time (issue 18): the late ones first,
then the newest; filtered by late, mine, a domain, a person or the recent spam. Senders and
subjects only to coordinators and to the person or lead concerned; who holds how many, to every
member of the inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from bot import paging
from bot.callbacks import InboxCard, InboxFilter, InboxFilterMenu, InboxPage
from bot.messages import Button
from bot.services import Services
from bot.texts import t
from capabilities.inbox.common import Who, clip, domain_label
from capabilities.inbox.followup import working_hours_between
from capabilities.inbox.sync import gmail_client
from domain.ages import format_since
from domain.people import Domain
from storage import inbox as q
from storage.models import EmailMessage

# --- /courriels as one paged message (issue 18) ----------------------------------------------------

PAGE = 8  # emails per page
DOMAINS = ("finance", "communication", "website", "secretariat", "campaign")
NOBODY = "none"  # the person filter's value for emails nobody holds


def is_late(email: EmailMessage, now: datetime, settings: Any) -> bool:
    """Nobody took it within twice the claim delay (working hours): what the coordinators are told
    about (capabilities.inbox.followup stamps escalated_at when it tells them)."""
    if email.status not in q.PENDING:
        return False
    if email.escalated_at is not None:
        return True
    waited = working_hours_between(email.created_at, now, settings.tz)
    return bool(waited >= 2 * settings.inbox_claim_hours)


async def inbox_page(
    services: Services, who: Who, now: datetime, flt: str = "all", value: str = "0", page: int = 0
) -> tuple[str, list[list[Button]]]:
    """/courriels: one page of the open emails the person may read in detail, late ones first (the
    oldest first), then the newest first; filtered by late, mine, a domain, a person, or the
    recent spam. A filter the person may not use, or a value that names nothing, shows everything."""
    settings = services.settings
    person = who.person
    lang = person.language
    scopes = who.lead_scopes
    sorts_spam = who.coordinator or Domain.SECRETARIAT in scopes

    def detailed(email: EmailMessage) -> bool:
        return who.coordinator or person.id in (email.assignee_id, email.claimed_by) or email.domain in scopes

    async with services.db.session() as s:
        emails = await q.open_emails(s, limit=5000)
        people = await q.people_by_ids(s, [e.claimed_by or e.assignee_id for e in emails])
        spam = await q.recent_spam(s, limit=100) if sorts_spam else []

    def owner_of(email: EmailMessage) -> int | None:
        return email.claimed_by or email.assignee_id

    late = {e.id for e in emails if is_late(e, now, settings)}
    visible = [e for e in emails if detailed(e)]
    visible.sort(
        key=lambda e: (0, e.received_at.timestamp()) if e.id in late else (1, -e.received_at.timestamp())
    )
    mine = [e for e in visible if person.id in (e.assignee_id, e.claimed_by)]
    if flt == "spam" and not sorts_spam:
        flt = "all"
    if flt == "dom" and value not in DOMAINS:
        flt = "all"
    if flt == "who" and not (value == NOBODY or (value.isdigit() and int(value) in people)):
        flt = "all"
    chosen: list[EmailMessage]
    if flt == "late":
        chosen = [e for e in visible if e.id in late]
    elif flt == "mine":
        chosen = mine
    elif flt == "dom":
        chosen = [e for e in visible if e.domain == value]
    elif flt == "who":
        wanted = None if value == NOBODY else int(value)
        chosen = [e for e in visible if owner_of(e) == wanted]
    elif flt == "spam":
        chosen = list(spam)
    else:
        flt, chosen = "all", visible
    win = paging.window(len(chosen), page, PAGE)
    shown = win.slice(chosen)

    def line(email: EmailMessage) -> str:
        if flt == "spam":
            subject = clip(email.subject, 80) or t(lang, "inbox.no_subject")
            return t(lang, "inbox.spam_line", number=email.id, sender=clip(email.sender, 80), subject=subject)
        owner = people.get(owner_of(email) or -1)
        state = t(lang, f"inbox.state_{email.status}", name=owner.first_name if owner else "—")
        subject = clip(email.subject, 80) or t(lang, "inbox.no_subject")
        text = t(
            lang,
            "inbox.page_line",
            number=email.id,
            domain=domain_label(lang, email.domain, email.city),
            sender=clip(email.sender, 80),
            subject=subject,
            age=format_since(email.received_at, now, lang),
            state=state,
        )
        return t(lang, "inbox.page_late_mark") + text if email.id in late else text

    header = t(lang, "inbox.page_header", count=len(emails), late=len(late))
    if flt != "all":
        header += "\n" + t(lang, "inbox.page_filter", label=filter_label(lang, flt, value, people))
    if who.coordinator and gmail_client(services) is None:
        header += "\n" + t(lang, "inbox.not_connected_note")
    lines = [line(e) for e in shown] or [t(lang, "inbox.page_none")]
    rows: list[list[Button]] = []
    spam_page = flt == "spam"
    key = "inbox.btn_not_spam" if spam_page else "inbox.btn_view_n"
    per_row = 2 if spam_page else 4
    cells = [
        (t(lang, key, number=e.id), (InboxCard("ns", e.id) if spam_page else InboxCard("v", e.id)).pack())
        for e in shown
    ]
    rows += [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    nav = paging.nav_row(lang, win, lambda n: InboxPage(_flt(flt), value, n).pack())
    if nav:
        rows.append(nav)
    filters: list[Button] = []
    if flt != "all":
        filters.append((t(lang, "btn.inbox_all", count=len(visible)), InboxPage("all", "0", 0).pack()))
    if flt != "late":
        count = sum(1 for e in visible if e.id in late)
        filters.append((t(lang, "btn.inbox_late", count=count), InboxPage("late", "0", 0).pack()))
    if flt != "mine":
        filters.append((t(lang, "btn.inbox_mine", count=len(mine)), InboxPage("mine", "0", 0).pack()))
    rows.append(filters)
    more: list[Button] = [
        (t(lang, "btn.inbox_by_domain"), InboxFilterMenu("dom").pack()),
        (t(lang, "btn.inbox_by_person"), InboxFilterMenu("who").pack()),
    ]
    if sorts_spam and flt != "spam":
        more.append((t(lang, "btn.inbox_spam", count=len(spam)), InboxPage("spam", "0", 0).pack()))
    rows.append(more)
    return paging.page_message(header, lines, paging.footer(lang, win)), rows


def _flt(name: str) -> InboxFilter:
    return next((f for f in get_args(InboxFilter) if f == name), "all")


def filter_label(lang: str, flt: str, value: str, people: dict[int, Any]) -> str:
    if flt == "dom":
        return domain_label(lang, value)
    if flt == "who":
        holder = people.get(int(value)) if value.isdigit() else None
        return holder.first_name if holder is not None else t(lang, "inbox.list_nobody")
    return t(lang, f"inbox.filter_{flt}")


async def filter_menu(services: Services, who: Who, kind: str) -> tuple[str, list[list[Button]]]:
    """/courriels: the domains, or the people holding emails, each with its count, to filter by."""
    person = who.person
    lang = person.language
    scopes = who.lead_scopes
    async with services.db.session() as s:
        everyone = await q.open_emails(s, limit=5000)
        people = await q.people_by_ids(s, [e.claimed_by or e.assignee_id for e in everyone])
    # Who holds how many is told to every inbox member (counts only); a domain's count, to those
    # who may read that domain's emails.
    emails = [
        e
        for e in everyone
        if who.coordinator or person.id in (e.assignee_id, e.claimed_by) or e.domain in scopes
    ]
    cells: list[Button] = []
    if kind == "dom":
        counts: dict[str, int] = {}
        for e in emails:
            counts[e.domain] = counts.get(e.domain, 0) + 1
        for domain in DOMAINS:
            if counts.get(domain):
                label = t(lang, "btn.inbox_choice", name=domain_label(lang, domain), count=counts[domain])
                cells.append((label, InboxPage("dom", domain, 0).pack()))
        text = t(lang, "inbox.menu_domain")
    else:
        by: dict[str, int] = {}
        for e in everyone:
            holder = e.claimed_by or e.assignee_id
            key = str(holder) if holder in people else NOBODY
            by[key] = by.get(key, 0) + 1
        named = sorted(by.items(), key=lambda kv: (-kv[1], kv[0]))
        for key, n in named[:30]:
            name = people[int(key)].first_name if key != NOBODY else t(lang, "inbox.list_nobody")
            cells.append(
                (t(lang, "btn.inbox_choice", name=name[:30], count=n), InboxPage("who", key, 0).pack())
            )
        text = t(lang, "inbox.menu_person")
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    rows.append([(t(lang, "btn.back"), InboxPage("all", "0", 0).pack())])
    return text, rows

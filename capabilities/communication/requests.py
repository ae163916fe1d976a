"""Communication requests: /com, the cards, reminders and escalation.

A request goes to the leads of its domain (communication; website for a site update), or to the
coordinators when there is none available. Its cards are outbox rows keyed `comreq:<id>:card:<tag>`
(tag: the person's id, `v<n>` for one opened from the coordinators' summary, `e<id>` for an
escalation card sent before the summary existed), edited when the request changes, like the
inbox's. What nobody took after ESCALATE_AFTER reaches the coordinators once a working day in one
summary (`escalation_summary`), not one card per request (issue 18). Only the team (coordinators
and the domain's leads, as they are at the press) may claim, assign, finish or refuse; whoever
asked is told when it is done or refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ComLate, ComReqAssign, ComReqCard, ComReqRefuse, PostOpen
from bot.commands import ORGANISERS
from bot.messages import Button, keyboard, text_message
from bot.paging import fit
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.inbox import actions as inbox_actions
from capabilities.inbox.common import Outcome as InboxOutcome
from capabilities.inbox.common import Who, clip
from capabilities.inbox.followup import summary_day
from capabilities.inbox.routing import available
from domain.ages import format_since
from domain.dates import format_when
from domain.people import Domain
from domain.statuses import ComRequestKind, ComRequestStatus, PostPurpose, PostStatus
from storage import com_requests as q
from storage import digest as digest_q
from storage import inbox as iq
from storage import outbox
from storage.models import ComRequest, EmailMessage, Person
from storage.people import audit

Rows = list[list[Button]]

REMIND_BEFORE = timedelta(hours=24)  # one reminder, a day before the deadline
ESCALATE_AFTER = timedelta(hours=24)  # nobody took it a day later: the coordinators are told
ESCALATION_JOB = "comreq.escalation_summary"  # job_runs: one summary a working day
ESCALATION_LISTED = 10  # requests listed in a summary (the others counted)
ESCALATION_BUTTONS = 8  # Ouvrir buttons, four a row (like the inbox summary's Voir)
BRIEF_MAX = 2000
BRIEF_SHOWN = 1200  # on a card (Telegram caps a message at 4,096 characters)
BRIEF_LISTED = 120  # a line of /demandes_com
FILES_MAX = 10
# Kinds published on the networks: the requester chooses channels for them.
WITH_CHANNELS = (ComRequestKind.POST, ComRequestKind.VISUAL, ComRequestKind.VIDEO)


@dataclass
class Outcome:
    """What a press gives: a text key for the pop-up, and the pressed card as it now is."""

    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    card: tuple[str, Rows] | None = None
    rows: Rows = field(default_factory=list)  # extra buttons for an answer (assign, the post)


def domain_of(kind: str) -> str:
    return Domain.WEBSITE if kind == ComRequestKind.WEBSITE else Domain.COMMUNICATION


def is_organiser(person: Person, settings: Settings) -> bool:
    """Organisers ask; anyone else proposes (the card says so). Roles as they are now."""
    roles = {g.role for g in person.grants}
    return person.telegram_id in settings.coordinator_ids or bool(roles & ORGANISERS)


def on_team(who: Who, request: ComRequest) -> bool:
    """Coordinators and the leads of the request's domain, as they are at this press."""
    return who.coordinator or request.domain in who.lead_scopes


async def team(session: AsyncSession, settings: Settings, domain: str) -> list[Person]:
    """Who may take a request of `domain`: its leads, then the coordinators (each once)."""
    people = await iq.leads_of(session, domain)
    seen = {p.id for p in people}
    for person in await iq.coordinators(session, settings.coordinator_ids):
        if person.id not in seen:
            people.append(person)
            seen.add(person.id)
    return people


async def recipients(session: AsyncSession, settings: Settings, domain: str, now: datetime) -> list[Person]:
    """The domain's available leads; else the available coordinators (all of them if none is)."""
    today = now.astimezone(settings.tz).date()
    leads = [p for p in await iq.leads_of(session, domain) if available(p, today)]
    if leads:
        return leads
    coordinators = await iq.coordinators(session, settings.coordinator_ids)
    return [c for c in coordinators if available(c, today)] or coordinators


# --- The card ---------------------------------------------------------------------------------------


def kind_label(lang: str, kind: str) -> str:
    return t(lang, f"comreq.kind.{kind}")


def channels_label(lang: str, channels: list[Any]) -> str:
    return ", ".join(t(lang, f"comreq.channel.{c}") for c in channels) or "—"


def card_rows(request: ComRequest, lang: str) -> Rows:
    rid = request.id
    if request.status == ComRequestStatus.OPEN:
        return [
            [
                (t(lang, "btn.comreq_claim"), ComReqCard("c", rid).pack()),
                (t(lang, "btn.comreq_assign"), ComReqCard("a", rid).pack()),
            ],
            [
                (t(lang, "btn.comreq_done"), ComReqCard("d", rid).pack()),
                (t(lang, "btn.comreq_refuse"), ComReqRefuse(rid).pack()),
            ],
        ]
    if request.status == ComRequestStatus.CLAIMED:
        rows: Rows = []
        if request.kind == ComRequestKind.POST:
            rows.append([(t(lang, "btn.comreq_write"), ComReqCard("w", rid).pack())])
        rows.append(
            [
                (t(lang, "btn.comreq_done"), ComReqCard("d", rid).pack()),
                (t(lang, "btn.comreq_assign"), ComReqCard("a", rid).pack()),
                (t(lang, "btn.comreq_refuse"), ComReqRefuse(rid).pack()),
            ]
        )
        return rows
    return []


def _status_line(request: ComRequest, lang: str, viewer_id: int, names: dict[int, str]) -> str:
    name = names.get(request.assignee_id or -1, "?")
    if request.status == ComRequestStatus.CLAIMED:
        if request.assignee_id == viewer_id:
            return t(lang, "comreq.st_claimed_you")
        return t(lang, "comreq.st_claimed", name=name)
    if request.status == ComRequestStatus.DONE:
        return t(lang, "comreq.st_done", name=name)
    if request.status == ComRequestStatus.REFUSED:
        reason = request.refused_reason or t(lang, "comreq.no_reason")
        return t(lang, "comreq.st_refused", reason=reason)
    return ""


def card_text(
    request: ComRequest,
    lang: str,
    viewer_id: int,
    names: dict[int, str],
    requester: Person | None,
    proposal: bool,
    tag: str = "",
) -> str:
    head = "comreq.card_proposal" if proposal else "comreq.card_head"
    parts = [t(lang, head, number=request.id, kind=kind_label(lang, request.kind))]
    if tag.startswith("e"):
        parts.append(t(lang, "comreq.card_escalated", hours=int(ESCALATE_AFTER.total_seconds() // 3600)))
    if requester is not None:
        who = requester.first_name + (f" (@{requester.username})" if requester.username else "")
        parts.append(t(lang, "comreq.card_from", name=who))
    if request.email_id is not None:
        parts.append(t(lang, "comreq.card_email", number=request.email_id))
    if request.kind in WITH_CHANNELS:
        parts.append(t(lang, "comreq.card_channels", channels=channels_label(lang, request.channels)))
    deadline = format_when(request.deadline, lang) if request.deadline else t(lang, "comreq.no_deadline")
    parts.append(t(lang, "comreq.card_deadline", deadline=deadline))
    brief = clip(request.brief, BRIEF_SHOWN) or t(lang, "comreq.no_brief")
    parts.append(t(lang, "comreq.card_brief", brief=brief))
    if request.files:
        parts.append(t(lang, "comreq.card_files", count=len(request.files)))
    status = _status_line(request, lang, viewer_id, names)
    if status:
        parts.append(status)
    return "\n".join(parts)


async def _context(
    session: AsyncSession, settings: Settings, request: ComRequest
) -> tuple[dict[int, str], Person | None, bool]:
    people = await iq.people_by_ids(session, [request.assignee_id, request.requested_by])
    names = {pid: p.first_name for pid, p in people.items()}
    requester = people.get(request.requested_by or -1)
    proposal = requester is not None and request.email_id is None and not is_organiser(requester, settings)
    return names, requester, proposal


async def render_for(
    session: AsyncSession, settings: Settings, request: ComRequest, viewer: Person, tag: str = ""
) -> tuple[str, Rows]:
    names, requester, proposal = await _context(session, settings, request)
    lang = viewer.language
    text = card_text(request, lang, viewer.id, names, requester, proposal, tag)
    return text, card_rows(request, lang)


async def send_card(
    session: AsyncSession, settings: Settings, request: ComRequest, person: Person, tag: str = ""
) -> bool:
    """Queue a card (once per person and tag: the outbox key dedupes)."""
    tag = tag or str(person.id)
    text, rows = await render_for(session, settings, request, person, tag)
    key = f"{q.card_prefix(request.id)}{tag}"
    queued = await outbox.enqueue(
        session, person.telegram_id, text_message(text, rows), dedupe_key=key, person_id=person.id
    )
    if queued:
        await _send_files(session, request, person, tag)
    return queued


async def _send_files(session: AsyncSession, request: ComRequest, person: Person, tag: str) -> None:
    """The files sent with /com follow the card (Telegram re-sends a file by its id)."""
    for i, f in enumerate(request.files):
        if not isinstance(f, dict) or not f.get("file_id"):
            continue
        kind = "photo" if f.get("kind") == "photo" else "document"
        method = "sendPhoto" if kind == "photo" else "sendDocument"
        caption = t(person.language, "comreq.file_caption", number=request.id)
        await outbox.enqueue(
            session,
            person.telegram_id,
            {kind: f["file_id"], "caption": caption, "parse_mode": "HTML"},
            method=method,
            dedupe_key=f"comreq:{request.id}:file:{tag}:{i}",
            person_id=person.id,
        )


async def refresh_cards(
    session: AsyncSession, settings: Settings, request: ComRequest, skip: tuple[int, int] | None = None
) -> None:
    """Every card of the request as it now is: rewritten while queued, edited once delivered."""
    rows = await q.cards(session, request.id)
    people = await iq.people_by_ids(session, [r.person_id for r in rows])
    names, requester, proposal = await _context(session, settings, request)
    for row in rows:
        person = people.get(row.person_id or -1)
        if person is None or (skip is not None and (row.chat_id, row.message_id) == skip):
            continue
        tag = (row.dedupe_key or "").rsplit(":", 1)[-1]
        lang = person.language
        text = card_text(request, lang, person.id, names, requester, proposal, tag)
        buttons = card_rows(request, lang)
        payload = text_message(text, buttons)
        if row.status == outbox.PENDING:
            row.payload = payload
        elif row.status == outbox.SENT and row.message_id is not None:
            edit = {k: v for k, v in payload.items() if k != "reply_markup"}
            edit["message_id"] = row.message_id
            if buttons:
                edit["reply_markup"] = keyboard(buttons)
            await outbox.enqueue(session, row.chat_id, edit, method="editMessageText", person_id=person.id)


# --- Creating a request -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    request_id: int
    names: list[str]  # first names of who got the card


async def _open(session: AsyncSession, settings: Settings, request: ComRequest, now: datetime) -> list[str]:
    people = await recipients(session, settings, request.domain, now)
    for person in people:
        await send_card(session, settings, request, person)
    return [p.first_name for p in people]


async def create(
    services: Services,
    person: Person,
    *,
    kind: str,
    channels: list[str],
    deadline: datetime | None,
    brief: str,
    files: list[dict[str, Any]],
    now: datetime,
) -> Created:
    """/com confirmed: the request is stored and its cards queued, in one transaction."""
    settings = services.settings
    kind = ComRequestKind(kind)
    async with services.transaction() as s:
        request = await q.add(
            s,
            kind=kind,
            domain=domain_of(kind),
            channels=list(channels) if kind in WITH_CHANNELS else [],
            brief=brief[:BRIEF_MAX],
            deadline=deadline,
            files=list(files)[:FILES_MAX],
            requested_by=person.id,
            status=ComRequestStatus.OPEN,
            created_at=now,
        )
        names = await _open(s, settings, request, now)
        await audit(s, person, "com.request", f"com_request:{request.id}", kind=kind)
        return Created(request.id, names)


async def from_email(services: Services, email_id: int, who: Who, now: datetime) -> Outcome:
    """An inbox card's button: the email (communication or website) becomes a request, once."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await inbox_actions.load(s, settings, email_id, who)
        if isinstance(loaded, InboxOutcome):
            return Outcome(False, loaded.key, loaded.values)
        email: EmailMessage = loaded
        existing = await q.by_email(s, email.id)
        if existing is not None:
            return Outcome(False, "comreq.email_already", {"number": existing.id})
        if email.domain not in (Domain.COMMUNICATION, Domain.WEBSITE):
            return Outcome(False, "fallback.button_stale")
        kind = ComRequestKind.WEBSITE if email.domain == Domain.WEBSITE else ComRequestKind.POST
        brief = "\n".join(x for x in (email.subject.strip(), email.excerpt.strip()) if x)
        request = await q.add(
            s,
            kind=kind,
            domain=domain_of(kind),
            channels=[],
            brief=brief[:BRIEF_MAX],
            requested_by=who.person.id,
            email_id=email.id,
            status=ComRequestStatus.OPEN,
            created_at=now,
        )
        await _open(s, settings, request, now)
        await audit(s, who.person, "com.request", f"com_request:{request.id}", email=email.id)
        return Outcome(True, "comreq.email_made", {"number": request.id})


# --- The team's buttons ---------------------------------------------------------------------------------


async def _load(session: AsyncSession, request_id: int, who: Who) -> ComRequest | Outcome:
    """The request, locked, or why this person may not act on it (a forged id learns nothing)."""
    request = await q.by_id(session, request_id, lock=True)
    if request is None or not on_team(who, request):
        return Outcome(False, "comreq.not_yours")
    return request


async def _closed(session: AsyncSession, request: ComRequest) -> Outcome:
    await session.refresh(request)
    if request.status == ComRequestStatus.DONE:
        return Outcome(False, "comreq.already_done")
    if request.status == ComRequestStatus.REFUSED:
        return Outcome(False, "comreq.already_refused")
    names = await iq.people_by_ids(session, [request.assignee_id])
    name = names[request.assignee_id].first_name if request.assignee_id in names else "?"
    return Outcome(False, "comreq.already_claimed", {"name": name})


async def _finish(
    session: AsyncSession, settings: Settings, request: ComRequest, who: Who, pressed: tuple[int, int] | None
) -> tuple[str, Rows]:
    await session.flush()
    await session.refresh(request)
    await refresh_cards(session, settings, request, skip=pressed)
    return await render_for(session, settings, request, who.person)


async def _tell_requester(
    session: AsyncSession, request: ComRequest, key: str, by: Person, **values: Any
) -> None:
    people = await iq.people_by_ids(session, [request.requested_by])
    person = people.get(request.requested_by or -1)
    if person is None or person.id == by.id:
        return  # nobody to tell, or they did it themselves
    lang = person.language
    text = t(
        lang,
        key,
        number=request.id,
        kind=kind_label(lang, request.kind),
        name=by.first_name,
        brief=clip(request.brief, 200),
        **values,
    )
    await outbox.enqueue(
        session,
        person.telegram_id,
        text_message(text),
        dedupe_key=f"comreq:{request.id}:{request.status}",
        person_id=person.id,
    )


async def claim(
    services: Services, request_id: int, who: Who, now: datetime, pressed: tuple[int, int] | None = None
) -> Outcome:
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        pid = who.person.id
        if request.status == ComRequestStatus.CLAIMED and request.assignee_id == pid:
            return Outcome(
                True, "comreq.claimed_already_you", card=await render_for(s, settings, request, who.person)
            )
        values = {"status": ComRequestStatus.CLAIMED, "assignee_id": pid, "claimed_at": now}
        if not await q.transition(s, request.id, [ComRequestStatus.OPEN], values):
            return await _closed(s, request)
        card = await _finish(s, settings, request, who, pressed)
        await audit(s, who.person, "com.request_claimed", f"com_request:{request.id}")
        return Outcome(True, "comreq.claimed", card=card)


async def assign_menu(services: Services, request_id: int, who: Who) -> Outcome:
    """Attribuer: the team members, as buttons."""
    settings = services.settings
    async with services.db.session() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        if loaded.status not in q.ACTIVE:
            return await _closed(s, loaded)
        people = await team(s, settings, loaded.domain)
        buttons = [(p.first_name[:30], ComReqAssign(loaded.id, p.id).pack()) for p in people]
        rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        return Outcome(True, "comreq.assign_prompt", {"number": loaded.id}, rows=rows)


async def assign(services: Services, request_id: int, person_id: int, who: Who, now: datetime) -> Outcome:
    """Give the request to a team member (checked now: a former lead cannot be given it)."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        target = next((p for p in await team(s, settings, request.domain) if p.id == person_id), None)
        if target is None:
            return Outcome(False, "comreq.not_in_team")
        values = {"status": ComRequestStatus.CLAIMED, "assignee_id": target.id, "claimed_at": now}
        if not await q.transition(s, request.id, q.ACTIVE, values):
            return await _closed(s, request)
        await s.flush()
        await s.refresh(request)
        await send_card(s, settings, request, target)  # the new holder gets a card (once)
        await refresh_cards(s, settings, request)
        await audit(s, who.person, "com.request_assigned", f"com_request:{request.id}", to=target.id)
        return Outcome(True, "comreq.assigned", {"name": target.first_name})


async def mark_done(
    services: Services, request_id: int, who: Who, now: datetime, pressed: tuple[int, int] | None = None
) -> Outcome:
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        values: dict[str, Any] = {"status": ComRequestStatus.DONE, "done_at": now}
        if request.assignee_id is None:
            values.update(assignee_id=who.person.id, claimed_at=now)
        if not await q.transition(s, request.id, q.ACTIVE, values):
            return await _closed(s, request)
        card = await _finish(s, settings, request, who, pressed)
        await _tell_requester(s, request, "comreq.told_done", who.person)
        await audit(s, who.person, "com.request_done", f"com_request:{request.id}")
        return Outcome(True, "comreq.done", card=card)


async def may_refuse(services: Services, request_id: int, who: Who) -> Outcome:
    """Refuser, before the reason is asked: is it still possible, for this person?"""
    async with services.db.session() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        if loaded.status not in q.ACTIVE:
            return await _closed(s, loaded)
        return Outcome(True, "comreq.refuse_prompt", {"number": loaded.id})


async def refuse(services: Services, request_id: int, who: Who, reason: str, now: datetime) -> Outcome:
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        values = {"status": ComRequestStatus.REFUSED, "refused_reason": reason.strip()[:500], "done_at": now}
        if not await q.transition(s, request.id, q.ACTIVE, values):
            return await _closed(s, request)
        await s.flush()
        await s.refresh(request)
        await refresh_cards(s, settings, request)
        reason_text = request.refused_reason or t(who.person.language, "comreq.no_reason")
        await _tell_requester(s, request, "comreq.told_refused", who.person, reason=reason_text)
        await audit(s, who.person, "com.request_refused", f"com_request:{request.id}")
        return Outcome(True, "comreq.refused", {"number": request.id})


async def write_post(services: Services, request_id: int, who: Who, now: datetime) -> Outcome:
    """Rédiger le post: a draft post for a claimed post request (the one already started, if any)."""
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        if request.kind != ComRequestKind.POST or request.status != ComRequestStatus.CLAIMED:
            return Outcome(False, "fallback.button_stale")
        post = await q.post_of(s, request.id)
        key = "comreq.post_exists"
        if post is None:
            images = [
                {"file_id": f.get("file_id"), "name": f.get("name", "")}
                for f in request.files
                if isinstance(f, dict) and f.get("kind") == "photo"
            ]
            post = await q.add_post(
                s,
                purpose=PostPurpose.REQUEST,
                status=PostStatus.DRAFT,
                request_id=request.id,
                author_id=who.person.id,
                channels=list(request.channels),
                text=request.brief,
                images=images,
                created_at=now,
            )
            await audit(s, who.person, "com.request_post", f"com_request:{request.id}", post=post.id)
            key = "comreq.post_created"
        lang = who.person.language
        rows: Rows = [[(t(lang, "btn.comreq_open_post"), PostOpen(post.id).pack())]]
        return Outcome(True, key, {"number": request.id}, rows=rows)


# --- /demandes_com ------------------------------------------------------------------------------------


async def listing(services: Services, who: Who, now: datetime) -> str:
    """Open and claimed requests by deadline (overdue first), in one message."""
    lang = who.person.language
    async with services.db.session() as s:
        # Only the requests this person may act on (their domain's; every one for coordinators):
        # a finance lead does not read the communication team's briefs.
        requests = [r for r in await q.active(s) if on_team(who, r)]
        people = await iq.people_by_ids(s, [r.assignee_id for r in requests])
    if not requests:
        return t(lang, "comreq.list_empty")
    lines = []
    for r in requests:
        if r.deadline is None:
            when = t(lang, "comreq.no_deadline")
        elif r.deadline < now:
            when = t(lang, "comreq.list_overdue", deadline=format_when(r.deadline, lang))
        else:
            when = format_when(r.deadline, lang)
        holder = people.get(r.assignee_id or -1)
        status = (
            t(lang, "comreq.list_claimed", name=holder.first_name)
            if r.status == ComRequestStatus.CLAIMED and holder is not None
            else t(lang, "comreq.list_open")
        )
        brief = clip(" ".join(r.brief.split()), BRIEF_LISTED)
        lines.append(
            t(
                lang,
                "comreq.list_line",
                number=r.id,
                kind=kind_label(lang, r.kind),
                when=when,
                status=status,
                brief=brief,
            )
        )
    header = t(lang, "comreq.list_header", count=len(requests))
    return fit(lines, lambda n: t(lang, "comreq.list_more", count=n), header=header)


# --- The job ------------------------------------------------------------------------------------------


async def run(services: Services, now: datetime) -> int:
    """The job: one reminder a day before the deadline (to who holds it, else the card's
    recipients), and the coordinators' daily summary of what nobody took after ESCALATE_AFTER.
    Each is stamped in the same transaction as its messages: run twice, sent once."""
    settings = services.settings
    queued = 0
    async with services.transaction() as s:
        for request in await q.due_reminders(s, now + REMIND_BEFORE):
            request.reminded_at = now
            holder = (await iq.people_by_ids(s, [request.assignee_id])).get(request.assignee_id or -1)
            people = [holder] if holder is not None else await recipients(s, settings, request.domain, now)
            for person in people:
                lang = person.language
                assert request.deadline is not None
                text = t(
                    lang,
                    "comreq.reminder",
                    number=request.id,
                    kind=kind_label(lang, request.kind),
                    deadline=format_when(request.deadline, lang),
                    brief=clip(request.brief, 200),
                )
                rows = card_rows(request, lang)
                queued += await outbox.enqueue(
                    s,
                    person.telegram_id,
                    text_message(text, rows),
                    dedupe_key=f"comreq:{request.id}:remind:{person.id}",
                    person_id=person.id,
                )
        queued += await escalation_summary(s, settings, now)
    return queued


# --- What nobody took: one summary a working day for each coordinator ------------------------------


def escalation_message(lang: str, requests: list[ComRequest], now: datetime) -> tuple[str, Rows]:
    """ "12 demandes com sans preneur… la plus ancienne attend depuis 3 jours", a line per request
    (the oldest first), and an Ouvrir button for the first ones."""
    ordered = sorted(requests, key=lambda r: (r.created_at, r.id))
    lines = []
    for r in ordered[:ESCALATION_LISTED]:
        values = {
            "number": r.id,
            "kind": kind_label(lang, r.kind),
            "since": format_since(r.created_at, now, lang),
        }
        if r.deadline is not None:
            lines.append(
                t(lang, "comreq.late_line_deadline", deadline=format_when(r.deadline, lang), **values)
            )
        else:
            lines.append(t(lang, "comreq.late_line", **values))
    if len(ordered) > ESCALATION_LISTED:
        lines.append(t(lang, "comreq.late_more", count=len(ordered) - ESCALATION_LISTED))
    header = t(
        lang, "comreq.late_title", count=len(ordered), since=format_since(ordered[0].created_at, now, lang)
    )
    text = fit(
        [*lines, "", t(lang, "comreq.late_hint")],
        lambda n: t(lang, "comreq.late_more", count=n),
        header=header,
    )
    shown = ordered[:ESCALATION_LISTED][:ESCALATION_BUTTONS]
    buttons = [(t(lang, "btn.comreq_late_open", number=r.id), ComLate(r.id).pack()) for r in shown]
    return text, [buttons[i : i + 4] for i in range(0, len(buttons), 4)]


async def escalation_summary(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Once a working day, at the inbox summary's hour or later, as soon as a request waits past
    ESCALATE_AFTER: one message to each coordinator present (all of them if none is) listing what is
    due; each request listed is stamped escalated_at here, in the same transaction: told once."""
    day = summary_day(now, settings)
    if day is None or (ESCALATION_JOB, day) in await digest_q.done_periods(session, [ESCALATION_JOB]):
        return 0
    due = await q.due_escalations(session, now - ESCALATE_AFTER)
    if not due:
        return 0  # nothing waits yet today: the day stays open
    coordinators = await iq.coordinators(session, settings.coordinator_ids)
    if not coordinators or not await digest_q.claim_period(session, ESCALATION_JOB, day):
        return 0
    for request in due:
        request.escalated_at = now
    today = now.astimezone(settings.tz).date()
    queued = 0
    for person in [c for c in coordinators if available(c, today)] or coordinators:
        if person.telegram_id < 0:
            continue
        text, rows = escalation_message(person.language, due, now)
        queued += await outbox.enqueue(
            session,
            person.telegram_id,
            text_message(text, rows),
            dedupe_key=f"comreq:late:{person.id}:{day}",
            person_id=person.id,
        )
    return queued


async def open_late(services: Services, request_id: int, who: Who) -> Outcome:
    """Ouvrir on the summary: the request's card in the coordinator's chat, tracked like the others
    (edited when it changes). Taken, done or refused since: said so; an active one still comes."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, request_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        request = loaded
        if request.status in q.ACTIVE:
            tag = f"v{len(await q.cards(s, request.id)) + 1}"
            await send_card(s, settings, request, who.person, tag)
        if request.status == ComRequestStatus.CLAIMED and request.assignee_id == who.person.id:
            return Outcome(True, "comreq.claimed_already_you")
        if request.status != ComRequestStatus.OPEN:
            return await _closed(s, request)
        return Outcome(True, "comreq.late_card_sent")

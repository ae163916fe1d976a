"""The shared inbox: Gmail sync, triage, routing, the Telegram cards, claims, answers, follow-up.

Shared by handlers/inbox.py (people pressing buttons) and scheduler/inbox.py (the sync tick).
Every state change and the messages it causes are written in one transaction (outbox); Gmail
label calls happen after the commit, from a durable to-do list (`inbox.label:<id>` keys), so a
failed call is simply retried at the next tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from google.oauth2.credentials import Credentials
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Button, keyboard, text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from domain.dates import format_day, format_when, parse_when
from domain.people import DOMAIN_WORDS
from domain.text import fold
from domain.triage import CITIES, Email, Triage, canonical_city, clean_body
from integrations.email_parse import ParsedEmail
from integrations.gmail import GmailClient, HistoryExpired, thread_link
from integrations.google_api import GoogleApiError, GoogleNotFound
from integrations.google_auth import CredentialStore, GoogleAuthError
from storage import inbox as q
from storage import outbox
from storage.models import EmailMessage, Person
from storage.people import audit

log = logging.getLogger(__name__)

# Domains people route to, in the order buttons and tables show them (spam is a state).
DOMAINS: tuple[str, ...] = ("finance", "communication", "website", "campaign", "secretariat")
SPAM = "spam"

LABEL_TODO = "Coordo/À traiter"
LABEL_IN_PROGRESS = "Coordo/En cours"
LABEL_DONE = "Coordo/Traité"
DOMAIN_LABELS = {
    "finance": "Coordo/Finances",
    "communication": "Coordo/Communication",
    "website": "Coordo/Site",
    "campaign": "Coordo/Campagne",
    "secretariat": "Coordo/Secrétariat",
    SPAM: "Coordo/Spam",
}
STATE_LABELS = {
    "new": LABEL_TODO, "assigned": LABEL_TODO, "claimed": LABEL_IN_PROGRESS, "sending": LABEL_IN_PROGRESS,
    "answered": LABEL_DONE,
}  # fmt: skip
ALL_LABELS = (*DOMAIN_LABELS.values(), LABEL_TODO, LABEL_IN_PROGRESS, LABEL_DONE)

SYNC_KEY = "inbox.gmail"
MODEL_KEY = "inbox.triage_model"
LABEL_PREFIX = "inbox.label:"
MAX_CORRECTIONS_KEPT = 1000

EXCERPT_STORED = 4000  # cleaned body kept in the database (what corrections teach the model)
EXCERPT_SHOWN = 1200  # what a card shows (Telegram caps a message at 4,096 characters)
SUBJECT_SHOWN = 300
MAX_ANSWER_CHARS = 3500  # an answer plus its preview must fit one Telegram message
MAX_ATTACHMENTS_SHOWN = 10
SENDING_STUCK_AFTER = timedelta(minutes=15)

WORK_START = time(9, 0)
WORK_END = time(18, 0)


# --- Pure helpers -----------------------------------------------------------------------------


def working_hours_between(start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """Hours of Monday–Friday 9:00–18:00 (local time in `tz`) between two aware instants."""
    if end <= start:
        return 0.0
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    total = 0.0
    while day <= last:
        if day.weekday() < 5:
            lo = max(datetime.combine(day, WORK_START, tz), start)
            hi = min(datetime.combine(day, WORK_END, tz), end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
        if (last - day).days > 14:
            # Whole weeks strictly inside the interval count 45 hours each: no long loop for old mail.
            weeks = (last - day).days // 7 - 1
            total += weeks * 5 * (WORK_END.hour - WORK_START.hour)
            day += timedelta(weeks=weeks)
    return total


def working_deadline(start: datetime, hours: float, tz: ZoneInfo) -> datetime:
    """The instant at which `hours` working hours have passed since `start` (aware, in `tz`)."""
    left = timedelta(hours=hours)
    cursor = start.astimezone(tz)
    while True:
        day = cursor.date()
        if day.weekday() < 5:
            lo = max(datetime.combine(day, WORK_START, tz), cursor)
            hi = datetime.combine(day, WORK_END, tz)
            if hi > lo:
                if hi - lo >= left:
                    return lo + left
                left -= hi - lo
        cursor = datetime.combine(day + timedelta(days=1), time(0), tz)


def label_change(domain: str, status: str) -> tuple[list[str], list[str]]:
    """Gmail labels to add and to remove so that they mirror an email's domain and state."""
    add = [DOMAIN_LABELS.get(domain, DOMAIN_LABELS["secretariat"])]
    if status in STATE_LABELS:
        add.append(STATE_LABELS[status])
    return add, [name for name in ALL_LABELS if name not in add]


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _db_text(value: str | None, limit: int) -> str:
    """PostgreSQL refuses NUL characters and over-long strings: clean before storing."""
    return (value or "").replace("\x00", "")[:limit]


def _number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def fit(lines: Sequence[str], limit: int = 4000) -> str:
    """Lines joined, cut at a line boundary under Telegram's 4,096 characters (each line is
    whole HTML, so cutting between lines keeps the markup valid)."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    return text[: text.rfind("\n", 0, limit - 2)] + "\n…"


def domain_label(lang: str, domain: str, city: str | None = None) -> str:
    name = t(lang, "inbox.domain.spam") if domain == SPAM else t(lang, f"domain.{domain}")
    name = name[:1].upper() + name[1:]
    return f"{name} · {city}" if domain == "campaign" and city else name


def is_unsure(email: EmailMessage, threshold: float) -> bool:
    """Not routed automatically and not yet sorted by a person (a person's choice sets 1.0)."""
    return not email.auto_routed and email.confidence < threshold


def reply_body(settings: Settings, person: Person, text: str) -> str:
    signature = settings.inbox_signature.replace("\\n", "\n").replace("{prenom}", person.first_name).strip()
    return f"{text.strip()}\n\n{signature}" if signature else text.strip()


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def check_answer(text: str | None) -> tuple[str, dict[str, Any]] | None:
    """Why an answer cannot be sent as typed (a text key and its values), or None."""
    body = (text or "").strip()
    if not body.translate(_INVISIBLE).strip():
        return "inbox.reply_empty", {}
    if len(body) > MAX_ANSWER_CHARS:
        return "inbox.reply_too_long", {"length": len(body), "max": MAX_ANSWER_CHARS}
    return None


# --- Gmail ------------------------------------------------------------------------------------


def gmail_client(services: Services) -> GmailClient | None:
    """The Gmail client, or None while the inbox is not set up (no token file, no endpoint)."""
    client = services.extras.get("gmail")
    if isinstance(client, GmailClient):
        return client
    settings = services.settings
    token = settings.gmail_token_path
    if os.path.exists(token):
        factory: Any = CredentialStore(token)
    elif settings.gmail_api_endpoint:
        # A local fake API (tests, demos) takes any bearer token.
        factory = lambda: Credentials(token="coordo-local")  # noqa: E731
    else:
        return None
    client = GmailClient(factory, api_endpoint=settings.gmail_api_endpoint)
    services.extras["gmail"] = client
    return client


# --- The live triage model ----------------------------------------------------------------------


@dataclass
class _ModelCache:
    stamp: tuple[Any, ...]
    model: Triage
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _file_stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _cache(services: Services) -> _ModelCache:
    cache = services.extras.get("inbox.model")
    if not isinstance(cache, _ModelCache):
        cache = _ModelCache((), Triage(threshold=services.settings.triage_threshold))
        services.extras["inbox.model"] = cache
    return cache


async def live_model(services: Services, session: AsyncSession) -> Triage:
    """The trained model (`triage train` file) plus every correction made in Telegram.

    The corrected model is kept in the database; when the file is retrained, the kept
    corrections are replayed on top of the new file.
    """
    settings = services.settings
    cache = _cache(services)
    file_stamp = _file_stamp(settings.triage_model_path)
    stamp = (await q.kv_stamp(session, MODEL_KEY), file_stamp)
    if cache.stamp == stamp:
        return cache.model
    row = await q.kv_get(session, MODEL_KEY)
    value = row.value if row is not None else {}
    model: Triage | None = None
    if value.get("model") and value.get("base") == file_stamp:
        try:
            model = Triage.from_json(value["model"])
        except (ValueError, KeyError, TypeError):
            log.warning("stored triage model unreadable; rebuilding it")
    if model is None:
        model = Triage(threshold=settings.triage_threshold)
        if file_stamp is not None:
            try:
                model = Triage.load(settings.triage_model_path)
            except (OSError, ValueError, KeyError, TypeError):
                log.exception("cannot read %s; using the untrained model", settings.triage_model_path)
        for item in value.get("corrections", []):
            try:
                model.learn(Email("", item["from"], item["subject"], item["body"]), item["label"], item.get("city"))
            except (KeyError, ValueError, TypeError):
                continue
    model.threshold = settings.triage_threshold
    cache.stamp, cache.model = stamp, model
    return model


async def learn(services: Services, session: AsyncSession, email: EmailMessage, label: str, city: str | None) -> None:
    """Teach the live model one correction and keep it (same transaction as the re-routing)."""
    cache = _cache(services)
    async with cache.lock:
        model = await live_model(services, session)
        sample = {"from": email.sender, "subject": email.subject, "body": email.excerpt, "label": label, "city": city}
        model.learn(Email(str(email.id), email.sender, email.subject, email.excerpt), label, city)
        row = await q.kv_get(session, MODEL_KEY)
        corrections = list((row.value if row is not None else {}).get("corrections", []))
        corrections = [*corrections[-(MAX_CORRECTIONS_KEPT - 1) :], sample]
        value = {"model": model.to_json(), "base": _file_stamp(services.settings.triage_model_path),
                 "corrections": corrections}  # fmt: skip
        await q.kv_put(session, MODEL_KEY, value)
        cache.stamp = ()  # re-read at the next use (the stored stamp changed)


# --- Routing ------------------------------------------------------------------------------------


def available(person: Person, today: date) -> bool:
    return person.reachable and (person.absent_until is None or person.absent_until < today)


async def _tiers(session: AsyncSession, settings: Settings, domain: str, city: str | None) -> AsyncIterator[list[Person]]:
    """Who may get an email of a domain, by preference: routing rules (the city's own first for
    campaign), the domain's leads, then the coordinators. Lazy: most emails stop at the first."""
    cities: list[str | None] = [city, None] if domain == "campaign" and city else [None]
    for rule_city in cities:
        rules = await q.rules(session, domain, rule_city)
        if rules:
            people = await q.people_by_ids(session, [r.person_id for r in rules])
            yield [people[r.person_id] for r in rules if r.person_id in people]
    yield await q.leads_of(session, domain)
    yield await q.coordinators(session, settings.coordinator_ids)


async def choose(
    session: AsyncSession, settings: Settings, domain: str, city: str | None, today: date,
    exclude: Iterable[int] = (),
) -> Person | None:
    """The next person for an email, round-robin among the first tier with someone available."""
    excluded = set(exclude)
    async for tier in _tiers(session, settings, domain, city):
        pool = sorted({p.id: p for p in tier if available(p, today) and p.id not in excluded}.values(),
                      key=lambda p: p.id)  # fmt: skip
        if not pool:
            continue
        key = f"inbox.rr:{domain}:{city or '*'}"
        row = await q.kv_get(session, key)
        last = int((row.value if row is not None else {}).get("last", 0))
        chosen = next((p for p in pool if p.id > last), pool[0])
        await q.kv_put(session, key, {"last": chosen.id})
        return chosen
    return None


async def describe_routing(session: AsyncSession, settings: Settings, lang: str, today: date) -> str:
    """/routage: the table, with who gets what when no rule is set."""

    def names(people: Sequence[Person]) -> str:
        out = []
        for p in people:
            name = p.first_name + (f" (@{p.username})" if p.username else "")
            if not available(p, today):
                if p.absent_until is not None and p.absent_until >= today:
                    name += " — " + t(lang, "inbox.route_absent", until=format_day(p.absent_until, lang))
                else:
                    name += " — " + t(lang, "inbox.route_unreachable")
            out.append(name)
        return ", ".join(out)

    all_rules = await q.rules(session)
    people = await q.people_by_ids(session, [r.person_id for r in all_rules])
    coordinators = await q.coordinators(session, settings.coordinator_ids)
    lines = [t(lang, "inbox.route_header")]
    for domain in DOMAINS:
        own = [people[r.person_id] for r in all_rules if r.domain == domain and r.city is None and r.person_id in people]
        leads = await q.leads_of(session, domain)
        if own:
            who = Html(html.escape(names(own), quote=False))
        elif leads:
            who = Html(t(lang, "inbox.route_default_leads", names=names(leads)))
        else:
            who = Html(t(lang, "inbox.route_default_coord", names=names(coordinators) or "—"))
        lines.append(t(lang, "inbox.route_line", domain=domain_label(lang, domain), who=who))
        if domain == "campaign":
            for city in CITIES:
                local = [people[r.person_id] for r in all_rules
                         if r.domain == domain and r.city == city and r.person_id in people]  # fmt: skip
                if local:
                    lines.append(t(lang, "inbox.route_line", domain=domain_label(lang, domain, city), who=names(local)))
    lines.append(t(lang, "inbox.route_unsure"))
    lines.append(t(lang, "inbox.route_usage"))
    return fit(lines)


# --- Cards (the Telegram message showing an email) -----------------------------------------------


def _rows_new(lang: str, eid: int) -> list[list[Button]]:
    return [
        [(t(lang, "inbox.btn_claim"), f"ib:c:{eid}"), (t(lang, "inbox.btn_move"), f"ib:r:{eid}")],
        [(t(lang, "inbox.btn_reply"), f"ib:p:{eid}"), (t(lang, "inbox.btn_done"), f"ib:d:{eid}"),
         (t(lang, "inbox.btn_spam"), f"ib:s:{eid}")],
    ]  # fmt: skip


def _rows_claimed(lang: str, eid: int) -> list[list[Button]]:
    return [
        [(t(lang, "inbox.btn_reply"), f"ib:p:{eid}"), (t(lang, "inbox.btn_done"), f"ib:d:{eid}")],
        [(t(lang, "inbox.btn_move"), f"ib:r:{eid}"), (t(lang, "inbox.btn_spam"), f"ib:s:{eid}")],
    ]


def domain_rows(lang: str, eid: int, mode: str) -> list[list[Button]]:
    """One-tap domains: `k` sorts an unsure email, `m` moves an email to another domain."""

    def b(domain: str) -> Button:
        return (domain_label(lang, domain), f"ib:{mode}:{eid}:{domain}")

    rows = [
        [b("finance"), b("communication"), b("website")],
        [(domain_label(lang, "campaign") + " …", f"ib:{mode}c:{eid}"), b("secretariat"), b(SPAM)],
    ]
    if mode == "m":
        rows.append([(t(lang, "btn.back"), f"ib:b:{eid}")])
    return rows


def city_rows(lang: str, eid: int, mode: str) -> list[list[Button]]:
    buttons = [(city, f"ib:{mode}:{eid}:campaign:{i}") for i, city in enumerate(CITIES)]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append([(t(lang, "btn.back"), f"ib:b:{eid}")])
    return rows


def card_rows(email: EmailMessage, viewer_id: int, threshold: float, lang: str, tag: str = "f") -> list[list[Button]]:
    """The buttons a card shows to its holder: none once someone else holds the email (escalation
    cards and cards asked for with Voir keep them: coordinators and leads may step in)."""
    if email.status in ("new", "assigned"):
        if email.assignee_id not in (None, viewer_id) and tag[:1] not in ("e", "v"):
            return []
        if is_unsure(email, threshold):
            rows = domain_rows(lang, email.id, "k")
            rows.append([(t(lang, "inbox.btn_claim"), f"ib:c:{email.id}"), (t(lang, "inbox.btn_reply"), f"ib:p:{email.id}")])
            return rows
        return _rows_new(lang, email.id)
    if email.status == "claimed" and email.claimed_by == viewer_id:
        return _rows_claimed(lang, email.id)
    return []


def _status_line(email: EmailMessage, viewer_id: int, names: dict[int, str], lang: str) -> str:
    def name(pid: int | None) -> str:
        return names.get(pid or -1, "?")

    if email.status == "claimed":
        if email.claimed_by == viewer_id:
            return t(lang, "inbox.st_claimed_you")
        return t(lang, "inbox.st_claimed", name=name(email.claimed_by))
    if email.status == "sending":
        return t(lang, "inbox.st_sending", name=name(email.claimed_by))
    if email.status == "answered":
        return t(lang, "inbox.st_answered", name=name(email.claimed_by or email.assignee_id))
    if email.status == SPAM:
        return t(lang, "inbox.st_spam")
    if email.assignee_id is not None and email.assignee_id != viewer_id:
        return t(lang, "inbox.st_moved", name=name(email.assignee_id))
    return ""


def card_text(
    email: EmailMessage, lang: str, viewer_id: int, names: dict[int, str], settings: Settings, tag: str = "f",
) -> str:
    threshold = settings.triage_threshold
    if is_unsure(email, threshold) and email.status in ("new", "assigned"):
        head = t(lang, "inbox.card_unsure", domain=domain_label(lang, email.domain, email.city),
                 confidence=round(email.confidence * 100))  # fmt: skip
    else:
        head = t(lang, "inbox.card_head", domain=domain_label(lang, email.domain, email.city), number=email.id)
    parts = [head]
    if tag.startswith("t"):
        parts.append(t(lang, "inbox.card_thread"))
    if tag.startswith("e"):
        parts.append(t(lang, "inbox.card_escalated", hours=_number(settings.inbox_claim_hours * 2, lang),
                       name=names.get(email.assignee_id or -1, "—")))  # fmt: skip
    parts.append(t(lang, "inbox.card_from", sender=email.sender or "?"))
    parts.append(t(lang, "inbox.card_subject", subject=clip(email.subject, SUBJECT_SHOWN) or t(lang, "inbox.no_subject")))
    parts.append(t(lang, "inbox.card_date", date=format_when(email.received_at, lang)))
    if email.attachments:
        files = [str(a) for a in email.attachments[:MAX_ATTACHMENTS_SHOWN]]
        more = len(email.attachments) - len(files)
        listed = ", ".join(files) + (f" (+{more})" if more > 0 else "")
        parts.append(t(lang, "inbox.card_files", files=clip(listed, 600)))
    excerpt = clip(email.excerpt, EXCERPT_SHOWN) if email.excerpt.strip() else t(lang, "inbox.no_text")
    parts.append(t(lang, "inbox.card_excerpt", excerpt=excerpt))
    parts.append(t(lang, "inbox.card_link", link=thread_link(email.thread_id)))
    status = _status_line(email, viewer_id, names, lang)
    if status and not (tag.startswith("e") and email.status in ("new", "assigned")):  # already said above
        parts.append(status)
    return "\n".join(parts)


async def _names(session: AsyncSession, email: EmailMessage) -> dict[int, str]:
    people = await q.people_by_ids(session, [email.assignee_id, email.claimed_by])  # type: ignore[list-item]
    return {pid: p.first_name for pid, p in people.items()}


async def render_for(
    session: AsyncSession, settings: Settings, email: EmailMessage, viewer: Person, tag: str = "f",
) -> tuple[str, list[list[Button]]]:
    names = await _names(session, email)
    lang = viewer.language
    return (card_text(email, lang, viewer.id, names, settings, tag),
            card_rows(email, viewer.id, settings.triage_threshold, lang, tag))  # fmt: skip


async def _send_card(
    session: AsyncSession, settings: Settings, email: EmailMessage, person: Person, kind: str,
) -> bool:
    """Queue a card; `kind` f (forward), t (thread follow-up) or e (escalation, once per person)."""
    existing = await q.cards(session, email.id)
    tag = f"e{person.id}" if kind == "e" else f"{kind}{len(existing) + 1}"
    text, rows = await render_for(session, settings, email, person, tag)
    return await outbox.enqueue(session, person.telegram_id, text_message(text, rows),
                                dedupe_key=f"{q.card_prefix(email.id)}{tag}", person_id=person.id)  # fmt: skip


async def refresh_cards(
    session: AsyncSession, settings: Settings, email: EmailMessage, skip_message: tuple[int, int] | None = None,
) -> None:
    """Bring every card of the email up to date for whoever holds it (who claimed it, moved…).

    A card already delivered is edited; one still waiting in the outbox is rewritten in place.
    """
    rows = await q.cards(session, email.id)
    people = await q.people_by_ids(session, [r.person_id for r in rows if r.person_id is not None])
    names = await _names(session, email)
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


async def _mark_labels(session: AsyncSession, email_id: int) -> None:
    """Gmail labels to bring in line, after the commit (a durable to-do, retried each tick)."""
    await q.kv_put(session, f"{LABEL_PREFIX}{email_id}", {"token": uuid.uuid4().hex})


# --- Sync: Gmail → database + outbox --------------------------------------------------------------


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


async def sync(services: Services, client: GmailClient, now: datetime) -> int:
    """Fetch new mail, triage, route and queue the cards. Returns the number of emails stored.

    The history id is saved only after every message was stored: a crash or an error makes
    the next tick list the same messages again, and the unique Gmail id skips those done.
    """
    settings = services.settings
    async with services.db.session() as s:
        row = await q.kv_get(s, SYNC_KEY)
    state = dict(row.value) if row is not None else {}
    if state.get("history_id") is None:
        since = now - timedelta(days=settings.gmail_first_sync_days)
        ids, history_id = await client.full_sync(query=f"in:inbox after:{_epoch(since)}")
        ids.reverse()  # oldest first
    else:
        try:
            ids, history_id = await client.history_since(state["history_id"])
        except HistoryExpired:
            # Gmail forgot that point (the bot was off for about a week): list what came since.
            last = datetime.fromisoformat(state.get("synced_at") or now.isoformat())
            log.warning("Gmail history expired; full sync of mail since %s", last)
            ids, history_id = await client.full_sync(query=f"in:inbox after:{_epoch(last - timedelta(days=1))}")
            ids.reverse()
    stored = 0
    if ids:
        async with services.db.session() as s:
            known = await q.known_gmail_ids(s, ids)
            model = await live_model(services, s)
        for mid in ids:
            if mid in known:
                continue
            try:
                parsed = await client.get_message(mid)
            except GoogleNotFound:
                continue  # deleted in Gmail meanwhile
            except GoogleApiError as exc:
                if exc.retryable or exc.quota:
                    raise  # try the whole batch again at the next tick
                log.error("Gmail message %s cannot be read (%s); skipped", mid, exc)
                continue
            stored += await ingest(services, model, parsed, now)
    async with services.db.session() as s:
        await q.kv_put(s, SYNC_KEY, {"history_id": int(history_id), "synced_at": now.isoformat()})
    return stored


async def ingest(services: Services, model: Triage, parsed: ParsedEmail, now: datetime) -> int:
    """Store one email and queue its card, in one transaction (exactly once per Gmail id)."""
    settings = services.settings
    prediction = model.predict(Email(parsed.id, parsed.sender, parsed.subject, parsed.body_text))
    excerpt = clean_body(parsed.body_text, parsed.subject, max_chars=EXCERPT_STORED)
    today = now.astimezone(settings.tz).date()
    confident = prediction.confidence >= settings.triage_threshold
    async with services.transaction() as s:
        domain, city = prediction.label, prediction.city
        auto, kind, assignee = confident, "f", None
        previous = await q.thread_owner(s, parsed.thread_id) if parsed.thread_id else None
        owner_id = (previous.claimed_by or previous.assignee_id) if previous is not None else None
        owner = (await q.people_by_ids(s, [owner_id])).get(owner_id) if owner_id else None  # type: ignore[arg-type]
        if previous is not None and owner is not None and available(owner, today):
            # A new message in a conversation someone handles goes back to them.
            domain, city, auto, kind, assignee = previous.domain, previous.city, True, "t", owner
        elif domain == SPAM and confident:
            pass
        elif confident:
            assignee = await choose(s, settings, domain, city if domain == "campaign" else None, today)
        else:
            assignee = await choose(s, settings, "secretariat", None, today)
        status = SPAM if (domain == SPAM and auto) else ("assigned" if assignee is not None else "new")
        values = {
            "gmail_id": _db_text(parsed.id, 64),
            "thread_id": _db_text(parsed.thread_id or parsed.id, 64),
            "sender": _db_text(parsed.sender, 320),
            "subject": _db_text(parsed.subject, 500),
            "received_at": parsed.date,
            "excerpt": _db_text(excerpt, EXCERPT_STORED),
            "attachments": [_db_text(a.filename or a.mime_type, 200) for a in parsed.attachments],
            "message_id_header": _db_text(parsed.message_id_header, 500),
            "references": _db_text(" ".join(parsed.references), 20_000),
            "domain": domain,
            "city": _db_text(city, 80) if domain == "campaign" and city else None,
            "confidence": float(prediction.confidence),
            "auto_routed": auto,
            "status": status,
            "assignee_id": assignee.id if assignee is not None else None,
            "created_at": now,
            "updated_at": now,
        }
        email_id = await q.insert_email(s, values)
        if email_id is None:
            return 0
        email = await q.email_by_id(s, email_id)
        assert email is not None
        if assignee is not None:
            await _send_card(s, settings, email, assignee, kind)
        await _mark_labels(s, email_id)
    return 1


async def push_labels(services: Services, client: GmailClient, email_ids: Sequence[int] | None = None,
                      limit: int = 200) -> int:  # fmt: skip
    """Make Gmail labels mirror the state of the emails changed since the last push."""
    async with services.db.session() as s:
        if email_ids is None:
            todo = await q.kv_with_prefix(s, LABEL_PREFIX, limit)
        else:
            todo = [r for r in [await q.kv_get(s, f"{LABEL_PREFIX}{i}") for i in email_ids] if r is not None]
        tasks = [(r.key, dict(r.value)) for r in todo]
    done = 0
    for key, value in tasks:
        async with services.db.session() as s:
            email = await q.email_by_id(s, int(key.removeprefix(LABEL_PREFIX)))
        if email is not None:
            add, remove = label_change(email.domain, email.status)
            with contextlib.suppress(GoogleNotFound):  # deleted in Gmail: nothing to label
                await client.modify_labels(email.gmail_id, add=add, remove=remove)
        async with services.db.session() as s:
            current = await q.kv_get(s, key)
            # Changed again meanwhile: the newer change will be pushed by its own entry.
            if current is not None and current.value == value:
                await q.kv_delete(s, key)
        done += 1
    return done


async def push_labels_soon(services: Services, email_id: int) -> None:
    """After a person's action: try the labels now; a failure leaves them for the next tick."""
    client = gmail_client(services)
    if client is None:
        return
    try:
        await push_labels(services, client, [email_id])
    except (GoogleApiError, GoogleAuthError) as exc:
        log.warning("Gmail labels of email %s not updated now (%s); retried at the next sync", email_id, exc)


# --- Follow-up: reminders, escalations, interrupted sends ---------------------------------------


async def follow_up(services: Services, now: datetime) -> int:
    settings = services.settings
    hours = settings.inbox_claim_hours
    queued = 0
    async with services.transaction() as s:
        emails = await q.due_follow_up(s)
        if emails:
            people = await q.people_by_ids(s, [e.assignee_id for e in emails if e.assignee_id])
            today = now.astimezone(settings.tz).date()
            coordinators = await q.coordinators(s, settings.coordinator_ids)
            present = [c for c in coordinators if available(c, today)] or coordinators
        for email in emails:
            waited = working_hours_between(email.created_at, now, settings.tz)
            assignee = people.get(email.assignee_id or -1)
            if email.reminded_at is None and waited >= hours:
                email.reminded_at = now
                if assignee is not None:
                    lang = assignee.language
                    text = t(lang, "inbox.reminder", hours=_number(hours, lang), sender=email.sender,
                             subject=clip(email.subject, SUBJECT_SHOWN), number=email.id)  # fmt: skip
                    rows = [[(t(lang, "inbox.btn_claim"), f"ib:c:{email.id}"), (t(lang, "inbox.btn_view"), f"ib:v:{email.id}")]]
                    queued += await outbox.enqueue(s, assignee.telegram_id, text_message(text, rows),
                                                   dedupe_key=f"inbox:{email.id}:remind:{assignee.id}", person_id=assignee.id)  # fmt: skip
            if email.escalated_at is None and waited >= 2 * hours:
                email.escalated_at = now
                for coordinator in present:
                    queued += await _send_card(s, settings, email, coordinator, "e")
        for email in await q.stuck_sending(s, now - SENDING_STUCK_AFTER):
            # The process stopped while Gmail was sending: we cannot know whether it left.
            stamp = email.answered_at.isoformat() if email.answered_at else ""
            email.status, email.answered_at = "claimed", None
            person = (await q.people_by_ids(s, [email.claimed_by])).get(email.claimed_by)  # type: ignore[arg-type,list-item]
            if person is not None:
                text = t(person.language, "inbox.reply_interrupted", subject=clip(email.subject, SUBJECT_SHOWN),
                         link=thread_link(email.thread_id))  # fmt: skip
                queued += await outbox.enqueue(s, person.telegram_id, text_message(text),
                                               dedupe_key=f"inbox:{email.id}:stuck:{stamp}", person_id=person.id)  # fmt: skip
    return queued


async def alert_auth(services: Services, exc: GoogleAuthError, now: datetime) -> int:
    """Google refused the token: tell the coordinators how to fix it, once a day."""
    settings = services.settings
    day = now.astimezone(settings.tz).date().isoformat()
    queued = 0
    async with services.transaction() as s:
        for person in await q.coordinators(s, settings.coordinator_ids):
            lang = person.language
            fix = exc.how_to_fix if lang == "fr" else t(lang, "inbox.auth_how_to_fix")
            text = t(lang, "inbox.auth_alert", reason=exc.reason or type(exc).__name__, how_to_fix=fix)
            queued += await outbox.enqueue(s, person.telegram_id, text_message(text),
                                           dedupe_key=f"inbox:auth:{day}:{person.id}", person_id=person.id)  # fmt: skip
    return queued


# --- What people do from Telegram ------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    email: EmailMessage | None = None
    card: tuple[str, list[list[Button]]] | None = None  # the pressed card, re-rendered
    rows: list[list[Button]] = field(default_factory=list)  # extra buttons for the answer


@dataclass(frozen=True)
class Who:
    person: Person
    coordinator: bool


async def may_handle(session: AsyncSession, settings: Settings, email: EmailMessage, who: Who) -> bool:
    """Coordinators, the assignee or claimer, the domain's leads, the secretariat leads for emails
    to sort, and anyone who was shown the email."""
    person = who.person
    if who.coordinator or person.id in (email.assignee_id, email.claimed_by):
        return True
    scopes = {g.scope for g in person.grants if g.role == "lead"}
    if email.domain in scopes:
        return True
    if "secretariat" in scopes and (email.status == SPAM or is_unsure(email, settings.triage_threshold)):
        return True  # the secretariat sorts what the model could not, and watches the spam
    return await q.received_card(session, email.id, person.id)


async def _load(session: AsyncSession, settings: Settings, email_id: int, who: Who) -> EmailMessage | Outcome:
    email = await q.email_by_id(session, email_id, lock=True)
    if email is None:
        return Outcome(False, "inbox.gone")
    if not await may_handle(session, settings, email, who):
        return Outcome(False, "inbox.not_yours", email=email)
    return email


async def _closed(session: AsyncSession, email: EmailMessage) -> Outcome:
    names = await _names(session, email)
    who = names.get(email.claimed_by or email.assignee_id or -1, "?")
    if email.status == "answered":
        return Outcome(False, "inbox.already_answered", {"name": who}, email)
    if email.status == SPAM:
        return Outcome(False, "inbox.already_spam", {}, email)
    return Outcome(False, "inbox.already_claimed", {"name": who}, email)


async def _finish(
    session: AsyncSession, settings: Settings, email: EmailMessage, who: Who, pressed: tuple[int, int] | None,
) -> tuple[str, list[list[Button]]]:
    await session.flush()
    await session.refresh(email)
    await _mark_labels(session, email.id)
    await refresh_cards(session, settings, email, skip_message=pressed)
    return await render_for(session, settings, email, who.person)


async def claim(services: Services, email_id: int, who: Who, now: datetime,
                pressed: tuple[int, int] | None = None) -> Outcome:  # fmt: skip
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        if email.status == "claimed" and email.claimed_by == who.person.id:
            return Outcome(True, "inbox.claimed_already_you", email=email,
                           card=await render_for(s, settings, email, who.person))  # fmt: skip
        pid = who.person.id
        won = await q.transition(s, email.id, q.PENDING,
                                 {"status": "claimed", "claimed_by": pid, "assignee_id": pid, "claimed_at": now})  # fmt: skip
        if not won:
            await s.refresh(email)
            return await _closed(s, email)
        card = await _finish(s, settings, email, who, pressed)
        await audit(s, who.person, "inbox.claimed", str(email.id))
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.claimed", email=email, card=card)


async def mark_done(services: Services, email_id: int, who: Who, now: datetime,
                    pressed: tuple[int, int] | None = None) -> Outcome:  # fmt: skip
    """Répondu: answered outside the bot (from Gmail, by phone…)."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        pid = who.person.id
        owner = "any" if who.coordinator else pid
        values: dict[str, Any] = {"status": "answered", "answered_at": now}
        if email.claimed_by is None:
            values.update(claimed_by=pid, assignee_id=pid, claimed_at=now)
        if not await q.transition(s, email.id, ("new", "assigned", "claimed"), values, claimed_by=owner):
            await s.refresh(email)
            return await _closed(s, email)
        card = await _finish(s, settings, email, who, pressed)
        await audit(s, who.person, "inbox.answered", str(email.id), via="elsewhere")
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.done", email=email, card=card)


async def mark_spam(services: Services, email_id: int, who: Who, now: datetime,
                    pressed: tuple[int, int] | None = None) -> Outcome:  # fmt: skip
    return await reroute(services, email_id, who, SPAM, None, "k", now, pressed)


async def reroute(
    services: Services, email_id: int, who: Who, domain: str, city: str | None, mode: str, now: datetime,
    pressed: tuple[int, int] | None = None,
) -> Outcome:
    """A person sorts (`k`) or moves (`m`) an email to a domain: it is routed there and, when the
    domain differs from the model's or the email was unsure, the model learns it."""
    settings = services.settings
    if domain not in (*DOMAINS, SPAM) or (domain == "campaign" and city not in CITIES):
        return Outcome(False, "fallback.button_stale")
    city = city if domain == "campaign" else None
    today = now.astimezone(settings.tz).date()
    async with services.transaction() as s:
        loaded = await _load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        if email.status in ("answered", "sending") or (email.status == SPAM and domain == SPAM):
            return await _closed(s, email)
        if email.status == "claimed" and email.claimed_by != who.person.id and not who.coordinator:
            return await _closed(s, email)
        unsure = is_unsure(email, settings.triage_threshold)
        changed = (domain, city) != (email.domain, email.city)
        if changed or unsure or email.status == SPAM:
            await learn(services, s, email, domain, city)
        if domain == SPAM:
            email.status, email.domain, email.city, email.confidence = SPAM, SPAM, None, 1.0
            card = await _finish(s, settings, email, who, pressed)
            await audit(s, who.person, "inbox.spam", str(email.id))
            result = Outcome(True, "inbox.spammed", email=email, card=card)
        else:
            # Moving within the same domain means "someone else, please".
            exclude = [email.assignee_id] if mode == "m" and not changed and email.assignee_id else []
            target = await choose(s, settings, domain, city, today, exclude=exclude)
            if target is None and mode == "m" and not changed:
                return Outcome(False, "inbox.nobody_else", email=email)
            previous_assignee = email.assignee_id
            email.domain, email.city, email.confidence = domain, city, 1.0
            email.status = "assigned" if target is not None else "new"
            email.assignee_id = target.id if target is not None else None
            email.claimed_by, email.claimed_at = None, None
            email.reminded_at = None  # the new person gets their own reminder
            await s.flush()
            # The new person gets a card, unless they are the one sorting it or already hold one.
            if target is not None and target.id not in (who.person.id, previous_assignee):
                await _send_card(s, settings, email, target, "f")
            card = await _finish(s, settings, email, who, pressed)
            await audit(s, who.person, "inbox.routed", str(email.id), domain=domain, city=city,
                        to=target.id if target else None)  # fmt: skip
            name = target.first_name if target is not None else "—"
            key = "inbox.moved_nobody" if target is None else "inbox.kept" if target.id == who.person.id else "inbox.moved"
            result = Outcome(True, key, {"name": name, "domain": domain_label(who.person.language, domain, city)},
                             email=email, card=card)  # fmt: skip
    await push_labels_soon(services, email_id)
    return result


async def card_for(services: Services, email_id: int, who: Who, pressed: tuple[int, int] | None = None) -> Outcome:
    """The card as this person should see it now (Retour, after Répondre), as the kind of card
    that was pressed (an escalation keeps its line and its buttons)."""
    async with services.db.session() as s:
        loaded = await _load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        tag = (await q.card_tag(s, email_id, *pressed) if pressed else None) or "v"
        return Outcome(True, "", email=loaded, card=await render_for(s, services.settings, loaded, who.person, tag))


async def show_card(services: Services, email_id: int, who: Who) -> Outcome:
    """/courriels → Voir: a fresh card in the person's chat, tracked like the others."""
    async with services.transaction() as s:
        loaded = await _load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        await _send_card(s, services.settings, loaded, who.person, "v")
        return Outcome(True, "inbox.card_sent", email=loaded)


async def begin_reply(services: Services, email_id: int, who: Who, now: datetime,
                      pressed: tuple[int, int] | None = None) -> Outcome:  # fmt: skip
    """Répondre: the one who answers owns the email (claimed now if nobody had)."""
    settings = services.settings
    async with services.transaction() as s:
        loaded = await _load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        pid = who.person.id
        if email.status in q.PENDING:
            await q.transition(s, email.id, q.PENDING,
                               {"status": "claimed", "claimed_by": pid, "assignee_id": pid, "claimed_at": now})  # fmt: skip
            await s.refresh(email)
            await _finish(s, settings, email, who, pressed)
        if email.status != "claimed" or email.claimed_by != pid:
            return await _closed(s, email)
        replies = await q.saved_replies(s)
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.reply_prompt", {"sender": email.sender, "subject": email.subject,
                                                "max": MAX_ANSWER_CHARS}, email=email,
                   rows=[[(r.name, f"ib:t:{r.id}")] for r in replies[:10]])  # fmt: skip


async def send_answer(services: Services, email_id: int, who: Who, body: str, now: datetime) -> Outcome:
    """Send the answer from the shared Gmail, in the thread. Never twice: the email goes to
    `sending` in its own committed transaction before Gmail is called."""
    settings = services.settings
    client = gmail_client(services)
    if client is None:
        return Outcome(False, "inbox.not_connected")
    pid = who.person.id
    async with services.transaction() as s:
        loaded = await _load(s, settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        email = loaded
        started = await q.transition(
            s, email.id, ("new", "assigned", "claimed"),
            {"status": "sending", "claimed_by": pid, "assignee_id": pid, "claimed_at": email.claimed_at or now,
             "answered_at": now},
            claimed_by=pid,
        )  # fmt: skip
        if not started:
            await s.refresh(email)
            return await _closed(s, email)
    try:
        original = await client.get_message(email.gmail_id)
        await client.send_reply(original, body)
    except GoogleAuthError as exc:
        await _unsend(services, email_id)
        await alert_auth(services, exc, now)
        return Outcome(False, "inbox.reply_auth", email=email)
    except GoogleNotFound:
        await _unsend(services, email_id)
        return Outcome(False, "inbox.reply_gone", {"link": thread_link(email.thread_id)}, email=email)
    except GoogleApiError as exc:
        await _unsend(services, email_id)
        maybe = exc.status is None or exc.status >= 500
        log.warning("answer to email %s failed: %s", email_id, exc)
        return Outcome(False, "inbox.reply_maybe_sent" if maybe else "inbox.reply_failed",
                       {"link": thread_link(email.thread_id)}, email=email)  # fmt: skip
    async with services.transaction() as s:
        await q.transition(s, email_id, ("sending",), {"status": "answered", "answered_at": now})
        email = await q.email_by_id(s, email_id)  # type: ignore[assignment]
        assert email is not None
        await _mark_labels(s, email_id)
        await refresh_cards(s, settings, email)
        await audit(s, who.person, "inbox.answered", str(email_id), via="telegram", chars=len(body))
    await push_labels_soon(services, email_id)
    return Outcome(True, "inbox.reply_sent", {"sender": email.sender}, email=email)


async def _unsend(services: Services, email_id: int) -> None:
    async with services.transaction() as s:
        await q.transition(s, email_id, ("sending",), {"status": "claimed", "answered_at": None})


async def redistribute(services: Services, who: Who, now: datetime) -> int:
    """Someone goes away: their unclaimed emails go to the next available person of each domain."""
    settings = services.settings
    today = now.astimezone(settings.tz).date()
    moved = 0
    async with services.transaction() as s:
        for email in await q.pending_assigned_to(s, who.person.id):
            target = await choose(s, settings, email.domain if email.domain != SPAM else "secretariat",
                                  email.city, today, exclude=[who.person.id])  # fmt: skip
            if target is None:
                continue
            email.assignee_id, email.reminded_at = target.id, None
            await s.flush()
            await _send_card(s, settings, email, target, "f")
            await refresh_cards(s, settings, email)
            moved += 1
    return moved


# --- /courriels ------------------------------------------------------------------------------------


async def overview(services: Services, who: Who, now: datetime) -> tuple[str, list[list[Button]]]:
    """What is pending: the person's own emails in detail, then everyone's counts. Senders and
    subjects only to coordinators and to the person or lead concerned."""
    settings = services.settings
    person = who.person
    lang = person.language
    scopes = {g.scope for g in person.grants if g.role == "lead"}

    def detailed(email: EmailMessage) -> bool:
        return who.coordinator or person.id in (email.assignee_id, email.claimed_by) or email.domain in scopes

    async with services.db.session() as s:
        emails = await q.open_emails(s)
        people = await q.people_by_ids(s, [e.claimed_by or e.assignee_id for e in emails if e.claimed_by or e.assignee_id])
        spam = await q.recent_spam(s) if (who.coordinator or "secretariat" in scopes) else []

    def line(email: EmailMessage) -> str:
        waited = working_hours_between(email.created_at, now, settings.tz)
        owner = people.get(email.claimed_by or email.assignee_id or -1)
        state = t(lang, f"inbox.state_{email.status}", name=owner.first_name if owner else "—")
        age = t(lang, "inbox.age_hours", hours=_number(round(waited, 1), lang)) if waited >= 1 else t(lang, "inbox.age_new", date=format_when(email.received_at, lang))
        return t(lang, "inbox.list_line", number=email.id, domain=domain_label(lang, email.domain, email.city),
                 sender=clip(email.sender, 80), subject=clip(email.subject, 80) or t(lang, "inbox.no_subject"),
                 age=age, state=state)  # fmt: skip

    mine = [e for e in emails if person.id in (e.assignee_id, e.claimed_by)]
    visible = [e for e in emails if detailed(e) and e not in mine]
    lines = [t(lang, "inbox.list_header", count=len(emails))]
    lines.append(t(lang, "inbox.list_mine", count=len(mine)))
    lines += [line(e) for e in mine[:15]]
    if len(mine) > 15:
        lines.append(t(lang, "inbox.list_more", count=len(mine) - 15))
    if visible:
        lines.append(t(lang, "inbox.list_others"))
        lines += [line(e) for e in visible[:15]]
        if len(visible) > 15:
            lines.append(t(lang, "inbox.list_more", count=len(visible) - 15))
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
    shown = (mine + visible)[:8]
    for i in range(0, len(shown), 4):
        rows.append([(t(lang, "inbox.btn_view_n", number=e.id), f"ib:v:{e.id}") for e in shown[i : i + 4]])
    if spam:
        lines.append(t(lang, "inbox.list_spam", count=len(spam)))
        for email in spam:
            lines.append(t(lang, "inbox.spam_line", number=email.id, sender=clip(email.sender, 80),
                           subject=clip(email.subject, 80) or t(lang, "inbox.no_subject")))  # fmt: skip
        for i in range(0, min(len(spam), 6), 3):
            rows.append([(t(lang, "inbox.btn_not_spam", number=e.id), f"ib:ns:{e.id}") for e in spam[i : i + 3]])
    return fit(lines), rows


async def not_spam(services: Services, email_id: int, who: Who) -> Outcome:
    """From /courriels: show a spam email with the domain buttons, to sort it back."""
    async with services.db.session() as s:
        loaded = await _load(s, services.settings, email_id, who)
        if isinstance(loaded, Outcome):
            return loaded
        if loaded.status != SPAM:
            return await _closed(s, loaded)
        names = await _names(s, loaded)
        lang = who.person.language
        text = card_text(loaded, lang, who.person.id, names, services.settings)
        return Outcome(True, "", email=loaded, card=(text, domain_rows(lang, loaded.id, "k")))



# --- What people type -------------------------------------------------------------------------------

_ABSENCE_PREFIX = re.compile(r"^(?:jusqu\s*['’ ]?\s*(?:au|à|a|aux)\b|until\b|till\b|to\b|au\b|le\b)\s*", re.I)
_TODAY_WORDS = {"aujourd'hui", "aujourdhui", "aujourd’hui", "ce soir", "today", "tonight"}
ABSENCE_MAX_DAYS = 366


def parse_absence(text: str, now: datetime, tz: ZoneInfo) -> date | None:
    """`jusqu'au 12/12`, `demain`, `until 24 December` → the last day of absence (inclusive)."""
    words = _ABSENCE_PREFIX.sub("", (text or "").strip()).strip()
    if not words:
        return None
    today = now.astimezone(tz).date()
    if fold(words) in _TODAY_WORDS:
        return today
    # A date without time means its midnight, already past today: read it again from yesterday.
    when = parse_when(words, now) or parse_when(words, datetime.combine(today - timedelta(days=1), time(23, 59), tz))
    if when is None:
        return None
    day = when.astimezone(tz).date()
    return day if today <= day <= today + timedelta(days=ABSENCE_MAX_DAYS) else None


@dataclass(frozen=True)
class RoutingEdit:
    remove: bool
    domain: str
    city: str | None
    handles: tuple[str, ...]


_REMOVE_WORDS = {"retirer", "supprimer", "enlever", "remove", "delete"}


def parse_routing(words: Sequence[str]) -> RoutingEdit | str:
    """`finance @lea`, `campagne Lyon @omar @ines`, `retirer finance @lea` → an edit, or a text key."""
    words = list(words)
    remove = bool(words) and fold(words[0]) in _REMOVE_WORDS
    if remove:
        words = words[1:]
    if not words:
        return "inbox.route_usage_short"
    chosen = DOMAIN_WORDS.get(fold(words[0]).replace("-", "").replace(" ", ""))
    if chosen is None:
        return "inbox.route_bad_domain"
    domain, rest, city = chosen.value, words[1:], None
    if domain == "campaign" and rest and not rest[0].startswith("@") and not rest[0].lstrip("-").isdigit():
        city = canonical_city(rest[0])
        if city is None:
            return "inbox.route_bad_city"
        rest = rest[1:]
    if not rest:
        return "inbox.route_need_person"
    return RoutingEdit(remove, domain, city, tuple(rest))


_TEMPLATE_NAME = re.compile(r"^[\w-]{1,40}$")


def check_template(name: str, body: str) -> tuple[str, dict[str, Any]] | None:
    if not _TEMPLATE_NAME.match(name):
        return "inbox.tpl_bad_name", {}
    problem = check_answer(body)
    if problem is not None:
        return ("inbox.tpl_empty" if problem[0] == "inbox.reply_empty" else "inbox.tpl_too_long"), problem[1]
    return None


# --- The job -------------------------------------------------------------------------------------

TICK_SECONDS = 10
_LAST_RUN = "inbox.last_run"


async def run(services: Services, now: datetime) -> int:
    """One pass; returns how many messages were queued or emails stored. Never raises on a Gmail
    failure: the pass is skipped and the next tick tries again (the client already backed off)."""
    done = await follow_up(services, now)
    client = gmail_client(services)
    if client is None:
        return done  # no token yet: `coordo google-login` has not been run
    try:
        done += await sync(services, client, now)
        await push_labels(services, client)
    except GoogleAuthError as exc:
        log.error("Gmail refused our credentials (%s): coordinators alerted", exc.reason or exc)
        done += await alert_auth(services, exc, now)
    except GoogleApiError as exc:
        log.warning("Gmail sync skipped this time: %s", exc)
    return done


async def tick(services: Services, now: datetime) -> int:
    every = services.settings.gmail_sync_seconds
    if every <= 0:
        return 0
    last = services.extras.get(_LAST_RUN)
    if isinstance(last, float) and monotonic() - last < every - TICK_SECONDS / 2:
        return 0
    services.extras[_LAST_RUN] = monotonic()
    return await run(services, now)

"""Gmail → database + outbox: fetch new mail, triage, route, queue the cards; and Gmail labels that
mirror each email's domain and state.

Label calls happen after the commit, from a durable to-do list (`inbox.label:<id>` keys), so a
failed call is simply retried at the next tick.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from capabilities.inbox.cards import send_card
from capabilities.inbox.common import SPAM
from capabilities.inbox.learning import live_model
from capabilities.inbox.routing import available, choose
from domain.people import Domain
from domain.statuses import EmailStatus
from storage import inbox as q
from storage import outbox

if TYPE_CHECKING:  # Google's libraries and the classifier load on first use, not with the bot.
    from domain.triage import Triage
    from integrations.email_parse import ParsedEmail
    from integrations.gmail import GmailClient
    from integrations.google_auth import GoogleAuthError

log = logging.getLogger(__name__)

# Gmail label names (the mailbox's folders, as its users see them in Gmail; not translated).
LABEL_TODO = "Coordo/À traiter"
LABEL_IN_PROGRESS = "Coordo/En cours"
LABEL_DONE = "Coordo/Traité"
DOMAIN_LABELS: dict[str, str] = {
    Domain.FINANCE: "Coordo/Finances",
    Domain.COMMUNICATION: "Coordo/Communication",
    Domain.WEBSITE: "Coordo/Site",
    Domain.CAMPAIGN: "Coordo/Campagne",
    Domain.SECRETARIAT: "Coordo/Secrétariat",
    SPAM: "Coordo/Spam",
}
STATE_LABELS: dict[str, str] = {
    EmailStatus.NEW: LABEL_TODO,
    EmailStatus.ASSIGNED: LABEL_TODO,
    EmailStatus.CLAIMED: LABEL_IN_PROGRESS,
    EmailStatus.SENDING: LABEL_IN_PROGRESS,
    EmailStatus.ANSWERED: LABEL_DONE,
}
ALL_LABELS = (*DOMAIN_LABELS.values(), LABEL_TODO, LABEL_IN_PROGRESS, LABEL_DONE)

SYNC_KEY = "inbox.gmail"
LABEL_PREFIX = "inbox.label:"
EXCERPT_STORED = 4000  # cleaned body kept in the database (what corrections teach the model)


def label_change(domain: str, status: str) -> tuple[list[str], list[str]]:
    """Gmail labels to add and to remove so that they mirror an email's domain and state."""
    add = [DOMAIN_LABELS.get(domain, DOMAIN_LABELS[Domain.SECRETARIAT])]
    if status in STATE_LABELS:
        add.append(STATE_LABELS[status])
    return add, [name for name in ALL_LABELS if name not in add]


def _db_text(value: str | None, limit: int) -> str:
    """PostgreSQL refuses NUL characters and over-long strings: clean before storing."""
    return (value or "").replace("\x00", "")[:limit]


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def gmail_client(services: Services) -> GmailClient | None:
    """The Gmail client, or None while the inbox is not set up (no token file, no endpoint)."""
    from integrations.gmail import GmailClient
    from integrations.google_auth import CredentialStore

    client = services.extras.get("gmail")
    if isinstance(client, GmailClient):
        return client
    settings = services.settings
    token = settings.gmail_token_path
    if os.path.exists(token):
        factory: Any = CredentialStore(token)
    elif settings.gmail_api_endpoint:
        factory = _local_credentials  # a local fake API (tests, demos) takes any bearer token
    else:
        return None
    client = GmailClient(factory, api_endpoint=settings.gmail_api_endpoint)
    services.extras["gmail"] = client
    return client


def _local_credentials() -> Any:
    # Google's libraries load on first use, not with the bot.
    from google.oauth2.credentials import Credentials

    return Credentials(token="coordo-local")


async def mark_labels(session: AsyncSession, email_id: int) -> None:
    """Gmail labels to bring in line, after the commit (a durable to-do, retried each tick)."""
    await q.kv_put(session, f"{LABEL_PREFIX}{email_id}", {"token": uuid.uuid4().hex})


async def sync(services: Services, client: GmailClient, now: datetime) -> int:
    """Fetch new mail, triage, route and queue the cards. Returns the number of emails stored.

    The history id is saved only after every message was stored: a crash or an error makes
    the next tick list the same messages again, and the unique Gmail id skips those done.
    """
    from integrations.gmail import HistoryExpired
    from integrations.google_api import GoogleApiError, GoogleNotFound

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
            ids, history_id = await client.full_sync(
                query=f"in:inbox after:{_epoch(last - timedelta(days=1))}"
            )
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
    from domain.triage import Email, clean_body

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
        owner = (await q.people_by_ids(s, [owner_id])).get(owner_id) if owner_id else None
        if previous is not None and owner is not None and available(owner, today):
            # A new message in a conversation someone handles goes back to them.
            domain, city, auto, kind, assignee = previous.domain, previous.city, True, "t", owner
        elif domain == SPAM and confident:
            pass
        elif confident:
            assignee = await choose(s, settings, domain, city if domain == Domain.CAMPAIGN else None, today)
        else:
            assignee = await choose(s, settings, Domain.SECRETARIAT, None, today)
        if domain == SPAM and auto:
            status = EmailStatus.SPAM
        else:
            status = EmailStatus.ASSIGNED if assignee is not None else EmailStatus.NEW
        values = {
            "gmail_id": _db_text(parsed.id, 64),
            "thread_id": _db_text(parsed.thread_id or parsed.id, 64),
            "sender": _db_text(parsed.sender, 320),
            "reply_to": _db_text(parsed.reply_to, 320),
            "subject": _db_text(parsed.subject, 500),
            "received_at": parsed.date,
            "excerpt": _db_text(excerpt, EXCERPT_STORED),
            "attachments": [_db_text(a.filename or a.mime_type, 200) for a in parsed.attachments],
            "message_id_header": _db_text(parsed.message_id_header, 500),
            "references": _db_text(" ".join(parsed.references), 20_000),
            "domain": domain,
            "city": _db_text(city, 80) if domain == Domain.CAMPAIGN and city else None,
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
            await send_card(s, settings, email, assignee, kind)
        await mark_labels(s, email_id)
    return 1


async def push_labels(
    services: Services, client: GmailClient, email_ids: Sequence[int] | None = None, limit: int = 200
) -> int:
    """Make Gmail labels mirror the state of the emails changed since the last push."""
    from integrations.google_api import GoogleNotFound

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
    from integrations.google_api import GoogleApiError
    from integrations.google_auth import GoogleAuthError

    client = gmail_client(services)
    if client is None:
        return
    try:
        await push_labels(services, client, [email_id])
    except (GoogleApiError, GoogleAuthError) as exc:
        log.warning("Gmail labels of email %s not updated now (%s); retried at the next sync", email_id, exc)


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
            key = f"inbox:auth:{day}:{person.id}"
            queued += await outbox.enqueue(
                s, person.telegram_id, text_message(text), dedupe_key=key, person_id=person.id
            )
    return queued

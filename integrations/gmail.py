"""Gmail adapter: sync the movement's shared mailbox, label messages, answer in the thread."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from integrations.email_parse import Attachment, ParsedEmail, parse_message
from integrations.google_api import CredentialsFactory, GoogleApiError, GoogleService

__all__ = [
    "LABELS",
    "Attachment",
    "GmailClient",
    "HistoryExpired",
    "ParsedEmail",
    "build_reply",
    "reply_subject",
    "thread_link",
]

# Labels the bot files mail under (created on demand by ensure_labels).
LABEL_TODO = "Coordo/À traiter"
LABEL_IN_PROGRESS = "Coordo/En cours"
LABEL_DONE = "Coordo/Traité"
LABEL_FINANCE = "Coordo/finance"
LABELS = (LABEL_TODO, LABEL_IN_PROGRESS, LABEL_DONE, LABEL_FINANCE)

# fmt: off
SYSTEM_LABELS = frozenset(
    {"INBOX", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "SENT", "DRAFT", "CHAT",
     "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS"}
)
# fmt: on

# Mail that is not "new incoming mail" for the bot: our own answers and drafts being typed.
_NOT_INCOMING = frozenset({"DRAFT", "SENT", "SPAM", "TRASH"})


class HistoryExpired(GoogleApiError):
    """The stored historyId is older than Gmail keeps (about a week): run ``full_sync``."""


def thread_link(thread_id: str, account: str | int = 0) -> str:
    """Link opening the thread in Gmail's web UI (``account``: index or address of the login)."""
    return f"https://mail.google.com/mail/u/{account}/#all/{thread_id}"


_RE_PREFIX = re.compile(r"^\s*(re|ré|aw|sv)\s*(\[\d+\])?\s*:", re.IGNORECASE)


def reply_subject(subject: str) -> str:
    """Subject of an answer: "Re: " + subject, without doubling an existing Re:/RE :/Ré: (French clients add a space)."""
    subject = (subject or "").strip()
    if _RE_PREFIX.match(subject):
        return subject
    return f"Re: {subject}" if subject else "Re:"


def build_reply(
    original: ParsedEmail, body_text: str, from_addr: str | None = None, to: str | None = None
) -> EmailMessage:
    """The MIME reply, threaded by In-Reply-To and References: to ``to`` (the recipient the person
    saw and chose), else to Reply-To/From."""
    msg = EmailMessage()
    if from_addr:
        msg["From"] = from_addr
    msg["To"] = to or original.reply_address
    msg["Subject"] = reply_subject(original.subject)
    msg["Date"] = format_datetime(datetime.now(UTC))
    # No Message-ID: Gmail assigns one (make_msgid would do a blocking DNS lookup for the FQDN).
    if original.message_id_header:
        msg["In-Reply-To"] = original.message_id_header
        refs = [r for r in original.references if r != original.message_id_header]
        msg["References"] = " ".join([*refs, original.message_id_header])
    msg.set_content(body_text, subtype="plain", charset="utf-8")
    return msg


class GmailClient:
    """Async Gmail adapter; each call runs the real client in a thread with its own Http."""

    def __init__(
        self,
        credentials_factory: CredentialsFactory,
        api_endpoint: str | None = None,
        user_id: str = "me",
        retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 32.0,
        timeout: float = 30.0,
    ) -> None:
        self.user_id = user_id
        self._api = GoogleService(
            "gmail",
            "v1",
            credentials_factory,
            api_endpoint=api_endpoint,
            retries=retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            timeout=timeout,
        )
        self._labels: dict[str, str] = {}  # casefolded name -> id
        self._label_ids: set[str] = set()
        self._labels_lock = asyncio.Lock()

    # --- Sync --------------------------------------------------------------------------

    async def profile_history_id(self) -> int:
        profile = await self._api.call(
            lambda s: s.users().getProfile(userId=self.user_id), what="gmail.getProfile"
        )
        return int(profile["historyId"])

    async def full_sync(
        self,
        query: str | None = None,
        max_messages: int = 500,
        include_sent: bool = False,
        page_size: int = 500,
    ) -> tuple[list[str], int]:
        """Message ids matching ``query`` (newest first) and the historyId to sync from next.

        The historyId is read *before* listing, so mail arriving meanwhile shows up again in
        ``history_since``: delivery is at-least-once, callers dedupe by message id.
        """
        history_id = await self.profile_history_id()
        terms = [f"({query})"] if query else []  # parenthesised: "a OR b" must not swallow the rest
        if not include_sent:
            terms += ["-in:sent", "-in:drafts"]
        q = " ".join(terms) or None
        ids: list[str] = []
        page_token: str | None = None
        while len(ids) < max_messages:
            size_now = min(page_size, 500, max_messages - len(ids))

            def make(s: Any, token: str | None = page_token, size: int = size_now) -> Any:
                return s.users().messages().list(userId=self.user_id, q=q, maxResults=size, pageToken=token)

            page = await self._api.call(make, what="gmail.messages.list")
            ids += [m["id"] for m in page.get("messages", [])]
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        return ids[:max_messages], history_id

    async def history_since(self, history_id: int | str, include_sent: bool = False) -> tuple[list[str], int]:
        """Ids of messages added since ``history_id`` and the new historyId.

        Raises ``HistoryExpired`` when Gmail no longer has that point (HTTP 404).
        """
        skip = _NOT_INCOMING - ({"SENT"} if include_sent else set())
        ids: list[str] = []
        seen: set[str] = set()
        new_history_id = int(history_id)
        page_token: str | None = None
        while True:

            def make(s: Any, token: str | None = page_token) -> Any:
                return (
                    s.users()
                    .history()
                    .list(
                        userId=self.user_id,
                        startHistoryId=str(history_id),
                        historyTypes=["messageAdded"],
                        maxResults=500,
                        pageToken=token,
                    )
                )

            try:
                page = await self._api.call(make, what="gmail.history.list")
            except GoogleApiError as exc:
                if exc.status == 404:
                    raise HistoryExpired(str(exc), status=404, reason=exc.reason) from exc
                raise
            for record in page.get("history", []):
                for added in record.get("messagesAdded", []):
                    msg = added.get("message", {})
                    mid = msg.get("id")
                    if not mid or mid in seen or skip.intersection(msg.get("labelIds", [])):
                        continue
                    seen.add(mid)
                    ids.append(mid)
            if page.get("historyId"):
                new_history_id = max(new_history_id, int(page["historyId"]))
            page_token = page.get("nextPageToken")
            if not page_token:
                return ids, new_history_id

    async def get_message(self, message_id: str) -> ParsedEmail:
        resource = await self._api.call(
            lambda s: s.users().messages().get(userId=self.user_id, id=message_id, format="full"),
            what="gmail.messages.get",
        )
        return parse_message(resource)

    # --- Labels ------------------------------------------------------------------------

    async def _refresh_labels(self) -> None:
        result = await self._api.call(
            lambda s: s.users().labels().list(userId=self.user_id), what="gmail.labels.list"
        )
        self._labels = {lab["name"].casefold(): lab["id"] for lab in result.get("labels", [])}
        self._label_ids = set(self._labels.values())

    async def ensure_labels(self, names: Iterable[str]) -> dict[str, str]:
        """Label ids by name, creating missing labels (and their "Parent/" labels, which the
        Gmail UI needs to show "Coordo/…" nested under "Coordo")."""
        wanted = list(dict.fromkeys(names))
        async with self._labels_lock:
            if not self._labels or any(n.casefold() not in self._labels for n in wanted):
                await self._refresh_labels()
            for name in wanted:
                parts = name.split("/")
                for depth in range(1, len(parts) + 1):
                    await self._create_label("/".join(parts[:depth]))
            return {name: self._labels[name.casefold()] for name in wanted}

    async def _create_label(self, name: str) -> None:
        if name.casefold() in self._labels or not name.strip():
            return
        body = {"name": name, "labelListVisibility": "labelShow", "messageListVisibility": "show"}
        try:
            label = await self._api.call(
                lambda s: s.users().labels().create(userId=self.user_id, body=body),
                what="gmail.labels.create",
            )
        except GoogleApiError as exc:
            if exc.status != 409:  # 409: another process created it meanwhile
                raise
            await self._refresh_labels()
            return
        self._labels[label["name"].casefold()] = label["id"]
        self._label_ids.add(label["id"])

    async def _resolve(self, labels: Sequence[str]) -> list[str]:
        """Label ids or names → ids (names are created when missing)."""
        if not labels:
            return []
        async with self._labels_lock:
            if not self._labels:  # know the existing ids first, or "Label_3" would become a name
                await self._refresh_labels()
        names = [x for x in labels if x not in SYSTEM_LABELS and x not in self._label_ids]
        mapping = await self.ensure_labels(names) if names else {}
        return [mapping.get(x, x) for x in labels]

    async def modify_labels(
        self, message_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> list[str]:
        """Add/remove labels (names or ids) on a message; returns its label ids afterwards."""
        body = {"addLabelIds": await self._resolve(add), "removeLabelIds": await self._resolve(remove)}
        result = await self._api.call(
            lambda s: s.users().messages().modify(userId=self.user_id, id=message_id, body=body),
            what="gmail.messages.modify",
        )
        return list(result.get("labelIds", []))

    # --- Sending -----------------------------------------------------------------------

    async def send_reply(
        self, original: ParsedEmail, body_text: str, from_addr: str | None = None, to: str | None = None
    ) -> str:
        """Answer in the original's thread (to ``to`` when given); returns the sent message's id."""
        msg = build_reply(original, body_text, from_addr, to)
        raw = base64.urlsafe_b64encode(msg.as_bytes(policy=SMTP)).decode("ascii")
        body: dict[str, Any] = {"raw": raw}
        if original.thread_id:
            body["threadId"] = original.thread_id
        # Not idempotent: only quota answers are retried (see GoogleService.call).
        result = await self._api.call(
            lambda s: s.users().messages().send(userId=self.user_id, body=body),
            idempotent=False,
            what="gmail.messages.send",
        )
        return str(result["id"])

    @staticmethod
    def thread_link(thread_id: str, account: str | int = 0) -> str:
        return thread_link(thread_id, account)

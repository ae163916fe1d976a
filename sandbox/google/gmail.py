"""Fake Gmail API (v1) with in-memory mailbox, labels and history.

Messages are stored as raw RFC 822 bytes and turned into Gmail's JSON shapes on demand
(format=full payload trees with partIds, base64url bodies, attachmentIds), independently of
the adapter's own parser, so the tests check one against the other.
"""

from __future__ import annotations

import base64
import html as htmllib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from typing import Any

from sandbox.google.mime import AttachmentSpec, build_raw_email, encode_addresses
from sandbox.google.server import FakeHttpError, FakeServer, RecordedRequest, paginate

SYSTEM_LABELS = (
    "INBOX",
    "SENT",
    "DRAFT",
    "SPAM",
    "TRASH",
    "UNREAD",
    "STARRED",
    "IMPORTANT",
    "CHAT",
    "CATEGORY_PERSONAL",
    "CATEGORY_SOCIAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_UPDATES",
    "CATEGORY_FORUMS",
)
_HISTORY_TYPES = {
    "messageAdded": "messagesAdded",
    "messageDeleted": "messagesDeleted",
    "labelAdded": "labelsAdded",
    "labelRemoved": "labelsRemoved",
}
_U = r"/gmail/v1/users/(?P<user>[^/]+)"


def _decode(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # a fake must not fail on the junk it is fed
        return value


def _raw_value(value: Any) -> str:
    """A header as Gmail shows it: unfolded, raw 8-bit bytes read as UTF-8 (else latin-1)."""
    text = str(value)
    try:
        data = text.encode("utf-8", "surrogateescape")
        text = data.decode("utf-8")
    except UnicodeError:
        text = text.encode("utf-8", "surrogateescape").decode("latin-1")
    return re.sub(r"\r?\n[ \t]*", " ", text).strip()


def normalize_subject(subject: str) -> str:
    return re.sub(r"^(\s*(re|fwd?|tr|aw)\s*:\s*)+", "", subject.strip(), flags=re.I).strip().casefold()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


@dataclass
class StoredMessage:
    id: str
    thread_id: str
    raw: bytes
    label_ids: list[str]
    internal_date: int  # ms since epoch
    history_id: int = 0
    msg: Message = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.msg = message_from_bytes(self.raw, policy=compat32)

    def header(self, name: str) -> str:
        """Decoded header value ("" when absent)."""
        return _decode(self.msg.get(name))

    @property
    def subject(self) -> str:
        return self.header("Subject")

    @property
    def message_id(self) -> str:
        return (self.msg.get("Message-ID") or "").strip()

    @property
    def references(self) -> list[str]:
        return re.findall(
            r"<[^<>\s]+>", f"{self.msg.get('References', '')} {self.msg.get('In-Reply-To', '')}"
        )

    @property
    def email(self) -> Any:
        """The message parsed with the modern policy (``email.message.EmailMessage``) for asserts."""
        return message_from_bytes(self.raw, policy=default_policy)


class FakeGmail(FakeServer):
    def __init__(
        self,
        email: str = "mouvement@gmail.com",
        token_validator: Callable[[str], bool] | None = None,
        start_history_id: int = 1000,
        strict_threading: bool = True,
    ) -> None:
        super().__init__(token_validator)
        self.email = email
        self.history_id = start_history_id
        # history.list with an older startHistoryId answers 404, like Gmail after ~a week.
        self.oldest_history_id = start_history_id
        self.history: list[dict[str, Any]] = []
        self.messages: dict[str, StoredMessage] = {}
        self.labels: dict[str, dict[str, Any]] = {
            name: {
                "id": name,
                "name": name,
                "type": "system",
                "messageListVisibility": "hide",
                "labelListVisibility": "labelShow",
            }
            for name in SYSTEM_LABELS
        }
        self.attachments: dict[str, bytes] = {}
        self.strict_threading = strict_threading
        self._seq = 0
        self._label_seq = 0

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", _U + "/profile", self._profile),
            ("GET", _U + "/messages", self._list),
            ("POST", _U + "/messages/send", self._messages_send),
            ("GET", _U + "/messages/(?P<mid>[^/]+)", self._get),
            ("POST", _U + "/messages/(?P<mid>[^/]+)/modify", self._modify),
            ("GET", _U + "/messages/(?P<mid>[^/]+)/attachments/(?P<aid>[^/]+)", self._attachment),
            ("GET", _U + "/labels", self._labels_list),
            ("POST", _U + "/labels", self._labels_create),
            ("GET", _U + "/labels/(?P<lid>[^/]+)", self._labels_get),
            ("GET", _U + "/history", self._history),
            ("GET", _U + "/threads/(?P<tid>[^/]+)", self._thread_get),
        ]

    # --- Test-side helpers -------------------------------------------------------------

    def deliver(
        self,
        from_: str = "Léa Martin <lea.martin@example.fr>",
        to: str | None = None,
        subject: str = "Bonjour",
        body: str | None = "Bonjour,\nJe voudrais participer.\n",
        html: str | None = None,
        attachments: Sequence[AttachmentSpec] = (),
        charset: str = "utf-8",
        in_reply_to: str | None = None,
        raw: bytes | str | None = None,
        transfer_encoding: str | None = None,
        labels: Sequence[str] = ("INBOX", "UNREAD"),
        date: datetime | None = None,
        reply_to: str | None = None,
    ) -> str:
        """An incoming mail; returns its Gmail id. ``in_reply_to``: a Message-ID header or a
        Gmail message id of a stored message (the new mail joins that thread); ``reply_to``: a
        Reply-To header (where the sender's client sends answers)."""
        with self.lock:
            parent = None
            if in_reply_to:
                parent = self.messages.get(in_reply_to) or self._by_message_id(in_reply_to)
            if raw is None:
                refs: list[str] = []
                reply_to_id = in_reply_to
                if parent is not None:
                    reply_to_id = parent.message_id
                    refs = [*parent.references, parent.message_id]
                raw = build_raw_email(
                    from_,
                    to or self.email,
                    subject,
                    body,
                    html,
                    attachments,
                    charset,
                    transfer_encoding,
                    date=date,
                    in_reply_to=reply_to_id,
                    references=refs,
                    extra_headers=[("Reply-To", encode_addresses(reply_to, charset))] if reply_to else (),
                )
            data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
            stored = self._store(data, list(labels), internal_date=date)
            return stored.id

    def message(self, message_id: str) -> StoredMessage:
        return self.messages[message_id]

    def thread(self, thread_id: str) -> list[StoredMessage]:
        with self.lock:
            return [m for m in self.messages.values() if m.thread_id == thread_id]

    @property
    def sent(self) -> list[StoredMessage]:
        with self.lock:
            return [m for m in self.messages.values() if "SENT" in m.label_ids]

    def label_id(self, name: str) -> str | None:
        with self.lock:
            return next(
                (lab["id"] for lab in self.labels.values() if lab["name"].casefold() == name.casefold()), None
            )

    def label_names(self, message_id: str) -> list[str]:
        with self.lock:
            return [
                self.labels[lid]["name"] for lid in self.messages[message_id].label_ids if lid in self.labels
            ]

    def expire_history(self, before: int | None = None) -> None:
        """Forget history up to ``before`` (default: the current id): an older startHistoryId
        then gets 404, while syncing from the current id keeps working."""
        with self.lock:
            self.oldest_history_id = self.history_id if before is None else before
            self.history = [h for h in self.history if int(h["id"]) > self.oldest_history_id]

    # --- Internals ---------------------------------------------------------------------

    def _new_id(self) -> str:
        self._seq += 1
        return f"{0x18F0000000000000 + self._seq * 0x1F3:x}"

    def _by_message_id(self, message_id: str) -> StoredMessage | None:
        return next((m for m in self.messages.values() if m.message_id == message_id.strip()), None)

    def _thread_for(self, stored_refs: list[str], subject: str) -> str | None:
        for ref in reversed(stored_refs):
            parent = self._by_message_id(ref)
            if parent is not None and normalize_subject(parent.subject) == normalize_subject(subject):
                return parent.thread_id
        return None

    def _store(
        self,
        raw: bytes,
        label_ids: list[str],
        thread_id: str | None = None,
        internal_date: datetime | None = None,
        auto_thread: bool = True,
    ) -> StoredMessage:
        mid = self._new_id()
        when = internal_date
        if when is None:
            try:
                when = parsedate_to_datetime(message_from_bytes(raw, policy=compat32).get("Date", ""))
            except (TypeError, ValueError, IndexError):
                when = None
        when = when or datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        stored = StoredMessage(mid, "", raw, label_ids, int(when.timestamp() * 1000))
        # Incoming mail is threaded by references + subject; sent mail only via threadId.
        auto = self._thread_for(stored.references, stored.subject) if auto_thread else None
        stored.thread_id = thread_id or auto or mid
        self.messages[mid] = stored
        self._record("messagesAdded", stored)
        return stored

    def _record(self, kind: str, m: StoredMessage, label_ids: list[str] | None = None) -> None:
        self.history_id += 1
        m.history_id = self.history_id
        ref = {"id": m.id, "threadId": m.thread_id}
        entry: dict[str, Any] = {"message": {**ref, "labelIds": list(m.label_ids)}}
        if label_ids is not None:
            entry["labelIds"] = label_ids
        self.history.append({"id": str(self.history_id), "messages": [ref], kind: [entry]})

    def _check_user(self, user: str) -> None:
        if user not in ("me", self.email):
            raise FakeHttpError(403, "Delegation denied for " + self.email, "forbidden")

    def _get_stored(self, mid: str) -> StoredMessage:
        stored = self.messages.get(mid)
        if stored is None:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        return stored

    # --- Resources ---------------------------------------------------------------------

    def _snippet(self, m: StoredMessage) -> str:
        text = ""
        for part in m.msg.walk():
            if part.is_multipart() or part.get_filename():
                continue
            ctype = part.get_content_type()
            if ctype not in ("text/plain", "text/html"):
                continue
            try:
                raw = part.get_payload(decode=True)
                data = raw if isinstance(raw, bytes) else b""
                text = data.decode(part.get_content_charset() or "utf-8", "replace")
            except (LookupError, AssertionError, TypeError):
                text = ""
            if ctype == "text/html":
                text = htmllib.unescape(re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", text))
            if text.strip():
                break
        return htmllib.escape(" ".join(text.split())[:200], quote=True)

    def _payload(self, m: StoredMessage, part: Message, part_id: str) -> dict[str, Any]:
        try:
            filename = part.get_filename() or ""
        except Exception:
            filename = ""
        if "=?" in filename:
            filename = _decode(filename)
        result: dict[str, Any] = {
            "partId": part_id,
            "mimeType": part.get_content_type(),
            "filename": filename,
            "headers": [{"name": k, "value": _raw_value(v)} for k, v in part.raw_items()],
        }
        if part.is_multipart():
            subparts = part.get_payload()
            assert isinstance(subparts, list)
            result["parts"] = [
                self._payload(m, sub, f"{part_id}.{i}" if part_id else str(i))
                for i, sub in enumerate(subparts)
            ]
            if result["mimeType"] == "message/rfc822":
                data = b"".join(sub.as_bytes() for sub in subparts if isinstance(sub, Message))
                aid = f"ANGjdJ_{m.id}_{part_id or 'root'}"
                self.attachments[aid] = data
                result["body"] = {"attachmentId": aid, "size": len(data)}
            else:
                result["body"] = {"size": 0}
            return result
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        data = payload if isinstance(payload, bytes) else b""
        if filename:
            aid = f"ANGjdJ_{m.id}_{part_id or 'root'}"
            self.attachments[aid] = data
            result["body"] = {"attachmentId": aid, "size": len(data)}
        else:
            result["body"] = {"size": len(data), **({"data": b64url(data)} if data else {})}
        return result

    def resource(
        self, m: StoredMessage, fmt: str = "full", metadata_headers: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The JSON Gmail returns for ``messages.get(format=fmt)``."""
        res: dict[str, Any] = {"id": m.id, "threadId": m.thread_id, "labelIds": list(m.label_ids)}
        if fmt == "minimal":
            return {
                **res,
                "historyId": str(m.history_id),
                "internalDate": str(m.internal_date),
                "sizeEstimate": len(m.raw),
            }
        res.update(
            snippet=self._snippet(m),
            sizeEstimate=len(m.raw),
            historyId=str(m.history_id),
            internalDate=str(m.internal_date),
        )
        if fmt == "raw":
            res["raw"] = b64url(m.raw)
        elif fmt == "metadata":
            wanted = {h.lower() for h in metadata_headers}
            res["payload"] = {
                "partId": "",
                "mimeType": m.msg.get_content_type(),
                "filename": "",
                "headers": [
                    {"name": k, "value": _raw_value(v)}
                    for k, v in m.msg.raw_items()
                    if not wanted or k.lower() in wanted
                ],
            }
        else:
            res["payload"] = self._payload(m, m.msg, "")
        return res

    # --- Search ------------------------------------------------------------------------

    def _label_matches(self, m: StoredMessage, value: str) -> bool:
        def norm(s: str) -> str:
            return re.sub(r"[/\s_-]+", "-", s.casefold())

        want = norm(value)
        return any(lid in self.labels and norm(self.labels[lid]["name"]) == want for lid in m.label_ids)

    def _term(self, m: StoredMessage, op: str, value: str) -> bool:
        value = value.strip('"')
        low = value.casefold()
        when = datetime.fromtimestamp(m.internal_date / 1000, UTC)
        if op == "in":
            aliases = {
                "drafts": "DRAFT",
                "draft": "DRAFT",
                "inbox": "INBOX",
                "sent": "SENT",
                "spam": "SPAM",
                "trash": "TRASH",
                "starred": "STARRED",
                "important": "IMPORTANT",
            }
            return low == "anywhere" or aliases.get(low, low.upper()) in m.label_ids
        if op == "label":
            return self._label_matches(m, value)
        if op == "is":
            if low == "read":
                return "UNREAD" not in m.label_ids
            return low.upper() in m.label_ids
        if op in ("from", "to", "cc", "subject"):
            return low in m.header(op).casefold()
        if op == "has":
            return low == "attachment" and any(p.get_filename() for p in m.msg.walk())
        if op == "rfc822msgid":
            return value.strip("<>") == m.message_id.strip("<>")
        if op in ("after", "before", "newer_than", "older_than"):
            if op in ("after", "before"):
                limit = (
                    datetime.fromtimestamp(int(value), UTC)
                    if value.isdigit()
                    else datetime.strptime(value.replace("-", "/"), "%Y/%m/%d").replace(tzinfo=UTC)
                )
                return when >= limit if op == "after" else when < limit
            match = re.fullmatch(r"(\d+)([hdmy])", low)
            if not match:
                raise FakeHttpError(400, f"Invalid query: {op}:{value}")
            days = {"h": 1 / 24, "d": 1, "m": 30, "y": 365}[match[2]] * int(match[1])
            limit = datetime.now(UTC) - timedelta(days=days)
            return when >= limit if op == "newer_than" else when < limit
        # A plain word (or an unknown operator): full-text match.
        word = f"{op}:{value}" if op else value
        haystack = " ".join([m.subject, m.header("From"), m.header("To"), self._snippet(m)]).casefold()
        return word.casefold() in haystack

    def _matches(self, m: StoredMessage, q: str) -> bool:
        # Grouping parentheses are accepted and ignored (no OR support: terms are ANDed).
        for token in re.findall(r'-?(?:[A-Za-z_0-9]+:)?(?:"[^"]*"|[^\s()]+)', q):
            negate = token.startswith("-")
            token = token[1:] if negate else token
            op, sep, value = token.partition(":")
            if not sep or '"' in op:
                op, value = "", token
            if token.upper() in ("OR", "AND"):
                continue
            if self._term(m, op.lower(), value) == negate:
                return False
        return True

    # --- Routes ------------------------------------------------------------------------

    def _profile(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        return {
            "emailAddress": self.email,
            "messagesTotal": len(self.messages),
            "threadsTotal": len({m.thread_id for m in self.messages.values()}),
            "historyId": str(self.history_id),
        }

    def _list(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        q = req.param("q") or ""
        label_ids = req.query.get("labelIds", [])
        wants_hidden = req.param("includeSpamTrash") == "true" or re.search(
            r"\bin:(spam|trash|anywhere)\b", q
        )
        found = []
        for m in sorted(self.messages.values(), key=lambda m: (m.internal_date, m.id), reverse=True):
            if not wants_hidden and {"SPAM", "TRASH"} & set(m.label_ids):
                continue
            if any(lid not in m.label_ids for lid in label_ids):
                continue
            if q and not self._matches(m, q):
                continue
            found.append({"id": m.id, "threadId": m.thread_id})
        page, token = paginate(found, req, default=100, maximum=500)
        result: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:
            result["messages"] = page
        if token:
            result["nextPageToken"] = token
        return result

    def _get(self, req: RecordedRequest, user: str, mid: str) -> dict[str, Any]:
        self._check_user(user)
        fmt = req.param("format", "full") or "full"
        if fmt not in ("full", "metadata", "minimal", "raw"):
            raise FakeHttpError(400, f"Invalid format: {fmt}")
        return self.resource(self._get_stored(mid), fmt, req.query.get("metadataHeaders", []))

    def _messages_send(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        body = req.json or {}
        if not body.get("raw"):
            raise FakeHttpError(
                400,
                "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
                "invalidArgument",
            )
        raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
        parsed = message_from_bytes(raw, policy=compat32)
        if not parsed.get("To") and not parsed.get("Cc") and not parsed.get("Bcc"):
            raise FakeHttpError(400, "Invalid To header", "invalidArgument")
        # Gmail fills in what the client left out.
        extra = b""
        if not parsed.get("Message-ID"):
            extra += f"Message-ID: <fake{self._seq + 1}.{self.history_id}@mail.gmail.com>\r\n".encode()
        if not parsed.get("From"):
            extra += f"From: {self.email}\r\n".encode()
        raw = extra + raw
        thread_id = body.get("threadId")
        if thread_id:
            thread = self.thread(thread_id)
            if not thread:
                raise FakeHttpError(404, "Requested entity was not found.", "notFound")
            refs = re.findall(
                r"<[^<>\s]+>", f"{parsed.get('References', '')} {parsed.get('In-Reply-To', '')}"
            )
            subject_ok = normalize_subject(_decode(parsed.get("Subject"))) == normalize_subject(
                thread[0].subject
            )
            refs_ok = any(m.message_id in refs for m in thread)
            # Gmail's documented rule: threadId, matching Subject, and RFC 2822 references.
            if self.strict_threading and not (subject_ok and refs_ok):
                thread_id = None
        stored = self._store(raw, ["SENT"], thread_id, datetime.now(UTC), auto_thread=False)
        return {"id": stored.id, "threadId": stored.thread_id, "labelIds": list(stored.label_ids)}

    def _modify(self, req: RecordedRequest, user: str, mid: str) -> dict[str, Any]:
        self._check_user(user)
        m = self._get_stored(mid)
        body = req.json or {}
        add, remove = list(body.get("addLabelIds") or []), list(body.get("removeLabelIds") or [])
        for lid in add + remove:
            if lid not in self.labels:
                raise FakeHttpError(400, f"Invalid label: {lid}", "invalidArgument")
        added = [lid for lid in dict.fromkeys(add) if lid not in m.label_ids]
        removed = [lid for lid in dict.fromkeys(remove) if lid in m.label_ids and lid not in add]
        m.label_ids = [lid for lid in m.label_ids if lid not in removed] + added
        if added:
            self._record("labelsAdded", m, added)
        if removed:
            self._record("labelsRemoved", m, removed)
        return {"id": m.id, "threadId": m.thread_id, "labelIds": list(m.label_ids)}

    def _attachment(self, req: RecordedRequest, user: str, mid: str, aid: str) -> dict[str, Any]:
        self._check_user(user)
        self._get_stored(mid)
        if aid not in self.attachments:
            self.resource(self.messages[mid])  # attachment ids are minted while building payloads
        data = self.attachments.get(aid)
        if data is None:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        return {"attachmentId": aid, "size": len(data), "data": b64url(data)}

    def _labels_list(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        return {"labels": [dict(lab) for lab in self.labels.values()]}

    def _labels_get(self, req: RecordedRequest, user: str, lid: str) -> dict[str, Any]:
        self._check_user(user)
        if lid not in self.labels:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        return dict(self.labels[lid])

    def _labels_create(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        body = req.json or {}
        name = str(body.get("name") or "").strip()
        if not name:
            raise FakeHttpError(400, "Invalid label name", "invalidArgument")
        if any(lab["name"].casefold() == name.casefold() for lab in self.labels.values()):
            raise FakeHttpError(409, "Label name exists or conflicts", "aborted")
        self._label_seq += 1
        label = {
            "id": f"Label_{self._label_seq}",
            "name": name,
            "type": "user",
            "messageListVisibility": body.get("messageListVisibility", "show"),
            "labelListVisibility": body.get("labelListVisibility", "labelShow"),
        }
        self.labels[label["id"]] = label
        return dict(label)

    def _history(self, req: RecordedRequest, user: str) -> dict[str, Any]:
        self._check_user(user)
        start = req.param("startHistoryId")
        if not start:
            raise FakeHttpError(400, "Missing startHistoryId", "invalidArgument")
        try:
            start_id = int(start)
        except ValueError as exc:
            raise FakeHttpError(400, "Invalid startHistoryId", "invalidArgument") from exc
        if start_id < self.oldest_history_id:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        kinds = [_HISTORY_TYPES[t] for t in req.query.get("historyTypes", []) if t in _HISTORY_TYPES]
        label_id = req.param("labelId")
        records = []
        for record in self.history:
            if int(record["id"]) <= start_id:
                continue
            if kinds:
                record = {k: v for k, v in record.items() if k in ("id", "messages") or k in kinds}
                if len(record) == 2:
                    continue
            if label_id and not any(
                label_id in self.messages[ref["id"]].label_ids
                for ref in record["messages"]
                if ref["id"] in self.messages
            ):
                continue
            records.append(record)
        page, token = paginate(records, req, default=100, maximum=500)
        result: dict[str, Any] = {"historyId": str(self.history_id)}
        if page:
            result["history"] = page
        if token:
            result["nextPageToken"] = token
        return result

    def _thread_get(self, req: RecordedRequest, user: str, tid: str) -> dict[str, Any]:
        self._check_user(user)
        msgs = self.thread(tid)
        if not msgs:
            raise FakeHttpError(404, "Requested entity was not found.", "notFound")
        fmt = req.param("format", "full") or "full"
        return {
            "id": tid,
            "historyId": str(max(m.history_id for m in msgs)),
            "messages": [self.resource(m, fmt, req.query.get("metadataHeaders", [])) for m in msgs],
        }

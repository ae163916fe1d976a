"""Turn a Gmail API message resource (format=full) into a ``ParsedEmail``; never raises.

Citizens write from every mail client there is: wrong charsets, HTML-only mail, broken
MIME. Each helper here falls back to "what can be read" instead of failing, because one
unreadable mail must not stop the sync of the others.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, NamedTuple


class Attachment(NamedTuple):
    filename: str
    mime_type: str
    size: int


@dataclass
class ParsedEmail:
    id: str
    thread_id: str
    history_id: int | None
    sender: str  # decoded From header, e.g. "Léa Martin <lea@example.fr>"
    to: str
    subject: str
    date: datetime  # always timezone-aware
    message_id_header: str  # "<...@...>" or "" when the mail had none
    references: list[str] = field(default_factory=list)
    body_text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    label_ids: list[str] = field(default_factory=list)
    snippet: str = ""
    in_reply_to: str = ""
    reply_to: str = ""
    cc: str = ""

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]

    @property
    def sender_name(self) -> str:
        return parseaddr(self.sender)[0]

    @property
    def reply_address(self) -> str:
        """Where an answer goes: Reply-To when set (mailing lists, forms), else From."""
        return self.reply_to or self.sender


# --- Decoding helpers ---------------------------------------------------------------------

_LATIN1_LABELS = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "us-ascii", "ascii"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode text in its declared charset, falling back to UTF-8 then Windows-1252.

    Mail labelled latin-1 or ASCII is usually Windows-1252 (curly quotes, €, œ), as browsers
    assume too; undecodable bytes become U+FFFD rather than an error.
    """
    candidates: list[str] = []
    label = (charset or "").strip().strip('"').lower()
    if label in _LATIN1_LABELS:
        label = "cp1252"
    if label:
        with contextlib.suppress(LookupError, ValueError):  # an unknown or malformed label falls through
            candidates.append(codecs.lookup(label).name)
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", "replace")


def decode_header_value(value: str | None) -> str:
    """Decode RFC 2047 encoded-words (=?utf-8?q?...?=) and unfold; raw text if that fails."""
    if not value:
        return ""
    text = re.sub(r"\r?\n[ \t]+", " ", str(value)).replace("\r", "").replace("\n", " ")
    if "=?" not in text:
        return text.strip()
    try:
        return str(make_header(decode_header(text))).strip()
    except (LookupError, UnicodeError, ValueError, binascii.Error, AssertionError):
        pass
    # One bad chunk (unknown charset, bad base64) must not lose the others.
    try:
        out = []
        for chunk, charset in decode_header(text):
            out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
        return "".join(out).strip()
    except Exception:  # last resort: the raw header is still readable
        return text.strip()


_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")


def b64url_decode(data: str | bytes | None) -> bytes:
    """Gmail's base64url, with or without padding; junk characters are skipped."""
    if not data:
        return b""
    raw = data.encode("ascii", "ignore") if isinstance(data, str) else bytes(data)
    raw = _B64_JUNK.sub(b"", raw.replace(b"-", b"+").replace(b"_", b"/"))
    raw = raw[: len(raw) - len(raw) % 4] if len(raw) % 4 == 1 else raw  # a lone trailing char is noise
    try:
        return base64.b64decode(raw + b"=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return b""


def _header_map(headers: Any) -> dict[str, str]:
    """First value of each header, by lower-case name (Gmail gives a list of {name, value})."""
    result: dict[str, str] = {}
    if not isinstance(headers, list):
        return result
    for item in headers:
        if isinstance(item, Mapping):
            name, value = item.get("name"), item.get("value")
            if isinstance(name, str) and isinstance(value, str):
                result.setdefault(name.lower(), value)
    return result


def _content_type_params(value: str) -> tuple[str, dict[str, str]]:
    """Lenient Content-Type parse through the stdlib (compat32 never raises on junk)."""
    msg = Message()
    try:
        msg["Content-Type"] = value
        params = {}
        for key, val in msg.get_params(failobj=[], header="content-type")[1:]:
            params[key.lower()] = val if isinstance(val, str) else str(val)
        return msg.get_content_type(), params
    except Exception:
        return "text/plain", {}


def _charset(headers: Mapping[str, str]) -> str | None:
    ctype = headers.get("content-type")
    if not ctype:
        return None
    return _content_type_params(ctype)[1].get("charset")


# --- HTML to text -------------------------------------------------------------------------

# fmt: off
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol",
     "hr", "section", "article", "header", "footer", "pre", "address", "dl", "dt", "dd", "form",
     "fieldset", "figure", "figcaption", "main", "nav", "center", "title"}
)
# fmt: on
_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.href: list[str | None] = []
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "pre":
            self.pre += 1
        if tag in _BLOCK_TAGS:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")
        if tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.href:
            href, text = self.href.pop(), self.link_text.pop()
            # Keep the target of a link whose text hides it ("cliquez ici").
            if href and href.startswith(("http://", "https://")) and href.strip() != text.strip():
                self.out.append(f" ({href})")
        if tag in _BLOCK_TAGS and tag not in ("br", "li"):  # <li> already began its own line
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        if self.link_text:
            self.link_text[-1] += data
        self.out.append(data)


def html_to_text(markup: str) -> str:
    """Readable plain text from an HTML mail body (blocks become lines, links keep their URL)."""
    try:
        parser = _TextExtractor()
        parser.feed(markup)
        parser.close()
        text = "".join(parser.out)
    except Exception:  # HTMLParser is lenient, but a regex strip is the floor
        text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    text = text.replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Payload walk -------------------------------------------------------------------------


def _walk(part: Any, depth: int = 0) -> Iterator[tuple[Mapping[str, Any], bool]]:
    """Leaf parts depth-first, with whether they sit inside an attached message/rfc822."""
    if not isinstance(part, Mapping) or depth > 50:
        return
    parts = part.get("parts")
    mime = str(part.get("mimeType") or "").lower()
    if isinstance(parts, list) and parts:
        if mime == "message/rfc822":
            yield part, False  # the attached mail itself is listed as an attachment
            for sub in parts:
                for leaf, _ in _walk(sub, depth + 1):
                    yield leaf, True
            return
        for sub in parts:
            yield from _walk(sub, depth + 1)
        return
    yield part, False


def _mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object of the Gmail resource, or an empty one when the field is missing or malformed."""
    return value if isinstance(value, Mapping) else {}


def _is_attachment(part: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
    mime = str(part.get("mimeType") or "").lower()
    disposition = headers.get("content-disposition", "").lower()
    body = _mapping(part.get("body"))
    if part.get("filename") or disposition.startswith("attachment"):
        return True
    if mime.startswith("multipart/"):
        return False
    return bool(body.get("attachmentId")) and mime not in ("text/plain", "text/html")


def _part_text(part: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    body = _mapping(part.get("body"))
    return decode_bytes(b64url_decode(body.get("data")), _charset(headers))


def _extract(payload: Any) -> tuple[str, list[Attachment]]:
    plain: list[str] = []
    htmls: list[str] = []
    nested_plain: list[str] = []
    nested_html: list[str] = []
    other: list[str] = []  # text/* or a childless multipart: last resort for broken MIME
    attachments: list[Attachment] = []
    for part, nested in _walk(payload):
        headers = _header_map(part.get("headers"))
        mime = str(part.get("mimeType") or "text/plain").lower()
        body = _mapping(part.get("body"))
        if not nested and (_is_attachment(part, headers) or mime == "message/rfc822"):
            filename = decode_header_value(str(part.get("filename") or ""))
            if not filename and mime == "message/rfc822":
                filename = "message.eml"
            try:
                size = int(body.get("size") or 0)
            except (TypeError, ValueError):
                size = 0
            attachments.append(Attachment(filename, mime, size))
            continue
        if _is_attachment(part, headers):
            continue
        if mime == "text/plain":
            (nested_plain if nested else plain).append(_part_text(part, headers))
        elif mime == "text/html":
            (nested_html if nested else htmls).append(_part_text(part, headers))
        elif mime.startswith(("text/", "multipart/")) and not nested:
            other.append(_part_text(part, headers))
    # Prefer the sender's own text/plain; HTML only when there is no usable plain text; a
    # forwarded mail's text only when the outer mail has none (a bare "forward as attachment").
    for plains, markups in ((plain, htmls), (nested_plain, nested_html), (other, [])):
        text = "\n".join(p.strip("\r\n") for p in plains if p.strip())
        if not text.strip() and markups:
            text = "\n\n".join(html_to_text(m) for m in markups if m.strip())
        if text.strip():
            return text.replace("\r\n", "\n").replace("\r", "\n").strip(), attachments
    return "", attachments


def _parse_date(value: str, internal_date: Any) -> datetime:
    if value:
        try:
            parsed = parsedate_to_datetime(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    try:
        return datetime.fromtimestamp(int(internal_date) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.fromtimestamp(0, tz=UTC)


_MSGID = re.compile(r"<[^<>\s]+>")


def parse_message_ids(value: str) -> list[str]:
    """Message-IDs from a References/In-Reply-To header; a bare id without <> is kept too."""
    ids = _MSGID.findall(value or "")
    if not ids and value and value.strip() and " " not in value.strip():
        ids = [value.strip()]
    return ids


def parse_message(resource: Mapping[str, Any]) -> ParsedEmail:
    """Gmail ``users.messages.get(format=full)`` resource → ``ParsedEmail``; never raises."""
    payload = _mapping(resource.get("payload"))
    headers = _header_map(payload.get("headers"))
    body_text, attachments = _extract(payload)
    try:
        history_id: int | None = int(resource.get("historyId"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        history_id = None
    message_ids = parse_message_ids(headers.get("message-id", ""))
    labels = resource.get("labelIds")
    return ParsedEmail(
        id=str(resource.get("id") or ""),
        thread_id=str(resource.get("threadId") or ""),
        history_id=history_id,
        sender=decode_header_value(headers.get("from")),
        to=decode_header_value(headers.get("to")),
        cc=decode_header_value(headers.get("cc")),
        reply_to=decode_header_value(headers.get("reply-to")),
        subject=decode_header_value(headers.get("subject")),
        date=_parse_date(headers.get("date", ""), resource.get("internalDate")),
        message_id_header=message_ids[0] if message_ids else "",
        in_reply_to=next(iter(parse_message_ids(headers.get("in-reply-to", ""))), ""),
        references=parse_message_ids(headers.get("references", "")),
        body_text=body_text,
        attachments=attachments,
        label_ids=[str(x) for x in labels] if isinstance(labels, list) else [],
        snippet=html.unescape(str(resource.get("snippet") or "")),
    )


def addresses(value: str) -> list[str]:
    """Bare addresses from a To/Cc header value."""
    return [addr for _, addr in getaddresses([value]) if addr]

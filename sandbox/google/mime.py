"""Build raw RFC 822 mail the way real mail clients do (for the fake Gmail's ``deliver``).

Written by hand rather than with ``email.mime`` so a test controls the charset and the
transfer encoding of every part (latin-1 quoted-printable, 8bit, base64...).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from email.header import Header
from email.utils import encode_rfc2231, format_datetime, formataddr, getaddresses

AttachmentSpec = tuple[str, str, bytes]  # (filename, mime type, content)
Part = tuple[list[str], bytes]  # (header lines, body) of one MIME entity


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")


def _header_charset(value: str, charset: str) -> str:
    """The message charset when it can carry the text (as clients do), else UTF-8."""
    try:
        value.encode(charset)
    except (UnicodeEncodeError, LookupError):
        return "utf-8"
    return "utf-8" if charset.lower() in ("us-ascii", "ascii") else charset


def encode_header(value: str, charset: str = "utf-8") -> str:
    """Plain ASCII stays as is; anything else becomes RFC 2047 encoded-words."""
    if value.isascii():
        return value
    return Header(value, _header_charset(value, charset)).encode(linesep="\r\n")


def encode_addresses(value: str, charset: str = "utf-8") -> str:
    pairs = getaddresses([value])
    if not pairs or not any(addr for _, addr in pairs):
        return encode_header(value, charset)
    return ", ".join(formataddr((name, addr), charset=_header_charset(name, charset)) for name, addr in pairs)


def text_part(
    text: str, subtype: str = "plain", charset: str = "utf-8", transfer_encoding: str | None = None
) -> Part:
    data = text.encode(charset, "replace")
    if transfer_encoding is None:
        # What mail clients usually pick: ASCII as is, UTF-8 in base64, 8-bit charsets in QP.
        if data.isascii():
            transfer_encoding = "7bit"
        elif charset.lower().replace("_", "-") in ("utf-8", "utf8"):
            transfer_encoding = "base64"
        else:
            transfer_encoding = "quoted-printable"
    te = transfer_encoding.lower()
    if te == "base64":
        body = base64.encodebytes(data)
    elif te == "quoted-printable":
        body = binascii.b2a_qp(_crlf(data).replace(b"\r\n", b"\n"))
    else:  # 7bit / 8bit / binary: the bytes as they are
        body = data
    headers = [f'Content-Type: text/{subtype}; charset="{charset}"', f"Content-Transfer-Encoding: {te}"]
    return headers, _crlf(body)


def attachment_part(filename: str, mime_type: str, content: bytes) -> Part:
    if filename.isascii():
        disposition = f'attachment; filename="{filename}"'
        name = f'name="{filename}"'
    else:  # RFC 2231 for the disposition, RFC 2047 in name= (what Thunderbird writes)
        disposition = f"attachment; filename*={encode_rfc2231(filename, 'utf-8')}"
        name = f'name="{encode_header(filename)}"'
    headers = [
        f"Content-Type: {mime_type}; {name}",
        f"Content-Disposition: {disposition}",
        "Content-Transfer-Encoding: base64",
    ]
    return headers, _crlf(base64.encodebytes(content))


def multipart(subtype: str, parts: Sequence[Part]) -> Part:
    boundary = f"=_fake_{uuid.uuid4().hex}"
    chunks = [b"This is a multi-part message in MIME format.\r\n"]
    for headers, body in parts:
        chunks.append(f"--{boundary}\r\n".encode())
        chunks.append(("\r\n".join(headers) + "\r\n\r\n").encode("utf-8"))
        chunks.append(body if body.endswith(b"\r\n") else body + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return [f'Content-Type: multipart/{subtype}; boundary="{boundary}"'], b"".join(chunks)


def build_raw_email(
    from_: str,
    to: str,
    subject: str,
    body: str | None = None,
    html: str | None = None,
    attachments: Sequence[AttachmentSpec] = (),
    charset: str = "utf-8",
    transfer_encoding: str | None = None,
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    extra_headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A complete message: text/plain, text/html, or multipart/alternative, wrapped in
    multipart/mixed when there are attachments."""
    leaves: list[Part] = []
    if body is not None:
        leaves.append(text_part(body, "plain", charset, transfer_encoding))
    if html is not None:
        leaves.append(text_part(html, "html", charset, transfer_encoding))
    content = multipart("alternative", leaves) if len(leaves) > 1 else (leaves or [text_part("")])[0]
    if attachments:
        content = multipart("mixed", [content, *(attachment_part(*a) for a in attachments)])
    headers = [
        f"From: {encode_addresses(from_, charset)}",
        f"To: {encode_addresses(to, charset)}",
        f"Subject: {encode_header(subject, charset)}",
        f"Date: {format_datetime(date or datetime.now(UTC))}",
        f"Message-ID: {message_id or f'<{uuid.uuid4().hex}@fake.example>'}",
        "MIME-Version: 1.0",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {' '.join(references)}")
    headers += [f"{name}: {value}" for name, value in extra_headers]
    headers += content[0]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("utf-8") + content[1]

"""What every publishing adapter shares: the post, the result, the errors, the contract.

An adapter publishes one :class:`Post` to one platform under our idempotency ``key`` (the bot's
outbox row: one key per post and channel). The contract, for the bot's outbox:

- ``publish(post, key)`` returns :class:`Published` or raises :class:`PublishError`.
- After ``kind == "uncertain"`` (the request may have landed), call ``find(key, post)`` before
  trying again: it looks on the platform for the post an earlier attempt may have made.
  Adapters whose ``retry_safe`` is true (Mastodon's Idempotency-Key, for an hour; Bluesky's
  record key; WordPress's slug) make a plain retry safe too. Facebook and X are not, though
  each adapter remembers the keys it tried in this process and looks before trying one again,
  and both platforms refuse an identical text posted twice in a row (then the adapter looks).
- ``find`` takes the post as well as the key: a Facebook, X or Mastodon post has no field that
  could carry our key, so there the text we sent is the marker, searched among the account's
  recent posts (``find_window_hours``). Bluesky (record key) and WordPress (slug) need the key
  only.
- ``metrics(remote_id)`` reads the platform's counters (reactions, shares, replies...).

The adapters are synchronous (the official libraries are): the bot calls them with
``asyncio.to_thread``. They never log tokens or passwords.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import ClassVar, Literal, NamedTuple, Protocol

ErrorKind = Literal["auth", "rate_limited", "rejected", "unavailable", "uncertain"]
ERROR_KINDS: frozenset[str] = frozenset({"auth", "rate_limited", "rejected", "unavailable", "uncertain"})


class Image(NamedTuple):
    filename: str
    data: bytes
    mime: str
    alt: str = ""


@dataclass(frozen=True)
class Post:
    """One post as the movement approved it; each adapter turns it into its platform's form.

    ``title`` is WordPress's (others ignore it); ``link`` becomes a preview card where the
    platform has one, else it is appended to the text when the text does not contain it yet.
    ``publish_at`` (aware datetime) schedules a WordPress post ("future"); the bot schedules
    the other channels itself.
    """

    text: str
    title: str = ""
    link: str | None = None
    images: Sequence[Image] = ()
    lang: str = "fr"
    publish_at: datetime | None = None

    def __post_init__(self) -> None:
        # Accept a list of plain (filename, bytes, mime, alt) tuples; keep an immutable tuple.
        object.__setattr__(self, "images", tuple(Image(*image) for image in self.images))
        if self.publish_at is not None and self.publish_at.tzinfo is None:
            raise ValueError("publish_at must be timezone-aware")

    def text_with_link(self, separator: str = "\n\n") -> str:
        """The text, with the link appended when the text does not already contain it."""
        if not self.link or self.link in self.text:
            return self.text
        return f"{self.text.rstrip()}{separator}{self.link}" if self.text.strip() else self.link


@dataclass(frozen=True)
class Published:
    channel: str
    remote_id: str
    url: str


class PublishError(Exception):
    """A publication failed; ``kind`` tells the bot what to do next.

    - ``auth``: the token or password is expired or revoked (a person must renew it).
    - ``rate_limited``: try again after ``retry_after`` seconds (``None``: unknown).
    - ``rejected``: the platform refused the content (too long, bad media...): fix the post.
    - ``unavailable``: 5xx or network before the request was sent: safe to retry later.
    - ``uncertain``: the request may have been received (timeout, connection lost): call
      ``find(key, post)`` before any new attempt.

    ``code`` is the platform's own code (Facebook ``190``, HTTP ``401``, XRPC ``ExpiredToken``...).
    """

    def __init__(
        self,
        channel: str,
        kind: ErrorKind,
        detail: str,
        *,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown PublishError kind {kind!r}")
        super().__init__(f"{channel}: {kind}: {detail}")
        self.channel = channel
        self.kind: ErrorKind = kind
        self.detail = detail
        self.retry_after = retry_after
        self.code = code


class Publisher(Protocol):
    """What the bot's publishing capability needs from each adapter (all calls blocking)."""

    channel: ClassVar[str]
    retry_safe: ClassVar[bool]

    def publish(self, post: Post, key: str) -> Published: ...

    def find(self, key: str, post: Post) -> Published | None: ...

    def metrics(self, remote_id: str) -> dict[str, int]: ...

    def close(self) -> None: ...


@dataclass
class AttemptMemory:
    """Keys tried in this process: trying one again first looks for the earlier attempt's post."""

    _keys: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def seen_before(self, key: str) -> bool:
        """True when ``key`` was already tried (and records it either way)."""
        with self._lock:
            if key in self._keys:
                return True
            self._keys.add(key)
            return False


def key_digest(key: str, length: int = 10) -> str:
    """A short, stable, URL- and slug-safe digest of an idempotency key (base32, lower case)."""
    raw = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b32encode(raw).decode("ascii").lower()[:length]


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/p|p)\b[^>]*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def comparable_text(value: str, *, markup: bool = False) -> str:
    """Text reduced for comparing what we sent with what a platform shows back.

    With ``markup`` (Mastodon's HTML), line and paragraph tags become spaces and other tags go.
    Then entities are unescaped, Unicode is NFC-normalized, and whitespace runs become one space.
    """
    if markup:
        value = _TAG.sub("", _BREAK.sub(" ", value))
    value = html.unescape(value)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP-date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None

"""Bluesky posts with the ``atproto`` library (sync ``Client``): createSession with an app
password, uploadBlob for images, createRecord ``app.bsky.feed.post`` with link and tag facets
(UTF-8 byte offsets, from atproto's port of the official SDK's detection) and an images or
link-card embed.

Idempotency: the record key is derived from our key (:func:`rkey_for`), so a second
createRecord for the same key cannot make a second post: the PDS refuses it (the reference PDS
answers 500, its MST refusing a key that exists), and ``find`` is one getRecord. The record key
must be a TID for ``app.bsky.feed.post`` (the PDS checks the lexicon's key type, and the
AppView ignores posts under other keys), so the digest of our key is laid out as a TID.

Synchronous (httpx under atproto's sync client): the bot runs it with ``asyncio.to_thread``.
The app password and the session tokens are never logged.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
from atproto import Client, models  # type: ignore[import-untyped]
from atproto_client.exceptions import (  # type: ignore[import-untyped]
    BadRequestError,
    InvokeTimeoutError,
    LoginRequiredError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    UnauthorizedError,
)
from atproto_client.request import Request  # type: ignore[import-untyped]
from atproto_client.utils.facet_detection import detect_facets  # type: ignore[import-untyped]
from atproto_core.exceptions import AtProtocolError  # type: ignore[import-untyped]
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.communication import limits
from integrations.publishing._net import httpx_kind
from integrations.publishing.base import ErrorKind, Image, Post, Published, PublishError

log = logging.getLogger(__name__)

CHANNEL = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images#image: maxSize
# Session errors that a new login may cure; any other 400 is about the content.
SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthMissing", "AuthRequired"})
ACCOUNT_ERRORS = frozenset(
    {"AuthenticationRequired", "AccountTakedown", "AccountDeactivated", "InvalidEmail"}
)

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Derived TIDs carry a timestamp in [2023-01-01, 2023-01-01 + 2**45 µs ≈ 13 months): always in
# the past, so no relay or AppView sees a record "from the future".
_TID_EPOCH_US = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_TID_SPAN_US = 1 << 45


def rkey_for(key: str) -> str:
    """A valid TID (13 base32-sortable chars) that is a pure function of our idempotency key."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    timestamp = _TID_EPOCH_US + (digest >> 10) % _TID_SPAN_US
    value = (timestamp << 10) | (digest & 0x3FF)  # 53-bit time, 10-bit clock id, top bit 0
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


class BlueskySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BLUESKY_", env_file=".env", extra="ignore")

    service_url: str = "https://bsky.social"  # the account's PDS (or the entryway)
    handle: str = ""
    app_password: SecretStr = SecretStr("")
    timeout: float = 30.0


class BlueskyPublisher:
    """Publishes as one Bluesky account; blocking calls (use ``asyncio.to_thread``)."""

    channel: ClassVar[str] = CHANNEL
    retry_safe: ClassVar[bool] = True  # the record key is derived from our key

    def __init__(self, settings: BlueskySettings, *, transport: httpx.BaseTransport | None = None) -> None:
        if not settings.handle or not settings.app_password.get_secret_value():
            raise ValueError("BLUESKY_HANDLE and BLUESKY_APP_PASSWORD are required")
        self.settings = settings
        self._transport = transport
        self._client: Any = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.request.close()
                self._client = None

    # --- Contract ------------------------------------------------------------------------

    def publish(self, post: Post, key: str) -> Published:
        rkey = rkey_for(key)
        text = self.text_for(post)
        if not limits.fits("bluesky", text):
            raise PublishError(
                CHANNEL,
                "rejected",
                f"text too long: {limits.bluesky_length(text)} graphemes (max {limits.BLUESKY_MAX_GRAPHEMES}, "
                f"{limits.BLUESKY_MAX_BYTES} bytes)",
                code="too_long",
            )
        self._check_images(post.images)
        blobs = [self._upload(image) for image in post.images]
        record = self.record_for(post, [b.blob for b in blobs])
        try:
            created = self._session_call(
                "createRecord",
                True,
                lambda c: c.com.atproto.repo.create_record(
                    models.ComAtprotoRepoCreateRecord.Data(
                        repo=self.settings.handle, collection=POST_COLLECTION, rkey=rkey, record=record
                    )
                ),
            )
        except PublishError as exc:
            if exc.kind in ("auth", "rate_limited", "uncertain"):
                raise
            # A record already under this key (our earlier attempt) is refused with a 500 by the
            # reference PDS and a 4xx by others: the record itself tells.
            found = self.find(key, post)
            if found is None:
                raise
            log.info("bluesky: %s already published", found.remote_id)
            return found
        log.info("bluesky: published %s", created.uri)
        return Published(CHANNEL, str(created.uri), self.post_url(rkey))

    def find(self, key: str, post: Post) -> Published | None:
        """The record under the key derived from ``key`` (``post`` is not needed here)."""
        rkey = rkey_for(key)
        try:
            record = self._session_call(
                "getRecord",
                False,
                lambda c: c.com.atproto.repo.get_record(
                    models.ComAtprotoRepoGetRecord.Params(
                        repo=self.settings.handle, collection=POST_COLLECTION, rkey=rkey
                    )
                ),
            )
        except PublishError as exc:
            if exc.code == "RecordNotFound":
                return None
            raise
        return Published(CHANNEL, str(record.uri), self.post_url(rkey))

    def metrics(self, remote_id: str) -> dict[str, int]:
        """Counters from the AppView (``app.bsky.feed.getPosts``, proxied by the PDS)."""
        response = self._session_call(
            "getPosts",
            False,
            lambda c: c.app.bsky.feed.get_posts(models.AppBskyFeedGetPosts.Params(uris=[remote_id])),
        )
        if not response.posts:  # deleted, or not indexed by the AppView yet
            raise PublishError(CHANNEL, "unavailable", f"getPosts: no post {remote_id}", code="NotFound")
        view = response.posts[0]
        return {
            "likes": int(view.like_count or 0),
            "reposts": int(view.repost_count or 0),
            "replies": int(view.reply_count or 0),
            "quotes": int(view.quote_count or 0),
        }

    # --- Record --------------------------------------------------------------------------

    @staticmethod
    def text_for(post: Post) -> str:
        """Without images the link rides in a card; with images it must be in the text."""
        return post.text_with_link() if post.images else post.text

    @staticmethod
    def record_for(post: Post, blobs: list[Any]) -> Any:
        text = BlueskyPublisher.text_for(post)
        embed: Any = None
        if blobs:
            embed = models.AppBskyEmbedImages.Main(
                images=[
                    models.AppBskyEmbedImages.Image(alt=image.alt, image=blob)
                    for image, blob in zip(post.images, blobs, strict=True)
                ]
            )
        elif post.link:
            embed = models.AppBskyEmbedExternal.Main(
                external=models.AppBskyEmbedExternal.External(
                    uri=post.link, title=post.title or post.link, description=""
                )
            )
        return models.AppBskyFeedPost.Record(
            text=text,
            created_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            langs=[post.lang] if post.lang else None,
            facets=detect_facets(text) or None,
            embed=embed,
        )

    def _upload(self, image: Image) -> Any:
        # atproto sends "*/*" unless told; the PDS sniffs the bytes, but say what it is anyway.
        return self._session_call(
            "uploadBlob",
            False,
            lambda c: c.com.atproto.repo.upload_blob(image.data, headers={"Content-Type": image.mime}),
        )

    def post_url(self, rkey: str) -> str:
        return f"https://bsky.app/profile/{self.settings.handle}/post/{rkey}"

    @staticmethod
    def _check_images(images: Any) -> None:
        if len(images) > MAX_IMAGES:
            raise PublishError(
                CHANNEL, "rejected", f"{len(images)} images (max {MAX_IMAGES})", code="too_many"
            )
        for image in images:
            assert isinstance(image, Image)
            if len(image.data) > MAX_IMAGE_BYTES:
                raise PublishError(
                    CHANNEL,
                    "rejected",
                    f"image {image.filename}: {len(image.data)} bytes (max {MAX_IMAGE_BYTES})",
                    code="BlobTooLarge",
                )

    # --- Session -------------------------------------------------------------------------

    def _login(self) -> Any:
        client = Client(
            base_url=self.settings.service_url,
            request=Request(
                timeout=httpx.Timeout(self.settings.timeout, connect=min(10.0, self.settings.timeout)),
                transport=self._transport,
            ),
        )
        try:
            client.login(
                self.settings.handle, self.settings.app_password.get_secret_value(), fetch_bsky_profile=False
            )
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise _error(exc, "createSession", write=False) from exc
        return client

    def _session_call(self, what: str, write: bool, call: Any) -> Any:
        """``call(client)`` with a live session: logs in when needed, and once more when the
        session turns out expired or revoked (then a refused login is an "auth" error)."""
        with self._lock:
            if self._client is None:
                self._client = self._login()
            client = self._client
        try:
            return call(client)
        except (AtProtocolError, httpx.HTTPError) as exc:
            error = _error(exc, what, write=write)
            if error.kind != "auth" or error.code in ACCOUNT_ERRORS:
                raise error from exc
        with self._lock:
            self._client = self._login()
            client = self._client
        try:
            return call(client)
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise _error(exc, what, write=write) from exc


def _error(exc: AtProtocolError | httpx.HTTPError, what: str, *, write: bool) -> PublishError:
    """atproto's exceptions to PublishError (XRPC error name as ``code``)."""
    if isinstance(exc, httpx.HTTPError):  # transport errors atproto lets through as they are
        return PublishError(CHANNEL, httpx_kind(exc, write=write), f"{what}: {type(exc).__name__}")
    if isinstance(exc, LoginRequiredError):
        return PublishError(CHANNEL, "auth", f"{what}: login required", code="LoginRequired")
    if not isinstance(exc, RequestErrorBase):
        return PublishError(CHANNEL, "rejected", f"{what}: {type(exc).__name__}: {exc}")
    response = exc.response
    if response is None:  # transport failure: no answer at all
        cause = exc.__cause__ or exc.__context__
        kind: ErrorKind
        if isinstance(cause, httpx.HTTPError):
            kind = httpx_kind(cause, write=write)
        else:
            kind = "uncertain" if write and isinstance(exc, InvokeTimeoutError) else "unavailable"
        return PublishError(CHANNEL, kind, f"{what}: {type(cause or exc).__name__}")
    status = int(response.status_code)
    content = response.content
    name = str(getattr(content, "error", "") or "") or None
    message = str(getattr(content, "message", "") or "")
    detail = f"{what}: HTTP {status} {name or ''} {message}".rstrip()
    if isinstance(exc, RateLimitExceededError):
        retry_after = exc.retry_after
        if retry_after is None and exc.reset_at is not None:
            retry_after = max(0.0, (exc.reset_at - datetime.now(UTC)).total_seconds())
        return PublishError(CHANNEL, "rate_limited", detail, retry_after=retry_after, code=name or "429")
    if isinstance(exc, UnauthorizedError) or name in SESSION_ERRORS or name in ACCOUNT_ERRORS:
        return PublishError(CHANNEL, "auth", detail, code=name or str(status))
    if isinstance(exc, BadRequestError) or status == 413:
        return PublishError(CHANNEL, "rejected", detail, code=name or str(status))
    if isinstance(exc, NetworkError) or status >= 500:
        return PublishError(CHANNEL, "unavailable", detail, code=name or str(status))
    return PublishError(CHANNEL, "rejected", detail, code=name or str(status))

"""Mastodon statuses with Mastodon.py: media upload (v2, asynchronous processing), then the status
with an ``Idempotency-Key`` header.

Mastodon keeps the key (per account) for an hour and answers a repeated request with the status
it already made, so retrying ``publish`` with the same key is safe within that hour. Past it,
``find(key, post)`` looks among the account's recent statuses for the text we sent.

Mastodon.py is synchronous (requests): the bot runs these calls with ``asyncio.to_thread``.
Rate limits are raised, never slept on (``ratelimit_method="throw"``); the token only travels in
the Authorization header.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from integrations.publishing._net import requests_kind
from integrations.publishing.base import (
    AttemptMemory,
    Image,
    Post,
    Published,
    PublishError,
    comparable_text,
    key_digest,
)

log = logging.getLogger(__name__)

CHANNEL = "mastodon"


class MastodonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MASTODON_", env_file=".env", extra="ignore")

    base_url: str = ""  # e.g. https://mastodon.social
    access_token: SecretStr = SecretStr("")
    visibility: str = "public"
    timeout: float = 30.0
    media_poll_interval: float = 1.0
    media_timeout: float = 120.0
    find_window_hours: float = 48.0


class MastodonPublisher:
    """Publishes as one Mastodon account; blocking calls (use ``asyncio.to_thread``)."""

    channel: ClassVar[str] = CHANNEL
    retry_safe: ClassVar[bool] = True  # within the hour Mastodon keeps Idempotency-Keys

    def __init__(self, settings: MastodonSettings, *, session: requests.Session | None = None) -> None:
        if not settings.base_url or not settings.access_token.get_secret_value():
            raise ValueError("MASTODON_BASE_URL and MASTODON_ACCESS_TOKEN are required")
        self.settings = settings
        self.find_window = timedelta(hours=settings.find_window_hours)
        self._memory = AttemptMemory()
        self._account_id: str | None = None
        self.api = Mastodon(
            access_token=settings.access_token.get_secret_value(),
            api_base_url=settings.base_url.rstrip("/"),
            request_timeout=settings.timeout,
            ratelimit_method="throw",
            version_check_mode="none",
            session=session,
        )

    def close(self) -> None:
        self.api.session.close()

    # --- Contract ------------------------------------------------------------------------

    def publish(self, post: Post, key: str) -> Published:
        if self._memory.seen_before(key):
            # Mastodon answers a repeated Idempotency-Key with the same status, but only for an
            # hour, and media would be uploaded again: look first.
            found = self.find(key, post)
            if found is not None:
                return found
        media_ids = [self._upload(image) for image in post.images]
        status = self._call(
            "statuses",
            True,
            lambda: self.api.status_post(
                self.status_text(post),
                media_ids=media_ids or None,
                visibility=self.settings.visibility,
                language=post.lang or None,
                idempotency_key=idempotency_key(key),
            ),
        )
        status_id = str(status["id"])
        log.info("mastodon: published %s", status_id)
        return Published(CHANNEL, status_id, str(status.get("url") or status.get("uri") or ""))

    def find(self, key: str, post: Post) -> Published | None:
        """The account's recent status whose text is the one ``publish`` sends for ``post``."""
        wanted = comparable_text(self.status_text(post))
        account_id = self._me()
        since = datetime.now(UTC) - self.find_window
        statuses = self._call(
            "account_statuses",
            False,
            lambda: self.api.account_statuses(
                account_id, exclude_replies=True, exclude_reblogs=True, limit=40
            ),
        )
        for status in statuses:
            created = status.get("created_at")
            if isinstance(created, datetime) and _aware(created) < since:
                break
            if comparable_text(str(status.get("content") or ""), markup=True) == wanted:
                return Published(
                    CHANNEL, str(status["id"]), str(status.get("url") or status.get("uri") or "")
                )
        return None

    def metrics(self, remote_id: str) -> dict[str, int]:
        status = self._call("status", False, lambda: self.api.status(remote_id))
        return {
            "favourites": int(status.get("favourites_count") or 0),
            "reblogs": int(status.get("reblogs_count") or 0),
            "replies": int(status.get("replies_count") or 0),
        }

    def max_characters(self) -> int:
        """The instance's status length limit (500 unless its admin changed it)."""
        instance = self._call("instance", False, self.api.instance_v2)
        statuses = ((instance.get("configuration") or {}).get("statuses")) or {}
        return int(statuses.get("max_characters") or 500)

    # --- Helpers -------------------------------------------------------------------------

    @staticmethod
    def status_text(post: Post) -> str:
        return post.text_with_link()

    def _me(self) -> str:
        if self._account_id is None:
            account = self._call("verify_credentials", False, self.api.account_verify_credentials)
            self._account_id = str(account["id"])
        return self._account_id

    def _upload(self, image: Image) -> str:
        attachment = self._call(
            "media",
            False,
            lambda: self.api.media_post(
                image.data, mime_type=image.mime, description=image.alt or None, file_name=image.filename
            ),
        )
        # v2 uploads answer 202 with url null while the server processes the file; a status
        # that names an unprocessed attachment is refused (422), so wait here.
        deadline = time.monotonic() + self.settings.media_timeout
        while attachment.get("url") is None:
            if time.monotonic() > deadline:
                raise PublishError(CHANNEL, "unavailable", f"media {attachment['id']} still processing")
            time.sleep(self.settings.media_poll_interval)
            attachment = self._call("media", False, functools.partial(self.api.media, attachment["id"]))
        return str(attachment["id"])

    def _call(self, what: str, write: bool, call: Any) -> Any:
        try:
            return call()
        except MastodonError as exc:
            raise self._error(exc, what, write=write) from exc

    def _error(self, exc: MastodonError, what: str, *, write: bool) -> PublishError:
        if isinstance(exc, MastodonRatelimitError):
            reset = self.api.ratelimit_reset
            retry_after = max(0.0, float(reset) - time.time()) if reset else None
            return PublishError(
                CHANNEL, "rate_limited", f"{what}: {exc}", retry_after=retry_after, code="429"
            )
        if isinstance(exc, MastodonNetworkError):
            cause = exc.__context__ or exc
            kind = requests_kind(cause, write=write)
            return PublishError(CHANNEL, kind, f"{what}: network error ({type(cause).__name__})")
        if isinstance(exc, MastodonIllegalArgumentError):
            return PublishError(CHANNEL, "rejected", f"{what}: {exc}")
        if isinstance(exc, MastodonAPIError):
            status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
            message = str(exc.args[3]) if len(exc.args) > 3 and exc.args[3] else str(exc)
            detail = f"{what}: HTTP {status} {message}"
            if isinstance(exc, MastodonUnauthorizedError) or status in (401, 403):
                return PublishError(CHANNEL, "auth", detail, code=str(status))
            if isinstance(exc, MastodonServerError) or (status or 0) >= 500:
                return PublishError(CHANNEL, "unavailable", detail, code=str(status))
            if isinstance(exc, MastodonNotFoundError):
                return PublishError(CHANNEL, "rejected", detail, code="404")
            return PublishError(CHANNEL, "rejected", detail, code=str(status))
        return PublishError(CHANNEL, "unavailable", f"{what}: {type(exc).__name__}: {exc}")


def idempotency_key(key: str) -> str:
    """The header value: ASCII and bounded whatever our key looks like."""
    return f"coordo-{key_digest(key, 32)}"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

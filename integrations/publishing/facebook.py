"""Facebook Page posts through the Graph API, with httpx (Meta keeps no maintained Python SDK
for Pages).

- text (and link preview card): ``POST /{page-id}/feed`` with ``message`` and ``link``;
- one photo: ``POST /{page-id}/photos`` (multipart ``source``, ``message``, ``alt_text_custom``);
- several photos: each ``POST /{page-id}/photos`` with ``published=false``, then
  ``POST /{page-id}/feed`` with ``attached_media[i]={"media_fbid": id}``.

The Page token goes in the ``Authorization: Bearer`` header, never in a URL (httpx logs URLs).
Synchronous: the bot runs it with ``asyncio.to_thread``.

Idempotency: the Graph API has no idempotency key and a post has no field to hold ours. After an
uncertain outcome, ``find(key, post)`` looks among the Page's recent posts (``find_window``) for
one whose message is the one we sent. Facebook itself refuses the same message twice in a row
(error 506, "Duplicate status message"): a retry that hits it looks the post up the same way.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any, ClassVar

import httpx
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from integrations.publishing._net import network_error
from integrations.publishing.base import (
    AttemptMemory,
    ErrorKind,
    Image,
    Post,
    Published,
    PublishError,
    comparable_text,
    parse_retry_after,
)

log = logging.getLogger(__name__)

CHANNEL = "facebook"
# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
AUTH_CODES = frozenset({102, 190, 10, 3})  # session, token expired/revoked, permission, capability
RATE_CODES = frozenset({4, 17, 32, 341, 613})  # app, user, page, feed action, calls
TRANSIENT_CODES = frozenset({1, 2})  # unknown error, service unavailable
DUPLICATE_CODE = 506


class FacebookSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACEBOOK_", env_file=".env", extra="ignore")

    graph_url: str = "https://graph.facebook.com/v23.0"  # with the API version
    page_id: str = ""
    page_token: SecretStr = SecretStr("")
    timeout: float = 30.0
    find_window_hours: float = 48.0


class FacebookPublisher:
    """Publishes to one Facebook Page; blocking calls (use ``asyncio.to_thread``)."""

    channel: ClassVar[str] = CHANNEL
    retry_safe: ClassVar[bool] = False

    def __init__(self, settings: FacebookSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        if not settings.page_id or not settings.page_token.get_secret_value():
            raise ValueError("FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN are required")
        self.settings = settings
        self.page_id = settings.page_id
        self.find_window = timedelta(hours=settings.find_window_hours)
        self._memory = AttemptMemory()
        self._http = httpx.Client(
            base_url=settings.graph_url.rstrip("/") + "/",
            timeout=httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            headers={"Authorization": f"Bearer {settings.page_token.get_secret_value()}"},
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    # --- Contract ------------------------------------------------------------------------

    def publish(self, post: Post, key: str) -> Published:
        if self._memory.seen_before(key):
            found = self.find(key, post)
            if found is not None:
                return found
        message = self.message_for(post)
        try:
            post_id = self._create(post, message)
        except PublishError as exc:
            if exc.code != str(DUPLICATE_CODE):
                raise
            found = self.find(key, post)
            if found is None:
                raise
            return found
        log.info("facebook: published %s", post_id)
        return Published(CHANNEL, post_id, self.post_url(post_id))

    def find(self, key: str, post: Post) -> Published | None:
        """The Page's recent post whose message is the one ``publish`` sends for ``post``."""
        wanted = comparable_text(self.message_for(post))
        since = int(time.time() - self.find_window.total_seconds())
        body = self._call(
            "GET",
            f"{self.page_id}/posts",
            params={"fields": "id,message,created_time,permalink_url", "limit": "25", "since": str(since)},
            write=False,
        )
        for item in body.get("data") or []:
            if comparable_text(str(item.get("message") or "")) == wanted:
                post_id = str(item["id"])
                return Published(CHANNEL, post_id, str(item.get("permalink_url") or self.post_url(post_id)))
        return None

    def metrics(self, remote_id: str) -> dict[str, int]:
        fields = "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
        body = self._call("GET", remote_id, params={"fields": fields}, write=False)

        def total(name: str) -> int:
            summary = (body.get(name) or {}).get("summary") or {}
            return int(summary.get("total_count") or 0)

        return {
            "reactions": total("reactions"),
            "comments": total("comments"),
            "shares": int((body.get("shares") or {}).get("count") or 0),
        }

    # --- Helpers -------------------------------------------------------------------------

    @staticmethod
    def message_for(post: Post) -> str:
        """With photos there is no link card: the link goes into the text."""
        return post.text_with_link() if post.images else post.text

    def post_url(self, post_id: str) -> str:
        page, _, story = post_id.partition("_")
        return (
            f"https://www.facebook.com/{page}/posts/{story}"
            if story
            else f"https://www.facebook.com/{post_id}"
        )

    def _create(self, post: Post, message: str) -> str:
        if not post.images:
            data = {"message": message}
            if post.link:
                data["link"] = post.link
            return str(self._call("POST", f"{self.page_id}/feed", data=data, write=True)["id"])
        if len(post.images) == 1:
            body = self._upload_photo(post.images[0], message=message, published=True)
            return str(body.get("post_id") or body["id"])
        media = [self._upload_photo(image, message=None, published=False)["id"] for image in post.images]
        data = {"message": message}
        for index, media_id in enumerate(media):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": str(media_id)})
        return str(self._call("POST", f"{self.page_id}/feed", data=data, write=True)["id"])

    def _upload_photo(self, image: Image, *, message: str | None, published: bool) -> dict[str, Any]:
        data = {"published": "true" if published else "false"}
        if message:
            data["message"] = message
        if image.alt:
            data["alt_text_custom"] = image.alt
        files = {"source": (image.filename, image.data, image.mime)}
        return self._call("POST", f"{self.page_id}/photos", data=data, files=files, write=published)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        write: bool,
    ) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, params=params, data=data, files=files)
        except httpx.HTTPError as exc:
            raise network_error(CHANNEL, exc, write=write, what=f"{method} {path}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            raise graph_error(response, body)
        return body


def graph_error(response: httpx.Response, body: Any) -> PublishError:
    """Graph's ``{"error": {"code", "error_subcode", "message", "is_transient"}}`` to PublishError."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    status = response.status_code
    code = int(error.get("code") or 0)
    subcode = error.get("error_subcode")
    message = str(error.get("message") or response.reason_phrase or "error")
    detail = f"HTTP {status} (#{code}{f'/{subcode}' if subcode else ''}) {message}"
    retry_after: float | None = None
    kind: ErrorKind
    if code in AUTH_CODES or 200 <= code <= 299:
        kind = "auth"
    elif code in RATE_CODES or 80000 <= code <= 80014 or status == 429:
        kind = "rate_limited"
        retry_after = parse_retry_after(response.headers.get("retry-after")) or regain_seconds(
            response.headers
        )
    elif error.get("is_transient") or code in TRANSIENT_CODES or status >= 500:
        kind = "unavailable"
    else:
        kind = "rejected"
    return PublishError(CHANNEL, kind, detail, retry_after=retry_after, code=str(code or status))


def regain_seconds(headers: httpx.Headers) -> float | None:
    """``estimated_time_to_regain_access`` (minutes) of X-Business-Use-Case-Usage / X-App-Usage."""
    longest: float | None = None
    for name in ("x-business-use-case-usage", "x-app-usage", "x-page-usage", "x-ad-account-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        entries: list[Any] = []
        if isinstance(usage, dict):
            for value in usage.values():
                entries.extend(value if isinstance(value, list) else [])
            entries.append(usage)
        for entry in entries:
            minutes = entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else None
            if isinstance(minutes, int | float) and (longest is None or minutes * 60 > longest):
                longest = float(minutes) * 60
    return longest

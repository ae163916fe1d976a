"""Posts on the movement's WordPress site through the REST API (``/wp-json/wp/v2``), with httpx
and an Application Password (HTTP Basic auth, WordPress ≥ 5.6).

- images: ``POST /wp/v2/media`` (multipart ``file`` and ``alt_text``); the first one becomes the
  featured image, the others image blocks after the text;
- post: ``POST /wp/v2/posts`` with ``title``, ``content`` (paragraph blocks), ``slug``,
  ``status`` draft | pending | future | publish (``future`` with ``date_gmt`` when the post has
  ``publish_at``).

Idempotency: the slug ends with a digest of our key, and ``publish`` first looks the slug up
(``GET /wp/v2/posts?slug=…&status=any``): a second call with the same key returns the post
already made. Synchronous: the bot runs it with ``asyncio.to_thread``. WordPress keeps no
counters: ``metrics`` is ``{}``.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from datetime import UTC
from typing import Any, ClassVar, Literal

import httpx
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.communication import limits
from integrations.publishing._net import network_error
from integrations.publishing.base import (
    ErrorKind,
    Image,
    Post,
    Published,
    PublishError,
    key_digest,
    parse_retry_after,
)

log = logging.getLogger(__name__)

CHANNEL = "wordpress"
WpStatus = Literal["draft", "pending", "future", "publish"]
AUTH_CODES = frozenset(
    {
        "incorrect_password",
        "invalid_username",
        "invalid_email",
        "rest_not_logged_in",
        "application_passwords_disabled",
    }
)


class WordPressSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORDPRESS_", env_file=".env", extra="ignore")

    url: str = ""  # the site root, e.g. https://anld.fr
    user: str = ""
    app_password: SecretStr = SecretStr("")
    status: WpStatus = "publish"
    timeout: float = 60.0


def slug_for(post: Post, key: str) -> str:
    """``title-words-<digest of key>``: readable, ASCII, and ours alone (WordPress keeps it as sent)."""
    source = post.title or post.text
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(words) > 60:
        words = words[:60].rsplit("-", 1)[0]
    return f"{words}-{key_digest(key, 8)}" if words else f"post-{key_digest(key, 8)}"


def title_for(post: Post) -> str:
    if post.title:
        return post.title
    first = post.text.strip().split("\n", 1)[0]
    cut, _ = limits.fit("facebook", first, max_length=80)
    return cut


def content_for(post: Post, extra_images: list[tuple[int, str, str]]) -> str:
    """Paragraph blocks (links made clickable), then image blocks, then the link if not in the text."""
    blocks = [_paragraph(p) for p in re.split(r"\n\s*\n", post.text.strip()) if p.strip()]
    for media_id, source_url, alt in extra_images:
        blocks.append(
            f'<!-- wp:image {{"id":{media_id}}} -->\n<figure class="wp-block-image"><img src="{html.escape(source_url)}" '
            f'alt="{html.escape(alt)}" class="wp-image-{media_id}"/></figure>\n<!-- /wp:image -->'
        )
    if post.link and post.link not in post.text:
        blocks.append(_paragraph(post.link))
    return "\n\n".join(blocks)


def _paragraph(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for start, end in limits.url_spans(text):
        url = text[start:end]
        href = url if re.match(r"https?://", url, re.IGNORECASE) else f"https://{url}"
        pieces += [html.escape(text[position:start]), f'<a href="{html.escape(href)}">{html.escape(url)}</a>']
        position = end
    pieces.append(html.escape(text[position:]))
    body = "".join(pieces).strip().replace("\n", "<br>")
    return f"<!-- wp:paragraph -->\n<p>{body}</p>\n<!-- /wp:paragraph -->"


class WordPressPublisher:
    """Publishes on one WordPress site; blocking calls (use ``asyncio.to_thread``)."""

    channel: ClassVar[str] = CHANNEL
    retry_safe: ClassVar[bool] = True  # the slug is looked up before creating

    def __init__(self, settings: WordPressSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        if not settings.url or not settings.user or not settings.app_password.get_secret_value():
            raise ValueError("WORDPRESS_URL, WORDPRESS_USER and WORDPRESS_APP_PASSWORD are required")
        self.settings = settings
        self._http = httpx.Client(
            base_url=settings.url.rstrip("/") + "/wp-json/wp/v2/",
            auth=(settings.user, settings.app_password.get_secret_value()),
            timeout=httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    # --- Contract ------------------------------------------------------------------------

    def publish(self, post: Post, key: str, *, status: WpStatus | None = None) -> Published:
        found = self.find(key, post)
        if found is not None:
            return found
        uploaded = [self._upload(image) for image in post.images]
        chosen: WpStatus = status or self.settings.status
        body: dict[str, Any] = {
            "title": title_for(post),
            "content": content_for(
                post, [(m["id"], m.get("source_url", ""), m.get("alt_text", "")) for m in uploaded[1:]]
            ),
            "slug": slug_for(post, key),
            "status": chosen,
        }
        if post.publish_at is not None:
            body["date_gmt"] = (
                post.publish_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
            )
            if chosen == "publish":
                body["status"] = "future"  # WordPress publishes at once if the date is already past
        if uploaded:
            body["featured_media"] = uploaded[0]["id"]
        created = self._call("POST", "posts", json=body, write=True)
        log.info("wordpress: created post %s (%s)", created.get("id"), created.get("status"))
        return Published(CHANNEL, str(created["id"]), str(created.get("link") or ""))

    def find(self, key: str, post: Post) -> Published | None:
        """The post under our slug, whatever its status (draft, scheduled, published)."""
        items = self._call(
            "GET",
            "posts",
            params={
                "slug": slug_for(post, key),
                "status": "any",
                "context": "edit",
                "_fields": "id,link,status,slug",
            },
            write=False,
        )
        if isinstance(items, list) and items:
            return Published(CHANNEL, str(items[0]["id"]), str(items[0].get("link") or ""))
        return None

    def metrics(self, remote_id: str) -> dict[str, int]:
        return {}

    # --- Helpers -------------------------------------------------------------------------

    def _upload(self, image: Image) -> dict[str, Any]:
        data = {"alt_text": image.alt} if image.alt else {}
        files = {"file": (image.filename, image.data, image.mime)}
        result = self._call("POST", "media", data=data, files=files, write=False)
        if not isinstance(result, dict) or "id" not in result:
            raise PublishError(CHANNEL, "unavailable", "media: unexpected answer")
        return result

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        write: bool,
    ) -> Any:
        try:
            response = self._http.request(method, path, params=params, json=json, data=data, files=files)
        except httpx.HTTPError as exc:
            raise network_error(CHANNEL, exc, write=write, what=f"{method} {path}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            raise wp_error(response, body, f"{method} {path}")
        return body


def wp_error(response: httpx.Response, body: Any, what: str) -> PublishError:
    """WordPress's ``{"code", "message", "data": {"status"}}`` to PublishError."""
    status = response.status_code
    code = str(body.get("code") or status) if isinstance(body, dict) else str(status)
    message = str(body.get("message") or "") if isinstance(body, dict) else response.reason_phrase
    detail = f"{what}: HTTP {status} {code} {html.unescape(message)}".rstrip()
    kind: ErrorKind
    retry_after = None
    if status == 429:
        kind, retry_after = "rate_limited", parse_retry_after(response.headers.get("retry-after"))
    elif status in (401, 403) or code in AUTH_CODES:
        kind = "auth"  # bad or revoked application password, or a role without the right
    elif status >= 500:
        kind = "unavailable"
    else:
        kind = "rejected"
    return PublishError(CHANNEL, kind, detail, retry_after=retry_after, code=code)

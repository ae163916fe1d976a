"""A fake WordPress REST API (``/wp-json/wp/v2``): posts (draft, pending, future, publish; slug
lookup with ``status=any``), media upload, Basic auth with Application Passwords (spaces ignored,
as WordPress does), and WordPress's ``{"code", "message", "data": {"status"}}`` errors.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.platforms.server import FakePlatform, HttpError, RecordedRequest, Response

_STATUSES = {"draft", "pending", "future", "publish", "private"}
_CODES = {
    400: "rest_invalid_param",
    401: "rest_not_logged_in",
    403: "rest_forbidden",
    404: "rest_no_route",
    429: "too_many_requests",
    500: "internal_server_error",
    503: "service_unavailable",
}


@dataclass
class WpMedia:
    id: int
    filename: str | None
    data: bytes
    mime: str
    alt: str

    def source_url(self, root: str) -> str:
        return f"{root}/wp-content/uploads/2026/03/{self.filename or self.id}"


@dataclass
class WpPost:
    id: int
    title: str
    content: str
    slug: str
    status: str
    date_gmt: datetime
    featured_media: int = 0
    author: int = 1


class FakeWordPress(FakePlatform):
    """``url`` is WORDPRESS_URL; ``user`` logs in with ``app_password`` until ``revoke``."""

    def __init__(self, user: str = "coordo", app_password: str = "abcd EFGH 1234 ijkl MNOP 5678") -> None:
        self.user = user
        self.app_passwords = {app_password.replace(" ", "")}
        self.posts: dict[int, WpPost] = {}
        self.media: dict[int, WpMedia] = {}
        self._ids = itertools.count(101)
        super().__init__()

    def revoke(self, app_password: str) -> None:
        self.app_passwords.discard(app_password.replace(" ", ""))

    # --- Platform ------------------------------------------------------------------------

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        code = str(extra.get("code") or _CODES.get(status, "rest_error"))
        return Response(status, {"code": code, "message": message, "data": {"status": status}})

    def authenticate(self, req: RecordedRequest) -> Response | None:
        credentials = req.basic
        if credentials is None:
            if (
                req.method == "GET"
                and (req.param("status") in (None, "publish"))
                and req.param("context") != "edit"
            ):
                return None  # anyone may read published posts
            return self.error_response(401, "Sorry, you are not allowed to do that.", code="rest_forbidden")
        user, password = credentials
        if user != self.user:
            return self.error_response(
                401, "Unknown username. Check again or try your email address.", code="invalid_username"
            )
        if password.replace(" ", "") not in self.app_passwords:
            return self.error_response(
                401, "The provided password is an invalid application password.", code="incorrect_password"
            )
        return None

    def routes(self) -> list[tuple[str, str, Any]]:
        base = r"/wp-json/wp/v2"
        return [
            ("GET", base + r"/posts/?", self._list_posts),
            ("POST", base + r"/posts/?", self._create_post),
            ("GET", base + r"/posts/(?P<post_id>[0-9]+)/?", self._get_post),
            ("POST", base + r"/media/?", self._upload),
        ]

    def _link(self, post: WpPost) -> str:
        if post.status in ("publish", "private"):
            return f"{self.url}/{post.date_gmt:%Y/%m}/{post.slug}/"
        return f"{self.url}/?p={post.id}"

    def _json(self, post: WpPost) -> dict[str, Any]:
        return {
            "id": post.id,
            "date": post.date_gmt.isoformat(timespec="seconds").replace("+00:00", ""),
            "date_gmt": post.date_gmt.isoformat(timespec="seconds").replace("+00:00", ""),
            "slug": post.slug,
            "status": post.status,
            "type": "post",
            "link": self._link(post),
            "title": {"raw": post.title, "rendered": post.title},
            "content": {"raw": post.content, "rendered": post.content, "protected": False},
            "author": post.author,
            "featured_media": post.featured_media,
        }

    def _list_posts(self, req: RecordedRequest) -> list[dict[str, Any]]:
        status = req.param("status") or "publish"
        wanted = _STATUSES - {"private"} if status == "any" else set(status.split(","))
        slugs = set((req.param("slug") or "").split(",")) - {""}
        items = [
            p
            for p in sorted(self.posts.values(), key=lambda p: p.date_gmt, reverse=True)
            if p.status in wanted and (not slugs or p.slug in slugs)
        ]
        fields = set((req.param("_fields") or "").split(",")) - {""}
        return [{k: v for k, v in self._json(p).items() if not fields or k in fields} for p in items]

    def _get_post(self, req: RecordedRequest, post_id: str) -> dict[str, Any]:
        post = self.posts.get(int(post_id))
        if post is None:
            raise HttpError(404, "Invalid post ID.", code="rest_post_invalid_id")
        return self._json(post)

    def _create_post(self, req: RecordedRequest) -> Response:
        body = req.json or {}
        status = str(body.get("status") or "draft")
        if status not in _STATUSES:
            raise HttpError(400, "Invalid parameter(s): status", code="rest_invalid_param")
        if not (body.get("title") or body.get("content")):
            raise HttpError(400, "Content, title, and excerpt are empty.", code="empty_content")
        now = datetime.now(UTC)
        date = now
        if body.get("date_gmt"):
            date = datetime.fromisoformat(str(body["date_gmt"])).replace(tzinfo=UTC)
        if status == "future" and date <= now:
            status = "publish"  # wp_insert_post: a "future" date already past is published at once
        elif status == "publish" and date > now:
            status = "future"
        featured = int(body.get("featured_media") or 0)
        if featured and featured not in self.media:
            raise HttpError(400, "Invalid featured media ID.", code="rest_invalid_featured_media")
        slug = str(body.get("slug") or "")
        if slug and status in ("publish", "future"):
            taken = {p.slug for p in self.posts.values() if p.status in ("publish", "future")}
            base, n = slug, 2
            while slug in taken:  # wp_unique_post_slug
                slug, n = f"{base}-{n}", n + 1
        post = WpPost(
            next(self._ids),
            str(body.get("title") or ""),
            str(body.get("content") or ""),
            slug,
            status,
            date,
            featured,
        )
        self.posts[post.id] = post
        return Response(201, self._json(post))

    def _upload(self, req: RecordedRequest) -> Response:
        file = next((p for p in req.parts() if p.name == "file"), None)
        if file is None or not file.data:
            raise HttpError(400, "No data supplied.", code="rest_upload_no_data")
        if not re.match(r"image/(jpeg|png|gif|webp)$", file.content_type):
            raise HttpError(
                400, "Sorry, you are not allowed to upload this file type.", code="rest_upload_sideload_error"
            )
        alt = (req.fields().get("alt_text") or [""])[-1]
        media = WpMedia(next(self._ids), file.filename, file.data, file.content_type, alt)
        self.media[media.id] = media
        return Response(
            201,
            {
                "id": media.id,
                "date_gmt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
                "slug": (file.filename or str(media.id)).rsplit(".", 1)[0],
                "media_type": "image",
                "mime_type": media.mime,
                "alt_text": alt,
                "source_url": media.source_url(self.url),
            },
        )

"""A fake Mastodon instance for one account: instance info (v1 and v2, as Mastodon.py reads
them), verify_credentials, media upload v2 with asynchronous processing, statuses with the
Idempotency-Key honoured, counters, and Mastodon's errors (401 on a revoked token, 422 on
content, 429 with X-RateLimit-Reset).
"""

from __future__ import annotations

import html
import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.platforms.server import FakePlatform, HttpError, RecordedRequest, Response

VERSION = "4.4.3"
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»]")
_SCHEME_URL_LENGTH = 23


@dataclass
class MastoMedia:
    id: str
    data: bytes
    mime: str
    filename: str | None
    description: str | None
    polls_left: int  # GETs still answered "processing"

    @property
    def processed(self) -> bool:
        return self.polls_left <= 0


@dataclass
class MastoStatus:
    id: str
    text: str
    created: float
    visibility: str
    language: str | None
    media_ids: list[str] = field(default_factory=list)
    idempotency_key: str | None = None
    favourites: int = 0
    reblogs: int = 0
    replies: int = 0


class FakeMastodon(FakePlatform):
    """``url`` is MASTODON_BASE_URL; ``token`` is valid until ``revoke``."""

    def __init__(
        self,
        token: str = "masto-token",
        *,
        username: str = "anld",
        max_characters: int = 500,
        processing_polls: int = 1,
        idempotency_ttl: float = 3600.0,
    ) -> None:
        self.tokens = {token}
        self.revoked: set[str] = set()
        self.username = username
        self.account_id = "109876543210"
        self.max_characters = max_characters
        self.processing_polls = processing_polls
        self.idempotency_ttl = idempotency_ttl
        self.statuses: dict[str, MastoStatus] = {}
        self.media: dict[str, MastoMedia] = {}
        self._idempotency: dict[str, tuple[str, float]] = {}
        self._ids = itertools.count(113000000000000001)
        super().__init__()

    # --- Test helpers --------------------------------------------------------------------

    def revoke(self, token: str) -> None:
        self.revoked.add(token)

    def rate_limit(self, seconds: int = 120, times: int = 1) -> None:
        reset = datetime.now(UTC) + timedelta(seconds=seconds)
        headers = {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        }
        self.inject(429, times=times, headers=headers, message="Too many requests")

    def interact(self, status_id: str, favourites: int = 0, reblogs: int = 0, replies: int = 0) -> None:
        status = self.statuses[status_id]
        status.favourites += favourites
        status.reblogs += reblogs
        status.replies += replies

    @property
    def timeline(self) -> list[MastoStatus]:
        return sorted(self.statuses.values(), key=lambda s: int(s.id), reverse=True)

    # --- Platform ------------------------------------------------------------------------

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        return Response(status, {"error": message})

    def authenticate(self, req: RecordedRequest) -> Response | None:
        if re.fullmatch(r"/api/v[12]/instance/?", req.path):
            return None
        token = req.bearer
        if token in self.revoked:
            return self.error_response(401, "The access token was revoked")
        if token not in self.tokens:
            return self.error_response(401, "The access token is invalid")
        return None

    def routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", r"/api/v1/instance/?", self._instance_v1),
            ("GET", r"/api/v2/instance/?", self._instance_v2),
            ("GET", r"/api/v1/accounts/verify_credentials/?", lambda req: self._account()),
            ("GET", r"/api/v1/accounts/(?P<account>[0-9]+)/statuses/?", self._account_statuses),
            ("POST", r"/api/v[12]/media/?", self._post_media),
            ("GET", r"/api/v1/media/(?P<media_id>[0-9]+)/?", self._get_media),
            ("POST", r"/api/v1/statuses/?", self._post_status),
            ("GET", r"/api/v1/statuses/(?P<status_id>[0-9]+)/?", self._get_status),
        ]

    def _domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _configuration(self) -> dict[str, Any]:
        return {
            "urls": {"streaming": f"ws://{self._domain()}"},
            "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
            "statuses": {
                "max_characters": self.max_characters,
                "max_media_attachments": 4,
                "characters_reserved_per_url": _SCHEME_URL_LENGTH,
            },
            "media_attachments": {
                "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
                "image_size_limit": 16777216,
                "image_matrix_limit": 33177600,
                "description_limit": 1500,
            },
            "polls": {"max_options": 4, "max_characters_per_option": 50},
        }

    def _instance_v1(self, req: RecordedRequest) -> dict[str, Any]:
        return {
            "uri": self._domain(),
            "title": "Fake Mastodon",
            "short_description": "",
            "description": "",
            "email": "admin@example.org",
            "version": VERSION,
            "urls": {"streaming_api": f"ws://{self._domain()}"},
            "stats": {"user_count": 1, "status_count": len(self.statuses), "domain_count": 1},
            "languages": ["fr"],
            "registrations": False,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": self._configuration(),
            "rules": [],
        }

    def _instance_v2(self, req: RecordedRequest) -> dict[str, Any]:
        return {
            "domain": self._domain(),
            "title": "Fake Mastodon",
            "version": VERSION,
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "",
            "usage": {"users": {"active_month": 1}},
            "thumbnail": {"url": f"{self.url}/thumb.png"},
            "languages": ["fr"],
            "configuration": self._configuration(),
            "registrations": {"enabled": False, "approval_required": False, "message": None},
            "api_versions": {"mastodon": 6},
            "contact": {"email": "admin@example.org", "account": None},
            "rules": [],
        }

    def _account(self) -> dict[str, Any]:
        return {
            "id": self.account_id,
            "username": self.username,
            "acct": self.username,
            "display_name": "À nous la démocratie !",
            "locked": False,
            "bot": False,
            "group": False,
            "created_at": "2024-01-01T00:00:00.000Z",
            "note": "",
            "url": f"{self.url}/@{self.username}",
            "avatar": f"{self.url}/avatar.png",
            "header": f"{self.url}/header.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": len(self.statuses),
            "emojis": [],
            "fields": [],
        }

    def _media_json(self, media: MastoMedia) -> dict[str, Any]:
        url = f"{self.url}/system/media/{media.id}.bin" if media.processed else None
        return {
            "id": media.id,
            "type": "image",
            "url": url,
            "preview_url": url,
            "remote_url": None,
            "description": media.description,
            "blurhash": None,
            "meta": {},
        }

    def _post_media(self, req: RecordedRequest) -> Response:
        file = next((p for p in req.parts() if p.name == "file"), None)
        if file is None or not file.data:
            raise HttpError(422, "Validation failed: File can't be blank")
        if not file.content_type.startswith("image/"):
            raise HttpError(422, f"Validation failed: File content type is invalid ({file.content_type})")
        description = req.field("description")
        media = MastoMedia(
            str(next(self._ids)),
            file.data,
            file.content_type,
            file.filename,
            description,
            self.processing_polls,
        )
        self.media[media.id] = media
        return Response(202 if not media.processed else 200, self._media_json(media))

    def _get_media(self, req: RecordedRequest, media_id: str) -> Response:
        media = self.media.get(media_id)
        if media is None:
            raise HttpError(404, "Record not found")
        if not media.processed:
            body = self._media_json(media)
            media.polls_left -= 1
            return Response(206, body)
        return Response(200, self._media_json(media))

    def _post_status(self, req: RecordedRequest) -> Response:
        key = req.headers.get("idempotency-key")
        now = time.time()
        if key:
            seen = self._idempotency.get(key)
            if seen and now - seen[1] < self.idempotency_ttl and seen[0] in self.statuses:
                return Response(200, self._status_json(self.statuses[seen[0]]))
        fields = req.fields()
        text = (fields.get("status") or [""])[-1]
        media_ids = fields.get("media_ids[]", [])
        if not text.strip() and not media_ids:
            raise HttpError(422, "Validation failed: Text can't be blank")
        if countable_length(text) > self.max_characters:
            raise HttpError(422, f"Validation failed: Text character limit of {self.max_characters} exceeded")
        if len(media_ids) > 4:
            raise HttpError(422, "Validation failed: Media attachments are too many (maximum is 4)")
        for media_id in media_ids:
            media = self.media.get(media_id)
            if media is None:
                raise HttpError(422, "Validation failed: Media attachments are invalid")
            if not media.processed:
                raise HttpError(
                    422, "Cannot attach files that have not finished processing. Try again in a moment!"
                )
        status = MastoStatus(
            str(next(self._ids)),
            text,
            now,
            (fields.get("visibility") or ["public"])[-1],
            req.field("language"),
            list(media_ids),
            key,
        )
        self.statuses[status.id] = status
        if key:
            self._idempotency[key] = (status.id, now)
        return Response(200, self._status_json(status))

    def _get_status(self, req: RecordedRequest, status_id: str) -> dict[str, Any]:
        status = self.statuses.get(status_id)
        if status is None:
            raise HttpError(404, "Record not found")
        return self._status_json(status)

    def _account_statuses(self, req: RecordedRequest, account: str) -> list[dict[str, Any]]:
        if account != self.account_id:
            raise HttpError(404, "Record not found")
        limit = min(40, int(req.param("limit") or 20))
        return [self._status_json(s) for s in self.timeline[:limit]]

    def _status_json(self, status: MastoStatus) -> dict[str, Any]:
        created = datetime.fromtimestamp(status.created, UTC).isoformat(timespec="milliseconds")
        return {
            "id": status.id,
            "uri": f"{self.url}/users/{self.username}/statuses/{status.id}",
            "url": f"{self.url}/@{self.username}/{status.id}",
            "created_at": created.replace("+00:00", "Z"),
            "account": self._account(),
            "content": render_html(status.text),
            "visibility": status.visibility,
            "sensitive": False,
            "spoiler_text": "",
            "media_attachments": [self._media_json(self.media[m]) for m in status.media_ids],
            "application": {"name": "coordo", "website": None},
            "mentions": [],
            "tags": [],
            "emojis": [],
            "reblogs_count": status.reblogs,
            "favourites_count": status.favourites,
            "replies_count": status.replies,
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "reblog": None,
            "poll": None,
            "card": None,
            "language": status.language,
            "text": None,
            "edited_at": None,
        }


def countable_length(text: str) -> int:
    """Mastodon's count, simplified: each scheme URL counts 23, other characters one each."""
    return len(_URL.sub("x" * _SCHEME_URL_LENGTH, text))


def render_html(text: str) -> str:
    """Mastodon's plain-text formatting: paragraphs, <br />, and links split into spans."""

    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        scheme, _, rest = url.partition("://")
        shown, hidden = rest[:30], rest[30:]
        ellipsis = ' class="ellipsis"' if hidden else ""
        return (
            f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
            f'<span class="invisible">{scheme}://</span><span{ellipsis}>{html.escape(shown)}</span>'
            f'<span class="invisible">{html.escape(hidden)}</span></a>'
        )

    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p]
    rendered = []
    for paragraph in paragraphs:
        pieces, position = [], 0
        for match in _URL.finditer(paragraph):
            pieces.append(html.escape(paragraph[position : match.start()], quote=False))
            pieces.append(link(match))
            position = match.end()
        pieces.append(html.escape(paragraph[position:], quote=False))
        rendered.append("<p>" + "".join(pieces).replace("\n", "<br />") + "</p>")
    return "".join(rendered)

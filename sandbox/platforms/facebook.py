"""A fake Graph API for one Facebook Page: feed posts, photos (published or not, attached_media),
the Page's posts list, counters, and Graph's error envelope (190 for a revoked token).
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.platforms.server import FakePlatform, HttpError, Part, RecordedRequest, Response

_VERSION = r"/v\d+\.\d+"


@dataclass
class FbPhoto:
    id: str
    filename: str | None
    data: bytes
    mime: str
    alt: str
    published: bool


@dataclass
class FbPost:
    id: str
    message: str
    created: float
    link: str | None = None
    photos: list[str] = field(default_factory=list)
    reactions: int = 0
    comments: int = 0
    shares: int = 0


class FakeGraph(FakePlatform):
    """``url + "/v23.0"`` is FACEBOOK_GRAPH_URL. Tokens in ``tokens`` are valid until revoked."""

    def __init__(self, page_id: str = "1000001", token: str = "page-token") -> None:
        self.page_id = page_id
        self.tokens = {token}
        self.revoked: set[str] = set()
        self.posts: dict[str, FbPost] = {}
        self.photos: dict[str, FbPhoto] = {}
        self._ids = itertools.count(5001)
        super().__init__()

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v23.0"

    # --- Test helpers --------------------------------------------------------------------

    def revoke(self, token: str) -> None:
        self.revoked.add(token)

    def react(self, post_id: str, reactions: int = 0, comments: int = 0, shares: int = 0) -> None:
        post = self.posts[post_id]
        post.reactions += reactions
        post.comments += comments
        post.shares += shares

    def rate_limit(self, minutes: int = 5, times: int = 1) -> None:
        """The Page's business-use-case limit: HTTP 400, code 32, and the usage header."""
        usage = {
            self.page_id: [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 30,
                    "total_time": 40,
                    "estimated_time_to_regain_access": minutes,
                }
            ]
        }
        body = _graph_error(32, "Page request limit reached", "OAuthException")
        self.inject(400, times=times, body=body, headers={"X-Business-Use-Case-Usage": json.dumps(usage)})

    @property
    def feed(self) -> list[FbPost]:
        """Visible posts, newest first."""
        return sorted(self.posts.values(), key=lambda p: p.created, reverse=True)

    # --- Platform ------------------------------------------------------------------------

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        code = int(extra.get("code") or {400: 100, 404: 803, 500: 1, 503: 2}.get(status, 1))
        body = _graph_error(code, message, str(extra.get("type") or "OAuthException"), extra.get("subcode"))
        if status >= 500:
            body["error"]["is_transient"] = True
        return Response(
            status, body, {"WWW-Authenticate": 'OAuth "Facebook Platform"'} if code == 190 else {}
        )

    def authenticate(self, req: RecordedRequest) -> Response | None:
        token = req.bearer or req.param("access_token") or req.field("access_token")
        if not token:
            return self.error_response(400, "An active access token must be used.", code=2500)
        if token in self.revoked:
            return self.error_response(
                400,
                "Error validating access token: The session has been invalidated because the user "
                "changed their password or Facebook has changed the session for security reasons.",
                code=190,
                subcode=460,
            )
        if token not in self.tokens:
            return self.error_response(
                400, "Invalid OAuth access token - Cannot parse access token", code=190
            )
        return None

    def routes(self) -> list[tuple[str, str, Any]]:
        page = rf"{_VERSION}/(?P<page>[0-9]+)"
        return [
            ("POST", rf"{page}/feed", self._post_feed),
            ("POST", rf"{page}/photos", self._post_photo),
            ("GET", rf"{page}/(?:posts|feed|published_posts)", self._list_posts),
            ("GET", rf"{_VERSION}/(?P<node>[0-9_]+)", self._get_node),
        ]

    def _check_page(self, page: str) -> None:
        if page != self.page_id:
            raise HttpError(
                400, "(#200) The user hasn't authorized the application to perform this action", code=200
            )

    def _new_post(self, message: str, link: str | None, photos: list[str]) -> FbPost:
        if message and self.feed and self.feed[0].message == message and not photos:
            raise HttpError(400, "Duplicate status message", code=506, type="FacebookApiException")
        post = FbPost(f"{self.page_id}_{next(self._ids)}", message, time.time(), link, photos)
        self.posts[post.id] = post
        return post

    def _post_feed(self, req: RecordedRequest, page: str) -> dict[str, Any]:
        self._check_page(page)
        fields = {k: v[-1] for k, v in req.fields().items()}
        attached = []
        for name in sorted(k for k in fields if k.startswith("attached_media[")):
            try:
                media_fbid = str(json.loads(fields[name])["media_fbid"])
            except (ValueError, KeyError, TypeError) as exc:
                raise HttpError(400, f"(#100) Invalid parameter {name}", code=100) from exc
            photo = self.photos.get(media_fbid)
            if photo is None or photo.published:
                raise HttpError(
                    400, "(#100) attached_media must be unpublished photos of this Page", code=100
                )
            attached.append(media_fbid)
        message = fields.get("message", "")
        if not message and not attached and not fields.get("link"):
            raise HttpError(400, "(#100) Missing message or attachment", code=100)
        if len(message) > 63206:
            raise HttpError(400, "(#100) Param message must be at most 63206 characters long.", code=100)
        post = self._new_post(message, fields.get("link"), attached)
        for media_fbid in attached:
            self.photos[media_fbid].published = True
        return {"id": post.id}

    def _post_photo(self, req: RecordedRequest, page: str) -> dict[str, Any]:
        self._check_page(page)
        fields = {k: v[-1] for k, v in req.fields().items()}
        source: Part | None = next((p for p in req.parts() if p.name == "source"), None)
        if source is None or not source.data:
            raise HttpError(400, "(#324) Requires upload file", code=324)
        if not source.content_type.startswith("image/"):
            raise HttpError(400, "(#324) Missing or invalid image file", code=324)
        published = fields.get("published", "true") != "false"
        photo = FbPhoto(
            str(next(self._ids)),
            source.filename,
            source.data,
            source.content_type,
            fields.get("alt_text_custom", ""),
            published,
        )
        self.photos[photo.id] = photo
        if not published:
            return {"id": photo.id}
        post = self._new_post(fields.get("message", ""), None, [photo.id])
        return {"id": photo.id, "post_id": post.id}

    def _list_posts(self, req: RecordedRequest, page: str) -> dict[str, Any]:
        self._check_page(page)
        limit = min(100, int(req.param("limit") or 25))
        since = float(req.param("since") or 0)
        items = [p for p in self.feed if p.created >= since][:limit]
        return {
            "data": [
                {
                    "id": p.id,
                    "message": p.message,
                    "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(p.created)),
                    "permalink_url": f"https://www.facebook.com/{p.id.replace('_', '/posts/')}",
                }
                for p in items
                if p.message
            ],
            "paging": {},
        }

    def _get_node(self, req: RecordedRequest, node: str) -> dict[str, Any]:
        post = self.posts.get(node)
        if post is None:
            raise HttpError(
                400,
                f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded "
                "due to missing permissions, or does not support this operation.",
                code=100,
                subcode=33,
            )
        fields = req.param("fields") or "id,message"
        out: dict[str, Any] = {"id": post.id}
        if "message" in fields:
            out["message"] = post.message
        if "reactions" in fields:
            out["reactions"] = {
                "data": [],
                "summary": {"total_count": post.reactions, "viewer_reaction": "NONE"},
            }
        if "comments" in fields:
            out["comments"] = {
                "data": [],
                "summary": {"order": "ranked", "total_count": post.comments, "can_comment": True},
            }
        if "shares" in fields and post.shares:
            out["shares"] = {"count": post.shares}  # Graph leaves the field out at zero
        return out


def _graph_error(code: int, message: str, type_: str, subcode: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": type_, "code": code, "fbtrace_id": "AFakeTraceId"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}

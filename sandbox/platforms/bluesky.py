"""A fake Bluesky PDS for one account: sessions (JWTs with ``exp``, refresh, app passwords that
can be revoked), uploadBlob, createRecord (record key checked as a TID; an existing key refused
with a 500 like the reference PDS), getRecord, and the AppView's getPosts counters, with XRPC
errors (``ExpiredToken``, ``AuthenticationRequired``, ``RateLimitExceeded``...).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import regex

from sandbox.platforms.server import FakePlatform, HttpError, RecordedRequest, Response

_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_XRPC_NAMES = {
    400: "InvalidRequest",
    401: "AuthenticationRequired",
    404: "NotFound",
    429: "RateLimitExceeded",
}


def cid_for(data: bytes, codec: int = 0x55) -> str:
    """A CIDv1 (raw or dag-cbor codec, sha2-256), base32 lower case as atproto prints them."""
    raw = bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def sniff(data: bytes) -> str | None:
    """The image types a PDS recognises by their first bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@dataclass
class Blob:
    cid: str
    mime: str
    data: bytes


@dataclass
class BskyRecord:
    rkey: str
    value: dict[str, Any]
    cid: str
    indexed: float
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0


class FakeBlueskyPDS(FakePlatform):
    """``url`` is BLUESKY_SERVICE_URL. ``app_password`` logs ``handle`` in until revoked."""

    def __init__(
        self,
        handle: str = "anld.bsky.social",
        app_password: str = "abcd-efgh-ijkl-mnop",
        *,
        access_ttl: float = 7200.0,
        did: str = "did:plc:fakeanld0000000000000000",
    ) -> None:
        self.handle = handle
        self.did = did
        self.app_passwords = {app_password}
        self.access_ttl = access_ttl
        self.access_tokens: dict[str, float] = {}  # jti -> exp
        self.refresh_tokens: set[str] = set()
        self.blobs: dict[str, Blob] = {}
        self.records: dict[str, BskyRecord] = {}
        self._rev = itertools.count(1)
        super().__init__()

    # --- Test helpers --------------------------------------------------------------------

    def revoke_app_password(self, password: str, *, sessions_too: bool = True) -> None:
        """Like deleting an app password: its refresh tokens die; access tokens too if asked
        (a real PDS lets them run to their ``exp``, at most two hours)."""
        self.app_passwords.discard(password)
        self.refresh_tokens.clear()
        if sessions_too:
            self.access_tokens.clear()

    def expire_access_tokens(self) -> None:
        for jti in self.access_tokens:
            self.access_tokens[jti] = time.time() - 1

    def rate_limit(self, seconds: int = 60, times: int = 1, path: str | None = None) -> None:
        reset = int(time.time()) + seconds
        headers = {
            "RateLimit-Limit": "5000",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": "5000;w=3600",
        }
        self.inject(429, times=times, headers=headers, path=path, message="Rate Limit Exceeded")

    def interact(
        self, rkey: str, likes: int = 0, reposts: int = 0, replies: int = 0, quotes: int = 0
    ) -> None:
        record = self.records[rkey]
        record.likes += likes
        record.reposts += reposts
        record.replies += replies
        record.quotes += quotes

    def uri(self, rkey: str) -> str:
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"

    # --- Platform ------------------------------------------------------------------------

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        name = str(extra.get("error") or _XRPC_NAMES.get(status) or "InternalServerError")
        if status >= 500:  # the reference PDS never details a 500
            name, message = "InternalServerError", "Internal Server Error"
        return Response(status, {"error": name, "message": message})

    def _token(self, *, payload: dict[str, Any]) -> str:
        header = {
            "typ": "at+jwt" if payload["scope"] != "com.atproto.refresh" else "refresh+jwt",
            "alg": "ES256K",
        }
        body = _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(payload).encode())
        return body + "." + _b64url(secrets.token_bytes(32))

    def _new_session(self) -> dict[str, Any]:
        now = int(time.time())
        access_jti = secrets.token_hex(8)
        refresh_jti = secrets.token_hex(8)
        exp = now + int(self.access_ttl)
        self.access_tokens[access_jti] = exp
        self.refresh_tokens.add(refresh_jti)
        common = {"sub": self.did, "iat": now, "aud": f"did:web:127.0.0.1%3A{self.port}"}
        access = self._token(
            payload={**common, "scope": "com.atproto.appPass", "exp": exp, "jti": access_jti}
        )
        refresh = self._token(
            payload={**common, "scope": "com.atproto.refresh", "exp": now + 90 * 86400, "jti": refresh_jti}
        )
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": self.handle,
            "did": self.did,
            "active": True,
        }

    @staticmethod
    def _claims(token: str) -> dict[str, Any] | None:
        try:
            payload = token.split(".")[1]
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def authenticate(self, req: RecordedRequest) -> Response | None:
        method = req.path.removeprefix("/xrpc/")
        if method == "com.atproto.server.createSession":
            return None
        token = req.bearer
        claims = self._claims(token) if token else None
        if claims is None:
            return self.error_response(401, "Authentication Required", error="AuthMissing")
        refresh = claims.get("scope") == "com.atproto.refresh"
        if method == "com.atproto.server.refreshSession":
            if not refresh or claims.get("jti") not in self.refresh_tokens:
                return self.error_response(400, "Token has been revoked", error="ExpiredToken")
            return None
        if refresh:
            return self.error_response(400, "Bad token scope", error="InvalidToken")
        exp = self.access_tokens.get(str(claims.get("jti")))
        if exp is None:
            return self.error_response(401, "Token could not be verified", error="InvalidToken")
        if exp <= time.time():
            return self.error_response(400, "Token has expired", error="ExpiredToken")
        return None

    def routes(self) -> list[tuple[str, str, Any]]:
        x = "/xrpc/"
        return [
            ("POST", x + r"com\.atproto\.server\.createSession", self._create_session),
            ("POST", x + r"com\.atproto\.server\.refreshSession", self._refresh_session),
            (
                "GET",
                x + r"com\.atproto\.server\.getSession",
                lambda req: {"handle": self.handle, "did": self.did},
            ),
            ("POST", x + r"com\.atproto\.repo\.uploadBlob", self._upload_blob),
            ("POST", x + r"com\.atproto\.repo\.createRecord", self._create_record),
            ("GET", x + r"com\.atproto\.repo\.getRecord", self._get_record),
            ("GET", x + r"app\.bsky\.feed\.getPosts", self._get_posts),
        ]

    def _create_session(self, req: RecordedRequest) -> dict[str, Any]:
        body = req.json or {}
        identifier = str(body.get("identifier") or "")
        if identifier not in (self.handle, self.did) or body.get("password") not in self.app_passwords:
            raise HttpError(401, "Invalid identifier or password", error="AuthenticationRequired")
        return self._new_session()

    def _refresh_session(self, req: RecordedRequest) -> dict[str, Any]:
        claims = self._claims(req.bearer or "") or {}
        self.refresh_tokens.discard(str(claims.get("jti")))
        return self._new_session()

    def _upload_blob(self, req: RecordedRequest) -> dict[str, Any]:
        if not req.body:
            raise HttpError(400, "Request body is empty")
        # The reference PDS sniffs the bytes and falls back on the declared type.
        mime = sniff(req.body) or req.content_type or "application/octet-stream"
        blob = Blob(cid_for(req.body), mime, req.body)
        self.blobs[blob.cid] = blob
        return {
            "blob": {"$type": "blob", "ref": {"$link": blob.cid}, "mimeType": mime, "size": len(req.body)}
        }

    def _repo(self, repo: str | None) -> None:
        if repo not in (self.handle, self.did):
            raise HttpError(400, f"Could not find repo: {repo}")

    def _create_record(self, req: RecordedRequest) -> dict[str, Any]:
        body = req.json or {}
        self._repo(body.get("repo"))
        if body.get("collection") != "app.bsky.feed.post":
            raise HttpError(400, f"Unsupported collection {body.get('collection')!r} in this fake")
        record = body.get("record") or {}
        rkey = body.get("rkey") or self._next_tid()
        if not _TID.match(rkey):
            raise HttpError(400, "Invalid record key for app.bsky.feed.post: must be a valid TID")
        self._validate_post(record)
        if rkey in self.records:
            # The reference PDS: its MST throws "There is already a value at key", shown as a bare 500.
            raise HttpError(500, "There is already a value at key")
        cid = cid_for(json.dumps(record, sort_keys=True).encode(), codec=0x71)
        self.records[rkey] = BskyRecord(rkey, record, cid, time.time())
        rev = f"3l{next(self._rev):011d}"
        return {
            "uri": self.uri(rkey),
            "cid": cid,
            "commit": {"cid": cid_for(rev.encode(), codec=0x71), "rev": rev},
            "validationStatus": "valid",
        }

    def _next_tid(self) -> str:
        value = (int(time.time() * 1_000_000) << 10) | 1
        return "".join("234567abcdefghijklmnopqrstuvwxyz"[(value >> s) & 31] for s in range(60, -1, -5))

    def _validate_post(self, record: dict[str, Any]) -> None:
        if record.get("$type") != "app.bsky.feed.post":
            raise HttpError(400, "Invalid $type: expected app.bsky.feed.post")
        text = record.get("text")
        if not isinstance(text, str) or "createdAt" not in record:
            raise HttpError(400, 'Invalid app.bsky.feed.post record: Record must have the property "text"')
        if len(regex.findall(r"\X", text)) > 300 or len(text.encode("utf-8")) > 3000:
            raise HttpError(
                400, "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
            )
        size = len(text.encode("utf-8"))
        for facet in record.get("facets") or []:
            index = facet.get("index") or {}
            if not 0 <= index.get("byteStart", -1) < index.get("byteEnd", -1) <= size:
                raise HttpError(400, "Invalid app.bsky.feed.post record: facet index out of range")
        embed = record.get("embed") or {}
        if embed.get("$type") == "app.bsky.embed.images":
            images = embed.get("images") or []
            if len(images) > 4:
                raise HttpError(
                    400,
                    "Invalid app.bsky.feed.post record: Record/embed/images must not have more than 4 elements",
                )
            for image in images:
                ref = ((image.get("image") or {}).get("ref") or {}).get("$link")
                blob = self.blobs.get(str(ref))
                if blob is None:
                    raise HttpError(400, f"Could not find blob: {ref}", error="BlobNotFound")
                if len(blob.data) > 1_000_000:
                    raise HttpError(
                        400, "Invalid app.bsky.feed.post record: image too large", error="BlobTooLarge"
                    )

    def _get_record(self, req: RecordedRequest) -> dict[str, Any]:
        self._repo(req.param("repo"))
        rkey = req.param("rkey") or ""
        record = self.records.get(rkey) if req.param("collection") == "app.bsky.feed.post" else None
        if record is None:
            raise HttpError(400, f"Could not locate record: {self.uri(rkey)}", error="RecordNotFound")
        return {"uri": self.uri(rkey), "cid": record.cid, "value": record.value}

    def _get_posts(self, req: RecordedRequest) -> dict[str, Any]:
        posts = []
        for uri in req.query.get("uris", []):
            rkey = uri.rsplit("/", 1)[-1]
            record = self.records.get(rkey)
            if record is None or uri != self.uri(rkey):
                continue  # the AppView leaves unknown posts out
            posts.append(
                {
                    "uri": uri,
                    "cid": record.cid,
                    "author": {
                        "did": self.did,
                        "handle": self.handle,
                        "displayName": "À nous la démocratie !",
                    },
                    "record": record.value,
                    "replyCount": record.replies,
                    "repostCount": record.reposts,
                    "likeCount": record.likes,
                    "quoteCount": record.quotes,
                    "indexedAt": datetime.fromtimestamp(record.indexed, UTC)
                    .isoformat()
                    .replace("+00:00", "Z"),
                    "labels": [],
                }
            )
        return {"posts": posts}

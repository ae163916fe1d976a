"""A fake X API v2 for one account: POST /2/tweets (duplicate content refused), GET a post with
public_metrics, the account's recent posts (links wrapped in t.co, as X shows them), the v2 media
upload and alt-text metadata, and OAuth 1.0a checked for real: the HMAC-SHA1 signature must match
the consumer and token secrets for X's public URL (the client is redirected here by a transport
adapter after signing, as in production nothing is).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oauthlib.oauth1.rfc5849 import signature, utils  # type: ignore[import-untyped]

from sandbox.platforms.server import FakePlatform, HttpError, RecordedRequest, Response

PUBLIC_HOSTS = ("https://api.twitter.com", "https://api.x.com")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»]")
_STATUS_TITLES = {
    400: "Invalid Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class XMedia:
    id: str
    data: bytes
    mime: str
    category: str
    alt: str | None = None


@dataclass
class XTweet:
    id: str
    text: str
    created: float
    media_ids: list[str] = field(default_factory=list)
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    impressions: int = 0


class FakeX(FakePlatform):
    """``url`` is X_API_URL. Credentials default to a consumer and one user's access token."""

    def __init__(
        self,
        consumer_key: str = "consumer-key",
        consumer_secret: str = "consumer-secret",
        access_token: str = "1234567890-AccessToken",
        access_token_secret: str = "access-token-secret",
        *,
        username: str = "anld_fr",
    ) -> None:
        self.consumer = (consumer_key, consumer_secret)
        self.user_id = access_token.partition("-")[0]
        self.username = username
        self.tokens = {access_token: access_token_secret}
        self.revoked: set[str] = set()
        self.tweets: dict[str, XTweet] = {}
        self.media: dict[str, XMedia] = {}
        self.bad_signatures = 0
        self._ids = itertools.count(1890000000000000001)
        self._tco = itertools.count(1)
        super().__init__()

    # --- Test helpers --------------------------------------------------------------------

    def revoke(self, access_token: str) -> None:
        self.revoked.add(access_token)

    def rate_limit(self, seconds: int = 900, times: int = 1, path: str | None = None) -> None:
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(time.time()) + seconds),
        }
        self.inject(429, times=times, headers=headers, path=path, message="Too Many Requests")

    def interact(
        self, tweet_id: str, likes: int = 0, reposts: int = 0, replies: int = 0, quotes: int = 0
    ) -> None:
        tweet = self.tweets[tweet_id]
        tweet.likes += likes
        tweet.reposts += reposts
        tweet.replies += replies
        tweet.quotes += quotes
        tweet.impressions += 10 * (likes + reposts + replies + quotes)

    # --- Platform ------------------------------------------------------------------------

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        body = {
            "title": _STATUS_TITLES.get(status, "Error"),
            "detail": message,
            "type": str(extra.get("type") or "about:blank"),
            "status": status,
        }
        return Response(status, body)

    def authenticate(self, req: RecordedRequest) -> Response | None:
        header = req.headers.get("authorization", "")
        if not header.startswith("OAuth "):
            return self.error_response(401, "Unauthorized")
        params = dict(utils.parse_authorization_header(header))
        token = utils.unescape(params.get("oauth_token", ""))
        if utils.unescape(params.get("oauth_consumer_key", "")) != self.consumer[0]:
            return self.error_response(401, "Unauthorized")
        if token in self.revoked or token not in self.tokens:
            return self.error_response(401, "Unauthorized")
        if not self._signature_ok(req, self.tokens[token], utils.unescape(params.get("oauth_signature", ""))):
            self.bad_signatures += 1
            return self.error_response(401, "Unauthorized")
        return None

    def _signature_ok(self, req: RecordedRequest, token_secret: str, given: str) -> bool:
        body = req.body.decode() if req.content_type == "application/x-www-form-urlencoded" else None
        collected = signature.collect_parameters(
            uri_query=req.raw_query, body=body, headers={"Authorization": req.headers["authorization"]}
        )
        normalized = signature.normalize_parameters(collected)
        for host in PUBLIC_HOSTS:
            base = signature.signature_base_string(
                req.method, signature.base_string_uri(host + req.raw_path), normalized
            )
            expected = _hmac_sha1(base, self.consumer[1], token_secret)
            if hmac.compare_digest(expected, given):
                return True
        return False

    def routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("POST", r"/2/tweets", self._create_tweet),
            ("GET", r"/2/tweets/(?P<tweet_id>[0-9]+)", self._get_tweet),
            ("GET", r"/2/users/me", self._me),
            ("GET", r"/2/users/(?P<user_id>[0-9]+)/tweets", self._user_tweets),
            ("POST", r"/2/media/upload", self._upload),
            ("POST", r"/2/media/metadata", self._metadata),
        ]

    def _create_tweet(self, req: RecordedRequest) -> Response:
        body = req.json or {}
        text = str(body.get("text") or "")
        media_ids = [str(m) for m in ((body.get("media") or {}).get("media_ids") or [])]
        if not text and not media_ids:
            raise HttpError(400, "One or more parameters to your request was invalid.")
        if weighted_length(text) > 280:
            raise HttpError(
                403,
                "Your Tweet text is too long. For more information on how X determines text length, see https://github.com/twitter/twitter-text.",
            )  # noqa: E501
        if len(media_ids) > 4 or any(m not in self.media for m in media_ids):
            raise HttpError(400, "Your media IDs are invalid.")
        if text and any(t.text == text for t in self.tweets.values()):
            raise HttpError(403, "You are not allowed to create a Tweet with duplicate content.")
        tweet = XTweet(str(next(self._ids)), text, time.time(), media_ids)
        self.tweets[tweet.id] = tweet
        return Response(201, {"data": {"id": tweet.id, "text": text, "edit_history_tweet_ids": [tweet.id]}})

    def _tweet_json(self, tweet: XTweet, fields: set[str]) -> dict[str, Any]:
        text, urls = self._wrapped(tweet)
        out: dict[str, Any] = {"id": tweet.id, "text": text, "edit_history_tweet_ids": [tweet.id]}
        if "created_at" in fields:
            out["created_at"] = (
                datetime.fromtimestamp(tweet.created, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"
            )
        if "entities" in fields and urls:
            out["entities"] = {"urls": urls}
        if "public_metrics" in fields:
            out["public_metrics"] = {
                "retweet_count": tweet.reposts,
                "reply_count": tweet.replies,
                "like_count": tweet.likes,
                "quote_count": tweet.quotes,
                "bookmark_count": 0,
                "impression_count": tweet.impressions,
            }
        return out

    def _wrapped(self, tweet: XTweet) -> tuple[str, list[dict[str, Any]]]:
        """The text as X shows it: links as t.co (entities with code-point offsets), media links at the end."""
        pieces: list[str] = []
        entities: list[dict[str, Any]] = []
        position = 0
        for match in _URL.finditer(tweet.text):
            pieces.append(_escape(tweet.text[position : match.start()]))
            short = f"https://t.co/{next(self._tco):010d}"
            start = sum(len(p) for p in pieces)
            entities.append(
                {
                    "start": start,
                    "end": start + len(short),
                    "url": short,
                    "expanded_url": match.group(0),
                    "display_url": match.group(0).split("://", 1)[1][:25],
                }
            )
            pieces.append(short)
            position = match.end()
        pieces.append(_escape(tweet.text[position:]))
        for media_id in tweet.media_ids[:1]:  # one pic.x.com link for all the photos
            short = f"https://t.co/{next(self._tco):010d}"
            start = sum(len(p) for p in pieces) + 1
            pieces.append(" " + short)
            entities.append(
                {
                    "start": start,
                    "end": start + len(short),
                    "url": short,
                    "media_key": f"3_{media_id}",
                    "expanded_url": f"https://x.com/{self.username}/status/{tweet.id}/photo/1",
                    "display_url": "pic.x.com/fake",
                }
            )
        return "".join(pieces), entities

    def _get_tweet(self, req: RecordedRequest, tweet_id: str) -> dict[str, Any]:
        tweet = self.tweets.get(tweet_id)
        if tweet is None:
            return {
                "errors": [
                    {
                        "value": tweet_id,
                        "detail": f"Could not find tweet with id: [{tweet_id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "id",
                        "resource_id": tweet_id,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                ]
            }
        return {"data": self._tweet_json(tweet, _fields(req))}

    def _me(self, req: RecordedRequest) -> dict[str, Any]:
        return {"data": {"id": self.user_id, "name": "À nous la démocratie !", "username": self.username}}

    def _user_tweets(self, req: RecordedRequest, user_id: str) -> dict[str, Any]:
        if user_id != self.user_id:
            raise HttpError(404, "Could not find user")
        since = 0.0
        if req.param("start_time"):
            since = datetime.fromisoformat(str(req.param("start_time")).replace("Z", "+00:00")).timestamp()
        limit = max(5, min(100, int(req.param("max_results") or 10)))
        tweets = sorted(
            (t for t in self.tweets.values() if t.created >= since), key=lambda t: int(t.id), reverse=True
        )[:limit]
        data = [self._tweet_json(t, _fields(req)) for t in tweets]
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        return {"data": data, "meta": meta} if data else {"meta": meta}

    def _upload(self, req: RecordedRequest) -> dict[str, Any]:
        media = next((p for p in req.parts() if p.name == "media"), None)
        if media is None or not media.data:
            raise HttpError(400, "media: must not be empty")
        fields = {k: v[-1] for k, v in req.fields().items()}
        mime = fields.get("media_type") or media.content_type
        if not mime.startswith("image/"):
            raise HttpError(400, f"media_type: unsupported {mime}")
        item = XMedia(str(next(self._ids)), media.data, mime, fields.get("media_category", "tweet_image"))
        self.media[item.id] = item
        return {
            "data": {
                "id": item.id,
                "media_key": f"3_{item.id}",
                "size": len(media.data),
                "expires_after_secs": 86400,
                "image": {"image_type": mime, "w": 1, "h": 1},
            }
        }

    def _metadata(self, req: RecordedRequest) -> dict[str, Any]:
        body = req.json or {}
        item = self.media.get(str(body.get("id")))
        if item is None:
            raise HttpError(400, "id: media not found")
        alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
        if alt is not None and len(alt) > 1000:
            raise HttpError(400, "alt_text: must be at most 1000 characters")
        item.alt = alt
        return {"data": {"associated_metadata": body.get("metadata") or {}}}


def _hmac_sha1(base_string: str, consumer_secret: str, token_secret: str) -> str:
    """RFC 5849 section 3.4.2: HMAC-SHA1 keyed with both escaped secrets, base64."""
    key = f"{utils.escape(consumer_secret)}&{utils.escape(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base_string.encode(), hashlib.sha1).digest()).decode("ascii")


def _fields(req: RecordedRequest) -> set[str]:
    return set((req.param("tweet.fields") or "").split(","))


def _escape(text: str) -> str:
    """X's v2 text escapes &, < and > as HTML entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def weighted_length(text: str) -> int:
    """A rough twitter-text count (URLs 23, code points past U+10FF 2): enough for the fake."""
    text = _URL.sub("x" * 23, text)
    return sum(1 if ord(c) <= 0x10FF or 0x2000 <= ord(c) <= 0x201F else 2 for c in text)

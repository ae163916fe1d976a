"""X posts with tweepy's API v2 ``Client`` (OAuth 1.0a user context), or, without the four
credentials, a share-intent link that a person taps (:func:`share_intent_url`): the bot must
then never say the post was published.

- text: ``Client.create_tweet`` (``POST /2/tweets``);
- images: X removed the v1.1 ``media/upload`` endpoint in 2025 and tweepy 4.17 has no v2
  upload method, so images go to ``POST /2/media/upload`` (multipart) and their alt text to
  ``POST /2/media/metadata``, sent on the tweepy client's own session and signed by tweepy's
  ``OAuth1UserHandler``;
- counters: ``Client.get_tweet(tweet_fields=["public_metrics"])``.

tweepy hard-codes ``https://api.twitter.com`` for v2 and passes no timeout to requests. Both
are handled by a requests transport adapter mounted on ``Client.session`` (documented
attribute; ``Session.mount`` is requests' own extension point): it gives every request a
timeout and, when ``X_API_URL`` is set (tests: the local fake), sends it there instead. The
OAuth signature is computed by tweepy for the public URL, as the real X would check it.

Idempotency: X has no idempotency key, but refuses a second post with the same text ("duplicate
content", 403); ``find(key, post)`` looks among the account's recent posts for our text (t.co
links expanded). Synchronous (requests): the bot runs it with ``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import requests
import tweepy  # type: ignore[import-untyped]
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from requests.adapters import HTTPAdapter

from domain.communication import limits
from integrations.publishing._net import requests_kind
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

CHANNEL = "x"
PUBLIC_HOSTS = ("https://api.twitter.com", "https://api.x.com")
MEDIA_HOST = "https://api.x.com"
MAX_IMAGES = 4
INTENT_URL = "https://x.com/intent/post"


class XSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="X_", env_file=".env", extra="ignore")

    consumer_key: SecretStr = SecretStr("")
    consumer_secret: SecretStr = SecretStr("")
    access_token: SecretStr = SecretStr("")
    access_token_secret: SecretStr = SecretStr("")
    api_url: str | None = None  # None: X itself
    timeout: float = 30.0
    find_window_hours: float = 48.0

    @property
    def has_credentials(self) -> bool:
        return all(
            s.get_secret_value()
            for s in (self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret)
        )


def share_intent_url(post: Post) -> str:
    """``https://x.com/intent/post?text=…&url=…``: a person taps it and posts from their account.

    The text is cut (word boundary, "…") so that text plus link fit X's 280 weighted characters.
    """
    link = post.link if post.link and post.link not in post.text else None
    budget = limits.X_MAX - (limits.X_URL_LENGTH + 1 if link else 0)
    text, _ = limits.fit("x", post.text, max_length=budget)
    params = {"text": text} if text else {}
    if link:
        params["url"] = link
    return f"{INTENT_URL}?{urlencode(params, quote_via=quote)}"


def make_publisher(settings: XSettings) -> XPublisher | None:
    """An XPublisher when the four OAuth 1.0a credentials are there; ``None``: share links only."""
    return XPublisher(settings) if settings.has_credentials else None


class _Transport(HTTPAdapter):
    """Gives each request a timeout and, for tests, another host than X's."""

    def __init__(self, timeout: float, rebase: str | None) -> None:
        super().__init__()
        self.timeout = (min(10.0, timeout), timeout)
        self.rebase = urlsplit(rebase.rstrip("/")) if rebase else None

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        if self.rebase is not None and request.url:
            kwargs["proxies"] = {}  # chosen for X's host by requests: not for the one we send to
            parts = urlsplit(request.url)
            request.url = urlunsplit(
                (self.rebase.scheme, self.rebase.netloc, self.rebase.path + parts.path, parts.query, "")
            )
        return super().send(request, *args, **kwargs)


def _quiet_oauth_debug_logs() -> None:
    # requests_oauthlib and oauthlib log signed headers (with the access token) at DEBUG.
    for name in ("requests_oauthlib", "oauthlib"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


class XPublisher:
    """Posts as the account of the access token; blocking calls (use ``asyncio.to_thread``)."""

    channel: ClassVar[str] = CHANNEL
    retry_safe: ClassVar[bool] = False

    def __init__(self, settings: XSettings) -> None:
        if not settings.has_credentials:
            raise ValueError(
                "X needs X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET"
            )
        _quiet_oauth_debug_logs()
        self.settings = settings
        self.find_window = timedelta(hours=settings.find_window_hours)
        self._memory = AttemptMemory()
        secret = SecretStr.get_secret_value
        self._oauth = (
            secret(settings.consumer_key),
            secret(settings.consumer_secret),
            secret(settings.access_token),
            secret(settings.access_token_secret),
        )
        self.client = tweepy.Client(
            consumer_key=self._oauth[0],
            consumer_secret=self._oauth[1],
            access_token=self._oauth[2],
            access_token_secret=self._oauth[3],
            return_type=dict,
            wait_on_rate_limit=False,
        )
        transport = _Transport(settings.timeout, settings.api_url)
        for host in PUBLIC_HOSTS:
            self.client.session.mount(host + "/", transport)

    def close(self) -> None:
        self.client.session.close()

    # --- Contract ------------------------------------------------------------------------

    def publish(self, post: Post, key: str) -> Published:
        text = self.text_for(post)
        if not limits.fits("x", text):
            raise PublishError(
                CHANNEL,
                "rejected",
                f"text too long: {limits.x_length(text)} (max {limits.X_MAX})",
                code="too_long",
            )
        if len(post.images) > MAX_IMAGES:
            raise PublishError(
                CHANNEL, "rejected", f"{len(post.images)} images (max {MAX_IMAGES})", code="too_many"
            )
        if self._memory.seen_before(key):
            found = self.find(key, post)
            if found is not None:
                return found
        media_ids = [self._upload(image) for image in post.images]
        try:
            body = self._call(
                "create_tweet",
                True,
                lambda: self.client.create_tweet(text=text, media_ids=media_ids or None, user_auth=True),
            )
        except PublishError as exc:
            if exc.code != "duplicate":
                raise
            found = self.find(key, post)
            if found is None:
                raise
            return found
        tweet_id = str(body["data"]["id"])
        log.info("x: published %s", tweet_id)
        return Published(CHANNEL, tweet_id, self.post_url(tweet_id))

    def find(self, key: str, post: Post) -> Published | None:
        """The account's recent post whose text (t.co links expanded) is ours."""
        wanted = comparable_text(self.text_for(post))
        user_id = self._oauth[2].partition("-")[0]  # OAuth 1.0a access tokens start with the user id
        start = (datetime.now(UTC) - self.find_window).replace(microsecond=0)
        body = self._call(
            "get_users_tweets",
            False,
            lambda: self.client.get_users_tweets(
                user_id,
                max_results=20,
                start_time=start,
                tweet_fields=["created_at", "entities"],
                exclude=["replies", "retweets"],
                user_auth=True,
            ),
        )
        for tweet in body.get("data") or []:
            if comparable_text(expanded_text(tweet)) == wanted:
                tweet_id = str(tweet["id"])
                return Published(CHANNEL, tweet_id, self.post_url(tweet_id))
        return None

    def metrics(self, remote_id: str) -> dict[str, int]:
        body = self._call(
            "get_tweet",
            False,
            lambda: self.client.get_tweet(remote_id, tweet_fields=["public_metrics"], user_auth=True),
        )
        metrics = (body.get("data") or {}).get("public_metrics") or {}
        names = {
            "like_count": "likes",
            "retweet_count": "reposts",
            "reply_count": "replies",
            "quote_count": "quotes",
            "bookmark_count": "bookmarks",
            "impression_count": "impressions",
        }
        return {ours: int(metrics[theirs]) for theirs, ours in names.items() if theirs in metrics}

    # --- Helpers -------------------------------------------------------------------------

    @staticmethod
    def text_for(post: Post) -> str:
        return post.text_with_link()

    @staticmethod
    def post_url(tweet_id: str) -> str:
        return f"https://x.com/i/web/status/{tweet_id}"

    def _signed(self) -> Any:
        return tweepy.OAuth1UserHandler(*self._oauth).apply_auth()

    def _upload(self, image: Image) -> str:
        def upload() -> Any:
            response = self.client.session.post(
                f"{MEDIA_HOST}/2/media/upload",
                files={"media": (image.filename, image.data, image.mime)},
                data={"media_category": "tweet_image", "media_type": image.mime},
                auth=self._signed(),
            )
            return _checked(response)

        body = self._call("media_upload", False, upload)
        media_id = str(body["data"]["id"])
        if image.alt:

            def describe() -> Any:
                response = self.client.session.post(
                    f"{MEDIA_HOST}/2/media/metadata",
                    json={"id": media_id, "metadata": {"alt_text": {"text": image.alt[:1000]}}},
                    auth=self._signed(),
                )
                return _checked(response)

            self._call("media_metadata", False, describe)
        return media_id

    def _call(self, what: str, write: bool, call: Any) -> Any:
        try:
            return call()
        except tweepy.HTTPException as exc:
            raise x_error(exc.response, what) from exc
        except requests.RequestException as exc:
            kind = requests_kind(exc, write=write)
            raise PublishError(CHANNEL, kind, f"{what}: {type(exc).__name__}") from exc


def _checked(response: requests.Response) -> Any:
    if not 200 <= response.status_code < 300:
        raise tweepy.HTTPException(response)
    return response.json()


def expanded_text(tweet: dict[str, Any]) -> str:
    """A post's text with t.co links put back to what they point to, and media links removed."""
    text = str(tweet.get("text") or "")
    urls = ((tweet.get("entities") or {}).get("urls")) or []
    for entity in sorted(urls, key=lambda e: int(e.get("start", 0)), reverse=True):
        short = str(entity.get("url") or "")
        replacement = "" if entity.get("media_key") else str(entity.get("expanded_url") or short)
        text = text.replace(short, replacement)
    return text


def x_error(response: requests.Response, what: str) -> PublishError:
    """X's answers (v2 problem JSON, v1.1 ``errors`` list) to PublishError."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    messages = [str(body.get("detail") or body.get("title") or "")]
    messages += [str(e.get("message") or "") for e in body.get("errors") or [] if isinstance(e, dict)]
    text = " ".join(m for m in messages if m) or response.reason or ""
    problem = str(body.get("type") or "")
    codes = [str(e.get("code")) for e in body.get("errors") or [] if isinstance(e, dict) and e.get("code")]
    detail = f"{what}: HTTP {status} {text}".rstrip()
    code = codes[0] if codes else str(status)
    retry_after: float | None = None
    kind: ErrorKind
    if status == 429:
        kind = "rate_limited"
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        reset = response.headers.get("x-rate-limit-reset")
        if retry_after is None and reset and reset.isdigit():
            retry_after = max(0.0, int(reset) - time.time())
    elif status in (401, 402) or (
        status == 403 and ("client-forbidden" in problem or "not-enrolled" in problem)
    ):
        kind = "auth"  # revoked token, app without write access, or no API credits left (402)
    elif status == 403 and "duplicate" in text.lower():
        kind, code = "rejected", "duplicate"
    elif status >= 500:
        kind = "unavailable"
    else:
        kind = "rejected"
    return PublishError(CHANNEL, kind, detail, retry_after=retry_after, code=code)

"""Telegram's Mini App initData, checked as Telegram documents it ("Validating data received via
the Mini App"): the query string's fields but `hash`, sorted and joined as `key=value` lines, signed
with HMAC-SHA256 under the key HMAC-SHA256("WebAppData", bot token). Pure: no I/O.

The person is the signed `user` field's id and nothing else; `auth_date` older than the allowed age
(WEBAPP_AUTH_MAX_AGE_HOURS) is refused, as is one from the future beyond a little clock skew."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

MAX_LENGTH = 8192  # Telegram's initData is a few hundred bytes; anything larger is not it
CLOCK_SKEW = 60.0  # seconds an auth_date may be ahead of our clock


class Refusal(StrEnum):
    MISSING = "missing"
    MALFORMED = "malformed"
    BAD_HASH = "bad_hash"
    EXPIRED = "expired"
    NO_USER = "no_user"


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the app, as Telegram signed it."""

    id: int
    first_name: str
    language_code: str | None
    username: str | None
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def validate(
    init_data: str | None, bot_token: str, *, max_age_seconds: float, now: float | None = None
) -> WebAppUser | Refusal:
    """The signed user, or why the initData is refused."""
    if not init_data or not bot_token:
        return Refusal.MISSING
    if len(init_data) > MAX_LENGTH:
        return Refusal.MALFORMED
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return Refusal.MALFORMED
    fields = dict(pairs)
    if len(fields) != len(pairs):
        return Refusal.MALFORMED  # a repeated field: which one was signed?
    given = fields.get("hash", "")
    if not given:
        return Refusal.BAD_HASH
    expected = hmac.new(secret_key(bot_token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.lower()):
        return Refusal.BAD_HASH
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        return Refusal.MALFORMED
    clock = time.time() if now is None else now
    if auth_date > clock + CLOCK_SKEW or clock - auth_date > max_age_seconds:
        return Refusal.EXPIRED
    try:
        user = json.loads(fields.get("user", ""))
    except ValueError:
        return Refusal.NO_USER
    if not isinstance(user, dict) or not isinstance(user.get("id"), int) or isinstance(user["id"], bool):
        return Refusal.NO_USER
    lang = user.get("language_code")
    username = user.get("username")
    return WebAppUser(
        id=user["id"],
        first_name=str(user.get("first_name", ""))[:64],
        language_code=lang if isinstance(lang, str) else None,
        username=username if isinstance(username, str) else None,
        auth_date=auth_date,
    )


def sign(bot_token: str, user: dict[str, object], auth_date: int, **extra: str) -> str:
    """initData as Telegram would build it for `user` (the sandbox, the demo and the tests: in
    production only Telegram signs)."""
    fields = {
        "auth_date": str(auth_date),
        "query_id": extra.pop("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        **extra,
    }
    fields["hash"] = hmac.new(
        secret_key(bot_token), _check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    return urlencode(fields)

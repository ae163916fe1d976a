"""webapp/auth.py: Telegram's initData checked as documented (HMAC-SHA256 under
HMAC-SHA256("WebAppData", token)), auth_date fresh, the user taken from the signed field only.
Plain table cases; the expected hash of the first case is computed independently here."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from webapp.auth import Refusal, WebAppUser, sign, validate

TOKEN = "123456:secret-token-for-this-test"
NOW = 1_765_000_000
DAY = 24 * 3600
USER = {"id": 4242, "first_name": "Claire", "language_code": "fr", "username": "claire"}


def by_hand(fields: dict[str, str], token: str = TOKEN) -> str:
    """The spec, written out without webapp.auth: data-check-string, then the two HMACs."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(key, check.encode(), hashlib.sha256).hexdigest()})


GOOD = by_hand({"auth_date": str(NOW - 60), "query_id": "AAE", "user": json.dumps(USER)})


def tampered_user() -> str:
    fields = dict(parse_qsl(GOOD))
    fields["user"] = json.dumps({**USER, "id": 1})  # someone else's id, the old hash kept
    return urlencode(fields)


def without(name: str) -> str:
    return urlencode({k: v for k, v in parse_qsl(GOOD) if k != name})


def add(name: str, value: str) -> str:
    return GOOD + "&" + urlencode({name: value})


CASES: list[tuple[str, str | None, str, float, WebAppUser | Refusal]] = [
    # (case, initData, token checked with, age allowed, expected)
    ("valid", GOOD, TOKEN, DAY, WebAppUser(4242, "Claire", "fr", "claire", NOW - 60)),
    ("missing", None, TOKEN, DAY, Refusal.MISSING),
    ("empty", "", TOKEN, DAY, Refusal.MISSING),
    ("no token configured", GOOD, "", DAY, Refusal.MISSING),
    ("wrong token", GOOD, "654321:another-bot", DAY, Refusal.BAD_HASH),
    ("tampered user", tampered_user(), TOKEN, DAY, Refusal.BAD_HASH),
    ("missing hash", without("hash"), TOKEN, DAY, Refusal.BAD_HASH),
    ("a field added after signing", add("start_param", "x"), TOKEN, DAY, Refusal.BAD_HASH),
    ("hash repeated", add("hash", "0" * 64), TOKEN, DAY, Refusal.MALFORMED),
    ("expired", GOOD, TOKEN, 30, Refusal.EXPIRED),
    ("not json", "%%%", TOKEN, DAY, Refusal.MALFORMED),
    ("too long", "a=" + "b" * 9000, TOKEN, DAY, Refusal.MALFORMED),
    ("no user", by_hand({"auth_date": str(NOW)}), TOKEN, DAY, Refusal.NO_USER),
    (
        "user id not a number",
        by_hand({"auth_date": str(NOW), "user": '{"id":"4242"}'}),
        TOKEN,
        DAY,
        Refusal.NO_USER,
    ),
    (
        "user id a boolean",
        by_hand({"auth_date": str(NOW), "user": '{"id":true}'}),
        TOKEN,
        DAY,
        Refusal.NO_USER,
    ),
    ("no auth_date", by_hand({"user": json.dumps(USER)}), TOKEN, DAY, Refusal.MALFORMED),
    (
        "from the future",
        by_hand({"auth_date": str(NOW + 3600), "user": json.dumps(USER)}),
        TOKEN,
        DAY,
        Refusal.EXPIRED,
    ),
    (
        "upper-case hash",
        GOOD.replace(dict(parse_qsl(GOOD))["hash"], dict(parse_qsl(GOOD))["hash"].upper()),
        TOKEN,
        DAY,
        WebAppUser(4242, "Claire", "fr", "claire", NOW - 60),
    ),
]


@pytest.mark.parametrize(("case", "data", "token", "age", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate(
    case: str, data: str | None, token: str, age: float, expected: WebAppUser | Refusal
) -> None:
    assert validate(data, token, max_age_seconds=age, now=NOW) == expected


def test_sign_matches_the_spec_written_by_hand() -> None:
    signed = sign(TOKEN, USER, NOW, query_id="AAE")
    fields = dict(parse_qsl(signed))
    assert (
        fields["hash"] == dict(parse_qsl(by_hand({k: v for k, v in fields.items() if k != "hash"})))["hash"]
    )
    assert validate(signed, TOKEN, max_age_seconds=60, now=NOW) == WebAppUser(
        4242, "Claire", "fr", "claire", NOW
    )
    assert validate(quote(signed), TOKEN, max_age_seconds=60, now=NOW) == Refusal.MALFORMED

"""Network failures to PublishError kinds, for httpx (Facebook, WordPress, Bluesky via atproto)
and requests (Mastodon.py, tweepy).

The question is always the same: could the server have received the request? A refused or
timed-out *connection* never sent it ("unavailable": safe to retry); a read timeout or a
connection lost after sending may have been processed ("uncertain" for a write, "unavailable"
for a read, which changes nothing on the platform).
"""

from __future__ import annotations

import httpx
import requests

from integrations.publishing.base import ErrorKind, PublishError


def httpx_kind(exc: BaseException, *, write: bool) -> ErrorKind:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return "unavailable"
    return "uncertain" if write else "unavailable"


def requests_kind(exc: BaseException, *, write: bool) -> ErrorKind:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "unavailable"
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(
        exc, requests.exceptions.ReadTimeout
    ):
        # requests wraps both "could not connect" and "connection dropped after sending" in
        # ConnectionError; urllib3's NewConnectionError / NameResolutionError mean the former.
        reason = exc.args[0] if exc.args else None
        inner = getattr(reason, "reason", reason)
        name = type(inner).__name__
        if name in {"NewConnectionError", "NameResolutionError", "ConnectTimeoutError"}:
            return "unavailable"
    return "uncertain" if write else "unavailable"


def network_error(channel: str, exc: BaseException, *, write: bool, what: str) -> PublishError:
    """A PublishError for a transport failure (message without URL query strings or headers)."""
    if isinstance(exc, httpx.HTTPError):
        kind = httpx_kind(exc, write=write)
    else:
        kind = requests_kind(exc, write=write)
    return PublishError(channel, kind, f"{what}: {type(exc).__name__}")

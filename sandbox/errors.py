"""Telegram's error shapes: the JSON body of a failed Bot API call."""

from __future__ import annotations

from typing import Any

import telegram.error


class ApiError(Exception):
    """A Bot API call that Telegram would answer with ``{"ok": false, ...}``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    return ApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


def migrated(new_chat_id: int) -> ApiError:
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


NOT_FOUND = ApiError(404, "Not Found")
UNAUTHORIZED = ApiError(401, "Unauthorized")


# Transport-level faults. They subclass PTB's own exceptions so that an in-process
# SandboxRequest can let them through untouched (BaseRequest re-raises TelegramError),
# while the HTTP server turns them into a hung or dropped connection.
class InjectedTimeout(telegram.error.TimedOut):
    """An injected timeout; ``applied`` tells whether the call took effect first."""

    def __init__(self, applied: bool, hang: float) -> None:
        super().__init__("Timed out (sandbox fault)" + (" after the call was applied" if applied else ""))
        self.applied = applied
        self.hang = hang


class InjectedNetworkError(telegram.error.NetworkError):
    """An injected connection drop; ``applied`` tells whether the call took effect first."""

    def __init__(self, applied: bool) -> None:
        super().__init__(
            "httpx.RemoteProtocolError: Server disconnected without sending a response (sandbox fault)"
        )
        self.applied = applied


class SandboxError(AssertionError):
    """A test drove the sandbox into something no real user could do (e.g. press a missing button).

    An AssertionError, so pytest shows it as a failed expectation with its message.
    """

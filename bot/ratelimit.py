"""PTB's rate limiter for direct replies, with two exceptions.

- Outbox sends (rate_limit_args=OUTBOX) are already paced by the outbox sender, which handles 429 itself:
  a second limiter would slow them down and retry behind the sender's back.
- Answers to button presses are not messages to a chat and do not count against Telegram's
  sending limits: throttling them at 30/s would make a busy announcement feel slow.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

# Reactions acknowledge replies in groups: not messages, so they do not count against the 20/min.
UNLIMITED = frozenset(
    {"answerCallbackQuery", "setMessageReaction", "getUpdates", "getMe", "setMyCommands", "deleteWebhook"}
)
# Must be truthy: ExtBot drops a falsy rate_limit_args before it reaches the limiter.
OUTBOX = -1


class RateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if rate_limit_args == OUTBOX or endpoint in UNLIMITED:
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

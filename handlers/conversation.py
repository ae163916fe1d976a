"""What every multi-step conversation shares: /cancel, and a hint when text comes where a button is expected.

Drafts live in user_data under a key per conversation until the final Confirmer, so cancelling is
dropping those keys: nothing was stored yet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ConversationHandler

from handlers.common import Context, answer, load_actor

Callback = Callable[[Update, Context], Awaitable[int | None]]


def cancel_handler(*draft_keys: str) -> Callback:
    """/cancel: forget the drafts kept under `draft_keys`, say so, end the conversation."""

    async def cancel(update: Update, context: Context) -> int:
        actor = await load_actor(update, context)
        for key in draft_keys:
            context.user_data.pop(key, None)  # type: ignore[union-attr]
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END

    return cancel


def hint_handler(text_key: str) -> Callback:
    """Text typed where a button is expected: remind the person, stay in the same step."""

    async def use_buttons(update: Update, context: Context) -> None:
        actor = await load_actor(update, context)
        await answer(update, actor.t(text_key))

    return use_buttons

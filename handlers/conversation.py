"""The one conversation style: a form.

Each multi-step conversation keeps a draft (a dict) under its own key until the final Confirmer;
the next question is derived from the draft (`next_step(draft)`), never from where the person
was: an answer fills the draft, and the form asks what is still missing. So "Modifier" is
removing keys, a one-line answer may fill several steps, and a draft kept elsewhere (a table)
resumes where it was. One PTB state (FORM) per conversation; `step()` does what every step shares.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import commands
from bot.commands import CommandSpec
from bot.persistence import mark_changed
from handlers.common import Actor, Context, answer, load_actor

Callback = Callable[[Update, Context], Coroutine[Any, Any, Any]]
FORM = 0  # the single state of every conversation
END = ConversationHandler.END
# A conversation left without an answer this long is closed (its draft dropped) with a word to the
# person: a role taken back meanwhile, or a phone left on a table, does not keep a form open forever.
TIMEOUT = timedelta(minutes=30)


@dataclass
class Turn:
    """One step of a conversation: who is acting and their draft."""

    actor: Actor
    draft: dict[str, Any]


StepHandler = Callable[[Update, Context, Turn], Awaitable[int]]


def draft_of(context: Context, key: str) -> dict[str, Any] | None:
    data = context.user_data
    return data.get(key) if data is not None else None


def step(
    key: str, spec: CommandSpec | None = None, *, stale_key: str = "fallback.button_stale"
) -> Callable[[StepHandler], Callback]:
    """Load the actor and the draft kept under `key`, then run the step.

    A button pressed after the draft is gone (restart, /cancel, another form) is answered as stale
    and its keyboard removed; a message then ends the conversation quietly. When `spec` is given,
    its access is checked again at every step: a role revoked mid-conversation stops it there.
    A pressed button is acknowledged (the caller may answer it again with an alert first).
    """

    def decorate(func: StepHandler) -> Callback:
        @functools.wraps(func)
        async def wrapper(update: Update, context: Context) -> int:
            actor = await load_actor(update, context)
            draft = draft_of(context, key)
            query = update.callback_query
            if draft is None:
                if query is not None:
                    await query.answer(actor.t(stale_key))
                    await clear_keyboard(update)
                return END
            if spec is not None and not spec.allows(actor.roles, actor.onboarded):
                drop(context, key)
                if query is not None:
                    await query.answer()
                await answer(update, actor.t("perm.revoked"))
                return END
            return await func(update, context, Turn(actor, draft))

        return wrapper

    return decorate


def drop(context: Context, *keys: str) -> None:
    for key in keys:
        if context.user_data is not None:
            context.user_data.pop(key, None)


async def clear_keyboard(update: Update) -> None:
    """Remove the buttons of the pressed message (a second press then finds nothing)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        # The message may be too old to edit, or edited already: then there is nothing to clear.
        with contextlib.suppress(Exception):
            await query.edit_message_reply_markup(None)


def cancel_handler(*draft_keys: str) -> Callback:
    """/cancel: forget the drafts kept under `draft_keys`, say so, end the conversation."""

    async def cancel(update: Update, context: Context) -> int:
        actor = await load_actor(update, context)
        drop(context, *draft_keys)
        await answer(update, actor.t("cancel.done"))
        return END

    return cancel


def hint_handler(text_key: str) -> Callback:
    """Text typed where a button is expected: remind the person, stay in the same step."""

    async def use_buttons(update: Update, context: Context) -> None:
        actor = await load_actor(update, context)
        await answer(update, actor.t(text_key))

    return use_buttons


def final(callback: Callback) -> Callback:
    """Run a conversation callback and stop there: no later group sees the update (the generic
    /cancel of handlers/help.py would otherwise answer "nothing to cancel" in the middle of a
    conversation, and the fallback would answer a second time)."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: Context) -> Any:
        raise ApplicationHandlerStop(await callback(update, context))

    return wrapper


def timeout_handler(restart: CommandSpec, *draft_keys: str) -> Callback:
    """The conversation timed out: forget its drafts and tell the person how to start again."""

    async def timed_out(update: Update, context: Context) -> None:
        actor = await load_actor(update, context)
        drop(context, *draft_keys)
        await answer(update, actor.t("conversation.timeout", command=f"/{restart.name}"))
        # A timeout is a job, not an update: have the dropped drafts and the ended state written.
        if update.effective_user is not None:
            mark_changed(context, update.effective_user.id)

    return timed_out


AnyHandler = BaseHandler[Any, Any, Any]

# The word typed alone during a form cancels it, like /annuler (docs/french-style.md: "the word
# "annuler" typed alone during a conversation cancels too"); "cancel" for English speakers.
CANCEL_WORD = re.compile(r"^\s*(annuler|annule|cancel)\s*[.!]*\s*$", re.IGNORECASE)


def form(
    name: str,
    *,
    entry_points: Sequence[AnyHandler],
    steps: Sequence[AnyHandler],
    drafts: Sequence[str],
    hint: str,
    restart: CommandSpec,
    fallbacks: Sequence[AnyHandler] = (),
) -> ConversationHandler[Any]:
    """Every conversation is built here, so that every one has the same single state (FORM), the
    same timeout (TIMEOUT, then a polite word naming `restart`), /annuler or /cancel, or the word
    "annuler" alone (dropping `drafts`), the
    given extra `fallbacks`, and a hint (`hint`, a text key) for anything typed where a button is
    expected.

    Every form is persistent under its `name` (bot/persistence.py): its state and drafts survive a
    restart. /cancel and the hint stop the update there (`final`), so a form registered in an
    early group (Group.CONVERSATION) is not answered a second time by a later group.
    """
    private = filters.ChatType.PRIVATE
    cancel = final(cancel_handler(*drafts))
    return ConversationHandler(
        entry_points=list(entry_points),
        states={
            # The word is read before the steps: a step would take it as an answer (a name, a title).
            FORM: [MessageHandler(private & filters.Regex(CANCEL_WORD), cancel), *steps],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timeout_handler(restart, *drafts))],
        },
        fallbacks=[
            CommandHandler(commands.CANCEL.names, cancel),
            *fallbacks,
            MessageHandler(private & ~filters.COMMAND, final(hint_handler(hint))),
        ],
        name=name,
        persistent=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
    )

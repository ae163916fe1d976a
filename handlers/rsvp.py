"""Answers to an event's post: its buttons, or a plain-French reply to it in the group."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from types import TracebackType

from telegram import Message, ReactionTypeEmoji, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.callbacks import RsvpAnswer, RsvpRole, RsvpSwitch, pattern_of
from bot.texts import t
from capabilities.events import answers, render
from capabilities.events.answers import Recorded
from domain.replies import classify_reply
from domain.replies.guests import guest_count
from domain.statuses import RsvpSource, RsvpStatus
from handlers.common import Actor, Context, Group, Handlers, answer, load_actor, services

log = logging.getLogger(__name__)

CODES = {"y": RsvpStatus.YES, "m": RsvpStatus.MAYBE, "n": RsvpStatus.NO}
# A reply understood in a group is acknowledged by a reaction on it, not by a new message
# (issue 13: groups stay quiet). Standard reaction emoji only (Bot API ReactionTypeEmoji).
REACTIONS: dict[str, str] = {
    RsvpStatus.YES: "👍",
    RsvpStatus.MAYBE: "🤔",
    RsvpStatus.NO: "👌",
    RsvpStatus.WAITLIST: "✍",
}


def outcome_text(lang: str, recorded: Recorded) -> str:
    change, title = recorded.answered.change, recorded.event.title
    if (notice := answers.notice_text(lang, recorded)) is not None:
        return notice  # another task offered by someone coming: their place is kept
    if change is None:
        return t(lang, "rsvp.same")
    role = render.role_label(lang, change.role) if change.role else ""
    if change.status == RsvpStatus.WAITLIST:
        return t(lang, "rsvp.waitlist", role=role, title=title)
    if change.status == RsvpStatus.YES:
        return t(lang, "rsvp.yes_role" if role else "rsvp.yes", role=role, title=title)
    return t(lang, "rsvp.maybe" if change.status == RsvpStatus.MAYBE else "rsvp.no", title=title)


class Turn:
    """One press's place in its event's line: recorded after the presses that came before it."""

    def __init__(self, before: asyncio.Future[None] | None, mine: asyncio.Future[None]) -> None:
        self.before, self.mine = before, mine

    async def __aenter__(self) -> None:
        if self.before is not None:
            await asyncio.shield(self.before)

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.done()

    def done(self) -> None:
        if self.mine.done():
            return
        if self.before is None or self.before.done():
            self.mine.set_result(None)
        else:  # cancelled while waiting: the next press still waits for the one before
            self.before.add_done_callback(self._after_before)

    def _after_before(self, _: asyncio.Future[None]) -> None:
        if not self.mine.done():
            self.mine.set_result(None)


class Turns:
    """Presses are handled without blocking other updates (a crowd presses at once), so that their
    reading and answering overlap; their recording stays one at a time per event, in the order the
    presses came (a quick « Je viens » then « Je ne viens pas » ends as « not coming »)."""

    def __init__(self) -> None:
        self._tail: dict[int, asyncio.Future[None]] = {}

    @contextmanager
    def take(self, key: int) -> Iterator[Turn]:
        # No await before the place is taken: the order is the order the updates came in.
        turn = Turn(self._tail.get(key), asyncio.get_running_loop().create_future())
        self._tail[key] = turn.mine
        try:
            yield turn
        finally:
            turn.done()
            if self._tail.get(key) is turn.mine:
                del self._tail[key]


TURNS = Turns()


def _event_key(data: str | None) -> int:
    by_role, plain = RsvpRole.parse(data), RsvpAnswer.parse(data)
    return by_role.event_id if by_role else plain.event_id if plain else 0


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    with TURNS.take(_event_key(query.data)) as turn:
        await _pressed(update, context, turn)


async def _pressed(update: Update, context: Context, turn: Turn) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    svc = services(context)
    by_role, plain = RsvpRole.parse(query.data), RsvpAnswer.parse(query.data)
    role: str | None = None
    if by_role is not None:
        event_id = by_role.event_id
        role = await answers.need_role(svc, event_id, by_role.need_id)
        if role is None:
            await query.answer(actor.t("rsvp.closed"), show_alert=True)
            return
        choice = RsvpStatus.YES
    elif plain is not None:
        event_id, choice = plain.event_id, CODES[plain.answer]
    else:
        await query.answer(actor.t("fallback.button_stale"))
        return
    if actor.person is None:
        async with turn:
            await answers.keep_for_later(svc, actor.telegram_id, event_id, choice, role)
        # Telegram opens the bot with this start payload: the answer is applied after /start.
        await query.answer(actor.t("rsvp.need_start"), url=svc.deep_link(f"ev_{event_id}"))
        return
    async with turn:
        recorded = await answers.record(
            svc, actor.person.id, event_id, choice, role, RsvpSource.BUTTON, datetime.now(UTC)
        )
    if recorded is None:
        await query.answer(actor.t("rsvp.closed"), show_alert=True)
        return
    await query.answer(outcome_text(actor.lang, recorded), show_alert=False)


async def switch_pressed(update: Update, context: Context) -> None:
    """The private "take this task instead" button, sent to someone coming who offered another task."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    svc = services(context)
    data = RsvpSwitch.parse(query.data)
    role = await answers.need_role(svc, data.event_id, data.need_id) if data is not None else None
    if data is None or role is None or actor.person is None:
        await query.answer(actor.t("rsvp.closed"), show_alert=True)
        return
    recorded = await answers.record(
        svc,
        actor.person.id,
        data.event_id,
        RsvpStatus.YES,
        role,
        RsvpSource.BUTTON,
        datetime.now(UTC),
        switch=True,
    )
    if recorded is None:
        await query.answer(actor.t("rsvp.closed"), show_alert=True)
        return
    await query.answer(outcome_text(actor.lang, recorded), show_alert=False)


async def replied(update: Update, context: Context) -> None:
    """A reply to an event's post: recorded when it is about the sender's own participation."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    svc = services(context)
    event_id = await answers.event_of_post(svc, message.chat.id, message.reply_to_message.message_id)
    if event_id is None:
        return
    intent = classify_reply(message.text or "")
    if intent.intent == "other":
        return
    actor = await load_actor(update, context)
    if actor.person is None:
        await answers.keep_for_later(svc, actor.telegram_id, event_id, intent.intent, intent.role)
        await message.reply_text(actor.t("rsvp.start_link", link=svc.deep_link(f"ev_{event_id}")))
        return
    recorded = await answers.record(
        svc,
        actor.person.id,
        event_id,
        intent.intent,
        intent.role,
        RsvpSource.REPLY,
        datetime.now(UTC),
        guests=guest_count(message.text or ""),
    )
    if recorded is None:
        await message.reply_text(actor.t("rsvp.closed"))
        return
    change = recorded.answered.change
    # The same answer again is acknowledged too: the person sees their reply was read.
    status = change.status if change is not None else intent.intent
    waitlist = status == RsvpStatus.WAITLIST
    fallback = actor.t("rsvp.reply_waitlist" if waitlist else "rsvp.reply_ok")
    await acknowledge(message, REACTIONS.get(status, REACTIONS[RsvpStatus.YES]), fallback)
    if waitlist:
        # A reaction cannot say "waiting list": the person learns it in private, the group stays quiet.
        with suppress(Forbidden, BadRequest):
            await context.bot.send_message(actor.telegram_id, outcome_text(actor.lang, recorded))


async def acknowledge(message: Message, emoji: str, fallback: str) -> None:
    """React to a reply; one short message instead where the group has reactions turned off."""
    try:
        await message.set_reaction(ReactionTypeEmoji(emoji))
    except BadRequest as exc:
        if "not found" in str(exc).lower():
            return  # the reply was deleted meanwhile: nothing to acknowledge
        # REACTION_INVALID: the group's admins turned reactions off (or disallow this one).
        await message.reply_text(fallback)
    except TelegramError as exc:
        # The answer is recorded and the post will show it: a lost acknowledgement is not retried.
        log.warning("reaction not set: %s", type(exc).__name__)


async def apply_pending(update: Update, context: Context, actor: Actor, payload: str) -> None:
    """`/start ev_<id>`: answers given before onboarding are recorded now."""
    assert actor.person is not None
    titles = await answers.apply_pending(
        services(context), actor.person.id, actor.telegram_id, datetime.now(UTC)
    )
    for title in titles:
        await answer(update, actor.t("rsvp.pending_applied", title=title))
    if not titles:
        await answer(update, actor.t("start.already", name=actor.person.first_name))


def handlers() -> Handlers:
    groups = filters.ChatType.GROUPS
    return {
        Group.MAIN: [
            # block=False: a crowd's presses overlap; Turns keeps their recording in order.
            CallbackQueryHandler(pressed, pattern=pattern_of(RsvpAnswer, RsvpRole), block=False),
            CallbackQueryHandler(switch_pressed, pattern=RsvpSwitch.pattern()),
            MessageHandler(
                groups & filters.REPLY & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, replied
            ),
        ]
    }

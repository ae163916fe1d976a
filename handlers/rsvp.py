"""Answers to an event's post: its buttons, or a plain-French reply to it in the group."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from telegram import InlineKeyboardMarkup, Message, ReactionTypeEmoji, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.callbacks import RsvpAnswer, RsvpRole, RsvpSwitch, pattern_of
from bot.services import Services
from bot.texts import language_of, t
from capabilities import understanding
from capabilities.events import answers, render
from capabilities.events.answers import Recorded
from domain.replies.guests import guest_count
from domain.statuses import RsvpSource, RsvpStatus
from handlers import corrections
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


class Slot:
    """One answer's place in its event's line: taken as the update comes (before any await, so the
    order is the order of the updates), filled with the answer, then recorded."""

    def __init__(self, line: Line, services: Services, event_id: int, now: datetime) -> None:
        loop = asyncio.get_running_loop()
        self.line, self.services, self.event_id, self.now = line, services, event_id, now
        self.press: answers.Press | None = None
        self.ready: asyncio.Future[None] = loop.create_future()  # filled, or given up
        self.outcome: asyncio.Future[answers.Outcome] = loop.create_future()

    async def record(self, press: answers.Press) -> answers.Outcome:
        """Wait for the answers before this one, then record it (with those queued behind it)."""
        self.press = press
        self._resolve()
        return await asyncio.shield(self.outcome)

    def drop(self) -> None:
        """Nothing to record (a stale button, an error): the line moves on without it."""
        self._resolve()

    def _resolve(self) -> None:
        if not self.ready.done():
            self.ready.set_result(None)
            self.line.wake(self)


class Line:
    """A crowd's answers to one event, recorded in the order they came and in batches: each batch is
    the answers ready at the head of the line, recorded in one transaction (answers.record_line) while
    the next ones gather. Presses are handled without blocking other updates (block=False) and their
    answers overlap; only the recording waits its turn, so a quick « Je viens » then « Je ne viens pas » ends as not coming and a
    full task is never over-filled."""

    # A bound on one transaction: the line keeps moving, and a batch that fails is retried answer by
    # answer without a long replay.
    BATCH = 250

    def __init__(self) -> None:
        self._queues: dict[int, deque[Slot]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._last = datetime.min.replace(tzinfo=UTC)

    def take(self, services: Services, event_id: int) -> Slot:
        # Strictly increasing times: the order of the line is the order of the answers' times too.
        now = max(datetime.now(UTC), self._last + timedelta(microseconds=1))
        self._last = now
        slot = Slot(self, services, event_id, now)
        self._queues.setdefault(event_id, deque()).append(slot)
        return slot

    def wake(self, slot: Slot) -> None:
        if slot.event_id not in self._workers:
            task = asyncio.create_task(self._work(slot.services, slot.event_id), name="rsvp-line")
            self._workers[slot.event_id] = task

    async def _work(self, services: Services, event_id: int) -> None:
        queue = self._queues[event_id]
        try:
            while queue:
                await queue[0].ready
                batch: list[Slot] = []
                while queue and queue[0].ready.done() and len(batch) < self.BATCH:
                    slot = queue.popleft()
                    if slot.press is not None:
                        batch.append(slot)
                if batch:
                    await self._record(services, event_id, batch)
        finally:
            del self._workers[event_id]
            if not queue:
                del self._queues[event_id]

    async def _record(self, services: Services, event_id: int, batch: list[Slot]) -> None:
        presses = [s.press for s in batch if s.press is not None]
        try:
            outcomes = await answers.record_line(services, event_id, presses)
        except Exception as exc:
            if len(batch) == 1:
                batch[0].outcome.set_exception(exc)
                return
            # Nothing of the batch was stored (one transaction): each is recorded alone, so that
            # one failing answer costs only its own.
            log.warning("a batch of %d answers failed; recorded one by one", len(batch), exc_info=True)
            for slot in batch:
                await self._record(services, event_id, [slot])
            return
        for slot, outcome in zip(batch, outcomes, strict=True):
            slot.outcome.set_result(outcome)


LINE_KEY = "rsvp.line"  # Services.extras: this application's line of answers


def line(context: Context) -> Line:
    extras = services(context).extras
    found = extras.get(LINE_KEY)
    if not isinstance(found, Line):
        found = extras[LINE_KEY] = Line()
    return found


def _event_key(data: str | None) -> int:
    by_role, plain = RsvpRole.parse(data), RsvpAnswer.parse(data)
    return by_role.event_id if by_role else plain.event_id if plain else 0


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    slot = line(context).take(services(context), _event_key(query.data))
    try:
        await _pressed(update, context, slot)
    finally:
        slot.drop()


async def _pressed(update: Update, context: Context, slot: Slot) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    svc = services(context)
    by_role, plain = RsvpRole.parse(query.data), RsvpAnswer.parse(query.data)
    if by_role is not None:
        # The task is read when the answer is recorded: a task removed meanwhile answers « closed ».
        event_id, choice, need_id = by_role.event_id, RsvpStatus.YES, by_role.need_id
    elif plain is not None:
        event_id, choice, need_id = plain.event_id, CODES[plain.answer], None
    else:
        await query.answer(t(language_of(user.language_code), "fallback.button_stale"))
        return
    # No look-up of the person here: the line finds all the people of a batch in one query (in a
    # crowd, one query per press was most of the cost), and refreshes their @handle as load_actor would.
    press = answers.Press(user.id, choice, slot.now, need_id=need_id, keep=True, username=user.username)
    outcome = await slot.record(press)
    lang = outcome.lang or language_of(user.language_code)
    if outcome.recorded is not None:
        await query.answer(outcome_text(lang, outcome.recorded), show_alert=False)
    elif outcome.kept:
        # Telegram opens the bot with this start payload: the answer is applied after /start.
        await query.answer(t(lang, "rsvp.need_start"), url=svc.deep_link(f"ev_{event_id}"))
    else:
        await query.answer(t(lang, "rsvp.closed"), show_alert=True)


async def switch_pressed(update: Update, context: Context) -> None:
    """The private "take this task instead" button, sent to someone coming who offered another task."""
    query = update.callback_query
    assert query is not None
    data = RsvpSwitch.parse(query.data)
    slot = line(context).take(services(context), data.event_id if data is not None else 0)
    try:
        actor = await load_actor(update, context)
        recorded: Recorded | None = None
        if data is not None and actor.person is not None:
            press = answers.Press(
                actor.telegram_id, RsvpStatus.YES, slot.now, need_id=data.need_id, switch=True
            )
            recorded = (await slot.record(press)).recorded
    finally:
        slot.drop()
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
    intent = await understanding.read_reply(svc, message.text or "", message.reply_to_message.text or "")
    if intent.intent == "other":
        return
    actor = await load_actor(update, context)
    if actor.person is None:
        await answers.keep_for_later(svc, actor.telegram_id, event_id, intent.intent, intent.role)
        await message.reply_text(actor.t("rsvp.start_link", link=svc.deep_link(f"ev_{event_id}")))
        return
    # In the event's line with the presses: one writer of its answers at a time, in order.
    slot = line(context).take(svc, event_id)
    try:
        press = answers.Press(
            actor.telegram_id,
            intent.intent,
            slot.now,
            role=intent.role,
            source=RsvpSource.REPLY,
            guests=guest_count(message.text or ""),
        )
        recorded = (await slot.record(press)).recorded
    finally:
        slot.drop()
    if recorded is None:
        await message.reply_text(actor.t("rsvp.closed"))
        return
    change = recorded.answered.change
    # The same answer again is acknowledged too: the person sees their reply was read.
    status = change.status if change is not None else intent.intent
    waitlist = status == RsvpStatus.WAITLIST
    fallback = actor.t("rsvp.reply_waitlist" if waitlist else "rsvp.reply_ok")
    # « Ce n'est pas ça » (issue 17): on the group's acknowledgement when it is a message, else in
    # private when the reading is doubtful (the learned model reads it otherwise).
    fix = await corrections.remember(context, message, actor, event_id, intent)
    markup = corrections.wrong_button(actor.lang, fix) if fix is not None else None
    posted = await acknowledge(message, REACTIONS.get(status, REACTIONS[RsvpStatus.YES]), fallback, markup)
    if waitlist:
        # A reaction cannot say "waiting list": the person learns it in private, the group stays quiet.
        with suppress(Forbidden, BadRequest):
            await context.bot.send_message(actor.telegram_id, outcome_text(actor.lang, recorded))
    if fix is not None and not posted and intent.doubtful:
        role = change.role if change is not None else intent.role
        await corrections.offer(context, actor, fix, recorded.event.title, status, role)


async def acknowledge(
    message: Message, emoji: str, fallback: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """React to a reply; one short message instead where the group has reactions turned off (True
    then: it carries `markup`)."""
    try:
        await message.set_reaction(ReactionTypeEmoji(emoji))
    except BadRequest as exc:
        if "not found" in str(exc).lower():
            return False  # the reply was deleted meanwhile: nothing to acknowledge
        # REACTION_INVALID: the group's admins turned reactions off (or disallow this one).
        await message.reply_text(fallback, reply_markup=markup)
        return True
    except TelegramError as exc:
        # The answer is recorded and the post will show it: a lost acknowledgement is not retried.
        log.warning("reaction not set: %s", type(exc).__name__)
    return False


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
            # block=False: a crowd's presses overlap; their Line keeps the recording in order.
            CallbackQueryHandler(pressed, pattern=pattern_of(RsvpAnswer, RsvpRole), block=False),
            CallbackQueryHandler(switch_pressed, pattern=RsvpSwitch.pattern()),
            MessageHandler(
                groups & filters.REPLY & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, replied
            ),
        ]
    }

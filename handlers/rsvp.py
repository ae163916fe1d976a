"""Answers to an event's post: its buttons, or a plain-French reply to it in the group."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.callbacks import RsvpAnswer, RsvpRole, pattern_of
from bot.texts import t
from capabilities.events import answers, render
from capabilities.events.answers import Recorded
from domain.replies import classify_reply
from domain.statuses import RsvpSource, RsvpStatus
from handlers.common import Actor, Context, Group, Handlers, answer, load_actor, services

CODES = {"y": RsvpStatus.YES, "m": RsvpStatus.MAYBE, "n": RsvpStatus.NO}


def outcome_text(lang: str, recorded: Recorded) -> str:
    change, title = recorded.answered.change, recorded.event.title
    if change is None:
        return t(lang, "rsvp.same")
    role = render.role_label(lang, change.role) if change.role else ""
    if change.status == RsvpStatus.WAITLIST:
        return t(lang, "rsvp.waitlist", role=role, title=title)
    if change.status == RsvpStatus.YES:
        return t(lang, "rsvp.yes_role" if role else "rsvp.yes", role=role, title=title)
    return t(lang, "rsvp.maybe" if change.status == RsvpStatus.MAYBE else "rsvp.no", title=title)


async def pressed(update: Update, context: Context) -> None:
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
        await answers.keep_for_later(svc, actor.telegram_id, event_id, choice, role)
        # Telegram opens the bot with this start payload: the answer is applied after /start.
        await query.answer(actor.t("rsvp.need_start"), url=svc.deep_link(f"ev_{event_id}"))
        return
    recorded = await answers.record(
        svc, actor.person.id, event_id, choice, role, RsvpSource.BUTTON, datetime.now(UTC)
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
        svc, actor.person.id, event_id, intent.intent, intent.role, RsvpSource.REPLY, datetime.now(UTC)
    )
    if recorded is None:
        await message.reply_text(actor.t("rsvp.closed"))
        return
    change = recorded.answered.change
    if change is None:
        return
    await message.reply_text(
        actor.t("rsvp.reply_waitlist" if change.status == RsvpStatus.WAITLIST else "rsvp.reply_ok")
    )


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
            CallbackQueryHandler(pressed, pattern=pattern_of(RsvpAnswer, RsvpRole)),
            MessageHandler(
                groups & filters.REPLY & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, replied
            ),
        ]
    }

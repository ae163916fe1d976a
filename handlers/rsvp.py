"""Answers to an announcement: its buttons, or a plain-French reply to it in the group."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.texts import t
from capabilities.events import agenda, render
from domain.replies import classify_reply
from domain.rsvp import MAYBE, NO, WAITLIST, YES
from handlers.common import Actor, Context, Group, Handlers, answer, load_actor, services
from storage import events as q
from storage.models import Event, Person

CODES = {"y": YES, "m": MAYBE, "n": NO}


def outcome_text(lang: str, event: Event, result: agenda.Answered) -> str:
    change = result.change
    if change is None:
        return t(lang, "rsvp.same")
    role = render.role_label(lang, change.role) if change.role else ""
    if change.status == WAITLIST:
        return t(lang, "rsvp.waitlist", role=role, title=event.title)
    if change.status == YES:
        return t(lang, "rsvp.yes_role" if role else "rsvp.yes", role=role, title=event.title)
    return t(lang, "rsvp.maybe" if change.status == MAYBE else "rsvp.no", title=event.title)


async def _record(context: Context, actor: Actor, event_id: int, answer_: str, role: str | None, source: str
                  ) -> tuple[Event | None, agenda.Answered | None]:
    assert actor.person is not None
    async with services(context).transaction() as s:
        event = await q.event_by_id(s, event_id, lock=True)
        if event is None or event.status != "scheduled" or event.ends_at <= datetime.now(UTC):
            return event, None
        person = await s.get(Person, actor.person.id)
        assert person is not None
        result = await agenda.record_answer(s, event, person, answer_, role, source, datetime.now(UTC))
        return event, result


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    _, event_part, choice = (query.data or "::").split(":", 2)
    event_id = int(event_part) if event_part.isdigit() else -1
    role = None
    if choice.startswith("r") and choice[1:].isdigit():
        async with services(context).db.session() as s:
            event = await q.event_by_id(s, event_id)
        need = next((n for n in event.needs if n.id == int(choice[1:])), None) if event else None
        if need is None:
            await query.answer(actor.t("rsvp.closed"), show_alert=True)
            return
        answer_, role = YES, need.role
    elif choice in CODES:
        answer_ = CODES[choice]
    else:
        await query.answer(actor.t("fallback.button_stale"))
        return
    if not actor.onboarded:
        await _remember_for_later(context, actor, event_id, answer_, role)
        # Telegram opens the bot with this start payload: the answer is applied after /start.
        await query.answer(actor.t("rsvp.need_start"), url=services(context).deep_link(f"ev_{event_id}"))
        return
    event, result = await _record(context, actor, event_id, answer_, role, "button")
    if result is None:
        await query.answer(actor.t("rsvp.closed"), show_alert=True)
        return
    assert event is not None
    await query.answer(outcome_text(actor.lang, event, result), show_alert=False)


async def _remember_for_later(context: Context, actor: Actor, event_id: int, answer_: str, role: str | None) -> None:
    async with services(context).transaction() as s:
        event = await q.event_by_id(s, event_id)
        if event is not None and event.status == "scheduled":
            await q.save_pending_rsvp(s, actor.telegram_id, event_id, answer_, role)


async def replied(update: Update, context: Context) -> None:
    """A reply to an announcement: recorded when it is about the sender's own participation."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    async with services(context).db.session() as s:
        ann = await q.announcement_for_message(s, message.chat.id, message.reply_to_message.message_id)
    if ann is None:
        return
    intent = classify_reply(message.text or "")
    if intent.intent == "other":
        return
    actor = await load_actor(update, context)
    if not actor.onboarded:
        await _remember_for_later(context, actor, ann.event_id, intent.intent, intent.role)
        await message.reply_text(actor.t("rsvp.start_link", link=services(context).deep_link(f"ev_{ann.event_id}")))
        return
    event, result = await _record(context, actor, ann.event_id, intent.intent, intent.role, "reply")
    if result is None:
        await message.reply_text(actor.t("rsvp.closed"))
        return
    if result.change is None:
        return
    key = "rsvp.reply_waitlist" if result.change.status == WAITLIST else "rsvp.reply_ok"
    await message.reply_text(actor.t(key))


async def apply_pending(update: Update, context: Context, actor: Actor, payload: str) -> None:
    """`/start ev_<id>`: answers given before onboarding are recorded now."""
    assert actor.person is not None
    now = datetime.now(UTC)
    applied: list[str] = []
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id)
        assert person is not None
        for pending in await q.pop_pending_rsvps(s, actor.telegram_id):
            event = await q.event_by_id(s, pending.event_id, lock=True)
            if event is None or event.status != "scheduled" or event.ends_at <= now:
                continue
            await agenda.record_answer(s, event, person, pending.answer, pending.role, "deeplink", now)
            applied.append(event.title)
    for title in applied:
        await answer(update, actor.t("rsvp.pending_applied", title=title))
    if not applied:
        await answer(update, actor.t("start.already", name=actor.person.first_name))


def handlers() -> Handlers:
    groups = filters.ChatType.GROUPS
    return {Group.MAIN: [
        CallbackQueryHandler(pressed, pattern=r"^rsvp:\d+:(y|m|n|r\d+)$"),
        MessageHandler(groups & filters.REPLY & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, replied),
    ]}

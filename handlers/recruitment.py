"""/besoins and recruiting, the ask buttons, /pause and /reprendre, reminder and attendance buttons."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands, paging
from bot.callbacks import AskReply, AttendanceReply, Recruit, ReminderReply, WhoWasAsked
from capabilities import recruitment
from capabilities.events.organise import Organiser
from capabilities.recruitment import Reply, reminders
from capabilities.recruitment.cards import asked_text, need_card
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, services

ORGANISERS = tuple(commands.ORGANISERS)
MAX_EVENTS = 8  # cards per /besoins (one message each, gentle on the chat); the rest is counted


@command(commands.BESOINS)
async def needs(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    short = await recruitment.shortage(services(context), _organiser(actor), datetime.now(UTC), MAX_EVENTS)
    if not short.events:
        await answer(update, actor.t("needs.none"))
        return
    await answer(update, actor.t("needs.header", count=len(short.events)))
    for event in short.events[:MAX_EVENTS]:
        text, rows = need_card(actor.lang, event, short.counts[event.id], short.pending)
        await answer(update, paging.shorten(text), rows)
    if len(short.events) > MAX_EVENTS:
        await answer(update, actor.t("needs.more", count=len(short.events) - MAX_EVENTS))


async def _finish(update: Update, actor: Actor, reply: Reply) -> None:
    """Acknowledge the press, retire the spent buttons, say what happened."""
    query = update.callback_query
    assert query is not None
    if reply.alert:
        await query.answer(actor.t(reply.key), show_alert=True)
        return
    await query.answer()
    if reply.final:
        # Already gone or too old: the answer below is what matters.
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
    await answer(update, actor.t(reply.key, **reply.values))


def _organiser(actor: Actor) -> Organiser:
    assert actor.person is not None
    return Organiser(actor.person, actor.roles)


def _pressed(update: Update) -> str | None:
    query = update.callback_query
    assert query is not None
    return query.data


@button(*ORGANISERS)
async def recruit(update: Update, context: Context, actor: Actor) -> None:
    pressed = Recruit.parse(_pressed(update))
    assert pressed is not None and actor.person is not None
    reply = await recruitment.recruit(
        services(context),
        _organiser(actor),
        pressed.event_id,
        pressed.need_id,
        datetime.now(UTC),
        actor.lang,
    )
    await _finish(update, actor, reply)


@button(*ORGANISERS)
async def who_was_asked(update: Update, context: Context, actor: Actor) -> None:
    pressed = WhoWasAsked.parse(_pressed(update))
    assert pressed is not None and actor.person is not None
    svc = services(context)
    report = await recruitment.asked_report(svc, _organiser(actor), pressed.event_id, datetime.now(UTC))
    if isinstance(report, Reply):
        await _finish(update, actor, report)
        return
    query = update.callback_query
    assert query is not None
    await query.answer()
    await answer(update, asked_text(actor.lang, report, svc.settings.ask_max_per_person_per_week))


@command(commands.PAUSE)
async def pause(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    changed = await recruitment.set_paused(services(context), actor.person.id, True)
    await answer(update, actor.t("pause.done" if changed else "pause.already"))


@command(commands.REPRENDRE)
async def resume(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    svc = services(context)
    changed = await recruitment.set_paused(svc, actor.person.id, False)
    cap = svc.settings.ask_max_per_person_per_week
    await answer(update, actor.t("resume.done" if changed else "resume.already", cap=cap))


@button()
async def ask_answer(update: Update, context: Context, actor: Actor) -> None:
    pressed = AskReply.parse(_pressed(update))
    assert pressed is not None and actor.person is not None
    reply = await recruitment.reply_to_ask(
        services(context),
        pressed.ask_id,
        actor.person.id,
        pressed.answer == "y",
        datetime.now(UTC),
        actor.lang,
    )
    await _finish(update, actor, reply)


@button()
async def reminder_answer(update: Update, context: Context, actor: Actor) -> None:
    pressed = ReminderReply.parse(_pressed(update))
    assert pressed is not None and actor.person is not None
    reply = await reminders.reply_to_reminder(
        services(context),
        pressed.participation_id,
        actor.person.id,
        pressed.answer == "ok",
        datetime.now(UTC),
        actor.lang,
    )
    await _finish(update, actor, reply)


@button()
async def attendance_answer(update: Update, context: Context, actor: Actor) -> None:
    pressed = AttendanceReply.parse(_pressed(update))
    assert pressed is not None and actor.person is not None
    reply = await reminders.reply_to_attendance(
        services(context), pressed.participation_id, actor.person.id, pressed.answer == "y", actor.lang
    )
    await _finish(update, actor, reply)


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.BESOINS.name, needs),
            CommandHandler(commands.PAUSE.name, pause),
            CommandHandler(commands.REPRENDRE.name, resume),
            CallbackQueryHandler(recruit, pattern=Recruit.pattern()),
            CallbackQueryHandler(who_was_asked, pattern=WhoWasAsked.pattern()),
            CallbackQueryHandler(ask_answer, pattern=AskReply.pattern()),
            CallbackQueryHandler(reminder_answer, pattern=ReminderReply.pattern()),
            CallbackQueryHandler(attendance_answer, pattern=AttendanceReply.pattern()),
        ]
    }

"""/besoins and recruiting, the ask buttons, /pause and /reprendre, reminder and attendance buttons."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands, paging
from bot.callbacks import (
    AskReply,
    AttendanceReply,
    NeedsOpen,
    NeedsPage,
    Recruit,
    ReminderReply,
    WhoWasAsked,
    pattern_of,
)
from capabilities import recruitment
from capabilities.events.organise import Organiser
from capabilities.recruitment import Reply, lists, reminders
from capabilities.recruitment.cards import asked_text, need_card
from handlers.common import (
    NO_CITY,
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    button,
    command,
    load_actor,
    role_names,
    services,
    typed_city,
)
from handlers.paged import show as show_page

ORGANISERS = tuple(commands.ORGANISERS)
CITY_BUTTONS = 9  # /besoins offers a button per city up to this many cities (then: /besoins Lyon)


@command(commands.BESOINS)
async def needs(update: Update, context: Context, actor: Actor) -> None:
    """One message: the events short of people, a page at a time (`/besoins Lyon`: one city)."""
    assert actor.person is not None
    svc = services(context)
    city_id = await typed_city(update, context, actor)
    if city_id == NO_CITY:
        return
    page = await lists.needs_page(svc, _organiser(actor), datetime.now(UTC), 0, city_id)
    if not page.window.total and not city_id:
        await answer(update, actor.t("needs.none"))
        return
    await answer(update, *_needs_page(actor, page))


def _needs_page(actor: Actor, page: lists.NeedsPage) -> tuple[str, Rows]:
    lang, win = actor.lang, page.window
    key = "needs.header_city" if page.city else "needs.header"
    header = actor.t(key, count=win.total, city=page.city)
    lines = ["\n" + need_card(lang, e, page.counts[e.id], page.pending)[0] for e in page.events] or [
        actor.t("needs.none_city", city=page.city) if page.city else actor.t("needs.none")
    ]
    rows: Rows = [
        [(actor.t("btn.needs_open", title=e.title[:40]), NeedsOpen(e.id, page.city_id, win.page).pack())]
        for e in page.events
    ]
    nav = paging.nav_row(lang, win, lambda n: NeedsPage(page.city_id, n).pack())
    if nav:
        rows.append(nav)
    if 1 < len(page.cities) <= CITY_BUTTONS:  # the filter by city (typed past that), and back to all
        cells = [(name[:30], NeedsPage(cid, 0).pack()) for cid, name in page.cities if cid != page.city_id]
        if page.city_id:
            cells.insert(0, (actor.t("btn.needs_all_cities"), NeedsPage(0, 0).pack()))
        rows += [cells[i : i + 3] for i in range(0, len(cells), 3)]
    return paging.page_message(header, lines, paging.footer(lang, win)), rows


async def needs_pressed(update: Update, context: Context) -> None:
    """A page of /besoins, or one event opened from it (Retour leads back to that page)."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    page_pressed, open_pressed = NeedsPage.parse(query.data), NeedsOpen.parse(query.data)
    if not actor.has(*ORGANISERS) or actor.person is None:
        await query.answer(
            actor.t("perm.denied", who=role_names(actor.lang, set(ORGANISERS))), show_alert=True
        )
        return
    svc, now = services(context), datetime.now(UTC)
    if open_pressed is not None:
        found = await lists.needs_of(svc, _organiser(actor), open_pressed.event_id)
        if found is None:
            await query.answer(actor.t("fallback.button_stale"), show_alert=True)
            return
        await query.answer()
        event, counts, pending = found
        text, rows = need_card(actor.lang, event, counts, pending)
        back = NeedsPage(open_pressed.city_id, open_pressed.page).pack()
        rows.append([(actor.t("btn.back"), back)])
        await show_page(update, paging.shorten(text), rows)
        return
    assert page_pressed is not None
    await query.answer()
    page = await lists.needs_page(svc, _organiser(actor), now, page_pressed.page, page_pressed.city_id)
    await show_page(update, *_needs_page(actor, page))


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
            CallbackQueryHandler(needs_pressed, pattern=pattern_of(NeedsPage, NeedsOpen)),
            CallbackQueryHandler(recruit, pattern=Recruit.pattern()),
            CallbackQueryHandler(who_was_asked, pattern=WhoWasAsked.pattern()),
            CallbackQueryHandler(ask_answer, pattern=AskReply.pattern()),
            CallbackQueryHandler(reminder_answer, pattern=ReminderReply.pattern()),
            CallbackQueryHandler(attendance_answer, pattern=AttendanceReply.pattern()),
        ]
    }

"""Personal-data rights: /mes_donnees, /supprimer_mes_donnees and /stop for anyone (even someone the
bot never onboarded), /donnees_personne for coordinators answering a request made by email or mail,
/purge for treasurers. Every request is logged in the register (DataRequest) with its date.

A request is closed once its answer has gone out: if sending fails, it stays open and the day-20
reminder brings it back to the coordinators.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, TypeHandler

from bot import commands
from bot.callbacks import (
    DataRequestsPage,
    ErasureAnswer,
    FinancialRecords,
    PersonAction,
    PersonErasureAnswer,
    PurgeAnswer,
    RequestDone,
)
from bot.menus import refresh_menu
from bot.texts import Html
from capabilities.privacy import purge as purging
from capabilities.privacy import requests
from capabilities.privacy.access import export_bytes, has_data, summary
from capabilities.privacy.erasure import Erasure, erasure_parts, kept_text
from capabilities.privacy.requests import Settled, Target
from capabilities.privacy.retention import record_activity
from domain.people import Role
from domain.statuses import RequestKind
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, services, user_data
from handlers.paged import show as show_page

TARGET = "privacy_target"
KINDS = {"a": RequestKind.ACCESS, "e": RequestKind.ERASURE, "s": RequestKind.STOP}


async def _send_export(
    update: Update, lang: str, export: dict[str, Any], caption: str, filename: str
) -> None:
    await answer(update, summary(lang, export))
    if has_data(export):
        await _send_file(update, export, caption, filename)


async def _send_file(update: Update, data: dict[str, Any], caption: str, filename: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(InputFile(export_bytes(data), filename=filename), caption=caption)


def _erasure(context: Context, actor: Actor, done: Erasure) -> dict[str, Html]:
    """What goes and what the law keeps, for the texts that say it (`{erased}`, `{kept}`)."""
    settings = services(context).settings
    return {
        "erased": Html(erasure_parts(actor.lang, done)),
        "kept": Html(kept_text(actor.lang, done, settings)),
    }


# --- Anyone ------------------------------------------------------------------------------------


@command(commands.MES_DONNEES)
async def my_data(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    access = await requests.access_mine(svc, actor.telegram_id)
    await _send_export(update, actor.lang, access.export, actor.t("pv.export_caption"), "mes-donnees.json")
    await requests.close(svc, access.request_id)


@command(commands.SUPPRIMER_MES_DONNEES)
async def erase_mine(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    request_id, found = await requests.ask_erasure(svc, actor.telegram_id)
    if not found.anything:
        await answer(update, actor.t("pv.erase_nothing"))
        return
    rows = [
        [
            (actor.t("pv.btn_erase_yes"), ErasureAnswer(request_id, "y").pack()),
            (actor.t("btn.cancel"), ErasureAnswer(request_id, "n").pack()),
        ]
    ]
    await answer(update, actor.t("pv.erase_ask", **_erasure(context, actor, found)), rows)


@button(member=False)
async def confirm_erase(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    choice = ErasureAnswer.parse(query.data)
    assert choice is not None
    yes = choice.answer == "y"
    settled = await requests.confirm_erasure(
        services(context), choice.request_id, yes, telegram_id=actor.telegram_id
    )
    done = await _settle(update, actor, settled)
    if done is None:
        return
    user_data(context).clear()  # drafts in memory may hold what was just erased
    await refresh_menu(context.bot, actor.telegram_id, frozenset(), actor.lang)
    await answer(update, actor.t("pv.erase_done", **_erasure(context, actor, done)))


async def _settle(update: Update, actor: Actor, settled: Settled) -> Erasure | None:
    """Close an erasure confirmation: a stale button alerts; otherwise the buttons go and, when
    nothing was erased (cancelled, already done), its key is the answer. The erasure when done."""
    query = update.callback_query
    assert query is not None
    if settled.key == requests.STALE:
        await query.answer(actor.t(settled.key), show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if settled.erased is None:
        await answer(update, actor.t(settled.key))
    return settled.erased


@command(commands.STOP)
async def stop(update: Update, context: Context, actor: Actor) -> None:
    cancelled = await requests.stop_mine(services(context), actor.telegram_id)
    if cancelled is None:
        await answer(update, actor.t("pv.stop_nothing"))
        return
    extra = actor.t("pv.stop_cancelled", count=cancelled) if cancelled else ""
    # The way back, one command per thing stopped, only those this person may run.
    back = [
        actor.t(f"pv.back.{spec.name}")
        for spec in (commands.REPRENDRE, commands.STOP_ANNONCES, commands.DIGEST_PAUSE)
        if spec.allows(actor.roles, actor.onboarded)
    ]
    await answer(update, actor.t("pv.stop_done", cancelled=Html(extra), back=Html(", ".join(back))))


# --- Coordinators: a request made outside Telegram ----------------------------------------------


@command(commands.DONNEES_PERSONNE)
async def person_data(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    ident = " ".join(context.args or []).strip()
    if not ident:
        await show_page(update, *await requests.open_page(svc, actor.lang, 0))
        return
    found = await requests.look_up(svc, ident)
    if found is None:
        await answer(update, actor.t("pv.pp_unknown", who=ident))
        return
    subject, stored = found
    user_data(context)[TARGET] = Target(subject.telegram_id, subject.emails)
    rows = [
        [
            (actor.t("pv.btn_access"), PersonAction("a").pack()),
            (actor.t("pv.btn_erase"), PersonAction("e").pack()),
        ],
        [
            (actor.t("pv.btn_stop"), PersonAction("s").pack()),
            (actor.t("btn.cancel"), PersonAction("x").pack()),
        ],
    ]
    profile = subject.label() if subject.person is not None else actor.t("profile.none")
    text = actor.t(
        "pv.pp_found", who=subject.label(), profile=profile, donors=stored.donors, emails=stored.emails_sent
    )
    await answer(update, text, rows)


@button(Role.COORDINATOR)
async def requests_page(update: Update, context: Context, actor: Actor) -> None:
    """/donnees_personne: another page of the open requests, edited in place (coordinators only,
    checked again; a forged page number is clamped)."""
    query = update.callback_query
    assert query is not None
    pressed = DataRequestsPage.parse(query.data)
    assert pressed is not None  # the handler's pattern
    await query.answer()
    await show_page(update, *await requests.open_page(services(context), actor.lang, pressed.page))


@button(Role.COORDINATOR)
async def person_action(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    choice = PersonAction.parse(query.data)
    assert choice is not None
    target = user_data(context).pop(TARGET, None)
    if not isinstance(target, Target):
        await query.answer(actor.t("fallback.button_stale"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if choice.action == "x":
        await answer(update, actor.t("cancel.done"))
        return
    svc = services(context)
    kind = KINDS[choice.action]
    done = await requests.act_for(svc, actor.person, target, kind, treasurer=actor.has(Role.TREASURER))
    who, request_id = done.who, done.request_id
    if done.access is not None:
        caption = actor.t("pv.pp_caption", who=who, id=request_id)
        await _send_export(
            update, actor.lang, done.access.export, caption, f"donnees-demande-{request_id}.json"
        )
        await requests.close(svc, request_id)
        note = actor.t("pv.pp_access_done", who=who, id=request_id)
        if done.access.hidden:
            note += "\n" + actor.t("pv.pp_financial_notified", count=done.access.hidden)
        await answer(update, note)
    elif kind == RequestKind.ERASURE:
        rows = [
            [
                (actor.t("pv.btn_erase_yes"), PersonErasureAnswer(request_id, "y").pack()),
                (actor.t("btn.cancel"), PersonErasureAnswer(request_id, "n").pack()),
            ]
        ]
        await answer(
            update, actor.t("pv.pp_erase_ask", who=who, **_erasure(context, actor, done.found)), rows
        )
    else:
        await requests.close(svc, request_id)
        key = "pv.pp_stopped" if done.had_profile else "pv.pp_stop_nothing"
        await answer(update, actor.t(key, who=who, id=request_id))


@button(Role.COORDINATOR)
async def person_erase(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    choice = PersonErasureAnswer.parse(query.data)
    assert choice is not None
    yes = choice.answer == "y"
    settled = await requests.confirm_erasure(
        services(context), choice.request_id, yes, coordinator=actor.person
    )
    done = await _settle(update, actor, settled)
    if done is None:
        return
    if done.telegram_id is not None:
        # Their drafts in memory may hold what was just erased; the stored ones went with the rest.
        context.application.drop_user_data(done.telegram_id)
    text = actor.t("pv.pp_erased", who=settled.who, id=choice.request_id, **_erasure(context, actor, done))
    await answer(update, text)


@button(Role.COORDINATOR)
async def mark_done(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    choice = RequestDone.parse(query.data)
    assert choice is not None
    closed = await requests.mark_done(services(context), actor.person, choice.request_id)
    await query.answer(actor.t("pv.done_ok" if closed else "pv.already_done", id=choice.request_id))
    await query.edit_message_reply_markup(None)


@button(Role.TREASURER)
async def send_financial(update: Update, context: Context, actor: Actor) -> None:
    """From the treasurers' notice: the donor records of an access request, to send on."""
    query = update.callback_query
    assert query is not None
    choice = FinancialRecords.parse(query.data)
    assert choice is not None
    request_id = choice.request_id
    part = await requests.financial_records(services(context), actor.person, request_id)
    if part is None:
        await query.answer(actor.t("fallback.button_stale"), show_alert=True)
        return
    await query.answer()
    if not (part["donateur"] or part["dons"] or part["adhesions"]):
        await answer(update, actor.t("pv.fin_none", id=request_id))
        return
    caption = actor.t("pv.fin_caption", id=request_id)
    await _send_file(update, part, caption, f"finances-demande-{request_id}.json")


# --- Treasurers: records past their legal retention -----------------------------------------------


@command(commands.PURGE)
async def purge(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    years = svc.settings.financial_retention_years
    preview = await purging.preview(svc)
    if preview.empty:
        await answer(update, actor.t("pv.purge_none", years=years))
        return
    rows = [
        [
            (actor.t("pv.btn_purge"), PurgeAnswer(preview.cutoff.isoformat()).pack()),
            (actor.t("btn.cancel"), PurgeAnswer("no").pack()),
        ]
    ]
    await answer(update, purging.preview_text(actor.lang, preview, years), rows)


@button(Role.TREASURER)
async def confirm_purge(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    choice = PurgeAnswer.parse(query.data)
    assert choice is not None
    cutoff = _day(choice.cutoff)
    if choice.cutoff != "no" and cutoff is None:  # not a day: a forged button
        await query.answer(actor.t("fallback.button_stale"))
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if cutoff is None:
        await answer(update, actor.t("cancel.done"))
        return
    gifts, members, donors = await purging.confirm(services(context), cutoff, actor.person)
    await answer(update, actor.t("pv.purge_done", donations=gifts, memberships=members, donors=donors))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- Activity, for retention ----------------------------------------------------------------------


async def touch(update: Update, context: Context) -> None:
    """Stamp the person's last activity (the first group: it sees each update, and never stops it)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await record_activity(services(context), user.id, datetime.now(UTC))


def handlers() -> Handlers:
    return {
        # block=False: bookkeeping never holds up the update it stamps (a crowd pressing at once).
        Group.ACTIVITY: [TypeHandler(Update, touch, block=False)],
        Group.MAIN: [
            CommandHandler(commands.MES_DONNEES.name, my_data),
            CommandHandler(commands.SUPPRIMER_MES_DONNEES.name, erase_mine),
            CommandHandler(commands.STOP.name, stop),
            CommandHandler(commands.DONNEES_PERSONNE.name, person_data),
            CommandHandler(commands.PURGE.name, purge),
            CallbackQueryHandler(confirm_erase, pattern=ErasureAnswer.pattern()),
            CallbackQueryHandler(person_action, pattern=PersonAction.pattern()),
            CallbackQueryHandler(requests_page, pattern=DataRequestsPage.pattern()),
            CallbackQueryHandler(person_erase, pattern=PersonErasureAnswer.pattern()),
            CallbackQueryHandler(mark_done, pattern=RequestDone.pattern()),
            CallbackQueryHandler(send_financial, pattern=FinancialRecords.pattern()),
            CallbackQueryHandler(confirm_purge, pattern=PurgeAnswer.pattern()),
        ],
    }

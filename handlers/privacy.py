"""Personal-data rights: /mes_donnees, /supprimer_mes_donnees and /stop for anyone (even someone the
bot never onboarded), /donnees_personne for coordinators answering a request made by email or mail,
/purge for treasurers. Every request is logged in the register (DataRequest) with its date.

A request is closed once its answer has gone out: if sending fails, it stays open and the day-20
reminder brings it back to the coordinators.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, TypeHandler

from bot import commands
from bot.menus import refresh_menu
from bot.texts import Html, t
from capabilities import privacy
from domain.money import format_eur
from domain.people import Role
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, load_actor, services
from storage import people as pq
from storage import privacy as q
from storage.models import Person

log = logging.getLogger(__name__)

ERASE = re.compile(r"^pv:er:(\d+):([yn])$")
PERSON_ACTION = re.compile(r"^pv:pa:([aesx])$")
PERSON_ERASE = re.compile(r"^pv:pe:(\d+):([yn])$")
DONE = re.compile(r"^pv:done:(\d+)$")
FINANCIAL = re.compile(r"^pv:fin:(\d+)$")
PURGE = re.compile(r"^pv:pu:(\d{4}-\d{2}-\d{2}|no)$")
TARGET = "privacy_target"
PURGE_LINES = 20
# Before every other group: the activity stamp sees each update, and never stops it.
Rows = list[list[tuple[str, str]]]


async def _send_export(update: Update, lang: str, export: dict[str, Any], caption: str, filename: str) -> None:
    await answer(update, privacy.summary(lang, export))
    if privacy.has_data(export):
        chat = update.effective_chat
        assert chat is not None
        await chat.send_document(InputFile(privacy.export_bytes(export), filename=filename), caption=caption)


async def _close(context: Context, request_id: int) -> None:
    async with services(context).transaction() as s:
        await q.close_request(s, request_id, datetime.now(UTC))


# --- Anyone ------------------------------------------------------------------------------------


@command(commands.MES_DONNEES)
async def my_data(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    async with services(context).transaction() as s:
        # Logged first, so that the export shows this request too.
        request = await q.add_request(s, q.ACCESS, telegram_id=actor.telegram_id, now=now)
        subject = await privacy.subject_of_user(s, actor.telegram_id)
        export = await privacy.collect(s, subject, financial=True, now=now)
        await pq.audit(s, actor.person, "privacy.access", f"request:{request.id}")
    await _send_export(update, actor.lang, export, actor.t("pv.export_caption"), "mes-donnees.json")
    await _close(context, request.id)


@command(commands.SUPPRIMER_MES_DONNEES)
async def erase_mine(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    async with services(context).transaction() as s:
        subject = await privacy.subject_of_user(s, actor.telegram_id)
        found = await privacy.inventory(s, subject)
        request = await q.add_request(s, q.ERASURE, telegram_id=actor.telegram_id, now=now,
                                      done=not found.anything, note="" if found.anything else "rien à effacer")
    if not found.anything:
        await answer(update, actor.t("pv.erase_nothing"))
        return
    settings = services(context).settings
    await answer(update, actor.t("pv.erase_ask", erased=Html(privacy.erasure_parts(actor.lang, found)),
                                 kept=Html(privacy.kept_text(actor.lang, found, settings))),
                 [[(actor.t("pv.btn_erase_yes"), f"pv:er:{request.id}:y"), (actor.t("btn.cancel"), f"pv:er:{request.id}:n")]])


async def confirm_erase(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    match = ERASE.match(query.data or "")
    assert match is not None
    svc = services(context)
    now = datetime.now(UTC)
    key, done = "", None
    async with svc.transaction() as s:
        request = await q.request_by_id(s, int(match.group(1)), lock=True)
        if request is None or request.kind != q.ERASURE or request.telegram_id != actor.telegram_id \
                or request.requested_by is not None:
            key = "fallback.button_stale"
        elif request.done_at is not None:
            key = "pv.already_done"
        elif match.group(2) == "n":
            await q.close_request(s, request.id, now, note="annulée par la personne")
            key = "pv.erase_cancelled"
        else:
            subject = await privacy.subject_of_user(s, actor.telegram_id)
            done = await privacy.erase(s, subject, request=request, actor=None, now=now)
    if not await _settle_confirmation(update, actor, key, erased=done is not None):
        return
    if context.user_data is not None:
        context.user_data.clear()  # drafts in memory may hold what was just erased
    await refresh_menu(context.bot, actor.telegram_id, frozenset(), actor.lang)
    await answer(update, actor.t("pv.erase_done", erased=Html(privacy.erasure_parts(actor.lang, done)),
                                 kept=Html(privacy.kept_text(actor.lang, done, svc.settings))))


async def _settle_confirmation(update: Update, actor: Actor, key: str, *, erased: bool) -> bool:
    """Close an erasure confirmation: a stale button alerts; otherwise the buttons go and, when
    nothing was erased (cancelled, already done), `key` is the answer. True when it was erased."""
    query = update.callback_query
    assert query is not None
    if key == "fallback.button_stale":
        await query.answer(actor.t(key), show_alert=True)
        return False
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not erased:
        await answer(update, actor.t(key))
    return erased


@command(commands.STOP)
async def stop(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    cancelled = 0
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id) if actor.person is not None else None
        if person is not None:
            cancelled = await privacy.stop(s, person, now)
        await q.add_request(s, q.STOP, telegram_id=actor.telegram_id, now=now, done=True)
    if person is None:
        await answer(update, actor.t("pv.stop_nothing"))
        return
    extra = actor.t("pv.stop_cancelled", count=cancelled) if cancelled else ""
    await answer(update, actor.t("pv.stop_done", cancelled=Html(extra)))


# --- Coordinators: a request made outside Telegram ----------------------------------------------


async def _open_list(context: Context, lang: str) -> str:
    async with services(context).db.session() as s:
        requests = await q.open_requests(s)
        lines = [privacy.request_line(lang, r, await privacy.who_asked(s, r)) for r in requests]
    if not lines:
        return t(lang, "pv.open_none")
    return "\n".join([t(lang, "pv.open_header"), *lines])


@command(commands.DONNEES_PERSONNE)
async def person_data(update: Update, context: Context, actor: Actor) -> None:
    ident = " ".join(context.args or []).strip()
    if not ident:
        await answer(update, actor.t("pv.pp_usage", open=Html(await _open_list(context, actor.lang))))
        return
    async with services(context).db.session() as s:
        subject = await privacy.find_subject(s, ident)
        found = await privacy.inventory(s, subject) if subject is not None else None
    if subject is None or found is None:
        await answer(update, actor.t("pv.pp_unknown", who=ident))
        return
    context.user_data[TARGET] = {  # type: ignore[index]
        "telegram_id": subject.telegram_id, "emails": list(subject.emails), "who": subject.label(),
    }
    rows: Rows = [
        [(actor.t("pv.btn_access"), "pv:pa:a"), (actor.t("pv.btn_erase"), "pv:pa:e")],
        [(actor.t("pv.btn_stop"), "pv:pa:s"), (actor.t("btn.cancel"), "pv:pa:x")],
    ]
    profile = subject.label() if subject.person is not None else actor.t("profile.none")
    await answer(update, actor.t("pv.pp_found", who=subject.label(), profile=profile, donors=found.donors,
                                 emails=found.emails_sent), rows)


async def _subject_of_target(s: AsyncSession, target: dict[str, Any]) -> privacy.Subject:
    tid = target.get("telegram_id")
    person = await pq.person_by_telegram_id(s, tid) if tid is not None else None
    return privacy.Subject(tid, person, tuple(target.get("emails") or ()))


@button(Role.COORDINATOR)
async def person_action(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None and actor.person is not None
    match = PERSON_ACTION.match(query.data or "")
    assert match is not None
    target = context.user_data.pop(TARGET, None)  # type: ignore[union-attr]
    if target is None:
        await query.answer(actor.t("fallback.button_stale"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    action = match.group(1)
    if action == "x":
        await answer(update, actor.t("cancel.done"))
        return
    svc = services(context)
    now = datetime.now(UTC)
    kind = {"a": q.ACCESS, "e": q.ERASURE, "s": q.STOP}[action]
    async with svc.transaction() as s:
        subject = await _subject_of_target(s, target)
        who = subject.label()
        request = await q.add_request(
            s, kind, telegram_id=subject.telegram_id, email=subject.emails[0] if subject.emails else "",
            requested_by=actor.person.id, note="demande reçue hors Telegram", now=now,
        )
        await pq.audit(s, actor.person, f"privacy.{kind}_for", f"request:{request.id}")
        if kind == q.ACCESS:
            financial = actor.has(Role.TREASURER)
            export = await privacy.collect(s, subject, financial=financial, now=now)
            hidden = int((export.get("finances") or {}).get("fiches_donateur") or 0)
            if hidden:
                await privacy.notify_treasurers_financial(s, request, who, hidden)
        elif kind == q.ERASURE:
            found = await privacy.inventory(s, subject)
        elif subject.person is not None:
            await privacy.stop(s, subject.person, now)
    if kind == q.ACCESS:
        await _send_export(update, actor.lang, export, actor.t("pv.pp_caption", who=who, id=request.id),
                           f"donnees-demande-{request.id}.json")
        await _close(context, request.id)
        note = actor.t("pv.pp_access_done", who=who, id=request.id)
        if hidden:
            note += "\n" + actor.t("pv.pp_financial_notified", count=hidden)
        await answer(update, note)
    elif kind == q.ERASURE:
        await answer(update, actor.t("pv.pp_erase_ask", who=who, erased=Html(privacy.erasure_parts(actor.lang, found)),
                                     kept=Html(privacy.kept_text(actor.lang, found, svc.settings))),
                     [[(actor.t("pv.btn_erase_yes"), f"pv:pe:{request.id}:y"),
                       (actor.t("btn.cancel"), f"pv:pe:{request.id}:n")]])  # fmt: skip
    else:
        await _close(context, request.id)
        key = "pv.pp_stopped" if subject.person is not None else "pv.pp_stop_nothing"
        await answer(update, actor.t(key, who=who, id=request.id))


@button(Role.COORDINATOR)
async def person_erase(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    match = PERSON_ERASE.match(query.data or "")
    assert match is not None
    svc = services(context)
    now = datetime.now(UTC)
    key, done, who, request_id = "", None, "", int(match.group(1))
    async with svc.transaction() as s:
        request = await q.request_by_id(s, request_id, lock=True)
        if request is None or request.kind != q.ERASURE or request.requested_by is None:
            key = "fallback.button_stale"
        elif request.done_at is not None:
            key = "pv.already_done"
        elif match.group(2) == "n":
            await q.close_request(s, request.id, now, note="annulée par la coordination")
            key = "cancel.done"
        else:
            subject = await privacy.subject_of_request(s, request)
            who = subject.label()
            done = await privacy.erase(s, subject, request=request, actor=actor.person, now=now)
    if not await _settle_confirmation(update, actor, key, erased=done is not None):
        return
    await answer(update, actor.t("pv.pp_erased", who=who, id=request_id,
                                 erased=Html(privacy.erasure_parts(actor.lang, done)),
                                 kept=Html(privacy.kept_text(actor.lang, done, svc.settings))))  # fmt: skip


@button(Role.COORDINATOR)
async def mark_done(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    match = DONE.match(query.data or "")
    assert match is not None
    request_id = int(match.group(1))
    async with services(context).transaction() as s:
        closed = await q.close_request(s, request_id, datetime.now(UTC), note="traitée (coordination)")
        if closed:
            await pq.audit(s, actor.person, "privacy.closed", f"request:{request_id}")
    await query.answer(actor.t("pv.done_ok" if closed else "pv.already_done", id=request_id))
    await query.edit_message_reply_markup(None)


@button(Role.TREASURER)
async def send_financial(update: Update, context: Context, actor: Actor) -> None:
    """From the treasurers' notice: the donor records of an access request, to send on."""
    query = update.callback_query
    assert query is not None
    match = FINANCIAL.match(query.data or "")
    assert match is not None
    request_id = int(match.group(1))
    async with services(context).transaction() as s:
        request = await q.request_by_id(s, request_id)
        if request is not None:
            subject = await privacy.subject_of_request(s, request)
            export = await privacy.collect(s, subject, financial=True, now=datetime.now(UTC))
            await pq.audit(s, actor.person, "privacy.financial_sent", f"request:{request_id}")
    if request is None:
        await query.answer(actor.t("fallback.button_stale"), show_alert=True)
        return
    await query.answer()
    part = {"demande": request_id, **{k: export[k] for k in ("donateur", "dons", "adhesions")}}
    if not (part["donateur"] or part["dons"] or part["adhesions"]):
        await answer(update, actor.t("pv.fin_none", id=request_id))
        return
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(InputFile(privacy.export_bytes(part), filename=f"finances-demande-{request_id}.json"),
                             caption=actor.t("pv.fin_caption", id=request_id))


# --- Treasurers: records past their legal retention -----------------------------------------------


def _today(context: Context) -> date:
    return datetime.now(services(context).settings.tz).date()


@command(commands.PURGE)
async def purge(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    years = svc.settings.financial_retention_years
    async with svc.db.session() as s:
        preview = await privacy.purge_preview(s, svc.settings, _today(context))
    if preview.empty:
        await answer(update, actor.t("pv.purge_none", years=years))
        return
    lang = actor.lang
    lines = [actor.t("pv.purge_line", id=d.id, amount=format_eur(d.amount_cents, lang),
                     day=d.received_on.strftime("%d/%m/%Y"), receipt=d.receipt_number or "—",
                     name=privacy.donor_name(d.donor)) for d in preview.donations[:PURGE_LINES]]  # fmt: skip
    if len(preview.donations) > PURGE_LINES:
        lines.append(actor.t("pv.purge_more", count=len(preview.donations) - PURGE_LINES))
    text = actor.t("pv.purge_preview", years=years, cutoff=preview.cutoff.strftime("%d/%m/%Y"),
                   donations=len(preview.donations), memberships=len(preview.memberships),
                   donors=len(preview.donors), lines=Html("\n".join(lines)))  # fmt: skip
    await answer(update, text, [[(actor.t("pv.btn_purge"), f"pv:pu:{preview.cutoff.isoformat()}"),
                                 (actor.t("btn.cancel"), "pv:pu:no")]])  # fmt: skip


@button(Role.TREASURER)
async def confirm_purge(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    match = PURGE.match(query.data or "")
    assert match is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if match.group(1) == "no":
        await answer(update, actor.t("cancel.done"))
        return
    svc = services(context)
    async with svc.transaction() as s:
        gifts, members, donors = await privacy.purge(
            s, svc.settings, _today(context), date.fromisoformat(match.group(1)), actor.person
        )
    await answer(update, actor.t("pv.purge_done", donations=gifts, memberships=members, donors=donors))


# --- Activity, for retention ----------------------------------------------------------------------


async def touch(update: Update, context: Context) -> None:
    """Stamp the person's last activity, at most once a day per person and process."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    svc = services(context)
    now = datetime.now(UTC)
    seen: dict[str, Any] = svc.extras.setdefault("privacy.active", {"day": None, "ids": set()})  # type: ignore[assignment]
    if seen["day"] != now.date():
        seen["day"], seen["ids"] = now.date(), set()
    if user.id in seen["ids"]:
        return
    try:
        async with svc.db.session() as s:
            known = await q.touch_activity(s, user.id, now)
    except Exception:  # bookkeeping must never cost the person their answer
        log.warning("could not record activity", exc_info=True)
        return
    if known:  # a newcomer is stamped again once onboarded
        seen["ids"].add(user.id)


def handlers() -> Handlers:
    return {
        Group.ACTIVITY: [TypeHandler(Update, touch)],
        Group.MAIN: [
            CommandHandler(commands.MES_DONNEES.name, my_data),
            CommandHandler(commands.SUPPRIMER_MES_DONNEES.name, erase_mine),
            CommandHandler(commands.STOP.name, stop),
            CommandHandler(commands.DONNEES_PERSONNE.name, person_data),
            CommandHandler(commands.PURGE.name, purge),
            CallbackQueryHandler(confirm_erase, pattern=ERASE),
            CallbackQueryHandler(person_action, pattern=PERSON_ACTION),
            CallbackQueryHandler(person_erase, pattern=PERSON_ERASE),
            CallbackQueryHandler(mark_done, pattern=DONE),
            CallbackQueryHandler(send_financial, pattern=FINANCIAL),
            CallbackQueryHandler(confirm_purge, pattern=PURGE),
        ],
    }

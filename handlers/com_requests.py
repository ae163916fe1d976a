"""/com and /demandes_com: communication requests and their cards (capabilities.communication.requests).

/com is a form (handlers/conversation.py): what, the channels (for what is published on the
networks), the deadline in free French, the brief, files sent in the chat, then a summary to
confirm; nothing is stored before Confirmer. Someone without an organiser role proposes (same form).
The cards' buttons re-check, at each press, that the presser is on the request's team.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import (
    ComReqAssign,
    ComReqCard,
    ComReqChannel,
    ComReqFromEmail,
    ComReqKind,
    ComReqNoReason,
    ComReqRefuse,
    ComReqStep,
    pattern_of,
)
from capabilities.communication import requests
from capabilities.communication.requests import BRIEF_MAX, FILES_MAX, WITH_CHANNELS, Outcome
from capabilities.inbox.common import Who
from domain.communication.limits import CHANNELS
from domain.dates import format_when, parse_when_detailed
from domain.people import Role
from domain.statuses import ComRequestKind
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    buttons,
    command,
    load_actor,
    message_text,
    services,
    user_data,
)
from handlers.conversation import FORM, Turn, clear_keyboard, drop, form, step

KEY = "com_request_draft"
REFUSE_KEY = "com_request_refuse"
END = ConversationHandler.END
REASON_MAX = 500
# A day without a time: the deadline is that day's evening.
END_OF_DAY = time(23, 59)

Draft = dict[str, Any]


def _who(actor: Actor) -> Who:
    assert actor.person is not None
    return Who(actor.person, actor.has(Role.COORDINATOR))


def _pressed_message(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    return (message.chat.id, message.message_id) if message is not None else None


# --- /com -------------------------------------------------------------------------------------------


def next_step(d: Draft) -> str:
    """The first question not answered yet."""
    if "kind" not in d:
        return "kind"
    if d["kind"] in WITH_CHANNELS and not d.get("channels_ok"):
        return "channels"
    if "deadline" not in d:
        return "deadline"
    if "brief" not in d:
        return "brief"
    if not d.get("files_ok"):
        return "files"
    return "confirm"


@command(commands.COM)
async def start(update: Update, context: Context, actor: Actor) -> int:
    d: Draft = {"proposal": not actor.has(*commands.ORGANISERS), "channels": [], "files": []}
    user_data(context)[KEY] = d
    return await _ask(update, actor, d)


def _kind_rows(actor: Actor) -> Rows:
    buttons = [(actor.t(f"comreq.kind.{k.value}"), ComReqKind(k.value).pack()) for k in ComRequestKind]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _channel_rows(actor: Actor, chosen: list[str]) -> Rows:
    def label(c: str) -> str:
        return ("✅ " if c in chosen else "") + actor.t(f"comreq.channel.{c}")

    buttons = [(label(c), ComReqChannel(c).pack()) for c in CHANNELS]  # type: ignore[arg-type]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([(actor.t("btn.comreq_ok"), ComReqChannel("ok").pack())])
    return rows


def _summary(actor: Actor, d: Draft) -> str:
    lang = actor.lang
    channels = ""
    if d["kind"] in WITH_CHANNELS:
        channels = actor.t("comreq.summary_channels", channels=requests.channels_label(lang, d["channels"]))
    deadline = datetime.fromisoformat(d["deadline"])
    return actor.t(
        "comreq.summary",
        what=actor.t("comreq.summary_proposal" if d["proposal"] else "comreq.summary_request"),
        kind=actor.t(f"comreq.kind.{d['kind']}"),
        channels=channels,
        deadline=format_when(deadline, lang),
        files=len(d["files"]),
        brief=d["brief"],
    )


async def _ask(update: Update, actor: Actor, d: Draft) -> int:
    match next_step(d):
        case "kind":
            key = "comreq.ask_kind_proposal" if d["proposal"] else "comreq.ask_kind"
            await answer(update, actor.t(key), _kind_rows(actor))
        case "channels":
            await answer(update, actor.t("comreq.ask_channels"), _channel_rows(actor, d["channels"]))
        case "deadline":
            await answer(update, actor.t("comreq.ask_deadline"))
        case "brief":
            await answer(update, actor.t("comreq.ask_brief"))
        case "files":
            await answer(update, actor.t("comreq.ask_files"), _files_rows(actor))
        case _:
            rows = [
                [
                    (actor.t("btn.confirm"), ComReqStep("y").pack()),
                    (actor.t("btn.cancel"), ComReqStep("n").pack()),
                ]
            ]
            await answer(update, _summary(actor, d), rows)
    return FORM


def _files_rows(actor: Actor) -> Rows:
    return [[(actor.t("btn.comreq_files_done"), ComReqStep("f").pack())]]


@step(KEY, commands.COM)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    text = message_text(update).strip()
    match next_step(d):
        case "deadline":
            parsed = parse_when_detailed(text, datetime.now(UTC))
            if parsed is None:
                await answer(update, actor.t("comreq.bad_deadline"))
                return FORM
            when = (
                parsed.start
                if parsed.has_time
                else datetime.combine(parsed.start.date(), END_OF_DAY, parsed.start.tzinfo)
            )
            d["deadline"] = when.isoformat()
        case "brief":
            if not text:
                await answer(update, actor.t("comreq.ask_brief"))
                return FORM
            if len(text) > BRIEF_MAX:
                await answer(update, actor.t("comreq.brief_too_long", length=len(text), max=BRIEF_MAX))
                return FORM
            d["brief"] = text
        case "files":
            await answer(update, actor.t("comreq.files_hint"), _files_rows(actor))
            return FORM
        case _:
            await answer(update, actor.t("event.use_buttons"))
            return FORM
    return await _ask(update, actor, d)


@step(KEY, commands.COM)
async def on_file(update: Update, context: Context, turn: Turn) -> int:
    """A photo or a document: kept (its file_id) while files are asked for."""
    actor, d = turn.actor, turn.draft
    message = update.effective_message
    assert message is not None
    if next_step(d) != "files":
        return await _ask(update, actor, d)  # the question still waiting
    if len(d["files"]) >= FILES_MAX:
        await answer(update, actor.t("comreq.too_many_files", max=FILES_MAX), _files_rows(actor))
        return FORM
    if message.photo:
        photo = message.photo[-1]  # the largest size
        d["files"].append({"file_id": photo.file_id, "kind": "photo", "name": ""})
    elif message.document is not None:
        doc = message.document
        d["files"].append({"file_id": doc.file_id, "kind": "document", "name": doc.file_name or ""})
    await answer(update, actor.t("comreq.file_added", count=len(d["files"])), _files_rows(actor))
    return FORM


@step(KEY, commands.COM)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    data = query.data
    name = next_step(d)
    kind = ComReqKind.parse(data) if name == "kind" else None
    channel = ComReqChannel.parse(data) if name == "channels" else None
    press = ComReqStep.parse(data) if name in ("files", "confirm") else None
    if kind is not None:
        d["kind"] = kind.kind
    elif channel is not None and channel.channel != "ok":
        chosen: list[str] = d["channels"]
        if channel.channel in chosen:
            chosen.remove(channel.channel)
        else:
            chosen.append(channel.channel)
        await query.answer()
        await query.edit_message_reply_markup(_markup(actor, chosen))
        return FORM
    elif channel is not None:
        if not d["channels"]:
            await query.answer(actor.toast("comreq.need_channel"), show_alert=True)
            return FORM
        d["channels_ok"] = True
    elif press is not None and name == "files" and press.action == "f":
        d["files_ok"] = True
    elif press is not None and name == "confirm" and press.action in ("y", "n"):
        return await _confirm(update, context, actor, d, press.action == "y")
    else:
        await query.answer(actor.toast("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _ask(update, actor, d)


def _markup(actor: Actor, chosen: list[str]) -> InlineKeyboardMarkup:
    return buttons(_channel_rows(actor, chosen))


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, yes: bool) -> int:
    query = update.callback_query
    assert query is not None and actor.person is not None
    drop(context, KEY)  # at once: a double tap makes one request
    await query.answer()
    await clear_keyboard(update)
    if not yes:
        await answer(update, actor.t("cancel.done"))
        return END
    channels = [c for c in CHANNELS if c in d["channels"]]
    created = await requests.create(
        services(context),
        actor.person,
        kind=d["kind"],
        channels=channels,
        deadline=datetime.fromisoformat(d["deadline"]),
        brief=d["brief"],
        files=d["files"],
        now=datetime.now(UTC),
    )
    key = "comreq.sent_proposal" if d["proposal"] else "comreq.sent"
    await answer(update, actor.t(key, number=created.request_id, names=", ".join(created.names) or "—"))
    return END


# --- The cards ----------------------------------------------------------------------------------------


async def _report(update: Update, actor: Actor, outcome: Outcome) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(actor.toast(outcome.key, **outcome.values), show_alert=not outcome.ok)
    if outcome.card is not None:
        text, rows = outcome.card
        try:
            await query.edit_message_text(
                text, parse_mode="HTML", reply_markup=buttons(rows) if rows else None
            )
        except BadRequest as exc:  # an unchanged card: nothing to edit
            if "not modified" not in str(exc).lower():
                raise


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    if not actor.onboarded:
        await query.answer(actor.toast("perm.need_start"), show_alert=True)
        return
    svc, who, now = services(context), _who(actor), datetime.now(UTC)
    data = query.data
    from_email = ComReqFromEmail.parse(data)
    if from_email is not None:
        await _report(update, actor, await requests.from_email(svc, from_email.email_id, who, now))
        return
    assign = ComReqAssign.parse(data)
    if assign is not None:
        outcome = await requests.assign(svc, assign.request_id, assign.person_id, who, now)
        await _report(update, actor, outcome)
        if outcome.ok:
            await clear_keyboard(update)
        return
    card = ComReqCard.parse(data)
    if card is None:
        await query.answer(actor.toast("fallback.button_stale"))
        return
    rid = card.request_id
    match card.action:
        case "c":
            await _report(update, actor, await requests.claim(svc, rid, who, now, _pressed_message(update)))
        case "d":
            await _report(
                update, actor, await requests.mark_done(svc, rid, who, now, _pressed_message(update))
            )
        case "a" | "w":
            if card.action == "a":
                outcome = await requests.assign_menu(svc, rid, who)
            else:
                outcome = await requests.write_post(svc, rid, who, now)
            if not outcome.ok:
                await _report(update, actor, outcome)
                return
            await query.answer()
            await answer(update, actor.t(outcome.key, **outcome.values), outcome.rows)


# --- Refuser: the reason ---------------------------------------------------------------------------------


async def refuse_start(update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    press = ComReqRefuse.parse(query.data)
    if not actor.onboarded or press is None:
        await query.answer(actor.toast("perm.need_start" if not actor.onboarded else "fallback.button_stale"))
        return END
    outcome = await requests.may_refuse(services(context), press.request_id, _who(actor))
    if not outcome.ok:
        await _report(update, actor, outcome)
        return END
    await query.answer()
    user_data(context)[REFUSE_KEY] = {"request_id": press.request_id}
    rows = [[(actor.t("btn.comreq_no_reason"), ComReqNoReason(press.request_id).pack())]]
    await answer(update, actor.t(outcome.key, **outcome.values), rows)
    return FORM


async def _refuse(update: Update, context: Context, turn: Turn, reason: str) -> int:
    drop(context, REFUSE_KEY)
    outcome = await requests.refuse(
        services(context), turn.draft["request_id"], _who(turn.actor), reason, datetime.now(UTC)
    )
    await answer(update, turn.actor.t(outcome.key, **outcome.values))
    return END


@step(REFUSE_KEY)
async def refuse_text(update: Update, context: Context, turn: Turn) -> int:
    reason = message_text(update).strip()
    if len(reason) > REASON_MAX:
        await answer(update, turn.actor.t("comreq.reason_too_long"))
        return FORM
    return await _refuse(update, context, turn, reason)


@step(REFUSE_KEY)
async def refuse_no_reason(update: Update, context: Context, turn: Turn) -> int:
    query = update.callback_query
    assert query is not None
    press = ComReqNoReason.parse(query.data)
    if press is None or press.request_id != turn.draft["request_id"]:
        await query.answer(turn.actor.toast("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _refuse(update, context, turn, "")


# --- /demandes_com -------------------------------------------------------------------------------------


@command(commands.DEMANDES_COM)
async def demandes_com(update: Update, context: Context, actor: Actor) -> None:
    await answer(update, await requests.listing(services(context), _who(actor), datetime.now(UTC)))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    files = private & (filters.PHOTO | filters.Document.ALL)
    com_form = form(
        "com_request",
        entry_points=[CommandHandler(commands.COM.name, start, filters=private)],
        steps=[
            MessageHandler(text, on_text),
            MessageHandler(files, on_file),
            CallbackQueryHandler(on_button, pattern=pattern_of(ComReqKind, ComReqChannel, ComReqStep)),
        ],
        drafts=(KEY,),
        hint="event.use_buttons",
        restart=commands.COM,
    )
    refuse_form = form(
        "com_request_refuse",
        entry_points=[CallbackQueryHandler(refuse_start, pattern=ComReqRefuse.pattern())],
        steps=[
            MessageHandler(text, refuse_text),
            CallbackQueryHandler(refuse_no_reason, pattern=ComReqNoReason.pattern()),
        ],
        drafts=(REFUSE_KEY,),
        hint="comreq.reason_hint",
        restart=commands.DEMANDES_COM,
    )
    return {
        Group.MAIN: [
            com_form,
            refuse_form,
            CommandHandler(commands.DEMANDES_COM.name, demandes_com),
            CallbackQueryHandler(pressed, pattern=pattern_of(ComReqCard, ComReqAssign, ComReqFromEmail)),
        ]
    }

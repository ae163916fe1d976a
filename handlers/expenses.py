"""Expenses: /frais (a member's claim with its receipt), the treasurers' review buttons, the member's
answer to a question, and /export_frais. Thin: read the update, check the role, call
capabilities/expenses, answer. Nothing is stored before Confirmer."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import FrDecide, FrReply, FrStep
from capabilities.donations.config import today_in
from capabilities.expenses import exports, form, review
from domain import expenses as rules
from domain.people import Role
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    button,
    command,
    message_text,
    services,
)
from handlers.conversation import FORM, Turn, clear_keyboard, drop, final, step
from handlers.conversation import form as conversation_form

KEY = "expense_draft"
REVIEW_KEY = "expense_review"
REPLY_KEY = "expense_reply"
END = ConversationHandler.END
Draft = dict[str, Any]


def _keep(context: Context, key: str, draft: Draft) -> None:
    if context.user_data is not None:
        context.user_data[key] = draft


# --- /frais: the form ---------------------------------------------------------------------------------


@command(commands.FRAIS)
async def start(update: Update, context: Context, actor: Actor) -> int:
    draft: Draft = {"key": secrets.token_hex(12)}
    _keep(context, KEY, draft)
    return await _ask(update, context, actor, draft)


def _rows(step_name: Any, pairs: list[tuple[str, str]], per_row: int = 2) -> Rows:
    cells = [(label[:40], FrStep(step_name, value).pack()) for label, value in pairs]
    return [cells[i : i + per_row] for i in range(0, len(cells), per_row)]


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    svc = services(context)
    step_name = rules.next_step(d)
    if step_name in ("amount", "purpose", "date", "receipt"):
        await answer(update, actor.t(f"exp.ask_{step_name}"))
    elif step_name == "ledger":
        options = await form.ledgers(svc, actor.lang)
        d["ledgers"] = [[i, label] for i, label in options]
        await answer(
            update,
            actor.t("exp.ask_ledger"),
            _rows("ledger", [(lb, str(n)) for n, (_, lb) in enumerate(options)], 1),
        )
    elif step_name == "event":
        events = await form.recent_events(svc, datetime.now(UTC))
        if not events:
            d["event"] = None
            return await _ask(update, context, actor, d)
        d["events"] = [[i, title] for i, title in events]
        pairs = [(title, str(i)) for i, title in events] + [(actor.t("exp.btn_no_event"), "none")]
        await answer(update, actor.t("exp.ask_event"), _rows("event", pairs, 1))
    elif step_name == "category":
        pairs = [(actor.t(f"exp.cat.{c}"), c) for c in rules.CATEGORIES]
        await answer(update, actor.t("exp.ask_category"), _rows("category", pairs))
    else:
        rows = [
            [
                (actor.t("btn.confirm"), FrStep("confirm", "ok").pack()),
                (actor.t("btn.cancel"), FrStep("confirm", "no").pack()),
            ]
        ]
        await answer(update, form.summary_text(actor.lang, d), rows)
    return FORM


@step(KEY, commands.FRAIS)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    step_name, text = rules.next_step(d), message_text(update)
    if step_name == "amount":
        cents = rules.read_amount(text)
        if cents is None:
            await answer(update, actor.t("exp.bad_amount"))
            return FORM
        d["amount"] = cents
    elif step_name == "purpose":
        purpose = rules.read_text(text, rules.PURPOSE_MAX)
        if purpose is None:
            await answer(update, actor.t("exp.bad_text", max=rules.PURPOSE_MAX))
            return FORM
        d["purpose"] = purpose
    elif step_name == "date":
        day = rules.read_day(text, today_in(services(context).settings))
        if isinstance(day, str):
            await answer(update, actor.t(f"exp.bad_date_{day}"))
            return FORM
        d["date"] = day.isoformat()
    elif step_name == "receipt":
        await answer(update, actor.t("exp.ask_receipt"))
        return FORM
    else:
        await answer(update, actor.t("exp.use_buttons"))
        return FORM
    return await _ask(update, context, actor, d)


@step(KEY, commands.FRAIS)
async def on_file(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    message = update.effective_message
    assert message is not None
    if rules.next_step(d) != "receipt":
        await answer(update, actor.t("exp.use_buttons"))
        return FORM
    if message.photo:
        d["receipt"] = {"kind": "photo", "file_id": message.photo[-1].file_id}  # the largest size
    else:
        document = message.document
        kind = rules.receipt_kind(document.mime_type if document else None, is_photo=False)
        if document is None or kind is None:
            await answer(update, actor.t("exp.bad_receipt"))
            return FORM
        d["receipt"] = {"kind": kind, "file_id": document.file_id}
    return await _ask(update, context, actor, d)


@step(KEY, commands.FRAIS)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    data = FrStep.parse(query.data)
    if data is None or data.step != rules.next_step(d):
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    if data.step == "confirm":
        return await _confirm(update, context, actor, d, data.value == "ok")
    if not _read_button(d, data.step, data.value):
        await answer(update, actor.t("fallback.button_stale"))
        return FORM
    return await _ask(update, context, actor, d)


def _read_button(d: Draft, step_name: str, value: str) -> bool:
    """Store a pressed choice in the draft; False for a value the form did not offer (forged)."""
    if step_name == "ledger":
        options = d.get("ledgers") or []
        if not value.isdigit() or int(value) >= len(options):
            return False
        d["ledger"], d["ledger_label"] = options[int(value)]
    elif step_name == "event":
        titles = {str(i): title for i, title in d.get("events") or []}
        if value != "none" and value not in titles:
            return False
        d["event"] = None if value == "none" else int(value)
        d["event_title"] = titles.get(value, "")
    elif step_name == "category":
        if value not in rules.CATEGORIES:
            return False
        d["category"] = value
    return True


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, yes: bool) -> int:
    drop(context, KEY)  # at once: a double tap stores one claim
    if not yes:
        await answer(update, actor.t("cancel.done"))
        return END
    assert actor.person is not None
    file = await context.bot.get_file(d["receipt"]["file_id"])
    data = bytes(await file.download_as_bytearray())
    expense, created = await form.submit(services(context), actor.person, d, data, d["key"])
    await answer(update, actor.t("exp.submitted" if created else "exp.already_submitted", id=expense.id))
    return END


# --- The treasurers' card --------------------------------------------------------------------------------


@button(Role.TREASURER)
async def decide(update: Update, context: Context, actor: Actor) -> int:
    query = update.callback_query
    assert query is not None and actor.person is not None
    data = FrDecide.parse(query.data)
    if data is None:
        await query.answer(actor.t("fallback.button_stale"))
        return END
    if data.action == "ok":
        card = query.message
        pressed = (card.chat.id, card.message_id) if card is not None else None
        outcome = await review.approve(services(context), data.expense_id, actor.person, pressed)
        if outcome.code == "exp.ceiling_block":
            assert outcome.check is not None
            await query.answer()
            await answer(
                update,
                actor.t(
                    "exp.ceiling_block",
                    id=data.expense_id,
                    line=review.ceiling_line(actor.lang, outcome.check),
                ),
            )
            return END
        await query.answer()
        if outcome.done:
            await clear_keyboard(update)
        lines = [actor.t(outcome.code, id=data.expense_id)]
        if outcome.done and outcome.check is not None and outcome.check.level in ("warn", "unknown"):
            key = "exp.ceiling_warn" if outcome.check.level == "warn" else "exp.ceiling_unknown"
            lines.append(actor.t(key, line=review.ceiling_line(actor.lang, outcome.check)))
        rows = review.card_rows(actor.lang, outcome.expense) if outcome.done and outcome.expense else None
        await answer(update, "\n".join(lines), rows)
        return END
    await query.answer()
    _keep(context, REVIEW_KEY, {"id": data.expense_id, "action": data.action})
    await answer(update, actor.t(f"exp.ask_{data.action}", id=data.expense_id))
    return FORM


@step(REVIEW_KEY, commands.EXPORT_FRAIS)
async def review_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    assert actor.person is not None
    svc = services(context)
    text = message_text(update)
    if d["action"] == "paid":
        day = rules.read_day(text, today_in(svc.settings))
        if isinstance(day, str):
            await answer(update, actor.t(f"exp.bad_date_{day}"))
            return FORM
        drop(context, REVIEW_KEY)
        outcome = await review.mark_paid(svc, d["id"], actor.person, day)
    else:
        note = rules.read_text(text, rules.NOTE_MAX)
        if note is None:
            await answer(update, actor.t("exp.bad_text", max=rules.NOTE_MAX))
            return FORM
        drop(context, REVIEW_KEY)
        act = review.refuse if d["action"] == "no" else review.ask
        outcome = await act(svc, d["id"], actor.person, note)
    await answer(update, actor.t(outcome.code, id=d["id"]))
    return END


# --- The member's answer to a question -------------------------------------------------------------------


@button()
async def reply_start(update: Update, context: Context, actor: Actor) -> int:
    query = update.callback_query
    assert query is not None
    data = FrReply.parse(query.data)
    await query.answer()
    if data is None:
        return END
    _keep(context, REPLY_KEY, {"id": data.expense_id})
    await answer(update, actor.t("exp.ask_reply", id=data.expense_id))
    return FORM


@step(REPLY_KEY, commands.FRAIS)
async def reply_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    assert actor.person is not None
    note = rules.read_text(message_text(update), rules.NOTE_MAX)
    if note is None:
        await answer(update, actor.t("exp.bad_text", max=rules.NOTE_MAX))
        return FORM
    drop(context, REPLY_KEY)
    outcome = await review.reply(services(context), d["id"], actor.person, note)
    await answer(update, actor.t(outcome.code, id=d["id"]))
    return END


# --- /export_frais ---------------------------------------------------------------------------------------


@command(commands.EXPORT_FRAIS)
async def export(update: Update, context: Context, actor: Actor) -> None:
    today = today_in(services(context).settings)
    args = context.args or []
    year = (
        today.year
        if not args
        else (int(args[0]) if args[0].isdigit() and 2000 <= int(args[0]) <= today.year else None)
    )
    if year is None:
        await answer(update, actor.t("exp.export_usage"))
        return
    files = await exports.export_year(services(context), actor.person, year, actor.lang)
    chat = update.effective_chat
    assert chat is not None
    for f in files:
        await chat.send_document(
            InputFile(f.data, filename=f.filename), caption=actor.t(f.caption_key, **f.values)
        )


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    files = private & (filters.PHOTO | filters.Document.ALL)
    claim = conversation_form(
        "expense_form",
        entry_points=[CommandHandler(commands.FRAIS.name, final(start), filters=private)],
        steps=[
            MessageHandler(text, final(on_text)),
            MessageHandler(files, final(on_file)),
            CallbackQueryHandler(final(on_button), pattern=FrStep.pattern()),
        ],
        drafts=(KEY,),
        hint="exp.use_buttons",
        restart=commands.FRAIS,
        fallbacks=[CommandHandler(commands.FRAIS.name, final(start), filters=private)],
    )
    decision = conversation_form(
        "expense_review",
        entry_points=[CallbackQueryHandler(final(decide), pattern=FrDecide.pattern())],
        steps=[MessageHandler(text, final(review_text))],
        drafts=(REVIEW_KEY,),
        hint="exp.use_text",
        restart=commands.FRAIS,
    )
    answer_form = conversation_form(
        "expense_reply",
        entry_points=[CallbackQueryHandler(final(reply_start), pattern=FrReply.pattern())],
        steps=[MessageHandler(text, final(reply_text))],
        drafts=(REPLY_KEY,),
        hint="exp.use_text",
        restart=commands.FRAIS,
    )
    return {
        Group.CONVERSATION: [claim, decision, answer_form],
        Group.MAIN: [CommandHandler(commands.EXPORT_FRAIS.name, export)],
    }

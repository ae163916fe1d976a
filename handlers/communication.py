"""/brouillon: posts written, previewed and approved in chat (capabilities.communication.drafts).

What is typed (a text, a link, a photo, a time, a note) goes through one form whose draft says what
is awaited; every other button is read here, and the capability checks who may press it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import (
    CpChanges,
    CpChannel,
    CpConfirm,
    CpDelete,
    CpEdit,
    CpPaused,
    CpPublish,
    CpSchedule,
    CpSubmit,
    PostOpen,
    pattern_of,
)
from capabilities.communication import drafts
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, services, user_data
from handlers.conversation import FORM, Turn, clear_keyboard, drop, form, step

KEY = "compost_input"
END = ConversationHandler.END
ASK = {
    "new": "compost.ask_text",
    "t": "compost.ask_new_text",
    "l": "compost.ask_link",
    "p": "compost.ask_photo",
    "w": "compost.ask_when",
    "n": "compost.ask_note",
}


def _now() -> datetime:
    return datetime.now(UTC)


async def _show(update: Update, result: drafts.Result) -> None:
    """The result as one new message (the pressed card loses its buttons: one press, one answer)."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await clear_keyboard(update)
    rows = result.card.rows if result.card else None
    await answer(update, result.message(), rows)


@command(commands.BROUILLON)
async def start(update: Update, context: Context, actor: Actor) -> int:
    user_data(context)[KEY] = {"what": "new"}
    await answer(update, actor.t(ASK["new"]))
    return FORM


@button()
async def ask_edit(update: Update, context: Context, actor: Actor) -> int:
    query = update.callback_query
    assert query is not None and actor.person is not None
    data = CpEdit.parse(query.data)
    assert data is not None
    refusal = await drafts.may_edit(services(context), actor.person, data.post_id, actor.lang)
    if refusal is not None:
        await _show(update, refusal)
        return END
    if data.what == "x":  # remove the photos: nothing to type
        svc = services(context)
        await _show(update, await drafts.edit(svc, actor.person, data.post_id, "x", None, actor.lang, _now()))
        return END
    user_data(context)[KEY] = {"what": data.what, "post": data.post_id}
    await query.answer()
    await answer(update, actor.t(ASK[data.what]))
    return FORM


@button()
async def ask_approval_input(update: Update, context: Context, actor: Actor) -> int:
    """Programmer (a time follows) or Demander des modifications (a note follows)."""
    query = update.callback_query
    assert query is not None and actor.person is not None
    data: CpSchedule | CpChanges | None = CpSchedule.parse(query.data) or CpChanges.parse(query.data)
    assert data is not None
    what = "w" if isinstance(data, CpSchedule) else "n"
    refusal = await drafts.may_approve(
        services(context), actor.person, data.post_id, data.version, actor.lang, _now()
    )
    if refusal is not None:
        await _show(update, refusal)
        return END
    user_data(context)[KEY] = {"what": what, "post": data.post_id, "version": data.version}
    await query.answer()
    await answer(update, actor.t(ASK[what]))
    return FORM


def _image(message: Message) -> dict[str, Any] | None:
    if not message.photo:
        return None
    largest = message.photo[-1]
    return {"file_id": largest.file_id, "name": "", "mime": "image/jpeg", "alt": ""}


@step(KEY, commands.BROUILLON)
async def on_input(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    message = update.effective_message
    assert message is not None and actor.person is not None
    svc, now, what = services(context), _now(), d["what"]
    image = _image(message)
    typed = (message.text or message.caption or "").strip()
    if what == "p" and image is None:
        await answer(update, actor.t("compost.need_photo"))
        return FORM
    if what != "p" and not typed and not (what == "new" and image is not None):
        await answer(update, actor.t("compost.need_text"))
        return FORM
    if what == "new":
        result = await drafts.new_draft(svc, actor.person, typed, image, actor.lang, now)
    elif what in ("t", "l", "p"):
        value: Any = image if what == "p" else typed
        result = await drafts.edit(svc, actor.person, d["post"], what, value, actor.lang, now)
    elif what == "w":
        result = await drafts.schedule(svc, actor.person, d["post"], d["version"], typed, actor.lang, now)
    else:
        result = await drafts.request_changes(
            svc, actor.person, d["post"], d["version"], typed, actor.lang, now
        )
    if result.retry:
        await answer(update, result.message())
        return FORM
    drop(context, KEY)
    await _show(update, result)
    return END


@button()
async def on_button(update: Update, context: Context, actor: Actor) -> None:
    """Every other button of a post: open, channels, submit, delete, confirm, publish, paused."""
    query = update.callback_query
    assert query is not None and actor.person is not None
    svc, person, lang, now, raw = services(context), actor.person, actor.lang, _now(), query.data
    result: drafts.Result
    if (opened := PostOpen.parse(raw)) is not None:
        result = await drafts.open_post(svc, person, opened.post_id, lang, now)
    elif (channel := CpChannel.parse(raw)) is not None:
        result = await drafts.toggle_channel(svc, person, channel.post_id, channel.channel, lang, now)
    elif (submit := CpSubmit.parse(raw)) is not None:
        result = await drafts.submit(svc, person, submit.post_id, submit.version, lang, now)
    elif (delete := CpDelete.parse(raw)) is not None:
        result = await drafts.delete(svc, person, delete.post_id, lang)
    elif (confirm := CpConfirm.parse(raw)) is not None:
        result = await drafts.confirm(svc, person, confirm.post_id, confirm.version, confirm.rule, lang, now)
    elif (publish := CpPublish.parse(raw)) is not None:
        result = await drafts.publish(svc, person, publish.post_id, publish.version, lang, now)
    elif (paused := CpPaused.parse(raw)) is not None:
        result = await drafts.paused_choice(
            svc, person, paused.post_id, paused.version, paused.choice, lang, now
        )
    else:
        await query.answer(actor.t("fallback.button_stale"))
        return
    await _show(update, result)


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    conversation = form(
        "com_post",
        entry_points=[
            CommandHandler(commands.BROUILLON.name, start, filters=private),
            CallbackQueryHandler(ask_edit, pattern=CpEdit.pattern()),
            CallbackQueryHandler(ask_approval_input, pattern=pattern_of(CpSchedule, CpChanges)),
        ],
        steps=[MessageHandler(private & ((filters.TEXT & ~filters.COMMAND) | filters.PHOTO), on_input)],
        drafts=(KEY,),
        hint="compost.need_text",
        restart=commands.BROUILLON,
    )
    pressed = pattern_of(PostOpen, CpChannel, CpSubmit, CpDelete, CpConfirm, CpPublish, CpPaused)
    return {Group.MAIN: [conversation, CallbackQueryHandler(on_button, pattern=pressed)]}

"""/annonce: write to all members, a city, a role or an action's participants; /stop_annonces opts out."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.texts import Html, t
from capabilities import announcements as service
from capabilities.events.render import role_label
from domain.people import Role
from domain.roles import ROLES
from handlers.common import Actor, Context, Group, Handlers, answer, command, load_actor, services
from handlers.conversation import cancel_handler, hint_handler
from storage import broadcast as q
from storage import events as eq
from storage import people as pq
from storage.models import Broadcast, Person

AUDIENCE, PICK, TEXT, CONFIRM = range(60, 64)
KEY = "broadcast_draft"
GRANT_ROLES = (Role.CANDIDATE, Role.LEAD, Role.COORDINATOR, Role.TREASURER, Role.COLLECTOR)


@command(commands.ANNONCE)
async def start(update: Update, context: Context, actor: Actor) -> int:
    context.user_data[KEY] = {}  # type: ignore[index]
    rows = [
        [(actor.t("btn.bc_all"), "bc:a:all"), (actor.t("btn.bc_city"), "bc:a:city")],
        [(actor.t("btn.bc_role"), "bc:a:role"), (actor.t("btn.bc_event"), "bc:a:event")],
    ]
    await answer(update, actor.t("bc.ask_audience"), rows)
    return AUDIENCE


async def got_audience(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = context.user_data.get(KEY)  # type: ignore[union-attr]
    if draft is None or not actor.has(Role.COORDINATOR):
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    choice = (query.data or "").split(":")[-1]
    if choice == "all":
        draft.update(kind="all", value="")
        await answer(update, actor.t("bc.ask_text"))
        return TEXT
    async with services(context).db.session() as s:
        if choice == "city":
            options = [(c.name, f"bc:p:city:{c.id}") for c in await pq.cities(s)]
            prompt = "bc.ask_city"
        elif choice == "role":
            options = [(t(actor.lang, f"role.{r.value}"), f"bc:p:role:{r.value}") for r in GRANT_ROLES]
            options += [(role_label(actor.lang, skill), f"bc:p:skill:{i}") for i, skill in enumerate(ROLES)]
            prompt = "bc.ask_role"
        else:
            events = await eq.upcoming(s, datetime.now(UTC), limit=20)
            options = [(e.title[:40], f"bc:p:event:{e.id}") for e in events]
            prompt = "bc.ask_event"
    if not options:
        context.user_data.pop(KEY, None)  # type: ignore[union-attr]
        await answer(update, actor.t("bc.no_event"))
        return ConversationHandler.END
    rows = [options[i : i + 2] for i in range(0, len(options), 2)]
    await answer(update, actor.t(prompt), rows)
    return PICK


async def got_pick(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = context.user_data.get(KEY)  # type: ignore[union-attr]
    parts = (query.data or "").split(":")
    if draft is None or len(parts) != 4:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    kind, value = parts[2], parts[3]
    if kind == "skill":
        value = ROLES[int(value)] if value.isdigit() and int(value) < len(ROLES) else ""
    draft.update(kind=kind, value=value)
    await answer(update, actor.t("bc.ask_text"))
    return TEXT


async def got_text(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = context.user_data.get(KEY)  # type: ignore[union-attr]
    if draft is None:
        return ConversationHandler.END
    text = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    if not text:
        await answer(update, actor.t("bc.ask_text"))
        return TEXT
    if len(text) > service.TEXT_MAX:
        await answer(update, actor.t("bc.too_long", length=len(text), max=service.TEXT_MAX))
        return TEXT
    async with services(context).db.session() as s:
        count = len(await q.audience(s, draft["kind"], draft["value"]))
    if count == 0:
        context.user_data.pop(KEY, None)  # type: ignore[union-attr]
        await answer(update, actor.t("bc.nobody"))
        return ConversationHandler.END
    draft["text"] = text
    await answer(update, actor.t("bc.preview", count=count, text=Html(t(actor.lang, "bc.message", text=text))),
                 [[(actor.t("btn.confirm"), "bc:ok:y"), (actor.t("btn.cancel"), "bc:ok:n")]])
    return CONFIRM


async def got_confirm(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = context.user_data.pop(KEY, None)  # type: ignore[union-attr]
    if draft is None or "text" not in draft:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not (query.data or "").endswith(":y"):
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    if not actor.has(Role.COORDINATOR):
        await answer(update, actor.t("perm.denied", who=actor.t("role.coordinator")))
        return ConversationHandler.END
    svc = services(context)
    async with svc.db.session() as s:
        busy = bool(await q.active(s))
    async with svc.transaction() as s:
        bc = await service.queue(s, actor.person, draft["kind"], draft["value"], draft["text"])
        await pq.audit(s, actor.person, "broadcast.queued", str(bc.id), total=bc.total, audience=draft["kind"])
    if busy:
        await answer(update, actor.t("bc.queued_behind"))
    progress = await answer(update, actor.t("bc.progress", done=0, total=bc.total))
    if progress is not None:
        async with svc.db.session() as s:
            row = await s.get(Broadcast, bc.id)
            assert row is not None
            row.progress_chat_id, row.progress_message_id = progress.chat_id, progress.message_id
    return ConversationHandler.END


cancel = cancel_handler(KEY)
use_buttons = hint_handler("event.use_buttons")


@command(commands.STOP_ANNONCES)
async def stop(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    stopped = not actor.person.announcements_stopped
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id)
        assert person is not None
        person.announcements_stopped = stopped
        await pq.audit(s, person, "broadcast.opt_out" if stopped else "broadcast.opt_in", str(person.id))
    await answer(update, actor.t("bc.stopped" if stopped else "bc.restarted"))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    conversation = ConversationHandler(
        entry_points=[CommandHandler(commands.ANNONCE.name, start, filters=private)],
        states={
            AUDIENCE: [CallbackQueryHandler(got_audience, pattern=r"^bc:a:")],
            PICK: [CallbackQueryHandler(got_pick, pattern=r"^bc:p:")],
            TEXT: [MessageHandler(private & filters.TEXT & ~filters.COMMAND, got_text)],
            CONFIRM: [CallbackQueryHandler(got_confirm, pattern=r"^bc:ok:")],
        },
        fallbacks=[CommandHandler(commands.CANCEL.name, cancel), MessageHandler(private & ~filters.COMMAND, use_buttons)],
        name="broadcast",
        allow_reentry=True,
    )
    return {Group.MAIN: [conversation, CommandHandler(commands.STOP_ANNONCES.name, stop)]}

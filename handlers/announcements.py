"""/annonce: write to all members, a city, a role or an action's participants (a form);
/stop_annonces opts out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import AnnounceAudience, AnnounceConfirm, AnnouncePick, pattern_of
from bot.texts import Html
from capabilities import announcements
from capabilities.events.render import role_label
from domain.people import Role
from domain.roles import ROLES
from domain.statuses import Audience
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    command,
    message_text,
    services,
    user_data,
)
from handlers.conversation import FORM, Turn, clear_keyboard, drop, form, step

KEY = "announcement_draft"
END = ConversationHandler.END
GRANT_ROLES = (Role.CANDIDATE, Role.LEAD, Role.COORDINATOR, Role.TREASURER, Role.COLLECTOR)
PICK_PROMPTS = {Audience.CITY: "announcement.ask_city", Audience.ROLE: "announcement.ask_role"}

Draft = dict[str, Any]


@command(commands.ANNONCE)
async def start(update: Update, context: Context, actor: Actor) -> int:
    draft: Draft = {}
    user_data(context)[KEY] = draft
    return await _ask(update, context, actor, draft)


def next_step(d: Draft) -> str:
    """The first question not answered yet: who (all, or a kind then which one), the text, confirm."""
    if "kind" not in d:
        return "pick" if "audience" in d else "audience"
    return "text" if "text" not in d else "confirm"


async def _options(context: Context, actor: Actor, audience: str) -> list[tuple[str, str]]:
    """The buttons of the second question: cities, roles and skills, or upcoming events."""
    svc = services(context)
    if audience == Audience.CITY:
        return [
            (name, AnnouncePick("city", str(cid)).pack()) for cid, name in await announcements.cities(svc)
        ]
    if audience == Audience.ROLE:
        roles = [(actor.t(f"role.{r.value}"), AnnouncePick("role", r.value).pack()) for r in GRANT_ROLES]
        skills = [
            (role_label(actor.lang, s), AnnouncePick("skill", str(i)).pack()) for i, s in enumerate(ROLES)
        ]
        return roles + skills
    events = await announcements.upcoming_events(svc, datetime.now(UTC))
    return [(title[:40], AnnouncePick("event", str(eid)).pack()) for eid, title in events]


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    step_name = next_step(d)
    if step_name == "audience":
        rows: Rows = [
            [
                (actor.t("btn.announcement_all"), AnnounceAudience("all").pack()),
                (actor.t("btn.announcement_city"), AnnounceAudience("city").pack()),
            ],
            [
                (actor.t("btn.announcement_role"), AnnounceAudience("role").pack()),
                (actor.t("btn.announcement_event"), AnnounceAudience("event").pack()),
            ],
        ]
        await answer(update, actor.t("announcement.ask_audience"), rows)
    elif step_name == "pick":
        options = await _options(context, actor, d["audience"])
        if not options:
            drop(context, KEY)
            await answer(update, actor.t("announcement.no_event"))
            return END
        prompt = PICK_PROMPTS.get(d["audience"], "announcement.ask_event")
        await answer(update, actor.t(prompt), [options[i : i + 2] for i in range(0, len(options), 2)])
    elif step_name == "text":
        await answer(update, actor.t("announcement.ask_text"))
    else:
        message = Html(actor.t("announcement.message", text=d["text"]))
        rows = [
            [
                (actor.t("btn.confirm"), AnnounceConfirm("y").pack()),
                (actor.t("btn.cancel"), AnnounceConfirm("n").pack()),
            ]
        ]
        await answer(update, actor.t("announcement.preview", count=d["count"], text=message), rows)
    return FORM


@step(KEY, commands.ANNONCE)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if next_step(d) != "text":
        await answer(update, actor.t("event.use_buttons"))
        return FORM
    text = message_text(update).strip()
    if not text:
        await answer(update, actor.t("announcement.ask_text"))
        return FORM
    if len(text) > announcements.TEXT_MAX:
        await answer(update, actor.t("announcement.too_long", length=len(text), max=announcements.TEXT_MAX))
        return FORM
    count = await announcements.audience_size(services(context), d["kind"], d["value"])
    if count == 0:
        drop(context, KEY)
        await answer(update, actor.t("announcement.nobody"))
        return END
    d["text"], d["count"] = text, count
    return await _ask(update, context, actor, d)


def _read_button(d: Draft, step_name: str, data: str | None) -> bool:
    """Store a pressed answer in the draft; False for a button of another step (or forged)."""
    audience = AnnounceAudience.parse(data) if step_name == "audience" else None
    pick = AnnouncePick.parse(data) if step_name == "pick" else None
    if audience is not None:
        if audience.audience == "all":
            d.update(kind=Audience.ALL, value="")
        else:
            d["audience"] = audience.audience
        return True
    if pick is not None:
        value = pick.value
        if pick.kind == "skill":
            value = ROLES[int(value)] if value.isdigit() and int(value) < len(ROLES) else ""
        d.update(kind=pick.kind, value=value)
        return True
    return False


@step(KEY, commands.ANNONCE)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    step_name = next_step(d)
    confirm = AnnounceConfirm.parse(query.data) if step_name == "confirm" else None
    if confirm is not None:
        return await _confirm(update, context, actor, d, confirm.answer == "y")
    if not _read_button(d, step_name, query.data):
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _ask(update, context, actor, d)


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, yes: bool) -> int:
    query = update.callback_query
    assert query is not None and actor.person is not None
    drop(context, KEY)  # at once: a double tap sends one announcement
    await query.answer()
    await clear_keyboard(update)
    if not yes:
        await answer(update, actor.t("cancel.done"))
        return END
    svc = services(context)
    queued = await announcements.send(svc, actor.person, d["kind"], d["value"], d["text"])
    if queued.behind:
        await answer(update, actor.t("announcement.queued_behind"))
    progress = await answer(update, actor.t("announcement.progress", done=0, total=queued.total))
    if progress is not None:
        await announcements.show_progress_in(
            svc, queued.announcement_id, progress.chat_id, progress.message_id
        )
    return END


@command(commands.STOP_ANNONCES)
async def stop(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    stopped = await announcements.toggle_stop(services(context), actor.person.id)
    await answer(update, actor.t("announcement.stopped" if stopped else "announcement.restarted"))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    conversation = form(
        "announcement",
        entry_points=[CommandHandler(commands.ANNONCE.name, start, filters=private)],
        steps=[
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
            CallbackQueryHandler(
                on_button, pattern=pattern_of(AnnounceAudience, AnnouncePick, AnnounceConfirm)
            ),
        ],
        drafts=(KEY,),
        hint="event.use_buttons",
        restart=commands.ANNONCE,
    )
    return {Group.MAIN: [conversation, CommandHandler(commands.STOP_ANNONCES.name, stop)]}

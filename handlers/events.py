"""/evenement creates an action; /mes_evenements edits or cancels one. Nothing is stored before Confirmer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from capabilities.events import agenda, render
from capabilities.events.ical import write_ics_file
from domain.dates import PARIS, format_day, format_when, parse_when_detailed
from domain.events import (
    DEFAULT_DURATION_MINUTES,
    KINDS,
    PLACE_MAX,
    TITLE_MAX,
    clean_description,
    parse_duration,
    parse_needs,
)
from domain.people import Role
from domain.text import TextError, clean_line
from handlers.common import Actor, Context, Group, Handlers, answer, command, load_actor, services
from handlers.conversation import cancel_handler, hint_handler
from storage import events as q
from storage import people as pq
from storage.models import Event

TITLE, KIND, CITY, WHEN, TIME, WHEN_OK, DURATION, PLACE, DESCRIPTION, NEEDS, CONFIRM = range(20, 31)
EDIT_TEXT, EDIT_CONFIRM = range(40, 42)
KEY = "event_draft"
EDIT_KEY = "event_edit"


async def allowed_cities(context: Context, actor: Actor) -> list[tuple[int | None, str]]:
    """Coordinators: every city and national; candidates: their cities; leads: their own city."""
    async with services(context).db.session() as s:
        cities = await pq.cities(s)
    if actor.has(Role.COORDINATOR):
        return [(c.id, c.name) for c in cities] + [(None, actor.t("event.national"))]
    assert actor.person is not None
    names = {g.scope for g in actor.person.grants if g.role == Role.CANDIDATE.value}
    if actor.has(Role.LEAD) and actor.person.city is not None:
        names.add(actor.person.city.name)
    return [(c.id, c.name) for c in cities if c.name in names]


def can_manage(actor: Actor, event: Event) -> bool:
    if actor.has(Role.COORDINATOR):
        return True
    if actor.person is None:
        return False
    if event.created_by == actor.person.id:
        return True
    city = event.city.name if event.city else None
    candidate_of = {g.scope for g in actor.person.grants if g.role == Role.CANDIDATE.value}
    return city is not None and city in candidate_of


def _error(actor: Actor, err: TextError) -> str:
    return actor.t(err.code, **dict(err.params))


def _draft(context: Context) -> dict[str, object] | None:
    return context.user_data.get(KEY)  # type: ignore[union-attr,no-any-return]


@command(commands.EVENEMENT)
async def start(update: Update, context: Context, actor: Actor) -> int:
    if not await allowed_cities(context, actor):
        await answer(update, actor.t("event.no_city_allowed"))
        return ConversationHandler.END
    context.user_data[KEY] = {}  # type: ignore[index]
    await answer(update, actor.t("event.ask_title"))
    return TITLE


async def got_title(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    value = clean_line(update.effective_message.text or "", TITLE_MAX)  # type: ignore[union-attr]
    if isinstance(value, TextError):
        await answer(update, _error(actor, value))
        return TITLE
    draft["title"] = value
    rows = [[(k, f"evk:{i}") for i, k in enumerate(KINDS[j : j + 2], start=j)] for j in range(0, len(KINDS), 2)]
    await answer(update, actor.t("event.ask_kind"), rows)
    return KIND


async def got_kind(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    index = (query.data or "").split(":")[-1]
    if draft is None or not index.isdigit() or int(index) >= len(KINDS):
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END if draft is None else KIND
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft["kind"] = KINDS[int(index)]
    cities = await allowed_cities(context, actor)
    if len(cities) == 1:
        draft["city_id"], draft["city_name"] = cities[0]
        await answer(update, actor.t("event.ask_when"))
        return WHEN
    rows = [[(name, f"evc:{cid if cid is not None else 'national'}") for cid, name in cities[i : i + 2]]
            for i in range(0, len(cities), 2)]
    await answer(update, actor.t("event.ask_city"), rows)
    return CITY


async def got_city(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    choice = (query.data or "").split(":")[-1]
    allowed = dict(await allowed_cities(context, actor))
    city_id = None if choice == "national" else int(choice) if choice.isdigit() else -1
    if draft is None or city_id not in allowed:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END if draft is None else CITY
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft["city_id"], draft["city_name"] = city_id, allowed[city_id]
    await answer(update, actor.t("event.ask_when"))
    return WHEN


async def got_when(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    now = datetime.now(UTC)
    parsed = parse_when_detailed(update.effective_message.text or "", now)  # type: ignore[union-attr]
    if parsed is None:
        await answer(update, actor.t("event.when_invalid"))
        return WHEN
    if not parsed.has_time:
        draft["day"] = parsed.start
        await answer(update, actor.t("event.ask_time", day=format_day(parsed.start, actor.lang, now=now)))
        return TIME
    return await _confirm_when(update, actor, draft, parsed.start, parsed.end)


async def got_time(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    day: datetime = draft["day"]  # type: ignore[assignment]
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    # The time is read relative to the chosen day (its first minute), so "14h" lands on that day.
    parsed = parse_when_detailed(text, day - timedelta(minutes=1))
    if parsed is None or not parsed.has_time or parsed.start.date() != day.date() or parsed.start <= datetime.now(UTC):
        await answer(update, actor.t("event.when_invalid"))
        return TIME
    return await _confirm_when(update, actor, draft, parsed.start, parsed.end)


async def _confirm_when(update: Update, actor: Actor, draft: dict[str, object], start: datetime, end: datetime | None) -> int:
    draft["starts_at"] = start
    draft["range_end"] = end
    words = format_when(start, actor.lang, now=datetime.now(UTC), end=end)
    await answer(update, actor.t("event.confirm_when", when=words),
                 [[(actor.t("btn.yes"), "evw:y"), (actor.t("btn.no"), "evw:n")]])
    return WHEN_OK


async def got_when_ok(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    if draft is None:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not (query.data or "").endswith(":y"):
        await answer(update, actor.t("event.ask_when"))
        return WHEN
    if draft.get("range_end"):
        draft["ends_at"] = draft["range_end"]
        await answer(update, actor.t("event.ask_place"))
        return PLACE
    await answer(update, actor.t("event.ask_duration"))
    return DURATION


async def got_duration(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    minutes = parse_duration(update.effective_message.text or "")  # type: ignore[union-attr]
    if minutes is None:
        await answer(update, actor.t("event.duration_invalid"))
        return DURATION
    draft["ends_at"] = draft["starts_at"] + timedelta(minutes=minutes)  # type: ignore[operator]
    await answer(update, actor.t("event.ask_place"))
    return PLACE


def _text_step(field: str, parse: Callable[[str], object], state: int, ask_next: str, next_state: int) -> Callable[
    [Update, Context], Awaitable[int]
]:
    """A step that reads one line of text into the draft: on bad input, explain and ask again."""

    async def step(update: Update, context: Context) -> int:
        actor = await load_actor(update, context)
        draft = _draft(context)
        if draft is None:
            return ConversationHandler.END
        value = parse(update.effective_message.text or "")  # type: ignore[union-attr]
        if isinstance(value, TextError):
            await answer(update, _error(actor, value))
            return state
        draft[field] = value
        await answer(update, actor.t(ask_next))
        return next_state

    return step


got_place = _text_step("place", lambda text: clean_line(text, PLACE_MAX), PLACE, "event.ask_description", DESCRIPTION)
got_description = _text_step("description", clean_description, DESCRIPTION, "event.ask_needs", NEEDS)


async def got_needs(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    needs = parse_needs(update.effective_message.text or "")  # type: ignore[union-attr]
    if isinstance(needs, TextError):
        await answer(update, _error(actor, needs))
        return NEEDS
    draft["needs"] = needs
    text = render.summary(actor.lang, draft, str(draft["city_name"]))
    await answer(update, text, [[(actor.t("btn.confirm"), "evok:y"), (actor.t("btn.cancel"), "evok:n")]])
    return CONFIRM


async def got_confirm(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    # Popped at once: a double tap or a replayed update finds no draft and creates nothing.
    draft = context.user_data.pop(KEY, None)  # type: ignore[union-attr]
    if draft is None:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not (query.data or "").endswith(":y"):
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    if draft["city_id"] not in dict(await allowed_cities(context, actor)):
        await answer(update, actor.t("perm.denied", who=actor.t("role.coordinator")))
        return ConversationHandler.END
    svc = services(context)
    async with svc.transaction() as s:
        event = await q.create_event(
            s, title=draft["title"], kind=draft["kind"], city_id=draft["city_id"],
            starts_at=draft["starts_at"], ends_at=draft.get("ends_at")
            or draft["starts_at"] + timedelta(minutes=DEFAULT_DURATION_MINUTES),
            place=draft.get("place", ""), description=draft.get("description", ""), needs=draft["needs"],
            created_by=actor.person.id if actor.person else None,
        )
        await s.refresh(event, ["city", "needs"])
        groups = await agenda.announce(s, event)
        await pq.audit(s, actor.person, "event.created", str(event.id), title=event.title)
    await write_ics_file(svc)
    key = "event.created" if groups else "event.created_no_group"
    await answer(update, actor.t(key, groups=groups))
    return ConversationHandler.END


cancel = cancel_handler(KEY, EDIT_KEY)
use_buttons = hint_handler("event.use_buttons")


# --- Managing one's events -----------------------------------------------------------------


@command(commands.MES_EVENEMENTS)
async def my_events(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    async with services(context).db.session() as s:
        events = [e for e in await q.upcoming(s, now, limit=50) if can_manage(actor, e)]
    if not events:
        await answer(update, actor.t("event.mine_none"))
        return
    rows = [[(f"{format_day(e.starts_at.astimezone(PARIS), actor.lang, now=now)} · {e.title}"[:60], f"evm:{e.id}")]
            for e in events[:20]]
    await answer(update, actor.t("event.mine_header"), rows)


async def _managed_event(update: Update, context: Context, actor: Actor, event_id: str) -> Event | None:
    query = update.callback_query
    assert query is not None
    event = None
    if event_id.isdigit():
        async with services(context).db.session() as s:
            event = await q.event_by_id(s, int(event_id))
    if event is None or event.status != "scheduled":
        await query.answer(actor.t("event.gone"), show_alert=True)
        return None
    if not can_manage(actor, event):
        await query.answer(actor.t("perm.denied", who=actor.t("role.coordinator")), show_alert=True)
        return None
    return event


async def manage(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    event = await _managed_event(update, context, actor, (query.data or "").split(":")[-1])
    if event is None:
        return ConversationHandler.END
    await query.answer()
    rows = [
        [(actor.t("btn.edit_when"), f"eve:when:{event.id}"), (actor.t("btn.edit_place"), f"eve:place:{event.id}")],
        [(actor.t("btn.edit_title"), f"eve:title:{event.id}"), (actor.t("btn.cancel_event"), f"eve:cancel:{event.id}")],
    ]
    await answer(update, actor.t("event.manage", title=event.title, when=render.when(event, actor.lang)), rows)
    return ConversationHandler.END


async def edit_choice(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    _, field, event_id = (query.data or "::").split(":", 2)
    event = await _managed_event(update, context, actor, event_id)
    if event is None:
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    context.user_data[EDIT_KEY] = {"event_id": event.id, "field": field}  # type: ignore[index]
    if field == "cancel":
        async with services(context).db.session() as s:
            count = len(await q.participations(s, event.id, agenda.REGISTERED))
        await answer(update, actor.t("event.confirm_cancel", title=event.title, count=count),
                     [[(actor.t("btn.cancel_event"), "evx:y"), (actor.t("btn.back"), "evx:n")]])
        return EDIT_CONFIRM
    prompt = {"when": "event.ask_when", "place": "event.ask_place", "title": "event.ask_title"}[field]
    await answer(update, actor.t(prompt))
    return EDIT_TEXT


async def edit_text(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    state = context.user_data.get(EDIT_KEY)  # type: ignore[union-attr]
    if state is None:
        return ConversationHandler.END
    text = update.effective_message.text or ""  # type: ignore[union-attr]
    svc = services(context)
    async with svc.db.session() as s:
        current = await q.event_by_id(s, state["event_id"])
    if current is None or current.status != "scheduled":
        await answer(update, actor.t("event.gone"))
        return ConversationHandler.END
    changes: dict[str, object]
    if state["field"] == "when":
        parsed = parse_when_detailed(text, datetime.now(UTC))
        if parsed is None or not parsed.has_time:
            await answer(update, actor.t("event.when_invalid"))
            return EDIT_TEXT
        length = current.ends_at - current.starts_at
        changes = {"starts_at": parsed.start, "ends_at": parsed.end or parsed.start + length}
    else:
        value = clean_line(text, PLACE_MAX if state["field"] == "place" else TITLE_MAX)
        if isinstance(value, TextError):
            await answer(update, _error(actor, value))
            return EDIT_TEXT
        changes = {state["field"]: value}
    async with svc.transaction() as s:
        event = await q.event_by_id(s, state["event_id"], lock=True)
        if event is None or event.status != "scheduled":
            count = -1
        else:
            count = await agenda.change_event(s, event, **changes)
            await pq.audit(s, actor.person, "event.changed", str(event.id), fields=sorted(changes))
    context.user_data.pop(EDIT_KEY, None)  # type: ignore[union-attr]
    if count < 0:
        await answer(update, actor.t("event.gone"))
        return ConversationHandler.END
    await write_ics_file(svc)
    await answer(update, actor.t("event.changed", count=count))
    return ConversationHandler.END


async def edit_confirm(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    state = context.user_data.pop(EDIT_KEY, None)  # type: ignore[union-attr]
    if state is None:
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not (query.data or "").endswith(":y"):
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    svc = services(context)
    async with svc.transaction() as s:
        event = await q.event_by_id(s, state["event_id"], lock=True)
        count = -1
        if event is not None and event.status == "scheduled" and can_manage(actor, event):
            count = await agenda.cancel_event(s, event)
            await pq.audit(s, actor.person, "event.cancelled", str(event.id))
    if count < 0:
        await answer(update, actor.t("event.gone"))
        return ConversationHandler.END
    await write_ics_file(svc)
    await answer(update, actor.t("event.cancelled", count=count))
    return ConversationHandler.END


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    create = ConversationHandler(
        entry_points=[CommandHandler(commands.EVENEMENT.name, start, filters=private)],
        states={
            TITLE: [MessageHandler(text, got_title)],
            KIND: [CallbackQueryHandler(got_kind, pattern=r"^evk:")],
            CITY: [CallbackQueryHandler(got_city, pattern=r"^evc:")],
            WHEN: [MessageHandler(text, got_when)],
            TIME: [MessageHandler(text, got_time)],
            WHEN_OK: [CallbackQueryHandler(got_when_ok, pattern=r"^evw:")],
            DURATION: [MessageHandler(text, got_duration)],
            PLACE: [MessageHandler(text, got_place)],
            DESCRIPTION: [MessageHandler(text, got_description)],
            NEEDS: [MessageHandler(text, got_needs)],
            CONFIRM: [CallbackQueryHandler(got_confirm, pattern=r"^evok:")],
        },
        fallbacks=[
            CommandHandler(commands.CANCEL.name, cancel),
            CommandHandler(commands.EVENEMENT.name, start, filters=private),
            MessageHandler(private & ~filters.COMMAND, use_buttons),
        ],
        name="event_create",
        allow_reentry=True,
    )
    edit = ConversationHandler(
        entry_points=[CallbackQueryHandler(edit_choice, pattern=r"^eve:(when|place|title|cancel):\d+$")],
        states={
            EDIT_TEXT: [MessageHandler(text, edit_text)],
            EDIT_CONFIRM: [CallbackQueryHandler(edit_confirm, pattern=r"^evx:")],
        },
        fallbacks=[CommandHandler(commands.CANCEL.name, cancel), MessageHandler(private & ~filters.COMMAND, use_buttons)],
        name="event_edit",
        allow_reentry=True,
    )
    return {Group.MAIN: [create, edit, CommandHandler(commands.MES_EVENEMENTS.name, my_events), CallbackQueryHandler(manage, pattern=r"^evm:\d+$")]}

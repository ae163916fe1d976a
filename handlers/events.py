"""/evenement creates an action (a form); /mes_evenements changes or cancels one. Nothing is stored
before Confirmer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import (
    EventCancelOk,
    EventCity,
    EventConfirm,
    EventEdit,
    EventKind,
    EventManage,
    EventNational,
    EventWhenOk,
    pattern_of,
)
from capabilities.events import organise, render
from capabilities.events.organise import NewEvent, Organiser, Refused
from domain.dates import PARIS, format_day, format_when, parse_when_detailed
from domain.events import KINDS, PLACE_MAX, TITLE_MAX, clean_description, parse_duration, parse_needs
from domain.text import TextError, clean_line
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    command,
    load_actor,
    message_text,
    services,
    user_data,
)
from handlers.conversation import FORM, Turn, clear_keyboard, drop, form, step
from storage.models import Event

KEY = "event_draft"
EDIT_KEY = "event_edit"
END = ConversationHandler.END
BUTTON_STEPS = ("kind", "city", "when_ok", "summary")
EDIT_PROMPTS = {"when": "event.ask_when", "place": "event.ask_place", "title": "event.ask_title"}
MY_EVENTS_SHOWN = 20

Draft = dict[str, Any]


def _organiser(actor: Actor) -> Organiser:
    assert actor.person is not None
    return Organiser(actor.person, actor.roles)


def _error(actor: Actor, err: TextError) -> str:
    return actor.t(err.code, **dict(err.params))


def _refused(actor: Actor, refused: Refused) -> str:
    if refused is Refused.GONE:
        return actor.t("event.gone")
    return actor.t("perm.denied", who=actor.t("role.coordinator"))


def _pairs(cells: list[tuple[str, str]]) -> Rows:
    return [cells[i : i + 2] for i in range(0, len(cells), 2)]


# --- /evenement: the form --------------------------------------------------------------------------


@command(commands.EVENEMENT)
async def start(update: Update, context: Context, actor: Actor) -> int:
    cities = await organise.cities_for(services(context), _organiser(actor), actor.t("event.national"))
    if not cities:
        await answer(update, actor.t("event.no_city_allowed"))
        return END
    draft: Draft = {"cities": cities}
    if len(cities) == 1:  # a question with one possible answer is not asked
        draft["city_id"], draft["city_name"] = cities[0]
    user_data(context)[KEY] = draft
    return await _ask(update, actor, draft)


def next_step(d: Draft) -> str:
    """The first question not answered yet (the form's whole order is here)."""
    for name in ("title", "kind"):
        if name not in d:
            return name
    if "city_id" not in d:
        return "city"
    if "starts_at" not in d:
        return "time" if "day" in d else "when"
    if not d.get("when_ok"):
        return "when_ok"
    if "ends_at" not in d:
        return "duration"
    for name in ("place", "description", "needs"):
        if name not in d:
            return name
    return "summary"


def _prompt(actor: Actor, d: Draft, step_name: str, now: datetime) -> tuple[str, Rows | None]:
    if step_name == "kind":
        return actor.t("event.ask_kind"), _pairs([(k, EventKind(i).pack()) for i, k in enumerate(KINDS)])
    if step_name == "city":
        cells = [
            (name, (EventNational() if cid is None else EventCity(cid)).pack()) for cid, name in d["cities"]
        ]
        return actor.t("event.ask_city"), _pairs(cells)
    if step_name == "time":
        return actor.t("event.ask_time", day=format_day(d["day"], actor.lang, now=now)), None
    if step_name == "when_ok":
        words = format_when(d["starts_at"], actor.lang, now=now, end=d["range_end"])
        rows = [[(actor.t("btn.yes"), EventWhenOk("y").pack()), (actor.t("btn.no"), EventWhenOk("n").pack())]]
        return actor.t("event.confirm_when", when=words), rows
    if step_name == "summary":
        rows = [
            [
                (actor.t("btn.confirm"), EventConfirm("y").pack()),
                (actor.t("btn.cancel"), EventConfirm("n").pack()),
            ]
        ]
        return render.summary(actor.lang, d, str(d["city_name"])), rows
    # title, when, duration, place, description, needs: typed answers
    return actor.t(f"event.ask_{step_name}"), None


async def _ask(update: Update, actor: Actor, d: Draft) -> int:
    text, rows = _prompt(actor, d, next_step(d), datetime.now(UTC))
    await answer(update, text, rows)
    return FORM


def _read_text(actor: Actor, d: Draft, step_name: str, text: str, now: datetime) -> str | None:
    """Store a typed answer in the draft; the error to show, or None."""
    if step_name == "when":
        parsed = parse_when_detailed(text, now)
        if parsed is None:
            return actor.t("event.when_invalid")
        if not parsed.has_time:
            d["day"] = parsed.start
        else:
            d["starts_at"], d["range_end"] = parsed.start, parsed.end
        return None
    if step_name == "time":
        day: datetime = d["day"]
        # The time is read relative to the chosen day (its first minute), so "14h" lands on that day.
        parsed = parse_when_detailed(text, day - timedelta(minutes=1))
        if parsed is None or not parsed.has_time or parsed.start.date() != day.date() or parsed.start <= now:
            return actor.t("event.when_invalid")
        d["starts_at"], d["range_end"] = parsed.start, parsed.end
        return None
    if step_name == "duration":
        minutes = parse_duration(text)
        if minutes is None:
            return actor.t("event.duration_invalid")
        d["ends_at"] = d["starts_at"] + timedelta(minutes=minutes)
        return None
    value: object
    if step_name == "title":
        value = clean_line(text, TITLE_MAX)
    elif step_name == "place":
        value = clean_line(text, PLACE_MAX)
    elif step_name == "description":
        value = clean_description(text)
    else:
        value = parse_needs(text)
    if isinstance(value, TextError):
        return _error(actor, value)
    d[step_name] = value
    return None


@step(KEY, commands.EVENEMENT)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    step_name = next_step(d)
    if step_name in BUTTON_STEPS:
        await answer(update, actor.t("event.use_buttons"))
        return FORM
    error = _read_text(actor, d, step_name, message_text(update), datetime.now(UTC))
    if error is not None:
        await answer(update, error)
        return FORM
    return await _ask(update, actor, d)


def _read_button(d: Draft, step_name: str, data: str | None) -> bool:
    """Store a pressed answer in the draft; False for a button of another step (or forged)."""
    if step_name == "kind":
        kind = EventKind.parse(data)
        if kind is None or kind.index >= len(KINDS):
            return False
        d["kind"] = KINDS[kind.index]
        return True
    if step_name == "city":
        city = EventCity.parse(data)
        city_id = city.city_id if city is not None else None if EventNational.parse(data) else -1
        names = dict(d["cities"])
        if city_id not in names:
            return False
        d["city_id"], d["city_name"] = city_id, names[city_id]
        return True
    if step_name == "when_ok":
        when_ok = EventWhenOk.parse(data)
        if when_ok is None:
            return False
        if when_ok.answer == "y":
            d["when_ok"] = True
            if d.get("range_end"):
                d["ends_at"] = d["range_end"]
        else:  # asked again
            for name in ("day", "starts_at", "range_end"):
                d.pop(name, None)
        return True
    return False


@step(KEY, commands.EVENEMENT)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    step_name = next_step(d)
    confirm = EventConfirm.parse(query.data) if step_name == "summary" else None
    if confirm is not None:
        return await _confirm(update, context, actor, d, confirm.answer == "y")
    if not _read_button(d, step_name, query.data):
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _ask(update, actor, d)


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, yes: bool) -> int:
    query = update.callback_query
    assert query is not None
    # Dropped at once: a double tap or a replayed update finds no draft and creates nothing.
    drop(context, KEY)
    await query.answer()
    await clear_keyboard(update)
    if not yes:
        await answer(update, actor.t("cancel.done"))
        return END
    new = NewEvent(
        title=d["title"],
        kind=d["kind"],
        city_id=d["city_id"],
        starts_at=d["starts_at"],
        ends_at=d.get("ends_at"),
        place=d.get("place", ""),
        description=d.get("description", ""),
        needs=d["needs"],
    )
    groups = await organise.create(services(context), _organiser(actor), new)
    if groups is None:
        await answer(update, actor.t("perm.denied", who=actor.t("role.coordinator")))
        return END
    await answer(update, actor.t("event.created" if groups else "event.created_no_group", groups=groups))
    return END


# --- /mes_evenements: change or cancel ---------------------------------------------------------------


@command(commands.MES_EVENEMENTS)
async def my_events(update: Update, context: Context, actor: Actor) -> None:
    now = datetime.now(UTC)
    events = await organise.my_events(services(context), _organiser(actor), now)
    if not events:
        await answer(update, actor.t("event.mine_none"))
        return
    rows = [
        [
            (
                f"{format_day(e.starts_at.astimezone(PARIS), actor.lang, now=now)} · {e.title}"[:60],
                EventManage(e.id).pack(),
            )
        ]
        for e in events[:MY_EVENTS_SHOWN]
    ]
    await answer(update, actor.t("event.mine_header"), rows)


async def _managed(update: Update, context: Context, actor: Actor, event_id: int) -> Event | None:
    """The event when the actor may still manage it; otherwise say why on the button."""
    query = update.callback_query
    assert query is not None
    if actor.person is None:
        found: Event | Refused = Refused.DENIED
    else:
        found = await organise.managed_event(services(context), _organiser(actor), event_id)
    if isinstance(found, Refused):
        await query.answer(_refused(actor, found), show_alert=True)
        return None
    return found


async def manage(update: Update, context: Context) -> None:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = EventManage.parse(query.data)
    event = await _managed(update, context, actor, pressed.event_id) if pressed else None
    if event is None:
        return
    await query.answer()
    rows = [
        [
            (actor.t("btn.edit_when"), EventEdit("when", event.id).pack()),
            (actor.t("btn.edit_place"), EventEdit("place", event.id).pack()),
        ],
        [
            (actor.t("btn.edit_title"), EventEdit("title", event.id).pack()),
            (actor.t("btn.cancel_event"), EventEdit("cancel", event.id).pack()),
        ],
    ]
    await answer(
        update, actor.t("event.manage", title=event.title, when=render.when(event, actor.lang)), rows
    )


async def edit_choice(update: Update, context: Context) -> int:
    """What to change: the draft is {event_id, field}; the cancellation is confirmed by a button."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = EventEdit.parse(query.data)
    event = await _managed(update, context, actor, pressed.event_id) if pressed else None
    if pressed is None or event is None:
        return END
    await query.answer()
    await clear_keyboard(update)
    user_data(context)[EDIT_KEY] = {"event_id": event.id, "field": pressed.change}
    if pressed.change == "cancel":
        count = await organise.registered(services(context), event.id)
        rows = [
            [
                (actor.t("btn.cancel_event"), EventCancelOk("y").pack()),
                (actor.t("btn.back"), EventCancelOk("n").pack()),
            ]
        ]
        await answer(update, actor.t("event.confirm_cancel", title=event.title, count=count), rows)
        return FORM
    await answer(update, actor.t(EDIT_PROMPTS[pressed.change]))
    return FORM


@step(EDIT_KEY, commands.MES_EVENEMENTS)
async def edit_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if d["field"] == "cancel":
        await answer(update, actor.t("event.use_buttons"))
        return FORM
    svc, who = services(context), _organiser(actor)
    current = await organise.managed_event(svc, who, d["event_id"])
    if isinstance(current, Refused):
        drop(context, EDIT_KEY)
        await answer(update, _refused(actor, current))
        return END
    text = message_text(update)
    if d["field"] == "when":
        parsed = parse_when_detailed(text, datetime.now(UTC))
        if parsed is None or not parsed.has_time:
            await answer(update, actor.t("event.when_invalid"))
            return FORM
        done = await organise.change(svc, who, d["event_id"], starts_at=parsed.start, ends_at=parsed.end)
    else:
        value = clean_line(text, PLACE_MAX if d["field"] == "place" else TITLE_MAX)
        if isinstance(value, TextError):
            await answer(update, _error(actor, value))
            return FORM
        field = d["field"]
        done = await organise.change(
            svc,
            who,
            d["event_id"],
            title=value if field == "title" else None,
            place=value if field == "place" else None,
        )
    drop(context, EDIT_KEY)
    if isinstance(done, Refused):
        await answer(update, _refused(actor, done))
        return END
    await answer(update, actor.t("event.changed", count=done))
    return END


@step(EDIT_KEY, commands.MES_EVENEMENTS)
async def edit_confirm(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    pressed = EventCancelOk.parse(query.data)
    if pressed is None or d["field"] != "cancel":
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    drop(context, EDIT_KEY)
    await query.answer()
    await clear_keyboard(update)
    if pressed.answer != "y":
        await answer(update, actor.t("cancel.done"))
        return END
    done = await organise.cancel(services(context), _organiser(actor), d["event_id"])
    if isinstance(done, Refused):
        await answer(update, _refused(actor, done))
        return END
    await answer(update, actor.t("event.cancelled", count=done))
    return END


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    create = form(
        "event_create",
        entry_points=[CommandHandler(commands.EVENEMENT.name, start, filters=private)],
        steps=[
            MessageHandler(text, on_text),
            CallbackQueryHandler(
                on_button, pattern=pattern_of(EventKind, EventCity, EventNational, EventWhenOk, EventConfirm)
            ),
        ],
        drafts=(KEY, EDIT_KEY),
        hint="event.use_buttons",
        restart=commands.EVENEMENT,
        fallbacks=[CommandHandler(commands.EVENEMENT.name, start, filters=private)],
    )
    edit = form(
        "event_edit",
        entry_points=[CallbackQueryHandler(edit_choice, pattern=EventEdit.pattern())],
        steps=[
            MessageHandler(text, edit_text),
            CallbackQueryHandler(edit_confirm, pattern=EventCancelOk.pattern()),
        ],
        drafts=(KEY, EDIT_KEY),
        hint="event.use_buttons",
        restart=commands.MES_EVENEMENTS,
    )
    return {
        Group.MAIN: [
            create,
            edit,
            CommandHandler(commands.MES_EVENEMENTS.name, my_events),
            CallbackQueryHandler(manage, pattern=EventManage.pattern()),
        ]
    }

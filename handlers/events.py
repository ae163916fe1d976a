"""/evenement creates an action (a form); /mes_evenements changes or cancels one. Nothing is stored
before Confirmer."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands, paging
from bot.callbacks import (
    EventCancelOk,
    EventCity,
    EventConfirm,
    EventDonors,
    EventEdit,
    EventKind,
    EventManage,
    EventNational,
    EventWhenOk,
    EventWhenSet,
    MyEventsPage,
    RosterAct,
    RosterMark,
    RosterOpen,
    RosterPage,
    RosterSend,
    pattern_of,
)
from bot.paging import fit
from capabilities.donations.labels import donor_name
from capabilities.events import organise, render, roster
from capabilities.events.organise import NewEvent, Organiser, Refused
from domain.dates import PARIS, format_day, format_when, parse_when_detailed
from domain.donor_input import is_none_answer
from domain.events import KINDS, PLACE_MAX, TITLE_MAX, clean_description, parse_duration, parse_needs
from domain.fundraising import LEVEE_KIND, ha_form_slug
from domain.money import format_eur, parse_amount
from domain.text import TextError, clean_line
from handlers.common import (
    NO_PREVIEW,
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
from handlers.paged import show as show_page
from storage.models import Event

KEY = "event_draft"
EDIT_KEY = "event_edit"
END = ConversationHandler.END
BUTTON_STEPS = ("kind", "city", "when_ok", "summary")
EDIT_PROMPTS = {
    "when": "event.ask_when",
    "place": "event.ask_place",
    "title": "event.ask_title",
    "goal": "event.ask_goal",
    "ha_form": "event.ask_ha_form",
}
MY_EVENTS_SHOWN = 8  # buttons per page of /mes_evenements
ROSTER_MESSAGE_PATTERN = re.compile(r"^evra:msg:\d{1,18}$")  # « Écrire aux inscrits » opens a form

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
    # Polling days, for the electoral silence warning at the summary (ISO strings: the draft is plain data).
    days = await organise.election_days(services(context))
    draft: Draft = {"cities": cities, "election_days": [d.isoformat() for d in days]}
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
    if d["kind"] == LEVEE_KIND and "goal" not in d:  # optional: « aucun » leaves it None
        return "goal"
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
        summary = render.summary(actor.lang, d, str(d["city_name"]))
        silence = organise.silence_day(d["kind"], d["starts_at"], d.get("election_days", []), PARIS)
        if silence is not None:  # a warning, not a block (docs/communication-rules.md rule 1)
            summary += "\n\n" + actor.t(
                "complan.silence_warning", day=format_day(silence, actor.lang, now=now)
            )
        return summary, rows
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
    if step_name == "goal":
        ok, goal = _read_goal(text)
        if not ok:
            return actor.t("event.goal_invalid")
        d["goal"] = goal
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


def _read_goal(text: str) -> tuple[bool, int | None]:
    """(understood, goal in cents) of "2 000 €"; « aucun » is understood as no goal."""
    if is_none_answer(text):
        return True, None
    cents = parse_amount(text)
    return bool(cents), cents


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
        goal_cents=d.get("goal"),
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
    await _my_events_page(update, context, actor, 0)


async def my_events_page(update: Update, context: Context) -> None:
    """/mes_evenements: another page, edited in place (a forged page number is clamped)."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = MyEventsPage.parse(query.data)
    if pressed is None or not actor.has(*commands.ORGANISERS):
        await query.answer(actor.t("perm.denied", who=actor.t("role.coordinator")), show_alert=True)
        return
    await query.answer()
    await _my_events_page(update, context, actor, pressed.page)


async def _my_events_page(update: Update, context: Context, actor: Actor, number: int) -> None:
    """One message: a page of the events the organiser manages, a button each (the day, the time
    of day and the city on the button), « et N autres » and the page buttons."""
    now = datetime.now(UTC)
    events = await organise.my_events(services(context), _organiser(actor), now)
    if not events:
        await answer(update, actor.t("event.mine_none"))
        return
    win = paging.window(len(events), number, MY_EVENTS_SHOWN)
    rows: Rows = []
    for e in win.slice(events):
        city = e.city.name if e.city else actor.t("event.national")
        when = format_when(e.starts_at.astimezone(PARIS), actor.lang, now=now)
        rows.append([(f"{when} · {city} · {e.title}"[:64], EventManage(e.id).pack())])
    nav = paging.nav_row(actor.lang, win, lambda n: MyEventsPage(n).pack())
    if nav:
        rows.append(nav)
    text = paging.page_message(actor.t("event.mine_header"), [], paging.footer(actor.lang, win))
    await show_page(update, text, rows)


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
    rows.insert(0, [(actor.t("btn.roster_view"), RosterOpen(event.id).pack())])
    text = actor.t("event.manage", title=event.title, when=render.when(event, actor.lang))
    progress = await organise.progress(services(context), event)
    if progress is not None:
        # The organiser sees the total; the names only with the treasury or coordination role.
        line = render.fundraising_line(actor.lang, progress)
        text = actor.t(
            "event.manage_fund", title=event.title, when=render.when(event, actor.lang), progress=line
        )
        extra = [(actor.t("btn.edit_goal"), EventEdit("goal", event.id).pack())]
        extra.append((actor.t("btn.edit_ha_form"), EventEdit("ha_form", event.id).pack()))
        rows.append(extra)
        if organise.may_see_donors(_organiser(actor)):
            rows.append([(actor.t("btn.event_donors"), EventDonors(event.id).pack())])
    await answer(update, text, rows)


async def show_donors(update: Update, context: Context) -> None:
    """A fundraiser's donors and amounts, in private: the role is checked again at the press."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = EventDonors.parse(query.data)
    if pressed is None or actor.person is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    gifts = await organise.donors(services(context), _organiser(actor), pressed.event_id)
    if isinstance(gifts, Refused):
        who = actor.t("role.treasurer")
        denied = actor.t("perm.denied", who=who) if gifts is Refused.DENIED else actor.t("event.gone")
        await query.answer(denied, show_alert=True)
        return
    await query.answer()
    event = await organise.managed_event(services(context), _organiser(actor), pressed.event_id)
    title = event.title if isinstance(event, Event) else ""
    if not gifts:
        await answer(update, actor.t("event.donors_none"))
        return
    lines = [actor.t("event.donors_header", title=title, count=len(gifts))]
    lines += [
        actor.t(
            "event.donor_line",
            name=donor_name(g.donor, actor.lang),
            amount=format_eur(g.amount_cents, actor.lang),
        )
        for g in gifts
    ]
    await answer(update, fit(lines, lambda n: actor.t("event.donors_more", count=n)))


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
    if d["field"] == "goal":
        ok, goal = _read_goal(text)
        if not ok:
            await answer(update, actor.t("event.goal_invalid"))
            return FORM
        refused = await organise.set_goal(svc, who, d["event_id"], goal)
        drop(context, EDIT_KEY)
        await answer(update, _refused(actor, refused) if refused else actor.t("event.goal_changed"))
        return END
    if d["field"] == "ha_form":
        ok, slug = ha_form_slug(text)
        if not ok:
            await answer(update, actor.t("event.ha_form_invalid"))
            return FORM
        linked = await organise.set_ha_form(svc, who, d["event_id"], slug)
        drop(context, EDIT_KEY)
        if isinstance(linked, Refused):
            reply = _refused(actor, linked)
        elif linked is not None:
            reply = actor.t("event.ha_form_taken", title=linked.title)
        else:
            reply = actor.t("event.ha_form_changed", slug=slug) if slug else actor.t("event.ha_form_cleared")
        await answer(update, reply)
        return END
    if d["field"] == "when":
        return await _read_new_date(update, actor, current, d, text)
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


async def _read_new_date(update: Update, actor: Actor, event: Event, d: Draft, text: str) -> int:
    """A new date is read back in words and confirmed, like at creation; a day without a time
    asks for the time (read on that day)."""
    now = datetime.now(UTC)
    if "starts_at" in d:  # read back already: Confirmer or Annuler
        await answer(update, actor.t("event.use_buttons"))
        return FORM
    if "day" in d:
        day: datetime = d["day"]
        parsed = parse_when_detailed(text, day - timedelta(minutes=1))
        if parsed is not None and (not parsed.has_time or parsed.start.date() != day.date()):
            parsed = None
    else:
        parsed = parse_when_detailed(text, now)
    if parsed is None or parsed.start <= now:
        await answer(update, actor.t("event.when_invalid"))
        return FORM
    if not parsed.has_time:
        d["day"] = parsed.start
        await answer(update, actor.t("event.ask_time", day=format_day(parsed.start, actor.lang, now=now)))
        return FORM
    end = organise.new_end(event, parsed.start, parsed.end)
    d["starts_at"], d["ends_at"] = parsed.start, end
    words = format_when(parsed.start.astimezone(PARIS), actor.lang, now=now, end=end.astimezone(PARIS))
    rows = [
        [
            (actor.t("btn.confirm"), EventWhenSet("y").pack()),
            (actor.t("btn.cancel"), EventWhenSet("n").pack()),
        ]
    ]
    await answer(update, actor.t("roster.when_confirm", when=words), rows)
    return FORM


@step(EDIT_KEY, commands.MES_EVENEMENTS)
async def when_confirm(update: Update, context: Context, turn: Turn) -> int:
    """Confirmer: the event moves, the people registered are told once, its posts say so."""
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    pressed = EventWhenSet.parse(query.data)
    if pressed is None or d.get("field") != "when" or "starts_at" not in d:
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    drop(context, EDIT_KEY)  # dropped first: a double tap finds no draft and moves nothing
    await query.answer()
    await clear_keyboard(update)
    if pressed.answer != "y":
        await answer(update, actor.t("cancel.done"))
        return END
    done = await organise.reschedule(
        services(context), _organiser(actor), d["event_id"], d["starts_at"], d["ends_at"]
    )
    if isinstance(done, Refused):
        await answer(update, _refused(actor, done))
        return END
    await answer(update, actor.t("roster.date_changed", count=done))
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
            CallbackQueryHandler(when_confirm, pattern=EventWhenSet.pattern()),
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
            CallbackQueryHandler(my_events_page, pattern=MyEventsPage.pattern()),
            CallbackQueryHandler(show_donors, pattern=EventDonors.pattern()),
            *roster_handlers(),
        ]
    }


# --- Who is coming: the roster, in private, for the event's organisers (capabilities/events/roster.py) ---

ROSTER_KEY = "roster_message"


async def _show_roster(update: Update, context: Context, actor: Actor, event_id: int, edit: bool) -> None:
    """The roster as a new message (or in place of the pressed one), or a polite refusal."""
    found: roster.Roster | Refused = Refused.DENIED
    if actor.person is not None:
        found = await roster.roster(services(context), _organiser(actor), event_id, datetime.now(UTC))
    if isinstance(found, Refused):
        await answer(update, actor.t("roster.denied" if found is Refused.DENIED else "event.gone"))
        return
    text, rows = roster.view(actor.lang, found)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(
            text, parse_mode="HTML", reply_markup=buttons(rows), link_preview_options=NO_PREVIEW
        )
        return
    await answer(update, text, rows)


async def roster_link(update: Update, context: Context, actor: Actor, payload: str) -> None:
    """`/start ros_<event id>`: the « Voir les inscrits » link of a group post. Checked again here:
    a forged link shows nothing."""
    raw = payload.removeprefix("ros_")
    if not raw.isdigit() or len(raw) > 18:
        await answer(update, actor.t("roster.denied"))
        return
    await _show_roster(update, context, actor, int(raw), edit=False)


async def roster_open(update: Update, context: Context) -> None:
    """« Voir les inscrits »: in a group, an organiser is sent to the private chat (the link opens
    it on the roster); anyone else gets a refusal, and the group sees nothing."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = RosterOpen.parse(query.data)
    if pressed is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        allowed: Event | Refused = Refused.DENIED
        if actor.person is not None:
            allowed = await organise.managed_event(services(context), _organiser(actor), pressed.event_id)
        if isinstance(allowed, Refused):
            key = "roster.denied" if allowed is Refused.DENIED else "event.gone"
            await query.answer(actor.t(key), show_alert=True)
            return
        await query.answer(url=services(context).deep_link(f"ros_{pressed.event_id}"))
        return
    await query.answer()
    await _show_roster(update, context, actor, pressed.event_id, edit=False)


async def roster_act(update: Update, context: Context) -> None:
    """Export (.xlsx or CSV, sent as a document) or the attendance buttons."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = RosterAct.parse(query.data)
    if pressed is None or actor.person is None:
        await query.answer(actor.t("roster.denied" if pressed else "fallback.button_stale"), show_alert=True)
        return
    svc, who, now = services(context), _organiser(actor), datetime.now(UTC)
    if pressed.action in ("xlsx", "csv"):
        kind: Literal["xlsx", "csv"] = "xlsx" if pressed.action == "xlsx" else "csv"
        done = await roster.export(svc, who, pressed.event_id, actor.lang, kind, now)
        if isinstance(done, Refused):
            await query.answer(_roster_refused(actor, done), show_alert=True)
            return
        await query.answer()
        name, data = done
        event = await organise.managed_event(svc, who, pressed.event_id)
        title = event.title if isinstance(event, Event) else ""
        chat = update.effective_chat
        assert chat is not None
        await chat.send_document(data, filename=name, caption=actor.t("roster.export_caption", title=title))
        return
    found = await roster.roster(svc, who, pressed.event_id, now)
    if isinstance(found, Refused):
        await query.answer(_roster_refused(actor, found), show_alert=True)
        return
    if not found.attendance_open:
        await query.answer(actor.t("roster.att_closed"), show_alert=True)
        return
    await query.answer()
    text, rows = roster.attendance_view(actor.lang, found)
    await answer(update, text, rows)


def _roster_refused(actor: Actor, refused: Refused) -> str:
    return actor.t("roster.denied" if refused is Refused.DENIED else "event.gone")


async def roster_mark(update: Update, context: Context) -> None:
    """Présent / absent: the presser's right over that participation's event is checked again."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = RosterMark.parse(query.data)
    if pressed is None or actor.person is None:
        await query.answer(actor.t("roster.denied" if pressed else "fallback.button_stale"), show_alert=True)
        return
    found = await roster.mark_attendance(
        services(context), _organiser(actor), pressed.participation_id, pressed.came == "y", datetime.now(UTC)
    )
    if isinstance(found, Refused):
        await query.answer(_roster_refused(actor, found), show_alert=True)
        return
    await query.answer()
    text, rows = roster.attendance_view(actor.lang, found, focus=pressed.participation_id)
    await query.edit_message_text(
        text, parse_mode="HTML", reply_markup=buttons(rows), link_preview_options=NO_PREVIEW
    )


async def roster_page(update: Update, context: Context) -> None:
    """Another page of the roster or of the attendance sheet, edited in place: the presser's right
    over the event is checked again at each page (organisers only), names only in private, and a
    forged page number is clamped."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = RosterPage.parse(query.data)
    if pressed is None or actor.person is None:
        await query.answer(actor.t("roster.denied" if pressed else "fallback.button_stale"), show_alert=True)
        return
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await query.answer(actor.t("roster.denied"), show_alert=True)
        return
    found = await roster.roster(services(context), _organiser(actor), pressed.event_id, datetime.now(UTC))
    if isinstance(found, Refused):
        await query.answer(_roster_refused(actor, found), show_alert=True)
        return
    if pressed.view == "att" and not found.attendance_open:
        await query.answer(actor.t("roster.att_closed"), show_alert=True)
        return
    await query.answer()
    view = roster.attendance_view if pressed.view == "att" else roster.view
    await show_page(update, *view(actor.lang, found, pressed.page))


async def message_start(update: Update, context: Context) -> int:
    """« Écrire aux inscrits »: the text comes next, then a preview with Envoyer."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = RosterAct.parse(query.data)
    if pressed is None or actor.person is None:
        await query.answer(actor.t("roster.denied"), show_alert=True)
        return END
    event = await organise.managed_event(services(context), _organiser(actor), pressed.event_id)
    if isinstance(event, Refused):
        await query.answer(_roster_refused(actor, event), show_alert=True)
        return END
    await query.answer()
    user_data(context)[ROSTER_KEY] = {"event_id": event.id}
    await answer(update, actor.t("roster.ask_message"))
    return FORM


@step(ROSTER_KEY, commands.MES_EVENEMENTS)
async def message_text_step(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if "text" in d:
        await answer(update, actor.t("event.use_buttons"))
        return FORM
    text = message_text(update).strip()
    if len(text) > roster.MESSAGE_MAX:
        await answer(update, actor.t("roster.message_too_long", length=len(text), max=roster.MESSAGE_MAX))
        return FORM
    found = await roster.roster(services(context), _organiser(actor), d["event_id"], datetime.now(UTC))
    if isinstance(found, Refused):
        drop(context, ROSTER_KEY)
        await answer(update, _roster_refused(actor, found))
        return END
    # The token names this message: a second Envoyer (double tap, replay) queues nothing more.
    d["text"], d["token"] = text, secrets.token_hex(6)
    count = len(found.coming) + len(found.maybe)
    rows = [
        [
            (actor.t("btn.roster_send"), RosterSend("y").pack()),
            (actor.t("btn.cancel"), RosterSend("n").pack()),
        ]
    ]
    await answer(update, actor.t("roster.message_preview", count=count, text=text), rows)
    return FORM


@step(ROSTER_KEY, commands.MES_EVENEMENTS)
async def message_send(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    pressed = RosterSend.parse(query.data)
    if pressed is None or "text" not in d:
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    drop(context, ROSTER_KEY)  # dropped first: a double tap finds no draft
    await query.answer()
    await clear_keyboard(update)
    if pressed.answer != "y":
        await answer(update, actor.t("cancel.done"))
        return END
    sent = await roster.message_registered(
        services(context), _organiser(actor), d["event_id"], d["text"], d["token"]
    )
    if isinstance(sent, Refused):
        await answer(update, _roster_refused(actor, sent))
        return END
    await answer(update, actor.t("roster.message_sent", count=sent))
    return END


def roster_handlers() -> list[Any]:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    message = form(
        "roster_message",
        entry_points=[CallbackQueryHandler(message_start, pattern=ROSTER_MESSAGE_PATTERN)],
        steps=[
            MessageHandler(text, message_text_step),
            CallbackQueryHandler(message_send, pattern=RosterSend.pattern()),
        ],
        drafts=(ROSTER_KEY,),
        hint="event.use_buttons",
        restart=commands.MES_EVENEMENTS,
    )
    return [
        message,
        CallbackQueryHandler(roster_open, pattern=RosterOpen.pattern()),
        CallbackQueryHandler(roster_act, pattern=RosterAct.pattern()),
        CallbackQueryHandler(roster_mark, pattern=RosterMark.pattern()),
        CallbackQueryHandler(roster_page, pattern=RosterPage.pattern()),
    ]

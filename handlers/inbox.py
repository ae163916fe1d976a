"""The shared inbox in Telegram: card buttons, answering an email from Telegram, /courriels, /absent,
/modeles and /routage. Thin: the work is in capabilities/inbox.

The answer being written is a form's draft (handlers/conversation.py) kept in user_data, with one
question: the text. Its handlers sit in a group before everyone else's so that /cancel and the typed
answer reach them first; they step aside (the update goes on to the other handlers) whenever no
answer is being written, and any other command or button drops the draft, so it never captures
text meant for something else. Every button re-checks who may act on the email, as they are now.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import (
    InboxAway,
    InboxCancel,
    InboxCard,
    InboxEdit,
    InboxFilterMenu,
    InboxPage,
    InboxRoute,
    InboxRouteCity,
    InboxSend,
    InboxSendTo,
    InboxTemplate,
    TemplatesPage,
    pattern_of,
)
from capabilities.inbox import actions, answers, followup, overview, routing
from capabilities.inbox.cards import city_named
from capabilities.inbox.common import Outcome, Who
from domain.inbox_input import check_answer
from domain.people import Role
from domain.text import fold
from handlers.common import (
    Actor,
    Context,
    Group,
    Handler,
    Handlers,
    Rows,
    answer,
    buttons,
    command,
    load_actor,
    role_names,
    services,
    user_data,
)
from handlers.conversation import (
    FORM,
    Callback,
    StepHandler,
    Turn,
    clear_keyboard,
    draft_of,
    drop,
    final,
    step,
)
from handlers.paged import show as show_page

DRAFT = "inbox_draft"
DRAFT_TTL_SECONDS = 6 * 3600
CARD_BUTTONS = pattern_of(InboxCard, InboxRoute, InboxRouteCity, InboxAway)
INBOX_BUTTONS = pattern_of(
    InboxCard,
    InboxRoute,
    InboxRouteCity,
    InboxAway,
    InboxTemplate,
    InboxSend,
    InboxSendTo,
    InboxEdit,
    InboxCancel,
    InboxPage,  # the /courriels list, paged: looking at it keeps the answer being written
    InboxFilterMenu,
    TemplatesPage,  # the /modeles list, paged: looking at it keeps the answer being written too
)
SEND_BUTTONS = pattern_of(InboxSend, InboxSendTo)
# Looking at the saved answers, the list or the help while writing an answer keeps the draft.
KEEP_DRAFT_COMMANDS = frozenset({*commands.MODELES.names, *commands.COURRIELS.names, *commands.AIDE.names})


def _who(actor: Actor) -> Who:
    assert actor.person is not None
    return Who(actor.person, actor.has(Role.COORDINATOR))


def _args(update: Update) -> str:
    text = update.effective_message.text if update.effective_message else ""
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def _pressed_message(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    return (message.chat.id, message.message_id) if message is not None else None


async def _edit(update: Update, text: str, rows: Rows) -> None:
    query = update.callback_query
    assert query is not None
    markup = buttons(rows) if rows else None
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def _markup(update: Update, rows: Rows) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_reply_markup(buttons(rows))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def _report(update: Update, actor: Actor, outcome: Outcome) -> None:
    """Answer the press; on success show the card as it now stands."""
    query = update.callback_query
    assert query is not None
    if outcome.key:
        await query.answer(actor.toast(outcome.key, **outcome.values), show_alert=not outcome.ok)
    else:
        await query.answer()
    if outcome.card is not None:
        await _edit(update, *outcome.card)


# --- Card buttons -----------------------------------------------------------------------------


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    if not actor.onboarded:
        await query.answer(actor.toast("perm.need_start"), show_alert=True)
        return
    data = query.data
    svc, who, now, where = services(context), _who(actor), datetime.now(UTC), _pressed_message(update)
    if InboxAway.parse(data) is not None:
        await _away(update, context, actor)
        return
    route = InboxRoute.parse(data) or InboxRouteCity.parse(data)
    if route is not None:
        city = city_named(route.city) if isinstance(route, InboxRouteCity) else None
        outcome = await actions.reroute(svc, route.email_id, who, route.domain, city, route.mode, now, where)
        await _report(update, actor, outcome)
        return
    card = InboxCard.parse(data)
    if card is None:
        await query.answer(actor.toast("fallback.button_stale"))
        return
    eid = card.email_id
    match card.action:
        case "c":
            await _report(update, actor, await actions.claim(svc, eid, who, now, where))
        case "d":
            await _report(update, actor, await actions.mark_done(svc, eid, who, now, where))
        case "s":
            await _report(update, actor, await actions.mark_spam(svc, eid, who, now, where))
        case "b":
            await _report(update, actor, await actions.card_for(svc, eid, who, where))
        case "v":
            await _report(update, actor, await actions.show_card(svc, eid, who))
        case "r" | "kc" | "mc":
            outcome = await actions.menu(svc, eid, who, card.action)
            if not outcome.ok:
                await _report(update, actor, outcome)
                return
            await query.answer()
            await _markup(update, outcome.rows)
        case "ns":
            outcome = await actions.not_spam(svc, eid, who)
            if not outcome.ok or outcome.card is None:
                await _report(update, actor, outcome)
                return
            await query.answer()
            await answer(update, *outcome.card)
        case "p":
            await _reply(update, context, actor, eid)


async def _away(update: Update, context: Context, actor: Actor) -> None:
    """/absent's button: the same access as /absent, checked again now."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await clear_keyboard(update)
    if not commands.ABSENT.allows(actor.roles, actor.onboarded):
        await answer(update, actor.t("perm.revoked"))
        return
    moved = await followup.redistribute(services(context), _who(actor), datetime.now(UTC))
    await answer(update, actor.t("inbox.absent_redistributed", count=moved))


# --- Answering from Telegram -----------------------------------------------------------------------


def _draft(context: Context) -> dict[str, Any] | None:
    """The answer being written, forgotten after DRAFT_TTL_SECONDS."""
    draft = draft_of(context, DRAFT)
    if draft is not None and time.monotonic() - draft["at"] > DRAFT_TTL_SECONDS:
        drop(context, DRAFT)
        return None
    return draft


def _keep(context: Context, draft: dict[str, Any]) -> None:
    draft["at"] = time.monotonic()
    user_data(context)[DRAFT] = draft


def _drafting(callback: Callback) -> Handler:
    """Forget an old draft first. Then a message while no answer is being written goes on to the
    other handlers untouched; a button goes to its step, which answers it as stale."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: Context) -> Any:
        if _draft(context) is None and update.callback_query is None:
            return None
        return await callback(update, context)

    return wrapper


def _step(func: StepHandler) -> Handler:
    return _drafting(step(DRAFT, stale_key="inbox.reply_stale")(func))


async def _reply(update: Update, context: Context, actor: Actor, eid: int) -> None:
    """Répondre: the email is taken; the prompt asks for the text (or a saved answer)."""
    query = update.callback_query
    assert query is not None
    svc, who, where = services(context), _who(actor), _pressed_message(update)
    outcome = await answers.begin_reply(svc, eid, who, datetime.now(UTC), where)
    if not outcome.ok or outcome.email is None:
        await _report(update, actor, outcome)
        return
    await query.answer()
    _keep(context, answers.new_draft(outcome.email))
    await answer(update, actor.t(outcome.key, **outcome.values), outcome.rows)
    # The card itself now shows the email as taken by this person.
    card = await actions.card_for(svc, eid, who, where)
    if card.card is not None:
        await _edit(update, *card.card)


async def _preview(update: Update, context: Context, turn: Turn) -> None:
    assert turn.actor.person is not None
    await answer(update, *answers.preview(services(context).settings, turn.actor.person, turn.draft))


async def _on_text(update: Update, context: Context, turn: Turn) -> int:
    message = update.effective_message
    assert message is not None
    problem = check_answer(message.text)
    if problem is not None:
        key, values = problem
        await answer(update, turn.actor.t(key, link=turn.draft["link"], **values))
        return FORM
    turn.draft["text"] = (message.text or "").strip()
    _keep(context, turn.draft)
    await _preview(update, context, turn)
    return FORM


async def _on_other(update: Update, context: Context, turn: Turn) -> int:
    await answer(update, turn.actor.t("inbox.reply_text_only"))
    return FORM


async def _on_cancel(update: Update, context: Context, turn: Turn) -> int:
    drop(context, DRAFT)
    await answer(update, turn.actor.t("inbox.reply_cancelled"))
    return FORM


draft_text = _drafting(final(_step(_on_text)))
draft_not_text = _drafting(final(_step(_on_other)))
draft_cancel = _drafting(final(_step(_on_cancel)))  # /cancel of something else goes on


async def draft_drop(update: Update, context: Context) -> None:
    """Another feature's command or button: the person moved on; the draft goes (so that text
    meant for that feature is not taken as the answer). Looking at /modeles or /courriels keeps it."""
    message = update.effective_message
    if message is not None and message.text and update.callback_query is None:
        name = message.text.split()[0][1:].split("@")[0].lower()
        if name in KEEP_DRAFT_COMMANDS:
            return
    drop(context, DRAFT)


def _not_inbox(data: object) -> bool:
    return not (isinstance(data, str) and INBOX_BUTTONS.match(data))


async def _on_template(update: Update, context: Context, turn: Turn) -> int:
    query = update.callback_query
    assert query is not None
    press = InboxTemplate.parse(query.data)
    body = await answers.saved_answer(services(context), press.reply_id) if press is not None else None
    if body is None:
        await query.answer(turn.actor.toast("inbox.reply_stale"))
        return FORM
    await query.answer()
    turn.draft["text"] = body
    _keep(context, turn.draft)
    await _preview(update, context, turn)
    return FORM


async def _on_send(update: Update, context: Context, turn: Turn) -> int:
    query = update.callback_query
    assert query is not None
    press = InboxSend.parse(query.data) or InboxSendTo.parse(query.data)
    choice = press.to if isinstance(press, InboxSendTo) else None
    draft = turn.draft
    if press is None or draft["email_id"] != press.email_id or not draft.get("text"):
        await query.answer(turn.actor.toast("inbox.reply_stale"))
        await clear_keyboard(update)
        return FORM
    drop(context, DRAFT)
    await query.answer()
    await clear_keyboard(update)  # no second tap on this preview
    outcome = await answers.send_answer(
        services(context), press.email_id, _who(turn.actor), draft["text"], datetime.now(UTC), choice
    )
    if outcome.rows:  # Gmail may not have sent it: keep the draft, the person may try again once they checked
        _keep(context, draft)
    await answer(update, turn.actor.t(outcome.key, **outcome.values), outcome.rows)
    return FORM


async def _on_edit(update: Update, context: Context, turn: Turn) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await answer(update, turn.actor.t("inbox.reply_edit_prompt"))
    return FORM


async def cancel_draft(update: Update, context: Context) -> None:
    """Annuler la réponse: works with or without a draft (says which)."""
    query = update.callback_query
    assert query is not None
    had = _draft(context) is not None
    drop(context, DRAFT)
    actor = await load_actor(update, context)
    await query.answer()
    await clear_keyboard(update)
    await answer(update, actor.t("inbox.reply_cancelled" if had else "inbox.reply_stale"))


# --- Commands -----------------------------------------------------------------------------------------


@command(commands.COURRIELS)
async def courriels(update: Update, context: Context, actor: Actor) -> None:
    """One message, a page at a time: `/courriels`, or `/courriels retard`, `miens`, `spam`."""
    flt = COURRIELS_WORDS.get(fold(_args(update)), "all")
    await answer(update, *await overview.inbox_page(services(context), _who(actor), datetime.now(UTC), flt))


COURRIELS_WORDS = {
    "retard": "late",
    "en retard": "late",
    "late": "late",
    "miens": "mine",
    "les miens": "mine",
    "mine": "mine",
    "spam": "spam",
    "spams": "spam",
}


async def courriels_page(update: Update, context: Context) -> None:
    """/courriels: another page, filter or filter menu, edited in place; the access is checked
    again (a lead who lost the role is refused) and a forged page number is clamped."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    if actor.person is None or not actor.has(*commands.INBOX):
        await query.answer(
            actor.toast("perm.denied", who=role_names(actor.lang, set(commands.INBOX))), show_alert=True
        )
        return
    await query.answer()
    svc, who = services(context), _who(actor)
    menu = InboxFilterMenu.parse(query.data)
    if menu is not None:
        await show_page(update, *await overview.filter_menu(svc, who, menu.kind))
        return
    pressed = InboxPage.parse(query.data)
    assert pressed is not None  # the handler's pattern
    text, rows = await overview.inbox_page(
        svc, who, datetime.now(UTC), pressed.filter, pressed.value, pressed.page
    )
    await show_page(update, text, rows)


@command(commands.ABSENT)
async def absent(update: Update, context: Context, actor: Actor) -> None:
    await answer(
        update, *await followup.absence(services(context), _who(actor), _args(update), datetime.now(UTC))
    )


@command(commands.MODELES)
async def modeles(update: Update, context: Context, actor: Actor) -> None:
    text, rows = await answers.templates(services(context), _who(actor), _args(update))
    await show_page(update, text, rows)


async def modeles_page(update: Update, context: Context) -> None:
    """/modeles: another page of the saved answers, edited in place; the access is checked again
    and a forged page number is clamped. The answer being written is kept (INBOX_BUTTONS)."""
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = TemplatesPage.parse(query.data)
    if pressed is None or actor.person is None or not actor.has(*commands.INBOX):
        await query.answer(
            actor.toast("perm.denied", who=role_names(actor.lang, set(commands.INBOX))), show_alert=True
        )
        return
    await query.answer()
    await show_page(update, *await answers.templates_page(services(context), _who(actor), pressed.page))


@command(commands.ROUTAGE)
async def routage(update: Update, context: Context, actor: Actor) -> None:
    await answer(
        update, await routing.routage(services(context), _who(actor), _args(update), datetime.now(UTC))
    )


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    message = private & filters.UpdateType.MESSAGE
    return {
        Group.INBOX_DRAFT: [
            CommandHandler(commands.CANCEL.names, draft_cancel, filters=private),
            MessageHandler(message & filters.COMMAND, draft_drop),
            MessageHandler(message & filters.TEXT, draft_text),
            MessageHandler(message & ~filters.TEXT & ~filters.StatusUpdate.ALL, draft_not_text),
            CallbackQueryHandler(draft_drop, pattern=_not_inbox),
        ],
        Group.MAIN: [
            CommandHandler(commands.COURRIELS.name, courriels),
            CommandHandler(commands.ABSENT.name, absent),
            CommandHandler(commands.MODELES.name, modeles),
            CommandHandler(commands.ROUTAGE.name, routage),
            CallbackQueryHandler(_step(_on_template), pattern=InboxTemplate.pattern()),
            CallbackQueryHandler(_step(_on_send), pattern=SEND_BUTTONS),
            CallbackQueryHandler(_step(_on_edit), pattern=InboxEdit.pattern()),
            CallbackQueryHandler(cancel_draft, pattern=InboxCancel.pattern()),
            CallbackQueryHandler(pressed, pattern=CARD_BUTTONS),
            CallbackQueryHandler(courriels_page, pattern=pattern_of(InboxPage, InboxFilterMenu)),
            CallbackQueryHandler(modeles_page, pattern=TemplatesPage.pattern()),
        ],
    }

"""The shared inbox in Telegram: card buttons, answering from Telegram, /courriels, /absent,
/modeles and /routage. Thin: the work is in bot/inbox.py.

The answer being typed lives in user_data (like a conversation). Its handlers sit in a group
before everyone else's so that /cancel and the typed answer reach them first; they step aside
(the update goes on to the other handlers) whenever no answer is being written, and any other
command or button drops the draft, so it never captures text meant for something else.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from capabilities import inbox
from capabilities.inbox import Outcome, Who
from domain.dates import format_day
from domain.people import Role
from domain.text import fold
from domain.triage import CITIES
from handlers.common import Actor, Context, Group, Handlers, answer, buttons, command, load_actor, services
from integrations.gmail import reply_subject, thread_link
from storage import inbox as q
from storage import people as pq

DRAFT = "inbox_draft"
DRAFT_TTL_SECONDS = 6 * 3600
PATTERN = re.compile(r"^ib:(?P<act>[a-z]+)(?::(?P<id>\d+))?(?::(?P<dom>[a-z]+))?(?::(?P<city>\d+))?$")
KEEP_DRAFT_COMMANDS = {"modeles", "courriels", "aide", "help"}
NO_WORDS = {"non", "no", "fin", "retour", "back", "stop", "aucune", "none", "off"}


def _who(actor: Actor) -> Who:
    assert actor.person is not None
    return Who(actor.person, actor.has(Role.COORDINATOR))


def _toast(actor: Actor, key: str, **values: Any) -> str:
    """A button's answer is plain text (no HTML), 200 characters at most."""
    return html.unescape(re.sub(r"<[^>]+>", "", actor.t(key, **values)))[:200]


def _args(update: Update) -> str:
    text = update.effective_message.text if update.effective_message else ""
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _edit(update: Update, text: str, rows: list[list[tuple[str, str]]]) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=buttons(rows) if rows else None,
                                      disable_web_page_preview=True)  # fmt: skip
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def _markup(update: Update, rows: list[list[tuple[str, str]]] | None) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_reply_markup(buttons(rows) if rows else None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


# --- Card buttons -----------------------------------------------------------------------------


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    match = PATTERN.match(query.data or "")
    if not actor.onboarded:
        await query.answer(_toast(actor, "perm.need_start"), show_alert=True)
        return
    if match is None:
        await query.answer(_toast(actor, "fallback.button_stale"))
        return
    act, eid = match["act"], int(match["id"]) if match["id"] else 0
    handler = _ACTIONS.get(act)
    if handler is None:
        await query.answer(_toast(actor, "fallback.button_stale"))
        return
    await handler(update, context, actor, eid, match)


def _pressed_message(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    return (message.chat.id, message.message_id) if message is not None else None


async def _report(update: Update, actor: Actor, outcome: Outcome) -> None:
    """Answer the press; on success show the card as it now stands."""
    query = update.callback_query
    assert query is not None
    if outcome.key:
        await query.answer(_toast(actor, outcome.key, **outcome.values), show_alert=not outcome.ok)
    else:
        await query.answer()
    if outcome.card is not None:
        await _edit(update, *outcome.card)


async def _claim(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    outcome = await inbox.claim(services(context), eid, _who(actor), datetime.now(UTC), _pressed_message(update))
    await _report(update, actor, outcome)


async def _done(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    outcome = await inbox.mark_done(services(context), eid, _who(actor), datetime.now(UTC), _pressed_message(update))
    await _report(update, actor, outcome)


async def _spam(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    outcome = await inbox.mark_spam(services(context), eid, _who(actor), datetime.now(UTC), _pressed_message(update))
    await _report(update, actor, outcome)


async def _route(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    """k: an unsure email sorted into a domain; m: moved to a domain (the same: someone else)."""
    domain, city = m["dom"] or "", None
    if domain == "campaign":
        index = int(m["city"]) if m["city"] else -1
        city = CITIES[index] if 0 <= index < len(CITIES) else None
    outcome = await inbox.reroute(services(context), eid, _who(actor), domain, city, m["act"],
                                  datetime.now(UTC), _pressed_message(update))  # fmt: skip
    await _report(update, actor, outcome)


async def _menu(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    """Réaffecter (domains), or the cities of a campaign email."""
    query = update.callback_query
    assert query is not None
    outcome = await inbox.card_for(services(context), eid, _who(actor))
    if not outcome.ok:
        await _report(update, actor, outcome)
        return
    await query.answer()
    act = m["act"]
    rows = inbox.domain_rows(actor.lang, eid, "m") if act == "r" else inbox.city_rows(actor.lang, eid, act[0])
    await _markup(update, rows)


async def _back(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    await _report(update, actor, await inbox.card_for(services(context), eid, _who(actor), _pressed_message(update)))


async def _view(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    await _report(update, actor, await inbox.show_card(services(context), eid, _who(actor)))


async def _not_spam(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    outcome = await inbox.not_spam(services(context), eid, _who(actor))
    if not outcome.ok or outcome.card is None:
        await _report(update, actor, outcome)
        return
    await query.answer()
    await answer(update, *outcome.card)


async def _away(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    moved = await inbox.redistribute(services(context), _who(actor), datetime.now(UTC))
    await query.answer()
    await _markup(update, None)
    await answer(update, actor.t("inbox.absent_redistributed", count=moved))


# --- Answering from Telegram -----------------------------------------------------------------------


def _draft(context: Context) -> dict[str, Any] | None:
    data = context.user_data
    if data is None:
        return None
    draft = data.get(DRAFT)
    if draft is not None and time.monotonic() - draft["at"] > DRAFT_TTL_SECONDS:
        data.pop(DRAFT, None)
        return None
    return draft  # type: ignore[no-any-return]


async def _reply(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    outcome = await inbox.begin_reply(services(context), eid, _who(actor), datetime.now(UTC), _pressed_message(update))
    if not outcome.ok or outcome.email is None:
        await _report(update, actor, outcome)
        return
    await query.answer()
    email = outcome.email
    context.user_data[DRAFT] = {  # type: ignore[index]
        "email_id": email.id, "sender": email.sender, "subject": email.subject, "text": None, "at": time.monotonic(),
        "link": thread_link(email.thread_id),
    }  # fmt: skip
    rows = [*outcome.rows, [(actor.t("inbox.btn_cancel_reply"), "ib:x")]]
    await answer(update, actor.t(outcome.key, **outcome.values), rows)
    # The card itself now shows the email as taken by this person.
    card = await inbox.card_for(services(context), eid, _who(actor), _pressed_message(update))
    if card.card is not None:
        await _edit(update, *card.card)


async def _preview(update: Update, context: Context, actor: Actor, draft: dict[str, Any]) -> None:
    assert actor.person is not None
    body = inbox.reply_body(services(context).settings, actor.person, draft["text"])
    text = actor.t("inbox.reply_preview", to=draft["sender"], subject=inbox.clip(reply_subject(draft["subject"]), 200),
                   body=body)  # fmt: skip
    rows = [
        [(actor.t("inbox.btn_send"), f"ib:ok:{draft['email_id']}"), (actor.t("inbox.btn_edit"), "ib:ed")],
        [(actor.t("inbox.btn_cancel_reply"), "ib:x")],
    ]
    await answer(update, text, rows)


async def draft_text(update: Update, context: Context) -> None:
    draft = _draft(context)
    if draft is None:
        return  # not writing an answer: the other handlers take the message
    actor = await load_actor(update, context)
    message = update.effective_message
    assert message is not None
    problem = inbox.check_answer(message.text)
    if problem is not None:
        key, values = problem
        await answer(update, actor.t(key, link=draft["link"], **values))
        raise ApplicationHandlerStop
    draft["text"], draft["at"] = (message.text or "").strip(), time.monotonic()
    await _preview(update, context, actor, draft)
    raise ApplicationHandlerStop


async def draft_not_text(update: Update, context: Context) -> None:
    if _draft(context) is None:
        return
    actor = await load_actor(update, context)
    await answer(update, actor.t("inbox.reply_text_only"))
    raise ApplicationHandlerStop


async def draft_cancel(update: Update, context: Context) -> None:
    if _draft(context) is None:
        return  # /cancel of something else
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    actor = await load_actor(update, context)
    await answer(update, actor.t("inbox.reply_cancelled"))
    raise ApplicationHandlerStop


async def draft_drop(update: Update, context: Context) -> None:
    """Another feature's command or button: the person moved on; the draft goes (so that text
    meant for that feature is not taken as the answer). Looking at /modeles or /courriels keeps it."""
    message = update.effective_message
    if message is not None and message.text and update.callback_query is None:
        name = message.text.split()[0][1:].split("@")[0].lower()
        if name in KEEP_DRAFT_COMMANDS:
            return
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


async def _template(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    async with services(context).db.session() as s:
        saved = await q.saved_reply_by_id(s, eid)
    if draft is None or saved is None:
        await query.answer(_toast(actor, "inbox.reply_stale"))
        return
    await query.answer()
    draft["text"], draft["at"] = saved.body, time.monotonic()
    await _preview(update, context, actor, draft)


async def _send(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    if draft is None or draft["email_id"] != eid or not draft.get("text"):
        await query.answer(_toast(actor, "inbox.reply_stale"))
        await _markup(update, None)
        return
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    await query.answer()
    await _markup(update, None)  # no second tap on this preview
    assert actor.person is not None
    svc = services(context)
    body = inbox.reply_body(svc.settings, actor.person, draft["text"])
    outcome = await inbox.send_answer(svc, eid, _who(actor), body, datetime.now(UTC))
    if outcome.ok:
        await answer(update, actor.t(outcome.key, **outcome.values))
        return
    if outcome.key in ("inbox.reply_failed", "inbox.reply_maybe_sent"):
        # Keep the draft: the person may try again once they checked.
        draft["at"] = time.monotonic()
        context.user_data[DRAFT] = draft  # type: ignore[index]
        rows = [[(actor.t("inbox.btn_send"), f"ib:ok:{eid}"), (actor.t("inbox.btn_cancel_reply"), "ib:x")]]
        await answer(update, actor.t(outcome.key, **outcome.values), rows)
        return
    await answer(update, actor.t(outcome.key, **outcome.values))


async def _edit_draft(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    if _draft(context) is None:
        await query.answer(_toast(actor, "inbox.reply_stale"))
        return
    await query.answer()
    await answer(update, actor.t("inbox.reply_edit_prompt"))


async def _cancel_draft(update: Update, context: Context, actor: Actor, eid: int, m: re.Match[str]) -> None:
    query = update.callback_query
    assert query is not None
    had = context.user_data.pop(DRAFT, None) if context.user_data is not None else None
    await query.answer()
    await _markup(update, None)
    await answer(update, actor.t("inbox.reply_cancelled" if had else "inbox.reply_stale"))


_ACTIONS = {
    "c": _claim, "d": _done, "s": _spam, "k": _route, "m": _route, "r": _menu, "kc": _menu, "mc": _menu,
    "b": _back, "v": _view, "ns": _not_spam, "away": _away, "p": _reply, "t": _template, "ok": _send,
    "ed": _edit_draft, "x": _cancel_draft,
}  # fmt: skip


# --- Commands -----------------------------------------------------------------------------------------


@command(commands.COURRIELS)
async def courriels(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    text, rows = await inbox.overview(svc, _who(actor), datetime.now(UTC))
    if inbox.gmail_client(svc) is None and actor.has(Role.COORDINATOR):
        text += "\n\n" + actor.t("inbox.not_connected_note")
    await answer(update, text, rows)


@command(commands.ABSENT)
async def absent(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    svc = services(context)
    tz = svc.settings.tz
    now = datetime.now(UTC)
    words = _args(update)
    if not words:
        async with svc.db.session() as s:
            person = await pq.person_by_telegram_id(s, actor.telegram_id)
        until = person.absent_until if person is not None else None
        if until is not None and until >= now.astimezone(tz).date():
            await answer(update, actor.t("inbox.absent_status", date=format_day(until, actor.lang)))
        else:
            await answer(update, actor.t("inbox.absent_usage"))
        return
    if fold(words) in NO_WORDS:
        async with svc.transaction() as s:
            await q.set_absence(s, actor.person.id, None)
        await answer(update, actor.t("inbox.absent_cleared"))
        return
    until = inbox.parse_absence(words, now, tz)
    if until is None:
        await answer(update, actor.t("inbox.absent_bad_date"))
        return
    async with svc.transaction() as s:
        await q.set_absence(s, actor.person.id, until)
        pending = await q.pending_assigned_to(s, actor.person.id)
        await pq.audit(s, actor.person, "inbox.absent", str(actor.person.id), until=until.isoformat())
    text = actor.t("inbox.absent_set", date=format_day(until, actor.lang))
    rows = None
    if pending:
        text += "\n" + actor.t("inbox.absent_pending", count=len(pending))
        rows = [[(actor.t("inbox.btn_redistribute"), "ib:away")]]
    await answer(update, text, rows)


@command(commands.MODELES)
async def modeles(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    found = re.match(r"(\S+)\s*([\s\S]*)$", _args(update))
    verb, rest = (found[1], found[2].strip()) if found else ("", "")
    word = fold(verb)
    if word in ("ajouter", "add", "nouveau", "new", "creer", "create"):
        named = re.match(r"(\S+)\s*([\s\S]*)$", rest)
        name, body = (named[1], named[2]) if named else ("", "")
        problem = inbox.check_template(name, body)
        if problem is not None:
            key, values = problem
            await answer(update, actor.t(key, **values) + "\n" + actor.t("inbox.tpl_usage"))
            return
        async with svc.transaction() as s:
            created = await q.save_reply(s, name, body.strip(), actor.person.id if actor.person else None)
            await pq.audit(s, actor.person, "inbox.template_saved", name)
        await answer(update, actor.t("inbox.tpl_created" if created else "inbox.tpl_updated", name=name))
        return
    if word in ("supprimer", "delete", "retirer", "remove", "effacer"):
        rest = rest.split()[0] if rest else ""
        async with svc.transaction() as s:
            deleted = await q.delete_reply(s, rest)
            if deleted:
                await pq.audit(s, actor.person, "inbox.template_deleted", rest)
        await answer(update, actor.t("inbox.tpl_deleted" if deleted else "inbox.tpl_not_found", name=rest or "?"))
        return
    async with svc.db.session() as s:
        if verb:
            saved = await q.saved_reply(s, verb)
            if saved is None:
                await answer(update, actor.t("inbox.tpl_not_found", name=verb) + "\n" + actor.t("inbox.tpl_usage"))
            else:
                await answer(update, actor.t("inbox.tpl_show", name=saved.name, body=saved.body))
            return
        replies = await q.saved_replies(s)
    lines = [actor.t("inbox.tpl_header")]
    lines += [actor.t("inbox.tpl_line", name=r.name, preview=inbox.clip(" ".join(r.body.split()), 70)) for r in replies[:40]]
    if not replies:
        lines.append(actor.t("inbox.tpl_none"))
    lines.append(actor.t("inbox.tpl_usage"))
    await answer(update, inbox.fit(lines))


@command(commands.ROUTAGE)
async def routage(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    words = _args(update).split()
    today = datetime.now(UTC).astimezone(svc.settings.tz).date()
    if not words:
        async with svc.db.session() as s:
            await answer(update, await inbox.describe_routing(s, svc.settings, actor.lang, today))
        return
    edit = inbox.parse_routing(words)
    if isinstance(edit, str):
        await answer(update, actor.t(edit, cities=", ".join(CITIES)) + "\n" + actor.t("inbox.route_usage"))
        return
    label = inbox.domain_label(actor.lang, edit.domain, edit.city)
    done: list[str] = []
    notes: list[str] = []
    async with svc.transaction() as s:
        for handle in edit.handles:
            person = await pq.person_by_handle(s, handle)
            if person is None:
                notes.append(actor.t("role.person_unknown", who=handle))
                continue
            if edit.remove:
                changed = await q.remove_rule(s, edit.domain, edit.city, person.id)
                key = "inbox.route_removed" if changed else "inbox.route_not_found"
            else:
                changed = await q.add_rule(s, edit.domain, edit.city, person.id)
                key = "inbox.route_added" if changed else "inbox.route_exists"
                roles = {g.role for g in person.grants}
                is_coord = person.telegram_id in svc.settings.coordinator_ids
                if changed and not roles & {Role.LEAD.value, Role.COORDINATOR.value} and not is_coord:
                    notes.append(actor.t("inbox.route_not_lead", name=person.first_name))
            if changed:
                await pq.audit(s, actor.person, "inbox.routing", key, domain=edit.domain, city=edit.city,
                               person=person.id)  # fmt: skip
            done.append(actor.t(key, name=person.first_name, domain=label))
        table = await inbox.describe_routing(s, svc.settings, actor.lang, today)
    await answer(update, inbox.fit([*done, *notes, "", table]))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    message = private & filters.UpdateType.MESSAGE
    return {
        Group.INBOX_DRAFT: [
            CommandHandler(commands.CANCEL.name, draft_cancel, filters=private),
            MessageHandler(message & filters.COMMAND, draft_drop),
            MessageHandler(message & filters.TEXT, draft_text),
            MessageHandler(message & ~filters.TEXT & ~filters.StatusUpdate.ALL, draft_not_text),
            CallbackQueryHandler(draft_drop, pattern=r"^(?!ib:)"),
        ],
        Group.MAIN: [
            CommandHandler(commands.COURRIELS.name, courriels),
            CommandHandler(commands.ABSENT.name, absent),
            CommandHandler(commands.MODELES.name, modeles),
            CommandHandler(commands.ROUTAGE.name, routage),
            CallbackQueryHandler(pressed, pattern=r"^ib:"),
        ],
    }

"""Money: /don (record a gift or a fee), /dons (corrections), /adherents, /bilan, /export.

Thin: read the update, check the role, call bot/donations (law + storage), answer. Nothing is
stored before Confirmer; the draft lives in user_data and is popped on confirmation, and the
donation's request_key makes a replayed confirmation record nothing more.

Privacy (rules 33, 41): donor names and amounts go to treasurers only. Coordinators and
collectors may record a gift, but find a known donor only by an exact name or email, and the
figures of the donor's history are hidden from them in the law's findings.
"""

from __future__ import annotations

import asyncio
import functools
import html
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from telegram import InputFile, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import commands
from capabilities import donations as money
from capabilities.donations import chart as charts
from domain import law
from domain.law import METHODS
from domain.money import format_eur, parse_amount
from domain.people import Role
from domain.text import fold
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, load_actor, services
from handlers.conversation import cancel_handler, hint_handler
from storage import donations as q
from storage import people as pq
from storage.models import Donor

FORM = 300
EDIT_VALUE, EDIT_REASON = 310, 311
KEY = "don_draft"
EDIT_KEY = "don_edit"
SEARCH_LIMIT = 8
LIST_LIMIT = 15
# Fundraising events offered for linking: started within this many days (or today).
EVENT_LOOKBACK = timedelta(days=45)
REASON_MAX = 500
FILED_GRACE = timedelta(days=60)

Draft = dict[str, Any]
Rows = list[list[tuple[str, str]]]


def _draft(context: Context) -> Draft | None:
    return context.user_data.get(KEY)  # type: ignore[union-attr,no-any-return]


def _today(context: Context) -> date:
    return money.today_in(services(context).settings)


def _text(update: Update) -> str:
    return (update.effective_message.text or "") if update.effective_message else ""


# =============================================================================================
# /don: the form
# =============================================================================================


@command(commands.DON)
async def start(update: Update, context: Context, actor: Actor) -> int:
    svc = services(context)
    now = datetime.now(UTC)
    today = money.today_in(svc.settings, now)
    async with svc.db.session() as s:
        # Lists whose account was filed long ago take no more gifts: not offered.
        ledgers = [row for row in await q.campaign_ledgers(s)
                   if row.account_filed_on is None or row.account_filed_on >= today - FILED_GRACE]
        events = await q.levee_events(s, now - EVENT_LOOKBACK, now + timedelta(days=1))
    draft: Draft = {
        "key": f"don:{uuid.uuid4().hex}",
        "treasurer": actor.has(Role.TREASURER),
        "ledgers": [(row.id, money.ledger_label(actor.lang, row.id, {row.id: row})) for row in ledgers],
        "events": [(e.id, e.title) for e in events[:8]],
        "mkinds": list(svc.settings.membership_fees),
        "fees": money.fees(svc.settings),
    }
    context.user_data[KEY] = draft  # type: ignore[index]
    return await _ask(update, context, actor, draft)


def _next_step(d: Draft) -> str:
    """The first question not answered yet (the form's whole order is here)."""
    if "donor_id" not in d and "donor" not in d:
        return "search"
    nd = d.get("donor")
    if nd is not None:
        if "donor_type" not in nd:
            return "d_donor_type"
        person = nd["donor_type"] == "physique"
        names = ("civility", "first_name", "last_name") if person else ("organisation",)
        more = ("nationality", "tax_residence") if person else ()
        tail = ("elected_mandate", "sworn_declaration_at", "person_id") if person else ()
        for name in (*names, "address", "postcode", "country", *more, "email", *tail):
            if name not in nd:
                return f"d_{name}"
    for name in ("amount", "method"):
        if name not in d:
            return name
    if d["method"] == "plateforme" and "provider" not in d:
        return "provider"
    if "received_on" not in d:
        return "date_ok" if "pending_day" in d else "date"
    for name in ("ledger", "kind"):
        if name not in d:
            return name
    if d["kind"] == "cotisation" and "mkind" not in d:
        return "mkind"
    if "event_id" not in d:
        return "event"
    return "summary"


def _autofill(d: Draft) -> None:
    # Questions with a single possible answer are not asked.
    if not d["ledgers"]:
        d.setdefault("ledger", money.PARTY)
    if d.get("ledger", money.PARTY) != money.PARTY or d.get("anonymous"):
        d.setdefault("kind", "don")  # a list receives dons only; a collection is not a fee
    if len(d["mkinds"]) <= 1:
        d.setdefault("mkind", d["mkinds"][0] if d["mkinds"] else None)
    if not d["events"]:
        d.setdefault("event_id", None)


def _buttons(step: str, pairs: list[tuple[str, str]], per_row: int = 2) -> Rows:
    cells = [(label, f"dn:{step}:{value}") for label, value in pairs]
    return [cells[i : i + per_row] for i in range(0, len(cells), per_row)]


def _none_button(actor: Actor, step: str) -> Rows:
    return _buttons(step, [(actor.t("don.btn_none"), "none")])


def _prompt(actor: Actor, d: Draft, step: str) -> tuple[str, Rows | None]:
    nd = d.get("donor") or {}
    if step == "search":
        return actor.t("don.ask_search"), _search_buttons(actor, [])
    if step == "d_donor_type":
        return actor.t("don.ask_type"), _buttons(step, [(actor.t("don.btn_physique"), "physique"),
                                                        (actor.t("don.btn_morale"), "morale")], 1)
    if step == "d_civility":
        return actor.t("don.ask_civility"), _buttons(step, [("Mme", "Mme"), ("M.", "M."),
                                                            (actor.t("don.btn_no_civility"), "none")], 3)
    if step == "d_country":
        return actor.t("don.ask_country"), _buttons(step, [(actor.t("don.btn_france"), "FR")])
    if step == "d_nationality":
        return actor.t("don.ask_nationality"), _buttons(step, [(actor.t("don.btn_french"), "FR")])
    if step == "d_tax_residence":
        choices = [(actor.t("don.btn_france"), "FR")]
        if nd.get("country") and nd["country"] != "FR":
            choices.append((nd["country"], nd["country"]))
        return actor.t("don.ask_residence"), _buttons(step, choices)
    if step == "d_sworn_declaration_at":
        return actor.t("don.ask_sworn"), _buttons(step, [(actor.t("don.btn_sworn_yes"), "yes"),
                                                         (actor.t("don.btn_sworn_no"), "no")], 1)
    if step in ("d_email", "d_elected_mandate", "d_person_id"):
        return actor.t(f"don.ask_{step[2:]}"), _none_button(actor, step)
    if step == "method":
        pairs = [(money.method_label(actor.lang, m), str(i)) for i, m in enumerate(METHODS)]
        return actor.t("don.ask_method"), _buttons(step, pairs, 3)
    if step == "date_ok":
        day = date.fromisoformat(d["pending_day"])
        return (actor.t("don.confirm_date", day=money.day_words(day, actor.lang, d["today"])),
                _buttons(step, [(actor.t("btn.yes"), "y"), (actor.t("btn.no"), "n")]))
    if step == "ledger":
        pairs = [(actor.t("money.ledger.party"), "party")] + [(label, str(i)) for i, (_, label) in enumerate(d["ledgers"])]
        return actor.t("don.ask_ledger"), _buttons(step, pairs, 1)
    if step == "kind":
        pairs = [(money.kind_label(actor.lang, k), k) for k in law.KINDS]
        return actor.t("don.ask_kind"), _buttons(step, pairs, 3)
    if step == "mkind":
        pairs = [(actor.t("don.mkind_button", kind=k, fee=format_eur(d["fees"].get(k, 0), actor.lang)), str(i))
                 for i, k in enumerate(d["mkinds"])]
        return actor.t("don.ask_mkind"), _buttons(step, pairs, 1)
    if step == "event":
        pairs = [(title[:40], str(eid)) for eid, title in d["events"]] + [(actor.t("don.btn_no_event"), "none")]
        return actor.t("don.ask_event"), _buttons(step, pairs, 1)
    # Plain text questions: names, address, amount, provider, date, reason.
    return actor.t(f"don.ask_{step.removeprefix('d_')}"), None


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    d["today"] = _today(context)
    _autofill(d)
    step = _next_step(d)
    d["step"] = step
    if step == "summary":
        return await _summary(update, context, actor, d)
    text, rows = _prompt(actor, d, step)
    await answer(update, text, rows)
    return FORM


# --- Answers typed ---------------------------------------------------------------------------


async def on_text(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    d = _draft(context)
    if d is None:
        return ConversationHandler.END
    step, text = d["step"], _text(update)
    if step == "search":
        return await _search(update, context, actor, d, text)
    if step == "reason":
        return await _record_refund(update, context, actor, d, text)
    error = await _read_text(context, actor, d, step, text)
    if error is None:
        return await _ask(update, context, actor, d)
    if error == "":
        await answer(update, actor.t("don.use_buttons"))
    else:
        await answer(update, error)
    return FORM


_TEXT_LIMITS = {"d_first_name": 100, "d_last_name": 100, "d_organisation": 200, "d_address": 300,
                "d_elected_mandate": 200}  # fmt: skip


async def _read_text(context: Context, actor: Actor, d: Draft, step: str, text: str) -> str | None:
    """Store the answer of a text step; the error to show, "" for a button-only step, None if ok."""
    nd = d.get("donor")
    if step in _TEXT_LIMITS:
        if step == "d_elected_mandate" and money.is_none_answer(text):
            nd["elected_mandate"] = ""  # type: ignore[index]
            return None
        value = money.clean_line(text, _TEXT_LIMITS[step])
        if value is None:
            return actor.t("don.line_invalid", max=_TEXT_LIMITS[step])
        nd[step[2:]] = value  # type: ignore[index]
        return None
    if step == "d_postcode":
        parsed = money.parse_postcode_city(text)
        if parsed is None:
            return actor.t("don.postcode_invalid")
        nd["postcode"], nd["city"] = parsed  # type: ignore[index]
        return None
    if step in ("d_country", "d_tax_residence"):
        code = money.parse_country(text)
        if code is None:
            return actor.t("don.country_invalid")
        nd[step[2:]] = code  # type: ignore[index]
        return None
    if step == "d_nationality":
        codes = money.parse_nationality(text)
        if codes is None:
            return actor.t("don.nationality_invalid")
        nd["nationality"] = codes  # type: ignore[index]
        return None
    if step == "d_email":
        if money.is_none_answer(text):
            nd["email"] = ""  # type: ignore[index]
            return None
        email = money.parse_email(text)
        if email is None:
            return actor.t("don.email_invalid")
        nd["email"] = email  # type: ignore[index]
        return None
    if step == "d_person_id":
        if money.is_none_answer(text):
            nd["person_id"] = None  # type: ignore[index]
            return None
        async with services(context).db.session() as s:
            person = await pq.person_by_handle(s, text.strip())
        if person is None:
            return actor.t("don.person_unknown", who=text.strip()[:64])
        nd["person_id"] = person.id  # type: ignore[index]
        return None
    if step == "amount":
        amount = parse_amount(text)
        if amount is None:
            return actor.t("don.amount_invalid")
        d["amount"] = amount
        return None
    if step == "provider":
        parsed = money.parse_provider(text)
        if parsed is None:
            return actor.t("don.provider_invalid")
        d["provider"], d["provider_tx_id"] = parsed
        return None
    if step == "date":
        day = money.parse_received(text, d["today"])
        if day is None:
            return actor.t("don.date_invalid")
        if day > d["today"]:
            return actor.t("don.date_future", day=money.day_words(day, actor.lang, d["today"]))
        d["pending_day"] = day.isoformat()
        return None
    return ""


async def _search(update: Update, context: Context, actor: Actor, d: Draft, text: str) -> int:
    query = text.strip()
    if len(query) < 2 or len(query) > 100:
        await answer(update, actor.t("don.search_short"), _search_buttons(actor, []))
        return FORM
    async with services(context).db.session() as s:
        donors = await q.all_donors(s)
    found = search_donors(donors, query, exact=not d["treasurer"])
    key = "don.search_results" if found else ("don.search_none" if d["treasurer"] else "don.search_none_exact")
    await answer(update, actor.t(key, query=query), _search_buttons(actor, found))
    return FORM


def search_donors(donors: list[Donor], query: str, exact: bool) -> list[Donor]:
    """Treasurers: every word in the name, organisation or email. Others: the exact full name or
    email only, so that /don cannot be used to browse the donor file."""
    words = fold(query).split()
    found = []
    for donor in donors:
        names = fold(" ".join(p for p in (donor.first_name, donor.last_name) if p))
        reversed_names = fold(" ".join(p for p in (donor.last_name, donor.first_name) if p))
        email, org = fold(donor.email or ""), fold(donor.organisation or "")
        if exact:
            target = " ".join(words)
            hit = target in {names, reversed_names, email, org} - {""}
        else:
            hay = f"{names} {org} {email}"
            hit = all(w in hay for w in words)
        if hit:
            found.append(donor)
    return found[:SEARCH_LIMIT]


def _search_buttons(actor: Actor, found: list[Donor]) -> Rows:
    rows: Rows = [[(f"{money.donor_name(d, actor.lang)} · {d.city or '?'}"[:60], f"dn:search:{d.id}")] for d in found]
    rows.append([(actor.t("don.btn_new_donor"), "dn:search:new"), (actor.t("don.btn_collection"), "dn:search:anon")])
    return rows


# --- Buttons ---------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    d = _draft(context)
    parts = (query.data or "").split(":", 2)
    if d is None or len(parts) != 3 or parts[1] != d.get("step"):
        await query.answer(actor.t("fallback.button_stale"))
        return ConversationHandler.END if d is None else FORM
    await query.answer()
    await query.edit_message_reply_markup(None)
    step, value = parts[1], parts[2]
    if step == "summary":
        return await _confirm(update, context, actor, d, value)
    if not await _read_button(context, actor, d, step, value):
        await answer(update, actor.t("fallback.button_stale"))
        return FORM
    return await _ask(update, context, actor, d)


async def _read_button(context: Context, actor: Actor, d: Draft, step: str, value: str) -> bool:
    nd = d.get("donor")
    if step == "search":
        if value == "new":
            d["donor"] = {}
        elif value == "anon":
            d.update(donor_id=None, anonymous=True, method="espèces")
        elif value.isdigit():
            async with services(context).db.session() as s:
                donor = await q.donor_by_id(s, int(value))
            if donor is None:
                return False
            d["donor_id"] = donor.id
        else:
            return False
        return True
    if step == "d_donor_type" and value in ("physique", "morale"):
        nd["donor_type"] = value  # type: ignore[index]
    elif step == "d_civility":
        nd["civility"] = "" if value == "none" else value[:10]  # type: ignore[index]
    elif step in ("d_country", "d_nationality", "d_tax_residence"):
        nd[step[2:]] = value[:2]  # type: ignore[index]
    elif step == "d_sworn_declaration_at":
        nd["sworn_declaration_at"] = datetime.now(UTC) if value == "yes" else None  # type: ignore[index]
    elif step in ("d_email", "d_elected_mandate", "d_person_id") and value == "none":
        nd[step[2:]] = None if step == "d_person_id" else ""  # type: ignore[index]
    elif step == "method" and value.isdigit() and int(value) < len(METHODS):
        d["method"] = METHODS[int(value)]
    elif step == "date_ok":
        if value == "y":
            d["received_on"] = date.fromisoformat(d["pending_day"])
        d.pop("pending_day", None)
    elif step == "ledger":
        if value == "party":
            d["ledger"] = money.PARTY
        elif value.isdigit() and int(value) < len(d["ledgers"]):
            d["ledger"] = d["ledgers"][int(value)][0]
        else:
            return False
    elif step == "kind" and value in law.KINDS:
        d["kind"] = value
    elif step == "mkind" and value.isdigit() and int(value) < len(d["mkinds"]):
        d["mkind"] = d["mkinds"][int(value)]
    elif step == "event":
        titles = dict(d["events"])
        if value == "none":
            d["event_id"] = None
        elif value.isdigit() and int(value) in titles:
            d["event_id"] = int(value)
        else:
            return False
    else:
        return False
    return True


# --- Summary and confirmation ----------------------------------------------------------------


def _entry(d: Draft) -> money.Entry:
    return money.Entry(
        amount_cents=d["amount"], method=d["method"], kind=d["kind"], received_on=d["received_on"],
        ledger=d["ledger"], provider=d.get("provider", ""), provider_tx_id=d.get("provider_tx_id", ""),
        event_id=d.get("event_id"), membership_kind=d.get("mkind") if d["kind"] == "cotisation" else None,
    )  # fmt: skip


async def _findings(context: Context, d: Draft) -> tuple[list[law.Finding], Donor | None]:
    settings = services(context).settings
    async with services(context).db.session() as s:
        donor = await q.donor_by_id(s, d["donor_id"]) if d.get("donor_id") else None
        source: Any = donor if donor is not None else d.get("donor")
        law_donor = money.law_donor(source) if source is not None else None
        findings = await money.check(s, settings, _entry(d), law_donor, d.get("donor_id"), d["today"])
    return findings, donor


async def _summary(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    findings, donor = await _findings(context, d)
    async with services(context).db.session() as s:
        ledgers = await money.ledger_map(s)
    text = _summary_text(actor, d, findings, donor, ledgers)
    blocked = law.has_block(findings)
    if not blocked:
        rows = [[(actor.t("btn.confirm"), "dn:summary:ok"), (actor.t("btn.cancel"), "dn:summary:no")]]
    elif d["treasurer"]:
        rows = [[(actor.t("don.btn_to_refund"), "dn:summary:refund")], [(actor.t("btn.cancel"), "dn:summary:no")]]
    else:
        rows = [[(actor.t("btn.cancel"), "dn:summary:no")]]
    await answer(update, text, rows)
    return FORM


def _summary_text(actor: Actor, d: Draft, findings: list[law.Finding], donor: Donor | None, ledgers: Any) -> str:
    lang = actor.lang
    source: Any = donor if donor is not None else d.get("donor")
    if source is None:
        who = actor.t("money.anonymous")
    elif d["treasurer"] or d.get("donor") is not None:
        who = money.donor_card(source, lang)
    else:
        who = actor.t("don.donor_name_only", name=money.donor_name(source, lang))
    lines = [actor.t("don.summary_title"), who, actor.t(
        "don.summary", amount=format_eur(d["amount"], lang), method=money.method_label(lang, d["method"]),
        day=money.day_words(d["received_on"], lang, d["today"]), ledger=money.ledger_label(lang, d["ledger"], ledgers),
        kind=money.kind_label(lang, d["kind"]),
    )]  # fmt: skip
    if d.get("provider"):
        lines.append(actor.t("don.summary_provider", provider=d["provider"], tx=d.get("provider_tx_id", "")))
    if d["kind"] == "cotisation" and d.get("mkind"):
        lines.append(actor.t("don.summary_mkind", kind=d["mkind"]))
    if d.get("event_id"):
        lines.append(actor.t("don.summary_event", title=dict(d["events"]).get(d["event_id"], "?")))
    lines.append("")
    if findings:
        lines += money.finding_lines(findings, lang, full=d["treasurer"])
    else:
        lines.append(actor.t("don.no_finding"))
    if law.has_block(findings):
        lines.append("")
        lines.append(actor.t("don.blocked_treasurer" if d["treasurer"] else "don.blocked_other"))
    return "\n".join(lines)


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, value: str) -> int:
    if value == "no":
        context.user_data.pop(KEY, None)  # type: ignore[union-attr]
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    if value == "refund":
        if not d["treasurer"] or not actor.has(Role.TREASURER):
            await answer(update, actor.t("perm.denied", who=actor.t("role.treasurer")))
            return FORM
        d["step"] = "reason"
        await answer(update, actor.t("don.ask_reason"))
        return FORM
    if value != "ok":
        return FORM
    # Popped at once: a double tap or a replayed update finds no draft and records nothing.
    context.user_data.pop(KEY, None)  # type: ignore[union-attr]
    return await _store(update, context, actor, d, money.RECORDED, "")


async def _record_refund(update: Update, context: Context, actor: Actor, d: Draft, text: str) -> int:
    reason = money.clean_line(text, REASON_MAX)
    if reason is None:
        await answer(update, actor.t("don.reason_invalid", max=REASON_MAX))
        return FORM
    if not actor.has(Role.TREASURER):
        context.user_data.pop(KEY, None)  # type: ignore[union-attr]
        await answer(update, actor.t("perm.denied", who=actor.t("role.treasurer")))
        return ConversationHandler.END
    context.user_data.pop(KEY, None)  # type: ignore[union-attr]
    return await _store(update, context, actor, d, money.TO_REFUND, reason)


async def _store(update: Update, context: Context, actor: Actor, d: Draft, status: str, reason: str) -> int:
    svc = services(context)
    entry = _entry(d)
    async with svc.transaction() as s:
        ledgers = await money.ledger_map(s)
        donor = await q.donor_by_id(s, d["donor_id"]) if d.get("donor_id") else None
        fields = d.get("donor")
        law_donor = money.law_donor(donor if donor is not None else fields) if (donor or fields) else None
        # Checked again with the history as it is now: another gift may have come in meanwhile.
        findings = await money.check(s, svc.settings, entry, law_donor, donor.id if donor else None, d["today"],
                                     ledgers=ledgers)  # fmt: skip
        blocked = law.has_block(findings)
        if status == money.RECORDED and blocked:
            donation, created = None, False
        else:
            if donor is None and fields is not None:
                donor = await q.add_donor(s, **fields)
            donation, created = await money.record(
                s, svc.settings, entry, donor, findings=findings, request_key=d["key"], actor=actor.person,
                status=status, reason=reason, ledgers=ledgers,
            )  # fmt: skip
    if donation is None:
        # The situation changed since the summary: show the new one, nothing recorded.
        context.user_data[KEY] = d  # type: ignore[index]
        d["step"] = "summary"
        await answer(update, actor.t("don.changed"))
        return await _summary(update, context, actor, d)
    if not created:
        await answer(update, actor.t("don.already"))
    elif status == money.TO_REFUND:
        await answer(update, actor.t("don.recorded_refund", id=donation.id))
    else:
        warn = sum(1 for f in findings if f.level == "warn")
        await answer(update, actor.t("don.recorded", id=donation.id, receipt=donation.receipt_number or "—",
                                     warnings=warn))  # fmt: skip
    return ConversationHandler.END


cancel = cancel_handler(KEY, EDIT_KEY)
use_buttons = hint_handler("don.use_buttons")


# =============================================================================================
# /dons: recent donations and corrections (treasurers)
# =============================================================================================


@command(commands.DONS)
async def list_donations(update: Update, context: Context, actor: Actor) -> None:
    query = " ".join(context.args or []).strip()
    async with services(context).db.session() as s:
        donor_ids = None
        if query:
            donor_ids = [d.id for d in search_donors(await q.all_donors(s), query, exact=False)]
        rows = await q.recent_donations(s, LIST_LIMIT, donor_ids)
    if not rows:
        await answer(update, actor.t("dons.none"))
        return
    lang = actor.lang
    buttons = [[(
        f"#{d.id} · {format_eur(d.amount_cents, lang)} · {money.donor_name(d.donor, lang)}"[:60]
        + ("" if d.status == money.RECORDED else f" · {money.status_label(lang, d.status)}"),
        f"dl:{d.id}",
    )] for d in rows]  # fmt: skip
    await answer(update, actor.t("dons.header", count=len(rows)), buttons)


@button(Role.TREASURER)
async def show_donation(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    donation_id = (query.data or "").split(":")[-1]
    async with services(context).db.session() as s:
        d = await q.donation_by_id(s, int(donation_id)) if donation_id.isdigit() else None
        ledgers = await money.ledger_map(s)
        trail = await q.audit_trail(s, d.id) if d else []
    if d is None:
        await query.answer(actor.t("dons.gone"), show_alert=True)
        return
    await query.answer()
    lang = actor.lang
    lines = [money.donation_line(lang, d, ledgers, full=True, today=_today(context))]
    if d.donor is not None:
        lines.append(money.donor_card(d.donor, lang))
    lines += money.finding_lines(money.findings_from_json(d.findings), lang)
    if d.reason:
        lines.append(actor.t("money.reason_line", reason=d.reason))
    lines.append(actor.t("dons.trail", count=len(trail)))
    rows: Rows = []
    if d.status in (money.RECORDED, money.TO_REFUND):
        rows.append([(actor.t("dons.btn_amount"), f"de:amount:{d.id}"), (actor.t("dons.btn_date"), f"de:date:{d.id}"),
                     (actor.t("dons.btn_method"), f"de:method:{d.id}")])  # fmt: skip
        rows.append([(actor.t("dons.btn_cancel"), f"de:cancel:{d.id}")])
    if d.status == money.TO_REFUND:
        rows.append([(actor.t("dons.btn_refunded"), f"de:refunded:{d.id}")])
    await answer(update, "\n".join(lines), rows or None)


@button(Role.TREASURER)
async def edit_choice(update: Update, context: Context, actor: Actor) -> int:
    query = update.callback_query
    assert query is not None
    _, field_name, donation_id = (query.data or "::").split(":", 2)
    await query.answer()
    await query.edit_message_reply_markup(None)
    context.user_data[EDIT_KEY] = {"id": int(donation_id), "field": field_name}  # type: ignore[index]
    if field_name in ("cancel", "refunded"):
        await answer(update, actor.t(f"dons.ask_reason_{field_name}", id=donation_id))
        return EDIT_REASON
    if field_name == "method":
        pairs = [(money.method_label(actor.lang, m), f"dv:{i}") for i, m in enumerate(METHODS)]
        await answer(update, actor.t("don.ask_method"), [pairs[i : i + 3] for i in range(0, len(pairs), 3)])
        return EDIT_VALUE
    await answer(update, actor.t(f"don.ask_{field_name}"))
    return EDIT_VALUE


async def edit_value(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    state = context.user_data.get(EDIT_KEY)  # type: ignore[union-attr]
    if state is None or not actor.has(Role.TREASURER):
        return ConversationHandler.END
    query = update.callback_query
    if query is not None:
        index = (query.data or "").split(":")[-1]
        if state["field"] != "method" or not index.isdigit() or int(index) >= len(METHODS):
            await query.answer(actor.t("fallback.button_stale"))
            return EDIT_VALUE
        await query.answer()
        await query.edit_message_reply_markup(None)
        state["value"] = METHODS[int(index)]
    else:
        text, today = _text(update), _today(context)
        if state["field"] == "amount":
            value: Any = parse_amount(text)
            if value is None:
                await answer(update, actor.t("don.amount_invalid"))
                return EDIT_VALUE
        elif state["field"] == "date":
            value = money.parse_received(text, today)
            if value is None or value > today:
                await answer(update, actor.t("don.date_invalid" if value is None else "don.date_future",
                                             day=money.day_words(value, actor.lang, today) if value else ""))
                return EDIT_VALUE
        else:
            await answer(update, actor.t("don.use_buttons"))
            return EDIT_VALUE
        state["value"] = value
    await answer(update, actor.t("dons.ask_reason_edit"))
    return EDIT_REASON


async def edit_reason(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    state = context.user_data.get(EDIT_KEY)  # type: ignore[union-attr]
    if state is None or not actor.has(Role.TREASURER):
        return ConversationHandler.END
    reason = money.clean_line(_text(update), REASON_MAX)
    if reason is None:
        await answer(update, actor.t("don.reason_invalid", max=REASON_MAX))
        return EDIT_REASON
    context.user_data.pop(EDIT_KEY, None)  # type: ignore[union-attr]
    svc = services(context)
    value = state.get("value")
    async with svc.transaction() as s:
        if state["field"] == "method":
            current = await q.donation_by_id(s, state["id"])
            value = (value, current.provider if current and value == "plateforme" else "")
        result = await money.correct(s, svc.settings, state["id"], field_name=state["field"], value=value,
                                     reason=reason, actor=actor.person, today=_today(context))  # fmt: skip
    if not result.ok:
        lines = [actor.t(result.error)]
        lines += money.finding_lines([f for f in result.findings if f.level == "block"], actor.lang)
        await answer(update, "\n".join(lines))
        return ConversationHandler.END
    assert result.donation is not None
    await answer(update, actor.t(f"dons.done_{state['field'] if state['field'] in ('cancel', 'refunded') else 'edit'}",
                                 id=result.donation.id))  # fmt: skip
    return ConversationHandler.END


# =============================================================================================
# /adherents, /bilan, /export
# =============================================================================================


@command(commands.ADHERENTS)
async def memberships(update: Update, context: Context, actor: Actor) -> None:
    today = _today(context)
    full = actor.has(Role.TREASURER)
    async with services(context).db.session() as s:
        counts = money.membership_counts(await q.all_memberships(s), today)
        names: dict[int, str] = {}
        if full:
            for m in counts.expiring_list[:20] + counts.lapsed_list[:10]:
                donor = await q.donor_by_id(s, m.donor_id)
                names[m.donor_id] = money.donor_name(donor, actor.lang)
    lines = [actor.t("adh.counts", active=counts.active, expiring=counts.expiring, lapsed=counts.lapsed)]
    if full:
        if counts.expiring_list:
            lines.append(actor.t("adh.expiring_header"))
            lines += [actor.t("adh.line", name=names[m.donor_id], end=money.day_words(m.period_end, actor.lang, today))
                      for m in counts.expiring_list[:20]]  # fmt: skip
        if counts.lapsed_list:
            lines.append(actor.t("adh.lapsed_header"))
            lines += [actor.t("adh.line", name=names[m.donor_id], end=money.day_words(m.period_end, actor.lang, today))
                      for m in counts.lapsed_list[:10]]  # fmt: skip
    await answer(update, "\n".join(lines))


def _year_arg(context: Context, today: date) -> int | None:
    args = context.args or []
    if not args:
        return today.year
    return int(args[0]) if args[0].isdigit() and 2000 <= int(args[0]) <= today.year + 1 else None


@command(commands.BILAN)
async def summary(update: Update, context: Context, actor: Actor) -> None:
    today = _today(context)
    year = _year_arg(context, today)
    if year is None:
        await answer(update, actor.t("bilan.usage"))
        return
    async with services(context).db.session() as s:
        report = await money.bilan(s, services(context).settings, year)
        ledgers = await money.ledger_map(s)
    lang = actor.lang
    lines = [actor.t("bilan.title", year=year, total=format_eur(report.total, lang), count=report.count)]
    if report.goal:
        lines.append(actor.t("bilan.goal", goal=format_eur(report.goal, lang), raised=format_eur(report.total, lang),
                             percent=report.total * 100 // report.goal))
    if report.total:
        lines.append(actor.t("bilan.by_month"))
        lines += [actor.t("bilan.line", label=_month(lang, year, i), amount=format_eur(v, lang))
                  for i, v in enumerate(report.by_month) if v]  # fmt: skip
    for title, values, label in (
        ("bilan.by_ledger", report.by_ledger, lambda k: money.ledger_label(lang, k, ledgers)),
        ("bilan.by_method", report.by_method, lambda k: money.method_label(lang, k)),
        ("bilan.by_kind", report.by_kind, lambda k: money.kind_label(lang, k)),
    ):
        if values:
            lines.append(actor.t(title))
            lines += [actor.t("bilan.line", label=label(k), amount=format_eur(v, lang)) for k, v in values.items()]
    if report.refund_count:
        lines.append(actor.t("bilan.refunds", count=report.refund_count, amount=format_eur(report.refund_total, lang)))
    if report.events:
        lines.append(actor.t("bilan.events"))
        lines += [actor.t("bilan.event_line", title=title, day=money.day_words(day, lang, today), count=n,
                          amount=format_eur(total, lang)) for title, day, n, total in report.events]  # fmt: skip
    await answer(update, "\n".join(lines))
    png = await asyncio.to_thread(
        charts.bilan_chart, [_month(lang, year, i, short=True) for i in range(12)], report.by_month,
        goal_cents=report.goal, raised_cents=report.total, title=actor.t("bilan.chart_title", year=year),
        progress_label=_plain(actor.t("bilan.goal", goal=format_eur(report.goal, lang), raised=format_eur(report.total, lang),
                                      percent=report.total * 100 // report.goal)) if report.goal else "",
    )  # fmt: skip
    chat = update.effective_chat
    assert chat is not None
    await chat.send_photo(InputFile(png, filename=f"bilan-{year}.png"), caption=actor.t("bilan.chart_caption", year=year))


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _month(lang: str, year: int, index: int, short: bool = False) -> str:
    from babel.dates import format_date

    return format_date(date(year, index + 1, 1), "MMM" if short else "MMMM", locale="en_GB" if lang == "en" else "fr_FR")


@command(commands.EXPORT)
async def export(update: Update, context: Context, actor: Actor) -> None:
    today = _today(context)
    year = _year_arg(context, today)
    if year is None:
        await answer(update, actor.t("export.usage"))
        return
    svc = services(context)
    async with svc.transaction() as s:
        files = await money.exports(s, year)
        # Rule 35: every transmission of the donor list is logged.
        await pq.audit(s, actor.person, "donations.export", str(year), files=[f.filename for f in files])
    chat = update.effective_chat
    assert chat is not None
    for f in files:
        await chat.send_document(InputFile(f.data, filename=f.filename), caption=actor.t(f.caption_key, **f.values))


# =============================================================================================


def _final(callback: Any) -> Any:
    """Run a conversation callback and stop there: no later group sees the update (the generic
    /cancel of handlers/help.py, registered earlier in group 0, would otherwise answer "nothing to
    cancel" in the middle of a /don, and the fallback would answer a second time)."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: Context) -> Any:
        raise ApplicationHandlerStop(await callback(update, context))

    return wrapper


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    form = ConversationHandler(
        entry_points=[CommandHandler(commands.DON.name, _final(start))],
        states={FORM: [MessageHandler(text, _final(on_text)), CallbackQueryHandler(_final(on_button), pattern=r"^dn:")]},
        fallbacks=[
            CommandHandler(commands.CANCEL.name, _final(cancel)),
            CommandHandler(commands.DON.name, _final(start)),
            MessageHandler(private & ~filters.COMMAND, _final(use_buttons)),
        ],
        name="donation_form",
        allow_reentry=True,
    )
    edit = ConversationHandler(
        entry_points=[
            CallbackQueryHandler(_final(edit_choice), pattern=r"^de:(amount|date|method|cancel|refunded):\d+$")
        ],
        states={
            EDIT_VALUE: [
                MessageHandler(text, _final(edit_value)),
                CallbackQueryHandler(_final(edit_value), pattern=r"^dv:\d+$"),
            ],
            EDIT_REASON: [MessageHandler(text, _final(edit_reason))],
        },
        fallbacks=[
            CommandHandler(commands.CANCEL.name, _final(cancel)),
            MessageHandler(private & ~filters.COMMAND, _final(use_buttons)),
        ],
        name="donation_edit",
        allow_reentry=True,
    )
    return {
        Group.CONVERSATION: [form, edit],
        Group.MAIN: [
            CommandHandler(commands.DONS.name, list_donations),
            CallbackQueryHandler(show_donation, pattern=r"^dl:\d+$"),
            CommandHandler(commands.ADHERENTS.name, memberships),
            CommandHandler(commands.BILAN.name, summary),
            CommandHandler(commands.EXPORT.name, export),
        ],
    }

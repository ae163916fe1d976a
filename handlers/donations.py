"""Money: /don (record a gift or a fee), /dons (corrections), /adherents, /bilan, /export.

Thin: read the update, check the role, call capabilities/donations, answer. Nothing is stored
before Confirmer; the draft lives in user_data and is dropped on confirmation, and the
donation's request_key makes a replayed confirmation record nothing more.

Privacy (rules 33, 41): donor names and amounts go to treasurers only. Coordinators and
collectors may record a gift, but find a known donor only by an exact name or email, and the
figures of the donor's history are hidden from them in the law's findings.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any, Literal

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands, paging
from bot.callbacks import (
    DonationCard,
    DonationEdit,
    DonationFix,
    DonationMethod,
    DonorMatchChoice,
    DonsPage,
    DonStep,
    MembershipRenew,
    MembersPage,
    carried_query,
)
from bot.texts import CATALOG
from capabilities.donations import bilan, corrections, exports, form, labels, lists, matches
from capabilities.donations.config import today_in
from capabilities.donations.corrections import EditField
from domain import law
from domain.people import Role
from domain.statuses import DonationStatus
from domain.text import TextError, fold
from handlers.common import Actor, Context, Group, Handlers, answer, button, command, load_actor, services
from handlers.conversation import FORM, Turn, clear_keyboard, drop, final, step
from handlers.conversation import form as conversation_form
from handlers.paged import show as show_page
from storage.models import Donor
from webapp.buttons import webapp_keyboard

KEY = "don_draft"
EDIT_KEY = "don_edit"

Draft = dict[str, Any]
Rows = list[list[tuple[str, str]]]


def _keep(context: Context, key: str, draft: Draft) -> None:
    if context.user_data is not None:
        context.user_data[key] = draft


def _today(context: Context) -> date:
    return today_in(services(context).settings)


def _text(update: Update) -> str:
    return (update.effective_message.text or "") if update.effective_message else ""


async def _say(update: Update, actor: Actor, error: TextError) -> None:
    await answer(update, actor.t(error.code, **dict(error.params)))


# =============================================================================================
# /don: the form
# =============================================================================================


@command(commands.DON)
async def start(update: Update, context: Context, actor: Actor) -> int:
    draft = await form.new_draft(services(context), treasurer=actor.has(Role.TREASURER), lang=actor.lang)
    _keep(context, KEY, draft)
    typed = " ".join(context.args or []).strip()
    if typed:  # "/don martin" or "/don 50 € chèque Jean Martin …": the first answer at once
        form.advance(draft, _today(context))
        return await _search(update, context, actor, draft, typed)
    return await _ask(update, context, actor, draft)


def _buttons(step_name: str, pairs: list[tuple[str, str]], per_row: int = 2) -> Rows:
    cells = [(label, DonStep(step_name, value).pack()) for label, value in pairs]
    return [cells[i : i + per_row] for i in range(0, len(cells), per_row)]


def _prompt(actor: Actor, d: Draft, step_name: str) -> tuple[str, Rows | None]:
    if step_name == "search":
        return actor.t("don.ask_search"), _search_buttons(actor, [])
    text, pairs, per_row = form.question(d, step_name, actor.lang)
    # Without choices, a plain text question: names, address, amount, provider, date.
    return text, _buttons(step_name, pairs, per_row) if pairs else None


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    step_name = form.advance(d, _today(context))
    if step_name != "summary":
        # Each rule as soon as its facts are known, not at the summary (docs/legal-rules.md).
        blocks = await form.refusals(services(context), d, actor.lang)
        if blocks:
            return await _refuse(update, actor, d, blocks)
    if step_name == "summary":
        return await _summary(update, context, actor, d)
    text, rows = _prompt(actor, d, step_name)
    await answer(update, text, rows)
    return FORM


@step(KEY, commands.DON)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    step_name, text = d["step"], _text(update)
    if step_name == "search":
        return await _search(update, context, actor, d, text)
    if step_name == "reason":
        return await _record_refund(update, context, actor, d, text)
    error = await form.read_answer(services(context), d, step_name, text, actor.lang)
    if error is None:
        return await _ask(update, context, actor, d)
    await _say(update, actor, error)
    return FORM


def _fix_buttons(actor: Actor, d: Draft, step_name: str, blocks: list[law.Finding]) -> Rows:
    """One "Modifier …" button per answer that can lift the refusal; the rest of the draft stays."""
    cells = [
        (actor.t(f"don.btn_fix_{name}"), DonStep(step_name, f"fix_{name}").pack())
        for name in form.fixes(d, blocks)
    ]
    return [cells[i : i + 2] for i in range(0, len(cells), 2)]


async def _refuse(update: Update, actor: Actor, d: Draft, blocks: list[law.Finding]) -> int:
    d["step"] = "refused"
    d["refused"] = [f.code for f in blocks]
    lines = [actor.t("don.refused_title"), *labels.finding_lines(blocks, actor.lang, full=d["treasurer"])]
    lines.append(actor.t("don.refused_hint_treasurer" if d["treasurer"] else "don.refused_hint"))
    rows = _fix_buttons(actor, d, "refused", blocks)
    if d["treasurer"]:
        rows.append([(actor.t("don.btn_go_refund"), DonStep("refused", "go").pack())])
    rows.append([(actor.t("btn.cancel"), DonStep("refused", "no").pack())])
    await answer(update, "\n".join(lines), rows)
    return FORM


async def _on_refused(update: Update, context: Context, actor: Actor, d: Draft, value: str) -> int:
    if value == "no":
        drop(context, KEY)
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    if value == "go":
        if not d["treasurer"] or not actor.has(Role.TREASURER):
            await answer(update, actor.t("perm.denied", who=actor.t("role.treasurer")))
            return FORM
        d["passed"] = sorted({*d.get("passed", ()), *d.pop("refused", ())})
        return await _ask(update, context, actor, d)
    if not (value.startswith("fix_") and form.fix(d, value.removeprefix("fix_"))):
        await answer(update, actor.t("fallback.button_stale"))
        return FORM
    d.pop("refused", None)
    return await _ask(update, context, actor, d)


async def _search(update: Update, context: Context, actor: Actor, d: Draft, text: str) -> int:
    read = await form.read_line(services(context), d, text)
    if read is not None:
        if not read.found:  # nobody by that name: the typed donor is new, ask what is missing
            return await _ask(update, context, actor, d)
        await answer(update, actor.t("don.line_known"), _search_buttons(actor, read.found))
        return FORM
    query = text.strip()
    if len(query) < 2 or len(query) > 100:
        await answer(update, actor.t("don.search_short"), _search_buttons(actor, []))
        return FORM
    found = await form.search(services(context), d, query)
    key = (
        "don.search_results" if found else ("don.search_none" if d["treasurer"] else "don.search_none_exact")
    )
    await answer(update, actor.t(key, query=query), _search_buttons(actor, found))
    return FORM


def _search_buttons(actor: Actor, found: list[Donor]) -> Rows:
    rows: Rows = [
        [(f"{labels.donor_name(d, actor.lang)} · {d.city or '?'}"[:60], DonStep("search", str(d.id)).pack())]
        for d in found
    ]
    new, anon = DonStep("search", "new").pack(), DonStep("search", "anon").pack()
    rows.append([(actor.t("don.btn_new_donor"), new), (actor.t("don.btn_collection"), anon)])
    return rows


@step(KEY, commands.DON)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    data = DonStep.parse(query.data)
    if data is None or data.step != d.get("step"):
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    if data.step == "summary":
        return await _confirm(update, context, actor, d, data.value)
    if data.step == "refused":
        return await _on_refused(update, context, actor, d, data.value)
    if not await form.apply_button(services(context), d, data.step, data.value):
        await answer(update, actor.t("fallback.button_stale"))
        return FORM
    return await _ask(update, context, actor, d)


# --- Summary and confirmation ----------------------------------------------------------------


async def _summary(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    review = await form.review(services(context), d)
    text = labels.summary_text(actor.lang, d, review.findings, review.donor, review.ledgers)
    cancel = (actor.t("btn.cancel"), DonStep("summary", "no").pack())
    if not review.blocked:
        rows = [[(actor.t("btn.confirm"), DonStep("summary", "ok").pack()), cancel]]
    else:
        blocks = [f for f in review.findings if f.level == "block"]
        rows = _fix_buttons(actor, d, "summary", blocks)
        if d["treasurer"]:
            rows.append([(actor.t("don.btn_to_refund"), DonStep("summary", "refund").pack())])
        rows.append([cancel])
    await answer(update, text, rows)
    return FORM


async def _confirm(update: Update, context: Context, actor: Actor, d: Draft, value: str) -> int:
    if value == "no":
        drop(context, KEY)
        await answer(update, actor.t("cancel.done"))
        return ConversationHandler.END
    if value == "refund":
        if not d["treasurer"] or not actor.has(Role.TREASURER):
            await answer(update, actor.t("perm.denied", who=actor.t("role.treasurer")))
            return FORM
        d["step"] = "reason"
        await answer(update, actor.t("don.ask_reason"))
        return FORM
    if value.startswith("fix_"):
        return await _on_refused(update, context, actor, d, value)
    if value != "ok":
        return FORM
    # Dropped at once: a double tap or a replayed update finds no draft and records nothing.
    drop(context, KEY)
    return await _store(update, context, actor, d, DonationStatus.RECORDED, "")


async def _record_refund(update: Update, context: Context, actor: Actor, d: Draft, text: str) -> int:
    reason = form.read_reason(text)
    if reason is None:
        await answer(update, actor.t("don.reason_invalid", max=form.REASON_MAX))
        return FORM
    drop(context, KEY)
    if not actor.has(Role.TREASURER):
        await answer(update, actor.t("perm.denied", who=actor.t("role.treasurer")))
        return ConversationHandler.END
    return await _store(update, context, actor, d, DonationStatus.TO_REFUND, reason)


async def _store(update: Update, context: Context, actor: Actor, d: Draft, status: str, reason: str) -> int:
    stored = await form.store(services(context), d, status, reason, actor.person)
    donation = stored.donation
    if donation is None:
        # The situation changed since the summary: show the new one, nothing recorded.
        _keep(context, KEY, d)
        d["step"] = "summary"
        await answer(update, actor.t("don.changed"))
        return await _summary(update, context, actor, d)
    if not stored.created:
        await answer(update, actor.t("don.already"))
    elif status == DonationStatus.TO_REFUND:
        await answer(update, actor.t("don.recorded_refund", id=donation.id))
    else:
        warnings = sum(1 for f in stored.findings if f.level == "warn")
        receipt = donation.receipt_number or "—"
        key = "don.recorded_warned" if warnings else "don.recorded"
        await answer(update, actor.t(key, id=donation.id, receipt=receipt, warnings=warnings))
    return ConversationHandler.END


# =============================================================================================
# /dons: recent donations and corrections (treasurers)
# =============================================================================================


@command(commands.DONS)
async def list_donations(update: Update, context: Context, actor: Actor) -> None:
    """`/dons` (every payment, newest first), `/dons remarques` (only those with the law's remarks to
    act on) or `/dons martin` (a donor's payments): one message, a page at a time."""
    typed = " ".join(context.args or []).strip()
    only: Literal["all", "warn"] = "all"
    if fold(typed) in WARN_WORDS:
        only, typed = "warn", ""
    page = await lists.dons_page(services(context), only, 0, carried_query(typed))
    if not page.window.total and only == "all":
        await answer(update, actor.t("dons.none"))
        return
    await answer(update, *_dons_page(actor, page))


WARN_WORDS = frozenset({"remarques", "remarque", "alertes", "alerte", "warnings"})


def _dons_page(actor: Actor, page: lists.DonsPage) -> tuple[str, Rows]:
    lang, win = actor.lang, page.window
    warn = page.only == "warn"
    header = actor.t("dons.header_warn" if warn else "dons.header_all", count=win.total)
    lines: list[str] = []
    rows: Rows = []
    for d in page.donations:
        line = labels.donation_button(lang, d)
        found = page.remarks.get(d.id, [])
        if found:
            line += " — " + " ; ".join(_remark(actor, f) for f in found[:3])
        lines.append("• " + html.escape(line, quote=False))
        row = [(labels.donation_button(lang, d), DonationCard(d.id).pack())]
        if warn and any(f.code == lists.SWORN for f in found):
            row.append((actor.t("btn.dons_sworn"), DonationFix("sworn", d.id).pack()))
        rows.append(row)
    if not lines:
        lines.append(actor.t("dons.none_warn" if warn else "dons.none"))
    only: Literal["all", "warn"] = "warn" if warn else "all"
    nav = paging.nav_row(lang, win, lambda n: DonsPage(only, n, page.query).pack())
    if nav:
        rows.append(nav)
    if warn:
        rows.append([(actor.t("btn.dons_all"), DonsPage("all", 0, page.query).pack())])
    elif page.with_remarks:
        rows.append(
            [(actor.t("btn.dons_warn", count=page.with_remarks), DonsPage("warn", 0, page.query).pack())]
        )
    return paging.page_message(header, lines, paging.footer(lang, win)), rows


def _remark(actor: Actor, finding: law.Finding) -> str:
    key = f"dons.remark.{finding.code}"
    return actor.t(key) if key in CATALOG["fr"] else actor.t(f"dons.remark_{finding.level}")


@button(Role.TREASURER)
async def dons_page(update: Update, context: Context, actor: Actor) -> None:
    """/dons: another page or filter, edited in place (a forged page number is clamped)."""
    query = update.callback_query
    assert query is not None
    pressed = DonsPage.parse(query.data)
    assert pressed is not None  # the handler's pattern
    await query.answer()
    page = await lists.dons_page(services(context), pressed.only, pressed.page, pressed.query)
    await show_page(update, *_dons_page(actor, page))


@button(Role.TREASURER)
async def fix_donation(update: Update, context: Context, actor: Actor) -> None:
    """« Déclaration reçue »: the donor's sworn declaration recorded (today), audited."""
    query = update.callback_query
    assert query is not None
    pressed = DonationFix.parse(query.data)
    assert pressed is not None  # the handler's pattern
    done = await lists.record_declaration(services(context), pressed.donation_id, actor.person)
    if done.outcome is lists.Recorded.NONE:
        await query.answer(actor.t("dons.gone"), show_alert=True)
        return
    await query.answer()
    name = labels.donor_name(done.donor, actor.lang)
    await answer(update, actor.t(f"dons.sworn_{done.outcome}", name=name, count=done.cleared))


@button(Role.TREASURER)
async def show_donation(update: Update, context: Context, actor: Actor) -> None:
    query = update.callback_query
    assert query is not None
    data = DonationCard.parse(query.data)
    card = (
        await corrections.card(services(context), data.donation_id, actor.lang, _today(context))
        if data
        else None
    )
    if card is None:
        await query.answer(actor.t("dons.gone"), show_alert=True)
        return
    await query.answer()
    donation_id = card.donation.id
    rows: Rows = []
    if card.editable:
        edit: list[tuple[str, EditField]] = [
            ("dons.btn_amount", "amount"),
            ("dons.btn_date", "date"),
            ("dons.btn_method", "method"),
        ]
        rows.append([(actor.t(label), DonationEdit(change, donation_id).pack()) for label, change in edit])
        rows.append([(actor.t("dons.btn_cancel"), DonationEdit("cancel", donation_id).pack())])
    if card.refundable:
        rows.append([(actor.t("dons.btn_refunded"), DonationEdit("refunded", donation_id).pack())])
    if any(f.code == lists.SWORN for f in lists.remarks(card.donation.findings)):
        rows.append([(actor.t("btn.dons_sworn"), DonationFix("sworn", donation_id).pack())])
    await answer(update, "\n".join(card.lines), rows or None)


@button(Role.TREASURER)
async def decide_match(update: Update, context: Context, actor: Actor) -> None:
    """Two donor records with the same name: the treasurer says one person (merge) or two."""
    query = update.callback_query
    assert query is not None
    data = DonorMatchChoice.parse(query.data)
    assert data is not None and actor.person is not None  # the pattern; @button: a member
    await query.answer()
    await clear_keyboard(update)
    decision = await matches.decide(services(context), data.match_id, data.choice, actor.person)
    await answer(update, matches.decision_text(decision, actor.lang, services(context).settings))


@button(Role.TREASURER)
async def edit_choice(update: Update, context: Context, actor: Actor) -> int:
    query = update.callback_query
    assert query is not None
    data = DonationEdit.parse(query.data)
    assert data is not None  # the handler's pattern is this format's
    await query.answer()
    await clear_keyboard(update)
    d = corrections.edit_draft(data.donation_id, data.change)
    _keep(context, EDIT_KEY, d)
    return await _ask_edit(update, actor, d)


async def _ask_edit(update: Update, actor: Actor, d: Draft) -> int:
    if corrections.edit_step(d) == "reason":
        if d["field"] in corrections.STATUS_CHANGES:
            await answer(update, actor.t(f"dons.ask_reason_{d['field']}", id=d["id"]))
        else:
            await answer(update, actor.t("dons.ask_reason_edit"))
    elif d["field"] == "method":
        pairs = [
            (labels.method_label(actor.lang, m), DonationMethod(i).pack()) for i, m in enumerate(law.METHODS)
        ]
        await answer(update, actor.t("don.ask_method"), [pairs[i : i + 3] for i in range(0, len(pairs), 3)])
    else:
        await answer(update, actor.t(f"don.ask_{d['field']}"))
    return FORM


@step(EDIT_KEY, commands.DONS)
async def edit_method(update: Update, context: Context, turn: Turn) -> int:
    query = update.callback_query
    assert query is not None
    data = DonationMethod.parse(query.data)
    if data is None or not corrections.choose_method(turn.draft, data.index):
        await query.answer(turn.actor.t("fallback.button_stale"))
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _ask_edit(update, turn.actor, turn.draft)


@step(EDIT_KEY, commands.DONS)
async def edit_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if corrections.edit_step(d) == "value":
        error = corrections.read_value(d, _text(update), actor.lang, _today(context))
        if error is not None:
            await _say(update, actor, error)
            return FORM
        return await _ask_edit(update, actor, d)
    reason = form.read_reason(_text(update))
    if reason is None:
        await answer(update, actor.t("don.reason_invalid", max=form.REASON_MAX))
        return FORM
    drop(context, EDIT_KEY)
    result = await corrections.apply_edit(services(context), d, reason, actor.person, _today(context))
    if not result.ok:
        blocks = [f for f in result.findings if f.level == "block"]
        await answer(update, "\n".join([actor.t(result.error), *labels.finding_lines(blocks, actor.lang)]))
        return ConversationHandler.END
    assert result.donation is not None
    done = d["field"] if d["field"] in corrections.STATUS_CHANGES else "edit"
    await answer(update, actor.t(f"dons.done_{done}", id=result.donation.id))
    return ConversationHandler.END


# =============================================================================================
# /adherents, /bilan, /export
# =============================================================================================


@command(commands.ADHERENTS)
async def list_memberships(update: Update, context: Context, actor: Actor) -> None:
    """The counts; for treasurers, the members to renew a page at a time with « Renouveler »."""
    await _members_page(update, context, actor, "due", 0)


@button(Role.TREASURER, Role.COORDINATOR)
async def members_page(update: Update, context: Context, actor: Actor) -> None:
    """/adherents: another page or group, edited in place (a forged page number is clamped)."""
    query = update.callback_query
    assert query is not None
    pressed = MembersPage.parse(query.data)
    assert pressed is not None  # the handler's pattern
    await query.answer()
    await _members_page(update, context, actor, pressed.group, pressed.page)


async def _members_page(update: Update, context: Context, actor: Actor, group: str, number: int) -> None:
    today = _today(context)
    full = actor.has(Role.TREASURER)  # names and renewals: the treasury only (rules 33, 41)
    page = await lists.members_page(services(context), today, group, number, names=full, lang=actor.lang)
    win = page.window
    counts = actor.t("adh.counts", active=page.active, expiring=page.due, lapsed=page.lapsed)
    rows: Rows = []
    if not full:
        await show_page(update, counts, [])
        return
    header = actor.t("adh.expiring_header" if page.group == "due" else "adh.lapsed_header")
    lines = []
    for m in page.memberships:
        name = page.names.get(m.donor_id, "?")
        lines.append(actor.t("adh.line", name=name, end=labels.day_words(m.period_end, actor.lang, today)))
        rows.append([(actor.t("btn.adh_renew", name=name)[:60], MembershipRenew(m.donor_id).pack())])
    if not lines:
        lines.append(actor.t("adh.none_due" if page.group == "due" else "adh.none_lapsed"))
    shown_group: Literal["due", "lapsed"] = "lapsed" if page.group == "lapsed" else "due"
    nav = paging.nav_row(actor.lang, win, lambda n: MembersPage(shown_group, n).pack())
    if nav:
        rows.append(nav)
    other = MembersPage("lapsed", 0) if page.group == "due" else MembersPage("due", 0)
    count = page.lapsed if other.group == "lapsed" else page.due
    rows.append([(actor.t(f"btn.adh_{other.group}", count=count), other.pack())])
    text = paging.page_message(f"{counts}\n{header}", lines, paging.footer(actor.lang, win))
    await show_page(update, text, rows)


async def renew_start(update: Update, context: Context) -> int:
    """« Renouveler » on /adherents: the /don form on that member's cotisation (their kind and fee),
    asking only how and when it was paid; recorded and checked as any cotisation."""
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    pressed = MembershipRenew.parse(query.data)
    if pressed is None or not actor.has(Role.TREASURER):
        await query.answer(actor.t("perm.denied", who=actor.t("role.treasurer")), show_alert=True)
        return ConversationHandler.END
    svc = services(context)
    draft = await lists.renewal_draft(svc, pressed.donor_id, lang=actor.lang)
    if draft is None:
        await query.answer(actor.t("fallback.button_stale"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    _keep(context, KEY, draft)
    name = await lists.donor_label(svc, pressed.donor_id, actor.lang)
    await answer(update, actor.t("adh.renewing", name=name))
    return await _ask(update, context, actor, draft)


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
    report = await bilan.year_bilan(services(context), year)
    await answer(update, "\n".join(bilan.bilan_lines(report, actor.lang, today)))
    chat = update.effective_chat
    assert chat is not None
    # The first chart of a process takes about a second (the charting library loads): say it is coming.
    await chat.send_action(ChatAction.UPLOAD_PHOTO)
    png = await bilan.bilan_png(report, actor.lang)
    caption = actor.t("bilan.chart_caption", year=year)
    app = webapp_keyboard(services(context).settings, actor.lang, "ledger")  # None without WEBAPP_URL
    await chat.send_photo(InputFile(png, filename=f"bilan-{year}.png"), caption=caption, reply_markup=app)


@command(commands.EXPORT)
async def export(update: Update, context: Context, actor: Actor) -> None:
    year = _year_arg(context, _today(context))
    if year is None:
        await answer(update, actor.t("export.usage"))
        return
    result = await exports.export_year(services(context), actor.person, year, actor.lang)
    chat = update.effective_chat
    assert chat is not None
    # One archive, one message: no burst of documents in the chat (issue 13, item 8).
    archive = result.archive()
    await chat.send_document(
        InputFile(archive.data, filename=archive.filename), caption=result.caption(), parse_mode="HTML"
    )


# =============================================================================================


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND

    # In the early group (Group.CONVERSATION): every callback is `final`, so no later group sees it.
    donation_form = conversation_form(
        "donation_form",
        entry_points=[
            CommandHandler(commands.DON.name, final(start)),
            CallbackQueryHandler(final(renew_start), pattern=MembershipRenew.pattern()),
        ],
        steps=[
            MessageHandler(text, final(on_text)),
            CallbackQueryHandler(final(on_button), pattern=DonStep.pattern()),
        ],
        drafts=(KEY, EDIT_KEY),
        hint="don.use_buttons",
        restart=commands.DON,
        fallbacks=[CommandHandler(commands.DON.name, final(start))],
    )
    edit_form = conversation_form(
        "donation_edit",
        entry_points=[CallbackQueryHandler(final(edit_choice), pattern=DonationEdit.pattern())],
        steps=[
            MessageHandler(text, final(edit_text)),
            CallbackQueryHandler(final(edit_method), pattern=DonationMethod.pattern()),
        ],
        drafts=(KEY, EDIT_KEY),
        hint="don.use_buttons",
        restart=commands.DONS,
    )
    return {
        Group.CONVERSATION: [donation_form, edit_form],
        Group.MAIN: [
            CommandHandler(commands.DONS.name, list_donations),
            CallbackQueryHandler(show_donation, pattern=DonationCard.pattern()),
            CallbackQueryHandler(dons_page, pattern=DonsPage.pattern()),
            CallbackQueryHandler(fix_donation, pattern=DonationFix.pattern()),
            CallbackQueryHandler(members_page, pattern=MembersPage.pattern()),
            CallbackQueryHandler(decide_match, pattern=DonorMatchChoice.pattern()),
            CommandHandler(commands.ADHERENTS.name, list_memberships),
            CommandHandler(commands.BILAN.name, summary),
            CommandHandler(commands.EXPORT.name, export),
        ],
    }

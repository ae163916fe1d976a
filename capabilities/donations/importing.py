"""Bulk import of payments (python -m bot donations import FILE.csv), every legal check applied.

A bulk import checks every row first (reads only) and writes the accepted ones at the end, in
date order: SQLite's single write lock is held for the writes, not for the whole file. A row
refused by the law is not stored (the report says why); money actually received is then
recorded "à rembourser" through /don, with a reason. Re-importing a file adds nothing: each
row's request key comes from its reference, or from its content (domain/donation_import.py).
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.paging import fit
from bot.settings import Settings
from bot.texts import t
from capabilities.donations import matches
from capabilities.donations.checking import (
    Entry,
    check_against,
    entry_of,
    finding_text,
    findings_from_json,
    is_cash,
    law_donor,
)
from capabilities.donations.config import PARTY
from capabilities.donations.labels import donor_name
from capabilities.donations.matches import identity
from capabilities.donations.recording import record
from domain import law
from domain.donation_import import parse_row, row_key
from domain.money import format_eur
from domain.text import TextError
from storage import donations as q
from storage import outbox
from storage import people as pq
from storage.models import CampaignLedger, Donation, Donor, Person

Identity = tuple[str, str, str]
# What a row may add to a known donor's record when the record has none.
_COMPLETED = ("elected_mandate", "sworn_declaration_at", "email", "civility")


@dataclass
class RowReport:
    line: int
    status: str  # ok | warned | refused
    amount_cents: int | None
    reasons: list[str] = field(default_factory=list)
    # The rule behind each reason (a finding's code, an input error's code), for the alert's groups.
    codes: list[str] = field(default_factory=list)
    donor: str = ""  # the donor's name, for the treasurers' alert only (never in the JSON report)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "status": self.status,
            "amount_cents": self.amount_cents,
            "reasons": self.reasons,
        }


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    added: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [r.as_dict() for r in sorted(self.rows, key=lambda r: r.line)], "added": self.added}


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    report: RowReport
    key: str
    entry: Entry | None = None
    donor: dict[str, Any] = field(default_factory=dict)
    near: list[Identity] = field(default_factory=list)  # same name, another address


def _reason(code: str, **values: Any) -> str:
    # Reasons of the import report are plain text (JSON and terminal), not Telegram HTML.
    return html.unescape(t("fr", code, **values))


def _reason_of(error: TextError) -> str:
    return _reason(error.code, **dict(error.params))


def _law_view(stored: Donor | None, fields: dict[str, Any]) -> law.Donor:
    """The donor the law sees: the stored record, completed by what the row adds (an élu's
    mandate, the sworn declaration) when the record has none; the row itself for a new donor."""
    if stored is None:
        return law_donor(fields)
    merged = {c.key: getattr(stored, c.key) for c in Donor.__table__.columns}
    for name in _COMPLETED:
        if not merged.get(name) and fields.get(name):
            merged[name] = fields[name]
    return law_donor(merged)


def _complete(stored: Donor, fields: dict[str, Any]) -> None:
    for name in _COMPLETED:
        if not getattr(stored, name) and fields.get(name):
            setattr(stored, name, fields[name])


def _read_rows(
    rows: Sequence[tuple[int, dict[str, str]]], today: date, ledger_rows: Sequence[CampaignLedger]
) -> list[_Row]:
    seen: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    parsed = []
    for line, raw in rows:
        amount, read, errors = parse_row(raw, today, ledger_rows)
        row = _Row(
            line,
            raw,
            RowReport(line, "refused", amount, [_reason_of(e) for e in errors], [e.code for e in errors]),
            row_key(raw, seen),
        )
        # The name as written, for a row refused before its donor could be read.
        row.report.donor = " ".join(raw.get(k, "").strip() for k in ("first_name", "last_name")).strip()
        if read is not None:
            row.entry = Entry(
                read.amount_cents,
                read.method,
                read.kind,
                read.received_on,
                read.ledger,
                provider=read.provider,
                provider_tx_id=read.provider_tx_id,
            )
            row.donor = read.donor
            row.report.donor = donor_name(read.donor, "fr")
        if row.key in first_line:
            # One reference is one payment: a second line with it is a duplicate, not a new gift.
            row.entry = None
            duplicate = _reason("imp.duplicate", value=raw.get("reference", ""), line=first_line[row.key])
            row.report.reasons.append(duplicate)
            row.report.codes.append("imp.duplicate")
        first_line.setdefault(row.key, line)
        parsed.append(row)
    return parsed


async def import_rows(
    session: AsyncSession,
    settings: Settings,
    rows: Sequence[tuple[int, dict[str, str]]],
    today: date,
    actor: Person | None = None,
) -> ImportReport:
    """Check every row in date order against the database and the rows before it, store the valid
    ones (in the caller's transaction) and report each. A refused row stores nothing."""
    report = ImportReport()
    ledger_rows = await q.campaign_ledgers(session)
    ledgers = {row.id: row for row in ledger_rows}
    parsed = _read_rows(rows, today, ledger_rows)
    existing = await q.existing_request_keys(session, [r.key for r in parsed])
    stored_donors = await q.all_donors(session)
    donors: dict[Identity, Donor] = {identity(d): d for d in stored_donors}
    asked = await q.matched_pairs(session)
    # Checks first, reads only: the history of each donor and the cash of each ledger are loaded
    # once and grow with the rows accepted so far. SQLite's write lock is then held only for the
    # writes at the end, not while the whole file is checked (the running bot keeps writing).
    histories: dict[Identity, list[law.Gift]] = {}
    names: dict[tuple[str, str], set[Identity]] = {}
    for known in donors:
        names.setdefault(known[:2], set()).add(known)
    cash: dict[str, int] = {}
    accepted: list[tuple[_Row, Entry, list[law.Finding]]] = []
    for row in sorted(parsed, key=lambda r: (r.entry.received_on if r.entry else date.min, r.line)):
        report.rows.append(row.report)
        entry = row.entry
        if entry is None:
            continue
        done = existing.get(row.key)
        if done is not None:
            _report_existing(row.report, done)
            continue
        donor_key = identity(row.donor)
        stored = donors.get(donor_key)
        if donor_key not in histories:
            gifts = await q.accepted_gifts_of(session, stored.id) if stored is not None else []
            histories[donor_key] = [entry_of(d).gift(ledgers) for d in gifts]
        if entry.ledger not in cash:
            cash[entry.ledger] = (
                await q.ledger_cash_total(session, entry.ledger) if entry.ledger != PARTY else 0
            )
        findings = check_against(
            settings,
            entry,
            _law_view(stored, row.donor),
            histories[donor_key],
            cash[entry.ledger],
            ledgers,
            today,
        )
        row.report.reasons = [finding_text(f, "fr") for f in findings]
        row.report.codes = [f.code for f in findings]
        if law.has_block(findings):
            continue
        row.near = sorted(
            other
            for other in names.get(donor_key[:2], set())
            if other != donor_key and not _decided(donors, asked, donor_key, other)
        )
        row.report.reasons += [
            _reason("imp.near_match", donor=_who(donors, other, row.donor)) for other in row.near
        ]
        row.report.codes += ["imp.near_match"] * len(row.near)
        names.setdefault(donor_key[:2], set()).add(donor_key)
        histories[donor_key].append(entry.gift(ledgers))
        if is_cash(entry.method):
            cash[entry.ledger] += entry.amount_cents
        accepted.append((row, entry, findings))
    warned = 0
    for row, entry, findings in accepted:  # in date order: register numbers follow the received dates
        donor_key = identity(row.donor)
        stored = donors.get(donor_key)
        if stored is None:
            stored = donors[donor_key] = await q.add_donor(session, **row.donor)
        else:
            _complete(stored, row.donor)
        await record(
            session,
            settings,
            entry,
            stored,
            findings=findings,
            request_key=row.key,
            actor=actor,
            alert=False,
            source="import",
            ledgers=ledgers,
            key_checked=True,
        )
        row.report.status = "warned" if findings or row.near else "ok"
        warned += bool(findings or row.near)
        report.added += 1
    # Same name, another address: the treasurers decide in chat, once per pair (oldest record kept).
    for row, _, _ in accepted:
        mine = donors[identity(row.donor)]
        for other_key in row.near:
            other = donors.get(other_key)
            pair = frozenset((mine.id, other.id)) if other is not None else None
            if other is None or pair is None or len(pair) < 2 or pair in asked:
                continue
            asked.add(pair)
            newer, older = (mine, other) if mine.id > other.id else (other, mine)
            await matches.ask_treasurers(session, settings, newer, older)
    if report.added:
        await _alert_import(session, report, warned)
        await pq.audit(session, actor, "donations.import", "", added=report.added, rows=len(rows))
    return report


def _decided(
    donors: dict[Identity, Donor], asked: set[frozenset[int]], mine: Identity, other: Identity
) -> bool:
    """True when the treasurers were already asked about these two stored records."""
    a, b = donors.get(mine), donors.get(other)
    return a is not None and b is not None and frozenset((a.id, b.id)) in asked


def _who(donors: dict[Identity, Donor], other: Identity, fields: dict[str, Any]) -> str:
    stored = donors.get(other)
    if stored is not None:
        return html.unescape(matches.describe_for_report(stored, "fr"))
    return _reason("imp.near_in_file", name=donor_name(fields, "fr"))


def _report_existing(report: RowReport, donation: Donation) -> None:
    findings = findings_from_json(donation.findings)
    report.status = "warned" if findings else "ok"
    report.amount_cents = donation.amount_cents
    report.reasons = [finding_text(f, "fr") for f in findings]
    report.reasons.append(_reason("imp.already", receipt=donation.receipt_number or donation.id))
    report.codes = [f.code for f in findings] + ["imp.already"]


async def _alert_import(session: AsyncSession, report: ImportReport, warned: int) -> None:
    refused = sum(1 for r in report.rows if r.status == "refused")
    digest = hashlib.sha256(repr([r.as_dict() for r in report.rows]).encode()).hexdigest()[:16]
    for person in await q.treasurers(session):
        text = alert_summary(person.language, report, warned, refused)
        await outbox.enqueue(
            session,
            person.telegram_id,
            text_message(text),
            dedupe_key=f"don:import:{digest}:{person.id}",
            person_id=person.id,
        )


NAMES_SHOWN = 600  # characters of names under one rule; the others counted ("et N autres")


@dataclass(frozen=True)
class RuleGroup:
    """The rows an import's rule concerns: refused (a block or unreadable input) or to complete."""

    code: str
    refused: bool
    label: str  # the rule in words (the first row's reason)
    rows: tuple[RowReport, ...]


def rule_groups(report: ImportReport) -> list[RuleGroup]:
    """The rows that need a look, grouped by rule: refusals first, then the most frequent."""
    found: dict[tuple[bool, str], list[tuple[RowReport, str]]] = {}
    for row in sorted(report.rows, key=lambda r: r.line):
        if row.status == "ok":
            continue
        refused = row.status == "refused"
        codes = row.codes or ["?"] * len(row.reasons)
        for code, reason in zip(codes, row.reasons, strict=False):
            if code == "imp.already":
                continue
            found.setdefault((refused, code), []).append((row, reason))
    groups = [
        RuleGroup(code, refused, pairs[0][1], tuple({r.line: r for r, _ in pairs}.values()))
        for (refused, code), pairs in found.items()
    ]
    return sorted(groups, key=lambda g: (not g.refused, -len(g.rows), g.code))


def join_whole(items: Sequence[str], limit: int, more: Callable[[int], str]) -> str:
    """Items joined by ", " within `limit` characters, never one cut: those left out are counted."""
    kept: list[str] = []
    size = 0
    for i, item in enumerate(items):
        left = len(items) - i - 1
        tail = len(more(left)) + 1 if left else 0
        needed = len(item) + (2 if kept else 0)
        if kept and size + needed + tail > limit:
            break
        kept.append(item)
        size += needed
    text = ", ".join(kept)
    left = len(items) - len(kept)
    return f"{text} {more(left)}" if left else text


def alert_summary(lang: str, report: ImportReport, warned: int, refused: int) -> str:
    """The treasurers' alert after an import: the totals, then each rule with the rows it concerns
    (donor name and line), refusals first; within one message, by whole lines."""
    lines = [t(lang, "imp.alert", added=report.added, warned=warned, refused=refused)]
    for group in rule_groups(report):
        title = "imp.alert_group_refused" if group.refused else "imp.alert_group"
        label = html.escape(_sentence(group.label), quote=False)
        lines.append("")
        lines.append(t(lang, title, rule=label, count=len(group.rows)))
        who = [
            t(lang, "imp.alert_who", name=html.escape(r.donor, quote=False), line=r.line)
            if r.donor
            else t(lang, "imp.alert_who_line", line=r.line)
            for r in group.rows
        ]
        lines.append(join_whole(who, NAMES_SHOWN, lambda n: t(lang, "imp.alert_more", count=n)))
    return fit(lines, lambda n: t(lang, "imp.alert_more_lines", count=n))


def _sentence(reason: str, limit: int = 240) -> str:
    """A rule's explanation, at most `limit` characters, cut after a whole word."""
    if len(reason) <= limit:
        return reason
    cut = reason[:limit].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + "…"


def format_report(report: ImportReport) -> str:
    """The French text report of the CLI."""
    lines = []
    for r in sorted(report.rows, key=lambda r: r.line):
        amount = format_eur(r.amount_cents, "fr") if r.amount_cents is not None else "—"
        lines.append(
            _reason("imp.line", line=r.line, status=_reason(f"imp.status.{r.status}"), amount=amount)
        )
        lines += [f"    - {reason}" for reason in r.reasons]
    lines.append(_reason("imp.total", added=report.added, count=len(report.rows)))
    return "\n".join(lines)

"""/bilan: the year's accepted payments by month, ledger, method, kind and origin (entered in the
bot, imported, HelloAsso), the goal, refunds, the campaign accounts (receipts, and expenses against
the official ceiling when the expenses ledger offers them) and the fundraising events against their
goals; in words and as a chart (chart.py)."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.settings import Settings
from bot.texts import plain, t
from capabilities.donations import chart
from capabilities.donations.config import ledger_map
from capabilities.donations.labels import day_words, kind_label, ledger_label, method_label
from domain.dates.formatting import format_date_babel as format_date  # babel: lazily
from domain.money import cents_of, format_eur
from domain.statuses import DonationKind, DonationStatus
from storage import donations as q
from storage import expenses
from storage.models import CampaignLedger, Donation

# Where a payment came from, read from its request key: "don:" the /don form, "imp:" a file
# import, "helloasso:" or "ha:" the HelloAsso sync; anything else was entered by hand.
SOURCES = ("saisie", "import", "helloasso")


def source_of(donation: Donation) -> str:
    key = donation.request_key or ""
    if key.startswith(("helloasso:", "ha:")):
        return "helloasso"
    if key.startswith("imp:"):
        return "import"
    return "saisie"


@dataclass(frozen=True)
class Campaign:
    """One campaign account, since it opened: receipts, and expenses when known."""

    ledger: str
    count: int
    receipts: int
    ceiling: int | None
    spent: int | None  # None: expenses unknown (the ceiling alone is shown)


@dataclass(frozen=True)
class Fundraiser:
    title: str
    day: date
    count: int
    raised: int
    goal: int | None


@dataclass
class Bilan:
    year: int
    total: int = 0
    count: int = 0
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    by_ledger: dict[str, int] = field(default_factory=dict)
    by_method: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    collections: int = 0  # cash collections (quêtes): outside the don totals (rule 8)
    collection_count: int = 0
    refund_count: int = 0
    refund_total: int = 0
    goal: int | None = None
    events: list[Fundraiser] = field(default_factory=list)
    ledgers: dict[str, CampaignLedger] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    campaigns: list[Campaign] = field(default_factory=list)


async def bilan(session: AsyncSession, settings: Settings, year: int) -> Bilan:
    goal = cents_of(settings.fundraising_goal_eur) if settings.fundraising_goal_eur else None
    # The goal is this year's: a past year's bilan is not measured against it (issue 18).
    goal = chart.goal_for_year(goal, year, datetime.now(settings.tz).year)
    out = Bilan(year, goal=goal, ledgers=await ledger_map(session))
    rows = await q.donations(session, start=date(year, 1, 1), end=date(year, 12, 31))
    sums: dict[str, Counter[str]] = {k: Counter() for k in ("ledger", "method", "kind", "source")}
    for d in rows:
        if d.status == DonationStatus.TO_REFUND:
            out.refund_count += 1
            out.refund_total += d.amount_cents
        if d.status != DonationStatus.RECORDED:
            continue
        if d.kind == DonationKind.QUETE:
            out.collections += d.amount_cents
            out.collection_count += 1
            continue
        out.total += d.amount_cents
        out.count += 1
        out.by_month[d.received_on.month - 1] += d.amount_cents
        sums["ledger"][d.ledger] += d.amount_cents
        sums["method"][d.method] += d.amount_cents
        sums["kind"][d.kind] += d.amount_cents
        sums["source"][source_of(d)] += d.amount_cents
    out.by_ledger, out.by_method, out.by_kind = (
        dict(sums[k].most_common()) for k in ("ledger", "method", "kind")
    )
    out.by_source = {k: sums["source"][k] for k in SOURCES if sums["source"][k]}
    out.campaigns = await _campaigns(session, out.ledgers)
    tz = settings.tz
    since = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    until = datetime(year, 12, 31, 23, 59, tzinfo=tz).astimezone(UTC)
    events = await q.levee_events(session, since, until)
    raised = await q.raised_by_event(session, [e.id for e in events])
    out.events = [
        Fundraiser(
            e.title, e.starts_at.astimezone(tz).date(), *raised.get(e.id, (0, 0)), e.fundraising_goal_cents
        )
        for e in events
    ]
    return out


async def _campaigns(session: AsyncSession, ledgers: Mapping[str, CampaignLedger]) -> list[Campaign]:
    totals = await q.totals_by_ledger(session)
    spent = await _expenses_by_ledger(session)
    return [
        Campaign(
            lid,
            *totals.get(lid, (0, 0)),
            ceiling=row.official_ceiling_cents,
            spent=spent.get(lid, 0),
        )
        for lid, row in sorted(ledgers.items(), key=lambda kv: (kv[1].city, kv[0]))
    ]


async def _expenses_by_ledger(session: AsyncSession) -> dict[str, int]:
    """Expenses per ledger (approved + paid claims, what the ceiling counts), in cents."""
    return (await expenses.totals(session)).by_ledger


async def year_bilan(services: Services, year: int) -> Bilan:
    async with services.db.session() as s:
        return await bilan(s, services.settings, year)


def month_name(lang: str, year: int, index: int, short: bool = False) -> str:
    locale = "en_GB" if lang == "en" else "fr_FR"
    return format_date(date(year, index + 1, 1), "MMM" if short else "MMMM", locale=locale)


def _goal_line(report: Bilan, lang: str) -> str:
    assert report.goal
    return t(
        lang,
        "bilan.goal",
        goal=format_eur(report.goal, lang),
        raised=format_eur(report.total, lang),
        percent=report.total * 100 // report.goal,
    )


def bilan_lines(report: Bilan, lang: str, today: date) -> list[str]:
    """The bilan in words (HTML): totals, goal, then each breakdown that has something."""
    year = report.year
    lines = [t(lang, "bilan.title", year=year, total=format_eur(report.total, lang), count=report.count)]
    if report.goal:
        lines.append(_goal_line(report, lang))
    if report.total:
        lines.append(t(lang, "bilan.by_month"))
        lines += [
            t(lang, "bilan.line", label=month_name(lang, year, i), amount=format_eur(v, lang))
            for i, v in enumerate(report.by_month)
            if v
        ]
    breakdowns: list[tuple[str, Mapping[str, int], dict[str, str]]] = [
        (
            "bilan.by_ledger",
            report.by_ledger,
            {k: ledger_label(lang, k, report.ledgers) for k in report.by_ledger},
        ),
        ("bilan.by_method", report.by_method, {k: method_label(lang, k) for k in report.by_method}),
        ("bilan.by_kind", report.by_kind, {k: kind_label(lang, k) for k in report.by_kind}),
    ]
    for title, values, labels in breakdowns:
        if values:
            lines.append(t(lang, title))
            lines += [
                t(lang, "bilan.line", label=labels[k], amount=format_eur(v, lang)) for k, v in values.items()
            ]
    if report.collection_count:
        amount = format_eur(report.collections, lang)
        lines.append(t(lang, "bilan.collections", count=report.collection_count, amount=amount))
    if report.by_source:
        lines.append(t(lang, "bilan.by_source"))
        lines += [
            t(lang, "bilan.line", label=t(lang, f"bilan.source.{k}"), amount=format_eur(v, lang))
            for k, v in report.by_source.items()
        ]
    if report.refund_count:
        refunds = format_eur(report.refund_total, lang)
        lines.append(t(lang, "bilan.refunds", count=report.refund_count, amount=refunds))
    if report.campaigns:
        lines.append(t(lang, "bilan.campaigns"))
        for c in report.campaigns:
            lines += _campaign_lines(c, report.ledgers, lang)
    if report.events:
        lines.append(t(lang, "bilan.events"))
        lines += [_event_line(e, lang, today) for e in report.events]
    return lines


def _campaign_lines(c: Campaign, ledgers: Mapping[str, CampaignLedger], lang: str) -> list[str]:
    label = ledger_label(lang, c.ledger, ledgers)
    lines = [
        t(lang, "bilan.campaign_line", label=label, receipts=format_eur(c.receipts, lang), count=c.count)
    ]
    ceiling = format_eur(c.ceiling, lang) if c.ceiling else None
    if c.spent is not None and c.ceiling:
        percent = c.spent * 100 // c.ceiling
        spent = format_eur(c.spent, lang)
        lines.append(t(lang, "bilan.campaign_spent", spent=spent, ceiling=ceiling, percent=percent))
    elif c.spent is not None:
        lines.append(t(lang, "bilan.campaign_spent_no_ceiling", spent=format_eur(c.spent, lang)))
    elif ceiling:
        lines.append(t(lang, "bilan.campaign_ceiling", ceiling=ceiling))
    return lines


def _event_line(e: Fundraiser, lang: str, today: date) -> str:
    values = {
        "title": e.title,
        "day": day_words(e.day, lang, today),
        "count": e.count,
        "amount": format_eur(e.raised, lang),
    }
    if not e.goal:
        return t(lang, "bilan.event_line", **values)
    return t(
        lang,
        "bilan.event_goal_line",
        goal=format_eur(e.goal, lang),
        percent=e.raised * 100 // e.goal,
        **values,
    )


@functools.lru_cache(maxsize=16)
def _drawn(
    labels: tuple[str, ...],
    cents: tuple[int, ...],
    goal: int | None,
    raised: int,
    title: str,
    progress: str,
    lang: str,
) -> bytes:
    # Drawing takes ~0.2 s of processor time; the same figures give the same picture, so a
    # treasurer opening /bilan again (or the Mini App's ledger) gets it at once.
    return chart.bilan_chart(
        labels, cents, goal_cents=goal, raised_cents=raised, title=title, progress_label=progress, lang=lang
    )


async def bilan_png(report: Bilan, lang: str) -> bytes:
    """The chart of the bilan (drawn in a worker thread: the event loop stays free)."""
    year = report.year
    return await asyncio.to_thread(
        _drawn,
        tuple(month_name(lang, year, i, short=True) for i in range(12)),
        tuple(report.by_month),
        report.goal,
        report.total,
        t(lang, "bilan.chart_title", year=year),
        plain(_goal_line(report, lang)) if report.goal else "",
        lang,
    )

"""The ledger in words (HTML for Telegram): labels, donor cards, payments, the law's findings.

Every sentence comes from the text catalog (bot/texts/donations.py). Findings that reveal a
donor's history (yearly total, election total, cash splitting) are shown in full to treasurers
only; collectors and coordinators see the rule, not the figure.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from bot.texts import CATALOG, Html, t
from capabilities.donations.checking import HISTORY_CODES, DonorSource, field_of, finding_text
from capabilities.donations.config import PARTY
from domain import law
from domain.dates import format_day
from domain.money import format_eur
from domain.statuses import DonationKind, DonationStatus, DonorType
from storage.models import CampaignLedger, Donation, Donor, Person


def _label(lang: str, key: str, fallback: str) -> str:
    return t(lang, key) if key in CATALOG.get(lang, CATALOG["fr"]) else fallback


def method_label(lang: str, method: str) -> str:
    return _label(lang, f"money.method.{method}", method)


def kind_label(lang: str, kind: str) -> str:
    return _label(lang, f"money.kind.{kind}", kind)


def status_label(lang: str, status: str) -> str:
    return _label(lang, f"money.status.{status}", status)


def ledger_label(lang: str, ledger_id: str, ledgers: Mapping[str, CampaignLedger]) -> str:
    if ledger_id == PARTY:
        return t(lang, "money.ledger.party")
    row = ledgers.get(ledger_id)
    if row is None:
        return ledger_id
    return t(lang, "money.ledger.campaign", city=row.city, election=row.election_id)


def donor_name(donor: DonorSource | None, lang: str = "fr") -> str:
    if donor is None:
        return t(lang, "money.anonymous")
    if field_of(donor, "donor_type") == DonorType.MORALE:
        return field_of(donor, "organisation") or field_of(donor, "last_name") or "?"
    parts = [field_of(donor, "civility"), field_of(donor, "first_name"), field_of(donor, "last_name")]
    return " ".join(p for p in parts if p) or "?"


def country_names(codes: str | None, lang: str) -> str:
    """ "FR/BE" as the reader says it ("France et Belgique"): people never read ISO codes."""
    if not codes:
        return "—"
    from babel import Locale

    names = Locale(lang).territories
    parts = [names.get(code, code) for code in codes.split("/")]
    return t(lang, "money.and").join(parts)


def donor_card(donor: DonorSource, lang: str) -> str:
    """The identity the CNCCFP needs, for the treasurer's summary (HTML, values escaped)."""
    nationality = country_names(field_of(donor, "nationality"), lang)
    residence = country_names(field_of(donor, "tax_residence") or field_of(donor, "country"), lang)
    town = f"{field_of(donor, 'postcode') or ''} {field_of(donor, 'city') or ''}".strip()
    country = field_of(donor, "country")
    place = country_names(country, lang) if country else None
    address = ", ".join(p for p in (field_of(donor, "address"), town, place) if p)
    key = "money.card_morale" if field_of(donor, "donor_type") == DonorType.MORALE else "money.card"
    sworn = field_of(donor, "sworn_declaration_at")
    return t(
        lang,
        key,
        name=donor_name(donor, lang),
        address=address or "—",
        nationality=nationality,
        residence=residence,
        email=field_of(donor, "email") or "—",
        mandate=field_of(donor, "elected_mandate") or "—",
        sworn=t(lang, "money.sworn_yes") if sworn else t(lang, "money.sworn_no"),
    )


def day_words(day: date, lang: str, today: date) -> str:
    return format_day(day, lang, now=datetime(today.year, today.month, today.day, 12, tzinfo=UTC))


def finding_lines(findings: Iterable[law.Finding], lang: str, full: bool = True) -> list[str]:
    """One HTML line per finding; `full=False` hides figures drawn from the donor's history."""
    lines = []
    for f in findings:
        if full or f.code not in HISTORY_CODES:
            text = finding_text(f, lang)
        else:
            text = t(lang, f"money.hidden_{f.level}", article=f.article)
        lines.append(t(lang, f"money.finding_{f.level}", text=Html(html.escape(text, quote=False))))
    return lines


def donation_line(
    lang: str, d: Donation, ledgers: Mapping[str, CampaignLedger], full: bool, today: date | None = None
) -> str:
    """The payment in one block; `full` adds the donor (treasurers only)."""
    today = today or datetime.now(UTC).date()
    text = t(
        lang,
        "money.donation_line",
        id=d.id,
        amount=format_eur(d.amount_cents, lang),
        kind=kind_label(lang, d.kind),
        method=method_label(lang, d.method),
        day=day_words(d.received_on, lang, today),
        ledger=ledger_label(lang, d.ledger, ledgers),
        status=status_label(lang, d.status),
        receipt=d.receipt_number or "—",
    )
    if full:
        text += "\n" + t(lang, "money.donor_line", donor=donor_name(d.donor, lang))
    return text


def donation_button(lang: str, d: Donation) -> str:
    """A payment in the /dons list: number, amount, donor, and its status unless recorded."""
    text = f"#{d.id} · {format_eur(d.amount_cents, lang)} · {donor_name(d.donor, lang)}"[:60]
    return text + ("" if d.status == DonationStatus.RECORDED else f" · {status_label(lang, d.status)}")


def alert_text(
    lang: str,
    donation: Donation,
    findings: Sequence[law.Finding],
    actor: Person | None,
    ledgers: Mapping[str, CampaignLedger],
) -> str:
    refused = donation.status == DonationStatus.TO_REFUND
    who = actor.first_name if actor else "coordo"
    lines = [t(lang, "money.alert_refund" if refused else "money.alert_title", who=who)]
    # The law's remarks before the details: what needs the treasurer's attention comes first.
    lines += finding_lines(findings, lang)
    lines.append(donation_line(lang, donation, ledgers, full=True))
    if refused and donation.reason:
        lines.append(t(lang, "money.reason_line", reason=donation.reason))
    return "\n".join(lines)


def summary_text(
    lang: str,
    d: Mapping[str, Any],
    findings: Sequence[law.Finding],
    donor: Donor | None,
    ledgers: Mapping[str, CampaignLedger],
) -> str:
    """The /don form's summary before Confirmer: who, what, and the law's remarks."""
    source: DonorSource | None = donor if donor is not None else d.get("donor")
    if source is None:
        who = t(lang, "money.anonymous")
    elif d["treasurer"] or d.get("donor") is not None:
        who = donor_card(source, lang)
    else:
        who = t(lang, "don.donor_name_only", name=donor_name(source, lang))
    lines = [
        t(lang, "don.summary_title"),
        who,
        t(
            lang,
            "don.summary",
            amount=format_eur(d["amount"], lang),
            method=method_label(lang, d["method"]),
            day=day_words(d["received_on"], lang, d["today"]),
            ledger=ledger_label(lang, d["ledger"], ledgers),
            kind=kind_label(lang, d["kind"]),
        ),
    ]
    if d.get("provider"):
        lines.append(t(lang, "don.summary_provider", provider=d["provider"], tx=d.get("provider_tx_id", "")))
    if d["kind"] == DonationKind.COTISATION and d.get("mkind"):
        lines.append(t(lang, "don.summary_mkind", kind=d["mkind"]))
    if d.get("event_id"):
        lines.append(t(lang, "don.summary_event", title=dict(d["events"]).get(d["event_id"], "?")))
    lines.append("")
    if findings:
        lines += finding_lines(findings, lang, full=d["treasurer"])
    else:
        lines.append(t(lang, "don.no_finding"))
    if law.has_block(findings):
        lines.append("")
        lines.append(t(lang, "don.blocked_treasurer" if d["treasurer"] else "don.blocked_other"))
    return "\n".join(lines)

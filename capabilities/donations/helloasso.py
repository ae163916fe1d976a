"""HelloAsso payments → the register, through the same checks and recording as /don and the import.

Choices (docs/helloasso-notes.md has the API research):

* A notification is a trigger only: the payment is fetched again from the API (with the bot's own
  token) and recorded by ``record_payment``, the function the periodic sync uses too.
* Each payment is recorded once: request key "helloasso:<id>" (and "helloasso:<id>:<kind>" for a
  second kind in the same payment, e.g. a cotisation with a don added), a payment a treasurer
  typed in /don ("HelloAsso <id>") counts as recorded, and recorders are serialised by a lock
  row, so a notification racing the sync, or two syncs, give one row.
* The association's money is ``Payment.amount_cents``: the tip to HelloAsso is never counted.
* The payer is the donor. A payer with a company is a legal person: stored "à rembourser" and the
  treasurers told how to refund on HelloAsso. HelloAsso never sends the nationality, so the donor
  is matched to a stored record (same name and address); a payer the register does not know is
  held (nothing stored) and the treasurers asked to record it with /don once they know it, rather
  than presuming a nationality.
* A refunded or contested payment reverses its rows once (status "refunded": the money is gone,
  out of the caps). A chargeback is treated like a refund: the bank has already taken the money.
  A reversed gift linked to a fundraiser marks its group posts dirty, as a treasurer's correction
  does (capabilities/donations/corrections.py cannot serve here: it only refunds gifts already
  "à rembourser", and a refund on HelloAsso also reverses gifts the law accepted).
* An event ticket (or a shop item) is money with something in return: docs/legal-rules.md has no
  kind for it (kinds don / cotisation / cotisation_élu, rule 30) and counts it in the caps like
  any payment to the party (rule 5), with the WARN ``no_tax_reduction_consideration`` (rule 31).
  So a ticket is a "don" checked with ``has_consideration``; a don added on the same form is a
  second row without it. Both count toward the event whose HelloAsso form took them.
* The sync reads from the last payment date seen minus a day, and never less than LOOKBACK back,
  since a refund or chargeback of an older payment does not move its date (notes, point 4).
"""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.donations.checking import (
    Entry,
    check_against,
    entry_of,
    finding_text,
    findings_from_json,
    law_donor,
)
from capabilities.donations.config import PARTY, ledger_map, today_in
from capabilities.donations.labels import donor_name, method_label
from capabilities.donations.matches import identity
from capabilities.donations.memberships import void_memberships
from capabilities.donations.recording import record, snapshot
from domain import law
from domain.money import format_eur
from domain.statuses import DonationKind, DonationStatus, DonorType, PaymentMethod
from storage import donations as q
from storage import events as eq
from storage import helloasso as hq
from storage import outbox
from storage import people as pq
from storage.models import Donation, Donor

if TYPE_CHECKING:
    from integrations.helloasso import HelloAssoClient, HelloAssoSettings, Payment

log = logging.getLogger(__name__)

PROVIDER = "HelloAsso"
STATE_KEY = "helloasso.sync"
LOCK_KEY = "helloasso.lock"
CLIENT_EXTRA = "helloasso.client"
OVERLAP = timedelta(days=1)
LOOKBACK = timedelta(days=62)
# Item types booked as a cotisation; the form type decides when a payment has no items.
_MEMBERSHIP_ITEMS = frozenset({"Membership"})
_DON_ITEMS = frozenset({"Donation", "MonthlyDonation", "OfflineDonation"})
# Forms and item types that give something in return (a seat, an object): docs/legal-rules.md rule 31.
_TICKET_FORMS = frozenset({"Event", "Shop"})
_TICKET_ITEMS = frozenset({"Registration", "Product"})
TICKET = "billet"  # a part's label, not a kind: stored as a don checked with has_consideration


@dataclass
class PaymentReport:
    id: int
    status: str  # ok | warned | refused | skipped
    amount_cents: int
    reasons: list[str] = field(default_factory=list)
    added: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "amount_cents": self.amount_cents,
            "reasons": self.reasons,
        }


@dataclass
class SyncReport:
    payments: list[PaymentReport] = field(default_factory=list)
    added: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"payments": [p.as_dict() for p in self.payments], "added": self.added}


@dataclass
class _Part:
    suffix: str  # "" for the payment's main kind
    kind: str
    amount_cents: int
    ticket: bool = False  # something in return: no tax reduction (rule 31)


@dataclass
class _TicketEntry(Entry):
    """A ticket's entry: the law sees a payment with something in return."""

    def gift(self, ledgers: Any) -> law.Gift:
        return dataclasses.replace(super().gift(ledgers), has_consideration=True)


def _plain(lang: str, key: str, **values: Any) -> str:
    return html.unescape(t(lang, key, **values))


# --- Settings and the client -----------------------------------------------------------------------


def configured(settings: Settings) -> bool:
    return bool(
        settings.helloasso_client_id
        and settings.helloasso_client_secret.get_secret_value()
        and settings.helloasso_organization_slug
    )


def client_settings(settings: Settings) -> HelloAssoSettings:
    from integrations.helloasso import HelloAssoSettings

    return HelloAssoSettings(
        client_id=settings.helloasso_client_id,
        client_secret=settings.helloasso_client_secret,
        organization_slug=settings.helloasso_organization_slug,
        api_url=settings.helloasso_api_url,
    )


def client_of(services: Services) -> HelloAssoClient:
    """One client per process: its access token (30 min) is reused across runs, as HelloAsso asks."""
    client = services.extras.get(CLIENT_EXTRA)
    if client is None:
        from integrations.helloasso import HelloAssoClient

        client = services.extras[CLIENT_EXTRA] = HelloAssoClient(client_settings(services.settings))
    return client  # type: ignore[return-value]


# --- The sync ------------------------------------------------------------------------------------------


def start_of(since: date, settings: Settings) -> datetime:
    return datetime.combine(since, time(), tzinfo=settings.tz)


async def sync(
    services: Services,
    since: datetime | None = None,
    now: datetime | None = None,
    client: HelloAssoClient | None = None,
) -> SyncReport:
    """Fetch every payment from ``since`` (default: the last date seen, see LOOKBACK) and record
    each one, oldest first. Running it again adds nothing."""
    now = now or datetime.now(UTC)
    client = client or client_of(services)
    async with services.transaction() as s:
        known = await hq.state(s, STATE_KEY)
    last = _parse(known.get("last"))
    if since is None:
        if last is None:  # first run: this calendar year, the caps' period
            since = start_of(date(today_in(services.settings, now).year, 1, 1), services.settings)
        else:
            since = min(last - OVERLAP, now - LOOKBACK)
    payments = [p async for p in client.payments(since)]
    report = SyncReport()
    epoch = datetime.min.replace(tzinfo=UTC)
    for payment in sorted(payments, key=lambda p: (p.date or epoch, p.id)):
        one = await record_payment(services, payment, now)
        report.payments.append(one)
        report.added += one.added
    dates = [p.date for p in payments if p.date is not None]
    if dates:
        newest = max(dates)
        async with services.transaction() as s:
            await hq.take_lock(s, LOCK_KEY)
            current = _parse((await hq.state(s, STATE_KEY)).get("last"))
            if current is None or newest > current:  # never moves backwards (concurrent runs)
                await hq.save_state(s, STATE_KEY, {"last": newest.isoformat()})
    return report


async def run(services: Services, now: datetime) -> int:
    """The periodic job: one sync; nothing when HelloAsso is not configured."""
    if not configured(services.settings):
        return 0
    from integrations.helloasso import HelloAssoError

    try:
        report = await sync(services, now=now)
    except HelloAssoError as exc:
        log.warning("HelloAsso sync failed: %s", exc)  # messages never hold a token
        return 0
    return report.added


async def notified(services: Services, body: bytes, now: datetime | None = None) -> list[PaymentReport]:
    """A notification: its ids only, each payment fetched again from the API and recorded."""
    client = client_of(services)
    trigger = client.parse_notification(body)
    if trigger is None:
        return []
    now = now or datetime.now(UTC)
    return [await record_payment(services, p, now) for p in await client.payments_for(trigger)]


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# --- One payment ----------------------------------------------------------------------------------------


def parts_of(payment: Payment) -> list[_Part]:
    """The payment's money by kind, tip excluded: a Membership form's extra don is a don, an Event
    form's tickets are dons with something in return and its extra don a plain don."""
    form = payment.form_type or ""
    ticket_form = form in _TICKET_FORMS
    main: str = (
        DonationKind.COTISATION if form == "Membership" else TICKET if ticket_form else DonationKind.DON
    )
    sums: dict[str, int] = {}
    for item in payment.items:
        label: str
        if item.type in _MEMBERSHIP_ITEMS:
            label = DonationKind.COTISATION
        elif item.type in _DON_ITEMS:
            label = DonationKind.DON
        elif item.type in _TICKET_ITEMS:
            label = TICKET
        else:
            label = main
        sums[label] = sums.get(label, 0) + item.amount_cents
    if not sums or sum(sums.values()) != payment.amount_cents:
        sums = {main: payment.amount_cents}  # items that do not add up: the whole, as the form says
    ordered = sorted(sums.items(), key=lambda kv: kv[0] != main)
    return [
        _Part(
            "" if n == 0 else f":{label}",
            DonationKind.DON if label == TICKET else label,
            cents,
            ticket=label == TICKET,
        )
        for n, (label, cents) in enumerate(ordered)
        if cents > 0
    ]


def _country(code: str | None) -> str:
    """HelloAsso's alpha-3 ("FRA") as the register's alpha-2 ("FR")."""
    if not code:
        return ""
    code = code.strip().upper()
    if len(code) == 2:
        return code
    from babel.core import get_global

    aliases = get_global("territory_aliases").get(code)
    return str(aliases[0]) if aliases and len(aliases[0]) == 2 else ""


# Offline payments the association entered itself (state Registered) keep their real means: cash
# is capped at 150 € (rule 7). Everything paid online is "plateforme" with HelloAsso's id (rule 9).
_OFFLINE_METHODS = {
    "Cash": PaymentMethod.ESPECES,
    "Check": PaymentMethod.CHEQUE,
    "BankTransfer": PaymentMethod.VIREMENT,
}


def method_of(payment: Payment) -> str:
    if payment.state == "Registered" and payment.means in _OFFLINE_METHODS:
        return _OFFLINE_METHODS[payment.means]
    return PaymentMethod.PLATEFORME


def donor_fields(payment: Payment) -> dict[str, Any]:
    payer = payment.payer
    fields: dict[str, Any] = {
        "donor_type": DonorType.MORALE if payer.is_company else DonorType.PHYSIQUE,
        "first_name": payer.first_name or "",
        "last_name": payer.last_name or "",
        "organisation": payer.company or "",
        "address": payer.address or "",
        "postcode": payer.postcode or "",
        "city": payer.city or "",
        "country": _country(payer.country),
        "email": payer.email or "",
    }
    return fields


async def record_payment(services: Services, payment: Payment, now: datetime) -> PaymentReport:
    """Record one payment as the API says it is now: once, with every check of the law."""
    try:
        async with services.transaction() as s:
            return await _record(s, services.settings, payment, now)
    except IntegrityError:
        # Another recorder stored it between our check and our insert: it is recorded once.
        async with services.transaction() as s:
            rows = await hq.donations_of_payment(s, payment.id)
            return _existing(payment, rows)


async def _record(s: AsyncSession, settings: Settings, payment: Payment, now: datetime) -> PaymentReport:
    await hq.take_lock(s, LOCK_KEY)
    rows = await hq.donations_of_payment(s, payment.id)
    if payment.is_refunded or payment.is_contested:
        return await _reverse(s, payment, rows)
    if rows:
        report = _existing(payment, rows)
        if payment.is_partially_refunded:
            report.reasons.append(_plain("fr", "ha.partial", amount=format_eur(payment.refunded_cents, "fr")))
        return report
    if not payment.is_paid:
        return PaymentReport(
            payment.id, "skipped", payment.amount_cents, [_plain("fr", "ha.not_paid", state=payment.state)]
        )
    today = today_in(settings, now)
    received = (payment.date or now).astimezone(settings.tz).date()
    fields = donor_fields(payment)
    stored: Donor | None = None
    if not payment.is_company:
        wanted = identity(fields)
        stored = next((d for d in await q.all_donors(s) if identity(d) == wanted), None)
    source: Any = stored if stored is not None else fields
    ledgers = await ledger_map(s)
    event_id = None
    if payment.form_slug:  # tickets and dons of the fundraiser's own form count toward it
        event = await hq.event_by_form_slug(s, payment.form_slug)
        event_id = event.id if event is not None else None
    notes = []
    if payment.tip_cents:
        notes.append(_plain("fr", "ha.tip", amount=format_eur(payment.tip_cents, "fr")))
    if payment.fiscal_receipt_url:
        notes.append(_plain("fr", "ha.fiscal_receipt"))
    parts = parts_of(payment)
    viewed = law_donor(source)
    gifts = await q.accepted_gifts_of(s, stored.id) if stored is not None else []
    history = [entry_of(d).gift(ledgers) for d in gifts]
    checked: list[tuple[_Part, Entry, list[law.Finding]]] = []
    for part in parts:
        entry = (_TicketEntry if part.ticket else Entry)(
            part.amount_cents,
            method_of(payment),
            part.kind,
            received,
            PARTY,
            provider=PROVIDER,
            provider_tx_id=str(payment.id),
            event_id=event_id,
        )
        # Online money: no cash on the ledger to add up. Earlier parts of this payment count.
        checked.append((part, entry, check_against(settings, entry, viewed, history, 0, ledgers, today)))
        history = [*history, entry.gift(ledgers)]
    every = [f for _, _, fs in checked for f in fs]
    blocks = [f for f in every if f.level == "block"]
    total = sum(p.amount_cents for p in parts)
    reasons = [finding_text(f, "fr") for f in every] + notes
    if blocks and all(f.code == "donor_identity_incomplete" for f in blocks) and not payment.is_company:
        # Not refused by the law: the register lacks facts HelloAsso does not send (nationality).
        await _held_alert(s, payment, fields, blocks)
        return PaymentReport(payment.id, "skipped", total, [*reasons, _plain("fr", "ha.held", id=payment.id)])
    donor = stored or await q.add_donor(s, **fields)
    status = DonationStatus.TO_REFUND if blocks else DonationStatus.RECORDED
    added = 0
    for part, entry, findings in checked:
        donation, created = await record(
            s,
            settings,
            entry,
            donor,
            findings=findings if law.has_block(findings) or not blocks else [*blocks, *findings],
            request_key=f"{hq.KEY_PREFIX}{payment.id}{part.suffix}",
            actor=None,
            status=status,
            reason=_plain("fr", _refund_key(payment, "ha.refund_reason"), id=payment.id) if blocks else "",
            source="helloasso",
            ledgers=ledgers,
        )
        added += created
        if blocks and created:
            await _refund_alert(s, payment, donation, blocks)
    if blocks:
        return PaymentReport(payment.id, "refused", total, reasons, added)
    return PaymentReport(payment.id, "warned" if every else "ok", total, reasons, added)


def _existing(payment: Payment, rows: Sequence[Donation]) -> PaymentReport:
    findings = [f for d in rows for f in findings_from_json(d.findings)]
    refused = any(d.status in (DonationStatus.TO_REFUND,) for d in rows)
    reversed_ = rows and all(d.status == DonationStatus.REFUNDED for d in rows)
    status = "skipped" if reversed_ else "refused" if refused else "warned" if findings else "ok"
    reasons = [finding_text(f, "fr") for f in findings]
    numbers = ", ".join(d.receipt_number or f"#{d.id}" for d in rows)
    reasons.append(_plain("fr", "ha.already", receipt=numbers))
    return PaymentReport(payment.id, status, sum(d.amount_cents for d in rows), reasons)


async def _reverse(s: AsyncSession, payment: Payment, rows: Sequence[Donation]) -> PaymentReport:
    """A refund or chargeback: each row still counted becomes "refunded", once."""
    what = "contested" if payment.is_contested else "refunded"
    if not rows:
        return PaymentReport(
            payment.id, "skipped", payment.amount_cents, [_plain("fr", f"ha.{what}_unrecorded")]
        )
    reasons = []
    for donation in rows:
        if donation.status not in (DonationStatus.RECORDED, DonationStatus.TO_REFUND):
            continue
        before = snapshot(donation)
        donation.status = DonationStatus.REFUNDED
        donation.reason = _plain("fr", f"ha.{what}_reason", id=payment.id)
        donation.updated_at = datetime.now(UTC)
        await void_memberships(s, donation.id)
        await s.flush()
        if donation.event_id is not None:  # the fundraiser's group post shows the lower total
            await eq.mark_dirty(s, donation.event_id)
        await pq.audit(
            s,
            None,
            "donation.refunded",
            f"donation:{donation.id}",
            before=before,
            after=snapshot(donation),
            source="helloasso",
        )
        for person in await q.treasurers(s):
            text = t(
                person.language,
                "ha.reversed_alert",
                id=payment.id,
                what=t(person.language, f"ha.what.{what}"),
                donation=donation.id,
                amount=format_eur(donation.amount_cents, person.language),
            )
            await outbox.enqueue(
                s,
                person.telegram_id,
                text_message(text),
                dedupe_key=f"ha:reversed:{donation.id}:{person.id}",
                person_id=person.id,
            )
        reasons.append(_plain("fr", "ha.reversed", id=donation.id))
    if not reasons:
        reasons.append(_plain("fr", "ha.already_reversed"))
    return PaymentReport(payment.id, "skipped", sum(d.amount_cents for d in rows), reasons)


def _refund_key(payment: Payment, key: str) -> str:
    """Money the association entered itself (cash, cheque, transfer) never went through HelloAsso:
    it is given back by hand, not from the HelloAsso back office."""
    return f"{key}_offline" if method_of(payment) != PaymentMethod.PLATEFORME else key


async def _refund_alert(
    s: AsyncSession, payment: Payment, donation: Donation, blocks: Sequence[law.Finding]
) -> None:
    for person in await q.treasurers(s):
        lang = person.language
        text = t(
            lang,
            _refund_key(payment, "ha.refund_alert"),
            method=method_label(lang, donation.method),
            id=payment.id,
            amount=format_eur(payment.amount_cents, lang),
            tip=format_eur(payment.tip_cents, lang),
            why=" ; ".join(finding_text(f, lang) for f in blocks)[:1500],
        )
        await outbox.enqueue(
            s,
            person.telegram_id,
            text_message(text[:4000]),
            dedupe_key=f"ha:refund:{payment.id}:{person.id}",
            person_id=person.id,
        )


async def _held_alert(
    s: AsyncSession, payment: Payment, fields: dict[str, Any], blocks: Sequence[law.Finding]
) -> None:
    for person in await q.treasurers(s):
        lang = person.language
        text = t(
            lang,
            "ha.held_alert",
            id=payment.id,
            amount=format_eur(payment.amount_cents, lang),
            payer=donor_name(fields, lang),
            why=" ; ".join(finding_text(f, lang) for f in blocks)[:1500],
        )
        await outbox.enqueue(
            s,
            person.telegram_id,
            text_message(text[:4000]),
            dedupe_key=f"ha:held:{payment.id}:{person.id}",
            person_id=person.id,
        )


# --- Payouts: one bank line per HelloAsso payout ----------------------------------------------------


@dataclass
class Payout:
    id: int | None  # None: not paid out yet
    date: datetime | None
    count: int = 0
    amount_cents: int = 0  # the association's money: tips excluded
    tip_cents: int = 0
    payments: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "payout_id": self.id,
            "date": self.date.date().isoformat() if self.date else None,
            "count": self.count,
            "amount_cents": self.amount_cents,
            "tip_cents": self.tip_cents,
            "payments": self.payments,
        }


def group_payouts(payments: Sequence[Payment], first: date, last: date, tz: Any) -> list[Payout]:
    """Payments paid out between ``first`` and ``last`` (payout date, local), by payout; payments
    of the period not paid out yet (by payment date) under ``None``. Refunded ones are left out."""
    groups: dict[int | None, Payout] = {}
    for p in payments:
        if not p.is_paid:
            continue
        when = p.payout_date if p.payout_id is not None else p.date
        if when is None or not first <= when.astimezone(tz).date() <= last:
            continue
        group = groups.setdefault(p.payout_id, Payout(p.payout_id, p.payout_date if p.payout_id else None))
        group.count += 1
        group.amount_cents += p.amount_cents
        group.tip_cents += p.tip_cents
        group.payments.append(p.id)
    return sorted(
        groups.values(), key=lambda g: (g.id is None, g.date or datetime.max.replace(tzinfo=UTC), g.id or 0)
    )


async def payouts(services: Services, month: date, client: HelloAssoClient | None = None) -> list[Payout]:
    """The month's payouts, for reconciling each with its bank line. Payments are read from two
    months before (a payout groups payments of the weeks before it)."""
    client = client or client_of(services)
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    since = start_of((first - timedelta(days=62)).replace(day=1), services.settings)
    found = [p async for p in client.payments(since)]
    return group_payouts(found, first, last, services.settings.tz)


def format_payouts(groups: Sequence[Payout], lang: str = "fr") -> str:
    lines = []
    for g in groups:
        key = "ha.payout_line" if g.id is not None else "ha.payout_pending"
        lines.append(
            _plain(
                lang,
                key,
                id=g.id or "",
                date=g.date.date().isoformat() if g.date else "",
                count=g.count,
                amount=format_eur(g.amount_cents, lang),
                tip=format_eur(g.tip_cents, lang),
            )
        )
        lines.append("    " + ", ".join(str(i) for i in g.payments))
    return "\n".join(lines) or _plain(lang, "ha.payout_none")

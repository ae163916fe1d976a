"""HelloAsso API v5 payments, parsed into frozen dataclasses. Pure: no I/O, no clock, no logging.

What the fields mean, and every guess made where HelloAsso's documentation is silent, is written
in docs/helloasso-notes.md. The recording layer applies the law of docs/legal-rules.md; this
module only hands it facts: a payment's id for rule 9, the payer's identity and address for
rule 8, the company flag for rules 4 and 22, the item types for rule 30, the means for rule 7
and the fiscal receipt HelloAsso may have issued for rule 10.

``payment_from_json`` accepts anything JSON can hold: a missing or mistyped field becomes None
(or 0, or ""), never an exception; only a payment without a usable id is refused, since such a
payment could not be recorded once and only once. A notification body is never trusted:
``parse_notification`` only says which payments to fetch again from the API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# HelloAsso ids are int32 in the OpenAPI description.
MAX_ID = 2**31 - 1
# A notification larger than this is not from HelloAsso (theirs are a few kB).
MAX_NOTIFICATION_BYTES = 256 * 1024
# An Order notification listing more payments than this is not believed either.
MAX_PAYMENTS_PER_ORDER = 100

# PaymentState values (OpenAPI enum HelloAsso.Api.V5.Common.Models.Enums.PaymentState).
STATE_AUTHORIZED = "Authorized"
STATE_REGISTERED = "Registered"  # an offline payment the association entered itself
STATE_REFUNDED = "Refunded"
STATE_REFUNDING = "Refunding"
STATE_CONTESTED = "Contested"
STATE_UNKNOWN = "Unknown"
PAID_STATES = frozenset({STATE_AUTHORIZED, STATE_REGISTERED})
REFUND_STATES = frozenset({STATE_REFUNDED, STATE_REFUNDING})
# PaymentCashOutState values that say the same as the payment state.
CASH_OUT_REFUND_STATES = frozenset({"Refunded", "Refunding"})
CASH_OUT_CONTESTED = "Contested"
# A refund operation counts once HelloAsso has processed it (OperationState).
REFUND_DONE = "Processed"

# Notification eventType values that concern payments; "Form" and "Organization" do not.
EVENT_PAYMENT = "Payment"
EVENT_ORDER = "Order"


@dataclass(frozen=True, slots=True)
class Payer:
    """Who paid (the card holder), as typed on HelloAsso's form. Missing fields are None."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None  # as HelloAsso sends it: ISO 3166 alpha-3 ("FRA")
    company: str | None = None  # set when the payer paid on behalf of an organisation
    birth_date: date | None = None

    @property
    def is_company(self) -> bool:
        return bool(self.company)

    @property
    def has_full_address(self) -> bool:
        return bool(self.address and self.postcode and self.city and self.country)


@dataclass(frozen=True, slots=True)
class PaymentItem:
    """One line of the order paid (fully or in part) by this payment."""

    id: int | None
    type: str | None  # TierType: Donation, Membership, Registration, Payment, Product...
    amount_cents: int  # the part of THIS payment that pays this item (shareAmount)
    state: str | None  # ItemState: Processed, Registered, Canceled, Refused...
    name: str | None = None
    total_cents: int | None = None  # the item's full price (several payments for instalments)


@dataclass(frozen=True, slots=True)
class Payment:
    """One HelloAsso payment. ``amount_cents`` is the association's money: never the tip."""

    id: int
    amount_cents: int
    tip_cents: int
    state: str
    date: datetime | None
    payer: Payer
    form_type: str | None
    form_slug: str | None
    order_id: int | None
    items: tuple[PaymentItem, ...] = ()
    organization_slug: str | None = None
    means: str | None = None  # PaymentMeans: Card, Sepa, Check, Cash, BankTransfer, Other
    installment_number: int | None = None
    payout_id: int | None = None  # idCashOut: the transfer to the association's bank account
    payout_date: datetime | None = None
    cash_out_state: str | None = None
    refunded_cents: int = 0  # processed refund operations, tip excluded
    receipt_url: str | None = None
    fiscal_receipt_url: str | None = None  # a tax receipt HelloAsso issued (see the notes)
    updated_at: datetime | None = None
    # True: the API amount included the tip; False: it did not; None: no tip, or not provable
    # (then the tip was subtracted: it is never counted as the association's money).
    tip_in_amount: bool | None = None
    api_amount_cents: int = field(default=0, compare=False)

    @property
    def charged_cents(self) -> int:
        """What the payer was charged: the association's share plus the tip to HelloAsso."""
        return self.amount_cents + self.tip_cents

    @property
    def is_refunded(self) -> bool:
        """Refunded in full, or being refunded."""
        return (
            self.state in REFUND_STATES
            or self.cash_out_state in CASH_OUT_REFUND_STATES
            or (self.amount_cents > 0 and self.refunded_cents >= self.amount_cents)
        )

    @property
    def is_partially_refunded(self) -> bool:
        return self.refunded_cents > 0 and not self.is_refunded

    @property
    def is_contested(self) -> bool:
        """The payer disputed the payment with their bank (a chargeback)."""
        return self.state == STATE_CONTESTED or self.cash_out_state == CASH_OUT_CONTESTED

    @property
    def is_company(self) -> bool:
        return self.payer.is_company

    @property
    def is_paid(self) -> bool:
        """Money received and neither refunded nor contested."""
        return self.state in PAID_STATES and not self.is_refunded and not self.is_contested

    @property
    def provider_tx_id(self) -> str:
        return str(self.id)


@dataclass(frozen=True, slots=True)
class NotificationTrigger:
    """What a notification asks to fetch again. Nothing in it is a fact about money."""

    event_type: str  # "Payment" or "Order"
    payment_ids: tuple[int, ...]
    order_id: int | None = None
    organization_slug: str | None = None


# --- Field readers: tolerant, typed ------------------------------------------------------------------


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> Sequence[Any]:
    return value if isinstance(value, list) else ()


def _int(value: object) -> int | None:
    """An integer; bools, floats with a fraction and garbage are None. Digit strings are accepted."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 18:
        return int(value.strip())
    return None


def _cents(value: object) -> int:
    n = _int(value)
    return n if n is not None and n > 0 else 0


def _id(value: object) -> int | None:
    n = _int(value)
    return n if n is not None and 0 < n <= MAX_ID else None


def _str(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _datetime(value: object) -> datetime | None:
    """An ISO 8601 date-time; HelloAsso's "0001-01-01T00:00:00+00:00" placeholder is None."""
    text = _str(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None if parsed.year <= 1 else parsed


def _birth_date(value: object) -> date | None:
    """The calendar date as written: "1984-05-15T02:00:00+02:00" is 15 May, whatever the offset."""
    text = _str(value)
    if text is None or len(text) < 10:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None if day.year <= 1 else day


# --- Payments ----------------------------------------------------------------------------------------


def payer_from_json(obj: object) -> Payer:
    raw = _dict(obj)
    return Payer(
        first_name=_str(raw.get("firstName")),
        last_name=_str(raw.get("lastName")),
        email=_str(raw.get("email")),
        address=_str(raw.get("address")),
        postcode=_str(raw.get("zipCode")),
        city=_str(raw.get("city")),
        country=_str(raw.get("country")),
        company=_str(raw.get("company")),
        birth_date=_birth_date(raw.get("dateOfBirth")),
    )


def item_from_json(obj: object) -> PaymentItem:
    raw = _dict(obj)
    share = _int(raw.get("shareAmount"))
    total = _int(raw.get("amount"))
    amount = share if share is not None else total
    return PaymentItem(
        id=_id(raw.get("id")),
        type=_str(raw.get("type")),
        amount_cents=amount if amount is not None and amount > 0 else 0,
        state=_str(raw.get("state")),
        name=_str(raw.get("name")),
        total_cents=total if total is not None and total >= 0 else None,
    )


def split_tip(api_amount: int, tip: int, items: Sequence[PaymentItem]) -> tuple[int, bool | None]:
    """(the association's cents, whether ``api_amount`` included the tip).

    The OpenAPI text calls ``amount`` the "Total Amount of the payment" and ``amountTip`` the
    "Tip Amount" without saying whether the first includes the second. The items' shares are
    the association's part, so they decide when they add up; otherwise the tip is taken out of
    the total (a tip counted as a don would be money the association never received).
    """
    if tip <= 0:
        return api_amount, None
    if items:
        shares = sum(item.amount_cents for item in items)
        if api_amount == shares + tip:
            return shares, True
        if api_amount == shares:
            return api_amount, False
    return max(0, api_amount - tip), None


def payment_from_json(obj: object) -> Payment:
    """A ``Payment`` from one element of ``data`` (or a ``GET /v5/payments/{id}`` body).

    Raises ValueError only when the object is not a JSON object or has no usable id.
    """
    if not isinstance(obj, Mapping):
        raise ValueError("a HelloAsso payment must be a JSON object")
    payment_id = _id(obj.get("id"))
    if payment_id is None:
        raise ValueError("a HelloAsso payment without a usable id")
    order = _dict(obj.get("order"))
    items = tuple(item_from_json(i) for i in _list(obj.get("items")) if isinstance(i, Mapping))
    api_amount = _cents(obj.get("amount"))
    tip = _cents(obj.get("amountTip"))
    amount, tip_in_amount = split_tip(api_amount, tip, items)
    refunded = sum(
        _cents(op.get("amount"))
        for op in _list(obj.get("refundOperations"))
        if isinstance(op, Mapping) and op.get("status") == REFUND_DONE
    )
    return Payment(
        id=payment_id,
        amount_cents=amount,
        tip_cents=tip,
        state=_str(obj.get("state")) or STATE_UNKNOWN,
        date=_datetime(obj.get("date")),
        payer=payer_from_json(obj.get("payer")),
        form_type=_str(order.get("formType")),
        form_slug=_str(order.get("formSlug")),
        order_id=_id(order.get("id")),
        items=items,
        organization_slug=_str(order.get("organizationSlug")),
        means=_str(obj.get("paymentMeans")) or _str(obj.get("paymentOffLineMean")),
        installment_number=_int(obj.get("installmentNumber")),
        payout_id=_id(obj.get("idCashOut")),
        payout_date=_datetime(obj.get("cashOutDate")),
        cash_out_state=_str(obj.get("cashOutState")),
        refunded_cents=refunded,
        receipt_url=_str(obj.get("paymentReceiptUrl")),
        fiscal_receipt_url=_str(obj.get("fiscalReceiptUrl")),
        updated_at=_datetime(_dict(obj.get("meta")).get("updatedAt")),
        tip_in_amount=tip_in_amount,
        api_amount_cents=api_amount,
    )


# --- Notifications -----------------------------------------------------------------------------------


def _same_org(found: str | None, expected: str | None) -> bool:
    return expected is None or found is None or found.casefold() == expected.casefold()


def parse_notification(body: bytes, organization_slug: str | None = None) -> NotificationTrigger | None:
    """The payments a notification body names, or None when it names none or does not parse.

    Only ids are read: amounts, states and payer fields in the body are ignored, because anyone
    can POST to the notification URL. The caller fetches each payment from the API (with its own
    token) and records what the API says. A notification naming another organisation than
    ``organization_slug`` is ignored.
    """
    if not isinstance(body, bytes | bytearray) or len(body) > MAX_NOTIFICATION_BYTES:
        return None
    try:
        doc = json.loads(bytes(body).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(doc, Mapping):
        return None
    event_type = doc.get("eventType")
    data = doc.get("data")
    if not isinstance(data, Mapping):
        return None
    if event_type == EVENT_PAYMENT:
        payment_id = _strict_id(data.get("id"))
        if payment_id is None:
            return None
        order = _dict(data.get("order"))
        slug = _str(order.get("organizationSlug"))
        if not _same_org(slug, organization_slug):
            return None
        return NotificationTrigger(EVENT_PAYMENT, (payment_id,), _strict_id(order.get("id")), slug)
    if event_type == EVENT_ORDER:
        slug = _str(data.get("organizationSlug"))
        if not _same_org(slug, organization_slug):
            return None
        payments = _list(data.get("payments"))
        if len(payments) > MAX_PAYMENTS_PER_ORDER:
            return None
        ids: list[int] = []
        for p in payments:
            pid = _strict_id(_dict(p).get("id"))
            if pid is None:
                return None  # a garbled list: believe none of it
            if pid not in ids:
                ids.append(pid)
        if not ids:
            return None
        return NotificationTrigger(EVENT_ORDER, tuple(ids), _strict_id(data.get("id")), slug)
    return None


def _strict_id(value: object) -> int | None:
    """Ids in a notification must be JSON integers (no strings, floats or bools)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None


def verify_signature(body: bytes, signature: str | None, key: str) -> bool:
    """HelloAsso's ``x-ha-signature`` header: hex HMAC-SHA256 of the raw body with the URL's key.

    HelloAsso documents it "for partners only for now"; an association's own notification URL
    may come unsigned. A valid signature still only makes the notification a trigger.
    """
    if not signature or not key:
        return False
    expected = hmac.new(key.encode("utf-8"), bytes(body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())

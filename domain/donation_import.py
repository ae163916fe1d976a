"""A file of payments to import (CSV from a spreadsheet or a platform): its rows, read and checked
one by one before the law sees them. Pure, no I/O: the reasons are text-catalog keys (TextError).

Required columns: IMPORT_COLUMNS. Optional: OPTIONAL_COLUMNS: "declaration" (the sworn declaration,
when the source form collected it: "oui", or its date; "non" or empty = not collected),
"elected_mandate" (an élu's mandate and body), "email", "civility"; the README lists them all.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from domain.dates import parse_past_day
from domain.donor_input import (
    is_none_answer,
    is_yes_answer,
    key,
    parse_country,
    parse_donor_type,
    parse_email,
    parse_kind,
    parse_method,
    parse_nationality,
)
from domain.law import PARTY_LEDGER_ID
from domain.money import parse_amount
from domain.statuses import DonationKind, DonorType, PaymentMethod
from domain.text import TextError

# fmt: off
IMPORT_COLUMNS = (
    "date", "last_name", "first_name", "address", "postcode", "city", "country", "nationality",
    "donor_type", "amount", "method", "ledger", "kind", "reference",
)
# fmt: on
OPTIONAL_COLUMNS = ("declaration", "elected_mandate", "email", "civility")
PARTY_WORDS = frozenset({"mouvement", "parti", "party", "movement"})

Raw = Mapping[str, str]


class LedgerRow(Protocol):
    """What the import needs of a campaign ledger (storage's CampaignLedger has it)."""

    @property
    def id(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def window_start(self) -> date | None: ...
    @property
    def window_end(self) -> date | None: ...
    @property
    def account_filed_on(self) -> date | None: ...


@dataclass
class ImportRow:
    """A row that reads well: the payment and the donor's fields (the names of the donor model)."""

    amount_cents: int
    method: PaymentMethod
    kind: DonationKind
    received_on: date
    ledger: str
    provider: str
    provider_tx_id: str
    donor: dict[str, Any] = field(default_factory=dict)


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line number, row) pairs and the missing required columns. Delimiter: , ; or tab."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [key(h).replace(" ", "_") for h in next(reader)]
    except StopIteration:
        return [], list(IMPORT_COLUMNS)
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, padded, strict=False) if h}))
    return rows, missing


def row_key(raw: Raw, seen: Counter[str]) -> str:
    """The row's request key: importing the same file again finds the same keys."""
    reference = raw.get("reference", "").strip()
    if reference:
        # A cheque number and a transfer reference may coincide: the method is part of the identity.
        return f"imp:ref:{key(raw.get('method', ''))[:12]}:{reference[:90]}"
    # No reference: the row's own content, plus its rank among identical rows of the file (two
    # genuine identical gifts stay two), so a second import of the file finds the same keys.
    content = "\x1f".join(key(raw.get(c, "")) for c in IMPORT_COLUMNS)
    digest = hashlib.sha256(content.encode()).hexdigest()[:40]
    seen[digest] += 1
    return f"imp:row:{digest}:{seen[digest]}"


def _error(code: str, **values: object) -> TextError:
    return TextError(code, tuple(values.items()))


def parse_row(
    raw: Raw, today: date, ledgers: Sequence[LedgerRow]
) -> tuple[int | None, ImportRow | None, list[TextError]]:
    """(the amount if readable, the row if every cell reads, the reasons it does not)."""
    errors: list[TextError] = []
    amount = parse_amount(raw.get("amount", ""))
    if amount is None:
        errors.append(_error("imp.bad_amount", value=raw.get("amount", "")))
    day = parse_past_day(raw.get("date", ""), today)
    if day is None:
        errors.append(_error("imp.bad_date", value=raw.get("date", "")))
    elif day > today:
        errors.append(_error("imp.future_date", value=raw.get("date", "")))
    donor_type = parse_donor_type(raw.get("donor_type", ""))
    if donor_type is None:
        errors.append(_error("imp.bad_donor_type", value=raw.get("donor_type", "")))
    method = parse_method(raw.get("method", ""))
    if method is None:
        errors.append(_error("imp.bad_method", value=raw.get("method", "")))
    kind = parse_kind(raw.get("kind", ""))
    if kind is None:
        errors.append(_error("imp.bad_kind", value=raw.get("kind", "")))
    ledger = _ledger(raw.get("ledger", ""), day, ledgers, errors)
    country = raw.get("country", "")
    country_code = parse_country(country) if country else ""
    if country_code is None:
        errors.append(_error("imp.bad_country", value=country))
    nationality = raw.get("nationality", "")
    nationality_code = parse_nationality(nationality) if nationality else ""
    if nationality_code is None:
        errors.append(_error("imp.bad_nationality", value=nationality))
    if errors:
        return amount, None, errors
    assert amount is not None and day is not None and method is not None and kind is not None
    assert donor_type is not None
    row = ImportRow(
        amount_cents=amount,
        method=method[0],
        kind=kind,
        received_on=day,
        ledger=ledger or PARTY_LEDGER_ID,
        provider=method[1],
        provider_tx_id=raw.get("reference", "") if method[0] == PaymentMethod.PLATEFORME else "",
        donor=_donor(
            raw, donor_type, country_code or "", nationality_code or "", _declaration(raw, day, today)
        ),
    )
    return amount, row, []


def _donor(
    raw: Raw, donor_type: DonorType, country: str, nationality: str, sworn: datetime | None
) -> dict[str, Any]:
    morale = donor_type == DonorType.MORALE
    names = (raw.get("last_name", ""), raw.get("first_name", ""))
    mandate = " ".join(raw.get("elected_mandate", "").split())[:200]
    return {
        "donor_type": donor_type,
        "civility": raw.get("civility", "")[:10],
        "first_name": "" if morale else raw.get("first_name", "")[:100],
        "last_name": "" if morale else raw.get("last_name", "")[:100],
        "organisation": " ".join(p for p in names if p)[:200] if morale else "",
        "address": raw.get("address", "")[:300],
        "postcode": raw.get("postcode", "")[:20],
        "city": raw.get("city", "")[:100],
        "country": country,
        "email": parse_email(raw.get("email", "")) or "",
        "nationality": nationality,
        "tax_residence": "",
        "elected_mandate": "" if morale or is_none_answer(mandate) else mandate,
        "sworn_declaration_at": sworn,
    }


def _declaration(raw: Raw, day: date, today: date) -> datetime | None:
    """The sworn declaration: "oui" means on the day of the payment; a date is that day."""
    value = raw.get("declaration", "")
    if not key(value) or is_none_answer(value):
        return None
    signed = day if is_yes_answer(value) else parse_past_day(value, today)
    if signed is None:
        return None
    return datetime(signed.year, signed.month, signed.day, 12, tzinfo=UTC)


def _ledger(text: str, day: date | None, ledgers: Sequence[LedgerRow], errors: list[TextError]) -> str | None:
    word = key(text)
    if word in PARTY_WORDS:
        return PARTY_LEDGER_ID
    if not word.startswith("liste:") and not word.startswith("liste :"):
        errors.append(_error("imp.bad_ledger", value=text))
        return None
    city = key(word.split(":", 1)[1])
    matches = [row for row in ledgers if key(row.city) == city]
    if not matches:
        errors.append(_error("imp.unknown_list", value=text.split(":", 1)[1].strip()))
        return None
    if len(matches) == 1 or day is None:
        return matches[0].id

    # Several elections for the city: the one whose collection window holds the day, else the latest.
    def holds(row: LedgerRow) -> bool:
        end = row.account_filed_on or row.window_end
        return (row.window_start is None or row.window_start <= day) and (end is None or day <= end)

    inside = [row for row in matches if holds(row)]
    pool = inside or matches
    return max(pool, key=lambda r: (r.window_start or date.min, r.id)).id

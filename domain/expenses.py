"""Expense claims (/frais), pure: what a claim is made of, the categories of the campaign account, and
the expense ceiling of a city list (docs/legal-rules.md, rule 23; records kept under rule 42).

No I/O: the caller passes the totals and today's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from domain.dates import parse_past_day
from domain.money import parse_amount
from domain.statuses import ExpenseStatus

PARTY_LEDGER = "party"  # same id as domain.law.PARTY_LEDGER_ID: the movement's own account
AMOUNT_MAX_CENTS = 10_000_000  # 100 000 €: beyond, a typing slip rather than a claim
PURPOSE_MAX = 300
NOTE_MAX = 500  # a refusal reason, a question or its answer
OLDEST_DAYS = 3 * 366  # an older receipt is a typing slip (or far beyond any reimbursement)
WARN_PERCENT = 80  # rule 23: warn from 80 % of the official ceiling
RECEIPT_SUFFIXES = {"photo": ".jpg", "pdf": ".pdf", "image": ".jpg"}


# Approved and paid claims are spent money: they count against the ceiling and in the totals.
SPENT = (ExpenseStatus.APPROVED, ExpenseStatus.PAID)
OPEN = (ExpenseStatus.SUBMITTED, ExpenseStatus.QUESTION)

# The headings of the expenses of the CNCCFP's campaign account (« compte de campagne », état des
# dépenses), in its order. ⚠ Not in docs/legal-rules.md: taken from the CNCCFP's guide of the
# candidate and mandataire; check against the current model account before filing. The party's
# account uses the same list (its own chart of accounts is the accountant's).
CATEGORIES: tuple[str, ...] = (
    "premises",  # locaux : location, charges
    "supplies",  # achats de fournitures, petit matériel
    "printing",  # impression de documents de propagande (hors propagande officielle)
    "advertising",  # publicité, achats d'espaces, objets de propagande
    "meetings",  # réunions publiques : salles, sonorisation
    "reception",  # frais de réception et d'hébergement
    "transport",  # transports et déplacements
    "postage",  # frais postaux, télécommunications
    "website",  # site internet, services en ligne
    "fees",  # honoraires, conseil en communication, expert-comptable
    "polls",  # enquêtes et sondages
    "bank",  # frais bancaires et financiers
    "other",  # divers
)

Step = Literal["amount", "purpose", "date", "ledger", "event", "category", "receipt", "confirm"]


def next_step(d: dict[str, Any]) -> Step:
    """The first question of the /frais form not answered yet (the event only for a chosen
    account: "event" holds None when the member said none)."""
    keys: tuple[Step, ...] = ("amount", "purpose", "date", "ledger")
    for key in keys:
        if key not in d:
            return key
    if "event" not in d:
        return "event"
    if "category" not in d:
        return "category"
    return "receipt" if "receipt" not in d else "confirm"


def read_amount(text: str) -> int | None:
    """Cents of a positive amount typed in French ("42,50 €"), within a sane maximum; else None."""
    cents = parse_amount(text)
    if cents is None or cents <= 0 or cents > AMOUNT_MAX_CENTS:
        return None
    return cents


def read_text(text: str, limit: int) -> str | None:
    """A short free text: trimmed, 2 to `limit` characters, else None."""
    value = " ".join((text or "").split())
    return value if 2 <= len(value) <= limit else None


DayError = Literal["unreadable", "future", "too_old"]


def read_day(text: str, today: date) -> date | DayError:
    """The day of the expense: free French, never after today, not older than OLDEST_DAYS."""
    day = parse_past_day(text, today)
    if day is None:
        return "unreadable"
    if day > today:
        return "future"
    if day < today - timedelta(days=OLDEST_DAYS):
        return "too_old"
    return day


def receipt_kind(mime_type: str | None, is_photo: bool) -> str | None:
    """ "photo" for a photo or an image sent as a file, "pdf" for a PDF, None for anything else."""
    if is_photo:
        return "photo"
    mime = (mime_type or "").lower()
    if mime == "application/pdf":
        return "pdf"
    if mime in ("image/jpeg", "image/png", "image/webp", "image/heic"):
        return "image"
    return None


# --- The expense ceiling of a city list (rule 23) ----------------------------------------------------


Level = Literal["ok", "warn", "block", "unknown"]


@dataclass(frozen=True)
class CeilingCheck:
    level: Level
    total_cents: int  # spent on the ledger, this claim included
    ceiling_cents: int | None

    @property
    def percent(self) -> int:
        if not self.ceiling_cents:
            return 0
        return self.total_cents * 100 // self.ceiling_cents


def ceiling_check(spent_cents: int, claim_cents: int, ceiling_cents: int | None) -> CeilingCheck:
    """Approving `claim_cents` on a list whose approved and paid expenses are `spent_cents`, against
    the official ceiling of the préfecture's order (rule 23: warn at 80 %, block above 100 %; a
    total exactly at the ceiling passes). No ceiling recorded: "unknown" (the treasurer is told)."""
    total = spent_cents + claim_cents
    if ceiling_cents is None or ceiling_cents <= 0:
        return CeilingCheck("unknown", total, None)
    if total > ceiling_cents:
        return CeilingCheck("block", total, ceiling_cents)
    if total * 100 >= ceiling_cents * WARN_PERCENT:
        return CeilingCheck("warn", total, ceiling_cents)
    return CeilingCheck("ok", total, ceiling_cents)


def receipt_name(expense_id: int, kind: str) -> str:
    """The receipt's name inside an export's ZIP: the expense number, then the kind's suffix."""
    return f"frais-{expense_id:05d}{RECEIPT_SUFFIXES.get(kind, '.bin')}"

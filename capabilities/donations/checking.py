"""Database rows → the law's dataclasses, and the law's findings (checked, stored as JSON, in words).

History sums use recorded gifts only; an edited gift is checked against its history without
itself (domain/law.History).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from capabilities.donations.config import (
    ELU_MEMBERSHIP,
    PARTY,
    default_membership_kind,
    law_config,
    ledger_map,
)
from domain import law
from domain.statuses import DonationKind, DonorType, PaymentMethod
from storage import donations as q
from storage.models import CampaignLedger, Donation, Donor

# Findings whose figures come from the donor's history: shown in full to treasurers only.
HISTORY_CODES = frozenset(
    {"party_cap_exceeded", "party_cap_near", "campaign_cap_exceeded", "cash_split_suspected"}
)

DonorSource = Donor | Mapping[str, Any]


def field_of(src: Any, name: str) -> Any:
    """A donor's field, from a stored donor or from the fields of one being typed (same names)."""
    return src.get(name) if isinstance(src, Mapping) else getattr(src, name, None)


def law_donor(src: DonorSource) -> law.Donor:
    """A stored donor, or the fields of one being typed (same names as the model)."""
    kind: Any = field_of(src, "donor_type") or DonorType.PHYSIQUE
    return law.Donor(
        type=kind,
        first_name=field_of(src, "first_name") or None,
        last_name=field_of(src, "last_name") or None,
        address=field_of(src, "address") or None,
        postcode=field_of(src, "postcode") or None,
        city=field_of(src, "city") or None,
        country=field_of(src, "country") or None,
        nationality=field_of(src, "nationality") or None,
        tax_residence_country=field_of(src, "tax_residence") or None,
        elected_mandate=field_of(src, "elected_mandate") or None,
        sworn_declaration_at=field_of(src, "sworn_declaration_at"),
        name=field_of(src, "organisation") or field_of(src, "last_name") or None,
    )


def law_ledger(ledger_id: str, ledgers: Mapping[str, CampaignLedger]) -> law.Ledger:
    row = ledgers.get(ledger_id)
    if ledger_id == PARTY or row is None:
        return law.Ledger()
    return law.Ledger(
        id=row.id,
        kind="campaign",
        city=row.city,
        election_id=row.election_id,
        population=row.population,
        mandataire_declared=row.mandataire_declared,
        official_ceiling_cents=row.official_ceiling_cents,
        window_start=row.window_start,
        window_end=row.window_end,
        election_day=row.election_day,
        account_filed_on=row.account_filed_on,
        bank_account=row.bank_account or None,
    )


@dataclass
class Entry:
    """One payment as typed or imported, before it is stored."""

    amount_cents: int
    method: str
    kind: str
    received_on: date
    ledger: str = PARTY
    provider: str = ""
    provider_tx_id: str = ""
    event_id: int | None = None
    membership_kind: str | None = None

    def gift(self, ledgers: Mapping[str, CampaignLedger]) -> law.Gift:
        return law.Gift(
            amount_cents=self.amount_cents,
            method=self.method,
            kind=self.kind,
            received_on=self.received_on,
            ledger=law_ledger(self.ledger, ledgers),
            provider=self.provider or None,
            provider_tx_id=self.provider_tx_id or None,
        )

    def effective_membership_kind(self, settings: Settings) -> str | None:
        if self.kind == DonationKind.COTISATION_ELU:
            return ELU_MEMBERSHIP
        if self.kind == DonationKind.COTISATION:
            return self.membership_kind or default_membership_kind(settings)
        return None


def entry_of(donation: Donation) -> Entry:
    return Entry(
        amount_cents=donation.amount_cents,
        method=donation.method,
        kind=donation.kind,
        received_on=donation.received_on,
        ledger=donation.ledger,
        provider=donation.provider,
        provider_tx_id=donation.provider_tx_id,
        event_id=donation.event_id,
    )


async def check(
    session: AsyncSession,
    settings: Settings,
    entry: Entry,
    donor: law.Donor | None,
    donor_id: int | None,
    today: date,
    *,
    exclude_id: int | None = None,
    ledgers: Mapping[str, CampaignLedger] | None = None,
) -> list[law.Finding]:
    """Every finding for `entry`, against the donor's whole accepted history (blocks first)."""
    ledgers = ledgers if ledgers is not None else await ledger_map(session)
    history: list[law.Gift] = []
    if donor_id is not None:
        history = [
            entry_of(d).gift(ledgers) for d in await q.accepted_gifts_of(session, donor_id, exclude_id)
        ]
    cash = await q.ledger_cash_total(session, entry.ledger, exclude_id) if entry.ledger != PARTY else 0
    return check_against(settings, entry, donor, history, cash, ledgers, today)


def check_against(
    settings: Settings,
    entry: Entry,
    donor: law.Donor | None,
    history: Sequence[law.Gift],
    ledger_cash_cents: int,
    ledgers: Mapping[str, CampaignLedger],
    today: date,
) -> list[law.Finding]:
    """The law on `entry`, given the donor's accepted gifts and the cash already on its ledger."""
    config = law_config(settings, entry.effective_membership_kind(settings))
    return law.check_gift(
        entry.gift(ledgers), donor, law.History(tuple(history), ledger_cash_cents), config, today
    )


def is_cash(method: str) -> bool:
    return method == PaymentMethod.ESPECES


# --- Findings stored as JSON ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def findings_json(findings: Iterable[law.Finding]) -> list[dict[str, Any]]:
    return [
        {
            "level": f.level,
            "code": f.code,
            "article": f.article,
            "params": {k: _jsonable(v) for k, v in f.params.items()},
        }
        for f in findings
    ]


def findings_from_json(data: Iterable[Mapping[str, Any]] | None) -> list[law.Finding]:
    out = []
    for item in data or []:
        try:
            out.append(
                law.Finding(
                    item["level"], item["code"], item.get("article", ""), dict(item.get("params", {}))
                )
            )
        except (KeyError, TypeError):
            continue
    return out


def finding_text(finding: law.Finding, lang: str) -> str:
    try:
        return law.finding_message(finding, lang)
    except (KeyError, IndexError, ValueError):
        return f"{finding.code} ({finding.article})"

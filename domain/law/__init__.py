"""French political-finance law, checked on every don and cotisation (spec: docs/legal-rules.md).

`check_gift` (checks.py) returns every `Finding` for one gift, blocks first; the vocabulary and
the dataclasses it reads are in model.py, the findings in words (French and English) in
messages.py. `from domain.law import ...` gives all of them.
"""

from domain.law.checks import (
    campaign_ledger_id,
    check_gift,
    collection_window_start,
    election_total_campaign,
    filing_deadline,
    has_block,
    is_french,
    lives_in_france,
    normalize_kind,
    normalize_method,
    year_total_party,
)
from domain.law.messages import (
    DATE_PARAMS,
    FINDING_CODES,
    FINDING_CODES_EN,
    MONEY_PARAMS,
    finding_message,
    finding_params,
)
from domain.law.model import (
    COLLECTION,
    DON_KINDS,
    KINDS,
    METHODS,
    PARTY_LEDGER_ID,
    Donor,
    DonorType,
    Finding,
    Gift,
    GiftKind,
    History,
    LawConfig,
    Ledger,
    LedgerKind,
    Level,
    Method,
)

__all__ = [
    "DATE_PARAMS",
    "FINDING_CODES",
    "FINDING_CODES_EN",
    "COLLECTION",
    "DON_KINDS",
    "KINDS",
    "METHODS",
    "MONEY_PARAMS",
    "PARTY_LEDGER_ID",
    "Donor",
    "DonorType",
    "Finding",
    "Gift",
    "GiftKind",
    "History",
    "LawConfig",
    "Ledger",
    "LedgerKind",
    "Level",
    "Method",
    "campaign_ledger_id",
    "check_gift",
    "collection_window_start",
    "election_total_campaign",
    "filing_deadline",
    "finding_message",
    "finding_params",
    "has_block",
    "is_french",
    "lives_in_france",
    "normalize_kind",
    "normalize_method",
    "year_total_party",
]

"""The law's vocabulary: payment kinds and methods, the articles quoted, and the dataclasses
`check_gift` reads (LawConfig, Donor, Ledger, Gift, History) and returns (Finding). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from domain.statuses import DonationKind, PaymentMethod

GiftKind = Literal["don", "cotisation", "cotisation_élu", "quête"]
Method = Literal["chèque", "virement", "carte", "prélèvement", "espèces", "plateforme"]
DonorType = Literal["physique", "morale", "parti"]
LedgerKind = Literal["party", "campaign"]
Level = Literal["block", "warn"]

# The stored words (domain/statuses.py), in the order the bot offers them.
KINDS: tuple[str, ...] = tuple(DonationKind)
# What a known donor pays (a collection has no donor: rule 8).
DON_KINDS: tuple[str, ...] = tuple(k for k in DonationKind if k != DonationKind.QUETE)
COLLECTION = DonationKind.QUETE.value
METHODS: tuple[str, ...] = tuple(PaymentMethod)
PARTY_LEDGER_ID = "party"

# Articles quoted in findings.
ART_PARTY_DONORS = "loi 88-227 art. 11-4 al. 1"
ART_PARTY_LEGAL = "loi 88-227 art. 11-4 al. 3"
ART_PARTY_CASH = "loi 88-227 art. 11-4"
ART_PARTY_ELU = "loi 88-227 art. 11-4 al. 2"
ART_PARTY_ID = "loi 88-227 art. 11-4 al. 1 ; décret 90-606 art. 11"
ART_PARTY_ACCOUNT = "loi 88-227 art. 11"
ART_PARTY_1988 = "loi 88-227 art. 11-1 et 11-2"
ART_PLATFORM = "loi 88-227 art. 11-1 ; décret 90-606 art. 11-3"
ART_TAX = "CGI art. 200"
ART_TAX_SUSPENDED = "décret 90-606 art. 11 II"
ART_CAMPAIGN = "C. élect. L52-8"
ART_CAMPAIGN_LEGAL = "C. élect. L52-8 al. 2"
ART_CAMPAIGN_ID = "C. élect. L52-8 ; R39-1"
ART_CAMPAIGN_MANDATAIRE = "C. élect. L52-4"
ART_CAMPAIGN_ACCOUNT = "C. élect. L52-4, L52-6"
ART_CAMPAIGN_WINDOW = "C. élect. L52-4 al. 2"
ART_CAMPAIGN_FILED = "C. élect. L52-12"
ART_CAMPAIGN_CEILING = "C. élect. L52-8, L52-11"
ART_CAMPAIGN_POPULATION = "C. élect. L52-4, L52-11, L52-12"


@dataclass(frozen=True)
class LawConfig:
    """Every number of the law, as settings (defaults from legal-rules.md)."""

    party_cap_cents: int = 750_000  # 7 500 € per person per calendar year (art. 11-4 al. 1)
    party_warn_cents: int = 600_000  # warn from 6 000 € (design choice of the spec)
    cash_max_cents: int = 15_000  # 150 € cash per gift (art. 11-4; L52-8)
    campaign_cap_cents: int = 460_000  # 4 600 € per person per election (L52-8 al. 1)
    campaign_cash_share: float = 0.20  # total cash <= 20 % of the spending ceiling (L52-8)
    campaign_cash_ceiling_threshold_cents: int = 1_500_000  # ... only if the ceiling >= 15 000 €
    campaign_cash_warn_share: float = 0.80  # warn at 80 % of that cash cap
    commune_threshold: int = 9000  # mandataire, ceiling, account from 9 000 inhabitants (L52-4)
    # "A few days" for suspected cash splitting: a design choice, not a legal number.
    cash_split_days: int = 7
    is_party_1988: bool = True  # the movement is a party under loi 88-227 (rule 1)
    tax_reduction_suspended_until: date | None = None  # CNCCFP sanction (rule 17), inclusive
    statutory_fee_cents: int | None = None  # the yearly cotisation; None = no check (rule 30)
    require_sworn_declaration: bool = True  # rules 5 and 22


@dataclass(frozen=True)
class Donor:
    """Whoever pays. Natural persons need identity; parties and legal persons only a name."""

    type: DonorType = "physique"
    first_name: str | None = None
    last_name: str | None = None
    address: str | None = None  # street line of the tax address
    postcode: str | None = None
    city: str | None = None
    country: str | None = "FR"  # country of the (tax) address, ISO code
    nationality: str | None = None  # ISO code or word; several may be separated by , ; /
    tax_residence_country: str | None = None  # None = the address country
    elected_mandate: str | None = None  # e.g. "conseiller municipal, Lyon"; empty = none
    is_list_member_of: frozenset[str] = frozenset()  # campaign ledger ids
    sworn_declaration_at: datetime | None = None
    name: str | None = None  # organisation name for "morale" / "parti"
    party_is_1988: bool = False  # for type "parti": a party under loi 88-227
    is_movement: bool = False  # for type "parti": the movement itself (its is_party_1988 applies)


@dataclass(frozen=True)
class Ledger:
    """`party` (the movement's mandataire) or one city list's campaign for one election."""

    id: str = PARTY_LEDGER_ID  # "party" or "campaign:<commune>:<election>"
    kind: LedgerKind = "party"
    city: str | None = None
    # Same id for every list of one election: a general municipal renewal is ONE election
    # nationwide; Paris/Lyon/Marseille arrondissement elections need their own ids (rule 21).
    election_id: str | None = None
    population: int | None = None  # last authenticated population (R25-1)
    mandataire_declared: bool = False
    official_ceiling_cents: int | None = None  # from the préfecture's order, 1st round
    window_start: date | None = None  # first day gifts may be collected (inclusive)
    window_end: date | None = None  # last day (inclusive), if known before filing
    election_day: date | None = None  # 1st round: the filing deadline follows from it (rule 26)
    account_filed_on: date | None = None
    bank_account: str | None = None  # the mandataire's single account (IBAN)


@dataclass(frozen=True)
class Gift:
    amount_cents: int
    method: Method | str
    kind: GiftKind | str
    received_on: date
    ledger: Ledger = field(default_factory=Ledger)
    provider: str | None = None  # HelloAsso, Stripe…
    provider_tx_id: str | None = None
    account: str | None = None  # account it was paid into (IBAN); None = the ledger's
    paid_from_legal_person_account: bool = False  # company or association card/account
    has_consideration: bool = False  # ticket, goods… in return: no tax reduction
    earmarked_for: str | None = None  # campaign ledger id a party don is "fléché" to


@dataclass(frozen=True)
class History:
    """What was accepted before this gift. Refused ("à rembourser") gifts must not be in it,
    and when a gift is edited, it must not be in its own history."""

    gifts: tuple[Gift, ...] = ()  # the donor's accepted gifts, on every ledger
    ledger_cash_total_cents: int = 0  # cash already on gift.ledger, collections included


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    article: str
    params: dict[str, Any] = field(default_factory=dict)

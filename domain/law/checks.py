"""French political-finance law, checked on every don and cotisation (spec: docs/legal-rules.md).

`check_gift` returns every `Finding` for one gift, blocks first. It is used both when the
treasurer types a gift and when a file is imported; a gift with any "block" finding may only be
recorded as "à rembourser", never as accepted (that workflow lives in the app).

Findings carry a stable `code`, the `article` of law, and raw `params` (amounts in cents as
`int`, dates as `date`, names as `str`; "article" is always there too). `FINDING_CODES` and
`FINDING_CODES_EN` hold one-line templates whose `{placeholders}` are those params;
`finding_params(f, lang)` turns the raw values into text for a language (amounts via `format_eur`,
dates via babel), and `finding_message(f, lang)` does the whole thing. French and English
templates use the same placeholders.

Decisions where the spec leaves room (each is also commented where it is applied):
- Amounts are compared in cents, strictly: 150,00 € cash passes, 150,01 € is blocked; the year
  total may reach 7 500,00 € exactly; 4 600,00 € per election exactly passes.
- "WARN from 6 000 €" means a year total (this gift included) >= 6 000,00 €.
- The campaign cash rule: WARN once the cash total reaches 80 % of the 20 % cap, BLOCK only above
  the cap (the law allows a total equal to 20 % of the ceiling, so "100 %" itself passes).
- The party year is the calendar year of `received_on` (spec ⚠ rule 5).
- An élu's cotisation leaves the 7 500 € cap only if the donor has an elected mandate recorded;
  otherwise it counts, with a warning.
- The 150 € cash rule is applied to cotisations as well as dons (a cotisation above the
  statutory fee is a don for the excess, and the bot cannot tell the parts apart).
- Gifts from a member of the receiving list are apports personnels: warned, and left out of the
  4 600 € sum, because an apport has no cap.
- Cash collected without a donor (donor=None) is a collection, not an individual gift: no
  per-gift 150 € rule or identity check, but a warning, and it counts in the campaign cash total.
- A missing sworn declaration is a warning (the spec's RECORD): it does not make a gift illegal.
- Campaign gifts dated after `account_filed_on` are blocked; the filing day itself passes,
  because a date cannot say whether the gift came before the 18:00 filing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal

from babel.dates import format_date

from domain.money import format_eur

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

GiftKind = Literal["don", "cotisation", "cotisation_élu"]
Method = Literal["chèque", "virement", "carte", "prélèvement", "espèces", "plateforme"]
DonorType = Literal["physique", "morale", "parti"]
LedgerKind = Literal["party", "campaign"]
Level = Literal["block", "warn"]

KINDS: tuple[str, ...] = ("don", "cotisation", "cotisation_élu")
METHODS: tuple[str, ...] = ("chèque", "virement", "carte", "prélèvement", "espèces", "plateforme")
PARTY_LEDGER_ID = "party"

# Imports and old rows may lack accents; they mean the same thing.
_KIND_ALIASES = {"cotisation_elu": "cotisation_élu"}
_METHOD_ALIASES = {"cheque": "chèque", "prelevement": "prélèvement", "especes": "espèces"}

# Who counts as French (nationality) or as living in France (ISO 3166 codes; overseas
# departments and collectivities have their own codes but are France).
_FRENCH_WORDS = {"FR", "FRA", "FRANCE", "FRANÇAISE", "FRANCAISE", "FRANÇAIS", "FRANCAIS"}
_FRANCE_CODES = _FRENCH_WORDS | {"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"}

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


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------

_PENALTY_FR = "Peine encourue : 3 ans d'emprisonnement et 45 000 € d'amende."
_PENALTY_EN = "Penalty: 3 years' imprisonment and a €45,000 fine."

FINDING_CODES: dict[str, str] = {
    # Blocks.
    "invalid_amount": "Montant invalide ({amount}) : un versement doit être strictement positif.",
    "invalid_kind": "Type de versement inconnu « {kind} » : don, cotisation ou cotisation d'élu.",
    "invalid_method": "Mode de paiement inconnu « {method} » : chèque, virement, carte, prélèvement, espèces ou plateforme.",
    "cotisation_on_campaign": "Une cotisation ne peut pas être versée à la liste de {city} : enregistrez-la au parti, ou comme don à la liste ({article}).",
    "legal_person": f"{{name}} est une personne morale : seules les personnes physiques peuvent donner ou cotiser ({{article}}). {_PENALTY_FR}",
    "party_money_not_1988": f"{{name}} n'est pas un parti au sens de la loi 88-227 : personne morale, il ne peut pas financer la liste de {{city}} ({{article}}). {_PENALTY_FR}",
    "paid_by_legal_person": f"Versement payé depuis le compte ou la carte d'une société ou d'une association : le payeur doit être le donateur ({{article}}). {_PENALTY_FR}",
    "donor_unidentified": f"Versement de {{amount}} sans donateur identifié : les dons anonymes sont interdits ({{article}}). {_PENALTY_FR}",
    "donor_identity_incomplete": "Donateur insuffisamment identifié, il manque : {missing}. Prénom, nom, adresse fiscale complète et nationalité sont obligatoires ({article}).",
    "donor_not_eligible": f"Donateur ni de nationalité française ni résident en France (nationalité : {{nationality}} ; résidence : {{residence}}) : don interdit ({{article}}). {_PENALTY_FR}",
    "cash_over_max": f"Versement en espèces de {{amount}} : au-delà de {{max}}, seuls chèque, virement, prélèvement ou carte sont autorisés ({{article}}). {_PENALTY_FR}",
    "wrong_account": "Versement reçu sur le compte {account} au lieu du compte unique du mandataire ({expected}) ({article}).",
    "party_cap_exceeded": f"Avec ce versement de {{amount}}, ce donateur atteint {{total}} de dons et cotisations au parti en {{year}} : le plafond légal est de {{cap}} par personne et par an ({{article}}). {_PENALTY_FR}",
    "campaign_no_mandataire": f"{{city}} compte {{population}} habitants (seuil {{threshold}}) : aucun don ne peut être recueilli sans mandataire financier déclaré ({{article}}). {_PENALTY_FR}",
    "campaign_before_window": "Don du {date} avant l'ouverture de la période de collecte le {start} ({article}).",
    "campaign_after_window": "Don du {date} après la fin de la période de collecte le {end} ({article}).",
    "campaign_account_filed": "Don du {date} reçu après le dépôt du compte de campagne le {filed} : la liste ne peut plus recevoir de dons ({article}).",
    "campaign_cap_exceeded": f"Avec ce don de {{amount}}, ce donateur atteint {{total}} pour l'élection {{election}}, toutes listes du mouvement confondues : le plafond est de {{cap}} par personne et par élection ({{article}}). {_PENALTY_FR}",
    "campaign_cash_total_exceeded": f"Avec ces espèces, la liste de {{city}} atteint {{total}} reçus en espèces, au-delà de {{cap}} ({{share}} % du plafond de dépenses de {{ceiling}}) ({{article}}). {_PENALTY_FR}",
    # Warnings.
    "received_in_future": "Date de réception ({date}) postérieure à aujourd'hui : vérifiez la date.",
    "party_cap_near": "Ce donateur atteint {total} de dons et cotisations au parti en {year}, pour un plafond légal de {cap} tous partis confondus : vérifiez avant tout nouveau versement ({article}).",
    "cash_split_suspected": "Plusieurs versements en espèces de ce donateur en {days} jours, {total} au total : possible fractionnement pour contourner la limite de {max} ({article}).",
    "campaign_cash_total_near": "Avec ces espèces, la liste de {city} atteint {total} reçus en espèces, soit {percent} % de la limite de {cap} ({share} % du plafond de dépenses) ({article}).",
    "campaign_ceiling_unknown": "Plafond officiel de dépenses de {city} non renseigné : impossible de vérifier la limite des espèces ; saisissez celui de l'arrêté préfectoral ({article}).",
    "campaign_population_unknown": "Population de {city} non renseignée : impossible de savoir si mandataire, plafond et compte de campagne sont obligatoires (seuil {threshold} habitants, {article}).",
    "campaign_no_tax_reduction": "{city} compte moins de {threshold} habitants : ce don n'ouvre droit à aucune réduction d'impôt ({article}).",
    "no_tax_receipt": "Le mouvement n'est pas un parti au sens de la loi 88-227 : aucun reçu fiscal, donc aucune réduction d'impôt pour ce versement ({article}).",
    "tax_reduction_suspended": "Réduction d'impôt suspendue jusqu'au {until} (sanction de la CNCCFP) : le reçu doit le mentionner ({article}).",
    "no_tax_reduction_consideration": "Versement avec contrepartie (billet, objet…) : il n'ouvre pas droit à réduction d'impôt ({article}).",
    "list_member_apport": "Le donateur est membre de la liste de {city} : son versement est un apport personnel, à reclasser comme tel (sans plafond, mais via le mandataire) ({article}).",
    "elu_cotisation_without_mandate": "Cotisation d'élu sans mandat électif enregistré : elle compte dans le plafond de {cap} tant que le mandat n'est pas renseigné ({article}).",
    "cotisation_above_fee": "Cotisation de {amount} supérieure à la cotisation statutaire de {fee} : l'excédent de {excess} est à traiter comme un don ({article}).",
    "earmarked_party_don": "Don au parti fléché vers la liste {target} : le traitement des dons fléchés par la CNCCFP n'est pas confirmé, vérifiez avec le mandataire ({article}).",
    "unidentified_cash_party": "Espèces sans donateur identifié (quête en réunion ?) : ce n'est pas un don au parti ; dites comment les traiter ({article}).",
    "campaign_collection": "Espèces sans donateur identifié : si c'est une quête (réunion, marché), elle est permise mais compte dans la limite des espèces ; sinon identifiez le donateur ({article}).",
    "platform_tx_missing": "Paiement par plateforme sans identifiant de transaction : il est indispensable pour la traçabilité et le rapprochement bancaire ({article}).",
    "sworn_declaration_missing": "Déclaration sur l'honneur du donateur non enregistrée ({statement}) : recueillez-la et notez sa date ({article}).",
}

FINDING_CODES_EN: dict[str, str] = {
    "invalid_amount": "Invalid amount ({amount}): a payment must be positive.",
    "invalid_kind": "Unknown payment kind “{kind}”: don, cotisation or elected official's cotisation.",
    "invalid_method": "Unknown payment method “{method}”: cheque, transfer, card, direct debit, cash or platform.",
    "cotisation_on_campaign": "A membership fee cannot be paid to the {city} list: book it to the party, or as a gift to the list ({article}).",
    "legal_person": f"{{name}} is a legal person: only natural persons may give or pay fees ({{article}}). {_PENALTY_EN}",
    "party_money_not_1988": f"{{name}} is not a party under loi 88-227: as a legal person it may not fund the {{city}} list ({{article}}). {_PENALTY_EN}",
    "paid_by_legal_person": f"Paid from a company's or association's account or card: the payer must be the donor ({{article}}). {_PENALTY_EN}",
    "donor_unidentified": f"Payment of {{amount}} with no identified donor: anonymous gifts are forbidden ({{article}}). {_PENALTY_EN}",
    "donor_identity_incomplete": "Donor not fully identified, missing: {missing}. First name, last name, full tax address and nationality are required ({article}).",
    "donor_not_eligible": f"Donor neither French nor resident in France (nationality: {{nationality}}; residence: {{residence}}): gift forbidden ({{article}}). {_PENALTY_EN}",
    "cash_over_max": f"Cash payment of {{amount}}: above {{max}}, only cheque, transfer, direct debit or card are allowed ({{article}}). {_PENALTY_EN}",
    "wrong_account": "Paid into account {account} instead of the mandataire's single account ({expected}) ({article}).",
    "party_cap_exceeded": f"With this payment of {{amount}}, this donor reaches {{total}} in gifts and fees to the party in {{year}}: the legal cap is {{cap}} per person per year ({{article}}). {_PENALTY_EN}",
    "campaign_no_mandataire": f"{{city}} has {{population}} inhabitants (threshold {{threshold}}): no gift may be collected without a declared mandataire ({{article}}). {_PENALTY_EN}",
    "campaign_before_window": "Gift of {date} before the collection period opens on {start} ({article}).",
    "campaign_after_window": "Gift of {date} after the collection period ended on {end} ({article}).",
    "campaign_account_filed": "Gift of {date} received after the campaign account was filed on {filed}: the list may no longer receive gifts ({article}).",
    "campaign_cap_exceeded": f"With this gift of {{amount}}, this donor reaches {{total}} for election {{election}}, across all the movement's lists: the cap is {{cap}} per person per election ({{article}}). {_PENALTY_EN}",
    "campaign_cash_total_exceeded": f"With this cash, the {{city}} list reaches {{total}} received in cash, above {{cap}} ({{share}} % of the {{ceiling}} spending ceiling) ({{article}}). {_PENALTY_EN}",
    "received_in_future": "Date received ({date}) is after today: check the date.",
    "party_cap_near": "This donor reaches {total} in gifts and fees to the party in {year}, against a legal cap of {cap} across all parties: check before any further payment ({article}).",
    "cash_split_suspected": "Several cash payments by this donor within {days} days, {total} in all: possible splitting to get round the {max} limit ({article}).",
    "campaign_cash_total_near": "With this cash, the {city} list reaches {total} received in cash, {percent} % of the {cap} limit ({share} % of the spending ceiling) ({article}).",
    "campaign_ceiling_unknown": "Official spending ceiling for {city} not set: the cash limit cannot be checked; enter the one from the préfecture's order ({article}).",
    "campaign_population_unknown": "Population of {city} not set: cannot tell whether a mandataire, ceiling and campaign account are required (threshold {threshold} inhabitants, {article}).",
    "campaign_no_tax_reduction": "{city} has fewer than {threshold} inhabitants: this gift gives no tax reduction ({article}).",
    "no_tax_receipt": "The movement is not a party under loi 88-227: no tax receipt, so no tax reduction for this payment ({article}).",
    "tax_reduction_suspended": "Tax reduction suspended until {until} (CNCCFP sanction): the receipt must say so ({article}).",
    "no_tax_reduction_consideration": "Payment with something in return (ticket, goods…): no tax reduction ({article}).",
    "list_member_apport": "The donor is a member of the {city} list: the payment is a personal contribution (apport personnel), to be reclassified as such (no cap, but through the mandataire) ({article}).",
    "elu_cotisation_without_mandate": "Elected official's fee with no elected mandate recorded: it counts towards the {cap} cap until the mandate is entered ({article}).",
    "cotisation_above_fee": "Fee of {amount} above the statutory fee of {fee}: the excess of {excess} is to be treated as a gift ({article}).",
    "earmarked_party_don": "Party gift earmarked for the {target} list: how the CNCCFP treats earmarked gifts is not confirmed, check with the mandataire ({article}).",
    "unidentified_cash_party": "Cash with no identified donor (a collection at a meeting?): it is not a gift to the party; say how to handle it ({article}).",
    "campaign_collection": "Cash with no identified donor: a collection (meeting, market) is allowed but counts towards the cash limit; otherwise identify the donor ({article}).",
    "platform_tx_missing": "Platform payment without a transaction id: it is required for traceability and bank reconciliation ({article}).",
    "sworn_declaration_missing": "Donor's sworn declaration not recorded ({statement}): collect it and note its date ({article}).",
}

# Params holding cents or dates, rendered per language by `finding_params`.
MONEY_PARAMS = frozenset({"amount", "total", "cap", "max", "ceiling", "fee", "excess"})
DATE_PARAMS = frozenset({"date", "start", "end", "filed", "until"})

_FIELD_LABELS = {
    "first_name": ("prénom", "first name"),
    "last_name": ("nom", "last name"),
    "address": ("adresse", "address"),
    "postcode": ("code postal", "postcode"),
    "city": ("ville", "town"),
    "country": ("pays", "country"),
    "nationality": ("nationalité", "nationality"),
}
_STATEMENTS = {
    "party": (
        "total de ses dons et cotisations à tous les partis ≤ 7 500 € par an",
        "total to all parties ≤ €7,500 a year",
    ),
    "campaign": ("personne physique, fonds personnels", "natural person, own funds"),
}


def finding_params(finding: Finding, lang: str = "fr") -> dict[str, str]:
    """`finding.params` as text for `lang`: cents as euros, dates in words, field names translated."""
    en = lang == "en"
    out: dict[str, str] = {}
    for key, value in finding.params.items():
        if key in MONEY_PARAMS and isinstance(value, int):
            out[key] = format_eur(value, lang)
        elif key in DATE_PARAMS and isinstance(value, date | str):
            out[key] = _format_day(value, lang)
        elif key == "missing" and isinstance(value, list | tuple):
            out[key] = ", ".join(_FIELD_LABELS.get(f, (f, f))[en] for f in value)
        elif key == "statement":
            out[key] = _STATEMENTS.get(value, (value, value))[en]
        elif value is None:
            out[key] = "?"
        else:
            out[key] = str(value)
    return out


def finding_message(finding: Finding, lang: str = "fr") -> str:
    templates = FINDING_CODES_EN if lang == "en" else FINDING_CODES
    return templates[finding.code].format(**finding_params(finding, lang))


def _format_day(value: date | str, lang: str) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        return str(value)
    return format_date(day, "long", locale="en_US" if lang == "en" else "fr_FR")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def campaign_ledger_id(commune: str, election_id: str) -> str:
    return f"campaign:{commune}:{election_id}"


def collection_window_start(election_day: date) -> date:
    """1st day of the 6th month before the election month (L52-4): 15 March 2026 → 1 Sept 2025."""
    months = election_day.year * 12 + election_day.month - 1 - 6
    return date(months // 12, months % 12 + 1, 1)


def normalize_kind(kind: str) -> str:
    return _KIND_ALIASES.get(kind, kind) if isinstance(kind, str) else kind


def normalize_method(method: str) -> str:
    return _METHOD_ALIASES.get(method, method) if isinstance(method, str) else method


def is_french(nationality: str | None) -> bool:
    return any(part in _FRENCH_WORDS for part in _codes(nationality))


def lives_in_france(donor: Donor) -> bool:
    country = donor.tax_residence_country or donor.country
    return any(part in _FRANCE_CODES for part in _codes(country))


def _codes(text: str | None) -> list[str]:
    # "FR / DE" for dual nationals; upper-case so "fr", "Française" and "FRANÇAISE" all match.
    if not isinstance(text, str):
        return []
    return [p.strip().upper() for p in re.split(r"[,;/]", text) if p.strip()]


def _elu_exempt(gift: Gift, donor: Donor | None) -> bool:
    # The élus' exception needs a recorded mandate; without one the cotisation counts (rule 6).
    return (
        normalize_kind(gift.kind) == "cotisation_élu"
        and donor is not None
        and bool(_text(donor.elected_mandate))
    )


def year_total_party(gifts: Iterable[Gift], year: int, donor: Donor | None = None) -> int:
    """Cents counting towards the 7 500 € cap in calendar `year`: party dons and cotisations,
    without élus' cotisations (those only leave the cap when `donor` has a recorded mandate)."""
    return sum(
        g.amount_cents
        for g in gifts
        if g.ledger.kind == "party" and g.received_on.year == year and not _elu_exempt(g, donor)
    )


def _election_key(ledger: Ledger) -> str:
    # A campaign ledger without an election id can only be summed with itself.
    return ledger.election_id or f"ledger:{ledger.id}"


def election_total_campaign(gifts: Iterable[Gift], election_id: str, donor: Donor | None = None) -> int:
    """Cents given to all the movement's lists in one election (the 4 600 € cap). Gifts to a list
    the donor sits on are apports personnels and are left out."""
    member_of = donor.is_list_member_of if donor is not None else frozenset()
    return sum(
        g.amount_cents
        for g in gifts
        if g.ledger.kind == "campaign"
        and _election_key(g.ledger) == election_id
        and g.ledger.id not in member_of
    )


def has_block(findings: Iterable[Finding]) -> bool:
    """True when the gift may only be recorded as "à rembourser"."""
    return any(f.level == "block" for f in findings)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _iban(value: str | None) -> str:
    return re.sub(r"\s+", "", value).upper() if isinstance(value, str) else ""


def _share_of(cents: int, share: float) -> int:
    # Decimal(str()) so 0.20 is 0.20, not 0.2000000000000000111; floor, to stay on the safe side.
    return int((Decimal(cents) * Decimal(str(share))).to_integral_value(rounding=ROUND_FLOOR))


# ---------------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------------


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def block(self, code: str, article: str, **params: Any) -> None:
        self.items.append(Finding("block", code, article, {**params, "article": article}))

    def warn(self, code: str, article: str, **params: Any) -> None:
        self.items.append(Finding("warn", code, article, {**params, "article": article}))

    def codes(self) -> set[str]:
        return {f.code for f in self.items}

    def sorted(self) -> list[Finding]:
        # Blocks first; within a level, the order the rules were checked (stable sort).
        return sorted(self.items, key=lambda f: f.level != "block")


def check_gift(
    gift: Gift,
    donor: Donor | None,
    history: History,
    config: LawConfig,
    today: date,
) -> list[Finding]:
    """Every finding for `gift` from `donor` (None = unidentified cash), blocks first."""
    out = _Findings()
    ledger = gift.ledger
    campaign = ledger.kind == "campaign"
    kind = normalize_kind(gift.kind)
    method = normalize_method(gift.method)
    cash = method == "espèces"

    if not isinstance(gift.amount_cents, int) or gift.amount_cents <= 0:
        out.block("invalid_amount", "", amount=gift.amount_cents)
    if kind not in KINDS:
        out.block("invalid_kind", "", kind=str(gift.kind))
    if method not in METHODS:
        out.block("invalid_method", "", method=str(gift.method))
    if out.items:
        return out.sorted()  # nothing below makes sense on a malformed gift

    if campaign and kind != "don":
        # Cotisations are the party's resources (art. 11); a list only receives dons and apports.
        out.block("cotisation_on_campaign", ART_CAMPAIGN_ACCOUNT, city=ledger.city or ledger.id)
    if gift.received_on > today:
        out.warn("received_in_future", "", date=gift.received_on)

    _check_account(gift, out)
    if campaign:
        _check_campaign_ledger(gift, config, out)

    if donor is None:
        _check_unidentified(gift, cash, out)
    elif donor.type == "physique":
        _check_person(gift, donor, history, config, out, kind=kind, cash=cash)
    else:
        _check_organisation(gift, donor, config, out)

    if cash:
        _check_campaign_cash_total(gift, history, config, out)
    if method == "plateforme" and not _text(gift.provider_tx_id):
        out.warn("platform_tx_missing", ART_PLATFORM)
    return out.sorted()


def _check_account(gift: Gift, out: _Findings) -> None:
    # Rules 3 and 19: one bank account per mandataire; only checked when both are known.
    paid_into, expected = _iban(gift.account), _iban(gift.ledger.bank_account)
    if paid_into and expected and paid_into != expected:
        article = ART_CAMPAIGN_ACCOUNT if gift.ledger.kind == "campaign" else ART_PARTY_ACCOUNT
        out.block("wrong_account", article, account=gift.account, expected=gift.ledger.bank_account)


def _check_campaign_ledger(gift: Gift, config: LawConfig, out: _Findings) -> None:
    ledger = gift.ledger
    city = ledger.city or ledger.id
    population = ledger.population
    if not isinstance(population, int):
        out.warn(
            "campaign_population_unknown",
            ART_CAMPAIGN_POPULATION,
            city=city,
            threshold=config.commune_threshold,
        )
    elif population >= config.commune_threshold and not ledger.mandataire_declared:
        out.block(
            "campaign_no_mandataire",
            ART_CAMPAIGN_MANDATAIRE,
            city=city,
            population=population,
            threshold=config.commune_threshold,
        )

    day = gift.received_on
    filed = ledger.account_filed_on
    if filed is not None and day > filed:
        # The filing day itself passes: a date cannot tell whether the gift came before 18:00.
        out.block("campaign_account_filed", ART_CAMPAIGN_FILED, date=day, filed=filed)
    elif ledger.window_end is not None and day > ledger.window_end:
        out.block("campaign_after_window", ART_CAMPAIGN_WINDOW, date=day, end=ledger.window_end)
    if ledger.window_start is not None and day < ledger.window_start:
        out.block("campaign_before_window", ART_CAMPAIGN_WINDOW, date=day, start=ledger.window_start)


def _check_unidentified(gift: Gift, cash: bool, out: _Findings) -> None:
    if not cash:
        # A cheque, card or transfer always has a payer: no reason to leave it anonymous.
        article = ART_CAMPAIGN_ID if gift.ledger.kind == "campaign" else ART_PARTY_ID
        out.block("donor_unidentified", article, amount=gift.amount_cents)
    elif gift.ledger.kind == "campaign":
        out.warn("campaign_collection", ART_CAMPAIGN)
    else:
        # Collections for parties are not covered by the texts found (spec ⚠ rule 8): ask.
        out.warn("unidentified_cash_party", ART_PARTY_ID)


def _check_organisation(gift: Gift, donor: Donor, config: LawConfig, out: _Findings) -> None:
    name = _text(donor.name) or _text(donor.last_name) or "?"
    campaign = gift.ledger.kind == "campaign"
    is_1988 = config.is_party_1988 if donor.is_movement else donor.party_is_1988
    if donor.type == "parti" and campaign and not is_1988:
        out.block(
            "party_money_not_1988", ART_CAMPAIGN_LEGAL, name=name, city=gift.ledger.city or gift.ledger.id
        )
    elif donor.type != "parti" or not is_1988:
        # Only 1988-law parties may give to a party or a list; anything else is a legal person.
        out.block("legal_person", ART_CAMPAIGN_LEGAL if campaign else ART_PARTY_LEGAL, name=name)
    if normalize_method(gift.method) == "espèces" and gift.amount_cents > config.cash_max_cents:
        out.block(
            "cash_over_max",
            ART_CAMPAIGN if campaign else ART_PARTY_CASH,
            amount=gift.amount_cents,
            max=config.cash_max_cents,
        )


def _check_person(
    gift: Gift,
    donor: Donor,
    history: History,
    config: LawConfig,
    out: _Findings,
    *,
    kind: str,
    cash: bool,
) -> None:
    ledger = gift.ledger
    campaign = ledger.kind == "campaign"
    city = ledger.city or ledger.id

    if gift.paid_from_legal_person_account:
        out.block("paid_by_legal_person", ART_CAMPAIGN_LEGAL if campaign else ART_PARTY_LEGAL)

    missing = tuple(
        name
        for name in ("first_name", "last_name", "address", "postcode", "city", "country", "nationality")
        if not _text(getattr(donor, name))
    )
    if missing:
        out.block("donor_identity_incomplete", ART_CAMPAIGN_ID if campaign else ART_PARTY_ID, missing=missing)
    # Only judged on what is known: a missing nationality is already blocked above.
    if _text(donor.nationality) and not is_french(donor.nationality) and not lives_in_france(donor):
        out.block(
            "donor_not_eligible",
            ART_CAMPAIGN if campaign else ART_PARTY_DONORS,
            nationality=donor.nationality,
            residence=donor.tax_residence_country or donor.country,
        )

    if cash and gift.amount_cents > config.cash_max_cents:
        out.block(
            "cash_over_max",
            ART_CAMPAIGN if campaign else ART_PARTY_CASH,
            amount=gift.amount_cents,
            max=config.cash_max_cents,
        )
    elif cash:
        _check_cash_split(gift, history, config, out)

    if campaign:
        _check_person_campaign(gift, donor, history, config, out, city=city)
    else:
        _check_person_party(gift, donor, history, config, out, kind=kind)


def _check_cash_split(gift: Gift, history: History, config: LawConfig, out: _Findings) -> None:
    # Rule 7: several cash payments to the same ledger within a few days that together pass the
    # 150 € limit look like one gift cut in pieces. Small amounts that stay under it are fine.
    near = [
        g
        for g in history.gifts
        if g.ledger.id == gift.ledger.id
        and normalize_method(g.method) == "espèces"
        and abs((g.received_on - gift.received_on).days) <= config.cash_split_days
    ]
    total = gift.amount_cents + sum(g.amount_cents for g in near)
    if near and total > config.cash_max_cents:
        article = ART_CAMPAIGN if gift.ledger.kind == "campaign" else ART_PARTY_CASH
        out.warn(
            "cash_split_suspected",
            article,
            days=config.cash_split_days,
            total=total,
            max=config.cash_max_cents,
        )


def _check_person_party(
    gift: Gift, donor: Donor, history: History, config: LawConfig, out: _Findings, *, kind: str
) -> None:
    year = gift.received_on.year
    exempt = _elu_exempt(gift, donor)
    if kind == "cotisation_élu" and not exempt:
        out.warn("elu_cotisation_without_mandate", ART_PARTY_ELU, cap=config.party_cap_cents)
    if not exempt:
        total = year_total_party(history.gifts, year, donor) + gift.amount_cents
        if total > config.party_cap_cents:
            out.block(
                "party_cap_exceeded",
                ART_PARTY_DONORS,
                amount=gift.amount_cents,
                total=total,
                year=year,
                cap=config.party_cap_cents,
            )
        elif total >= config.party_warn_cents:  # "WARN from 6 000 €": inclusive
            out.warn("party_cap_near", ART_PARTY_DONORS, total=total, year=year, cap=config.party_cap_cents)

    if (
        kind == "cotisation"
        and config.statutory_fee_cents is not None
        and gift.amount_cents > config.statutory_fee_cents
    ):
        out.warn(
            "cotisation_above_fee",
            ART_PARTY_DONORS,
            amount=gift.amount_cents,
            fee=config.statutory_fee_cents,
            excess=gift.amount_cents - config.statutory_fee_cents,
        )
    if _text(gift.earmarked_for):
        out.warn("earmarked_party_don", ART_CAMPAIGN_LEGAL, target=gift.earmarked_for)

    if not config.is_party_1988:
        out.warn("no_tax_receipt", ART_PARTY_1988)
    elif (
        config.tax_reduction_suspended_until is not None
        and gift.received_on <= config.tax_reduction_suspended_until
    ):
        out.warn("tax_reduction_suspended", ART_TAX_SUSPENDED, until=config.tax_reduction_suspended_until)
    if gift.has_consideration:
        out.warn("no_tax_reduction_consideration", ART_TAX)
    if config.require_sworn_declaration and donor.sworn_declaration_at is None and not exempt:
        out.warn("sworn_declaration_missing", ART_PARTY_DONORS, statement="party")


def _check_person_campaign(
    gift: Gift, donor: Donor, history: History, config: LawConfig, out: _Findings, *, city: str
) -> None:
    ledger = gift.ledger
    if ledger.id in donor.is_list_member_of:
        # Rule 22: a list member's money is an apport personnel, which has no cap.
        out.warn("list_member_apport", ART_CAMPAIGN, city=city)
        return
    election = _election_key(ledger)
    total = election_total_campaign(history.gifts, election, donor) + gift.amount_cents
    if total > config.campaign_cap_cents:
        out.block(
            "campaign_cap_exceeded",
            ART_CAMPAIGN,
            amount=gift.amount_cents,
            total=total,
            election=ledger.election_id or city,
            cap=config.campaign_cap_cents,
        )
    small = isinstance(ledger.population, int) and ledger.population < config.commune_threshold
    if small:
        out.warn("campaign_no_tax_reduction", ART_TAX, city=city, threshold=config.commune_threshold)
    elif gift.has_consideration:
        out.warn("no_tax_reduction_consideration", ART_TAX)
    if config.require_sworn_declaration and donor.sworn_declaration_at is None:
        out.warn("sworn_declaration_missing", ART_CAMPAIGN, statement="campaign")


def _check_campaign_cash_total(gift: Gift, history: History, config: LawConfig, out: _Findings) -> None:
    # Rule 23: all cash of one list, collections included, within 20 % of the official ceiling,
    # but only where that ceiling is >= 15 000 € (below, the rule does not apply).
    ledger = gift.ledger
    if ledger.kind != "campaign":
        return
    city = ledger.city or ledger.id
    ceiling = ledger.official_ceiling_cents
    if not isinstance(ceiling, int):
        small = isinstance(ledger.population, int) and ledger.population < config.commune_threshold
        if not small:  # under 9 000 inhabitants there is no ceiling at all
            out.warn("campaign_ceiling_unknown", ART_CAMPAIGN_CEILING, city=city)
        return
    if ceiling < config.campaign_cash_ceiling_threshold_cents:
        return
    cap = _share_of(ceiling, config.campaign_cash_share)
    total = history.ledger_cash_total_cents + gift.amount_cents
    share = _percent(config.campaign_cash_share)
    if total > cap:  # equal to 20 % is still within the law
        out.block(
            "campaign_cash_total_exceeded",
            ART_CAMPAIGN,
            city=city,
            total=total,
            cap=cap,
            ceiling=ceiling,
            share=share,
        )
    elif total >= _share_of(cap, config.campaign_cash_warn_share):
        percent = total * 100 // cap if cap else 100
        out.warn(
            "campaign_cash_total_near",
            ART_CAMPAIGN,
            city=city,
            total=total,
            cap=cap,
            percent=percent,
            share=share,
        )


def _percent(share: float) -> str:
    return format(Decimal(str(share)) * 100, "f").rstrip("0").rstrip(".")

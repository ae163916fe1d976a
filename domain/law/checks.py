"""The checks of French political-finance law on one don or cotisation (spec: docs/legal-rules.md).

`check_gift` returns every `Finding` for one gift, blocks first. It is used both when the
treasurer types a gift and when a file is imported; a gift with any "block" finding may only be
recorded as "à rembourser", never as accepted (that workflow lives in capabilities/donations).

Findings carry a stable `code`, the `article` of law, and raw `params` (amounts in cents as
`int`, dates as `date`, names as `str`; "article" is always there too); messages.py says them
in French or English.

Decisions where the spec leaves room (each is also commented where it is applied):
- Amounts are compared in cents, strictly: 150,00 € cash passes, 150,01 € is blocked; the year
  total may reach 7 500,00 € exactly; 4 600,00 € per election exactly passes.
- "WARN from 6 000 €" means a year total (this gift included) >= 6 000,00 €.
- The campaign cash rule: WARN once the cash total reaches 80 % of the 20 % cap, BLOCK only above
  the cap (the law allows a total equal to 20 % of the ceiling, so "100 %" itself passes).
- The party year is the calendar year of `received_on` (spec ⚠ rule 5).
- An élu's cotisation (kind `cotisation_élu`) is left out of the 7 500 € cap (rule 6); when the
  donor has no elected mandate recorded, a warning asks for it (the kind says an élu paid it).
- The 150 € cash rule is applied to cotisations as well as dons (a cotisation above the
  statutory fee is a don for the excess, and the bot cannot tell the parts apart).
- Gifts from a member of the receiving list are apports personnels: warned, and left out of the
  4 600 € sum, because an apport has no cap.
- Cash collected without a donor (donor=None, kind `quête`) is a collection, not an individual
  gift: no per-gift 150 € rule or identity check, but a warning, and it counts in the campaign
  cash total (rule 23). For the party it is booked apart from the dons (rule 8, ⚠).
- A missing sworn declaration is a warning (the spec's RECORD): it does not make a gift illegal.
- Campaign gifts dated after `account_filed_on` are blocked; the filing day itself passes,
  because a date cannot say whether the gift came before the 18:00 filing. Before filing, the
  collection ends at the legal filing deadline computed from the election day (rule 26: the 10th
  Friday after the 1st round), unless an explicit `window_end` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from domain.law.model import (
    ART_CAMPAIGN,
    ART_CAMPAIGN_ACCOUNT,
    ART_CAMPAIGN_CEILING,
    ART_CAMPAIGN_FILED,
    ART_CAMPAIGN_ID,
    ART_CAMPAIGN_LEGAL,
    ART_CAMPAIGN_MANDATAIRE,
    ART_CAMPAIGN_POPULATION,
    ART_CAMPAIGN_WINDOW,
    ART_PARTY_1988,
    ART_PARTY_ACCOUNT,
    ART_PARTY_CASH,
    ART_PARTY_DONORS,
    ART_PARTY_ELU,
    ART_PARTY_ID,
    ART_PARTY_LEGAL,
    ART_PLATFORM,
    ART_TAX,
    ART_TAX_SUSPENDED,
    COLLECTION,
    KINDS,
    METHODS,
    Donor,
    Finding,
    Gift,
    History,
    LawConfig,
    Ledger,
)

# Imports and old rows may lack accents; they mean the same thing.
_KIND_ALIASES = {"cotisation_elu": "cotisation_élu"}
_METHOD_ALIASES = {"cheque": "chèque", "prelevement": "prélèvement", "especes": "espèces"}

# Who counts as French (nationality) or as living in France (ISO 3166 codes; overseas
# departments and collectivities have their own codes but are France).
_FRENCH_WORDS = {"FR", "FRA", "FRANCE", "FRANÇAISE", "FRANCAISE", "FRANÇAIS", "FRANCAIS"}
_FRANCE_CODES = _FRENCH_WORDS | {"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"}

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def campaign_ledger_id(commune: str, election_id: str) -> str:
    return f"campaign:{commune}:{election_id}"


def collection_window_start(election_day: date) -> date:
    """1st day of the 6th month before the election month (L52-4): 15 March 2026 → 1 Sept 2025."""
    months = election_day.year * 12 + election_day.month - 1 - 6
    return date(months // 12, months % 12 + 1, 1)


def filing_deadline(first_round: date) -> date:
    """The campaign account's deadline (L52-12, rule 26): the 10th Friday after the 1st round
    (15 March 2026 → 22 May 2026; 18:00 that day, so the whole day counts)."""
    to_friday = (4 - first_round.weekday()) % 7 or 7
    return first_round + timedelta(days=to_friday + 7 * 9)


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


def _elu_exempt(gift: Gift) -> bool:
    # Élus' cotisations are outside the cap (rule 6); a missing mandate is warned, not counted.
    return normalize_kind(gift.kind) == "cotisation_élu"


def year_total_party(gifts: Iterable[Gift], year: int, donor: Donor | None = None) -> int:
    """Cents counting towards the 7 500 € cap in calendar `year`: party dons and cotisations,
    without élus' cotisations (rule 6). `donor` is kept for the callers' symmetry."""
    del donor
    return sum(
        g.amount_cents
        for g in gifts
        if g.ledger.kind == "party" and g.received_on.year == year and not _elu_exempt(g)
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

    if kind == COLLECTION and (donor is not None or not cash):
        # A collection is cash without a donor; anything else is a don or a cotisation.
        out.block("invalid_kind", "", kind=str(gift.kind))
        return out.sorted()
    if campaign and kind not in ("don", COLLECTION):
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
    end = ledger.window_end
    if end is None and ledger.election_day is not None:
        end = filing_deadline(ledger.election_day)  # rule 26: no campaign gift after the deadline
    if filed is not None and day > filed:
        # The filing day itself passes: a date cannot tell whether the gift came before 18:00.
        out.block("campaign_account_filed", ART_CAMPAIGN_FILED, date=day, filed=filed)
    elif end is not None and day > end:
        out.block("campaign_after_window", ART_CAMPAIGN_WINDOW, date=day, end=end)
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
    exempt = _elu_exempt(gift)
    if exempt and not _text(donor.elected_mandate):
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

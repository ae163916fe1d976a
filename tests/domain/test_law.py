"""The law checks, rule by rule, at their boundaries (spec: docs/legal-rules.md)."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.law import (
    FINDING_CODES,
    FINDING_CODES_EN,
    KINDS,
    METHODS,
    Donor,
    Finding,
    Gift,
    History,
    LawConfig,
    Ledger,
    check_gift,
    collection_window_start,
    election_total_campaign,
    filing_deadline,
    finding_message,
    finding_params,
    has_block,
    year_total_party,
)

TODAY = date(2027, 1, 15)
CONFIG = LawConfig()
ELECTION = "municipales-2026"
BY_ELECTION = "partielle-lyon-2027"

PERSON = Donor(
    first_name="Léa",
    last_name="Martin",
    address="22 cour des Petites Écuries",
    postcode="75010",
    city="Paris",
    country="FR",
    nationality="FR",
    sworn_declaration_at=datetime(2026, 1, 2, 10, 0),
)
ELU = replace(PERSON, elected_mandate="conseillère municipale, Paris")
PARTY = Ledger()
LYON = Ledger(
    id=f"campaign:Lyon:{ELECTION}",
    kind="campaign",
    city="Lyon",
    election_id=ELECTION,
    population=520_000,
    mandataire_declared=True,
    official_ceiling_cents=100_000_000,
    window_start=date(2025, 9, 1),
)
PARIS = replace(LYON, id=f"campaign:Paris:{ELECTION}", city="Paris", population=2_100_000)
LYON_BY = replace(LYON, id=f"campaign:Lyon:{BY_ELECTION}", election_id=BY_ELECTION, window_start=None)
VILLAGE = replace(
    LYON,
    id=f"campaign:Vic:{ELECTION}",
    city="Vic",
    population=3_000,
    mandataire_declared=False,
    official_ceiling_cents=None,
)
# 15 000 € ceiling: cash cap 3 000 €, warning from 2 400 €.
SMALL_TOWN = replace(
    LYON, id=f"campaign:Sète:{ELECTION}", city="Sète", population=10_000, official_ceiling_cents=1_500_000
)


def gift(
    amount: int = 5_000,
    method: str = "chèque",
    kind: str = "don",
    on: date = date(2026, 3, 1),
    ledger: Ledger = PARTY,
    **extra: object,
) -> Gift:
    return Gift(amount, method, kind, on, ledger, **extra)  # type: ignore[arg-type]


def history(*gifts: Gift, cash: int = 0) -> History:
    return History(gifts=tuple(gifts), ledger_cash_total_cents=cash)


def found(
    g: Gift,
    donor: Donor | None = PERSON,
    hist: History | None = None,
    config: LawConfig = CONFIG,
    today: date = TODAY,
) -> set[tuple[str, str]]:
    return {(f.level, f.code) for f in check_gift(g, donor, hist or History(), config, today)}


def test_a_clean_gift_has_no_finding() -> None:
    assert found(gift()) == set()
    assert found(gift(ledger=LYON)) == set()
    assert (
        found(gift(ledger=PARIS, method="plateforme", provider="HelloAsso", provider_tx_id="tx-1")) == set()
    )


# --- Cash per gift: 150,00 € passes, 150,01 € is blocked (art. 11-4; L52-8) -------------------

CASH_CASES = [
    (15_000, "espèces", PARTY, "don", set()),
    (15_001, "espèces", PARTY, "don", {("block", "cash_over_max")}),
    (15_001, "especes", PARTY, "don", {("block", "cash_over_max")}),  # unaccented alias
    (15_001, "chèque", PARTY, "don", set()),
    (15_001, "virement", PARTY, "don", set()),
    (15_001, "carte", PARTY, "don", set()),
    (15_001, "prélèvement", PARTY, "don", set()),
    (15_001, "espèces", PARTY, "cotisation", {("block", "cash_over_max")}),
    (15_000, "espèces", LYON, "don", set()),
    (15_001, "espèces", LYON, "don", {("block", "cash_over_max")}),
    (1, "espèces", PARTY, "don", set()),
]


@pytest.mark.parametrize(("amount", "method", "ledger", "kind", "expected"), CASH_CASES)
def test_cash_per_gift(
    amount: int, method: str, ledger: Ledger, kind: str, expected: set[tuple[str, str]]
) -> None:
    assert found(gift(amount, method, kind, ledger=ledger)) == expected


def test_cash_limit_is_a_setting() -> None:
    config = LawConfig(cash_max_cents=10_000)
    assert found(gift(10_001, "espèces"), config=config) == {("block", "cash_over_max")}
    assert found(gift(10_000, "espèces"), config=config) == set()


# --- Party cap: 7 500 € per person per calendar year, warn from 6 000 € (art. 11-4) ------------

Y25, Y26 = date(2025, 12, 31), date(2026, 1, 1)
PARTY_CAP_CASES = [
    # (earlier gifts, this gift, donor, expected)
    ([gift(740_000)], gift(10_000), PERSON, {("warn", "party_cap_near")}),  # exactly 7 500 €
    ([gift(740_000)], gift(10_001), PERSON, {("block", "party_cap_exceeded")}),  # + 1 cent
    ([gift(500_000)], gift(99_999), PERSON, set()),  # 5 999,99 €
    ([gift(500_000)], gift(100_000), PERSON, {("warn", "party_cap_near")}),  # 6 000 € warns
    ([], gift(750_001), PERSON, {("block", "party_cap_exceeded")}),
    ([], gift(750_000), PERSON, {("warn", "party_cap_near")}),
    # 31 December and 1 January are different years.
    ([gift(750_000, on=Y25)], gift(10_000, on=Y26), PERSON, set()),
    ([gift(750_000, on=Y26)], gift(1, on=date(2026, 12, 31)), PERSON, {("block", "party_cap_exceeded")}),
    ([gift(750_000, on=Y26)], gift(1, on=Y25), PERSON, set()),
    # Cotisations count with dons.
    ([gift(700_000, kind="cotisation")], gift(50_001), PERSON, {("block", "party_cap_exceeded")}),
    ([gift(700_000)], gift(50_001, kind="cotisation"), PERSON, {("block", "party_cap_exceeded")}),
    # Élus' cotisations are outside the cap; their dons are not.
    ([gift(700_000, kind="cotisation_élu")], gift(50_001), ELU, set()),
    ([], gift(2_000_000, kind="cotisation_élu"), ELU, set()),
    ([gift(700_000)], gift(50_001, kind="cotisation_élu"), ELU, set()),
    ([gift(700_000)], gift(50_001), ELU, {("block", "party_cap_exceeded")}),
    ([gift(700_000, kind="cotisation_elu")], gift(50_001), ELU, set()),  # unaccented alias
    # Without a recorded mandate: still outside the cap (rule 6), with a warning to record it.
    ([], gift(750_001, kind="cotisation_élu"), PERSON, {("warn", "elu_cotisation_without_mandate")}),
    ([gift(700_000, kind="cotisation_élu")], gift(50_001), PERSON, set()),
    # Campaign gifts are not party money.
    ([gift(460_000, ledger=LYON)], gift(740_000), PERSON, {("warn", "party_cap_near")}),
]


@pytest.mark.parametrize(("earlier", "this", "donor", "expected"), PARTY_CAP_CASES)
def test_party_cap(earlier: list[Gift], this: Gift, donor: Donor, expected: set[tuple[str, str]]) -> None:
    assert found(this, donor, history(*earlier)) == expected


def test_party_cap_numbers_are_settings() -> None:
    config = LawConfig(party_cap_cents=100_000, party_warn_cents=50_000)
    assert found(gift(100_001), config=config) == {("block", "party_cap_exceeded")}
    assert found(gift(50_000), config=config) == {("warn", "party_cap_near")}
    assert found(gift(49_999), config=config) == set()


def test_party_cap_finding_params() -> None:
    [f] = check_gift(gift(10_001), PERSON, history(gift(740_000)), CONFIG, TODAY)
    assert f.params == {
        "amount": 10_001,
        "total": 750_001,
        "year": 2026,
        "cap": 750_000,
        "article": f.article,
    }
    assert f.article == "loi 88-227 art. 11-4 al. 1"


def test_year_total_party() -> None:
    gifts = [
        gift(100, on=Y25),
        gift(200, on=Y26),
        gift(400, kind="cotisation", on=Y26),
        gift(800, kind="cotisation_élu", on=Y26),
        gift(1_600, ledger=LYON, on=Y26),
    ]
    assert year_total_party(gifts, 2025) == 100
    assert year_total_party(gifts, 2026, ELU) == 600
    assert year_total_party(gifts, 2026, PERSON) == 600  # no mandate: still out, and warned


def test_the_filing_deadline_is_the_10th_friday_after_the_first_round() -> None:
    """Rule 26: 15 March 2026 → 22 May 2026; a campaign gift the next day is refused."""
    assert filing_deadline(date(2026, 3, 15)) == date(2026, 5, 22)
    assert filing_deadline(date(2032, 3, 14)) == date(2032, 5, 21)
    ledger = Ledger(
        id="campaign:Lyon:m",
        kind="campaign",
        city="Lyon",
        election_id="m",
        population=522_250,
        mandataire_declared=True,
        official_ceiling_cents=120_000_000,
        election_day=date(2026, 3, 15),
    )
    on_time = check_gift(
        gift(100, ledger=ledger, on=date(2026, 5, 22)), PERSON, History(), CONFIG, date(2026, 6, 1)
    )
    late = check_gift(
        gift(100, ledger=ledger, on=date(2026, 5, 23)), PERSON, History(), CONFIG, date(2026, 6, 1)
    )
    assert "campaign_after_window" not in {f.code for f in on_time}
    assert ("block", "campaign_after_window") in {(f.level, f.code) for f in late}


# --- Campaign cap: 4 600 € per person per election, all the movement's lists (L52-8) ----------

CAMPAIGN_CAP_CASES = [
    ([gift(400_000, ledger=PARIS)], gift(60_000, ledger=LYON), PERSON, set()),  # exactly 4 600 €
    ([gift(400_000, ledger=PARIS)], gift(60_001, ledger=LYON), PERSON, {("block", "campaign_cap_exceeded")}),
    ([gift(400_000, ledger=LYON)], gift(60_001, ledger=LYON), PERSON, {("block", "campaign_cap_exceeded")}),
    ([], gift(460_001, ledger=LYON), PERSON, {("block", "campaign_cap_exceeded")}),
    # A different election has its own 4 600 €.
    ([gift(460_000, ledger=LYON)], gift(460_000, ledger=LYON_BY), PERSON, set()),
    # Party money does not count.
    ([gift(700_000)], gift(460_000, ledger=LYON), PERSON, set()),
    # A list member's money to their own list is an apport: warned, uncapped.
    (
        [],
        gift(1_000_000, ledger=LYON),
        replace(PERSON, is_list_member_of=frozenset({LYON.id})),
        {("warn", "list_member_apport")},
    ),
    # ... and it does not eat into their 4 600 € for other lists.
    (
        [gift(1_000_000, ledger=LYON)],
        gift(460_000, ledger=PARIS),
        replace(PERSON, is_list_member_of=frozenset({LYON.id})),
        set(),
    ),
    # An élu's gift to a list counts like anyone's.
    ([gift(400_000, ledger=PARIS)], gift(60_001, ledger=LYON), ELU, {("block", "campaign_cap_exceeded")}),
]


@pytest.mark.parametrize(("earlier", "this", "donor", "expected"), CAMPAIGN_CAP_CASES)
def test_campaign_cap(earlier: list[Gift], this: Gift, donor: Donor, expected: set[tuple[str, str]]) -> None:
    assert found(this, donor, history(*earlier)) == expected


def test_election_total_campaign() -> None:
    member = replace(PERSON, is_list_member_of=frozenset({PARIS.id}))
    gifts = [gift(100, ledger=LYON), gift(200, ledger=PARIS), gift(400, ledger=LYON_BY), gift(800)]
    assert election_total_campaign(gifts, ELECTION) == 300
    assert election_total_campaign(gifts, ELECTION, member) == 100
    assert election_total_campaign(gifts, BY_ELECTION) == 400


# --- Collection window and filed account (L52-4, L52-12) --------------------------------------

FILED = replace(LYON, account_filed_on=date(2026, 5, 22))
ENDED = replace(LYON, window_end=date(2026, 5, 22))
WINDOW_CASES = [
    (LYON, date(2025, 9, 1), set()),  # first day
    (LYON, date(2025, 8, 31), {("block", "campaign_before_window")}),  # day before
    (ENDED, date(2026, 5, 22), set()),
    (ENDED, date(2026, 5, 23), {("block", "campaign_after_window")}),
    (FILED, date(2026, 5, 22), set()),  # filing day
    (FILED, date(2026, 5, 23), {("block", "campaign_account_filed")}),
    (replace(FILED, window_end=date(2026, 5, 22)), date(2026, 5, 23), {("block", "campaign_account_filed")}),
    (LYON_BY, date(2000, 1, 1), set()),  # no window configured: nothing to check
]


@pytest.mark.parametrize(("ledger", "on", "expected"), WINDOW_CASES)
def test_collection_window(ledger: Ledger, on: date, expected: set[tuple[str, str]]) -> None:
    assert found(gift(ledger=ledger, on=on)) == expected


@pytest.mark.parametrize(
    ("election", "start"),
    [
        (date(2026, 3, 15), date(2025, 9, 1)),
        (date(2026, 3, 22), date(2025, 9, 1)),
        (date(2026, 6, 1), date(2025, 12, 1)),
        (date(2026, 7, 10), date(2026, 1, 1)),
        (date(2026, 12, 6), date(2026, 6, 1)),
        (date(2027, 1, 31), date(2026, 7, 1)),
    ],
)
def test_collection_window_start(election: date, start: date) -> None:
    assert collection_window_start(election) == start


# --- Mandataire from 9 000 inhabitants (L52-4) -------------------------------------------------

NO_MANDATAIRE = replace(LYON, mandataire_declared=False, official_ceiling_cents=None)
MANDATAIRE_CASES = [
    (
        replace(NO_MANDATAIRE, population=9_000, official_ceiling_cents=1_400_000),
        {("block", "campaign_no_mandataire")},
    ),
    (replace(NO_MANDATAIRE, population=8_999), {("warn", "campaign_no_tax_reduction")}),
    (
        replace(NO_MANDATAIRE, population=9_000, mandataire_declared=True, official_ceiling_cents=1_400_000),
        set(),
    ),
    (replace(NO_MANDATAIRE, population=None), {("warn", "campaign_population_unknown")}),
]


@pytest.mark.parametrize(("ledger", "expected"), MANDATAIRE_CASES)
def test_mandataire(ledger: Ledger, expected: set[tuple[str, str]]) -> None:
    assert found(gift(ledger=ledger)) == expected


# --- Total cash of a list: 20 % of a ceiling >= 15 000 €, warn at 80 % (L52-8) ----------------

CASH_TOTAL_CASES = [
    # (ledger, cash already received, this gift, expected); SMALL_TOWN cap is 3 000 €.
    (SMALL_TOWN, 225_000, gift(14_999, "espèces", ledger=SMALL_TOWN), set()),  # 2 399,99 €
    (SMALL_TOWN, 225_000, gift(15_000, "espèces", ledger=SMALL_TOWN), {("warn", "campaign_cash_total_near")}),
    (SMALL_TOWN, 285_000, gift(15_000, "espèces", ledger=SMALL_TOWN), {("warn", "campaign_cash_total_near")}),
    (
        SMALL_TOWN,
        285_001,
        gift(15_000, "espèces", ledger=SMALL_TOWN),
        {("block", "campaign_cash_total_exceeded")},
    ),
    (SMALL_TOWN, 300_000, gift(15_000, "chèque", ledger=SMALL_TOWN), set()),  # only cash counts
    # Ceiling just under 15 000 €: no cash total rule at all.
    (
        replace(SMALL_TOWN, official_ceiling_cents=1_499_999),
        1_000_000,
        gift(15_000, "espèces", ledger=SMALL_TOWN),
        set(),
    ),
    # Ceiling unknown: warn for a town of 9 000+, nothing under 9 000 (there is no ceiling).
    (
        replace(SMALL_TOWN, official_ceiling_cents=None),
        0,
        gift(100, "espèces"),
        {("warn", "campaign_ceiling_unknown")},
    ),
    (VILLAGE, 0, gift(100, "espèces"), {("warn", "campaign_no_tax_reduction")}),
]


@pytest.mark.parametrize(("ledger", "cash", "this", "expected"), CASH_TOTAL_CASES)
def test_campaign_cash_total(ledger: Ledger, cash: int, this: Gift, expected: set[tuple[str, str]]) -> None:
    assert found(replace(this, ledger=ledger), hist=history(cash=cash)) == expected


def test_campaign_cash_total_params() -> None:
    [f] = check_gift(gift(15_000, "espèces", ledger=SMALL_TOWN), PERSON, history(cash=225_000), CONFIG, TODAY)
    assert f.params["total"] == 240_000 and f.params["cap"] == 300_000 and f.params["percent"] == 80
    assert "20 %" in finding_message(f) and "€3,000.00" in finding_message(f, "en")


def test_a_collection_counts_in_the_cash_total() -> None:
    # 200 € passed round at a meeting: not one gift, so no 150 € rule, but it fills the cap.
    this = gift(20_000, "espèces", ledger=SMALL_TOWN)
    assert found(this, None, history(cash=280_001)) == {
        ("block", "campaign_cash_total_exceeded"),
        ("warn", "campaign_collection"),
    }


# --- Who may give (art. 11-4; L52-8) -----------------------------------------------------------

COMPANY = Donor(type="morale", name="SCI Les Tilleuls")
OTHER_PARTY = Donor(type="parti", name="Parti ami", party_is_1988=True)
ASSOCIATION_PARTY = Donor(type="parti", name="Collectif", party_is_1988=False)
MOVEMENT = Donor(type="parti", name="À nous la démocratie !", is_movement=True)
NOT_1988 = LawConfig(is_party_1988=False)

WHO_CASES = [
    (COMPANY, PARTY, CONFIG, {("block", "legal_person")}),
    (COMPANY, LYON, CONFIG, {("block", "legal_person")}),
    (OTHER_PARTY, PARTY, CONFIG, set()),
    (OTHER_PARTY, LYON, CONFIG, set()),
    (ASSOCIATION_PARTY, PARTY, CONFIG, {("block", "legal_person")}),
    (ASSOCIATION_PARTY, LYON, CONFIG, {("block", "party_money_not_1988")}),
    (MOVEMENT, LYON, CONFIG, set()),
    (MOVEMENT, LYON, NOT_1988, {("block", "party_money_not_1988")}),
]


@pytest.mark.parametrize(("donor", "ledger", "config", "expected"), WHO_CASES)
def test_who_may_give(
    donor: Donor, ledger: Ledger, config: LawConfig, expected: set[tuple[str, str]]
) -> None:
    assert (
        found(gift(1_000_000 if donor.type == "parti" else 5_000, ledger=ledger), donor, config=config)
        == expected
    )


def test_legal_person_articles() -> None:
    [party] = check_gift(gift(), COMPANY, History(), CONFIG, TODAY)
    [campaign] = check_gift(gift(ledger=LYON), COMPANY, History(), CONFIG, TODAY)
    assert party.article == "loi 88-227 art. 11-4 al. 3"
    assert campaign.article == "C. élect. L52-8 al. 2"
    assert "45 000 €" in finding_message(party) and "SCI Les Tilleuls" in finding_message(party)


def test_paid_from_a_company_card() -> None:
    assert found(gift(paid_from_legal_person_account=True)) == {("block", "paid_by_legal_person")}


NATIONALITY_CASES = [
    # (nationality, address country, tax residence, eligible)
    ("FR", "FR", None, True),
    ("FR", "BE", None, True),  # French living abroad
    ("française", "DE", "DE", True),
    ("DE", "FR", None, True),  # resident in France
    ("DE", "DE", "FR", True),
    ("US", "RE", None, True),  # La Réunion is France
    ("DE / FR", "DE", None, True),  # dual national
    ("DE", "DE", None, False),
    ("DE", "FR", "DE", False),  # address in France, taxed in Germany
    ("ES", "ES", "ES", False),
]


@pytest.mark.parametrize(("nationality", "country", "tax", "eligible"), NATIONALITY_CASES)
@pytest.mark.parametrize("ledger", [PARTY, LYON])
def test_french_or_resident(
    nationality: str, country: str, tax: str | None, eligible: bool, ledger: Ledger
) -> None:
    donor = replace(PERSON, nationality=nationality, country=country, tax_residence_country=tax)
    assert found(gift(ledger=ledger), donor) == (set() if eligible else {("block", "donor_not_eligible")})


IDENTITY_CASES = [
    ("first_name", None),
    ("first_name", "   "),
    ("last_name", ""),
    ("address", None),
    ("postcode", None),
    ("city", None),
    ("country", None),
    ("nationality", None),
]


@pytest.mark.parametrize(("name", "value"), IDENTITY_CASES)
def test_identity_required(name: str, value: str | None) -> None:
    changes: dict[str, Any] = {name: value}
    donor = replace(PERSON, **changes)
    [f] = check_gift(gift(), donor, History(), CONFIG, TODAY)
    assert (f.level, f.code, f.params["missing"]) == ("block", "donor_identity_incomplete", (name,))


def test_identity_lists_every_missing_field() -> None:
    [f] = check_gift(
        gift(), Donor(nationality="FR", sworn_declaration_at=datetime(2026, 1, 1)), History(), CONFIG, TODAY
    )
    assert f.params["missing"] == ("first_name", "last_name", "address", "postcode", "city")
    assert "prénom, nom, adresse, code postal, ville" in finding_message(f)
    assert "first name, last name, address, postcode, town" in finding_message(f, "en")


UNIDENTIFIED_CASES = [
    (gift(5_000, "espèces"), {("warn", "unidentified_cash_party")}),
    (gift(50_000, "espèces"), {("warn", "unidentified_cash_party")}),  # a collection, not one gift
    (gift(5_000, "espèces", ledger=LYON), {("warn", "campaign_collection")}),
    (gift(5_000, "chèque"), {("block", "donor_unidentified")}),
    (gift(5_000, "virement", ledger=LYON), {("block", "donor_unidentified")}),
]


@pytest.mark.parametrize(("this", "expected"), UNIDENTIFIED_CASES)
def test_unidentified(this: Gift, expected: set[tuple[str, str]]) -> None:
    assert found(this, None) == expected


# --- A movement that is not a 1988-law party; tax reduction --------------------------------

TAX_CASES = [
    (NOT_1988, gift(), {("warn", "no_tax_receipt")}),
    (NOT_1988, gift(kind="cotisation"), {("warn", "no_tax_receipt")}),
    (NOT_1988, gift(ledger=LYON), set()),
    (
        LawConfig(tax_reduction_suspended_until=date(2026, 6, 30)),
        gift(on=date(2026, 6, 30)),
        {("warn", "tax_reduction_suspended")},
    ),
    (LawConfig(tax_reduction_suspended_until=date(2026, 6, 30)), gift(on=date(2026, 7, 1)), set()),
    (
        LawConfig(tax_reduction_suspended_until=date(2026, 6, 30)),
        gift(on=date(2026, 3, 1), ledger=LYON),
        set(),
    ),
    # Not a party: no receipts at all, so the suspension adds nothing.
    (
        replace(NOT_1988, tax_reduction_suspended_until=date(2026, 6, 30)),
        gift(),
        {("warn", "no_tax_receipt")},
    ),
    (CONFIG, gift(has_consideration=True), {("warn", "no_tax_reduction_consideration")}),
    (CONFIG, gift(has_consideration=True, ledger=LYON), {("warn", "no_tax_reduction_consideration")}),
    (CONFIG, gift(ledger=VILLAGE), {("warn", "campaign_no_tax_reduction")}),
]


@pytest.mark.parametrize(("config", "this", "expected"), TAX_CASES)
def test_tax(config: LawConfig, this: Gift, expected: set[tuple[str, str]]) -> None:
    assert found(this, config=config, today=date(2026, 12, 1)) == expected


# --- Cash split into pieces ------------------------------------------------------------------

D0 = date(2026, 3, 1)
SPLIT_CASES = [
    ([gift(10_000, "espèces", on=D0)], gift(10_000, "espèces", on=D0 + timedelta(days=7)), True),
    ([gift(10_000, "espèces", on=D0)], gift(10_000, "espèces", on=D0 + timedelta(days=8)), False),
    ([gift(10_000, "espèces", on=D0 + timedelta(days=3))], gift(10_000, "espèces", on=D0), True),
    ([gift(5_000, "espèces", on=D0)], gift(10_000, "espèces", on=D0), False),  # 150 € together
    ([gift(5_000, "espèces", on=D0)], gift(10_001, "espèces", on=D0), True),
    ([gift(10_000, "chèque", on=D0)], gift(10_000, "espèces", on=D0), False),
    ([gift(10_000, "espèces", on=D0, ledger=LYON)], gift(10_000, "espèces", on=D0), False),  # other ledger
    ([gift(10_000, "espèces", on=D0)], gift(10_000, "chèque", on=D0), False),
]


@pytest.mark.parametrize(("earlier", "this", "warned"), SPLIT_CASES)
def test_cash_splitting(earlier: list[Gift], this: Gift, warned: bool) -> None:
    assert found(this, hist=history(*earlier)) == ({("warn", "cash_split_suspected")} if warned else set())


def test_split_window_is_a_setting() -> None:
    earlier = history(gift(10_000, "espèces", on=D0))
    this = gift(10_000, "espèces", on=D0 + timedelta(days=2))
    assert found(this, hist=earlier, config=LawConfig(cash_split_days=1)) == set()


# --- Everything else, one line each -----------------------------------------------------------

IBAN = "FR76 3000 6000 0112 3456 7890 189"
MISC_CASES = [
    ("platform without tx id", gift(method="plateforme"), PERSON, CONFIG, {("warn", "platform_tx_missing")}),
    ("platform with tx id", gift(method="plateforme", provider_tx_id="abc"), PERSON, CONFIG, set()),
    ("earmarked", gift(earmarked_for=LYON.id), PERSON, CONFIG, {("warn", "earmarked_party_don")}),
    (
        "above fee",
        gift(5_001, kind="cotisation"),
        PERSON,
        LawConfig(statutory_fee_cents=5_000),
        {("warn", "cotisation_above_fee")},
    ),
    ("at fee", gift(5_000, kind="cotisation"), PERSON, LawConfig(statutory_fee_cents=5_000), set()),
    (
        "no declaration, party",
        gift(),
        replace(PERSON, sworn_declaration_at=None),
        CONFIG,
        {("warn", "sworn_declaration_missing")},
    ),
    (
        "no declaration, list",
        gift(ledger=LYON),
        replace(PERSON, sworn_declaration_at=None),
        CONFIG,
        {("warn", "sworn_declaration_missing")},
    ),
    (
        "no declaration, élu fee",
        gift(kind="cotisation_élu"),
        replace(ELU, sworn_declaration_at=None),
        CONFIG,
        set(),
    ),
    (
        "declaration not required",
        gift(),
        replace(PERSON, sworn_declaration_at=None),
        LawConfig(require_sworn_declaration=False),
        set(),
    ),
    ("future date", gift(on=TODAY + timedelta(days=1)), PERSON, CONFIG, {("warn", "received_in_future")}),
    ("today", gift(on=TODAY), PERSON, CONFIG, set()),
    (
        "wrong account",
        gift(account="FR00 1111", ledger=replace(LYON, bank_account=IBAN)),
        PERSON,
        CONFIG,
        {("block", "wrong_account")},
    ),
    (
        "same account",
        gift(account=IBAN.replace(" ", "").lower(), ledger=replace(LYON, bank_account=IBAN)),
        PERSON,
        CONFIG,
        set(),
    ),
    (
        "cotisation to a list",
        gift(kind="cotisation", ledger=LYON),
        PERSON,
        CONFIG,
        {("block", "cotisation_on_campaign")},
    ),
    ("zero", gift(0), PERSON, CONFIG, {("block", "invalid_amount")}),
    ("negative", gift(-100), PERSON, CONFIG, {("block", "invalid_amount")}),
    ("bad kind", gift(kind="prêt"), PERSON, CONFIG, {("block", "invalid_kind")}),
    ("bad method", gift(method="bitcoin"), PERSON, CONFIG, {("block", "invalid_method")}),
    ("cheque alias", gift(method="cheque"), PERSON, CONFIG, set()),
]


@pytest.mark.parametrize(
    ("label", "this", "donor", "config", "expected"), MISC_CASES, ids=[c[0] for c in MISC_CASES]
)
def test_misc(
    label: str, this: Gift, donor: Donor, config: LawConfig, expected: set[tuple[str, str]]
) -> None:
    assert found(this, donor, config=config) == expected


# --- Order and messages ---------------------------------------------------------------------


def test_blocks_come_first_and_every_finding_is_reported() -> None:
    donor = replace(PERSON, nationality="DE", country="DE", sworn_declaration_at=None)
    this = gift(
        20_000,
        "espèces",
        on=date(2025, 8, 1),
        ledger=replace(SMALL_TOWN, mandataire_declared=False),
        has_consideration=True,
    )
    findings = check_gift(this, donor, history(cash=299_000), CONFIG, TODAY)
    levels = [f.level for f in findings]
    assert levels == sorted(levels, key=lambda level: level != "block")
    assert {f.code for f in findings} == {
        "campaign_no_mandataire",
        "campaign_before_window",
        "donor_not_eligible",
        "cash_over_max",
        "campaign_cash_total_exceeded",
        "no_tax_reduction_consideration",
        "sworn_declaration_missing",
    }
    assert has_block(findings) and not has_block([f for f in findings if f.level == "warn"])


SCENARIOS = (
    [(gift(a, m, k, ledger=ledger), PERSON, History(), CONFIG) for a, m, ledger, k, _ in CASH_CASES]
    + [
        (this, donor, history(*earlier), CONFIG)
        for earlier, this, donor, _ in PARTY_CAP_CASES + CAMPAIGN_CAP_CASES
    ]
    + [(gift(ledger=ledger, on=on), PERSON, History(), CONFIG) for ledger, on, _ in WINDOW_CASES]
    + [(gift(ledger=ledger), PERSON, History(), CONFIG) for ledger, _ in MANDATAIRE_CASES]
    + [
        (replace(this, ledger=ledger), PERSON, history(cash=cash), CONFIG)
        for ledger, cash, this, _ in CASH_TOTAL_CASES
    ]
    + [(gift(ledger=ledger), donor, History(), config) for donor, ledger, config, _ in WHO_CASES]
    + [(this, None, History(), CONFIG) for this, _ in UNIDENTIFIED_CASES]
    + [(this, PERSON, History(), config) for config, this, _ in TAX_CASES]
    + [(this, PERSON, history(*earlier), CONFIG) for earlier, this, _ in SPLIT_CASES]
    + [(this, donor, History(), config) for _, this, donor, config, _ in MISC_CASES]
    + [
        (gift(), replace(PERSON, nationality="DE", country="DE"), History(), CONFIG),
        (gift(), Donor(), History(), CONFIG),
        (gift(paid_from_legal_person_account=True), PERSON, History(), CONFIG),
        (gift(ledger=replace(SMALL_TOWN, official_ceiling_cents=None)), PERSON, History(), CONFIG),
        (gift(15_000, "espèces", ledger=SMALL_TOWN), PERSON, history(cash=225_000), CONFIG),
    ]
)
ALL_FINDINGS = [f for g, d, h, c in SCENARIOS for f in check_gift(g, d, h, c, TODAY)]


def test_every_code_is_exercised_and_known() -> None:
    assert {f.code for f in ALL_FINDINGS} == set(FINDING_CODES)


def test_french_and_english_templates_match() -> None:
    assert set(FINDING_CODES) == set(FINDING_CODES_EN)
    for code, template in FINDING_CODES.items():
        assert _placeholders(template) == _placeholders(FINDING_CODES_EN[code]), code


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_finding_renders(lang: str) -> None:
    for f in ALL_FINDINGS:
        text = finding_message(f, lang)
        assert "{" not in text and text.strip(), f
        assert _placeholders((FINDING_CODES_EN if lang == "en" else FINDING_CODES)[f.code]) <= set(
            f.params
        ), f
        if f.article and "{article}" in FINDING_CODES[f.code]:
            assert f.article in text


PENALTY_CODES = {
    "legal_person",
    "party_money_not_1988",
    "paid_by_legal_person",
    "donor_unidentified",
    "donor_not_eligible",
    "cash_over_max",
    "party_cap_exceeded",
    "campaign_no_mandataire",
    "campaign_cap_exceeded",
    "campaign_cash_total_exceeded",
}


@pytest.mark.parametrize("code", sorted(PENALTY_CODES))
def test_blocks_quote_the_penalty(code: str) -> None:
    assert "3 ans d'emprisonnement et 45 000 € d'amende" in FINDING_CODES[code]
    assert "3 years' imprisonment and a €45,000 fine" in FINDING_CODES_EN[code]


def test_params_render_per_language() -> None:
    f = Finding(
        "block",
        "campaign_before_window",
        "C. élect. L52-4 al. 2",
        {"date": date(2025, 8, 31), "start": "2025-09-01"},
    )
    assert finding_params(f, "fr")["start"] == "1 septembre 2025"
    assert finding_params(f, "en")["date"] == "August 31, 2025"


def test_cash_message_matches_the_brief() -> None:
    [f] = check_gift(gift(20_000, "espèces"), PERSON, History(), CONFIG, TODAY)
    assert finding_message(f) == (
        "Versement en espèces de 200,00\u00a0€ : au-delà de 150,00\u00a0€, seuls chèque, virement, "
        "prélèvement ou carte sont autorisés (loi 88-227 art. 11-4). "
        "Peine encourue : 3 ans d'emprisonnement et 45 000 € d'amende."
    )


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --- Properties ----------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
MAYBE_TEXT = st.one_of(st.none(), st.sampled_from(["", " ", "Léa", "FR", "DE", "fr / de", "RE", "75010"]))
LEDGERS = st.one_of(
    st.just(PARTY),
    st.builds(
        Ledger,
        id=st.sampled_from([LYON.id, PARIS.id, LYON_BY.id, "campaign:x"]),
        kind=st.just("campaign"),
        city=st.one_of(st.none(), st.just("Lyon")),
        election_id=st.one_of(st.none(), st.sampled_from([ELECTION, BY_ELECTION])),
        population=st.one_of(st.none(), st.integers(0, 3_000_000)),
        mandataire_declared=st.booleans(),
        official_ceiling_cents=st.one_of(st.none(), st.integers(0, 200_000_000)),
        window_start=st.one_of(st.none(), DAYS),
        window_end=st.one_of(st.none(), DAYS),
        account_filed_on=st.one_of(st.none(), DAYS),
        bank_account=st.one_of(st.none(), st.just(IBAN)),
    ),
)
GIFTS = st.builds(
    Gift,
    amount_cents=st.integers(-10_000, 2_000_000),
    method=st.sampled_from([*METHODS, "cheque", "especes", "bitcoin"]),
    kind=st.sampled_from([*KINDS, "cotisation_elu", "prêt"]),
    received_on=DAYS,
    ledger=LEDGERS,
    provider_tx_id=st.one_of(st.none(), st.just("tx")),
    account=st.one_of(st.none(), st.just("FR00")),
    paid_from_legal_person_account=st.booleans(),
    has_consideration=st.booleans(),
    earmarked_for=st.one_of(st.none(), st.just(LYON.id)),
)
DONORS = st.one_of(
    st.none(),
    st.builds(
        Donor,
        type=st.sampled_from(["physique", "morale", "parti"]),
        first_name=MAYBE_TEXT,
        last_name=MAYBE_TEXT,
        address=MAYBE_TEXT,
        postcode=MAYBE_TEXT,
        city=MAYBE_TEXT,
        country=MAYBE_TEXT,
        nationality=MAYBE_TEXT,
        tax_residence_country=MAYBE_TEXT,
        elected_mandate=MAYBE_TEXT,
        is_list_member_of=st.frozensets(st.sampled_from([LYON.id, PARIS.id])),
        sworn_declaration_at=st.one_of(st.none(), st.just(datetime(2026, 1, 1))),
        name=MAYBE_TEXT,
        party_is_1988=st.booleans(),
        is_movement=st.booleans(),
    ),
)
CONFIGS = st.builds(
    LawConfig,
    is_party_1988=st.booleans(),
    tax_reduction_suspended_until=st.one_of(st.none(), DAYS),
    statutory_fee_cents=st.one_of(st.none(), st.integers(0, 100_000)),
    campaign_cash_share=st.sampled_from([0.0, 0.2, 0.25]),
)


@settings(max_examples=300)
@given(GIFTS, DONORS, st.lists(GIFTS, max_size=6), st.integers(0, 50_000_000), CONFIGS, DAYS)
def test_check_gift_never_raises_and_puts_blocks_first(
    this: Gift, donor: Donor | None, earlier: list[Gift], cash: int, config: LawConfig, today: date
) -> None:
    findings = check_gift(this, donor, history(*earlier, cash=cash), config, today)
    levels = [f.level for f in findings]
    assert set(levels) <= {"block", "warn"}
    assert levels == sorted(levels, key=lambda level: level != "block")
    for f in findings:
        assert f.code in FINDING_CODES
        finding_message(f, "fr")
        finding_message(f, "en")

"""The treasurer's ledger without Telegram: reading dates and countries, settings → the law,
register numbers, exports, the chart, and the Google Sheet push (real client, fake server)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import Settings
from capabilities import donations as money
from capabilities.donations import chart as charts
from domain import law

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hier", date(2026, 11, 25)),
        ("Aujourd'hui", TODAY),
        ("avant-hier", date(2026, 11, 24)),
        ("il y a 3 jours", date(2026, 11, 23)),
        ("il y a deux semaines", date(2026, 11, 12)),
        ("lundi", date(2026, 11, 23)),
        ("jeudi", TODAY),
        ("jeudi dernier", date(2026, 11, 19)),
        ("le 3", date(2026, 11, 3)),
        ("le 30", date(2026, 10, 30)),
        ("12/11", date(2026, 11, 12)),
        ("12/12", date(2025, 12, 12)),  # no year: the last 12 December that is not in the future
        ("12/11/2025", date(2025, 11, 12)),
        ("12.11.25", date(2025, 11, 12)),
        ("2025-11-12", date(2025, 11, 12)),
        ("1er décembre 2025", date(2025, 12, 1)),
        ("12 nov.", date(2026, 11, 12)),
        ("reçu le mardi 3 novembre", date(2026, 11, 3)),
        ("31 décembre 2025", date(2025, 12, 31)),
        ("demain", date(2026, 11, 27)),  # read, then refused by the caller as in the future
        ("31/12/2099", date(2099, 12, 31)),
        ("31/02/2025", None),
        ("douze novembre", None),
        ("un jour", None),
        ("", None),
        ("12/11/1999", None),
    ],
)
def test_parse_received(text: str, expected: date | None) -> None:
    assert money.parse_received(text, TODAY) == expected


@given(st.text(max_size=80))
def test_parse_received_never_raises(text: str) -> None:
    result = money.parse_received(text, TODAY)
    assert result is None or isinstance(result, date)


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY))
def test_numeric_dates_read_back(day: date) -> None:
    assert money.parse_received(day.strftime("%d/%m/%Y"), TODAY) == day
    assert money.parse_received(day.isoformat(), TODAY) == day


def test_countries_nationalities_and_words() -> None:
    assert money.parse_country("Allemagne") == "DE" and money.parse_country("germany") == "DE"
    assert money.parse_country("be") == "BE" and money.parse_country("Royaume-Uni") == "GB"
    assert money.parse_country("Atlantide") is None
    assert money.parse_nationality("française") == "FR"
    assert money.parse_nationality("belge et française") == "BE/FR"
    assert money.parse_nationality("Allemagne") == "DE" and money.parse_nationality("martienne") is None
    assert money.parse_method("CB") == ("carte", "") and money.parse_method("HelloAsso") == ("plateforme", "HelloAsso")
    assert money.parse_method("especes") == ("espèces", "") and money.parse_method("troc") is None
    assert money.parse_kind("cotisation_élu") == "cotisation_élu" and money.parse_kind("Cotisation d'élu") == "cotisation_élu"
    assert money.parse_kind("adhésion") == "cotisation" and money.parse_kind("prêt") is None
    assert money.parse_postcode_city("69001 Lyon") == ("69001", "Lyon")
    assert money.parse_postcode_city("SW1A 1AA London") is None or money.parse_postcode_city("SW1A London")
    assert money.parse_postcode_city("Lyon") is None
    assert money.parse_email("Jean@Exemple.fr ") == "jean@exemple.fr" and money.parse_email("jean@") is None
    assert money.parse_provider("helloasso 123") == ("HelloAsso", "123") and money.parse_provider("HelloAsso") is None


def test_settings_map_to_the_law() -> None:
    default = money.law_config(Settings(_env_file=None))
    assert default == law.LawConfig(statutory_fee_cents=None)  # the legal defaults, unchanged
    custom = Settings(
        _env_file=None, law_party_cap_eur=Decimal("7000"), law_cash_max_eur=Decimal("100.50"),
        law_campaign_cash_share=0.1, law_is_party_1988=False, membership_fees={"standard": Decimal("42")},
        law_tax_reduction_suspended_until=date(2027, 1, 1),
    )  # fmt: skip
    config = money.law_config(custom, "standard")
    assert (config.party_cap_cents, config.cash_max_cents, config.campaign_cash_share) == (700000, 10050, 0.1)
    assert config.is_party_1988 is False and config.statutory_fee_cents == 4200
    assert config.tax_reduction_suspended_until == date(2027, 1, 1)
    entry = money.Entry(4300, "chèque", "cotisation", TODAY, membership_kind="standard")
    found = law.check_gift(entry.gift({}), law.Donor(first_name="A", last_name="B", address="1 rue", postcode="1",
                                                     city="C", nationality="FR", sworn_declaration_at=datetime.now(UTC)),
                           law.History(), config, TODAY)  # fmt: skip
    assert {f.code for f in found} == {"cotisation_above_fee", "no_tax_receipt"}


def test_register_numbers_and_findings_round_trip() -> None:
    ledger = money.new_ledger(city="Villeneuve-Saint-Georges-sur-Seine", election="municipales-2032", population=None,
                              mandataire=True, ceiling_cents=None, window_start=None, window_end=None, filed_on=None,
                              bank_account="")  # fmt: skip
    number = money.receipt_number(ledger.id, 2032, 12, {ledger.id: ledger})
    assert number.startswith("VILLENEUVESAIN-") and number.endswith("-2032-00012") and len(number) <= 40
    assert money.receipt_number("party", 2026, 1, {}) == "MVT-2026-00001"
    finding = law.Finding("block", "donor_identity_incomplete", "art", {"missing": ("address",), "date": TODAY})
    (back,) = money.findings_from_json(money.findings_json([finding]))
    assert money.finding_text(back, "fr") == money.finding_text(finding, "fr")
    assert "⛔" in money.finding_lines([back], "fr")[0]
    assert money.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert money.euros_text(123456) == "1234.56" and money.cents(Decimal("0.1")) == 10


def test_chart_is_a_png() -> None:
    png = charts.bilan_chart([f"m{i}" for i in range(12)], [0, 5000, 120000] + [0] * 9, goal_cents=500000,
                             raised_cents=125000, title="Bilan", progress_label="125 € / 5 000 €")  # fmt: skip
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert charts.bilan_chart(["a"], [0], goal_cents=None, raised_cents=0, title="Vide").startswith(b"\x89PNG")


async def test_new_rows_are_pushed_to_the_sheet_once(db) -> None:  # type: ignore[no-untyped-def]
    from bot.services import Services
    from integrations.sheets import SheetsClient
    from sandbox.google import FakeSheets, static_credentials
    from storage import donations as q

    settings = Settings(_env_file=None, donations_sheet_id="1Sheet", donations_sheet_tab="Dons")
    services = Services(settings=settings, db=db)
    with FakeSheets() as fake:
        fake.add_spreadsheet("1Sheet", ["Dons"])
        services.extras["donations_sheets"] = SheetsClient(static_credentials, "1Sheet", api_endpoint=fake.url,
                                                           backoff_base=0.001, backoff_max=0.005)  # fmt: skip
        assert await money.push_to_sheet(services) == 0

        async def give(key: str, cents: int) -> None:
            async with services.transaction() as s:
                donor = await q.add_donor(s, first_name="=Léa", last_name="Martin", city="Lyon")
                entry = money.Entry(cents, "chèque", "don", TODAY - timedelta(days=1))
                await money.record(s, settings, entry, donor, findings=[], request_key=key, actor=None)

        await give("a", 5000)
        await give("b", 7000)
        assert await money.push_to_sheet(services) == 2
        assert await money.push_to_sheet(services) == 0
        await give("c", 100)
        assert await money.push_to_sheet(services) == 1
        rows = fake.rows("1Sheet", "Dons")
        assert rows[0] == money.SHEET_HEADER and len(rows) == 4
        assert [r[3] for r in rows[1:]] == [5000, 7000, 100]
        assert rows[1][9] == "=Léa Martin"  # RAW input: stays text in the sheet, never a formula
        assert not fake.server_errors
    no_sheet = Services(settings=Settings(_env_file=None), db=db)
    assert await money.push_to_sheet(no_sheet) == 0

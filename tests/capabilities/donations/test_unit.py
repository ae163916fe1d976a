"""The treasurer's ledger without Telegram: settings → the law, register numbers, findings, the
chart, and the Google Sheet push (real client, fake server). What people type is read by
domain/ (tests/domain/test_donor_input.py, test_dates_past.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.settings import Settings
from capabilities.donations import chart as charts
from capabilities.donations.checking import Entry, finding_text, findings_from_json, findings_json
from capabilities.donations.config import law_config, new_ledger
from capabilities.donations.labels import finding_lines
from capabilities.donations.memberships import add_months
from capabilities.donations.recording import receipt_number, record
from capabilities.donations.sheets import SHEET_HEADER, push_to_sheet
from domain import law
from domain.money import cents_of, euros_text

TODAY = date(2026, 11, 26)  # a Thursday


def test_settings_map_to_the_law() -> None:
    default = law_config(Settings(_env_file=None))
    assert default == law.LawConfig(statutory_fee_cents=None)  # the legal defaults, unchanged
    custom = Settings(
        _env_file=None,
        law_party_cap_eur=Decimal("7000"),
        law_cash_max_eur=Decimal("100.50"),
        law_campaign_cash_share=0.1,
        law_is_party_1988=False,
        membership_fees={"standard": Decimal("42")},
        law_tax_reduction_suspended_until=date(2027, 1, 1),
    )
    config = law_config(custom, "standard")
    assert (config.party_cap_cents, config.cash_max_cents, config.campaign_cash_share) == (700000, 10050, 0.1)
    assert config.is_party_1988 is False and config.statutory_fee_cents == 4200
    assert config.tax_reduction_suspended_until == date(2027, 1, 1)
    entry = Entry(4300, "chèque", "cotisation", TODAY, membership_kind="standard")
    found = law.check_gift(
        entry.gift({}),
        law.Donor(
            first_name="A",
            last_name="B",
            address="1 rue",
            postcode="1",
            city="C",
            nationality="FR",
            sworn_declaration_at=datetime.now(UTC),
        ),
        law.History(),
        config,
        TODAY,
    )
    assert {f.code for f in found} == {"cotisation_above_fee", "no_tax_receipt"}


def test_register_numbers_and_findings_round_trip() -> None:
    ledger = new_ledger(
        city="Villeneuve-Saint-Georges-sur-Seine",
        election="municipales-2032",
        population=None,
        mandataire=True,
        ceiling_cents=None,
        window_start=None,
        window_end=None,
        filed_on=None,
        bank_account="",
    )
    number = receipt_number(ledger.id, 2032, 12, {ledger.id: ledger})
    assert number.startswith("VILLENEUVESAIN-") and number.endswith("-2032-00012") and len(number) <= 40
    assert receipt_number("party", 2026, 1, {}) == "MVT-2026-00001"
    finding = law.Finding(
        "block", "donor_identity_incomplete", "art", {"missing": ("address",), "date": TODAY}
    )
    (back,) = findings_from_json(findings_json([finding]))
    assert finding_text(back, "fr") == finding_text(finding, "fr")
    assert "⛔" in finding_lines([back], "fr")[0]
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert euros_text(123456) == "1234.56" and cents_of(Decimal("0.1")) == 10


def test_chart_is_a_png() -> None:
    png = charts.bilan_chart(
        [f"m{i}" for i in range(12)],
        [0, 5000, 120000] + [0] * 9,
        goal_cents=500000,
        raised_cents=125000,
        title="Bilan",
        progress_label="125 € / 5 000 €",
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert charts.bilan_chart(["a"], [0], goal_cents=None, raised_cents=0, title="Vide").startswith(
        b"\x89PNG"
    )


async def test_new_rows_are_pushed_to_the_sheet_once(db: Any) -> None:
    from bot.services import Services
    from integrations.sheets import SheetsClient
    from sandbox.google import FakeSheets, static_credentials
    from storage import donations as q

    settings = Settings(_env_file=None, donations_sheet_id="1Sheet", donations_sheet_tab="Dons")
    services = Services(settings=settings, db=db)
    with FakeSheets() as fake:
        fake.add_spreadsheet("1Sheet", ["Dons"])
        services.extras["donations_sheets"] = SheetsClient(
            static_credentials, "1Sheet", api_endpoint=fake.url, backoff_base=0.001, backoff_max=0.005
        )
        assert await push_to_sheet(services) == 0

        async def give(key: str, cents: int) -> None:
            async with services.transaction() as s:
                donor = await q.add_donor(s, first_name="=Léa", last_name="Martin", city="Lyon")
                entry = Entry(cents, "chèque", "don", TODAY - timedelta(days=1))
                await record(s, settings, entry, donor, findings=[], request_key=key, actor=None)

        await give("a", 5000)
        await give("b", 7000)
        assert await push_to_sheet(services) == 2
        assert await push_to_sheet(services) == 0
        await give("c", 100)
        assert await push_to_sheet(services) == 1
        rows = fake.rows("1Sheet", "Dons")
        assert rows[0] == SHEET_HEADER and len(rows) == 4
        assert [r[3] for r in rows[1:]] == [5000, 7000, 100]
        assert rows[1][9] == "=Léa Martin"  # RAW input: stays text in the sheet, never a formula
        assert not fake.server_errors
    no_sheet = Services(settings=Settings(_env_file=None), db=db)
    assert await push_to_sheet(no_sheet) == 0

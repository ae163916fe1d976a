"""`python -m bot helloasso sync --format json` against the fake HelloAsso: the exact JSON, twice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.__main__ import main
from sandbox.helloasso import FakeHelloAsso
from storage.models import Donation, Donor


@pytest.fixture
def fake() -> Iterator[FakeHelloAsso]:
    with FakeHelloAsso() as server:
        yield server


@pytest.fixture
def cli_env(db: Any, db_target: Any, fake: FakeHelloAsso, monkeypatch: Any, tmp_path: Any) -> Any:
    monkeypatch.setenv("DATABASE_URL", db_target.url)
    if db_target.schema:
        monkeypatch.setenv("DATABASE_SCHEMA", db_target.schema)
    else:
        monkeypatch.delenv("DATABASE_SCHEMA", raising=False)
    monkeypatch.setenv("HELLOASSO_API_URL", fake.url)
    monkeypatch.setenv("HELLOASSO_CLIENT_ID", fake.client_id)
    monkeypatch.setenv("HELLOASSO_CLIENT_SECRET", fake.client_secret)
    monkeypatch.setenv("HELLOASSO_ORGANIZATION_SLUG", fake.organization_slug)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return db


async def cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def test_sync_prints_the_json_report_and_a_second_run_adds_nothing(
    cli_env: Any, fake: FakeHelloAsso, capsys: Any
) -> None:
    async with cli_env.session() as s:
        s.add(
            Donor(
                first_name="Camille",
                last_name="Martin",
                address="12 rue de la République",
                postcode="69002",
                city="Lyon",
                nationality="FR",
                sworn_declaration_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    tipped = fake.add_tipped_payment(2000, tip_cents=250)["id"]
    company = fake.add_company_payment(50_000)["id"]
    code, out, err = await cli(capsys, "helloasso", "sync", "--since", "2026-01-01", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"payments", "added"} and report["added"] == 2
    assert [set(p) for p in report["payments"]] == [{"id", "status", "amount_cents", "reasons"}] * 2
    got = {p["id"]: (p["status"], p["amount_cents"]) for p in report["payments"]}
    assert got == {tipped: ("ok", 2000), company: ("refused", 50_000)}
    assert fake.client_secret not in out + err

    code, out, _ = await cli(capsys, "helloasso", "sync", "--format", "json")
    again = json.loads(out)
    assert code == 0 and again["added"] == 0
    assert {p["id"]: p["status"] for p in again["payments"]} == {tipped: "ok", company: "refused"}
    async with cli_env.session() as s:
        assert len((await s.scalars(select(Donation))).all()) == 2

    fake.cash_out([tipped], 9001, datetime(2026, 2, 3, 10, tzinfo=UTC))
    code, out, _ = await cli(capsys, "helloasso", "payouts", "--month", "2026-02", "--format", "json")
    assert code == 0
    assert json.loads(out)["payouts"][0] | {"payments": [tipped]} == {
        "payout_id": 9001,
        "date": "2026-02-03",
        "count": 1,
        "amount_cents": 2000,
        "tip_cents": 250,
        "payments": [tipped],
    }


async def test_sync_without_settings_says_what_is_missing(
    cli_env: Any, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.delenv("HELLOASSO_CLIENT_SECRET")
    code, out, err = await cli(capsys, "helloasso", "sync", "--format", "json")
    assert code == 2 and out == "" and "HELLOASSO_CLIENT_SECRET" in err

"""Campaign ledgers against the database: the 4 600 € per election across the movement's lists,
the collection window, the mandataire, the cash share of the ceiling; and idempotent recording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.settings import Settings
from capabilities.donations.checking import Entry, check
from capabilities.donations.checking import law_donor as to_law_donor
from capabilities.donations.config import new_ledger
from capabilities.donations.recording import record
from storage import donations as q
from storage.models import CampaignLedger, Donation, ReceiptCounter

TODAY = date(2026, 2, 1)
SETTINGS = Settings(_env_file=None)


def ledger(city: str, election: str = "municipales-2026", **values: Any) -> CampaignLedger:
    fields: dict[str, Any] = {
        "population": 500_000,
        "mandataire": True,
        "ceiling_cents": 100_000_000,
        "window_start": date(2025, 9, 1),
        "window_end": None,
        "filed_on": None,
        "bank_account": "",
    }
    fields.update(values)
    return new_ledger(city=city, election=election, **fields)


async def give(
    s: Any,
    donor: Any,
    cents: int,
    ledger_id: str,
    day: date,
    method: str = "chèque",
    kind: str = "don",
    key: str | None = None,
) -> list[str]:
    """Check then record (when allowed); the finding codes, blocks first."""
    entry = Entry(cents, method, kind, day, ledger_id)
    law_donor = to_law_donor(donor) if donor is not None else None
    findings = await check(s, SETTINGS, entry, law_donor, donor.id if donor else None, TODAY)
    if not any(f.level == "block" for f in findings):
        await record(
            s,
            SETTINGS,
            entry,
            donor,
            findings=findings,
            actor=None,
            alert=False,
            request_key=key or f"k:{cents}:{ledger_id}:{day}:{method}:{donor.id if donor else 0}",
        )
    return [f"{f.level}:{f.code}" for f in findings]


async def donor(s: Any, last: str) -> Any:
    return await q.add_donor(
        s,
        first_name="Ana",
        last_name=last,
        address="1 rue",
        postcode="69001",
        city="Lyon",
        country="FR",
        nationality="FR",
        sworn_declaration_at=datetime.now(UTC),
    )


async def test_one_cap_per_election_across_the_lists(db: Any) -> None:
    async with db.session() as s:
        lyon, paris = ledger("Lyon"), ledger("Paris")
        later = ledger("Lyon", "partielle-2027", window_start=date(2026, 1, 1))
        for row in (lyon, paris, later):
            await q.save_campaign_ledger(s, row)
        ana = await donor(s, "Roux")
        assert await give(s, ana, 300_000, lyon.id, date(2025, 10, 1)) == []
        assert await give(s, ana, 160_000, paris.id, date(2025, 11, 1)) == []  # 4 600,00 € exactly
        assert await give(s, ana, 1, paris.id, date(2025, 11, 2)) == ["block:campaign_cap_exceeded"]
        assert await give(s, ana, 1, later.id, date(2026, 1, 10)) == []  # another election
        # The party's cap is separate from the campaigns'.
        assert await give(s, ana, 500_000, "party", date(2025, 12, 1)) == []
        numbers = sorted(d.receipt_number or "" for d in await q.donations(s))
        assert numbers[0].startswith("LYON-") and "MVT-2025-00001" in numbers


async def test_window_mandataire_and_cotisations(db: Any) -> None:
    async with db.session() as s:
        no_mandataire = ledger("Grenoble", population=158_000, mandataire=False)
        small = ledger("Saint-Bonnet", population=2_000, mandataire=False, ceiling_cents=None)
        filed = ledger("Nantes", filed_on=date(2026, 1, 15))
        for row in (no_mandataire, small, filed):
            await q.save_campaign_ledger(s, row)
        ana = await donor(s, "Roux")
        assert await give(s, ana, 5000, no_mandataire.id, date(2025, 10, 1)) == [
            "block:campaign_no_mandataire"
        ]
        assert await give(s, ana, 5000, small.id, date(2025, 8, 31)) == [
            "block:campaign_before_window",
            "warn:campaign_no_tax_reduction",
        ]
        assert await give(s, ana, 5000, small.id, date(2025, 9, 1)) == ["warn:campaign_no_tax_reduction"]
        assert await give(s, ana, 5000, filed.id, date(2026, 1, 15)) == []  # the filing day itself passes
        assert await give(s, ana, 5000, filed.id, date(2026, 1, 16)) == ["block:campaign_account_filed"]
        assert "block:cotisation_on_campaign" in await give(
            s, ana, 3000, filed.id, date(2026, 1, 2), kind="cotisation"
        )


async def test_cash_within_20_percent_of_the_ceiling(db: Any) -> None:
    async with db.session() as s:
        lyon = ledger("Lyon", ceiling_cents=2_000_000)  # 20 000 € → 4 000 € of cash at most
        await q.save_campaign_ledger(s, lyon)
        # A collection at a market: no donor, allowed on a campaign, counted in the cash.
        assert await give(s, None, 390_000, lyon.id, date(2025, 10, 1), method="espèces") == [
            "warn:campaign_collection",
            "warn:campaign_cash_total_near",
        ]
        ana = await donor(s, "Roux")
        found = await give(s, ana, 10_000, lyon.id, date(2025, 11, 1), method="espèces")
        assert "warn:campaign_cash_total_near" in found and not any(c.startswith("block") for c in found)
        assert await give(s, await donor(s, "Blanc"), 1, lyon.id, date(2025, 11, 2), method="espèces") == [
            "block:campaign_cash_total_exceeded"
        ]
        assert await q.ledger_cash_total(s, lyon.id) == 400_000


async def test_recording_twice_with_one_key_stores_once(db: Any) -> None:
    async with db.session() as s:
        ana = await donor(s, "Roux")
        entry = Entry(5000, "chèque", "cotisation", date(2026, 1, 5))
        first, created = await record(s, SETTINGS, entry, ana, findings=[], request_key="same", actor=None)
        again, created_again = await record(
            s, SETTINGS, entry, ana, findings=[], request_key="same", actor=None
        )
        assert created and not created_again and again.id == first.id
        assert await s.scalar(select(func.count()).select_from(Donation)) == 1
        assert await s.scalar(select(ReceiptCounter.last)) == 1  # no number consumed by the replay
        assert len(await q.memberships_of(s, ana.id)) == 1

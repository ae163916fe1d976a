"""The treasurers' alert after a donations import (issue 18, point 5): one summary with the donors'
names, the rows grouped by rule (refusals first), within one Telegram message by whole lines and
whole names, the rest counted ("et N autres"). Through the sandbox, as a treasurer receives it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.paging import LIMIT, shown_length
from capabilities.donations.importing import ImportReport, RowReport, import_rows, join_whole, rule_groups
from domain.donation_import import read_csv
from sandbox.bot_harness import COORDINATOR_ID

HEADER = (
    "date,last_name,first_name,address,postcode,city,country,nationality,donor_type,amount,method,"
    "ledger,kind,reference,declaration"
)
FR = "France,française,physique"
NB = "\u00a0"


async def _treasurer(bot: Any) -> Any:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    tres = bot.user(802, "Nora", username="nora_tres")
    await bot.onboard(tres)
    await bot.reply(coord, "/role @nora_tres trésorier")
    await tres.next_message()
    return tres


async def _import(bot: Any, lines: list[str]) -> Any:
    rows, missing = read_csv("\n".join([HEADER, *lines]) + "\n")
    assert not missing
    async with bot.services.transaction() as s:
        report = await import_rows(s, bot.services.settings, rows, datetime.now(UTC).date())
    await bot.outbox_idle(30)
    return report


async def test_a_big_import_is_one_summary_grouped_by_rule_with_names(bot: Any) -> None:
    tres = await _treasurer(bot)
    year = datetime.now(UTC).year - 1
    before = len(tres.messages)
    lines = [
        # 160 gifts without the sworn declaration: accepted, to complete.
        f"{year}-03-{1 + i % 28:02d},Delacroix-Montaigne{i},Marie-Charlotte,{i} rue de la République,"
        f"69001,Lyon,{FR},50,virement,mouvement,don,D-{i},non"
        for i in range(160)
    ]
    # Unreadable amounts: refused, nothing stored.
    lines += [
        f"{year}-04-0{1 + i},Martin{i},Paul,1 rue Basse,13001,Marseille,{FR},douze,virement,mouvement,don,R-{i},oui"
        for i in range(3)
    ]
    report = await _import(bot, lines)
    assert report.added == 160
    [alert] = [m for m in tres.messages[before:] if "Import de versements" in (m.plain or "")]
    text = alert.plain
    assert shown_length(alert.text) <= LIMIT
    assert "160 ajoutés, dont 160 avec remarques\u202f; 3 refusés" in text
    # Refusals first, then what is to complete, each rule once with how many rows.
    refused_at = text.index(f"Refusé (3 lignes){NB}: montant illisible")
    complete_at = text.index(f"À compléter (160 lignes){NB}: Déclaration sur l'honneur")
    assert refused_at < complete_at
    # Donor names for the treasurer, and the line numbers to find them in the file.
    assert f"Paul Martin0 (l.{NB}" in text and f"Paul Martin2 (l.{NB}" in text
    assert "Delacroix-Montaigne0" in text
    # Never cut mid-name: every listed item is a whole "Name (l. N)", the others counted.
    names_line = text[complete_at:].split("\n")[1]
    items = names_line.split(", ")
    last, more = items[-1].rsplit(" et ", 1)
    items[-1] = last
    assert all(re.fullmatch(rf"Marie-Charlotte Delacroix-Montaigne\d+ \(l.{NB}\d+\)", i) for i in items), (
        items
    )
    assert more == f"{160 - len(items)} autres"
    # One message for the whole import, not one per row.
    assert len([m for m in tres.messages[before:] if "Import" in (m.plain or "")]) == 1


def _row(line: int, status: str, donor: str, codes: list[str]) -> RowReport:
    return RowReport(line, status, 100, [f"raison {c}" for c in codes], codes, donor)


def test_rule_groups_refusals_first_then_most_frequent() -> None:
    report = ImportReport(
        rows=[
            _row(2, "warned", "Anne", ["sworn_declaration_missing", "platform_tx_missing"]),
            _row(3, "warned", "Bruno", ["sworn_declaration_missing"]),
            _row(4, "ok", "Chloé", []),
            _row(5, "refused", "Dan", ["cash_over_max"]),
            _row(6, "warned", "Emma", ["imp.already", "sworn_declaration_missing"]),
        ]
    )
    groups = rule_groups(report)
    assert [(g.code, g.refused, [r.donor for r in g.rows]) for g in groups] == [
        ("cash_over_max", True, ["Dan"]),
        ("sworn_declaration_missing", False, ["Anne", "Bruno", "Emma"]),
        ("platform_tx_missing", False, ["Anne"]),
    ]
    assert groups[1].label == "raison sworn_declaration_missing"


@pytest.mark.parametrize(
    ("items", "limit", "expected"),
    [
        ([], 50, ""),
        (["Anne (l. 2)"], 50, "Anne (l. 2)"),
        (["Anne (l. 2)", "Bruno (l. 3)"], 50, "Anne (l. 2), Bruno (l. 3)"),
        (["Anne (l. 2)", "Bruno (l. 3)", "Chloé (l. 4)"], 39, "Anne (l. 2), Bruno (l. 3), Chloé (l. 4)"),
        # Too long: whole items only, the others counted.
        (["Anne (l. 2)", "Bruno (l. 3)", "Chloé (l. 4)"], 30, "Anne (l. 2) et 2 autres"),
        (["Anne (l. 2)", "Bruno (l. 3)", "Chloé (l. 4)"], 38, "Anne (l. 2), Bruno (l. 3) et 1 autres"),
        # A single item longer than the limit is kept whole rather than cut.
        (["Marie-Charlotte Delacroix-Montaigne (l. 1)"], 10, "Marie-Charlotte Delacroix-Montaigne (l. 1)"),
    ],
)
def test_join_whole_never_cuts_an_item(items: list[str], limit: int, expected: str) -> None:
    assert join_whole(items, limit, lambda n: f"et {n} autres") == expected

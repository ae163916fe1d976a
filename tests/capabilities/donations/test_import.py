"""`python -m bot donations import FILE.csv`: a file of mixed rows, imported twice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.__main__ import main
from storage.models import CampaignLedger, Donation, Donor, Outbox, Person, RoleGrant

HEADER = "date,last_name,first_name,address,postcode,city,country,nationality,donor_type,amount,method,ledger,kind,reference,declaration"
ROWS = [
    # line 2: 7 000 € on 31 Dec, after 500 € on 30 Dec (line 10): exactly 7 500 € in 2025, warned
    '31/12/2025,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,"7 000,00",virement,mouvement,don,R-1,oui',
    # line 3: cash above 150 €
    '2025-11-02,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,"150,01",espèces,mouvement,don,R-2,oui',
    # line 4: cash of exactly 150 €
    '2025-11-03,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,"150,00",espèces,mouvement,don,R-3,oui',
    # line 5: an amount in words
    "2025-11-04,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,douze euros,chèque,mouvement,don,R-4,oui",
    # line 6: no such day
    "31/02/2025,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,20,chèque,mouvement,don,R-5,oui",
    # line 7: a list nobody configured
    "2025-11-05,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,20,chèque,liste:Atlantis,don,R-6,oui",
    # line 8: a company
    "2025-11-06,Exemple SARL,,1 quai Sud,33000,Bordeaux,FR,,morale,500,virement,mouvement,don,R-7,",
    # line 9: neither French nor resident in France
    "2025-11-07,Müller,Hans,5 Hauptstraße,10115,Berlin,Allemagne,allemande,physique,100,virement,mouvement,don,R-8,oui",
    # line 10: 500 € on 30 Dec (processed before line 2: date order)
    "30/12/2025,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,500,chèque,mouvement,don,R-9,oui",
    # line 11: one cent more in 2025
    '31/12/2025,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,"0,01",chèque,mouvement,don,R-10,oui',
    # line 12: 1 January, a new year
    "1er janvier 2026,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,30,carte,mouvement,cotisation,R-11,oui",
    # line 13: 4 600 € to the Lyon list, exactly the campaign cap
    '2025-10-10,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,"4 600",chèque,liste:Lyon,don,R-12,oui',
    # line 14: one cent more to the same election
    '2025-10-11,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,"0,01",chèque,liste:lyon,don,R-13,oui',
    # line 15: no reference, no sworn declaration: accepted with a warning
    "2025-11-08,Petit,Anne,8 allée Verte,44000,Nantes,France,française,physique,25,prélèvement,mouvement,don,,",
    # line 16: in the future
    "2099-01-01,Petit,Anne,8 allée Verte,44000,Nantes,France,française,physique,25,chèque,mouvement,don,R-15,oui",
    # line 17: the reference of line 4 again: a duplicated line, not a second gift
    '2025-11-03,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,"150,00",espèces,mouvement,don,R-3,oui',
]
EXPECTED = {
    2: ("warned", 700000),
    3: ("refused", 15001),
    4: ("ok", 15000),
    5: ("refused", None),
    6: ("refused", 2000),
    7: ("refused", 2000),
    8: ("refused", 50000),
    9: ("refused", 10000),
    10: ("ok", 50000),
    11: ("refused", 1),
    12: ("ok", 3000),
    13: ("ok", 460000),
    14: ("refused", 1),
    15: ("warned", 2500),
    16: ("refused", 2500),
    17: ("refused", 15000),
}


@pytest.fixture
def cli_env(db: Any, db_target: Any, monkeypatch: Any, tmp_path: Any) -> Any:
    monkeypatch.setenv("DATABASE_URL", db_target.url)
    if db_target.schema:
        monkeypatch.setenv("DATABASE_SCHEMA", db_target.schema)
    else:
        monkeypatch.delenv("DATABASE_SCHEMA", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return db


async def cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def test_import_mixed_rows_twice(cli_env: Any, tmp_path: Any, capsys: Any) -> None:
    db = cli_env
    async with db.session() as s:  # a treasurer, to be alerted
        person = Person(telegram_id=555, first_name="Nora", consent_version="v", consent_at=datetime.now(UTC))
        person.grants.append(RoleGrant(role="treasurer", scope=""))
        s.add(person)
    code, out, _ = await cli(
        capsys,
        "donations",
        "ledger",
        "add",
        "--city",
        "Lyon",
        "--election",
        "municipales-2026",
        "--population",
        "522250",
        "--mandataire",
        "--ceiling",
        "1 200 000",
        "--election-day",
        "2026-03-15",
    )
    assert code == 0 and "campaign:Lyon:municipales-2026" in out and "2025-09-01" in out
    path = tmp_path / "dons.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")

    code, out, err = await cli(capsys, "donations", "import", str(path), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"rows", "added"}
    got = {r["line"]: (r["status"], r["amount_cents"]) for r in report["rows"]}
    assert got == EXPECTED
    assert report["added"] == 6
    reasons = {r["line"]: " ".join(r["reasons"]) for r in report["rows"]}
    assert "espèces de 150,01" in reasons[3].replace("\u202f", " ").replace("\xa0", " ")
    assert "montant illisible «\u00a0douze euros\u00a0»" in reasons[5]
    assert "date illisible «\u00a031/02/2025\u00a0»" in reasons[6]
    assert "aucune liste de campagne configurée pour «\u00a0Atlantis\u00a0»" in reasons[7]
    assert "personne morale" in reasons[8]
    assert "ni de nationalité française ni résident en France" in reasons[9]
    assert "7 500,01" in reasons[11].replace("\u202f", " ").replace("\xa0", " ")
    assert "4 600,01" in reasons[14].replace("\u202f", " ").replace("\xa0", " ")
    assert "Déclaration sur l'honneur" in reasons[15]
    assert "date dans le futur" in reasons[16]
    assert "référence «\u00a0R-3\u00a0» déjà utilisée ligne 4" in reasons[17]
    assert all(r["reasons"] for r in report["rows"] if r["status"] != "ok")

    async with db.session() as s:
        rows = list(await s.scalars(select(Donation).order_by(Donation.received_on, Donation.id)))
        donors = list(await s.scalars(select(Donor)))
        alerts = list(await s.scalars(select(Outbox).where(Outbox.dedupe_key.like("don:import:%"))))
        ledger = await s.get(CampaignLedger, "campaign:Lyon:municipales-2026")
    assert len(rows) == 6 and {d.status for d in rows} == {"recorded"}
    assert sorted(d.last_name for d in donors) == ["Dupont", "Martin", "Petit"]  # refused rows store nothing
    # Register numbers follow the received dates, per ledger and year.
    numbers = {(d.amount_cents, d.received_on.isoformat()): d.receipt_number for d in rows}
    assert (
        numbers[(15000, "2025-11-03")] == "MVT-2025-00001"
        and numbers[(50000, "2025-12-30")] == "MVT-2025-00003"
        and numbers[(700000, "2025-12-31")] == "MVT-2025-00004"
    )
    assert numbers[(3000, "2026-01-01")] == "MVT-2026-00001"
    assert numbers[(460000, "2025-10-10")].startswith("LYON-") and numbers[(460000, "2025-10-10")].endswith(
        "-2025-00001"
    )
    assert ledger.window_start.isoformat() == "2025-09-01"
    assert len(alerts) == 1 and alerts[0].chat_id == 555 and "6 ajoutés" in alerts[0].payload["text"]

    # The same file again: nothing added, the same verdicts.
    code, out, _ = await cli(capsys, "donations", "import", str(path), "--format", "json")
    again = json.loads(out)
    assert again["added"] == 0
    assert {r["line"]: (r["status"], r["amount_cents"]) for r in again["rows"]} == EXPECTED
    assert all("déjà importé" in r["reasons"][-1] for r in again["rows"] if r["status"] != "refused")
    async with db.session() as s:
        assert len(list(await s.scalars(select(Donation)))) == 6

    # The text report, for people.
    code, out, _ = await cli(capsys, "donations", "import", str(path))
    assert "ligne 3 : refusé — 150,01" in out.replace("\u202f", " ").replace("\xa0", " ")
    assert "0 versement ajouté sur 16 lignes." in out


async def test_import_refuses_a_file_without_the_columns(cli_env: Any, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date;nom;montant\n2025-01-01;Dupont;50\n", encoding="utf-8")
    code, out, err = await cli(capsys, "donations", "import", str(path), "--format", "json")
    assert code == 2 and out == "" and "colonnes manquantes" in err and "last_name" in err
    code, _, err = await cli(capsys, "donations", "import", str(tmp_path / "absent.csv"))
    assert code == 2 and "impossible de lire" in err
    # Semicolons and a spreadsheet's Windows encoding are fine.
    path.write_bytes(
        (
            HEADER.replace(",", ";") + "\n" + "2025-11-03;Léger;Zoé;3 rue Haute;75011;Paris;FR;FR;physique;"
            "12,50;chèque;mouvement;don;X-1;oui\n"
        ).encode("cp1252")
    )
    code, out, _ = await cli(capsys, "donations", "import", str(path), "--format", "json")
    assert json.loads(out) == {
        "rows": [{"line": 2, "status": "ok", "amount_cents": 1250, "reasons": []}],
        "added": 1,
    }


# --- Issue 12: the law gaps a second import set found ----------------------------------------

FULL = "date,last_name,first_name,address,postcode,city,country,nationality,donor_type,amount,method,ledger,kind,reference,declaration,elected_mandate"


async def _import(capsys: Any, tmp_path: Any, name: str, header: str, rows: list[str]) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, out, err = await cli(capsys, "donations", "import", str(path), "--format", "json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def _verdicts(report: dict[str, Any]) -> dict[int, tuple[str, str]]:
    return {
        r["line"]: (r["status"], " ".join(r["reasons"]).replace("\u202f", " ").replace("\xa0", " "))
        for r in report["rows"]
    }


async def test_elus_cotisations_are_outside_the_party_cap_and_a_missing_mandate_is_warned(
    cli_env: Any, tmp_path: Any, capsys: Any
) -> None:
    """Rule 6: an `elected_mandate` column; a cotisation_élu is left out of the 7 500 € cap, and
    without a mandate it is accepted with a warning asking to record it."""
    rows = [
        "2025-03-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,7400,virement,mouvement,don,E-1,oui,",
        "2025-04-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,600,virement,mouvement,cotisation_élu,E-2,oui,conseiller municipal de Lyon",
        "2025-03-01,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,7400,virement,mouvement,don,E-3,oui,",
        "2025-04-01,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,600,virement,mouvement,cotisation élu,E-4,oui,",
        # an ordinary cotisation still counts: 7 400 + 600 is above the cap
        "2025-05-01,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,600,virement,mouvement,cotisation,E-5,oui,",
    ]
    got = _verdicts(await _import(capsys, tmp_path, "elus.csv", FULL, rows))
    assert got[3] == ("ok", ""), got[3]
    assert got[5][0] == "warned" and "notez le mandat" in got[5][1], got[5]
    assert got[6][0] == "refused" and "8 000,00" in got[6][1], got[6]
    async with cli_env.session() as s:
        dupont = await s.scalar(select(Donor).where(Donor.last_name == "Dupont"))
    assert dupont.elected_mandate == "conseiller municipal de Lyon"


async def test_the_declaration_column_keeps_the_warning_only_when_absent_or_non(
    cli_env: Any, tmp_path: Any, capsys: Any
) -> None:
    """Rule 5's sworn declaration: "oui" or a date clear the warning, "non" or nothing keep it,
    and a later file's "oui" completes a known donor."""
    rows = [
        "2025-03-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,50,virement,mouvement,don,D-1,non,",
        "2025-03-02,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,50,virement,mouvement,don,D-2,02/03/2025,",
        "2025-03-03,Petit,Anne,8 allée Verte,44000,Nantes,France,française,physique,50,virement,mouvement,don,D-3,,",
    ]
    got = _verdicts(await _import(capsys, tmp_path, "decl.csv", FULL, rows))
    assert got[2][0] == "warned" and "Déclaration sur l'honneur" in got[2][1]
    assert got[3] == ("ok", "")
    assert got[4][0] == "warned" and "Déclaration sur l'honneur" in got[4][1]
    later = [
        "2025-04-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,50,virement,mouvement,don,D-4,oui,"
    ]
    assert _verdicts(await _import(capsys, tmp_path, "decl2.csv", FULL, later)) == {2: ("ok", "")}
    no_column = FULL.replace(",declaration", "")
    plain = [
        "2025-04-02,Roux,Paul,1 rue Basse,13001,Marseille,France,française,physique,50,virement,mouvement,don,D-5,"
    ]
    got = _verdicts(await _import(capsys, tmp_path, "decl3.csv", no_column, plain))
    assert got[2][0] == "warned" and "Déclaration sur l'honneur" in got[2][1]


async def test_donors_are_identified_by_normalised_name_and_street_address(
    cli_env: Any, tmp_path: Any, capsys: Any
) -> None:
    """One person: the same name and street, whatever the case, accents, spaces, abbreviations or
    a postcode typo (one cap); a homonym at another address is another person (own cap), reported
    for the treasurer to decide."""
    async with cli_env.session() as s:  # a treasurer, to be asked
        person = Person(telegram_id=555, first_name="Nora", consent_version="v", consent_at=datetime.now(UTC))
        person.grants.append(RoleGrant(role="treasurer", scope=""))
        s.add(person)
    rows = [
        "2025-03-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,5000,virement,mouvement,don,I-1,oui,",
        # the same person: capitals, no accent, an abbreviation, a postcode typo
        '2025-03-02,DUPONT ,jean,"12, R. de la  Paix",69010,LYON,France,française,physique,3000,virement,mouvement,don,I-2,oui,',
        # a homonym on another street of the same postcode: his own cap
        "2025-03-03,Dupont,Jean,3 avenue Foch,69001,Lyon,France,française,physique,5000,virement,mouvement,don,I-3,oui,",
        "2025-03-04,Lefèvre,Hélène,1 place Bellecour,69002,Lyon,France,française,physique,5000,virement,mouvement,don,I-4,oui,",
        "2025-03-05,LEFEVRE,Helene,1 pl. Bellecour,69002,Lyon,France,française,physique,3000,virement,mouvement,don,I-5,oui,",
    ]
    got = _verdicts(await _import(capsys, tmp_path, "who.csv", FULL, rows))
    assert got[3][0] == "refused" and "8 000,00" in got[3][1], got[3]
    assert got[4][0] == "warned" and "homonyme possible" in got[4][1], got[4]
    assert got[6][0] == "refused", got[6]
    async with cli_env.session() as s:
        donors = list(await s.scalars(select(Donor).order_by(Donor.id)))
        asks = list(await s.scalars(select(Outbox).where(Outbox.dedupe_key.like("don:match:%"))))
    assert [(d.last_name, d.address) for d in donors] == [
        ("Dupont", "12 rue de la Paix"),
        ("Dupont", "3 avenue Foch"),
        ("Lefèvre", "1 place Bellecour"),
    ]
    assert len(asks) == 1 and "Même personne" in asks[0].payload["text"]
    buttons = [b["text"] for row in asks[0].payload["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["Même personne\u00a0: fusionner", "Deux personnes\u00a0: garder séparées"]


async def test_campaign_gifts_after_the_computed_filing_deadline_are_refused(
    cli_env: Any, tmp_path: Any, capsys: Any
) -> None:
    """Rule 26: with only --election-day, the collection ends on the 10th Friday after the
    1st round (15 March 2026 → 22 May 2026)."""
    argv = "donations|ledger|add|--city|Lyon|--election|municipales-2026|--population|522250"
    argv += "|--mandataire|--ceiling|1 200 000|--election-day|2026-03-15"
    code, out, _ = await cli(capsys, *argv.split("|"))
    assert code == 0 and "2025-09-01 → 2026-05-22" in out, out
    rows = [
        "2026-05-22,Dupont,Jean,12 rue de la Paix,69001,Lyon,France,française,physique,100,chèque,liste:Lyon,don,F-1,oui,",
        "2026-05-23,Martin,Léa,3 rue Haute,75011,Paris,FR,FR,physique,100,chèque,liste:Lyon,don,F-2,oui,",
    ]
    got = _verdicts(await _import(capsys, tmp_path, "late.csv", FULL, rows))
    assert got[2] == ("ok", ""), got[2]
    assert got[3][0] == "refused" and "après la fin de la période de collecte" in got[3][1], got[3]

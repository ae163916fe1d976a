"""`coordo donations ...`: bulk import of payments, and the campaign ledgers of city lists.

    python -m bot donations import FILE.csv [--format json]
    python -m bot donations ledger add --city Lyon --election municipales-2032 --population 522000 \\
        --mandataire --ceiling "1 234 567,00" --election-day 2032-03-14
    python -m bot donations ledger list

The import applies every check of the law in date order against the whole ledger, stores the
valid rows in one transaction, and reports each row; running it again on the same file adds
nothing (each row's request key comes from its reference, or from its content).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings, describe_error
from capabilities.donations.config import campaign_ledgers, save_ledger, today_in
from capabilities.donations.importing import ImportReport, format_report, import_rows
from domain import law
from domain.donation_import import IMPORT_COLUMNS, read_csv
from domain.money import format_eur, parse_amount
from storage.db import Database


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("donations", help="dons et cotisations : import, listes de campagne")
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="donations_command", metavar="{import,ledger}")

    imp = commands.add_parser("import", help="importer des versements depuis un fichier CSV")
    imp.add_argument("file", metavar="FICHIER.csv")
    imp.add_argument("--format", choices=("text", "json"), default="text", help="rapport en texte ou en JSON")
    imp.set_defaults(func=run_import)

    ledger = commands.add_parser("ledger", help="caisses de campagne des listes municipales")
    ledger.set_defaults(func=lambda args: _usage(ledger))
    sub = ledger.add_subparsers(dest="ledger_command", metavar="{add,list}")
    add = sub.add_parser("add", help="créer ou modifier la caisse d'une liste pour une élection")
    add.add_argument("--city", required=True, help="commune de la liste")
    add.add_argument(
        "--election",
        required=True,
        help="identifiant de l'élection, commun à toutes les listes "
        "d'un même renouvellement (ex. municipales-2032)",
    )
    add.add_argument("--population", type=int, help="population authentifiée de la commune")
    add.add_argument(
        "--mandataire",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="un mandataire financier est déclaré en préfecture",
    )
    add.add_argument("--ceiling", help="plafond officiel des dépenses (arrêté préfectoral), en euros")
    add.add_argument(
        "--election-day",
        type=date.fromisoformat,
        help="1er tour (AAAA-MM-JJ) : ouvre la collecte le 1er jour du 6e mois avant",
    )
    add.add_argument("--window-start", type=date.fromisoformat, help="début de la collecte (AAAA-MM-JJ)")
    add.add_argument("--window-end", type=date.fromisoformat, help="fin de la collecte (AAAA-MM-JJ)")
    add.add_argument("--filed-on", type=date.fromisoformat, help="dépôt du compte de campagne (AAAA-MM-JJ)")
    add.add_argument("--bank-account", help="IBAN du compte unique du mandataire")
    add.set_defaults(func=run_ledger_add)
    sub.add_parser("list", help="lister les caisses de campagne").set_defaults(func=run_ledger_list)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None


def _read(path: str) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # a CSV saved by a French spreadsheet program


def run_import(args: argparse.Namespace) -> int:
    try:
        text = _read(args.file)
    except OSError as exc:
        print(f"Erreur : impossible de lire {args.file} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    rows, missing = read_csv(text)
    if missing:
        print(
            f"Erreur : colonnes manquantes dans {args.file} : {', '.join(missing)}. "
            f"Colonnes attendues : {','.join(IMPORT_COLUMNS)}",
            file=sys.stderr,
        )
        return 2
    settings = _settings()

    async def go() -> ImportReport:
        db = Database(settings.database_url, settings.database_schema)
        try:
            await db.migrate()
            async with db.session() as s:  # one transaction: every valid row, or none
                return await import_rows(s, settings, rows, today_in(settings))
        finally:
            await db.dispose()

    report = asyncio.run(go())
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


def run_ledger_add(args: argparse.Namespace) -> int:
    ceiling = None
    if args.ceiling:
        ceiling = parse_amount(args.ceiling)
        if ceiling is None:
            print(f"Erreur : plafond illisible « {args.ceiling} »", file=sys.stderr)
            return 2
    changes: dict[str, Any] = {}
    if args.population is not None:
        changes["population"] = args.population
    if args.mandataire is not None:
        changes["mandataire_declared"] = args.mandataire
    if ceiling is not None:
        changes["official_ceiling_cents"] = ceiling
    if args.election_day is not None:
        changes["window_start"] = law.collection_window_start(args.election_day)
        changes["election_day"] = args.election_day
    if args.window_start is not None:
        changes["window_start"] = args.window_start
    if args.window_end is not None:
        changes["window_end"] = args.window_end
    if args.filed_on is not None:
        changes["account_filed_on"] = args.filed_on
    if args.bank_account is not None:
        changes["bank_account"] = args.bank_account.strip()
    settings = _settings()

    async def go() -> str:
        db = Database(settings.database_url, settings.database_schema)
        try:
            await db.migrate()
            async with db.session() as s:
                saved = await save_ledger(s, city=args.city, election=args.election, changes=changes)
                return _describe(saved)
        finally:
            await db.dispose()

    print(asyncio.run(go()))
    return 0


def _describe(row: Any) -> str:
    ceiling = format_eur(row.official_ceiling_cents, "fr") if row.official_ceiling_cents else "non renseigné"
    return (
        (
            f"{row.id} — {row.city}, élection {row.election_id}, population {row.population or '?'}, "
            f"mandataire {'déclaré' if row.mandataire_declared else 'non déclaré'}, plafond {ceiling}, "
            f"collecte {row.window_start or '?'} → {_collection_end(row) or '…'}"
        )
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )


def _collection_end(row: Any) -> date | None:
    """The last day gifts may come in: filed, else the explicit end, else the legal deadline."""
    end: date | None = row.account_filed_on or row.window_end
    if end is None and row.election_day is not None:
        end = law.filing_deadline(row.election_day)
    return end


def run_ledger_list(args: argparse.Namespace) -> int:
    settings = _settings()

    async def go() -> list[str]:
        db = Database(settings.database_url, settings.database_schema)
        try:
            await db.migrate()
            async with db.session() as s:
                return [_describe(row) for row in await campaign_ledgers(s)]
        finally:
            await db.dispose()

    lines = asyncio.run(go())
    print("\n".join(lines) if lines else "Aucune liste de campagne configurée.")
    return 0

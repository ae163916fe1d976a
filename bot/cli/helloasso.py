"""`coordo helloasso ...`: one sync of HelloAsso payments, and the monthly payout report.

    python -m bot helloasso sync [--since YYYY-MM-DD] [--format json]
    python -m bot helloasso payouts --month YYYY-MM [--format json]

The sync records each payment once with every check of the law (the same path as the bot's job
and its notification URL): running it again adds nothing. The payout report groups the month's
payments by HelloAsso payout, one group per bank line to reconcile.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings, describe_error


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("helloasso", help="paiements HelloAsso : synchronisation, virements")
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="helloasso_command", metavar="{sync,payouts}")

    sync = commands.add_parser("sync", help="lire les paiements HelloAsso et les inscrire au registre")
    sync.add_argument("--since", type=date.fromisoformat, help="depuis ce jour (AAAA-MM-JJ)")
    sync.add_argument(
        "--format", choices=("text", "json"), default="text", help="rapport en texte ou en JSON"
    )
    sync.set_defaults(func=run_sync)

    pay = commands.add_parser("payouts", help="virements HelloAsso d'un mois, pour le rapprochement bancaire")
    pay.add_argument("--month", required=True, type=_month, help="mois (AAAA-MM)")
    pay.add_argument("--format", choices=("text", "json"), default="text", help="rapport en texte ou en JSON")
    pay.set_defaults(func=run_payouts)


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError("attendu AAAA-MM") from None


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _settings() -> Settings | None:
    from capabilities.donations.helloasso import configured

    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None
    if not configured(settings):
        print(
            "HelloAsso n'est pas configuré : HELLOASSO_CLIENT_ID, HELLOASSO_CLIENT_SECRET et "
            "HELLOASSO_ORGANIZATION_SLUG sont nécessaires (voir .env.example).",
            file=sys.stderr,
        )
        return None
    return settings


async def _with_services(settings: Settings, work: Any) -> Any:
    from bot.services import Services
    from capabilities.donations.helloasso import client_of
    from storage.db import Database

    db = Database(settings.database_url, settings.database_schema)
    services = Services(settings, db)
    try:
        await db.migrate()
        return await work(services)
    finally:
        await client_of(services).aclose()
        await db.dispose()


def run_sync(args: argparse.Namespace) -> int:
    from capabilities.donations import helloasso
    from integrations.helloasso import HelloAssoError

    settings = _settings()
    if settings is None:
        return 2
    since = helloasso.start_of(args.since, settings) if args.since else None
    try:
        report = asyncio.run(_with_services(settings, lambda s: helloasso.sync(s, since=since)))
    except HelloAssoError as exc:
        print(f"Erreur HelloAsso : {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for p in report.payments:
            print(f"{p.id} : {p.status} — {p.amount_cents / 100:.2f} €".replace(".", ","))
            for reason in p.reasons:
                print(f"    - {reason}")
        print(f"{report.added} versement(s) ajouté(s) sur {len(report.payments)} paiement(s).")
    return 0


def run_payouts(args: argparse.Namespace) -> int:
    from capabilities.donations import helloasso
    from integrations.helloasso import HelloAssoError

    settings = _settings()
    if settings is None:
        return 2
    try:
        groups = asyncio.run(_with_services(settings, lambda s: helloasso.payouts(s, args.month)))
    except HelloAssoError as exc:
        print(f"Erreur HelloAsso : {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps({"payouts": [g.as_dict() for g in groups]}, ensure_ascii=False))
    else:
        print(helloasso.format_payouts(groups))
    return 0

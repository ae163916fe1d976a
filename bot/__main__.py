"""`python -m bot` runs the bot; `python -m bot SUBCOMMAND` runs the other commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.logs import setup_logging
from bot.settings import Settings, describe_error

BOTFATHER_HELP = (
    "TELEGRAM_BOT_TOKEN manque. Créez un bot auprès de @BotFather sur Telegram (commande /newbot), "
    "puis copiez le jeton dans le fichier .env (voir .env.example) ou dans la variable TELEGRAM_BOT_TOKEN."
)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.token():
        print(BOTFATHER_HELP, file=sys.stderr)
        return 2
    setup_logging(settings.log_level, [settings.token()])
    from telegram.error import InvalidToken

    from bot.app import build_application

    app = build_application(settings)
    try:
        if settings.webhook_url or settings.web_port:
            # Behind a reverse proxy: it terminates TLS and forwards the same path to listen:port.
            # bot/web.py serves Telegram's webhook and HelloAsso's notification URL.
            from bot import web

            web.run(app, settings)
        else:
            app.run_polling(allowed_updates=None, drop_pending_updates=False)
    except InvalidToken:
        print("Telegram refuse ce TELEGRAM_BOT_TOKEN : vérifiez-le auprès de @BotFather.", file=sys.stderr)
        return 2
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging(settings.log_level, [settings.token()])
    from storage.db import migrate_now

    migrate_now(settings.database_url, settings.database_schema)
    print("Base de données à jour.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coordo", description="Bot de coordination « À nous la démocratie ! »"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="lancer le bot (long polling)").set_defaults(func=cmd_run)
    sub.add_parser("migrate", help="mettre la base de données à jour").set_defaults(func=cmd_migrate)
    for add in _plugins():
        add(sub)
    parser.set_defaults(func=cmd_run)
    return parser


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    """Subcommands contributed by capabilities, listed in bot/app.py (CLI_COMMANDS)."""
    import importlib

    from bot.app import CLI_COMMANDS

    return [importlib.import_module(name).add_parser for name in CLI_COMMANDS]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("arrêt demandé")
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m sandbox.webclient [--port 8080]` (what `python3 dev.py demo` runs)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
import sys

from sandbox.webclient.server import Demo


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python3 dev.py demo",
        description="Essayer coordo dans le navigateur : un faux Telegram, le vrai bot et une page web.",
    )
    parser.add_argument("--port", type=int, default=8080, help="port de la page (0 : un port libre)")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (127.0.0.1 par défaut)")
    parser.add_argument(
        "--sans-donnees", dest="seed", action="store_false", help="démarrer sans le mouvement fictif"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> int:
    from bot.logs import setup_logging

    demo = Demo(args.host, args.port, seed=args.seed)
    setup_logging("WARNING", [demo.token])
    # A job run skipped while the seed keeps the loop busy is no news for someone trying the demo.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    print("Préparation de la démo (faux Telegram, bot, mouvement fictif)…", flush=True)
    try:
        await demo.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"Le port {args.port} est déjà pris : relancez avec --port 8090 (ou --port 0).",
                file=sys.stderr,
            )
            return 1
        raise
    report = demo.seed_report
    if report is not None and report.skipped:
        print("Données de démonstration incomplètes : " + ", ".join(report.skipped), flush=True)
    print(f"\nOuvrez {demo.url} dans votre navigateur.", flush=True)
    print(f"Mini App du bot : {demo.webapp_url}", flush=True)
    print("Tout est effacé à l'arrêt (Ctrl+C).", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("Arrêt de la démo…", flush=True)
        await demo.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())

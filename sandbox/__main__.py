"""Run the sandbox standalone: ``python -m sandbox --port 8081 [--token T] [--enforce-limits]``.

Point the bot at it with TELEGRAM_API_BASE_URL=<printed base URL> and drive users through
the /_sandbox/ control endpoints.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal

from sandbox.core import TelegramSandbox
from sandbox.http import serve_http
from sandbox.limits import Limits


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="A fake Telegram Bot API on 127.0.0.1."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=None, help="bot token (default: a fixed sandbox token)")
    parser.add_argument("--username", default="coordo_bot")
    parser.add_argument("--enforce-limits", action="store_true", help="answer floods with 429 like Telegram")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every rate limit")
    parser.add_argument("--no-privacy", action="store_true", help="the bot sees every group message")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    sandbox = TelegramSandbox(
        args.token,
        username=args.username,
        limits=Limits(enforce=args.enforce_limits, scale=args.scale),
        privacy_mode=not args.no_privacy,
    )
    server = await serve_http(sandbox, args.host, args.port)
    # A stand-in for Telegram must not pause on its own: the collector's full passes over thousands
    # of stored messages would hold calls back and then let them through together.
    gc.freeze()
    gc.set_threshold(700, 10, 1_000_000)
    print(f"sandbox listening on {server.url}", flush=True)
    print(f"TELEGRAM_API_BASE_URL={server.base_url}", flush=True)
    print(f"TELEGRAM_API_BASE_FILE_URL={server.base_file_url}", flush=True)
    print(f"TELEGRAM_BOT_TOKEN={sandbox.token}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.close()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()

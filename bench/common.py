"""What the benchmarks share: a bot on a fresh SQLite file, talking to a sandbox in-process, over HTTP
in the same process, or over HTTP to a sandbox running in its own process."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from bot.app import build_application, running
from bot.settings import Settings
from sandbox import Limits, SandboxRequest, TelegramSandbox, serve_http
from sandbox.bot_harness import TOKEN, BotHarness
from storage.models import Person

ROOT = Path(__file__).resolve().parent.parent


def _settings(tmp: str, **settings: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "database_url": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}",
        "ics_path": str(Path(tmp) / "agenda.ics"),
        "log_level": "WARNING",
    }
    values.update(settings)
    return Settings(_env_file=None, **values)


class SandboxProcess:
    """The control API of a sandbox started with ``python -m sandbox`` (see sandbox/http.py)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.client = httpx.AsyncClient(base_url=f"{base}/_sandbox/", timeout=60)

    async def control(self, action: str, body: dict[str, Any] | None = None) -> Any:
        response = await (
            self.client.post(action, json=body) if body is not None else self.client.get(action)
        )
        response.raise_for_status()
        return response.json()["result"]

    async def stats(self) -> dict[str, Any]:
        return await self.control("stats")  # type: ignore[no-any-return]


@asynccontextmanager
async def bot_on_sandbox_process(
    *, scale: float, **settings: Any
) -> AsyncIterator[tuple[BotHarness, SandboxProcess]]:
    """A bot whose Telegram is a sandbox in another process, limits enforced and scaled by ``scale``."""
    with tempfile.TemporaryDirectory() as tmp:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "sandbox",
            "--port",
            "0",
            "--token",
            TOKEN,
            "--enforce-limits",
            "--scale",
            str(scale),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            assert process.stdout is not None
            lines = [
                (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip() for _ in range(2)
            ]
            base = lines[1].split("=", 1)[1].removesuffix("/bot")
            sandbox = SandboxProcess(base)
            app = build_application(_settings(tmp, telegram_api_base_url=f"{base}/bot", **settings))
            async with running(app):
                yield BotHarness(None, app), sandbox
            await sandbox.client.aclose()
        finally:
            process.terminate()
            await process.wait()


@asynccontextmanager
async def bot_on_sandbox(
    *, http: bool, limits: Limits | None = None, **settings: Any
) -> AsyncIterator[BotHarness]:
    sb = TelegramSandbox(TOKEN, username="coordo_bot", limits=limits)
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        if http:
            server = await serve_http(sb)
            app = build_application(_settings(tmp, telegram_api_base_url=server.base_url, **settings))
        else:
            app = build_application(
                _settings(tmp, **settings), request=SandboxRequest(sb), get_updates_request=SandboxRequest(sb)
            )
        try:
            async with running(app):
                yield BotHarness(sb, app)
        finally:
            if server is not None:
                await server.close()


async def add_members(
    harness: BotHarness,
    n: int,
    first_id: int = 100_000,
    city_id: int | None = None,
    sandbox: SandboxProcess | None = None,
    name_prefix: str = "M",
) -> list[int]:
    """`n` onboarded members, inserted in bulk, each known to the sandbox as having started the bot
    (first names `name_prefix` + their rank)."""
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {
            "telegram_id": first_id + i,
            "first_name": f"{name_prefix}{i}",
            "language": "fr",
            "city_id": city_id,
            "skills": [],
            "consent_version": "bench",
            "consent_at": now,
            "reachable": True,
            "asks_paused": False,
            "digest_hour": 8,
            "digest_paused": False,
            "announcements_stopped": False,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]
    async with harness.services.db.session() as s:
        await s.execute(insert(Person), rows)
    if sandbox is not None:
        for start in range(0, n, 1000):
            users = [
                {"id": first_id + i, "first_name": f"{name_prefix}{i}", "started": True}
                for i in range(start, min(n, start + 1000))
            ]
            await sandbox.control("users", {"users": users})
        return [first_id + i for i in range(n)]
    for i in range(n):
        user = harness.sb.user(first_id + i, f"{name_prefix}{i}")
        user.started = True
    return [first_id + i for i in range(n)]

"""What the benchmarks share: a bot on a fresh SQLite file, talking to a sandbox in-process or over HTTP."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.app import build_application, running
from bot.settings import Settings
from sandbox import Limits, SandboxRequest, TelegramSandbox, serve_http
from sandbox.bot_harness import TOKEN, BotHarness
from storage.models import Person


@asynccontextmanager
async def bot_on_sandbox(*, http: bool, limits: Limits | None = None, **settings: Any) -> AsyncIterator[BotHarness]:
    sb = TelegramSandbox(TOKEN, username="coordo_bot", limits=limits)
    with tempfile.TemporaryDirectory() as tmp:
        values: dict[str, Any] = {
            "telegram_bot_token": TOKEN,
            "database_url": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "ics_path": str(Path(tmp) / "agenda.ics"),
            "log_level": "WARNING",
        }
        values.update(settings)
        server = None
        if http:
            server = await serve_http(sb)
            values["telegram_api_base_url"] = server.base_url
            app = build_application(Settings(_env_file=None, **values))
        else:
            app = build_application(Settings(_env_file=None, **values), request=SandboxRequest(sb),
                                    get_updates_request=SandboxRequest(sb))
        try:
            async with running(app):
                yield BotHarness(sb, app)
        finally:
            if server is not None:
                await server.close()


async def add_members(harness: BotHarness, n: int, first_id: int = 100_000, city_id: int | None = None) -> list[int]:
    """`n` onboarded members, inserted in bulk, each known to the sandbox as having started the bot."""
    now = datetime.now(UTC)
    rows = [
        {"telegram_id": first_id + i, "first_name": f"M{i}", "language": "fr", "city_id": city_id, "skills": [],
         "consent_version": "bench", "consent_at": now, "reachable": True, "asks_paused": False,
         "digest_hour": 8, "digest_paused": False, "announcements_stopped": False, "created_at": now,
         "updated_at": now}
        for i in range(n)
    ]
    async with harness.services.db.session() as s:
        await s.execute(insert(Person), rows)
    for i in range(n):
        user = harness.sb.user(first_id + i, f"M{i}")
        user.started = True
    return [first_id + i for i in range(n)]

"""An announcement to 5,000 members through the HTTP sandbox, Telegram's limits enforced on both sides.

The sandbox runs in its own process (as Telegram would be elsewhere), so that the figure measures the
bot, not two programs sharing one event loop. Limits are scaled by SCALE on both sides to keep the
run short; the figure is the achieved rate divided by the limit.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.app import build_application, running
from bot.broadcast import queue
from bot.settings import Settings
from sandbox.bot_harness import TOKEN, BotHarness
from storage.models import Person

MEMBERS = 5000
SCALE = 10.0
GLOBAL = 30.0 * SCALE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _control(base: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{base}/_sandbox/{path}", data=data, method="POST" if data else "GET",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["result"]


async def measure(members: int = MEMBERS) -> dict[str, float]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port), "--token", TOKEN, "--enforce-limits",
         "--scale", str(SCALE)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _control(base, "stats")
                break
            except OSError:
                time.sleep(0.1)
        for i in range(members):
            _control(base, "users", {"id": 100_000 + i, "first_name": f"M{i}", "started": True})
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                _env_file=None, telegram_bot_token=TOKEN, telegram_api_base_url=f"{base}/bot",
                database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'b.sqlite3'}", ics_path=str(Path(tmp) / "a.ics"),
                log_level="WARNING", send_global_per_second=GLOBAL, send_per_chat_per_second=1.0 * SCALE,
                send_per_group_per_minute=20.0 * SCALE,
            )
            app = build_application(settings)
            async with running(app):
                bot = BotHarness(None, app)
                now = time.time()
                from datetime import UTC, datetime

                stamp = datetime.fromtimestamp(now, UTC)
                async with bot.services.db.session() as s:
                    await s.execute(insert(Person), [
                        {"telegram_id": 100_000 + i, "first_name": f"M{i}", "language": "fr", "skills": [],
                         "consent_version": "bench", "consent_at": stamp, "reachable": True, "asks_paused": False,
                         "digest_hour": 8, "digest_paused": False, "announcements_stopped": False,
                         "created_at": stamp, "updated_at": stamp}
                        for i in range(members)
                    ])
                before = _control(base, "stats")
                start = time.perf_counter()
                async with bot.services.transaction() as s:
                    await queue(s, None, "all", "", "Bench")
                await bot.outbox_idle(timeout=members / GLOBAL * 4 + 60)
                elapsed = time.perf_counter() - start
            after = _control(base, "stats")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    sent = after["sent"] - before["sent"]
    return {
        "broadcast_messages": float(sent),
        "broadcast_seconds": elapsed,
        "broadcast_rate_vs_limit": (sent / elapsed) / GLOBAL,
        "broadcast_429_received": float(after["rate_limited"] - before["rate_limited"]),
    }


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")

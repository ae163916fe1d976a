"""What starting the bot costs: the time to import the application, and the memory of a bot that
polls a sandbox and does nothing (`python -m bot` in its own process, the sandbox in another).

startup_import_seconds is the median of several fresh interpreters timing `import bot.app` alone
(interpreter start excluded); idle_rss_mb is the resident memory of the idle bot after its start-up
on a new database, idle_rss_restart_mb the same after a restart on that (now up-to-date) database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.bot_harness import TOKEN

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
IDLE_SECONDS = 5.0
_TIMED_IMPORT = "import time; t = time.perf_counter(); import bot.app; print(time.perf_counter() - t)"


def import_seconds(runs: int = RUNS) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _TIMED_IMPORT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _idle_bot_rss(env: dict[str, str], tmp: str) -> float:
    bot_env = {
        **env,
        "DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'idle.sqlite3'}",
        "ICS_PATH": str(Path(tmp) / "agenda.ics"),
        "LOG_LEVEL": "INFO",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp, env=bot_env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert bot.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = bot.stderr.readline()
            if not line and bot.poll() is not None:
                raise RuntimeError("the bot stopped during start-up")
            if "coordo is running" in line:
                break
        time.sleep(IDLE_SECONDS)
        return _rss_mb(bot.pid)
    finally:
        bot.terminate()
        bot.wait(30)


def idle_rss_mb() -> tuple[float, float]:
    """The idle bot's memory on a new database (migrated at start), then restarted on it (up to date:
    the migration tool is not loaded)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--token", TOKEN],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        lines = [sandbox.stdout.readline().strip() for _ in range(2)]
        base_url = lines[1].split("=", 1)[1]
        bot_env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base_url}
        with tempfile.TemporaryDirectory() as tmp:
            first = _idle_bot_rss(bot_env, tmp)
            again = _idle_bot_rss(bot_env, tmp)
        return first, again
    finally:
        sandbox.terminate()
        sandbox.wait(30)


def run() -> dict[str, float]:
    first, again = idle_rss_mb()
    return {"startup_import_seconds": import_seconds(), "idle_rss_mb": first, "idle_rss_restart_mb": again}

"""`python -m bot` as a real process against the HTTP sandbox: onboarding, logs without the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from sandbox import TelegramSandbox, serve_http
from sandbox.bot_harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]


async def test_subprocess_onboarding_over_http_and_no_token_in_logs(tmp_path: Path) -> None:
    sb = TelegramSandbox(TOKEN, username="coordo_bot")
    server = await serve_http(sb, host="127.0.0.1", port=0)
    db_file = tmp_path / "bot.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db_file}",
        "LOG_LEVEL": "DEBUG",
    }
    log_file = tmp_path / "bot.log"
    with log_file.open("w") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
    try:
        lea = sb.user(701, "Léa")
        lea.send("/start")
        assert "prénom" in (await lea.next_message(timeout=60)).plain
        lea.send("Léa")
        ask_city = await lea.next_message(timeout=10)
        lea.press(ask_city, text="Rennes")
        ask_skills = await lea.next_message(timeout=10)
        lea.press(ask_skills, text="Collage")
        await sb.wait_for(lambda: "✅ Collage" in ask_skills.button_texts, 10)
        lea.press(ask_skills, text="Valider")
        privacy = await lea.next_message(timeout=10)
        lea.press(privacy, text="J'accepte")
        assert "Bienvenue Léa" in (await lea.next_message(timeout=10)).plain

        # A failure inside a handler is logged with its context, and the token still never shows.
        sb.inject_fault(method="sendMessage", kind="500", times=1, chat_id=701)
        lea.send("/aide")
        await sb.wait_for(lambda: "failure while handling" in log_file.read_text(), 20)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
        await server.close()

    with sqlite3.connect(db_file) as conn:
        row = conn.execute(
            "SELECT first_name, skills, consent_version FROM person WHERE telegram_id = 701"
        ).fetchone()
    assert row is not None and row[0] == "Léa" and "collage" in row[1] and row[2]
    output = log_file.read_text()
    assert "failure while handling" in output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output

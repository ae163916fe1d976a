"""`python -m bot` in webhook mode against the HTTP sandbox: Telegram (the sandbox) pushes updates
with X-Telegram-Bot-Api-Secret-Token; a request without the right secret is refused; a webhook URL
without a secret stops the start with one clear line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from sandbox import TelegramSandbox, serve_http
from sandbox.bot_harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-Token_42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_with_secret_token(tmp_path: Path) -> None:
    sb = TelegramSandbox(TOKEN, username="coordo_bot")
    server = await serve_http(sb, host="127.0.0.1", port=0)
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/updates"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "ICS_PATH": str(tmp_path / "agenda.ics"),
        # As behind a reverse proxy: the public URL's path is served on the local port.
        "WEBHOOK_URL": hook,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    log_file = tmp_path / "bot.log"
    with log_file.open("w") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
    try:
        await sb.wait_for(lambda: sb.webhook.url == hook, 60, "setWebhook")
        assert sb.webhook.secret_token == SECRET
        lea = sb.user(701, "Léa")
        lea.send("/start")
        assert "prénom" in (await lea.next_message(timeout=20)).plain
        assert not sb.calls_to("getUpdates")  # no polling at all

        # Anyone may POST to the public URL: without the secret, refused and ignored.
        forged = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 701, "type": "private", "first_name": "Léa"},
                "from": {"id": 701, "is_bot": False, "first_name": "Léa"},
                "text": "/aide",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        async with httpx.AsyncClient(trust_env=False) as client:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "devine"}, {}):
                response = await client.post(hook, json=forged, headers=headers)
                assert response.status_code == 403, response.status_code
        await asyncio.sleep(0.5)
        assert len(lea.messages) == 1  # the forged /aide was not answered

        # Telegram with a stale secret gets 403 too, and delivers once it is right again.
        sb.webhook.secret_token = "ancien-secret"
        lea.send("Léa")
        await sb.wait_for(
            lambda: (sb.webhook.last_error_message or "").startswith("Wrong response from the webhook: 403"),
            20,
        )
        assert len(lea.messages) == 1
        sb.webhook.secret_token = SECRET
        assert "ville" in (await lea.next_message(timeout=20)).plain
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
        await server.close()
    assert proc.returncode == 0, log_file.read_text()[-2000:]
    assert TOKEN not in log_file.read_text() and SECRET not in log_file.read_text()


def test_webhook_url_without_secret_is_a_clear_start_up_error(tmp_path: Path) -> None:
    for extra in ({}, {"WEBHOOK_SECRET": "pas de espaces !"}):
        done = subprocess.run(
            [sys.executable, "-m", "bot"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "WEBHOOK_URL": "https://bot.example.org/telegram",
                **extra,
            },
        )
        assert done.returncode == 2
        assert "WEBHOOK_SECRET" in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1

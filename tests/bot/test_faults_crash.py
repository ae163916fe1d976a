"""`python -m bot` killed with SIGKILL halfway through an announcement to 300 members, then started
again: nobody gets it twice, and nobody misses it except for a row the crash caught mid-call (marked
'uncertain' by design: it may or may not have reached Telegram, and is never sent blindly again)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from capabilities.announcements import queue
from sandbox import TelegramSandbox, serve_http
from sandbox.bot_harness import TOKEN
from storage.db import Database
from storage.models import Person

MEMBERS = 300
FIRST_ID = 200_000
TEXT = "Grande nouvelle pour tout le monde"
DOUBT = ("sending", "uncertain")


async def prepare(db_file: Path, sb: TelegramSandbox) -> int:
    """The members and the announcement, queued as /annonce does, before the bot runs."""
    db = Database(f"sqlite+aiosqlite:///{db_file}")
    try:
        await db.migrate()
        now = datetime.now(UTC)
        async with db.session() as s:
            await s.execute(
                insert(Person),
                [
                    {
                        "telegram_id": FIRST_ID + i,
                        "first_name": f"M{i}",
                        "language": "fr",
                        "skills": [],
                        "consent_version": "test",
                        "consent_at": now,
                        "reachable": True,
                        "asks_paused": False,
                        "digest_hour": 8,
                        "digest_paused": True,
                        "announcements_stopped": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(MEMBERS)
                ],
            )
        async with db.session() as s:
            broadcast = await queue(s, None, "all", "", TEXT)
    finally:
        await db.dispose()
    for i in range(MEMBERS):
        sb.user(FIRST_ID + i, f"M{i}").started = True
    return broadcast.id


def delivered(sb: TelegramSandbox) -> Counter[int]:
    return Counter(
        {
            uid: sum(TEXT in (m.plain or "") for m in sb.messages_in(uid, include_deleted=True))
            for uid in range(FIRST_ID, FIRST_ID + MEMBERS)
        }
    )


def statuses(db_file: Path, batch: str) -> dict[int, str]:
    with sqlite3.connect(db_file, timeout=10) as conn:
        return dict(conn.execute("SELECT chat_id, status FROM outbox WHERE batch = ?", (batch,)).fetchall())


async def start_bot(tmp_path: Path, env: dict[str, str], name: str) -> asyncio.subprocess.Process:
    with (tmp_path / f"{name}.log").open("w") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )


async def test_sigkill_halfway_through_an_announcement(tmp_path: Path) -> None:
    sb = TelegramSandbox(TOKEN, username="coordo_bot")
    server = await serve_http(sb, host="127.0.0.1", port=0)
    db_file = tmp_path / "bot.sqlite3"
    batch = f"bc:{await prepare(db_file, sb)}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db_file}",
        "ICS_PATH": str(tmp_path / "agenda.ics"),
        "LOG_LEVEL": "INFO",
        # Telegram's own limits (30 messages/s overall): the announcement takes about 10 s.
        "SEND_GLOBAL_PER_SECOND": "30",
    }
    first = await start_bot(tmp_path, env, "first")
    second = None
    try:
        await sb.wait_for(lambda: sum(delivered(sb).values()) >= MEMBERS // 2, 60, "half the announcement")
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        at_kill = sum(delivered(sb).values())
        assert at_kill < MEMBERS, "the whole announcement went out before the kill: nothing was tested"

        second = await start_bot(tmp_path, env, "second")
        deadline = time.monotonic() + 60
        while "pending" in statuses(db_file, batch).values():
            assert time.monotonic() < deadline, Counter(statuses(db_file, batch).values())
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # the last sends are recorded in batches
    finally:
        for proc in (first, second):
            if proc is not None and proc.returncode is None:
                proc.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(proc.wait(), 30)
                except TimeoutError:
                    proc.kill()
        await server.close()

    counts = delivered(sb)
    rows = statuses(db_file, batch)
    assert len(rows) == MEMBERS
    twice = {uid: n for uid, n in counts.items() if n > 1}
    assert not twice, f"sent twice: {twice}"
    doubt = {uid for uid, status in rows.items() if status in DOUBT}
    missing = {uid for uid, n in counts.items() if n == 0}
    assert missing <= doubt, f"lost without being marked in doubt: {sorted(missing - doubt)} ({rows})"
    assert {rows[uid] for uid in set(rows) - doubt} == {"sent"}, Counter(rows.values())
    # Only the calls under way at the kill can be in doubt (the sender overlaps at most 32).
    assert len(doubt) <= 32, (len(doubt), Counter(rows.values()))
    # NB: a restart within 5 minutes leaves these rows 'sending' rather than 'uncertain'
    # (storage/outbox.recover_interrupted only relabels older claims, at start): see the report.
    print(
        f"killed after {at_kill} messages; in doubt: {len(doubt)} ({len(doubt & missing)} not received);",
        dict(Counter(rows.values())),
    )

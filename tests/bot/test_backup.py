"""`python -m bot backup` and `python -m bot restore FILE`: back up, change data, restore, data back;
the restored database migrates and runs; bad input and a missing pg_dump are explained in French."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from bot.settings import Settings
from domain.statuses import RequestKind
from sandbox import SandboxRequest, TelegramSandbox
from sandbox.bot_harness import TOKEN
from storage.db import Database, alembic_config
from storage.models import Person

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **env},
    )


def person(tid: int, name: str) -> Person:
    return Person(telegram_id=tid, first_name=name, consent_version="v1", consent_at=datetime.now(UTC))


async def names(db: Database) -> set[str]:
    async with db.session() as s:
        return set(await s.scalars(select(Person.first_name)))


async def test_sqlite_backup_then_restore_brings_the_data_back_and_the_bot_runs(tmp_path: Path) -> None:
    db_file = tmp_path / "data" / "coordo.sqlite3"
    url = f"sqlite+aiosqlite:///{db_file}"
    db = Database(url)
    await db.migrate()
    async with db.session() as s:
        s.add(person(701, "Léa"))
    env = {"DATABASE_URL": url}

    done = cli("backup", "--out", str(tmp_path / "backups") + "/", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (backup,) = (tmp_path / "backups").glob("coordo-*.sqlite3")
    assert "Sauvegarde écrite" in done.stdout and str(backup) in done.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # members' data: owner only

    async with db.session() as s:  # life goes on, then something goes wrong
        await s.execute(delete(Person))
        s.add(person(702, "Paul"))
    assert await names(db) == {"Paul"}
    await db.dispose()

    done = cli("restore", str(backup), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "restaurée" in done.stdout
    (safety,) = (tmp_path / "backups").glob("coordo-avant-restauration-*.sqlite3")
    db = Database(url)
    try:
        assert await names(db) == {"Léa"}
    finally:
        await db.dispose()
    safe = Database(f"sqlite+aiosqlite:///{safety}")
    try:
        assert await names(safe) == {"Paul"}  # the database replaced is kept, in case
    finally:
        await safe.dispose()

    # The restored database runs: the bot starts on it and Léa finds her profile.
    from bot.app import build_application, running

    sb = TelegramSandbox(TOKEN, username="coordo_bot")
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=url,
        ics_path=str(tmp_path / "a.ics"),
        disabled_jobs=["digests", "retention", "inbox", "calendar"],
    )
    app = build_application(settings, request=SandboxRequest(sb), get_updates_request=SandboxRequest(sb))
    async with running(app):
        lea = sb.user(701, "Léa")
        lea.send("/mes_donnees")
        assert "Profil\u00a0: Léa" in (await lea.next_message(timeout=10)).plain


async def test_an_older_backup_is_migrated_on_restore(tmp_path: Path) -> None:
    import sqlite3

    from alembic import command
    from sqlalchemy.ext.asyncio import create_async_engine

    old = tmp_path / "old.sqlite3"
    engine = create_async_engine(f"sqlite+aiosqlite:///{old}")
    async with engine.begin() as conn:  # a backup made before the inbox and money tables existed
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0003"))
        await conn.exec_driver_sql(
            "INSERT INTO person (telegram_id, first_name, language, skills, consent_version, consent_at, reachable, "
            "asks_paused, digest_hour, created_at, updated_at) VALUES (703, 'Ancienne', 'fr', '[]', 'v0', "
            "'2025-01-01 00:00:00', 1, 0, 8, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    await engine.dispose()
    db_file = tmp_path / "coordo.sqlite3"
    url = f"sqlite+aiosqlite:///{db_file}"
    db = Database(url)
    await db.migrate()
    await db.dispose()
    done = cli("restore", str(old), env={"DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == _head()
        row = conn.execute("SELECT first_name, digest_paused FROM person").fetchone()
    assert row == ("Ancienne", 0)


def _head() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


async def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    db_file = tmp_path / "coordo.sqlite3"
    url = f"sqlite+aiosqlite:///{db_file}"
    db = Database(url)
    await db.migrate()
    async with db.session() as s:
        s.add(person(704, "Reste"))
    await db.dispose()
    junk = tmp_path / "notes.txt"
    junk.write_text("ceci n'est pas une base")
    done = cli("restore", str(junk), env={"DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 2 and "Rien n'a été modifié" in done.stderr and "Traceback" not in done.stderr
    done = cli("restore", str(tmp_path / "absent.sqlite3"), env={"DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 2 and "n'existe pas" in done.stderr
    db = Database(url)
    try:
        assert await names(db) == {"Reste"}
    finally:
        await db.dispose()
    done = cli(
        "backup", env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nulle-part.sqlite3'}"}, cwd=tmp_path
    )
    assert done.returncode == 2 and "n'existe pas" in done.stderr


def test_without_pg_dump_the_error_says_what_to_install(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"DATABASE_URL": "postgresql+asyncpg://coordo:secret@127.0.0.1:1/coordo", "PATH": str(empty)}
    for args in (("backup",), ("restore", __file__)):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PYTHONPATH": str(ROOT), **env},
        )
        assert done.returncode == 2, done.stderr
        assert "introuvable" in done.stderr and "postgresql-client" in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
async def test_postgresql_backup_then_restore(db_target: Any, tmp_path: Path) -> None:
    db = Database(db_target.url, db_target.schema)
    await db.migrate()
    async with db.session() as s:
        s.add(person(705, "Léa"))
    env = {"DATABASE_URL": db_target.url, "DATABASE_SCHEMA": db_target.schema}
    done = cli("backup", "--out", str(tmp_path / "pg.dump"), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "pg.dump").stat().st_mode) == 0o600
    async with db.session() as s:
        await s.execute(delete(Person))
        s.add(person(706, "Paul"))
    await db.dispose()
    done = cli("restore", str(tmp_path / "pg.dump"), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    db = Database(db_target.url, db_target.schema)
    try:
        assert await names(db) == {"Léa"}
        await db.migrate()  # already at head: nothing to do, no error
    finally:
        await db.dispose()


async def test_erasures_made_since_the_backup_survive_the_restore(tmp_path: Path) -> None:
    """Restoring an old backup must not bring back someone who asked to be forgotten (RGPD art. 17)."""
    from capabilities.privacy import erase, stop, subject_of_user
    from storage import privacy as pq
    from storage.models import DataRequest

    url = f"sqlite+aiosqlite:///{tmp_path / 'coordo.sqlite3'}"
    db = Database(url)
    await db.migrate()
    async with db.session() as s:
        s.add_all([person(801, "Léa"), person(802, "Paul"), person(803, "Zoé")])
    done = cli("backup", "--out", str(tmp_path / "before.sqlite3"), env={"DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    now = datetime.now(UTC)
    async with db.session() as s:  # after the backup: Paul erases everything, Zoé stops the messages
        request = await pq.add_request(s, RequestKind.ERASURE, telegram_id=802, now=now)
        await erase(s, await subject_of_user(s, 802), request=request, actor=None, now=now)
        zoe = (await subject_of_user(s, 803)).person
        assert zoe is not None
        await stop(s, zoe, now)
        await pq.add_request(s, RequestKind.STOP, telegram_id=803, now=now, done=True)
    assert await names(db) == {"Léa", "Zoé"}
    await db.dispose()

    done = cli("restore", str(tmp_path / "before.sqlite3"), env={"DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Réappliquées depuis la sauvegarde\u00a0: 2 demandes d'effacement ou d'arrêt" in done.stdout
    db = Database(url)
    try:
        assert await names(db) == {"Léa", "Zoé"}
        async with db.session() as s:
            zoe = await s.scalar(select(Person).where(Person.telegram_id == 803))
            assert zoe is not None and zoe.announcements_stopped and zoe.asks_paused
            register = list(await s.scalars(select(DataRequest).order_by(DataRequest.id)))
        assert [(r.kind, r.telegram_id) for r in register] == [("erasure", 802), ("stop", 803)]
        assert all(r.done_at is not None for r in register)
    finally:
        await db.dispose()

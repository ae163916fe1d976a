"""`coordo backup [--out PATH]` and `coordo restore FILE`: the whole database, SQLite or PostgreSQL.

SQLite uses SQLite's online backup API, so a backup taken while the bot runs is consistent.
PostgreSQL uses pg_dump / pg_restore (custom format), which must be installed.

Restore replaces every row of the configured database with the backup's, after saving the current
database next to the backup (…-avant-restauration…), then migrates it to the current schema, and
applies again the erasures and stops requested since the backup (from the register of the database it
replaced): an old backup must not bring back someone who asked to be forgotten. Stop the bot first:
it must not write while its database is being replaced.

A backup holds every member's data, which reveals political opinions (RGPD art. 9): the file is
created readable by its owner only; keep it encrypted and off the server (rule 41).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import URL, make_url

from bot.settings import Settings, describe_error
from bot.texts import t


def say(key: str, *, stderr: bool = False, **values: Any) -> None:
    """One text of bot/texts/backup.py, in French, in the terminal (HTML entities decoded)."""
    print(_plain(key, **values), file=sys.stderr if stderr else sys.stdout)


def _plain(key: str, **values: Any) -> str:
    return html.unescape(t("fr", key, **values))


def _bytes(n: int) -> str:
    """1234567 → « 1 234 567 »: thousands apart by narrow no-break spaces, as French writes numbers."""
    return f"{n:,}".replace(",", "\u202f")


def add_parser(subparsers: Any) -> None:
    backup = subparsers.add_parser("backup", help=_plain("backup.help"))
    backup.add_argument("--out", metavar="CHEMIN", help=_plain("backup.help_out"))
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser("restore", help=_plain("backup.help_restore"))
    restore.add_argument("file", metavar="FICHIER", help=_plain("backup.help_file"))
    restore.set_defaults(func=run_restore)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _target(out: str | None, default_dir: Path, suffix: str) -> Path:
    name = f"coordo-{_stamp()}{suffix}"
    if out is None:
        return default_dir / name
    path = Path(out)
    return path / name if path.is_dir() or out.endswith(("/", os.sep)) else path


def _private(path: Path) -> None:
    """Only the owner may read a copy of the members' data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def run_backup(args: argparse.Namespace) -> int:
    settings = _settings()
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(Path(url.database or ""), args.out)
    return _pg_backup(url, settings.database_schema, args.out)


def run_restore(args: argparse.Namespace) -> int:
    settings = _settings()
    source = Path(args.file)
    if not source.is_file():
        say("backup.no_file", stderr=True, path=source)
        return 2
    url = make_url(settings.database_url)
    register = _read_register(settings)
    if url.get_backend_name() == "sqlite":
        code = _sqlite_restore(source, Path(url.database or ""))
    else:
        code = _pg_restore(source, url, settings.database_schema)
    if code:
        return code
    from storage.db import migrate_now

    migrate_now(settings.database_url, settings.database_schema)
    if register:
        applied = _carry_over(settings, register)
        if applied:
            say("backup.carried", count=applied)
    say("backup.restored")
    return 0


def _read_register(settings: Settings) -> list[dict[str, Any]] | None:
    """The register of data requests of the database about to be replaced (None if unreadable)."""
    from capabilities.privacy import register_rows
    from storage.db import Database

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return []  # nothing to replace, nothing to carry over

    async def go() -> list[dict[str, Any]]:
        db = Database(settings.database_url, settings.database_schema)
        try:
            async with db.session() as s:
                return await register_rows(s)
        finally:
            await db.dispose()

    try:
        return asyncio.run(go())
    except Exception as exc:  # a broken database is often why one restores
        say("backup.register_unreadable", stderr=True, error=type(exc).__name__)
        return None


def _carry_over(settings: Settings, register: list[dict[str, Any]]) -> int:
    """Erasures made since the backup must survive the restore (RGPD art. 17)."""
    from capabilities.privacy import carry_over_register
    from storage.db import Database

    async def go() -> int:
        db = Database(settings.database_url, settings.database_schema)
        try:
            async with db.session() as s:
                return await carry_over_register(s, register, datetime.now(UTC))
        finally:
            await db.dispose()

    return asyncio.run(go())


# --- SQLite -------------------------------------------------------------------------------------


def _check_sqlite(path: Path) -> str | None:
    """Why `path` is not a usable coordo database (French), or None."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _plain("backup.not_sqlite", path=path, error=exc)
    if not status or status[0] != "ok":
        return _plain("backup.damaged", path=path, error=status[0] if status else "?")
    if "alembic_version" not in tables or "person" not in tables:
        return _plain("backup.not_coordo", path=path)
    return None


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: consistent even while another process writes."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_backup(db_file: Path, out: str | None) -> int:
    if not db_file.is_file():
        say("backup.no_database", stderr=True, path=db_file)
        return 2
    target = _target(out, db_file.parent / "backups", ".sqlite3")
    if target.resolve() == db_file.resolve():
        say("backup.onto_itself", stderr=True)
        return 2
    if target.exists():
        target.unlink()
    _private(target)
    _copy(db_file, target)
    problem = _check_sqlite(target)
    if problem:
        say("backup.unsound", stderr=True, problem=problem)
        return 1
    say("backup.written", path=target, size=_bytes(target.stat().st_size))
    return 0


def _sqlite_restore(source: Path, db_file: Path) -> int:
    problem = _check_sqlite(source)
    if problem:
        say("backup.refused", stderr=True, problem=problem)
        return 2
    if db_file.is_file():
        safety = source.parent / f"coordo-avant-restauration-{_stamp()}.sqlite3"
        _private(safety)
        _copy(db_file, safety)
        say("backup.kept", path=safety)
    else:
        db_file.parent.mkdir(parents=True, exist_ok=True)
    # The backup API into the live file (not a file copy): the WAL and its index stay consistent.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(db_file, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return 0


# --- PostgreSQL ---------------------------------------------------------------------------------


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump/pg_restore, without the password (it goes in PGPASSWORD, not in `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def _run(tool: str, arguments: list[str], env: dict[str, str]) -> int:
    binary = shutil.which(tool)
    if binary is None:
        say("backup.pg_missing", stderr=True, tool=tool)
        return 2
    done = subprocess.run([binary, *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        say("backup.tool_failed", stderr=True, tool=tool, error=done.stderr.strip() or done.returncode)
        return 1
    return 0


def _pg_backup(url: URL, schema: str | None, out: str | None) -> int:
    target = _target(out, Path("backups"), ".dump")
    if shutil.which("pg_dump") is None:
        say("backup.pg_missing", stderr=True, tool="pg_dump")
        return 2
    _private(target)
    dsn, env = _libpq(url)
    arguments = ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}", f"--dbname={dsn}"]
    if schema:
        arguments.append(f"--schema={schema}")
    code = _run("pg_dump", arguments, env)
    if code:
        target.unlink(missing_ok=True)
        return code
    say("backup.written", path=target, size=_bytes(target.stat().st_size))
    return 0


def _pg_restore(source: Path, url: URL, schema: str | None) -> int:
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            say("backup.pg_missing", stderr=True, tool=tool)
            return 2
    dsn, env = _libpq(url)
    listing = subprocess.run(
        [shutil.which("pg_restore") or "pg_restore", "--list", str(source)],
        env=env,
        capture_output=True,
        text=True,
    )
    if listing.returncode != 0 or "alembic_version" not in listing.stdout:
        say("backup.not_pg_backup", stderr=True, path=source)
        return 2
    safety = source.parent / f"coordo-avant-restauration-{_stamp()}.dump"
    _private(safety)
    arguments = ["--format=custom", "--no-owner", "--no-privileges", f"--file={safety}", f"--dbname={dsn}"]
    if schema:
        arguments.append(f"--schema={schema}")
    if _run("pg_dump", arguments, env):
        safety.unlink(missing_ok=True)
        say("backup.nothing_changed", stderr=True)
        return 1
    say("backup.kept", path=safety)
    arguments = [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        f"--dbname={dsn}",
        str(source),
    ]
    if schema:
        arguments.insert(0, f"--schema={schema}")
    return _run("pg_restore", arguments, env)

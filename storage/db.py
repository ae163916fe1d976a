"""Engine, sessions and migrations."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, CursorResult, Result, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, schema: str | None = None, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_async_engine(url, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if schema:
        kwargs.setdefault("connect_args", {"server_settings": {"search_path": schema}})
    return create_async_engine(url, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


class Database:
    """The engine and its session factory, passed to handlers and jobs."""

    def __init__(self, url: str, schema: str | None = None, **engine_kwargs: Any) -> None:
        self.url = url
        self.schema = schema
        self.engine = make_engine(url, schema, **engine_kwargs)
        self.sessionmaker = make_sessionmaker(self.engine)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed at the end, rolled back whole on any error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def migrate(self) -> None:
        if self.schema and self.engine.dialect.name == "postgresql":
            async with self.engine.begin() as conn:
                await conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        await migrate(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()


def migrate_now(url: str, schema: str | None = None) -> None:
    """Bring the database to the current schema from a command (no running event loop)."""

    async def go() -> None:
        db = Database(url, schema)
        try:
            await db.migrate()
        finally:
            await db.dispose()

    asyncio.run(go())


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic is needed at start and by the CLI only: not at import

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r'^(down_revision|revision)\b[^=]*=\s*"([^"]+)"', re.MULTILINE)


@functools.cache
def head_revision() -> str:
    """The newest revision, read from the migration files' own lines: knowing the database is up
    to date must not cost Alembic's import (~0.25 s and ~13 MB) at every start."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for kind, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if kind == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads")
    return heads.pop()


def _at_head(connection: Connection) -> bool:
    if not inspect(connection).has_table("alembic_version"):
        return False
    current = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return current == [head_revision()]


def _upgrade(connection: Connection) -> None:
    if _at_head(connection):
        return
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (idempotent; Alembic is loaded only when needed)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT touched (session.execute types its result loosely)."""
    assert isinstance(result, CursorResult)
    return result.rowcount

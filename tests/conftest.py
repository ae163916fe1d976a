"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

TEST_PG = os.environ.get("TEST_DATABASE_URL", "")
DB_KINDS = ["sqlite"] + (["postgresql"] if TEST_PG else [])


@dataclass
class DbTarget:
    url: str
    schema: str | None = None

    @property
    def kind(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"


@pytest.fixture(params=DB_KINDS)
async def db_target(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[DbTarget]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield DbTarget(f"sqlite+aiosqlite:///{tmp_path / 'coordo.sqlite3'}")
        return
    import asyncpg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield DbTarget(TEST_PG, schema)
    conn = await asyncpg.connect(TEST_PG.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture
async def db(db_target: DbTarget):  # type: ignore[no-untyped-def]
    from storage.db import Database

    database = Database(db_target.url, db_target.schema)
    await database.migrate()
    yield database
    await database.dispose()

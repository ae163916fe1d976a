"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and are re-runnable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from storage.models import Base, City, Person


async def test_migrations_match_models(db) -> None:  # type: ignore[no-untyped-def]
    def diff(conn):  # type: ignore[no-untyped-def]
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


async def test_migrate_twice_is_harmless_and_seeds_cities_once(db) -> None:  # type: ignore[no-untyped-def]
    await db.migrate()
    async with db.session() as s:
        names = list(await s.scalars(select(City.name).order_by(City.name)))
    assert names == ["Grenoble", "Lille", "Lyon", "Marseille", "Nantes", "Paris", "Rennes", "Toulouse"]


async def test_sqlite_runs_in_wal_mode_with_busy_timeout(db, db_target) -> None:  # type: ignore[no-untyped-def]
    if db_target.kind != "sqlite":
        pytest.skip("SQLite only")
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_times_come_back_aware_utc_and_naive_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    paris_winter = timezone(timedelta(hours=1))
    typed = datetime(2026, 11, 26, 10, 0, tzinfo=paris_winter)
    async with db.session() as s:
        s.add(Person(telegram_id=1, first_name="Léa", consent_version="v", consent_at=typed))
    async with db.session() as s:
        person = await s.scalar(select(Person))
    assert person is not None
    assert person.consent_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert person.consent_at.tzinfo is not None
    with pytest.raises(Exception, match="naive"):
        async with db.session() as s:
            s.add(
                Person(telegram_id=2, first_name="Zoé", consent_version="v", consent_at=datetime(2026, 1, 1))
            )

"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and are re-runnable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

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


def test_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_a_database_behind_is_upgraded_and_one_at_head_is_left_alone(db) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from storage.db import alembic_config, head_revision

    def downgrade(conn):  # type: ignore[no-untyped-def]
        command.downgrade(alembic_config(conn), "-1")

    async with db.engine.begin() as conn:
        await conn.run_sync(downgrade)
    await db.migrate()
    async with db.session() as s:
        assert list(await s.scalars(text("SELECT version_num FROM alembic_version"))) == [head_revision()]
        assert "correction" in await s.run_sync(lambda ss: inspect(ss.connection()).get_table_names())


def test_a_start_on_an_up_to_date_database_does_not_load_alembic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path / 'up.sqlite3'}"
    script = (
        f"import sys; from storage.db import migrate_now; migrate_now({url!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')[:1])"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['alembic']"  # a new database is migrated by Alembic
    assert again.stdout.strip() == "[]"

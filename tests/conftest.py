"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests check behaviour, not speed: Hypothesis's per-example deadline is a timed test in
# disguise, and fails on a loaded machine. Speed is measured in bench/.
hypothesis_settings.register_profile("coordo", deadline=None)
hypothesis_settings.load_profile("coordo")

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


# --- The bot, driven through the Telegram sandbox -------------------------------------------

from sandbox.bot_harness import COORDINATOR_ID, TOKEN  # noqa: E402


@pytest.fixture
def sandbox():  # type: ignore[no-untyped-def]
    from sandbox import TelegramSandbox

    return TelegramSandbox(TOKEN, username="coordo_bot")


def make_settings(db_target: DbTarget, **overrides: object):  # type: ignore[no-untyped-def]
    from bot.settings import Settings

    # Files the bot writes (the agenda's .ics and .json, receipts) in a folder of this test's own:
    # tests on two workers must not read each other's.
    files = Path(tempfile.mkdtemp(prefix="coordo-test-"))
    values: dict[str, object] = {
        "ics_path": str(files / "agenda.ics"),
        "agenda_json_path": str(files / "agenda.json"),
        "receipts_dir": str(files / "receipts"),
        "telegram_bot_token": TOKEN,
        "database_url": db_target.url,
        "database_schema": db_target.schema,
        "coordinator_ids": [COORDINATOR_ID],
        # Jobs that act on the real clock would fire mid-test (a digest at 08:00); tests run them
        # explicitly with the `now` they choose.
        "disabled_jobs": [
            "digests",
            "reminders",
            "recruitment",
            "retention",
            "memberships",
            "inbox",
            "donations",
            "calendar",
            "com",
            "understanding",  # the daily retraining of the reply model (tests run it explicitly)
        ],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change the bot's settings."""
    return {}


@pytest.fixture
async def bot(sandbox, db_target: DbTarget, settings_overrides):  # type: ignore[no-untyped-def]
    from bot.app import build_application, running
    from sandbox import SandboxRequest
    from sandbox.bot_harness import BotHarness

    settings = make_settings(db_target, **settings_overrides)
    app = build_application(
        settings, request=SandboxRequest(sandbox), get_updates_request=SandboxRequest(sandbox)
    )
    async with running(app):
        yield BotHarness(sandbox, app)

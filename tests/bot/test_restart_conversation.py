"""Conversations survive restarts (issue 12): a real `python -m bot` killed with SIGKILL in the
middle of /start and /evenement, started again, and both finished; the stored state is removed
when a form ends or times out; a form restored at start still times out."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.persistence import USER_DATA, decode, encode
from sandbox import SandboxRequest, TelegramSandbox, serve_http
from sandbox.bot_harness import COORDINATOR_ID, TOKEN, BotHarness
from storage import conversations as q
from storage.db import Database
from storage.models import ConversationState, Event, Person
from tests.conftest import DbTarget, make_settings


async def _rows(db: Database, name: str) -> dict[str, ConversationState]:
    async with db.session() as s:
        return {row.key: row for row in await q.rows_named(s, name)}


async def _until(predicate: Any, timeout: float = 10.0) -> None:
    """Wait until the async `predicate()` holds (the bot commits right after it answers)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        assert loop.time() < deadline, "the conversation was not stored in time"
        await asyncio.sleep(0.05)


async def _count(db: Database, model: Any) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


# --- A real process, killed -9 mid-conversation --------------------------------------------------


async def _start_bot(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("a") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=cwd, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(proc.wait(), 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()


async def test_a_killed_bot_resumes_onboarding_and_event_creation_after_restart(
    db_target: DbTarget, tmp_path: Path
) -> None:
    sb = TelegramSandbox(TOKEN, username="coordo_bot")
    server = await serve_http(sb, host="127.0.0.1", port=0)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "TELEGRAM_API_BASE_FILE_URL": server.base_file_url,
        "DATABASE_URL": db_target.url,
        "COORDINATOR_IDS": str(COORDINATOR_ID),
        "DISABLED_JOBS": "digests,reminders,recruitment,retention,memberships,inbox,donations,calendar,com",
        "LOG_LEVEL": "INFO",
    }
    if db_target.schema:
        env["DATABASE_SCHEMA"] = db_target.schema
    log = tmp_path / "bot.log"
    db = Database(db_target.url, db_target.schema)
    proc = await _start_bot(env, tmp_path, log)
    try:
        # The coordinator registers, then starts an event: its title is given, its kind is asked.
        coord = sb.user(COORDINATOR_ID, "Camille")
        coord.send("/start")
        assert "prénom" in (await coord.next_message(timeout=60)).plain
        coord.send("Camille")
        ask_city = await coord.next_message(timeout=10)
        coord.press(ask_city, text="Lyon")
        ask_skills = await coord.next_message(timeout=10)
        coord.press(ask_skills, text="Valider")
        coord.press(await coord.next_message(timeout=10), text="J'accepte")
        assert "Bienvenue" in (await coord.next_message(timeout=10)).plain
        coord.send("/evenement")
        await coord.next_message(timeout=10)
        coord.send("Réunion publique du marché")
        kinds = await coord.next_message(timeout=10)
        # Léa is half-way through /start: her first name is given, her city asked.
        lea = sb.user(701, "Léa")
        lea.send("/start")
        assert "prénom" in (await lea.next_message(timeout=10)).plain
        lea.send("Léa")
        lea_city = await lea.next_message(timeout=10)

        async def both_stored() -> bool:
            users = await _rows(db, USER_DATA)
            lea_draft = decode(users["701"].data).get("onboarding", {}) if "701" in users else {}
            coord_draft = users.get(str(COORDINATOR_ID))
            event_draft = decode(coord_draft.data).get("event_draft", {}) if coord_draft else {}
            return lea_draft.get("name") == "Léa" and "title" in str(event_draft)

        await _until(both_stored)
        proc.kill()  # SIGKILL: no shutdown, no last write
        await proc.wait()

        proc = await _start_bot(env, tmp_path, log)
        # Both continue with their next answer, on the messages of the killed process.
        lea.press(lea_city, text="Rennes")
        ask_skills = await lea.next_message(timeout=60)
        lea.press(ask_skills, text="Collage")
        await sb.wait_for(lambda: "✅ Collage" in ask_skills.button_texts, 10)
        lea.press(ask_skills, text="Valider")
        lea.press(await lea.next_message(timeout=10), text="J'accepte")
        assert "Bienvenue Léa" in (await lea.next_message(timeout=10)).plain

        coord.press(kinds, text="réunion")
        cities = await coord.next_message(timeout=10)
        coord.press(cities, text="Lyon")
        await coord.next_message(timeout=10)
        coord.send("le 12 décembre")
        await coord.next_message(timeout=10)
        coord.send("18h30")
        confirm = await coord.next_message(timeout=10)
        coord.press(confirm, text="Oui")
        await coord.next_message(timeout=10)
        coord.send("1h30")
        await coord.next_message(timeout=10)
        coord.send("Salle des fêtes")
        await coord.next_message(timeout=10)
        coord.send("-")
        await coord.next_message(timeout=10)
        coord.send("accueil 2")
        summary = await coord.next_message(timeout=10)
        assert "Réunion publique du marché" in summary.plain
        coord.press(summary, text="Confirmer")
        await coord.next_message(timeout=10)
        assert await _count(db, Event) == 1
        async with db.session() as s:
            lea_row = await s.scalar(select(Person).where(Person.telegram_id == 701))
        assert lea_row is not None and lea_row.first_name == "Léa" and lea_row.consent_version
        # Both forms ended: nothing of them is left in the table.
        await _until(lambda: _no_forms_left(db))
    finally:
        await _stop(proc)
        await server.close()
        await db.dispose()


async def _no_forms_left(db: Database) -> bool:
    async with db.session() as s:
        rows = list((await s.scalars(select(ConversationState))).all())
    return all(row.name == USER_DATA and not ({"onboarding", "event_draft"} & set(row.data)) for row in rows)


# --- In process: what is stored, and when it goes -------------------------------------------------


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("handlers.conversation.TIMEOUT", timedelta(seconds=1))
    yield


async def _coordinator(bot: Any) -> Any:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    return coord


async def _event_started(bot: Any, coord: Any) -> None:
    await bot.reply(coord, "/evenement")
    await bot.reply(coord, "Réunion publique")
    db = bot.services.db

    async def stored() -> bool:
        users = await _rows(db, USER_DATA)
        row = users.get(str(COORDINATOR_ID))
        return bool(row and "event_draft" in row.data and await _rows(db, "event_create"))

    await _until(stored)


async def test_the_stored_form_is_removed_when_it_ends(bot: Any) -> None:
    coord = await _coordinator(bot)
    await _event_started(bot, coord)
    db = bot.services.db
    key = f"[{COORDINATOR_ID}, {COORDINATOR_ID}]"
    assert (await _rows(db, "event_create"))[key].state is not None
    assert "annulé" in (await bot.reply(coord, "/cancel")).plain

    # Committed right after the update (well within the 10 s of the background interval).
    async def gone() -> bool:
        users = await _rows(db, USER_DATA)
        row = users.get(str(COORDINATOR_ID))
        return not await _rows(db, "event_create") and not (row and "event_draft" in row.data)

    await _until(gone, 2)


async def test_the_stored_form_is_removed_when_it_times_out(short_timeout: None, bot: Any) -> None:
    coord = await _coordinator(bot)
    await _event_started(bot, coord)
    timed_out = await coord.next_message(timeout=5)
    assert "/evenement" in timed_out.plain
    db = bot.services.db

    async def gone() -> bool:
        users = await _rows(db, USER_DATA)
        row = users.get(str(COORDINATOR_ID))
        return not await _rows(db, "event_create") and not (row and "event_draft" in row.data)

    await _until(gone, 5)


async def test_a_form_restored_at_start_still_times_out(
    short_timeout: None, sandbox: Any, db_target: DbTarget
) -> None:
    from bot.app import build_application, running

    def make_app() -> Any:
        settings = make_settings(db_target)
        return build_application(
            settings, request=SandboxRequest(sandbox), get_updates_request=SandboxRequest(sandbox)
        )

    lea = sandbox.user(413, "Léa")
    app = make_app()
    async with running(app):
        harness = BotHarness(sandbox, app)
        await harness.reply(lea, "/start")
        await harness.reply(lea, "Léa")  # the city is asked; stop before the 1 s timeout
    app = make_app()
    async with running(app):
        # The restored form closes on its own clock, with the usual word.
        timed_out = await lea.next_message(timeout=5)
        assert "/start" in timed_out.plain
        db = BotHarness(sandbox, app).services.db
        await _until(lambda: _no_forms_left(db), 5)
        # The draft is gone: a typed answer no longer fills a city.
        lea.send("Rennes")
        assert "Rennes" not in (await lea.next_message()).plain
        async with db.session() as s:
            assert await s.scalar(select(Person).where(Person.telegram_id == 413)) is None


def test_drafts_round_trip_through_json() -> None:
    from datetime import UTC, date, datetime

    draft = {
        "don_draft": {
            "today": date(2026, 12, 6),
            "donor": {"sworn_declaration_at": datetime(2026, 12, 6, 10, 0, tzinfo=UTC)},
            "ledgers": [(1, "Liste A")],
            "amount": 5000,
        },
        "privacy_target": object(),  # an in-memory object: not kept, not fatal
    }
    kept = encode(draft)
    assert "privacy_target" not in kept
    back = decode(kept)
    assert back["don_draft"]["today"] == date(2026, 12, 6)
    assert back["don_draft"]["donor"]["sworn_declaration_at"] == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    assert back["don_draft"]["ledgers"] == [[1, "Liste A"]]

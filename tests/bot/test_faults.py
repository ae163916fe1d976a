"""Faults, one test each: a flaky Telegram during an announcement, a SQLite database locked for
seconds, an update delivered twice (webhook retry), PostgreSQL restarted under the running bot.
The crash test (SIGKILL halfway through an announcement) is in test_faults_crash.py."""

from __future__ import annotations

import asyncio
import copy
import os
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from bot.settings import Settings
from capabilities.announcements import queue
from sandbox import SandboxRequest, TelegramSandbox, WebhookDelivery
from sandbox.bot_harness import COORDINATOR_ID, TOKEN, BotHarness
from storage import outbox
from storage.models import Announcement, Donation, Donor, Outbox, Person

# As in tests/conftest.py: jobs on the real clock (a digest at 08:00) stay off.
CLOCK_JOBS = [
    "digests",
    "reminders",
    "recruitment",
    "retention",
    "memberships",
    "inbox",
    "donations",
    "calendar",
]
FAST: dict[str, Any] = {
    "send_per_chat_per_second": 50.0,
    "send_per_group_per_minute": 1000.0,
    "send_global_per_second": 1500.0,
}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(FAST)


async def add_members(bot: Any, n: int, first_id: int = 100_000) -> list[int]:
    """`n` members inserted in bulk, each known to the sandbox as having started the bot."""
    now = datetime.now(UTC)
    async with bot.services.db.session() as s:
        await s.execute(
            insert(Person),
            [
                {
                    "telegram_id": first_id + i,
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
                for i in range(n)
            ],
        )
    for i in range(n):
        bot.sb.user(first_id + i, f"M{i}").started = True
    return [first_id + i for i in range(n)]


def received(sb: TelegramSandbox, ids: list[int], text: str) -> Counter[int]:
    return Counter(
        {uid: sum(text in (m.plain or "") for m in sb.messages_in(uid, include_deleted=True)) for uid in ids}
    )


# --- Telegram answering 5xx, timeouts and 429 for a fifth of the calls -----------------------------


async def test_a_fifth_of_calls_failing_still_delivers_each_message_once(bot: Any) -> None:
    ids = await add_members(bot, 60)
    # Four kinds at 5.5 % each: about 20 % of the sends fail, drawn deterministically.
    for kind, seed in (("500", 11), ("502", 12), ("timeout", 13), ("429", 14)):
        bot.sb.inject_fault(
            method="sendMessage", kind=kind, times=None, probability=0.055, seed=seed, retry_after=1
        )
    async with bot.services.transaction() as s:
        bc = await queue(s, None, "all", "", "Tenez bon malgré les pannes")
    await bot.outbox_idle(timeout=60)
    calls = len(bot.sb.calls_to("sendMessage"))
    bot.sb.clear_faults()
    assert 0.12 < bot.sb.stats.faults / calls < 0.3, (bot.sb.stats.faults, calls)
    counts = received(bot.sb, ids, "Tenez bon malgré les pannes")
    assert set(counts.values()) == {1}, {uid: n for uid, n in counts.items() if n != 1}
    async with bot.services.db.session() as s:
        assert await outbox.counts(s, f"bc:{bc.id}") == {"sent": 60}


# --- SQLite busy for a few seconds -------------------------------------------------------------------


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
async def test_sqlite_locked_for_seconds_answers_after_the_lock_and_loses_nothing(
    bot: Any, db_target: Any
) -> None:
    people = [bot.user(600 + i, f"P{i}") for i in range(4)]
    for user in people:
        await bot.onboard(user)
    path = db_target.url.removeprefix("sqlite+aiosqlite:///")
    holder = sqlite3.connect(path, timeout=10, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing: every other writer must wait
    holder.execute("UPDATE city SET aliases = aliases")
    locked_at = time.monotonic()
    marks = [len(u.messages) for u in people]
    for user in people:
        user.send("/stop_annonces")
    await asyncio.sleep(3.0)
    assert all(len(u.messages) == mark for u, mark in zip(people, marks, strict=True)), (
        "answered while locked"
    )
    holder.execute("COMMIT")
    released = time.monotonic()
    for user, mark in zip(people, marks, strict=True):
        answer = await bot.sb.wait_for(lambda u=user, m=mark: u.messages[m:], 15)
        assert "plus les annonces" in answer[0].plain
    assert released - locked_at >= 3.0
    holder.close()
    for user in people:
        assert (await bot.person(user.id)).announcements_stopped


# --- The same update delivered twice --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(sb: TelegramSandbox, settings: Settings, secret: str) -> AsyncIterator[BotHarness]:
    """The application in webhook mode, in-process: the sandbox POSTs updates to PTB's server."""
    from bot.app import _post_init, _post_shutdown, _post_stop, build_application

    app = build_application(settings, request=SandboxRequest(sb))
    delivery = WebhookDelivery(sb)
    delivery.start()
    port = free_port()
    await app.initialize()
    await _post_init(app)
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token=secret,
    )
    await app.start()
    try:
        yield BotHarness(sb, app)
    finally:
        await app.updater.stop()
        await app.stop()
        await _post_stop(app)
        await app.shutdown()
        await _post_shutdown(app)
        await delivery.stop()


async def next_with(bot: BotHarness, user: Any, before: int, needle: str) -> Any:
    return await bot.sb.wait_for(
        lambda: next((m for m in user.messages[before:] if needle in (m.plain or "")), None), 10, needle
    )


async def step(
    bot: BotHarness, user: Any, message: Any, *, text: str | None = None, press: str | None = None
) -> Any:
    """Answer one question of /don (typed or pressed) and return the next one."""
    before = len(user.messages)
    if press is not None:
        user.press(message, text=press)
    else:
        assert text is not None
        user.send(text)
    return await bot.sb.wait_for(
        lambda: next((m for m in user.messages[before:] if not _is_alert(m)), None), 10
    )


def _is_alert(message: Any) -> bool:
    return "Nouveau versement" in (message.plain or "") or "Versement refusé" in (message.plain or "")


async def test_a_replayed_confirmation_records_one_donation(
    sandbox: TelegramSandbox, db_target: Any, tmp_path: Any
) -> None:
    """Telegram re-sends an update when the webhook did not answer in time: same update_id, twice."""
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=db_target.url,
        database_schema=db_target.schema,
        coordinator_ids=[COORDINATOR_ID],
        ics_path=str(tmp_path / "a.ics"),
        disabled_jobs=CLOCK_JOBS,
        **FAST,
    )
    async with webhook_bot(sandbox, settings, "s3cr3t") as bot:
        coord = bot.user(COORDINATOR_ID, "Camille")
        await bot.onboard(coord)
        tres = bot.user(701, "Nora", username="nora")
        await bot.onboard(tres)
        before = len(tres.messages)
        coord.send("/role @nora trésorier")
        await next_with(bot, tres, before, "trésorerie")
        async with bot.services.db.session() as s:
            s.add(
                Donor(
                    first_name="Jean",
                    last_name="Tirelire",
                    address="1 rue Haute",
                    postcode="69001",
                    city="Lyon",
                    country="FR",
                    nationality="Française",
                    tax_residence="FR",
                    sworn_declaration_at=datetime.now(UTC),
                )
            )

        before = len(tres.messages)
        tres.send("/don")
        msg = await next_with(bot, tres, before, "Qui a donné")
        msg = await step(bot, tres, msg, text="Tirelire")
        msg = await step(bot, tres, msg, press=next(b for b in msg.button_texts if "Tirelire" in b))
        msg = await step(bot, tres, msg, text="40")
        msg = await step(bot, tres, msg, press="chèque")
        msg = await step(bot, tres, msg, text=date.today().strftime("%d/%m/%Y"))
        for _ in range(6):  # the questions that depend on the data: answer the usual way
            if "Récapitulatif" in (msg.plain or ""):
                break
            choice = next(
                (b for b in ("Oui", "Le mouvement", "don", "Non, aucune") if b in msg.button_texts), None
            )
            assert choice is not None, msg.plain
            msg = await step(bot, tres, msg, press=choice)
        assert "Récapitulatif" in msg.plain, msg.plain

        before = len(tres.messages)
        query = tres.press(msg, text="Confirmer")
        update = {"update_id": sandbox._last_update_id, "callback_query": query}
        await next_with(bot, tres, before, "enregistré")
        await bot.sb.wait_for(lambda: not sandbox.pending_updates, 5)
        answered = [
            c
            for c in sandbox.calls_to("answerCallbackQuery")
            if c.params.get("callback_query_id") == query["id"]
        ]
        # The webhook retry: the very same update (same update_id, same callback query) once more.
        sandbox._updates.append(copy.deepcopy(update))
        sandbox._changed.notify()
        await bot.sb.wait_for(
            lambda: (
                len(
                    [
                        c
                        for c in sandbox.calls_to("answerCallbackQuery")
                        if c.params.get("callback_query_id") == query["id"]
                    ]
                )
                > len(answered)
            ),
            10,
            "the replayed update was handled",
        )
        assert await bot.count(Donation) == 1
        # The bot is still answering.
        before = len(tres.messages)
        tres.send("/aide")
        await next_with(bot, tres, before, "Ce que vous pouvez faire")


# --- PostgreSQL restarted under the bot --------------------------------------------------------------


# It restarts the shared server: run alone, after the parallel tests (see dev.py).
@pytest.mark.serial
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
async def test_postgres_restart_under_the_running_bot(bot: Any) -> None:
    lea = bot.user(610, "Léa")
    await bot.onboard(lea)
    ids = await add_members(bot, 5)
    restart = await asyncio.create_subprocess_exec(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        "15",
        "main",
        "restart",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert await asyncio.wait_for(restart.wait(), 60) == 0
    # Every pooled connection died with the server: pre-ping replaces them, nothing is lost.
    answer = await bot.reply(lea, "/stop_annonces")
    assert "plus les annonces" in answer.plain, answer.plain
    assert (await bot.person(610)).announcements_stopped
    async with bot.services.transaction() as s:
        bc = await queue(s, None, "all", "", "Après le redémarrage")
    await bot.outbox_idle(timeout=30)
    assert set(received(bot.sb, ids, "Après le redémarrage").values()) == {1}
    async with bot.services.db.session() as s:
        assert (
            await s.scalar(select(func.count()).select_from(Outbox).where(Outbox.batch == f"bc:{bc.id}"))
        ) == 5
        assert (await s.get(Announcement, bc.id)) is not None

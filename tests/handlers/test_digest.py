"""Morning digests through the sandbox: content by role, once a day, catch-up, clock changes, two processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.digest import send_due
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as q
from storage.models import City, EmailMessage, Event, JobRun

# Thursday 26 November 2026; 08:00 in Paris is 07:00 UTC.
MORNING = datetime(2026, 11, 26, 7, 0, 30, tzinfo=UTC)


async def city_id(bot: Any, name: str) -> int:
    async with bot.services.db.session() as s:
        found = await s.scalar(select(City.id).where(City.name == name))
    assert found is not None
    return int(found)


async def setup(bot: Any) -> tuple[Any, Any]:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    cand = bot.user(801, "Léa", username="lea")
    await bot.onboard(cand, city="Lyon")
    await bot.reply(coord, "/role @lea candidat Lyon")
    await cand.next_message()
    lyon = await city_id(bot, "Lyon")
    async with bot.services.transaction() as s:
        await q.create_event(
            s,
            title="Tractage Croix-Rousse",
            kind="tractage",
            city_id=lyon,
            starts_at=MORNING + timedelta(days=2),
            ends_at=MORNING + timedelta(days=2, hours=2),
            place="Place",
            description="",
            needs=[("tractage", 4)],
            created_by=None,
        )
        s.add(
            EmailMessage(
                gmail_id="g1",
                thread_id="t1",
                sender="a@b.fr",
                subject="Rejoindre la liste <Lyon>",
                received_at=MORNING,
                domain="campaign",
                city="Lyon",
                status="assigned",
            )
        )
    return coord, cand


async def run_digests(bot: Any, now: datetime) -> int:
    async with bot.services.transaction() as s:
        return await send_due(s, bot.services.settings, now)


async def test_candidate_and_coordinator_digests_once_a_day(bot) -> None:  # type: ignore[no-untyped-def]
    coord, cand = await setup(bot)
    await bot.outbox_idle()
    before_c, before_l = len(coord.messages), len(cand.messages)
    assert await run_digests(bot, MORNING - timedelta(minutes=5)) == 0  # 07:55: not yet
    assert await run_digests(bot, MORNING) == 2
    await bot.outbox_idle()
    digest = cand.messages[-1]
    assert "Le point du jour — Lyon" in digest.plain
    assert "Tractage Croix-Rousse" in digest.plain and "manque\u00a0: Tractage ×4" in digest.plain
    assert "Rejoindre la liste <Lyon>" in digest.plain
    assert "Nouveaux bénévoles" in digest.plain and "Léa" in digest.plain
    assert any(b.startswith("Relancer") for b in digest.button_texts)
    national = coord.messages[-1]
    assert "national" in national.plain and "Lyon" in national.plain and "🔴" in national.plain
    # Restart at 08:00:30, later ticks, and a second process on the same database: nothing twice.
    assert await run_digests(bot, MORNING + timedelta(seconds=1)) == 0
    assert await run_digests(bot, MORNING + timedelta(hours=1)) == 0
    await bot.outbox_idle()
    assert len(cand.messages) == before_l + 1 and len(coord.messages) == before_c + 1
    # The next morning, again once.
    assert await run_digests(bot, MORNING + timedelta(days=1)) == 2


async def test_down_from_seven_to_nine_catches_up_and_a_late_start_skips(bot) -> None:  # type: ignore[no-untyped-def]
    await setup(bot)
    assert await run_digests(bot, MORNING + timedelta(hours=1)) == 2  # back at 09:00 Paris
    async with bot.services.db.session() as s:
        assert len(list(await s.scalars(select(JobRun)))) == 2
    # A bot started after the catch-up window does not send yesterday's digest at noon.
    assert await run_digests(bot, MORNING + timedelta(days=1, hours=5)) == 0


async def test_empty_digest_is_not_sent_and_pause_and_hour(bot) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city=None)
    assert await run_digests(bot, MORNING) == 0  # nothing to say: nothing sent
    assert "Rien de neuf" in (await bot.reply(coord, "/digest")).plain
    assert "par exemple /digest_heure 7h" in (await bot.reply(coord, "/digest_heure 25")).plain
    assert "vers 07h00" in (await bot.reply(coord, "/digest_heure 7")).plain
    assert "suspendu" in (await bot.reply(coord, "/digest_pause")).plain
    assert "repris" in (await bot.reply(coord, "/digest_pause")).plain


async def test_digest_now_and_volunteers_refused(bot) -> None:  # type: ignore[no-untyped-def]
    coord, cand = await setup(bot)
    now = await bot.reply(cand, "/digest")
    assert "Le point du jour — Lyon" in now.plain
    vol = bot.user(802, "Paul")
    await bot.onboard(vol)
    assert "réservée" in (await bot.reply(vol, "/digest")).plain


async def test_spring_and_autumn_clock_changes(bot) -> None:  # type: ignore[no-untyped-def]
    await setup(bot)
    # Move the event so that each morning has something to say.
    async with bot.services.transaction() as s:
        event = await s.scalar(select(Event))
        event.starts_at = datetime(2027, 3, 30, 9, tzinfo=UTC)
        event.ends_at = event.starts_at + timedelta(hours=2)
    spring = [datetime(2027, 3, 28, h, m, tzinfo=UTC) for h in range(0, 12) for m in (0, 30)]
    sent = [await run_digests(bot, t) for t in spring]
    assert sum(sent) == 2  # 28 March 2027: 08:00 CEST = 06:00 UTC, exactly once each
    async with bot.services.transaction() as s:
        event = await s.scalar(select(Event))
        event.starts_at = datetime(2027, 11, 2, 9, tzinfo=UTC)
        event.ends_at = event.starts_at + timedelta(hours=2)
    autumn = [datetime(2027, 10, 31, h, m, tzinfo=UTC) for h in range(0, 12) for m in (0, 30)]
    assert sum([await run_digests(bot, t) for t in autumn]) == 2


async def test_two_processes_on_one_database_send_once(bot, db_target) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from storage.db import Database

    coord, cand = await setup(bot)
    await bot.outbox_idle()
    other = Database(db_target.url, db_target.schema)  # a second bot process's connection pool
    settings = bot.services.settings

    async def tick(db: Database) -> int:
        async with db.session() as s:
            return await send_due(s, settings, MORNING)

    try:
        results = await asyncio.gather(tick(bot.services.db), tick(other), return_exceptions=True)
    finally:
        await other.dispose()
    # One process sends both digests; the other sends none (or, on SQLite, loses the write lock and
    # retries at its next tick, when there is nothing left to send).
    assert sum(r for r in results if isinstance(r, int)) == 2
    assert await tick(bot.services.db) == 0
    bot.services.sender.kick()
    await bot.outbox_idle()
    assert sum("Le point du jour — Lyon" in m.plain for m in cand.messages) == 1

"""Evening digests whose catch-up window runs past midnight: once per local day, at its hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.digest import send_due
from domain.dates import PARIS
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import EmailMessage, Outbox

# Thursday 26 November 2026, 20:00 in Paris (winter time, UTC+1); the run lasts until Saturday 03:00.
START = datetime(2026, 11, 26, 20, tzinfo=PARIS)
END = datetime(2026, 11, 28, 3, tzinfo=PARIS)
TICK = timedelta(minutes=10)


async def candidate(bot: Any, coord: Any, tid: int, name: str, hour: int) -> Any:
    user = bot.user(tid, name, username=name.lower())
    await bot.onboard(user, city="Lyon")
    await bot.reply(coord, f"/role @{name.lower()} candidat Lyon")
    await user.next_message()
    assert f"{hour}" in (await bot.reply(user, f"/digest_heure {hour}")).plain
    return user


async def test_an_evening_digest_is_sent_once_a_day_at_its_hour_across_midnight(bot) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    lea = await candidate(bot, coord, 811, "Lea", 22)
    marc = await candidate(bot, coord, 812, "Marc", 23)
    async with bot.services.transaction() as s:  # something to tell: a digest is never empty here
        s.add(
            EmailMessage(
                gmail_id="g-midnight",
                thread_id="t-midnight",
                sender="a@b.fr",
                subject="Rejoindre la liste à Lyon",
                received_at=START.astimezone(UTC),
                domain="campaign",
                city="Lyon",
                status="assigned",
            )
        )
    await bot.outbox_idle()
    before = {u.id: len(u.messages) for u in (lea, marc)}

    # The digest job runs every ten minutes for 31 hours; note when each digest is queued.
    queued: dict[int, list[tuple[datetime, str]]] = {lea.id: [], marc.id: []}
    seen: set[int] = set()
    now = START
    while now <= END:
        async with bot.services.transaction() as s:
            await send_due(s, bot.services.settings, now.astimezone(UTC))
        async with bot.services.db.session() as s:
            rows = list(await s.scalars(select(Outbox).where(Outbox.chat_id.in_(list(queued)))))
        for row in rows:
            if row.id not in seen and (row.dedupe_key or "").startswith("digest:"):
                seen.add(row.id)
                queued[row.chat_id].append((now, (row.dedupe_key or "").rsplit(":", 1)[-1]))
        now += TICK

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=PARIS)

    # Each evening at its hour, keyed by that evening's date: not again after midnight (inside the
    # catch-up window), and not skipped the next evening.
    assert queued[lea.id] == [(at(26, 22), "2026-11-26"), (at(27, 22), "2026-11-27")]
    assert queued[marc.id] == [(at(26, 23), "2026-11-26"), (at(27, 23), "2026-11-27")]
    await bot.outbox_idle()
    for user in (lea, marc):
        digests = [m for m in user.messages[before[user.id] :] if "Le point du jour — Lyon" in m.plain]
        assert len(digests) == 2, user.first_name

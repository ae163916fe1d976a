"""A crowd pressing at once: presses are handled without blocking each other, yet each is recorded
once, one person's presses keep their order, and the post ends exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.events import agenda
from storage.models import Participation
from tests.handlers.test_quiet_groups import member, posted


async def test_a_quick_change_of_mind_keeps_the_last_press(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("tractage", 5)])
    lea = await member(bot, group, 801, "Léa")
    before = len(lea.answers)  # onboarding presses
    lea.press(post, text="Je viens")
    lea.press(post, text="Je ne peux pas")  # before the first is handled
    await bot.sb.wait_for(lambda: len(lea.answers) == before + 2, 10)
    async with bot.services.db.session() as s:
        rows = [(p.status) for p in await s.scalars(select(Participation))]
    assert rows == ["no"]


async def test_a_crowd_is_recorded_once_each_and_the_post_ends_exact(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("tractage", 3)])
    people: list[Any] = [await member(bot, group, 900 + i, f"P{i}") for i in range(6)]
    before = {p.id: len(p.answers) for p in people}
    for person in people:
        person.press(post, text="Je viens")
    for person in people:  # a second press each, at once: still one row each
        person.press(post, text="Je viens")
    await bot.sb.wait_for(lambda: all(len(p.answers) == before[p.id] + 2 for p in people), 15)
    async with bot.services.db.session() as s:
        rows = list(await s.scalars(select(Participation)))
    assert len(rows) == 6 and len({r.person_id for r in rows}) == 6
    assert {r.status for r in rows} == {"yes"}
    # While answers keep coming the post waits for them to settle; then one exact edit.
    now = datetime.now(UTC)
    held: dict[int, datetime] = {}
    async with bot.services.transaction() as s:
        assert await agenda.refresh_posts(s, now, timedelta(seconds=4), timedelta(seconds=60), held) == 0
    async with bot.services.transaction() as s:
        assert (
            await agenda.refresh_posts(
                s, now + agenda.MAX_HOLD, timedelta(seconds=4), timedelta(seconds=60), held
            )
            == 1
        )
    await bot.sb.wait_for(lambda: "✅ 6 " in post.plain, 10)

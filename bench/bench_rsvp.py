"""500 people press « Je viens » on one announcement: how fast the bot handles it, and what keeping
the group post up to date costs (edits sent to the group) — in-process sandbox, SQLite."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bench.common import add_members, bot_on_sandbox
from capabilities.events import agenda
from storage import events as q
from storage.models import Chat, City, Participation

PEOPLE = 500


async def measure(people: int = PEOPLE, *, post_too: bool = True) -> dict[str, float]:
    """`post_too` False: the presses only (profiling a handler that records nothing)."""
    async with bot_on_sandbox(http=False) as bot:
        group = bot.sb.group(-777, "Lyon")
        async with bot.services.transaction() as s:
            lyon = await s.scalar(select(City).where(City.name == "Lyon"))
            assert lyon is not None
            s.add(Chat(id=-777, type="supergroup", title="Lyon", city_id=lyon.id))
            await s.flush()
            now = datetime.now(UTC)
            event = await q.create_event(
                s,
                title="Tractage",
                kind="tractage",
                city_id=lyon.id,
                starts_at=now + timedelta(days=2),
                ends_at=now + timedelta(days=2, hours=2),
                place="Place",
                description="",
                needs=[("tractage", 600)],
                created_by=None,
            )
            await s.refresh(event, ["city", "needs"])
            await agenda.announce(s, event)
        ids = await add_members(bot, people, city_id=lyon.id)
        post = await group.next_message()
        users = [bot.sb.get_user(uid) for uid in ids]
        for u in users:
            group.add_member(u, announce=False)
        edits_before = len(bot.sb.calls_to("editMessageText"))
        start, cpu = time.perf_counter(), time.process_time()
        for u in users:
            u.press(post, text="Je viens")
        # Generous limits: on a busy machine the figures say how slow it was, a timeout would not.
        await bot.sb.wait_for(lambda: all(u.last_answer is not None for u in users), 600)
        handled = time.perf_counter() - start
        # CPU time of the process (every thread) per press: steadier than the wall clock on a busy
        # machine, and what a crowd really costs.
        cpu_per_press = (time.process_time() - cpu) / people
        if not post_too:
            return {
                "rsvp_updates_per_second": people / handled,
                "rsvp_cpu_ms_per_press": cpu_per_press * 1000,
            }
        # The count line of the post (« ✅ 500 venant… »): the wording is render.post's.
        await bot.sb.wait_for(lambda: f"✅ {people} " in post.plain, 300)
        up_to_date = time.perf_counter() - start
        edits = len(bot.sb.calls_to("editMessageText")) - edits_before
        async with bot.services.db.session() as s:
            recorded = len(list(await s.scalars(select(Participation.id))))
        return {
            "rsvp_presses": float(people),
            "rsvp_recorded": float(recorded),
            "rsvp_updates_per_second": people / handled,
            "rsvp_cpu_ms_per_press": cpu_per_press * 1000,
            "rsvp_seconds_until_post_up_to_date": up_to_date,
            "rsvp_group_edits_for_500_answers": float(edits),
        }


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")

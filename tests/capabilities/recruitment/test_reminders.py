"""Reminders before an event and attendance after it, exactly once, with their buttons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from capabilities.events.agenda import cancel_event, record_answer
from capabilities.recruitment import reminders
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as q
from storage import people as people_q
from storage import recruitment as rq
from storage.models import Ask, City, Event, Outbox, Participation, Person, Recruitment

# Telegram's 1 message/s per chat would only make these tests wait.
FAST = {"send_per_chat_per_second": 100.0}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(FAST)


@pytest.fixture
async def rbot(bot: Any) -> Any:
    """The bot, with time in the test's hands: the real-time ticks of these jobs are removed, and the
    tests run them at the moments they choose."""
    assert bot.app.job_queue is not None
    for name in ("recruitment", "reminders"):
        for scheduled in bot.app.job_queue.get_jobs_by_name(name):
            scheduled.schedule_removal()
    return bot


async def person(
    bot: Any, tid: int, name: str, city: str | None = "Lyon", skills: Iterable[str] = ("tractage",)
) -> Any:
    """A person who went through /start earlier: their profile, and their private chat open."""
    async with bot.services.transaction() as s:
        cid = await s.scalar(select(City.id).where(City.name == city)) if city else None
        await people_q.create_person(
            s,
            telegram_id=tid,
            first_name=name,
            username=None,
            language="fr",
            city_id=cid,
            skills=list(skills),
            consent_version="test",
            consent_at=datetime.now(UTC),
        )
    user = bot.user(tid, name)
    user.started = True
    return user


async def event(
    bot: Any,
    starts: datetime,
    needs: Iterable[tuple[str, int]] = (("tractage", 2),),
    title: str = "Collage de nuit",
    created_by: int = COORDINATOR_ID,
) -> int:
    async with bot.services.transaction() as s:
        cid = await s.scalar(select(City.id).where(City.name == "Lyon"))
        creator = await s.scalar(select(Person).where(Person.telegram_id == created_by))
        ev = await q.create_event(
            s,
            title=title,
            kind="collage",
            city_id=cid,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Local, 3 rue Royale",
            description="",
            needs=list(needs),
            created_by=creator.id if creator else None,
        )
        return ev.id


async def answer(bot: Any, event_id: int, tid: int, answer: str, role: str | None = None) -> str:
    """Someone answers the announcement (the events capability records it)."""
    async with bot.services.transaction() as s:
        ev = await q.event_by_id(s, event_id)
        who = await s.scalar(select(Person).where(Person.telegram_id == tid))
        assert ev is not None and who is not None
        await record_answer(s, ev, who, answer, role, "button", datetime.now(UTC))
        row = await q.participation(s, event_id, who.id)
        assert row is not None
        return row.status


async def tick(bot: Any, at: datetime) -> int:
    done = await reminders.run(bot.services, at)
    await bot.outbox_idle()
    return done


async def press(user: Any, message: Any, text: str) -> Any:
    user.press(message, text=text)
    return await user.next_message()


async def participation_of(bot: Any, event_id: int, tid: int) -> Participation:
    async with bot.services.db.session() as s:
        who = await s.scalar(select(Person).where(Person.telegram_id == tid))
        row = await q.participation(s, event_id, who.id)
        assert row is not None
        return row


def soon(hours: float) -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=hours)


async def test_each_reminder_exactly_once(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    await person(bot, COORDINATOR_ID, "Camille", city=None)
    lea, paul, ines = (
        await person(bot, 101, "Léa"),
        await person(bot, 102, "Paul"),
        await person(bot, 103, "Inès"),
    )
    starts = soon(30)
    ev = await event(bot, starts)
    assert await answer(bot, ev, 101, "yes", "tractage") == "yes"
    assert await answer(bot, ev, 102, "yes") == "yes"
    assert await answer(bot, ev, 103, "maybe") == "maybe"
    await bot.outbox_idle()

    assert await tick(bot, starts - timedelta(hours=30)) == 0  # too early
    assert await tick(bot, starts - timedelta(hours=23)) == 2
    day = await lea.next_message()
    assert "Rappel\u00a0: Collage de nuit" in day.plain and "Votre rôle\u00a0: Tractage" in day.plain
    assert day.button_texts == ["Je viens toujours", "Je ne peux plus"]
    assert "Votre rôle" not in (await paul.next_message()).plain
    # The job runs again (a restart, or the next tick): nothing more.
    assert await tick(bot, starts - timedelta(hours=23)) == 0
    assert await tick(bot, starts - timedelta(hours=3)) == 0

    assert await tick(bot, starts - timedelta(hours=1, minutes=59)) == 2
    assert "C'est bientôt\u00a0: Collage de nuit" in (await lea.next_message()).plain
    assert await tick(bot, starts - timedelta(minutes=30)) == 0
    assert [len(u.messages) for u in (lea, paul, ines)] == [2, 2, 0]
    async with bot.services.db.session() as s:
        keys = set(await s.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.like("rem:%"))))
    row = await participation_of(bot, ev, 101)
    assert f"rem:d:{row.id}" in keys and f"rem:s:{row.id}" in keys and len(keys) == 4

    ok = await press(lea, day, "Je viens toujours")
    assert "Parfait" in ok.plain


async def test_bot_down_all_day_sends_only_the_late_reminder(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    lea = await person(bot, 111, "Léa")
    starts = soon(30)
    ev = await event(bot, starts)
    await answer(bot, ev, 111, "yes", "tractage")
    assert await tick(bot, starts - timedelta(hours=1)) == 1
    assert "C'est bientôt" in (await lea.next_message()).plain
    assert await tick(bot, starts - timedelta(minutes=10)) == 0


async def test_cant_come_promotes_the_waitlist(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    await person(bot, COORDINATOR_ID, "Camille", city=None)
    lea, paul = await person(bot, 121, "Léa"), await person(bot, 122, "Paul")
    starts = soon(30)
    ev = await event(bot, starts, needs=[("tractage", 1)])
    assert await answer(bot, ev, 121, "yes", "tractage") == "yes"
    assert await answer(bot, ev, 122, "yes", "tractage") == "waitlist"
    await tick(bot, starts - timedelta(hours=23))
    day = await lea.next_message()
    assert paul.messages == []  # waitlisted: no reminder

    # Pressed twice before the bot answers: one withdrawal.
    lea.press(day, text="Je ne peux plus")
    lea.press(day, text="Je ne peux plus")
    freed = await lea.next_message()
    assert "Votre place à «\u00a0Collage de nuit\u00a0» est libérée" in freed.plain
    assert "Vous n'avez plus de place" in (await lea.next_message()).plain
    await bot.sb.wait_for(lambda: not day.inline_keyboard)  # spent buttons are retired
    await bot.outbox_idle()
    assert "Collage de nuit" in (await paul.next_message()).plain  # promoted
    assert (await participation_of(bot, ev, 121)).status == "no"
    promoted = await participation_of(bot, ev, 122)
    assert (promoted.status, promoted.role) == ("yes", "tractage")
    # Filled again by the waitlist: no recruitment needed.
    async with bot.services.db.session() as s:
        assert int(await s.scalar(select(func.count()).select_from(Recruitment)) or 0) == 0
    # Paul, now in, gets his own day reminder.
    await tick(bot, starts - timedelta(hours=22))
    assert "Rappel" in (await paul.next_message()).plain


async def test_cant_come_restarts_recruitment(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None)
    lea = await person(bot, 131, "Léa")
    await person(bot, 132, "Paul")
    nora, omar = await person(bot, 133, "Nora"), await person(bot, 134, "Omar")
    starts = soon(30)
    ev = await event(bot, starts)
    await answer(bot, ev, 131, "yes", "tractage")
    await answer(bot, ev, 132, "yes", "tractage")
    await tick(bot, starts - timedelta(hours=23))
    day = await lea.next_message()

    await press(lea, day, "Je ne peux plus")
    await bot.outbox_idle()
    # The freed place is offered privately to the others who can tract, not to Léa.
    invite = await nora.next_message()
    assert "Il manque du monde pour Tractage à «\u00a0Collage de nuit\u00a0»" in invite.plain
    assert "Il manque du monde" in (await omar.next_message()).plain
    async with bot.services.db.session() as s:
        asked = {p.first_name for _, p in await rq.asks_of_event(s, ev)}
        rec = await s.scalar(select(Recruitment))
    assert asked == {"Nora", "Omar"}
    assert rec is not None and rec.active

    yes = await press(nora, invite, "Oui, je viens")
    assert "Votre inscription est notée pour Tractage" in yes.plain
    await bot.outbox_idle()
    # The event's creator hears that the role is filled again.
    assert "✅ Tractage est complet pour «\u00a0Collage de nuit\u00a0»" in (await coord.next_message()).plain


async def test_reminder_buttons_on_a_cancelled_event(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    lea = await person(bot, 141, "Léa")
    starts = soon(30)
    ev = await event(bot, starts)
    await answer(bot, ev, 141, "yes", "tractage")
    await tick(bot, starts - timedelta(hours=23))
    day = await lea.next_message()
    async with bot.services.transaction() as s:
        cancelled = await q.event_by_id(s, ev)
        assert cancelled is not None
        await cancel_event(s, cancelled)
    await bot.outbox_idle()
    await lea.next_message()  # the cancellation notice

    answer_ = await press(lea, day, "Je ne peux plus")
    assert "a été annulée. Rien n'a changé." in answer_.plain
    assert (await participation_of(bot, ev, 141)).status == "yes"
    # No "bientôt" reminder for a cancelled event.
    assert await tick(bot, starts - timedelta(hours=1)) == 0
    async with bot.services.db.session() as s:
        assert int(await s.scalar(select(func.count()).select_from(Ask)) or 0) == 0


async def test_attendance_asked_once_then_reported(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None)
    cand = await person(bot, 150, "Nadia")
    lea, paul, ines = (
        await person(bot, 151, "Léa"),
        await person(bot, 152, "Paul"),
        await person(bot, 153, "Inès"),
    )
    await person(bot, 154, "Omar")
    starts = soon(-3)
    ev = await event(bot, starts, created_by=150)
    for tid in (151, 152, 153):
        await answer(bot, ev, tid, "yes")
    await answer(bot, ev, 154, "no")
    ended = starts + timedelta(hours=2)

    assert await tick(bot, ended - timedelta(minutes=5)) == 0  # not over yet
    assert await tick(bot, ended + timedelta(minutes=1)) == 3
    question = await lea.next_message()
    assert "«\u00a0Collage de nuit\u00a0»" in question.plain and "Étiez-vous là\u202f?" in question.plain
    assert await tick(bot, ended + timedelta(hours=2)) == 0  # asked once

    assert "Merci de votre présence" in (await press(lea, question, "Oui, j'y étais")).plain
    assert "C'est noté" in (await press(paul, await paul.next_message(), "Non")).plain
    assert await tick(bot, ended + timedelta(hours=3)) == 0  # Inès has not answered yet

    # A day after the end, the summary goes to the creator, once; the coordinators read it in their
    # morning digest instead (tests/capabilities/digest/test_attendance_digest.py).
    assert await tick(bot, ended + timedelta(hours=25)) == 1
    summary = await cand.next_message()
    assert "Présences à «\u00a0Collage de nuit\u00a0»" in summary.plain
    assert "1 présence, 1 absence, 1 sans réponse" in summary.plain
    assert "Étaient là\u00a0: Léa" in summary.plain and "N'étaient pas là\u00a0: Paul" in summary.plain
    assert "Sans réponse\u00a0: Inès" in summary.plain and "Omar" not in summary.plain
    assert coord.messages == []
    assert await tick(bot, ended + timedelta(hours=26)) == 0
    async with bot.services.db.session() as s:
        assert (await s.get(Event, ev)).status == "done"
    assert len(ines.messages) == 1


async def test_attendance_summary_as_soon_as_everyone_answered(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None)
    lea = await person(bot, 161, "Léa")
    starts = soon(-3)
    ev = await event(bot, starts)
    await answer(bot, ev, 161, "yes")
    ended = starts + timedelta(hours=2)
    await tick(bot, ended + timedelta(minutes=1))
    await press(lea, await lea.next_message(), "Oui, j'y étais")
    # The creator is a coordinator: their report, once (not a second time as a coordinator).
    assert await tick(bot, ended + timedelta(minutes=2)) == 1
    summary = await coord.next_message()
    assert "1 présence, 0 absence, 0 sans réponse" in summary.plain
    assert await tick(bot, ended + timedelta(hours=25)) == 0
    assert [m.plain for m in coord.messages].count(summary.plain) == 1
    async with bot.services.db.session() as s:
        assert (await s.get(Event, ev)).status == "done"

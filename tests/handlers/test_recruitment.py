"""Recruitment as people live it: /besoins, Relancer, asks in waves, Oui / Non, /pause, the job."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.callbacks import AskReply, AttendanceReply, Recruit, ReminderReply, WhoWasAsked
from capabilities import recruitment
from capabilities.events.agenda import cancel_event
from domain.people import Grant, Role
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as q
from storage import people as people_q
from storage import recruitment as rq
from storage.models import Ask, City, Participation, Person, Recruitment

# --- Set-up helpers (the people and events exist before the scenario starts) --------------------

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


async def city_id(bot: Any, name: str | None) -> int | None:
    if name is None:
        return None
    async with bot.services.db.session() as s:
        found: int | None = await s.scalar(select(City.id).where(City.name == name))
    return found


async def person(
    bot: Any,
    tid: int,
    name: str,
    city: str | None = "Lyon",
    skills: Iterable[str] = ("tractage",),
    **fields: Any,
) -> Any:
    """A person who went through /start earlier: their profile, and their private chat open."""
    cid = await city_id(bot, city)
    async with bot.services.transaction() as s:
        p = await people_q.create_person(
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
        for key, value in fields.items():
            setattr(p, key, value)
    user = bot.user(tid, name)
    user.started = True
    return user


async def event(
    bot: Any,
    title: str = "Tractage au marché",
    city: str | None = "Lyon",
    starts_in: timedelta = timedelta(days=3),
    needs: Iterable[tuple[str, int]] = (("tractage", 2),),
) -> int:
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + starts_in
    cid = await city_id(bot, city)
    async with bot.services.transaction() as s:
        coord = await s.scalar(select(Person).where(Person.telegram_id == COORDINATOR_ID))
        ev = await q.create_event(
            s,
            title=title,
            kind="tractage",
            city_id=cid,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Place de la Croix-Rousse",
            description="",
            needs=list(needs),
            created_by=coord.id if coord else None,
        )
        return ev.id


async def count(bot: Any, model: Any, *where: Any) -> int:
    async with bot.services.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def asks(bot: Any, event_id: int) -> list[tuple[str, str | None, int]]:
    """(first name, answer, wave) of each ask of an event, in order."""
    async with bot.services.db.session() as s:
        return [(p.first_name, a.answer, a.wave) for a, p in await rq.asks_of_event(s, event_id)]


async def run_job(bot: Any, at: datetime) -> int:
    done = await recruitment.run(bot.services, at)
    await bot.outbox_idle()
    return done


async def press(bot: Any, user: Any, message: Any, text: str) -> Any:
    """Press a button and return the bot's private answer."""
    user.press(message, text=text)
    return await user.next_message()


async def besoins_cards(bot: Any, user: Any) -> list[Any]:
    """/besoins: one message, the list (issue 18), then each event's card: a /besoins of its own
    opened on that event (« Ouvrir », edited in place), so that each card keeps its buttons."""
    header = await bot.reply(user, "/besoins")
    cards = []
    for label in [b for b in header.button_texts if b.startswith("Ouvrir")]:
        listing = await bot.reply(user, "/besoins")
        user.press(listing, text=label)
        await bot.sb.wait_for(lambda listing=listing: "Retour" in listing.button_texts, 5)
        cards.append(listing)
    return [header, *cards]


def now() -> datetime:
    return datetime.now(UTC)


# --- Scenarios --------------------------------------------------------------------------------


async def test_besoins_relaunch_sends_a_first_wave_to_the_best_people(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    people = [await person(bot, 500 + i, f"Vol{i}") for i in range(7)]
    await person(bot, 520, "Parisien", city="Paris")
    await person(bot, 521, "Photographe", skills=("photo",))
    await person(bot, 522, "Enpause", asks_paused=True)
    await event(bot, needs=[("tractage", 2), ("photo", 1)])
    await event(bot, title="Réunion complète", needs=[])

    header, card = await besoins_cards(bot, coord)
    assert "Actions qui manquent de monde\u00a0: 1" in header.plain
    assert "🔴 Tractage au marché — Lyon" in card.plain
    assert (
        "Tractage\u00a0: 0/2, il manque 2" in card.plain
        and "Photo/vidéo\u00a0: 0/1, il manque 1" in card.plain
    )
    assert "Réunion complète" not in header.plain + card.plain
    assert card.button_texts == [
        "Relancer\u00a0: Tractage",
        "Relancer\u00a0: Photo/vidéo",
        "Qui a été sollicité\u202f?",
        "Retour",
    ]
    assert all(len(b["callback_data"].encode()) <= 64 for row in card.inline_keyboard for b in row)

    started = await press(bot, coord, card, "Relancer\u00a0: Tractage")
    assert "5 personnes sollicitées pour Tractage" in started.plain
    await bot.outbox_idle()
    # Never asked before: by id, the first five of the city with the skill, not the paused one.
    asked = [u for u in people if u.messages]
    assert asked == people[:5]
    ask = people[0].messages[-1]
    assert "Il manque du monde pour Tractage à «\u00a0Tractage au marché\u00a0»" in ask.plain
    assert ask.button_texts == ["Oui, je viens", "Non, pas cette fois"]

    # A double tap asks nobody twice.
    again = await press(bot, coord, card, "Relancer\u00a0: Tractage")
    assert "déjà en cours" in again.plain and "5 personnes n'ont pas encore répondu" in again.plain
    assert await count(bot, Ask) == 5

    who = await press(bot, coord, card, "Qui a été sollicité\u202f?")
    assert "• Vol0 — en attente" in who.plain
    assert "1 en pause" in who.plain and "1 sans cette compétence" in who.plain
    assert "Parisien" not in who.plain

    # The card now shows the recruitment under way.
    _, card = await besoins_cards(bot, coord)
    assert "relance en cours (5 en attente de réponse)" in card.plain


async def test_yes_no_filled_then_waitlist(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    v = [await person(bot, 600 + i, f"Vol{i}") for i in range(5)]
    ev = await event(bot, needs=[("tractage", 2)])
    _, card = await besoins_cards(bot, coord)
    await press(bot, coord, card, "Relancer\u00a0: Tractage")
    await bot.outbox_idle()
    invites = [await u.next_message() for u in v]

    # Oui, pressed twice before the bot answers: one registration.
    v[0].press(invites[0], text="Oui, je viens")
    v[0].press(invites[0], text="Oui, je viens")
    yes = await v[0].next_message()
    assert "Votre inscription est notée pour Tractage à «\u00a0Tractage au marché\u00a0»" in yes.plain
    assert "déjà répondu" in (await v[0].next_message()).plain
    await bot.sb.wait_for(lambda: not invites[0].inline_keyboard)

    no = await press(bot, v[1], invites[1], "Non, pas cette fois")
    assert "C'est noté" in no.plain

    await press(bot, v[2], invites[2], "Oui, je viens")
    await bot.outbox_idle()
    filled = await coord.next_message()
    assert "✅ Tractage est complet pour «\u00a0Tractage au marché\u00a0»" in filled.plain

    late = await press(bot, v[3], invites[3], "Oui, je viens")
    assert "liste d'attente" in late.plain
    async with bot.services.db.session() as s:
        seats = {
            (p.person.first_name, p.status, p.role)
            for p in await q.participations(s, ev, ("yes", "waitlist"))
        }
        rec = await s.scalar(select(Recruitment))
    assert seats == {
        ("Vol0", "yes", "tractage"),
        ("Vol2", "yes", "tractage"),
        ("Vol3", "waitlist", "tractage"),
    }
    assert rec is not None and not rec.active

    # Filled: the job sends no further wave, and the coordinator is told only once.
    assert await run_job(bot, now() + timedelta(hours=30)) >= 1  # Vol4's ask expires
    assert await count(bot, Ask) == 5
    assert [(n, a) for n, a, _ in await asks(bot, ev)] == [
        ("Vol0", "yes"),
        ("Vol1", "no"),
        ("Vol2", "yes"),
        ("Vol3", "yes"),
        ("Vol4", "expired"),
    ]
    assert sum("✅" in m.plain for m in coord.messages) == 1


@pytest.mark.parametrize(
    "settings_overrides", [{**FAST, "ask_wave_size": 2, "ask_max_per_person_per_week": 1}]
)
async def test_expiry_next_wave_and_weekly_cap(rbot, settings_overrides) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    v = [await person(bot, 700 + i, f"Vol{i}") for i in range(5)]
    first = await event(bot, needs=[("tractage", 3)])
    second = await event(bot, title="Stand du samedi", starts_in=timedelta(days=10), needs=[("tractage", 1)])

    _, card_a, card_b = await besoins_cards(bot, coord)
    assert "2 personnes sollicitées" in (await press(bot, coord, card_a, "Relancer\u00a0: Tractage")).plain
    await bot.outbox_idle()
    assert [n for n, _, _ in await asks(bot, first)] == ["Vol0", "Vol1"]

    # Not yet expired: nothing moves.
    assert await run_job(bot, now() + timedelta(hours=1)) == 0
    assert await count(bot, Ask) == 2

    # After 24 h without an answer: expired, and the next two are asked (wave 2).
    later = now() + timedelta(hours=25)
    await run_job(bot, later)
    assert await asks(bot, first) == [
        ("Vol0", "expired", 1),
        ("Vol1", "expired", 1),
        ("Vol2", None, 2),
        ("Vol3", None, 2),
    ]
    assert [len(u.messages) for u in v] == [1, 1, 1, 1, 0]
    # A late Oui on an expired ask changes nothing.
    expired = await press(bot, v[0], await v[0].next_message(), "Oui, je viens")
    assert "expiré" in expired.plain
    assert await count(bot, Participation) == 0

    # The weekly cap (1 here): only Vol4 may be asked for the other event.
    started = await press(bot, coord, card_b, "Relancer\u00a0: Tractage")
    assert "1 personne sollicitée" in started.plain
    await bot.outbox_idle()
    assert [n for n, _, _ in await asks(bot, second)] == ["Vol4"]
    who = await press(bot, coord, card_b, "Qui a été sollicité\u202f?")
    assert "4 personnes déjà sollicitées 1 fois cette semaine" in who.plain

    # Vol4 declines; every one else is capped: the coordinator is told once that nobody is left.
    await press(bot, v[4], await v[4].next_message(), "Non, pas cette fois")
    await run_job(bot, now() + timedelta(minutes=2))
    await run_job(bot, now() + timedelta(minutes=3))
    empty = [m for m in coord.messages if "Plus personne à solliciter" in m.plain]
    assert len(empty) == 1 and "Stand du samedi" in empty[0].plain
    # A week later the cap has passed: the next wave goes out.
    await run_job(bot, now() + timedelta(days=8))
    assert [n for n, _, _ in await asks(bot, second)] == ["Vol4", "Vol0", "Vol1"]


async def test_pause_and_resume(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    lea = await person(bot, 801, "Léa")
    await person(bot, 802, "Paul")

    paused = await bot.reply(lea, "/pause")
    assert "je ne vous enverrai plus de demandes" in paused.plain and "/reprendre" in paused.plain
    assert "déjà en pause" in (await bot.reply(lea, "/pause")).plain

    ev = await event(bot, needs=[("tractage", 2)])
    _, card = await besoins_cards(bot, coord)
    await press(bot, coord, card, "Relancer\u00a0: Tractage")
    await bot.outbox_idle()
    assert [n for n, _, _ in await asks(bot, ev)] == ["Paul"]

    resumed = await bot.reply(lea, "/reprendre")
    assert "C'est reparti" in resumed.plain and "/pause" in resumed.plain
    assert "déjà les demandes" in (await bot.reply(lea, "/reprendre")).plain
    await run_job(bot, now() + timedelta(hours=25))
    assert [n for n, _, _ in await asks(bot, ev)] == ["Paul", "Léa"]
    assert "Il manque du monde" in (await lea.next_message()).plain


async def test_only_organisers_of_the_city_may_recruit(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    volunteer = await person(bot, 901, "Paul")
    cand = await person(bot, 902, "Nadia")
    await person(bot, 903, "Vol")
    async with bot.services.transaction() as s:
        nadia = await s.scalar(select(Person).where(Person.telegram_id == 902))
        await people_q.grant_role(s, nadia, Grant(Role.CANDIDATE, "Lyon"), None)
    await event(bot, title="Action lyonnaise")
    await event(bot, title="Action parisienne", city="Paris")
    await event(bot, title="Action nationale", city=None)

    refused = await bot.reply(volunteer, "/besoins")
    assert "réservée" in refused.plain

    # A candidate sees their city's events only.
    header, card = await besoins_cards(bot, cand)
    assert "Actions qui manquent de monde\u00a0: 1" in header.plain and "Action lyonnaise" in card.plain
    # The coordinator sees all three.
    assert len(await besoins_cards(bot, coord)) == 4

    # Now candidate for Paris: the old Lyon button refuses and stores nothing.
    async with bot.services.transaction() as s:
        nadia = await s.scalar(select(Person).where(Person.telegram_id == 902))
        await people_q.revoke_role(s, nadia, Grant(Role.CANDIDATE, "Lyon"))
        await people_q.grant_role(s, nadia, Grant(Role.CANDIDATE, "Paris"), None)
    pressed = len(cand.answers)  # the « Ouvrir » presses were answered too
    cand.press(card, text="Relancer\u00a0: Tractage")
    await bot.sb.wait_for(lambda: len(cand.answers) > pressed)
    answer = cand.last_answer
    assert answer.show_alert and "que les actions de votre ville" in answer.text
    # No role left at all: refused too.
    async with bot.services.transaction() as s:
        nadia = await s.scalar(select(Person).where(Person.telegram_id == 902))
        await people_q.revoke_role(s, nadia, Grant(Role.CANDIDATE, "Paris"))
    for label in ("Relancer\u00a0: Tractage", "Qui a été sollicité\u202f?"):
        before = len(cand.answers)
        cand.press(card, text=label)
        await bot.sb.wait_for(lambda before=before: len(cand.answers) > before)
        assert cand.last_answer.show_alert and "réservée" in cand.last_answer.text
    assert await count(bot, Recruitment) == 0 and await count(bot, Ask) == 0


async def test_ask_on_a_cancelled_event(rbot) -> None:  # type: ignore[no-untyped-def]
    bot = rbot
    coord = await person(bot, COORDINATOR_ID, "Camille", city=None, skills=())
    lea = await person(bot, 1001, "Léa")
    ev = await event(bot)
    _, card = await besoins_cards(bot, coord)
    await press(bot, coord, card, "Relancer\u00a0: Tractage")
    await bot.outbox_idle()
    invite = await lea.next_message()
    async with bot.services.transaction() as s:
        cancelled = await q.event_by_id(s, ev)
        assert cancelled is not None
        await cancel_event(s, cancelled)

    answer = await press(bot, lea, invite, "Oui, je viens")
    assert "a été annulée. Rien n'a changé." in answer.plain
    assert await count(bot, Participation) == 0
    await run_job(bot, now() + timedelta(minutes=1))
    assert await asks(bot, ev) == [("Léa", "cancelled", 1)]
    assert await count(bot, Recruitment, Recruitment.active.is_(True)) == 0
    # Relaunching a cancelled event's old card: a sentence, nothing stored.
    closed = await press(bot, coord, card, "Relancer\u00a0: Tractage")
    assert "plus de relance possible" in closed.plain
    assert await count(bot, Ask) == 1


def test_recruitment_buttons_keep_their_wire_format() -> None:
    assert [
        Recruit(12, 34).pack(),
        WhoWasAsked(12).pack(),
        AskReply(56, "y").pack(),
        ReminderReply(78, "ok").pack(),
        AttendanceReply(78, "n").pack(),
    ] == ["rec:12:34", "recw:12", "ask:56:y", "rem:78:ok", "att:78:n"]
    assert Recruit.parse("recw:12") is None and ReminderReply.parse("rem:78:y") is None

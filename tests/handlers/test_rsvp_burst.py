"""A burst of presses on one post, recorded in batches (handlers.rsvp.Line, answers.record_line): all
the presses are sent before the bot reads the first, so that they queue and are recorded together.
Whatever the batching, the end is the one the presses give one after the other: each press recorded
once and in order, a person's last press wins, a full task is never over-filled and its waitlist is
promoted oldest first, each presser gets the answer to their own press, and the post ends exact."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bench.common import add_members
from bot.callbacks import RsvpAnswer
from storage.models import City, Participation, PendingRsvp, Person
from tests.handlers.test_rsvp_semantics import posted as announced

GROUP_ID = -6301
PHOTO = "🙋 Photo/vidéo (manque {n})"


async def posted(bot: Any, needs: list[tuple[str, int]], kind: str = "réunion") -> tuple[Any, Any, int]:
    """A Lyon group and an event announced in it; returns (group, post, Lyon's id)."""
    group, post = await announced(bot, needs, kind, title="Réunion publique", group_id=GROUP_ID)
    async with bot.services.db.session() as s:
        lyon = await s.scalar(select(City.id).where(City.name == "Lyon"))
    assert lyon is not None
    return group, post, lyon


async def registered(bot: Any, group: Any, city_id: int, n: int, first_id: int = 5000) -> list[Any]:
    """`n` members already registered (stored at once: their onboarding is not what is tested), each
    in the group and known to Telegram as having started the bot."""
    ids = await add_members(bot, n, first_id, city_id, name_prefix="P")
    users = [bot.sb.get_user(telegram_id) for telegram_id in ids]
    for user in users:
        group.add_member(user, announce=False)
    return users


async def roster(bot: Any) -> dict[str, tuple[str, str | None]]:
    """Each person's stored answer, by first name; asserts one row per person."""
    async with bot.services.db.session() as s:
        rows = list(await s.scalars(select(Participation)))
    assert len(rows) == len({r.person_id for r in rows}), "a person has two Participation rows"
    return {r.person.first_name: (r.status, r.role) for r in rows}


async def all_answered(bot: Any, sent: dict[Any, int], before: dict[Any, int]) -> None:
    """Every press answered, and once: as many answers as presses, each to a different press."""
    await bot.sb.wait_for(lambda: all(len(u.answers) == before[u] + n for u, n in sent.items()), 30)
    for user in sent:
        mine = user.answers[before[user] :]
        assert len({a.query_id for a in mine}) == len(mine)


async def test_a_burst_of_changing_answers_ends_as_pressed_in_order(bot: Any) -> None:
    group, post, lyon = await posted(bot, [("photo", 2)])
    p = await registered(bot, group, lyon, 7)
    newcomer = bot.user(5900, "Nouvelle")
    group.add_member(newcomer, announce=False)
    everyone = [*p, newcomer]
    before = {u: len(u.answers) for u in everyone}
    photo = PHOTO.format(n=2)  # the post as everyone sees it: nobody has answered yet
    burst = [
        (p[0], photo),  # photo 1/2
        (p[1], photo),  # photo 2/2
        (p[2], photo),  # full: waitlist, first in line
        (p[3], photo),  # waitlist, second
        (p[1], "Je ne peux pas"),  # changes their mind: p2 gets the place
        (p[4], photo),  # full again: waitlist after p3
        (p[3], photo),  # the same press again: still waiting, still one row
        (p[5], "Je viens"),
        (p[5], "Peut-être"),  # their last press wins
        (newcomer, "Je viens"),  # not registered: kept for after /start
        (p[6], "Peut-être"),
        (p[6], photo),  # waitlist after p4
        (p[0], photo),  # already has it
    ]
    sent: dict[Any, int] = {}
    for user, text in burst:  # all sent before the bot reads the first
        user.press(post, text=text)
        sent[user] = sent.get(user, 0) + 1
    await all_answered(bot, sent, before)

    assert await roster(bot) == {
        "P0": ("yes", "photo"),
        "P1": ("no", None),
        "P2": ("yes", "photo"),
        "P3": ("waitlist", "photo"),
        "P4": ("waitlist", "photo"),
        "P5": ("maybe", None),
        "P6": ("waitlist", "photo"),
    }
    # Each presser was answered about their own press, in order.
    said = {u: [a.text or "" for a in u.answers[before[u] :]] for u in everyone}
    assert "Photo/vidéo" in said[p[0]][0] and said[p[0]][1] == "C'était déjà noté."
    assert "Photo/vidéo pour" in said[p[1]][0] and "vous ne venez pas" in said[p[1]][1]
    assert all("liste d'attente" in said[u][0] for u in (p[2], p[3], p[4]))
    assert said[p[3]][1] == "C'était déjà noté."
    assert "vous venez" in said[p[5]][0] and "peut-être" in said[p[5]][1]
    assert "peut-être" in said[p[6]][0] and "liste d'attente" in said[p[6]][1]
    (told,) = newcomer.answers[before[newcomer] :]
    assert told.url is not None and told.url.endswith(f"start=ev_{event_of(post)}")
    # p2 waited first: the place p1 freed is theirs, and they are told in private.
    assert "Une place s'est libérée" in (await p[2].next_message()).plain
    async with bot.services.db.session() as s:
        kept = list(await s.scalars(select(PendingRsvp)))
    assert [(k.telegram_id, k.answer) for k in kept] == [(newcomer.id, "yes")]
    # The post ends on the final counts: 2 coming, never more than the 2 places.
    await bot.sb.wait_for(lambda: "Photo/vidéo 2/2" in post.plain, 30)
    assert "✅ 2 personnes viennent" in post.plain and "3/2" not in post.plain


def event_of(post: Any) -> int:
    """The event id carried by the post's « Je viens » button."""
    for row in post.reply_markup["inline_keyboard"]:
        for button in row:
            parsed = RsvpAnswer.parse(button.get("callback_data"))
            if parsed is not None:
                return parsed.event_id
    raise AssertionError("no answer button on the post")


async def test_a_crowd_on_a_task_with_places_fills_it_exactly_and_promotes_in_order(bot: Any) -> None:
    places, crowd, leaving = 10, 30, 5
    group, post, lyon = await posted(bot, [("photo", places)])
    people = await registered(bot, group, lyon, crowd)
    before = {u: len(u.answers) for u in people}
    photo = PHOTO.format(n=places)
    for user in people:  # everyone asks for the task at once
        user.press(post, text=photo)
    for user in people[:leaving]:  # then the first ones take their place back
        user.press(post, text="Je ne peux pas")
    sent = {u: 2 if i < leaving else 1 for i, u in enumerate(people)}
    await all_answered(bot, sent, before)

    got = await roster(bot)
    assert len(got) == crowd
    # The places freed go to the first waiting, in the order they pressed; the rest still wait.
    for i, user in enumerate(people):
        expected = ("no", None) if i < leaving else ("yes", "photo") if i < leaving + places else None
        assert got[user.first_name] == (expected or ("waitlist", "photo")), user.first_name
    assert sum(1 for status, _ in got.values() if status == "yes") == places
    # Each of the promoted is told once, in private.
    for user in people[places : places + leaving]:
        message = await user.next_message()
        assert "Une place s'est libérée" in message.plain
    await bot.sb.wait_for(lambda: f"Photo/vidéo {places}/{places}" in post.plain, 30)
    assert f"✅ {places} personnes viennent" in post.plain


async def test_a_press_keeps_the_handle_up_to_date_as_any_update_does(bot: Any) -> None:
    """Presses skip the per-update look-up of the person (the batch finds them all at once): the
    @handle Telegram sends with the press is still stored, and taken from whoever held it before."""
    group, post, lyon = await posted(bot, [("photo", 2)])
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        for telegram_id, name, handle in ((5101, "Léa", "ancien_pseudo"), (5102, "Paul", "lea_lyon")):
            s.add(
                Person(
                    telegram_id=telegram_id,
                    first_name=name,
                    username=handle,
                    language="fr",
                    city_id=lyon,
                    skills=[],
                    consent_version="test",
                    consent_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
    lea = bot.user(5101, "Léa", username="lea_lyon")  # renamed on Telegram; Paul gave that handle up
    lea.started = True
    group.add_member(lea, announce=False)
    lea.press(post, text="Je viens")
    await bot.sb.wait_for(lambda: lea.answers, 10)
    async with bot.services.db.session() as s:
        handles = {p.first_name: p.username for p in await s.scalars(select(Person))}
    assert handles == {"Léa": "lea_lyon", "Paul": None}
    assert (await roster(bot)) == {"Léa": ("yes", None)}

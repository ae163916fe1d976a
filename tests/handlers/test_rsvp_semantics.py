"""What an answer to an event's post counts as, through the sandbox (issue 13, item 2, and the "how to
answer" line of item 3): "Je viens" on a tractage counts toward the tractage, the tasks add up to the
people coming, offering a second task never costs a place, guests are counted, and /stop or an
erasure gives the place to the waitlist at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.events import agenda
from storage import events as q
from storage.models import Chat, City, Participation

GROUP_ID = -6201
# Telegram's 1 message/s per chat would only make these tests wait.
FAST = {"send_per_chat_per_second": 100.0}


async def posted(
    bot: Any,
    needs: list[tuple[str, int]],
    kind: str = "tractage",
    *,
    title: str = "Action marché",
    group_id: int = GROUP_ID,
) -> tuple[Any, Any]:
    """A Lyon group and an event announced in it; returns (group, post)."""
    group = bot.sb.group(group_id, "Militants Lyon")
    async with bot.services.transaction() as s:
        lyon = await s.scalar(select(City).where(City.name == "Lyon"))
        assert lyon is not None
        s.add(Chat(id=group_id, type="supergroup", title="Militants Lyon", city_id=lyon.id))
        await s.flush()
        start = datetime.now(UTC) + timedelta(days=3)
        event = await q.create_event(
            s,
            title=title,
            kind=kind,
            city_id=lyon.id,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Croix-Rousse",
            description="",
            needs=needs,
            created_by=None,
        )
        await s.refresh(event, ["city", "needs"])
        await agenda.announce(s, event)
    return group, await group.next_message(timeout=15)


async def members(bot: Any, group: Any, *names: str, first_id: int = 801) -> list[Any]:
    out = []
    for i, name in enumerate(names):
        user = bot.user(first_id + i, name)
        await bot.onboard(user)
        group.add_member(user, announce=False)
        out.append(user)
    return out


async def seats(bot: Any) -> dict[str, tuple[str, str | None, int]]:
    async with bot.services.db.session() as s:
        return {
            p.person.first_name: (p.status, p.role, p.guests) for p in await s.scalars(select(Participation))
        }


async def press(bot: Any, user: Any, post: Any, text: str) -> str:
    """Press a button of the post; the short answer Telegram shows the presser."""
    before = len(user.answers)
    user.press(post, text=text)
    await bot.sb.wait_for(lambda: len(user.answers) > before, 5)
    return str(user.answers[-1].text or "")


async def shows(bot: Any, post: Any, *parts: str) -> None:
    """The post, edited in place by the refresh job, shows every part."""
    await bot.sb.wait_for(lambda: all(p in post.plain for p in parts), 10)


async def reply(bot: Any, user: Any, group: Any, post: Any, text: str) -> None:
    """A reply in the group, waited for until it is read (the bot reacts to it)."""
    sent = user.send(text, chat=group, reply_to=post)
    mid = sent["message_id"]
    await bot.sb.wait_for(
        lambda: bot.sb.reactions_on(group, mid) or any(m.message_id > mid for m in group.messages), 5
    )


async def test_four_je_viens_on_a_tractage_for_four_fill_the_tractage(bot: Any) -> None:
    """Exactly the situation of the issue: never "4 inscrits, Tractage 0/4"."""
    group, post = await posted(bot, [("tractage", 4)])
    people = await members(bot, group, "Léa", "Bob", "Chloé", "Dan")
    for user in people:
        assert "Tractage" in await press(bot, user, post, "Je viens")
    await shows(bot, post, "✅ 4 personnes viennent", "Tractage 4/4 ✔")
    assert "0/4" not in post.plain and "sans tâche" not in post.plain
    assert {role for _, role, _ in (await seats(bot)).values()} == {"tractage"}
    # The task is full: its button is gone, "Je viens" still counts (coming, without a task).
    assert not [b for b in post.button_texts if b.startswith("🙋 Tractage")]
    (eve,) = await members(bot, group, "Ève", first_id=811)
    await press(bot, eve, post, "Je viens")
    await shows(bot, post, "✅ 5 personnes viennent", "Tractage 4/4 ✔, sans tâche 1")
    assert (await seats(bot))["Ève"] == ("yes", None, 0)


async def test_without_a_main_task_the_tasks_add_up_to_those_coming(bot: Any) -> None:
    group, post = await posted(bot, [("logistique", 2)], kind="réunion")
    lea, bob, chloe = await members(bot, group, "Léa", "Bob", "Chloé")
    await press(bot, lea, post, "Je viens")
    await press(bot, bob, post, "Je viens")
    await press(bot, chloe, post, "🙋 Logistique (manque 2)")
    await shows(bot, post, "✅ 3 personnes viennent", "Logistique 1/2, sans tâche 2")
    assert (await seats(bot))["Léa"] == ("yes", None, 0)


async def test_a_full_second_task_keeps_the_place_held(bot: Any) -> None:
    group, post = await posted(bot, [("tractage", 2), ("photo", 1)])
    lea, bob = await members(bot, group, "Léa", "Bob")
    await press(bot, lea, post, "Je viens")
    await press(bot, bob, post, "🙋 Photo/vidéo (manque 1)")
    # Léa offers the photo too: it is full, and she does not lose her tractage place for a waitlist.
    await reply(bot, lea, group, post, "je peux aussi faire les photos")
    assert (await seats(bot))["Léa"] == ("yes", "tractage", 0)
    await shows(bot, post, "✅ 2 personnes viennent", "Tractage 1/2", "Photo/vidéo 1/1 ✔")


async def test_a_second_free_task_is_asked_in_private_and_the_move_promotes(bot: Any) -> None:
    group, post = await posted(bot, [("tractage", 1), ("boîtage", 2)])
    lea, bob = await members(bot, group, "Léa", "Bob")
    await press(bot, lea, post, "Je viens")
    await reply(bot, bob, group, post, "je peux tracter")
    assert (await seats(bot))["Bob"] == ("waitlist", "tractage", 0)
    assert "liste d'attente" in (await bob.next_message()).plain  # told in private
    await shows(bot, post, "Tractage 1/1 ✔")

    said = await press(bot, lea, post, "🙋 Boîtage (manque 2)")
    assert "je vous demande en privé" in said
    assert (await seats(bot))["Léa"] == ("yes", "tractage", 0)  # nothing lost while she decides
    ask = await lea.next_message()
    assert "Une tâche par personne" in ask.plain
    assert ask.button_texts == ["Garder Tractage", "Passer à Boîtage"]

    await press(bot, lea, ask, "Garder Tractage")
    assert (await seats(bot))["Léa"] == ("yes", "tractage", 0)

    assert "Boîtage" in await press(bot, lea, ask, "Passer à Boîtage")
    # Her tractage place goes to Bob, who waited for it, and he is told.
    assert "Une place s'est libérée" in (await bob.next_message()).plain
    got = await seats(bot)
    assert got["Léa"] == ("yes", "boîtage", 0) and got["Bob"] == ("yes", "tractage", 0)
    await shows(bot, post, "✅ 2 personnes viennent", "Tractage 1/1 ✔", "Boîtage 1/2")


async def test_guests_are_counted_in_the_post_and_the_roster(bot: Any) -> None:
    group, post = await posted(bot, [("tractage", 10)])
    lea, bob, chloe, dan = await members(bot, group, "Léa", "Bob", "Chloé", "Dan")
    await reply(bot, lea, group, post, "je viens avec ma sœur")
    await reply(bot, bob, group, post, "+2")
    await reply(bot, chloe, group, post, "on sera 3")
    await reply(bot, dan, group, post, "je viens avec 2 amis")
    assert await seats(bot) == {
        "Léa": ("yes", "tractage", 1),
        "Bob": ("yes", "tractage", 1),
        "Chloé": ("yes", "tractage", 2),
        "Dan": ("yes", "tractage", 2),
    }
    await shows(bot, post, "✅ 10 personnes viennent", "Tractage 10/10 ✔")
    # A button press says nothing about guests: the number given is kept.
    await press(bot, lea, post, "Je viens")
    assert (await seats(bot))["Léa"] == ("yes", "tractage", 1)
    # Saying no takes the guests away with the person.
    await reply(bot, dan, group, post, "finalement je ne peux pas")
    await shows(bot, post, "✅ 7 personnes viennent", "Tractage 7/10")


async def test_stop_gives_the_place_to_the_waitlist_at_once(bot: Any) -> None:
    group, post = await posted(bot, [("photo", 1)])
    lea, bob = await members(bot, group, "Léa", "Bob")
    await reply(bot, lea, group, post, "dispo pour la photo")
    await reply(bot, bob, group, post, "dispo pour la photo")
    assert (await seats(bot))["Bob"][0] == "waitlist"
    assert "liste d'attente" in (await bob.next_message()).plain
    await bot.reply(lea, "/stop")
    assert "Une place s'est libérée" in (await bob.next_message()).plain
    got = await seats(bot)
    assert got["Léa"][0] == "no" and got["Bob"] == ("yes", "photo", 0)
    await shows(bot, post, "✅ 1 personne vient", "Photo/vidéo 1/1 ✔")


async def test_erasure_gives_the_place_to_the_waitlist_at_once(bot: Any) -> None:
    group, post = await posted(bot, [("photo", 1)])
    lea, bob = await members(bot, group, "Léa", "Bob")
    await reply(bot, lea, group, post, "dispo pour la photo avec mon copain")
    await reply(bot, bob, group, post, "dispo pour la photo")
    assert "liste d'attente" in (await bob.next_message()).plain
    # Léa's friend comes with her: 2 coming, the photo place taken.
    await shows(bot, post, "✅ 2 personnes viennent", "Photo/vidéo 2/1 ✔")
    ask = await bot.reply(lea, "/supprimer_mes_donnees")
    lea.press(ask, text="Oui, tout effacer")
    assert "Une place s'est libérée" in (await bob.next_message()).plain
    assert await seats(bot) == {"Bob": ("yes", "photo", 0)}
    await shows(bot, post, "✅ 1 personne vient", "Photo/vidéo 1/1 ✔")


async def test_the_post_says_how_to_answer(bot: Any) -> None:
    _, post = await posted(bot, [("tractage", 2)])
    assert "Répondez avec les boutons ou en répondant à ce message." in post.plain
    assert post.button_texts[:3] == ["Je viens", "Peut-être", "Je ne peux pas"]

"""The waitlist of a full role, through the sandbox: a freed place goes to whoever waited longest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Participation


async def photo_event(bot: Any) -> tuple[Any, Any]:
    """A Lyon group and an action that needs one photographer; returns the group and its post."""
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    group = bot.sb.group(-5101, "Militants Lyon")
    group.add_member(coord)
    coord.send("/lier_ville Lyon", chat=group)
    await group.next_message()
    await bot.reply(coord, "/evenement")
    kinds = await bot.reply(coord, "Tractage marché Croix-Rousse")
    coord.press(kinds, text="tractage")
    coord.press(await coord.next_message(), text="Lyon")
    await coord.next_message()
    confirm = await bot.reply(coord, "samedi prochain à 14h")
    coord.press(confirm, text="Oui")
    await coord.next_message()
    await bot.reply(coord, "2h")
    await bot.reply(coord, "Place de la Croix-Rousse")
    await bot.reply(coord, "Tracts et café")
    summary = await bot.reply(coord, "photo 1")
    coord.press(summary, text="Confirmer")
    return group, await group.next_message()


async def seats(bot: Any) -> dict[str, tuple[str, str | None]]:
    async with bot.services.db.session() as s:
        return {p.person.first_name: (p.status, p.role) for p in await s.scalars(select(Participation))}


async def test_a_freed_place_goes_to_the_oldest_on_the_waitlist(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await photo_event(bot)
    # Chloé joins first and answers first (her row is the oldest, her id the smallest), but she
    # only joins the waitlist after Bruno: Bruno has waited longer for the place.
    chloe, bruno, alice = bot.user(722, "Chloé"), bot.user(721, "Bruno"), bot.user(720, "Alice")
    for u in (chloe, bruno, alice):
        await bot.onboard(u)
        group.add_member(u)

    async def says(who: Any, text: str) -> str:
        """The reaction the bot puts on the reply (groups stay quiet: no new message)."""
        mid = who.send(text, chat=group, reply_to=post)["message_id"]
        await bot.sb.wait_for(lambda: bot.sb.reactions_on(group, mid), 5)
        return str(bot.sb.reactions_on(group, mid)[-1])

    assert await says(chloe, "peut-être") == "🤔"
    assert await says(alice, "dispo pour la photo") == "👍"
    assert await says(bruno, "dispo pour la photo") == "✍"  # the waitlist, told in private
    assert "liste d'attente" in (await bruno.next_message()).plain
    assert await says(chloe, "dispo pour la photo") == "✍"
    assert "liste d'attente" in (await chloe.next_message()).plain
    assert await seats(bot) == {
        "Alice": ("yes", "photo"),
        "Bruno": ("waitlist", "photo"),
        "Chloé": ("waitlist", "photo"),
    }

    # Alice drops out: Bruno, who waited longest, gets the place; Chloé keeps waiting.
    await says(alice, "finalement je peux pas")
    assert "Une place s'est libérée" in (await bruno.next_message()).plain
    assert await seats(bot) == {
        "Alice": ("no", None),
        "Bruno": ("yes", "photo"),
        "Chloé": ("waitlist", "photo"),
    }
    assert not [m for m in chloe.messages if "place s'est libérée" in (m.plain or "")]

    # Bruno drops out in turn: now it is Chloé's.
    await says(bruno, "finalement je peux pas")
    assert "Une place s'est libérée" in (await chloe.next_message()).plain
    assert await seats(bot) == {
        "Alice": ("no", None),
        "Bruno": ("no", None),
        "Chloé": ("yes", "photo"),
    }

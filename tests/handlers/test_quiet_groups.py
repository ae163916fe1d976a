"""Quiet groups: a reply understood under an event's post is acknowledged by a reaction on it, not by
a new message; a short message only where the group has reactions turned off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.events import agenda
from storage import events as q
from storage.models import Chat, City, Participation

GROUP_ID = -6001


async def posted(bot: Any, needs: list[tuple[str, int]]) -> tuple[Any, Any]:
    """A Lyon group and an event announced in it; returns (group, post)."""
    group = bot.sb.group(GROUP_ID, "Militants Lyon")
    async with bot.services.transaction() as s:
        lyon = await s.scalar(select(City).where(City.name == "Lyon"))
        assert lyon is not None
        s.add(Chat(id=GROUP_ID, type="supergroup", title="Militants Lyon", city_id=lyon.id))
        await s.flush()
        start = datetime.now(UTC) + timedelta(days=3)
        event = await q.create_event(
            s,
            title="Tractage marché",
            kind="tractage",
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
    return group, await group.next_message(timeout=10)


async def member(bot: Any, group: Any, uid: int, name: str) -> Any:
    user = bot.user(uid, name)
    await bot.onboard(user)
    group.add_member(user, announce=False)
    return user


def group_sends(bot: Any) -> list[Any]:
    return [c for c in bot.sb.calls_to("sendMessage") if str(c.params.get("chat_id")) == str(GROUP_ID)]


async def statuses(bot: Any) -> set[tuple[str, str]]:
    async with bot.services.db.session() as s:
        return {(p.person.first_name, p.status) for p in await s.scalars(select(Participation))}


async def test_an_understood_reply_gets_a_reaction_and_no_message(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("tractage", 3)])
    lea = await member(bot, group, 701, "Léa")
    sent_before = len(group_sends(bot))
    for text, emoji, status in (
        ("je viens", "👍", "yes"),
        ("peut-être, je vous dis demain", "🤔", "maybe"),
        ("finalement je ne peux pas", "👌", "no"),
    ):
        reply = lea.send(text, chat=group, reply_to=post)
        mid = reply["message_id"]
        await bot.sb.wait_for(lambda mid=mid: bot.sb.reactions_on(group, mid), 5)
        assert bot.sb.reactions_on(group, mid) == [emoji], text
        assert await statuses(bot) == {("Léa", status)}
    # Not one new message in the group: the acknowledgements are all reactions.
    assert len(group_sends(bot)) == sent_before
    assert [m.message_id for m in group.messages] == [post.message_id]


async def test_reactions_off_give_one_short_message(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("tractage", 3)])
    group.set_reactions([])
    lea = await member(bot, group, 702, "Léa")
    reply = lea.send("je viens", chat=group, reply_to=post)
    ack = await group.next_message()
    assert ack.plain == "Noté ✅" and ack.reply_to == reply["message_id"]
    assert bot.sb.reactions_on(group, reply["message_id"]) == []
    assert await statuses(bot) == {("Léa", "yes")}
    assert len(group.messages) == 2  # the post and that one acknowledgement


async def test_a_misunderstood_reply_is_left_alone(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("tractage", 3)])
    lea = await member(bot, group, 703, "Léa")
    about_other = lea.send("Sofia sera là", chat=group, reply_to=post)
    # A later understood reply proves the first one was handled (updates are handled in order).
    understood = lea.send("je viens", chat=group, reply_to=post)
    await bot.sb.wait_for(lambda: bot.sb.reactions_on(group, understood["message_id"]), 5)
    assert bot.sb.reactions_on(group, about_other["message_id"]) == []
    assert [m.message_id for m in group.messages] == [post.message_id]
    assert await statuses(bot) == {("Léa", "yes")}


async def test_waitlist_is_told_in_private_not_in_the_group(bot) -> None:  # type: ignore[no-untyped-def]
    group, post = await posted(bot, [("photo", 1)])
    alice, bob = await member(bot, group, 704, "Alice"), await member(bot, group, 705, "Bob")
    first = alice.send("dispo pour la photo", chat=group, reply_to=post)
    await bot.sb.wait_for(lambda: bot.sb.reactions_on(group, first["message_id"]), 5)
    second = bob.send("dispo pour la photo", chat=group, reply_to=post)
    told = await bob.next_message()
    assert "liste d'attente" in told.plain
    assert bot.sb.reactions_on(group, second["message_id"]) == ["✍"]
    assert [m.message_id for m in group.messages] == [post.message_id]
    assert await statuses(bot) == {("Alice", "yes"), ("Bob", "waitlist")}

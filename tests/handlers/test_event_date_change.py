"""Changes confirmed and told (issue 13, item 7), through the sandbox: a new date from
/mes_evenements is read back in words and confirmed first, like at creation; the people registered
get the new date once; the group post shows that the date changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities.events.agenda import refresh_posts
from domain.dates import PARIS, format_day
from storage.models import Event
from tests.handlers.test_events import create_via_conversation, setup_city


async def scene(bot: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    people: dict[str, Any] = {}
    for i, (name, label) in enumerate(
        (("Alice", "Je viens"), ("Bruno", "Peut-être"), ("Chloé", "Je ne peux pas"))
    ):
        user = bot.user(801 + i, name)
        await bot.onboard(user)
        group.add_member(user)
        before = len(user.answers)
        user.press(post, text=label)
        await bot.sb.wait_for(lambda user=user, before=before: len(user.answers) > before, 5)
        people[name] = user
    await bot.outbox_idle()
    return coord, group, post, people


async def ask_new_date(bot: Any, coord: Any) -> Any:
    mine = await bot.reply(coord, "/mes_evenements")
    coord.press(mine, text=mine.button_texts[0])
    manage = await coord.next_message()
    coord.press(manage, text="Changer la date")
    return await coord.next_message()


async def starts_at(bot: Any) -> datetime:
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
    assert event is not None
    moved: datetime = event.starts_at
    return moved


def target_day() -> datetime:
    return (datetime.now(UTC) + timedelta(days=10)).astimezone(PARIS)


async def test_new_date_is_confirmed_in_words_then_told_once(bot: Any) -> None:
    coord, group, post, people = await scene(bot)
    first = await starts_at(bot)
    before = {name: len(u.messages) for name, u in people.items()}
    await ask_new_date(bot, coord)
    day = format_day(target_day(), "fr", now=datetime.now(UTC))
    confirm = await bot.reply(coord, f"{day} à 10h")
    assert confirm.plain.startswith("Nouvelle date\u00a0:")
    assert f"{day} de 10h00 à 12h00" in confirm.plain and "confirmer\u202f?" in confirm.plain
    assert confirm.button_texts == ["Confirmer", "Annuler"]
    assert await starts_at(bot) == first  # nothing changes before Confirmer
    coord.press(confirm, text="Confirmer")
    coord.press(confirm, text="Confirmer")  # a double tap moves it once
    done = await coord.next_message()
    assert "nouvelle date" in done.plain and "2 personnes inscrites prévenues" in done.plain
    moved = await starts_at(bot)
    assert moved.astimezone(PARIS).date() == target_day().date() and moved.astimezone(PARIS).hour == 10
    await bot.outbox_idle()
    for name, user in people.items():
        told = [m for m in user.messages[before[name] :] if "Date modifiée" in m.plain]
        assert len(told) == (1 if name != "Chloé" else 0), name
        if told:
            assert day in told[0].plain and "10h00" in told[0].plain
    # The group post says the date changed, with the new date.
    async with bot.services.transaction() as s:
        await refresh_posts(s, datetime.now(UTC) + timedelta(minutes=5), timedelta(0))
    await bot.outbox_idle()
    await bot.sb.wait_for(lambda: "📅 Date modifiée" in post.plain, 20)
    assert day in post.plain


async def test_a_day_without_time_asks_the_time_and_annuler_changes_nothing(bot: Any) -> None:
    coord, group, post, people = await scene(bot)
    first = await starts_at(bot)
    await ask_new_date(bot, coord)
    target = target_day()
    month = format_day(target, "fr", now=datetime.now(UTC)).split()[2]
    ask_time = await bot.reply(coord, f"le {target.day} {month}")
    assert "quelle heure" in ask_time.plain
    confirm = await bot.reply(coord, "18h30")
    assert "Nouvelle date" in confirm.plain and "18h30" in confirm.plain
    assert "utilisez les boutons" in (await bot.reply(coord, "19h")).plain.lower()
    coord.press(confirm, text="Annuler")
    assert "annulé" in (await coord.next_message()).plain
    assert await starts_at(bot) == first
    await bot.outbox_idle()
    assert not any("Date modifiée" in m.plain for u in people.values() for m in u.messages)
    assert "Date modifiée" not in post.plain


async def test_a_past_or_unreadable_date_is_asked_again(bot: Any) -> None:
    coord, _, _, _ = await scene(bot)
    await ask_new_date(bot, coord)
    assert "Je n'ai pas compris cette date" in (await bot.reply(coord, "avant-hier")).plain
    assert "Je n'ai pas compris cette date" in (await bot.reply(coord, "31 avril 14h")).plain

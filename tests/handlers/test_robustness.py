"""Updates the bot does not expect are ignored or answered politely, never a crash."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from storage.models import Person


async def test_unexpected_private_updates_get_polite_answers(
    bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="coordo.errors")
    lea = bot.user(401, "Léa")
    assert "/start" in (await bot.reply(lea, "bonjour")).plain
    await bot.onboard(lea)
    assert "Je n'ai pas compris" in (await bot.reply(lea, "bonjour")).plain
    assert "Je n'ai pas compris" in (await bot.reply(lea, "é" * 4000)).plain
    assert "Je ne connais pas cette commande" in (await bot.reply(lea, "/nimportequoi")).plain
    lea.send_raw(
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    )
    assert "ce type de message" in (await lea.next_message()).plain
    lea.send_raw(photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])
    assert "ce type de message" in (await lea.next_message()).plain
    assert not [r for r in caplog.records if r.name == "coordo.errors"]


async def test_edited_messages_are_ignored(bot: Any) -> None:
    lea = bot.user(402, "Léa")
    await bot.onboard(lea)
    sent = lea.send("/aide")
    await lea.next_message()
    count = len(lea.messages)
    lea.edit(sent, "/villes")
    lea.send("/aide")
    await lea.next_message()
    assert len(lea.messages) == count + 1  # only the new /aide was answered


async def test_stale_and_unknown_buttons_are_answered(bot: Any) -> None:
    lea = bot.user(403, "Léa")
    await bot.reply(lea, "/start")
    ask_city = await bot.reply(lea, "Léa")
    await bot.reply(lea, "/cancel")
    lea.press(ask_city, text="Lyon")  # the conversation is over
    await bot.sb.wait_for(lambda: lea.last_answer is not None, 5)
    assert "expiré" in lea.last_answer.text
    assert await bot.person(403) is None


async def test_unknown_groups_and_chatter_are_left_alone(bot: Any) -> None:
    lea = bot.user(404, "Léa")
    await bot.onboard(lea)
    group = bot.sb.group(-1003, "Inconnu")
    group.add_member(lea)
    lea.send("salut tout le monde", chat=group)
    lea.send("/commande_d_un_autre_bot", chat=group)
    lea.send("/aide", chat=group)
    answer = await group.next_message()
    assert "répondez aux annonces" in answer.plain
    assert len([m for m in group.messages if not m.deleted]) == 1
    assert await bot.count(Person) == 1


async def test_bot_added_to_a_group_greets_and_remembers_it(bot: Any) -> None:
    from storage.models import Chat

    group = bot.sb.group(-1004, "Militants Nantes", with_bot=False)
    adder = bot.user(405, "Admin")
    group.add_member(adder)
    group.add_bot(by=adder)
    hello = await group.next_message()
    assert "/lier_ville" in hello.plain
    assert await bot.count(Chat) == 1

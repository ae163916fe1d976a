"""At INFO the console shows one line per update: its kind, the command or button name and the
chat kind — never a name, a text, an id or a token (issue 13, item 9)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from sandbox.bot_harness import TOKEN

SECRET_NAME = "Zéphyrine"
SECRET_TEXT = "mon code secret 4242"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "coordo.updates"]


async def test_one_line_per_update_without_personal_data(bot: Any, caplog: pytest.LogCaptureFixture) -> None:
    user = bot.user(7301, SECRET_NAME, username="zephy_secret")
    await bot.onboard(user)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="coordo.updates"):
        profile = await bot.reply(user, "/profil")
        user.press(profile, text="Terminé")
        await user.next_message()
        user.send(f"/{SECRET_TEXT.replace(' ', '_')}")
        await user.next_message()
        user.send(SECRET_TEXT)
        await user.next_message()
    lines = _lines(caplog)
    assert lines[0] == "update: command /profil, private chat"
    assert lines[1] == "update: button ProfileMenu, private chat"
    assert lines[2] == "update: command ?, private chat"  # an unknown /word is not written out
    assert lines[3] == "update: text message, private chat"
    assert len(lines) == 4  # one line per update, no more
    every = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (SECRET_NAME, "zephy_secret", "secret", "4242", str(user.id), TOKEN, TOKEN.split(":")[1]):
        assert secret not in every


async def test_the_log_line_never_stops_the_update(bot: Any, caplog: pytest.LogCaptureFixture) -> None:
    user = bot.user(7302, "Léa")
    with caplog.at_level(logging.INFO, logger="coordo.updates"):
        await bot.onboard(user)
        help_text = await bot.reply(user, "/aide")
    assert help_text.plain  # the command was still handled
    assert "update: command /aide, private chat" in _lines(caplog)


async def test_nothing_is_logged_above_info(bot: Any, caplog: pytest.LogCaptureFixture) -> None:
    user = bot.user(7303, "Léa")
    with caplog.at_level(logging.WARNING, logger="coordo.updates"):
        await bot.reply(user, "/start")
    assert _lines(caplog) == []


async def test_profil_tells_anyone_their_telegram_id(bot: Any) -> None:
    user = bot.user(7304, "Léa")
    await bot.onboard(user)
    profile = await bot.reply(user, "/profil")
    assert f"Votre identifiant Telegram\u00a0: {user.id}" in profile.plain

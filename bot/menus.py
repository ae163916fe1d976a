"""Command menus per role and language (setMyCommands scopes)."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot.commands import AIDE, BY_NAME, COMMANDS, visible_commands
from bot.texts import t
from domain.people import Role

log = logging.getLogger(__name__)


def _commands(lang: str, names: list[str]) -> list[BotCommand]:
    return [BotCommand(name, t(lang, BY_NAME[name].help_key)) for name in names]


async def set_default_menus(bot: Bot) -> None:
    """What people see before the bot knows them; English for English-speaking Telegram clients."""
    newcomer = [c.name for c in visible_commands(frozenset(), onboarded=False, where="private")]
    group = [AIDE.name]
    admins = [AIDE.name, *(c.name for c in COMMANDS if c.where == "group")]
    for lang, code in (("fr", None), ("en", "en")):
        await bot.set_my_commands(
            _commands(lang, newcomer), scope=BotCommandScopeAllPrivateChats(), language_code=code
        )
        await bot.set_my_commands(
            _commands(lang, group), scope=BotCommandScopeAllGroupChats(), language_code=code
        )
        await bot.set_my_commands(
            _commands(lang, admins), scope=BotCommandScopeAllChatAdministrators(), language_code=code
        )


async def refresh_menu(bot: Bot, telegram_id: int, roles: frozenset[Role], lang: str) -> None:
    """The person's own menu: exactly the commands their roles allow, in their language."""
    names = [c.name for c in visible_commands(roles, onboarded=bool(roles), where="private")]
    try:
        await bot.set_my_commands(_commands(lang, names), scope=BotCommandScopeChat(telegram_id))
    except TelegramError as exc:  # a menu is a convenience: never fail the action for it
        log.warning("could not set the menu of a person: %s", exc)

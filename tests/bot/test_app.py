"""The composition root: every command of the registry is wired once, and nothing else is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from bot.app import DEEP_LINKS, HANDLERS, JOBS, build_application
from bot.commands import COMMANDS
from bot.settings import Settings
from sandbox.bot_harness import TOKEN


def _walk(handler: BaseHandler[Any, Any, Any]) -> Iterator[BaseHandler[Any, Any, Any]]:
    yield handler
    if isinstance(handler, ConversationHandler):
        inner = [*handler.entry_points, *handler.fallbacks]
        for state in handler.states.values():
            inner.extend(state)
        for child in inner:
            yield from _walk(child)


def _wired_commands() -> set[str]:
    app = build_application(Settings(_env_file=None, telegram_bot_token=TOKEN))
    names: set[str] = set()
    for group in app.handlers.values():
        for handler in group:
            for h in _walk(handler):
                if isinstance(h, CommandHandler):
                    names |= set(h.commands)
    return names


def test_every_registered_command_has_a_handler_and_no_handler_is_unregistered() -> None:
    registered = {name for spec in COMMANDS for name in spec.names}
    assert _wired_commands() == registered


def test_declarations_are_unique() -> None:
    assert len({spec.name for spec in COMMANDS}) == len(COMMANDS)
    assert len({job.name for job in JOBS}) == len(JOBS)
    assert len(set(HANDLERS)) == len(HANDLERS)
    assert all("_" not in prefix for prefix in DEEP_LINKS)  # the payload is "<prefix>_<value>"

"""Fixtures for the sandbox's own tests (helpers live in the sandbox package)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox import SandboxServer, SandboxUser, TelegramSandbox, serve_http


@pytest.fixture
def sb() -> TelegramSandbox:
    return TelegramSandbox()


@pytest.fixture
def alice(sb: TelegramSandbox) -> SandboxUser:
    """A user who already wrote to the bot, so the bot may message her."""
    user = sb.user(101, "Alice", "Martin", username="alice_m")
    user.send("/start")
    return user


@pytest.fixture
async def server(sb: TelegramSandbox) -> AsyncIterator[SandboxServer]:
    running = await serve_http(sb)
    yield running
    await running.close()

"""Helpers to run a real PTB Application against a sandbox, in-process or over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from sandbox.core import TelegramSandbox
from sandbox.http import SandboxServer
from sandbox.request import SandboxRequest


def sandbox_builder(
    sandbox: TelegramSandbox, server: SandboxServer | None = None
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder wired to the sandbox: in-process, or over HTTP through ``server``."""
    builder = ApplicationBuilder().token(sandbox.token)
    if server is None:
        return builder.request(SandboxRequest(sandbox)).get_updates_request(SandboxRequest(sandbox))
    return builder.base_url(server.base_url).base_file_url(server.base_file_url)


@asynccontextmanager
async def running(
    app: Application[Any, Any, Any, Any, Any, Any], poll_timeout: int = 10
) -> AsyncIterator[None]:
    """Run ``app`` with real long polling for the duration of the block, then shut it down.

    The sandbox answers a long poll as soon as an update exists, so a long ``poll_timeout``
    costs nothing and keeps the getUpdates log short.
    """
    await app.initialize()
    try:
        assert app.updater is not None, "build the Application with an Updater"
        await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        await app.start()
        yield
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

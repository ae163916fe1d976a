"""The morning digests: checked every minute, each sent once per local day (restarts and clock changes included)."""

from __future__ import annotations

from datetime import datetime

from bot.digest import send_due
from bot.services import Services
from scheduler.jobs import job


@job("digests", every_seconds=60.0)
async def run(services: Services, now: datetime) -> int:
    async with services.transaction() as s:
        return await send_due(s, services.settings, now)

"""Personal data over time: the day-20 reminder of open requests (every tick), and once a day the
retention periods (anonymise inactive volunteers, delete old emails, tell treasurers what may be purged)."""

from __future__ import annotations

from datetime import datetime

from bot.privacy import run_retention
from bot.services import Services
from scheduler.jobs import job


@job("retention", every_seconds=3600)
async def run(services: Services, now: datetime) -> int:
    return await run_retention(services, now)

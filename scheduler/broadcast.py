"""Progress of announcements to members."""

from __future__ import annotations

from datetime import datetime

from bot.broadcast import report_progress
from bot.services import Services
from scheduler.jobs import job


@job("broadcast.progress", every_seconds=2.0)
async def run(services: Services, now: datetime) -> int:
    async with services.transaction() as s:
        return await report_progress(s, now)

"""Keep posted announcements up to date with their counts, within Telegram's edit limits."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.agenda import refresh_announcements
from bot.services import Services
from scheduler.jobs import job


@job("announcements.refresh", every_seconds=1.0)
async def run(services: Services, now: datetime) -> int:
    interval = timedelta(seconds=services.settings.announcement_edit_interval_seconds)
    async with services.transaction() as s:
        return await refresh_announcements(s, now, interval)

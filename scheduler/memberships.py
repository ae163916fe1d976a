"""Memberships: reminders to each member 30 and 7 days before the end and on the last day; and
the optional push of new donations to the movement's Google Sheet.

Exactly once, restarts included: the membership's reminded_* column and the outbox row are
written in one transaction, and the outbox dedupe key refuses a second row for the same stage.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot import donations as money
from bot.services import Services
from scheduler.jobs import job

log = logging.getLogger(__name__)


@job("memberships.remind", every_seconds=3600)
async def run(services: Services, now: datetime) -> int:
    """Queue the reminders due at `now`; returns how many were queued."""
    today = money.today_in(services.settings, now)
    async with services.transaction() as s:
        return await money.send_membership_reminders(s, now, today)


@job("donations.sheet", every_seconds=300)
async def push_sheet(services: Services, now: datetime) -> int:
    """Append new donations to the Google Sheet when DONATIONS_SHEET_ID is set."""
    if not services.settings.donations_sheet_id:
        return 0
    try:
        return await money.push_to_sheet(services)
    except Exception as exc:  # Google down or the token expired: the next tick tries again
        log.warning("donations sheet push failed: %s", exc)
        return 0

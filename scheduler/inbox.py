"""The shared inbox's tick: follow-up (reminders, escalations), Gmail sync, Gmail labels.

`run(services, now)` does one full pass (the tests call it with chosen `now` values); the
registered job calls it every GMAIL_SYNC_SECONDS (0: never, e.g. while the mailbox is moved).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from bot import inbox
from bot.services import Services
from integrations.google_api import GoogleApiError
from integrations.google_auth import GoogleAuthError
from scheduler.jobs import job

log = logging.getLogger(__name__)

TICK_SECONDS = 10
_LAST_RUN = "inbox.last_run"


async def run(services: Services, now: datetime) -> int:
    """One pass; returns how many messages were queued or emails stored. Never raises on a Gmail
    failure: the pass is skipped and the next tick tries again (the client already backed off)."""
    done = await inbox.follow_up(services, now)
    client = inbox.gmail_client(services)
    if client is None:
        return done  # no token yet: `coordo google-login` has not been run
    try:
        done += await inbox.sync(services, client, now)
        await inbox.push_labels(services, client)
    except GoogleAuthError as exc:
        log.error("Gmail refused our credentials (%s): coordinators alerted", exc.reason or exc)
        done += await inbox.alert_auth(services, exc, now)
    except GoogleApiError as exc:
        log.warning("Gmail sync skipped this time: %s", exc)
    return done


@job("inbox.sync", every_seconds=TICK_SECONDS)
async def tick(services: Services, now: datetime) -> int:
    every = services.settings.gmail_sync_seconds
    if every <= 0:
        return 0
    last = services.extras.get(_LAST_RUN)
    if isinstance(last, float) and time.monotonic() - last < every - TICK_SECONDS / 2:
        return 0
    services.extras[_LAST_RUN] = time.monotonic()
    return await run(services, now)

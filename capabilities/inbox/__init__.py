"""The shared inbox: Gmail sync, triage, routing, the Telegram cards, claims, answers, follow-up.

Every state change and the messages it causes are written in one transaction (outbox). Modules:
sync (Gmail → database, labels), learning (the live triage model), routing (who gets an email,
/routage), cards (the Telegram card of an email), actions (card buttons), answers (answering from
Telegram, /modeles), followup (reminders, escalations, /absent), overview (/courriels). This
module holds the job that bot/app.py schedules: `tick`, which runs `run` every
GMAIL_SYNC_SECONDS.
"""

from __future__ import annotations

import logging
from datetime import datetime
from time import monotonic

from bot.services import Services
from capabilities.inbox.followup import follow_up
from capabilities.inbox.sync import alert_auth, gmail_client, push_labels, sync

log = logging.getLogger(__name__)

TICK_SECONDS = 10
_LAST_RUN = "inbox.last_run"


async def run(services: Services, now: datetime) -> int:
    """One pass; returns how many messages were queued or emails stored. Never raises on a Gmail
    failure: the pass is skipped and the next tick tries again (the client already backed off)."""
    # Google's libraries load on first use, not with the bot.
    from integrations.google_api import GoogleApiError
    from integrations.google_auth import GoogleAuthError

    done = await follow_up(services, now)
    client = gmail_client(services)
    if client is None:
        return done  # no token yet: `coordo google-login` has not been run
    try:
        done += await sync(services, client, now)
        await push_labels(services, client)
    except GoogleAuthError as exc:
        log.error("Gmail refused our credentials (%s): coordinators alerted", exc.reason or exc)
        done += await alert_auth(services, exc, now)
    except GoogleApiError as exc:
        log.warning("Gmail sync skipped this time: %s", exc)
    return done


async def tick(services: Services, now: datetime) -> int:
    every = services.settings.gmail_sync_seconds
    if every <= 0:
        return 0
    last = services.extras.get(_LAST_RUN)
    if isinstance(last, float) and monotonic() - last < every - TICK_SECONDS / 2:
        return 0
    services.extras[_LAST_RUN] = monotonic()
    return await run(services, now)

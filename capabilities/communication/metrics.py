"""Reach figures read back from the platforms (reactions, shares, boosts, likes...) into
publication.metrics, for the posts published in the last 7 days, at most every 6 hours each.

The Telegram channel gives a bot no counters and a share link on X is not ours: both are left out.
A platform that fails now is simply asked again at the next run (figures are not worth a retry loop).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.services import Services
from capabilities.communication import channels as channel_registry
from integrations.publishing.base import Publisher, PublishError
from storage import publications as q

log = logging.getLogger(__name__)

WINDOW = timedelta(days=7)
EVERY = timedelta(hours=6)
NO_COUNTERS = frozenset({"telegram"})


async def run(services: Services, now: datetime) -> int:
    """The job: figures of recent publications refreshed (the number refreshed)."""
    async with services.db.session() as s:
        rows = await q.for_metrics(s, now - WINDOW, now - EVERY)
    adapters: dict[str, Publisher | None] = {}
    ready = set(channel_registry.configured(services.settings))
    done = 0
    try:
        for row in rows:
            if row.channel in NO_COUNTERS or row.channel not in ready:
                continue
            if row.channel not in adapters:
                try:
                    adapters[row.channel] = channel_registry.build(services.settings, row.channel)
                except ValueError:  # X without credentials: nothing of ours to read
                    adapters[row.channel] = None
            adapter = adapters[row.channel]
            if adapter is None:
                continue
            try:
                figures = await asyncio.to_thread(adapter.metrics, row.remote_id)
            except PublishError as exc:
                log.info("metrics of %s %s: %s", row.channel, row.remote_id, exc.kind)
                continue
            async with services.transaction() as s:
                await q.save_metrics(s, row.id, figures, now)
            done += 1
    finally:
        for built in adapters.values():
            if built is not None:
                await asyncio.to_thread(built.close)
    return done

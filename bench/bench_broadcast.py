"""An announcement to 5,000 members through the HTTP sandbox, Telegram's limits enforced on both sides.

The limits are scaled by SCALE on both sides (the bot's settings and the sandbox) to keep the run
short; the figure is the achieved rate divided by the limit. The sandbox serves HTTP on 127.0.0.1 in
the same process: on a two-core machine this understates the bot a little (it shares its loop).
"""

from __future__ import annotations

import asyncio
import time

from bench.common import add_members, bot_on_sandbox
from bot.broadcast import queue
from sandbox import Limits

MEMBERS = 5000
SCALE = 10.0
GLOBAL = 30.0 * SCALE


async def measure(members: int = MEMBERS) -> dict[str, float]:
    limits = Limits(enforce=True, scale=SCALE)
    async with bot_on_sandbox(
        http=True, limits=limits, send_global_per_second=GLOBAL, send_per_chat_per_second=1.0 * SCALE,
        send_per_group_per_minute=20.0 * SCALE,
    ) as bot:
        await add_members(bot, members)
        sent_before = bot.sb.stats.sent
        start = time.perf_counter()
        async with bot.services.transaction() as s:
            await queue(s, None, "all", "", "Bench")
        await bot.outbox_idle(timeout=members / GLOBAL * 4 + 60, poll=0.25)
        elapsed = time.perf_counter() - start
        sent = bot.sb.stats.sent - sent_before
        return {
            "broadcast_messages": float(sent),
            "broadcast_seconds": elapsed,
            "broadcast_rate_vs_limit": (sent / elapsed) / GLOBAL,
            "broadcast_429_received": float(bot.sb.stats.rate_limited),
        }


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")

"""An announcement to 5,000 members through the HTTP sandbox, Telegram's limits enforced on both sides.

The sandbox runs in its own process, as Telegram runs elsewhere: the bot's event loop does only the
bot's work, and the sandbox stamps each call when it reaches it. The limits are scaled by SCALE on both
sides (the bot's settings and the sandbox) to keep the run short (×5: 150/s, 5,000 messages in ~35 s);
the figure is the achieved rate, from the announcement being queued to the last message accepted,
divided by the limit. `broadcast_calls` counts sendMessage calls, 429s included.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import add_members, bot_on_sandbox_process
from capabilities.announcements import queue

MEMBERS = 5000
SCALE = 5.0
GLOBAL = 30.0 * SCALE


async def measure(members: int = MEMBERS, scale: float = SCALE) -> dict[str, float]:
    rate = 30.0 * scale
    async with bot_on_sandbox_process(
        scale=scale,
        send_global_per_second=rate,
        send_per_chat_per_second=1.0 * scale,
        send_per_group_per_minute=20.0 * scale,
    ) as (bot, sandbox):
        await add_members(bot, members, sandbox=sandbox)
        before = await sandbox.stats()
        start = time.perf_counter()
        async with bot.services.transaction() as s:
            await queue(s, None, "all", "", "Bench")
        await bot.outbox_idle(timeout=members / rate * 4 + 60, poll=0.05)
        elapsed = time.perf_counter() - start
        after = await sandbox.stats()
    sent = after["by_method"].get("sendMessage", 0) - before["by_method"].get("sendMessage", 0)
    ok = after["sent"] - before["sent"]
    return {
        "broadcast_messages": float(ok),
        "broadcast_seconds": elapsed,
        "broadcast_rate_vs_limit": (ok / elapsed) / rate,
        "broadcast_429_received": float(after["rate_limited"] - before["rate_limited"]),
        "broadcast_calls": float(sent),
    }


def run() -> dict[str, float]:
    figures = asyncio.run(measure())
    # The same run with limits ×10 (300/s), to show the margin above the scale the figure uses.
    faster = asyncio.run(measure(scale=10.0))
    figures["broadcast_rate_vs_limit_x10"] = faster["broadcast_rate_vs_limit"]
    figures["broadcast_429_received_x10"] = faster["broadcast_429_received"]
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")

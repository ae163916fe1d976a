"""Time-driven work: each job is `async def run(services, now) -> int`, declared with its interval.

PTB's JobQueue ticks them; each job decides from the database what is due, so a restart catches
up and nothing is done twice (dedupe keys on the outbox, job_run rows for periodic work).
The list of jobs, in order, is declared in bot/app.py.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram.ext import Application, ContextTypes

from bot.services import Services

log = logging.getLogger(__name__)

JobFunc = Callable[[Services, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: JobFunc


def schedule_all(app: Application, jobs: Sequence[Job], disabled: Sequence[str] = ()) -> None:  # type: ignore[type-arg]
    assert app.job_queue is not None
    off = tuple(disabled)
    for spec in jobs:
        if off and spec.name.startswith(off):
            continue
        app.job_queue.run_repeating(
            _tick,
            interval=spec.every_seconds,
            first=1.0,
            name=spec.name,
            data=spec,
            job_kwargs={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1},
        )


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    spec: Job = context.job.data  # type: ignore[union-attr,assignment]
    services: Services = context.application.bot_data["services"]
    try:
        done = await spec.run(services, datetime.now(UTC))
    except Exception:
        log.exception("job %s failed; it will run again at its next tick", spec.name)
        return
    if done and services.sender is not None:
        services.sender.kick()

"""Time-driven work: each job is `async def run(services, now) -> int`, registered with an interval.

PTB's JobQueue ticks them; each job decides from the database what is due, so a restart catches
up and nothing is done twice (dedupe keys on the outbox, job_run rows for periodic work).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
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


JOBS: list[Job] = []


def job(name: str, every_seconds: float) -> Callable[[JobFunc], JobFunc]:
    def register(func: JobFunc) -> JobFunc:
        JOBS.append(Job(name, every_seconds, func))
        return func

    return register


def schedule_all(app: Application, modules: tuple[str, ...], disabled: list[str] | None = None) -> None:  # type: ignore[type-arg]
    import importlib

    for name in modules:
        importlib.import_module(f"scheduler.{name}")
    assert app.job_queue is not None
    off = tuple(disabled or ())
    for spec in JOBS:
        if off and spec.name.startswith(off):
            continue
        app.job_queue.run_repeating(
            _tick, interval=spec.every_seconds, first=1.0, name=spec.name, data=spec,
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

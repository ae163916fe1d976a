"""The daily job: retrain the reply model on the tables and the stored corrections, choose by
cross-validation where it may override the rules, store it; and tidy the stored readings."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import Services
from capabilities.understanding.reader import MODEL_KEY, forget_cache
from capabilities.understanding.tables import training_tables
from domain.learned import LABELS, Model, Policy, choose_policy, cross_validate, key_of, train
from domain.learned.combine import best_candidate
from domain.replies import classify_reply
from storage import corrections as q
from storage import digest as runs
from storage import inbox as kv
from storage.models import Correction

log = logging.getLogger(__name__)

JOB = "understanding.retrain"
MAX_CORRECTIONS = 5000
# A reading nobody corrected is kept this long (its button works until then).
READINGS_KEPT = timedelta(days=14)
# After this, a correction keeps its text and labels but loses its links to people and events.
LINKS_KEPT = timedelta(days=365)


@dataclass(frozen=True)
class Trained:
    model: Model
    rows: int
    corrections: int
    rules_cv: float  # intent accuracy of the rules alone on the training rows
    combined_cv: float  # with the chosen policy (the same when the model stays off)
    model_cv: float  # the model alone, cross-validated
    # The best policy that lets the model override (kept only when it beats the rules: `model`
    # has OFF otherwise), and its cross-validated accuracy: the figures of the report.
    best_on: Policy
    best_on_cv: float


def votes(rows: Sequence[Correction]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Training rows and exact memory from corrections: one vote per person and text (their
    latest), and a text is remembered only when its votes agree by a majority."""
    latest: dict[tuple[str, object], tuple[str, str]] = {}
    for row in rows:  # oldest first: later votes replace earlier ones
        if row.expected not in LABELS:
            continue
        voter = row.corrected_by if row.corrected_by is not None else f"row{row.id}"
        latest[(key_of(row.text), voter)] = (row.text, row.expected or "")
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for (key, _), (_, label) in latest.items():
        by_key[key][label] += 1
    memory: dict[str, str] = {}
    for key, counts in by_key.items():
        (label, n), *rest = counts.most_common()
        if key and (not rest or n > rest[0][1]):
            memory[key] = label
    return list(latest.values()), memory


def fit(tables: Sequence[tuple[str, str]], corrected: Sequence[Correction]) -> Trained:
    """Pure but slow-ish (a cross-validation): run in a thread."""
    extra, memory = votes(corrected)
    rows = [*tables, *extra]
    gold = [label for _, label in rows]
    rules = [classify_reply(text).intent for text, _ in rows]
    oof = cross_validate(rows)
    policy, base, combined = choose_policy(gold, rules, oof)
    best_on, best_on_cv = best_candidate(gold, rules, oof)
    model_cv = sum(p == g for (p, _), g in zip(oof, gold, strict=True)) / len(gold) if gold else 0.0
    model = train(rows, memory=memory, policy=policy)
    return Trained(model, len(rows), len(extra), base, combined, model_cv, best_on, best_on_cv)


async def retrain(services: Services, now: datetime) -> Trained:
    """Train and store the model now (the job, and `coordo` tests, call this)."""
    async with services.db.session() as s:
        corrected = await q.corrected(s, q.REPLY, MAX_CORRECTIONS)
        s.expunge_all()
    trained = await asyncio.to_thread(fit, training_tables(), corrected)
    async with services.transaction() as s:
        await kv.kv_put(s, MODEL_KEY, trained.model.to_json())
        await q.purge(s, now - READINGS_KEPT, now - LINKS_KEPT)
    forget_cache(services)
    log.info(
        "reply model trained: %d rows (%d corrections), rules %.3f, with model %.3f, model alone %.3f, policy %s",
        trained.rows,
        trained.corrections,
        trained.rules_cv,
        trained.combined_cv,
        trained.model_cv,
        trained.model.policy,
    )
    return trained


NIGHT = range(3, 6)  # local hours: a quiet moment, never while people press buttons


async def retrain_due(services: Services, now: datetime) -> int:
    """The job: once a day, the first tick of the night (a start in the day does not train: a
    bot that just started stays light; yesterday's model, stored, serves until then)."""
    local = now.astimezone(services.settings.tz)
    if local.hour not in NIGHT:
        return 0
    day = local.date().isoformat()
    async with services.transaction() as s:
        if not await runs.claim_period(s, JOB, day):
            return 0
    await retrain(services, now)
    return 0

"""The learned reader's effect on held-out replies (bench/bench_understanding.py reports it; the
held-out sets are never used to train or to choose anything here)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from capabilities.understanding.reader import read_with
from capabilities.understanding.tables import training_tables
from capabilities.understanding.training import Trained, fit
from domain.learned import predict
from domain.replies import classify_reply


@cache
def trained_on_tables() -> Trained:
    """The model the daily job would store with no correction yet."""
    return fit(training_tables(), [])


def figures(rows: Sequence[dict[str, Any]], prefix: str) -> dict[str, float]:
    """`prefix`_intent_with_model, …: the reading as shipped (rules, model where its policy lets
    it), the model forced on with its best policy, the model alone, and the doubts it flags."""
    trained = trained_on_tables()
    shipped, forced = trained.model, replace(trained.model, policy=trained.best_on)
    intent = role = forced_right = alone = 0
    acknowledged = misread = flagged = caught = 0
    times = []
    for row in rows:
        start = time.perf_counter()
        got = read_with(shipped, row["text"])
        times.append(time.perf_counter() - start)
        if got.intent == row["intent"]:
            intent += 1
            role += (got.role or None) == row["role"]
        forced_right += read_with(forced, row["text"]).intent == row["intent"]
        alone += predict(shipped, row["text"])[0] == row["intent"]
        if classify_reply(row["text"]).intent != "other":  # read as an answer: acknowledged
            acknowledged += 1
            wrong = got.intent != row["intent"]
            misread += wrong
            flagged += got.doubtful
            caught += wrong and got.doubtful
    n = len(rows)
    return {
        f"{prefix}_intent_with_model": round(intent / n, 4),
        f"{prefix}_intent_and_role_with_model": round(role / n, 4),
        f"{prefix}_intent_model_forced_on": round(forced_right / n, 4),
        f"{prefix}_intent_model_alone": round(alone / n, 4),
        f"{prefix}_doubts_flagged_share": round(flagged / acknowledged, 4) if acknowledged else 0.0,
        f"{prefix}_misreads_flagged_share": round(caught / misread, 4) if misread else 1.0,
        f"{prefix}_with_model_median_ms": round(statistics.median(times) * 1000, 4),
    }


def training_figures() -> dict[str, float]:
    """Cross-validated on the training tables (5 folds): what chose the policy."""
    t = trained_on_tables()
    return {
        "replies_train_rows": float(t.rows),
        "replies_train_cv_rules_intent": round(t.rules_cv, 4),
        "replies_train_cv_with_model_intent": round(t.combined_cv, 4),
        "replies_train_cv_best_override_intent": round(t.best_on_cv, 4),
        "replies_train_cv_model_alone_intent": round(t.model_cv, 4),
        "replies_model_switched_on": float(t.model.policy.on),
    }

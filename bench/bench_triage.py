"""Speed of the email triage: emails classified per second (median over repetitions), and its
accuracy on a held-out labelled set (`bench/data/triage_holdout_f.jsonl`, 120 emails written apart
from the code and never used to correct the rules: keep it that way, or the figure means nothing).

Run with `python -m bench.bench_triage`; prints `name: value` lines.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from domain.triage import Email, Triage, load_jsonl
from domain.triage.evaluation import evaluate
from domain.triage.model import DEFAULT_THRESHOLD

HOLDOUT = Path(__file__).resolve().parent / "data" / "triage_holdout_f.jsonl"

SAMPLE_CANDIDATES = (
    Path(__file__).resolve().parents[1] / "data" / "emails_public_sample.jsonl",
    Path(__file__).resolve().parents[2] / "shared" / "data" / "emails_public_sample.jsonl",
    Path("/work/shared/data/emails_public_sample.jsonl"),
)

_FALLBACK: list[dict[str, Any]] = [
    {
        "id": "b1",
        "from": "A <a@gmail.com>",
        "subject": "reçu fiscal",
        "body": "Je n'ai pas reçu mon reçu fiscal.",
        "label": "finance",
        "city": None,
    },
    {
        "id": "b2",
        "from": "B <b@gmail.com>",
        "subject": "tractage",
        "body": "Dispo pour tracter à la Croix-Rousse samedi.",
        "label": "campaign",
        "city": "Lyon",
    },
    {
        "id": "b3",
        "from": "C <c@lemonde.fr>",
        "subject": "interview",
        "body": "Journaliste, je souhaite vous interviewer.",
        "label": "communication",
        "city": None,
    },
]


def _sample() -> list[dict[str, Any]]:
    for path in SAMPLE_CANDIDATES:
        if path.exists():
            return load_jsonl(path)
    return list(_FALLBACK)


def run(repetitions: int = 7) -> dict[str, float]:
    rows = _sample()
    emails = [Email.from_row(row) for row in rows]
    start = time.perf_counter()
    model = Triage().fit(rows)
    fit_ms = (time.perf_counter() - start) * 1000
    # the memory of corrections would short-circuit known emails: measure the full path
    model.memory.clear()
    rates = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for email in emails:
            model.predict(email)
        elapsed = time.perf_counter() - start
        rates.append(len(emails) / elapsed)
    rules_only = Triage()
    cold_rates = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for email in emails:
            rules_only.predict(email)
        cold_rates.append(len(emails) / (time.perf_counter() - start))
    huge = Email("huge", "x <x@example.org>", "gros message", "Bonjour, " + "bla " * 250_000)
    start = time.perf_counter()
    model.predict(huge)
    huge_ms = (time.perf_counter() - start) * 1000
    median = statistics.median(rates)
    held_out = evaluate(Triage().fit(rows), load_jsonl(HOLDOUT), DEFAULT_THRESHOLD)
    return {
        "triage_holdout_accuracy": round(held_out.accuracy, 4),
        "triage_holdout_routed_share": round(held_out.automatic_share, 4),
        "triage_holdout_routed_accuracy": round(held_out.automatic_accuracy, 4),
        "triage_predict_emails_per_s": round(median, 1),
        "triage_predict_ms_per_email": round(1000.0 / median, 3),
        "triage_predict_rules_only_emails_per_s": round(statistics.median(cold_rates), 1),
        "triage_predict_1mb_body_ms": round(huge_ms, 2),
        "triage_fit_ms": round(fit_ms, 2),
        "triage_sample_emails": float(len(emails)),
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")

"""How well the bot reads free French on sets it was never corrected on (issue 17's benchmark).

Held-out sets, written by people who never saw the code and never used to correct a rule:
- `bench/data/replies_holdout_h.jsonl`: replies to announcements (intent, and role when given);
- `bench/data/dates_holdout_h.jsonl`: dates typed by coordinators (start, and whether a time was given);
- `bench/data/triage_holdout_h.jsonl` and `triage_holdout_f.jsonl`: emails of the shared inbox.
Keep them that way: a set used to fix a miss measures nothing afterwards. Also the median time per
reply and per date, and emails triaged per second.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.dates import parse_when_detailed
from domain.replies import classify_reply
from domain.triage import Email, Triage, load_jsonl
from domain.triage.evaluation import evaluate
from domain.triage.model import DEFAULT_THRESHOLD

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def replies() -> dict[str, float]:
    rows = _rows("replies_holdout_h.jsonl")
    intent = role = 0
    times = []
    for row in rows:
        start = time.perf_counter()
        got = classify_reply(row["text"])
        times.append(time.perf_counter() - start)
        if got.intent == row["intent"]:
            intent += 1
            role += (got.role or None) == row["role"]
    return {
        "replies_holdout_intent": round(intent / len(rows), 4),
        "replies_holdout_intent_and_role": round(role / len(rows), 4),
        "replies_median_ms": round(statistics.median(times) * 1000, 4),
    }


def dates() -> dict[str, float]:
    rows = _rows("dates_holdout_h.jsonl")
    right = 0
    times = []
    for row in rows:
        now = datetime.fromisoformat(row["now"])
        start = time.perf_counter()
        got = parse_when_detailed(row["text"], now)
        times.append(time.perf_counter() - start)
        shown = got.start.strftime("%Y-%m-%d %H:%M") if got else None
        right += shown == row["expected"] and (got is None or got.has_time == row["has_time"])
    return {
        "dates_holdout_accuracy": round(right / len(rows), 4),
        "dates_median_ms": round(statistics.median(times) * 1000, 4),
    }


def emails() -> dict[str, float]:
    sample = Path(__file__).resolve().parents[2] / "shared" / "data" / "emails_public_sample.jsonl"
    train = load_jsonl(sample) if sample.exists() else []
    out: dict[str, float] = {}
    for name in ("h", "f"):
        report = evaluate(
            Triage().fit(train), load_jsonl(DATA / f"triage_holdout_{name}.jsonl"), DEFAULT_THRESHOLD
        )
        out[f"triage_holdout_{name}_accuracy"] = round(report.accuracy, 4)
        out[f"triage_holdout_{name}_routed_accuracy"] = round(report.automatic_accuracy, 4)
        out[f"triage_holdout_{name}_city"] = round(report.city_accuracy, 4)
    model = Triage().fit(train)
    mails = [Email.from_row(row) for row in load_jsonl(DATA / "triage_holdout_h.jsonl")]
    start = time.perf_counter()
    for mail in mails:
        model.predict(mail)
    out["triage_emails_per_s"] = round(len(mails) / (time.perf_counter() - start), 1)
    return out


def run() -> dict[str, float]:
    return {**replies(), **dates(), **emails()}

"""The rules and the learned reader together (docs/reply-conventions.md for what a reply means).

An exact correction of the same text (same words and signs, case and accents aside) wins over
everything. Otherwise the rules decide, except where the policy lets the model replace them: only
the rules' readings listed in `Policy.overridable`, and only when the model is at least
`Policy.threshold` sure. The policy is chosen by cross-validation on the training rows
(`choose_policy`), never on the held-out sets of bench/; when no policy beats the rules alone, the
model stays off (`OFF`).

Either way the model flags a doubt: a reading it disagrees with (`Reading.doubtful`). The bot then
asks the person, in private, whether it read them right. Cross-validated on the training tables,
about one reply read as an answer in five is flagged, and those hold most of the misreadings
(14 of 17 when this was written).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from domain.learned.bayes import ALPHA, LABELS, Model, predict, train
from domain.learned.policy import OFF, Policy

FOLDS = 5
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
# A policy must beat the rules alone by this share of rows (and by 2 rows at least) to be kept:
# smaller gains on a few hundred rows are noise.
MIN_GAIN = 0.005
DOUBT = 0.5


@dataclass(frozen=True)
class Reading:
    intent: str
    role: str | None
    source: str  # "rules", "model" or "correction"
    confidence: float | None = None
    doubtful: bool = False  # the model reads it otherwise (at least DOUBT sure)


def combine(text: str, rule_intent: str, rule_role: str | None, model: Model | None) -> Reading:
    """What to record for `text`, given the rules' reading and the model (None: rules only)."""
    if model is None:
        return Reading(rule_intent, rule_role, "rules")
    remembered = model.remembered(text)
    if remembered is not None:
        return Reading(remembered, _role(remembered, rule_intent, rule_role), "correction", 1.0)
    if not model.trained:
        return Reading(rule_intent, rule_role, "rules")
    label, confidence = predict(model, text)
    policy = model.policy
    if label == rule_intent or apply(policy, rule_intent, (label, confidence)) == rule_intent:
        doubtful = label != rule_intent and confidence >= DOUBT
        return Reading(rule_intent, rule_role, "rules", confidence, doubtful)
    return Reading(label, _role(label, rule_intent, rule_role), "model", confidence)


def _role(intent: str, rule_intent: str, rule_role: str | None) -> str | None:
    """The task named stays when both readings are a yes or a maybe (a role only goes with them)."""
    both = intent in ("yes", "maybe") and rule_intent in ("yes", "maybe")
    return rule_role if both else None


def apply(policy: Policy, rule_intent: str, predicted: tuple[str, float]) -> str:
    label, confidence = predicted
    if policy.on and rule_intent in policy.overridable and confidence >= policy.threshold:
        return label
    return rule_intent


def folds_of(n: int, folds: int = FOLDS, seed: int = 0) -> list[int]:
    """Each row's fold, the same for the same number of rows (a fixed shuffle)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for position, row in enumerate(order):
        fold[row] = position % folds
    return fold


def cross_validate(
    rows: Sequence[tuple[str, str]], folds: int = FOLDS, alpha: float = ALPHA, seed: int = 0
) -> list[tuple[str, float]]:
    """The model's reading of each row when trained on the other folds only."""
    assignment = folds_of(len(rows), folds, seed)
    out: list[tuple[str, float]] = [("other", 0.0)] * len(rows)
    for k in range(folds):
        model = train([r for r, f in zip(rows, assignment, strict=True) if f != k], alpha=alpha)
        for i, (text, _) in enumerate(rows):
            if assignment[i] == k:
                out[i] = predict(model, text)
    return out


def candidates() -> list[Policy]:
    sets = [frozenset(c) for n in range(1, len(LABELS) + 1) for c in combinations(LABELS, n)]
    return [Policy(s, t) for s in sets for t in THRESHOLDS]


def accuracy(
    policy: Policy, gold: Sequence[str], rules: Sequence[str], oof: Sequence[tuple[str, float]]
) -> float:
    right = sum(apply(policy, r, p) == g for g, r, p in zip(gold, rules, oof, strict=True))
    return right / len(gold) if gold else 0.0


def best_candidate(
    gold: Sequence[str], rules: Sequence[str], oof: Sequence[tuple[str, float]]
) -> tuple[Policy, float]:
    """The candidate policy (never OFF) that reads the rows best; ties go to the one that
    overrides least (a higher threshold, fewer intents)."""
    best, best_accuracy = OFF, -1.0
    for policy in sorted(
        candidates(), key=lambda p: (-p.threshold, len(p.overridable), sorted(p.overridable))
    ):
        value = accuracy(policy, gold, rules, oof)
        if value > best_accuracy:
            best, best_accuracy = policy, value
    return best, best_accuracy


def choose_policy(
    gold: Sequence[str], rules: Sequence[str], oof: Sequence[tuple[str, float]]
) -> tuple[Policy, float, float]:
    """The policy that reads the rows best from out-of-fold predictions (best_candidate), and its
    accuracy beside the rules' alone; OFF unless it beats the rules by MIN_GAIN."""
    base = accuracy(OFF, gold, rules, oof)
    best, best_accuracy = best_candidate(gold, rules, oof)
    needed = max(MIN_GAIN, 2 / len(gold)) if gold else 1.0
    if best_accuracy - base < needed - 1e-12:
        return OFF, base, base
    return best, base, best_accuracy

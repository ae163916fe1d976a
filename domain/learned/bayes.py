"""A multinomial naive Bayes over the presence of features (domain.learned.features), with the
exact corrections remembered beside it. Chosen because it trains in one pass over a few hundred
rows (the daily job takes well under a second), needs no library, reads a reply in a fraction of
a millisecond, and its counts serialise to plain JSON."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.learned.features import features
from domain.learned.policy import OFF, Policy

LABELS: tuple[str, ...] = ("yes", "no", "maybe", "other")
ALPHA = 0.3
FORMAT = 1


@dataclass
class Model:
    docs: list[int]  # rows per label, in LABELS order
    counts: dict[str, list[int]]  # feature → rows having it, per label
    alpha: float = ALPHA
    # Normalised text (features.key_of) → the label people corrected it to: wins over any reading.
    memory: dict[str, str] = field(default_factory=dict)
    policy: Policy = OFF
    _logp: dict[str, tuple[float, ...]] = field(default_factory=dict, repr=False, compare=False)
    _prior: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        total = sum(self.docs)
        vocabulary = max(len(self.counts), 1)
        # Presence counts: each row adds each of its features once; the denominators are the
        # features seen per label, smoothed over the whole vocabulary.
        seen = [sum(c[i] for c in self.counts.values()) for i in range(len(LABELS))]
        denominators = [math.log(s + self.alpha * vocabulary) for s in seen]
        self._prior = tuple(math.log((d + 1) / (total + len(LABELS))) for d in self.docs)
        self._logp = {
            f: tuple(math.log(c[i] + self.alpha) - denominators[i] for i in range(len(LABELS)))
            for f, c in self.counts.items()
        }

    @property
    def trained(self) -> bool:
        return sum(self.docs) > 0

    def remembered(self, text: str) -> str | None:
        from domain.learned.features import key_of

        return self.memory.get(key_of(text))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "labels": list(LABELS),
            "docs": self.docs,
            "alpha": self.alpha,
            "counts": self.counts,
            "memory": self.memory,
            "policy": self.policy.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        """The model `to_json` wrote; ValueError for anything else (another format, other labels)."""
        if data.get("format") != FORMAT or list(data.get("labels", ())) != list(LABELS):
            raise ValueError("not a reply model of this format")
        try:
            docs = [int(x) for x in data["docs"]]
            counts = {str(f): [int(x) for x in c] for f, c in data["counts"].items()}
            memory = {str(k): str(v) for k, v in data.get("memory", {}).items() if v in LABELS}
            policy = Policy.from_json(data["policy"]) if "policy" in data else OFF
            alpha = float(data.get("alpha", ALPHA))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"unreadable reply model: {exc}") from exc
        if len(docs) != len(LABELS) or any(len(c) != len(LABELS) for c in counts.values()):
            raise ValueError("unreadable reply model: wrong number of labels")
        return cls(docs, counts, alpha, memory, policy)


def train(
    rows: Iterable[tuple[str, str]],
    *,
    alpha: float = ALPHA,
    memory: Mapping[str, str] | None = None,
    policy: Policy = OFF,
) -> Model:
    """A model of (text, label) rows; rows whose label is not one of LABELS are skipped."""
    docs = [0] * len(LABELS)
    counts: dict[str, list[int]] = {}
    for text, label in rows:
        if label not in LABELS:
            continue
        i = LABELS.index(label)
        docs[i] += 1
        for f in features(text):
            counts.setdefault(f, [0] * len(LABELS))[i] += 1
    return Model(docs, counts, alpha, dict(memory or {}), policy)


def scores(model: Model, text: str) -> list[float]:
    """Each label's probability for `text` (they add up to 1)."""
    if not model.trained:
        return [1 / len(LABELS)] * len(LABELS)
    # Four running sums (LABELS has four labels): the hot loop of a reading.
    yes, no, maybe, other = model._prior
    known = model._logp.get
    for f in features(text):
        value = known(f)
        if value is not None:  # a feature never seen in training tells nothing
            yes += value[0]
            no += value[1]
            maybe += value[2]
            other += value[3]
    logp = [yes, no, maybe, other]
    top = max(logp)
    exp = [math.exp(v - top) for v in logp]
    total = sum(exp)
    return [e / total for e in exp]


def predict(model: Model, text: str) -> tuple[str, float]:
    """The most likely label and its probability; an exact correction answers with 1.0."""
    remembered = model.remembered(text)
    if remembered is not None:
        return remembered, 1.0
    probabilities = scores(model, text)
    best = max(range(len(LABELS)), key=probabilities.__getitem__)
    return LABELS[best], probabilities[best]

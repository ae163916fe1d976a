"""A small multinomial naive Bayes over presence features, trainable one email at a time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any


class NaiveBayes:
    """Multinomial naive Bayes with Laplace smoothing; each feature counted once per document."""

    def __init__(self, labels: Sequence[str], alpha: float = 0.5) -> None:
        self.labels = tuple(labels)
        self.alpha = alpha
        self.doc_counts: dict[str, float] = dict.fromkeys(self.labels, 0.0)
        self.feature_totals: dict[str, float] = dict.fromkeys(self.labels, 0.0)
        self.counts: dict[str, dict[str, float]] = {label: {} for label in self.labels}
        self.vocabulary: set[str] = set()

    @property
    def documents(self) -> float:
        return sum(self.doc_counts.values())

    def learn(self, features: Iterable[str], label: str, weight: float = 1.0) -> None:
        if label not in self.doc_counts:
            return
        table = self.counts[label]
        seen = set(features)
        for feature in seen:
            table[feature] = table.get(feature, 0.0) + weight
        self.vocabulary |= seen
        self.feature_totals[label] += weight * len(seen)
        self.doc_counts[label] += weight

    def log_joint(self, features: Iterable[str]) -> dict[str, float]:
        """log P(label) + sum log P(feature | label), over features seen in training."""
        seen = [f for f in set(features) if f in self.vocabulary]
        size = len(self.vocabulary) + 1
        total_docs = self.documents
        out: dict[str, float] = {}
        for label in self.labels:
            table = self.counts[label]
            denominator = math.log(self.feature_totals[label] + self.alpha * size)
            prior = math.log((self.doc_counts[label] + 1.0) / (total_docs + len(self.labels)))
            score = prior
            for feature in seen:
                score += math.log(table.get(feature, 0.0) + self.alpha) - denominator
            out[label] = score
        return out

    def posteriors(self, features: Sequence[str], temperature: float | None = None) -> dict[str, float]:
        """Softened posterior probabilities (the temperature grows with the number of features)."""
        if self.documents <= 0:
            return {label: 1.0 / len(self.labels) for label in self.labels}
        joint = self.log_joint(features)
        if temperature is None:
            temperature = max(1.0, math.sqrt(max(len(set(features)), 1)) / 2.0)
        top = max(joint.values())
        weights = {label: math.exp((value - top) / temperature) for label, value in joint.items()}
        norm = sum(weights.values())
        return {label: w / norm for label, w in weights.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "alpha": self.alpha,
            "doc_counts": self.doc_counts,
            "feature_totals": self.feature_totals,
            "counts": self.counts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NaiveBayes:
        model = cls(data["labels"], float(data.get("alpha", 0.5)))
        model.doc_counts = {k: float(v) for k, v in data.get("doc_counts", {}).items()}
        model.feature_totals = {k: float(v) for k, v in data.get("feature_totals", {}).items()}
        model.counts = {k: {f: float(c) for f, c in v.items()} for k, v in data.get("counts", {}).items()}
        for label in model.labels:
            model.doc_counts.setdefault(label, 0.0)
            model.feature_totals.setdefault(label, 0.0)
            model.counts.setdefault(label, {})
        model.vocabulary = {f for table in model.counts.values() for f in table}
        return model

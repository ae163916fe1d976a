"""Where the learned reader may override the rules: which readings of the rules it may replace,
and how sure it must be. Chosen by cross-validation (domain.learned.combine.choose_policy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Policy:
    # The rules' intents the model may replace (e.g. {"other"}: only what the rules left aside).
    overridable: frozenset[str]
    # The model's confidence needed to replace them; above 1: never (the model is switched off).
    threshold: float

    @property
    def on(self) -> bool:
        return bool(self.overridable) and self.threshold <= 1.0

    def to_json(self) -> dict[str, Any]:
        return {"overridable": sorted(self.overridable), "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        return cls(frozenset(str(x) for x in data["overridable"]), float(data["threshold"]))


OFF = Policy(frozenset(), 2.0)

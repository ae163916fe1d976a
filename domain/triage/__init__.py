"""Email triage for the shared inbox: which domain (and city) each email belongs to.

Pure logic: rules written from docs/inbox-labels.md, a naive Bayes learner trained on the
labelled history and on every correction, and a combiner that applies the precedence
spam > finance > communication > website > campaign > secretariat.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.triage.cities import CITIES, CITY_ALIASES, canonical_city, find_city
    from domain.triage.cleaning import clean_body, split_body
    from domain.triage.evaluation import EvaluationReport, evaluate, format_report, load_jsonl
    from domain.triage.model import DEFAULT_THRESHOLD, Email, Prediction, Triage
    from domain.triage.rules import LABELS, PRECEDENCE

# Each name is loaded from its module on first use: the rules compile ~0.1 s of regular
# expressions, which a bot that only needs the list of cities should not pay at start.
_HOME = {
    "CITIES": "cities",
    "CITY_ALIASES": "cities",
    "canonical_city": "cities",
    "find_city": "cities",
    "clean_body": "cleaning",
    "split_body": "cleaning",
    "EvaluationReport": "evaluation",
    "evaluate": "evaluation",
    "format_report": "evaluation",
    "load_jsonl": "evaluation",
    "DEFAULT_THRESHOLD": "model",
    "Email": "model",
    "Prediction": "model",
    "Triage": "model",
    "LABELS": "rules",
    "PRECEDENCE": "rules",
}

__all__ = [
    "CITIES",
    "CITY_ALIASES",
    "DEFAULT_THRESHOLD",
    "LABELS",
    "PRECEDENCE",
    "Email",
    "EvaluationReport",
    "Prediction",
    "Triage",
    "canonical_city",
    "clean_body",
    "evaluate",
    "find_city",
    "format_report",
    "load_jsonl",
    "split_body",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"domain.triage.{_HOME[name]}"), name)

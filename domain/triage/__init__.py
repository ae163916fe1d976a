"""Email triage for the shared inbox: which domain (and city) each email belongs to.

Pure logic: rules written from docs/inbox-labels.md, a naive Bayes learner trained on the
labelled history and on every correction, and a combiner that applies the precedence
spam > finance > communication > website > campaign > secretariat.
"""

from domain.triage.cities import CITIES, CITY_ALIASES, canonical_city, find_city
from domain.triage.cleaning import clean_body, split_body
from domain.triage.evaluation import EvaluationReport, evaluate, format_report, load_jsonl
from domain.triage.model import DEFAULT_THRESHOLD, Email, Prediction, Triage
from domain.triage.rules import LABELS, PRECEDENCE

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

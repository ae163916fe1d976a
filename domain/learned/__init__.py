"""A small learned reader of replies to announcements, trained on labelled tables and on the
corrections people made in Telegram (issue 17, "Learning from corrections"). Pure logic, no I/O.

- `features`: what the model sees of a text (words, word pairs, letter groups, signs and emoji);
- `bayes`: a multinomial naive Bayes over those features: `train(rows) -> Model`,
  `predict(model, text) -> (label, confidence)`, `Model.to_json()` / `Model.from_json()`;
- `combine`: how its reading is combined with the rules (docs/reply-conventions.md), and the
  cross-validation that decides where it may override them (`choose_policy`).

The labels are the intents of docs/reply-conventions.md: yes, no, maybe, other.
"""

from __future__ import annotations

from domain.learned.bayes import LABELS, Model, predict, train
from domain.learned.combine import Reading, choose_policy, combine, cross_validate
from domain.learned.features import key_of
from domain.learned.policy import OFF, Policy

__all__ = [
    "LABELS",
    "OFF",
    "Model",
    "Policy",
    "Reading",
    "choose_policy",
    "combine",
    "cross_validate",
    "key_of",
    "predict",
    "train",
]

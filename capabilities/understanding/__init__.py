"""Understanding free text (issue 17): replies to announcements read by the rules, an exact
correction of the same text, and a small learned model where it helps; the corrections people
make with one tap ("Ce n'est pas ça"), and the daily retraining.

- reader.py: `read_reply(services, text, announcement)`: what a reply means;
- corrections.py: remember a reading, check and apply a correction, store inbox reassignments;
- training.py: the daily job (`retrain_due`), training on tables.py and the stored corrections.
"""

from __future__ import annotations

from capabilities.understanding.corrections import (
    CHOICES,
    Denied,
    Fixed,
    check,
    correct,
    note_reassignment,
    reading_of,
    remember,
)
from capabilities.understanding.reader import MODEL_KEY, live_model, read_reply, read_with
from capabilities.understanding.training import Trained, retrain, retrain_due

__all__ = [
    "CHOICES",
    "MODEL_KEY",
    "Denied",
    "Fixed",
    "Trained",
    "check",
    "correct",
    "live_model",
    "note_reassignment",
    "read_reply",
    "read_with",
    "reading_of",
    "remember",
    "retrain",
    "retrain_due",
]

"""What a reading of a reply gives: the intent and, for a task taken, the role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Intent = Literal["yes", "no", "maybe", "other"]

# Telegram allows 4096 characters; a reply to an announcement is a line or two. Reading only the
# start bounds the cost of any call (a typical reply takes about 0.1 ms, a capped one a few ms).
MAX_CHARS = 1000
MAX_CLAUSES = 40


@dataclass(frozen=True, slots=True)
class ReplyIntent:
    intent: Intent
    role: str | None = None

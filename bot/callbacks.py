"""Every button's callback_data, typed: the code that builds a button and the handler that reads it
share one class, its `pack()`, its `pattern()` and its `parse()`.

A format is a frozen dataclass: a PREFIX, then its fields in order, joined by ':'. Field types are
int, str (no ':') and Literal[...] choices; a field may carry a fixed tag written before its value
(`tagged("r")`: `r12`). Telegram allows 64 bytes: `pack()` refuses more. `parse()` returns None for
anything that is not exactly this format (a forged, stale or foreign button), so handlers refuse it.

The wire formats are those of buttons already posted in chats: changing one makes old buttons stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, Self, get_args, get_origin, get_type_hints

MAX_BYTES = 64
FORMATS: list[type[CallbackData]] = []


def tagged(tag: str) -> Any:
    """A field written with a fixed tag before its value (`rsvp:12:r34`)."""
    return field(metadata={"tag": tag})


class CallbackData:
    PREFIX: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        FORMATS.append(cls)

    def pack(self) -> str:
        parts = [self.PREFIX]
        for f in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, f.name)
            text = str(value)
            if ":" in text:
                raise ValueError(f"{type(self).__name__}.{f.name} may not contain ':'")
            parts.append(f.metadata.get("tag", "") + text)
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        return _compiled(cls)

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        match = _compiled(cls).match(data or "")
        if match is None:
            return None
        hints = get_type_hints(cls)
        values = {}
        for f, raw in zip(fields(cls), match.groups(), strict=True):  # type: ignore[arg-type]
            values[f.name] = int(raw) if hints[f.name] is int else raw
        return cls(**values)


def pattern_of(*formats: type[CallbackData]) -> re.Pattern[str]:
    """One pattern for a handler that reads several formats."""
    return re.compile("|".join(f"(?:{f.pattern().pattern})" for f in formats))


_PATTERNS: dict[type[CallbackData], re.Pattern[str]] = {}


def _compiled(cls: type[CallbackData]) -> re.Pattern[str]:
    if cls in _PATTERNS:
        return _PATTERNS[cls]
    hints = get_type_hints(cls)
    parts = [re.escape(cls.PREFIX)]
    for f in fields(cls):  # type: ignore[arg-type]
        kind = hints[f.name]
        if kind is int:
            value = r"(\d{1,18})"
        elif get_origin(kind) is Literal:
            value = "(" + "|".join(re.escape(str(a)) for a in get_args(kind)) + ")"
        elif kind is str:
            value = r"([^:]{1,60})"
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported type {kind!r}")
        parts.append(re.escape(f.metadata.get("tag", "")) + value)
    _PATTERNS[cls] = re.compile("^" + ":".join(parts) + "$")
    return _PATTERNS[cls]


# --- Events and answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RsvpAnswer(CallbackData):
    """An announcement's Je viens / Peut-être / Je ne viens pas."""

    PREFIX = "rsvp"
    event_id: int
    answer: Literal["y", "m", "n"]


@dataclass(frozen=True)
class RsvpRole(CallbackData):
    """An announcement's button for one task (need)."""

    PREFIX = "rsvp"
    event_id: int
    need_id: int = tagged("r")


# --- Recruitment, reminders and attendance ---------------------------------------------------------


# --- Announcements to members (/annonce) -----------------------------------------------------------


# --- People: onboarding, profile, roles ------------------------------------------------------------


# --- Personal data ----------------------------------------------------------------------------------


# --- Inbox --------------------------------------------------------------------------------------------


# --- Donations and memberships ----------------------------------------------------------------------

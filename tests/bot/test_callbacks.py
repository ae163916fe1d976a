"""Every button format round-trips, fits Telegram's 64 bytes at its largest, and refuses forgeries."""

from __future__ import annotations

import itertools
from dataclasses import fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from bot import callbacks
from bot.callbacks import FORMATS, CallbackData, RsvpAnswer, RsvpRole, pattern_of

# The largest values a field can take: database ids and Telegram ids stay far below 10**15.
LARGEST_INT = 10**15 - 1


def _choices(cls: type[CallbackData]) -> list[dict[str, Any]]:
    """Every combination of Literal values, with the longest value for other fields."""
    hints = get_type_hints(cls)
    options: list[list[tuple[str, Any]]] = []
    for f in fields(cls):  # type: ignore[arg-type]
        kind = hints[f.name]
        if kind is int:
            options.append([(f.name, LARGEST_INT), (f.name, 0)])
        elif get_origin(kind) is Literal:
            options.append([(f.name, value) for value in get_args(kind)])
        else:
            assert kind is str, f"{cls.__name__}.{f.name}: unexpected type {kind!r}"
            width = getattr(cls, "MAX_TEXT", {}).get(f.name, 10)
            options.append([(f.name, "x" * width), (f.name, "2026-12-31")])
    return [dict(combo) for combo in itertools.product(*options)]


def _cases() -> list[tuple[type[CallbackData], dict[str, Any]]]:
    return [(cls, values) for cls in FORMATS for values in _choices(cls)]


def test_every_format_is_a_frozen_dataclass_with_a_prefix() -> None:
    assert len(FORMATS) >= 2
    for cls in FORMATS:
        assert cls.PREFIX, cls
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "values"), _cases(), ids=lambda v: getattr(v, "__name__", None) or str(v))
def test_round_trip_and_size(cls: type[CallbackData], values: dict[str, Any]) -> None:
    data = cls(**values).pack()
    assert len(data.encode()) <= callbacks.MAX_BYTES, data
    assert cls.parse(data) == cls(**values)
    assert cls.pattern().match(data)


def test_no_two_formats_read_the_same_data() -> None:
    """A button is read by exactly one format: otherwise two handlers would both claim it."""
    for cls, values in _cases():
        data = cls(**values).pack()
        readers = [other.__name__ for other in FORMATS if other.parse(data) is not None]
        assert readers == [cls.__name__], (data, readers)


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "rsvp",
        "rsvp:",
        "rsvp:12",
        "rsvp:12:y:1",
        "rsvp:x:y",
        "rsvp:12:q",
        "rsvp:-1:y",
        "rsvp:12:r",
        "rsvp:12:rx",
        "RSVP:12:y",
        "rsvp:12:y ",
        " rsvp:12:y",
        "rsvp:1" + "0" * 30 + ":y",
    ],
)
def test_forged_data_is_refused(forged: str) -> None:
    assert RsvpAnswer.parse(forged) is None
    assert RsvpRole.parse(forged) is None
    assert not pattern_of(RsvpAnswer, RsvpRole).match(forged)


def test_pack_refuses_what_would_not_fit_or_not_parse() -> None:
    with pytest.raises(ValueError):
        RsvpRole(10**60, 1).pack()


def test_known_wire_formats_are_kept() -> None:
    """Buttons already posted in chats keep working after an upgrade."""
    assert RsvpAnswer(12, "y").pack() == "rsvp:12:y"
    assert RsvpRole(12, 34).pack() == "rsvp:12:r34"
    assert RsvpRole.parse("rsvp:12:r34") == RsvpRole(12, 34)

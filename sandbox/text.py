"""Plain-text helpers: UTF-16 offsets, Telegram's trimming and auto-detected entities."""

from __future__ import annotations

import re
from typing import Any

# Telegram detects these in every incoming text; bot_command is what PTB's CommandHandler needs.
_COMMAND = re.compile(r"(?<![\w/<>])/([A-Za-z0-9_]{1,64})(@[A-Za-z0-9_]{3,32})?(?![\w/<>@])")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}(?![\w@])")
_URL = re.compile(r"(?<![\w/])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»]")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds by itself to a user's text: bot_command, mention, url, hashtag."""
    found: list[dict[str, Any]] = []
    for kind, pattern in (
        ("bot_command", _COMMAND),
        ("mention", _MENTION),
        ("url", _URL),
        ("hashtag", _HASHTAG),
    ):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                }
            )
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))


def trim(plain: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace as Telegram does, moving entities along."""
    stripped = plain.strip()
    if stripped == plain:
        return plain, entities
    shift = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    size = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(size, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def command_of(text: str, entities: list[dict[str, Any]]) -> tuple[str, str | None] | None:
    """The (command, @target or None) a message starts with, if any."""
    for entity in entities:
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            raw = text[: entity["length"]]  # offset 0: UTF-16 and str indices agree for ASCII commands
            command, _, target = raw[1:].partition("@")
            return command, target or None
    return None

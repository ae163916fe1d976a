"""Emoji and signs in a reply (docs/reply-conventions.md, "Emoji and signs")."""

from __future__ import annotations

import unicodedata

from domain.replies.model import Intent

# --------------------------------------------------------------------------------------------
# Emoji
# --------------------------------------------------------------------------------------------

_YES_EMOJI = {0x1F44D, 0x270B, 0x1F64B}  # 👍 ✋ 🙋
_MAYBE_EMOJI = {0x1F914, 0x1F937}  # 🤔 🤷
_NO_EMOJI = {0x1F44E}  # 👎
_SARCASM_EMOJI = {0x1F644, 0x1F612}  # 🙄 😒: turn a bare "yes" into the refusal it mocks
# Skin tones, zero-width joiner, variation selectors, ♀ ♂, keycap, tags: parts of one emoji.
_MODIFIERS = {
    0x200D,
    0xFE0E,
    0xFE0F,
    0x2640,
    0x2642,
    0x20E3,
    *range(0x1F3FB, 0x1F400),
    *range(0xE0020, 0xE0080),
}


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return 0x1F000 <= cp < 0x1FB00 or (cp >= 0x2190 and unicodedata.category(ch) in ("So", "Sk"))


def split_emoji(text: str) -> tuple[str, list[Intent], bool]:
    """The text without emoji, the answer each emoji gives (in order), and whether one mocks."""
    body: list[str] = []
    answers: list[Intent] = []
    sarcasm = False
    for ch in text:
        cp = ord(ch)
        if cp in _MODIFIERS:
            body.append(" ")
        elif _is_emoji(ch):
            body.append(" ")
            if cp in _YES_EMOJI:
                answers.append("yes")
            elif cp in _MAYBE_EMOJI:
                answers.append("maybe")
            elif cp in _NO_EMOJI:
                answers.append("no")
            else:
                answers.append("other")
                sarcasm = sarcasm or cp in _SARCASM_EMOJI
        else:
            body.append(ch)
    return "".join(body), answers, sarcasm

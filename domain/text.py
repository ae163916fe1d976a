"""Text as people type it: one home for folding (case, accents, punctuation) and for one-line fields.

Three folds, for three kinds of matching:
- `fold`: lower case without accents (names, cities, commands' words);
- `fold_words`: the same, with punctuation, hyphens and apostrophes as single spaces (words in a phrase);
- `fold_ascii`: lower-case ASCII with typographic quotes, dashes and symbols unified (email triage).
Pure logic, no I/O.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


def strip_accents(text: str) -> str:
    """`text` without combining marks (é → e), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    return strip_accents(text.strip().lower())


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = {"œ": "oe", "æ": "ae"}


def fold_words(text: str) -> str:
    """Lower case without accents; hyphens, apostrophes and punctuation become single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    for ligature, plain in _LIGATURES.items():
        text = text.replace(ligature, plain)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


# fmt: off
_TRANSLATE = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "€": " eur ",
        "£": " gbp ",
        "ß": "ss",
        "·": ".",
        "•": " ",
    }
)
# fmt: on
_SPACES = re.compile(r" {2,}")


def fold_ascii(text: str) -> str:
    """Lower-case ASCII form of `text`: accents dropped, typographic quotes and dashes unified."""
    if not text:
        return ""
    text = text.translate(_TRANSLATE)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.lower()


@dataclass(frozen=True)
class TextError:
    """Why a typed value was refused: a text-catalog key and its values."""

    code: str
    params: tuple[tuple[str, object], ...] = ()


def clean_line(text: str, max_len: int) -> str | TextError:
    """One line of 1..max_len characters, white space collapsed."""
    value = " ".join(text.split())
    if not value:
        return TextError("event.empty")
    if len(value) > max_len:
        return TextError("event.too_long", (("length", len(value)), ("max", max_len)))
    return value


class LazyPattern:
    """A regular expression compiled at its first use, not when its module is imported.

    The understanding modules (dates, replies, triage) hold hundreds of module-level patterns: compiling
    them all at import cost tens of milliseconds of the bot's start-up, before any message needs one.
    The first call compiles and puts the compiled pattern's own methods on the instance, so later
    calls go straight to `re` (no extra layer).
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self._flags)
        for name in ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"):
            setattr(self, name, getattr(compiled, name))
        return compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """`re.compile` deferred to the first use (see LazyPattern)."""
    return LazyPattern(pattern, flags)

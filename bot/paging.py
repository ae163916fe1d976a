"""Long answers within Telegram's limit: 4,096 characters of text once the HTML is read.

A listing is a header and lines (each line whole HTML: its tags open and close on it). `pages`
splits it into as many messages as needed, the header on the first; `fit` keeps one message and
ends it with a line saying how many were left out (for a message edited in place, such as /agenda's
views). A single line too long on its own is shortened, as plain text, with an ellipsis.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

LIMIT = 4096  # Telegram: "1-4096 characters after entities parsing" (counted in UTF-16 units)
_TAG = re.compile(r"<[^>]*>")


def shown_length(text: str) -> int:
    """How long Telegram counts `text` (HTML): tags out, entities read, in UTF-16 units."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def shorten(line: str, limit: int = LIMIT) -> str:
    """`line` when it fits, else its plain text cut to fit (with "…"), escaped again."""
    if shown_length(line) <= limit:
        return line
    plain = html.unescape(_TAG.sub("", line))
    while plain and shown_length(html.escape(plain, quote=False)) + 1 > limit:
        # Cut by the excess (at least one character), so even a very long line takes few rounds.
        excess = shown_length(html.escape(plain, quote=False)) + 1 - limit
        plain = plain[: max(0, len(plain) - max(1, excess))]
    return html.escape(plain.rstrip(), quote=False) + "…"


def pages(lines: Sequence[str], header: str = "", limit: int = LIMIT) -> list[str]:
    """The header and the lines in as few messages as fit, lines whole, in order."""
    out: list[str] = []
    current: list[str] = [header] if header else []
    size = shown_length(header) if header else 0
    for raw in lines:
        line = shorten(raw, limit)
        length = shown_length(line)
        needed = length + (1 if current else 0)  # the newline before it
        if current and size + needed > limit:
            out.append("\n".join(current))
            current, size = [line], length
        else:
            current.append(line)
            size += needed
    if current:
        out.append("\n".join(current))
    return out


def fit(lines: Sequence[str], more: Callable[[int], str], header: str = "", limit: int = LIMIT) -> str:
    """One message: the header and as many lines as fit, then `more(n)` when n lines were left out."""
    start = [header] if header else []
    whole = [shorten(line, limit // 2) for line in lines]
    text = "\n".join(start + whole)
    if shown_length(text) <= limit:
        return text
    kept = list(start)
    size = shown_length(header) if header else 0
    for i, line in enumerate(whole):
        needed = shown_length(line) + (1 if kept else 0)
        note = shown_length(more(len(whole) - i - 1)) + 1
        if size + needed + note > limit:
            break
        kept.append(line)
        size += needed
    return "\n".join([*kept, more(len(whole) - (len(kept) - len(start)))])

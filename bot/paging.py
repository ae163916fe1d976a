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
from dataclasses import dataclass
from typing import TypeVar

from bot.texts import t

LIMIT = 4096  # Telegram: "1-4096 characters after entities parsing" (counted in UTF-16 units)
_TAG = re.compile(r"<[^>]*>")
T = TypeVar("T")


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


# --- Paged lists: one message edited in place by ◀ Précédent / Suivant ▶ ---------------------------
# Every list the bot shows (/agenda, /besoins, /mes_evenements, /courriels, /dons, /adherents,
# /villes) is one message: a header, the lines of one page, a footer saying what is not shown
# ("Page 2 sur 5 · et 40 autres"), the buttons of the page and a row to move between pages. The
# page number and the filters travel in the buttons (typed formats in bot/callbacks.py); a page
# number out of range, stale or forged, is clamped to the pages that exist.

PAGE_SIZE = 10

Button = tuple[str, str]


@dataclass(frozen=True)
class Window:
    """Which items of a list one page shows: `start` to `stop` of `total`, page `page` of `pages`
    (both counted from 0 and 1 respectively: `page` is 0-based)."""

    page: int
    pages: int
    start: int
    stop: int
    total: int

    @property
    def shown(self) -> int:
        return self.stop - self.start

    @property
    def others(self) -> int:
        """How many items this page does not show (before it and after it)."""
        return self.total - self.shown

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page < self.pages - 1

    def slice(self, items: Sequence[T]) -> list[T]:
        return list(items[self.start : self.stop])


def window(total: int, page: int, size: int = PAGE_SIZE) -> Window:
    """The page `page` of a list of `total` items, clamped to the pages that exist (a forged or
    stale number shows the nearest page, never an error or an empty page of a non-empty list)."""
    size = max(1, size)
    pages = max(1, -(-max(0, total) // size))
    page = min(max(page, 0), pages - 1)
    start = page * size
    return Window(page, pages, start, min(total, start + size), max(0, total))


def footer(lang: str, win: Window) -> str:
    """« Page 2 sur 5 · et 40 autres » when something is not shown; "" when all is."""
    if win.others <= 0:
        return ""
    return t(lang, "paging.footer", page=win.page + 1, pages=win.pages, others=win.others)


def page_message(header: str, lines: Sequence[str], foot: str = "", limit: int = LIMIT) -> str:
    """The header, the page's lines and the footer in one message within `limit`: each line gets
    its share of the room (a longer one is shortened, never dropped)."""
    fixed = [part for part in (header, foot) if part]
    room = limit - sum(shown_length(p) for p in fixed) - len(fixed) - len(lines) - 2
    share = max(20, room // max(1, len(lines)))
    body = [shorten(line, share) for line in lines]
    parts = ([header] if header else []) + body + ([foot] if foot else [])
    return "\n".join(parts)


def nav_row(lang: str, win: Window, make: Callable[[int], str]) -> list[Button]:
    """« ◀ Précédent » and « Suivant ▶ » (those that lead somewhere): `make(page)` packs the
    button of that page, filters included."""
    row: list[Button] = []
    if win.has_prev:
        row.append((t(lang, "btn.page_prev"), make(win.page - 1)))
    if win.has_next:
        row.append((t(lang, "btn.page_next"), make(win.page + 1)))
    return row

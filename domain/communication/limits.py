"""Text length rules of each channel, and cutting a text to fit (pure functions).

How each platform counts, as far as its documentation and source tell:

- X: twitter-text v3 "weighted length", max 280. Code points in the Latin, Greek, Cyrillic...
  ranges (U+0000-U+10FF and three punctuation ranges) weigh 1, every other code point 2 (CJK,
  most symbols, "…" included), an emoji (a whole ZWJ or skin-tone sequence) 2, and a URL 23
  whatever its length (t.co). URL detection here approximates twitter-text's: scheme URLs,
  ``www.`` and bare domains on common TLDs.
- Bluesky: 300 graphemes (extended grapheme clusters, UAX #29, via ``regex``'s ``\\X``) and
  3000 UTF-8 bytes; links are counted in full.
- Mastodon: 500 by default (an instance setting: pass ``max_length``), counted in graphemes
  after each ``http(s)://`` URL is replaced by 23 characters and ``@user@domain`` by ``@user``.
- Telegram: 4096, or 1024 for a media caption, counted in UTF-16 code units (the unit of
  Telegram's offsets; a safe upper bound of its own count).
- Facebook: 63206 characters (code points).
- WordPress: no limit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

ELLIPSIS = "…"

X_MAX = 280
X_URL_LENGTH = 23
BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000
MASTODON_DEFAULT_MAX = 500
MASTODON_URL_LENGTH = 23
TELEGRAM_MAX = 4096
TELEGRAM_CAPTION_MAX = 1024
FACEBOOK_MAX = 63206

CHANNELS = ("x", "bluesky", "mastodon", "telegram", "facebook", "wordpress")

# How many images one post takes (the adapters refuse more): X, Bluesky and Mastodon 4, a Telegram
# album 10; Facebook takes many, WordPress every one (the first featured, the rest in the body).
MAX_IMAGES: dict[str, int] = {"x": 4, "bluesky": 4, "mastodon": 4, "telegram": 10}


def max_images(channel: str) -> int | None:
    """The number of images `channel` takes in one post (None: no limit)."""
    return MAX_IMAGES.get(channel)


# twitter-text v3 ranges of weight 1 (scale 100); everything else weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_TLDS = (
    "com|org|net|fr|eu|info|io|be|ch|de|uk|es|it|co|me|app|dev|ly|tv|xyz|online|site|bzh|paris|"
    "corsica|re|lu|ca|social|blog|news|media|tech"
)
# Scheme URLs; www. URLs; bare domains on common TLDs. A URL ends before whitespace and
# before trailing punctuation (twitter-text and Mastodon both leave ".", ",", ")" out).
_URL = regex.compile(
    r"(?<![\w@/.-])(?:https?://[^\s<>\"]+|www\.[^\s<>\"]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    rf"(?:{_TLDS})(?![\w-])(?:/[^\s<>\"]*)?)",
    regex.IGNORECASE,
)
_URL_TRAILING = regex.compile(r"[.,;:!?'»…)\]}]+$")
_SCHEME_URL = regex.compile(r"(?<![\w/])https?://[^\s<>\"]+", regex.IGNORECASE)
_MENTION = regex.compile(r"(?<![\w@])(@[a-z0-9_]+)@[a-z0-9.-]+\.[a-z]{2,}", regex.IGNORECASE)
_GRAPHEME = regex.compile(r"\X")
_EMOJI_MARK = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}|\u20E3")
_CUT_TRAILING = regex.compile(r"[\s,;:\-–—(\[«\"']+$")


def graphemes(text: str) -> list[str]:
    """User-perceived characters: a ZWJ family, a flag or a skin-toned thumb is one."""
    return list(_GRAPHEME.findall(text))


def grapheme_count(text: str) -> int:
    return len(graphemes(text))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def url_spans(text: str, *, scheme_only: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each URL in ``text``, trailing punctuation excluded."""
    pattern = _SCHEME_URL if scheme_only else _URL
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        trailing = _URL_TRAILING.search(match.group(0))
        end = match.end() - (len(trailing.group(0)) if trailing else 0)
        # Keep a closing parenthesis that closes one opened inside the URL (Wikipedia links).
        while end < match.end() and text[end] == ")" and _unbalanced(text[match.start() : end]):
            end += 1
        if end > match.start():
            spans.append((match.start(), end))
    return spans


def _unbalanced(url: str) -> bool:
    return url.count("(") > url.count(")")


def _is_emoji(cluster: str) -> bool:
    return bool(_EMOJI_MARK.search(cluster))


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT_RANGES) else 2


def x_length(text: str) -> int:
    """twitter-text's weighted length (URLs 23, emoji 2, CJK 2, Latin 1)."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for start, end in [*url_spans(text), (len(text), len(text))]:
        for cluster in _GRAPHEME.findall(text[position:start]):
            total += 2 if _is_emoji(cluster) else sum(_x_code_point_weight(c) for c in cluster)
        if end > start:
            total += X_URL_LENGTH
        position = end
    return total


def mastodon_length(text: str) -> int:
    """Mastodon's StatusLengthValidator: scheme URLs count 23, remote mentions their user part."""
    parts: list[str] = []
    position = 0
    for start, end in url_spans(text, scheme_only=True):
        parts += [text[position:start], "x" * MASTODON_URL_LENGTH]
        position = end
    parts.append(text[position:])
    return grapheme_count(_MENTION.sub(lambda m: m.group(1), "".join(parts)))


def bluesky_length(text: str) -> int:
    return grapheme_count(text)


def length(channel: str, text: str) -> int:
    """The length of ``text`` as ``channel`` counts it."""
    counter = _COUNTERS.get(channel)
    if counter is None:
        raise ValueError(f"unknown channel {channel!r}")
    return counter(text)


def limit(channel: str, has_media: bool = False) -> int | None:
    """The channel's maximum (``None``: no limit)."""
    if channel == "telegram":
        return TELEGRAM_CAPTION_MAX if has_media else TELEGRAM_MAX
    if channel not in _COUNTERS:
        raise ValueError(f"unknown channel {channel!r}")
    return _LIMITS[channel]


def fits(channel: str, text: str, has_media: bool = False, *, max_length: int | None = None) -> bool:
    maximum = max_length if max_length is not None else limit(channel, has_media)
    if maximum is not None and length(channel, text) > maximum:
        return False
    return not (channel == "bluesky" and len(text.encode("utf-8")) > BLUESKY_MAX_BYTES)


def fit(
    channel: str, text: str, has_media: bool = False, *, max_length: int | None = None
) -> tuple[str, bool]:
    """``(text, False)`` when it fits, else the longest word-boundary cut ending in "…" and ``True``.

    URLs are never split (the cut falls before a URL that does not fit); trailing spaces and
    punctuation before the "…" are dropped. A text with no usable word boundary (a single long
    word) is cut between graphemes, never inside one (an emoji stays whole).
    """
    if fits(channel, text, has_media, max_length=max_length):
        return text, False

    def ok(candidate: str) -> bool:
        return fits(channel, candidate, has_media, max_length=max_length)

    def ending(prefix: str) -> str:
        return _CUT_TRAILING.sub("", prefix) + ELLIPSIS

    boundaries = [m.start() for m in regex.finditer(r"(?<=\S)\s", text)]
    best = _last_true(boundaries, lambda i: ok(ending(text[:i])))
    if best is not None and _CUT_TRAILING.sub("", text[:best]):
        return ending(text[:best]), True
    clusters = graphemes(text)
    ends = list(range(1, len(clusters) + 1))
    best = _last_true(ends, lambda n: ok("".join(clusters[:n]) + ELLIPSIS))
    return ("".join(clusters[:best]) if best else "") + ELLIPSIS, True


def _last_true(items: list[int], predicate: Callable[[int], bool]) -> int | None:
    """The last item for which ``predicate`` holds, assuming it holds on a prefix of ``items``."""
    lo, hi, found = 0, len(items) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if predicate(items[mid]):
            found, lo = items[mid], mid + 1
        else:
            hi = mid - 1
    return found


_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": x_length,
    "bluesky": bluesky_length,
    "mastodon": mastodon_length,
    "telegram": utf16_len,
    "facebook": len,
    "wordpress": len,
}
_LIMITS: dict[str, int | None] = {
    "x": X_MAX,
    "bluesky": BLUESKY_MAX_GRAPHEMES,
    "mastodon": MASTODON_DEFAULT_MAX,
    "telegram": TELEGRAM_MAX,
    "facebook": FACEBOOK_MAX,
    "wordpress": None,
}

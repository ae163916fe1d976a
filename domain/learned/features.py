"""What the learned reader sees of a reply: folded words (no case, no accents), pairs of words,
groups of 3 to 5 letters (typos and glued words still share most of them), and the signs that
carry meaning in a reply (? ! + -) and emoji, skin tones and joiners dropped."""

from __future__ import annotations

import re
import unicodedata

# A reply is a line or two; longer texts are read from their start (domain.replies does the same).
MAX_CHARS = 1000
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
# Skin tones, zero-width joiner, variation selectors: 👍🏽 is 👍.
_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\u200d\ufe0e\ufe0f]")
_TOKENS = re.compile(r"[a-z0-9]+|[?!+\-]|[^\w\s,.;:'\"()\[\]{}/\\*_~<>=|#&@%^$]")
_NGRAMS = (3, 4, 5)


def tokens(text: str) -> list[str]:
    """The words and meaningful signs of `text`, folded: "J'Y serai !" → ["j", "y", "serai", "!"]."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold().translate(_APOSTROPHES)
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _TOKENS.findall(_MODIFIERS.sub("", text))


def key_of(text: str) -> str:
    """The form under which a corrected text is remembered: the same words and signs, whatever the
    case, accents, spacing, exclamation and plain punctuation ("Je viens !" and "je  viens" share a
    key; a question mark stays: "je viens ?" asks)."""
    return " ".join(w for w in tokens(text) if w != "!")


def features(text: str) -> set[str]:
    """The features present in `text` (presence, not counts: replies are short)."""
    words = tokens(text)
    out = {f"w:{w}" for w in words}
    out.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    if words:
        out.add(f"f:{words[0]}")  # the first word often decides ("pas", "si", "oui")
    else:
        out.add("e:empty")
    joined = f" {' '.join(w for w in words if w.isalnum())} "
    for n in _NGRAMS:
        out.update(f"c:{joined[i : i + n]}" for i in range(len(joined) - n + 1))
    return out

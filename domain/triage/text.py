"""Text helpers shared by the triage modules: accent folding, tokens, caps on work."""

from __future__ import annotations

from domain.text import lazy_compile

# Hard caps so that a 1 MB body costs no more than a normal email.
MAX_RAW_CHARS = 60_000
MAX_CLASSIFY_CHARS = 6_000

_TOKEN_RE = lazy_compile(r"[a-z0-9]+")
_DIGITS_RE = lazy_compile(r"^\d+$")

_STOPWORDS_TEXT = """
    a au aux avec ce ces cet cette d de des du elle elles en et eux il ils je j l la le les leur
    leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa
    se ses si son sur t ta te tes toi ton tu un une vos votre vous y c est ete etre ai as avons
    avez ont suis es sommes etes sont ca cela ceci comme tout tous toute toutes tres plus bien
    aussi alors donc or ni car dans chez sans sous vers entre the and of to in for is are be on
    at it this that with you your we our i my me as by an or from
    bonjour hello salut merci madame monsieur coucou bonsoir hi dear
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def tokens(folded: str, limit: int = 1500) -> list[str]:
    """Word tokens of an already folded text, without stop words; numbers collapsed."""
    out: list[str] = []
    for match in _TOKEN_RE.finditer(folded):
        word = match.group()
        if word in STOPWORDS:
            continue
        if _DIGITS_RE.match(word):
            word = "#num"
        elif len(word) < 2:
            continue
        elif len(word) > 4 and word.endswith(("s", "x")):
            word = word[:-1]
        out.append(word)
        if len(out) >= limit:
            break
    return out


def word_features(folded: str) -> list[str]:
    """Unigrams and bigrams for the statistical learner."""
    toks = tokens(folded)
    feats = list(toks)
    feats.extend(f"{a}_{b}" for a, b in zip(toks, toks[1:], strict=False))
    return feats

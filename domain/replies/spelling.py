"""Typos and glued words in a reply (docs/reply-conventions.md: the sender's words, however typed).

Three repairs, on normalised tokens (lower case, no accents), each conservative:
- a "j" glued to its verb: "jtiendrai" → "je tiendrai", "jarrive" → "je arrive", "jysuis" → "je y
  suis" (no French word starts with "j" and a consonant; before a vowel, only known verbs);
- glued answer words: "okpourmoi" → "ok pour moi" (split only into known short words, one of
  them an answer word, never a negation before a verb: "passerai" stays whole);
- one typo in a known answer word of five letters or more ("dipso", "desloe", "imposible",
  "disponnible"): one letter swapped with its neighbour, missing or doubled, or, in a word of
  seven letters or more, one letter wrong (see `_one_typo`). Never at the end of the word (so "vient" stays "vient",
  not "viens"), never when two known words are that close, never for a word known as it is.
"""

from __future__ import annotations

from functools import lru_cache


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words the lexicons read; a token one typo away from one of them is read as it.
_TARGETS = _word_set(
    """
    dispo disponible disponibles indispo indisponible present presente partant partante desole desolee
    malheureusement impossible possible peutetre probablement normalement surement certainement
    evidemment carrement volontiers absolument empeche empechee empechement viendrai viendrais
    pourrai pourrais participe participerai inscris desinscris desiste malade vacances deplacement
    travaille boulot occupe occupee absent absente complique motive motivee daccord plaisir confirme
    confirmerai essayer essaierai hesite finalement samedi dimanche vendredi mercredi demain matinee
    tracts tracter tractage affiches coller collage photos boitage logistique ramener ramene apporte
    apporter graphisme visuel reseaux redaction caisse assesseur installer prochaine semaine weekend
    venir passer passerai rejoins rejoindrai arriver arriverai retard toujours encore quelque tiendrai
    tenir distribue distribuer astreinte famille parents mariage anniversaire courage pourquoi
    combien comment question stand proposition possible indisponibles compliquee empeches viens
    serai serais venir viendra
    """
)
# Known words one typo away from a target: never "corrected".
_KNOWN = _word_set(
    """
    balade salade pommes photo porte porter portes sorte morte forte parent serait serais seras sera
    vient vienne viennent tient tiennent tiens liens passe passes passee casser lasser masser tasser
    compte comte rendu vendu quant quelle quelles encre ramenee apportee absents presents partants
    collier colles coller colle retards regard astreintes familles parent mariages venin tenir
    demains semaines confirmee confirmes hesitent participe participes participent passera passeras
    courages questions photos tracte tractes stands caisses visuels affiche proposer casse cause
    passes viendra viendras pourra pourras venin vener regard retards cuisse absence presence absences
    presences accord conforme conformes reaction reactions domain college partent portant
    """
)

# "j" glued to a verb that starts with a vowel: only these.
_J_VOWEL = _word_set(
    """
    ai aurai avais etais arrive arriverai amene amenerai apporte apporterai irai essaie essaierai
    espere hesite aide aiderai adore aime annule accompagne attends organise imprime envoie enverrai
    ecris ecrirai emmene installe offre en y
    """
)
_JY_VERBS = _word_set("suis serai serais vais passe passerai irai arrive etais vois")

# Short words a glued token may be split into, and the answer words one of the pieces must be.
_PIECES = _word_set(
    """
    ok pour moi je suis serai la pas dispo bon oui non dac go top vais viens peux samedi dimanche demain
    aussi present partant merci sans avec plaisir toi nous vous ca marche va de le les un une et mais en
    ce est cest jy jsuis plus peu pa chui chuis jsui jviens jvais jpeux jpe jserai
    """
)
_ANCHORS = _word_set(
    "ok moi suis serai dispo oui non dac viens peux present partant go chui jviens jpeux jsuis"
)
_VOWELS = frozenset("aeiouy")
_NEGATIONS = _word_set("pas pa plus")
_VERBS = _word_set("suis serai vais viens peux peu est va chui jsuis jviens jvais jpeux jserai")
_BEFORE_NO_VERB = _NEGATIONS | _word_set("de le la les un une des du")


def unglue_j(word: str) -> str | None:
    """'jtiendrai' → 'je tiendrai'; None when the word is not a glued 'j'."""
    if len(word) < 3 or word[0] != "j":
        return None
    rest = word[1:]
    if rest[0] not in _VOWELS and rest[0].isalpha() and len(rest) >= 3 and rest.isalpha():
        return "je " + rest
    if rest in _J_VOWEL and len(rest) >= 3:
        return "je " + rest
    if rest.startswith("y") and rest[1:] in _JY_VERBS:
        return "je y " + rest[1:]
    return None


def split_glued(word: str) -> str | None:
    """'okpourmoi' → 'ok pour moi' when every piece is a known short word; else None."""
    if len(word) < 5 or not word.isalpha():
        return None
    return _split(word)


@lru_cache(maxsize=4096)
def _split(word: str) -> str | None:
    best: list[str] | None = None
    stack: list[tuple[int, list[str]]] = [(0, [])]
    while stack:
        at, pieces = stack.pop()
        if at == len(word):
            if (
                len(pieces) >= 2
                and (
                    any(p in _ANCHORS for p in pieces)
                    or any(a in _VERBS and b in _NEGATIONS for a, b in zip(pieces, pieces[1:], strict=False))
                )
                and (best is None or len(pieces) < len(best))
            ):
                best = pieces
            continue
        if len(pieces) >= 4:
            continue
        for end in range(at + 2, min(len(word), at + 8) + 1):
            piece = word[at:end]
            if piece in _PIECES:
                stack.append((end, [*pieces, piece]))
    if best is None or any(
        a in _BEFORE_NO_VERB and b in _VERBS for a, b in zip(best, best[1:], strict=False)
    ):
        return (
            None  # "passerai" is not "pas serai", "deviens" not "de viens": nothing of the kind before a verb
        )
    return " ".join(best)


def _one_typo(word: str, target: str) -> bool:
    """Whether `word` is `target` with one human typo: two neighbours swapped (five letters or
    more), a letter missing, doubled or stray, or one letter wrong (six or more).

    The end of the word is kept (it carries person and number: "vient", "viens")."""
    n, m = len(target), len(word)
    if m == n:
        diff = [i for i in range(n) if word[i] != target[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]]
        return len(diff) == 1 and n >= 6 and 0 < diff[0] < n - 1 and _near(word[diff[0]], target[diff[0]])
    if m == n - 1 and m >= 6:  # a letter missing, neither the first nor the last one
        return any(word == target[:i] + target[i + 1 :] for i in range(1, n - 1))
    if m == n + 1 and m >= 6:  # a letter too many, neither first nor last
        return any(word[:i] + word[i + 1 :] == target for i in range(1, m - 1))
    return False


def _keyboard_neighbours() -> dict[str, set[str]]:
    near: dict[str, set[str]] = {}
    for rows in (("azertyuiop", "qsdfghjklm", "wxcvbn"), ("qwertyuiop", "asdfghjkl", "zxcvbnm")):
        for r, row in enumerate(rows):
            for i, key in enumerate(row):
                keys = near.setdefault(key, set())
                for other_row in rows[max(0, r - 1) : r + 2]:
                    keys.update(other_row[max(0, i - 1) : i + 2])
    return near


_NEAR = _keyboard_neighbours()


def _near(typed: str, meant: str) -> bool:
    """A wrong letter people type: a key next to the right one (AZERTY or QWERTY)."""
    return typed in _NEAR.get(meant, set())


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=1)
def _typo_index() -> dict[str, tuple[str, ...]]:
    """Each target and each target less one letter → the targets (symmetric deletes)."""
    index: dict[str, list[str]] = {}
    for target in _TARGETS:
        for key in {target} | _deletes(target):
            index.setdefault(key, []).append(target)
    return {key: tuple(targets) for key, targets in index.items()}


@lru_cache(maxsize=2048)
def correct_typo(word: str) -> str | None:
    """The known word a misspelt token stands for, or None."""
    if len(word) < 5 or word in _TARGETS or word in _KNOWN or not word.isalpha():
        return None
    index = _typo_index()
    candidates = {t for key in {word} | _deletes(word) for t in index.get(key, ())}
    found = [t for t in candidates if _one_typo(word, t)]
    return found[0] if len(found) == 1 else None

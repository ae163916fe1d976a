"""Normalising a reply: lower case, no accents, elisions expanded, SMS forms rewritten."""

from __future__ import annotations

import re
import unicodedata

from domain.replies.english import english_to_french
from domain.replies.spelling import correct_typo, split_glued, unglue_j
from domain.text import LazyPattern, lazy_compile

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "#": " "})

# One token → its plain form. SMS spellings, contractions, and the gender/plural forms of the
# answer words so that the lexicons list each word once. (forms, plain form)
_TOKEN_FORMS: tuple[tuple[str, str], ...] = (
    ("jsuis jsui jss chui chuis shui jsuit chu", "je suis"),
    ("jpeux jpeu jpe jpx", "je peux"),
    ("jpourrai jpourrais jpourai jpourais", "je pourrai"),
    ("jvais jvai jve jv", "je vais"),
    ("jviens jvien", "je viens"),
    ("jviendrai jviendrais", "je viendrai"),
    ("jserai jserais jsrai jsre jsere", "je serai"),
    ("sere", "serai"),
    ("jsp chepa chepas chaispas jsaispas jsaipa", "je sais pas"),
    ("jsais jsai jse chais chai che", "je sais"),
    ("jpense", "je pense"),
    ("jcrois", "je crois"),
    ("jbosse", "je bosse"),
    ("jtaf jtaffe", "je taffe"),
    ("jtravaille", "je travaille"),
    ("jdois jdoi", "je dois"),
    ("jdevrais", "je devrais"),
    ("jveux jveu", "je veux"),
    ("jramene", "je ramene"),
    ("jprends jpren", "je prends"),
    ("jpasse", "je passe"),
    ("jfais jfai", "je fais"),
    ("jme", "je me"),
    ("jte", "je te"),
    ("jvous", "je vous"),
    ("jy", "je y"),
    ("jen", "je en"),
    ("jai g", "je ai"),
    ("jarrive", "je arrive"),
    ("jirai", "je irai"),
    ("jamene", "je amene"),
    ("japporte", "je apporte"),
    ("jessaie jessaye jessai", "je essaie"),
    ("jhesite", "je hesite"),
    ("jespere", "je espere"),
    ("jmoccupe", "je me occupe"),
    ("moccupe", "me occupe"),
    ("jconfirme", "je confirme"),
    ("jparticipe", "je participe"),
    ("dsl dsle desolee desoles desolees sorry sry", "desole"),
    ("pk pq pkoi pourkoi", "pourquoi"),
    ("koi", "quoi"),
    ("ki", "qui"),
    ("ke", "que"),
    ("kan qd", "quand"),
    ("pa", "pas"),
    ("pr", "pour"),
    ("ds", "dans"),
    ("vs", "vous"),
    ("ns", "nous"),
    ("tt", "tout"),
    ("tjrs tjs", "toujours"),
    ("bcp", "beaucoup"),
    ("qqn qqun kelkun quelquun", "quelquun"),
    ("qqch qqc", "quelque chose"),
    ("auj ajd", "aujourdhui"),
    ("ya", "il y a"),
    ("yaura", "il y aura"),
    ("tkt", "te inquiete"),
    ("mtn mnt", "maintenant"),
    ("dac dacc dak daccord dacord", "daccord"),
    ("oki okay okk oke okey kk k okok", "ok"),
    ("ouais ouai oue ouep ouaip wai wais waip yep yes yess yup oe", "oui"),
    ("nan nn nop nope no nah niet", "non"),
    ("ptet ptetre peutetre ptt petetre", "peutetre"),
    ("biensur", "biensur"),
    ("dispos disponible disponibles", "dispo"),
    ("indisponible indispos indisponibles", "indispo"),
    ("presente presents presentes", "present"),
    ("partante partants partantes", "partant"),
    ("motivee motives motivees", "motive"),
    ("chaude chauds chaudes", "chaud"),
    ("inscrite inscrits inscrites", "inscrit"),
    ("arrivee arrives arrivees", "arrive"),
    ("carement karrement", "carrement"),
    ("lol mdr mdrr ptdr xd haha hahaha hihi lmao", "lol"),
    ("mrc mci thx", "merci"),
    ("cc slt bjr coucou hello hey yo bonsoir bonjour", "salut"),
    ("c", "ce est"),
    ("cbon cbn", "ce est bon"),
    ("cest", "ce est"),
    ("cok", "ce est ok"),
    ("ct", "ce etait"),
    ("jvi1 jvien1", "je viens"),
    ("vi1 vien1", "viens"),
    ("bi1", "bien"),
    ("ri1", "rien"),
    ("2main 2m1 dem1", "demain"),
    ("oqp ocupe", "occupe"),
    ("tps", "temps"),
    ("ac avc", "avec"),
    ("stan stnd", "stand"),
    ("psk pcq pck paske", "parce que"),
    ("ossi oci", "aussi"),
    ("tjr", "toujours"),
    ("pti ptit", "petit"),
    ("svp stp", "svp"),
    ("absant absante absants", "absent"),
    ("presant presante", "present"),
)
_TOKENS: dict[str, str] = {form: plain for forms, plain in _TOKEN_FORMS for form in forms.split()}

# Multi-word rewrites, applied after the token ones.
_PHRASES: tuple[tuple[LazyPattern, str], ...] = tuple(
    (lazy_compile(pattern), plain)
    for pattern, plain in (
        (r"\b(?:peut etre|pt etre|p e)\b", "peutetre"),
        (r"\bbien sure?\b", "biensur"),
        (r"\bsa (?=marche|roule|me va|me dit|depend)", "ca "),
        (r"\bde accord\b", "daccord"),
        (r"\b(non|oui)(?: \1)+\b", r"\1"),
        (r"\b(?:pas|sans|aucun) (?:de )?(?:soucis?|problemes?|pb|pbm|probleme)\b", "passouci"),
        (r"\bquelque un\b", "quelquun"),
        (r"\blet s go\b|\blets go\b", "go"),
        # "je vai", "je vien": SMS verb endings once the subject is spelled out
        (r"\bje (vai|ve|vas)\b", "je vais"),
        (r"\bje (?:peu|peut|peus)\b", "je peux"),
        (r"\bje (?:veu|veut|veus)\b", "je veux"),
        (r"\bje (vien|sai|sui|fai|doi|croi|voi)\b", r"je \1s"),
        (r"\bje pren\b", "je prends"),
        (r"\bch (?=(?:suis|serai|sais|peux|viens|vais)\b)", "je "),  # "ch suis là": "j'suis" as it sounds
        (r"\bje pourr?ais?\b", "je pourrai"),
        (r"^(?:et )?moi ?, ?(?=(?:le|la|les|du|des|pour)\b)", "moi "),  # "moi, le porte-à-porte"
        # "les affiches, c'est pour moi", "la table, je m'en charge": the task and its taker together
        (
            r"^((?:le|la|les|du|des) [a-z ]+), (?=(?:ce est|ca est) (?:pour )?moi\b|je (?:me )?en (?:occupe|charge)\b)",
            r"\1 ",
        ),
        (r"\bne\b ?", ""),  # "je ne peux pas" → "je peux pas": informal French drops it anyway
    )
)


# A first-person verb at the start of a clause, its "je" dropped as in SMS: "peux pas", "suis dispo".
_SUBJECTLESS = lazy_compile(
    r"(^|[,.!?;…\n] *|\b(?:mais|et|dsl|desole|non|ah|bon|ben|bah|oui|alors|donc|finalement|enfin|ok|perso"
    r"|lol) )(peux|pourrai|suis|serai|viens|viendrai|vais|sais|crois|pense|dois|bosse|travaille|taffe"
    r"|prends|ramene|fais|tiens|tiendrai|ferai|participe|confirme|serais|passerai)\b"
)


def _rewrite_token(match: re.Match[str]) -> str:
    word = match.group()
    plain = _TOKENS.get(word)
    if plain is not None:
        return plain
    return _repair(word, 2)


def _repair(word: str, depth: int) -> str:
    """A token as its plain words: SMS forms, a glued "j", glued words, one typo.

    Glued pieces are repaired again ("jpeuxpas" → "je" + "peuxpas" → "je peux pas")."""
    plain = _TOKENS.get(word)
    if plain is not None:
        return plain
    if depth == 0:
        return word
    repaired = unglue_j(word) or split_glued(word) or correct_typo(word)
    if repaired is None:
        return word
    return " ".join(_repair(part, depth - 1) for part in repaired.split())


def normalize(body: str) -> str:
    text = unicodedata.normalize("NFKC", body).casefold().translate(_APOSTROPHES)
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = english_to_french(text)
    # "+1" / "-1" become words before hyphens turn into spaces.
    text = re.sub(r"(?<![\w+])\+ ?\d{1,2}(?!\d)", " plusun ", text)
    text = re.sub(r"(?<![\w-])- ?1(?![\d,.])", " moinsun ", text)
    text = text.replace("aujourd'hui", "aujourdhui").replace("%", " pourcent ")
    text = re.sub(r"\bs'(?=ils?\b)", "si ", text)
    text = re.sub(r"\b(j|l|m|t|s|d|n|c|qu|jusqu|lorsqu|puisqu|quelqu|presqu)' *", r"\1e ", text)
    text = text.replace("'", "")
    text = re.sub(r"\.{2,}", "…", text)
    text = re.sub(r"[^\w.,!?;…\n]|_", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "ouiiii", "nooon", "carrrément"
    text = re.sub(r"[a-z0-9]+", _rewrite_token, text)
    for pattern, plain in _PHRASES:
        text = pattern.sub(plain, text)
    text = _SUBJECTLESS.sub(r"\1je \2", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()

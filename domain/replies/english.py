"""English replies, read by turning them into the plain French the lexicons know.

docs/reply-conventions.md reads the sender's intent whatever the language: "I'll be there" is "je
serai là", "can't make it" is "je peux pas venir". Rather than a second set of rules, an English
reply is rewritten into normalised French (lower case, no accents, no apostrophes) and read by the
same rules: clauses, negations, conditions and roles work as they do in French.

Input: lower-case text without accents, apostrophes unified to "'" (before the French elisions are
expanded). Contractions are always expanded (they are English only); the rest only when the text
has at least one English-only word, so that French words ("on", "me", "in", "but") are left alone.
"""

from __future__ import annotations

import re

from domain.text import LazyPattern, lazy_compile


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Contractions: English whatever the rest of the text is.
_CONTRACTIONS: tuple[tuple[LazyPattern, str], ...] = tuple(
    (lazy_compile(pattern), plain)
    for pattern, plain in (
        (r"\b(?:can'?t|cannot)\b", "can not"),
        (r"\bwon'?t\b", "will not"),
        (r"\bain'?t\b", "am not"),
        (r"\b(do|does|did|could|would|should|is|are|was|were|have|has|had|must|need)n'?t\b", r"\1 not"),
        (r"\bi'?m\b", "i am"),
        (r"\b(i|you|we|they|he|she|it|that|there)'ll\b", r"\1 will"),
        (r"\b(you|we|they)'re\b", r"\1 are"),
        (r"\b(i|you|we|they)'ve\b", r"\1 have"),
        (r"\b(i|you|we|they)'d\b", r"\1 would"),
        (r"\blet'?s\b", "let us"),
        (r"\b(it|that|there|what|where|who|he|she|here)'s\b", r"\1 is"),
    )
)
# Without their apostrophe, only in an English text ("ill" is "I'll" there, "dont" French elsewhere).
_BARE_CONTRACTIONS = {
    "ill": "i will",
    "dont": "do not",
    "wont": "will not",
    "cant": "can not",
    "id": "i would",
}

# Words that are English and not French: one of them makes the text English.
_ENGLISH_ONLY = _word_set(
    """
    i im we you the will would can cannot could be been am are is there here not this it my your our
    count see maybe perhaps sounds probably possibly what where when how have has had do does did
    going gonna should might thanks thank of and with from to at yeah yep unfortunately hopefully
    sorry available busy sick make coming come join bring take hand try confirm let know work working
    weather depends depending definitely sure way out next time morning afternoon tomorrow today
    saturday sunday monday tuesday wednesday thursday friday weekend guys folks everyone pictures
    pics leaflets booth stall help happy glad great awesome nice good fine course late early bit
    """
)
_MARKERS = _ENGLISH_ONLY - {"sure", "time", "bit", "fine", "nice", "weekend", "course", "sorry"}
# Words that are French and not English: a text with more of them than English words stays French
# (a French reply with "sorry" or "see you" in it keeps its French words as they are).
_FRENCH_ONLY = _word_set(
    """
    je tu nous vous pas suis serai peux moi les des du est ce ca pour avec mais oui non viens dispo
    samedi dimanche une que qui sur dans jsuis chui jpeux jviens pourrai vais ai desole merci
    """
)

# Phrases first (longest meaning first), then single words.
_PHRASES: tuple[tuple[LazyPattern, str], ...] = tuple(
    (lazy_compile(rf"\b(?:{pattern})\b"), plain)
    for pattern, plain in (
        (
            r"(?:let me know|tell me|just ask|give me a shout|shout) if you need (?:me|help|a hand|anyone|someone"
            r"|more people|extra hands|anything)",
            "si besoin je peux aider",
        ),
        (r"if you need (?:me|help|a hand|anyone|someone|more people|extra hands|anything)", "si besoin"),
        (r"(?:i )?(?:would|d) rather not|(?:i )?prefer not(?: to)?", "je prefere pas"),
        (
            r"no (?:promises?|guarantees?)|(?:i )?(?:can not|cannot) (?:promise|guarantee)(?: anything)?",
            "sans garantie",
        ),
        (r"knock(?:ing)? on (?:the )?doors|door knocking", "faire du porte a porte"),
        (
            r"unless (?:something|anything) (?:comes up|happens|unexpected happens)|barring (?:accidents|the unexpected)",
            "sauf imprevu",
        ),
        (r"if (?:at all )?possible|(?:ideally|preferably)", "de preference"),
        (
            r"^(?:(?:i am|we are|im|already) )?(?:on site|already (?:there|here)|here already|at the (?:spot|meeting point))",
            "je suis sur place",
        ),
        (r"^(?:coming|joining|attending)\b", "je viens"),
        (r"(?:does|do|will) not work(?: for me| for us)?|not work for me", "pas possible pour moi"),
        (
            r"(?:i am )?good for (?:me|it|us|saturday|sunday|\w+day)|(?:that |it |this |\w+day )?works for (?:me|us)"
            r"|(?:that |it )works",
            "ok pour moi",
        ),
        (r"(?:i )?(?:do not|dont) think so", "je pense pas"),
        (r"(?:i )?(?:do not|dont) think", "je pense pas que"),
        (r"(?:i )?(?:think|guess|believe) so", "je pense que oui"),
        (r"(?:i )?hope so", "je espere que oui"),
        (r"(?:i )?(?:do not|dont) know", "je sais pas"),
        (r"no idea", "je sais pas"),
        (r"(?:i )?(?:will |ll )?(?:do|try) my (?:best|utmost)", "je ferai de mon mieux"),
        (r"take care of|look after|be in charge of|handle|cover|manage", "me occuper de"),
        (r"(?:a|my) shift|(?:a|my) work shift", "du boulot"),
        (r"(?:i )?doubt (?:it|that|so)|(?:very )?unlikely|not likely", "peu probable"),
        (r"(?:very |most |quite |more than )?likely", "probablement"),
        (r"count (?:me|us) in", "comptez sur moi"),
        (r"count (?:me|us) out|leave me out", "sans moi"),
        (r"(?:sign|put|add) (?:me|us) (?:up|down|in)|(?:sign|put|add) (?:me|us)", "inscrivez moi"),
        (r"count on (?:me|us)", "comptez sur moi"),
        (r"(?:i|we) (?:am|are) (?:so |totally |definitely )?(?:in|down|up for it)", "je suis partant"),
        (r"(?:i|we) (?:am|are) out", "sans moi"),
        (r"on (?:my|our) way", "je suis en route"),
        (
            r"see (?:you|ya|u|y all)(?: (?:there|then|soon|tomorrow|later|guys|all|everyone|on \w+|at [\w:.]+"
            r"|saturday|sunday))*",
            "je serai la",
        ),
        (r"sounds? (?:good|great|fun|perfect|like a plan|cool)", "ca marche"),
        (r"(?:i )?(?:would|will|d) love to|(?:i am )?happy to|(?:i am )?glad to", "je veux bien"),
        (r"not this time|not (?:this|that) (?:one|day|date|saturday|sunday|weekend)", "pas cette fois"),
        (r"next (?:time|one)|another time|some other time", "la prochaine fois"),
        (r"not (?:sure|certain)", "pas sur"),
        (r"(?:for sure|of course|sure thing|definitely|absolutely|certainly)(?! not)", "biensur"),
        (r"(?:definitely|absolutely|certainly) not", "absolument pas"),
        (r"might not|may not", "probablement pas"),
        (r"(?:i|we) (?:might|may)", "je peutetre"),
        (r"(?:be )?able to", "pouvoir"),
        (
            r"make it|show up|turn up|join (?:you|us|in)|come along|come by|pop by|drop by|stop by|swing by"
            r"|pass by|be there|be here|be around|attend",
            "venir",
        ),
        (r"(?:i )?will pass(?! by)|(?:i )?pass this time", "je passe mon tour"),
        (r"we (?:are|will be) (?:coming|joining|attending|going(?! to))", "on vient"),
        (r"(?:am|are|is) not (?:coming|joining|attending|going(?! to)|heading)", "viens pas"),
        (r"(?:am|are|is) (?:coming|joining|attending|going(?! to)|heading)", "viens"),
        (r"(?:going to|gonna)", "vais"),
        (r"we (?:will|shall) be", "on sera"),
        (r"we (?:will|shall) not be", "on sera pas"),
        (r"we are", "on est"),
        (r"we (?:will|shall)", "on va"),
        (r"we can", "on peut"),
        (
            r"(?:have|has|got|need) to work|(?:am|be) working|(?:am|be) at work|work(?:ing)? (?:on|that|this)",
            "travaille",
        ),
        (r"(?:have|has|got|need) to", "dois"),
        (r"out of town|away (?:for|this|that|on)|out of the country", "pas en ville"),
        (r"on (?:holiday|holidays|vacation)", "en vacances"),
        (r"depends on|depending on|it depends", "selon"),
        (r"as long as", "si"),
        (
            r"(?:i will|i ll|will) (?:let you know|confirm|keep you posted|get back to you|tell you)"
            r"|let you know|keep you posted|get back to you|tbc|to be confirmed",
            "je vous tiens au courant",
        ),
        (r"(?:i|we) will see|(?:we|i) shall see", "on verra"),
        (r"fingers crossed", "je croise les doigts"),
        (r"no (?:worries|problem|prob)", "passouci"),
        (r"can not wait", "trop hate"),
        (r"me too|same here|same for me|ditto", "moi aussi"),
        (r"thank you|thanks", "merci"),
        (r"good luck|have fun", "bon courage"),
        (r"what time", "a quelle heure"),
        (r"hand(?:ing)? out|give out|distribute", "distribuer"),
        (r"take (?:some |the )?(?:pictures|pics|photos)|photograph", "faire des photos"),
        (r"pictures|pics", "photos"),
        (r"(?:give|offer) (?:a )?(?:lift|ride)s?|drive (?:people|someone|others)", "prendre du monde"),
        (r"(?:put|stick|glue) up (?:the |some )?(?:posters|flyers)", "coller des affiches"),
        (r"set up|put up", "installer"),
        (r"door[ -]to[ -]door|canvassing|canvass", "porte a porte"),
        (r"cash box|cash desk|the cash|donations", "la caisse"),
        (
            r"write (?:up )?the (?:report|minutes|write up)|the (?:report|minutes|write up)",
            "ecrire le compte rendu",
        ),
        (r"mail ?boxes|letter ?boxes", "boites aux lettres"),
        (r"a (?:bit|little)", "un peu"),
        (r"try to|try and", "essayer de"),
        (r"i hope to|hope to", "je espere"),
    )
)

_WORDS: dict[str, str] = {
    "i": "je",
    "me": "moi",
    "you": "vous",
    "u": "vous",
    "we": "on",
    "it": "ca",
    "the": "le",
    "a": "un",
    "an": "un",
    "my": "mon",
    "our": "notre",
    "this": "ce",
    "that": "ce",
    "at": "a",
    "on": "sur",
    "in": "dans",
    "for": "pour",
    "with": "avec",
    "and": "et",
    "but": "mais",
    "or": "ou",
    "so": "donc",
    "then": "alors",
    "of": "de",
    "to": "a",
    "from": "de",
    "not": "pas",
    "never": "jamais",
    "can": "peux",
    "could": "pourrai",
    "will": "vais",
    "shall": "vais",
    "should": "devrais",
    "must": "dois",
    "am": "suis",
    "is": "est",
    "are": "est",
    "be": "etre",
    "have": "ai",
    "has": "a",
    "had": "avais",
    "do": "faire",
    "there": "la",
    "here": "la",
    "come": "venir",
    "join": "venir",
    "participate": "participer",
    "help": "aider",
    "bring": "ramener",
    "take": "prendre",
    "drive": "conduire",
    "carry": "porter",
    "write": "ecrire",
    "make": "faire",
    "think": "pense",
    "guess": "pense",
    "class": "cours",
    "classes": "cours",
    "lesson": "cours",
    "lessons": "cours",
    "training": "entrainement",
    "practice": "entrainement",
    "game": "match",
    "travelling": "en deplacement",
    "traveling": "en deplacement",
    "poster": "affiche",
    "posters": "affiches",
    "flyer": "flyer",
    "design": "dessiner",
    "post": "faire un post",
    "share": "partager",
    "film": "filmer",
    "run": "tenir",
    "staff": "tenir",
    "try": "essayer",
    "available": "dispo",
    "free": "libre",
    "busy": "pris",
    "sick": "malade",
    "away": "absent",
    "late": "en retard",
    "early": "tot",
    "yet": "encore",
    "still": "toujours",
    "also": "aussi",
    "too": "aussi",
    "really": "vraiment",
    "very": "tres",
    "just": "juste",
    "only": "juste",
    "maybe": "peutetre",
    "perhaps": "peutetre",
    "possibly": "peutetre",
    "probably": "probablement",
    "hopefully": "normalement",
    "normally": "normalement",
    "unfortunately": "malheureusement",
    "sadly": "malheureusement",
    "actually": "en fait",
    "finally": "finalement",
    "if": "si",
    "unless": "sauf si",
    "sure": "biensur",
    "yeah": "oui",
    "same": "pareil",
    "where": "ou est",
    "when": "quand",
    "how": "comment",
    "who": "qui",
    "what": "quoi",
    "saturday": "samedi",
    "sunday": "dimanche",
    "monday": "lundi",
    "tuesday": "mardi",
    "wednesday": "mercredi",
    "thursday": "jeudi",
    "friday": "vendredi",
    "tomorrow": "demain",
    "today": "aujourdhui",
    "morning": "matin",
    "afternoon": "aprem",
    "evening": "soir",
    "week": "semaine",
    "next": "prochain",
    "until": "jusque",
    "till": "jusque",
    "after": "apres",
    "before": "avant",
    "around": "vers",
    "coffee": "cafe",
    "cake": "gateau",
    "drinks": "boissons",
    "table": "table",
    "booth": "stand",
    "stall": "stand",
    "banner": "banniere",
    "visual": "visuel",
    "report": "compte rendu",
    "wedding": "mariage",
    "birthday": "anniversaire",
    "appointment": "rdv",
    "exam": "examen",
    "work": "travail",
    "working": "travaille",
    "weather": "meteo",
    "finish": "finis",
    "great": "super",
    "awesome": "super",
    "please": "svp",
    "send": "envoie",
    "sends": "envoie",
    "gives": "donne",
    "someone": "quelquun",
    "somebody": "quelquun",
    "assessor": "assesseur",
    "slot": "creneau",
    "as": "comme",
}

_WORD_RE = lazy_compile(r"[a-z]+")
# "me and my flatmate will come", "Sam and I are in": the sender among others, "we".
_WE_RE = lazy_compile(
    r"\b(?:(?:me|i) and (?:my |our |a |the |his |her )?[a-z]+|[a-z]+ and (?:i|me)|(?:my|our) [a-z]+ and (?:i|me))"
    r"(?= (?:will|are|can|shall|could|would|might|may|should)\b)"
)


def _english_words(text: str) -> tuple[int, int]:
    """(English-only words, French-only words) in the text."""
    english = french = 0
    for word in _WORD_RE.findall(text):
        english += word in _MARKERS
        french += word in _FRENCH_ONLY
    return english, french


def _word(match: re.Match[str]) -> str:
    word = match.group()
    return _WORDS.get(word, word)


def english_to_french(text: str) -> str:
    """French for the English in `text`; French text comes back as it was (contractions aside)."""
    if "'" in text:
        for pattern, plain in _CONTRACTIONS:
            text = pattern.sub(plain, text)
    english, french = _english_words(text)
    mostly_english = english > french
    if mostly_english:
        text = _WORD_RE.sub(lambda m: _BARE_CONTRACTIONS.get(m.group(), m.group()), text)
        text = _WE_RE.sub("we", text)
    # Phrases come out in upper case so that the word pass leaves their French alone.
    for pattern, plain in _PHRASES:
        text = pattern.sub(plain.upper(), text)
    if mostly_english:
        text = _WORD_RE.sub(_word, text)
    return text.lower()

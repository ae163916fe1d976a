"""What a volunteer's plain-French reply to an event announcement means. Pure logic, no I/O.

Specification: docs/reply-conventions.md (intent yes / no / maybe / other, and the role when the
sender names a task they will take). The reading is rule based and deliberately conservative:

1. normalise: emoji are taken out (and remembered), then lower case, no accents, elisions
   expanded ("j'y" → "je y", "c'est" → "ce est"), the "ne" of negations dropped, SMS forms and
   repeated letters ("jsuis", "chui", "dsl", "ouiiii") rewritten;
2. split into sentences (. ! ? ; … newline) and clauses (commas, "mais", "finalement", "ah non",
   "en fait", …), remembering which clauses are questions and which change the sender's mind;
3. read each clause with ordered lexicons: special phrases first (double negatives, hedged
   refusals, "à ma place", sarcasm), then refusals, then commitments, hedges and tasks; phrases
   already read are masked so that later lexicons do not read them again;
4. combine the clauses with the spec's rules: own decision over anything else, last decision
   wins, a task taken survives a refusal of another task or of presence, conditions on one's
   own circumstances make it maybe.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from domain.roles import role_mentions

Intent = Literal["yes", "no", "maybe", "other"]

# Telegram allows 4096 characters; a reply to an announcement is a line or two. Reading only the
# start bounds the cost of any call (a typical reply takes about 0.1 ms, a capped one a few ms).
MAX_CHARS = 1000
MAX_CLAUSES = 40


@dataclass(frozen=True, slots=True)
class ReplyIntent:
    intent: Intent
    role: str | None = None


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


def _split_emoji(text: str) -> tuple[str, list[Intent], bool]:
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


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "#": " "})

# One token → its plain form. SMS spellings, contractions, and the gender/plural forms of the
# answer words so that the lexicons list each word once. (forms, plain form)
_TOKEN_FORMS: tuple[tuple[str, str], ...] = (
    ("jsuis jsui jss chui chuis shui jsuit", "je suis"),
    ("jpeux jpeu jpe jpx", "je peux"),
    ("jpourrai jpourrais jpourai jpourais", "je pourrai"),
    ("jvais jvai jve jv", "je vais"),
    ("jviens jvien", "je viens"),
    ("jviendrai jviendrais", "je viendrai"),
    ("jserai jserais jsrai jsre", "je serai"),
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
    ("ct", "ce etait"),
)
_TOKENS: dict[str, str] = {form: plain for forms, plain in _TOKEN_FORMS for form in forms.split()}

# Multi-word rewrites, applied after the token ones.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), plain)
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
        (r"\bje (vai|ve)\b", "je vais"),
        (r"\bje (vien|sai|peu|sui|fai|doi|veu|croi)\b", r"je \1s"),
        (r"\bje pren\b", "je prends"),
        (r"\bje pourr?ais?\b", "je pourrai"),
        (r"\bne\b ?", ""),  # "je ne peux pas" → "je peux pas": informal French drops it anyway
    )
)


def _rewrite_token(match: re.Match[str]) -> str:
    word = match.group()
    return _TOKENS.get(word, word)


def _normalize(body: str) -> str:
    text = unicodedata.normalize("NFKC", body).casefold().translate(_APOSTROPHES)
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    # "+1" / "-1" become words before hyphens turn into spaces.
    text = re.sub(r"(?<![\w+])\+ ?\d{1,2}(?!\d)", " plusun ", text)
    text = re.sub(r"(?<![\w-])- ?1(?![\d,.])", " moinsun ", text)
    text = text.replace("aujourd'hui", "aujourdhui")
    text = re.sub(r"\bs'(?=ils?\b)", "si ", text)
    text = re.sub(r"\b(j|l|m|t|s|d|n|c|qu|jusqu|lorsqu|puisqu|quelqu|presqu)' *", r"\1e ", text)
    text = text.replace("'", "")
    text = re.sub(r"\.{2,}", "…", text)
    text = re.sub(r"[^\w.,!?;…\n]|_", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "ouiiii", "nooon", "carrrément"
    text = re.sub(r"[a-z0-9]+", _rewrite_token, text)
    for pattern, plain in _PHRASES:
        text = pattern.sub(plain, text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


# --------------------------------------------------------------------------------------------
# Lexicons (on normalised text). Each tuple lists the phrases of one meaning.
# --------------------------------------------------------------------------------------------


def _alt(*patterns: str) -> str:
    return "|".join(patterns)


def _words(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt(*patterns)})\b")


# Adverbs that may sit inside a verb phrase; a negation among them flips it.
_ADV = (
    r"(?: (?:pas|plus|jamais|point|bien|aussi|volontiers|surement|normalement|probablement|certainement"
    r"|peutetre|a priori|quand meme|forcement|vraiment|trop|du tout|encore|finalement|evidemment|biensur"
    r"|toujours|donc|alors|sans doute|en principe|tres|deja|tout a fait|absolument|carrement|moi))*"
)
_NEG = r"(?:pas|plus|jamais|point)"

# Not conditions at all: "sauf imprévu" keeps a yes; "même si" concedes, it does not condition.
_NOT_CONDITION = re.compile(
    _alt(
        r"\bsauf (?:gros )?(?:imprevus?|empechements?|contre ordre|soucis?|problemes?|catastrophe|accident|annulation)\b",
        r"\bsi tout va bien\b",
        r"\bsi rien change\b",
        r"\b(?:meme|comme) si\b.*$",
    )
)

# Conditions on the organisers (need, room, the action being maintained): answer unchanged.
_ORG_CONDITION = (
    r"si (?:vous|tu|on) (?:avez|as|a) besoin",
    r"si (?:il y a|y a) besoin",
    r"si besoin",
    r"si necessaire",
    r"si ce est (?:toujours )?(?:necessaire|utile|maintenu|confirme|possible|ok pour vous|bon pour vous"
    r"|de actualite)",
    r"si il (?:faut|le faut|manque|en faut|reste de la place|y a de la place)",
    r"si ca (?:vous |te |nous )?(?:aide|arrange|rend service|dit|interesse|va|convient)",
    r"si ca peut (?:aider|servir|rendre service)",
    r"si vous (?:voulez|le souhaitez|souhaitez|preferez|avez de la place|(?:me |nous )?(?:le )?(?:dites|confirmez)"
    r"|etes ok|etes daccord|manquez|etes pas assez|avez besoin)",
    r"si tu (?:veux|le souhaites|preferes|(?:me )?(?:le )?(?:dis|confirmes)|manques|as besoin)",
    r"si on (?:manque|a besoin|est pas assez)",
    r"si personne",
    r"si jamais (?:vous|tu|on|il manque|besoin)",
    r"si le action est maintenue",
    r"si ca (?:se fait|tient|est maintenu)",
    r"si manque de monde",
    r"au besoin",
    r"le cas echeant",
    r"en cas de besoin",
)
_ORG_CONDITION_RE = re.compile(rf"\b(?:{_alt(*_ORG_CONDITION)})\b")

# Conditions on the sender's own circumstances (weather, work, children, a lift): maybe.
# "si" is a conjunction unless it is the "si" of "ah si !" or an intensifier ("si tôt").
_OWN_CONDITION_RE = re.compile(
    r"(?<!ah )(?<!oh )(?<!mais )\bsi\b(?= (?!si\b|tot\b|tard\b|bien\b|peu\b|longtemps\b|loin\b|vite\b"
    r"|content|heureu|cool\b|important|simple\b|finalement\b)\w)"
    r"|\bsauf si\b|\ba condition (?:que|de)\b|\ba moins que\b|\bselon\b|\ben fonction de\b"
    r"|\b(?:ca|tout) depend\b|\bdepend de\b"
)
# Where a condition placed first gives way to the main clause: "si il fait beau | je viens".
_RESUME_RE = re.compile(
    r" (?=(?:je|moi|on|nous|oui|ok|dispo|partant|present|volontiers|carrement|go|plusun|avec plaisir)\b)"
)

# Double negatives and open answers: maybe, whatever negation they contain.
_SPECIAL_MAYBE = (
    r"je dis pas que je (?:viendrai|serai|pourrai|passerai|viens|vais venir) pas",
    r"je dis pas non",
    r"(?:ce est )?pas impossible",
    r"pas exclu",
    r"je exclus pas",
    r"pas dit que je",
    r"je sais (?:pas|plus)(?: encore)?",
    r"(?:je suis )?pas (?:encore )?(?:sur|sure|certain|certaine)(?: de pouvoir)?"
    r"(?! (?:moi|toi|lui|nous|vous|eux|place|le|la|les|un|une|des|ce|cette|site)\b)",
    r"pas encore (?:decide|fixe)",
    r"je peux pas (?:encore )?(?:te|vous) (?:dire|confirmer|promettre)",
    r"je peux rien (?:promettre|garantir)",
    r"je (?:promets|garantis) rien",
    r"sans garantie",
)

# Hedges leaning to no (rule 5): no.
_LEAN_NO = (
    r"(?:ca )?me etonnerai[st]?",
    r"ca me semble (?:complique|difficile|dur|chaud)",
    r"ca (?:va|risque de) etre (?:complique|chaud|dur|difficile|tendu|juste|short|court)",
    r"ca se annonce (?:complique|mal|difficile)",
    r"ce est (?:mal barre|compromis|complique|chaud|tendu|difficile|pas gagne|mort|cuit|rape)",
    r"mal barre",
    r"compromis",
    r"complique",
    r"difficilement",
    r"je (?:en )?doute",
    r"peu probable",
    r"pas (?:gagne|evident)",
    r"(?:probablement|surement|certainement|normalement|a priori|en principe|je pense|je crois)"
    r"(?: que)? (?:pas|non)",
    r"je ai (?:bien )?peur (?:de pas|que non|de devoir)",
    r"je crains",
    r"je (?:vais avoir|aurai) du mal",
    r"je vois (?:pas|mal) comment",
    r"(?:aucune|peu de) chances?",
    r"pas trop (?:chaud|motive|dispo)",
    r"je (?:le )?sens pas",
)

# Someone else goes instead of the sender: a withdrawal, whoever is named.
_MY_PLACE = (r"a ma place", r"me remplace\w*", r"prend\w* ma place")

# Sarcastic refusals.
_SARCASM = (
    r"tu reves",
    r"vous revez",
    r"dans tes reves",
    r"meme pas en reve",
    r"et puis quoi encore",
    r"b[ae]n voyons",
    r"ce est ca oui",
    r"plutot (?:mourir|crever)",
    r"comptez? la dessus",
    r"quand les poules auront des dents",
    r"la bonne blague",
)

# A negation about timing, not about coming: "pas avant 10h", "pas longtemps" (partial presence).
_PARTIAL_NEG = (
    r"pas (?:venir |etre la |arriver |passer |dispo |libre |la |rester )?(?:avant|tot|trop tot|des le debut"
    r"|a le heure|au debut|longtemps|trop longtemps|toute la (?:matinee|journee|duree)|tout le (?:matin|temps)"
    r"|de suite|tout de suite|jusque)",
    r"pas rester(?: tout| toute)?",
)

# Phrases that would mislead the lexicons below: weather, "pas grave", support, thanks.
_NEUTRAL = (
    r"il (?:fait|fera|faisait|va faire) (?:\w+ )?(?:chaud|beau|froid|moche|gris|bon)",
    r"(?:ce est )?(?:pas )?grave",
    r"pas mal",
    r"sur site",
    r"rien a voir",
    r"non seulement",
    r"je (?:vous |te )?soutiens",
    r"(?:bon )?courage",
    r"de tout coeur",
    r"par la pensee",
    r"en pensee",
    r"je pense (?:bien )?a vous",
    r"force a vous",
    r"qui (?:sera|seront|viendra|viendront|est|sont|peut|pourra|pourrait|serait|va|vont)\b.*$",  # someone else
)

# Refusals and reasons that rule the day out.
_NO = (
    r"non",
    r"moinsun",
    r"pas moi",
    r"sans moi",
    r"moi non plus",
    r"moi pas",
    r"pas pour moi",
    r"impossible",
    r"pas possible",
    r"indispo",
    r"absente?",
    r"empechee?",
    r"empechement",
    r"je me (?:desiste|retire)",
    r"je dois (?:me desister|annuler)",
    r"je annule",
    r"je decline",
    r"decliner",
    r"(?:je )?(?:vais )?passer? mon (?:tour|chemin)",
    r"je passe (?:pour )?cette fois",
    r"desinscri\w*",
    r"(?:retire|enleve|raye|supprime|desinscri)[rsz]? moi",
    r"je (?:bosse|travaille|taffe|taf)",
    r"je suis au (?:boulot|taf|travail)",
    r"je ai (?:du )?(?:boulot|taf|travail|garde|une garde|astreinte|piscine|foot|cours|poney|judo|danse)",
    r"de (?:garde|astreinte|permanence)",
    r"en (?:deplacement|vacances|conge|conges)",
    r"a le etranger",
    r"pas (?:en ville|dans le coin)",
    r"^pas la",
    r"pas la (?:ce|cette|samedi|dimanche|demain|le)",
    r"annule[rz]? (?:ma|mon) (?:participation|inscription|venue)",
    r"(?:retire|enleve|supprime)[rsz]? (?:ma|mon) (?:participation|inscription|nom)",
    r"malade",
    r"au lit",
    r"je suis prise?",
    r"deja prise?",
    r"deja (?:un truc|quelque chose|un engagement|booke|bookee)",
    r"je ai (?:un|une|le|la|mon|ma|des|deja|un gros|une grosse) (?:mariage|anniversaire|anniv|bapteme"
    r"|enterrement|rdv|rendez vous|examen|exam|concert|match|foot|entrainement|piscine|cours|repas"
    r"|demenagement|truc|imprevu|empechement|souci|probleme|obligation|engagement|evenement|reunion"
    r"|spectacle|competition|tournoi|fete|week end|weekend)",
    r"pas (?:pour )?(?:cette fois|ce coup ci|ce coup la)",
    r"pas ce (?:samedi|dimanche|week end|weekend|jour la|matin|coup)",
    r"pas cette (?:semaine|date)",
    r"pas (?:samedi|dimanche|demain|aujourdhui)",
    r"(?:la|une) (?:prochaine|autre)(?: fois)?",
    r"je (?:peux|pourrai) plus",
    r"je vais devoir (?:annuler|decliner|me desister|renoncer|faire le impasse|passer)",
    r"je renonce",
    r"(?:je )?fai(?:s|re) le impasse",
    r"je (?:abandonne|lache)",
    r"je laisse tomber",
    r"je (?:laisse|cede) ma place",
    r"pas (?:dispo|disponible|faisable)",
    r"infaisable",
    r"ca va pas (?:etre possible|le faire)",
    r"ca le (?:fera|fait) pas",
    r"je (?:vais|pourrai|peux) pas(?: pouvoir)?",
    r"jamais de la vie",
    r"hors de question",
    r"(?:certainement|surement|absolument) pas",
    r"pas question",
    r"sans facon",
    r"tres peu pour moi",
    r"pas (?:le temps|envie|trop envie|motive)",
    r"ce sera sans moi",
)

# Commitments of the sender. A negation inside, just before or just after turns them into a no.
_YES = (
    # coming, being there
    rf"je{_ADV} (?:viens|viendrai|viendrais)",
    rf"je (?:vais|compte|prevois de|veux|veux bien|voudrais bien|peux|pourrai|vais pouvoir){_ADV} (?:venir"
    r"|passer|participer|etre la|etre present|etre de la partie|en etre|y aller|y etre|aider|donner un coup"
    r" de main|filer un coup de main|vous rejoindre|rejoindre|me joindre|faire un tour|faire un saut"
    r"|faire le deplacement|me liberer)",
    rf"je (?:suis|serai|serais){_ADV} (?:la|present|dispo|libre|partant|chaud|motive|de la partie|des votres"
    r"|de la fete|sur place|en route|en chemin|in|ok|prete?|go|a fond|dedans|avec vous|au rendez vous|au rdv"
    r"|inscrit|arrive|devant|au point|deja la|la bas|volontaire|a bloc)",
    r"je (?:serai|suis|risque de etre|vais etre)(?: \w+){0,2} en retard",
    rf"je y{_ADV} (?:serai|suis|vais|serais|irai|passerai|passe|viendrai)",
    rf"je en{_ADV} (?:suis|serai|serais)",
    rf"je{_ADV} (?:participe|participerai|me inscris|me joins|vous rejoins|te rejoins|rejoins|vous rejoindrai"
    r"|rejoindrai|arrive|arriverai|passe|passerai|irai|vais passer|vais venir|reponds present|confirme"
    r"|signe|valide|me y colle|accours|debarque|debarquerai)",
    rf"on{_ADV} (?:sera|seras|vient|viendra|y sera|y va|est la|arrive|passe|passera|participe|en est|en sera)",
    r"nous (?:serons|viendrons|venons|sommes la|participerons|y serons)",
    r"(?:on (?:sera|est|vient a|viendra a)|nous (?:serons|sommes|viendrons a)) (?:\d+|deux|trois|quatre|cinq|six"
    r"|plusieurs|nombreux|nombreuses)",
    r"(?:ravie?|contente?|heureux|heureuse) de (?:venir|participer|aider|etre la|en etre|vous rejoindre)",
    r"je (?:peux|pourrai)",
    # answer words, no subject needed
    r"oui",
    r"carrement",
    r"grave",
    r"evidemment",
    r"biensur",
    r"absolument",
    r"avec (?:plaisir|joie)",
    r"volontiers",
    r"present",
    r"partant",
    r"dispo",
    r"libre",
    r"chaud",
    r"motive",
    r"go",
    r"banco",
    r"vendu",
    r"ca (?:marche|roule|me va|me convient|me dit|me tente)",
    r"(?:ok|okay|bon|daccord) pour moi",
    r"pour moi (?:ce est )?(?:ok|bon)",
    r"ce est (?:ok|bon) pour moi",
    r"moi (?:aussi|egalement|pareil|idem|de meme|si|oui)",
    r"pareil",
    r"idem",
    r"meme chose",
    r"plusun",
    r"(?:inscris|inscrivez|ajoute|ajoutez|mets|mettez|notez|note|comptez|compte) moi",
    rf"(?:compte|comptez|compter){_ADV} sur moi",
    r"sans (?:aucun doute|hesiter)",
    r"tout a fait",
    r"ce est parti",
    r"on y va",
    r"allons y",
    r"^(?:et )?moi$",
    r"^a (?:samedi|dimanche|demain|tout a le heure|tout de suite|ce samedi|ce dimanche)",  # "à samedi !"
)

# Hedges: maybe, unless the clause refuses (then no).
_HEDGE = (
    r"peutetre",
    r"possible(?:ment)?",
    r"probable",
    r"eventuellement",
    r"normalement",
    r"a priori",
    r"en principe",
    r"en theorie",
    r"theoriquement",
    r"surement",
    r"probablement",
    r"sans doute",
    r"certainement",
    r"je (?:pense|crois|imagine|suppose)",
    r"il me semble",
    r"je devrais",
    r"je (?:vais )?(?:essayer|tenter|essaie|essaye|essaierai|essayerai|tente|tenterai)",
    r"(?:essayer|tenter) de",
    r"je verrai",
    r"on verra",
    r"je vais voir",
    r"a voir",
    r"je (?:te|vous) (?:re)?(?:dis|dirai)",
    r"je (?:te|vous) tiens au (?:courant|jus)",
    r"je (?:te |vous )?confirme (?:plus tard|demain|ce soir|de ici|jeudi|vendredi|dans|bientot|asap|des que"
    r"|rapidement|au plus vite|sous peu)",
    r"je confirmerai",
    r"a confirmer",
    r"je reviens vers (?:toi|vous)",
    r"je redis",
    r"je hesite",
    r"je (?:vais )?reflechi[rs]",
    r"pourquoi pas",
    r"je espere (?:pouvoir|venir|etre la|passer|y etre|me liberer|en etre)",
    r"dans la mesure du possible",
    r"(?:il )?faut que je (?:voie|vois|regarde|check|verifie|demande)",
    r"je dois (?:voir|verifier|checker|regarder|demander)",
    r"je (?:vais )?(?:regarde|regarder|check|verifie|verifier)",
    r"je vois (?:ca|avec)",
    r"je (?:te|vous) fais signe",
    r"il se peut",
    r"indecise?",
    r"50 50",
)

# Being late or staying a short while: partial presence, a yes.
_LATE = re.compile(r"\b(?:en retard|plus tard|un peu apres|pas a le heure)\b")
# A reason bounded in time ("je bosse à 14h", "je travaille l'aprem") after a yes is partial presence.
_TIME_LIMIT = re.compile(
    r"\b(?:jusque|a partir de|le aprem|le apres midi|le soir|a \d+ ?h|\d+ ?h\d*|vers \d+|midi|en fin de"
    r"|en debut de)\b"
)

# Weak words decide only when nothing else in the message does.
_WEAK_YES = re.compile(r"\b(?:ok|daccord|passouci|entendu|ca va|ce est (?:bon|ok|good))\b")
_WEAK_NO = re.compile(r"\b(?:desole|malheureusement|helas|dommage|snif)\b")
_ACK = re.compile(r"\b(?:merci|note|bien recu|recu|compris|vu|pris note|entendu|bravo|top|super|genial)\b")

# Another date suits: "le dimanche d'après oui" after a refusal is still a refusal.
_OTHER_TIME = re.compile(
    r"\b(?:de apres|suivante?|prochaine?|une autre fois|un autre jour|une autre date"
    r"|autre (?:samedi|dimanche|jour|fois|date|week end)|semaine prochaine|mois prochain)\b"
)

# Markers that open a clause; the first group marks a change of mind.
_REVERSAL = (
    r"finalement",
    r"au final",
    r"en fait",
    r"ah non",
    r"oh non",
    r"ah bah non",
    r"ah si",
    r"tout compte fait",
    r"reflexion faite",
    r"a la reflexion",
    r"zut",
    r"mince",
    r"oups",
    r"correction",
)
_CONNECTORS = (
    r"mais",
    r"par contre",
    r"sauf que",
    r"cependant",
    r"pourtant",
    r"en revanche",
    r"sinon",
    r"enfin",
)
_REVERSAL_RE = re.compile(rf"^(?:(?:{_alt(*_CONNECTORS)}) )?(?:non )?(?:{_alt(*_REVERSAL)})\b")
_CLAUSE_SPLIT_RE = re.compile(rf",| (?=(?:{_alt(*_REVERSAL, *_CONNECTORS)})\b)")
_SENTENCE_RE = re.compile(r"([^.!?;…\n]*)([.!?;…\n]*)")

# Questions (where, when, what to bring) even without a question mark.
_QUESTION_START_RE = re.compile(
    r"^(?:(?:et|mais|sinon|alors|bon|ok|oui|super|top|merci|question|salut|au fait|petite question|juste) )*"
    r"(?:ou (?:est|on|se|ca|ce)|ce est (?:ou|quand|a quelle|a quel|quoi|qui)|quand|comment|combien|pourquoi(?! pas)"
    r"|quel|quelle|quels|quelles|qui (?:vient|fait|se occupe|ramene|a|est|peut|sera|apporte|prend|gere)"
    r"|est ce|faut il|on se (?:retrouve|rejoint)|rdv ou|(?:je|on) (?:ramene|apporte|amene|prend|prends) quoi"
    r"|il faut (?:ramener|apporter|prendre) quoi|a quelle|a quel)\b"
)

# Someone else is the subject: "Sofia sera là", "mon frère vient aussi", "Hugo oui".
_THIRD_VERB = (
    r"(?:sera|seront|viendra|viendront|vient|viennent|ira|iront|peut|peuvent|pourra|pourront|est|sont|passera"
    r"|passeront|fera|feront|participe|participera|participent|se occupe|se occupera|ramene|ramenera"
    r"|apporte|apportera|arrive|arrivera|arrivent|va venir|vont venir|veut|veulent|tiendra|tient|fait"
    r"|prend|prendra|gere|gerera|viendrait|serait)"
)
_OTHER_SUBJECT_RE = re.compile(
    r"^(?:(?:et|mais|par contre|sinon|alors|bon|ah|oh|ok|du coup|enfin|oui|non) )*"
    r"(?P<subj>(?:il|elle|ils|elles)|(?:mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs"
    r"|le|la|les|un|une|des|tout le|toute la) [a-z]+|[a-z]+(?: et [a-z]+)?)"
    rf" (?:y |en |me |nous |vous |le |la |les )?{_THIRD_VERB}\b"
)
_OTHER_ANSWER_RE = re.compile(
    r"^(?:(?:et|mais|par contre|sinon|alors|bon|ah|oh|du coup|pour) )*(?P<subj>[a-z]+(?: [a-z]+){0,2})"
    r" (?:oui|non|aussi|pareil|idem|dispo|partant|present|ok|plusun|egalement|volontiers|non plus|pas"
    r"|motive|chaud)$"
)
_SELF_RE = re.compile(r"\b(?:je|moi|on|nous|perso)\b")
# Words that can lead a clause without being someone else.
_NOT_SUBJECT_WORDS = """
    je moi on nous perso personnellement ce ca cela ceci ici la le les de du des a au aux en y et ou
    mais donc or ni car si sinon alors bon ben bah ah oh eh euh hum hmm mmh bref enfin ok oui non daccord
    pour par avec sans sur sous chez vers dans apres avant pendant samedi dimanche lundi mardi mercredi
    jeudi vendredi demain aujourdhui hier cette matin matinee midi aprem soir soiree week end weekend
    semaine jour fois prochain prochaine suivant suivante dernier derniere autre meme tout tous toute
    toutes bien tres trop super top cool carrement grave evidemment biensur absolument clairement
    franchement honnetement vraiment totalement normalement probablement surement certainement peutetre
    priori principe malheureusement helas desole merci salut lol plusun go quand comment pourquoi qui quoi
    que pas plus encore deja toujours aussi pareil idem present dispo partant chaud motive volontiers
    haha coup fait finalement final ma mon"""
_NOT_SUBJECT = frozenset(_NOT_SUBJECT_WORDS.split())

# Presence words: a refusal naming them is a refusal to come, not of one task.
_PRESENCE_RE = re.compile(
    r"\b(?:venir|viens|viendrai|etre la|serai|suis la|y etre|y aller|participer|passer|present|dispo(?! pour)"
    r"|la\b|y serai)"
)

# Roles. Taking words: the sender takes the task named within the next few words.
_TAKE = (
    r"me occupe\w*",
    r"(?:me )?occuper",
    r"(?:me )?charge\w*",
    r"prends?|prendrai|prendre",
    r"fai(?:s|re)|ferai",
    r"gere\w*|gerer",
    r"assure\w*",
    r"tien(?:s|drai)|tenir",
    r"aide\w*|aider",
    r"dispo|libre|partant|chaud|motive|ok|volontaire|plusun|present",
    r"inscri(?:s|t) moi|(?:me )?inscri\w*",
    r"vien(?:s|drai)|venir",
    r"propose",
    r"veux bien|voudrais bien",
    r"je (?:peux|pourrai)",
    r"moi",
    r"pret|prete",
    r"ecri\w*|redige\w*",
    r"met(?:s|tre|trai)",
    r"poste\w*|publie\w*|relaie\w*|relayer|partage\w*",
    r"(?:suis|serai) (?:sur|a|au|pour)",
    r"je (?:serai|peux etre|veux bien etre|vais etre)",
    r"prends en charge|prendre en charge",
)
_TAKE_BEFORE_RE = re.compile(rf"(?:\b(?:{_alt(*_TAKE)})\b|^(?:[^ ]+ ){{0,2}}pour\b)(?: [^ ]+){{0,4}} $")
# "ok pour tracter", "dispo pour le stand": taking a task without a subject.
_SUBJECTLESS_TAKE_RE = re.compile(
    r"^(?:[^ ]+ ){0,2}(?:ok|daccord|dispo|partant|chaud|motive|volontaire|present|prete?|plusun|moi|go) pour\b"
)
# "stand pour moi !"
_FOR_ME_RE = re.compile(r"^ pour moi\b")
# A role verb right after the subject: "je tracte", "je distribue volontiers".
_VERB_TAKE_RE = re.compile(r"(?:\bje(?: [^ ]+){0,3}|\bpour) $")
_NEGATED_BEFORE_RE = re.compile(rf"\b(?:{_NEG}|sans)\b(?: [^ ]+){{0,3}} $")
_NEG_BEFORE_RE = re.compile(
    rf"\b{_NEG}(?: (?:trop|vraiment|tres|super|du tout|encore|forcement|toujours|si|tellement|hyper"
    r"|completement|totalement|franchement))? $"
)
_NEG_AFTER_RE = re.compile(
    r"^(?: (?:vraiment|malheureusement|absolument|franchement|juste|donc|finalement|toujours|meme|surement"
    r"|probablement|certainement|normalement|helas))? (?:pas|jamais|point|plus(?! tard| tot| de| que))\b"
)
_NEG_INSIDE_RE = re.compile(rf"\b{_NEG}\b")
_NEGATED_AFTER_RE = re.compile(r"^ (?:pas|plus|jamais|rien)\b")  # "je tracte pas", "je ramène rien"

# Bringing, carrying, driving anything → logistique (whatever the object).
_LOGISTICS_VERB_RE = re.compile(
    r"\b(?:ramene\w*|rapporte\w*|apporte\w*|amene\w*|emmene\w*|transporte\w*|conduir\w*|conduis|conduit"
    r"|vehicule\w*|livre|livrer|livrerai|recupere\w*|installe\w*|monte|monter|monterai|demonte\w*|range"
    r"|ranger|rangerai|achete|acheter|acheterai|prete|preter|preterai|fournis|fournir|fournirai|porte"
    r"|porter|porterai|prendre \w+ personnes|prendre du monde|prendre la voiture|prends la voiture"
    r"|passer? prendre|aller chercher|vais chercher)\b"
)
_LOGISTICS_NOUN_RE = re.compile(
    r"\b(?:cafe|croissants?|viennoiseries|boissons?|gateaux?|thermos|tables?|chaises?|tonnelle|barnum|sono"
    r"|micro|enceinte|gobelets?|scotch|colle|pinceaux?|seau|escabeau|rallonge|remorque|cartons?|voiture"
    r"|camion|covoit\w*|materiel|matos)\b"
)
# Coming with a friend is a yes without a task; driving people is logistique.
_COMPANION_RE = re.compile(
    r"^ (?:[^ ]+ )?(?:coloc\w*|potes?|amie?s?|copain\w*|copine\w*|femme|mari|compagne|compagnon|conjointe?"
    r"|epou\w*|fils|filles?|enfants?|gamins?|gamine|gosses?|petite?s?|soeurs?|freres?|mere|pere|parents"
    r"|voisin\w*|collegues?|chien\w*|famille|cousin\w*|monde|quelquun|gens|bebe|tante|oncle|neveu|niece"
    r"|renforts?|camarades?|bande|equipe)\b"
)
_CAR_RE = re.compile(r"\b(?:voiture|covoit\w*|caisse|places|vehicule|camion)\b")
# Laying out a poster or a visual is graphisme, gluing it is collage.
_DESIGN_BEFORE_RE = re.compile(
    r"\b(?:faire|fais|ferai|creer|cree|creerai|dessiner|dessine|preparer|prepare|concevoir|realiser|realise"
    r"|maquetter|designer)(?: (?:le|la|les|un|une|des|du|de|nouveau|nouvelle|nouvelles|petit|petite))* $"
)
_DESIGNABLE_RE = re.compile(r"^(?:affiches?|flyers?|visuels?|bannieres?)$")
_SOCIAL_AFTER_RE = re.compile(r"^(?: [^ ]+){0,3} (?:posts?|stor(?:y|ies)|publications?|tweets?)\b")

_HEDGE_RE = _words(_HEDGE)
_SPECIAL_MAYBE_RE = _words(_SPECIAL_MAYBE)
_LEAN_NO_RE = _words(_LEAN_NO)
_MY_PLACE_RE = _words(_MY_PLACE)
_SARCASM_RE = _words(_SARCASM)
_PARTIAL_NEG_RE = _words(_PARTIAL_NEG)
_NEUTRAL_RE = _words(_NEUTRAL)
_NO_RE = _words(_NO)
_YES_RE = re.compile(rf"(?:\b|^)(?:{_alt(*_YES)})\b")

# "+1 pour …": the event itself, the sender, or a day → yes; something else in the thread → other.
_SIGN_EVENT_RE = re.compile(
    r"^(?:moi|nous|samedi|dimanche|demain|(?:ce|le) (?:samedi|dimanche|matin|week end|weekend|rdv|tractage)"
    r"|cette (?:action|sortie|date|fois)|la matinee|le aprem|la sortie|le action|le evenement)\b"
)
_SIGN_AGREEMENT_RE = re.compile(r"\b(?:idee|raison|bien dit|bien vu|daccord avec|je suis daccord)\b")


# --------------------------------------------------------------------------------------------
# Clauses
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Clause:
    intent: Intent | None = None  # the sender's own decision in this clause
    role: str | None = None
    reversal: bool = False  # "finalement", "ah non": a change of mind
    alternative: bool = False  # "sinon …": the other branch of a condition
    own_condition: bool = False
    task_decline: bool = False  # refuses one task, not the event
    time_bound: bool = False  # a refusal bounded in time: partial presence after a yes
    other_time: bool = False
    question: bool = False
    weak: Intent | None = None
    ack: bool = False
    hedge_only: bool = False  # "normalement", "je pense": qualifies the answer next to it


def _mask(text: str, start: int, end: int) -> str:
    """Blank a span already read, keeping positions."""
    return text[:start] + "#" * (end - start) + text[end:]


def _collect(text: str, pattern: re.Pattern[str], intent: Intent, hits: list[tuple[int, Intent]]) -> str:
    for match in pattern.finditer(text):
        hits.append((match.start(), intent))
        text = _mask(text, match.start(), match.end())
    return text


def _mask_all(text: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    found = False
    for match in pattern.finditer(text):
        found = True
        text = _mask(text, match.start(), match.end())
    return text, found


def _mask_condition(text: str, pattern: re.Pattern[str], open_ended: bool) -> tuple[str, bool]:
    """Blank a condition: to the end of the clause, or up to the main clause when it comes first.

    An open-ended condition ("si", "selon") has at least one more word: its subject ("si je …").
    """
    match = pattern.search(text)
    if match is None:
        return text, False
    end = len(text)
    if not text[: match.start()].strip(" #"):
        first_word = re.match(r" *[^ ]+", text[match.end() :]) if open_ended else None
        resume = _RESUME_RE.search(text, match.end() + (first_word.end() if first_word else 0))
        if resume:
            end = resume.start()
    return _mask(text, match.start(), end), True


def _is_other_subject(text: str) -> bool:
    if _SELF_RE.search(text):
        return False
    match = _OTHER_SUBJECT_RE.match(text) or _OTHER_ANSWER_RE.match(text)
    if match is None:
        return False
    subject = match.group("subj")
    return any(word not in _NOT_SUBJECT for word in subject.split())


def _negated(text: str, start: int, end: int) -> bool:
    return bool(
        _NEG_INSIDE_RE.search(text, start, end)
        or _NEG_BEFORE_RE.search(text[:start])
        or _NEG_AFTER_RE.match(text[end:])
    )


def _find_role(text: str) -> tuple[str | None, int, bool, bool]:
    """(role, where, a task refused, a companion brought) for the first task the sender takes."""
    cues: list[tuple[int, int, str, str]] = [(s, e, r, "role") for s, e, r in role_mentions(text)]
    cues += [(m.start(), m.end(), "logistique", "verb") for m in _LOGISTICS_VERB_RE.finditer(text)]
    cues += [(m.start(), m.end(), "logistique", "noun") for m in _LOGISTICS_NOUN_RE.finditer(text)]
    cues.sort(key=lambda cue: (cue[0], cue[0] - cue[1]))
    refused = companion = False
    covered = -1
    for start, end, role, kind in cues:
        if start < covered:
            continue  # "porte" inside "porte a porte"
        covered = end
        before = text[:start]
        word = text[start:end]
        if _NEGATED_BEFORE_RE.search(before) or _NEGATED_AFTER_RE.match(text[end:]):
            refused = True
            continue
        is_verb = kind == "verb" or re.search(r"(?:er|e|es|erai|ons)$", word) is not None
        taken = _TAKE_BEFORE_RE.search(before) or _FOR_ME_RE.match(text[end:])
        if not (taken or (is_verb and _VERB_TAKE_RE.search(before))):
            continue
        if kind == "verb" and _COMPANION_RE.match(text[end:]) and not _CAR_RE.search(text):
            companion = True
            continue
        if _DESIGNABLE_RE.match(word) and _DESIGN_BEFORE_RE.search(before):
            role = "graphisme"
        elif role == "rédaction" and _SOCIAL_AFTER_RE.match(text[end:]):
            role = "réseaux sociaux"
        return role, start, refused, companion
    return None, -1, refused, companion


def _analyse(text: str, question: bool) -> _Clause:
    clause = _Clause(
        reversal=bool(_REVERSAL_RE.match(text)),
        alternative=text.startswith("sinon"),
        other_time=bool(_OTHER_TIME.search(text)),
    )
    if question or _QUESTION_START_RE.match(text):
        clause.question = True  # a question carries no decision of its own
        return clause
    original = text
    text, _ = _mask_all(text, _NOT_CONDITION)
    text, _ = _mask_condition(text, _ORG_CONDITION_RE, open_ended=False)
    text, clause.own_condition = _mask_condition(text, _OWN_CONDITION_RE, open_ended=True)

    hits: list[tuple[int, Intent]] = []
    text = _collect(text, _SPECIAL_MAYBE_RE, "maybe", hits)
    text = _collect(text, _LEAN_NO_RE, "no", hits)
    text = _collect(text, _MY_PLACE_RE, "no", hits)
    text = _collect(text, _SARCASM_RE, "no", hits)
    if not hits and _is_other_subject(text):
        return clause  # about someone else: never the sender's answer
    text, _ = _mask_all(text, _PARTIAL_NEG_RE)
    text, _ = _mask_all(text, _NEUTRAL_RE)
    unrefused = text  # the roles still need to see "je peux pas tracter"
    text = _collect(text, _NO_RE, "no", hits)
    hedge = _HEDGE_RE.search(text) is not None

    for match in _YES_RE.finditer(text):
        hits.append((match.start(), "no" if _negated(text, match.start(), match.end()) else "yes"))

    owned = (
        _SELF_RE.search(unrefused) is not None
        or hedge
        or any(i == "yes" for _, i in hits)
        or _SUBJECTLESS_TAKE_RE.match(unrefused) is not None
    )
    role, where, refused, companion = _find_role(unrefused) if owned else (None, -1, False, False)
    if role is not None:
        hits.append((where, "yes"))  # offering a task is a yes
        clause.role = role
    elif companion:
        hits.append((len(text), "yes"))

    hits.sort()
    intent: Intent | None = hits[-1][1] if hits else None
    if intent is None and refused:
        intent = "no"
    if intent == "no" and refused and not _PRESENCE_RE.search(original):
        clause.task_decline = True
    clause.time_bound = intent == "no" and _TIME_LIMIT.search(original) is not None
    if hedge and intent != "no":
        clause.hedge_only = intent is None
        intent = "yes" if intent is None and _LATE.search(text) else "maybe"
    clause.weak = "yes" if _WEAK_YES.search(text) else "no" if _WEAK_NO.search(text) else None
    if intent is None and clause.reversal:
        intent = clause.weak  # "finalement c'est bon": a weak word that changes the answer is one
    clause.intent = intent
    clause.ack = _ACK.search(original) is not None
    return clause


def _clauses(text: str) -> list[_Clause]:
    found: list[_Clause] = []
    for match in _SENTENCE_RE.finditer(text):
        sentence, end = match.group(1), match.group(2)
        if not sentence.strip():
            continue
        parts = [p.strip() for p in _CLAUSE_SPLIT_RE.split(sentence)]
        parts = [p for p in parts if p]
        previous: _Clause | None = None
        for i, part in enumerate(parts):
            clause = _analyse(part, question="?" in end and i == len(parts) - 1)
            if (
                previous is not None
                and previous.hedge_only
                and clause.intent == "yes"
                and not clause.reversal
            ):
                clause.intent = "maybe"  # "je pense, oui", "normalement, je viens"
            found.append(clause)
            previous = clause
            if len(found) >= MAX_CLAUSES:
                return found
    return found


def _combine(clauses: list[_Clause], sarcasm: bool) -> ReplyIntent:
    intent: Intent | None = None
    role: str | None = None
    condition = False
    refused = False
    for c in clauses:
        if c.reversal:
            condition = False  # a change of mind drops the conditions said before
        condition = condition or c.own_condition
        if c.intent is None or (c.alternative and condition):
            continue
        if c.intent == "yes" and c.other_time and refused:
            continue  # "samedi non, dimanche d'après oui"
        if c.intent == "no":
            firm = intent in ("yes", "maybe")
            if firm and not c.reversal and (c.task_decline or c.time_bound or role is not None):
                continue  # rule 3; a task needing no presence survives "je peux pas venir"; partial
            intent, role, refused = "no", None, True
            continue
        if c.intent == "maybe" and intent == "yes" and role and c.role and not c.reversal:
            continue  # "je fais les photos, peut-être aussi le stand": the firm task stays
        keep = intent in ("yes", "maybe") and not c.reversal
        intent, role = c.intent, (role or c.role) if keep else c.role

    if intent is None:
        if condition:
            return ReplyIntent("maybe")
        if any(c.question for c in clauses):
            return ReplyIntent("other")
        weak = [c.weak for c in clauses if c.weak]
        if weak and not (weak[-1] == "yes" and any(c.ack for c in clauses)):
            intent = weak[-1]
    elif condition:
        intent = "maybe"
    if intent == "yes" and role is None and sarcasm:
        intent = "no"
    if intent is None:
        return ReplyIntent("other")
    return ReplyIntent(intent, role if intent in ("yes", "maybe") else None)


def _classify_sign(text: str, sarcasm: bool) -> ReplyIntent | None:
    """'+1', '+2', '-1' at the start; None when the text does not start with one."""
    match = re.match(r"(plusun|moinsun)\b[ ,.!;…]*", text)
    if match is None:
        return None
    sign: Intent = "yes" if match.group(1) == "plusun" else "no"
    rest = text[match.end() :].strip()
    if not rest:
        return ReplyIntent(sign)
    if rest.startswith("pour "):
        target = rest[5:]
        if _SIGN_EVENT_RE.match(target):
            return ReplyIntent(sign)
        if sign == "yes":
            lead = re.match(r"(?:(?:le|la|les|du|de|des|un|une|faire|aider|tenir|au|a)\b ?)*", target)
            mentions = role_mentions(target)
            if lead is not None and mentions and mentions[0][0] <= lead.end():
                return ReplyIntent("yes", mentions[0][2])
        return ReplyIntent("other")  # "+1 pour changer de marché": agrees with something else
    if _SIGN_AGREEMENT_RE.search(rest):
        return ReplyIntent("other")
    result = _combine(_clauses(rest), sarcasm)
    return result if result.intent != "other" else ReplyIntent(sign)


def classify_reply(text: str) -> ReplyIntent:
    """Read a reply to an announcement: the sender's intent and, for a task they take, the role."""
    body, emoji, sarcasm = _split_emoji(text[:MAX_CHARS])
    normalized = _normalize(body)
    if not re.search(r"[a-z0-9]", normalized):
        # Emoji alone: 👍 ✋ 🙋 yes, 🤔 🤷 maybe, 👎 no; other emoji are reactions, not answers.
        answers = [a for a in emoji if a != "other"]
        return ReplyIntent(answers[-1] if answers else "other")
    signed = _classify_sign(normalized, sarcasm)
    if signed is not None:
        return signed
    return _combine(_clauses(normalized), sarcasm)

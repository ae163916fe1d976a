"""The phrases of each meaning, on normalised text (docs/reply-conventions.md). Data, and the
regular expressions built from it."""

from __future__ import annotations

from domain.text import LazyPattern, lazy_compile

# --------------------------------------------------------------------------------------------
# Lexicons (on normalised text). Each tuple lists the phrases of one meaning.
# --------------------------------------------------------------------------------------------


def _alt(*patterns: str) -> str:
    return "|".join(patterns)


def _words(patterns: tuple[str, ...]) -> LazyPattern:
    return lazy_compile(rf"\b(?:{_alt(*patterns)})\b")


# Adverbs that may sit inside a verb phrase; a negation among them flips it.
_ADV = (
    r"(?: (?:pas|plus|jamais|point|bien|aussi|volontiers|surement|normalement|probablement|certainement"
    r"|peutetre|a priori|quand meme|forcement|vraiment|trop|du tout|encore|finalement|evidemment|biensur"
    r"|toujours|donc|alors|sans doute|en principe|tres|deja|tout a fait|absolument|carrement|moi))*"
)
_NEG = r"(?:pas|plus|jamais|point)"

# Not conditions at all: "sauf imprévu" keeps a yes; "même si" concedes, it does not condition.
NOT_CONDITION = lazy_compile(
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
ORG_CONDITION_RE = lazy_compile(rf"\b(?:{_alt(*_ORG_CONDITION)})\b")

# Conditions on the sender's own circumstances (weather, work, children, a lift): maybe.
# "si" is a conjunction unless it is the "si" of "ah si !" or an intensifier ("si tôt").
OWN_CONDITION_RE = lazy_compile(
    r"(?<!ah )(?<!oh )(?<!mais )\bsi\b(?= (?!si\b|tot\b|tard\b|bien\b|peu\b|longtemps\b|loin\b|vite\b"
    r"|content|heureu|cool\b|important|simple\b|finalement\b)\w)"
    r"|\bsauf si\b|\ba condition (?:que|de)\b|\ba moins que\b|\bselon\b|\ben fonction de\b"
    r"|\b(?:ca|tout) depend\b|\bdepend de\b"
)
# Where a condition placed first gives way to the main clause: "si il fait beau | je viens".
RESUME_RE = lazy_compile(
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
LATE = lazy_compile(r"\b(?:en retard|plus tard|un peu apres|pas a le heure)\b")
# A reason bounded in time ("je bosse à 14h", "je travaille l'aprem") after a yes is partial presence.
TIME_LIMIT = lazy_compile(
    r"\b(?:jusque|a partir de|le aprem|le apres midi|le soir|a \d+ ?h|\d+ ?h\d*|vers \d+|midi|en fin de"
    r"|en debut de)\b"
)

# Weak words decide only when nothing else in the message does.
WEAK_YES = lazy_compile(r"\b(?:ok|daccord|passouci|entendu|ca va|ce est (?:bon|ok|good))\b")
WEAK_NO = lazy_compile(r"\b(?:desole|malheureusement|helas|dommage|snif)\b")
ACK = lazy_compile(r"\b(?:merci|note|bien recu|recu|compris|vu|pris note|entendu|bravo|top|super|genial)\b")

# Another date suits: "le dimanche d'après oui" after a refusal is still a refusal.
OTHER_TIME = lazy_compile(
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
REVERSAL_RE = lazy_compile(rf"^(?:(?:{_alt(*_CONNECTORS)}) )?(?:non )?(?:{_alt(*_REVERSAL)})\b")
CLAUSE_SPLIT_RE = lazy_compile(rf",| (?=(?:{_alt(*_REVERSAL, *_CONNECTORS)})\b)")
SENTENCE_RE = lazy_compile(r"([^.!?;…\n]*)([.!?;…\n]*)")

# Questions (where, when, what to bring) even without a question mark.
QUESTION_START_RE = lazy_compile(
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
OTHER_SUBJECT_RE = lazy_compile(
    r"^(?:(?:et|mais|par contre|sinon|alors|bon|ah|oh|ok|du coup|enfin|oui|non) )*"
    r"(?P<subj>(?:il|elle|ils|elles)|(?:mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs"
    r"|le|la|les|un|une|des|tout le|toute la) [a-z]+|[a-z]+(?: et [a-z]+)?)"
    rf" (?:y |en |me |nous |vous |le |la |les )?{_THIRD_VERB}\b"
)
OTHER_ANSWER_RE = lazy_compile(
    r"^(?:(?:et|mais|par contre|sinon|alors|bon|ah|oh|du coup|pour) )*(?P<subj>[a-z]+(?: [a-z]+){0,2})"
    r" (?:oui|non|aussi|pareil|idem|dispo|partant|present|ok|plusun|egalement|volontiers|non plus|pas"
    r"|motive|chaud)$"
)
SELF_RE = lazy_compile(r"\b(?:je|moi|on|nous|perso)\b")
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
NOT_SUBJECT = frozenset(_NOT_SUBJECT_WORDS.split())

# Presence words: a refusal naming them is a refusal to come, not of one task.
PRESENCE_RE = lazy_compile(
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
TAKE_BEFORE_RE = lazy_compile(rf"(?:\b(?:{_alt(*_TAKE)})\b|^(?:[^ ]+ ){{0,2}}pour\b)(?: [^ ]+){{0,4}} $")
# "ok pour tracter", "dispo pour le stand": taking a task without a subject.
SUBJECTLESS_TAKE_RE = lazy_compile(
    r"^(?:[^ ]+ ){0,2}(?:ok|daccord|dispo|partant|chaud|motive|volontaire|present|prete?|plusun|moi|go) pour\b"
)
# "stand pour moi !"
FOR_ME_RE = lazy_compile(r"^ pour moi\b")
# A role verb right after the subject: "je tracte", "je distribue volontiers".
VERB_TAKE_RE = lazy_compile(r"(?:\bje(?: [^ ]+){0,3}|\bpour) $")
NEGATED_BEFORE_RE = lazy_compile(rf"\b(?:{_NEG}|sans)\b(?: [^ ]+){{0,3}} $")
NEG_BEFORE_RE = lazy_compile(
    rf"\b{_NEG}(?: (?:trop|vraiment|tres|super|du tout|encore|forcement|toujours|si|tellement|hyper"
    r"|completement|totalement|franchement))? $"
)
NEG_AFTER_RE = lazy_compile(
    r"^(?: (?:vraiment|malheureusement|absolument|franchement|juste|donc|finalement|toujours|meme|surement"
    r"|probablement|certainement|normalement|helas))? (?:pas|jamais|point|plus(?! tard| tot| de| que))\b"
)
NEG_INSIDE_RE = lazy_compile(rf"\b{_NEG}\b")
NEGATED_AFTER_RE = lazy_compile(r"^ (?:pas|plus|jamais|rien)\b")  # "je tracte pas", "je ramène rien"

# Bringing, carrying, driving anything → logistique (whatever the object).
LOGISTICS_VERB_RE = lazy_compile(
    r"\b(?:ramene\w*|rapporte\w*|apporte\w*|amene\w*|emmene\w*|transporte\w*|conduir\w*|conduis|conduit"
    r"|vehicule\w*|livre|livrer|livrerai|recupere\w*|installe\w*|monte|monter|monterai|demonte\w*|range"
    r"|ranger|rangerai|achete|acheter|acheterai|prete|preter|preterai|fournis|fournir|fournirai|porte"
    r"|porter|porterai|prendre \w+ personnes|prendre du monde|prendre la voiture|prends la voiture"
    r"|passer? prendre|aller chercher|vais chercher)\b"
)
LOGISTICS_NOUN_RE = lazy_compile(
    r"\b(?:cafe|croissants?|viennoiseries|boissons?|gateaux?|thermos|tables?|chaises?|tonnelle|barnum|sono"
    r"|micro|enceinte|gobelets?|scotch|colle|pinceaux?|seau|escabeau|rallonge|remorque|cartons?|voiture"
    r"|camion|covoit\w*|materiel|matos)\b"
)
# Coming with a friend is a yes without a task; driving people is logistique.
COMPANION_RE = lazy_compile(
    r"^ (?:[^ ]+ )?(?:coloc\w*|potes?|amie?s?|copain\w*|copine\w*|femme|mari|compagne|compagnon|conjointe?"
    r"|epou\w*|fils|filles?|enfants?|gamins?|gamine|gosses?|petite?s?|soeurs?|freres?|mere|pere|parents"
    r"|voisin\w*|collegues?|chien\w*|famille|cousin\w*|monde|quelquun|gens|bebe|tante|oncle|neveu|niece"
    r"|renforts?|camarades?|bande|equipe)\b"
)
CAR_RE = lazy_compile(r"\b(?:voiture|covoit\w*|caisse|places|vehicule|camion)\b")
# Laying out a poster or a visual is graphisme, gluing it is collage.
DESIGN_BEFORE_RE = lazy_compile(
    r"\b(?:faire|fais|ferai|creer|cree|creerai|dessiner|dessine|preparer|prepare|concevoir|realiser|realise"
    r"|maquetter|designer)(?: (?:le|la|les|un|une|des|du|de|nouveau|nouvelle|nouvelles|petit|petite))* $"
)
DESIGNABLE_RE = lazy_compile(r"^(?:affiches?|flyers?|visuels?|bannieres?)$")
SOCIAL_AFTER_RE = lazy_compile(r"^(?: [^ ]+){0,3} (?:posts?|stor(?:y|ies)|publications?|tweets?)\b")

HEDGE_RE = _words(_HEDGE)
SPECIAL_MAYBE_RE = _words(_SPECIAL_MAYBE)
LEAN_NO_RE = _words(_LEAN_NO)
MY_PLACE_RE = _words(_MY_PLACE)
SARCASM_RE = _words(_SARCASM)
PARTIAL_NEG_RE = _words(_PARTIAL_NEG)
NEUTRAL_RE = _words(_NEUTRAL)
NO_RE = _words(_NO)
YES_RE = lazy_compile(rf"(?:\b|^)(?:{_alt(*_YES)})\b")

# "+1 pour …": the event itself, the sender, or a day → yes; something else in the thread → other.
SIGN_EVENT_RE = lazy_compile(
    r"^(?:moi|nous|samedi|dimanche|demain|(?:ce|le) (?:samedi|dimanche|matin|week end|weekend|rdv|tractage)"
    r"|cette (?:action|sortie|date|fois)|la matinee|le aprem|la sortie|le action|le evenement)\b"
)
SIGN_AGREEMENT_RE = lazy_compile(r"\b(?:idee|raison|bien dit|bien vu|daccord avec|je suis daccord)\b")

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
        r"\bsauf (?:si )?(?:(?:il y a|je ai|on a|jai) )?(?:un |une )?(?:gros |grosse )?(?:imprevus?|empechements?|contre ordre|soucis?"
        r"|problemes?|catastrophe|accident|annulation)\b",
        r"\bsauf si (?:quelque chose|un truc|rien) (?:de imprevu )?(?:arrive|se passe|tombe|survient|me tombe dessus)\b",
        r"\bsi tout va bien\b",
        r"\bsi rien change\b",
        r"\bsi il (?:vous|te) plait\b",
        r"\bje (?:demande|vais demander|redemande) (?:a|au|aux) [^,]*? si (?:il|elle|ils|elles)\b.*$",  # asks for another
        r"\b(?:meme|comme) si\b.*$",
        r"\bsi (?!je\b)[^,]*?(?= (?:je|on|moi|nous)\b[^,]*\bquand meme\b)",  # "s'il pleut je viens quand même"
        r"\bsauf si (?:vous|tu|on|les? orga\w*|ca|le action|la action|le evenement|la sortie|ce est)"
        r" (?:annul|report|decal|change|deplac|est annul)\w*",
        r"\b(?:je sais pas |je ignore )?si (?:quelquun|vous|tu|on|tout le monde|les gens|certains) (?:a|avez|as|ont)"
        r" (?:vu|lu|su|remarque|entendu|capte)\w*",
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
    r"si il (?:faut|le faut|(?:vous |te |nous )?manque|en faut|reste de la place|y a de la place)",
    r"si il (?:reste|y a|en reste) (?:assez|suffisamment|encore|toujours|des|du|de la)",  # the organisers' supplies
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
    r"si (?:quelquun|on|vous|tu|les? orga\w*) (?:(?:veut|veulent|voulez|veux|peut|pouvez|peux|pourrait|pourriez)"
    r" (?:bien )?)?(?:me |men |nous )?(?:donne|donnez|envoie|envoyez|passe|passez"
    r"|transmet|transmettez|file|filez|fournit|fournissez|explique|expliquez|dit|dites|indique|indiquez"
    r"|precise|precisez|montre|montrez|redonne|rappelle|rappelez)\w*",
    r"si oui",
    r"si ce est le cas",
    r"au besoin",
    r"le cas echeant",
    r"en cas de besoin",
)
ORG_CONDITION_RE = lazy_compile(rf"\b(?:{_alt(*_ORG_CONDITION)})\b")

# Conditions on the sender's own circumstances (weather, work, children, a lift): maybe.
# "si" is a conjunction unless it is the "si" of "ah si !" or an intensifier ("si tôt").
OWN_CONDITION_RE = lazy_compile(
    r"(?<!ah )(?<!oh )(?:(?<!mais )|(?=si (?:il|ils|elle|elles|ca|mon|ma|mes|je)\b))\bsi\b(?= (?!si\b|tot\b|tard\b|bien\b|peu\b|longtemps\b|loin\b|vite\b"
    r"|content|heureu|cool\b|important|simple\b|finalement\b)\w)"
    r"|\bsauf si\b|\ba condition (?:que|de)\b|\bsous reserve (?:que|de|qu)\b|\ba moins que\b|\bselon\b|\ben fonction de\b"
    r"|\b(?:ca|tout) depend\b|\bdepend de\b"
)
# Where a condition placed first gives way to the main clause: "si il fait beau | je viens".
RESUME_RE = lazy_compile(
    r" (?=(?:je|moi|on|nous|oui|ok|dispo|partant|present|volontiers|carrement|go|plusun|avec plaisir)\b)"
)

# Double negatives and open answers: maybe, whatever negation they contain.
_SPECIAL_MAYBE = (
    r"je dis pas que je (?:viendrai|serai|pourrai|passerai|viens|vais venir) pas",
    r"je (?:dis|dirai|dirais) pas non",
    r"(?:ce est |il est )?pas (?:impossible|exclu)(?: que [^,]*)?",
    r"il se peut que [^,]*",
    r"(?:il y a|y a) (?:des|de fortes|de bonnes|quelques) chances(?: que [^,]*)?",
    r"je exclus pas",
    r"pas dit que je",
    r"je sais (?:pas|plus)(?: encore)?(?! (?:venir|passer|etre la|y aller|me liberer|participer|y etre|faire|tracter|coller|dessiner|ecrire|rediger"
    r"|conduire|compter|filmer|photographier|parler|prendre))",
    r"(?:je suis )?pas (?:encore |trop |tres )?(?:sur|sure|certain|certaine)(?: de pouvoir)?"
    r"(?! (?:moi|toi|lui|nous|vous|eux|place|le|la|les|un|une|des|ce|cette|site)\b)(?: (?:que|de|si|je)\b[^,]*)?",
    r"je (?:suis|serais) pas contre",
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
    r"plutot (?:non|pas)",
    # a reason of one's family: "ma fille a un match samedi"
    r"(?:mon|ma|mes) (?:fils|fille|filles|enfants?|gamins?|petite?s?|mari|femme|conjointe?|compagne|compagnon|mere"
    r"|pere|parents|soeur|frere|famille|grand mere|grand pere|belle mere|beau pere) (?:a|ont|fete|fetent) (?:un|une"
    r"|le|la|son|sa|leur|leurs|des|ses) (?:match|tournoi|competition|anniversaire|anniv|spectacle|fete|mariage|rdv"
    r"|rendez vous|cours|entrainement|gala|concert|bapteme|communion|kermesse|operation|examen)",
    r"ca (?:me |nous )?(?:joue|adonne)(?:ra|rait)? pas",
    r"(?:ce est )?mort pour moi",
    r"(?:mon|ma|mes) (?:fils|fille|filles|enfants?|gamins?|petite?s?|mari|femme|conjointe?|compagne|compagnon|mere"
    r"|pere|parents|soeur|frere) (?:est|sont) (?:malades?|hospitalisee?s?|a le hopital|aux urgences)",
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
    r"(?:je (?:mets|vais mettre|mettrai) )?mon reveil expres",
    r"(?:ah |oh )?(?:oui )?biensur,? (?:un|a|le) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) a \d+ ?h\d*",
    r"et moi je suis (?:le pape|la reine|le roi|napoleon|la reine de angleterre)",
)

# A negation about timing, not about coming: "pas avant 10h", "pas longtemps" (partial presence).
_PARTIAL_NEG = (
    r"pas (?:venir |etre la |arriver |passer |dispo |libre |la |rester )?(?:avant|tot|trop tot|des le debut"
    r"|a le heure|au debut|longtemps|trop longtemps|toute la (?:matinee|journee|duree)|tout le (?:matin|temps)"
    r"|de suite|tout de suite|jusque)",
    r"pas rester(?: tout| toute)?",
    r"(?:commence[rz]?|partez|allez y|demarre[rz]?) sans moi",
)

# Phrases that would mislead the lexicons below: weather, "pas grave", support, thanks.
_NEUTRAL = (
    r"il (?:fait|fera|faisait|va faire) (?:\w+ )?(?:chaud|beau|froid|moche|gris|bon)",
    r"(?:ce est )?(?:pas )?grave",
    r"pas mal",
    r"sur site",
    r"rien a voir",
    r"je ai (?:encore jamais|jamais encore|jamais|pas encore|deja) (?:fait|tracte|colle|participe|tenu)\w*"
    r"(?: (?:de|du|le|la|les|un|une|des|a) [a-z]+(?: a [a-z]+)?)?",
    r"(?:ce est )?(?:mon |ma |le |la )?premiere? (?:fois|[a-z]+(?: a [a-z]+)?) pour moi",
    r"non seulement",
    r"je (?:vous |te )?soutiens(?: (?:a )?100 pourcents?| a fond| totalement| de loin| moralement| de tout coeur)?",
    r"il (?:pleut|pleuvra|va pleuvoir|neige|neigera|va neiger|gele|fera beau)(?: pas)?(?: [a-z]+){0,3}",
    r"(?:de )?apres la meteo|la meteo (?:annonce|prevoit|dit)\w*",
    r"(?:bon )?courage",
    r"de tout coeur",
    r"par la pensee",
    r"en pensee",
    r"je pense (?:bien )?a vous",
    r"force a vous",
    r"je (?:voulais|comptais|pensais|devais|esperais|avais prevu de|avais envie de|aurais (?:bien )?(?:aime|voulu))"
    r"(?: [^ ]+){0,3}",
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
    r"(?:je )?(?:retire|annule|enleve|supprime)\w* (?:mon|ma) (?:plusun|oui|inscription|participation|nom)",
    r"(?:me|nous) permet\w* (?:pas|plus)",
    r"(?:je )?(?:vous |te )?confirme (?:mon|ma|notre) (?:absence|indisponibilite|desistement|empechement)",
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
    r"(?:je ai|on a|nous avons|je aurai|on aura) (?:un|une|le|la|mon|ma|des|deja|un gros|une grosse|notre) (?:mariage|anniversaire|anniv|bapteme"
    r"|enterrement|rdv|rendez vous|examen|exam|concert|match|foot|entrainement|piscine|cours|repas"
    r"|demenagement|truc|imprevu|empechement|souci|probleme|obligation|engagement|evenement|reunion"
    r"|spectacle|competition|tournoi|fete|week end|weekend|repetition|representation|gala|soutenance|entretien"
    r"|reunion|seminaire|formation|partiel|repas|diner|dej|dejeuner|barbecue|bbq|pique nique|invitation"
    r"|operation|intervention|greve)",
    r"(?:trop|beaucoup trop|un peu) (?:loin|tot|juste) pour moi",
    r"(?:samedi|dimanche|week end|ce jour la|demain)\b.* (?:je|on|nous) (?:serai|suis|serais|sera|est|serons|sommes)"
    r" a (?!(?:le|la|les|un|une|fond|bloc|dispo|temps|pied|velo|moto|cote|peine|partir|nouveau|deux|trois|quatre"
    r"|la bourre)\b)[a-z]{3,}$",
    r"pas (?:pour )?(?:cette fois|ce coup ci|ce coup la)",
    r"pas (?:ce |cette )?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|week end|weekend|jour la|matin"
    r"|coup|soir|aprem|date)",
    r"pas cette (?:semaine|date)",
    r"pas (?:samedi|dimanche|demain|aujourdhui)",
    r"(?:la|une) (?:prochaine|autre)(?: fois)?",
    r"je (?:peux|pourrai) plus",
    r"je vais devoir (?:annuler|decliner|me desister|renoncer|faire le impasse|passer)",
    r"je renonce",
    r"(?:declare\w*|je fais|faire) forfait",
    r"(?:je|on|nous) (?:serai|suis|serais|serons|sommes|vais|vais etre) pas (?:a|en|dans) (?!(?:le heure|la bourre|temps"
    r"|la hauteur|jour|fond|bloc|cote|retard|avance|forme|mesure|etat|train|avance|\d)\b)[a-z]{3,}",
    r"par procuration",
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
    r"je prefere (?:pas|passer|eviter|rester|me reposer|decliner)",
    # reasons that rule the day out: elsewhere, busy, away, ill, moving, guests
    r"(?:je|on|nous) (?:serai|suis|serais|sera|est|serons|sommes|vais etre|va etre)(?: (?:deja|encore|toujours"
    r"|normalement|surement))? (?:chez|loin|ailleurs|dehors|hors de|a la (?:mer|montagne|campagne|plage|maternite"
    r"|fac|messe|piscine|maison)|a le (?:hopital|etranger|ski|mariage|anniversaire|enterrement|bapteme|autre bout)"
    r"|au (?:mariage|bapteme|ski|boulot|travail|taf|concert|match|festival|soleil|bord de|chevet|lit|salon"
    r"|seminaire|congres|stage|camping|tribunal|vert|pays)|aux (?:urgences|sports)|en (?:week end|weekend|vacances"
    r"|voyage|formation|seminaire|deplacement|famille|conges?|mission|stage|cure|rando\w*|vadrouille|balade"
    r"|sortie|visite|province|bretagne|normandie|corse)|de (?:nuit|service|garde|mariage|repos|corvee|sortie"
    r"|permanence|matin|soiree))",
    r"(?:je|on|nous) (?:pars|part|partons|partirai|serai partie?|suis partie?|serons partis|vais partir|va partir"
    r"|rentre pas|remonte|descends? (?:dans|en|a))\b(?! (?:de|du|a \d|vers|apres|a le heure|plus tot|tot|tard))",
    r"(?:je|on|nous) (?:recois|recoit|recevons|accueille|accueillons) (?:du monde|de la famille|des amis|des invites"
    r"|mes|ma|mon|nos|des|la famille|les)",
    r"je ai (?:des invites|de la famille|de la visite|du monde|mes (?:enfants|gamins|petits)|les (?:enfants|gamins|petits))",
    r"je garde (?:mes|les|ma|mon|des|le|la) (?:petit|petite|enfants|gamins|neveu|niece|fille|fils|bebe|chien)\w*",
    r"je (?:demenage|emmenage)",
    r"je me suis (?:casse|blesse|fait mal|tordu|fait une entorse|foule|fait operer)\w*",
    r"entorse|platre|bequilles|fievre|grippe|covid|alite\w*|hospitalise\w*",
    r"(?:je suis |suis |deja |trop |tres )(?:occupee?|bookee?|blindee?|overbookee?|pris ailleurs|coincee?|bloquee?"
    r"|charrette)\b|^occupee?\b",
    r"je (?:me )?decommande\w*",
    r"^(?:(?:mais|et|bon|ah|oh) )?(?:finalement|en fait|au final|tout compte fait|reflexion faite)(?: ce sera)?"
    r" (?:pas|plus|non)\b",
    r"plus (?:possible|dispo|disponible|libre|faisable|jouable)",
    r"je ai (?:mon|ma|mes|les) (?:fils|fille|filles|enfants|gamins|petits|petite|petit|neveux?|nieces?)",
    r"(?:je|on|nous) (?:fete|fetons|celebre|celebrons) ",
    r"(?:mariage|anniversaire|anniv|bapteme|communion|enterrement|obseques|pot de depart) (?:de|du|des) (?:ma|mon|mes"
    r"|notre|nos)",
    r"(?:je|on|nous) (?:serai|suis|serais|sera|est|serons|sommes) a (?!(?:le|la|les|un|une|fond|bloc|dispo|temps"
    r"|pied|velo|moto|cote|peine|partir|nouveau|deux|trois|quatre|la bourre)\b)[a-z]{3,}(?= (?:ce|cette|samedi"
    r"|dimanche|tout|jusque|le week end|pour le|depuis)\b)",
    r"je (?:suis|serai|me sens) (?:trop |completement |vraiment |hyper )?(?:crevee?|epuisee?|naze|ko|lessivee?"
    r"|a plat|sur les rotules|fatiguee?|claquee?|vannee?)",
    r"je (?:vais )?me reposer|je me repose",
    r"je (?:rentre|reviens|rentrerai|reviendrai)(?: de [a-z ]+?)? (?:que|seulement|juste|pas avant)\b",
    r"(?:vous|te) lache[rz]?",
    r"je (?:saurai|saurais|sais) pas (?:venir|passer|etre la|y aller|me liberer|participer|y etre)",
    r"pas (?:pantoute|du tout)",
    r"pantoute",
    r"flemme",
    r"je ai pas de (?:voiture|moyen de transport|vehicule|transport|baby sitter|nounou|solution de garde)",
    r"(?:je dois|je suis obligee? de|il faut que je|je me vois oblige\w* de) (?:annuler|me desister|decliner|renoncer)",
    r"(?:trop|beaucoup|plein|une tonne) de (?:boulot|taf|travail|choses a faire|trucs a faire)",
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
    r"|inscrit|arrive|devant|au point|deja la|la bas|volontaire|a bloc|dans le coin|dans les parages)",
    r"je (?:serai|suis|risque de etre|vais etre)(?: \w+){0,2} en retard",
    r"je (?:serai|suis|vais etre) (?:connectee?|en ligne|en visio|sur le lien|sur zoom|sur teams)",
    r"je (?:me )?(?:connecte|connecterai|vais me connecter)\b",
    r"je (?:le |la |les )?(?:suivrai|vais suivre|suis|regarderai) (?:en visio|en ligne|en direct|en live|a distance"
    r"|sur zoom|sur teams|sur le lien)",
    # on site at the group's own place: "je serai au local dès 18h", "je serai à la perm", "j'ai les clés"
    rf"je (?:serai|suis|vais etre){_ADV} (?:au local|a la perm\w*|au stand|sur le stand|au point de (?:rdv|rendez vous)"
    r"|sur le marche|au marche|a le accueil|a la table)",
    r"je ai les cles",
    r"(?:^|je )(?:ouvre|ouvrirai|vais ouvrir)(?: le local| la salle| la perm\w*)?$",
    r"(?:je )?(?:vous |te )?confirme (?:ma|mon|notre|nos) (?:presence|venue|participation|inscription)",
    # a time slot taken: "11h-13h pour moi", "je prends le créneau 14h-16h"
    r"\d{1,2}h\d{0,2} (?:a )?\d{1,2}h\d{0,2} (?:pour moi|ca me va|me va|je prends|ok pour moi|je peux)",
    r"(?:je (?:prends|fais|peux faire|pourrai faire|veux bien|garde|me mets sur|me inscris sur|me positionne sur"
    r"|tiens|tiendrai)|pour moi) (?:le |un |les |ce |des )?creneaux?\b",
    r"je (?:peux|pourrai|veux bien) faire (?:de )?\d{1,2}h\d{0,2} (?:a )?\d{1,2}h",
    r"inscrit",
    rf"je y{_ADV} (?:serai|suis|vais|serais|irai|passerai|passe|viendrai)",
    rf"je en{_ADV} (?:suis|serai|serais)",
    rf"je{_ADV} (?:participe|participerai|me inscris|me joins|vous rejoins|te rejoins|rejoins|vous rejoindrai"
    r"|rejoindrai|arrive|arriverai|passe|passerai|irai|vais passer|vais venir|reponds present|confirme"
    r"|signe|valide|me y colle|accours|debarque|debarquerai)",
    rf"on{_ADV} (?:sera|seras|vient|viendra|y sera|y va|est la|arrive|passe|passera|participe|en est|en sera)",
    r"nous (?:serons|viendrons|venons|sommes la|participerons|y serons)",
    r"et moi (?:serons|viendrons|venons|sommes la|participerons|y serons|on sera|on vient)",
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
    r"^a (?:samedi|dimanche|demain|tout a le heure|tout de suite|ce samedi|ce dimanche|tantot|plus)",  # "à samedi !"
    r"on (?:va|peut|pourra) (?:venir|passer|participer|etre la|aider|y aller|y etre)",
    r"ca (?:me |nous )?(?:joue|adonne|botte|branche|chauffe)",
    r"je me rejouis",
    r"(?:me|nous) (?:re)?voila",
    r"on se (?:voit|retrouve|rejoint) (?:samedi|dimanche|demain|la bas|sur place|tout a le heure|tantot|bientot"
    r"|ce (?:samedi|dimanche|week end)|a \d+|au|a la|devant)",
    r"ce est (?:correct|tiguidou|nickel)(?: pour moi)?",
    r"zou",
    r"(?:^|je ai |trop |tellement |vivement )hate",
    r"vivement (?:samedi|dimanche|demain|ce|le|la)",
    r"sure? et certaine?",
    r"(?:a )?100 pourcents?",
    r"sans faute",
    r"je (?:sais|saurai) (?:venir|passer|etre la|y etre|participer)",
    r"(?:appelez|appelle|sonnez|bipez|contactez|contacte|pingez|ping) moi",
    r"je (?:descends|monte) (?:vous )?(?:aider|donner)",
    r"je descends",
)

# Double negatives that commit: "je vais pas rater ça", "pas question que je rate ça", "c'est pas de refus".
_SPECIAL_YES = (
    r"(?:je )?(?:vais |veux |voudrais |peux |pourrais |compte )?pas (?:rater|louper|manquer|zapper)\w*",
    r"je (?:manquerai|raterai|louperai|manquerais|raterais|louperais|rate|loupe|manque) pas",
    r"(?:rate|loupe|manque)\w* (?:ca |cela )?pour rien au monde",
    r"(?:pas|hors de) question (?:que je (?:rate|loupe|manque|sois pas|vienne pas)|de (?:rater|louper|manquer))\w*",
    r"(?:ce est )?pas de refus",
    r"je (?:peux|pourrai|vais) pas (?:pas|ne pas) (?:venir|etre la|y aller|passer)",
    r"(?:je )?(?:serai|suis|serais) pas (?:absente?|indispo|en retard)",
    r"(?:impossible|pas possible) de (?:ne )?pas (?:venir|etre la|y aller|participer|passer)",
    r"je vois pas (?:pourquoi|ce qui) (?:je )?(?:viendrai|viendrais|serais|serai|pourrai|pourrais)\w* pas",
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
    r"je (?:te |vous )?confirme (?:plus tard|demain|ce soir|de ici|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|en fin de semaine|la semaine|dans|bientot|asap|des que"
    r"|rapidement|au plus vite|sous peu)",
    r"je confirmerai",
    r"a confirmer",
    r"je reviens vers (?:toi|vous)",
    r"je redis",
    r"je hesite",
    r"je (?:vais )?reflechi[rs]",
    r"pourquoi pas",
    r"je espere (?:pouvoir|venir|etre la|passer|y etre|me liberer|en etre|que oui|bien)",
    r"dans la mesure du possible",
    r"(?:il )?faut que je (?:voie|vois|regarde|check|verifie|demande)",
    r"je dois (?:voir|verifier|checker|regarder|demander)",
    r"je (?:vais )?(?:regarde|regarder|check|verifie|verifier)",
    r"je vois (?:ca|avec)",
    r"je (?:te|vous) fais signe",
    r"il se peut",
    r"indecise?",
    r"50 50",
    r"(?:quasi|quasiment|presque) (?:sure?|certaine?)",
    r"(?:a )?[1-9]\d? pourcents?",
    r"je (?:tacherai|tache|vais tacher)",
    r"je ferai (?:mon possible|de mon mieux|au mieux|le maximum|ce que je peux)",
    r"je (?:aimerais|aimerai|voudrais)(?: bien| beaucoup)?",
    r"plutot oui",
    r"ca devrait (?:aller|le faire|etre bon|passer|jouer|etre jouable|etre ok|marcher)",
    r"devrait etre jouable|ca devrait",
    r"je croise les doigts",
    r"y a moyen|il y a moyen",
    r"on sait jamais",
)

# Being late or staying a short while: partial presence, a yes.
LATE = lazy_compile(r"\b(?:en retard|plus tard|un peu apres|pas a le heure)\b")
# A reason bounded in time ("je bosse à 14h", "je travaille l'aprem") after a yes is partial presence.
TIME_LIMIT = lazy_compile(
    r"\b(?:jusque|a partir de|le aprem|le apres midi|le soir|a \d+ ?h|\d+ ?h\d*|vers \d+|midi|en fin de"
    r"|en debut de|juste avant|avant(?! (?:de|que|\d))|de abord)\b|^(?:et |mais )?(?:apres|ensuite|puis)\b"
)

# Weak words decide only when nothing else in the message does.
WEAK_YES = lazy_compile(
    r"\b(?:ok|daccord|passouci|entendu|ca va(?! (?!aller\b|etre\b)\w+(?:er|ir|re)\b)|ce est (?:bon|ok|good))\b"
)
WEAK_NO = lazy_compile(r"\b(?:desole|malheureusement|helas|dommage|snif)\b")
ACK = lazy_compile(
    r"\b(?:transmet\w*|transmis|merci|note|bien recu|recu|compris|vu|pris note|entendu|bravo|top|super|genial)\b"
)

# Another date suits: "le dimanche d'après oui" after a refusal is still a refusal.
OTHER_TIME = lazy_compile(
    r"\b(?:de apres|suivante?|prochaine?|une autre fois|un autre jour|une autre date"
    r"|autre (?:samedi|dimanche|jour|fois|date|week end)|semaine prochaine|mois prochain|(?:semaine|week end|fois) pro)\b"
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
    r"|prend|prendra|gere|gerera|viendrait|serait|a dit|ont dit|a repondu|ont repondu|a confirme|ont confirme)"
)
OTHER_SUBJECT_RE = lazy_compile(
    r"^(?:(?:et|mais|par contre|sinon|alors|bon|ah|oh|ok|du coup|enfin|oui|non) )*"
    r"(?P<subj>(?:il|elle|ils|elles)|(?:mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs"
    r"|le|la|les|un|une|des|tout le|toute la) [a-z]+(?: (?!(?:y|en|me|nous|vous|le|la|les)\b)[a-z]+)?"
    r"|[a-z]+(?: et [a-z]+)?)"
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
    haha coup fait finalement final ma mon plutot"""
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
    r"met(?:s|tre|trai)?",
    r"creneaux?",
    r"poste\w*|publie\w*|relaie\w*|relayer|partage\w*",
    r"(?:suis|serai) (?:sur|a|au|pour)",
    r"je (?:serai|peux etre|veux bien etre|vais etre)",
    r"prends en charge|prendre en charge",
)
TAKE_BEFORE_RE = lazy_compile(rf"(?:\b(?:{_alt(*_TAKE)})\b|^(?:[^ ]+ ){{0,2}}pour\b)(?: [^ ]+){{0,4}} $")
TAKE_ANY_RE = lazy_compile(rf"\b(?:{_alt(*_TAKE)})\b")
# "ok pour tracter", "dispo pour le stand": taking a task without a subject.
SUBJECTLESS_TAKE_RE = lazy_compile(
    r"^(?:[^ ]+ ){0,2}(?:ok|daccord|dispo|partant|chaud|motive|volontaire|present|prete?|plusun|moi|go) pour\b"
)
# "stand pour moi !"
FOR_ME_RE = lazy_compile(
    r"^(?: [^ ]+){0,5},? (?:pour moi|je (?:me )?(?:en )?(?:occupe|charge|prends|gere|fais)|ce est (?:pour )?moi|ca me va)\b"
    r"|^ moi(?: aussi| egalement| volontiers)?$"
)
# "je prends la tour B pour les boîtes aux lettres": a task after "pour", a taking word before.
FOR_BEFORE_RE = lazy_compile(
    r"\bpour(?: (?:le|la|les|du|des|de la|le|un|une))? $"
    r"|\b(?:rues?|immeubles?|batiments?|tours?|residences?|quartiers?|lotissements?|allees?) (?:de|des|en) $"
)
# "je passe avec une tarte": bringing a thing with one.
WITH_BEFORE_RE = lazy_compile(
    r"\bavec(?: (?:le|la|les|un|une|des|du|de la|mon|ma|mes|son|sa|ses|notre|nos|deux|trois|\d+))?(?: [^ ]+)? $"
)
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
    r"|passer? prendre|aller chercher|vais chercher|(?:passer?|venir|viens) chercher)\b"
)
LOGISTICS_NOUN_RE = lazy_compile(
    r"\b(?:cafe|croissants?|viennoiseries|boissons?|gateaux?|thermos|tables?|chaises?|tonnelle|barnum|sono"
    r"|quiches?|tartes?|cakes?|sandwich\w*|biscuits?|chips|brioches?|crepes?|soupe|jus|bouteilles?|eau|the"
    r"|gobelets?|parasols?|tente|treteaux|panneaux|pique nique|apero|snacks?|bieres?|vin|fruits?"
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
    r"\b(?:faire|fais|ferai|creer|cree|creerai|dessiner|dessine|dessinerai|preparer|prepare|concevoir|realiser"
    r"|realise|maquetter|designer|proposer|propose|proposerai|imaginer)(?: (?:le|la|les|un|une|des|du|de|nouveau"
    r"|nouvelle|nouvelles|petit|petite|propositions?|maquettes?|projets?|ebauches?|brouillons?|modeles?|versions?"
    r"|idees?|jolie?s?|belles?|beau))* $"
)
# Putting a text, a video or photos online on the website is site web, whatever is put.
SITE_PUT_RE = lazy_compile(
    r"\b(?:met(?:s|tre|trai|trais|tra)?|publie\w*|poste\w*|charge\w*|upload\w*)\b(?: [^ ]+){0,7}"
    r" (?:en ligne )?sur (?:le|notre) site\b"
)
# Tasks named in words roles.py does not list: (pattern, role).
EXTRA_ROLE_RE = lazy_compile(
    r"\b(?:(?P<redaction>pv|proces verbal|prise de notes|les notes|le compte rendu)"
    r"|(?P<assesseur>(?<=pour )(?:le|un) bureau\b(?! de (?!vote))|(?<=tenir )(?:le|un) bureau|(?<=tiens )(?:le|un) bureau|(?<=tiendrai )(?:le|un) bureau)"
    r"|(?P<boitage>(?<=les )boites\b(?! aux)|(?<=des )boites\b(?! aux)|(?<=\d )boites\b(?! aux)))"
)
EXTRA_ROLES = {"redaction": "rédaction", "assesseur": "assesseur", "boitage": "boîtage"}
# A quantity of the task alone in its clause: "je prends la résidence des Lilas, 150 boîtes".
QUANTITY_TASK_RE = lazy_compile(r"^(?:et )?\d{1,4} (?=[a-z])")
# Putting leaflets or papers in letter boxes is boîtage, whatever is put: "je mets 150 flyers dans les boîtes".
INTO_BOXES_RE = lazy_compile(r"\bdans (?:les|des|toutes les|nos|vos) boites\b")
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
SPECIAL_YES_RE = _words(_SPECIAL_YES)
YES_RE = lazy_compile(rf"(?:\b|^)(?:{_alt(*_YES)})\b")

# "+1 pour …": the event itself, the sender, or a day → yes; something else in the thread → other.
SIGN_EVENT_RE = lazy_compile(
    r"^(?:moi|nous|samedi|dimanche|demain|(?:ce|le) (?:samedi|dimanche|matin|week end|weekend|rdv|tractage)"
    r"|cette (?:action|sortie|date|fois)|la matinee|le aprem|la sortie|le action|le evenement)\b"
)
SIGN_AGREEMENT_RE = lazy_compile(r"\b(?:idee|raison|bien dit|bien vu|daccord avec|je suis daccord)\b")
# "+1 à ce que dit Nora", "+1 avec Marc, mieux vaut …": agreeing with someone's comment in the thread.
SIGN_AGREE_START_RE = lazy_compile(
    r"^(?:a ce (?:que|qui)|avec ce (?:que|qui)|comme (?!moi\b)[a-z]+|pareil que [a-z]+"
    r"|(?:a|avec) (?!(?:mon|ma|mes|un|une|des|deux|trois|quatre|\d+|moi|plaisir|joie)\b)[a-z]+ ?,"
    r"(?! *(?:je|moi|on|nous|perso)\b)"
    r"|a (?!(?:moi|fond|bloc|samedi|dimanche|demain|plus|tout|\d+)\b)[a-z]+ ?$)"
)

# A yes or no that answers something else in the thread: "oui c'est la place du marché", "non c'est
# samedi", "oui, les tracts sont au local" (a fact about a place, a time or a thing, nobody's answer).
INFO_ANSWER_RE = lazy_compile(
    r"^(?:(?:ah|bah|ben|euh|alors|et) )?(?:oui|non|si)\b[ ,]*"
    r"(?:(?:je crois|je pense|il me semble|normalement|a priori)(?: que)? )?"
    r"(?:(?:ce est|ca est|il y a|y a|ce sera|ce etait|il faut|faut|il reste|ca commence|ca se passe)\b(?! (?:bon|ok|good|parti|note|sur|certain|clair|promis|cool"
    r"|top|super|genial|avec plaisir|volontiers|mort|complique|chaud|tendu|cuit|rape|correct|nickel|pas (?:possible"
    r"|faisable|jouable|envisageable|le moment|gagne|evident|pour moi))\b)"
    r"|(?:le|la|les|un|une|des|du|mon|ma|mes|notre|nos|votre|vos|leur|leurs) [a-z]+(?: [a-z0-9]+){0,3}"
    r" (?:est|sont|etait|sera|seront|reste|restent|se trouve|se trouvent|ouvre|ouvrent|commence|commencent"
    r"|part|partent|demarre|finit|termine)\b)"
)
INFO_SELF_RE = lazy_compile(r"\b(?:je|moi|me|nous|on|perso)\b")
# A note for the group ("Rappel : le 2 ne circule pas samedi", "Info : la salle a changé"): nobody's
# answer unless the sender speaks of themselves in it.
INFO_NOTE_RE = lazy_compile(
    r"^(?:petit |gros |important |pour )?(?:rappel|info|infos|information|attention|a noter|nb|fyi|psa|pour info"
    r"|avis a tous|avis aux)\b"
    r"|^je (?:vous |te )?(?:rappelle|signale|precise)(?: a tous)? que (?:on |il |ce |les |la |le |nous )?"
)
# Days: a yes naming another day than the one refused is still a refusal.
DAY_RE = lazy_compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|apres demain|aujourdhui|ce jour la"
    r"|(?:le|du|au) \d{1,2}(?! ?h))\b"
)
# "oui, je te l'envoie ce soir": a yes to a request in the thread, not to the event.
ANSWER_ELSE_RE = lazy_compile(
    r"^(?:(?:ah|bah|ben|euh|alors|et) )?(?:oui|ok|daccord|ca marche)\b[ ,]*je (?:te|vous|lui|leur) (?:le |la |les |l )?"
    r"(?:envoie|enverrai|transmets|transmettrai|file|donne|donnerai|montre|montrerai|rappelle|rappellerai)\b"
)

"""The eight cities, their aliases, and the recognition of the city an email is about.

Aliases are data: neighbourhoods, markets, landmarks, demonyms, postcodes and arrondissements.
More aliases per city can be added from configuration (`extra_aliases`). Ambiguous names
(Saint-Michel, Jean-Macé, Bellevue, République...) are deliberately left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from domain.text import fold_ascii, lazy_compile

CITIES: tuple[str, ...] = ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Grenoble", "Rennes")

CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Paris": (
        "paris",
        "parisien",
        "parisienne",
        "parisiens",
        "parisiennes",
        "paname",
        "paris intra muros",
        "ville de paris",
        "mairie de paris",
        "conseil de paris",
        "belleville",
        "menilmontant",
        "montmartre",
        "barbes",
        "goutte d or",
        "la chapelle",
        "porte de la chapelle",
        "pigalle",
        "bastille",
        "place de la bastille",
        "le marais",
        "haut marais",
        "oberkampf",
        "batignolles",
        "butte aux cailles",
        "montparnasse",
        "denfert rochereau",
        "buttes chaumont",
        "la villette",
        "parc de la villette",
        "stalingrad",
        "canal saint martin",
        "saint germain des pres",
        "quartier latin",
        "mouffetard",
        "pere lachaise",
        "porte de clignancourt",
        "porte de montreuil",
        "porte de vincennes",
        "porte d orleans",
        "porte de saint ouen",
        "porte de clichy",
        "porte de bagnolet",
        "porte des lilas",
        "porte de pantin",
        "porte d italie",
        "porte de versailles",
        "porte maillot",
        "porte doree",
        "chateau rouge",
        "chateau d eau",
        "strasbourg saint denis",
        "faubourg saint denis",
        "faubourg saint antoine",
        "porte saint denis",
        "rue saint denis",
        "les halles",
        "chatelet",
        "bercy",
        "tolbiac",
        "olympiades",
        "place d italie",
        "glaciere",
        "alesia",
        "plaisance",
        "pernety",
        "vaugirard",
        "grenelle",
        "beaugrenelle",
        "javel",
        "auteuil",
        "passy",
        "trocadero",
        "les ternes",
        "epinettes",
        "jourdain",
        "place des fetes",
        "crimee",
        "flandre",
        "charonne",
        "picpus",
        "daumesnil",
        "montsouris",
        "cite universitaire",
        "gare du nord",
        "gare de l est",
        "gare de lyon",
        "gare saint lazare",
        "gare d austerlitz",
        "marche d aligre",
        "aligre",
        "marche des enfants rouges",
        "marche de belleville",
        "marche barbes",
        "marche de la bastille",
        "marche bastille",
        "marche convention",
        "marche popincourt",
        "folie mericourt",
        "fontaine au roi",
        "sentier",
        "bonne nouvelle",
        "faubourg montmartre",
        "la goutte d or",
        "porte de la villette",
        "porte d aubervilliers",
        "ile saint louis",
        "ile de la cite",
        "nation",
        "place de la nation",
        "rue de belleville",
        "parc montsouris",
        "butte montmartre",
    ),
    "Lyon": (
        "lyon",
        "lyonnais",
        "lyonnaise",
        "lyonnaises",
        "ville de lyon",
        "mairie de lyon",
        "croix rousse",
        "pentes de la croix rousse",
        "guillotiere",
        "la guill",
        "part dieu",
        "presqu ile",
        "bellecour",
        "terreaux",
        "place des terreaux",
        "vieux lyon",
        "fourviere",
        "confluence",
        "perrache",
        "brotteaux",
        "monplaisir",
        "gerland",
        "vaise",
        "mermoz",
        "etats unis",
        "montchat",
        "point du jour",
        "menival",
        "la duchere",
        "duchere",
        "saint rambert",
        "gorge de loup",
        "grange blanche",
        "sans souci",
        "cordeliers",
        "tete d or",
        "parc de la tete d or",
        "quais de saone",
        "quais de rhone",
        "saint paul lyon",
        "halles paul bocuse",
        "marche saint antoine",
        "marche de la croix rousse",
        "place du pont",
        "saxe gambetta",
        "jean jaures lyon",
        "place bellecour",
        "hotel de ville de lyon",
        "montplaisir",
        "bachut",
        "ambroise courtois",
        "jean mace",
        "place jean mace",
        "place ambroise courtois",
        "laennec",
        "villette lyon",
        "saint jean lyon",
        "pierre scize",
        "serin",
        "les pentes",
    ),
    "Marseille": (
        "marseille",
        "marseillais",
        "marseillaise",
        "marseillaises",
        "ville de marseille",
        "mairie de marseille",
        "vieux port",
        "canebiere",
        "la canebiere",
        "noailles",
        "belsunce",
        "le panier",
        "joliette",
        "euromediterranee",
        "cours julien",
        "cours ju",
        "la plaine",
        "notre dame du mont",
        "castellane",
        "prado",
        "vauban marseille",
        "endoume",
        "vallon des auffes",
        "roucas blanc",
        "bonneveine",
        "pointe rouge",
        "les goudes",
        "mazargues",
        "sainte marguerite",
        "saint barnabe",
        "belle de mai",
        "la belle de mai",
        "quartiers nord",
        "chateau gombert",
        "frais vallon",
        "le merlan",
        "l estaque",
        "estaque",
        "les crottes",
        "la cayolle",
        "capelette",
        "la capelette",
        "la timone",
        "baille",
        "chartreux",
        "cinq avenues",
        "longchamp",
        "blancarde",
        "saint loup",
        "la valentine",
        "malpasse",
        "marche de noailles",
        "marche du prado",
        "cite phoceenne",
        "la joliette",
        "le canet",
        "saint henri",
        "saint antoine marseille",
        "la rose marseille",
        "bougainville",
        "felix pyat",
        "plan d aou",
        "la castellane",
        "la busserine",
        "les flamants",
        "kalliste",
        "saint mauront",
        "la pomme",
        "sainte marthe",
        "le rouet",
        "periers",
        "la conception",
        "obelisque",
        "saint giniez",
        "les calanques",
        "calanques",
    ),
    "Toulouse": (
        "toulouse",
        "toulousain",
        "toulousaine",
        "toulousains",
        "toulousaines",
        "ville rose",
        "la ville rose",
        "ville de toulouse",
        "mairie de toulouse",
        "capitole",
        "place du capitole",
        "saint cyprien",
        "arnaud bernard",
        "les carmes",
        "carmes",
        "saint agne",
        "rangueil",
        "le mirail",
        "mirail",
        "reynerie",
        "la reynerie",
        "bagatelle",
        "bellefontaine",
        "empalot",
        "izards",
        "les izards",
        "minimes",
        "les minimes",
        "borderouge",
        "croix daurade",
        "jolimont",
        "cote pavee",
        "saint aubin",
        "compans caffarelli",
        "amidonniers",
        "patte d oie",
        "lardenne",
        "purpan",
        "saint simon",
        "montaudran",
        "marengo",
        "matabiau",
        "esquirol",
        "marche victor hugo",
        "marche des carmes",
        "marche saint aubin",
        "cristal",
        "marche du cristal",
        "bonnefoy",
        "sept deniers",
        "faubourg bonnefoy",
        "saint sernin",
        "pont neuf toulouse",
        "prairie des filtres",
        "la daurade",
        "argoulets",
        "balma gramont",
        "trois cocus",
        "ancely",
        "casselardit",
        "papus",
        "la faourette",
        "guilheméry",
        "guilhemery",
        "busca",
        "ramier",
        "jean jaures toulouse",
        "francois verdier",
        "saint etienne toulouse",
        "la cepiere",
        "basso cambo",
    ),
    "Nantes": (
        "nantes",
        "nantais",
        "nantaise",
        "nantaises",
        "ville de nantes",
        "mairie de nantes",
        "ile de nantes",
        "bouffay",
        "graslin",
        "chantenay",
        "doulon",
        "bottiere",
        "malakoff",
        "dervallieres",
        "le breil",
        "breil",
        "hauts paves",
        "saint felix",
        "nantes nord",
        "nantes sud",
        "nantes est",
        "nantes ouest",
        "clos toreau",
        "pirmil",
        "proce",
        "talensac",
        "marche de talensac",
        "petite hollande",
        "marche de la petite hollande",
        "champ de mars nantes",
        "sainte anne nantes",
        "ranzay",
        "halveque",
        "port boyer",
        "saint joseph de porterie",
        "chateau des ducs",
        "machines de l ile",
        "ile feydeau",
        "feydeau",
        "commerce nantes",
        "place royale",
        "erdre",
        "bords de l erdre",
        "beaulieu nantes",
        "mangin",
        "la beaujoire",
        "beaujoire",
        "bellevue nantes",
        "zola nantes",
        "madeleine nantes",
        "chantiers navals",
        "quartier de la creation",
        "plateau des eaux",
        "la halveque",
        "bout des landes",
        "le ranzay",
        "pin sec",
        "mauves",
        "la bottiere",
        "les dervallieres",
    ),
    "Lille": (
        "lille",
        "lillois",
        "lilloise",
        "lilloises",
        "ville de lille",
        "mairie de lille",
        "wazemmes",
        "marche de wazemmes",
        "moulins",
        "fives",
        "vauban esquermes",
        "esquermes",
        "vieux lille",
        "lille sud",
        "lille centre",
        "saint maurice pellevoisin",
        "pellevoisin",
        "bois blancs",
        "faubourg de bethune",
        "hellemmes",
        "lomme",
        "euralille",
        "grand place de lille",
        "lille flandres",
        "lille europe",
        "solferino",
        "rue masséna",
        "massena",
        "citadelle de lille",
        "saint sauveur",
        "marche sebastopol",
        "place sebastopol",
        "porte des postes",
        "porte d arras",
        "porte de douai",
        "porte de valenciennes",
        "concorde lille",
        "fives cail",
        "gambetta lille",
        "place de la republique lille",
        "rue solferino",
        "marche de fives",
        "place du concert",
        "bois de boulogne lille",
        "lille moulins",
        "lille fives",
        "lille sud",
        "lille hellemmes",
        "lille lomme",
    ),
    "Grenoble": (
        "grenoble",
        "grenoblois",
        "grenobloise",
        "grenoblois",
        "grenobloises",
        "ville de grenoble",
        "mairie de grenoble",
        "ile verte",
        "berriat",
        "saint bruno",
        "la villeneuve",
        "villeneuve de grenoble",
        "arlequin",
        "l arlequin",
        "teisseire",
        "mistral grenoble",
        "eaux claires",
        "europole",
        "championnet",
        "hoche",
        "les allies",
        "capuche",
        "exposition bajatiere",
        "bajatiere",
        "abbaye jouhaux",
        "jouhaux",
        "malherbe",
        "village olympique",
        "vigny musset",
        "estacade",
        "marche de l estacade",
        "caserne de bonne",
        "chorier berriat",
        "polygone scientifique",
        "presqu ile scientifique",
        "place saint bruno",
        "marche saint bruno",
        "place notre dame grenoble",
        "bastille grenoble",
        "cuvette grenobloise",
        "la cuvette",
        "les grands boulevards grenoble",
        "alpes isere",
        "mutualite grenoble",
        "marche hoche",
        "marche de l abbaye",
        "condorcet grenoble",
        "ile d amour",
        "saint laurent grenoble",
        "teisseire malherbe",
        "mistral",
        "villeneuve grenoble",
    ),
    "Rennes": (
        "rennes",
        "rennais",
        "rennaise",
        "rennaises",
        "ville de rennes",
        "mairie de rennes",
        "villejean",
        "le blosne",
        "blosne",
        "maurepas",
        "brequigny",
        "cleunay",
        "thabor",
        "colombier rennes",
        "sud gare",
        "patton",
        "bourg l eveque",
        "saint helier",
        "francisco ferrer",
        "jeanne d arc rennes",
        "longs champs",
        "torigne",
        "champs libres",
        "les champs libres",
        "marche des lices",
        "les lices",
        "place des lices",
        "arsenal redon",
        "la poterie",
        "poterie",
        "champs manceaux",
        "beauregard rennes",
        "sainte anne rennes",
        "place sainte anne",
        "rennes centre",
        "saint cyr rennes",
        "bellangerais",
        "gros chene",
        "le gros chene",
        "landry",
        "zagreb",
        "les gayeulles",
        "gayeulles",
        "triangle rennes",
        "la courrouze",
        "courrouze",
        "baud chardonnet",
        "bois perrin",
        "villejean beauregard",
    ),
}

# Postcodes of the eight cities (including Lomme/Hellemmes, which are part of Lille).
_POSTCODES: dict[str, str] = {}
for _n in range(1, 21):
    _POSTCODES[f"750{_n:02d}"] = "Paris"
_POSTCODES["75116"] = "Paris"
for _n in range(1, 10):
    _POSTCODES[f"6900{_n}"] = "Lyon"
for _n in range(1, 17):
    _POSTCODES[f"130{_n:02d}"] = "Marseille"
for _code in ("31000", "31100", "31200", "31300", "31400", "31500"):
    _POSTCODES[_code] = "Toulouse"
for _code in ("44000", "44100", "44200", "44300"):
    _POSTCODES[_code] = "Nantes"
for _code in ("59000", "59160", "59260", "59777", "59800"):
    _POSTCODES[_code] = "Lille"
for _code in ("38000", "38100"):
    _POSTCODES[_code] = "Grenoble"
for _code in ("35000", "35200", "35700"):
    _POSTCODES[_code] = "Rennes"

# Number of arrondissements (or "secteurs" named by number) per city that has them.
_ARRONDISSEMENTS = {"Paris": 20, "Lyon": 9, "Marseille": 16}

# Places outside the eight: an email whose only place is one of these is not a campaign email.
OTHER_PLACES: tuple[str, ...] = (
    "bordeaux",
    "bordelais",
    "montpellier",
    "montpellierain",
    "dijon",
    "brest",
    "angers",
    "strasbourg",
    "strasbourgeois",
    "a nice",
    "de nice",
    "sur nice",
    "poitiers",
    "a tours",
    "de tours",
    "sur tours",
    "metz",
    "a nancy",
    "de nancy",
    "reims",
    "le havre",
    "saint etienne",
    "stephanois",
    "toulon",
    "clermont ferrand",
    "limoges",
    "amiens",
    "perpignan",
    "besancon",
    "orleans",
    "rouen",
    "caen",
    "mulhouse",
    "nimes",
    "avignon",
    "a pau",
    "de pau",
    "la rochelle",
    "annecy",
    "lorient",
    "quimper",
    "vannes",
    "saint malo",
    "le mans",
    "aix en provence",
    "villeurbanne",
    "roubaix",
    "tourcoing",
    "villeneuve d ascq",
    "reze",
    "saint herblain",
    "echirolles",
    "saint martin d heres",
    "montreuil",
    "saint denis",
    "seine saint denis",
    "aubervilliers",
    "vincennes",
    "boulogne billancourt",
    "nanterre",
    "creteil",
    "versailles",
    "argenteuil",
    "colombes",
    "ivry",
    "vitry",
    "pantin",
    "bobigny",
    "bayonne",
    "biarritz",
    "ajaccio",
    "bastia",
    "valence",
    "chambery",
    "troyes",
    "arras",
    "calais",
    "dunkerque",
    "douai",
    "valenciennes",
    "cherbourg",
    "saint nazaire",
    "la roche sur yon",
    "niort",
    "angouleme",
    "colmar",
    "chartres",
    "bourges",
    "blois",
    "auxerre",
    "nevers",
    "macon",
    "cannes",
    "antibes",
    "beziers",
    "narbonne",
    "carcassonne",
    "albi",
    "montauban",
    "tarbes",
    "perigueux",
    "brive",
    "rodez",
    "aurillac",
    "vichy",
    "roanne",
    "annemasse",
    "thonon",
    "saint brieuc",
    "laval",
    "cholet",
    "saint quentin",
    "beauvais",
    "compiegne",
    "evry",
    "cergy",
    "meaux",
    "melun",
    "aubagne",
    "la ciotat",
    "martigues",
    "vitrolles",
    "istres",
    "salon de provence",
    "blagnac",
    "colomiers",
    "muret",
    "saint priest",
    "venissieux",
    "vaulx en velin",
    "bron",
    "caluire",
    "oullins",
    "cesson sevigne",
    "bruz",
    "saint jacques de la lande",
    "saint sebastien sur loire",
    "orvault",
    "vertou",
    "meylan",
    "fontaine",
    "seyssinet",
    "yvelines",
    "essonne",
    "val de marne",
    "hauts de seine",
    "val d oise",
    "seine et marne",
    "creuse",
    "correze",
    "ardeche",
    "dordogne",
    "finistere",
    "morbihan",
    "gironde",
    "herault",
    "bretagne",
    "occitanie",
    "alsace",
    "normandie",
    "corse",
    "guadeloupe",
    "martinique",
    "ile de la reunion",
    "guyane",
    "mayotte",
    "belgique",
    "bruxelles",
    "geneve",
    "suisse",
    "quebec",
    "montreal",
    "ardennes",
    "vendee",
    "charente",
    "savoie",
    "haute savoie",
    "drome",
    "jura",
    "vosges",
    "landes",
    "pyrenees",
    "lozere",
    "cantal",
    "aveyron",
    "gers",
    "lot et garonne",
    "tarn",
    "sarthe",
    "mayenne",
    "cotes d armor",
    "ille et vilaine hors rennes",
    "loire atlantique hors nantes",
    "manche",
    "calvados",
    "orne",
    "eure",
    "somme",
    "aisne",
    "oise",
    "marne",
    "aube",
    "yonne",
    "nievre",
    "allier",
    "puy de dome",
    "haute loire",
    "cher",
    "indre",
    "vienne",
    "deux sevres",
    "montbeliard",
    "belfort",
    "thionville",
    "forbach",
    "saint die",
    "epinal",
    "charleville",
    "sedan",
    "lens",
    "bethune",
    "boulogne sur mer",
)

# Mentions that look like a city but are not the city itself.
_NOT_CITY = (
    "region parisienne",
    "banlieue parisienne",
    "agglomeration parisienne",
    "petite couronne",
    "grande couronne",
    "paris saclay",
    "paris nanterre",
    "paris est creteil",
    "paris match",
    "le parisien",
    "aeroport de paris",
    "metropole lyonnaise",
    "metropole de lyon hors",
    "agglomeration lyonnaise",
    "banlieue lyonnaise",
    "agglo lyonnaise",
    "agglomeration grenobloise",
    "metropole lilloise",
    "metropole europeenne de lille",
    "agglomeration toulousaine",
    "banlieue toulousaine",
    "agglomeration nantaise",
    "metropole nantaise",
    "metropole rennaise",
    "rennes metropole",
    "aix marseille",
    "metropole aix marseille",
    "banlieue marseillaise",
    "la marseillaise",
    "route de lyon",
    "route de paris",
    "rue de paris",
    "avenue de paris",
    "rue de lyon",
    "avenue de lyon",
    "rue de marseille",
    "rue de toulouse",
    "rue de nantes",
    "rue de lille",
    "rue de rennes",
    "rue de grenoble",
    "boulevard de strasbourg",
    "rue de bordeaux",
    "paris 1 pantheon",
    "sorbonne nouvelle",
)


def _norm(text: str) -> str:
    """Folded text with hyphens and apostrophes turned into spaces, for place matching."""
    text = fold_ascii(text)
    text = re.sub(r"[-'_/]", " ", text)
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class CityMention:
    city: str  # one of CITIES, or "" for a place outside the eight
    place: str  # the alias as matched
    start: int
    weight: float


_ORDINAL_WORDS = {
    "premier": 1,
    "deuxieme": 2,
    "second": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
    "sixieme": 6,
    "septieme": 7,
    "huitieme": 8,
    "neuvieme": 9,
    "dixieme": 10,
    "onzieme": 11,
    "douzieme": 12,
    "treizieme": 13,
    "quatorzieme": 14,
    "quinzieme": 15,
    "seizieme": 16,
    "dix septieme": 17,
    "dix huitieme": 18,
    "dix neuvieme": 19,
    "vingtieme": 20,
}
_ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
    "XIII": 13,
    "XIV": 14,
    "XV": 15,
    "XVI": 16,
    "XVII": 17,
    "XVIII": 18,
    "XIX": 19,
    "XX": 20,
}

_ARR_BLOCK = (
    r"(?:tour|siecle|age|mois|annee|etage|classe|fois|edition|rang|place|position|anniversaire|jour|semaine"
    r"|trimestre|semestre|enfant|circo|circonscription|ligne|rue|round|degre|generation|fois|prix|etape"
    r"|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
)
# "le 11e", "dans le 18e", "(20e)", "11e arrondissement", "Paris 11", "Paris 11e", "Lyon 3e", "10th arrondissement"
_ARR_RE = lazy_compile(
    r"(?:\b(?P<city>paris|lyon|marseille)\s+(?P<n1>\d{1,2})(?:e|eme|er|ieme)?\b)"
    r"|(?:\b(?P<n2>\d{1,2})\s?(?:e|eme|er|ieme|th|st|nd|rd)\s+arr(?:ondissement|t|\b)(?:\s+de\s+(?P<city2>paris|lyon|marseille)\b)?)"
    r"|(?:\b(?:dans|du|le|au|en|sur|des|les|et)\s+(?:le\s+)?(?P<n3>\d{1,2})\s?(?:e|eme|ieme|er)\b(?!\s*"
    + _ARR_BLOCK
    + r")(?:\s+arr(?:ondissement)?\s+de\s+(?P<city3>paris|lyon|marseille)\b)?)"
    r"|(?:\(\s*(?P<n4>\d{1,2})\s?(?:e|eme|ieme|er)\s*\))"  # "rue des Pyrenees (20e)"
    r"|(?:\b(?P<w>premier|deuxieme|troisieme|quatrieme|cinquieme|sixieme|septieme|huitieme|neuvieme|dixieme"
    r"|onzieme|douzieme|treizieme|quatorzieme|quinzieme|seizieme|dix septieme|dix huitieme|dix neuvieme"
    r"|vingtieme)\s+arrondissement)"
)
_ROMAN_RE = lazy_compile(
    r"\b(X{0,2}(?:IX|IV|V?I{1,3}|V|X))(?:e|ème|eme|er)\b(?!\s*(?:siècle|siecle|République|Republique))"
)
_POSTCODE_RE = lazy_compile(
    r"(?<![\d.,])(75\d{3}|69\d{3}|13\d{3}|31\d{3}|44\d{3}|59\d{3}|38\d{3}|35\d{3})(?![\d.,])"
)

# Context before a mention that says the sender is leaving it or only greets from it.
_LEAVING_RE = lazy_compile(
    r"(?:quitte|quitter|quitte|quittons|depuis|ancien|ancienne|anciennement|venant|originaire|habitais|vivais"
    r"|demenage de|demenager de|de retour de|avant a|avant sur|precedemment|former|used to live|from"
    r"|de passage|en deplacement|sejour\w*|congres|je serai|je serai de passage)"
    r"(?:\s+\S+){0,3}\s*$"
)
_STREET_RE = lazy_compile(
    r"(?:rue|avenue|av|boulevard|bd|cours|quai|route|chemin|impasse|allee|place|passage|traverse)\s+(?:de\s+la\s+|de\s+l\s*|du\s+|des\s+|de\s+|d\s*)?$"
)
# Someone moving: the place they go to is where they will act.
_MOVING_RE = lazy_compile(
    r"(?:demenag|emmenag|install|mute|mutee|mutation|partir vivre)\w*(?:\s+\S+){0,6}\s+(?:a|vers|sur|dans le|au)\s*$"
)
_GOING_RE = lazy_compile(
    r"(?:(?:demenag|emmenag|install|mute|mutee|pars\b|partirai|partons|partir)\w*(?:\s+\S+){0,5}\s+(?:a|vers|sur)\s*$)|"
    r"(?:vers|pour|arrive|arriver|arrivons|installe|installer|installons|emmenage|emmenager|demenage a"
    r"|demenager a|mute|mutee|moving to|move to|a partir de janvier a)(?:\s+\S+){0,2}\s*$"
)


def _alias_table(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for city, aliases in CITY_ALIASES.items():
        pairs.extend((_norm(a), city) for a in aliases)
    for city, aliases in extra:
        canonical = canonical_city(city)
        if canonical is None:
            continue
        pairs.extend((_norm(a), canonical) for a in aliases if a and a.strip())
    pairs.extend((_norm(a), "") for a in OTHER_PLACES)
    pairs.extend((_norm(a), "-") for a in _NOT_CITY)
    return tuple(pairs)


@lru_cache(maxsize=32)
def _compiled(
    extra: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, str], dict[str, tuple[int, ...]]]:
    """Alias -> city lookup table, and for each first word the alias lengths (in words) to try."""
    pairs = _alias_table(extra)
    mapping: dict[str, str] = {}
    for alias, city in pairs:
        alias = alias.strip()
        if not alias:
            continue
        if alias not in mapping or (city and mapping.get(alias) == ""):
            mapping[alias] = city
    sizes: dict[str, set[int]] = {}
    for alias in mapping:
        words = alias.split()
        sizes.setdefault(words[0], set()).add(len(words))
    return mapping, {w: tuple(sorted(n, reverse=True)) for w, n in sizes.items()}


_WORD = lazy_compile(r"[a-z0-9]+")


def canonical_city(name: str) -> str | None:
    """`name` as one of CITIES (case and accents ignored), or None."""
    key = _norm(name).strip()
    for city in CITIES:
        if _norm(city) == key:
            return city
    return None


def _freeze(extra_aliases: Mapping[str, Iterable[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A hashable form of configured aliases (the cache key of the lookup table)."""
    if not extra_aliases:
        return ()
    frozen = []
    for city, aliases in extra_aliases.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        frozen.append((str(city), tuple(sorted(str(a) for a in aliases if a))))
    return tuple(sorted(frozen))


def city_mentions(
    text: str, extra_aliases: Mapping[str, Iterable[str]] | None = None, *, original: str | None = None
) -> list[CityMention]:
    """Every place mention in `text` with a weight (lower when the sender is leaving the place)."""
    if not text:
        return []
    norm = _norm(text[:20_000])
    mapping, sizes = _compiled(_freeze(extra_aliases))
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(norm)]
    mentions: list[CityMention] = []
    moving: set[str] = set()
    i = 0
    count = len(words)
    while i < count:
        found = None
        for size in sizes.get(words[i][0], ()):
            if i + size > count:
                continue
            key = words[i][0] if size == 1 else " ".join(w for w, _, _ in words[i : i + size])
            city = mapping.get(key)
            if city is not None:
                found = (city, key, size)
                break
        if found is None:
            i += 1
            continue
        city, key, size = found
        start = words[i][1]
        i += size
        if city == "-":
            continue
        before = norm[max(0, start - 40) : start]
        if city == "" and _STREET_RE.search(before):
            continue  # "rue d'Aubagne" is a street of Marseille, not Aubagne
        weight = 1.0
        if _MOVING_RE.search(norm[max(0, start - 70) : start]):
            moving.add(city)
            weight = 1.6
        elif _GOING_RE.search(before):
            weight = 1.6
        elif _LEAVING_RE.search(before):
            weight = 0.3
        mentions.append(CityMention(city, key, start, weight))
    if moving:
        # someone moving acts where they go: the places they come from are only the past (rule 7)
        mentions = [
            m if m.city in moving else CityMention(m.city, m.place, m.start, m.weight * 0.4) for m in mentions
        ]
    named = {m.city for m in mentions if m.city}
    for match in _POSTCODE_RE.finditer(norm):
        city = _POSTCODES.get(match.group(1))
        if city:
            mentions.append(CityMention(city, match.group(1), match.start(), 1.0))
        elif match.group(1)[:2] in {"75", "69", "13", "31", "44", "59", "38", "35"} and not named:
            mentions.append(CityMention("", match.group(1), match.start(), 0.5))
    for match in _ARR_RE.finditer(norm):
        explicit = match.group("city") or match.group("city2") or match.group("city3")
        number_text = match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4")
        number = int(number_text) if number_text else _ORDINAL_WORDS.get(match.group("w") or "", 0)
        city = _arrondissement_city(number, explicit.capitalize() if explicit else None, named)
        if city:
            weight = 1.0 if explicit or match.group("n2") or match.group("w") else 0.6
            if _MOVING_RE.search(norm[max(0, match.start() - 70) : match.start()] + " dans le "):
                weight = 1.6
            mentions.append(CityMention(city, match.group(), match.start(), weight))
    if original:
        for match in _ROMAN_RE.finditer(original[:20_000]):
            number = _ROMAN.get(match.group(1), 0)
            city = _arrondissement_city(number, None, named)
            if city:
                mentions.append(CityMention(city, match.group(), match.start(), 0.6))
    return mentions


def _arrondissement_city(number: int, explicit: str | None, named: set[str]) -> str | None:
    if number <= 0:
        return None
    if explicit:
        return explicit if number <= _ARRONDISSEMENTS.get(explicit, 0) else None
    for city in ("Marseille", "Lyon", "Paris"):
        if city in named and number <= _ARRONDISSEMENTS[city]:
            return city
    if named - {"Paris"}:
        return None  # another city is named and has no such arrondissement
    return "Paris" if number <= 20 else None


def city_scores(
    text: str, extra_aliases: Mapping[str, Iterable[str]] | None = None, *, original: str | None = None
) -> dict[str, float]:
    """Weighted evidence per city (key "" = places outside the eight)."""
    scores: dict[str, float] = {}
    for mention in city_mentions(text, extra_aliases, original=original):
        scores[mention.city] = scores.get(mention.city, 0.0) + mention.weight
    return scores


def find_city(text: str, extra_aliases: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """The city among the eight that `text` is about, or None.

    When several are named, the one with the most weight wins; a place the sender is leaving
    ("je quitte Lyon pour Nantes") weighs less than the place they go to.
    """
    if not isinstance(text, str) or not text:
        return None
    scores = city_scores(text, extra_aliases, original=text)
    best = None
    best_score = 0.0
    for city in CITIES:
        score = scores.get(city, 0.0)
        if score > best_score:
            best, best_score = city, score
    return best

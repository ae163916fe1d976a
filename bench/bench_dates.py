"""Benchmark of domain.dates.parse_when: everyday phrasings plus pathological inputs.

Prints figures only (microseconds per call); nothing here asserts a timing.
Run: python -m bench.bench_dates
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.dates import parse_when

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))

# The phrasings of tests/domain/test_dates.py (kept here so the benchmark does not import tests).
PHRASINGS = [
    "vendredi", "samedi", "jeudi 18h", "samedi 14h", "ce vendredi", "dimanche prochain",
    "samedi prochain à 14h", "dimanche en huit", "lundi en huit à 18h", "mardi de la semaine prochaine",
    "vendredi de la semaine prochaine à 19h", "samedi 28", "samedi 28 novembre", "lundi 30 novembre 18h30",
    "vendredi 4 décembre à 18h", "vendredi 27 à 20h", "jeu 3 déc", "vendredi matin", "vendredi midi",
    "vendredi après-midi", "vendredi aprem", "vendredi soir", "vendredi soir 21h", "vendredi soir 9h",
    "samedi matin 10h30", "ce soir", "cet après-midi", "ce midi", "ce soir 8h", "demain soir 20h30",
    "demain matin", "ce soir à minuit", "minuit", "vendredi minuit", "minuit et demi", "16h", "à 9h15",
    "10h", "10h01", "midi", "midi et demi", "midi et quart", "14h", "14h30", "14 h 30", "14:30", "14H30",
    "14 heures", "14 heures 30", "2 heures de l'après-midi", "9h du matin", "8h du soir", "8pm", "8:30 pm",
    "11am", "dix-huit heures trente", "huit heures du soir", "14h et demie", "15h moins le quart",
    "le 14 à 20h", "le 27", "le 1er", "le 31", "le 26 à 20h", "le 4/12", "04/12/2026", "04.12.2026",
    "4/12/26", "2026-12-04 18:00", "2026-12-04", "04-12-2026 à 18h30", "le 4.12", "14/07",
    "2026-12-04T18:00:00+01:00", "2026-12-04T17:00Z", "2026/12/04", "2026.12.04", "04 12 2026 18h",
    "le 4 décembre", "le 4 decembre", "4 DÉCEMBRE 18H", "1er déc. 20h", "le premier décembre",
    "vingt et un décembre à 19h", "le 2 janvier", "2 janv 2027", "le 25 décembre 2026 à 10h",
    "le 4 déc. 2026", "14 juillet", "26 novembre 20h", "25 novembre", "december 4th", "dec 4, 2026 6pm",
    "the 4th of december", "dans 3 jours", "dans deux semaines", "dans quinze jours", "dans huit jours",
    "dans 1 semaine", "dans 2 heures", "dans 30 heures", "dans 1h30", "dans une heure et demie",
    "dans une demi-heure", "dans 45 minutes", "dans 3 jours à 18h", "in 2 hours", "in 3 days",
    "aujourd'hui 18h", "demain", "après-demain", "apres demain 15h", "demain 14h30",
    "aujourd'hui jeudi 18h", "rdv vendredi 18h devant la mairie",
    "Réunion publique samedi 28 novembre à 14h30, salle des fêtes", "on se retrouve demain vers 19h",
    "Tractage dim. 10h au marché", "sam 14h", "dim. 10h", "VENDREDI 18H", "ven 19h", "mar 1er déc 18h",
    "friday 6pm", "tomorrow 9am", "next monday 10:30", "saturday at noon", "tonight",
    "Monday, December 7 at 6 pm", "tomorrow morning", "on friday at 6 o'clock", "prochainement",
    "à définir", "bientôt", "TBD", "31 avril", "le 0/12", "le 32", "30 février", "31/04", "22h75", "26h",
    "13pm", "vendredi 24h", "vendredi 3 décembre", "samedi 14", "demain 3 décembre", "vendredi ou samedi",
    "14h ou 16h", "dans 2 heures à 14h", "le mois prochain", "en fin de semaine", "la semaine prochaine",
    "ce week-end", "en décembre", "fin novembre", "cette semaine à 18h", "tous les samedis",
    "du 4 au 6 décembre", "les 4 et 5 décembre", "dans un mois", "avant-hier", "hier", "hier 14h",
    "vendredi dernier", "yesterday 6pm", "04/12/2025", "ce matin", "aujourd'hui 9h", "aujourd'hui",
    "le 26", "le 26 à 9h", "26/11", "dans 0 minute", "maintenant", "", "   \n\t ",
    "lorem ipsum dolor sit amet", "12345", "😀🎉 ٣/١٢", "de 18h à 20h", "18h-20h", "vendredi de 18h à 20h",
    "de 18 à 20h", "entre 18h et 20h", "samedi 22h-2h", "18:00-20:30", "de 10h à midi", "samedi 14-16h",
    "le 4 décembre de 18h30 à 21h", "friday from 6pm to 8pm", "samedi de 22h à minuit",
]  # fmt: skip


def _pathological() -> list[str]:
    rng = random.Random(20261126)
    return [
        "x" * 5000,
        "9" * 199,
        " ".join(str(i % 10) for i in range(99)),
        "1/1/1 " * 33,
        "de 1h a 2h " * 18,
        "lundi " * 33,
        "\ufdfa" * 150,  # expands 18-fold under NFKD
        "".join(rng.choice("0123456789 /.-:hH") for _ in range(199)),
        "vingt et un " * 16,
        "12 ab 34 cd 56 ef " * 11,
        "le 1er dec 2026 a 14h " * 9,
        "rdv vendredi 18h " + "blabla " * 40,
    ]


def run(rounds: int = 50) -> dict[str, float]:
    """Time parse_when over the phrasings and pathological inputs; figures in microseconds."""
    inputs = PHRASINGS + _pathological()
    for text in inputs:  # warm-up: the first dateparser call loads its language data (~0.3 s)
        parse_when(text, NOW)
    samples: list[float] = []
    clock = time.perf_counter
    for _ in range(rounds):
        for text in inputs:
            start = clock()
            parse_when(text, NOW)
            samples.append((clock() - start) * 1e6)
    samples.sort()
    return {
        "parse_when_median_us": round(statistics.median(samples), 1),
        "parse_when_p99_us": round(samples[int(0.99 * (len(samples) - 1))], 1),
        "parse_when_worst_us": round(samples[-1], 1),
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")

"""Event dates: reading what a coordinator types, and saying it back in words.

The conventions are in docs/date-conventions.md (now = the moment the text was typed, results are
Europe/Paris local times, events are always in the future). `parse_when` returns the start as an
aware datetime in Europe/Paris, or None when the text gives no single future moment, so the bot
asks again rather than guess. `parse_when_detailed` also says whether a time was given (no time =
00:00 of the day, and the bot asks for the time) and the end of a range ("de 18h à 20h").

Why mostly hand-written: dateparser alone gets everyday French wrong ("samedi 14h" → the 14th of
the month, "samedi prochain à 14h" → nothing, "1er déc. 20h" → year 2120, "18h" → 04:00, "hier"
→ a date). So the text is normalised (accents folded, lower case, "après-midi" → "apresmidi",
number words → digits) and read with regexes into tokens (day, weekday, date, time, part of the
day, duration), which are then checked against each other: any contradiction or leftover doubt
gives None. dateparser is only a fallback, for short texts (64 characters at most) with a digit in
which none of those tokens was found or a date-looking cluster of numbers was left unread ("04 12
2026 18h"); what it returns is checked again (day and month required, in the future, not absurdly
far), and a failure there is None, never our partial reading.

Conventions decided here, beyond the spec:
- A nonexistent wall-clock time (29 March 2026 02:30, clocks jump 02:00 → 03:00) is shifted
  forward by the gap (→ 03:30 CEST); an ambiguous one (25 October 2026 02:30) is the first
  occurrence (fold=0, CEST).
- A date given without time is 00:00 of that day, so "aujourd'hui" or today's date alone is in
  the past: None. A date of today (or "le 26" on the 26th) is today, not next month or next year:
  "le 26 à 20h" on the 26th at 10:00 is tonight, "le 26 à 9h" is None.
- A day-part word gives a time and has_time=True ("demain matin" → 09:00). With a part of the
  afternoon or evening, an hour below 12 is in the afternoon ("ce soir 8h" → 20:00).
- Durations: days and weeks move the date (time asked separately unless given: "dans 3 jours à
  18h"); hours and minutes are elapsed time computed in UTC, truncated to the minute.
  "huit jours" in words means a week (like "en huit"); "quinze jours" is 14 days; in digits "8
  jours"/"15 jours" are literal. Months and years are calendar ones, date only ("dans 2 mois" on
  15 January → 15 March; past the end of a shorter month, its last day); a half ("dans un mois et
  demi") or two durations added up: None.
- Ranges: the end is on the start's day, or the next day when not after the start ("22h-2h").
- "X de la semaine prochaine" / "X next week" is X in the next Monday-to-Sunday week; "X
  prochain" is the next X (spec). "dernier", "last", "hier"... anywhere: None (past).
- Recurring ("tous les samedis"), multi-day ("du 4 au 6 décembre", "les 4 et 5 décembre") and
  a month without a day ("en décembre", "fin novembre"): None.
- A year more than 10 years ahead is a typo: None. Texts longer than 200 characters: None.
- A day of the month alone that is today is today only while the moment is ahead, else next
  month's ("le 1er" typed on the 1st → the 1st of next month); "le 15 du mois prochain" too.
- A part of the day with neither a day nor a time ("soirée pizza chez Léa"): None. Periods and
  holidays ("à la rentrée", "à Noël", "cet été") count as vague: a day must be named as well.
- Typing slips (`typos.py`): misspelt day and month names repaired ("vendreid", "janvir",
  "lnudi"), glued tokens split ("lundi9h", "15mars", "18h30samedi"), and a word that looks like a
  date word but is none ("lundimanche", "jeudredi", "le 12 brumaire") makes the whole text None.
"""

from __future__ import annotations

from domain.dates.formatting import format_day, format_when
from domain.dates.future import parse_when, parse_when_detailed
from domain.dates.past import parse_past_day
from domain.dates.vocabulary import MAX_TEXT_LEN, PARIS, ParsedWhen

__all__ = [
    "MAX_TEXT_LEN",
    "PARIS",
    "ParsedWhen",
    "format_day",
    "format_when",
    "parse_past_day",
    "parse_when",
    "parse_when_detailed",
]

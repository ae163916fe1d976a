"""What a volunteer's plain-French reply to an event announcement means. Pure logic, no I/O.

Specification: docs/reply-conventions.md (intent yes / no / maybe / other, and the role when the
sender names a task they will take). The reading is rule based and deliberately conservative:

1. normalise: emoji are taken out (and remembered), then lower case, no accents; English is
   rewritten into the same plain French ("I'll be there" → "je vais venir", english.py); elisions
   expanded ("j'y" → "je y", "c'est" → "ce est"), the "ne" of negations dropped, SMS forms and
   repeated letters ("jsuis", "chui", "dsl", "ouiiii") rewritten; a glued "j", glued words and one
   typo in a known word repaired ("jtiendrai", "okpourmoi", "dipso", spelling.py); a first-person
   verb without its "je" gets it back ("peux pas dsl");
2. split into sentences (. ! ? ; … newline) and clauses (commas, "mais", "finalement", "ah non",
   "en fait", …), remembering which clauses are questions and which change the sender's mind;
3. read each clause with ordered lexicons: special phrases first (double negatives, hedged
   refusals, "à ma place", sarcasm, double negatives that commit: "je vais pas rater ça"), then
   refusals and reasons that rule the day out ("je serai chez mes parents"), then commitments,
   hedges and tasks; phrases already read are masked so that later lexicons do not read them
   again; a "oui" that answers something else ("oui c'est la place du marché") is no answer;
4. combine the clauses with the spec's rules: own decision over anything else, last decision
   wins, a task taken survives a refusal of another task or of presence, conditions on one's
   own circumstances make it maybe, a yes for another day than the one refused stays a no
   ("je peux pas jeudi mais vendredi je suis dispo").
"""

from __future__ import annotations

from domain.replies.clauses import classify_reply
from domain.replies.model import MAX_CHARS, Intent, ReplyIntent

__all__ = ["MAX_CHARS", "Intent", "ReplyIntent", "classify_reply"]

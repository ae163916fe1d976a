"""The election law and people's rights on a public post (spec: docs/communication-rules.md).

`check_post(text, ctx)` returns every `Finding` for one post at its planned publication time.
Each finding names its rule (the key an approver confirms), an action and the article it applies:

- "silence" (rule 1, L49): from 00:00 on the eve of each polling day to the close of polls (20:00),
  the post is paused until 20:00; the communication lead may confirm "ce n'est pas de la propagande".
  Each round is its own polling day: list both in `election_days`.
- "results" (rule 4, L52-2): on polling day before 20:00 every post is paused until 20:00 unless the
  lead confirms it holds no result.
- "polemic" (rule 2, L48-2): in the 48 h before polling day 00:00, up to the close of polls, the lead
  confirms the post is not a new attack.
- "paid" (rule 3, L52-1): a draft that mentions sponsoring or boosting is warned (the bot never boosts).
- "appeal" (rule 5; legal-rules.md rules 13 and 25): a post asking for money that names neither the
  mandataire nor the financing association (nor, for a list, the list) is blocked. Never confirmable.
  Naming is one of `financing_names`, or « mandataire financier » / « association de financement »
  followed by a name (the bare word « mandataire » names nobody); an appeal that speaks of a list
  (« liste ») must also hold one of `list_names`.
- "consent" (rule 7, RGPD art. 9): a member's full name asks for confirmation of the person's
  agreement (one finding per name, `detail` = the name as configured).
- "image_rights" (rule 6, code civil art. 9): a post with images asks the approver to confirm the
  recognisable people agreed.

Choices where the spec leaves room:
- Windows are half-open: eve 00:00 is in silence, polling day 20:00 is not (polls are closed).
- Times are wall-clock Europe/Paris (whatever `tz` says), compared in UTC, so DST is handled; the
  polemic window is 48 real hours before polling day 00:00.
- A confirmed rule drops its "confirm" and "pause" findings; "block" and "warn" are never dropped.
- Matching folds case, accents and punctuation (domain.text.fold_words) and works on whole words.
Pure logic, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from domain.text import fold_words

Action = Literal["block", "pause", "confirm", "warn"]
RULES = ("silence", "polemic", "paid", "results", "appeal", "consent", "image_rights")
# The rules an approver may confirm (their findings are "pause" or "confirm"); "appeal" blocks
# and "paid" only warns, so confirming them changes nothing.
CONFIRMABLE: frozenset[str] = frozenset({"silence", "results", "polemic", "consent", "image_rights"})

# Articles cited in findings, as people read them (no internal file names): the rule of
# docs/communication-rules.md each applies is its number there, « règles de communication, point N »
# (rule 5 also applies docs/legal-rules.md rules 13 and 25).
ART_SILENCE = "code électoral, art. L49 (règles de communication, point 1)"
ART_POLEMIC = "code électoral, art. L48-2 (règles de communication, point 2)"
ART_PAID = "code électoral, art. L52-1 (règles de communication, point 3)"
ART_RESULTS = "code électoral, art. L52-2 (règles de communication, point 4)"
ART_APPEAL = "loi 88-227, art. 11-4 ; code électoral, art. L52-9 (règles de communication, point 5)"
ART_IMAGE = "code civil, art. 9 (règles de communication, point 6)"
ART_CONSENT = "RGPD, art. 9 (règles de communication, point 7)"

# Code électoral L56: a second round is held "le dimanche suivant" the first. The campaign ledgers
# know the first round only; the silence and results rules apply to each round (rule 1).
SECOND_ROUND = timedelta(days=7)

POLLS_CLOSE = time(20, 0)  # the last closing time in metropolitan France (rule 4)
POLEMIC_HOURS = 48  # rule 2

# Event kinds as stored (domain.events.KINDS), plus "boîtage" which the spec names (rule 1).
SILENCE_EVENT_KINDS: frozenset[str] = frozenset({"tractage", "boîtage", "porte-à-porte", "stand", "réunion"})
_SILENCE_KINDS_FOLDED = frozenset(fold_words(kind) for kind in SILENCE_EVENT_KINDS)


@dataclass(frozen=True)
class Finding:
    rule: str  # one of RULES; also the key the approver confirms
    action: Action
    article: str
    until: datetime | None = None  # silence / results: when the hold ends (aware)
    detail: str = ""  # a value for the text (the election day ISO, the member name found...)


@dataclass(frozen=True)
class PostContext:
    when: datetime  # aware: the planned publication time
    tz: ZoneInfo
    election_days: Sequence[date] = ()
    financing_names: Sequence[str] = ()  # mandataire / association a donation appeal must name
    list_names: Sequence[str] = ()  # the city lists' names (a list's appeal must name it)
    member_names: Sequence[str] = ()  # full names of members (rule 7)
    has_images: bool = False
    confirmed: frozenset[str] = frozenset()  # rules already confirmed by the approver


def polling_days(configured: Sequence[date], first_rounds: Sequence[date]) -> list[date]:
    """Every polling day: the configured ones, and each first round with its second round (L56)."""
    days = set(configured)
    for first in first_rounds:
        days |= {first, first + SECOND_ROUND}
    return sorted(days)


def _at(day: date, moment: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz)


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return when.astimezone(UTC)


def silence_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Rule 1: from 00:00 on the eve of polling day ``day`` to the close of polls (20:00), half-open."""
    return _at(day - timedelta(days=1), time(0, 0), tz), _at(day, POLLS_CLOSE, tz)


def silence_day(when: datetime, election_days: Sequence[date], tz: ZoneInfo) -> date | None:
    """The polling day whose silence ``when`` falls in (None: not in any)."""
    moment = _utc(when)
    for day in sorted(election_days):
        start, end = silence_window(day, tz)
        if _utc(start) <= moment < _utc(end):
            return day
    return None


def results_hold_until(when: datetime, election_days: Sequence[date], tz: ZoneInfo) -> datetime | None:
    """Rule 4: on a polling day before 20:00, when the hold ends (20:00 that day, aware in ``tz``)."""
    moment = _utc(when)
    for day in sorted(election_days):
        start, close = _at(day, time(0, 0), tz), _at(day, POLLS_CLOSE, tz)
        if _utc(start) <= moment < _utc(close):
            return close
    return None


def _polemic_day(when: datetime, election_days: Sequence[date], tz: ZoneInfo) -> date | None:
    """Rule 2: the polling day whose last 48 h (before its 00:00, up to the close of polls) hold ``when``."""
    moment = _utc(when)
    for day in sorted(election_days):
        start = _utc(_at(day, time(0, 0), tz)) - timedelta(hours=POLEMIC_HOURS)
        if start <= moment < _utc(_at(day, POLLS_CLOSE, tz)):
            return day
    return None


def event_in_silence(kind: str, start: datetime, election_days: Sequence[date], tz: ZoneInfo) -> date | None:
    """Rule 1: the polling day when an event of a campaigning kind starts in its silence (else None)."""
    if fold_words(kind) not in _SILENCE_KINDS_FOLDED:
        return None
    return silence_day(start, election_days, tz)


def _contains(folded_text: str, name: str) -> bool:
    """Whole words: fold_words leaves words separated by single spaces, so padding is enough
    (and stays fast with thousands of member names, where a regex per name would not)."""
    folded = fold_words(name)
    return bool(folded) and f" {folded} " in f" {folded_text} "


# Rule 3: sponsoring / boosting words, French and English, on fold_words text.
_PAID = re.compile(
    r"\b(?:"
    r"sponsoris\w*|sponsoring|sponsors?|sponsored|"
    r"boost|boosts|booster|boostez|boostons|boosting|boostee?s?|boosted|"
    r"publicites? payantes?|pubs? payantes?|publicites? (?:facebook|instagram|meta|sur les reseaux)|"
    r"promouvoir (?:la|cette|notre) publication|promotion payante|campagnes? payantes?|"
    r"ads|ad (?:campaign|budget|spend)|(?:an|paid|facebook|meta|instagram|run|buy) ads?|"
    r"paid (?:promotion|advertising|post|reach)|promoted (?:post|tweet)s?|advertis\w*"
    r")\b"
)

# Rule 5: asking for money, French and English, on fold_words text ("donnez votre avis" is not).
_NOT_MONEY_AFTER_DONNEZ = (
    r"(?:votre|vos|nous|moi|leur|lui|de la voix|de votre|de vos|un coup de main|rendez vous|le ton|"
    r"la parole|l exemple|envie|suite|tort|raison|acces|naissance|sens|forme|corps)\b"
)
_APPEAL = re.compile(
    r"\b(?:"
    r"(?:faites|faire|fais|faisons|effectuez|effectuer|font) (?:un |des |votre |vos |un petit |quelques )?dons?|"
    r"(?:vos|votre|un|des|les|aux|a|chaque|petit|petits|ton|tes|par|son|leur|leurs|nos|notre) dons?"
    r"(?! (?:alimentaires?|en nature|de (?:vetements|nourriture|sang|jouets|livres|materiel))\b)|"
    r"dons? en ligne|appel (?:aux|a|au) dons?|"
    r"soutenez nous financierement|soutenir financierement|soutenez financierement|soutien financier|"
    r"participez au financement|participer au financement|financez|financer (?:la|notre|nos|cette) campagne|"
    r"donnez(?! " + _NOT_MONEY_AFTER_DONNEZ + r")|"
    r"cagnottes?|helloasso|leetchi|paypal|tipeee|ulule|kisskissbankbank|gofundme|"
    r"financement participatif|collecte de fonds|levee de fonds|chaque euro compte|"
    r"donate|donating|donations?|chip in|give (?:now|today|what you can|generously)|"
    r"support us financially|fundrais\w*|crowdfund\w*"
    r")\b"
)


# Rule 5 without configured financing names: the phrase « mandataire financier » or « association
# de financement » followed by a name (a capitalised word, or a name in quotes), e.g.
# « mandataire financier : Jeanne Martin », « association de financement « AFC Lyon » ». The bare
# word « mandataire » names nobody.
_FINANCING_NAMED = re.compile(
    r"(?i:mandataire\s+financi(?:er|ère)|association\s+de\s+financement)"
    r"(?:\s+(?:électoral|électorale|de\s+la\s+campagne|de\s+la\s+liste))?"
    r"\s*[:,–—-]?\s*(?:(?:est|:)\s+)?(?:(?:de|du|des|d['’]|de\s+la|l['’]|la|le|M\.|Mme|Mme\.)\s*)?"
    r"[«\"“]?\s*[A-ZÀ-ÖØ-Ý][\w'’-]*",
)
_FINANCING_PHRASE = re.compile(r"mandataire\s+financi|association\s+de\s+financement", re.IGNORECASE)
# Rule 5 for a list: an appeal that speaks of a list must name it.
_LIST_WORDS = re.compile(r"\b(?:liste|listes|list)\b")


def names_financing(text: str, financing_names: Sequence[str] = ()) -> bool:
    """Rule 5: ``text`` names the mandataire or the financing association: one of the configured
    names, else the phrase followed by a name."""
    folded = fold_words(text)
    if any(_contains(folded, name) for name in financing_names):
        return True
    for match in _FINANCING_PHRASE.finditer(text):
        # The name starts with a capital letter (the phrase alone is matched case-blind).
        if _FINANCING_NAMED.match(text, match.start()) is not None:
            return True
    return False


def _paid_words(folded: str) -> str | None:
    match = _PAID.search(folded)
    return match.group(0) if match else None


def appeal_words(text: str) -> str | None:
    """The words by which ``text`` asks for money (folded), or None."""
    match = _APPEAL.search(fold_words(text))
    return match.group(0) if match else None


def check_post(text: str, ctx: PostContext) -> list[Finding]:
    """Every finding for ``text`` published at ``ctx.when``; confirmed "confirm"/"pause" ones left out."""
    folded = fold_words(text)
    days = ctx.election_days
    findings: list[Finding] = []

    appeal = appeal_words(text)
    if appeal is not None:
        financed = names_financing(text, ctx.financing_names)
        # A list's appeal (the text speaks of a list) names the list; the movement's own appeal
        # names its financing body only.
        for_a_list = bool(ctx.list_names) and _LIST_WORDS.search(folded) is not None
        names_list = not for_a_list or any(_contains(folded, name) for name in ctx.list_names)
        if not (financed and names_list):
            findings.append(Finding("appeal", "block", ART_APPEAL, detail=appeal))

    silenced = silence_day(ctx.when, days, ctx.tz)
    if silenced is not None:
        findings.append(
            Finding(
                "silence",
                "pause",
                ART_SILENCE,
                until=silence_window(silenced, ctx.tz)[1],
                detail=silenced.isoformat(),
            )
        )
    hold = results_hold_until(ctx.when, days, ctx.tz)
    if hold is not None:
        findings.append(Finding("results", "pause", ART_RESULTS, until=hold, detail=hold.date().isoformat()))
    polemic = _polemic_day(ctx.when, days, ctx.tz)
    if polemic is not None:
        findings.append(Finding("polemic", "confirm", ART_POLEMIC, detail=polemic.isoformat()))

    paid = _paid_words(folded)
    if paid is not None:
        findings.append(Finding("paid", "warn", ART_PAID, detail=paid))

    seen: set[str] = set()
    for name in ctx.member_names:
        key = fold_words(name)
        # A full name has at least two words: a lone first name identifies nobody.
        if len(key.split()) >= 2 and key not in seen and _contains(folded, name):
            seen.add(key)
            findings.append(Finding("consent", "confirm", ART_CONSENT, detail=" ".join(name.split())))

    if ctx.has_images:
        findings.append(Finding("image_rights", "confirm", ART_IMAGE))

    return [f for f in findings if not (f.action in ("confirm", "pause") and f.rule in ctx.confirmed)]

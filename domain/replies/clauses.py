"""Reading a reply clause by clause, and combining the clauses by the rules of
docs/reply-conventions.md (rules 1 to 5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.replies.lexicon import (
    ACK,
    ANSWER_ELSE_RE,
    CAR_RE,
    CLAUSE_SPLIT_RE,
    COMPANION_RE,
    DAY_RE,
    DESIGN_BEFORE_RE,
    DESIGNABLE_RE,
    EXTRA_ROLE_RE,
    EXTRA_ROLES,
    FOR_BEFORE_RE,
    FOR_ME_RE,
    HEDGE_RE,
    INFO_ANSWER_RE,
    INFO_NOTE_RE,
    INFO_SELF_RE,
    INTO_BOXES_RE,
    LATE,
    LEAN_NO_RE,
    LOGISTICS_NOUN_RE,
    LOGISTICS_VERB_RE,
    MY_PLACE_RE,
    NEG_AFTER_RE,
    NEG_BEFORE_RE,
    NEG_INSIDE_RE,
    NEGATED_AFTER_RE,
    NEGATED_BEFORE_RE,
    NEUTRAL_RE,
    NO_RE,
    NOT_CONDITION,
    NOT_SUBJECT,
    ORG_CONDITION_RE,
    OTHER_ANSWER_RE,
    OTHER_SUBJECT_RE,
    OTHER_TIME,
    OWN_CONDITION_RE,
    PARTIAL_NEG_RE,
    PRESENCE_RE,
    QUANTITY_TASK_RE,
    QUESTION_START_RE,
    RESUME_RE,
    REVERSAL_RE,
    SARCASM_RE,
    SELF_RE,
    SENTENCE_RE,
    SIGN_AGREE_START_RE,
    SIGN_AGREEMENT_RE,
    SIGN_EVENT_RE,
    SITE_PUT_RE,
    SOCIAL_AFTER_RE,
    SPECIAL_MAYBE_RE,
    SPECIAL_YES_RE,
    SUBJECTLESS_TAKE_RE,
    TAKE_ANY_RE,
    TAKE_BEFORE_RE,
    TIME_LIMIT,
    VERB_TAKE_RE,
    WEAK_NO,
    WEAK_YES,
    WITH_BEFORE_RE,
    YES_RE,
)
from domain.replies.model import MAX_CHARS, MAX_CLAUSES, Intent, ReplyIntent
from domain.replies.normalise import normalize
from domain.replies.signs import split_emoji
from domain.roles import role_mentions
from domain.text import LazyPattern, lazy_compile

# Words that may open a clause before a condition placed first: "mais si je viens, je tiens la caisse".
LEAD_CONNECTOR_RE = lazy_compile(r"^(?:mais|et|ou|sinon|donc|alors|par contre|bon|ben)\b")

# A reply that starts by addressing someone ("@Nadia, …").
MENTION_RE = lazy_compile(r"^\s*@\w+[ ,:]*")

# "je tiens la table": holding a table is staffing the stand.
HOLD_BEFORE_RE = lazy_compile(
    r"\b(?:tien[st]?|tiendrai|tenir|tenez|garde|garderai|garder)(?: (?:la|une|le))? $"
)

# A withdrawal from a list names the task left, not one taken: "enlevez-moi de la liste des assesseurs".
WITHDRAW_BEFORE_RE = lazy_compile(
    r"\b(?:enleve|retire|raye|supprime|desinscri|sors|sortez|sortir|ote)\w* (?:moi |me )?(?:de|du|des)(?: [^ ]+){0,3} $"
    r"|\bje me (?:desinscri|retire|desiste)\w* (?:de|du|des)(?: [^ ]+){0,3} $"
)
# "la colle" is a thing to carry, "je colle" the task.
THING_BEFORE_RE = lazy_compile(r"\b(?:la|de la|ma|sa|notre|votre|pot de|tube de|pots de|tubes de) $")
# Carrying what the task needs: "je prends les affiches dans ma voiture", "… et les ramener" → logistique.
CARRY_RE = lazy_compile(
    r"\bdans (?:ma|mon|la|le|notre) (?:voiture|coffre|camion|camionnette|vehicule|remorque|caddie|sac)\b"
    r"|\b(?:les|la|le|leur) (?:ramene\w*|rapporte\w*|apporte\w*|amene\w*|depose\w*|transporte\w*|livre\w*)\b"
)
# "chaud pour le collage", "je viens au tractage": joining the outing named by its kind; a task said
# later ("je ramène le seau") is the one taken.
EVENT_KIND_RE = lazy_compile(
    r"^(?:(?:moi|oui|ok|super|trop|grave|carrement|tres|hyper|archi) )*(?:(?:chaud|partant|motive|dispo|ok|go|present)"
    r" pour|je (?:viens|viendrai|serai|suis|participe|participerai)(?: a| pour)?) (?:le|la|les|du|au|aux|ce|cette)"
    r" [a-z]+$"
)
EVENT_KINDS = frozenset({"collage", "tractage", "boîtage", "porte-à-porte"})
# "si possible" after a preference ("bureau 4 si possible") conditions the preference, not the answer.
PREFERENCE_RE = lazy_compile(r"\b(?:si possible|de preference|idealement)\b")
# A hedge on the time of arrival ("j'arriverai sans doute vers 19h15") after a firm yes keeps the yes.
ARRIVAL_TIME_RE = lazy_compile(
    r"\bje (?:arrive|arriverai|serai la|passerai|passe)\b(?: [^ ]+){0,3} (?:vers|a|pour|avant|apres|entre) \d{1,2} ?h"
    r"|\ben retard\b"
)
# The sender says in the clause itself that they come: "je viens et je fais la caisse".
COMING_RE = lazy_compile(
    r"\b(?:venir|viens|viendrai|viendrais|etre la|suis la|serai la|y serai|y suis|y etre|present|passerai"
    r"|participe\w*)\b"
)
# Choosing between options the thread discusses: "+1 pour X plutôt que Y", "au lieu de".
CHOICE_RE = lazy_compile(r"\b(?:plutot|au lieu de|de preference a|prefere)\b")
# Tasks that need no presence (docs/reply-conventions.md, Intent: yes).
REMOTE_ROLES = frozenset({"graphisme", "rédaction", "réseaux sociaux", "site web"})

# A refusal that negates a verb ("je pourrai pas") reaches the words right after it.
VERBAL_NEG_END_RE = lazy_compile(r"\b(?:pas|plus|jamais)$")

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
    days: frozenset[str] = frozenset()
    hedge_only: bool = False  # "normalement", "je pense": qualifies the answer next to it
    event_kind: bool = False  # "chaud pour le collage": the role is the event's kind, not a task
    timing_hedge: bool = False  # "j'arriverai sans doute vers 19h": hedges the time, not the coming
    presence: bool = False  # the clause says the sender comes


def _mask(text: str, start: int, end: int) -> str:
    """Blank a span already read, keeping positions."""
    return text[:start] + "#" * (end - start) + text[end:]


def _collect(text: str, pattern: LazyPattern, intent: Intent, hits: list[tuple[int, Intent]]) -> str:
    for match in pattern.finditer(text):
        hits.append((match.start(), intent))
        text = _mask(text, match.start(), match.end())
    return text


def _mask_all(text: str, pattern: LazyPattern) -> tuple[str, bool]:
    found = False
    for match in pattern.finditer(text):
        found = True
        text = _mask(text, match.start(), match.end())
    return text, found


def _mask_condition(text: str, pattern: LazyPattern, open_ended: bool) -> tuple[str, bool]:
    """Blank a condition: to the end of the clause, or up to the main clause when it comes first.

    An open-ended condition ("si", "selon") has at least one more word: its subject ("si je …").
    """
    match = pattern.search(text)
    if match is None:
        return text, False
    end = len(text)
    if not LEAD_CONNECTOR_RE.sub("", text[: match.start()].strip(" #")).strip(" #"):
        first_word = re.match(r" *[^ ]+", text[match.end() :]) if open_ended else None
        resume = RESUME_RE.search(text, match.end() + (first_word.end() if first_word else 0))
        if resume:
            end = resume.start()
    return _mask(text, match.start(), end), True


def _is_other_subject(text: str) -> bool:
    if SELF_RE.search(text):
        return False
    match = OTHER_SUBJECT_RE.match(text) or OTHER_ANSWER_RE.match(text)
    if match is None:
        return False
    subject = match.group("subj")
    return any(word not in NOT_SUBJECT for word in subject.split())


def _negated(text: str, start: int, end: int) -> bool:
    return bool(
        NEG_INSIDE_RE.search(text, start, end)
        or NEG_BEFORE_RE.search(text[:start])
        or NEG_AFTER_RE.match(text[end:])
    )


def _find_role(text: str) -> tuple[str | None, int, bool, bool]:
    """(role, where, a task refused, a companion brought) for the first task the sender takes."""
    cues: list[tuple[int, int, str, str]] = [(s, e, r, "role") for s, e, r in role_mentions(text)]
    cues += [(m.start(), m.end(), "logistique", "verb") for m in LOGISTICS_VERB_RE.finditer(text)]
    cues += [(m.start(), m.end(), "logistique", "noun") for m in LOGISTICS_NOUN_RE.finditer(text)]
    for m in EXTRA_ROLE_RE.finditer(text):
        if m.lastgroup is not None:
            cues.append((m.start(), m.end(), EXTRA_ROLES[m.lastgroup], "role"))
    cues.sort(key=lambda cue: (cue[0], cue[0] - cue[1]))
    refused = companion = False
    covered = -1
    for start, end, role, kind in cues:
        if start < covered:
            continue  # "porte" inside "porte a porte"
        before = text[:start]
        word = text[start:end]
        if kind == "role" and word == "colle" and THING_BEFORE_RE.search(before):
            continue  # "la colle": a thing to bring (the logistics noun cue reads it)
        covered = end
        if WITHDRAW_BEFORE_RE.search(before):
            refused = True  # "enlevez-moi de la liste des assesseurs"
            continue
        if NEGATED_BEFORE_RE.search(before) or NEGATED_AFTER_RE.match(text[end:]):
            refused = refused or kind != "noun"  # "pas de voiture" is a reason, not a task declined
            continue
        is_verb = kind == "verb" or re.search(r"(?:er|e|es|erai|ons)$", word) is not None
        taken = (
            TAKE_BEFORE_RE.search(before)
            or FOR_ME_RE.match(text[end:])
            or (FOR_BEFORE_RE.search(before) and TAKE_ANY_RE.search(before))
            or (kind == "noun" and not CAR_RE.match(word) and WITH_BEFORE_RE.search(before))
            or (kind == "role" and re.fullmatch(r"(?:et )?\d{1,4} ", before) is not None)
        )
        if not (taken or (is_verb and VERB_TAKE_RE.search(before))):
            continue
        if kind == "verb" and COMPANION_RE.match(text[end:]) and not CAR_RE.search(text):
            companion = True
            continue
        if DESIGNABLE_RE.match(word) and DESIGN_BEFORE_RE.search(before):
            role = "graphisme"
        elif kind == "noun" and HOLD_BEFORE_RE.search(before) and re.match(r"tables?$", word):
            role = "stand"  # "je tiens la table": staffing it, not carrying it
        elif role == "rédaction" and SOCIAL_AFTER_RE.match(text[end:]):
            role = "réseaux sociaux"
        return role, start, refused, companion
    return None, -1, refused, companion


def _analyse(text: str, question: bool) -> _Clause:
    clause = _Clause(
        reversal=bool(REVERSAL_RE.match(text)),
        alternative=text.startswith("sinon"),
        other_time=bool(OTHER_TIME.search(text)),
    )
    if question or QUESTION_START_RE.match(text):
        clause.question = True  # a question carries no decision of its own
        return clause
    original = text
    clause.days = frozenset(m.group() for m in DAY_RE.finditer(text))
    text, _ = _mask_all(text, NOT_CONDITION)
    text, _ = _mask_condition(text, ORG_CONDITION_RE, open_ended=False)
    text, clause.own_condition = _mask_condition(text, OWN_CONDITION_RE, open_ended=True)

    hits: list[tuple[int, Intent]] = []
    text = _collect(text, SPECIAL_YES_RE, "yes", hits)
    text = _collect(text, SPECIAL_MAYBE_RE, "maybe", hits)
    refusals = [m.end() for m in LEAN_NO_RE.finditer(text) if VERBAL_NEG_END_RE.search(m.group())]
    text = _collect(text, LEAN_NO_RE, "no", hits)
    text = _collect(text, MY_PLACE_RE, "no", hits)
    text = _collect(text, SARCASM_RE, "no", hits)
    if not hits and _is_other_subject(text):
        clause.own_condition = False
        return clause  # about someone else: never the sender's answer
    text, _ = _mask_all(text, PARTIAL_NEG_RE)
    text, _ = _mask_all(text, NEUTRAL_RE)
    unrefused = text  # the roles still need to see "je peux pas tracter"
    refusals += [m.end() for m in NO_RE.finditer(text) if VERBAL_NEG_END_RE.search(m.group())]
    text = _collect(text, NO_RE, "no", hits)
    hedge = HEDGE_RE.search(text) is not None

    for match in YES_RE.finditer(text):
        negated = _negated(text, match.start(), match.end()) or any(
            end <= match.start() and len(text[end : match.start()].split()) <= 2 for end in refusals
        )  # "je pourrai pas être présent": the refusal reaches the words after it
        hits.append((match.start(), "no" if negated else "yes"))

    owned = (
        SELF_RE.search(unrefused) is not None
        or hedge
        or any(i == "yes" for _, i in hits)
        or SUBJECTLESS_TAKE_RE.match(unrefused) is not None
        or QUANTITY_TASK_RE.match(unrefused) is not None
    )
    role, where, refused, companion = _find_role(unrefused) if owned else (None, -1, False, False)
    if role is not None:
        put = SITE_PUT_RE.search(unrefused)
        if put is not None and put.start() <= where < put.end():
            role = "site web"  # "je mettrai le CR en ligne sur le site"
        elif role == "tractage" and INTO_BOXES_RE.search(unrefused):
            role = "boîtage"  # leaflets put in letter boxes, not handed out
        elif role != "logistique" and CARRY_RE.search(unrefused):
            role = "logistique"  # carrying what the task needs, whatever it is
        clause.event_kind = role in EVENT_KINDS and EVENT_KIND_RE.match(unrefused) is not None
        hits.append((where, "yes"))  # offering a task is a yes
        clause.role = role
    elif companion:
        hits.append((len(text), "yes"))

    hits.sort()
    intent: Intent | None = hits[-1][1] if hits else None
    if intent is None and refused:
        intent = "no"
    if intent == "no" and refused and not PRESENCE_RE.search(original):
        clause.task_decline = True
    clause.time_bound = intent == "no" and TIME_LIMIT.search(original) is not None
    if hedge and intent != "no":
        clause.hedge_only = intent is None
        clause.timing_hedge = ARRIVAL_TIME_RE.search(unrefused) is not None
        intent = "yes" if intent is None and LATE.search(text) else "maybe"
    clause.weak = "yes" if WEAK_YES.search(text) else "no" if WEAK_NO.search(text) else None
    if intent is None and clause.reversal:
        intent = clause.weak  # "finalement c'est bon": a weak word that changes the answer is one
    if clause.own_condition and intent is None and PREFERENCE_RE.search(original):
        clause.own_condition = False  # "bureau 4 si possible": a preference, not a condition
    clause.intent = intent
    clause.presence = COMING_RE.search(original) is not None
    clause.ack = ACK.search(original) is not None
    return clause


def _clauses(text: str) -> list[_Clause]:
    found: list[_Clause] = []
    for match in SENTENCE_RE.finditer(text):
        sentence, end = match.group(1), match.group(2)
        if not sentence.strip():
            continue
        info = INFO_ANSWER_RE.match(sentence.strip()) or INFO_NOTE_RE.match(sentence.strip())
        if (
            info is not None and not INFO_SELF_RE.search(sentence.strip()[info.end() :])
        ) or ANSWER_ELSE_RE.match(sentence.strip()):
            continue  # "oui c'est la place du marché, pas la mairie": answers something else
        parts = [p.strip() for p in CLAUSE_SPLIT_RE.split(sentence)]
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
    refused_days: frozenset[str] = frozenset()
    role_is_kind = False
    for c in clauses:
        if c.reversal:
            condition = False  # a change of mind drops the conditions said before
        if (
            c.intent in ("yes", "maybe")
            and refused
            and not c.reversal
            and (c.other_time or (c.days and refused_days and not c.days & refused_days))
        ):
            continue  # "samedi non, dimanche d'après oui", "pas jeudi, mais vendredi je suis dispo"
        condition = condition or c.own_condition
        if c.intent is None or (c.alternative and condition):
            continue
        if c.intent == "no":
            firm = intent in ("yes", "maybe")
            if firm and not c.reversal and (c.task_decline or c.time_bound or role is not None):
                # Rule 3 (another task kept), and the definition of yes: a task needing no presence
                # survives "je peux pas venir", and so does partial presence.
                continue
            intent, role, refused = "no", None, True
            refused_days = refused_days | c.days
            continue
        if c.intent == "maybe" and intent == "yes" and role and c.role and not c.reversal:
            continue  # "je fais les photos, peut-être aussi le stand": the firm task stays
        if c.intent == "maybe" and intent == "yes" and c.timing_hedge and not c.reversal:
            continue  # "je serai là, j'arriverai sans doute vers 19h": partial presence, a yes
        keep = intent in ("yes", "maybe") and not c.reversal
        if keep and c.role and role_is_kind:
            role = None  # "chaud pour le collage ! je ramène le seau": the task said is the one taken
        if (
            keep
            and intent == "maybe"
            and c.intent == "yes"
            and c.role is not None
            and c.role not in REMOTE_ROLES
            and not c.presence
        ):
            role = role or c.role  # "je viendrai sûrement, je pourrai aider à la caisse": still maybe
            continue
        intent, role = c.intent, (role or c.role) if keep else c.role
        role_is_kind = c.event_kind if role == c.role else role_is_kind

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


def _sign_task(rest: str) -> str | None:
    """The task a "+1" is for when it names one right away ("+1 pour le boîtage", "+1 collage")."""
    lead = re.match(r"(?:(?:pour|le|la|les|du|de|des|un|une|faire|aider|tenir|au|a)\b ?)*", rest)
    mentions = role_mentions(rest)
    if lead is not None and mentions and mentions[0][0] <= lead.end():
        return mentions[0][2]
    return None


def _classify_sign(text: str, sarcasm: bool) -> ReplyIntent | None:
    """'+1', '+2', '-1' at the start; None when the text does not start with one."""
    match = re.match(r"(plusun|moinsun)\b[ ,.!;…]*", text)
    if match is None:
        return None
    sign: Intent = "yes" if match.group(1) == "plusun" else "no"
    rest = text[match.end() :].strip()
    if not rest:
        return ReplyIntent(sign)
    if sign == "yes" and (task := _sign_task(rest)) is not None:
        return ReplyIntent("yes", task)  # "+1 pour le boîtage", "+1 collage"
    if rest.startswith("pour "):
        if CHOICE_RE.search(rest):
            return ReplyIntent("other")  # "+1 pour le rdv à la boulangerie plutôt qu'à l'arrêt": a choice
        if SIGN_EVENT_RE.match(rest[5:]):
            return ReplyIntent(sign)
        return ReplyIntent("other")  # "+1 pour changer de marché": agrees with something else
    if SIGN_AGREEMENT_RE.search(rest) or SIGN_AGREE_START_RE.match(rest):
        return ReplyIntent("other")  # "+1 à ce que dit Nora", "+1 avec Marc, mieux vaut …"
    result = _combine(_clauses(rest), sarcasm)
    return result if result.intent != "other" else ReplyIntent(sign)


def classify_reply(text: str) -> ReplyIntent:
    """Read a reply to an announcement: the sender's intent and, for a task they take, the role."""
    body, emoji, sarcasm = split_emoji(text[:MAX_CHARS])
    body = MENTION_RE.sub("", body)  # "@Nadia oui c'est la porte verte": the words after the name
    normalized = normalize(body)
    if not re.search(r"[a-z0-9]", normalized):
        # Emoji alone: 👍 ✋ 🙋 yes, 🤔 🤷 maybe, 👎 no; other emoji are reactions, not answers.
        answers = [a for a in emoji if a != "other"]
        return ReplyIntent(answers[-1] if answers else "other")
    signed = _classify_sign(normalized, sarcasm)
    if signed is not None:
        return signed
    return _combine(_clauses(normalized), sarcasm)

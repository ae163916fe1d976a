"""What people type for the shared inbox: answers and saved answers, /absent, /modeles, /routage.

Each reader returns a value, or why it refuses as a text key (with its values) for bot/texts.
Dates are read by domain.dates, words compared folded (domain.text). Pure logic, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from domain.dates import parse_when
from domain.people import DOMAIN_WORDS, Domain
from domain.text import fold, lazy_compile
from domain.triage import canonical_city

Problem = tuple[str, dict[str, Any]]  # a text key and its values

# --- Answers and saved answers ---------------------------------------------------------------------

MAX_ANSWER_CHARS = 3500  # an answer plus its preview must fit one Telegram message
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TEMPLATE_NAME = lazy_compile(r"^[\w-]{1,40}$")


def check_answer(text: str | None) -> Problem | None:
    """Why an answer cannot be sent as typed (a text key and its values), or None."""
    body = (text or "").strip()
    if not body.translate(_INVISIBLE).strip():
        return "inbox.reply_empty", {}
    if len(body) > MAX_ANSWER_CHARS:
        return "inbox.reply_too_long", {"length": len(body), "max": MAX_ANSWER_CHARS}
    return None


def check_template(name: str, body: str) -> Problem | None:
    """Why a saved answer cannot be kept under that name, or None."""
    if not _TEMPLATE_NAME.match(name):
        return "inbox.tpl_bad_name", {}
    problem = check_answer(body)
    if problem is not None:
        return ("inbox.tpl_empty" if problem[0] == "inbox.reply_empty" else "inbox.tpl_too_long"), problem[1]
    return None


@dataclass(frozen=True)
class TemplateRequest:
    """/modeles …: list them all, show one, add (or replace) one, delete one."""

    action: Literal["list", "show", "add", "delete"]
    name: str = ""
    body: str = ""


_ADD_WORDS = {"ajouter", "add", "nouveau", "new", "creer", "create"}
_DELETE_WORDS = {"supprimer", "delete", "retirer", "remove", "effacer"}
_FIRST_WORD = lazy_compile(r"(\S+)\s*([\s\S]*)$")


def parse_templates(text: str) -> TemplateRequest:
    """`ajouter adhesion Bonjour…`, `supprimer adhesion`, `adhesion`, or nothing (the list)."""
    found = _FIRST_WORD.match(text)
    verb, rest = (found[1], found[2].strip()) if found else ("", "")
    word = fold(verb)
    if word in _ADD_WORDS:
        named = _FIRST_WORD.match(rest)
        return TemplateRequest("add", named[1], named[2].strip()) if named else TemplateRequest("add")
    if word in _DELETE_WORDS:
        return TemplateRequest("delete", rest.split()[0] if rest else "")
    return TemplateRequest("show", verb) if verb else TemplateRequest("list")


# --- /absent ------------------------------------------------------------------------------------------

ABSENCE_MAX_DAYS = 366
_ABSENCE_PREFIX = lazy_compile(
    r"^(?:jusqu\s*['’ ]?\s*(?:au|à|a|aux)\b|until\b|till\b|to\b|au\b|le\b)\s*", re.I
)
_TODAY_WORDS = {"aujourd'hui", "aujourdhui", "aujourd’hui", "ce soir", "today", "tonight"}
_BACK_WORDS = {"non", "no", "fin", "retour", "back", "stop", "aucune", "none", "off"}


def ends_absence(text: str) -> bool:
    """`/absent non`, `/absent fin`, `/absent back`: the person is back."""
    return fold(text) in _BACK_WORDS


def parse_absence(text: str, now: datetime, tz: ZoneInfo) -> date | None:
    """`jusqu'au 12/12`, `demain`, `until 24 December` → the last day of absence (inclusive)."""
    words = _ABSENCE_PREFIX.sub("", (text or "").strip()).strip()
    if not words:
        return None
    today = now.astimezone(tz).date()
    if fold(words) in _TODAY_WORDS:
        return today
    # A date without time means its midnight, already past today: read it again from yesterday.
    yesterday_night = datetime.combine(today - timedelta(days=1), time(23, 59), tz)
    when = parse_when(words, now) or parse_when(words, yesterday_night)
    if when is None:
        return None
    day = when.astimezone(tz).date()
    return day if today <= day <= today + timedelta(days=ABSENCE_MAX_DAYS) else None


# --- /routage -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingEdit:
    remove: bool
    domain: str
    city: str | None
    handles: tuple[str, ...]


_REMOVE_WORDS = {"retirer", "supprimer", "enlever", "remove", "delete"}


def parse_routing(words: Sequence[str]) -> RoutingEdit | str:
    """`finance @lea`, `campagne Lyon @omar @ines`, `retirer finance @lea` → an edit, or a text key."""
    words = list(words)
    remove = bool(words) and fold(words[0]) in _REMOVE_WORDS
    if remove:
        words = words[1:]
    if not words:
        return "inbox.route_usage_short"
    chosen = DOMAIN_WORDS.get(fold(words[0]).replace("-", "").replace(" ", ""))
    if chosen is None:
        return "inbox.route_bad_domain"
    domain, rest, city = chosen.value, words[1:], None
    if (
        chosen is Domain.CAMPAIGN
        and rest
        and not rest[0].startswith("@")
        and not rest[0].lstrip("-").isdigit()
    ):
        city = canonical_city(rest[0])
        if city is None:
            return "inbox.route_bad_city"
        rest = rest[1:]
    if not rest:
        return "inbox.route_need_person"
    return RoutingEdit(remove, domain, city, tuple(rest))

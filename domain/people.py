"""Who is who: roles, their scopes, and what a person may do. Pure logic."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.roles import ROLES
from domain.text import fold


class Role(StrEnum):
    COORDINATOR = "coordinator"
    TREASURER = "treasurer"
    CANDIDATE = "candidate"
    LEAD = "lead"
    COLLECTOR = "collector"
    VOLUNTEER = "volunteer"


class Domain(StrEnum):
    COMMUNICATION = "communication"
    SECRETARIAT = "secretariat"
    FINANCE = "finance"
    WEBSITE = "website"
    CAMPAIGN = "campaign"


# The words a coordinator types, folded (no accents, lower case).
ROLE_WORDS: dict[str, Role] = {
    "coordinateur": Role.COORDINATOR,
    "coordinatrice": Role.COORDINATOR,
    "coordination": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
    "tresorier": Role.TREASURER,
    "tresoriere": Role.TREASURER,
    "tresorerie": Role.TREASURER,
    "treasurer": Role.TREASURER,
    "candidat": Role.CANDIDATE,
    "candidate": Role.CANDIDATE,
    "responsable": Role.LEAD,
    "lead": Role.LEAD,
    "collecte": Role.COLLECTOR,
    "collecteur": Role.COLLECTOR,
    "collectrice": Role.COLLECTOR,
    "collector": Role.COLLECTOR,
    "benevole": Role.VOLUNTEER,
    "volunteer": Role.VOLUNTEER,
}

DOMAIN_WORDS: dict[str, Domain] = {
    "communication": Domain.COMMUNICATION,
    "com": Domain.COMMUNICATION,
    "presse": Domain.COMMUNICATION,
    "secretariat": Domain.SECRETARIAT,
    "finance": Domain.FINANCE,
    "finances": Domain.FINANCE,
    "financement": Domain.FINANCE,
    "site": Domain.WEBSITE,
    "website": Domain.WEBSITE,
    "siteweb": Domain.WEBSITE,
    "campagne": Domain.CAMPAIGN,
    "campaign": Domain.CAMPAIGN,
}

FIRST_NAME_MAX = 64
CITY_NAME_MAX = 80
NO_CITY = "none"  # the « none of these cities » button
SKILLS_DONE = "ok"  # the Valider button under the skills


@dataclass(frozen=True)
class Grant:
    role: Role
    scope: str = ""


@dataclass(frozen=True)
class RoleSpecError:
    code: str  # a text-catalog key


def parse_role_spec(words: list[str], cities: list[str]) -> Grant | RoleSpecError:
    """`candidat Lyon`, `responsable presse`, `trésorière` → a Grant, or why not."""
    if not words:
        return RoleSpecError("role.spec_missing")
    role = ROLE_WORDS.get(fold(words[0]))
    if role is None:
        return RoleSpecError("role.spec_unknown")
    rest = " ".join(words[1:]).strip()
    if role is Role.CANDIDATE:
        city = match_city(rest, cities)
        return Grant(role, city) if city else RoleSpecError("role.spec_city")
    if role is Role.LEAD:
        domain = DOMAIN_WORDS.get(fold(rest).replace(" ", "").replace("-", ""))
        return Grant(role, domain.value) if domain else RoleSpecError("role.spec_domain")
    return Grant(role)


def match_city(text: str, cities: list[str]) -> str | None:
    wanted = fold(text).replace("-", " ")
    if not wanted:
        return None
    for city in cities:
        if fold(city).replace("-", " ") == wanted:
            return city
    return None


def clean_first_name(text: str) -> str | None:
    """A first name as typed, trimmed; None if empty, too long or multi-line."""
    name = " ".join(text.split())
    if not name or len(name) > FIRST_NAME_MAX or "\n" in text.strip() or name.startswith("/"):
        return None
    return name


def effective_roles(grants: list[Grant], is_env_coordinator: bool, onboarded: bool) -> frozenset[Role]:
    """Every onboarded person is a volunteer; COORDINATOR_IDS are coordinators once onboarded."""
    if not onboarded:
        return frozenset()
    roles = {Role.VOLUNTEER, *(g.role for g in grants)}
    if is_env_coordinator:
        roles.add(Role.COORDINATOR)
    return frozenset(roles)


def clean_city_name(text: str) -> str | None:
    """A new city's name as typed; None if empty, too long or a command."""
    name = text.strip()
    if not name or len(name) > CITY_NAME_MAX or name.startswith("/"):
        return None
    return name


def chosen_city(value: str, known: Collection[int]) -> int | None:
    """The city a button carries: one of `known`, or None for « none of these ».

    Raises ValueError for anything else (a city removed since, a forged button).
    """
    if value == NO_CITY:
        return None
    if not value.isdigit() or int(value) not in known:
        raise ValueError(value)
    return int(value)


def toggle_skill(chosen: list[str], index_text: str) -> list[str] | None:
    """The new skill list after a tap (in the order of ROLES), or None for a bad index."""
    if not index_text.isdigit() or int(index_text) >= len(ROLES):
        return None
    skill = ROLES[int(index_text)]
    return (
        [s for s in chosen if s != skill]
        if skill in chosen
        else [s for s in ROLES if s in chosen or s == skill]
    )


def invite_problem(used_at: datetime | None, expires_at: datetime, now: datetime) -> str | None:
    """Why an invitation link cannot be used any more (a text-catalog key), or None."""
    if used_at is not None:
        return "invite.used"
    if expires_at <= now:
        return "invite.expired"
    return None

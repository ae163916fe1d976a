"""Events: what a coordinator types when creating one, and how full it is. Pure logic."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.matching import candidate_cities, organiser_cities
from domain.people import Grant, Role
from domain.roles import normalize_role
from domain.text import TextError, fold, lazy_compile

KINDS: tuple[str, ...] = (
    "réunion",
    "tractage",
    "porte-à-porte",
    "stand",
    "collage",
    "formation",
    "levée de fonds",
    "autre",
)
# How each kind shows in posts (an unknown kind shows as « autre »).
KIND_EMOJI = {
    "réunion": "🗣",
    "tractage": "📄",
    "porte-à-porte": "🚪",
    "stand": "⛺",
    "collage": "🖌",
    "formation": "🎓",
    "levée de fonds": "💶",
    "autre": "📌",
}
TITLE_MAX = 120
PLACE_MAX = 200
DESCRIPTION_MAX = 1500
ROLE_MAX = 40
NEED_MAX = 500
DURATION_MAX_MINUTES = 14 * 24 * 60
DEFAULT_DURATION_MINUTES = 120


def clean_description(text: str) -> str | TextError:
    value = text.strip()
    if value in ("-", "—", "aucune", "non", "rien"):
        return ""
    if len(value) > DESCRIPTION_MAX:
        return TextError("event.too_long", (("length", len(value)), ("max", DESCRIPTION_MAX)))
    return value


_NEED_ITEM = lazy_compile(
    r"^(?P<a>.*?)\s*[:=x×]?\s*(?P<n>[+-]?\d+)\s*$|^(?P<n2>[+-]?\d+)\s*(?:x|×)?\s*(?P<b>.+)$"
)


def parse_needs(text: str) -> list[tuple[str, int]] | TextError:
    """'tractage 4, photo 1' → [('tractage', 4), ('photo', 1)]; 'aucun' → []; free roles allowed."""
    value = text.strip()
    if fold(value) in ("aucun", "aucune", "rien", "non", "-", "0", "none", "no"):
        return []
    items = [p.strip() for p in re.split(r"[,;\n]+|\bet\b", value) if p.strip()]
    if not items:
        return TextError("event.needs_invalid")
    needs: dict[str, int] = {}
    for item in items:
        match = _NEED_ITEM.match(item)
        if not match:
            return TextError("event.needs_count", (("item", item),))
        name = (match.group("a") or match.group("b") or "").strip(" :-")
        count = int(match.group("n") or match.group("n2"))
        if not name:
            return TextError("event.needs_invalid")
        if count <= 0 or count > NEED_MAX:
            return TextError("event.needs_count", (("item", item),))
        role = normalize_role(name) or " ".join(name.lower().split())
        if len(role) > ROLE_MAX:
            return TextError("event.too_long", (("length", len(role)), ("max", ROLE_MAX)))
        needs[role] = needs.get(role, 0) + count
    return list(needs.items())


_DURATION = lazy_compile(
    r"^(?:(?P<h>\d{1,3})\s*(?:h|heures?|hours?)\s*(?P<m>\d{1,2})?\s*(?:min(?:utes?)?)?"
    r"|(?P<mo>\d{1,4})\s*(?:min|mn|minutes?)"
    r"|(?P<d>\d{1,2})\s*(?:j|jours?|days?))$"
)


def parse_duration(text: str) -> int | None:
    """'2h', '1h30', '90 min', '1 jour', 'toute la journée' → minutes; None when unclear."""
    value = fold(text).replace(",", ".")
    if value in ("toute la journee", "journee", "la journee", "all day"):
        return 8 * 60
    if value in ("demi-journee", "demi journee", "une demi-journee", "half day"):
        return 4 * 60
    match = _DURATION.match(value)
    if not match:
        return None
    if match.group("h") is not None:
        minutes = int(match.group("h")) * 60 + int(match.group("m") or 0)
        if match.group("m") and int(match.group("m")) >= 60:
            return None
    elif match.group("mo") is not None:
        minutes = int(match.group("mo"))
    else:
        minutes = int(match.group("d")) * 24 * 60
    return minutes if 0 < minutes <= DURATION_MAX_MINUTES else None


@dataclass(frozen=True)
class Fill:
    role: str
    needed: int
    taken: int

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.taken)


def fill_of(needs: list[tuple[str, int]], taken_by_role: dict[str, int]) -> list[Fill]:
    return [Fill(role, count, taken_by_role.get(role, 0)) for role, count in needs]


def fills_from_counts(needs: list[tuple[str, int]], counts: dict[str, int]) -> list[Fill]:
    """Fills from an event's answer counts (storage.events.counts: `role:<name>` keys count the yes)."""
    taken = {k.removeprefix("role:"): v for k, v in counts.items() if k.startswith("role:")}
    return fill_of(needs, taken)


def colour(fills: list[Fill]) -> str:
    """red / amber / green by the share of places filled (green when nothing is needed)."""
    needed = sum(f.needed for f in fills)
    if needed == 0:
        return "green"
    ratio = sum(min(f.taken, f.needed) for f in fills) / needed
    return "green" if ratio >= 1 else "amber" if ratio >= 0.5 else "red"


# --- Who may organise what -----------------------------------------------------------------------


def creatable_cities(
    roles: frozenset[Role],
    grants: list[Grant],
    person_city_id: int | None,
    cities: list[tuple[int, str]],
    national: str,
) -> list[tuple[int | None, str]]:
    """Where a person may create an event, as (city id, name): coordinators every city and national
    (named `national`), candidates their cities, leads their own city."""
    scope = organiser_cities(roles, grants, person_city_id, {name: cid for cid, name in cities})
    if scope is None:
        return [*cities, (None, national)]
    return [(cid, name) for cid, name in cities if cid in scope]


def may_manage(
    roles: frozenset[Role],
    grants: list[Grant],
    person_id: int | None,
    person_city_id: int | None,
    city_ids: dict[str, int],
    event_city_id: int | None,
    created_by: int | None,
) -> bool:
    """Who may edit or cancel an event, by their roles now: coordinators every event, candidates every
    event of their cities, and an organiser the events they created where they may still organise.
    Having created an event is not enough: a role taken back takes the event with it."""
    scope = organiser_cities(roles, grants, person_city_id, city_ids)
    if scope is None:
        return True
    if event_city_id is None or event_city_id not in scope:
        return False
    return event_city_id in candidate_cities(grants, city_ids) or (
        person_id is not None and created_by == person_id
    )

"""Who to ask first for one unfilled role of one event. Pure logic.

Eligible: same city (anyone for a national event), has the skill (anyone for a free role that is
not one of the 13 ROLES), free at that time, not paused, reachable, not absent that day, not
already in the event nor already asked for this role, and under the weekly cap of asks.
Order: skill match, then asked least recently (never asked first), then fewest asks this week,
then id (stable, so that a re-run gives the same wave).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.people import Grant, Role
from domain.roles import ROLES
from domain.text import fold

# Why someone was left out, in the order the checks run (the first failing one is reported).
CITY = "city"
SKILL = "skill"
PAUSED = "paused"
UNREACHABLE = "unreachable"
ABSENT = "absent"
PARTICIPATING = "participating"
ASKED = "asked"
BUSY = "busy"
CAP = "cap"
REASONS: tuple[str, ...] = (CITY, SKILL, PAUSED, UNREACHABLE, ABSENT, PARTICIPATING, ASKED, BUSY, CAP)


@dataclass(frozen=True)
class Slot:
    """The role to fill: which event, where, which (local) day."""

    event_id: int
    role: str
    city_id: int | None  # None: a national event
    day: date


@dataclass(frozen=True)
class Volunteer:
    person_id: int
    city_id: int | None
    skills: tuple[str, ...] = ()
    paused: bool = False
    reachable: bool = True
    absent_until: date | None = None
    last_asked_at: datetime | None = None  # any ask, any event
    asks_this_week: int = 0  # asks in the 7 days before now


@dataclass(frozen=True)
class Ranking:
    eligible: list[Volunteer]
    excluded: dict[int, str] = field(default_factory=dict)  # person id → reason

    def excluded_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for reason in self.excluded.values():
            counts[reason] = counts.get(reason, 0) + 1
        return {r: counts[r] for r in REASONS if r in counts}


def skill_match(role: str, volunteer: Volunteer) -> bool:
    """Only one of the 13 known roles can match; a free role matches nobody in particular."""
    return role in ROLES and role in volunteer.skills


def exclusion(
    slot: Slot,
    v: Volunteer,
    *,
    busy: set[int],
    participating: set[int],
    asked: set[int],
    max_per_week: int,
) -> str | None:
    """The first reason `v` may not be asked, or None."""
    if slot.city_id is not None and v.city_id != slot.city_id:
        return CITY
    if slot.role in ROLES and slot.role not in v.skills:
        return SKILL
    if v.paused:
        return PAUSED
    if not v.reachable:
        return UNREACHABLE
    if v.absent_until is not None and slot.day <= v.absent_until:
        return ABSENT
    if v.person_id in participating:
        return PARTICIPATING
    if v.person_id in asked:
        return ASKED
    if v.person_id in busy:
        return BUSY
    if v.asks_this_week >= max_per_week:
        return CAP
    return None


def rank(
    slot: Slot,
    volunteers: list[Volunteer],
    *,
    busy: set[int],
    participating: set[int],
    asked: set[int],
    max_per_week: int,
) -> Ranking:
    """Eligible volunteers best first, and why each of the others was left out."""
    eligible: list[Volunteer] = []
    excluded: dict[int, str] = {}
    for v in volunteers:
        reason = exclusion(
            slot, v, busy=busy, participating=participating, asked=asked, max_per_week=max_per_week
        )
        if reason is None:
            eligible.append(v)
        else:
            excluded[v.person_id] = reason

    def key(v: Volunteer) -> tuple[int, int, float, int, int]:
        never = v.last_asked_at is None
        stamp = 0.0 if v.last_asked_at is None else v.last_asked_at.timestamp()
        return (
            0 if skill_match(slot.role, v) else 1,
            0 if never else 1,
            stamp,
            v.asks_this_week,
            v.person_id,
        )

    return Ranking(sorted(eligible, key=key), excluded)


def organiser_cities(
    roles: frozenset[Role], grants: list[Grant], person_city_id: int | None, city_ids: dict[str, int]
) -> set[int] | None:
    """The cities whose needs a person may see and relaunch; None means every event (coordinators).

    A candidate's city is the scope of their grant, a lead's is their own city. National events
    belong to the coordinators only: asking people in every city is their call.
    """
    if Role.COORDINATOR in roles:
        return None
    cities = candidate_cities(grants, city_ids)
    if Role.LEAD in roles and person_city_id is not None:
        cities.add(person_city_id)
    return cities


def candidate_cities(grants: list[Grant], city_ids: dict[str, int]) -> set[int]:
    """The cities a person is a candidate in (grant scopes are city names)."""
    by_folded = {fold(name): cid for name, cid in city_ids.items()}
    return {
        by_folded[fold(g.scope)] for g in grants if g.role is Role.CANDIDATE and fold(g.scope) in by_folded
    }


def may_recruit(cities: set[int] | None, event_city_id: int | None) -> bool:
    return cities is None or (event_city_id is not None and event_city_id in cities)

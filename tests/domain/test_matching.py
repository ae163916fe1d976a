"""Who is asked first for a role: a table of volunteers and the expected order and exclusions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.matching import (
    ABSENT,
    ASKED,
    BUSY,
    CAP,
    CITY,
    PARTICIPATING,
    PAUSED,
    SKILL,
    UNREACHABLE,
    Slot,
    Volunteer,
    may_recruit,
    organiser_cities,
    rank,
)
from domain.people import Grant, Role

LYON, PARIS = 1, 2
DAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TRACT = Slot(event_id=7, role="tractage", city_id=LYON, day=DAY)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def v(pid: int, **kw: object) -> Volunteer:
    values: dict[str, object] = {"city_id": LYON, "skills": ("tractage",)}
    values.update(kw)
    return Volunteer(pid, **values)  # type: ignore[arg-type]


def run(
    slot: Slot,
    people: list[Volunteer],
    busy: set[int] | None = None,
    participating: set[int] | None = None,
    asked: set[int] | None = None,
    cap: int = 3,
) -> tuple[list[int], dict[int, str]]:
    ranking = rank(
        slot,
        people,
        busy=busy or set(),
        participating=participating or set(),
        asked=asked or set(),
        max_per_week=cap,
    )
    return [x.person_id for x in ranking.eligible], ranking.excluded


# (case, slot, volunteers, kwargs, expected order, expected exclusions)
CASES = [
    ("other city is out", TRACT, [v(1), v(2, city_id=PARIS)], {}, [1], {2: CITY}),
    ("no city is out of a city event", TRACT, [v(1, city_id=None)], {}, [], {1: CITY}),
    (
        "national event: every city",
        Slot(7, "tractage", None, DAY),
        [v(1), v(2, city_id=PARIS), v(3, city_id=None)],
        {},
        [1, 2, 3],
        {},
    ),
    (
        "known role needs the skill",
        TRACT,
        [v(1, skills=("photo",)), v(2, skills=("photo", "tractage"))],
        {},
        [2],
        {1: SKILL},
    ),
    (
        "free role: anyone, skill scores nothing",
        Slot(7, "accueil", LYON, DAY),
        [v(2, skills=()), v(1, skills=("tractage",))],
        {},
        [1, 2],
        {},
    ),
    ("paused", TRACT, [v(1, paused=True), v(2)], {}, [2], {1: PAUSED}),
    ("unreachable", TRACT, [v(1, reachable=False), v(2)], {}, [2], {1: UNREACHABLE}),
    (
        "absent until the event day included",
        TRACT,
        [v(1, absent_until=DAY), v(2, absent_until=DAY - timedelta(days=1))],
        {},
        [2],
        {1: ABSENT},
    ),
    ("already participating", TRACT, [v(1), v(2)], {"participating": {1}}, [2], {1: PARTICIPATING}),
    ("already asked for this role", TRACT, [v(1), v(2)], {"asked": {2}}, [1], {2: ASKED}),
    ("busy at that time", TRACT, [v(1), v(2)], {"busy": {1}}, [2], {1: BUSY}),
    ("weekly cap reached", TRACT, [v(1, asks_this_week=3), v(2, asks_this_week=2)], {}, [2], {1: CAP}),
    ("cap is a setting", TRACT, [v(1, asks_this_week=1)], {"cap": 1}, [], {1: CAP}),
    (
        "never asked first, then least recently",
        TRACT,
        [v(1, last_asked_at=ago(1)), v(2, last_asked_at=ago(48)), v(3), v(4, last_asked_at=ago(10))],
        {},
        [3, 2, 4, 1],
        {},
    ),
    (
        "same last ask: fewest asks this week",
        TRACT,
        [v(1, last_asked_at=ago(5), asks_this_week=2), v(2, last_asked_at=ago(5), asks_this_week=1)],
        {},
        [2, 1],
        {},
    ),
    ("all equal: by id", TRACT, [v(3), v(1), v(2)], {}, [1, 2, 3], {}),
    (
        "first failing check is the reason",
        TRACT,
        [v(1, city_id=PARIS, paused=True, skills=())],
        {"busy": {1}},
        [],
        {1: CITY},
    ),
    ("nobody", TRACT, [], {}, [], {}),
]


@pytest.mark.parametrize(
    ("case", "slot", "people", "kwargs", "order", "excluded"), CASES, ids=[c[0] for c in CASES]
)
def test_ranking_table(
    case: str,
    slot: Slot,
    people: list[Volunteer],
    kwargs: dict[str, Any],
    order: list[int],
    excluded: dict[int, str],
) -> None:
    got_order, got_excluded = run(slot, people, **kwargs)
    assert got_order == order
    assert got_excluded == excluded


def test_skill_match_ranks_first_for_a_known_role_only() -> None:
    # Only free roles let people without the skill in; nobody gets a bonus there.
    slot = Slot(7, "accueil", LYON, DAY)
    order, _ = run(slot, [v(2, skills=("accueil",), last_asked_at=ago(3)), v(1, skills=())])
    assert order == [1, 2]


def test_excluded_counts_follow_the_reason_order() -> None:
    ranking = rank(
        TRACT,
        [v(1, paused=True), v(2, city_id=PARIS), v(3, paused=True), v(4)],
        busy=set(),
        participating=set(),
        asked=set(),
        max_per_week=3,
    )
    assert ranking.excluded_counts() == {CITY: 1, PAUSED: 2}


ALL_CITIES = {"Lyon": LYON, "Paris": PARIS}


@pytest.mark.parametrize(
    ("roles", "grants", "own_city", "expected"),
    [
        ({Role.COORDINATOR, Role.VOLUNTEER}, [], LYON, None),
        ({Role.CANDIDATE, Role.VOLUNTEER}, [Grant(Role.CANDIDATE, "lyon")], PARIS, {LYON}),
        (
            {Role.CANDIDATE},
            [Grant(Role.CANDIDATE, "Lyon"), Grant(Role.CANDIDATE, "Paris")],
            None,
            {LYON, PARIS},
        ),
        ({Role.LEAD}, [Grant(Role.LEAD, "communication")], PARIS, {PARIS}),
        ({Role.LEAD}, [Grant(Role.LEAD, "communication")], None, set()),
        ({Role.VOLUNTEER}, [], LYON, set()),
        ({Role.CANDIDATE}, [Grant(Role.CANDIDATE, "Atlantis")], None, set()),
    ],
)
def test_organiser_cities(
    roles: set[Role], grants: list[Grant], own_city: int | None, expected: set[int] | None
) -> None:
    assert organiser_cities(frozenset(roles), grants, own_city, ALL_CITIES) == expected


def test_may_recruit() -> None:
    assert may_recruit(None, None) and may_recruit(None, LYON)
    assert may_recruit({LYON}, LYON)
    assert not may_recruit({LYON}, PARIS)
    assert not may_recruit({LYON}, None)  # national events: coordinators only

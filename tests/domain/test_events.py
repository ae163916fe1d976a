"""Who may create and manage which event, and how full an event is. Pure logic."""

from __future__ import annotations

import pytest

from domain.events import Fill, colour, creatable_cities, fills_from_counts, may_manage
from domain.people import Grant, Role

LYON, PARIS, NANTES = 1, 2, 3
CITIES = [(LYON, "Lyon"), (PARIS, "Paris"), (NANTES, "Nantes")]
CITY_IDS = {name: cid for cid, name in CITIES}
ME, SOMEONE = 10, 11
VOLUNTEER = frozenset({Role.VOLUNTEER})


def roles(*more: Role) -> frozenset[Role]:
    return frozenset({Role.VOLUNTEER, *more})


@pytest.mark.parametrize(
    ("who", "grants", "own_city", "expected"),
    [
        (roles(Role.COORDINATOR), [], None, [*CITIES, (None, "national")]),
        (roles(Role.CANDIDATE), [Grant(Role.CANDIDATE, "Nantes")], PARIS, [(NANTES, "Nantes")]),
        (roles(Role.LEAD), [Grant(Role.LEAD, "finance")], PARIS, [(PARIS, "Paris")]),
        (roles(Role.LEAD), [Grant(Role.LEAD, "finance")], None, []),
        (VOLUNTEER, [], LYON, []),
    ],
)
def test_creatable_cities(
    who: frozenset[Role], grants: list[Grant], own_city: int | None, expected: list[tuple[int | None, str]]
) -> None:
    assert creatable_cities(who, grants, own_city, CITIES, "national") == expected


CANDIDATE_LYON = (roles(Role.CANDIDATE), [Grant(Role.CANDIDATE, "Lyon")], None)
LEAD_PARIS = (roles(Role.LEAD), [Grant(Role.LEAD, "finance")], PARIS)


@pytest.mark.parametrize(
    ("actor", "event_city", "created_by", "allowed"),
    [
        ((roles(Role.COORDINATOR), [], None), None, SOMEONE, True),  # coordinators: every event
        ((roles(Role.COORDINATOR), [], None), NANTES, SOMEONE, True),
        (CANDIDATE_LYON, LYON, SOMEONE, True),  # a candidate: every event of their city
        (CANDIDATE_LYON, PARIS, SOMEONE, False),
        (CANDIDATE_LYON, None, SOMEONE, False),  # national: coordinators only
        (LEAD_PARIS, PARIS, ME, True),  # a lead: what they created in their city
        (LEAD_PARIS, PARIS, SOMEONE, False),
        (LEAD_PARIS, LYON, ME, False),  # no longer their city
        ((VOLUNTEER, [], PARIS), PARIS, ME, False),  # created it, but the role was taken back
        (
            (roles(Role.CANDIDATE), [Grant(Role.CANDIDATE, "Nantes")], None),
            LYON,
            ME,
            False,
        ),  # moved to Nantes
    ],
)
def test_may_manage_follows_the_roles_of_now(
    actor: tuple[frozenset[Role], list[Grant], int | None],
    event_city: int | None,
    created_by: int,
    allowed: bool,
) -> None:
    who, grants, own_city = actor
    assert may_manage(who, grants, ME, own_city, CITY_IDS, event_city, created_by) is allowed


def test_fills_from_counts_reads_the_yes_by_role() -> None:
    counts = {"yes": 3, "maybe": 1, "role:tractage": 2, "role:photo": 1}
    fills = fills_from_counts([("tractage", 4), ("photo", 1), ("stand", 2)], counts)
    assert fills == [Fill("tractage", 4, 2), Fill("photo", 1, 1), Fill("stand", 2, 0)]
    assert [f.missing for f in fills] == [2, 0, 2]
    assert colour(fills) == "red"  # 3 places of 7: less than half
    assert colour(fills_from_counts([("tractage", 4)], {"role:tractage": 2})) == "amber"
    assert colour(fills_from_counts([("tractage", 4)], {"role:tractage": 5})) == "green"

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.people import (
    NO_CITY,
    SKILLS_DONE,
    Grant,
    Role,
    RoleSpecError,
    chosen_city,
    clean_city_name,
    clean_first_name,
    effective_roles,
    invite_problem,
    parse_role_spec,
    toggle_skill,
)
from domain.roles import ROLES

CITIES = ["Lyon", "Paris", "Saint-Étienne"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["coordinateur"], Grant(Role.COORDINATOR)),
        (["Coordinatrice"], Grant(Role.COORDINATOR)),
        (["trésorier"], Grant(Role.TREASURER)),
        (["TRESORIERE"], Grant(Role.TREASURER)),
        (["candidat", "Lyon"], Grant(Role.CANDIDATE, "Lyon")),
        (["candidate", "lyon"], Grant(Role.CANDIDATE, "Lyon")),
        (["candidat", "saint", "etienne"], Grant(Role.CANDIDATE, "Saint-Étienne")),
        (["responsable", "presse"], Grant(Role.LEAD, "communication")),
        (["responsable", "secrétariat"], Grant(Role.LEAD, "secretariat")),
        (["responsable", "site", "web"], Grant(Role.LEAD, "website")),
        (["responsable", "finances"], Grant(Role.LEAD, "finance")),
        (["responsable", "campagne"], Grant(Role.LEAD, "campaign")),
        (["bénévole"], Grant(Role.VOLUNTEER)),
        ([], RoleSpecError("role.spec_missing")),
        (["président"], RoleSpecError("role.spec_unknown")),
        (["candidat"], RoleSpecError("role.spec_city")),
        (["candidat", "Bordeaux"], RoleSpecError("role.spec_city")),
        (["responsable"], RoleSpecError("role.spec_domain")),
        (["responsable", "cuisine"], RoleSpecError("role.spec_domain")),
    ],
)
def test_parse_role_spec(words: list[str], expected: object) -> None:
    assert parse_role_spec(words, CITIES) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Léa", "Léa"),
        ("  Jean   Pierre ", "Jean Pierre"),
        ("<b>Léa</b> & co", "<b>Léa</b> & co"),
        ("", None),
        ("   ", None),
        ("x" * 65, None),
        ("x" * 64, "x" * 64),
        ("Léa\nDupont", None),
        ("/start", None),
    ],
)
def test_clean_first_name(typed: str, expected: str | None) -> None:
    assert clean_first_name(typed) == expected


def test_effective_roles() -> None:
    assert effective_roles([], is_env_coordinator=True, onboarded=False) == frozenset()
    assert effective_roles([], is_env_coordinator=False, onboarded=True) == {Role.VOLUNTEER}
    assert effective_roles([], is_env_coordinator=True, onboarded=True) == {Role.VOLUNTEER, Role.COORDINATOR}
    assert effective_roles([Grant(Role.CANDIDATE, "Lyon")], False, True) == {Role.VOLUNTEER, Role.CANDIDATE}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bordeaux", "Bordeaux"),
        ("  Saint-Malo ", "Saint-Malo"),
        ("", None),
        ("x" * 81, None),
        ("/villes", None),
    ],
)
def test_clean_city_name(typed: str, expected: str | None) -> None:
    assert clean_city_name(typed) == expected


def test_chosen_city_is_a_known_city_or_none() -> None:
    assert chosen_city("3", {3, 4}) == 3
    assert chosen_city(NO_CITY, {3}) is None
    for bad in ("5", "abc", "-3", ""):
        with pytest.raises(ValueError):
            chosen_city(bad, {3, 4})


def test_toggle_skill_keeps_the_order_of_roles() -> None:
    photo, tractage = ROLES.index("photo"), ROLES.index("tractage")
    chosen = toggle_skill([], str(photo))
    assert chosen == ["photo"]
    chosen = toggle_skill(chosen or [], str(tractage))
    assert chosen == ["tractage", "photo"]
    assert toggle_skill(chosen or [], str(photo)) == ["tractage"]
    assert toggle_skill([], str(len(ROLES))) is None
    assert toggle_skill([], SKILLS_DONE) is None


def test_invite_problem() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    later, earlier = now + timedelta(hours=1), now - timedelta(seconds=1)
    assert invite_problem(None, later, now) is None
    assert invite_problem(earlier, later, now) == "invite.used"
    assert invite_problem(None, now, now) == "invite.expired"
    assert invite_problem(earlier, earlier, now) == "invite.used"

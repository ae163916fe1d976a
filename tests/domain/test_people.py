from __future__ import annotations

import pytest

from domain.people import Grant, Role, RoleSpecError, clean_first_name, effective_roles, parse_role_spec

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

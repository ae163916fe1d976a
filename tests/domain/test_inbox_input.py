"""What people type for the shared inbox: answers, saved answers, /absent, /modeles, /routage."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.inbox_input import (
    MAX_ANSWER_CHARS,
    RoutingEdit,
    TemplateRequest,
    check_answer,
    check_template,
    ends_absence,
    parse_absence,
    parse_routing,
    parse_templates,
)

PARIS = ZoneInfo("Europe/Paris")


NOW = datetime(2026, 12, 9, 15, 0, tzinfo=PARIS)  # Wednesday 9 December 2026


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jusqu'au 12/12", date(2026, 12, 12)),
        ("jusqu’au 24 décembre", date(2026, 12, 24)),
        ("jusqu'à vendredi", date(2026, 12, 11)),
        ("demain", date(2026, 12, 10)),
        ("9/12", date(2026, 12, 9)),  # today: back tomorrow
        ("aujourd'hui", date(2026, 12, 9)),
        ("until 24 December", date(2026, 12, 24)),
        ("5 janvier", date(2027, 1, 5)),
        ("hier", None),
        ("n'importe quand", None),
        ("", None),
        ("12/12/2031", None),  # more than a year away
    ],
)
def test_parse_absence(text: str, expected: date | None) -> None:
    assert parse_absence(text, NOW, PARIS) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("finance @lea", RoutingEdit(False, "finance", None, ("@lea",))),
        ("finances @lea @paul", RoutingEdit(False, "finance", None, ("@lea", "@paul"))),
        ("presse 12345", RoutingEdit(False, "communication", None, ("12345",))),
        ("secrétariat @sam", RoutingEdit(False, "secretariat", None, ("@sam",))),
        ("site @web", RoutingEdit(False, "website", None, ("@web",))),
        ("campagne Lyon @omar", RoutingEdit(False, "campaign", "Lyon", ("@omar",))),
        ("campagne lyon @omar", RoutingEdit(False, "campaign", "Lyon", ("@omar",))),
        ("campagne @omar", RoutingEdit(False, "campaign", None, ("@omar",))),
        ("retirer campagne Nantes @omar", RoutingEdit(True, "campaign", "Nantes", ("@omar",))),
        ("retirer finance @lea", RoutingEdit(True, "finance", None, ("@lea",))),
        ("retirer", "inbox.route_usage_short"),
        ("jardinage @lea", "inbox.route_bad_domain"),
        ("campagne Bordeaux @lea", "inbox.route_bad_city"),
        ("finance", "inbox.route_need_person"),
    ],
)
def test_parse_routing(words: str, expected: RoutingEdit | str) -> None:
    assert parse_routing(words.split()) == expected


def test_answers_and_templates_are_checked() -> None:
    assert check_answer("Bonjour") is None
    assert check_answer("") == ("inbox.reply_empty", {})
    assert check_answer("  \u200b \n") == ("inbox.reply_empty", {})
    assert check_answer("x" * 5000) == ("inbox.reply_too_long", {"length": 5000, "max": MAX_ANSWER_CHARS})
    assert check_answer("x" * MAX_ANSWER_CHARS) is None
    assert check_template("adhesion", "Bonjour") is None
    assert check_template("", "Bonjour") == ("inbox.tpl_bad_name", {})
    assert check_template("deux mots", "x") == ("inbox.tpl_bad_name", {})
    assert check_template("vide", " ") == ("inbox.tpl_empty", {})
    too_long = check_template("long", "x" * 4000)
    assert too_long is not None and too_long[0] == "inbox.tpl_too_long"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TemplateRequest("list")),
        ("adhesion", TemplateRequest("show", "adhesion")),
        ("Adhesion", TemplateRequest("show", "Adhesion")),  # the name as typed (looked up without case)
        (
            "ajouter adhesion Bonjour,\nPour adhérer : ici\n",
            TemplateRequest("add", "adhesion", "Bonjour,\nPour adhérer : ici"),
        ),
        ("add horaires   Mardi soir.", TemplateRequest("add", "horaires", "Mardi soir.")),
        ("Créer x y", TemplateRequest("add", "x", "y")),
        ("nouveau", TemplateRequest("add")),
        ("ajouter seul", TemplateRequest("add", "seul", "")),
        ("supprimer horaires", TemplateRequest("delete", "horaires")),
        ("effacer horaires et plus", TemplateRequest("delete", "horaires")),
        ("retirer", TemplateRequest("delete", "")),
    ],
)
def test_parse_templates(text: str, expected: TemplateRequest) -> None:
    assert parse_templates(text) == expected


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("non", True),
        ("NON", True),
        ("fin", True),
        ("back", True),
        ("Off", True),
        ("aucune", True),
        ("demain", False),
        ("non merci", False),
        ("", False),
    ],
)
def test_ends_absence(text: str, back: bool) -> None:
    assert ends_absence(text) is back

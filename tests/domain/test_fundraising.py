"""The fundraiser's progress as the group post shows it: the bar, the percent, whole euros."""

from __future__ import annotations

import pytest

from domain.fundraising import Progress, bar, format_eur_round, ha_form_slug


@pytest.mark.parametrize(
    ("raised", "goal", "expected"),
    [
        (0, 200000, "░░░░░░░░░░"),
        (19999, 200000, "░░░░░░░░░░"),  # 9,99 %: not a full tenth yet
        (20000, 200000, "▓░░░░░░░░░"),
        (125000, 200000, "▓▓▓▓▓▓░░░░"),
        (200000, 200000, "▓▓▓▓▓▓▓▓▓▓"),
        (500000, 200000, "▓▓▓▓▓▓▓▓▓▓"),  # past the goal: full, never longer
        (-500, 200000, "░░░░░░░░░░"),
        (100, 0, "░░░░░░░░░░"),
    ],
)
def test_bar(raised: int, goal: int, expected: str) -> None:
    assert bar(raised, goal) == expected


@pytest.mark.parametrize(
    ("raised", "goal", "percent"),
    [(125000, 200000, 62), (199999, 200000, 99), (300000, 200000, 150), (0, 200000, 0), (100, None, None)],
)
def test_percent_rounds_down(raised: int, goal: int | None, percent: int | None) -> None:
    assert Progress(raised, 3, goal).percent == percent


@pytest.mark.parametrize(
    ("cents", "lang", "expected"),
    [
        (125000, "fr", "1 250 €"),
        (1250, "fr", "12,50 €"),
        (0, "fr", "0 €"),
        (125000, "en", "€1,250"),
    ],
)
def test_whole_euros(cents: int, lang: str, expected: str) -> None:
    assert format_eur_round(cents, lang).replace("\u202f", " ").replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "https://www.helloasso.com/associations/a-nous/evenements/diner-de-soutien",
            (True, "diner-de-soutien"),
        ),
        (
            "https://www.helloasso.com/associations/a-nous/evenements/diner-de-soutien/",
            (True, "diner-de-soutien"),
        ),
        ("www.helloasso.com/associations/a-nous/formulaires/1", (True, "1")),
        ("https://www.helloasso.com/associations/a-nous/collectes/toits/widget?x=1", (True, "toits")),
        ("https://www.helloasso-sandbox.com/associations/a-nous/evenements/test", (True, "test")),
        ("  Diner-De-Soutien ", (True, "diner-de-soutien")),
        ("aucun", (True, None)),
        ("-", (True, None)),
        ("https://exemple.fr/associations/a-nous/evenements/diner", (False, None)),
        ("https://www.helloasso.com/associations/a-nous", (False, None)),
        ("https://www.helloasso.com/associations/a-nous/inconnu/diner", (False, None)),
        ("dîner de soutien", (False, None)),
        ("", (False, None)),
    ],
)
def test_helloasso_form_slug_from_its_address(text: str, expected: tuple[bool, str | None]) -> None:
    assert ha_form_slug(text) == expected

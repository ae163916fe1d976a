"""docs/french-style.md against the texts of the communication requests, posts and planning."""

from __future__ import annotations

import re

import pytest

from bot.texts import com_planning, com_posts, com_requests
from domain.communication import law

MODULES = [com_requests, com_posts, com_planning]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_real_plurals_not_parenthesised(module: object) -> None:
    bad = {k: v for k, v in module.FR.items() if "(s)" in v}  # type: ignore[attr-defined]
    assert not bad, bad  # compost.more « ligne(s) », compost.submitted « personne(s) »


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_numero_is_glued_with_a_non_breaking_space(module: object) -> None:
    bad = {k: v for k, v in module.FR.items() if re.search(r"n°(?!\u00a0)", v)}  # type: ignore[attr-defined]
    assert not bad, bad  # « n°{number} » (requests, posts), « n° {id} » with a plain space (planning)


def test_articles_shown_to_people_carry_no_file_names() -> None:
    """The findings' article is shown on every card (compost.finding) and in compub.law_*:
    « communication-rules.md, règle 1 » is an internal file name (french-style.md: no internal codes)."""
    shown = [law.ART_SILENCE, law.ART_POLEMIC, law.ART_PAID, law.ART_RESULTS, law.ART_APPEAL, law.ART_IMAGE]
    assert not [a for a in shown if ".md" in a]


def test_every_pause_reason_has_words() -> None:
    """capabilities/communication/planning.py shows `reason` raw (« polemic », « image_rights »)
    when no complan.paused.<reason> text exists; publishing pauses for every confirm/pause rule."""
    missing = [r for r in law.CONFIRMABLE if f"complan.paused.{r}" not in com_planning.FR]
    assert not missing, missing


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_inclusive_markers(module: object) -> None:
    # « prévenu·e », « auteur·rice »: neutral words instead (" · " between parts is no marker).
    bad = {k: v for k, v in module.FR.items() if re.search(r"\w·\w", v)}  # type: ignore[attr-defined]
    assert not bad, bad

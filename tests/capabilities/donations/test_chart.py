"""/bilan's chart, readable on a phone (issue 18, point 6): the PNG renders at phone-friendly size,
the axis and the bars share one babel amount format, the goal is its own year's only, and progress
towards it is never drawn in an alarm's red."""

from __future__ import annotations

import io

import pytest

from capabilities.donations.chart import (
    DONE_COLOUR,
    amount_label,
    bilan_chart,
    goal_for_year,
    progress_colour,
)

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


@pytest.mark.parametrize(
    ("goal", "year", "goal_year", "expected"),
    [
        (5_000_000, 2026, 2026, 5_000_000),  # this year's bilan: measured against the goal
        (5_000_000, 2025, 2026, None),  # last year's: no goal (it was not last year's goal)
        (5_000_000, 2027, 2026, None),
        (None, 2026, 2026, None),
        (0, 2026, 2026, None),
    ],
)
def test_goal_applies_to_its_own_year_only(
    goal: int | None, year: int, goal_year: int, expected: int | None
) -> None:
    assert goal_for_year(goal, year, goal_year) == expected


@pytest.mark.parametrize(
    ("raised", "goal", "reached"),
    [(0, 100, False), (76, 100, False), (99, 100, False), (100, 100, True), (150, 100, True)],
)
def test_progress_is_blue_then_green_never_red(raised: int, goal: int, reached: bool) -> None:
    colour = progress_colour(raised, goal)
    assert (colour == DONE_COLOUR) == reached
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert not (red > 150 and red > green + 60 and red > blue + 60), colour  # nothing reads as an alarm


@pytest.mark.parametrize(
    ("euros", "lang", "expected"),
    [
        (0, "fr", "0\u00a0€"),
        (50, "fr", "50\u00a0€"),
        (12_500, "fr", "12\u202f500\u00a0€"),
        (1_234_567.4, "fr", "1\u202f234\u202f567\u00a0€"),
        (12_500, "en", "€12,500"),
    ],
)
def test_one_amount_format_for_axis_and_bars(euros: float, lang: str, expected: str) -> None:
    assert amount_label(euros, lang) == expected


def _render(png: bytes) -> tuple[int, int, object]:
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    return pixels.shape[1], pixels.shape[0], pixels


def test_the_chart_renders_large_enough_for_a_phone() -> None:
    cents = [0, 120_000, 350_000, 1_250_000, 0, 80_000, 0, 0, 990_000, 10_000, 5_000, 0]
    png = bilan_chart(
        MONTHS,
        cents,
        goal_cents=5_000_000,
        raised_cents=3_800_000,
        title="Dons reçus en 2026",
        progress_label="Objectif 50 000 € : 38 000 € (76 %)",
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, pixels = _render(png)
    assert width >= 850 and height >= 750  # shrunk to a phone's ~400 points, the type stays legible
    # The progress bar at 76 %: blue pixels, and no alarm red anywhere in the picture.
    import numpy as np

    rgb = np.asarray(pixels)[..., :3]
    reddish = (rgb[..., 0] > 0.7) & (rgb[..., 1] < 0.45) & (rgb[..., 2] < 0.45)
    assert not reddish.any()
    no_goal = bilan_chart(MONTHS, cents, goal_cents=None, raised_cents=0, title="Dons reçus en 2025")
    assert _render(no_goal)[1] < height  # no progress bar without a goal

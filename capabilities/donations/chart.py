"""PNG charts for /bilan (matplotlib, Agg backend, no pyplot: safe in a worker thread).

Made to be read on a phone (issue 18): Telegram shows a photo about 400 points wide, so the figure
is drawn 900 pixels wide with large type; the axis and the bars use one French amount format (babel,
"12 500 €"); the goal's progress is blue until reached, green once reached (never the red of an
alarm: 76 % of a goal is good news). Labels come from the caller, already in the reader's language;
amounts arrive in cents and are only turned into euros for drawing. matplotlib is imported by the
first chart, not when the bot starts (it is slow to import and most runs never draw one).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from decimal import Decimal

BAR_COLOUR = "#2f6db5"
PROGRESS_COLOUR = "#2f6db5"  # on the way: the bars' calm blue
DONE_COLOUR = "#3c9d5d"  # reached
TRACK_COLOUR = "#e6e6e6"
WIDTH_IN, DPI = 6.0, 150  # 900 pixels wide: Telegram shows it about 400 points wide
TICK_SIZE, VALUE_SIZE, TITLE_SIZE = 13, 11, 15
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_PATTERNS = {"fr": "#,##0\u00a0¤", "en": "¤#,##0"}


@functools.lru_cache(maxsize=512)
def amount_label(euros: float, lang: str = "fr") -> str:
    """Whole euros as babel writes them for `lang`: "12 500 €" (narrow no-break space), "€12,500".
    The one format of the axis and of the bars."""
    from babel.numbers import format_currency

    value = Decimal(round(euros))
    return format_currency(
        value,
        "EUR",
        _PATTERNS.get(lang, _PATTERNS["fr"]),
        locale=_LOCALES.get(lang, lang),
        currency_digits=False,
    )


def goal_for_year(goal_cents: int | None, year: int, goal_year: int) -> int | None:
    """The fundraising goal is a goal for one year (`goal_year`): another year's bilan has none."""
    return goal_cents if goal_cents and year == goal_year else None


def progress_colour(raised_cents: int, goal_cents: int) -> str:
    """Blue on the way, green once reached: progress is never drawn as an alarm."""
    return DONE_COLOUR if raised_cents >= goal_cents else PROGRESS_COLOUR


def bilan_chart(
    month_labels: Sequence[str],
    month_cents: Sequence[int],
    *,
    goal_cents: int | None,
    raised_cents: int,
    title: str,
    progress_label: str = "",
    lang: str = "fr",
) -> bytes:
    """Monthly totals as bars and, when a goal is set, a progress bar towards it."""
    # Figure and the Agg canvas directly, never pyplot: no global state, no GUI backend.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with_goal = bool(goal_cents)
    fig = Figure(figsize=(WIDTH_IN, 5.6 if with_goal else 4.6), dpi=DPI)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2 if with_goal else 1, 1, height_ratios=[4, 1] if with_goal else [1])
    ax = fig.add_subplot(grid[0])
    euros = [c / 100 for c in month_cents]  # drawing only: the figures shown in text stay in cents
    bars = ax.bar(range(len(euros)), euros, color=BAR_COLOUR)
    ax.set_xticks(range(len(month_labels)), list(month_labels), fontsize=TICK_SIZE - 2, rotation=45)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: amount_label(value, lang)))
    ax.tick_params(axis="y", labelsize=TICK_SIZE - 2)
    ax.spines[["top", "right"]].set_visible(False)
    top = max(euros, default=0)
    if top:
        ax.set_ylim(0, top * 1.35)  # room for the values written above the bars
    for bar, value in zip(bars, euros, strict=False):
        if value:
            ax.annotate(
                amount_label(value, lang),
                (bar.get_x() + bar.get_width() / 2, value),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                rotation=90,
                fontsize=VALUE_SIZE,
            )
    if with_goal:
        assert goal_cents is not None
        gx = fig.add_subplot(grid[1])
        share = min(raised_cents / goal_cents, 1.0)
        gx.barh([0], [1.0], color=TRACK_COLOUR)
        gx.barh([0], [share], color=progress_colour(raised_cents, goal_cents))
        gx.set_xlim(0, 1)
        gx.set_yticks([])
        ticks = [0, 0.25, 0.5, 0.75, 1.0]
        gx.set_xticks(
            ticks, [f"{round(x * 100)}\u00a0%" if lang == "fr" else f"{round(x * 100)}%" for x in ticks]
        )
        gx.tick_params(axis="x", labelsize=TICK_SIZE - 2)
        gx.set_title(progress_label, fontsize=TICK_SIZE - 1)
        for side in ("top", "right", "left"):
            gx.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()

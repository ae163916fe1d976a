"""PNG charts for /bilan (matplotlib, Agg backend, no pyplot: safe in a worker thread).

Labels come from the caller, already in the reader's language; amounts arrive in cents and are
only turned into euros for drawing. matplotlib is imported by the first chart, not when
the bot starts (it is slow to import and most runs never draw one).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

BAR_COLOUR = "#2f6db5"
GOAL_COLOUR = "#d9534f"
DONE_COLOUR = "#3c9d5d"


def bilan_chart(
    month_labels: Sequence[str],
    month_cents: Sequence[int],
    *,
    goal_cents: int | None,
    raised_cents: int,
    title: str,
    progress_label: str = "",
) -> bytes:
    """Monthly totals as bars and, when a goal is set, a progress bar towards it."""
    # Figure and the Agg canvas directly, never pyplot: no global state, no GUI backend.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with_goal = bool(goal_cents)
    fig = Figure(figsize=(8, 5.2 if with_goal else 4.2), dpi=100)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2 if with_goal else 1, 1, height_ratios=[4, 1] if with_goal else [1])
    ax = fig.add_subplot(grid[0])
    euros = [c / 100 for c in month_cents]  # drawing only: the figures shown in text stay in cents
    bars = ax.bar(range(len(euros)), euros, color=BAR_COLOUR)
    ax.set_xticks(range(len(month_labels)), list(month_labels), fontsize=8)
    ax.set_title(title)
    ax.set_ylabel("€")
    ax.spines[["top", "right"]].set_visible(False)
    for bar, value in zip(bars, euros, strict=False):
        if value:
            ax.annotate(
                f"{value:,.0f}".replace(",", "\u202f"),
                (bar.get_x() + bar.get_width() / 2, value),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    if with_goal:
        assert goal_cents is not None
        gx = fig.add_subplot(grid[1])
        share = min(raised_cents / goal_cents, 1.0)
        gx.barh([0], [1.0], color="#e6e6e6")
        gx.barh([0], [share], color=DONE_COLOUR if raised_cents >= goal_cents else GOAL_COLOUR)
        gx.set_xlim(0, 1)
        gx.set_yticks([])
        gx.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"], fontsize=8)
        gx.set_title(progress_label, fontsize=9)
        for side in ("top", "right", "left"):
            gx.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()

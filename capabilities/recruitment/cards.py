"""How recruitment reads for organisers: /besoins cards and « Qui a été sollicité ? »."""

from __future__ import annotations

from bot.callbacks import Recruit, WhoWasAsked
from bot.texts import Html, t
from capabilities.events import render
from capabilities.recruitment import AskedReport, city_name
from domain.events import colour
from domain.matching import ASKED
from storage.models import Event

Rows = list[list[tuple[str, str]]]
MAX_NAMES = 15  # per role in "who was asked", to stay within one message


def need_card(
    lang: str, event: Event, counts: dict[str, int], pending: dict[tuple[int, str], int]
) -> tuple[str, Rows]:
    """One event short of people: each missing role with a « Relancer » button."""
    fills = render.fills(event, counts)
    lines = [
        t(
            lang,
            "needs.event",
            colour=render.COLOUR_EMOJI[colour(fills)],
            title=event.title,
            city=city_name(event, lang),
            when=render.when(event, lang),
        )
    ]
    rows: Rows = []
    need_ids = {n.role: n.id for n in event.needs}
    for fill in fills:
        if fill.missing == 0:
            continue
        label = render.role_label(lang, fill.role)
        waiting = pending.get((event.id, fill.role), 0)
        key = "needs.role_running" if waiting else "needs.role"
        lines.append(
            t(
                lang,
                key,
                role=label,
                taken=fill.taken,
                needed=fill.needed,
                missing=fill.missing,
                pending=waiting,
            )
        )
        rows.append([(t(lang, "btn.recruit", role=label), Recruit(event.id, need_ids[fill.role]).pack())])
    rows.append([(t(lang, "btn.who_asked"), WhoWasAsked(event.id).pack())])
    return "\n".join(lines), rows


def asked_text(lang: str, report: AskedReport, cap: int) -> str:
    """Who was asked for each role, their answers, and why the others could not be asked."""
    event = report.event
    lines = [t(lang, "asked.header", title=event.title, when=render.when(event, lang))]
    for fill in render.fills(event, report.counts):
        lines.append("")
        role = render.role_label(lang, fill.role)
        lines.append(t(lang, "asked.role", role=role, taken=fill.taken, needed=fill.needed))
        mine = [(a, p) for a, p in report.asks if a.role == fill.role]
        for ask, person in mine[:MAX_NAMES]:
            answer = t(lang, f"answer.{ask.answer or 'pending'}")
            lines.append(t(lang, "asked.line", name=person.first_name, answer=answer))
        if len(mine) > MAX_NAMES:
            lines.append(t(lang, "asked.more", count=len(mine) - MAX_NAMES))
        if not mine:
            lines.append(t(lang, "asked.none"))
        ranking = report.rankings.get(fill.role)
        if ranking is not None and ranking.excluded:
            reasons = [
                t(lang, f"reason.{r}", n=n, cap=cap)
                for r, n in ranking.excluded_counts().items()
                if r != ASKED  # the asked are listed above
            ]
            if reasons:
                lines.append(t(lang, "asked.excluded", reasons=Html(", ".join(reasons))))
    return "\n".join(lines)

"""How events read in Telegram: posts in groups, agenda lines, summaries (texts from the catalog)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from bot import paging
from bot.callbacks import AgendaPage as AgendaPageButton
from bot.callbacks import AgendaView, RosterOpen, RsvpAnswer, RsvpRole
from bot.texts import FR, Html, t
from domain.dates import PARIS, format_when
from domain.events import KIND_EMOJI, Fill, colour, fills_from_counts
from domain.fundraising import LEVEE_KIND, Progress, bar, format_eur_round
from domain.statuses import EventStatus, RsvpStatus
from storage.models import Event

if TYPE_CHECKING:
    from capabilities.events.agenda import AgendaPage

Rows = list[list[tuple[str, str]]]

COLOUR_EMOJI = {"red": "🔴", "amber": "🟠", "green": "🟢"}
AGENDA_VIEWS: tuple[Literal["mine", "city", "all"], ...] = ("mine", "city", "all")
CITY_BUTTONS = 9  # /agenda offers a button per city up to this many cities


def when(event: Event, lang: str) -> str:
    return format_when(event.starts_at.astimezone(PARIS), lang, end=event.ends_at.astimezone(PARIS))


def role_label(lang: str, role: str) -> str:
    """The 13 known roles are translated; free roles typed by an organiser show as typed."""
    key = f"skill.{role}"
    return t(lang, key) if key in FR else role


def fills(event: Event, counts: dict[str, int]) -> list[Fill]:
    return fills_from_counts([(n.role, n.count) for n in event.needs], counts)


def needs_line(lang: str, event: Event, counts: dict[str, int]) -> str:
    """Each need's places taken/needed, then the tasks taken that the event does not list, then those
    coming without a task: the parts add up to the people coming, guests included (never
    "4 venant, Tractage 0/4")."""
    parts = []
    for fill in fills(event, counts):
        mark = " ✔" if fill.missing == 0 else ""
        parts.append(f"{role_label(lang, fill.role)} {fill.taken}/{fill.needed}{mark}")
    listed = {n.role for n in event.needs}
    by_role = {k.removeprefix("role:"): n for k, n in counts.items() if k.startswith("role:")}
    parts += [f"{role_label(lang, r)} {n}" for r, n in sorted(by_role.items()) if r not in listed and n]
    without = counts.get(RsvpStatus.YES, 0) - sum(by_role.values())
    if without > 0:
        parts.append(t(lang, "rsvp.post_no_task", count=without))
    return ", ".join(parts)


def fundraising_line(lang: str, progress: Progress) -> str:
    """« 💶 1 250 € sur 2 000 € (62 %) — 18 dons » and its bar: amounts and counts, never names."""
    dons = t(
        lang, "event.fund_dons_one" if progress.count <= 1 else "event.fund_dons_many", count=progress.count
    )
    raised = format_eur_round(progress.raised_cents, lang)
    if not progress.goal_cents:
        return t(lang, "event.fund_total", raised=raised, dons=dons)
    return t(
        lang,
        "event.fund_goal",
        raised=raised,
        goal=format_eur_round(progress.goal_cents, lang),
        percent=progress.percent,
        dons=dons,
        bar=bar(progress.raised_cents, progress.goal_cents),
    )


def progress_of(event: Event, raised: tuple[int, int] | None) -> Progress | None:
    """A fundraiser's progress from (count, cents) of its recorded gifts; None for other kinds."""
    if event.kind != LEVEE_KIND:
        return None
    count, cents = raised or (0, 0)
    return Progress(cents, count, event.fundraising_goal_cents)


def post(
    event: Event,
    counts: dict[str, int],
    lang: str,
    raised: tuple[int, int] | None = None,
    rescheduled: bool = False,
) -> tuple[str, Rows]:
    """The event's post in a group: counts only, never names. Buttons while the event is open.
    A fundraiser shows what it raised (`raised`: count, cents of its recorded gifts)."""
    lines = []
    if event.status == EventStatus.CANCELLED:
        lines.append(t(lang, "post.cancelled_banner"))
    emoji = KIND_EMOJI.get(event.kind, "📌")
    city = event.city.name if event.city else t(lang, "event.national")
    lines.append(t(lang, "post.title", emoji=emoji, title=event.title, city=city))
    lines.append(t(lang, "post.when", when=when(event, lang)))
    if rescheduled:  # the date was changed after the post: say so (storage/roster.rescheduled)
        lines.append(t(lang, "post.date_changed"))
    if event.place:
        lines.append(t(lang, "post.place", place=event.place))
    if event.description:
        lines.append("")
        lines.append(t(lang, "post.description", description=_shorten(event.description, 600)))
    lines.append("")
    yes, maybe = counts.get(RsvpStatus.YES, 0), counts.get(RsvpStatus.MAYBE, 0)
    lines.append(t(lang, "rsvp.post_counts", yes=yes, maybe=maybe))
    if event.needs:
        lines.append(t(lang, "rsvp.post_tasks", tasks=needs_line(lang, event, counts)))
    progress = progress_of(event, raised)
    if progress is not None:
        lines.append(fundraising_line(lang, progress))
    if event.status != EventStatus.SCHEDULED:
        return "\n".join(lines), []
    lines.append(t(lang, "rsvp.how_to_answer"))
    rows: Rows = [
        [
            (t(lang, "btn.rsvp_yes"), RsvpAnswer(event.id, "y").pack()),
            (t(lang, "btn.rsvp_maybe"), RsvpAnswer(event.id, "m").pack()),
            (t(lang, "btn.rsvp_no"), RsvpAnswer(event.id, "n").pack()),
        ]
    ]
    need_ids = {n.role: n.id for n in event.needs}
    open_roles = [f for f in fills(event, counts) if f.missing > 0]
    for i in range(0, len(open_roles), 2):
        rows.append(
            [
                (
                    t(lang, "btn.rsvp_role", role=role_label(lang, f.role), missing=f.missing),
                    RsvpRole(event.id, need_ids[f.role]).pack(),
                )
                for f in open_roles[i : i + 2]
            ]
        )
    # Names stay private: organisers open the roster in private (handlers/events.roster_open).
    rows.append([(t(lang, "btn.roster_view"), RosterOpen(event.id).pack())])
    return "\n".join(lines), rows


def mine_part(lang: str, answer: tuple[str, str | None] | None) -> str:
    """« — ✅ vous venez (Tractage) »: the person's own answer and task, in their /agenda."""
    if answer is None or answer[0] not in (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.WAITLIST):
        return ""
    status, task = answer
    text = t(lang, f"roster.agenda_{status}")
    if task:
        text += t(lang, "roster.agenda_task", task=role_label(lang, task))
    return text


def agenda_line(
    event: Event,
    counts: dict[str, int],
    lang: str,
    answer: tuple[str, str | None] | None = None,
    mine: bool = False,
) -> str:
    """One action of /agenda. In « Mes actions » (`mine`) the line says the person's own answer and
    task (« ⏳ vous êtes en liste d'attente (Tractage) ») instead of the event's fill, which would
    read as theirs; elsewhere the fill, then their answer when they gave one."""
    city = event.city.name if event.city else t(lang, "event.national")
    status = ""
    if event.needs and not (mine and answer is not None):
        status = f" — {COLOUR_EMOJI[colour(fills(event, counts))]} {needs_line(lang, event, counts)}"
    place = f", {event.place}" if event.place else ""
    line = t(
        lang, "agenda.line", when=when(event, lang), title=event.title, city=city, place=place, status=status
    )
    return Html(line + mine_part(lang, answer))


def _view(shown: str) -> Literal["mine", "city", "all"]:
    return next((v for v in AGENDA_VIEWS if v == shown), "all")


def agenda_page(lang: str, page: AgendaPage) -> tuple[str, Rows]:
    """/agenda: the header of the view shown, one page of actions (a line each), what is not shown
    counted, and buttons: the pages, the other views, the other cities."""
    header = t(lang, f"agenda.header_{page.shown}", city=page.city)
    mine = page.shown == "mine"
    lines = [
        agenda_line(e, page.counts.get(e.id, {}), lang, page.answers.get(e.id), mine) for e in page.events
    ] or [t(lang, "agenda.none")]
    win = page.window
    rows: Rows = []
    nav = paging.nav_row(lang, win, lambda n: AgendaPageButton(_view(page.shown), page.city_id, n).pack())
    if nav:
        rows.append(nav)
    rows.append([(t(lang, f"btn.agenda_{v}"), AgendaView(v).pack()) for v in AGENDA_VIEWS if v != page.view])
    if page.shown != "mine" and len(page.cities) <= CITY_BUTTONS:
        # The filter by city: any city's actions, with the national ones (past a few cities, typed:
        # /agenda Lyon).
        others = [
            (name[:30], AgendaPageButton("city", cid, 0).pack())
            for cid, name in page.cities
            if not (page.shown == "city" and cid == page.city_id)
        ]
        rows += [others[i : i + 3] for i in range(0, len(others), 3)]
    foot = paging.footer(lang, win)
    if foot:  # the others are a page away, and all of them in one file for a calendar
        foot += "\n" + t(lang, "agenda.page_ics")
    return paging.page_message(header, lines, foot), rows


def summary(lang: str, draft: Mapping[str, Any], city_name: str) -> str:
    """/evenement: what will be saved, before Confirmer."""
    needs: list[tuple[str, int]] = draft.get("needs") or []
    needs_text = ", ".join(f"{role_label(lang, r)} × {c}" for r, c in needs) or t(lang, "event.no_needs")
    starts_at: datetime = draft["starts_at"]
    text = t(
        lang,
        "event.summary",
        title=draft["title"],
        kind=draft["kind"],
        city=city_name,
        when=format_when(starts_at, lang, end=draft["ends_at"]),
        place=draft.get("place") or "—",
        description=_shorten(str(draft.get("description") or "—"), 300),
        needs=needs_text,
    )
    if draft["kind"] != LEVEE_KIND:
        return text
    goal = draft.get("goal")
    goal_text = format_eur_round(goal, lang) if goal else t(lang, "event.no_goal")
    # Before the closing question (the summary's last paragraph).
    head, sep, question = text.rpartition("\n\n")
    line = t(lang, "event.summary_goal", goal=goal_text)
    return Html(f"{head}\n{line}{sep}{question}" if sep else f"{text}\n{line}")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

"""How events read in Telegram: posts in groups, agenda lines, summaries (texts from the catalog)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from bot import paging
from bot.callbacks import AgendaView, RsvpAnswer, RsvpRole
from bot.texts import FR, t
from domain.dates import PARIS, format_when
from domain.events import KIND_EMOJI, Fill, colour, fills_from_counts
from domain.statuses import EventStatus, RsvpStatus
from storage.models import Event

if TYPE_CHECKING:
    from capabilities.events.agenda import AgendaPage

Rows = list[list[tuple[str, str]]]

COLOUR_EMOJI = {"red": "🔴", "amber": "🟠", "green": "🟢"}
AGENDA_VIEWS: tuple[Literal["mine", "city", "all"], ...] = ("mine", "city", "all")


def when(event: Event, lang: str) -> str:
    return format_when(event.starts_at.astimezone(PARIS), lang, end=event.ends_at.astimezone(PARIS))


def role_label(lang: str, role: str) -> str:
    """The 13 known roles are translated; free roles typed by an organiser show as typed."""
    key = f"skill.{role}"
    return t(lang, key) if key in FR else role


def fills(event: Event, counts: dict[str, int]) -> list[Fill]:
    return fills_from_counts([(n.role, n.count) for n in event.needs], counts)


def needs_line(lang: str, event: Event, counts: dict[str, int]) -> str:
    parts = []
    for fill in fills(event, counts):
        mark = " ✔" if fill.missing == 0 else ""
        parts.append(f"{role_label(lang, fill.role)} {fill.taken}/{fill.needed}{mark}")
    return ", ".join(parts)


def post(event: Event, counts: dict[str, int], lang: str) -> tuple[str, Rows]:
    """The event's post in a group: counts only, never names. Buttons while the event is open."""
    lines = []
    if event.status == EventStatus.CANCELLED:
        lines.append(t(lang, "post.cancelled_banner"))
    emoji = KIND_EMOJI.get(event.kind, "📌")
    city = event.city.name if event.city else t(lang, "event.national")
    lines.append(t(lang, "post.title", emoji=emoji, title=event.title, city=city))
    lines.append(t(lang, "post.when", when=when(event, lang)))
    if event.place:
        lines.append(t(lang, "post.place", place=event.place))
    if event.description:
        lines.append("")
        lines.append(t(lang, "post.description", description=_shorten(event.description, 600)))
    lines.append("")
    yes, maybe = counts.get(RsvpStatus.YES, 0), counts.get(RsvpStatus.MAYBE, 0)
    lines.append(t(lang, "post.counts", yes=yes, maybe=maybe))
    if event.needs:
        lines.append(t(lang, "post.needs", needs=needs_line(lang, event, counts)))
    if event.status != EventStatus.SCHEDULED:
        return "\n".join(lines), []
    lines.append(t(lang, "post.hint"))
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
    return "\n".join(lines), rows


def agenda_line(event: Event, counts: dict[str, int], lang: str) -> str:
    city = event.city.name if event.city else t(lang, "event.national")
    status = ""
    if event.needs:
        status = f" — {COLOUR_EMOJI[colour(fills(event, counts))]} {needs_line(lang, event, counts)}"
    place = f", {event.place}" if event.place else ""
    return t(
        lang, "agenda.line", when=when(event, lang), title=event.title, city=city, place=place, status=status
    )


def agenda_page(lang: str, page: AgendaPage) -> tuple[str, Rows]:
    """/agenda: the header of the view shown, a line per action, and buttons to the other views."""
    header = t(lang, f"agenda.header_{page.shown}", city=page.city)
    lines = [agenda_line(e, page.counts.get(e.id, {}), lang) for e in page.events] or [t(lang, "agenda.none")]
    rows = [[(t(lang, f"btn.agenda_{v}"), AgendaView(v).pack()) for v in AGENDA_VIEWS if v != page.view]]
    # One message, edited in place by the view buttons: fitted, the rest counted (the .ics has all).
    return paging.fit(lines, lambda n: t(lang, "agenda.more", count=n), header=header), rows


def summary(lang: str, draft: Mapping[str, Any], city_name: str) -> str:
    """/evenement: what will be saved, before Confirmer."""
    needs: list[tuple[str, int]] = draft.get("needs") or []
    needs_text = ", ".join(f"{role_label(lang, r)} × {c}" for r, c in needs) or t(lang, "event.no_needs")
    starts_at: datetime = draft["starts_at"]
    return t(
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


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

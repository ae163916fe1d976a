"""How events read in Telegram: announcements, agenda lines, summaries (texts from the catalog)."""

from __future__ import annotations

from bot.texts import FR, t
from domain.dates import PARIS, format_when
from domain.events import Fill, colour, fill_of
from storage.models import Event

Rows = list[list[tuple[str, str]]]

KIND_EMOJI = {
    "réunion": "🗣", "tractage": "📄", "porte-à-porte": "🚪", "stand": "⛺", "collage": "🖌",
    "formation": "🎓", "levée de fonds": "💶", "autre": "📌",
}
COLOUR_EMOJI = {"red": "🔴", "amber": "🟠", "green": "🟢"}


def when(event: Event, lang: str) -> str:
    return format_when(event.starts_at.astimezone(PARIS), lang, end=event.ends_at.astimezone(PARIS))


def role_label(lang: str, role: str) -> str:
    """The 13 known roles are translated; free roles typed by an organiser show as typed."""
    key = f"skill.{role}"
    return t(lang, key) if key in FR else role


def fills(event: Event, counts: dict[str, int]) -> list[Fill]:
    taken = {k.removeprefix("role:"): v for k, v in counts.items() if k.startswith("role:")}
    return fill_of([(n.role, n.count) for n in event.needs], taken)


def needs_line(lang: str, event: Event, counts: dict[str, int]) -> str:
    parts = []
    for fill in fills(event, counts):
        mark = " ✔" if fill.missing == 0 else ""
        parts.append(f"{role_label(lang, fill.role)} {fill.taken}/{fill.needed}{mark}")
    return ", ".join(parts)


def announcement(event: Event, counts: dict[str, int], lang: str) -> tuple[str, Rows]:
    """The group post: counts only, never names. Buttons while the event is open."""
    lines = []
    if event.status == "cancelled":
        lines.append(t(lang, "ann.cancelled_banner"))
    emoji = KIND_EMOJI.get(event.kind, "📌")
    city = event.city.name if event.city else t(lang, "event.national")
    lines.append(t(lang, "ann.title", emoji=emoji, title=event.title, city=city))
    lines.append(t(lang, "ann.when", when=when(event, lang)))
    if event.place:
        lines.append(t(lang, "ann.place", place=event.place))
    if event.description:
        lines.append("")
        lines.append(t(lang, "ann.description", description=_shorten(event.description, 600)))
    lines.append("")
    lines.append(t(lang, "ann.counts", yes=counts.get("yes", 0), maybe=counts.get("maybe", 0)))
    if event.needs:
        lines.append(t(lang, "ann.needs", needs=needs_line(lang, event, counts)))
    if event.status != "scheduled":
        return "\n".join(lines), []
    lines.append(t(lang, "ann.hint"))
    rows: Rows = [[
        (t(lang, "btn.rsvp_yes"), f"rsvp:{event.id}:y"),
        (t(lang, "btn.rsvp_maybe"), f"rsvp:{event.id}:m"),
        (t(lang, "btn.rsvp_no"), f"rsvp:{event.id}:n"),
    ]]
    need_ids = {n.role: n.id for n in event.needs}
    open_roles = [f for f in fills(event, counts) if f.missing > 0]
    for i in range(0, len(open_roles), 2):
        rows.append([
            (t(lang, "btn.rsvp_role", role=role_label(lang, f.role), missing=f.missing),
             f"rsvp:{event.id}:r{need_ids[f.role]}")
            for f in open_roles[i : i + 2]
        ])
    return "\n".join(lines), rows


def agenda_line(event: Event, counts: dict[str, int], lang: str) -> str:
    city = event.city.name if event.city else t(lang, "event.national")
    status = ""
    if event.needs:
        status = f" — {COLOUR_EMOJI[colour(fills(event, counts))]} {needs_line(lang, event, counts)}"
    place = f", {event.place}" if event.place else ""
    return t(lang, "agenda.line", when=when(event, lang), title=event.title, city=city, place=place,
             status=status)


def summary(lang: str, draft: dict[str, object], city_name: str) -> str:
    needs = draft.get("needs") or []
    needs_text = ", ".join(f"{role_label(lang, r)} × {c}" for r, c in needs) or t(lang, "event.no_needs")  # type: ignore[union-attr]
    return t(
        lang, "event.summary", title=draft["title"], kind=draft["kind"], city=city_name,
        when=format_when(draft["starts_at"], lang, end=draft["ends_at"]),  # type: ignore[arg-type]
        place=draft.get("place") or "—", description=_shorten(str(draft.get("description") or "—"), 300),
        needs=needs_text,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

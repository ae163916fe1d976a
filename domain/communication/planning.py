"""Planning the communication around events: which events are public, when each suggested post is
due, the week's calendar and its clashes. Pure logic (docs/communication-rules.md: the silence of
rule 1 is checked by domain.communication.law, not here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.statuses import PostPurpose
from domain.text import fold_words

# Event kinds the public is invited to (domain.events.KINDS): a training or a poster night is internal.
PUBLIC_KINDS: frozenset[str] = frozenset({"réunion", "tractage", "porte-à-porte", "stand", "levée de fonds"})
# Suggestions are made for public events starting within this horizon.
HORIZON = timedelta(days=30)
ANNOUNCE_LEAD = timedelta(days=7)
RECALL_HOUR = time(18, 0)  # the day before
RECAP_HOUR = time(10, 0)  # the day after
# A public event not on the website this long before it starts is a site need.
SITE_NEED_LEAD = timedelta(days=7)
# Two posts on one channel closer than this are a clash.
CLASH_GAP = timedelta(hours=2)
# Volunteers may send photos of an event during these days after its end.
PHOTO_WINDOW = timedelta(days=3)
SUGGESTED_PURPOSES: tuple[PostPurpose, ...] = (PostPurpose.ANNOUNCE, PostPurpose.RECALL, PostPurpose.RECAP)


# A « réunion » is often internal (a team meeting): it is public only when its title or description
# says so (« réunion publique »); the other public kinds are public as such.
MEETING = "réunion"
_PUBLIC_WORDS = frozenset({"publique", "publiques", "public", "ouverte", "ouvertes"})


def is_public(kind: str, title: str = "", description: str = "") -> bool:
    """Whether the public is invited: a public kind, and for a meeting the words « publique » or
    « ouverte » (« ouverte à tous ») in its title or description."""
    if kind not in PUBLIC_KINDS:
        return False
    if kind != MEETING:
        return True
    words = set(fold_words(f"{title} {description}").split())
    return bool(words & _PUBLIC_WORDS)


def _local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    # Through UTC, so that a wall-clock time a clock change skips lands on the next real instant.
    return datetime.combine(day, at, tzinfo=tz).astimezone(ZoneInfo("UTC")).astimezone(tz)


def due_at(
    purpose: PostPurpose, starts_at: datetime, ends_at: datetime, created_at: datetime, tz: ZoneInfo
) -> datetime:
    """When a suggested post is due: the announce 7 days before (or at creation when later), the
    recall the day before at 18:00 local, the recap the day after the end at 10:00 local."""
    if purpose == PostPurpose.ANNOUNCE:
        return max(created_at, starts_at - ANNOUNCE_LEAD)
    if purpose == PostPurpose.RECALL:
        return _local_at(starts_at.astimezone(tz).date() - timedelta(days=1), RECALL_HOUR, tz)
    if purpose == PostPurpose.RECAP:
        return _local_at(ends_at.astimezone(tz).date() + timedelta(days=1), RECAP_HOUR, tz)
    raise ValueError(f"no lead time for {purpose}")


def site_need_due(starts_at: datetime) -> datetime:
    return starts_at - SITE_NEED_LEAD


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, local, aware."""
    return _local_at(monday, time(0), tz), _local_at(monday + timedelta(days=7), time(0), tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight to midnight, local, aware (23 or 25 hours on a clock-change day)."""
    return _local_at(day, time(0), tz), _local_at(day + timedelta(days=1), time(0), tz)


def previous_week(today: date) -> tuple[date, date]:
    """The Monday and the Sunday of the week before `today`'s."""
    monday = week_of(today) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Planned:
    """One post on one channel at one time (the calendar's cell)."""

    post_id: int
    channel: str
    when: datetime
    title: str
    status: str


def by_channel(items: Iterable[Planned]) -> dict[str, list[Planned]]:
    """The items per channel, each channel in time order (channels in name order)."""
    out: dict[str, list[Planned]] = {}
    for item in sorted(items, key=lambda p: (p.channel, p.when, p.post_id)):
        out.setdefault(item.channel, []).append(item)
    return out


def clashes(items: Sequence[Planned], gap: timedelta = CLASH_GAP) -> list[tuple[Planned, Planned]]:
    """Pairs of different posts on the same channel less than `gap` apart (each pair once)."""
    out: list[tuple[Planned, Planned]] = []
    for channel_items in by_channel(items).values():
        for i, first in enumerate(channel_items):
            for second in channel_items[i + 1 :]:
                if second.when - first.when >= gap:
                    break
                if second.post_id != first.post_id:
                    out.append((first, second))
    return out


def metrics_line(metrics: dict[str, object]) -> list[tuple[str, int]]:
    """The reach figures worth showing, as (name, number), in a stable order (numbers only)."""
    return sorted(
        (str(k), int(v)) for k, v in metrics.items() if isinstance(v, int | float) and not isinstance(v, bool)
    )

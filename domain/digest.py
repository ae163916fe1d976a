"""What a morning digest says, from figures already gathered. Pure logic: no I/O, no Telegram.

A section appears only when it has something to say; a digest with no section is not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.people import Role

HOUR_MAX = 23
MINUTE_MAX = 59


@dataclass(frozen=True)
class EventItem:
    event_id: int
    title: str
    starts_at: datetime
    missing: tuple[tuple[str, int, int], ...]  # (role, need id, missing count)
    colour: str


@dataclass
class CityFigures:
    city_id: int
    name: str
    events: list[EventItem] = field(default_factory=list)
    new_volunteers: list[str] = field(default_factory=list)
    new_volunteer_count: int = 0
    pending_emails: int = 0
    email_subjects: list[str] = field(default_factory=list)
    donations_count: int = 0
    donations_cents: int = 0

    @property
    def missing_people(self) -> int:
        return sum(m for e in self.events for _, _, m in e.missing)


@dataclass(frozen=True)
class CityDigest:
    city: CityFigures

    @property
    def empty(self) -> bool:
        c = self.city
        return not (c.events or c.new_volunteer_count or c.pending_emails or c.donations_count)


@dataclass(frozen=True)
class EmailItem:
    """A waiting email as a digest names it: its number, subject, when it came, and whether it is late
    (nobody took it within the escalation delay)."""

    email_id: int
    subject: str
    received_at: datetime
    late: bool = False


@dataclass(frozen=True)
class DataRequestItem:
    request_id: int
    kind: str  # domain.statuses.RequestKind
    deadline: date


@dataclass
class NationalFigures:
    """What the national digest adds to the cities' figures (issue 18): the national events, the
    inbox's backlog with its oldest email, the personal-data requests near their legal deadline,
    the memberships to renew and the donations with the law's warnings."""

    events: list[EventItem] = field(default_factory=list)
    pending_emails: int = 0
    late_emails: int = 0
    oldest_email: EmailItem | None = None
    data_requests: list[DataRequestItem] = field(default_factory=list)
    memberships_due: int = 0
    donations_warned: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.events
            or self.pending_emails
            or self.data_requests
            or self.memberships_due
            or self.donations_warned
        )


# A personal-data request is brought up once its one-month deadline is this close (or past).
DATA_REQUEST_SOON = timedelta(days=7)
# A membership is to renew once it ends within this many days.
RENEWAL_AHEAD = timedelta(days=30)


def requests_near_deadline(items: Iterable[DataRequestItem], today: date) -> list[DataRequestItem]:
    """The open requests whose deadline is within DATA_REQUEST_SOON (or past), the most urgent first."""
    return sorted((r for r in items if r.deadline - today <= DATA_REQUEST_SOON), key=lambda r: r.deadline)


@dataclass(frozen=True)
class NationalDigest:
    cities: list[CityFigures]
    unrouted_emails: int
    red_events: list[tuple[str, EventItem]]
    extra: NationalFigures = field(default_factory=NationalFigures)

    @property
    def busy_cities(self) -> list[CityFigures]:
        """The cities with something to say: the others are left out."""
        return [c for c in self.cities if not CityDigest(c).empty]

    @property
    def empty(self) -> bool:
        return not (self.busy_cities or self.unrouted_emails or self.red_events or not self.extra.empty)


def national(
    cities: list[CityFigures], unrouted_emails: int, extra: NationalFigures | None = None
) -> NationalDigest:
    extra = extra or NationalFigures()
    red = [(c.name, e) for c in cities for e in c.events if e.colour == "red"]
    red += [("", e) for e in extra.events if e.colour == "red"]
    red.sort(key=lambda pair: pair[1].starts_at)
    return NationalDigest(sorted(cities, key=lambda c: c.name), unrouted_emails, red, extra)


def due_today(now_local: datetime, hour: int, catch_up: timedelta) -> date | None:
    """The local day whose digest is due at `now_local`, if any.

    Due from `hour` o'clock until `hour + catch_up`; the day is the key that makes it once a day.
    A wall-clock hour that a clock change skips counts as reached at the first instant after it.
    """
    tz = now_local.tzinfo
    assert isinstance(tz, ZoneInfo)
    for day in (now_local.date(), now_local.date() - timedelta(days=1)):
        start = datetime.combine(day, time(hour), tzinfo=tz)
        # Normalise a nonexistent local time (spring forward) through UTC.
        start = start.astimezone(ZoneInfo("UTC")).astimezone(tz)
        if start <= now_local < start + catch_up:
            return day
    return None


def digest_kinds(grants: Iterable[tuple[str, str]], coordinator: bool) -> list[tuple[str, str]]:
    """The digests a person gets, as (kind, scope): one per candidate city, one per led domain, and
    the national one for coordinators (by grant or by settings: `coordinator`)."""
    grants = list(grants)
    kinds = [(role, scope) for role, scope in grants if role in (Role.CANDIDATE, Role.LEAD)]
    if coordinator or any(role == Role.COORDINATOR for role, _ in grants):
        kinds.append((Role.COORDINATOR, ""))
    return list(dict.fromkeys(kinds))


_TYPED_TIME = re.compile(r"^(\d{1,2})\s*(?:h|:|heures?)?\s*(\d{2})?\s*(?:h|min)?$")


def parse_digest_time(text: str) -> tuple[int, int] | None:
    """`/digest_heure` as people type it: `7`, `7h`, `7 h`, `7h30`, `07:30`, `19 h`, `19 heures` →
    (hour, minute); None unless a time of day. The digest goes out on the hour: the caller says so
    when minutes were given."""
    match = _TYPED_TIME.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > HOUR_MAX or minute > MINUTE_MAX:
        return None
    return hour, minute


def format_hour(hour: int, lang: str) -> str:
    """An hour on the clock, in the bot's one time format (as domain.dates writes times): `07h00`."""
    return f"{hour:02d}h00" if lang == "fr" else f"{hour:02d}:00"


def parse_hour(text: str) -> int | None:
    """`/digest_heure 7` or `7h` → 7; None unless an hour from 0 to 23."""
    value = text.lower().removesuffix("h")
    if not value.isdigit() or not 0 <= int(value) <= HOUR_MAX:
        return None
    return int(value)

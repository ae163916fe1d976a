"""The week's plan (/calendrier_com), the communication digest and the weekly summary
(docs/communication-rules.md).

The digest goes to the communication leads (the coordinators when there are none) at 08:00 local,
once a day (a job_run row per person and day); on Mondays a second message sums up last week's
publications per channel with their links and reach figures (publication.metrics, read by the
metrics job).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ComCalendarWeek, PostOpen
from bot.messages import text_message
from bot.paging import fit
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.communication.suggestions import team
from domain.communication import planning as plan
from domain.dates import format_day, format_when
from domain.digest import due_today
from domain.people import Domain
from domain.statuses import PostStatus
from storage import com_planning as q
from storage import outbox
from storage.com_posts import is_communication_team
from storage.digest import claim_period
from storage.models import ComPost, Person, Publication

Rows = list[list[tuple[str, str]]]
DIGEST_HOUR = 8
CATCH_UP = timedelta(hours=4)
DIGEST_JOB = "complan.digest"
WEEKLY_JOB = "complan.weekly"
REACH_DAYS = 7
REACH_SHOWN = 5
OPEN_BUTTONS = 6
REQUEST_HORIZON = timedelta(days=2)
# domain.communication.law rules publishing may pause a post for (each has words: complan.paused.*)
PAUSE_REASONS = ("silence", "results", "polemic", "consent", "image_rights")


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _post_name(lang: str, post: ComPost) -> str:
    return _short(post.title or post.text) or t(lang, "complan.untitled", id=post.id)


def _reach(lang: str, metrics: dict[str, object]) -> str:
    figures = plan.metrics_line(metrics)
    if not figures:
        return t(lang, "complan.no_reach")
    return ", ".join(f"{name} {value}" for name, value in figures)


def _channel(lang: str, channel: str) -> str:
    return t(lang, f"complan.channel.{channel}") if channel in _CHANNELS else channel


_CHANNELS = ("telegram", "facebook", "mastodon", "bluesky", "x", "wordpress")


# --- The daily digest ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestData:
    requests: list[tuple[int, str, datetime | None]]  # id, brief, deadline
    suggestions: list[ComPost]
    submitted: list[ComPost]
    today: list[ComPost]
    paused: list[ComPost]
    reach: list[tuple[Publication, ComPost]]

    @property
    def empty(self) -> bool:
        return not (
            self.requests or self.suggestions or self.submitted or self.today or self.paused or self.reach
        )


async def digest_data(session: AsyncSession, settings: Settings, now: datetime) -> DigestData:
    local = now.astimezone(settings.tz)
    day_start, day_end = plan.day_bounds(local.date(), settings.tz)
    requests = [(r.id, r.brief, r.deadline) for r in await q.requests_due(session, now + REQUEST_HORIZON)]
    suggestions = [
        p for p in await q.posts_with_status(session, [PostStatus.SUGGESTED]) if p.due_at and p.due_at <= now
    ]
    submitted = await q.posts_with_status(session, [PostStatus.SUBMITTED])
    today = [
        p
        for p in await q.posts_with_status(session, [PostStatus.SCHEDULED])
        if p.publish_at and day_start <= p.publish_at < day_end
    ]
    paused = await q.posts_with_status(session, [PostStatus.PAUSED])
    reach = (await q.publications_between(session, now - timedelta(days=REACH_DAYS), now))[:REACH_SHOWN]
    return DigestData(requests, suggestions, submitted, today, paused, reach)


def compose_digest(lang: str, data: DigestData, settings: Settings, now: datetime) -> tuple[str, Rows]:
    tz = settings.tz
    lines: list[str] = []
    rows: Rows = []

    def button(post: ComPost) -> None:
        if len(rows) < OPEN_BUTTONS:
            rows.append(
                [
                    (
                        t(lang, "btn.complan_open_named", name=_post_name(lang, post))[:60],
                        PostOpen(post.id).pack(),
                    )
                ]
            )

    if data.requests:
        lines.append(t(lang, "complan.d_requests", count=len(data.requests)))
        for rid, brief, deadline in data.requests:
            when = format_day(deadline.astimezone(tz), lang, now=now) if deadline else "—"
            lines.append(t(lang, "complan.d_request_line", id=rid, brief=_short(brief, 80), when=when))
    for key, posts in (
        ("complan.d_suggestions", data.suggestions),
        ("complan.d_submitted", data.submitted),
        ("complan.d_paused", data.paused),
    ):
        if posts:
            lines.append(t(lang, key, count=len(posts)))
            for post in posts:
                extra = t(lang, f"complan.purpose.{post.purpose}") if post.purpose else ""
                if post.status == PostStatus.PAUSED and post.paused_reason:
                    reason = post.paused_reason
                    known = reason if reason in PAUSE_REASONS else "other"  # never a raw code
                    extra = t(lang, f"complan.paused.{known}")
                lines.append(t(lang, "complan.d_post_line", name=_post_name(lang, post), extra=extra))
                button(post)
    if data.today:
        lines.append(t(lang, "complan.d_today", count=len(data.today)))
        for post in data.today:
            assert post.publish_at is not None
            lines.append(
                t(
                    lang,
                    "complan.d_today_line",
                    time=post.publish_at.astimezone(tz).strftime("%H:%M" if lang == "en" else "%Hh%M"),
                    name=_post_name(lang, post),
                    channels=", ".join(_channel(lang, c) for c in post.channels),
                )
            )
    if data.reach:
        lines.append(t(lang, "complan.d_reach"))
        for pub, post in data.reach:
            lines.append(
                t(
                    lang,
                    "complan.d_reach_line",
                    channel=_channel(lang, pub.channel),
                    name=_post_name(lang, post),
                    reach=_reach(lang, pub.metrics),
                )
            )
    text = fit(lines, lambda n: t(lang, "complan.more", count=n), header=t(lang, "complan.d_title"))
    return text, rows


# --- The weekly summary ---------------------------------------------------------------------------------


async def weekly_data(
    session: AsyncSession, settings: Settings, today: date
) -> tuple[date, date, list[tuple[Publication, ComPost]]]:
    monday, sunday = plan.previous_week(today)
    start, end = plan.week_bounds(monday, settings.tz)
    return monday, sunday, await q.publications_between(session, start, end)


def compose_weekly(
    lang: str, monday: date, sunday: date, pubs: list[tuple[Publication, ComPost]], now: datetime
) -> str:
    header = t(
        lang,
        "complan.w_title",
        start=format_day(monday, lang, now=now),
        end=format_day(sunday, lang, now=now),
        count=len({post.id for _, post in pubs}),
    )
    by_channel: dict[str, list[tuple[Publication, ComPost]]] = {}
    for pub, post in sorted(pubs, key=lambda x: (x[0].channel, x[0].published_at or now)):
        by_channel.setdefault(pub.channel, []).append((pub, post))
    lines: list[str] = []
    for channel, items in by_channel.items():
        lines.append(t(lang, "complan.w_channel", channel=_channel(lang, channel), count=len(items)))
        for pub, post in items:
            key = "complan.w_line_link" if pub.url.startswith(("https://", "http://")) else "complan.w_line"
            lines.append(
                t(lang, key, name=_post_name(lang, post), url=pub.url, reach=_reach(lang, pub.metrics))
            )
    if not lines:
        lines.append(t(lang, "complan.w_none"))
    return fit(lines, lambda n: t(lang, "complan.more", count=n), header=header)


# --- The job ----------------------------------------------------------------------------------------------


async def send_due(session: AsyncSession, settings: Settings, now: datetime) -> int:
    local = now.astimezone(settings.tz)
    day = due_today(local, DIGEST_HOUR, CATCH_UP)
    if day is None:
        return 0
    people = await team(session, settings, Domain.COMMUNICATION)
    sent = 0
    data: DigestData | None = None
    for person in people:
        if person.digest_paused:
            continue
        # One job_run row per person and day: the digest is composed and queued once that day.
        if await claim_period(session, f"{DIGEST_JOB}:{person.id}", day.isoformat()):
            data = data or await digest_data(session, settings, now)
            if not data.empty:
                text, rows = compose_digest(person.language, data, settings, now)
                await _queue(session, person, text, rows, f"{DIGEST_JOB}:{person.id}:{day}")
                sent += 1
        if day.weekday() == 0 and await claim_period(session, f"{WEEKLY_JOB}:{person.id}", day.isoformat()):
            monday, sunday, pubs = await weekly_data(session, settings, day)
            text = compose_weekly(person.language, monday, sunday, pubs, now)
            await _queue(session, person, text, [], f"{WEEKLY_JOB}:{person.id}:{day}")
            sent += 1
    return sent


async def _queue(session: AsyncSession, person: Person, text: str, rows: Rows, key: str) -> None:
    await outbox.enqueue(
        session, person.telegram_id, text_message(text, rows or None), dedupe_key=key, person_id=person.id
    )


async def run(services: Services, now: datetime) -> int:
    """The job: the communication digest (daily, 08:00 local) and, on Mondays, the weekly summary."""
    async with services.transaction() as s:
        return await send_due(s, services.settings, now)


# --- /calendrier_com ---------------------------------------------------------------------------------------


WEEKS_MAX = 52


def may_see_calendar(settings: Settings, person: Person | None) -> bool:
    """The communication team (its leads and the coordinators): other leads do not read the posts."""
    return person is not None and is_communication_team(person, settings.coordinator_ids)


async def calendar(services: Services, lang: str, offset: int, now: datetime) -> tuple[str, Rows]:
    """The week `offset` weeks from now (Monday–Sunday) per channel, clashes warned."""
    # A forged button may carry any offset: a year either way is as far as the calendar goes.
    offset = max(-WEEKS_MAX, min(WEEKS_MAX, offset))
    settings = services.settings
    tz = settings.tz
    monday = plan.week_of(now.astimezone(tz).date()) + timedelta(weeks=offset)
    start, end = plan.week_bounds(monday, tz)
    items: list[plan.Planned] = []
    async with services.db.session() as s:
        for post in await q.posts_due_between(s, start, end):
            when = post.due_at if post.status == PostStatus.SUGGESTED else post.publish_at
            assert when is not None
            for channel in post.channels:
                items.append(plan.Planned(post.id, str(channel), when, _post_name(lang, post), post.status))
        for pub, post in await q.publications_between(s, start, end):
            assert pub.published_at is not None
            items.append(
                plan.Planned(
                    post.id, pub.channel, pub.published_at, _post_name(lang, post), PostStatus.PUBLISHED
                )
            )
    header = t(
        lang,
        "complan.cal_title",
        start=format_day(monday, lang, now=now),
        end=format_day(monday + timedelta(days=6), lang, now=now),
    )
    lines: list[str] = []
    for channel, planned in plan.by_channel(items).items():
        lines.append(t(lang, "complan.cal_channel", channel=_channel(lang, channel)))
        for p in planned:
            lines.append(
                t(
                    lang,
                    "complan.cal_line",
                    when=format_when(p.when.astimezone(tz), lang, now=now),
                    name=p.title,
                    status=t(lang, f"complan.status.{p.status}"),
                )
            )
    clashes = plan.clashes(items)
    if clashes:
        lines.append(t(lang, "complan.cal_clashes"))
        for a, b in clashes:
            lines.append(
                t(
                    lang,
                    "complan.cal_clash_line",
                    channel=_channel(lang, a.channel),
                    first=a.title,
                    second=b.title,
                    when=format_when(a.when.astimezone(tz), lang, now=now),
                )
            )
    if not items:
        lines.append(t(lang, "complan.cal_empty"))
    text = fit(lines, lambda n: t(lang, "complan.more", count=n), header=header)
    nav: list[tuple[str, str]] = []
    if offset > 0:
        nav.append((t(lang, "btn.complan_prev"), ComCalendarWeek(offset - 1).pack()))
    if offset < 8:
        nav.append((t(lang, "btn.complan_next"), ComCalendarWeek(offset + 1).pack()))
    return text, [nav] if nav else []

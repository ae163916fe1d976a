"""Posts suggested from public events (docs/communication-rules.md).

Each public event starting within 30 days gets an announce, a recall and a recap post (status
SUGGESTED, one per purpose: the unique (event_id, purpose) makes a second run create nothing). When
one is due, the communication leads get a card with a PostOpen button, once. A cancelled event's
unpublished posts are cancelled. A public event not on the website 7 days before is a site need (a
website request, once). Photos volunteers send in private join the recap post; they stay private
until the post is approved (rule 6).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import PostOpen
from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.communication import channels
from capabilities.communication import requests as com_requests
from domain.communication import planning as plan
from domain.dates import format_day, format_when
from domain.people import Domain
from domain.statuses import ComRequestKind, ComRequestStatus, EventStatus, PostPurpose, PostStatus
from storage import com_planning as q
from storage import outbox
from storage.digest import claim_period
from storage.inbox import coordinators, leads_of
from storage.models import ComPost, Event, Person
from storage.people import person_by_telegram_id

POST_LANG = "fr"  # public posts are written in French
# A card is not sent for a suggestion due longer ago than this (a job down for long, a first run).
CARD_MAX_AGE = timedelta(days=7)
SITE_NEED_JOB = "complan.site_need"
PHOTOS_MAX = 20  # per recap post


def configured_channels(settings: Settings) -> list[str]:
    """The channels usable now (a suggestion is offered on each; the lead may drop some)."""
    return channels.configured(settings)


def _place(event: Event) -> str:
    parts = [p for p in (event.place.strip(), event.city.name if event.city else "") if p]
    return ", ".join(parts)


def compose(event: Event, purpose: PostPurpose, settings: Settings, now: datetime) -> str:
    """The post's text from the event (plain text: it goes to the networks, not to Telegram HTML)."""
    start = event.starts_at.astimezone(settings.tz)
    when = format_when(start, POST_LANG, now=now, end=event.ends_at.astimezone(settings.tz))
    values = {"title": event.title, "when": when, "day": format_day(start, POST_LANG, now=now)}
    lines = [t(POST_LANG, f"complan.post_{purpose.value}", **values)]
    place = _place(event)
    if place:
        lines.append(t(POST_LANG, "complan.post_place", place=place))
    lines.append(t(POST_LANG, f"complan.post_{purpose.value}_end"))
    return html.unescape("\n".join(lines))


def _suggestion(event: Event, purpose: PostPurpose, settings: Settings, now: datetime) -> dict[str, Any]:
    return {
        "purpose": purpose.value,
        "status": PostStatus.SUGGESTED.value,
        "event_id": event.id,
        "title": event.title,
        "text": compose(event, purpose, settings, now),
        "link": "",
        "images": [],
        "channels": configured_channels(settings),
        "city": event.city.name if event.city else None,
        "due_at": plan.due_at(purpose, event.starts_at, event.ends_at, event.created_at, settings.tz),
        "confirmations": [],
        "version": 1,
        "paused_reason": "",
        "created_at": now,
        "updated_at": now,
    }


async def create_suggestions(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Suggested posts of the public events of the next 30 days; how many were new."""
    events = await q.public_events(session, plan.PUBLIC_KINDS, now, now + plan.HORIZON)
    events = [e for e in events if plan.is_public(e.kind, e.title, e.description)]  # not a team meeting
    created = 0
    for event in events:
        for purpose in plan.SUGGESTED_PURPOSES:
            if await q.add_suggestion(session, _suggestion(event, purpose, settings, now)):
                created += 1
    return created


async def team(session: AsyncSession, settings: Settings, domain: Domain) -> list[Person]:
    """Who gets the cards: the leads of `domain`, else the coordinators (reachable ones)."""
    people = await leads_of(session, domain) or await coordinators(session, settings.coordinator_ids)
    return [p for p in people if p.reachable]


async def send_due_cards(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """A card per due suggestion to each communication lead, once (the outbox key)."""
    due = [p for p in await q.due_suggestions(session, now) if p.due_at and p.due_at >= now - CARD_MAX_AGE]
    if not due:
        return 0
    people = await team(session, settings, Domain.COMMUNICATION)
    sent = 0
    for post in due:
        assert post.event_id is not None
        event = await session.get(Event, post.event_id)
        if event is None or (event.status != EventStatus.SCHEDULED and post.purpose != PostPurpose.RECAP):
            continue
        for person in people:
            lang = person.language
            text = t(
                lang,
                "complan.card",
                purpose=t(lang, f"complan.purpose.{post.purpose}"),
                title=event.title,
                when=format_when(event.starts_at.astimezone(settings.tz), lang, now=now),
                text=post.text[:600],
            )
            rows = [[(t(lang, "btn.complan_open"), PostOpen(post.id).pack())]]
            if await outbox.enqueue(
                session,
                person.telegram_id,
                text_message(text, rows),
                dedupe_key=f"complan:due:{post.id}:{person.id}",
                person_id=person.id,
            ):
                sent += 1
    return sent


async def site_needs(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """A website request for each public event not on the site 7 days before it; once per event."""
    events = await q.public_events(session, plan.PUBLIC_KINDS, now, now + plan.SITE_NEED_LEAD)
    events = [e for e in events if plan.is_public(e.kind, e.title, e.description)]  # not a team meeting
    made = 0
    for event in events:
        if await q.on_website(session, event.id) or await q.site_request_exists(session, event.id):
            continue
        # The job_run row is the lock: two runs at once still make one request.
        if not await claim_period(session, SITE_NEED_JOB, str(event.id)):
            continue
        when = format_when(event.starts_at.astimezone(settings.tz), POST_LANG, now=now)
        brief = html.unescape(
            t(POST_LANG, "complan.site_brief", title=event.title, when=when, place=_place(event) or "—")
        )
        request = await q.add_request(
            session,
            kind=ComRequestKind.WEBSITE.value,
            domain=Domain.WEBSITE.value,
            channels=["wordpress"],
            brief=brief,
            deadline=event.starts_at - timedelta(days=1),
            city=event.city.name if event.city else None,
            event_id=event.id,
            status=ComRequestStatus.OPEN.value,
            files=[],
            created_at=now,
        )
        # The website team gets the requests capability's own card (claim, done...), once each.
        for person in await com_requests.recipients(session, settings, request.domain, now):
            await com_requests.send_card(session, settings, request, person)
        made += 1
    return made


async def run(services: Services, now: datetime) -> int:
    """The job: new suggestions, cancelled events' posts, due cards, site needs."""
    settings = services.settings
    async with services.transaction() as s:
        done = await create_suggestions(s, settings, now)
        done += await q.cancel_posts_of_cancelled_events(s, [p.value for p in plan.SUGGESTED_PURPOSES])
        done += await send_due_cards(s, settings, now)
        done += await site_needs(s, settings, now)
    return done


# --- Photos from volunteers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoEvent:
    event_id: int
    title: str
    day: date


class PhotoResult(StrEnum):
    ADDED = "added"
    NOT_ALLOWED = "not_allowed"  # not a photo volunteer of that event (any more), or too late
    CLOSED = "closed"  # the recap is approved or gone: no new photo in it
    FULL = "full"


# The recap takes photos while nobody approved it yet.
OPEN_FOR_PHOTOS = (PostStatus.SUGGESTED, PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.PAUSED)


async def _photo_events(session: AsyncSession, person: Person, now: datetime) -> list[Event]:
    skilled = "photo" in (person.skills or [])
    return await q.photo_events(session, person.id, skilled, now - plan.PHOTO_WINDOW, now)


async def photo_events(services: Services, telegram_id: int, now: datetime) -> list[PhotoEvent]:
    """The events a person may send photos of now (took part, photo skill or task, ended < 3 days)."""
    tz = services.settings.tz
    async with services.db.session() as s:
        person = await person_by_telegram_id(s, telegram_id)
        if person is None:
            return []
        events = await _photo_events(s, person, now)
        return [PhotoEvent(e.id, e.title, e.starts_at.astimezone(tz).date()) for e in events]


async def add_photo(
    services: Services, telegram_id: int, event_id: int, photo: dict[str, str], now: datetime
) -> PhotoResult:
    """Add a photo to the event's recap post (made when missing), after checking again that the
    sender may: the button only carries the event id."""
    settings = services.settings
    async with services.transaction() as s:
        person = await person_by_telegram_id(s, telegram_id)
        if person is None:
            return PhotoResult.NOT_ALLOWED
        event = next((e for e in await _photo_events(s, person, now) if e.id == event_id), None)
        if event is None:
            return PhotoResult.NOT_ALLOWED
        post = await q.post_of_event(s, event.id, PostPurpose.RECAP, lock=True)
        if post is None:
            await q.add_suggestion(s, _suggestion(event, PostPurpose.RECAP, settings, now))
            post = await q.post_of_event(s, event.id, PostPurpose.RECAP, lock=True)
            assert post is not None
        if post.status not in OPEN_FOR_PHOTOS:
            return PhotoResult.CLOSED
        if len(post.images) >= PHOTOS_MAX:
            return PhotoResult.FULL
        # A new list (not an in-place append): the JSON column sees the change.
        post.images = [*post.images, photo]
        post.version += 1
        # A new photo nobody has looked at: the earlier confirmations (image rights above all)
        # covered the old photos only, so the approver confirms again on what they now see.
        post.confirmations = []
        post.updated_at = now
        return PhotoResult.ADDED


async def recap_post(services: Services, event_id: int) -> ComPost | None:
    async with services.db.session() as s:
        return await q.post_of_event(s, event_id, PostPurpose.RECAP)

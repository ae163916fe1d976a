"""Event operations shared by handlers and scheduled jobs: post, answer, change, cancel, refresh posts.

Each function works inside the caller's transaction and queues the messages it causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from capabilities.events import render
from domain.rsvp import Change, decide
from domain.statuses import REGISTERED, EventStatus
from storage import events as q
from storage import outbox
from storage.models import Event, EventPost, Participation, Person


@dataclass(frozen=True)
class Answered:
    change: Change | None  # None: nothing changed (same answer again)
    promoted: list[Change]


async def announce(session: AsyncSession, event: Event) -> int:
    """Post the event in its city's groups (all groups when national). Returns how many."""
    groups = await q.groups_for(session, event.city_id)
    text, rows = render.post(event, {}, "fr")
    for chat in groups:
        key = f"ann:{event.id}:{chat.id}"
        session.add(EventPost(event_id=event.id, chat_id=chat.id, outbox_key=key, rendered=text))
        await outbox.enqueue(session, chat.id, text_message(text, rows), dedupe_key=key)
    await session.flush()
    return len(groups)


async def record_answer(
    session: AsyncSession,
    event: Event,
    person: Person,
    answer: str,
    role: str | None,
    source: str,
    now: datetime,
) -> Answered:
    """Apply one person's answer; waitlist and promotions follow the event's needs."""
    seats = await q.seats(session, event.id)
    needs = {n.role: n.count for n in event.needs}
    changes = decide(seats, needs, person.id, answer, role, now)
    mine: Change | None = None
    promoted: list[Change] = []
    for change in changes:
        row = await q.participation(session, event.id, change.person_id)
        if row is None:
            row = Participation(
                event_id=event.id,
                person_id=change.person_id,
                status=change.status,
                role=change.role,
                source=source,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        else:
            row.status, row.role, row.updated_at = change.status, change.role, now
            if change.person_id == person.id:
                row.source = source
        if change.promoted:
            promoted.append(change)
        else:
            mine = change
    if changes:
        await session.flush()
        await q.mark_dirty(session, event.id)
        if promoted:
            await _tell_promoted(session, event, promoted, now)
    return Answered(mine, promoted)


async def _tell_promoted(session: AsyncSession, event: Event, promoted: list[Change], now: datetime) -> None:
    people = await q.people_by_ids(session, [c.person_id for c in promoted])
    for change in promoted:
        who = people[change.person_id]
        text = t(
            who.language,
            "rsvp.promoted",
            title=event.title,
            role=change.role or "",
            when=render.when(event, who.language),
        )
        await outbox.enqueue(
            session,
            who.telegram_id,
            text_message(text),
            person_id=who.id,
            dedupe_key=f"promo:{event.id}:{who.id}:{int(now.timestamp())}",
        )


async def notify_registered(session: AsyncSession, event: Event, key: str, **values: object) -> int:
    """Tell everyone registered (yes, maybe, waitlist) about a change to the event."""
    rows = await q.participations(session, event.id, REGISTERED)
    for row in rows:
        person = row.person
        lang = person.language
        text = t(
            lang, key, title=event.title, when=render.when(event, lang), place=event.place or "—", **values
        )
        await outbox.enqueue(session, person.telegram_id, text_message(text), person_id=person.id)
    return len(rows)


async def change_event(session: AsyncSession, event: Event, **fields: object) -> int:
    """Edit an event, refresh its posts and tell the people registered."""
    for name, value in fields.items():
        setattr(event, name, value)
    event.revision += 1
    await session.flush()
    await q.mark_dirty(session, event.id)
    return await notify_registered(session, event, "event.changed_notice")


async def cancel_event(session: AsyncSession, event: Event) -> int:
    event.status = EventStatus.CANCELLED
    event.revision += 1
    await session.flush()
    await q.mark_dirty(session, event.id)
    return await notify_registered(session, event, "event.cancelled_notice")


async def refresh_posts(session: AsyncSession, now: datetime, min_interval: timedelta) -> int:
    """Edit sent posts whose counts changed, at most once per `min_interval` each.

    Many answers within the interval collapse into one edit, which keeps groups under
    Telegram's 20 messages a minute.
    """
    pending = await q.dirty_posts(session, now - min_interval)
    if not pending:
        return 0
    event_ids = sorted({p.event_id for p, _ in pending})
    counts = await q.counts(session, event_ids)
    events = {eid: await q.event_by_id(session, eid) for eid in event_ids}
    edits = 0
    for post, sent in pending:
        event = events[post.event_id]
        post.dirty = False
        if event is None:
            continue
        text, rows = render.post(event, counts.get(event.id, {}), "fr")
        if text + repr(rows) == post.rendered:
            continue
        payload = text_message(text, rows)
        payload["message_id"] = sent.message_id
        if "reply_markup" not in payload:
            payload["reply_markup"] = {"inline_keyboard": []}
        await outbox.enqueue(session, sent.chat_id, payload, method="editMessageText")
        post.rendered = text + repr(rows)
        post.last_edit_at = now
        edits += 1
    return edits


async def refresh_due(services: Services, now: datetime) -> int:
    """Job: keep sent posts up to date with their counts, within Telegram's edit limits."""
    interval = timedelta(seconds=services.settings.announcement_edit_interval_seconds)
    async with services.transaction() as s:
        return await refresh_posts(s, now, interval)


# --- /agenda ---------------------------------------------------------------------------------------

AGENDA_LIMIT = 15


@dataclass(frozen=True)
class AgendaPage:
    view: str  # what was asked: mine | city | all
    shown: str  # what is shown: the city view of a person without a city shows all
    events: list[Event]
    counts: dict[int, dict[str, int]]
    city: str = ""  # the person's city, for the city view


async def default_view(services: Services, person: Person, now: datetime) -> str:
    """My actions when I have some, else my city's, else all."""
    async with services.db.session() as s:
        mine = await q.upcoming(s, now, person_id=person.id, limit=1)
    return "mine" if mine else "city" if person.city_id else "all"


async def agenda_page(services: Services, person: Person, view: str, now: datetime) -> AgendaPage:
    """The upcoming actions of one view."""
    async with services.db.session() as s:
        if view == "mine":
            shown, events = view, await q.upcoming(s, now, person_id=person.id, limit=AGENDA_LIMIT)
        elif view == "city" and person.city_id is not None:
            shown, events = view, await q.upcoming(s, now, city_id=person.city_id, limit=AGENDA_LIMIT)
        else:
            shown, events = "all", await q.upcoming(s, now, limit=AGENDA_LIMIT)
        counts = await q.counts(s, [e.id for e in events])
    return AgendaPage(view, shown, events, counts, person.city.name if person.city else "")

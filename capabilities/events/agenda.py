"""Event operations shared by handlers and scheduled jobs: post, answer, change, cancel, refresh posts.

Each function works inside the caller's transaction and queues the messages it causes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import RsvpAnswer, RsvpSwitch
from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from capabilities.events import render
from domain.fundraising import LEVEE_KIND
from domain.rsvp import Change, Seat, decide, main_task, taken
from domain.statuses import REGISTERED, EventStatus, RsvpSource, RsvpStatus
from storage import donations as dq
from storage import events as q
from storage import outbox
from storage import roster as roster_q
from storage.models import Event, EventPost, Participation, Person


@dataclass(frozen=True)
class Answered:
    change: Change | None  # None: nothing changed (same answer again)
    promoted: list[Change]
    # A second task offered by someone coming: "asked" (which one to keep, in private) or "full"
    # (the place held is kept). held: the task they keep (None: coming without one).
    notice: str | None = None
    held: str | None = None
    offered: str | None = None


async def announce(session: AsyncSession, event: Event) -> int:
    """Post the event in its city's groups (all groups when national). Returns how many."""
    groups = await q.groups_for(session, event.city_id)
    raised = (await dq.raised_by_event(session, [event.id])).get(event.id)
    text, rows = render.post(event, {}, "fr", raised)
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
    *,
    guests: int | None = None,
    switch: bool = False,
) -> Answered:
    """Apply one person's answer; waitlist and promotions follow the event's needs.

    `guests`: the people they bring (None keeps the number given before). Someone coming who offers
    another task keeps their place: when they hold a task they are asked in private which one to
    keep (`switch` is their "take the other one"); when the task offered is full nothing changes.
    """
    seats = await q.seats(session, event.id)
    needs = {n.role: n.count for n in event.needs}
    current = next((s for s in seats if s.person_id == person.id), None)
    if answer == RsvpStatus.YES and role is not None and current is not None:
        second = await _second_task(session, event, person, seats, needs, current, role, switch, guests, now)
        if second is not None:
            return second
    changes = decide(
        seats, needs, person.id, answer, role, now, main=main_task(event.kind, needs), guests=guests
    )
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
                guests=change.guests,
                source=source,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        else:
            row.status, row.role, row.guests, row.updated_at = change.status, change.role, change.guests, now
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


async def _second_task(
    session: AsyncSession,
    event: Event,
    person: Person,
    seats: list[Seat],
    needs: dict[str, int],
    current: Seat,
    role: str,
    switch: bool,
    guests: int | None,
    now: datetime,
) -> Answered | None:
    """Someone coming offers another task: never a lost place. None when this is not that case."""
    if current.status != RsvpStatus.YES or current.role == role:
        return None
    listed = role in needs
    full = listed and taken(seats, role, person.id) >= needs[role]
    if not full and (current.role is None or switch):
        return None  # a free task for someone without one, or the move they confirmed
    notice = "full" if full else "asked" if listed else "kept"
    row = await q.participation(session, event.id, person.id)
    source = row.source if row is not None else RsvpSource.BUTTON
    kept = await record_answer(session, event, person, RsvpStatus.YES, None, source, now, guests=guests)
    if notice == "asked":
        await _ask_which_task(session, event, person, current.role, role)
    return Answered(kept.change, kept.promoted, notice, current.role, role)


async def _ask_which_task(
    session: AsyncSession, event: Event, person: Person, held: str | None, offered: str
) -> None:
    lang = person.language
    need_id = next(n.id for n in event.needs if n.role == offered)
    held_label = render.role_label(lang, held) if held else ""
    offered_label = render.role_label(lang, offered)
    text = t(lang, "rsvp.which_task", title=event.title, held=held_label, offered=offered_label)
    rows = [
        [
            (t(lang, "rsvp.btn_keep", task=held_label), RsvpAnswer(event.id, "y").pack()),
            (t(lang, "rsvp.btn_switch", task=offered_label), RsvpSwitch(event.id, need_id).pack()),
        ]
    ]
    await outbox.enqueue(session, person.telegram_id, text_message(text, rows), person_id=person.id)


async def leave_events(session: AsyncSession, person: Person, now: datetime) -> int:
    """Erasure, /stop: the person withdraws from every upcoming event they answered; the waitlist is
    promoted at once (the promoted are told) and the posts are refreshed. Returns how many events."""
    left = 0
    for event in await q.upcoming(session, now, person_id=person.id, limit=1000):
        row = await q.participation(session, event.id, person.id)
        if row is None or event.status != EventStatus.SCHEDULED:
            continue
        await record_answer(session, event, person, RsvpStatus.NO, None, row.source, now)
        left += 1
    return left


async def _tell_promoted(session: AsyncSession, event: Event, promoted: list[Change], now: datetime) -> None:
    people = await q.people_by_ids(session, [c.person_id for c in promoted])
    for change in promoted:
        who = people[change.person_id]
        lang, when = who.language, render.when(event, who.language)
        if change.role:
            role = render.role_label(lang, change.role)
            text = t(lang, "rsvp.promoted_task", role=role, title=event.title, when=when)
        else:
            text = t(lang, "rsvp.promoted_plain", title=event.title, when=when)
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


async def refresh_posts(
    session: AsyncSession,
    now: datetime,
    min_interval: timedelta,
    settle: timedelta = timedelta(0),
    held_since: dict[int, datetime] | None = None,
) -> int:
    """Edit sent posts whose counts changed, at most once per `min_interval` each.

    Many answers within the interval collapse into one edit, which keeps groups under
    Telegram's 20 messages a minute. With `settle`, a post whose event got an answer less than
    `settle` ago waits for the crowd to settle (one exact edit rather than one already stale), but
    never more than MAX_HOLD since it was first held (`held_since`, kept by the caller).
    """
    pending = await q.dirty_posts(session, now - min_interval)
    if not pending:
        return 0
    event_ids = sorted({p.event_id for p, _ in pending})
    if settle > timedelta(0):
        recent = {
            eid for eid, at in (await q.last_answer_at(session, event_ids)).items() if at > now - settle
        }
        held = held_since if held_since is not None else {}
        ready = []
        for post, sent in pending:
            if post.event_id in recent and now - held.setdefault(post.id, now) < MAX_HOLD:
                continue  # still dirty: looked at again at the next tick
            held.pop(post.id, None)
            ready.append((post, sent))
        pending = ready
        event_ids = sorted({p.event_id for p, _ in pending})
        if not pending:
            return 0
    counts = await q.counts(session, event_ids)
    events = {eid: await q.event_by_id(session, eid) for eid in event_ids}
    # Fundraisers show what they raised: a gift recorded or corrected marks their posts dirty.
    levees = [eid for eid, e in events.items() if e is not None and e.kind == LEVEE_KIND]
    raised = await dq.raised_by_event(session, levees)
    moved = await roster_q.rescheduled(session, event_ids)  # their posts say « Date modifiée »
    edits = 0
    for post, sent in pending:
        event = events[post.event_id]
        post.dirty = False
        if event is None:
            continue
        text, rows = render.post(
            event, counts.get(event.id, {}), "fr", raised.get(event.id), event.id in moved
        )
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


# A crowd answering: the post is edited once answers pause this long, or after MAX_HOLD anyway.
SETTLE = timedelta(seconds=0.5)
MAX_HOLD = timedelta(seconds=2.5)
HELD_MEMO = "events.posts_held_since"


async def refresh_due(services: Services, now: datetime) -> int:
    """Job: keep sent posts up to date with their counts, within Telegram's edit limits."""
    interval = timedelta(seconds=services.settings.announcement_edit_interval_seconds)
    held = services.extras.setdefault(HELD_MEMO, {})
    assert isinstance(held, dict)
    async with services.transaction() as s:
        return await refresh_posts(s, now, interval, SETTLE, held)


# --- /agenda ---------------------------------------------------------------------------------------

AGENDA_LIMIT = 15


@dataclass(frozen=True)
class AgendaPage:
    view: str  # what was asked: mine | city | all
    shown: str  # what is shown: the city view of a person without a city shows all
    events: list[Event]
    counts: dict[int, dict[str, int]]
    city: str = ""  # the person's city, for the city view
    # The person's own answer to each event shown: (status, task).
    answers: dict[int, tuple[str, str | None]] = field(default_factory=dict)


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
        answers = await roster_q.answers_of(s, person.id, [e.id for e in events])
    return AgendaPage(view, shown, events, counts, person.city.name if person.city else "", answers)

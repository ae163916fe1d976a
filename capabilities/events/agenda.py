"""Event operations shared by handlers and scheduled jobs: post, answer, change, cancel, refresh posts.

Each function works inside the caller's transaction and queues the messages it causes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import paging
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
from storage import people as pq
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


class Seating:
    """An event's answers as `decide` reads them, with their rows as they are fetched.

    Several answers recorded in one transaction (a crowd pressing at once) share one: it is read once
    and kept current in memory as each answer is applied, instead of being read again for each."""

    def __init__(self, seats: list[Seat], rows: dict[int, Participation], complete: bool) -> None:
        self.seats = seats
        self._rows = rows
        self._complete = complete  # every row of the event is in _rows (a miss: no row yet)
        self.many = complete  # loaded for many answers
        self.marked = False  # the event's posts are already marked for a refresh

    @classmethod
    async def read(cls, session: AsyncSession, event_id: int) -> Seating:
        """The seats only; each row is fetched when an answer changes it (one answer)."""
        return cls(await q.seats(session, event_id), {}, complete=False)

    @classmethod
    async def load(cls, session: AsyncSession, event_id: int) -> Seating:
        """Seats and rows in one query (many answers to apply)."""
        rows = await q.participations(session, event_id, tuple(RsvpStatus))
        seats = [Seat(r.person_id, r.status, r.role, r.updated_at, r.guests) for r in rows]
        return cls(seats, {r.person_id: r for r in rows}, complete=True)

    async def row(self, session: AsyncSession, event_id: int, person_id: int) -> Participation | None:
        if person_id in self._rows or self._complete:
            return self._rows.get(person_id)
        row = await q.participation(session, event_id, person_id)
        if row is not None:
            self._rows[person_id] = row
        return row

    def apply(self, change: Change, row: Participation, now: datetime) -> None:
        """One seat changed: it moves last, as `q.seats` (ordered by last change) would read it."""
        self._rows[change.person_id] = row
        self.seats = [s for s in self.seats if s.person_id != change.person_id]
        self.seats.append(Seat(change.person_id, change.status, change.role, now, change.guests))


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
    seating: Seating | None = None,
) -> Answered:
    """Apply one person's answer; waitlist and promotions follow the event's needs.

    `guests`: the people they bring (None keeps the number given before). Someone coming who offers
    another task keeps their place: when they hold a task they are asked in private which one to
    keep (`switch` is their "take the other one"); when the task offered is full nothing changes.
    `seating`: the event's answers as left by the answers recorded before in this transaction
    (answers.record_line); None reads them here.
    """
    if seating is None:
        seating = await Seating.read(session, event.id)
    seats = seating.seats
    needs = {n.role: n.count for n in event.needs}
    current = next((s for s in seats if s.person_id == person.id), None)
    if answer == RsvpStatus.YES and role is not None and current is not None:
        second = await _second_task(
            session, event, person, seating, needs, current, role, switch, guests, now
        )
        if second is not None:
            return second
    changes = decide(
        seats, needs, person.id, answer, role, now, main=main_task(event.kind, needs), guests=guests
    )
    mine: Change | None = None
    promoted: list[Change] = []
    for change in changes:
        row = await seating.row(session, event.id, change.person_id)
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
        seating.apply(change, row, now)
        if change.promoted:
            promoted.append(change)
        else:
            mine = change
    if changes:
        if not seating.many:  # many answers: their rows are written together, at the commit
            await session.flush()
        if not seating.marked:
            await q.mark_dirty(session, event.id)
            seating.marked = True
        if promoted:
            await _tell_promoted(session, event, promoted, now)
    return Answered(mine, promoted)


async def _second_task(
    session: AsyncSession,
    event: Event,
    person: Person,
    seating: Seating,
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
    full = listed and taken(seating.seats, role, person.id) >= needs[role]
    if not full and (current.role is None or switch):
        return None  # a free task for someone without one, or the move they confirmed
    notice = "full" if full else "asked" if listed else "kept"
    row = await seating.row(session, event.id, person.id)
    source = row.source if row is not None else RsvpSource.BUTTON
    kept = await record_answer(
        session, event, person, RsvpStatus.YES, None, source, now, guests=guests, seating=seating
    )
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
    # Cleared before the counts are read, and written at once: an answer committed from here on
    # marks the post dirty again (next refresh); one committed before is in the counts read below.
    # Cleared after reading, a batch of answers committed in between would be lost to the post.
    for post, _ in pending:
        post.dirty = False
    await session.flush()
    counts = await q.counts(session, event_ids)
    events = {eid: await q.event_by_id(session, eid) for eid in event_ids}
    # Fundraisers show what they raised: a gift recorded or corrected marks their posts dirty.
    levees = [eid for eid, e in events.items() if e is not None and e.kind == LEVEE_KIND]
    raised = await dq.raised_by_event(session, levees)
    moved = await roster_q.rescheduled(session, event_ids)  # their posts say « Date modifiée »
    edits = 0
    for post, sent in pending:
        event = events[post.event_id]
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


@dataclass(frozen=True)
class AgendaPage:
    view: str  # what was asked: mine | city | all
    shown: str  # what is shown: the city view of a person without a city shows all
    events: list[Event]
    counts: dict[int, dict[str, int]]
    city: str = ""  # the city of the city view
    # The person's own answer to each event shown: (status, task).
    answers: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    window: paging.Window = field(default_factory=lambda: paging.window(0, 0))
    city_id: int = 0  # the city shown by the city view (0: the person's own)
    cities: list[tuple[int, str]] = field(default_factory=list)  # every city, for the filter buttons


async def default_view(services: Services, person: Person, now: datetime) -> str:
    """My actions when I have some, else my city's, else all."""
    async with services.db.session() as s:
        mine = await q.upcoming(s, now, person_id=person.id, limit=1)
    return "mine" if mine else "city" if person.city_id else "all"


async def agenda_page(
    services: Services, person: Person, view: str, now: datetime, page: int = 0, city_id: int = 0
) -> AgendaPage:
    """One page of the upcoming actions of one view; the city view shows `city_id` (a city that
    exists) or the person's own city, with the national actions."""
    size = AGENDA_PAGE
    async with services.db.session() as s:
        cities = [(c.id, c.name) for c in await pq.cities(s)]
        names = dict(cities)
        wanted = city_id if city_id in names else (person.city_id or 0)
        person_id = city = None
        if view == "mine":
            shown, person_id = view, person.id
        elif view == "city" and wanted:
            shown, city = view, wanted
        else:
            shown, wanted = "all", 0
        _, total = await q.upcoming_window(s, now, 0, 0, city_id=city, person_id=person_id)
        win = paging.window(total, page, size)
        events, _ = await q.upcoming_window(
            s, now, win.start, size, city_id=city, person_id=person_id, count=False
        )
        counts = await q.counts(s, [e.id for e in events])
        answers = await roster_q.answers_of(s, person.id, [e.id for e in events])
    return AgendaPage(view, shown, events, counts, names.get(wanted, ""), answers, win, wanted, cities)


AGENDA_PAGE = 8  # actions per page of /agenda: each line carries its needs, one message fits

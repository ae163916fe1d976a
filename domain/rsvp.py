"""Who is in, on the waitlist or out of an event after one answer. Pure logic.

Only a named role with a count can be full; a plain "je viens" is never waitlisted. Where the event
has a main task (the need named like its kind: a tractage's tractage), a plain "je viens" takes that
task while it has room, and comes without a task once it is full.

A person who is coming is never moved to the waitlist by asking for another task: a confirmed place
is kept (one task per person; the capability asks which one to keep before a move). Guests ("+2",
"je viens avec ma sœur") take places with their host: a place is given while one is free, and
promotions go oldest first while places remain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.roles import normalize_role
from domain.statuses import REGISTERED, RsvpStatus

ANSWERS: tuple[RsvpStatus, ...] = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO)


@dataclass(frozen=True)
class Seat:
    person_id: int
    status: str
    role: str | None
    since: datetime
    guests: int = 0


@dataclass(frozen=True)
class Change:
    person_id: int
    status: str
    role: str | None
    promoted: bool = False
    guests: int = 0


def main_task(kind: str, needs: dict[str, int]) -> str | None:
    """The need named like the event's kind (a tractage's tractage), if the event has it."""
    role = normalize_role(kind) or kind
    return role if role in needs else None


def taken(seats: list[Seat], role: str, except_person: int | None = None) -> int:
    """Places of `role` taken by the people coming and their guests."""
    return sum(
        1 + s.guests
        for s in seats
        if s.status == RsvpStatus.YES and s.role == role and s.person_id != except_person
    )


def _full(seats: list[Seat], needs: dict[str, int], role: str | None, person_id: int) -> bool:
    return role is not None and role in needs and taken(seats, role, person_id) >= needs[role]


def decide(
    seats: list[Seat],
    needs: dict[str, int],
    person_id: int,
    answer: str,
    role: str | None,
    now: datetime,
    *,
    main: str | None = None,
    guests: int | None = None,
) -> list[Change]:
    """The person's new seat, then the waitlisted people promoted by the places it frees.

    `guests` None keeps the number already given (a button press says nothing about guests)."""
    if answer not in ANSWERS:
        raise ValueError(answer)
    current = next((s for s in seats if s.person_id == person_id), None)
    coming = current is not None and current.status == RsvpStatus.YES
    held = current.role if current is not None and current.status in REGISTERED else None
    bring = guests if guests is not None else current.guests if current is not None else 0
    if answer == RsvpStatus.YES:
        if role is None:
            role = held
        if role is None and main is not None and not _full(seats, needs, main, person_id):
            role = main  # "je viens" on a tractage: toward the tractage while it has room
        full = _full(seats, needs, role, person_id)
        if full and coming and current is not None:
            role, full = current.role, False  # never trade a confirmed place for a waitlist
        waiting = current is not None and current.status == RsvpStatus.WAITLIST and current.role == role
        if full and waiting and current is not None and bring == current.guests:
            return []  # already waiting for that role
        mine = Change(person_id, RsvpStatus.WAITLIST if full else RsvpStatus.YES, role, guests=bring)
    elif answer == RsvpStatus.MAYBE:
        mine = Change(person_id, RsvpStatus.MAYBE, role, guests=bring)
    else:
        mine = Change(person_id, RsvpStatus.NO, None)
    if current is not None and (current.status, current.role, current.guests) == (
        mine.status,
        mine.role,
        mine.guests,
    ):
        return []
    after = [s for s in seats if s.person_id != person_id]
    after.append(Seat(person_id, mine.status, mine.role, now, mine.guests))
    freed = current.role if coming and current is not None else None
    promoted = promote(after, needs, freed) if freed is not None and freed in needs else []
    return [mine, *promoted]


def promote(seats: list[Seat], needs: dict[str, int], role: str) -> list[Change]:
    """Waitlisted people for `role`, oldest first, while places are free (guests come along)."""
    free = needs.get(role, 0) - taken(seats, role)
    waiting = sorted(
        (s for s in seats if s.status == RsvpStatus.WAITLIST and s.role == role), key=lambda s: s.since
    )
    out: list[Change] = []
    for s in waiting:
        if free <= 0:
            break
        out.append(Change(s.person_id, RsvpStatus.YES, role, promoted=True, guests=s.guests))
        free -= 1 + s.guests
    return out

"""Who is in, on the waitlist or out of an event after one answer. Pure logic.

Only a named role with a count can be full; a plain "je viens" is never waitlisted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.statuses import REGISTERED, RsvpStatus

ANSWERS: tuple[RsvpStatus, ...] = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO)


@dataclass(frozen=True)
class Seat:
    person_id: int
    status: str
    role: str | None
    since: datetime


@dataclass(frozen=True)
class Change:
    person_id: int
    status: str
    role: str | None
    promoted: bool = False


def taken(seats: list[Seat], role: str, except_person: int | None = None) -> int:
    return sum(
        1 for s in seats if s.status == RsvpStatus.YES and s.role == role and s.person_id != except_person
    )


def decide(
    seats: list[Seat], needs: dict[str, int], person_id: int, answer: str, role: str | None, now: datetime
) -> list[Change]:
    """The person's new seat, then the waitlisted people promoted by the place it frees."""
    if answer not in ANSWERS:
        raise ValueError(answer)
    current = next((s for s in seats if s.person_id == person_id), None)
    if answer == RsvpStatus.YES:
        if role is None and current is not None and current.status in REGISTERED:
            role = current.role
        full = role is not None and role in needs and taken(seats, role, person_id) >= needs[role]
        if full and current is not None and current.status == RsvpStatus.WAITLIST and current.role == role:
            return []  # already waiting for that role
        mine = Change(person_id, RsvpStatus.WAITLIST if full else RsvpStatus.YES, role)
    elif answer == RsvpStatus.MAYBE:
        mine = Change(person_id, RsvpStatus.MAYBE, role)
    else:
        mine = Change(person_id, RsvpStatus.NO, None)
    if current is not None and (current.status, current.role) == (mine.status, mine.role):
        return []
    changes = [mine]
    freed = current.role if current is not None and current.status == RsvpStatus.YES else None
    if freed is not None and freed in needs and not (mine.status == RsvpStatus.YES and mine.role == freed):
        after = [s for s in seats if s.person_id != person_id]
        changes += promote(after, needs, freed)
    return changes


def promote(seats: list[Seat], needs: dict[str, int], role: str) -> list[Change]:
    """Waitlisted people for `role`, oldest first, while places are free."""
    free = needs.get(role, 0) - taken(seats, role)
    waiting = sorted(
        (s for s in seats if s.status == RsvpStatus.WAITLIST and s.role == role), key=lambda s: s.since
    )
    return [Change(s.person_id, RsvpStatus.YES, role, promoted=True) for s in waiting[: max(0, free)]]

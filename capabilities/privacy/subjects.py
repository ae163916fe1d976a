"""Whose data a request is about: a Telegram profile, email addresses (donors, senders), or both."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage import people as people_q
from storage import privacy as q
from storage.models import DataRequest, Donor, Person

EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass
class Subject:
    """The person a request is about: a Telegram profile, email addresses (donors, senders), or both."""

    telegram_id: int | None
    person: Person | None
    emails: tuple[str, ...] = ()

    def label(self) -> str:
        if self.person is not None:
            handle = f"@{self.person.username}" if self.person.username else f"id {self.person.telegram_id}"
            return f"{self.person.first_name} ({handle})"
        if self.emails:
            return ", ".join(self.emails)
        return f"id {self.telegram_id}"


def names_of(person: Person) -> list[str]:
    """How the bot names the person in what it writes: first name, @handle."""
    return [person.first_name, person.username or "", f"@{person.username}" if person.username else ""]


async def subject_of_user(session: AsyncSession, telegram_id: int) -> Subject:
    return Subject(telegram_id, await people_q.person_by_telegram_id(session, telegram_id))


async def subject_of(session: AsyncSession, telegram_id: int | None, emails: tuple[str, ...]) -> Subject:
    """The subject again, from what was kept of it between two steps (its profile may be gone since)."""
    person = await people_q.person_by_telegram_id(session, telegram_id) if telegram_id is not None else None
    return Subject(telegram_id, person, emails)


async def subject_of_request(session: AsyncSession, request: DataRequest) -> Subject:
    tid = request.telegram_id
    person = await people_q.person_by_telegram_id(session, tid) if tid else None
    return Subject(tid, person, (request.email,) if request.email else ())


async def find_subject(session: AsyncSession, ident: str) -> Subject | None:
    """`@pseudo`, a Telegram id or an email address (a donor's, or an inbox sender's) → Subject."""
    ident = ident.strip()
    if EMAIL_RE.match(ident):
        email = ident.lower()
        donors = await q.donors_by_email(session, [email])
        linked = {d.person_id for d in donors if d.person_id is not None}
        person = await q.person_by_id(session, linked.pop()) if len(linked) == 1 else None
        # Even with nothing stored, the request is logged and answered ("we hold nothing").
        return Subject(person.telegram_id if person else None, person, (email,))
    person = await people_q.person_by_handle(session, ident)
    if person is None or person.telegram_id < 0:
        if ident.lstrip("-").isdigit():
            return Subject(int(ident), None)  # never onboarded: their requests and pending answers
        return None
    return Subject(person.telegram_id, person)


async def donors_of(session: AsyncSession, subject: Subject) -> list[Donor]:
    found = {d.id: d for d in await q.donors_by_email(session, subject.emails)}
    if subject.person is not None:
        found.update({d.id: d for d in await q.donors_linked(session, subject.person.id)})
    return [found[i] for i in sorted(found)]

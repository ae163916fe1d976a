"""Announcements to members (/annonce): queued in the outbox at once, reported as they go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from domain.statuses import AnnouncementStatus
from storage import announcements as q
from storage import events as eq
from storage import outbox
from storage import people as pq
from storage.models import Announcement, Person

TEXT_MAX = 3500  # leaves room for the opt-out line within Telegram's 4,096 characters
EVENTS_OFFERED = 20


async def queue(
    session: AsyncSession, author: Person | None, kind: str, value: str, text: str
) -> Announcement:
    """One Announcement and one outbox row per recipient, in a single transaction."""
    people = await q.audience(session, kind, value)
    announcement = Announcement(
        created_by=author.id if author else None,
        audience={"kind": kind, "value": value},
        text=text,
        total=len(people),
    )
    session.add(announcement)
    await session.flush()
    rendered = {
        lang: text_message(t(lang, "announcement.message", text=text))
        for lang in {p.language for p in people}
    }
    rows = [
        {
            "chat_id": person.telegram_id,
            "payload": rendered[person.language],
            "dedupe_key": f"bc:{announcement.id}:{person.id}",
            "batch": f"bc:{announcement.id}",
            "person_id": person.id,
        }
        for person in people
    ]
    await outbox.enqueue_many(session, rows)
    return announcement


def done_count(counts: dict[str, int]) -> int:
    return sum(n for status, n in counts.items() if status not in (outbox.PENDING, outbox.SENDING))


async def report_progress(session: AsyncSession, now: datetime) -> int:
    """Edit each sender's progress message, then send the final report once everything is out."""
    queued = 0
    for announcement in await q.active(session):
        counts = await q.progress(session, announcement.id)
        done = done_count(counts)
        author_lang = "fr"
        if announcement.created_by is not None:
            author = await session.get(Person, announcement.created_by)
            author_lang = author.language if author else "fr"
        shown = int(announcement.audience.get("shown", -1))
        if announcement.progress_chat_id and announcement.progress_message_id and done != shown:
            text = t(author_lang, "announcement.progress", done=done, total=announcement.total)
            payload = text_message(text)
            payload["message_id"] = announcement.progress_message_id
            await outbox.enqueue(session, announcement.progress_chat_id, payload, method="editMessageText")
            announcement.audience = {**announcement.audience, "shown": done}
            queued += 1
        if announcement.status == AnnouncementStatus.QUEUED and done:
            announcement.status = AnnouncementStatus.SENDING
        if done >= announcement.total:
            announcement.status = AnnouncementStatus.DONE
            announcement.finished_at = now
            if announcement.progress_chat_id:
                report = t(
                    author_lang,
                    "announcement.report",
                    sent=counts.get(outbox.SENT, 0),
                    unreachable=counts.get(outbox.UNREACHABLE, 0),
                    failed=counts.get(outbox.FAILED, 0) + counts.get(outbox.UNCERTAIN, 0),
                    total=announcement.total,
                )
                await outbox.enqueue(
                    session,
                    announcement.progress_chat_id,
                    text_message(report),
                    dedupe_key=f"bc:{announcement.id}:report",
                )
                queued += 1
    return queued


async def progress_due(services: Services, now: datetime) -> int:
    """Job: report the progress of announcements to members."""
    async with services.transaction() as s:
        return await report_progress(s, now)


# --- /annonce and /stop_annonces -------------------------------------------------------------------


async def cities(services: Services) -> list[tuple[int, str]]:
    """The cities an announcement may go to, as (id, name)."""
    async with services.db.session() as s:
        return [(c.id, c.name) for c in await pq.cities(s)]


async def upcoming_events(services: Services, now: datetime) -> list[tuple[int, str]]:
    """The events whose registered people an announcement may go to, as (id, title)."""
    async with services.db.session() as s:
        return [(e.id, e.title) for e in await eq.upcoming(s, now, limit=EVENTS_OFFERED)]


async def audience_size(services: Services, kind: str, value: str) -> int:
    async with services.db.session() as s:
        return len(await q.audience(s, kind, value))


@dataclass(frozen=True)
class Queued:
    announcement_id: int
    total: int
    behind: bool  # another announcement is still going out: this one follows it


async def send(services: Services, author: Person, kind: str, value: str, text: str) -> Queued:
    """Queue an announcement written with /annonce."""
    async with services.transaction() as s:
        behind = bool(await q.active(s))
        announcement = await queue(s, author, kind, value, text)
        await pq.audit(
            s,
            author,
            "broadcast.queued",
            f"announcement:{announcement.id}",
            total=announcement.total,
            audience=kind,
        )
    return Queued(announcement.id, announcement.total, behind)


async def show_progress_in(services: Services, announcement_id: int, chat_id: int, message_id: int) -> None:
    """The author's message that the progress job keeps editing."""
    async with services.transaction() as s:
        announcement = await s.get(Announcement, announcement_id)
        assert announcement is not None
        announcement.progress_chat_id, announcement.progress_message_id = chat_id, message_id


async def toggle_stop(services: Services, person_id: int) -> bool:
    """/stop_annonces: stop receiving announcements, or receive them again. True when now stopped."""
    async with services.transaction() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        person.announcements_stopped = not person.announcements_stopped
        stopped = person.announcements_stopped
        await pq.audit(
            s, person, "broadcast.opt_out" if stopped else "broadcast.opt_in", f"person:{person.id}"
        )
    return stopped

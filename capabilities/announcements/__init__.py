"""Announcements to members: queued in the outbox at once, reported as they go."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.texts import t
from storage import broadcast as q
from storage import outbox
from storage.models import Broadcast, Person

TEXT_MAX = 3500  # leaves room for the opt-out line within Telegram's 4,096 characters


async def queue(session: AsyncSession, author: Person | None, kind: str, value: str, text: str) -> Broadcast:
    """One Broadcast and one outbox row per recipient, in a single transaction."""
    people = await q.audience(session, kind, value)
    broadcast = Broadcast(created_by=author.id if author else None, audience={"kind": kind, "value": value},
                          text=text, total=len(people))
    session.add(broadcast)
    await session.flush()
    rendered = {lang: text_message(t(lang, "bc.message", text=text)) for lang in {p.language for p in people}}
    rows = [
        {"chat_id": person.telegram_id, "payload": rendered[person.language],
         "dedupe_key": f"bc:{broadcast.id}:{person.id}", "batch": f"bc:{broadcast.id}", "person_id": person.id}
        for person in people
    ]
    await outbox.enqueue_many(session, rows)
    return broadcast


def done_count(counts: dict[str, int]) -> int:
    return sum(n for status, n in counts.items() if status not in (outbox.PENDING, outbox.SENDING))


async def report_progress(session: AsyncSession, now: datetime) -> int:
    """Edit each sender's progress message, then send the final report once everything is out."""
    queued = 0
    for broadcast in await q.active(session):
        counts = await q.progress(session, broadcast.id)
        done = done_count(counts)
        author_lang = "fr"
        if broadcast.created_by is not None:
            author = await session.get(Person, broadcast.created_by)
            author_lang = author.language if author else "fr"
        shown = int(broadcast.audience.get("shown", -1))
        if broadcast.progress_chat_id and broadcast.progress_message_id and done != shown:
            payload = text_message(t(author_lang, "bc.progress", done=done, total=broadcast.total))
            payload["message_id"] = broadcast.progress_message_id
            await outbox.enqueue(session, broadcast.progress_chat_id, payload, method="editMessageText")
            broadcast.audience = {**broadcast.audience, "shown": done}
            queued += 1
        if broadcast.status == "queued" and done:
            broadcast.status = "sending"
        if done >= broadcast.total:
            broadcast.status = "done"
            broadcast.finished_at = now
            if broadcast.progress_chat_id:
                await outbox.enqueue(
                    session, broadcast.progress_chat_id,
                    text_message(t(author_lang, "bc.report", sent=counts.get(outbox.SENT, 0),
                                   unreachable=counts.get(outbox.UNREACHABLE, 0),
                                   failed=counts.get(outbox.FAILED, 0) + counts.get(outbox.UNCERTAIN, 0),
                                   total=broadcast.total)),
                    dedupe_key=f"bc:{broadcast.id}:report",
                )
                queued += 1
    return queued


async def progress_due(services: Services, now: datetime) -> int:
    """Job: report the progress of announcements to members."""
    async with services.transaction() as s:
        return await report_progress(s, now)

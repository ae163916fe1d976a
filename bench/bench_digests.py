"""Computing every digest for 50 cities, 5,000 members, 1,000 upcoming events, 10,000 emails and 20,000
donations on SQLite; then with ten times the people, to see that it grows with recipients, not worse."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.settings import Settings
from capabilities.digest import compose
from storage import digest as q
from storage.db import Database
from storage.models import (
    CampaignLedger,
    City,
    Donation,
    EmailMessage,
    Event,
    Need,
    Participation,
    Person,
    RoleGrant,
)

CITIES, MEMBERS, EVENTS, EMAILS, DONATIONS = 50, 5000, 1000, 10_000, 20_000


async def populate(db: Database, members: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    async with db.session() as s:
        existing = len(list(await s.scalars(select(City.id))))
        await s.execute(
            insert(City),
            [{"name": f"Ville {i}", "aliases": [], "created_at": now} for i in range(CITIES - existing)],
        )
        city_ids = list(await s.scalars(select(City.id)))
        names = list(await s.scalars(select(City.name)))
        await s.execute(
            insert(Person),
            [
                {
                    "telegram_id": 10_000 + i,
                    "first_name": f"P{i}",
                    "language": "fr",
                    "city_id": rng.choice(city_ids),
                    "skills": ["tractage"],
                    "consent_version": "b",
                    "consent_at": now,
                    "reachable": True,
                    "asks_paused": False,
                    "digest_hour": 8,
                    "digest_paused": False,
                    "announcements_stopped": False,
                    "created_at": now - timedelta(hours=rng.randint(1, 72)),
                    "updated_at": now,
                }
                for i in range(members)
            ],
        )
        person_ids = list(await s.scalars(select(Person.id)))
        # One candidate per city, one lead per domain, a few coordinators: about 2 % of members get a digest.
        grants = [
            {
                "person_id": person_ids[i],
                "role": "candidate",
                "scope": names[i % len(names)],
                "granted_at": now,
            }
            for i in range(0, members // 50)
        ]
        grants += [
            {"person_id": person_ids[-1 - i], "role": "coordinator", "scope": "", "granted_at": now}
            for i in range(5)
        ]
        await s.execute(insert(RoleGrant), grants)
        await s.execute(
            insert(Event),
            [
                {
                    "title": f"Action {i}",
                    "kind": "tractage",
                    "city_id": rng.choice(city_ids),
                    "starts_at": now + timedelta(hours=rng.randint(1, 24 * 30)),
                    "ends_at": now + timedelta(days=31),
                    "place": "",
                    "description": "",
                    "status": "scheduled",
                    "created_at": now,
                    "updated_at": now,
                    "revision": 0,
                    "gcal_synced_revision": -1,
                }
                for i in range(EVENTS)
            ],
        )
        event_ids = list(await s.scalars(select(Event.id)))
        await s.execute(insert(Need), [{"event_id": e, "role": "tractage", "count": 5} for e in event_ids])
        await s.execute(
            insert(Participation),
            [
                {
                    "event_id": rng.choice(event_ids),
                    "person_id": pid,
                    "status": "yes",
                    "role": "tractage",
                    "source": "button",
                    "created_at": now,
                    "updated_at": now,
                }
                for pid in rng.sample(person_ids, min(len(person_ids), 3000))
            ],
        )
        await s.execute(
            insert(EmailMessage),
            [
                {
                    "gmail_id": f"g{i}",
                    "thread_id": f"t{i}",
                    "sender": "x@y.fr",
                    "subject": f"Sujet {i}",
                    "received_at": now,
                    "excerpt": "",
                    "attachments": [],
                    "message_id_header": "",
                    "references": "",
                    "domain": rng.choice(["campaign", "finance", "secretariat"]),
                    "city": rng.choice(names),
                    "confidence": 0.9,
                    "auto_routed": True,
                    "status": rng.choice(["new", "assigned", "answered"]),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(EMAILS)
            ],
        )
        await s.execute(
            insert(CampaignLedger),
            [
                {
                    "id": f"campaign:{n}:2026",
                    "city": n,
                    "election_id": "2026",
                    "mandataire_declared": True,
                    "bank_account": "",
                }
                for n in names
            ],
        )
        await s.execute(
            insert(Donation),
            [
                {
                    "amount_cents": rng.randint(500, 50_000),
                    "method": "carte",
                    "provider": "",
                    "provider_tx_id": "",
                    "received_on": date.today(),
                    "ledger": f"campaign:{rng.choice(names)}:2026",
                    "kind": "don",
                    "status": "recorded",
                    "findings": [],
                    "reason": "",
                    "created_at": now - timedelta(hours=rng.randint(1, 48)),
                    "updated_at": now,
                }
                for _ in range(DONATIONS)
            ],
        )


async def time_compose(members: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'b.sqlite3'}")
        await db.migrate()
        await populate(db, members, random.Random(7))
        settings = Settings(_env_file=None)
        times, n = [], 0
        for _ in range(5):
            start = time.perf_counter()
            async with db.session() as s:
                recipients = await q.recipients(s, [])
                out = await compose(s, settings, datetime.now(UTC), recipients)
            times.append(time.perf_counter() - start)
            n = sum(1 for v in out.values() if v is not None)
        await db.dispose()
        return statistics.median(times), n


def run() -> dict[str, float]:
    seconds, n = asyncio.run(time_compose(MEMBERS))
    seconds_10x, n_10x = asyncio.run(time_compose(MEMBERS * 10))
    return {
        "digests_seconds": seconds,
        "digests_composed": float(n),
        "digests_seconds_10x": seconds_10x,
        "digests_composed_10x": float(n_10x),
        "digests_10x_ratio": seconds_10x / seconds,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")

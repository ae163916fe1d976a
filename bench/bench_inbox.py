"""Speed of the shared inbox: triage (emails/s) and sync (emails/s from FakeGmail into the outbox).

The sync goes through the real google-api-python-client over HTTP to the local FakeGmail, the
triage, routing and one SQLite transaction per email (row + card in the outbox), then the Gmail
labels of each email. Run with `python -m bench.bench_inbox`; prints `name: value` lines.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.bench_triage import _sample
from bot.services import Services
from bot.settings import Settings
from capabilities.inbox.common import DOMAINS
from capabilities.inbox.sync import push_labels, sync
from domain.triage import Email, Triage
from integrations.gmail import GmailClient
from sandbox.google import FakeGmail, static_credentials
from storage.db import Database
from storage.models import EmailMessage, Outbox, RoleGrant
from storage.people import create_person


def _triage_rate(rows: list[dict[str, Any]], repetitions: int = 5) -> tuple[float, float]:
    emails = [Email.from_row(row) for row in rows]
    untrained = Triage()
    trained = Triage().fit(rows[: len(rows) // 2])
    trained.memory.clear()  # remembered emails would skip the real work
    rates = []
    for model in (untrained, trained):
        best = []
        for _ in range(repetitions):
            start = time.perf_counter()
            for email in emails:
                model.predict(email)
            best.append(len(emails) / (time.perf_counter() - start))
        rates.append(statistics.median(best))
    return rates[0], rates[1]


async def _sync_rate(rows: list[dict[str, Any]], n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeGmail() as fake:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}",
            gmail_api_endpoint=fake.url,
            gmail_token_path=str(Path(tmp) / "none.json"),
            triage_model_path=str(Path(tmp) / "none.json"),
            coordinator_ids=[1],
        )
        db = Database(settings.database_url)
        await db.migrate()
        services = Services(settings=settings, db=db)
        client = GmailClient(static_credentials, api_endpoint=fake.url, backoff_base=0.001, backoff_max=0.005)
        services.extras["gmail"] = client
        now = datetime.now(UTC)
        async with db.session() as s:
            for i, scope in enumerate(["", *DOMAINS], start=1):
                person = await create_person(
                    s,
                    telegram_id=i,
                    first_name=f"P{i}",
                    username=f"p{i}",
                    language="fr",
                    city_id=None,
                    skills=[],
                    consent_version="v",
                    consent_at=now,
                )
                s.add(RoleGrant(person_id=person.id, role="lead" if scope else "coordinator", scope=scope))
        await sync(services, client, now)  # first run: empty mailbox, stores the history id
        for i in range(n):
            row = rows[i % len(rows)]
            fake.deliver(
                from_=row.get("from") or "x <x@example.org>",
                subject=f"{row.get('subject', '')} #{i}",
                body=row.get("body") or "",
                date=now - timedelta(minutes=1),
            )
        start = time.perf_counter()
        stored = await sync(services, client, now)
        sync_s = time.perf_counter() - start
        start = time.perf_counter()
        labelled = await push_labels(services, client, limit=n)
        labels_s = time.perf_counter() - start
        async with db.session() as s:
            cards = await s.scalar(select(func.count()).select_from(Outbox))
            emails = await s.scalar(select(func.count()).select_from(EmailMessage))
        await db.dispose()
        assert stored == emails == n, (stored, emails, n)
        return {
            "inbox_sync_emails_per_s": round(n / sync_s, 1),
            "inbox_sync_ms_per_email": round(1000 * sync_s / n, 2),
            "inbox_labels_per_s": round(labelled / labels_s, 1),
            "inbox_sync_cards_queued": float(cards or 0),
            "inbox_sync_emails": float(n),
        }


def run(n_emails: int = 200) -> dict[str, float]:
    rows = _sample()
    untrained, trained = _triage_rate(rows)
    result = {
        "inbox_triage_emails_per_s": round(untrained, 1),
        "inbox_triage_trained_emails_per_s": round(trained, 1),
    }
    result.update(asyncio.run(_sync_rate(rows, n_emails)))
    return result


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")

"""Benchmark of the treasurer's ledger: the law checked against a long history, and a bulk import.

Prints figures only; nothing here asserts a timing. Run: python -m bench donations
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.settings import Settings
from capabilities.donations.checking import Entry, check, law_donor
from capabilities.donations.importing import import_rows
from capabilities.donations.recording import record
from domain.donation_import import IMPORT_COLUMNS, read_csv
from storage import donations as q
from storage.db import Database

TODAY = date(2026, 11, 26)
IMPORT_ROWS = 2000
HISTORY = 500


def _csv(rows: int) -> str:
    rng = random.Random(5)
    lines = [",".join(IMPORT_COLUMNS)]
    for i in range(rows):
        day = TODAY - timedelta(days=rng.randrange(700))
        person = rng.randrange(rows // 4)
        method = rng.choice(["chèque", "virement", "carte", "espèces"])
        amount = rng.choice(["20", "50", "100", "150", "150,01", "1 000"])
        lines.append(
            f"{day:%d/%m/%Y},Nom{person},Prénom{person},{person} rue Haute,75011,Paris,FR,FR,physique,"
            f'"{amount}",{method},mouvement,don,REF-{i}'
        )
    return "\n".join(lines) + "\n"


async def _run() -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}")
        db = Database(settings.database_url)
        await db.migrate()
        try:
            rows, _ = read_csv(_csv(IMPORT_ROWS))
            start = time.perf_counter()
            async with db.session() as s:
                report = await import_rows(s, settings, rows, TODAY)
            import_s = time.perf_counter() - start
            start = time.perf_counter()
            async with db.session() as s:
                again = await import_rows(s, settings, rows, TODAY)
            reimport_s = time.perf_counter() - start

            async with db.session() as s:
                donor = await q.add_donor(
                    s,
                    first_name="A",
                    last_name="B",
                    address="1 rue",
                    postcode="1",
                    city="C",
                    country="FR",
                    nationality="FR",
                    sworn_declaration_at=datetime.now(UTC),
                )
                for i in range(HISTORY):
                    entry = Entry(100, "chèque", "don", TODAY - timedelta(days=i))
                    await record(
                        s, settings, entry, donor, findings=[], request_key=f"h{i}", actor=None, alert=False
                    )
            entry = Entry(100, "espèces", "don", TODAY)
            start = time.perf_counter()
            for _ in range(20):
                async with db.session() as s:
                    await check(s, settings, entry, law_donor(donor), donor.id, TODAY)
            check_ms = (time.perf_counter() - start) / 20 * 1000
        finally:
            await db.dispose()
    return {
        "donations_import_rows": IMPORT_ROWS,
        "donations_import_added": report.added,
        "donations_import_seconds": import_s,
        "donations_import_rows_per_second": IMPORT_ROWS / import_s,
        "donations_reimport_added": again.added,
        "donations_reimport_seconds": reimport_s,
        f"donations_check_ms_with_{HISTORY}_gifts": check_ms,
    }


def run() -> dict[str, float | int]:
    return asyncio.run(_run())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}")

"""The receipt files of expense claims: financial records (docs/legal-rules.md, rule 42).

Kept under settings.receipts_dir with a random, unguessable name; nothing serves that folder, and the
files leave only inside a treasurer's export. A purged claim's file goes with it.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from storage import expenses as q

SUFFIXES = {"photo": ".jpg", "image": ".img", "pdf": ".pdf"}


def folder(svc: Services) -> Path:
    return Path(svc.settings.receipts_dir)


def write(svc: Services, data: bytes, kind: str) -> str:
    """Store the bytes under a new random name; returns that name (relative to the folder)."""
    base = folder(svc)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_urlsafe(24) + SUFFIXES.get(kind, ".bin")
    path = base / name
    with path.open("xb") as f:  # never overwrite: a clash of 192 random bits is a bug
        f.write(data)
    path.chmod(0o600)
    return name


def read(svc: Services, name: str) -> bytes | None:
    if not name or "/" in name or name.startswith("."):
        return None
    path = folder(svc) / name
    return path.read_bytes() if path.is_file() else None


def remove(svc: Services, name: str) -> None:
    if name and "/" not in name and not name.startswith("."):
        (folder(svc) / name).unlink(missing_ok=True)


async def remove_orphans(svc: Services) -> int:
    """Delete the files no claim refers to any more (after a purge commits, or a failed store)."""
    base = folder(svc)
    if not base.is_dir():
        return 0
    async with svc.db.session() as s:
        kept = await q.receipt_files(s)
    gone = 0
    for path in base.iterdir():
        if path.is_file() and path.name not in kept:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


async def purge_claims(session: AsyncSession, cutoff: date) -> int:
    """Delete the claims dated on or before `cutoff` (past the financial retention, rule 42) in the
    caller's transaction; their files go once it commits (`remove_orphans`)."""
    found = await q.purgeable(session, cutoff)
    await q.delete_expenses(session, [e.id for e in found])
    return len(found)

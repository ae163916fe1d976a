"""Queries of the HelloAsso sync (capabilities/donations/helloasso.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Donation, Event, KeyValue, utcnow

KEY_PREFIX = "helloasso:"


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def take_lock(session: AsyncSession, name: str) -> None:
    """Serialise recorders: the upsert locks the row on PostgreSQL until commit and takes the
    database write lock on SQLite, so two syncs (or a sync and a notification) never check the
    same payment at once."""
    now = utcnow()
    stmt = _insert(session)(KeyValue).values(key=name, value={}, updated_at=now)
    await session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"updated_at": now}))


async def state(session: AsyncSession, key: str) -> dict[str, Any]:
    row = await session.get(KeyValue, key)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


async def save_state(session: AsyncSession, key: str, value: dict[str, Any]) -> None:
    now = utcnow()
    stmt = _insert(session)(KeyValue).values(key=key, value=value, updated_at=now)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value, "updated_at": now})
    )


async def donations_of_payment(session: AsyncSession, payment_id: int) -> list[Donation]:
    """Every row of one HelloAsso payment: the sync's own keys, or one a treasurer typed in /don
    ("HelloAsso 41001") or imported with that reference."""
    key = f"{KEY_PREFIX}{payment_id}"
    stmt = select(Donation).where(
        or_(
            Donation.request_key == key,
            Donation.request_key.startswith(key + ":", autoescape=True),
            (func.lower(Donation.provider) == "helloasso") & (Donation.provider_tx_id == str(payment_id)),
        )
    )
    return list(await session.scalars(stmt.order_by(Donation.id)))


async def event_by_form_slug(session: AsyncSession, slug: str) -> Event | None:
    return await session.scalar(
        select(Event).where(func.lower(Event.helloasso_form_slug) == slug.lower()).limit(1)
    )

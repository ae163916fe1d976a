"""Queries of the posts written and approved in chat (capabilities.communication.drafts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Domain, Role
from storage import inbox
from storage.models import CampaignLedger, ComPost, Person


async def create_post(session: AsyncSession, **values: Any) -> ComPost:
    post = ComPost(**values)
    session.add(post)
    await session.flush()
    return post


async def post_by_id(session: AsyncSession, post_id: int, lock: bool = False) -> ComPost | None:
    stmt = select(ComPost).where(ComPost.id == post_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def ledger_election_days(session: AsyncSession) -> list[date]:
    """The first rounds the campaign ledgers know (one per city list and election)."""
    days = await session.scalars(
        select(CampaignLedger.election_day).where(CampaignLedger.election_day.is_not(None)).distinct()
    )
    return [d for d in days if d is not None]


async def ledger_cities(session: AsyncSession) -> list[str]:
    """The cities of the campaign ledgers (one city list each), sorted."""
    return sorted(set(await session.scalars(select(CampaignLedger.city))))


async def member_first_names(session: AsyncSession) -> list[str]:
    """Every member's name as stored (the profile keeps one name field: `first_name`)."""
    return list(await session.scalars(select(Person.first_name)))


def is_communication_team(person: Person, env_coordinator_ids: Sequence[int]) -> bool:
    """A coordinator (granted, or named in the settings) or a lead of the communication domain."""
    if person.telegram_id in env_coordinator_ids:
        return True
    return any(
        g.role == Role.COORDINATOR or (g.role == Role.LEAD and g.scope == Domain.COMMUNICATION)
        for g in person.grants
    )


async def communication_team(session: AsyncSession, env_coordinator_ids: Sequence[int]) -> list[Person]:
    """The communication leads and the coordinators, each once, in id order."""
    people = {p.id: p for p in await inbox.leads_of(session, Domain.COMMUNICATION)}
    for p in await inbox.coordinators(session, env_coordinator_ids):
        people.setdefault(p.id, p)
    return [people[i] for i in sorted(people)]

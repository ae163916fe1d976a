"""People's use cases on a real database: registration, invitations, roles, cities, profile edits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.services import Services
from bot.settings import Settings
from capabilities.people import Refused, cities, onboarding, profile, roles
from capabilities.people.actors import identify
from domain.people import Grant, Role
from sandbox.bot_harness import COORDINATOR_ID, TOKEN
from storage.models import AuditLog, Chat, Outbox, Person


@pytest.fixture
def svc(db: Any, db_target: Any) -> Services:
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=db_target.url,
        database_schema=db_target.schema,
        coordinator_ids=[COORDINATOR_ID],
    )
    return Services(settings=settings, db=db, bot_username="coordo_bot")


async def register(svc: Services, telegram_id: int, name: str, username: str | None = None) -> Person:
    await onboarding.register(
        svc,
        telegram_id=telegram_id,
        username=username,
        language="fr",
        first_name=name,
        city_id=None,
        skills=[],
    )
    person, _ = await identify(svc, telegram_id)
    assert person is not None
    return person


async def count(svc: Services, model: Any, *where: Any) -> int:
    async with svc.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_grant_label() -> None:
    assert roles.grant_label("fr", Grant(Role.CANDIDATE, "Lyon")) == "candidature Lyon"
    assert roles.grant_label("fr", Grant(Role.LEAD, "communication")) == "responsable communication"
    assert roles.grant_label("en", Grant(Role.TREASURER)) == "treasury"


async def test_register_is_audited_and_makes_a_volunteer(svc: Services) -> None:
    assert await identify(svc, 42) == (None, frozenset())
    lea = await register(svc, 42, "Léa")
    assert (await identify(svc, 42))[1] == {Role.VOLUNTEER}
    assert (
        await count(
            svc, AuditLog, AuditLog.action == "person.onboarded", AuditLog.subject == f"person:{lea.id}"
        )
        == 1
    )
    coordinator = await register(svc, COORDINATOR_ID, "Camille")
    assert (await identify(svc, coordinator.telegram_id))[1] == {Role.VOLUNTEER, Role.COORDINATOR}


async def test_a_role_given_twice_is_given_once_and_the_person_is_told(svc: Services) -> None:
    coord = await register(svc, COORDINATOR_ID, "Camille")
    await register(svc, 43, "Nora", username="nora")
    assert await roles.change_role(svc, coord, "@nobody", ["trésorier"], give=True) == Refused(
        "role.person_unknown", {"who": "@nobody"}
    )
    refused = await roles.change_role(svc, coord, "@nora", ["président"], give=True)
    assert (
        isinstance(refused, Refused)
        and refused.key == "role.spec_unknown"
        and "Lyon" in refused.values["cities"]
    )

    given = await roles.change_role(svc, coord, "@nora", ["trésorière"], give=True)
    assert not isinstance(given, Refused)
    assert (given.changed, given.name, given.telegram_id) == (True, "Nora", 43)
    assert given.roles == {Role.VOLUNTEER, Role.TREASURER}
    again = await roles.change_role(svc, coord, "43", ["trésorier"], give=True)
    assert not isinstance(again, Refused) and not again.changed
    assert await count(svc, Outbox, Outbox.chat_id == 43) == 1
    assert await count(svc, AuditLog, AuditLog.action == "role.granted") == 1

    taken = await roles.change_role(svc, coord, "@nora", ["trésorier"], give=False)
    assert not isinstance(taken, Refused) and taken.changed and taken.roles == {Role.VOLUNTEER}
    async with svc.db.session() as s:
        texts = [o.payload["text"] for o in await s.scalars(select(Outbox).where(Outbox.chat_id == 43))]
    assert texts == [
        "Vous avez maintenant le rôle trésorerie. Tapez /aide pour voir vos nouvelles commandes.",
        "Vous n'avez plus le rôle trésorerie.",
    ]
    nothing = await roles.change_role(svc, coord, "@nora", ["trésorier"], give=False)
    assert not isinstance(nothing, Refused) and not nothing.changed


async def test_an_invitation_serves_once(svc: Services) -> None:
    coord = await register(svc, COORDINATOR_ID, "Camille")
    made = await roles.invite(svc, coord, ["candidat", "lyon"])
    assert not isinstance(made, Refused)
    assert made.grant == Grant(Role.CANDIDATE, "Lyon") and made.hours == svc.settings.invite_ttl_hours
    assert made.link.startswith("https://t.me/coordo_bot?start=inv_")
    payload = made.link.rsplit("=", 1)[1]
    assert len(payload) <= 64
    lea = await register(svc, 44, "Léa")
    assert await onboarding.accept_invite(svc, lea.id, payload) == Grant(Role.CANDIDATE, "Lyon")
    assert (await identify(svc, 44))[1] == {Role.VOLUNTEER, Role.CANDIDATE}
    tom = await register(svc, 45, "Tom")
    assert await onboarding.accept_invite(svc, tom.id, payload) == Refused("invite.used")
    assert await onboarding.accept_invite(svc, tom.id, "inv_nope") == Refused("invite.invalid")
    assert await roles.invite(svc, coord, ["candidat", "Atlantis"]) == Refused(
        "role.spec_city", {"cities": ", ".join(await cities.names(svc))}
    )


async def test_cities_and_groups(svc: Services) -> None:
    coord = await register(svc, COORDINATOR_ID, "Camille")
    assert await cities.create(svc, coord, "Bordeaux")
    assert not await cities.create(svc, coord, "bordeaux")
    assert "Bordeaux" in await cities.names(svc)
    assert await cities.link_group(svc, coord, -100, "supergroup", "Militants", "") == Refused(
        "group.usage", {"cities": ", ".join(await cities.names(svc))}
    )
    unknown = await cities.link_group(svc, coord, -100, "supergroup", "Militants", "Atlantis")
    assert isinstance(unknown, Refused) and unknown.key == "group.unknown_city"
    assert await cities.link_group(svc, coord, -100, "supergroup", "Militants", "lyon") == "Lyon"
    assert ("Lyon", 1) in await cities.with_groups(svc)
    await cities.group_migrated(svc, -100, -1001)
    assert ("Lyon", 1) in await cities.with_groups(svc)
    await cities.group_membership(svc, -1001, "supergroup", "Militants", joined=False)
    assert ("Lyon", 0) in await cities.with_groups(svc)
    await cities.group_membership(svc, -200, "group", "Autre", joined=True)
    assert await count(svc, Chat, Chat.id == -200, Chat.active.is_(True)) == 1


async def test_profile_edits_are_audited(svc: Services) -> None:
    lea = await register(svc, 46, "Léa")
    await profile.rename(svc, lea.id, "Léna")
    await profile.set_skills(svc, lea.id, ["photo"])
    await profile.switch_language(svc, lea)
    await cities.set_reachable(svc, 46, False)
    person, _ = await identify(svc, 46)
    assert person is not None
    assert (person.first_name, person.skills, person.language, person.reachable) == (
        "Léna",
        ["photo"],
        "en",
        False,
    )
    assert await count(svc, AuditLog, AuditLog.action == "person.profile_edited") == 3

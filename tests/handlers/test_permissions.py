"""Every privileged command and button, run as every role: refused ones change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from bot.commands import COMMANDS
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import AuditLog, Chat, City, Invite, Outbox, Person, RoleGrant

# A valid call of each command, so that "allowed" means it really did something.
CALLS = {
    "profil": "/profil",
    "inviter": "/inviter trésorier",
    "role": "/role @target trésorier",
    "retirer_role": "/retirer_role @target candidat Lyon",
    "villes": "/villes",
    "nouvelle_ville": "/nouvelle_ville Bordeaux",
    "lier_ville": "/lier_ville Lyon",
}
ROLES = {
    "stranger": None,
    "volunteer": None,
    "treasurer": "trésorier",
    "candidate": "candidat Lyon",
    "lead": "responsable presse",
    "coordinator": "coordinateur",
}
PRIVILEGED = [c for c in COMMANDS if c.access not in ("anyone",)]


async def snapshot(bot) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    async with bot.services.db.session() as s:
        return tuple(
            [int(await s.scalar(select(func.count()).select_from(m)) or 0)
             for m in (AuditLog, Chat, City, Invite, RoleGrant, Outbox)]
        )


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_privileged_command_as_every_role(bot, role: str) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    target = bot.user(300, "Cible", username="target")
    await bot.onboard(target)
    await bot.reply(coord, "/role @target candidat Lyon")
    await target.next_message()

    actor = bot.user(301, "Acteur", username="actor")
    if role != "stranger":
        await bot.onboard(actor)
    if ROLES[role]:
        await bot.reply(coord, f"/role @actor {ROLES[role]}")
        await actor.next_message()
    group = bot.sb.group(-1002, "Groupe test")
    group.add_member(actor)
    await bot.outbox_idle()

    for spec in PRIVILEGED:
        allowed = spec.allows(
            frozenset() if role == "stranger" else _roles(role), onboarded=role != "stranger"
        )
        before = await snapshot(bot)
        text = CALLS[spec.name]
        if spec.where == "group":
            actor.send(text, chat=group)
            reply = await group.next_message()
        else:
            reply = await bot.reply(actor, text)
        if allowed:
            assert "réservée" not in reply.plain and "présentez-vous" not in reply.plain, (spec.name, role)
        else:
            expected = "présentez-vous d'abord" if role == "stranger" else "réservée"
            assert expected in reply.plain, (spec.name, role, reply.plain)
            assert await snapshot(bot) == before, (spec.name, role)
        # Reset what an allowed call changed that the next one depends on.
        if allowed and spec.name == "profil":
            await bot.reply(actor, "/cancel")


def _roles(role: str):  # type: ignore[no-untyped-def]
    from domain.people import Role

    extra = {"treasurer": Role.TREASURER, "candidate": Role.CANDIDATE, "lead": Role.LEAD,
             "coordinator": Role.COORDINATOR}
    return frozenset({Role.VOLUNTEER, *([extra[role]] if role in extra else [])})


async def test_profile_buttons_are_checked_on_the_server(bot) -> None:  # type: ignore[no-untyped-def]
    """A button is not a permission: once the person is gone, an old profile button changes nothing."""
    lea = bot.user(310, "Léa")
    await bot.onboard(lea)
    menu = await bot.reply(lea, "/profil")
    async with bot.services.db.session() as s:
        await s.execute(delete(RoleGrant))
        await s.execute(delete(AuditLog))
        await s.execute(delete(Person))
    lea.press(menu, text="Ville")
    await bot.sb.wait_for(lambda: lea.last_answer is not None and lea.last_answer.text, 5)
    assert "présentez-vous" in lea.last_answer.text
    assert await bot.person(310) is None

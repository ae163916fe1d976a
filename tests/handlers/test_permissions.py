"""Every privileged command and button, run as every role: refused ones change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select

from bot.commands import COMMANDS
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import AuditLog, Chat, City, Invite, Outbox, Person, RoleGrant

# A valid call of each command, so that "allowed" means it really did something.
CALLS = {
    "profil": "/profil",
    "agenda": "/agenda",
    "agenda_ics": "/agenda_ics",
    "evenement": "/evenement",
    "mes_evenements": "/mes_evenements",
    "besoins": "/besoins",
    "pause": "/pause",
    "reprendre": "/reprendre",
    "digest": "/digest",
    "digest_heure": "/digest_heure 9",
    "digest_pause": "/digest_pause",
    "annonce": "/annonce",
    "stop_annonces": "/stop_annonces",
    "courriels": "/courriels",
    "absent": "/absent",
    "modeles": "/modeles",
    "routage": "/routage",
    "don": "/don",
    "dons": "/dons",
    "adherents": "/adherents",
    "bilan": "/bilan",
    "export": "/export",
    "donnees_personne": "/donnees_personne @target",
    "purge": "/purge",
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


async def snapshot(bot: Any) -> tuple[int, ...]:
    async with bot.services.db.session() as s:
        return tuple(
            [
                int(await s.scalar(select(func.count()).select_from(m)) or 0)
                for m in (AuditLog, Chat, City, Invite, RoleGrant, Outbox)
            ]
        )


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_privileged_command_as_every_role(bot: Any, role: str) -> None:
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
        chat = group if spec.where == "group" else actor
        seen = len(chat.messages)
        actor.send(text, chat=group if spec.where == "group" else None)
        replies = await settle(bot, chat, seen)
        assert replies, (spec.name, role)
        words = " ".join(m.plain or "" for m in replies)
        if allowed:
            assert "réservée" not in words and "présentez-vous" not in words, (spec.name, role, words)
        else:
            expected = "présentez-vous d'abord" if role == "stranger" else "réservée"
            assert expected in words, (spec.name, role, words)
            assert await snapshot(bot) == before, (spec.name, role)
        if allowed and spec.where != "group":
            # Leave any conversation the command opened, so the next command starts clean.
            seen = len(actor.messages)
            actor.send("/cancel")
            await settle(bot, actor, seen)


async def settle(bot: Any, chat: Any, seen: int, quiet: float = 0.4, timeout: float = 10.0) -> list[Any]:
    """The bot's messages in `chat` after index `seen`, once it has been quiet for `quiet` seconds."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    count, still = len(chat.messages), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if len(chat.messages) != count:
            count, still = len(chat.messages), time.monotonic()
        elif count > seen and time.monotonic() - still >= quiet:
            break
    return list(chat.messages[seen:])


def _roles(role: str) -> frozenset[Any]:
    from domain.people import Role

    extra = {
        "treasurer": Role.TREASURER,
        "candidate": Role.CANDIDATE,
        "lead": Role.LEAD,
        "coordinator": Role.COORDINATOR,
    }
    return frozenset({Role.VOLUNTEER, *([extra[role]] if role in extra else [])})


async def test_profile_buttons_are_checked_on_the_server(bot: Any) -> None:
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

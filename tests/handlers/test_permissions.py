"""Every privileged command, run as every role, against a table of who may run it written by hand.

The expected access is NOT read from bot/commands.py (that would check the registry against
itself): it is copied from the README's "What people can do" table. A change of the registry that
lets the wrong people in (or keeps the right people out) makes this test fail; a command added to
the registry without a row here fails too. Every refused call leaves the data and the target person
unchanged.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import Table, delete, select

from bot.commands import COMMANDS
from handlers.common import RATE_LIMIT
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import (
    Announcement,
    AuditLog,
    Chat,
    City,
    ComPost,
    ComRequest,
    DataRequest,
    Donation,
    Donor,
    EmailMessage,
    Event,
    Invite,
    Membership,
    Need,
    Outbox,
    Participation,
    Person,
    RoleGrant,
    RoutingRule,
    SavedReply,
)

ROLES = ("stranger", "volunteer", "collector", "treasurer", "candidate", "lead", "coordinator")
# How each role is granted (/role @actor <label>); the stranger never ran /start.
GRANTS = {
    "collector": "collecteur",
    "treasurer": "trésorier",
    "candidate": "candidat Lyon",
    "lead": "responsable presse",
    "coordinator": "coordinateur",
}

# Who may run what, by hand from the README ("What people can do"): Y allowed, . refused.
# "everyone" there means everyone who introduced themselves: a stranger is sent to /start.
# Organisers are coordinators, candidates and domain leads; the inbox is for leads and coordinators;
# money: treasurers; coordinators also record a gift and see the totals (/adherents, /bilan) but not
# the donors' list nor its export or purge; collectors only record a gift (/don).
ACCESS = """
command           stranger volunteer collector treasurer candidate lead coordinator
profil            .        Y         Y         Y         Y         Y    Y
agenda            .        Y         Y         Y         Y         Y    Y
agenda_ics        .        Y         Y         Y         Y         Y    Y
pause             .        Y         Y         Y         Y         Y    Y
reprendre         .        Y         Y         Y         Y         Y    Y
stop_annonces     .        Y         Y         Y         Y         Y    Y
evenement         .        .         .         .         Y         Y    Y
mes_evenements    .        .         .         .         Y         Y    Y
besoins           .        .         .         .         Y         Y    Y
digest            .        .         .         .         Y         Y    Y
digest_heure      .        .         .         .         Y         Y    Y
digest_pause      .        .         .         .         Y         Y    Y
courriels         .        .         .         .         .         Y    Y
absent            .        .         .         .         .         Y    Y
modeles           .        .         .         .         .         Y    Y
com               .        Y         Y         Y         Y         Y    Y
demandes_com      .        .         .         .         .         Y    Y
brouillon         .        .         .         .         Y         Y    Y
calendrier_com    .        .         .         .         .         Y    Y
don               .        .         Y         Y         .         .    Y
dons              .        .         .         Y         .         .    .
adherents         .        .         .         Y         .         .    Y
bilan             .        .         .         Y         .         .    Y
export            .        .         .         Y         .         .    .
purge             .        .         .         Y         .         .    .
frais             .        Y         Y         Y         Y         Y    Y
export_frais      .        .         .         Y         .         .    .
annonce           .        .         .         .         .         .    Y
routage           .        .         .         .         .         .    Y
donnees_personne  .        .         .         .         .         .    Y
inviter           .        .         .         .         .         .    Y
role              .        .         .         .         .         .    Y
retirer_role      .        .         .         .         .         .    Y
villes            .        .         .         .         .         .    Y
nouvelle_ville    .        .         .         .         .         .    Y
lier_ville        .        .         .         .         .         .    Y
"""


def _access_table() -> dict[str, dict[str, bool]]:
    lines = [line.split() for line in ACCESS.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert tuple(header) == ROLES
    return {row[0]: {role: mark == "Y" for role, mark in zip(header, row[1:], strict=True)} for row in rows}


EXPECTED = _access_table()
# Commands run in a group rather than in private.
IN_GROUP = {"lier_ville"}
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
    "com": "/com",
    "demandes_com": "/demandes_com",
    "brouillon": "/brouillon",
    "calendrier_com": "/calendrier_com",
    "routage": "/routage",
    "don": "/don",
    "dons": "/dons",
    "adherents": "/adherents",
    "bilan": "/bilan",
    "export": "/export",
    "donnees_personne": "/donnees_personne @target",
    "purge": "/purge",
    "frais": "/frais",
    "export_frais": "/export_frais",
    "inviter": "/inviter trésorier",
    "role": "/role @target trésorier",
    "retirer_role": "/retirer_role @target candidat Lyon",
    "villes": "/villes",
    "nouvelle_ville": "/nouvelle_ville Bordeaux",
    "lier_ville": "/lier_ville Lyon",
}
# What a privileged command could change: every row of these tables is compared before and after
# a refused call (the actor's own person row aside, whose bookkeeping may move).
WATCHED = (
    Person,
    RoleGrant,
    Invite,
    City,
    Chat,
    AuditLog,
    Outbox,
    Event,
    Need,
    Participation,
    Announcement,
    EmailMessage,
    RoutingRule,
    SavedReply,
    Donor,
    Donation,
    Membership,
    DataRequest,
    ComRequest,
    ComPost,
)
TARGET_ID, ACTOR_ID = 300, 301


def test_the_table_covers_every_command_that_is_not_for_anyone() -> None:
    """A new command needs its row here, written by hand (not read from the registry)."""
    restricted = {c.name for c in COMMANDS if c.access != "anyone"}
    assert restricted == set(EXPECTED) == set(CALLS)


async def snapshot(bot: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the watched tables, column by column, the actor's own person row aside."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.services.db.session() as s:
        for model in WATCHED:
            table = model.__table__
            assert isinstance(table, Table)
            stmt = select(table).order_by(*table.primary_key.columns)
            if model is Person:
                stmt = stmt.where(table.c.telegram_id != ACTOR_ID)
            out[table.name] = [tuple(row) for row in (await s.execute(stmt)).all()]
    return out


@pytest.mark.parametrize("role", ROLES)
async def test_every_privileged_command_as_every_role(bot: Any, role: str) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    target = bot.user(TARGET_ID, "Cible", username="target")
    await bot.onboard(target)
    await bot.reply(coord, "/role @target candidat Lyon")
    await target.next_message()

    actor = bot.user(ACTOR_ID, "Acteur", username="actor")
    if role != "stranger":
        await bot.onboard(actor)
    if role in GRANTS:
        await bot.reply(coord, f"/role @actor {GRANTS[role]}")
        await actor.next_message()
    group = bot.sb.group(-1002, "Groupe test")
    group.add_member(actor)
    await bot.outbox_idle()

    for name, text in CALLS.items():
        allowed = EXPECTED[name][role]
        # One actor runs every command (and /cancel) in a row: more than the per-person burst
        # (handlers.common RATE_LIMIT). Access is tested here, not the rate limit: start each fresh.
        bot.services.extras.pop(RATE_LIMIT, None)
        await bot.outbox_idle()
        before, target_seen = await snapshot(bot), len(target.messages)
        chat = group if name in IN_GROUP else actor
        seen = len(chat.messages)
        actor.send(text, chat=group if name in IN_GROUP else None)
        replies = await settle(bot, chat, seen)
        assert replies, (name, role)
        words = " ".join(m.plain or "" for m in replies)
        if allowed:
            assert "réservée" not in words and "présentez-vous" not in words, (name, role, words)
        else:
            expected = "présentez-vous d'abord" if role == "stranger" else "réservée"
            assert expected in words, (name, role, words)
            await bot.outbox_idle()
            after = await snapshot(bot)
            changed = [table for table in before if before[table] != after[table]]
            assert not changed, (name, role, changed)
            assert len(target.messages) == target_seen, (name, role)
        if allowed and name not in IN_GROUP:
            # Leave any conversation the command opened, so the next command starts clean.
            seen = len(actor.messages)
            actor.send("/cancel")
            await settle(bot, actor, seen)


async def settle(bot: Any, chat: Any, seen: int, quiet: float = 0.4, timeout: float = 10.0) -> list[Any]:
    """The bot's messages in `chat` after index `seen`, once it has been quiet for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    count, still = len(chat.messages), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if len(chat.messages) != count:
            count, still = len(chat.messages), time.monotonic()
        elif count > seen and time.monotonic() - still >= quiet:
            break
    return list(chat.messages[seen:])


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

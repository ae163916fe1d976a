"""Coordinators give roles (invite links and commands) and attach groups to cities."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Chat, Invite, Person, RoleGrant


def invite_payload(text: str) -> str:
    match = re.search(r"start=(inv_[A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


async def test_invite_link_grants_the_role_once(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    link = await bot.reply(coord, "/inviter trésorière")
    assert "t.me/coordo_bot?start=inv_" in link.plain
    payload = invite_payload(link.plain)
    assert len(payload) <= 64

    newcomer = bot.user(201, "Nora")
    await bot.onboard(newcomer, start=f"/start {payload}")
    granted = await newcomer.next_message()
    assert "trésorerie" in granted.plain
    person = await bot.person(201)
    assert [(g.role, g.scope) for g in person.grants] == [("treasurer", "")]
    names = [c["command"] for c in bot.sb.commands_for(newcomer)]
    assert "profil" in names

    # Single use: a second person gets a clear refusal and no role.
    other = bot.user(202, "Omar")
    await bot.onboard(other, start=f"/start {payload}")
    refused = await other.next_message()
    assert "déjà servi" in refused.plain
    assert (await bot.person(202)).grants == []


async def test_expired_or_unknown_invite(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    link = await bot.reply(coord, "/inviter candidat Lyon")
    payload = invite_payload(link.plain)
    async with bot.services.db.session() as s:
        await s.execute(update(Invite).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    lea = bot.user(203, "Léa")
    await bot.onboard(lea)
    expired = await bot.reply(lea, f"/start {payload}")
    assert "expiré" in expired.plain
    unknown = await bot.reply(lea, "/start inv_doesnotexist")
    assert "pas valable" in unknown.plain
    assert await bot.count(RoleGrant) == 0


async def test_invite_usage_and_bad_role(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    assert "Précisez le rôle" in (await bot.reply(coord, "/inviter")).plain
    assert "Rôle inconnu" in (await bot.reply(coord, "/inviter président")).plain
    assert "Précisez la ville" in (await bot.reply(coord, "/inviter candidat Atlantis")).plain
    assert await bot.count(Invite) == 0


async def test_role_command_grants_notifies_and_revokes(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    lea = bot.user(204, "Léa", username="lea_lyon")
    await bot.onboard(lea)

    ok = await bot.reply(coord, "/role @lea_lyon candidate lyon")
    assert "Léa a maintenant le rôle candidature Lyon" in ok.plain
    told = await lea.next_message()
    assert "Vous avez maintenant le rôle candidature Lyon" in told.plain
    again = await bot.reply(coord, "/role @lea_lyon candidat Lyon")
    assert "déjà" in again.plain

    await bot.reply(coord, "/role 204 responsable presse")
    await lea.next_message()
    person = await bot.person(204)
    assert sorted((g.role, g.scope) for g in person.grants) == [
        ("candidate", "Lyon"),
        ("lead", "communication"),
    ]

    gone = await bot.reply(coord, "/retirer_role @lea_lyon candidat Lyon")
    assert "n'a plus le rôle" in gone.plain
    assert "Vous n'avez plus le rôle" in (await lea.next_message()).plain
    person = await bot.person(204)
    assert [(g.role, g.scope) for g in person.grants] == [("lead", "communication")]

    unknown = await bot.reply(coord, "/role @nobody trésorier")
    assert "Je ne connais personne" in unknown.plain
    assert "Utilisation" in (await bot.reply(coord, "/role @lea_lyon")).plain


async def test_coordinator_menu_lists_admin_commands_and_help_matches(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    menu = [c["command"] for c in bot.sb.commands_for(coord)]
    assert {"inviter", "role", "retirer_role", "villes", "nouvelle_ville"} <= set(menu)
    help_ = await bot.reply(coord, "/aide")
    for name in menu:
        assert f"/{name}" in help_.plain

    volunteer = bot.user(205, "Paul")
    await bot.onboard(volunteer)
    help_v = await bot.reply(volunteer, "/aide")
    assert "/profil" in help_v.plain and "/inviter" not in help_v.plain and "/role" not in help_v.plain

    stranger = bot.user(206, "Inès")
    help_s = await bot.reply(stranger, "/aide")
    assert "/start" in help_s.plain and "/profil" not in help_s.plain


async def test_default_menus_in_french_and_english(bot: Any) -> None:
    fr = bot.sb.commands({"type": "all_private_chats"}, "")
    en = bot.sb.commands({"type": "all_private_chats"}, "en")
    assert [c["command"] for c in fr] == [c["command"] for c in en]
    assert "start" in [c["command"] for c in fr]
    assert fr[0]["description"] != en[0]["description"]


async def test_cities_and_group_link(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    added = await bot.reply(coord, "/nouvelle_ville Bordeaux")
    assert "Bordeaux est ajoutée" in added.plain
    assert "existe déjà" in (await bot.reply(coord, "/nouvelle_ville bordeaux")).plain

    group = bot.sb.group(-1001, "Militants Lyon")
    group.add_member(coord)
    coord.send("/lier_ville lyon", chat=group)
    linked = await group.next_message()
    assert "rattaché à Lyon" in linked.plain
    async with bot.services.db.session() as s:
        chat = await s.scalar(select(Chat).where(Chat.id == -1001))
    assert chat is not None and chat.city is not None and chat.city.name == "Lyon"

    coord.send("/lier_ville Atlantis", chat=group)
    assert "Je ne connais pas la ville" in (await group.next_message()).plain
    cities = await bot.reply(coord, "/villes")
    assert "Lyon — 1 groupe" in cities.plain

    # /lier_ville in private is pointed to the group.
    assert "dans le groupe" in (await bot.reply(coord, "/lier_ville Lyon")).plain


async def test_role_by_handle_reaches_whoever_holds_the_handle_now(bot: Any) -> None:
    """Usernames are refreshed on every update: a handle given up and taken by someone else points
    to its new holder, and a handle two stored rows share is refused, never guessed."""
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    lea = bot.user(204, "Léa", username="lea_lyon")
    await bot.onboard(lea)
    paul = bot.user(205, "Paul", username="paul_l")
    await bot.onboard(paul)
    # Léa renames her account; Paul takes her old handle. Each writes to the bot once.
    lea.username = "lea_new"
    await bot.reply(lea, "/aide")
    paul.username = "lea_lyon"
    await bot.reply(paul, "/aide")
    ok = await bot.reply(coord, "/role @lea_lyon trésorier")
    assert "Paul a maintenant le rôle" in ok.plain
    assert [g.role for g in (await bot.person(205)).grants] == ["treasurer"]
    assert (await bot.person(204)).grants == []
    assert "Léa a maintenant" in (await bot.reply(coord, "/role @lea_new candidat Lyon")).plain
    await bot.outbox_idle()
    # A handle stored twice (rows from before this rule): refused with a way out.
    async with bot.services.transaction() as s:
        await s.execute(update(Person).where(Person.telegram_id == 204).values(username="lea_lyon"))
    refused = await bot.reply(coord, "/retirer_role @lea_lyon trésorier")
    assert "Plusieurs personnes" in refused.plain and "identifiant" in refused.plain
    assert [g.role for g in (await bot.person(205)).grants] == ["treasurer"]

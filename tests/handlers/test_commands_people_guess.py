"""Commands people guess (issue 13, item 5), through the sandbox as people meet them: /annuler and the
word "annuler" during a form, refusals that say whom to ask, private-only commands in a group,
/role by first name, a grouped /aide, the consent text's commands, /digest_heure as typed, and
/stop telling the way back (docs/french-style.md)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.commands import BY_NAME, COMMANDS
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Person, RoleGrant

ALIASES = {name for spec in COMMANDS for name in spec.names}


def words(message: Any) -> str:
    """What the person reads, with no-break spaces read as spaces (the typography is tested apart)."""
    return str(message.plain).replace("\u00a0", " ").replace("\u202f", " ")


def commands_in(text: str) -> set[str]:
    return set(re.findall(r"/([a-z_]+)", text))


async def _coordinator(bot: Any) -> Any:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    return coord


async def _roles(bot: Any, telegram_id: int) -> set[str]:
    async with bot.services.db.session() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
        assert person is not None
        grants = await s.scalars(select(RoleGrant).where(RoleGrant.person_id == person.id))
        return {g.role for g in grants}


# --- /annuler, /cancel and the word "annuler" --------------------------------------------------------


async def test_the_word_annuler_cancels_a_form_instead_of_being_taken_as_an_answer(bot: Any) -> None:
    lea = bot.user(501, "Léa")
    await bot.reply(lea, "/start")
    cancelled = await bot.reply(lea, "annuler")  # at the first-name step: not a name
    assert "C'est annulé" in words(cancelled)
    # The form is closed: a later message is not an answer to it, and nothing was stored.
    after = await bot.reply(lea, "Léa")
    assert "Dans quelle ville" not in words(after)
    assert await bot.person(501) is None


async def test_annuler_and_cancel_both_cancel_a_form_and_say_so_outside_one(bot: Any) -> None:
    coord = await _coordinator(bot)
    for typed in ("/annuler", "/cancel", "Annuler !"):
        await bot.reply(coord, "/annonce")
        assert "C'est annulé" in words(await bot.reply(coord, typed)), typed
    # Outside any form: "nothing to cancel", for the command and for the word.
    assert "rien à annuler" in words(await bot.reply(coord, "/annuler"))
    assert "rien à annuler" in words(await bot.reply(coord, "annuler"))


# --- Refusals: why, what to do, whom to ask ----------------------------------------------------------


async def test_a_refusal_names_a_real_coordinator_to_ask_for_the_role(bot: Any) -> None:
    await _coordinator(bot)
    lea = bot.user(502, "Léa")
    await bot.onboard(lea)
    refused = words(await bot.reply(lea, "/dons"))
    assert (
        refused == "Cette commande est réservée à la trésorerie : demandez à Camille de vous donner ce rôle."
    )
    several = words(await bot.reply(lea, "/don"))
    assert several == (
        "Cette commande est réservée à la coordination, à la trésorerie ou aux personnes chargées de la "
        "collecte : demandez à Camille de vous donner l'un de ces rôles."
    )


async def test_a_coordinator_refused_is_told_to_use_role_and_nobody_to_ask_says_the_coordination(
    bot: Any,
) -> None:
    lea = bot.user(503, "Léa")
    await bot.onboard(lea)
    # No coordinator has introduced themselves yet: no made-up name.
    alone = words(await bot.reply(lea, "/dons"))
    assert "demandez à la coordination du mouvement de vous donner ce rôle" in alone
    coord = await _coordinator(bot)
    own = words(await bot.reply(coord, "/dons"))
    assert own.startswith("Cette commande est réservée à la trésorerie.") and "/role" in own


# --- Private-only commands sent in a group -----------------------------------------------------------


async def test_a_private_only_command_in_a_group_answers_with_a_button_to_the_private_chat(bot: Any) -> None:
    coord = await _coordinator(bot)
    lea = bot.user(504, "Léa")
    await bot.onboard(lea)
    stranger = bot.user(505, "Tom")
    group = bot.sb.group(-1005, "Militants Lyon")
    for member in (coord, lea, stranger):
        group.add_member(member, announce=False)
    private_chat = f"https://t.me/{bot.sb.username}"

    # A command checked by the registry (/agenda), and a form's entry point listening in private only.
    for who, typed in ((lea, "/agenda"), (coord, "/annonce"), (stranger, "/profil")):
        who.send(typed, chat=group)
        reply = await group.next_message()
        assert "message privé" in words(reply), typed
        [[link]] = reply.inline_keyboard
        assert link["url"] == private_chat, typed
    assert "/start" in words(reply)  # the stranger is told to introduce themselves there


# --- /role with a first name -------------------------------------------------------------------------


async def test_role_accepts_a_first_name_and_offers_buttons_when_several_match(bot: Any) -> None:
    coord = await _coordinator(bot)
    lea = bot.user(506, "Léa")
    await bot.onboard(lea)
    hugo_lyon = bot.user(507, "Hugo", username="hugo_l")
    await bot.onboard(hugo_lyon, city="Lyon")
    hugo_2 = bot.user(508, "Hugo", username="hugo_b")
    await bot.onboard(hugo_2, city=None)

    # One person of that name, typed without accent or capital.
    given = words(await bot.reply(coord, "/role lea trésorier"))
    assert given == "Léa a maintenant le rôle trésorerie."
    assert "trésorerie" in words(await lea.next_message())
    assert await _roles(bot, 506) == {"treasurer"}

    # Two Hugo: no guess, one button each, telling them apart.
    pick = await bot.reply(coord, "/role Hugo coordinateur")
    assert "Plusieurs personnes s'appellent « Hugo »" in words(pick)
    assert pick.button_texts == ["Hugo · Lyon · @hugo_l", "Hugo · @hugo_b"]
    assert await _roles(bot, 507) == set() and await _roles(bot, 508) == set()
    coord.press(pick, text="Hugo · @hugo_b")
    assert words(await coord.next_message()) == "Hugo a maintenant le rôle coordination."
    assert await _roles(bot, 508) == {"coordinator"} and await _roles(bot, 507) == set()
    await bot.sb.wait_for(lambda: not pick.inline_keyboard, 5)  # the choice is gone: no second press

    # Taking a role away by first name goes through the same choice.
    pick = await bot.reply(coord, "/retirer_role hugo coordinateur")
    coord.press(pick, text="Hugo · @hugo_b")
    assert words(await coord.next_message()) == "Hugo n'a plus le rôle coordination."
    assert await _roles(bot, 508) == set()

    # Nobody of that name: check the spelling, or /inviter for someone not registered yet.
    unknown = words(await bot.reply(coord, "/role Zoé trésorier"))
    assert "Personne ne s'appelle « Zoé »" in unknown and "/inviter" in unknown
    unknown_handle = words(await bot.reply(coord, "/role @zoe trésorier"))
    assert "/inviter" in unknown_handle
    # @handle and id still work.
    assert "a maintenant le rôle" in words(await bot.reply(coord, "/role @hugo_l collecteur"))
    assert "a maintenant le rôle" in words(await bot.reply(coord, "/role 506 collecteur"))


async def test_a_namesake_button_is_checked_again_when_pressed(bot: Any) -> None:
    """The pick is a button: the presser's role is checked at the press, not when it was shown."""
    coord = await _coordinator(bot)
    helper = bot.user(509, "Inès", username="ines")
    await bot.onboard(helper)
    await bot.reply(coord, "/role @ines coordinateur")
    await helper.next_message()
    for uid, handle in ((510, "nora_a"), (511, "nora_b")):
        await bot.onboard(bot.user(uid, "Nora", username=handle))
    pick = await bot.reply(helper, "/role Nora trésorier")
    await bot.reply(coord, "/retirer_role @ines coordinateur")
    await helper.next_message()
    helper.press(pick, text=pick.button_texts[0])
    await bot.sb.wait_for(lambda: helper.last_answer is not None and helper.last_answer.text, 5)
    assert "réservée" in helper.last_answer.text
    assert await _roles(bot, 510) == set() and await _roles(bot, 511) == set()


# --- /aide ---------------------------------------------------------------------------------------------


async def test_aide_is_grouped_by_task_and_shows_the_group_command(bot: Any) -> None:
    coord = await _coordinator(bot)
    text = words(await bot.reply(coord, "/aide"))
    headings = [
        "Pour commencer",
        "Actions",
        "Recrutement",
        "Courriels",
        "Communication",
        "Argent",
        "Coordination",
        "Vos données",
    ]
    positions = [text.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert "/lier_ville — Rattacher ce groupe à une ville (à envoyer dans le groupe de la ville)" in text
    assert text.index("/aide") < text.index("/agenda") < text.index("/don ") < text.index("/mes_donnees")
    assert commands_in(text) <= ALIASES

    lea = bot.user(512, "Léa")
    await bot.onboard(lea)
    mine = words(await bot.reply(lea, "/aide"))
    assert "Pour commencer" in mine and "Vos données" in mine
    assert "Courriels" not in mine and "/lier_ville" not in mine and "/dons" not in mine


# --- The consent text ------------------------------------------------------------------------------


async def test_the_consent_text_names_the_data_commands_and_they_exist(bot: Any) -> None:
    lea = bot.user(513, "Léa")
    await bot.reply(lea, "/start")
    ask_city = await bot.reply(lea, "Léa")
    lea.press(ask_city, text="Lyon")
    ask_skills = await lea.next_message()
    lea.press(ask_skills, text="Valider")
    consent = words(await lea.next_message())
    named = commands_in(consent)
    assert {"mes_donnees", "supprimer_mes_donnees", "stop"} <= named
    assert named <= set(BY_NAME)
    # Anyone may run them, even before accepting.
    assert all(BY_NAME[name].access == "anyone" for name in ("mes_donnees", "supprimer_mes_donnees", "stop"))


# --- /digest_heure as people type it ------------------------------------------------------------------


async def test_digest_heure_understands_the_ways_people_write_a_time(bot: Any) -> None:
    coord = await _coordinator(bot)
    for typed, hour in (("7h", 7), ("07:30", 7), ("19 h", 19), ("8", 8), ("6h30", 6)):
        answer = words(await bot.reply(coord, f"/digest_heure {typed}"))
        assert f"vers {hour:02d}h00" in answer, typed
        person = await bot.person(COORDINATOR_ID)
        assert person is not None and person.digest_hour == hour, typed
    half = words(await bot.reply(coord, "/digest_heure 7h30"))
    assert "vers 07h00" in half and "pas à 07h30" in half and "/digest_heure 08h00" in half
    for typed in ("sept heures", "25h", "/digest_heure"):
        text = typed if typed.startswith("/") else f"/digest_heure {typed}"
        usage = words(await bot.reply(coord, text))
        assert "par exemple /digest_heure 7h" in usage, typed
    person = await bot.person(COORDINATOR_ID)
    assert person is not None and person.digest_hour == 7


# --- /stop and the way back ---------------------------------------------------------------------------


async def test_stop_names_only_commands_the_person_may_use_and_start_brings_everything_back(bot: Any) -> None:
    lea = bot.user(514, "Léa")
    await bot.onboard(lea)
    stopped = words(await bot.reply(lea, "/stop"))
    back = commands_in(stopped)
    assert {"start", "reprendre", "stop_annonces"} <= back
    assert "digest_pause" not in back  # a volunteer has no daily summary to resume
    assert back <= ALIASES
    person = await bot.person(514)
    assert person is not None and person.asks_paused and person.announcements_stopped

    again = words(await bot.reply(lea, "/start"))
    assert "Vous recevez de nouveau" in again
    person = await bot.person(514)
    assert person is not None
    assert not (person.asks_paused or person.announcements_stopped or person.digest_paused)
    # Once back, /start greets as before.
    assert "Re-bonjour" in words(await bot.reply(lea, "/start"))

    coord = await _coordinator(bot)
    assert "digest_pause" in commands_in(words(await bot.reply(coord, "/stop")))

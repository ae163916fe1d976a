"""A newcomer's /start, through the sandbox: nothing stored before consent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.texts import PRIVACY_VERSION
from storage.models import AuditLog, Person


async def test_full_onboarding_records_profile_and_consent(bot: Any) -> None:
    lea = bot.user(101, "Léa", username="lea")
    welcome = await bot.reply(lea, "/start")
    assert "Quel est votre prénom" in welcome.plain
    ask_city = await bot.reply(lea, "Léa")
    assert "Dans quelle ville" in ask_city.plain
    assert "Lyon" in ask_city.button_texts and "Aucune de ces villes" in ask_city.button_texts
    lea.press(ask_city, text="Lyon")
    ask_skills = await lea.next_message()
    lea.press(ask_skills, text="Tractage")
    lea.press(ask_skills, text="Photo/vidéo")
    lea.press(ask_skills, text="Stand")
    lea.press(ask_skills, text="Stand")  # tapped twice: unselected
    await bot.sb.wait_for(lambda: "✅ Photo/vidéo" in ask_skills.button_texts, 5)
    assert "✅ Tractage" in ask_skills.button_texts and "Stand" in ask_skills.button_texts
    # Nothing about the person is stored before consent.
    assert await bot.person(101) is None
    lea.press(ask_skills, text="Valider")
    privacy = await lea.next_message()
    assert "CNIL" in privacy.plain and "J'accepte" in privacy.button_texts
    assert await bot.person(101) is None
    lea.press(privacy, text="J'accepte")
    done = await lea.next_message()
    assert "Bienvenue Léa" in done.plain
    person = await bot.person(101)
    assert person is not None
    assert (person.first_name, person.username, person.language) == ("Léa", "lea", "fr")
    assert person.city is not None and person.city.name == "Lyon"
    assert person.skills == ["tractage", "photo"]
    assert person.consent_version == PRIVACY_VERSION and person.consent_at is not None
    # The person's own menu now lists member commands.
    names = [c["command"] for c in bot.sb.commands_for(lea)]
    assert "profil" in names and "inviter" not in names


async def test_refusing_consent_leaves_no_trace(bot: Any) -> None:
    tom = bot.user(102, "Tom")
    await bot.reply(tom, "/start")
    ask_city = await bot.reply(tom, "Tom")
    tom.press(ask_city, data="ob:city:none")
    ask_skills = await tom.next_message()
    tom.press(ask_skills, text="Valider")
    privacy = await tom.next_message()
    tom.press(privacy, text="Je refuse")
    refused = await tom.next_message()
    assert "rien n'a été enregistré" in refused.plain
    assert await bot.person(102) is None
    assert await bot.count(AuditLog) == 0


async def test_cancel_at_any_step_stores_nothing(bot: Any) -> None:
    zoe = bot.user(103, "Zoé")
    await bot.reply(zoe, "/start")
    await bot.reply(zoe, "Zoé")
    cancelled = await bot.reply(zoe, "/cancel")
    assert "annulé" in cancelled.plain
    assert await bot.person(103) is None
    again = await bot.reply(zoe, "/cancel")
    assert "rien à annuler" in again.plain


async def test_bad_names_are_refused_with_a_way_to_retry(bot: Any) -> None:
    max_ = bot.user(104, "Max")
    await bot.reply(max_, "/start")
    too_long = await bot.reply(max_, "M" * 4000)
    assert "Je n'ai pas compris ce prénom" in too_long.plain
    sticker = max_.send_raw(
        sticker={
            "file_id": "s1",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    )
    assert sticker is not None
    use_buttons = await max_.next_message()
    assert "/annuler" in use_buttons.plain
    ok = await bot.reply(max_, "Max")
    assert "Dans quelle ville" in ok.plain


async def test_html_in_a_name_is_shown_as_typed(bot: Any) -> None:
    odd = bot.user(105, "X")
    person = await bot.onboard(odd, name="<b>Léa</b> & co")
    assert person.first_name == "<b>Léa</b> & co"
    welcome = odd.messages[-1]
    assert "Bienvenue <b>Léa</b> & co" in welcome.plain


async def test_english_telegram_gets_english(bot: Any) -> None:
    sam = bot.user(106, "Sam", language_code="en")
    welcome = await bot.reply(sam, "/start")
    assert "What is your first name" in welcome.plain
    person = await bot.onboard(sam, skills=())
    assert person.language == "en"
    help_ = await bot.reply(sam, "/aide")
    assert "What you can do" in help_.plain


async def test_start_again_when_known_greets(bot: Any) -> None:
    lea = bot.user(107, "Léa")
    await bot.onboard(lea)
    again = await bot.reply(lea, "/start")
    assert "Re-bonjour Léa" in again.plain
    async with bot.services.db.session() as s:
        assert len(list(await s.scalars(select(Person)))) == 1


async def test_double_tapped_consent_records_once(bot: Any) -> None:
    ana = bot.user(108, "Ana")
    await bot.reply(ana, "/start")
    ask_city = await bot.reply(ana, "Ana")
    ana.press(ask_city, text="Paris")
    ask_skills = await ana.next_message()
    ana.press(ask_skills, text="Valider")
    privacy = await ana.next_message()
    ana.press(privacy, text="J'accepte")
    ana.press(privacy, text="J'accepte")
    await ana.next_message()
    await bot.sb.wait_for(lambda: len(bot.sb.calls_to("answerCallbackQuery")) >= 4, 5)
    assert await bot.count(Person) == 1


def test_the_forms_ask_in_order() -> None:
    from handlers import onboarding, profile

    draft: dict[str, object] = {"payload": "", "skills": []}
    asked = []
    for answer in ({"name": "Léa"}, {"city_id": None}, {"skills_done": True}):
        asked.append(onboarding.next_step(draft))
        draft.update(answer)
    assert [*asked, onboarding.next_step(draft)] == ["name", "city", "skills", "consent"]
    assert profile.next_step({}) == "menu"
    assert profile.next_step({"editing": "city"}) == "city"


def test_buttons_keep_their_wire_format() -> None:
    """Buttons already posted in chats must keep working."""
    from bot.callbacks import (
        OnboardingCity,
        OnboardingConsent,
        OnboardingSkill,
        ProfileCity,
        ProfileMenu,
        ProfileSkill,
    )

    packed = [
        OnboardingCity("3").pack(),
        OnboardingCity("none").pack(),
        OnboardingSkill("12").pack(),
        OnboardingSkill("ok").pack(),
        OnboardingConsent("yes").pack(),
        OnboardingConsent("no").pack(),
        ProfileMenu("skills").pack(),
        ProfileCity("3").pack(),
        ProfileSkill("ok").pack(),
    ]
    assert packed == [
        "ob:city:3",
        "ob:city:none",
        "ob:sk:12",
        "ob:sk:ok",
        "ob:consent:yes",
        "ob:consent:no",
        "pf:skills",
        "pf:c:3",
        "pf:s:ok",
    ]
    assert ProfileMenu.parse("pf:c:3") is None and ProfileCity.parse("pf:city") is None
    assert OnboardingConsent.parse("ob:consent:maybe") is None

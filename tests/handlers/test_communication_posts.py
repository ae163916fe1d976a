"""/brouillon: drafts, per-channel preview, the law's questions and approval, through the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.callbacks import CpPublish, PostOpen
from bot.paging import LIMIT, shown_length
from domain.people import Domain, Grant, Role
from domain.statuses import PostStatus
from sandbox.bot_harness import COORDINATOR_ID
from storage import people
from storage.models import AuditLog, ComPost, Publication

PARIS = ZoneInfo("Europe/Paris")
LEA, LEAD2, OUTSIDER = 101, 102, 103
LONG = ("Rendez-vous samedi au marché pour parler démocratie locale avec les habitants. " * 5).strip()


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "facebook_page_id": "123",
        "facebook_page_token": "token",
        "mastodon_base_url": "http://127.0.0.1:9",
        "mastodon_access_token": "token",
        "disabled_jobs": [
            "digests",
            "reminders",
            "recruitment",
            "retention",
            "memberships",
            "inbox",
            "donations",
            "calendar",
            "com",
        ],
    }


def plain(message: Any) -> str:
    return str(message.plain).replace("\u00a0", " ").replace("\u202f", " ")


async def grant(bot: Any, telegram_id: int, role: Role, scope: str = "") -> None:
    async with bot.services.transaction() as s:
        person = await people.person_by_telegram_id(s, telegram_id)
        assert person is not None
        await people.grant_role(s, person, Grant(role, scope), None)


async def revoke(bot: Any, telegram_id: int, role: Role, scope: str = "") -> None:
    async with bot.services.transaction() as s:
        person = await people.person_by_telegram_id(s, telegram_id)
        assert person is not None
        await people.revoke_role(s, person, Grant(role, scope))


async def team(bot: Any) -> tuple[Any, Any]:
    """The coordinator (from the settings) and Léa, a lead of the communication domain."""
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city="Paris")
    lea = bot.user(LEA, "Léa")
    await bot.onboard(lea)
    await grant(bot, LEA, Role.LEAD, Domain.COMMUNICATION)
    return coord, lea


async def write(bot: Any, user: Any, text: str) -> Any:
    ask = await bot.reply(user, "/brouillon")
    assert "texte de la publication" in plain(ask)
    return await bot.reply(user, text)


async def press(user: Any, message: Any, text: str) -> Any:
    user.press(message, text=text)
    return await user.next_message()


async def only_x(user: Any, card: Any) -> Any:
    """Untick Facebook and Mastodon: publishing then needs no network (X without credentials)."""
    card = await press(user, card, "✅ Facebook")
    return await press(user, card, "✅ Mastodon")


async def forge(bot: Any, user: Any, data: str) -> Any:
    """A client sending callback data no button of theirs carries: the server must check."""
    await bot.forge(user, user.messages[-1], data, timeout=5)
    return await user.next_message()


async def the_post(bot: Any) -> ComPost:
    async with bot.services.db.session() as s:
        post: ComPost | None = await s.scalar(select(ComPost).order_by(ComPost.id.desc()).limit(1))
    assert post is not None
    return post


async def submitted(bot: Any, author: Any, card: Any, approver: Any) -> Any:
    """Submit from `card`; return the approval card `approver` receives."""
    done = await press(author, card, "Soumettre")
    assert "Envoyé pour approbation" in plain(done)
    received = await approver.next_message()
    assert "À approuver" in plain(received)
    return received


async def test_preview_shows_each_channel_with_its_limit_and_what_is_cut(bot: Any) -> None:
    _, lea = await team(bot)
    card = await write(bot, lea, LONG)
    text = plain(card)
    assert len(LONG) > 280
    assert f"X : {len(LONG)} / 280, coupé : « " in text
    assert f"Facebook : {len(LONG)} / 63206, complet" in text
    assert f"Mastodon : {len(LONG)} / 500, complet" in text
    assert shown_length(card.text) <= LIMIT
    for label in ("Modifier le texte", "Lien", "Ajouter une photo", "Soumettre", "Supprimer", "✅ X"):
        assert label in card.button_texts
    post = await the_post(bot)
    assert post.status == PostStatus.DRAFT and post.version == 1
    assert set(post.channels) == {"x", "mastodon", "facebook"}


async def test_edit_bumps_version_and_a_stale_approve_button_is_refused(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await write(bot, lea, "Première version du texte.")
    approval = await submitted(bot, lea, card, coord)
    post = await the_post(bot)
    opened = await forge(bot, lea, PostOpen(post.id).pack())
    assert "Première version" in plain(opened)
    await press(lea, opened, "Modifier le texte")
    edited = await bot.reply(lea, "Deuxième version du texte.")
    assert "nouvelle version" in plain(edited) and "version 2" in plain(edited)
    assert (await the_post(bot)).version == 2
    refused = await press(coord, approval, "Publier maintenant")
    assert "Le brouillon a changé, voici la nouvelle version" in plain(refused)
    assert "Deuxième version" in plain(refused)
    after = await the_post(bot)
    assert after.status == PostStatus.SUBMITTED and after.approved_by is None
    assert await bot.count(Publication) == 0


async def test_the_author_may_not_approve_their_own_post_unless_the_setting_allows(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await only_x(coord, await write(bot, coord, "Un texte de la coordination."))
    await submitted(bot, coord, card, lea)  # sent to Léa, not to its author
    post = await the_post(bot)
    refused = await forge(bot, coord, CpPublish(post.id, post.version).pack())
    assert "une autre personne de l'équipe doit l'approuver" in plain(refused)
    assert (await the_post(bot)).status == PostStatus.SUBMITTED

    bot.services.settings.com_author_may_approve = True
    again = await only_x(coord, await write(bot, coord, "Un second texte."))
    own_card = await submitted(bot, coord, again, coord)  # now the author gets the card too
    done = await press(coord, own_card, "Publier maintenant")
    assert "Approuvée" in plain(done)
    second = await the_post(bot)
    assert second.status in (PostStatus.APPROVED, PostStatus.PUBLISHED)
    assert second.approved_by is not None


async def test_a_member_outside_the_team_cannot_open_or_approve_a_post(bot: Any) -> None:
    coord, lea = await team(bot)
    outsider = bot.user(OUTSIDER, "Omar")
    await bot.onboard(outsider)
    await grant(bot, OUTSIDER, Role.CANDIDATE, "Lyon")
    card = await write(bot, lea, "Texte confidentiel avant approbation.")
    await submitted(bot, lea, card, coord)
    post = await the_post(bot)
    opened = await forge(bot, outsider, PostOpen(post.id).pack())
    assert "vous ne pouvez pas ouvrir" in plain(opened)
    assert "confidentiel" not in plain(opened)
    refused = await forge(bot, outsider, CpPublish(post.id, post.version).pack())
    assert "seule l'équipe communication" in plain(refused)
    unknown = await forge(bot, outsider, PostOpen(post.id + 1000).pack())
    assert "vous ne pouvez pas ouvrir" in plain(unknown)
    after = await the_post(bot)
    assert after.status == PostStatus.SUBMITTED and after.approved_by is None


async def test_a_revoked_lead_is_refused(bot: Any) -> None:
    coord, lea = await team(bot)
    lead2 = bot.user(LEAD2, "Nadia")
    await bot.onboard(lead2)
    await grant(bot, LEAD2, Role.LEAD, Domain.COMMUNICATION)
    card = await write(bot, lea, "Un texte à approuver.")
    await submitted(bot, lea, card, lead2)
    approval = lead2.messages[-1]
    await revoke(bot, LEAD2, Role.LEAD, Domain.COMMUNICATION)
    refused = await press(lead2, approval, "Publier maintenant")
    assert "seule l'équipe communication" in plain(refused)
    after = await the_post(bot)
    assert after.status == PostStatus.SUBMITTED and after.approved_by is None


async def test_a_donation_appeal_without_the_mandataire_cannot_be_approved(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await write(bot, lea, "Faites un don pour la campagne, chaque euro compte !")
    approval = await submitted(bot, lea, card, coord)
    assert "⛔" in plain(approval) and "point 5" in plain(approval)
    assert "Publier maintenant" not in approval.button_texts
    assert "Programmer" not in approval.button_texts
    post = await the_post(bot)
    refused = await forge(bot, coord, CpPublish(post.id, post.version).pack())
    assert "Impossible d'approuver tant que le texte n'est pas corrigé" in plain(refused)
    assert (await the_post(bot)).status == PostStatus.SUBMITTED

    opened = await forge(bot, lea, PostOpen(post.id).pack())
    await press(lea, opened, "Modifier le texte")
    fixed = "Faites un don pour la campagne. Mandataire financier : Jeanne Martin, désignée le 3 mars 2026."
    await bot.reply(lea, fixed)
    reopened = await forge(bot, coord, PostOpen(post.id).pack())
    assert "⛔" not in plain(reopened)
    assert "Publier maintenant" in reopened.button_texts
    await press(coord, reopened, "Programmer")
    done = await bot.reply(coord, "demain 18h")
    assert "programmée" in plain(done)
    assert (await the_post(bot)).status == PostStatus.SCHEDULED


async def test_a_photo_post_needs_the_image_rights_confirmation(bot: Any) -> None:
    coord, lea = await team(bot)
    await bot.reply(lea, "/brouillon")
    lea.send_raw(
        photo=[{"file_id": "photo-1", "file_unique_id": "u1", "width": 10, "height": 10}],
        caption="Belle journée de tractage !",
    )
    card = await lea.next_message()
    assert "Photos : 1" in plain(card)
    assert "personnes reconnaissables" in plain(card)
    post = await the_post(bot)
    assert post.images and post.images[0]["file_id"] == "photo-1"
    approval = await submitted(bot, lea, card, coord)
    assert "Publier maintenant" not in approval.button_texts
    refused = await forge(bot, coord, CpPublish(post.id, post.version).pack())
    assert "Confirmez d'abord" in plain(refused)
    # The refusal shows the card again, with the confirmation to give first.
    confirmed = await press(coord, refused, "Je confirme\u00a0: les personnes reconnaissables sont d'accord")
    assert "Publier maintenant" in confirmed.button_texts
    confirmed = (await the_post(bot)).confirmations
    assert [c["rule"] for c in confirmed] == ["image_rights"]
    assert all(c["by"] and c["at"] for c in confirmed)  # who confirmed, and when
    async with bot.services.db.session() as s:
        logged = list(await s.scalars(select(AuditLog.action).where(AuditLog.action == "compost.confirmed")))
    assert logged == ["compost.confirmed"]


async def test_programmer_demain_18h_stores_publish_at_in_utc(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await write(bot, lea, "Réunion publique jeudi soir.")
    approval = await submitted(bot, lea, card, coord)
    asked = await press(coord, approval, "Programmer")
    assert "Quand publier" in plain(asked)
    again = await bot.reply(coord, "un de ces jours")
    assert "Je n'ai pas compris cette date" in plain(again)
    before = datetime.now(PARIS)
    done = await bot.reply(coord, "demain 18h")
    assert "programmée pour le" in plain(done) and "18h00" in plain(done)
    post = await the_post(bot)
    tomorrow = (before + timedelta(days=1)).date()
    expected = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 18, 0, tzinfo=PARIS).astimezone(UTC)
    assert post.status == PostStatus.SCHEDULED
    assert post.publish_at == expected and post.publish_at.utcoffset() == timedelta(0)
    assert post.approved_by is not None


async def test_publish_now_goes_through_the_publishing_path(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await only_x(lea, await write(bot, lea, "Publié tout de suite."))
    approval = await submitted(bot, lea, card, coord)
    done = await press(coord, approval, "Publier maintenant")
    assert "Approuvée" in plain(done)
    post = await the_post(bot)
    assert post.approved_by is not None and post.approved_at is not None
    async with bot.services.db.session() as s:
        rows = list(await s.scalars(select(Publication).where(Publication.post_id == post.id)))
    # X without credentials: a share link, never described as posted.
    assert [(r.channel, r.status) for r in rows] == [("x", "skipped")]
    assert "x.com" in rows[0].url or "twitter.com" in rows[0].url
    assert "X : non publiée" in plain(done)


async def test_a_paused_post_offers_publish_anyway_later_or_cancel(bot: Any) -> None:
    coord, lea = await team(bot)
    now = datetime.now(PARIS)
    polling = (now + timedelta(days=1)).date()  # tomorrow's vote: today is the eve, in silence
    bot.services.settings.election_days = [polling]
    await write(bot, lea, "Merci à toutes et à tous pour cette campagne.")
    async with bot.services.transaction() as s:
        post = await s.scalar(select(ComPost).order_by(ComPost.id.desc()).limit(1))
        assert post is not None
        post.status, post.paused_reason, post_id = PostStatus.PAUSED, "silence", post.id
    opened = await forge(bot, coord, PostOpen(post_id).pack())
    assert "Silence électoral" in plain(opened) and "L49" in plain(opened)
    assert "Publier quand même (ni propagande ni résultat)" in opened.button_texts
    assert "Annuler la publication" in opened.button_texts
    later = [b for b in opened.button_texts if b.startswith("Reporter au")]
    assert later and "20h00" in later[0]
    done = await press(coord, opened, later[0])
    assert "programmée" in plain(done)
    after = await the_post(bot)
    close = datetime(polling.year, polling.month, polling.day, 20, 0, tzinfo=PARIS).astimezone(UTC)
    assert after.status == PostStatus.SCHEDULED and after.publish_at == close


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


async def test_a_post_paused_by_the_silence_is_published_anyway_once_the_lead_confirms(bot: Any) -> None:
    from capabilities.communication import publishing

    coord, lea = await team(bot)
    now = datetime.now(UTC)
    polling = (datetime.now(PARIS) + timedelta(days=1)).date()  # today is the eve: silence
    bot.services.settings.election_days = [polling]
    async with bot.services.transaction() as s:
        post = ComPost(
            purpose="free",
            status=PostStatus.SCHEDULED,
            text="Le local sera fermé lundi pour travaux.",
            channels=["x"],
            publish_at=now - timedelta(minutes=1),
        )
        s.add(post)
        await s.flush()
        post_id = post.id
    await publishing.run(bot.services, now)
    paused = await the_post(bot)
    assert (paused.status, paused.paused_reason) == (PostStatus.PAUSED, "silence")
    asked = await lea.next_message()  # the lead is asked, with a button to open the post
    assert "en attente" in plain(asked)
    card = await press(lea, asked, "Ouvrir le message")
    assert "Silence électoral" in plain(card)
    go = await press(lea, card, "Publier quand même (ni propagande ni résultat)")
    # The eve is also within the last 48 h (rule 2): that question is asked too, then it goes.
    assert "Je confirme\u00a0: pas d'attaque nouvelle" in go.button_texts
    confirmed = await press(lea, go, "Je confirme\u00a0: pas d'attaque nouvelle")
    done = await press(lea, confirmed, "Publier maintenant")
    assert "Approuvée" in plain(done) and "X : non publiée" in plain(done)
    after = await the_post(bot)
    assert after.id == post_id and after.status == PostStatus.PUBLISHED
    assert {c["rule"] for c in after.confirmations} == {
        "silence",
        "polemic",
    } and after.approved_by is not None
    async with bot.services.db.session() as s:
        rows = list(await s.scalars(select(Publication).where(Publication.post_id == post_id)))
    assert [(r.channel, r.status) for r in rows] == [("x", "skipped")]  # a share link: no X credentials


async def test_asking_for_changes_sends_the_note_to_the_author(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await write(bot, lea, "Réunion jeudi, venez !")
    approval = await submitted(bot, lea, card, coord)
    asked = await press(coord, approval, "Demander des modifications")
    assert "ce qu'il faut modifier" in plain(asked)
    sent = await bot.reply(coord, "Ajoutez l'adresse et l'heure, s'il vous plaît.")
    assert "transmis" in plain(sent)
    note = await lea.next_message()
    assert "Camille demande des modifications" in plain(note)
    assert "« Ajoutez l'adresse et l'heure, s'il vous plaît. »" in plain(note)
    post = await the_post(bot)
    assert post.status == PostStatus.DRAFT and post.approved_by is None
    reopened = await press(lea, note, "Ouvrir la publication")
    assert "Soumettre" in reopened.button_texts and "Réunion jeudi" in plain(reopened)


async def test_programmer_at_a_time_with_a_question_shows_that_times_confirmation(bot: Any) -> None:
    coord, lea = await team(bot)
    today = datetime.now(PARIS).date()
    polling = today + timedelta(days=5)
    bot.services.settings.election_days = [polling]
    chosen = polling - timedelta(days=2)  # in the last 48 h before the vote: rule 2, not today
    card = await only_x(lea, await write(bot, lea, "Notre programme pour les transports."))
    approval = await submitted(bot, lea, card, coord)
    assert "48 h" not in plain(approval)  # nothing to confirm for now...
    await press(coord, approval, "Programmer")
    typed = f"le {chosen.day} {MONTHS[chosen.month - 1]} à 10h"
    asked = await bot.reply(coord, typed)
    # ...but for the chosen time: the question, and the card's button to confirm it.
    assert "confirmez d'abord" in plain(asked) and "48 h avant le scrutin" in plain(asked)
    assert "Je confirme\u00a0: pas d'attaque nouvelle" in asked.button_texts
    assert "Programmer" not in asked.button_texts
    assert (await the_post(bot)).status == PostStatus.SUBMITTED
    confirmed = await press(coord, asked, "Je confirme\u00a0: pas d'attaque nouvelle")
    assert "Programmer" in confirmed.button_texts
    await press(coord, confirmed, "Programmer")
    done = await bot.reply(coord, typed)
    assert "programmée pour le" in plain(done) and "10h00" in plain(done)
    post = await the_post(bot)
    expected = datetime(chosen.year, chosen.month, chosen.day, 10, tzinfo=PARIS).astimezone(UTC)
    assert post.status == PostStatus.SCHEDULED and post.publish_at == expected
    assert [c["rule"] for c in post.confirmations] == ["polemic"]

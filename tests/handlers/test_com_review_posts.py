"""Second review (W2) of drafts, suggestions and requests: permissions and the law's holes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.callbacks import ComCalendarWeek, CpDelete, CpEdit, CpPublish
from capabilities.communication import drafts, suggestions
from domain.people import Domain, Role
from domain.statuses import PostPurpose, PostStatus, RsvpStatus
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as eq
from storage import people as pq
from storage.models import AuditLog, ComPost, Participation
from tests.handlers.test_communication_posts import (
    LEA,
    forge,
    grant,
    plain,
    press,
    revoke,
    submitted,
    team,
    the_post,
    write,
)

FINANCE = 104


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
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


async def test_a_team_member_cannot_rewrite_a_submitted_post_and_approve_it_alone(bot: Any) -> None:
    """Whoever rewrites a submitted post becomes its author: another person approves it (four eyes),
    the approval buttons are not offered to the rewriter and a forged one is refused."""
    coord, lea = await team(bot)
    card = await write(bot, lea, "Texte de Léa, relu par personne d'autre.")
    await submitted(bot, lea, card, coord)
    post = await the_post(bot)
    asked = await forge(bot, coord, CpEdit(post.id, "t").pack())
    assert "nouveau texte" in plain(asked)
    edited = await bot.reply(coord, "Texte réécrit par Camille seule.")
    assert "Publier maintenant" not in edited.button_texts
    after = await the_post(bot)
    refused = await forge(bot, coord, CpPublish(after.id, after.version).pack())
    assert "une autre personne" in plain(refused)
    after = await the_post(bot)
    assert after.text == "Texte réécrit par Camille seule."
    assert after.status == PostStatus.SUBMITTED, "the last editor approved their own text"


async def _recap_with_confirmed_photo(bot: Any) -> tuple[int, int, Any]:
    """A recap post, submitted, one photo, image rights confirmed; a photo volunteer of the event."""
    now = datetime.now(UTC)
    photographer = bot.user(201, "Paula")
    await bot.onboard(photographer)
    async with bot.services.transaction() as s:
        p = await pq.person_by_telegram_id(s, 201)
        assert p is not None
        p.skills = ["photo"]
        ev = await eq.create_event(
            s,
            title="Tractage gare",
            kind="tractage",
            city_id=p.city_id,
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(days=1) + timedelta(hours=2),
            place="Gare",
            description="",
            needs=[("photo", 1)],
            created_by=None,
        )
        s.add(Participation(event_id=ev.id, person_id=p.id, status=RsvpStatus.YES.value, role="tractage"))
        post = ComPost(
            purpose=PostPurpose.RECAP,
            status=PostStatus.SUBMITTED,
            event_id=ev.id,
            text="Merci à tous !",
            channels=["x"],
            images=[{"file_id": "ok-1", "name": "a.jpg", "mime": "image/jpeg", "alt": ""}],
            confirmations=["image_rights"],
            version=3,
        )
        s.add(post)
        await s.flush()
        return post.id, ev.id, photographer


async def test_a_photo_added_after_the_image_rights_confirmation_needs_a_new_one(bot: Any) -> None:
    """suggestions.add_photo adds to SUBMITTED/PAUSED recaps and bumps the version, but keeps
    `confirmations`: the approver's earlier "people agreed" now covers a photo nobody looked at."""
    await team(bot)
    post_id, event_id, photographer = await _recap_with_confirmed_photo(bot)
    photo = {"file_id": "new-2", "name": "b.jpg", "mime": "image/jpeg", "alt": ""}
    result = await suggestions.add_photo(bot.services, photographer.id, event_id, photo, datetime.now(UTC))
    assert result is suggestions.PhotoResult.ADDED
    async with bot.services.db.session() as s:
        post = await s.get(ComPost, post_id)
        assert post is not None and len(post.images) == 2
        findings = await drafts.findings_of(s, bot.services.settings, post, datetime.now(UTC))
    assert "image_rights" in {f.rule for f in findings}, "the new photo rides on the old confirmation"


async def test_a_photo_caption_is_published_as_alt_text_but_never_checked(bot: Any) -> None:
    """A volunteer's caption becomes the image's alt text (handlers/com_planning._photo_of), which
    every adapter publishes; drafts._law_text checks title, text and link only, and the card never
    shows it. A member's full name or a money appeal in it goes out unchecked."""
    await team(bot)
    async with bot.services.transaction() as s:
        await pq.create_person(
            s,
            telegram_id=301,
            first_name="Marie Dupont",
            username=None,
            language="fr",
            city_id=None,
            skills=[],
            consent_version="t",
            consent_at=datetime.now(UTC),
        )
        post = ComPost(
            purpose=PostPurpose.RECAP,
            status=PostStatus.SUBMITTED,
            text="Merci à toutes et à tous.",
            channels=["mastodon"],
            confirmations=["image_rights"],
            images=[
                {
                    "file_id": "f",
                    "name": "a.jpg",
                    "mime": "image/jpeg",
                    "alt": "Marie Dupont au stand. Faites un don sur helloasso !",
                }
            ],
        )
        s.add(post)
        await s.flush()
        findings = await drafts.findings_of(s, bot.services.settings, post, datetime.now(UTC))
    rules = {f.rule for f in findings}
    assert "consent" in rules and "appeal" in rules, rules


async def test_the_word_mandataire_alone_does_not_make_a_donation_appeal_lawful(bot: Any) -> None:
    """Rule 5: the appeal names the mandataire (a person or an association), and the list for a
    campaign. drafts.law_context passes FINANCING_WORDS (the bare word) and never list_names."""
    await team(bot)
    async with bot.services.transaction() as s:
        post = ComPost(
            purpose=PostPurpose.FREE,
            status=PostStatus.DRAFT,
            channels=["x"],
            text="Faites un don à la liste ! Voir notre mandataire.",
        )
        s.add(post)
        await s.flush()
        findings = await drafts.findings_of(s, bot.services.settings, post, datetime.now(UTC))
    assert "appeal" in {f.rule for f in findings}, "an appeal naming nobody passes rule 5"


async def test_a_finance_lead_does_not_read_the_communication_requests(bot: Any) -> None:
    """/demandes_com is open to every lead (commands.COMM) and requests.listing lists every
    request of every domain, with its brief: a finance lead reads the communication team's work."""
    coord, lea = await team(bot)
    vol = bot.user(401, "Victor")
    await bot.onboard(vol)
    finance = bot.user(FINANCE, "Fanny")
    await bot.onboard(finance)
    await grant(bot, FINANCE, Role.LEAD, Domain.FINANCE)
    from capabilities.communication import requests

    async with bot.services.db.session() as s:
        victor = await pq.person_by_telegram_id(s, 401)
    assert victor is not None
    await requests.create(
        bot.services,
        victor,
        kind="post",
        channels=["x"],
        deadline=None,
        brief="Photo de ma voisine Jeanne Martin, 12 rue des Lilas",
        files=[],
        now=datetime.now(UTC),
    )
    shown = await bot.reply(finance, "/demandes_com")
    assert "Jeanne Martin" not in plain(shown), plain(shown)


async def test_a_finance_lead_does_not_read_the_posts_calendar(bot: Any) -> None:
    """/calendrier_com shows post titles: the communication team and the coordinators only."""
    await team(bot)
    finance = bot.user(FINANCE, "Fanny")
    await bot.onboard(finance)
    await grant(bot, FINANCE, Role.LEAD, Domain.FINANCE)
    shown = await bot.reply(finance, "/calendrier_com")
    assert "réservé à l'équipe communication" in plain(shown)


async def test_a_forged_calendar_offset_is_clamped(bot: Any) -> None:
    """cc:w:<huge offset> would overflow the date arithmetic: a year ahead at most is shown."""
    coord, _ = await team(bot)
    first = await bot.reply(coord, "/calendrier_com")
    before = plain(first)
    coord.forge_press(first, ComCalendarWeek(10**12).pack())
    await bot.sb.wait_for(lambda: plain(coord.messages[-1]) != before, 5)
    shown = plain(coord.messages[-1])
    assert "Publications du" in shown and str(datetime.now(UTC).year + 1) in shown


async def test_a_revoked_lead_cannot_edit_or_delete_their_own_draft(bot: Any) -> None:
    """Authorship alone is not enough: editing needs the role now."""
    _, lea = await team(bot)
    await write(bot, lea, "Brouillon de Léa.")
    post = await the_post(bot)
    await revoke(bot, LEA, Role.LEAD, Domain.COMMUNICATION)
    refused = await forge(bot, lea, CpEdit(post.id, "t").pack())
    assert "ne pouvez pas ouvrir" in plain(refused)
    refused = await forge(bot, lea, CpDelete(post.id).pack())
    assert "ne pouvez pas ouvrir" in plain(refused)
    assert (await the_post(bot)).status == PostStatus.DRAFT


async def test_photos_can_be_removed_and_the_card_shows_their_captions(bot: Any) -> None:
    coord, lea = await team(bot)
    await bot.reply(lea, "/brouillon")
    lea.send_raw(
        photo=[{"file_id": "photo-1", "file_unique_id": "u1", "width": 10, "height": 10}],
        caption="Belle journée de tractage !",
    )
    card = await lea.next_message()
    async with bot.services.transaction() as s:
        post = await s.scalar(select(ComPost).order_by(ComPost.id.desc()).limit(1))
        assert post is not None
        post.images = [{**post.images[0], "alt": "Stand du marché, samedi"}]
        person = await pq.person_by_telegram_id(s, COORDINATOR_ID)
        assert person is not None
        shown = await drafts.render(
            s, bot.services.settings, post, person, "fr", datetime.now(UTC), approval=True
        )
    assert "Stand du marché, samedi" in shown.text  # the caption the approver confirms
    removed = await press(lea, card, "Retirer les photos")
    after = await the_post(bot)
    assert after.images == [] and "Retirer les photos" not in removed.button_texts
    assert "image_rights" not in {f.rule for f in await _findings(bot, after)}


async def _findings(bot: Any, post: ComPost) -> list[Any]:
    async with bot.services.db.session() as s:
        return await drafts.findings_of(s, bot.services.settings, post, datetime.now(UTC))


async def test_approvals_and_confirmations_are_audited_with_who_and_when(bot: Any) -> None:
    coord, lea = await team(bot)
    card = await write(bot, lea, "Un texte simple.")
    approval = await submitted(bot, lea, card, coord)
    await press(coord, approval, "Publier maintenant")
    async with bot.services.db.session() as s:
        rows = list(await s.scalars(select(AuditLog).where(AuditLog.action == "compost.approved")))
    assert len(rows) == 1 and rows[0].subject.startswith("post:") and rows[0].actor_id is not None

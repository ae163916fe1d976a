"""Communication requests end to end through the sandbox: /com by a volunteer and by an organiser,
the cards at the right lead, claim / assign / done / refuse, forged and revoked presses, the job's
reminders and escalations (exactly once), the inbox button, "Rédiger le post" and /demandes_com."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.callbacks import ComReqAssign, ComReqCard, ComReqFromEmail, PostOpen
from bot.paging import LIMIT, shown_length
from capabilities.communication import requests
from capabilities.inbox.cards import send_card as send_email_card
from capabilities.inbox.common import Who
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import ComPost, ComRequest, EmailMessage, Person

LEA, PAUL, SAM, VIC = 301, 302, 303, 304
GIF = b"GIF89a\x0a\x00\x0a\x00\x00\x00\x00;"  # a 10x10 image header: enough for the sandbox


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "send_per_chat_per_second": 100.0,
        # The tests run the job themselves, at chosen times.
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


class Team:
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.coord: Any = None

    async def quiet(self, uid: int) -> None:
        async with self.bot.services.db.session() as s:
            await s.execute(update(Person).where(Person.telegram_id == uid).values(digest_paused=True))

    async def coordinator(self) -> Any:
        self.coord = self.bot.user(COORDINATOR_ID, "Camille", username="camille")
        await self.bot.onboard(self.coord)
        await self.quiet(COORDINATOR_ID)
        return self.coord

    async def member(self, uid: int, name: str, username: str, role: str | None = None) -> Any:
        user = self.bot.user(uid, name, username=username)
        await self.bot.onboard(user)
        await self.quiet(uid)
        if role:
            await self.bot.reply(self.coord, f"/role @{username} {role}")
            await self.bot.outbox_idle()
        return user

    async def press(self, user: Any, message: Any, text: str | None = None, data: str | None = None) -> Any:
        before = len(user.answers)
        user.press(message, text=text, data=data)
        await self.bot.sb.wait_for(lambda: len(user.answers) > before, 5)
        await self.bot.outbox_idle()
        return user.answers[-1]

    async def forge(self, user: Any, message: Any, data: str) -> Any:
        """Callback data no button of theirs carries: the server must check."""
        answered = await self.bot.forge(user, message, data, timeout=5)
        await self.bot.outbox_idle()
        return answered

    async def requests(self) -> list[ComRequest]:
        async with self.bot.services.db.session() as s:
            return list(await s.scalars(select(ComRequest).order_by(ComRequest.id)))

    async def person(self, uid: int) -> Person:
        person: Person | None = await self.bot.person(uid)
        assert person is not None
        return person

    async def say(self, user: Any, text: str, needle: str) -> Any:
        """Send `text`; the bot's new message containing `needle` (the read cursor moves past it)."""
        seen = {m.message_id for m in user.messages}
        user.send(text)
        await self.bot.sb.wait_for(
            lambda: any(needle in m.plain and m.message_id not in seen for m in user.messages), 5
        )
        found = [m for m in user.messages if needle in m.plain and m.message_id not in seen][-1]
        while (await user.next_message()).message_id != found.message_id:
            pass
        return found

    async def wait(self, user: Any, needle: str) -> Any:
        await self.bot.sb.wait_for(lambda: any(needle in m.plain for m in user.messages), 5)
        return [m for m in user.messages if needle in m.plain][-1]

    async def com(
        self,
        user: Any,
        kind: str,
        *,
        channels: tuple[str, ...] = (),
        deadline: str = "dans 3 jours",
        brief: str = "Annoncer la réunion publique de jeudi.",
        files: bool = False,
        confirm: bool = True,
    ) -> Any:
        """The whole /com form, tapping as a person would; returns the last answer."""
        before = len(await self.requests())
        ask = await self.say(user, "/com", "équipe communication")
        user.press(ask, text=kind)
        step = await user.next_message()
        if channels:
            for label in channels:
                user.press(step, text=label)
                await self.bot.sb.wait_for(lambda label=label: f"✅ {label}" in step.button_texts, 5)
            user.press(step, text="Valider")
            step = await user.next_message()
        assert "Pour quand" in step.plain
        step = await self.bot.reply(user, deadline)
        assert "Décrivez" in step.plain
        step = await self.bot.reply(user, brief)
        assert "photos ou des documents" in step.plain
        if files:
            photo = self.bot.sb.files.add(GIF, "affiche.gif", "image/gif", kind="photos")
            user.send_raw(photo=photo.photo_sizes())
            step = await user.next_message()
            assert "1 en tout" in step.plain
            user.send_document(b"%PDF-1.4 tract", "tract.pdf", mime_type="application/pdf")
            step = await user.next_message()
            assert "2 en tout" in step.plain
        user.press(step, text="Terminé")
        summary = await user.next_message()
        assert "Envoyer à l'équipe communication" in summary.plain
        assert len(await self.requests()) == before  # nothing stored before Confirmer
        seen = {m.message_id for m in user.messages}
        user.press(summary, text="Confirmer" if confirm else "Annuler")
        needle = "envoyée à" if confirm else "nnul"

        def answered() -> Any:
            return next((m for m in user.messages if needle in m.plain and m.message_id not in seen), None)

        done = await self.bot.sb.wait_for(answered, 5)
        await self.bot.outbox_idle()
        while (await user.next_message()).message_id != done.message_id:
            pass  # a card of their own may come first: the next reply() reads after the answer
        return done


def request_cards(user: Any) -> list[Any]:
    return [m for m in user.messages if "Demande com n°" in m.plain or "Proposition bénévole" in m.plain]


@pytest.fixture
async def team(bot: Any) -> Team:
    return Team(bot)


async def test_a_volunteer_proposes_with_files_and_the_communication_lead_gets_the_card(team: Team) -> None:
    coord = await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    sam = await team.member(SAM, "Sam", "sam", "responsable site")
    vic = await team.member(VIC, "Vic", "vic")
    sent = await team.com(vic, "Publication", channels=("Mastodon", "Telegram"), files=True)
    assert "Proposition n°" in sent.plain and "Léa" in sent.plain
    [request] = await team.requests()
    vic_person = await team.person(VIC)
    assert request.kind == "post" and request.domain == "communication" and request.status == "open"
    assert request.channels == ["mastodon", "telegram"]  # in limits.CHANNELS order
    assert request.requested_by == vic_person.id
    assert [f["kind"] for f in request.files] == ["photo", "document"]
    assert request.files[1]["name"] == "tract.pdf"
    assert request.deadline is not None and request.deadline > datetime.now(UTC) + timedelta(days=2)
    [card] = request_cards(lea)
    assert "Proposition bénévole" in card.plain and "Vic" in card.plain
    assert "Mastodon" in card.plain and "Annoncer la réunion publique" in card.plain
    assert "Je m'en occupe" in " ".join(card.button_texts)
    # The files follow the card, by their Telegram ids.
    await team.bot.sb.wait_for(lambda: len([m for m in lea.messages if m.kind != "text"]) == 2, 5)
    photo, document = [m for m in lea.messages if m.kind != "text"]
    assert photo.kind == "photo" and photo.photo is not None
    assert photo.photo.file_id == request.files[0]["file_id"]
    assert document.document is not None and document.document.filename == "tract.pdf"
    assert "demande n°\u00a01" in document.plain
    assert request_cards(coord) == [] and request_cards(sam) == []  # a lead exists: only them


async def test_an_organiser_asks_a_site_update_which_goes_to_the_website_lead(team: Team) -> None:
    coord = await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    sam = await team.member(SAM, "Sam", "sam", "responsable site")
    ask = await team.bot.reply(coord, "/com")
    assert "Proposition" not in ask.plain
    coord.press(ask, text="Mise à jour du site")
    step = await coord.next_message()
    assert "Pour quand" in step.plain  # no networks asked for a site update
    for bad in ("n'importe quand", "hier", "le 3 janvier 2001"):
        again = await team.bot.reply(coord, bad)
        assert "pas compris cette date" in again.plain, bad
    step = await team.bot.reply(coord, "vendredi 18h")
    assert "Décrivez" in step.plain
    step = await team.bot.reply(coord, "Mettre la page <agenda> à jour & ajouter le tract")
    coord.press(step, text="Terminé")
    summary = await coord.next_message()
    assert "Votre demande" in summary.plain and "<agenda> à jour & ajouter" in summary.plain
    coord.press(summary, text="Confirmer")
    sent = await team.wait(coord, "envoyée à")
    assert "Demande n°" in sent.plain and "Sam" in sent.plain
    await team.bot.outbox_idle()
    [request] = await team.requests()
    assert request.kind == "website" and request.domain == "website" and request.channels == []
    assert request.deadline is not None and request.deadline.astimezone(UTC).weekday() == 4
    [card] = request_cards(sam)
    assert "Demande com n°" in card.plain and "<agenda> à jour" in card.plain
    assert request_cards(lea) == []


async def test_without_a_lead_the_coordinators_get_it_and_cancel_stores_nothing(team: Team) -> None:
    coord = await team.coordinator()
    vic = await team.member(VIC, "Vic", "vic")
    await team.com(vic, "Visuel", channels=("Facebook",), confirm=False)
    assert await team.requests() == []
    await team.com(vic, "Communiqué de presse")
    [card] = request_cards(coord)
    assert "Communiqué de presse" in card.plain


async def test_claim_assign_done_and_refuse_with_a_reason(team: Team) -> None:
    await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    paul = await team.member(PAUL, "Paul", "paul", "responsable communication")
    vic = await team.member(VIC, "Vic", "vic")
    await team.com(vic, "Publication", channels=("Bluesky",))
    [card] = request_cards(lea)
    answer = await team.press(lea, card, "✋ Je m'en occupe")
    assert "vous vous en occupez" in answer.text and not answer.show_alert
    assert "Vous vous en occupez" in card.plain  # the pressed card, edited
    [paul_card] = request_cards(paul)
    await team.bot.sb.wait_for(lambda: "Léa s'en occupe" in paul_card.plain, 5)
    late = await team.forge(paul, paul_card, ComReqCard("c", (await team.requests())[0].id).pack())
    assert "Léa s'en occupe déjà" in late.text and late.show_alert

    # Léa gives it to Paul: the team is offered.
    await team.press(lea, card, "👥 Attribuer")
    menu = await team.wait(lea, "À qui confier")
    assert set(menu.button_texts) == {"Camille", "Léa", "Paul"}
    given = await team.press(lea, menu, "Paul")
    assert "Confiée à Paul" in given.text
    [request] = await team.requests()
    assert request.status == "claimed" and request.assignee_id == (await team.person(PAUL)).id
    await team.bot.sb.wait_for(lambda: "Vous vous en occupez" in paul_card.plain, 5)

    done = await team.press(paul, paul_card, "✅ Fait")
    assert "prévenue" in done.text
    told = await team.wait(vic, "est faite")
    assert "par Paul" in told.plain
    [request] = await team.requests()
    assert request.status == "done" and request.done_at is not None
    again = await team.forge(lea, card, ComReqCard("d", request.id).pack())
    assert "déjà faite" in again.text and again.show_alert

    # A second request, refused with a reason.
    await team.com(vic, "Vidéo", channels=("X",), brief="Un clip de 3 minutes")
    second = [c for c in request_cards(lea) if "Vidéo" in c.plain][-1]
    lea.press(second, text="🚫 Refuser")
    prompt = await team.wait(lea, "Pourquoi refuser")
    assert "Sans motif" in prompt.button_texts
    await team.say(lea, "Pas le temps de tourner <cette> semaine", "n°\u00a02 refusée")
    await team.bot.outbox_idle()
    told = await team.wait(vic, "n'a pas été retenue")
    assert "Pas le temps de tourner <cette> semaine" in told.plain
    refused = (await team.requests())[1]
    assert refused.status == "refused" and refused.refused_reason == "Pas le temps de tourner <cette> semaine"

    # A third, refused without a reason.
    await team.com(vic, "Visuel", channels=("Facebook",), brief="Une affiche")
    third = [c for c in request_cards(lea) if "Visuel" in c.plain][-1]
    lea.press(third, text="🚫 Refuser")
    prompt = await team.wait(lea, "Pourquoi refuser la demande n°\u00a03")
    await team.press(lea, prompt, "Sans motif")
    told = await team.wait(vic, "n°\u00a03")
    await team.bot.sb.wait_for(lambda: any("sans motif" in m.plain for m in vic.messages), 5)
    assert (await team.requests())[2].status == "refused"


async def test_forged_stale_and_revoked_presses_are_refused(team: Team) -> None:
    coord = await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    sam = await team.member(SAM, "Sam", "sam", "responsable site")
    vic = await team.member(VIC, "Vic", "vic")
    await team.com(vic, "Publication", channels=("Telegram",))
    [request] = await team.requests()
    [card] = request_cards(lea)
    own = vic.messages[-1]
    # A volunteer, and the website lead (not this request's domain), forging the team's buttons.
    for who, message in ((vic, own), (sam, sam.messages[-1])):
        for data in (ComReqCard("c", request.id).pack(), ComReqCard("d", request.id).pack()):
            refused = await team.forge(who, message, data)
            assert "seule l'équipe communication" in refused.text and refused.show_alert
        refused = await team.forge(who, message, ComReqAssign(request.id, (await team.person(VIC)).id).pack())
        assert "seule l'équipe communication" in refused.text
    # A stale id, and a member who is not on the team being given the request.
    stale = await team.forge(lea, card, ComReqCard("c", 999_999).pack())
    assert "seule l'équipe communication" in stale.text
    outsider = await team.forge(lea, card, ComReqAssign(request.id, (await team.person(VIC)).id).pack())
    assert "ne fait plus partie de l'équipe" in outsider.text
    assert (await team.requests())[0].status == "open"
    # The lead loses the role: her old card acts no more.
    await team.bot.reply(coord, "/retirer_role @lea responsable communication")
    await team.bot.outbox_idle()
    revoked = await team.press(lea, card, "✋ Je m'en occupe")
    assert "seule l'équipe communication" in revoked.text and revoked.show_alert
    [request] = await team.requests()
    assert request.status == "open" and request.assignee_id is None
    # The volunteer may not list the requests either.
    denied = await team.bot.reply(vic, "/demandes_com")
    assert "Demandes en cours" not in denied.plain


async def test_reminder_and_escalation_are_sent_exactly_once(team: Team) -> None:
    coord = await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    vic = await team.member(VIC, "Vic", "vic")
    svc = team.bot.services
    t0 = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    created = await requests.create(
        svc,
        await team.person(VIC),
        kind="post",
        channels=["mastodon"],
        deadline=t0 + timedelta(hours=72),
        brief="Relayer la pétition",
        files=[],
        now=t0,
    )
    await team.bot.outbox_idle()
    assert len(request_cards(lea)) == 1
    assert await requests.run(svc, t0 + timedelta(hours=1)) == 0
    # A day later, nobody took it: the coordinators are told, once, in the day's summary (issue 18:
    # a summary a working day, not a card per request; tests/handlers/test_com_escalation_summary.py).
    assert await requests.run(svc, t0 + timedelta(hours=25)) == 1
    assert await requests.run(svc, t0 + timedelta(hours=26)) == 0
    await team.bot.outbox_idle()
    escalated = [m for m in coord.messages if "sans preneur" in m.plain]
    assert len(escalated) == 1 and f"n°\u00a0{created.request_id} " in escalated[0].plain
    assert request_cards(coord) == []  # no card of its own for the coordinator
    # A day before the deadline: one reminder to the lead who got it.
    assert await requests.run(svc, t0 + timedelta(hours=49)) == 1
    assert await requests.run(svc, t0 + timedelta(hours=50)) == 0
    assert await requests.run(svc, t0 + timedelta(hours=80)) == 0
    await team.bot.outbox_idle()
    reminders = [m for m in lea.messages if m.plain.startswith("⏰")]
    assert len(reminders) == 1 and "Relayer la pétition" in reminders[0].plain
    assert not [m for m in vic.messages if m.plain.startswith("⏰")]
    [request] = await team.requests()
    assert request.reminded_at is not None and request.escalated_at is not None


async def test_a_claimed_request_is_reminded_to_its_holder_only(team: Team) -> None:
    await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    paul = await team.member(PAUL, "Paul", "paul", "responsable communication")
    svc = team.bot.services
    now = datetime.now(UTC)
    created = await requests.create(
        svc,
        await team.person(COORDINATOR_ID),
        kind="visual",
        channels=["facebook"],
        deadline=now + timedelta(hours=30),
        brief="Affiche",
        files=[],
        now=now,
    )
    await team.bot.outbox_idle()
    [card] = request_cards(paul)
    await team.press(paul, card, "✋ Je m'en occupe")
    assert await requests.run(svc, now + timedelta(hours=10)) == 1  # reminder; claimed: no escalation
    assert await requests.run(svc, now + timedelta(hours=30)) == 0
    await team.bot.outbox_idle()
    assert len([m for m in paul.messages if m.plain.startswith("⏰")]) == 1
    assert not [m for m in lea.messages if m.plain.startswith("⏰")]
    assert created.request_id == (await team.requests())[0].id


async def _email(team: Team, domain: str, assignee: Person) -> EmailMessage:
    svc = team.bot.services
    async with svc.transaction() as s:
        email = EmailMessage(
            gmail_id=f"g-{domain}",
            thread_id=f"t-{domain}",
            sender="presse@journal.example",
            subject=f"Interview ({domain})",
            received_at=datetime.now(UTC),
            excerpt="Bonjour, pourriez-vous publier notre annonce ?",
            domain=domain,
            confidence=1.0,
            status="assigned",
            assignee_id=assignee.id,
        )
        s.add(email)
        await s.flush()
        await send_email_card(s, svc.settings, email, assignee, "f")
    await team.bot.outbox_idle()
    return email


async def test_an_email_becomes_a_request_once_with_one_button(team: Team) -> None:
    await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    sam = await team.member(SAM, "Sam", "sam", "responsable finances")
    lea_person = await team.person(LEA)
    email = await _email(team, "communication", lea_person)
    card = [m for m in lea.messages if "Courriel n°" in m.plain][-1]
    assert "📣 En faire une demande com" in card.button_texts
    made = await team.press(lea, card, "📣 En faire une demande com")
    assert "Demande n°\u00a01 créée" in made.text
    [request] = await team.requests()
    assert request.email_id == email.id and request.kind == "post" and request.status == "open"
    assert "Interview (communication)" in request.brief
    [request_card] = request_cards(lea)
    assert f"courriel n°\u00a0{email.id}" in request_card.plain.lower()
    again = await team.press(lea, card, "📣 En faire une demande com")
    assert "déjà la demande n°\u00a01" in again.text
    assert len(await team.requests()) == 1
    # A finance email has no such button, and a forged one is refused.
    finance = await _email(team, "finance", await team.person(SAM))
    finance_card = [m for m in sam.messages if "Courriel n°" in m.plain][-1]
    assert "📣 En faire une demande com" not in finance_card.button_texts
    forged = await team.forge(sam, finance_card, ComReqFromEmail(finance.id).pack())
    assert forged.show_alert
    assert len(await team.requests()) == 1


async def test_write_the_post_makes_one_draft_and_answers_with_its_button(team: Team) -> None:
    await team.coordinator()
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    vic = await team.member(VIC, "Vic", "vic")
    await team.com(vic, "Publication", channels=("Mastodon", "Bluesky"), files=True)
    [card] = request_cards(lea)
    assert "✍️ Rédiger le post" not in card.button_texts  # not before someone takes it
    await team.press(lea, card, "✋ Je m'en occupe")
    assert "✍️ Rédiger le post" in card.button_texts
    for _ in range(2):
        await team.press(lea, card, "✍️ Rédiger le post")
    answers = [m for m in lea.messages if "brouillon" in m.plain.lower()]
    assert len(answers) == 2 and "déjà un brouillon" in answers[1].plain
    async with team.bot.services.db.session() as s:
        [post] = list(await s.scalars(select(ComPost)))
    [request] = await team.requests()
    assert (post.purpose, post.status, post.request_id) == ("request", "draft", request.id)
    assert post.author_id == (await team.person(LEA)).id
    assert post.channels == ["bluesky", "mastodon"] and post.text == request.brief
    assert post.images == [{"file_id": request.files[0]["file_id"], "name": ""}]
    assert answers[0].inline_keyboard[0][0]["callback_data"] == PostOpen(post.id).pack()


async def test_demandes_com_sorts_by_deadline_overdue_first_and_fits_one_message(team: Team) -> None:
    coord = await team.coordinator()
    await team.member(LEA, "Léa", "lea", "responsable communication")  # the cards go to her
    svc = team.bot.services
    me = await team.person(COORDINATOR_ID)
    now = datetime.now(UTC)

    async def make(brief: str, deadline: datetime | None) -> int:
        created = await requests.create(
            svc, me, kind="post", channels=["x"], deadline=deadline, brief=brief, files=[], now=now
        )
        return created.request_id

    await make("Loin", now + timedelta(days=20))
    await make("Sans date", None)
    await make("En retard", now - timedelta(days=1))
    await make("Bientôt", now + timedelta(days=1))
    listing = await team.bot.reply(coord, "/demandes_com")
    text = listing.plain
    order = [text.index(w) for w in ("En retard", "Bientôt", "Loin", "Sans date")]
    assert order == sorted(order), text
    assert "en retard" in text
    # Long values: the listing still fits one message and says what was left out.
    for i in range(60):
        await make(f"Demande longue {i} " + "é<&>" * 600, now + timedelta(days=30 + i))
    await team.bot.outbox_idle()
    listing = await team.bot.reply(coord, "/demandes_com")
    assert shown_length(listing.text or "") <= LIMIT
    assert "de plus" in listing.plain and listing.plain.index("En retard") < listing.plain.index("Loin")
    # Done requests leave the list.
    who = Who(me, True)
    [late] = [r for r in await team.requests() if r.brief == "En retard"]
    assert (await requests.mark_done(svc, late.id, who, now)).ok
    listing = await team.bot.reply(coord, "/demandes_com")
    assert "En retard" not in listing.plain

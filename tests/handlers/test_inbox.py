"""The shared inbox end to end: FakeGmail (real google-api-python-client) → sync job → Telegram
sandbox, and people pressing the buttons, answering, sorting and routing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from capabilities import inbox as inbox_job
from integrations.gmail import GmailClient
from integrations.google_auth import CredentialStore
from sandbox.bot_harness import COORDINATOR_ID
from sandbox.google import FakeGmail, FakeTokenEndpoint, static_credentials
from storage.models import EmailMessage, KeyValue, Outbox, Person

PARIS = ZoneInfo("Europe/Paris")
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005}
MONDAY = datetime(2030, 1, 7, 9, 30, tzinfo=PARIS)  # a Monday, 9:30 in Paris


@pytest.fixture
def gmail_fake() -> Iterator[FakeGmail]:
    with FakeGmail() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def settings_overrides(gmail_fake: FakeGmail, tmp_path: Path) -> dict[str, object]:
    return {
        "gmail_api_endpoint": gmail_fake.url,
        "gmail_token_path": str(tmp_path / "no-token.json"),
        "triage_model_path": str(tmp_path / "no-model.json"),
        "gmail_sync_seconds": 0,  # the tests run the job themselves, at chosen times
        "send_per_chat_per_second": 100.0,
    }


class Box:
    """The bot, the fake Gmail and the people of a scenario."""

    def __init__(self, bot: Any, fake: FakeGmail) -> None:
        self.bot = bot
        self.fake = fake
        self.coord: Any = None

    async def sync(self, now: datetime | None = None) -> int:
        done = await inbox_job.run(self.bot.services, now or datetime.now(UTC))
        await self.bot.outbox_idle()
        return done

    async def quiet(self, uid: int) -> None:
        """Other features' timed messages (the morning digest) stay out of these scenarios."""
        async with self.bot.services.db.session() as s:
            await s.execute(update(Person).where(Person.telegram_id == uid).values(digest_paused=True))

    async def coordinator(self) -> Any:
        self.coord = self.bot.user(COORDINATOR_ID, "Camille", username="camille")
        await self.bot.onboard(self.coord)
        await self.quiet(COORDINATOR_ID)
        return self.coord

    async def member(
        self, uid: int, name: str, username: str, role: str | None = None, lang: str = "fr"
    ) -> Any:
        user = self.bot.user(uid, name, username=username, language_code=lang)
        await self.bot.onboard(user)
        await self.quiet(uid)
        if role:
            await self.bot.reply(self.coord, f"/role @{username} {role}")
            await self.bot.outbox_idle()
        return user

    async def say(self, user: Any, text: str) -> Any:
        """Send a command and return the bot's answer (not a card queued meanwhile)."""
        before = len(user.messages)
        user.send(text)
        return await self.bot.sb.wait_for(
            lambda: next((m for m in user.messages[before:] if m not in cards(user)), None), 5
        )

    async def press(self, user: Any, message: Any, text: str | None = None, data: str | None = None) -> Any:
        before = len(user.answers)
        user.press(message, text=text, data=data)
        await self.bot.sb.wait_for(lambda: len(user.answers) > before, 5)
        await self.bot.outbox_idle()
        return user.answers[-1]

    async def email(self, gmail_id: str) -> EmailMessage:
        async with self.bot.services.db.session() as s:
            row: EmailMessage | None = await s.scalar(
                select(EmailMessage).where(EmailMessage.gmail_id == gmail_id)
            )
        assert row is not None
        return row


@pytest.fixture
async def box(bot: Any, gmail_fake: FakeGmail) -> Box:
    bot.services.extras["gmail"] = GmailClient(static_credentials, api_endpoint=gmail_fake.url, **FAST)
    return Box(bot, gmail_fake)


def cards(user: Any) -> list[Any]:
    return [
        m
        for m in user.messages
        if m.plain and ("Courriel n°" in m.plain or "Courriel à trier" in m.plain or "Email #" in m.plain)
    ]


def last(user: Any, predicate: Callable[[Any], bool]) -> Any:
    found = [m for m in user.messages if predicate(m)]
    assert found, [m.plain for m in user.messages]
    return found[-1]


FINANCE_BODY = (
    "Bonjour,\nJ'ai fait un don de 50 euros en mars et je n'ai jamais reçu mon reçu fiscal. "
    "Pouvez-vous me l'envoyer ? <merci> & bonne journée\n\nCordialement,\nMarie Dupont\n06 12 34 56 78\n\n"
    "Le lun. 2 mars 2026 à 10:00, Mouvement <mouvement@gmail.com> a écrit :\n> Merci pour votre don !\n"
    "> Le trésorier\n"
)


# --- Forward, labels, exactly once --------------------------------------------------------------


async def test_finance_email_reaches_the_lead_once_with_a_clean_card(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    gid = box.fake.deliver(
        from_="Marie Dupont <marie@example.fr>",
        subject="Reçu fiscal manquant",
        body=FINANCE_BODY,
        attachments=[("relevé-bancaire.pdf", "application/pdf", b"%PDF-1.4 fake")],
    )
    assert await box.sync() == 1
    [card] = cards(lea)
    text = card.plain
    assert "Courriel n°" in text and "Finances" in text
    assert "Marie Dupont <marie@example.fr>" in text and "Reçu fiscal manquant" in text
    assert (
        "jamais reçu mon reçu fiscal" in text and "<merci> & bonne journée" in text
    )  # escaped, shown as typed
    assert "06 12 34 56 78" not in text and "Merci pour votre don" not in text  # signature, quoted history
    assert "relevé-bancaire.pdf" in text and "Reçu\u00a0:" in text
    email = await box.email(gid)
    assert f"https://mail.google.com/mail/u/0/#all/{email.thread_id}" in card.text
    assert card.button_texts == ["✋ Je m'en occupe", "↪️ Réaffecter", "✍️ Répondre", "✅ Répondu", "🚫 Spam"]
    assert email.status == "assigned" and email.domain == "finance" and email.auto_routed
    assert sorted(box.fake.label_names(gid)) == ["Coordo/Finances", "Coordo/À traiter", "INBOX", "UNREAD"]
    # The coordinator is not bothered: the lead got it.
    assert cards(box.coord) == []

    # Nothing twice: another tick, then a crash-like replay from an old history id.
    assert await box.sync() == 0
    async with box.bot.services.db.session() as s:
        state = await s.get(KeyValue, "inbox.gmail")
        assert state is not None
        state.value = {**state.value, "history_id": 1000}
    assert await box.sync() == 0
    assert len(cards(lea)) == 1
    assert await box.bot.count(EmailMessage) == 1


async def test_claim_first_wins_and_the_others_see_who(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    paul = await box.member(302, "Paul", "paul", "responsable finances")
    box.fake.deliver(
        subject="Remboursement",
        body="Bonjour, j'ai été prélevé deux fois pour ma cotisation, pouvez-vous me rembourser ?",
        date=MONDAY - timedelta(minutes=5),
    )
    await box.sync(MONDAY)
    holder, other = (lea, paul) if cards(lea) else (paul, lea)
    assert cards(other) == []
    # 8 working hours later nobody took it: the coordinator hears of it in the day's summary of late
    # emails (issue 18: one summary, not a card per email), and opens it from there.
    await box.sync(MONDAY + timedelta(hours=8, minutes=1))
    assert cards(box.coord) == []
    summary = last(box.coord, lambda m: "Courriels en retard" in (m.plain or ""))
    holder_name = "Léa" if holder is lea else "Paul"
    assert f"{holder_name}\u00a0: 1 en retard, depuis 8\u00a0heures" in summary.plain
    before = len(box.coord.messages)
    await box.press(box.coord, summary, f"📂 {holder_name} (1)")
    listed = await box.bot.sb.wait_for(lambda: next(iter(box.coord.messages[before:]), None), 5)
    assert f"{holder_name}\u00a0: 1 en retard" in listed.plain and "Remboursement" in listed.plain
    await box.press(box.coord, listed, f"Voir n°\u00a0{(await _only_email(box)).id}")
    [escalated] = cards(box.coord)

    await box.press(box.coord, escalated, "↪️ Réaffecter")
    await box.bot.sb.wait_for(lambda: "Communication" in escalated.button_texts, 5)
    await box.press(box.coord, escalated, "Retour")  # changed their mind: the card is as before
    await box.bot.sb.wait_for(lambda: "✋ Je m'en occupe" in escalated.button_texts, 5)
    answer = await box.press(box.coord, escalated, "✋ Je m'en occupe")
    assert "vous vous en occupez" in answer.text
    assert "Vous vous en occupez" in box.coord.messages[-1].plain or "Vous vous en occupez" in escalated.plain
    await box.bot.sb.wait_for(lambda: "Camille s'en occupe" in (cards(holder)[0].plain or ""), 5)
    assert cards(holder)[0].button_texts == []
    # Too late for the lead: a clear answer, nothing changes.
    late = await box.bot.forge(holder, cards(holder)[0], f"ib:c:{(await _only_email(box)).id}")
    assert "Camille s'en occupe déjà" in late.text
    email = await _only_email(box)
    assert email.status == "claimed" and email.claimed_by == (await box.bot.person(COORDINATOR_ID)).id
    gid = email.gmail_id
    assert "Coordo/En cours" in box.fake.label_names(gid) and "Coordo/À traiter" not in box.fake.label_names(
        gid
    )


async def _only_email(box: Box) -> EmailMessage:
    async with box.bot.services.db.session() as s:
        rows: list[EmailMessage] = list(await s.scalars(select(EmailMessage)))
    assert len(rows) == 1
    return rows[0]


# --- Follow-up --------------------------------------------------------------------------------------


async def test_reminder_then_escalation_once_each_in_working_hours(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    friday = MONDAY - timedelta(days=3) + timedelta(hours=6, minutes=30)  # Friday 16:00
    box.fake.deliver(
        subject="Facture imprimeur",
        body="Bonjour, veuillez trouver ci-joint la facture des tracts commandés, à régler sous 30 jours.",
        date=friday,
    )
    await box.sync(friday + timedelta(minutes=1))
    assert len(cards(lea)) == 1

    def reminders() -> list[Any]:
        return [m for m in lea.messages if "Rappel" in (m.plain or "")]

    # Friday 16:00 + 4 working hours = Monday 11:00; the weekend does not count.
    for now in (
        friday + timedelta(hours=1, minutes=59),
        MONDAY - timedelta(hours=1),
        MONDAY + timedelta(minutes=89),
    ):
        await box.sync(now)
    assert reminders() == []
    await box.sync(MONDAY + timedelta(minutes=91))  # 11:01
    await box.sync(MONDAY + timedelta(minutes=95))
    assert len(reminders()) == 1
    assert "attend depuis 4 h ouvrées" in reminders()[0].plain
    assert cards(box.coord) == []

    # 8 working hours: Monday 15:00 → late: the coordinators' summary says so, once that day, then
    # once the next working day while it is still late (issue 18: a summary, never a card per email).
    def summaries() -> list[Any]:
        return [m for m in box.coord.messages if "Courriels en retard" in (m.plain or "")]

    await box.sync(MONDAY + timedelta(hours=5, minutes=29))
    assert summaries() == []
    await box.sync(MONDAY + timedelta(hours=5, minutes=31))
    await box.sync(MONDAY + timedelta(hours=6))
    assert len(summaries()) == 1 and "Léa\u00a0: 1 en retard, depuis 2\u00a0jours" in summaries()[0].plain
    await box.sync(MONDAY + timedelta(days=1))
    await box.sync(MONDAY + timedelta(days=1, hours=2))
    assert len(summaries()) == 2 and "depuis 3\u00a0jours" in summaries()[1].plain
    assert cards(box.coord) == [] and len(reminders()) == 1
    email = await _only_email(box)
    assert email.reminded_at is not None and email.escalated_at is not None
    # The reminder's button opens the email again.
    await box.press(lea, reminders()[0], "✋ Je m'en occupe")
    assert (await _only_email(box)).status == "claimed"


# --- Answering from Telegram ------------------------------------------------------------------------


async def test_answer_from_telegram_in_the_same_thread_never_twice(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    first = box.fake.deliver(
        from_="Marie <marie@example.fr>",
        subject="Reçu fiscal",
        body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.",
    )
    follow = box.fake.deliver(
        from_="Marie <marie@example.fr>",
        subject="Re: Reçu fiscal",
        in_reply_to=first,
        body="Je relance : toujours pas de reçu fiscal pour mon don de mars.",
    )
    await box.sync()
    card = cards(lea)[-1]
    email = await box.email(follow)
    lea.press(card, "✍️ Répondre")
    prompt = await box.bot.sb.wait_for(
        lambda: next((m for m in lea.messages if "Votre réponse à" in (m.plain or "")), None)
    )
    assert "Marie <marie@example.fr>" in prompt.plain
    await box.bot.sb.wait_for(lambda: "Vous vous en occupez" in (card.plain or ""), 5)

    # Bad input first: nothing empty, nothing longer than a Telegram preview can show.
    too_long = await box.say(lea, "x" * 5000)
    assert "trop longue (5000 caractères, 3500 au plus)" in too_long.plain
    blank = await box.say(lea, "\u200b")  # looks empty
    assert "vide" in blank.plain
    before = len(lea.messages)
    lea.send_raw(
        sticker={
            "file_id": "CAAD",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    )
    sticker = await box.bot.sb.wait_for(lambda: lea.messages[before:] and lea.messages[-1], 5)
    assert "en texte" in sticker.plain
    preview = await box.say(lea, "Bonjour Marie,\nVotre reçu part aujourd'hui. <Désolés> & merci !")
    assert "Aperçu" in preview.plain and "Re: Reçu fiscal" in preview.plain
    assert "<Désolés> & merci !" in preview.plain and "Léa\nÀ nous la démocratie !" in preview.plain
    # Changing one's mind: a new text replaces the draft.
    preview = await box.say(lea, "Bonjour Marie,\nVotre reçu fiscal part aujourd'hui. Désolés du retard !")
    lea.press(preview, "📤 Envoyer")
    lea.press(preview, "📤 Envoyer")  # a double tap
    done = await box.bot.sb.wait_for(
        lambda: next((m for m in lea.messages if "Réponse envoyée" in (m.plain or "")), None)
    )
    assert "Marie <marie@example.fr>" in done.plain
    await box.bot.sb.wait_for(lambda: len(lea.answers) >= 3, 5)
    await box.bot.outbox_idle()
    assert len(box.fake.sent) == 1
    sent = box.fake.sent[0]
    original = box.fake.message(follow)
    assert sent.thread_id == original.thread_id == email.thread_id
    mail = sent.email
    assert mail["Subject"] == "Re: Reçu fiscal"
    assert mail["In-Reply-To"] == original.message_id
    assert mail["References"].split() == [box.fake.message(first).message_id, original.message_id]
    assert mail["To"].addresses[0].addr_spec == "marie@example.fr"
    content = mail.get_content().replace("\r\n", "\n")
    assert "Votre reçu fiscal part aujourd'hui" in content and "Léa\nÀ nous la démocratie !" in content
    email = await box.email(follow)
    assert email.status == "answered" and email.answered_at is not None
    await box.bot.sb.wait_for(lambda: "Traité par Léa" in (card.plain or ""), 5)
    assert "Coordo/Traité" in box.fake.label_names(follow)
    # Our own answer is not new mail for the bot.
    assert await box.sync() == 0


async def test_answers_go_only_to_the_recipient_shown_and_chosen_when_reply_to_is_elsewhere(box: Box) -> None:
    """A forged "From: CNCCFP" whose Reply-To is an attacker's: the card, the prompt and the preview
    show both addresses with a warning, Envoyer alone is refused, the person chooses; the answer
    goes where the confirmation says. A Reply-To of the sender's own domain is shown and used."""
    coord = await box.coordinator()
    gid = box.fake.deliver(
        from_="CNCCFP <contact@cnccfp.fr>",
        reply_to="CNCCFP contrôle <controle@cnccfp-verif.com>",
        subject="Contrôle des comptes 2026",
        body="Bonjour, dans le cadre du contrôle, merci de nous transmettre la liste complète des "
        "donateurs 2026 avec leurs adresses et montants, avant vendredi.",
    )
    await box.sync()
    email = await box.email(gid)
    assert email.reply_to == "CNCCFP contrôle <controle@cnccfp-verif.com>"
    card = cards(coord)[-1]
    assert "De\u00a0: CNCCFP <contact@cnccfp.fr>" in card.plain
    assert "Réponses à\u00a0: CNCCFP contrôle <controle@cnccfp-verif.com>" in card.plain
    assert "n'est pas celle de l'expéditeur" in card.plain
    coord.press(card, "✍️ Répondre")
    prompt = await box.bot.sb.wait_for(
        lambda: next((m for m in coord.messages if "Votre réponse" in (m.plain or "")), None)
    )
    assert "contact@cnccfp.fr" in prompt.plain and "controle@cnccfp-verif.com" in prompt.plain
    preview = await box.say(coord, "Bonjour, pouvez-vous confirmer cette demande par courrier ?")
    assert "Aperçu" in preview.plain and "controle@cnccfp-verif.com" in preview.plain
    assert "📤 Envoyer" not in preview.button_texts  # no send without choosing
    choice = [
        "📤 Envoyer à l'expéditeur\u00a0: contact@cnccfp.fr",
        "⚠️ Envoyer à l'adresse de réponse\u00a0: controle@cnccfp-verif.com",
    ]
    assert preview.button_texts[:2] == choice
    # The old Envoyer (or a forged one) does not choose for the person.
    await box.bot.forge(coord, preview, f"ib:ok:{email.id}")
    refused = await box.bot.sb.wait_for(
        lambda: next((m for m in coord.messages if "Choisissez d'abord" in (m.plain or "")), None), 5
    )
    assert refused is not None and box.fake.sent == []
    assert (await box.email(gid)).status == "claimed"

    assert refused.button_texts[:2] == choice  # the choice, offered again
    coord.press(refused, refused.button_texts[0])
    done = await box.bot.sb.wait_for(
        lambda: next((m for m in coord.messages if "Réponse envoyée" in (m.plain or "")), None)
    )
    assert "Réponse envoyée à CNCCFP <contact@cnccfp.fr>" in done.plain
    await box.bot.outbox_idle()
    [sent] = box.fake.sent
    assert [a.addr_spec for a in sent.email["To"].addresses] == ["contact@cnccfp.fr"]

    # Same domain: no choice to make, the Reply-To shown is where the answer goes.
    other = box.fake.deliver(
        from_="Marie <marie@example.fr>",
        reply_to="Marie Dupont <marie.dupont@example.fr>",
        subject="Adhésion",
        body="Bonjour, comment puis-je adhérer à votre mouvement ? Merci.",
    )
    await box.sync()
    card = cards(coord)[-1]
    assert "Réponses à\u00a0: Marie Dupont <marie.dupont@example.fr>" in card.plain
    assert "n'est pas celle de l'expéditeur" not in card.plain
    coord.press(card, "✍️ Répondre")
    await box.bot.sb.wait_for(lambda: sum("Votre réponse" in (m.plain or "") for m in coord.messages) == 2, 5)
    preview = await box.say(coord, "Bonjour Marie, voici comment adhérer.")
    assert "À\u00a0: Marie Dupont <marie.dupont@example.fr>" in preview.plain
    coord.press(preview, "📤 Envoyer")
    done = await box.bot.sb.wait_for(
        lambda: next((m for m in coord.messages if "Réponse envoyée à Marie Dupont" in (m.plain or "")), None)
    )
    assert done is not None
    sent_other = [m for m in box.fake.sent if m.thread_id == box.fake.message(other).thread_id]
    assert [a.addr_spec for a in sent_other[0].email["To"].addresses] == ["marie.dupont@example.fr"]


async def test_saved_answers_and_send_failure_keeps_the_draft(box: Box) -> None:
    await box.coordinator()
    sam = await box.member(302, "Sam", "sam", "responsable secrétariat")
    made = await box.say(
        sam, "/modeles ajouter adhesion Bonjour,\nPour adhérer : https://example.org/adherer\nÀ bientôt"
    )
    assert "«\u00a0adhesion\u00a0» enregistrée" in made.plain
    replaced = await box.say(
        sam, "/modeles ajouter adhesion Bonjour,\nPour adhérer, c'est ici\u00a0: https://example.org/adherer"
    )
    assert "remplacée" in replaced.plain
    assert "Donnez un nom" in (await box.say(sam, "/modeles ajouter")).plain
    await box.say(sam, "/modeles ajouter horaires Nos permanences : mardi et jeudi soir.")
    listed = await box.say(sam, "/modeles")
    assert "adhesion" in listed.plain and "horaires" in listed.plain
    assert "Nos permanences" in (await box.say(sam, "/modeles horaires")).plain
    assert "supprimée" in (await box.say(sam, "/modeles supprimer horaires")).plain
    assert "Je ne connais pas" in (await box.say(sam, "/modeles supprimer horaires")).plain

    gid = box.fake.deliver(
        subject="Adhésion", body="Bonjour, comment puis-je adhérer à votre mouvement ? Merci."
    )
    await box.sync()
    card = cards(sam)[-1]
    sam.press(card, "✍️ Répondre")
    prompt = await box.bot.sb.wait_for(
        lambda: next((m for m in sam.messages if "Votre réponse à" in (m.plain or "")), None)
    )
    assert prompt.button_texts == ["adhesion", "✖️ Annuler la réponse"]
    sam.press(prompt, "adhesion")
    preview = await box.bot.sb.wait_for(
        lambda: next((m for m in sam.messages if "Aperçu" in (m.plain or "")), None)
    )
    assert "c'est ici\u00a0: https://example.org/adherer" in preview.plain
    box.fake.inject(500, path=r"/send$")  # Gmail fails while sending: maybe sent, not retried blindly
    sam.press(preview, "📤 Envoyer")
    warned = await box.bot.sb.wait_for(
        lambda: next((m for m in sam.messages if "peut-être partie" in (m.plain or "")), None)
    )
    assert (await box.email(gid)).status == "claimed"
    assert box.fake.sent == []
    sam.press(warned, "📤 Envoyer")  # checked in Gmail: it did not leave; send again
    await box.bot.sb.wait_for(lambda: any("Réponse envoyée" in (m.plain or "") for m in sam.messages), 5)
    assert len(box.fake.sent) == 1 and (await box.email(gid)).status == "answered"


async def test_cancel_and_other_commands_drop_the_draft(box: Box) -> None:
    await box.coordinator()
    sam = await box.member(302, "Sam", "sam", "responsable secrétariat")
    box.fake.deliver(subject="Question", body="Bonjour, comment puis-je adhérer à votre mouvement ? Merci.")
    await box.sync()
    sam.press(cards(sam)[-1], "✍️ Répondre")
    await box.bot.sb.wait_for(lambda: any("Votre réponse à" in (m.plain or "") for m in sam.messages), 5)
    assert "Réponse abandonnée" in (await box.say(sam, "/cancel")).plain
    assert "rien à annuler" in (await box.say(sam, "/cancel")).plain.lower()
    sam.press(cards(sam)[-1], "✍️ Répondre")
    await box.bot.sb.wait_for(lambda: sum("Votre réponse à" in (m.plain or "") for m in sam.messages) == 2, 5)
    await box.say(sam, "/modeles")  # looking up the saved answers keeps the draft
    assert "Aperçu" in (await box.say(sam, "Bonjour, voici comment adhérer.")).plain
    await box.say(sam, "/agenda")  # another feature: the person moved on
    after = await box.say(sam, "bonjour")
    assert "Aperçu" not in after.plain  # plain text is no longer taken as an answer
    assert box.fake.sent == []


# --- Sorting, learning, routing -------------------------------------------------------------------


async def test_unsure_email_sorted_by_the_secretariat_teaches_the_model(box: Box) -> None:
    await box.coordinator()
    sam = await box.member(302, "Sam", "sam", "responsable secrétariat")
    omar = await box.member(304, "Omar", "omar")
    routed = await box.say(box.coord, "/routage campagne Lyon @omar")
    assert "Omar reçoit désormais les courriels Campagne · Lyon" in routed.plain
    assert "n'a pas le rôle responsable" in routed.plain
    vague = "Salut, on se retrouve où pour le truc de samedi matin avec Karim ? Je ramène les cafés."
    box.fake.deliver(from_="Inès <ines@example.fr>", subject="samedi", body=vague)
    await box.sync()
    [card] = cards(sam)
    assert "Courriel à trier" in card.plain
    assert "Campagne …" in card.button_texts and "Finances" in card.button_texts
    await box.press(sam, card, "Campagne …")
    await box.bot.sb.wait_for(lambda: "Lyon" in card.button_texts, 5)
    answer = await box.press(sam, card, "Lyon")
    assert "Transmis à Omar (Campagne · Lyon)" in answer.text
    [omar_card] = cards(omar)
    assert "Campagne · Lyon" in omar_card.plain and "✋ Je m'en occupe" in omar_card.button_texts
    assert "Transmis à Omar" in card.plain and card.button_texts == []
    async with box.bot.services.db.session() as s:
        model = await s.get(KeyValue, "inbox.triage_model")
    assert model is not None and model.value["corrections"][-1]["label"] == "campaign"
    # The same message now goes straight to Omar; a close one is suggested as such.
    box.fake.deliver(from_="Inès <ines@example.fr>", subject="samedi", body=vague)
    await box.sync()
    assert len(cards(omar)) == 2 and len(cards(sam)) == 1
    box.fake.deliver(
        from_="Inès <ines@example.fr>",
        subject="samedi",
        body="Salut, on se retrouve où pour le truc de samedi matin avec Karim ? Je ramène le thermos.",
    )
    await box.sync()
    assert "probablement Campagne · Lyon" in cards(sam)[-1].plain
    # The model survives a restart (read back from the database).
    box.bot.services.extras.pop("inbox.model")
    box.fake.deliver(from_="Inès <ines@example.fr>", subject="samedi", body=vague)
    await box.sync()
    assert len(cards(omar)) == 3


async def test_reassign_to_another_domain_and_spam(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    nora = await box.member(303, "Nora", "nora", "responsable presse")
    gid = box.fake.deliver(
        subject="Don", body="Bonjour, je souhaite faire un don par virement, quel est votre RIB ?"
    )
    spam_id = box.fake.deliver(
        from_="promo@seo-boost.biz",
        subject="Boostez votre visibilité",
        body="Offre exclusive : 10 000 followers pour votre campagne, paiement sous 48h, "
        "cliquez ici pour profiter de -50%",
    )
    await box.sync()
    assert sum("Boostez" in (m.plain or "") for u in (lea, nora, box.coord) for m in u.messages) == 0
    assert "Coordo/Spam" in box.fake.label_names(spam_id)
    assert "Coordo/À traiter" not in box.fake.label_names(spam_id)
    [card] = cards(lea)
    await box.press(lea, card, "↪️ Réaffecter")
    await box.bot.sb.wait_for(lambda: "Communication" in card.button_texts, 5)
    answer = await box.press(lea, card, "Communication")
    assert "Transmis à Nora (Communication)" in answer.text
    [nora_card] = cards(nora)
    assert "Communication" in nora_card.plain
    assert "Coordo/Communication" in box.fake.label_names(
        gid
    ) and "Coordo/Finances" not in box.fake.label_names(gid)
    # Nora: it is spam after all.
    answer = await box.press(nora, nora_card, "🚫 Spam")
    assert "spam" in answer.text
    assert (await box.email(gid)).status == "spam" and "Coordo/Spam" in box.fake.label_names(gid)
    assert "Classé comme spam" in nora_card.plain


async def test_spam_visible_to_the_secretariat_and_restored(box: Box) -> None:
    await box.coordinator()
    sam = await box.member(302, "Sam", "sam", "responsable secrétariat")
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    box.fake.deliver(
        from_="promo@seo-boost.biz",
        subject="Boostez votre visibilité",
        body="Offre exclusive : 10 000 followers pour votre campagne, paiement sous 48h, "
        "cliquez ici pour profiter de -50%",
    )
    await box.sync()
    assert not [b for b in (await box.say(lea, "/courriels")).button_texts if b.startswith("Spams")]
    # /courriels is one paged message (issue 18): the recent spam is one of its filters.
    listed = await box.say(sam, "/courriels")
    await box.press(sam, listed, "Spams (1)")
    await box.bot.sb.wait_for(lambda: "promo@seo-boost.biz" in listed.plain, 5)
    assert "Filtre\u00a0: spams récents" in listed.plain
    await box.press(
        sam,
        listed,
        data=next(
            b["callback_data"]
            for r in listed.inline_keyboard
            for b in r
            if b["callback_data"].startswith("ib:ns:")
        ),
    )
    card = await box.bot.sb.wait_for(
        lambda: next((m for m in sam.messages if "Finances" in m.button_texts), None)
    )
    await box.press(sam, card, "Finances")
    assert len(cards(lea)) == 1
    email = await _only_email(box)
    assert email.status == "assigned" and email.domain == "finance"


async def test_round_robin_skips_absent_people(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    paul = await box.member(302, "Paul", "paul")
    table = await box.say(box.coord, "/routage finance @lea @paul")
    assert "Léa reçoit désormais" in table.plain and "Paul reçoit désormais" in table.plain
    assert "Finances</b>\u00a0: Léa (@lea), Paul (@paul)" in table.text

    def deliver(n: int) -> None:
        for i in range(n):
            box.fake.deliver(
                subject=f"Cotisation {i}", body=f"Bonjour, ma cotisation n°{i} a été prélevée deux fois."
            )

    deliver(4)
    await box.sync()
    assert (len(cards(lea)), len(cards(paul))) == (2, 2)
    away = await box.say(lea, "/absent jusqu'au 31/12")
    assert "absence jusqu'au" in away.plain and "31 décembre" in away.plain
    assert "Les confier à d'autres" in away.button_texts  # she has 2 unclaimed emails
    await box.press(lea, away, "Les confier à d'autres")
    await box.bot.sb.wait_for(lambda: len(cards(paul)) == 4, 5)
    deliver(2)
    await box.sync()
    assert (len(cards(lea)), len(cards(paul))) == (2, 6)
    assert "absence jusqu'au" in (await box.say(box.coord, "/routage")).plain
    assert "31 décembre" in (await box.say(lea, "/absent")).plain
    assert "Je n'ai pas compris" in (await box.say(lea, "/absent à la saint-glinglin")).plain
    assert "Bon retour" in (await box.say(lea, "/absent non")).plain
    deliver(2)
    await box.sync()
    assert (len(cards(lea)), len(cards(paul))) == (3, 7)
    removed = await box.say(box.coord, "/routage retirer finance @paul")
    assert "Paul ne reçoit plus" in removed.plain
    assert "Domaine inconnu" in (await box.say(box.coord, "/routage jardinage @lea")).plain
    assert "précisez la ville" in (await box.say(box.coord, "/routage campagne Bordeaux @lea")).plain
    assert "Je ne connais personne" in (await box.say(box.coord, "/routage finance @nobody")).plain


async def test_thread_follow_up_goes_back_to_who_handled_it(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea")
    paul = await box.member(302, "Paul", "paul")
    await box.say(box.coord, "/routage finance @lea @paul")
    first = box.fake.deliver(
        subject="Reçu fiscal", body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don."
    )
    await box.sync()
    holder = lea if cards(lea) else paul
    await box.press(holder, cards(holder)[0], "✅ Répondu")
    box.fake.deliver(subject="Re: Reçu fiscal", in_reply_to=first, body="Merci ! Et pour l'an dernier ?")
    await box.sync()
    assert len(cards(holder)) == 2 and "Suite d'une conversation" in cards(holder)[-1].plain


# --- Permissions and lists ------------------------------------------------------------------------------


async def test_volunteers_cannot_route_or_claim_and_names_stay_private(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    nora = await box.member(303, "Nora", "nora", "responsable presse")
    victor = await box.member(305, "Victor", "victor")
    refused = await box.say(victor, "/routage finance @victor")
    assert "réservée" in refused.plain
    assert "réservée" in (await box.say(victor, "/courriels")).plain
    box.fake.deliver(
        from_="Marie Dupont <marie@example.fr>",
        subject="Reçu fiscal",
        body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.",
    )
    await box.sync()
    email = await _only_email(box)
    somewhere = victor.messages[-1]
    refused = await box.bot.forge(victor, somewhere, f"ib:c:{email.id}")
    assert "ne vous a pas été confié" in refused.text and refused.show_alert
    refused = await box.bot.forge(nora, nora.messages[-1], f"ib:c:{email.id}")  # another domain's lead
    assert "ne vous a pas été confié" in refused.text
    assert (await _only_email(box)).status == "assigned"

    mine = await box.say(lea, "/courriels")
    assert "Les miens (1)" in mine.button_texts and "Marie Dupont" in mine.plain
    others = await box.say(nora, "/courriels")
    assert "Courriels en cours\u00a0: 1" in others.plain and "Marie" not in others.plain
    # Who holds how many: counts for every inbox member, in the « Par personne » filter; the
    # emails themselves stay out of sight of another domain's lead, even filtered by that person.
    await box.press(nora, others, "Par personne")
    await box.bot.sb.wait_for(lambda: "Léa (1)" in others.button_texts, 5)
    await box.press(nora, others, "Léa (1)")
    await box.bot.sb.wait_for(lambda: "Filtre\u00a0: Léa" in others.plain, 5)
    assert "Marie" not in others.plain and "Reçu fiscal" not in others.plain
    overall = await box.say(box.coord, "/courriels")
    assert "Marie Dupont" in overall.plain and "Voir n°" in " ".join(overall.button_texts)


async def test_a_former_lead_s_old_cards_are_refused(box: Box) -> None:
    """Roles are read at each press: a card kept from when one was a lead acts no more; someone
    the routing names (without a role) keeps acting on what reaches them."""
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    omar = await box.member(304, "Omar", "omar")
    await box.say(box.coord, "/routage campagne Lyon @omar")
    box.fake.deliver(subject="Reçu fiscal", body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.")
    box.fake.deliver(subject="Tractage Lyon", body="Bonjour, je suis dispo pour tracter à Lyon samedi matin.")
    await box.sync()
    [card] = cards(lea)
    lea.press(card, "✍️ Répondre")  # an answer started while still a lead
    await box.bot.sb.wait_for(lambda: any("Votre réponse à" in (m.plain or "") for m in lea.messages), 5)
    preview = await box.say(lea, "Bonjour, votre reçu part aujourd'hui.")
    assert "Aperçu" in preview.plain
    await box.say(box.coord, "/retirer_role @lea responsable finances")

    refused = await box.press(lea, card, data=card.inline_keyboard[0][0]["callback_data"])
    assert "ne vous a pas été confié" in refused.text and refused.show_alert
    lea.press(preview, "📤 Envoyer")
    await box.bot.sb.wait_for(
        lambda: any("ne vous a pas été confié" in (m.plain or "") for m in lea.messages), 5
    )
    assert box.fake.sent == []
    finance = await _email_about(box, "Reçu fiscal")
    assert finance.status == "assigned" and finance.claimed_by is None  # released, not answered

    [omar_card] = cards(omar)
    answer = await box.press(omar, omar_card, "✋ Je m'en occupe")
    assert "vous vous en occupez" in answer.text
    assert (await _email_about(box, "Tractage Lyon")).status == "claimed"


async def test_revoking_a_lead_releases_their_emails_to_the_routing_and_tells_the_coordinators(
    box: Box,
) -> None:
    """/retirer_role takes the emails the former lead held (waiting or taken) in the same
    transaction: the routing gives them to the next lead, whose cards arrive; the former lead's cards
    lose their buttons; the coordinators are told who got what."""
    coord = await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    paul = await box.member(302, "Paul", "paul", "responsable finances")
    subjects = ["Reçu fiscal", "Remboursement", "Cotisation"]
    for subject in subjects:
        box.fake.deliver(subject=subject, body=f"Bonjour, question sur mon don : {subject.lower()}, merci.")
        await box.sync()
    held = [await _email_about(box, subject) for subject in subjects]
    assert [e.assignee_id for e in held] == [held[0].assignee_id, held[1].assignee_id, held[0].assignee_id]
    lea_cards = cards(lea)
    assert len(lea_cards) == 2
    await box.press(lea, lea_cards[0], "✋ Je m'en occupe")
    assert (await _email_about(box, "Reçu fiscal")).status == "claimed"
    paul_before = len(cards(paul))

    await box.say(coord, "/retirer_role @lea responsable finances")
    await box.bot.outbox_idle()
    for subject in ("Reçu fiscal", "Cotisation"):
        email = await _email_about(box, subject)
        assert (email.status, email.claimed_by) == ("assigned", None)
        assert email.assignee_id == held[1].assignee_id  # Paul, the other finance lead
    assert len(cards(paul)) == paul_before + 2
    told = last(coord, lambda m: "n'est plus responsable" in (m.plain or ""))
    assert "Léa n'est plus responsable finances" in told.plain
    assert f"n°\u00a0{held[0].id} → Paul" in told.plain and f"n°\u00a0{held[2].id} → Paul" in told.plain
    await box.bot.sb.wait_for(lambda: all(c.button_texts == [] for c in lea_cards), 5)
    refused = await box.bot.forge(lea, lea_cards[1], f"ib:c:{held[2].id}")  # the old button
    assert "ne vous a pas été confié" in refused.text


async def test_absent_button_checks_the_role_again(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    await box.member(302, "Paul", "paul", "responsable finances")
    for i in range(2):
        box.fake.deliver(
            subject=f"Cotisation {i}", body=f"Bonjour, ma cotisation n°{i} a été prélevée deux fois."
        )
    await box.sync()
    away = await box.say(lea, "/absent jusqu'au 31/12")
    assert "Les confier à d'autres" in away.button_texts
    await box.say(box.coord, "/retirer_role @lea responsable finances")
    await box.press(lea, away, "Les confier à d'autres")
    stopped = await box.bot.sb.wait_for(
        lambda: next((m for m in lea.messages if "retiré" in (m.plain or "")), None), 5
    )
    assert "rien n'a été enregistré" in stopped.plain
    assert away.button_texts == []


def test_inbox_buttons_keep_their_wire_formats() -> None:
    from handlers.inbox import CARD_BUTTONS, INBOX_BUTTONS

    card = [
        "ib:c:7",
        "ib:r:7",
        "ib:p:7",
        "ib:d:7",
        "ib:s:7",
        "ib:v:7",
        "ib:ns:7",
        "ib:b:7",
        "ib:kc:7",
        "ib:mc:7",
        "ib:k:7:finance",
        "ib:m:7:spam",
        "ib:k:7:campaign:0",
        "ib:m:7:campaign:12",
        "ib:away",
    ]
    for data in card:
        assert CARD_BUTTONS.match(data), data
    for data in ("ib:t:3", "ib:ok:7", "ib:ed", "ib:x"):
        assert INBOX_BUTTONS.match(data) and not CARD_BUTTONS.match(data), data
    for forged in (
        "ib:zz:7",
        "ib:c:x",
        "ib:k:7:jardin",
        "ib:k:7:campaign",
        "ib:c:7:finance",
        "rsvp:1:y",
        "ib:",
    ):
        assert not CARD_BUTTONS.match(forged), forged


async def _email_about(box: Box, subject: str) -> EmailMessage:
    async with box.bot.services.db.session() as s:
        row: EmailMessage | None = await s.scalar(select(EmailMessage).where(EmailMessage.subject == subject))
    assert row is not None
    return row


async def test_english_speaker_gets_english_cards(box: Box) -> None:
    await box.coordinator()
    ann = box.bot.user(306, "Ann", username="ann", language_code="en")
    await box.bot.onboard(ann, skills=("Leafleting",))
    await box.quiet(306)
    await box.say(box.coord, "/role @ann responsable finances")
    box.fake.deliver(subject="Receipt", body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.")
    await box.sync()
    [card] = cards(ann)
    assert "Email #" in card.plain and "Received:" in card.plain and "I'll handle it" in card.button_texts[0]


# --- Gmail faults -----------------------------------------------------------------------------------


async def test_stale_history_full_resync_without_forwarding_twice(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    box.fake.deliver(subject="Don 1", body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.")
    await box.sync()
    box.fake.deliver(subject="Don 2", body="Bonjour, mon prélèvement de cotisation a échoué, que faire ?")
    assert await box.sync() == 1  # incremental, through history.list
    box.fake.deliver(subject="Don 3", body="Bonjour, pouvez-vous me rembourser mon don fait en double ?")
    box.fake.expire_history()  # the bot was off longer than Gmail keeps history
    assert await box.sync() == 1
    history = box.fake.calls(r"/history$")
    assert history[-1].status == 404
    assert len(cards(lea)) == 3 and await box.bot.count(EmailMessage) == 3
    box.fake.deliver(subject="Don 4", body="Bonjour, je souhaite un reçu fiscal pour mon don de 2029.")
    assert await box.sync() == 1 and len(cards(lea)) == 4


async def test_quota_and_server_errors_back_off_then_recover(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    box.fake.deliver(subject="Don", body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.")
    await box.sync()
    box.fake.deliver(subject="Cotisation", body="Bonjour, ma cotisation a été prélevée deux fois.")
    box.fake.inject(429, times=2, path=r"/messages/")
    box.fake.inject(403, times=1, path=r"/history$", reason="rateLimitExceeded")
    assert await box.sync() == 1  # retried within the tick
    assert len(cards(lea)) == 2
    box.fake.deliver(subject="Remboursement", body="Bonjour, remboursez-moi mon don fait en double.")
    box.fake.inject(503, times=50, path=r"/history$")
    assert await box.sync() == 0  # given up for this tick, no exception, nothing lost
    assert len(cards(lea)) == 2
    box.fake.faults.clear()
    assert await box.sync() == 1 and len(cards(lea)) == 3
    # A label call that fails is retried at the next tick.
    box.fake.inject(500, times=50, path=r"/modify$")
    box.fake.deliver(subject="Facture", body="Bonjour, voici la facture de l'imprimeur pour les affiches.")
    await box.sync()
    async with box.bot.services.db.session() as s:
        pending = await s.scalar(
            select(func.count()).select_from(KeyValue).where(KeyValue.key.like("inbox.label:%"))
        )
    assert pending == 1
    box.fake.faults.clear()
    await box.sync()
    async with box.bot.services.db.session() as s:
        pending = await s.scalar(
            select(func.count()).select_from(KeyValue).where(KeyValue.key.like("inbox.label:%"))
        )
    assert pending == 0


async def test_broken_mime_email_is_still_forwarded(box: Box) -> None:
    await box.coordinator()
    raw = (
        b"From: =?bogus?q?Jos=E9?= <jose@example.fr>\r\nSubject: =?utf-8?b?!!notbase64\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\n'
        b"Content-Type: text/plain; charset=klingon\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"%%% not base64 \xff\xfe\x00 at all\r\n"
    )
    box.fake.deliver(raw=raw)
    assert await box.sync() == 1
    email = await _only_email(box)
    assert email.sender and "\x00" not in email.excerpt
    assert len(cards(box.coord)) == 1  # unsure, nobody else: the coordinator sorts it


async def test_invalid_grant_alerts_the_coordinators_once_a_day(bot: Any, tmp_path: Path) -> None:
    with FakeTokenEndpoint() as tokens, FakeGmail(token_validator=tokens.is_valid_access_token) as fake:
        token_file = tokens.write_token_file(tmp_path / "gmail-token.json")
        store = CredentialStore(token_file, token_uri=tokens.token_uri)
        bot.services.extras["gmail"] = GmailClient(store, api_endpoint=fake.url, **FAST)
        box = Box(bot, fake)
        coord = await box.coordinator()
        fake.deliver(
            subject="Question", body="Bonjour, comment adhérer ?", date=MONDAY - timedelta(minutes=1)
        )
        assert await box.sync(MONDAY) == 1
        tokens.revoke()
        store.invalidate()
        await box.sync(MONDAY + timedelta(hours=1))
        await box.sync(MONDAY + timedelta(hours=2))

        def alerts() -> list[Any]:
            return [m for m in coord.messages if "Gmail ne répond plus" in (m.plain or "")]

        assert len(alerts()) == 1
        assert "coordo google-login" in alerts()[0].plain and "invalid_grant" in alerts()[0].plain
        await box.sync(MONDAY + timedelta(days=1))
        assert len(alerts()) == 2


async def test_inbox_is_off_without_token_or_endpoint(bot: Any, tmp_path: Path) -> None:
    settings = bot.services.settings.model_copy(
        update={"gmail_api_endpoint": None, "gmail_token_path": str(tmp_path / "none.json")}
    )
    bot.services.settings = settings
    bot.services.extras.pop("gmail", None)
    assert await inbox_job.run(bot.services, datetime.now(UTC)) == 0
    assert "gmail" not in bot.services.extras
    async with bot.services.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Outbox)) == 0
        assert await s.scalar(select(func.count()).select_from(Person)) == 0


async def test_the_trained_model_file_is_used_and_long_lists_fit(box: Box) -> None:
    from domain.triage import Triage

    await box.coordinator()
    web = await box.member(307, "Wes", "wes", "responsable site")
    odd = "Le truc bleu ne marche plus depuis mardi, vous pouvez regarder ?"
    Triage().fit(
        [{"id": "1", "from": "a@b.fr", "subject": "truc bleu", "body": odd, "label": "website"}]
    ).save(str(box.bot.services.settings.triage_model_path))
    box.fake.deliver(subject="truc bleu", body=odd)
    for i in range(40):
        box.fake.deliver(
            from_=f"Personne {i} <p{i}@example.fr>",
            subject=f"Question n°{i} " + "très longue " * 20,
            body="Bonjour, comment adhérer ? " * 5,
        )
    await box.sync()
    [card] = cards(web)
    assert "Site internet" in card.plain
    listed = await box.say(box.coord, "/courriels")
    assert len(listed.plain) < 4096 and "Courriels en cours\u00a0: 41" in listed.plain
    # Réaffecter within the same domain means "someone else" (here: the next tier, the coordinator).
    answer = await box.press(web, card, "↪️ Réaffecter")
    await box.bot.sb.wait_for(lambda: "Site internet" in card.button_texts, 5)
    answer = await box.press(web, card, "Site internet")
    assert "Transmis à Camille" in answer.text  # the coordinator is next in line
    coord_card = cards(box.coord)[-1]
    await box.press(box.coord, coord_card, "↪️ Réaffecter")
    await box.bot.sb.wait_for(lambda: "Site internet" in coord_card.button_texts, 5)
    answer = await box.press(box.coord, coord_card, "Site internet")
    assert "Transmis à Wes" in answer.text


async def test_an_interrupted_send_is_reported_not_resent(box: Box) -> None:
    await box.coordinator()
    lea = await box.member(301, "Léa", "lea", "responsable finances")
    gid = box.fake.deliver(
        subject="Reçu",
        body="Bonjour, je n'ai pas reçu mon reçu fiscal pour mon don.",
        date=MONDAY - timedelta(minutes=1),
    )
    await box.sync(MONDAY)
    person = await box.bot.person(301)
    async with box.bot.services.db.session() as s:  # the process died while Gmail was sending
        email = await s.scalar(select(EmailMessage).where(EmailMessage.gmail_id == gid))
        assert email is not None
        email.status, email.claimed_by, email.answered_at = "sending", person.id, MONDAY
    await box.sync(MONDAY + timedelta(minutes=5))
    assert (await box.email(gid)).status == "sending"  # maybe still sending: wait
    await box.sync(MONDAY + timedelta(minutes=20))
    await box.sync(MONDAY + timedelta(minutes=25))
    notes = [m for m in lea.messages if "interrompu" in (m.plain or "")]
    assert len(notes) == 1 and "Vérifiez dans Gmail" in notes[0].plain
    email = await box.email(gid)
    assert email.status == "claimed" and email.answered_at is None and box.fake.sent == []

"""Personal-data rights through the sandbox: /mes_donnees, /supprimer_mes_donnees, /stop (also for
someone never onboarded), /donnees_personne for a request made by email, the register of requests
and its day-20 reminder."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from capabilities import privacy as privacy_capability
from sandbox.bot_harness import COORDINATOR_ID
from storage import outbox
from storage import privacy as pq
from storage.events import create_event
from storage.models import (
    Ask,
    AuditLog,
    DataRequest,
    Donation,
    Donor,
    EmailMessage,
    Membership,
    Outbox,
    Participation,
    PendingRsvp,
    Person,
    RoleGrant,
    RoutingRule,
)

NOW = datetime.now(UTC)
LATER = NOW + timedelta(days=3)


async def city_id(bot: Any, name: str = "Lyon") -> int:
    from storage.models import City

    async with bot.services.db.session() as s:
        return int(await s.scalar(select(City.id).where(City.name == name)))


async def event(bot: Any, title: str = "Tractage au marché") -> int:
    cid = await city_id(bot)
    async with bot.services.db.session() as s:
        ev = await create_event(
            s,
            title=title,
            kind="tractage",
            city_id=cid,
            starts_at=LATER,
            ends_at=LATER + timedelta(hours=2),
            place="",
            description="",
            needs=[("tractage", 3)],
            created_by=None,
        )
        return ev.id


async def add(bot: Any, *rows: Any) -> list[Any]:
    async with bot.services.db.session() as s:
        s.add_all(rows)
        await s.flush()
        return list(rows)


async def donor_with_gift(
    bot: Any, person_id: int | None = None, email: str = "", first: str = "Léa", last: str = "Martin"
) -> tuple[int, int, int]:
    (donor,) = await add(
        bot,
        Donor(
            first_name=first,
            last_name=last,
            address="1 rue Haute",
            postcode="69001",
            city="Lyon",
            nationality="Française",
            email=email,
            person_id=person_id,
        ),
    )
    (gift,) = await add(
        bot,
        Donation(
            donor_id=donor.id,
            amount_cents=5000,
            method="chèque",
            received_on=NOW.date(),
            ledger="party",
            kind="don",
            receipt_number=f"P-{donor.id}",
        ),
    )
    (membership,) = await add(
        bot,
        Membership(
            donor_id=donor.id,
            person_id=person_id,
            period_start=NOW.date(),
            period_end=NOW.date() + timedelta(days=365),
            fee_cents=3000,
        ),
    )
    return donor.id, gift.id, membership.id


async def rows(bot: Any, model: Any, *where: Any) -> list[Any]:
    async with bot.services.db.session() as s:
        return list(await s.scalars(select(model).where(*where)))


async def until(check: Any, timeout: float = 5.0) -> Any:
    """Wait for an async condition (the bot commits just after its last message)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := await check()):
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
    return value


async def say(bot: Any, user: Any, text: str, expect: str) -> Any:
    """Send `text`; the first new message containing `expect` (jobs may slip a digest in between)."""
    before = len(user.messages)
    user.send(text)
    return await seen(bot, user, before, expect)


async def seen(bot: Any, user: Any, before: int, expect: str) -> Any:
    return await bot.sb.wait_for(
        lambda: next(
            (
                m
                for m in user.messages[before:]
                if expect in (m.plain or "") or (expect == "<document>" and m.kind == "document")
            ),
            None,
        ),
        10,
        expect,
    )


async def press(bot: Any, user: Any, message: Any, button: str, expect: str) -> Any:
    before = len(user.messages)
    user.press(message, text=button)
    return await seen(bot, user, before, expect)


def document_json(message: Any) -> dict[str, Any]:
    assert message.kind == "document", message.plain
    data: dict[str, Any] = json.loads(message.document.text())
    return data


async def test_my_data_is_a_json_file_and_a_french_summary(bot: Any) -> None:
    lea = bot.user(501, "Léa", username="lea")
    person = await bot.onboard(lea)
    other = bot.user(502, "Bastien", username="bastien")
    other_person = await bot.onboard(other)
    ev = await event(bot)
    await add(
        bot,
        Participation(event_id=ev, person_id=person.id, status="yes", role="tractage"),
        Participation(event_id=ev, person_id=other_person.id, status="yes", role="tractage"),
        Ask(event_id=ev, role="tractage", person_id=person.id, asked_at=NOW),
        EmailMessage(
            gmail_id="g1",
            thread_id="t1",
            sender="Secret Sender <secret@example.org>",
            subject="Objet confidentiel",
            received_at=NOW,
            excerpt="contenu privé",
            domain="campaign",
            status="assigned",
            assignee_id=person.id,
        ),
    )
    await donor_with_gift(bot, person.id)

    summary = await bot.reply(lea, "/mes_donnees")
    assert "Vos données" in summary.plain and "Léa (@lea)" in summary.plain
    assert "Participations aux actions\u00a0: 1" in summary.plain and "Tractage au marché" in summary.plain
    assert "Dons et adhésions\u00a0: 1 fiche de donateur, 1 don, 1 adhésion" in summary.plain
    data = document_json(await lea.next_message())
    assert data["profil"]["prenom"] == "Léa" and data["identifiant_telegram"] == 501
    assert [p["action"] for p in data["participations"]] == ["Tractage au marché"]
    assert len(data["demandes_d_aide"]) == 1 and data["dons"][0]["numero_de_recu"].startswith("P-")
    assert data["donateur"][0]["adresse"] == "1 rue Haute" and len(data["adhesions"]) == 1
    assert data["courriels_confies"][0]["domaine"] == "campaign"
    assert any(j["action"] == "person.onboarded" for j in data["journal"])
    assert [r["type"] for r in data["demandes_sur_vos_donnees"]] == ["access"]
    text = json.dumps(data, ensure_ascii=False)
    # The senders' words and other people stay out of it.
    for foreign in ("Secret Sender", "secret@example.org", "Objet confidentiel", "contenu privé", "Bastien"):
        assert foreign not in text and foreign not in summary.plain
    (request,) = await until(
        lambda: rows(bot, DataRequest, DataRequest.telegram_id == 501, DataRequest.done_at.is_not(None))
    )
    assert request.kind == "access"


async def test_english_speakers_get_english(bot: Any) -> None:
    sam = bot.user(503, "Sam", language_code="en")
    await bot.onboard(sam, skills=("Leafleting",))
    assert "Your data" in (await bot.reply(sam, "/mes_donnees")).plain
    assert (await sam.next_message()).caption == "All your data (JSON)"
    assert "no more requests for help" in (await bot.reply(sam, "/stop")).plain


async def test_someone_never_onboarded_gets_answers_and_every_request_is_logged(bot: Any) -> None:
    zoe = bot.user(504, "Zoé")
    assert "aucune donnée sur vous" in (await bot.reply(zoe, "/mes_donnees")).plain
    assert "rien à effacer" in (await bot.reply(zoe, "/supprimer_mes_donnees")).plain
    assert "aucune donnée sur vous" in (await bot.reply(zoe, "/stop")).plain
    requests = await rows(bot, DataRequest, DataRequest.telegram_id == 504)
    assert sorted(r.kind for r in requests) == ["access", "erasure", "stop"]
    assert all(r.done_at is not None and r.requested_at is not None for r in requests)
    assert await bot.count(Person) == 0

    # An answer to an announcement given before /start is stored: it can be seen and erased.
    ev = await event(bot)
    await add(bot, PendingRsvp(telegram_id=504, event_id=ev, answer="yes"))
    summary = await bot.reply(zoe, "/mes_donnees")
    assert "Réponses en attente de votre inscription\u00a0: 1" in summary.plain
    assert document_json(await zoe.next_message())["reponses_en_attente"][0]["reponse"] == "yes"
    ask = await bot.reply(zoe, "/supprimer_mes_donnees")
    assert "1 réponse en attente" in ask.plain
    zoe.press(ask, text="Oui, tout effacer")
    assert "vos données sont effacées" in (await zoe.next_message()).plain
    assert await rows(bot, PendingRsvp) == []


async def test_erasure_keeps_only_the_financial_core_unlinked(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    lea = bot.user(505, "Léa", username="lea")
    person = await bot.onboard(lea)
    await bot.reply(coord, "/role @lea candidat Lyon")
    await lea.next_message()
    ev = await event(bot)
    await add(
        bot,
        Participation(event_id=ev, person_id=person.id, status="yes"),
        Ask(event_id=ev, role="tractage", person_id=person.id, asked_at=NOW),
        RoutingRule(domain="campaign", city="Lyon", person_id=person.id),
        AuditLog(action="test.note", subject=f"person:{person.id}", details={"who": "Léa (@lea) a écrit"}),
        EmailMessage(
            gmail_id="g2",
            thread_id="t2",
            sender="x@example.org",
            received_at=NOW,
            domain="campaign",
            status="claimed",
            claimed_by=person.id,
            assignee_id=person.id,
        ),
    )
    donor_id, gift_id, membership_id = await donor_with_gift(bot, person.id, email="lea@example.org")
    async with bot.services.db.session() as s:
        await outbox.enqueue(
            s,
            505,
            {"text": "Bonjour Léa"},
            dedupe_key="bc:77:x",
            person_id=person.id,
            not_before=NOW + timedelta(days=1),
        )

    ask = await bot.reply(lea, "/supprimer_mes_donnees")
    assert "votre profil" in ask.plain and "1 rôle" in ask.plain and "1 participation" in ask.plain
    assert "10 ans" in ask.plain and "trésorerie" in ask.plain
    lea.press(ask, text="Oui, tout effacer")
    lea.press(ask, text="Oui, tout effacer")  # a double tap erases once
    done = await lea.next_message()
    assert "vos données sont effacées" in done.plain
    assert "Conservé, parce que la loi l'impose" in done.plain and "10 ans" in done.plain
    assert "seule la trésorerie peut les lire" in done.plain

    assert await bot.person(505) is None
    for model, column in (
        (RoleGrant, RoleGrant.person_id),
        (Participation, Participation.person_id),
        (Ask, Ask.person_id),
        (RoutingRule, RoutingRule.person_id),
    ):
        assert await rows(bot, model, column == person.id) == [], model
    (donor,) = await rows(bot, Donor, Donor.id == donor_id)
    assert donor.person_id is None and donor.email == "" and donor.last_name == "Martin" and donor.address
    assert await rows(bot, Donation, Donation.id == gift_id)
    (membership,) = await rows(bot, Membership, Membership.id == membership_id)
    assert membership.person_id is None
    (pending,) = await rows(bot, Outbox, Outbox.dedupe_key == "bc:77:x")
    assert pending.status == pq.CANCELLED and pending.payload == {} and pending.chat_id == 0
    assert await rows(bot, Outbox, Outbox.chat_id == 505) == []
    (email,) = await rows(bot, EmailMessage, EmailMessage.gmail_id == "g2")
    assert email.status == "new" and email.assignee_id is None and email.claimed_by is None
    notes = await rows(bot, AuditLog, AuditLog.action == "test.note")
    assert "Léa" not in json.dumps(notes[0].details, ensure_ascii=False) and "lea" not in str(
        notes[0].details
    )
    assert len(await rows(bot, AuditLog, AuditLog.action == "privacy.erased")) == 1
    (request,) = await rows(bot, DataRequest, DataRequest.kind == "erasure")
    assert request.done_at is not None and request.telegram_id == 505
    assert "aucune donnée sur vous" in (await bot.reply(lea, "/mes_donnees")).plain


async def test_erasure_can_be_cancelled(bot: Any) -> None:
    lea = bot.user(506, "Léa")
    await bot.onboard(lea)
    ask = await bot.reply(lea, "/supprimer_mes_donnees")
    lea.press(ask, text="Annuler")
    assert "rien n'a été effacé" in (await lea.next_message()).plain
    assert await bot.person(506) is not None
    (request,) = await rows(bot, DataRequest, DataRequest.kind == "erasure")
    assert request.done_at is not None and "annulée" in request.note


async def test_stop_ends_asks_digests_and_announcements_and_says_how_to_come_back(bot: Any) -> None:
    from storage.announcements import audience
    from storage.digest import recipients

    lea = bot.user(507, "Léa", username="lea")
    person = await bot.onboard(lea)
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    await bot.reply(coord, "/role @lea candidat Lyon")
    await lea.next_message()
    ev = await event(bot)
    await add(bot, Ask(event_id=ev, role="tractage", person_id=person.id, asked_at=NOW))
    async with bot.services.db.session() as s:
        for key in ("bc:5:1", "digest:1:candidate:Lyon:2030-01-01", "rem:d:9"):
            await outbox.enqueue(
                s, 507, {"text": key}, dedupe_key=key, person_id=person.id, not_before=NOW + timedelta(days=1)
            )

    said = (await bot.reply(lea, "/stop")).plain
    assert "plus de demandes d'aide, de point du jour ni d'annonces" in said
    assert "2 messages en attente ne partiront pas" in said
    assert "/reprendre" in said and "/stop_annonces" in said and "/digest_pause" in said
    stored = await bot.person(507)
    assert stored.asks_paused and stored.digest_paused and stored.announcements_stopped
    statuses = {
        r.dedupe_key: r.status
        for r in await rows(bot, Outbox, Outbox.chat_id == 507, Outbox.dedupe_key.is_not(None))
    }
    assert statuses == {
        "bc:5:1": "cancelled",
        "digest:1:candidate:Lyon:2030-01-01": "cancelled",
        "rem:d:9": "pending",
    }
    (open_ask,) = await rows(bot, Ask, Ask.person_id == person.id)
    assert open_ask.answer == "cancelled"
    async with bot.services.db.session() as s:
        assert person.id not in [p.id for p in await audience(s, "all", "")]
        assert person.id not in [r.person_id for r in await recipients(s, [])]
    (request,) = await rows(bot, DataRequest, DataRequest.kind == "stop")
    assert request.done_at is not None
    # Coming back works with the existing commands.
    assert "annonces" in (await bot.reply(lea, "/stop_annonces")).plain
    assert not (await bot.person(507)).announcements_stopped


async def setup_treasurer(bot: Any) -> tuple[Any, Any]:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    tres = bot.user(701, "Nora", username="nora")
    await bot.onboard(tres)
    await bot.reply(coord, "/role @nora trésorier")
    await tres.next_message()
    return coord, tres


async def test_coordinator_answers_a_request_made_by_email(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    donor_id, gift_id, _ = await donor_with_gift(bot, email="marc@example.org", first="Marc", last="Donateur")
    await add(
        bot,
        EmailMessage(
            gmail_id="g3",
            thread_id="t3",
            sender="Marc D <Marc@Example.org>",
            subject="Mes données\u202f?",
            received_at=NOW,
            excerpt="Que savez-vous de moi\u202f?",
            domain="secretariat",
            status="answered",
        ),
    )

    found = await say(bot, coord, "/donnees_personne marc@example.org", "Fiches de donateur")
    assert (
        "Fiches de donateur\u00a0: 1" in found.plain
        and "Courriels reçus de cette adresse\u00a0: 1" in found.plain
    )
    before = len(coord.messages)
    coord.press(found, text="Accès (export)")
    summary = await seen(bot, coord, before, "Vos données")
    assert "Courriels reçus de votre adresse\u00a0: 1" in summary.plain
    assert "réservées à la trésorerie" in summary.plain
    data = document_json(await seen(bot, coord, before, "<document>"))
    assert data["courriels_envoyes"][0]["objet"] == "Mes données\u202f?"
    assert "dons" not in data and data["finances"]["dons"] == 1  # the coordinator sees no amounts
    assert "Donateur" not in json.dumps(data, ensure_ascii=False)
    await seen(bot, coord, before, "elle est prévenue")

    notice = await seen(bot, tres, 0, "Demande d'accès")
    assert "marc@example.org" in notice.plain
    money = document_json(await press(bot, tres, notice, "Recevoir ces fiches", "<document>"))
    assert money["dons"][0]["montant_centimes"] == 5000 and money["donateur"][0]["nom"] == "Donateur"

    # Then the erasure: contact and messages go, the financial core stays.
    found = await say(bot, coord, "/donnees_personne marc@example.org", "Fiches de donateur")
    confirm = await press(bot, coord, found, "Effacement", "Effacer les données")
    assert "1 courriel reçu de cette adresse" in confirm.plain and "10 ans" in confirm.plain
    await press(bot, coord, confirm, "Oui, tout effacer", "effacées")
    assert await rows(bot, EmailMessage, EmailMessage.gmail_id == "g3") == []
    (donor,) = await rows(bot, Donor, Donor.id == donor_id)
    assert donor.email == "" and donor.last_name == "Donateur"
    assert await rows(bot, Donation, Donation.id == gift_id)
    requests = await rows(bot, DataRequest, DataRequest.email == "marc@example.org")
    assert sorted(r.kind for r in requests) == ["access", "erasure"]
    assert all(r.done_at is not None and r.requested_by is not None for r in requests)
    again = await say(bot, coord, "/donnees_personne marc@example.org", "Fiches de donateur")
    assert (
        "Fiches de donateur\u00a0: 0" in again.plain
        and "Courriels reçus de cette adresse\u00a0: 0" in again.plain
    )
    await say(bot, coord, "/donnees_personne @personne_inconnue", "Je ne trouve rien")


async def test_coordinator_erases_and_stops_a_telegram_profile(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    paul = bot.user(508, "Paul", username="paul")
    await bot.onboard(paul)
    found = await say(bot, coord, "/donnees_personne @paul", "Paul (@paul)")
    await press(bot, coord, found, "Arrêt des envois", "ne recevra plus")
    assert (await bot.person(508)).announcements_stopped
    found = await say(bot, coord, "/donnees_personne 508", "Paul (@paul)")
    confirm = await press(bot, coord, found, "Effacement", "Effacer les données")
    await press(bot, coord, confirm, "Annuler", "annulé")
    assert await bot.person(508) is not None
    found = await say(bot, coord, "/donnees_personne @paul", "Paul (@paul)")
    confirm = await press(bot, coord, found, "Effacement", "Effacer les données")
    await press(bot, coord, confirm, "Oui, tout effacer", "Données de Paul (@paul) effacées")
    assert await bot.person(508) is None
    # A volunteer cannot run it.
    vol = bot.user(509, "Vic")
    await bot.onboard(vol)
    assert "réservée" in (await bot.reply(vol, "/donnees_personne @paul")).plain


async def test_open_request_reminds_coordinators_once_at_day_20(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    old, young = await add(
        bot,
        DataRequest(kind="erasure", email="ancien@example.org", requested_at=NOW - timedelta(days=21)),
        DataRequest(kind="access", email="recent@example.org", requested_at=NOW - timedelta(days=19)),
    )
    before = len(coord.messages)
    await privacy_capability.run_retention(bot.services, NOW)
    await bot.outbox_idle()
    await privacy_capability.run_retention(
        bot.services, NOW + timedelta(hours=1)
    )  # the next tick: no second reminder
    await bot.outbox_idle()
    reminders = [m for m in coord.messages[before:] if "toujours ouverte" in m.plain]
    assert len(reminders) == 1
    assert f"n°\u00a0{old.id}" in reminders[0].plain and "ancien@example.org" in reminders[0].plain
    assert "recent@example.org" not in reminders[0].plain
    assert "réponse due avant le" in reminders[0].plain
    listing = await say(bot, coord, "/donnees_personne", "Demandes en cours")
    assert "ancien@example.org" in listing.plain and "recent@example.org" in listing.plain
    coord.press(reminders[0], text="Marquer comme traitée")
    await bot.sb.wait_for(
        lambda: coord.last_answer and "marquée comme traitée" in (coord.last_answer.text or ""), 5
    )
    (stored,) = await rows(bot, DataRequest, DataRequest.id == old.id)
    assert stored.done_at is not None and stored.reminded_at is not None
    (other,) = await rows(bot, DataRequest, DataRequest.id == young.id)
    assert other.reminded_at is None


async def test_activity_is_stamped_for_retention(bot: Any) -> None:
    lea = bot.user(510, "Léa")
    await bot.onboard(lea)
    bot.services.extras.pop("privacy.active", None)
    await bot.reply(lea, "/aide")
    stamped = (await bot.person(510)).last_active_at
    assert stamped is not None and stamped > NOW - timedelta(minutes=5)
    async with bot.services.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Person)) == 1


def test_buttons_keep_their_wire_format() -> None:
    """Buttons already posted in chats (reminders, treasurers' notices) must keep working."""
    from bot.callbacks import (
        ErasureAnswer,
        FinancialRecords,
        PersonAction,
        PersonErasureAnswer,
        PurgeAnswer,
        RequestDone,
    )

    assert ErasureAnswer.parse("pv:er:12:y") == ErasureAnswer(12, "y")
    assert PersonErasureAnswer(12, "n").pack() == "pv:pe:12:n"
    assert [PersonAction(a).pack() for a in ("a", "e", "s", "x")] == [
        "pv:pa:a",
        "pv:pa:e",
        "pv:pa:s",
        "pv:pa:x",
    ]
    assert RequestDone.parse("pv:done:7") == RequestDone(7)
    assert FinancialRecords(7).pack() == "pv:fin:7"
    assert PurgeAnswer.parse("pv:pu:2016-03-14") == PurgeAnswer("2016-03-14")
    assert PurgeAnswer("no").pack() == "pv:pu:no"
    assert ErasureAnswer.parse("pv:er:12:maybe") is None

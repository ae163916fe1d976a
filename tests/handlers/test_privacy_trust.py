"""Issue 12 ("Trust"), privacy holes through the sandbox: data requests match addresses exactly,
erasure leaves the name nowhere, answers pressed before consent expire, requests are throttled,
the audit log's subjects are typed, and purge and erasure reach the Google Sheet."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from storage.models import DataRequest, EmailMessage
from tests.handlers.test_privacy import (
    NOW,
    add,
    document_json,
    press,
    rows,
    say,
    seen,
    setup_treasurer,
)


def mail(gmail_id: str, sender: str, subject: str) -> EmailMessage:
    return EmailMessage(
        gmail_id=gmail_id,
        thread_id=gmail_id,
        sender=sender,
        subject=subject,
        received_at=NOW - timedelta(hours=1),
        excerpt=subject,
        domain="secretariat",
        status="answered",
    )


async def test_data_requests_match_the_typed_address_exactly_never_as_a_pattern(bot: Any) -> None:
    coord, _ = await setup_treasurer(bot)
    await add(
        bot,
        mail("own", "Jean Dupont <jean_dupont@example.org>", "Ma demande"),
        mail("other", "Jean Dupont <jean.dupont@example.org>", "Courrier de l'autre Jean"),
        mail("bare", "jeanXdupont@example.org", "Courrier d'un troisième"),
        mail("pct", "Militant <a@b.fr>", "Courrier d'un militant"),
    )

    # An export for jean_dupont@ hands over that address's mail only (`_` is no wildcard).
    found = await say(bot, coord, "/donnees_personne jean_dupont@example.org", "Courriels reçus")
    assert "Courriels reçus de cette adresse\u00a0: 1" in found.plain
    before = len(coord.messages)
    coord.press(found, text="Accès (export)")
    data = document_json(await seen(bot, coord, before, "<document>"))
    assert [m["objet"] for m in data["courriels_envoyes"]] == ["Ma demande"]
    assert "autre Jean" not in json.dumps(data, ensure_ascii=False)

    # An erasure for `%@%.%` erases that address's mail, which is none: every email stays.
    found = await say(bot, coord, "/donnees_personne %@%.%", "Courriels reçus")
    assert "Courriels reçus de cette adresse\u00a0: 0" in found.plain
    confirm = await press(bot, coord, found, "Effacement", "Effacer les données")
    await press(bot, coord, confirm, "Oui, tout effacer", "effacées")
    assert len(await rows(bot, EmailMessage)) == 4
    (request,) = await rows(bot, DataRequest, DataRequest.email == "%@%.%")
    assert request.done_at is not None

    # The erasure for jean_dupont@ takes his mail and nobody else's.
    found = await say(bot, coord, "/donnees_personne jean_dupont@example.org", "Courriels reçus")
    confirm = await press(bot, coord, found, "Effacement", "Effacer les données")
    await press(bot, coord, confirm, "Oui, tout effacer", "effacées")
    assert sorted(m.gmail_id for m in await rows(bot, EmailMessage)) == ["bare", "other", "pct"]


async def test_my_data_shows_only_audit_rows_typed_as_about_me(bot: Any) -> None:
    from storage.models import AuditLog
    from tests.handlers.test_events import create_via_conversation, setup_city

    lea = bot.user(521, "Léa", username="lea")
    person = await bot.onboard(lea)  # the first person: id 1, like the first event
    coord, _ = await setup_city(bot)
    await create_via_conversation(bot, coord)
    created = await rows(bot, AuditLog, AuditLog.action == "event.created")
    assert [r.subject for r in created] == [f"event:{person.id}"]
    # A row written before subjects were typed names no kind: it is nobody's.
    await add(bot, AuditLog(action="legacy.bare", subject=str(person.id), details={}))

    before = len(lea.messages)
    lea.send("/mes_donnees")
    data = document_json(await seen(bot, lea, before, "<document>"))
    actions = [j["action"] for j in data["journal"]]
    assert "person.onboarded" in actions
    assert "event.created" not in actions and "legacy.bare" not in actions
    assert {j["objet"].partition(":")[0] for j in data["journal"]} <= {"person", "request"}


async def test_answers_pressed_before_consent_go_when_the_event_ends_or_after_30_days(bot: Any) -> None:
    from capabilities import privacy as privacy_capability
    from storage.models import Event, PendingRsvp
    from tests.handlers.test_privacy import event

    past, soon, later = await event(bot, "Passée"), await event(bot, "Bientôt"), await event(bot, "Plus tard")
    async with bot.services.db.session() as s:
        ended = await s.get(Event, past)
        assert ended is not None
        ended.starts_at, ended.ends_at = NOW - timedelta(days=3), NOW - timedelta(days=3, hours=-2)
        await s.commit()
    await add(
        bot,
        PendingRsvp(telegram_id=531, event_id=past, answer="yes", created_at=NOW - timedelta(days=5)),
        PendingRsvp(telegram_id=532, event_id=soon, answer="yes", created_at=NOW - timedelta(days=31)),
        PendingRsvp(telegram_id=533, event_id=later, answer="yes", created_at=NOW - timedelta(days=2)),
    )
    await privacy_capability.run_retention(bot.services, NOW)
    assert [r.telegram_id for r in await rows(bot, PendingRsvp)] == [533]


async def test_privacy_requests_are_one_open_per_person_and_kind_and_commands_are_rate_limited(
    bot: Any,
) -> None:
    from storage.models import AuditLog

    lea = bot.user(541, "Léa")
    await bot.onboard(lea)
    for _ in range(3):
        await say(bot, lea, "/supprimer_mes_donnees", "Oui, tout effacer" if False else "effac")
    (request,) = await rows(bot, DataRequest, DataRequest.telegram_id == 541, DataRequest.kind == "erasure")
    assert request.done_at is None

    # A stranger scripting 100 requests: the first ones go through, then one polite answer, and
    # nothing is stored for the refused ones.
    spam = bot.user(542, "Robot")
    for _ in range(100):
        spam.send("/stop")
    await bot.sb.wait_for(
        lambda: next((m for m in spam.messages if "Doucement" in (m.plain or "")), None), 60, "Doucement"
    )
    await bot.sb.wait_for(lambda: len(spam.messages) >= 2 and spam.messages[-1].plain, 5, "answers")
    await asyncio.sleep(2.0)
    requests = await rows(bot, DataRequest, DataRequest.telegram_id == 542)
    assert 30 <= len(requests) < 100
    assert len(spam.messages) == len(requests) + 1  # one answer per request, and one "Doucement"
    assert sum("Doucement" in (m.plain or "") for m in spam.messages) == 1
    assert len(await rows(bot, AuditLog)) < 10


async def whole_database_text(bot: Any) -> str:
    """Every row of every table, every column, as text: what an erased name must not be found in."""
    from sqlalchemy import select as sa_select

    from storage.models import Base

    parts: list[str] = []
    async with bot.services.db.session() as s:
        for table in Base.metadata.sorted_tables:
            for row in (await s.execute(sa_select(table))).all():
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
                parts.append(json.dumps([v for v in row if isinstance(v, dict | list)], ensure_ascii=False))
    return "\n".join(parts)


async def test_erased_name_is_found_nowhere_in_the_database(bot: Any) -> None:
    from storage import outbox

    coord, _ = await setup_treasurer(bot)
    zephy = bot.user(551, "Zéphyrine", username="zephyrine_x")
    await bot.onboard(zephy)
    # What the bot wrote about her to others: a candidate's digest, an email card, an attendance list.
    async with bot.services.db.session() as s:
        for key, text in (
            ("digest:9001:d1", "<b>Nouveaux bénévoles</b> (2)\u00a0: Marc, Zéphyrine"),
            ("inbox:7:card:9001", "Courriel n°\u00a07 — Pris en charge par Zéphyrine (@zephyrine_x)"),
            ("att:3:list", "Présents\u00a0: ZÉPHYRINE, Marc"),
        ):
            await outbox.enqueue(s, 9001, {"text": text}, dedupe_key=key)
        await s.commit()
    async with bot.services.db.session() as s:
        from sqlalchemy import update as sa_update

        from storage.models import Outbox

        await s.execute(sa_update(Outbox).where(Outbox.dedupe_key == "att:3:list").values(status="sent"))
        # A form she left half-way before a restart: its stored draft holds her name too.
        from storage import conversations

        await conversations.put(s, "user_data", str(zephy.id), None, {"onboarding": {"name": "Zéphyrine"}})
        await conversations.put(s, "onboarding", json.dumps([zephy.id, zephy.id]), 1, {})
        await s.commit()
    assert "Zéphyrine" in await whole_database_text(bot)
    before = len(zephy.messages)
    zephy.send("/mes_donnees")
    data = document_json(await seen(bot, zephy, before, "<document>"))
    assert data["messages_du_bot"]["vous_nommant_envoyes_a_d_autres"] == 3

    ask = await say(bot, zephy, "/supprimer_mes_donnees", "effac")
    await press(bot, zephy, ask, "Oui, tout effacer", "vos données sont effacées")
    everything = (await whole_database_text(bot)).casefold()
    for trace in ("zéphyrine", "zephyrine"):
        assert trace not in everything, trace
    from storage.models import Outbox

    # The others' messages stay, without her name.
    assert "Marc" in json.dumps((await rows(bot, Outbox, Outbox.dedupe_key == "digest:9001:d1"))[0].payload)


async def test_mes_donnees_lists_her_communication_requests_posts_and_expense_claims(bot: Any) -> None:
    from datetime import date

    from storage.models import ComPost, ComRequest, Expense

    zephy = bot.user(552, "Zéphyrine")
    person = await bot.onboard(zephy)
    async with bot.services.db.session() as s:
        s.add(
            ComRequest(kind="post", domain="communication", brief="Affiche du marché", requested_by=person.id)
        )
        s.add(ComPost(purpose="free", text="Venez au marché samedi", author_id=person.id))
        s.add(
            Expense(
                person_id=person.id,
                claimant="Zéphyrine",
                amount_cents=4250,
                purpose="Photocopies des tracts",
                spent_on=date(2026, 11, 30),
                ledger="party",
                category="impression",
            )
        )
        await s.commit()
    before = len(zephy.messages)
    zephy.send("/mes_donnees")
    data = document_json(await seen(bot, zephy, before, "<document>"))
    assert [r["demande"] for r in data["demandes_de_communication"]] == ["Affiche du marché"]
    assert [p["texte"] for p in data["publications_redigees"]] == ["Venez au marché samedi"]
    assert [(e["montant_centimes"], e["objet"]) for e in data["notes_de_frais"]] == [
        (4250, "Photocopies des tracts")
    ]

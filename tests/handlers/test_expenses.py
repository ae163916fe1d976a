"""/frais end to end through the sandbox: a volunteer's photo receipt, the treasurer's approval, paid,
the export with the receipt; refusal, a question and its answer, the expense ceiling of a city list
(docs/legal-rules.md, rule 23), forged buttons, bad input."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.callbacks import FrDecide
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Expense

TREASURER_ID, VOLUNTEER_ID = 701, 702
GIF = b"GIF89a\x0a\x00\x0a\x00\x00\x00\x00;"  # a 10x10 image header: enough for the sandbox


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, object]:
    return {"receipts_dir": str(tmp_path / "receipts"), "send_per_chat_per_second": 100.0}


async def people(bot: Any) -> tuple[Any, Any]:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    tres = bot.user(TREASURER_ID, "Nora", username="nora_tres")
    await bot.onboard(tres)
    await bot.reply(coord, "/role @nora_tres trésorier")
    assert "trésorerie" in (await tres.next_message()).plain
    lea = bot.user(VOLUNTEER_ID, "Léa")
    await bot.onboard(lea)
    return tres, lea


async def expenses(bot: Any) -> list[Expense]:
    async with bot.services.db.session() as s:
        return list(await s.scalars(select(Expense).order_by(Expense.id)))


async def until(u: Any, needle: str) -> Any:
    """The next message containing `needle` (other capabilities may speak in between)."""
    for _ in range(8):
        message = await u.next_message()
        if needle in (message.plain or ""):
            return message
    raise AssertionError(f"no message with {needle!r}")


def txt(message: Any) -> str:
    return str(message.plain).replace("\u202f", " ").replace("\xa0", " ")


async def claim(
    bot: Any,
    u: Any,
    amount: str = "42,50 €",
    ledger: str = "Le mouvement",
    category: str = "Impression",
    pdf: bool = False,
) -> Any:
    """The whole /frais form up to the summary; returns the summary."""
    assert "Quel montant" in (await bot.reply(u, "/frais")).plain
    assert "Pour quoi" in (await bot.reply(u, amount)).plain
    assert "quelle date" in (await bot.reply(u, "Tracts pour le marché")).plain
    ask_ledger = await bot.reply(u, "hier")
    u.press(ask_ledger, text=ledger)
    ask_category = await u.next_message()
    assert "catégorie" in ask_category.plain
    u.press(ask_category, text=category)
    assert "justificatif" in (await u.next_message()).plain
    if pdf:
        u.send_document(b"%PDF-1.4 facture", "facture.pdf", mime_type="application/pdf")
    else:
        photo = bot.sb.files.add(GIF, "ticket.gif", "image/gif", kind="photos")
        u.send_raw(photo=photo.photo_sizes())
    return await u.next_message()


async def test_photo_to_approval_to_paid_to_export(bot: Any) -> None:
    tres, lea = await people(bot)
    summary = await claim(bot, lea)
    assert "42,50 €" in txt(summary) and "Impression" in summary.plain and "photo" in summary.plain
    assert await expenses(bot) == []  # nothing stored before Confirmer
    lea.press(summary, text="Confirmer")
    assert "transmise à la trésorerie" in (await lea.next_message()).plain
    [e] = await expenses(bot)
    assert (e.amount_cents, e.ledger, e.category, e.status, e.receipt_kind) == (
        4250,
        "party",
        "printing",
        "submitted",
        "photo",
    )
    stored = Path(bot.services.settings.receipts_dir) / e.receipt_file
    assert stored.read_bytes() == GIF and len(e.receipt_file) >= 32  # a random, unguessable name

    card = await until(tres, "Note de frais n°")
    assert card.kind == "photo" and "Léa" in card.plain and "Tracts pour le marché" in card.plain
    tres.press(card, text="Approuver")
    done = await until(tres, "approuvée")
    assert "approuvée" in (await until(lea, "approuvée")).plain
    tres.press(done, text="Payé")
    await until(tres, "quelle date")
    paid = await bot.reply(tres, "aujourd'hui")
    assert "marquée payée" in paid.plain
    assert "a été payée" in (await until(lea, "payée")).plain
    [e] = await expenses(bot)
    assert e.status == "paid" and e.paid_on is not None

    tres.send(f"/export_frais {date.today().year}")
    files = {}
    for _ in range(2):
        message = await tres.next_message()
        assert message.kind == "document"
        files[message.document.filename] = message.document.data
    rows = list(
        csv.DictReader(
            io.StringIO(files[f"frais-{date.today().year}.csv"].decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [(r["numero"], r["montant"], r["statut"], r["justificatif"]) for r in rows] == [
        (str(e.id), "42,50", "payée", f"frais-{e.id:05d}.jpg")
    ]
    with zipfile.ZipFile(io.BytesIO(files[f"justificatifs-{date.today().year}.zip"])) as z:
        assert z.read(f"frais-{e.id:05d}.jpg") == GIF


async def test_refusal_with_a_reason_and_a_question_answered(bot: Any) -> None:
    tres, lea = await people(bot)
    lea.press(await claim(bot, lea, pdf=True), text="Confirmer")
    await until(lea, "transmise")
    card = await until(tres, "Note de frais n°")
    assert card.kind == "document"
    tres.press(card, text="Demander une précision")
    await until(tres, "Quelle précision")
    await bot.reply(tres, "Pour quel marché ?")
    question = await until(lea, "a une question")
    assert "Pour quel marché" in txt(question)
    lea.press(question, text="Répondre")
    await until(lea, "Votre réponse")
    assert "transmise" in (await bot.reply(lea, "Le marché de la Croix-Rousse")).plain
    again = await until(tres, "Note de frais n°")
    assert "Croix-Rousse" in again.plain and "Pour quel marché" in txt(again)
    tres.press(again, text="Refuser")
    await until(tres, "Pourquoi")
    assert "refusée" in (await bot.reply(tres, "Hors budget du mois")).plain
    refused = await until(lea, "refusée")
    assert "Hors budget du mois" in refused.plain
    [e] = await expenses(bot)
    assert (e.status, e.reason, e.reply) == ("refused", "Hors budget du mois", "Le marché de la Croix-Rousse")


async def test_bad_amount_and_date_are_asked_again(bot: Any) -> None:
    _, lea = await people(bot)
    await bot.reply(lea, "/frais")
    assert "pas compris ce montant" in (await bot.reply(lea, "beaucoup")).plain
    assert "pas compris ce montant" in (await bot.reply(lea, "-5 €")).plain
    assert "Pour quoi" in (await bot.reply(lea, "12,30")).plain
    await bot.reply(lea, "Café militant")
    assert "dans le futur" in (await bot.reply(lea, "demain")).plain
    assert "pas compris cette date" in (await bot.reply(lea, "le jour des patates")).plain
    assert "Sur quel compte" in (await bot.reply(lea, "hier")).plain
    assert await expenses(bot) == []


async def test_forged_approval_by_a_volunteer_is_refused(bot: Any) -> None:
    tres, lea = await people(bot)
    lea.press(await claim(bot, lea), text="Confirmer")
    await until(lea, "transmise")
    await until(tres, "Note de frais n°")
    [e] = await expenses(bot)
    # Léa sends the treasurer's callback data on a message of her own chat: the server must refuse.
    mine = await bot.reply(lea, "/aide")
    answer = await bot.forge(lea, mine, FrDecide("ok", e.id).pack())
    assert "réservée" in answer.text
    await bot.outbox_idle()
    [e] = await expenses(bot)
    assert e.status == "submitted"


async def _ledger(bot: Any, ceiling_cents: int) -> None:
    from capabilities.donations.config import new_ledger
    from storage import donations as q

    async with bot.services.transaction() as s:
        await q.save_campaign_ledger(
            s,
            new_ledger(
                city="Grenoble",
                election="municipales-2026",
                population=158_000,
                mandataire=True,
                ceiling_cents=ceiling_cents,
                window_start=date(2025, 9, 1),
                window_end=None,
                filed_on=None,
                bank_account="",
            ),
        )


async def test_ceiling_warns_at_80_and_blocks_above_100_percent(bot: Any) -> None:
    tres, lea = await people(bot)
    await _ledger(bot, 100_00)  # a 100 € ceiling
    list_label = "Liste de Grenoble (municipales-2026)"
    lea.press(await claim(bot, lea, "80 €", ledger=list_label), text="Confirmer")
    await until(lea, "transmise")
    card = await until(tres, "Note de frais n°")
    tres.press(card, text="Approuver")
    warned = await until(tres, "approuvée")
    assert "80 % de son plafond" in txt(warned) and "article L52-11 du code électoral" in txt(warned)
    await until(lea, "approuvée")

    lea.press(await claim(bot, lea, "20 €", ledger=list_label), text="Confirmer")
    await until(lea, "transmise")
    card = await until(tres, "Note de frais n°")
    tres.press(card, text="Approuver")
    at_ceiling = await until(tres, "approuvée")  # exactly 100 %: the law allows it
    assert "100 %" in txt(at_ceiling)
    await until(lea, "approuvée")

    lea.press(await claim(bot, lea, "0,01 €", ledger=list_label), text="Confirmer")
    await until(lea, "transmise")
    card = await until(tres, "Note de frais n°")
    tres.press(card, text="Approuver")
    blocked = await until(tres, "non approuvée")
    assert "plafond légal" in txt(blocked) and "article L52-11 du code électoral" in txt(blocked)
    statuses = [e.status for e in await expenses(bot)]
    assert statuses == ["approved", "approved", "submitted"]


async def test_erasure_keeps_the_claim_and_the_purge_removes_it_with_its_file(bot: Any) -> None:
    from capabilities.privacy import purge
    from capabilities.privacy.requests import ask_erasure, confirm_erasure

    tres, lea = await people(bot)
    lea.press(await claim(bot, lea), text="Confirmer")
    await until(lea, "transmise")
    [e] = await expenses(bot)
    stored = Path(bot.services.settings.receipts_dir) / e.receipt_file
    assert stored.is_file()

    # Erasure (RGPD art. 17): the claim is a financial record and stays, unlinked from the profile.
    request_id, _ = await ask_erasure(bot.services, VOLUNTEER_ID)
    await confirm_erasure(bot.services, request_id, True, telegram_id=VOLUNTEER_ID)
    assert await bot.person(VOLUNTEER_ID) is None
    [kept] = await expenses(bot)
    assert kept.person_id is None and kept.amount_cents == 4250 and stored.is_file()

    # Within the retention nothing goes; past it (rule 42 of docs/legal-rules.md) /purge takes the
    # claim and its receipt file.
    assert (await purge.preview(bot.services)).expenses == []
    cutoff = kept.spent_on
    async with bot.services.transaction() as s:
        later = kept.spent_on.replace(year=kept.spent_on.year + 11)
        await purge.purge(s, bot.services.settings, later, cutoff, None)
    assert await expenses(bot) == [] and stored.is_file()  # the file goes once the purge commits
    from capabilities.expenses import receipts

    assert await receipts.remove_orphans(bot.services) == 1
    assert not stored.exists()


async def test_one_treasurer_decides_and_the_other_treasurers_card_follows(bot: Any) -> None:
    tres, lea = await people(bot)
    coord = bot.sb.get_user(COORDINATOR_ID)
    omar = bot.user(703, "Omar", username="omar_tres")
    await bot.onboard(omar)
    await bot.reply(coord, "/role @omar_tres trésorier")
    assert "trésorerie" in (await omar.next_message()).plain
    lea.press(await claim(bot, lea), text="Confirmer")
    await until(lea, "transmise")
    nora_card, omar_card = await until(tres, "Note de frais n°"), await until(omar, "Note de frais n°")
    assert "Approuver" in omar_card.button_texts
    await bot.outbox_idle()  # both cards delivered (their message ids known)

    # Nora approves: Omar's card no longer offers Approuver / Refuser, only Payé.
    tres.press(nora_card, text="Approuver")
    await until(tres, "approuvée")
    await bot.sb.wait_for(lambda: omar_card.button_texts == ["Payé"], 10)

    # Omar marks it paid from his card: no button is left live on it.
    omar.press(omar_card, text="Payé")
    await until(omar, "quelle date")
    assert "marquée payée" in (await bot.reply(omar, "aujourd'hui")).plain
    await bot.sb.wait_for(lambda: omar_card.button_texts == [], 10)
    [e] = await expenses(bot)
    assert e.status == "paid"


async def test_the_monthly_purge_notice_counts_expense_claims(bot: Any) -> None:
    from capabilities.privacy import purge

    tres, lea = await people(bot)
    lea.press(await claim(bot, lea), text="Confirmer")
    await until(lea, "transmise")
    await until(tres, "Note de frais n°")
    [e] = await expenses(bot)
    async with bot.services.transaction() as s:  # eleven years on: only the claim is past retention
        later = e.spent_on.replace(year=e.spent_on.year + 11)
        assert await purge.notify_purge(s, bot.services.settings, later) == 1
    notice = await until(tres, "durée légale de conservation")
    assert "0 don," in txt(notice) and "1 note de frais" in txt(notice)

"""/don with fewer steps (issue 13, item 6), through the sandbox as a treasurer meets it: each rule
of docs/legal-rules.md refused as soon as its facts are answered, "Modifier" keeps the draft, a
known donor found by name in one step, a whole gift typed on one line, and no alert to the
treasurer who typed the gift."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from storage.models import Donation, Donor, Outbox
from tests.handlers.test_donations import (
    GO_ON,
    TREASURER_ID,
    _button_or_text,
    confirm,
    dmy,
    donations,
    second_treasurer,
    seed,
    setup_treasurer,
    txt,
)

REFUSED = "Ce versement ne peut pas être accepté"
LINE_HINT = "tout le versement sur une ligne"


def _today() -> Any:
    return datetime.now(UTC).date()


async def _pick(u: Any, message: Any, name: str) -> Any:
    """Press the donor button showing `name`; the bot's next message."""
    u.press(message, text=next(b for b in message.button_texts if name in b))
    return await u.next_message()


async def _to_summary(bot: Any, u: Any, message: Any, kind: str = "don") -> Any:
    """From the date question to the summary (the date is today)."""
    assert "Reçu quand" in message.plain, message.plain
    confirm_day = await bot.reply(u, dmy(_today()))
    u.press(confirm_day, text="Oui")
    msg = await u.next_message()
    if "De quoi s'agit-il" in msg.plain:
        u.press(msg, text=kind)
        msg = await u.next_message()
    assert "Récapitulatif" in msg.plain, msg.plain
    return msg


async def test_cash_over_150_is_refused_right_after_amount_and_method(bot: Any) -> None:
    """Rule 7: the refusal comes with the method, not at the summary; « Modifier le mode de
    paiement » asks that one answer again and keeps the donor and the amount."""
    _, tres = await setup_treasurer(bot)
    await seed(bot, "Jean", "Dupont", [])
    found = await bot.reply(tres, "/don dupont")  # the name with the command: one step
    ask_amount = await _pick(tres, found, "Jean Dupont")
    assert "Montant" in ask_amount.plain
    ask_method = await bot.reply(tres, "200")
    tres.press(ask_method, text="espèces")
    refused = await tres.next_message()
    assert REFUSED in refused.plain, refused.plain
    assert "⛔ Versement en espèces de 200,00 €" in txt(refused) and "au-delà de 150,00 €" in txt(refused)
    assert refused.button_texts == [
        "Modifier le montant",
        "Modifier le mode de paiement",
        GO_ON,
        "Annuler",
    ]
    assert await bot.count(Donation) == 0
    tres.press(refused, text="Modifier le mode de paiement")
    ask_again = await tres.next_message()
    assert "Mode de paiement" in ask_again.plain  # only that answer, the rest is kept
    tres.press(ask_again, text="chèque")
    summary = await _to_summary(bot, tres, await tres.next_message())
    assert "Jean Dupont" in summary.plain and "200,00 €" in txt(summary) and "⛔" not in summary.plain
    await confirm(bot, tres, summary)
    (d,) = await donations(bot)
    assert (d.amount_cents, d.method, d.status) == (20000, "chèque", "recorded")


async def test_cash_over_150_typed_on_one_line_is_refused_at_once(bot: Any) -> None:
    """The one-line form gives amount and method first: the refusal is the first answer, and
    « Modifier le montant » keeps the donor the line described."""
    _, tres = await setup_treasurer(bot)
    ask = await bot.reply(tres, "/don")
    assert LINE_HINT in ask.plain
    refused = await bot.reply(tres, "200 € espèces Jean Martin 12 rue de la Paix 69001 Lyon")
    assert REFUSED in refused.plain and "⛔ Versement en espèces de 200,00 €" in txt(refused)
    tres.press(refused, text="Modifier le montant")
    assert "Montant" in (await tres.next_message()).plain
    ask_type = await bot.reply(tres, "150")
    assert "personne physique" in ask_type.plain  # the next question the line did not answer
    tres.press(ask_type, text="Personne physique")
    ask_names = await tres.next_message()
    tres.press(ask_names, text="Prénom Jean · nom Martin")
    ask_civility = await tres.next_message()
    tres.press(ask_civility, text="M.")
    assert "Pays de l'adresse" in (await tres.next_message()).plain  # address and town: kept


async def test_foreign_non_resident_is_refused_right_after_residence(bot: Any) -> None:
    """Rule 4: refused as soon as nationality and residence are answered, before e-mail, amount
    and the rest; « Modifier nationalité et résidence » asks those two again, nothing else."""
    _, tres = await setup_treasurer(bot)
    ask = await bot.reply(tres, "/don")
    tres.press(ask, text="Nouveau donateur")
    tres.press(await tres.next_message(), text="Personne physique")
    tres.press(await tres.next_message(), text="M.")
    await tres.next_message()
    await bot.reply(tres, "Hans")
    await bot.reply(tres, "Müller")
    await bot.reply(tres, "Hauptstraße 1")
    ask_country = await bot.reply(tres, "10115 Berlin")
    ask_nat = await bot.reply(tres, "Allemagne")
    assert "Nationalité" in ask_nat.plain
    ask_res = await bot.reply(tres, "allemande")
    assert "résidence fiscale" in ask_res.plain and ask_country.plain  # not refused before residence
    refused = await _button_or_text(bot, tres, ask_res, "DE")
    assert REFUSED in refused.plain, refused.plain
    assert "ni de nationalité française ni résident en France" in refused.plain
    assert "Modifier nationalité et résidence" in refused.button_texts
    tres.press(refused, text="Modifier nationalité et résidence")
    ask_nat = await tres.next_message()
    assert "Nationalité" in ask_nat.plain
    ask_res = await bot.reply(tres, "française")
    ask_email = await _button_or_text(bot, tres, ask_res, "DE")  # French, living abroad: allowed
    assert "e-mail" in ask_email.plain, ask_email.plain
    assert await bot.count(Donor) == 0


async def test_a_legal_person_is_refused_right_after_the_donor_type(bot: Any) -> None:
    """Rule 4: "Personne morale" is refused at once, without a name or an address to type first;
    « Modifier le type de donateur » goes back to that one question."""
    _, tres = await setup_treasurer(bot)
    ask = await bot.reply(tres, "/don")
    tres.press(ask, text="Nouveau donateur")
    tres.press(await tres.next_message(), text="Personne morale")
    refused = await tres.next_message()
    assert REFUSED in refused.plain and "⛔ Ce donateur est une personne morale" in refused.plain
    assert "Modifier le type de donateur" in refused.button_texts
    tres.press(refused, text="Modifier le type de donateur")
    ask_type = await tres.next_message()
    assert "personne physique" in ask_type.plain
    tres.press(ask_type, text="Personne physique")
    assert "Civilité" in (await tres.next_message()).plain


async def test_the_yearly_cap_is_refused_once_year_and_kind_are_known(bot: Any) -> None:
    """Rule 5: a known donor at 7 400 € this year; a 200 € cotisation is refused right after its
    kind is answered (an élu's cotisation would be outside the cap), before the membership
    question and the summary. The treasurer may go on to record it « à rembourser »."""
    _, tres = await setup_treasurer(bot)
    await seed(bot, "Léa", "Martin", [(740000, "chèque", _today(), "don")])
    ask = await bot.reply(tres, "/don")
    found = await bot.reply(tres, "200 € virement Léa Martin")  # amount and method on one line
    assert "déjà connu" in found.plain
    ask_date = await _pick(tres, found, "Léa Martin")
    assert "Reçu quand" in ask_date.plain and ask.plain  # amount and method: not asked again
    confirm_day = await bot.reply(tres, dmy(_today()))
    tres.press(confirm_day, text="Oui")
    ask_kind = await tres.next_message()
    tres.press(ask_kind, text="cotisation")
    refused = await tres.next_message()
    assert REFUSED in refused.plain and "Quelle adhésion" not in refused.plain
    assert "atteint 7 600,00 €" in txt(refused)
    assert refused.button_texts[:3] == [
        "Modifier le montant",
        "Modifier la date",
        "Modifier le type de versement",
    ]
    tres.press(refused, text=GO_ON)
    ask_mkind = await tres.next_message()
    assert "Quelle adhésion" in ask_mkind.plain  # the refusal is not repeated at every step
    tres.press(ask_mkind, text=next(b for b in ask_mkind.button_texts if b.startswith("standard")))
    summary = await tres.next_message()
    assert "⛔" in summary.plain and "Confirmer" not in summary.button_texts
    assert "Enregistrer «\u00a0à rembourser\u00a0»" in summary.button_texts


async def test_a_known_donor_is_found_by_name_in_one_step(bot: Any) -> None:
    """Typing "Martin" or "jean martin" offers the matching donors as buttons at once; a forged
    donor id (not offered to this draft) is refused and shows no one."""

    _, tres = await setup_treasurer(bot)
    jean = await seed(bot, "Jean", "Martin", [])
    await seed(bot, "Léa", "Martin", [])
    other = await seed(bot, "Paul", "Secret", [])
    await bot.reply(tres, "/don")
    found = await bot.reply(tres, "Martin")
    names = [b for b in found.button_texts if "·" in b]
    assert (
        len(names) == 2 and any("Jean Martin" in b for b in names) and any("Léa Martin" in b for b in names)
    )
    found = await bot.reply(tres, "jean martin")
    assert [b for b in found.button_texts if "·" in b] == [next(b for b in names if "Jean" in b)]
    await bot.forge(tres, found, f"dn:search:{other.id}")
    after = (await tres.next_message()).plain or ""
    assert "secret" not in after.lower() and "Montant" not in after, after
    found = await bot.reply(tres, "jean martin")  # the forged press closed those buttons
    ask_amount = await _pick(tres, found, "Jean Martin")
    assert "Montant" in ask_amount.plain
    assert jean.id != other.id


async def test_a_one_line_gift_fills_the_draft_and_asks_only_what_is_missing(bot: Any) -> None:
    """ "200€ virement Mme Durand Claire, 3 place Bellecour 69002 Lyon": amount, method, civility,
    address and town are filled; which word is the first name is asked (never guessed); the
    questions left are country, nationality, residence, e-mail, mandate, declaration, account,
    date and kind."""
    _, tres = await setup_treasurer(bot)
    await bot.reply(tres, "/don")
    ask_names = await bot.reply(tres, "200€ virement Mme Durand Claire, 3 place Bellecour 69002 Lyon")
    assert "prénom" in ask_names.plain, ask_names.plain
    assert "Prénom Claire · nom Durand" in ask_names.button_texts
    tres.press(ask_names, text="Prénom Claire · nom Durand")
    ask_country = await tres.next_message()
    assert "Pays de l'adresse" in ask_country.plain  # civility, address, town: not asked
    msg = await _button_or_text(bot, tres, ask_country, "France")
    msg = await _button_or_text(bot, tres, msg, "Française")
    msg = await _button_or_text(bot, tres, msg, "France")
    msg = await bot.reply(tres, "claire@exemple.fr")
    msg = await _button_or_text(bot, tres, msg, "Aucun")
    tres.press(msg, text="Oui, elle est signée")
    msg = await _button_or_text(bot, tres, await tres.next_message(), "Aucun")
    summary = await _to_summary(bot, tres, msg)  # amount and method: not asked
    assert "Claire Durand" in summary.plain and "3 place Bellecour" in summary.plain
    assert "200,00 €" in txt(summary) and "virement" in summary.plain
    await confirm(bot, tres, summary)
    async with bot.services.db.session() as s:
        donor = await s.scalar(select(Donor))
    assert (donor.civility, donor.first_name, donor.last_name, donor.address, donor.postcode, donor.city) == (
        "Mme",
        "Claire",
        "Durand",
        "3 place Bellecour",
        "69002",
        "Lyon",
    )
    (d,) = await donations(bot)
    assert (d.amount_cents, d.method, d.donor_id) == (20000, "virement", donor.id)


async def test_the_treasurer_who_records_a_gift_is_not_alerted(bot: Any) -> None:
    """The alert goes to the other treasurers only: the one who typed the gift already knows."""
    coord, tres = await setup_treasurer(bot)
    other = await second_treasurer(bot, coord)
    await seed(bot, "Jean", "Dupont", [])
    found = await bot.reply(tres, "/don jean dupont")
    await _pick(tres, found, "Jean Dupont")
    ask_method = await bot.reply(tres, "40")
    tres.press(ask_method, text="chèque")
    summary = await _to_summary(bot, tres, await tres.next_message())
    log = bot.sb.log(TREASURER_ID)
    start = len(log.bot_messages)
    await confirm(bot, tres, summary)  # waits for the outbox to be idle
    assert not any("Nouveau versement" in (m.plain or "") for m in log.bot_messages[start:])
    async with bot.services.db.session() as s:
        alerts = list(await s.scalars(select(Outbox).where(Outbox.dedupe_key.like("don:alert:%"))))
    assert [a.chat_id for a in alerts] == [other.id]
    assert "Nouveau versement" in alerts[0].payload["text"] and "Jean Dupont" in alerts[0].payload["text"]

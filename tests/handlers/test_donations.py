"""/don as a treasurer uses it, through the sandbox: new and known donors, the law at its
boundaries, refusals recorded "à rembourser", double taps, alerts, corrections."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain.dates import PARIS
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import AuditLog, Donation, Donor, Membership, Outbox

TREASURER_ID = 701


async def setup_treasurer(bot: Any, username: str = "nora_tres", user_id: int = TREASURER_ID) -> Any:
    coord = bot.user(COORDINATOR_ID, "Camille")
    if await bot.person(COORDINATOR_ID) is None:
        await bot.onboard(coord)
    tres = bot.user(user_id, "Nora", username=username)
    await bot.onboard(tres)
    await bot.reply(coord, f"/role @{username} trésorier")
    assert "trésorerie" in (await tres.next_message()).plain
    return coord, tres


async def new_donor(
    bot: Any,
    u: Any,
    *,
    first: str = "Jean",
    last: str = "Dupont",
    postcode: str = "69001 Lyon",
    country: str = "France",
    nationality: str = "Française",
    residence: str = "France",
    email: str = "jean.dupont@exemple.fr",
    mandate: str = "Aucun",
    sworn: bool = True,
    telegram: str = "Aucun",
) -> Any:
    """From /don to the amount question, creating a natural person."""
    ask = await bot.reply(u, "/don")
    u.press(ask, text="Nouveau donateur")
    kind = await u.next_message()
    u.press(kind, text="Personne physique")
    civ = await u.next_message()
    u.press(civ, text="M.")
    await u.next_message()
    await bot.reply(u, first)
    await bot.reply(u, last)
    await bot.reply(u, "12 rue de la Paix")
    ask_country = await bot.reply(u, postcode)
    ask_nat = await _button_or_text(bot, u, ask_country, country)
    ask_res = await _button_or_text(bot, u, ask_nat, nationality)
    await go_on(u, await _button_or_text(bot, u, ask_res, residence))
    ask_mandate = await bot.reply(u, email)
    ask_sworn = await _button_or_text(bot, u, ask_mandate, mandate)
    u.press(ask_sworn, text="Oui, elle est signée" if sworn else "Pas encore")
    ask_tg = await u.next_message()
    return await _button_or_text(bot, u, ask_tg, telegram)


GO_ON = "Continuer pour l'enregistrer «\u00a0à rembourser\u00a0»"


async def go_on(u: Any, message: Any) -> Any:
    """Past a refusal made as soon as its facts were known (a treasurer records it « à
    rembourser » at the summary); any other message is returned as is."""
    if GO_ON in message.button_texts:
        u.press(message, text=GO_ON)
        return await u.next_message()
    return message


async def _button_or_text(bot: Any, u: Any, message: Any, value: str) -> Any:
    if value in message.button_texts:
        u.press(message, text=value)
        return await u.next_message()
    return await bot.reply(u, value)


async def second_treasurer(bot: Any, coord: Any, user_id: int = 702) -> Any:
    other = bot.user(user_id, "Léo", username="leo_tres")
    await bot.onboard(other)
    await bot.reply(coord, "/role @leo_tres trésorier")
    await other.next_message()
    return other


async def known_donor(bot: Any, u: Any, query: str) -> Any:
    ask = await bot.reply(u, "/don")
    assert "Qui a donné" in ask.plain
    found = await bot.reply(u, query)
    donor_buttons = [b for b in found.button_texts if "·" in b]
    assert donor_buttons, found.plain
    u.press(found, text=donor_buttons[0])
    return await u.next_message()


async def payment(
    bot: Any,
    u: Any,
    amount: str,
    method: str,
    day: str,
    kind: str = "don",
    mkind: str | None = None,
    ledger: str = "Le mouvement",
) -> Any:
    """From the amount question to the summary."""
    ask_method = await bot.reply(u, amount)
    u.press(ask_method, text=method)
    await go_on(u, await u.next_message())
    if method == "plateforme en ligne":
        assert "numéro de transaction" in (await bot.reply(u, "HelloAsso")).plain  # the id is required
        await bot.reply(u, "HelloAsso 987654")
    confirm = await bot.reply(u, day)
    assert "c'est bien ça" in confirm.plain, confirm.plain
    u.press(confirm, text="Oui")
    msg = await u.next_message()
    if "quelle caisse" in msg.plain:
        u.press(msg, text=ledger)
        msg = await u.next_message()
    if "De quoi s'agit-il" in msg.plain:
        u.press(msg, text=kind)
        msg = await u.next_message()
    if "Quelle adhésion" in msg.plain:
        u.press(msg, text=next(b for b in msg.button_texts if b.startswith(mkind or "standard")))
        msg = await u.next_message()
    if "levée de fonds" in msg.plain and "Non, aucune" in msg.button_texts:
        u.press(msg, text="Non, aucune")
        msg = await u.next_message()
    assert "Récapitulatif" in msg.plain, msg.plain
    return msg


async def confirm(bot: Any, u: Any, summary: Any, double: bool = False) -> Any:
    """Press Confirmer; returns the bot's answer (the treasurers' alert may arrive around it)."""
    u.press(summary, text="Confirmer")
    if double:
        u.press(summary, text="Confirmer")
    return await settle(bot, u, "enregistré")


def _is_alert(message: Any) -> bool:
    return "Nouveau versement" in (message.plain or "") or "Versement refusé" in (message.plain or "")


async def settle(bot: Any, u: Any, needle: str) -> Any:
    """The reply containing `needle`; every message that came with it (outbox alerts, which may
    arrive before or after it) is marked read."""
    log = bot.sb.log(u.id)
    start = log.consumed

    def reply() -> Any:
        return next(
            (m for m in log.bot_messages[start:] if needle in (m.plain or "") and not _is_alert(m)), None
        )

    await bot.sb.wait_for(lambda: reply() is not None, 5)
    await bot.outbox_idle()
    log.consumed = len(log.bot_messages)
    return reply()


async def donations(bot: Any) -> list[Donation]:
    async with bot.services.db.session() as s:
        return list(await s.scalars(select(Donation).order_by(Donation.id)))


async def ask(bot: Any, u: Any, text: str, needle: str) -> Any:
    """Send `text`; the bot's answer containing `needle`. Coordinators also get the other
    capabilities' messages (the daily digest…) at any time: those are skipped."""
    u.send(text)
    for _ in range(6):
        message = await u.next_message()
        if needle in (message.plain or "") or (needle == "<photo>" and message.kind == "photo"):
            return message
    raise AssertionError(f"no answer with {needle!r} to {text!r}")


async def _photo(u: Any) -> Any:
    for _ in range(6):
        message = await u.next_message()
        if message.kind == "photo":
            return message
    raise AssertionError("no photo")


def txt(message: Any) -> str:
    """What the user reads, with babel's narrow no-break spaces as plain spaces."""
    return str(message.plain).replace("\u202f", " ").replace("\xa0", " ")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- The conversation -------------------------------------------------------------------------


async def test_new_donor_gift_recorded_once_with_alert(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    await second_treasurer(bot, coord)  # told of the gift; the one who typed it is not
    ask_amount = await new_donor(bot, tres)
    assert "Montant" in ask_amount.plain
    assert "Je n'ai pas compris ce montant" in (await bot.reply(tres, "douze euros")).plain
    ask_method = await bot.reply(tres, "1 000 €")
    tres.press(ask_method, text="chèque")
    await tres.next_message()
    future = await bot.reply(tres, "demain")
    assert "dans le futur" in future.plain
    assert "dans le futur" in (await bot.reply(tres, "31/12/2099")).plain
    assert "Je n'ai pas compris cette date" in (await bot.reply(tres, "un jour")).plain
    yesterday = datetime.now(PARIS).date() - timedelta(days=1)
    confirm_day = await bot.reply(tres, "hier")
    assert "c'est bien ça" in confirm_day.plain
    tres.press(confirm_day, text="Oui")
    kind = await tres.next_message()
    tres.press(kind, text="don")
    summary = await tres.next_message()
    assert "Jean Dupont" in summary.plain and "1 000,00 €" in txt(summary)
    assert "Aucune remarque" in summary.plain
    # Countries in words, never ISO codes (issue 13, point 4).
    assert "Pays de nationalité\u00a0: France" in summary.plain and ": FR" not in summary.plain
    assert await bot.count(Donation) == 0 and await bot.count(Donor) == 0  # nothing before Confirmer
    done = await confirm(bot, tres, summary, double=True)
    assert "(registre\u00a0: MVT-" in done.plain and "remarque" not in done.plain
    rows = await donations(bot)
    assert len(rows) == 1
    d = rows[0]
    assert (d.amount_cents, d.method, d.kind, d.ledger, d.status) == (
        100000,
        "chèque",
        "don",
        "party",
        "recorded",
    )
    assert d.received_on == yesterday and d.receipt_number == f"MVT-{yesterday.year}-00001"
    async with bot.services.db.session() as s:
        donor = await s.scalar(select(Donor))
        alerts = list(await s.scalars(select(Outbox).where(Outbox.dedupe_key.like("don:alert:%"))))
    assert (donor.first_name, donor.last_name, donor.postcode, donor.city, donor.nationality) == (
        "Jean",
        "Dupont",
        "69001",
        "Lyon",
        "FR",
    )
    assert donor.sworn_declaration_at is not None and donor.email == "jean.dupont@exemple.fr"
    # One alert per other treasurer: none to the one who typed it, none to the coordinator.
    assert [a.chat_id for a in alerts] == [702]
    assert "Nouveau versement" in alerts[0].payload["text"] and "Jean Dupont" in alerts[0].payload["text"]


async def test_cash_150_passes_and_150_01_is_refused(bot: Any) -> None:
    _, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await new_donor(bot, tres)
    summary = await payment(bot, tres, "150,00", "espèces", dmy(today - timedelta(days=40)))
    assert "⛔" not in summary.plain and "Confirmer" in summary.button_texts
    await confirm(bot, tres, summary)
    await known_donor(bot, tres, "dupont")
    summary = await payment(bot, tres, "150,01", "espèces", dmy(today - timedelta(days=2)))
    assert "⛔ Versement en espèces de 150,01 €" in txt(summary)
    assert "au-delà de 150,00 €" in txt(summary) and "loi 88-227 art. 11-4" in summary.plain
    assert "Confirmer" not in summary.button_texts  # never recordable as accepted
    tres.press(summary, text="Annuler")
    assert "annulé" in (await tres.next_message()).plain
    assert [d.amount_cents for d in await donations(bot)] == [15000]


async def test_party_cap_at_7500_and_the_calendar_year(bot: Any) -> None:
    _, tres = await setup_treasurer(bot)
    year = datetime.now(UTC).year
    await new_donor(bot, tres)
    summary = await payment(bot, tres, "7 500", "virement", f"31/12/{year - 1}")
    # Exactly 7 500 € is within the cap; from 6 000 € a warning.
    assert "⛔" not in summary.plain and "⚠️ Ce donateur atteint 7 500,00 €" in txt(summary)
    await confirm(bot, tres, summary)
    await known_donor(bot, tres, "jean dupont")
    summary = await payment(bot, tres, "0,01", "virement", f"30/12/{year - 1}")
    assert f"atteint 7 500,01 € de dons et cotisations au parti en {year - 1}" in txt(summary)
    assert (
        "Enregistrer «\u00a0à rembourser\u00a0»" in summary.button_texts
        and "Confirmer" not in summary.button_texts
    )
    tres.press(summary, text="Annuler")
    await tres.next_message()
    # 1 January: a new calendar year, a new cap.
    await known_donor(bot, tres, "dupont")
    summary = await payment(bot, tres, "50", "plateforme en ligne", f"1er janvier {year}")
    assert "⛔" not in summary.plain and "Reçu le " in summary.plain and " 1er janvier\n" in summary.plain
    assert "Plateforme\u00a0: HelloAsso · transaction 987654" in summary.plain
    await confirm(bot, tres, summary)
    rows = await donations(bot)
    assert [(d.amount_cents, d.received_on.year, d.receipt_number) for d in rows] == [
        (750000, year - 1, f"MVT-{year - 1}-00001"),
        (5000, year, f"MVT-{year}-00001"),
    ]


async def test_foreign_non_resident_is_recorded_to_refund_with_a_reason(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    await second_treasurer(bot, coord)
    await new_donor(
        bot,
        tres,
        first="Hans",
        last="Müller",
        postcode="10115 Berlin",
        country="Allemagne",
        nationality="allemande",
        residence="Allemagne",
        email="hans@beispiel.de",
    )
    summary = await payment(bot, tres, "200", "virement", "hier")
    assert (
        "⛔ Donateur ni de nationalité française ni résident en France (nationalité : DE ; résidence : DE)"
        in summary.plain
    )
    assert "3 ans d'emprisonnement et 45 000 € d'amende" in txt(summary)
    tres.press(summary, text="Enregistrer «\u00a0à rembourser\u00a0»")
    assert "Motif" in (await tres.next_message()).plain
    tres.send("Donateur étranger non résident, virement à retourner")
    done = await settle(bot, tres, "«\u00a0à rembourser\u00a0»")
    assert "n°\u00a01 " in done.plain
    (d,) = await donations(bot)
    assert (d.status, d.receipt_number, d.reason) == (
        "to_refund",
        None,
        "Donateur étranger non résident, virement à retourner",
    )
    assert d.findings[0]["code"] == "donor_not_eligible"
    async with bot.services.db.session() as s:
        alert = await s.scalar(select(Outbox).where(Outbox.dedupe_key.like("don:alert:%")))
    assert (
        "à rembourser" in alert.payload["text"] and "Motif\u00a0: Donateur étranger" in alert.payload["text"]
    )


async def test_collector_company_gift_is_refused_and_search_is_exact(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    col = bot.user(720, "Paul", username="paul_col")
    await bot.onboard(col)
    await bot.reply(coord, "/role @paul_col collecte")
    await col.next_message()
    ask = await bot.reply(col, "/don")
    col.press(ask, text="Nouveau donateur")
    col.press(await col.next_message(), text="Personne morale")
    # Refused at once, before any name or address is typed (issue 13).
    refused = await col.next_message()
    assert "⛔ Ce donateur est une personne morale" in refused.plain
    assert "remettez-le à la trésorerie" in refused.plain
    # A collector cannot even record it "à rembourser": change the answer, or cancel.
    assert refused.button_texts == ["Modifier le type de donateur", "Annuler"]
    col.press(refused, text="Annuler")
    await col.next_message()
    assert await bot.count(Donation) == 0 and await bot.count(Donor) == 0

    # The treasurer's donor, seen by the collector: exact name or email only.
    await new_donor(bot, tres)
    await confirm(bot, tres, await payment(bot, tres, "6 100", "chèque", "hier"))
    ask = await bot.reply(col, "/don")
    assert "Aucun donateur n'a exactement" in (await bot.reply(col, "dup")).plain
    found = await bot.reply(col, "jean.dupont@exemple.fr")
    assert any("Jean Dupont" in b for b in found.button_texts)
    col.press(found, text=next(b for b in found.button_texts if "Jean Dupont" in b))
    await col.next_message()
    summary = await payment(bot, col, "10", "chèque", "hier")
    # The donor's yearly total is the treasurers' business: a collector sees the rule, not the figure.
    assert "6 110" not in txt(summary) and "approche d'une limite légale" in summary.plain
    assert "Adresse" not in summary.plain
    done = await confirm(bot, col, summary)
    assert "Versement n°\u00a02 enregistré" in done.plain
    await bot.outbox_idle()
    alerts = [m for m in tres.messages if "Nouveau versement" in m.plain]
    assert "saisi par Paul" in alerts[-1].plain and "⚠️ Ce donateur atteint 6 110,00 €" in txt(alerts[-1])


async def test_cancel_midway_and_groups(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    await new_donor(bot, tres)
    await bot.reply(tres, "50")
    assert "annulé" in (await bot.reply(tres, "/cancel")).plain
    assert await bot.count(Donation) == 0 and await bot.count(Donor) == 0
    group = bot.sb.group(-4001, "Militants Lyon")
    group.add_member(tres)
    tres.send("/don", chat=group)
    assert "message privé" in (await group.next_message()).plain
    tres.send("/bilan", chat=group)
    assert "message privé" in (await group.next_message()).plain


# --- Seeding the ledger directly (the shared operations the conversation uses) ----------------


async def seed(
    bot: Any,
    first: str,
    last: str,
    gifts: list[tuple[int, str, date, str]],
    person_id: Any = None,
    event_id: Any = None,
) -> Any:
    """A donor and their gifts (cents, method, day, kind), checked and recorded like /don does."""
    from capabilities.donations.checking import Entry, check, law_donor
    from capabilities.donations.recording import record
    from storage import donations as q

    svc = bot.services
    async with svc.transaction() as s:
        donor = await q.add_donor(
            s,
            first_name=first,
            last_name=last,
            address="1 rue Haute",
            postcode="75011",
            city="Paris",
            country="FR",
            nationality="FR",
            sworn_declaration_at=datetime.now(UTC),
            person_id=person_id,
        )
        for i, (amount, method, day, kind) in enumerate(gifts):
            entry = Entry(amount, method, kind, day, event_id=event_id)
            findings = await check(s, svc.settings, entry, law_donor(donor), donor.id, day)
            await record(
                s, svc.settings, entry, donor, findings=findings, request_key=f"seed:{last}:{i}", actor=None
            )
    await bot.outbox_idle()
    log = bot.sb.log(TREASURER_ID)  # the treasurer's alerts about these gifts: read
    log.consumed = len(log.bot_messages)
    return donor


async def open_card(bot: Any, tres: Any, donation_id: int) -> Any:
    listing = await bot.reply(tres, "/dons")
    assert "Derniers versements" in listing.plain
    tres.press(listing, text=next(b for b in listing.button_texts if b.startswith(f"#{donation_id} ")))
    return await tres.next_message()


async def test_corrections_are_audited_and_never_delete(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await seed(bot, "Léa", "Martin", [(5000, "chèque", today - timedelta(days=3), "don")])
    card = await open_card(bot, tres, 1)
    assert "Léa Martin" in card.plain and "MVT-" in card.plain
    tres.press(card, text="Montant")
    assert "Montant" in (await tres.next_message()).plain
    assert "Je n'ai pas compris ce montant" in (await bot.reply(tres, "beaucoup")).plain
    assert "Motif" in (await bot.reply(tres, "60")).plain
    assert "corrigé" in (await bot.reply(tres, "Erreur de saisie, chèque de 60 €")).plain
    card = await open_card(bot, tres, 1)
    assert "60,00" in card.plain
    tres.press(card, text="Mode")
    methods = await tres.next_message()
    tres.press(methods, text="espèces")
    await tres.next_message()
    await bot.reply(tres, "Payé en liquide en fait")  # 60 € cash is fine
    # A correction that would break the law is refused.
    tres.press(await open_card(bot, tres, 1), text="Montant")
    await tres.next_message()
    await bot.reply(tres, "200")
    refused = await bot.reply(tres, "Rectification")
    assert "Correction refusée" in refused.plain and "espèces de 200,00" in txt(refused)
    kept = await open_card(bot, tres, 1)
    old_card = await open_card(bot, tres, 1)
    tres.press(old_card, text="Annuler le versement")
    assert "Motif de l'annulation" in (await tres.next_message()).plain
    assert "annulé" in (await bot.reply(tres, "Chèque sans provision")).plain
    (d,) = await donations(bot)
    assert (d.amount_cents, d.method, d.status, d.reason) == (
        6000,
        "espèces",
        "cancelled",
        "Chèque sans provision",
    )
    assert d.receipt_number  # kept: the register shows the gap
    async with bot.services.db.session() as s:
        trail = list(
            await s.scalars(
                select(AuditLog).where(AuditLog.subject == f"donation:{d.id}").order_by(AuditLog.id)
            )
        )
    assert [a.action for a in trail] == [
        "donation.recorded",
        "donation.corrected",
        "donation.corrected",
        "donation.cancel",
    ]
    edit = trail[1].details
    assert (edit["before"]["amount_cents"], edit["after"]["amount_cents"]) == (5000, 6000)
    assert edit["reason"] == "Erreur de saisie, chèque de 60 €" and trail[1].actor_id is not None
    assert (
        trail[3].details["before"]["status"] == "recorded"
        and trail[3].details["after"]["status"] == "cancelled"
    )
    # Buttons are checked on the server: once the role is gone, an old card changes nothing.
    await bot.reply(coord, "/retirer_role @nora_tres trésorier")
    await tres.next_message()
    tres.press(kept, text="Montant")
    await bot.sb.wait_for(lambda: tres.last_answer is not None and tres.last_answer.text, 5)
    assert "réservée" in tres.last_answer.text


async def test_permission_matrix(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await seed(
        bot,
        "Léa",
        "Martin",
        [
            (12000, "virement", today - timedelta(days=1), "don"),
            (3000, "chèque", today - timedelta(days=1), "cotisation"),
        ],
    )
    vol = bot.user(730, "Vic", username="vic")
    await bot.onboard(vol)
    col = bot.user(731, "Colette", username="colette")
    await bot.onboard(col)
    await bot.reply(coord, "/role @colette collecte")
    await col.next_message()
    for command in ("/don", "/dons", "/adherents", "/bilan", "/export"):
        assert "réservée" in (await bot.reply(vol, command)).plain, command
    for command in ("/dons", "/adherents", "/bilan", "/export"):
        assert "réservée" in (await bot.reply(col, command)).plain, command
    assert "Qui a donné" in (await bot.reply(col, "/don")).plain
    await bot.reply(col, "/cancel")
    for command in ("/dons", "/export"):
        assert "réservée" in (await bot.reply(coord, command)).plain, command
    # Coordinators see totals and counts, never names or single amounts.
    adh = await ask(bot, coord, "/adherents", "Adhésions")
    assert "À jour\u00a0: 1" in adh.plain and "Martin" not in adh.plain
    bilan = await ask(bot, coord, "/bilan", "Bilan")
    assert "150,00 €" in txt(bilan) and "Martin" not in bilan.plain and "Léa" not in bilan.plain
    photo = await _photo(coord)
    assert photo.kind == "photo"
    assert [c.params.get("action") for c in bot.sb.calls_to("sendChatAction")] == ["upload_photo"]
    # Treasurers see the names.
    assert "Martin" in (await bot.reply(tres, "/dons")).plain + " ".join(tres.last_message.button_texts)
    async with bot.services.db.session() as s:
        assert await s.scalar(select(Membership.fee_cents)) == 3000


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # Outbox messages to one chat are spaced by 1 s in production; tests need not wait.
    return {"fundraising_goal_eur": 1000, "send_per_chat_per_second": 50.0}


async def test_bilan_chart_goal_and_fundraising_event(bot: Any) -> None:
    from storage import events as eq

    coord, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    async with bot.services.transaction() as s:
        start = datetime.now(UTC) + timedelta(hours=2)  # not over: no attendance report to coordinators
        event = await eq.create_event(
            s,
            title="Dîner de soutien",
            kind="levée de fonds",
            city_id=None,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            place="Paris",
            description="",
            needs=[],
            created_by=None,
        )
    # The conversation offers the recent fundraising event.
    await new_donor(bot, tres)
    ask_method = await bot.reply(tres, "80")
    tres.press(ask_method, text="carte")
    await tres.next_message()
    ok = await bot.reply(tres, "hier")
    tres.press(ok, text="Oui")
    tres.press(await tres.next_message(), text="don")
    offer = await tres.next_message()
    assert "levée de fonds" in offer.plain and "Dîner de soutien" in offer.button_texts
    tres.press(offer, text="Dîner de soutien")
    summary = await tres.next_message()
    assert "Levée de fonds\u00a0: Dîner de soutien" in summary.plain
    await confirm(bot, tres, summary)
    await seed(
        bot,
        "Léa",
        "Martin",
        [
            (20000, "chèque", date(today.year, 1, 15), "don"),
            (2000, "espèces", today - timedelta(days=2), "cotisation"),
        ],
        event_id=event.id,
    )
    (first, *_) = await donations(bot)
    assert first.event_id == event.id

    bilan = await ask(bot, coord, "/bilan", "Bilan")
    text = txt(bilan)
    assert "Total reçu : 300,00 € (3 versements acceptés)" in text
    assert "Objectif de collecte : 300,00 € sur 1 000,00 € (30 %)" in text
    assert "• janvier : 200,00 €" in text and "Par caisse" in text and "• Le mouvement : 300,00 €" in text
    assert "• carte : 80,00 €" in text and "• cotisation : 20,00 €" in text
    assert "• Dîner de soutien" in text and "300,00 €, 3 versements" in text
    assert "Dupont" not in text and "Martin" not in text
    photo = await _photo(coord)
    assert photo.kind == "photo" and photo.photo.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Bilan" in photo.caption
    assert "Utilisation" in (await ask(bot, coord, "/bilan demain", "Utilisation")).plain
    last_year = await ask(bot, coord, f"/bilan {today.year - 1}", "Total reçu")
    assert "Total reçu : 0,00 €" in txt(last_year)
    await _photo(coord)


async def test_export_files_read_back(bot: Any) -> None:
    import csv
    import io
    import zipfile
    from decimal import Decimal

    import openpyxl

    _, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await seed(
        bot,
        "Léa",
        "Martin",
        [
            (5000, "chèque", date(today.year - 1, 12, 31), "don"),
            (12345, "virement", date(today.year, 1, 1), "cotisation"),
        ],
    )
    await seed(bot, "=Jo", "Durand", [(15000, "espèces", today - timedelta(days=1), "don")])
    tres.send("/export")
    msg = await tres.next_message()
    # One archive, no burst of documents.
    assert msg.kind == "document" and msg.document.filename == f"exports-dons-{today.year}.zip"
    assert "(3 versements)" in msg.caption and f"cnccfp-mouvement-{today.year}.tsv" in msg.caption
    assert "recorded" not in msg.caption and "&amp;" not in msg.caption
    with zipfile.ZipFile(io.BytesIO(msg.document.data)) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    assert set(files) == {
        "dons.xlsx",
        "dons.csv",
        "donateurs.xlsx",
        "donateurs.csv",
        f"cnccfp-mouvement-{today.year}.tsv",
    }
    assert files["dons.csv"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(files["dons.csv"].decode("utf-8-sig")), delimiter=";"))
    assert [(r["Montant (€)"], r["Nom"], r["Statut"], r["Mode de paiement"]) for r in rows] == [
        ("50,00", "Martin", "enregistré", "chèque"),
        ("123,45", "Martin", "enregistré", "virement"),
        ("150,00", "Durand", "enregistré", "espèces"),
    ]
    assert rows[0]["Date de réception"] == f"31/12/{today.year - 1}"
    assert rows[2]["Prénom"] == "'=Jo"  # never a formula in a spreadsheet
    sheet = openpyxl.load_workbook(io.BytesIO(files["dons.xlsx"])).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["N° de versement", "Date de réception", "Montant (€)"]
    first = [c.value for c in sheet[2]]
    assert first[1] == datetime(today.year - 1, 12, 31) and Decimal(str(first[2])) == Decimal("50")
    jo = sheet.cell(row=4, column=header.index("Prénom") + 1)
    assert jo.value == "=Jo" and jo.data_type == "s"  # text, not a formula
    donors = list(csv.DictReader(io.StringIO(files["donateurs.csv"].decode("utf-8-sig")), delimiter=";"))
    martin = next(r for r in donors if r["Nom"] == "Martin")
    assert martin[f"Mouvement {today.year - 1} (€)"] == "50,00"
    assert martin[f"Mouvement {today.year} (€)"] == "123,45"
    # The CNCCFP list keeps its own format: tabs, dot decimals, codes.
    tsv = files[f"cnccfp-mouvement-{today.year}.tsv"].decode("utf-8").splitlines()
    tsv_header = tsv[0].split("\t")
    assert tsv_header[:4] == ["identifiant", "nature", "date", "identifiant_donateur"]
    assert {
        "civilite",
        "nom",
        "prenom",
        "mandat",
        "adresse",
        "ville",
        "code_postal",
        "pays",
        "nationalite",
        "devise",
        "montant",
    } <= set(tsv_header)
    lines = [dict(zip(tsv_header, line.split("\t"), strict=True)) for line in tsv[1:]]
    assert [(r["nature"], r["montant"], r["devise"], r["nationalite"]) for r in lines] == [
        ("cotisation", "123.45", "EUR", "FR"),
        ("don", "150.00", "EUR", "FR"),
    ]
    assert lines[0]["date"] == f"01/01/{today.year}"
    async with bot.services.db.session() as s:
        logged = await s.scalar(select(AuditLog).where(AuditLog.action == "donations.export"))
    assert logged is not None and logged.subject == f"year:{today.year}"


async def test_membership_reminders_exactly_once(bot: Any) -> None:
    from capabilities.donations.memberships import remind_due

    coord, tres = await setup_treasurer(bot)
    member = bot.user(740, "Sami", username="sami")
    await bot.onboard(member)
    paid = datetime.now(PARIS).date() - timedelta(days=1)
    await new_donor(bot, tres, first="Sami", last="Benali", email="sami@exemple.fr", telegram="@sami")
    summary = await payment(bot, tres, "10", "chèque", "hier", kind="cotisation", mkind="réduit")
    assert "Adhésion\u00a0: réduit" in summary.plain
    await confirm(bot, tres, summary)
    async with bot.services.db.session() as s:
        m = await s.scalar(select(Membership))
    assert m.period_start == paid and m.period_end == date(paid.year + 1, paid.month, paid.day) - timedelta(
        days=1
    )
    assert m.fee_cents == 1000 and m.kind == "réduit" and m.person_id is not None

    def at(days_before_end: int) -> datetime:
        day = m.period_end - timedelta(days=days_before_end)
        return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)

    run = remind_due
    assert await run(bot.services, at(31)) == 0
    assert await run(bot.services, at(30)) == 1
    assert await run(bot.services, at(30)) == 0
    assert await run(bot.services, at(20)) == 0
    assert await run(bot.services, at(7)) == 1
    assert await run(bot.services, at(3)) == 0
    assert await run(bot.services, at(0)) == 1
    assert await run(bot.services, at(-5)) == 0
    await bot.outbox_idle()
    got = [msg.plain for msg in member.messages if "adhésion" in msg.plain]
    assert len(got) == 3
    assert "dans 30 jours" in got[0] and "dans 7 jours" in got[1] and "aujourd'hui" in got[2]
    adh = await ask(bot, coord, "/adherents", "Adhésions")
    assert "Échues\u00a0: 0" in adh.plain and "À renouveler sous 30 jours\u00a0: 0" in adh.plain


async def test_late_start_sends_only_the_latest_reminder_and_renewal_extends(bot: Any) -> None:
    from capabilities.donations.memberships import remind_due

    coord, tres = await setup_treasurer(bot)
    member = bot.user(741, "Inès", username="ines")
    person = await bot.onboard(member)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=360)
    await seed(bot, "Inès", "Roy", [(3000, "chèque", first, "cotisation")], person_id=person.id)
    # The bot was off until 3 days before the end: one reminder (7 days), not three.
    async with bot.services.db.session() as s:
        m = await s.scalar(select(Membership))
    now = datetime.combine(m.period_end - timedelta(days=3), datetime.min.time(), UTC)
    assert await remind_due(bot.services, now) == 1
    assert await remind_due(bot.services, now) == 0
    adh = await bot.reply(tres, "/adherents")
    assert "À renouveler sous 30 jours\u00a0: 1" in adh.plain and "Inès Roy" in adh.plain
    # An early renewal extends the membership from its end, and the reminders start over.
    from capabilities.donations.checking import Entry
    from capabilities.donations.recording import record
    from storage import donations as q

    async with bot.services.transaction() as s:
        donor = await q.donor_by_id(s, m.donor_id)
        entry = Entry(3000, "chèque", "cotisation", today)
        await record(s, bot.services.settings, entry, donor, findings=[], request_key="renew", actor=None)
    async with bot.services.db.session() as s:
        renewed = list(await s.scalars(select(Membership).order_by(Membership.id)))[-1]
    assert renewed.period_start == m.period_end + timedelta(days=1)
    assert await remind_due(bot.services, now) == 0
    adh = await ask(bot, coord, "/adherents", "Adhésions")
    assert "À jour\u00a0: 1" in adh.plain and "Inès" not in adh.plain


async def test_campaign_list_in_the_conversation(bot: Any) -> None:
    from capabilities.donations.config import new_ledger
    from storage import donations as q

    _, tres = await setup_treasurer(bot)
    async with bot.services.transaction() as s:
        await q.save_campaign_ledger(
            s,
            new_ledger(
                city="Grenoble",
                election="municipales-2026",
                population=158_000,
                mandataire=False,
                ceiling_cents=None,
                window_start=date(2025, 9, 1),
                window_end=None,
                filed_on=None,
                bank_account="",
            ),
        )
    await new_donor(bot, tres)
    summary = await payment(bot, tres, "100", "chèque", "hier", ledger="Liste de Grenoble (municipales-2026)")
    # A list receives dons only: no kind question; and no mandataire, no gift.
    assert (
        "Caisse\u00a0: Liste de Grenoble (municipales-2026)" in summary.plain
        and "Nature\u00a0: don" in summary.plain
    )
    assert (
        "⛔ Grenoble compte 158000 habitants (seuil 9000)" in summary.plain
        and "C. élect. L52-4" in summary.plain
    )
    tres.press(summary, text="Annuler")
    await tres.next_message()
    assert await bot.count(Donation) == 0


async def test_english_treasurer(bot: Any) -> None:
    coord, _ = await setup_treasurer(bot)
    ann = bot.user(750, "Ann", username="ann", language_code="en")
    await bot.onboard(ann, skills=("Leafleting",))
    await bot.reply(coord, "/role @ann trésorier")
    await ann.next_message()
    ask_first = await bot.reply(ann, "/don")
    assert "Who gave?" in ask_first.plain and "New donor" in ask_first.button_texts
    ann.press(ask_first, text="New donor")
    assert "natural person" in (await ann.next_message()).plain
    assert "Cancelled" in (await bot.reply(ann, "/cancel")).plain
    assert "Up to date: 0" in (await bot.reply(ann, "/adherents")).plain
    assert "No payments yet." in (await bot.reply(ann, "/dons")).plain


async def test_a_role_removed_midway_stops_the_forms(bot: Any) -> None:
    coord, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await seed(bot, "Léa", "Martin", [(5000, "chèque", today - timedelta(days=3), "don")])
    # A collector in the middle of /don.
    col = bot.user(721, "Paul", username="paul_col")
    await bot.onboard(col)
    await bot.reply(coord, "/role @paul_col collecte")
    await col.next_message()
    ask_first = await bot.reply(col, "/don")
    col.press(ask_first, text="Nouveau donateur")
    ask_type = await col.next_message()
    await bot.reply(coord, "/retirer_role @paul_col collecte")
    await col.next_message()
    col.press(ask_type, text="Personne physique")
    assert "retiré entre-temps" in (await col.next_message()).plain
    assert "Qui a donné" not in (await bot.reply(col, "/don")).plain  # and /don is refused now
    # A treasurer in the middle of a correction.
    card = await open_card(bot, tres, 1)
    tres.press(card, text="Montant")
    await tres.next_message()
    await bot.reply(coord, "/retirer_role @nora_tres trésorier")
    await tres.next_message()
    assert "retiré entre-temps" in (await bot.reply(tres, "60")).plain
    (d,) = await donations(bot)
    assert d.amount_cents == 5000 and await bot.count(Donor) == 1


def test_button_wire_formats_are_kept() -> None:
    from bot.callbacks import DonationCard, DonationEdit, DonationMethod, DonStep

    assert (
        DonStep("search", "12").pack() == "dn:search:12"
        and DonStep("summary", "ok").pack() == "dn:summary:ok"
    )
    assert DonStep.parse("dn:kind:cotisation_élu") == DonStep("kind", "cotisation_élu")
    assert DonStep.parse("dn:d_civility:M.") == DonStep("d_civility", "M.")
    assert DonationEdit("refunded", 7).pack() == "de:refunded:7" and DonationEdit.parse("de:delete:7") is None
    assert DonationMethod(2).pack() == "dv:2" and DonationMethod.parse("dv:x") is None
    assert DonationCard(15).pack() == "dl:15" and DonationCard.parse("dl:15") == DonationCard(15)


# --- Issue 12: forged buttons and the cap's sum --------------------------------------------------


async def test_a_forged_donor_button_is_refused_to_a_collector(bot: Any) -> None:
    """`dn:search:<id>` is accepted only for an id this draft's search offered: a collector cannot
    read a donor's name by forging the callback data."""

    coord, tres = await setup_treasurer(bot)
    col = bot.user(720, "Paul", username="paul_col")
    await bot.onboard(col)
    await bot.reply(coord, "/role @paul_col collecte")
    await col.next_message()
    donor = await seed(bot, "Léa", "Secrète", [(5000, "chèque", datetime.now(UTC).date(), "don")])
    ask = await bot.reply(col, "/don")
    assert "Qui a donné" in ask.plain
    await bot.forge(col, ask, f"dn:search:{donor.id}")
    after = (await col.next_message()).plain or ""
    assert "secrète" not in after.lower() and "Montant" not in after, after
    assert "plus actif" in after, after
    # The same donor found by an exact search is offered, and then accepted.
    found = await bot.reply(col, "Léa Secrète")
    col.press(found, text=next(b for b in found.button_texts if "secrète" in b.lower()))
    assert "montant" in (await col.next_message()).plain.lower()


async def test_refused_and_cancelled_gifts_are_left_out_of_the_party_cap(bot: Any) -> None:
    """Rule 5 sums accepted payments only: a 7 400 € gift recorded « à rembourser », or cancelled,
    leaves room for a 200 € gift."""
    _, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await new_donor(bot, tres)
    summary = await payment(bot, tres, "7 400", "espèces", dmy(today - timedelta(days=3)))
    assert "⛔" in summary.plain
    tres.press(summary, text="Enregistrer «\u00a0à rembourser\u00a0»")
    await tres.next_message()
    tres.send("Espèces au-delà de 150 €")
    await settle(bot, tres, "«\u00a0à rembourser\u00a0»")
    await known_donor(bot, tres, "jean dupont")
    summary = await payment(bot, tres, "200", "virement", dmy(today - timedelta(days=2)))
    assert "⛔" not in summary.plain and "7 600" not in txt(summary), txt(summary)
    tres.press(summary, text="Annuler")
    await tres.next_message()
    # Cancelled: the same.
    await seed(bot, "Léa", "Martin", [(740000, "chèque", today - timedelta(days=3), "don")])
    card = await open_card(bot, tres, 2)
    tres.press(card, text="Annuler le versement")
    await tres.next_message()
    assert "annulé" in (await bot.reply(tres, "Chèque sans provision")).plain
    await known_donor(bot, tres, "léa martin")
    summary = await payment(bot, tres, "200", "virement", dmy(today - timedelta(days=2)))
    assert "⛔" not in summary.plain and "7 600" not in txt(summary), txt(summary)


async def _import_rows(bot: Any, lines: list[str]) -> Any:
    from capabilities.donations.importing import import_rows
    from domain.donation_import import read_csv

    header = "date,last_name,first_name,address,postcode,city,country,nationality,donor_type,amount,method,ledger,kind,reference,declaration"
    rows, missing = read_csv("\n".join([header, *lines]) + "\n")
    assert not missing
    async with bot.services.transaction() as s:
        report = await import_rows(s, bot.services.settings, rows, datetime.now(UTC).date())
    await bot.outbox_idle()
    return report


async def test_the_treasurer_decides_in_chat_whether_namesakes_are_one_person(bot: Any) -> None:
    """Same name, another address: the import asks the treasurers; "fusionner" makes one donor
    (one cap: the excess is pointed out), "garder séparées" keeps two and is not asked again."""
    _, tres = await setup_treasurer(bot)
    year = datetime.now(UTC).year - 1
    fr = "France,française,physique"
    await _import_rows(
        bot,
        [
            f"{year}-03-01,Dupont,Jean,12 rue de la Paix,69001,Lyon,{fr},5000,virement,mouvement,don,N-1,oui",
            f"{year}-03-02,Dupont,Jean,8 quai Saint-Vincent,69001,Lyon,{fr},3000,virement,mouvement,don,N-2,oui",
            f"{year}-03-03,Roux,Anne,1 rue Basse,13001,Marseille,{fr},50,virement,mouvement,don,N-3,oui",
            f"{year}-03-04,Roux,Anne,9 rue Haute,13002,Marseille,{fr},50,virement,mouvement,don,N-4,oui",
        ],
    )
    asks = [m for m in tres.messages if "Même personne" in (m.plain or "")]
    assert len(asks) == 2, [m.plain for m in tres.messages]
    dupont = next(m for m in asks if "Dupont" in m.plain or "DUPONT" in m.plain)
    roux = next(m for m in asks if m is not dupont)
    assert "12 rue de la Paix" in dupont.plain and "8 quai Saint-Vincent" in dupont.plain
    tres.press(dupont, text="Même personne\u00a0: fusionner")
    merged = await settle(bot, tres, "Fiches fusionnées")
    assert "Fiches fusionnées" in merged.plain and "1 versement" in merged.plain, merged.plain
    assert f"8 000,00 € de dons et cotisations au parti en {year}" in txt(merged), txt(merged)
    tres.press(roux, text="Deux personnes\u00a0: garder séparées")
    assert "gardées séparées" in (await settle(bot, tres, "gardées séparées")).plain
    async with bot.services.db.session() as s:
        donors = list(await s.scalars(select(Donor).order_by(Donor.id)))
        gifts = list(await s.scalars(select(Donation).order_by(Donation.id)))
    assert [(d.last_name, d.address) for d in donors] == [
        ("Dupont", "12 rue de la Paix"),
        ("Roux", "1 rue Basse"),
        ("Roux", "9 rue Haute"),
    ]
    assert {g.donor_id for g in gifts if g.amount_cents in (500000, 300000)} == {donors[0].id}
    # A decided pair is not asked again; a pressed button answers once.
    await _import_rows(
        bot, [f"{year}-04-01,Roux,Anne,9 rue Haute,13002,Marseille,{fr},20,virement,mouvement,don,N-5,oui"]
    )
    assert len([m for m in tres.messages if "Même personne" in (m.plain or "")]) == 2


async def test_a_cash_collection_is_its_own_kind_outside_the_don_totals(bot: Any) -> None:
    """Rule 8: a « quête en espèces » has no donor and no receipt number, is not a party don and
    stays out of the don totals of /bilan (shown apart); the treasurer chooses where to book it."""
    _, tres = await setup_treasurer(bot)
    today = datetime.now(UTC).date()
    await new_donor(bot, tres)
    await confirm(bot, tres, await payment(bot, tres, "40", "chèque", dmy(today - timedelta(days=1))))
    who = await bot.reply(tres, "/don")
    tres.press(who, text="Quête en espèces")
    assert "Montant" in (await tres.next_message()).plain
    msg = await bot.reply(tres, "80")
    msg = await bot.reply(tres, dmy(today - timedelta(days=1)))
    tres.press(msg, text="Oui")
    msg = await tres.next_message()
    assert "Récapitulatif" in msg.plain, msg.plain
    assert "De quoi s'agit-il" not in msg.plain and "quête" in msg.plain.lower()
    assert "dites comment les traiter" not in msg.plain  # a warning with no way out is gone
    assert "Confirmer" in msg.button_texts
    await confirm(bot, tres, msg)
    rows = await donations(bot)
    collection = rows[-1]
    assert (collection.kind, collection.donor_id, collection.receipt_number, collection.method) == (
        "quête",
        None,
        None,
        "espèces",
    )
    bilan = await ask(bot, tres, "/bilan", "Bilan")
    text = txt(bilan)
    assert "Total reçu : 40,00 €" in text and "(1 versement accepté)" in text, text
    assert "Quêtes en espèces : 80,00 €" in text, text

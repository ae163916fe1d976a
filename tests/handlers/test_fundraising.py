"""Fundraising events (levée de fonds), through the sandbox: the goal asked in /evenement, gifts
linked at /don, the group post's progress bar edited as money comes in and is corrected (counts
and amounts, never names), the donors' names in private for the treasury and coordination only,
and /bilan's sections by origin, campaign account and fundraiser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.callbacks import EventDonors
from storage.models import Event, Expense
from tests.handlers.test_donations import TREASURER_ID, ask, confirm, new_donor, open_card, txt
from tests.handlers.test_events import candidate, setup_city


async def setup(bot: Any) -> tuple[Any, Any, Any]:
    """A coordinator and a group in Lyon, and a treasurer."""
    coord, group = await setup_city(bot)
    tres = bot.user(TREASURER_ID, "Nora", username="nora_tres")
    await bot.onboard(tres)
    await bot.reply(coord, "/role @nora_tres trésorier")
    assert "trésorerie" in (await tres.next_message()).plain
    return coord, group, tres


async def create_fundraiser(bot: Any, coord: Any, goal: str) -> Any:
    """/evenement for a levée de fonds in Lyon; returns the summary."""
    await bot.reply(coord, "/evenement")
    kinds = await bot.reply(coord, "Dîner de soutien")
    coord.press(kinds, text="levée de fonds")
    cities = await coord.next_message()
    coord.press(cities, text="Lyon")
    await coord.next_message()
    confirm_when = await bot.reply(coord, "samedi prochain à 19h")
    coord.press(confirm_when, text="Oui")
    await coord.next_message()
    await bot.reply(coord, "3h")
    await bot.reply(coord, "Salle des fêtes")
    await bot.reply(coord, "-")
    ask_goal = await bot.reply(coord, "aucun")
    assert "objectif de la collecte" in ask_goal.plain
    assert "Je n'ai pas compris ce montant" in (await bot.reply(coord, "beaucoup")).plain
    return await bot.reply(coord, goal)


async def linked_gift(bot: Any, tres: Any, first: str, last: str, amount: str) -> None:
    """/don by a new donor, by card, linked to the fundraiser at the « levée de fonds » step."""
    await new_donor(bot, tres, first=first, last=last, email=f"{first.lower()}@exemple.fr")
    ask_method = await bot.reply(tres, amount)
    tres.press(ask_method, text="carte")
    await tres.next_message()
    ok = await bot.reply(tres, "hier")
    tres.press(ok, text="Oui")
    tres.press(await tres.next_message(), text="don")
    offer = await tres.next_message()
    assert "Pour une levée de fonds" in offer.plain, offer.plain
    assert offer.button_texts == ["Dîner de soutien", "Non, aucune"]
    tres.press(offer, text="Dîner de soutien")
    summary = await tres.next_message()
    assert "Levée de fonds\u00a0: Dîner de soutien" in summary.plain
    await confirm(bot, tres, summary)


async def manage_fundraiser(bot: Any, user: Any) -> Any:
    listing = await ask(bot, user, "/mes_evenements", "Vos actions")
    user.press(listing, text=next(b for b in listing.button_texts if "Dîner de soutien" in b))
    return await user.next_message()


async def test_fundraiser_bar_in_the_group_and_donors_in_private(bot: Any) -> None:
    coord, group, tres = await setup(bot)
    summary = await create_fundraiser(bot, coord, "2 000 €")
    assert "Objectif de collecte : 2 000 €" in txt(summary)
    coord.press(summary, text="Confirmer")
    assert "annoncé dans 1 groupe" in (await coord.next_message()).plain
    post = await group.next_message()
    assert "💶 0 € sur 2 000 € (0 %) — 0 don" in txt(post) and "░░░░░░░░░░" in post.plain
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
    assert event is not None and event.fundraising_goal_cents == 200000

    # Two gifts linked at /don: the post is edited with the total, the count and the bar.
    await linked_gift(bot, tres, "Jean", "Dupont", "800")
    await linked_gift(bot, tres, "Marie", "Curie", "450")
    await bot.sb.wait_for(lambda: "1 250 €" in txt(post), 10)
    assert "💶 1 250 € sur 2 000 € (62 %) — 2 dons" in txt(post)
    assert "▓▓▓▓▓▓░░░░" in post.plain
    assert "Dupont" not in post.plain and "Curie" not in post.plain and "Jean" not in post.plain

    # A correction lowers it.
    card = await open_card(bot, tres, 2)
    tres.press(card, text="Montant")
    await tres.next_message()
    await bot.reply(tres, "250")
    assert "corrigé" in (await bot.reply(tres, "Erreur de saisie")).plain
    await bot.sb.wait_for(lambda: "1 050 €" in txt(post), 10)
    assert "💶 1 050 € sur 2 000 € (52 %) — 2 dons" in txt(post) and "▓▓▓▓▓░░░░░" in post.plain

    # The goal is changed from /mes_evenements; the post follows.
    manage = await manage_fundraiser(bot, coord)
    assert "1 050 € sur 2 000 €" in txt(manage)
    coord.press(manage, text="Changer l'objectif")
    assert "objectif" in (await coord.next_message()).plain
    assert "nouvel objectif" in (await bot.reply(coord, "3000")).plain
    await bot.sb.wait_for(lambda: "sur 3 000 €" in txt(post), 10)
    assert "(35 %)" in txt(post)

    # A volunteer organiser (a candidate of Lyon) sees the total, not the names.
    cand = await candidate(bot, coord, 660, "nadia")
    manage = await manage_fundraiser(bot, cand)
    assert "1 050 € sur 3 000 € (35 %) — 2 dons" in txt(manage)
    assert "Voir les donateurs" not in manage.button_texts
    refused = await bot.forge(cand, manage, EventDonors(event.id).pack())
    assert "réservé" in (refused.text or "") or "trésorerie" in (refused.text or ""), refused.text
    assert "Dupont" not in "".join(m.plain or "" for m in bot.sb.log(cand.id).bot_messages)

    # Made treasurer too, the same person sees the names and amounts.
    await bot.reply(coord, "/role @nadia trésorier")
    await cand.next_message()
    manage = await manage_fundraiser(bot, cand)
    cand.press(manage, text="Voir les donateurs")
    names = await cand.next_message()
    assert "Donateurs de «\u00a0Dîner de soutien\u00a0» (2)" in names.plain
    assert "Jean Dupont : 800,00 €" in txt(names) and "Marie Curie : 250,00 €" in txt(names)

    # The role taken back, the same button is refused at the press.
    await bot.reply(coord, "/retirer_role @nadia trésorier")
    await cand.next_message()
    before = len(cand.answers)
    cand.press(manage, text="Voir les donateurs")
    await bot.sb.wait_for(lambda: len(cand.answers) > before, 5)
    assert "Dupont" not in (cand.answers[-1].text or "")
    assert "trésorerie" in (cand.answers[-1].text or ""), cand.answers[-1].text


async def test_bilan_by_origin_campaign_accounts_and_fundraisers(bot: Any) -> None:
    from capabilities.donations.checking import Entry
    from capabilities.donations.config import new_ledger
    from capabilities.donations.recording import record
    from storage import donations as q

    coord, group, tres = await setup(bot)
    summary = await create_fundraiser(bot, coord, "2 000 €")
    coord.press(summary, text="Confirmer")
    await coord.next_message()
    await linked_gift(bot, tres, "Jean", "Dupont", "800")
    today = datetime.now(UTC).date()
    svc = bot.services
    async with svc.transaction() as s:
        # An imported row (its request key says so), and a campaign account with its ceiling.
        await record(
            s,
            svc.settings,
            Entry(3000, "chèque", "don", today - timedelta(days=1)),
            None,
            findings=[],
            request_key="imp:ref:cheque:42",
            actor=None,
            alert=False,
            source="import",
        )
        await record(
            s,
            svc.settings,
            Entry(2500, "plateforme en ligne", "don", today, provider="HelloAsso", provider_tx_id="77"),
            None,
            findings=[],
            request_key="helloasso:77",
            actor=None,
            alert=False,
            source="helloasso",
        )
        ledger = await q.save_campaign_ledger(
            s,
            new_ledger(
                city="Grenoble",
                election="municipales-2026",
                population=158_000,
                mandataire=True,
                ceiling_cents=9_000_000,
                window_start=date(2025, 9, 1),
                window_end=None,
                filed_on=None,
                bank_account="",
            ),
        )
        # Expenses against the ceiling: approved and paid count, a claim waiting does not.
        for status, cents in (("approved", 300_000), ("paid", 150_000), ("submitted", 99_900)):
            s.add(
                Expense(
                    claimant="Léa",
                    amount_cents=cents,
                    purpose="Tracts",
                    spent_on=today,
                    ledger=ledger.id,
                    category="printing",
                    status=status,
                )
            )
    text = txt(await ask(bot, tres, "/bilan", "Bilan"))
    assert "Par origine" in text
    assert "• saisie dans le bot : 800,00 €" in text and "• import de fichier : 30,00 €" in text
    assert "• HelloAsso : 25,00 €" in text
    assert "Comptes de campagne" in text and "Liste de Grenoble (municipales-2026) : 0,00 € reçus (0)" in text
    assert "dépenses : 4 500,00 € sur un plafond de 90 000,00 € (5 %)" in text
    assert "Levées de fonds" in text and "Dîner de soutien" in text
    assert "800,00 € sur 2 000,00 € (40 %), 1 versement" in text
    assert "Dupont" not in text


async def test_helloasso_form_set_in_mes_evenements_and_its_payments_move_the_bar(bot: Any) -> None:
    """The organiser links the HelloAsso form by pasting its address; the sync of that form's
    payments (a ticket and a don) edits the group post, and a refund on HelloAsso lowers it."""
    from capabilities.donations import helloasso
    from integrations.helloasso import HelloAssoClient
    from sandbox.helloasso import FakeHelloAsso
    from storage.models import Donation, Donor

    coord, group, tres = await setup(bot)
    summary = await create_fundraiser(bot, coord, "1 000 €")
    coord.press(summary, text="Confirmer")
    await coord.next_message()
    post = await group.next_message()
    assert "💶 0 € sur 1 000 € (0 %)" in txt(post)

    # A volunteer organiser (a candidate of Lyon) may link the form: it is not a treasury act.
    cand = await candidate(bot, coord, 661, "yanis")
    manage = await manage_fundraiser(bot, cand)
    cand.press(manage, text="Formulaire HelloAsso")
    assert "formulaire HelloAsso" in (await cand.next_message()).plain
    assert "pas reconnu" in (await bot.reply(cand, "https://exemple.fr/evenements/diner")).plain
    url = "https://www.helloasso.com/associations/a-nous-la-democratie/evenements/diner-de-soutien"
    assert "« diner-de-soutien »" in txt(await bot.reply(cand, url))
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
        assert event is not None and event.helloasso_form_slug == "diner-de-soutien"
        s.add_all(  # the payers, known to the register (HelloAsso never sends the nationality)
            [
                Donor(
                    first_name=first,
                    last_name="Martin",
                    address="12 rue de la République",
                    postcode="69002",
                    city="Lyon",
                    country="FR",
                    nationality="FR",
                )
                for first in ("Camille", "Jean")
            ]
        )
        await s.commit()

    with FakeHelloAsso() as fake:
        client = HelloAssoClient(fake.settings(), clock=fake.clock, trust_env=False)
        when = datetime.now(UTC) - timedelta(hours=2)
        ticket = fake.add_payment(3000, form_type="Event", form_slug="diner-de-soutien", when=when)["id"]
        fake.add_payment(2000, form_slug="diner-de-soutien", first_name="Jean", when=when)
        fake.add_payment(9900, form_slug="faire-un-don", when=when)  # another form: not this event's
        report = await helloasso.sync(bot.services, client=client)
        assert report.added == 3, report.as_dict()
        await bot.sb.wait_for(lambda: "50 €" in txt(post), 10)
        assert "💶 50 € sur 1 000 € (5 %) — 2 dons" in txt(post)
        assert "Martin" not in post.plain and "Camille" not in post.plain

        # Refunded on HelloAsso: the sync reverses the ticket and the post follows.
        fake.refund(ticket)
        await helloasso.sync(bot.services, client=client)
        await bot.sb.wait_for(lambda: "20 €" in txt(post), 10)
        assert "💶 20 € sur 1 000 € (2 %) — 1 don" in txt(post)
        await client.aclose()
    async with bot.services.db.session() as s:
        statuses = sorted((d.amount_cents, d.status, d.event_id) for d in await s.scalars(select(Donation)))
    assert statuses == [(2000, "recorded", event.id), (3000, "refunded", event.id), (9900, "recorded", None)]

    # « aucun » unlinks it.
    manage = await manage_fundraiser(bot, coord)
    coord.press(manage, text="Formulaire HelloAsso")
    await coord.next_message()
    assert "plus aucun formulaire" in (await bot.reply(coord, "aucun")).plain

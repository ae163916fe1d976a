"""Every list at a month's volume (sandbox/month.py: 6 cities, 400 members, 60 events, 250 emails,
446 donations, 151 memberships) is ONE message a page at a time: « ◀ Précédent / Suivant ▶ » edit
that message, « et N autres » says what is not shown, filters travel in the buttons, a forged page
number is clamped and a forged filter refused or ignored (issue 18, points 1, 4 and 5). Driven
through the Telegram sandbox as each role would."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.callbacks import (
    AgendaPage,
    CitiesPage,
    DonationFix,
    DonsPage,
    InboxPage,
    MembersPage,
    MyEventsPage,
    NeedsPage,
)
from domain.statuses import EventStatus, RsvpStatus
from sandbox.month import MonthFacts, seed_month, start_all
from storage.models import AuditLog, City, Donation, Donor, Event, Membership, Participation

NB = "\u00a0"
FOOTER = re.compile(r"Page (\d+) sur (\d+) · et (\d+) autres?")


async def _month(bot: Any) -> MonthFacts:
    facts = await seed_month(bot.services, now=datetime.now(UTC))
    start_all(bot.sb, facts)
    return facts


def _user(bot: Any, telegram_id: int) -> Any:
    return bot.sb.get_user(telegram_id)


async def _only_answer(bot: Any, user: Any, command: str) -> Any:
    """The command's answer, and that it is the only message it brought (no burst)."""
    log = bot.sb.log(user.id)
    seen = len(log.bot_messages)
    user.send(command)
    await bot.sb.wait_for(lambda: len(log.bot_messages) > seen, 10)
    await asyncio.sleep(0.3)
    log.consumed = len(log.bot_messages)
    new = list(log.bot_messages[seen:])
    assert len(new) == 1, [m.plain[:60] for m in new]
    return new[0]


def _footer(message: Any) -> tuple[int, int, int] | None:
    found = FOOTER.search(message.plain)
    return (int(found.group(1)), int(found.group(2)), int(found.group(3))) if found else None


async def _press_and_wait(bot: Any, user: Any, message: Any, text: str, changed: Any) -> None:
    """Press a button of `message`; the same message is edited (no new message comes)."""
    before = len(user.messages)
    user.press(message, text=text)
    await bot.sb.wait_for(lambda: changed(message), 10)
    assert len(user.messages) == before, "a page button must edit the message, not send one"


async def _walk_pages(bot: Any, user: Any, message: Any, least: int = 3) -> tuple[int, int]:
    """Page 1, the next page, then on to the last page: each edit in place, each page saying what it
    leaves out. Returns (pages, items not on the first page)."""
    first = _footer(message)
    assert first is not None and first[0] == 1 and first[1] >= least, message.plain[:200]
    pages = first[1]
    assert "Suivant ▶" in message.button_texts and "◀ Précédent" not in message.button_texts
    for number in range(2, pages + 1):
        await _press_and_wait(
            bot, user, message, "Suivant ▶", lambda m, n=number: (_footer(m) or (0,))[0] == n
        )
        assert "◀ Précédent" in message.button_texts
    assert "Suivant ▶" not in message.button_texts  # the last page
    return pages, first[2]


# --- /agenda ---------------------------------------------------------------------------------------


async def test_agenda_pages_filters_by_city_and_clamps_a_forged_page(bot: Any) -> None:
    facts = await _month(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    agenda = await _only_answer(bot, coord, "/agenda")
    if "Toutes les actions" not in agenda.plain:
        await _press_and_wait(bot, coord, agenda, "Tout", lambda m: "Toutes les actions" in m.plain)
    async with bot.services.db.session() as s:
        upcoming = await s.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.status == EventStatus.SCHEDULED, Event.ends_at > datetime.now(UTC))
        )
    first = _footer(agenda)
    assert first is not None
    # Page 1 shows 8; the others are counted: "et N autres".
    assert first[2] == upcoming - 8 and agenda.plain.count("• ") == 8
    assert "/agenda_ics" in agenda.plain
    pages, _ = await _walk_pages(bot, coord, agenda)
    assert pages == -(-upcoming // 8)

    # A forged page number far past the end: the last page, not an error.
    await bot.forge(coord, agenda, AgendaPage("all", 0, 1).pack())
    await bot.sb.wait_for(lambda: (_footer(agenda) or (0,))[0] == 2, 10)
    await bot.forge(coord, agenda, AgendaPage("all", 0, 10**12).pack())
    await bot.sb.wait_for(lambda: (_footer(agenda) or (0,))[0] == pages, 10)

    # The filter by city, carried by the buttons: only that city's actions and the national ones.
    city = next(iter(facts.city_ids))
    await _press_and_wait(bot, coord, agenda, city, lambda m: f"Actions à venir — {city}" in m.plain)
    lines = [line for line in agenda.plain.splitlines() if line.startswith("• ")]
    assert lines and all(f"({city}" in line or "(national" in line for line in lines)
    # A forged city id: the person's own city (or all), never an error.
    answer = await bot.forge(coord, agenda, AgendaPage("city", 10**12, 0).pack())
    assert not answer.show_alert


async def test_agenda_mine_says_each_person_s_own_answer_and_task(bot: Any) -> None:
    facts = await _month(bot)
    waiting, coming = facts.volunteers[0], facts.volunteers[1]
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        event = await s.scalar(
            select(Event)
            .where(Event.status == EventStatus.SCHEDULED, Event.starts_at > now + timedelta(days=1))
            .order_by(Event.starts_at)
        )
        assert event is not None and event.needs
        role = event.needs[0].role
        for who, status in ((waiting, RsvpStatus.WAITLIST), (coming, RsvpStatus.YES)):
            row = await s.scalar(
                select(Participation).where(
                    Participation.event_id == event.id, Participation.person_id == who.person_id
                )
            )
            if row is None:
                row = Participation(event_id=event.id, person_id=who.person_id, source="button")
                s.add(row)
            row.status, row.role, row.updated_at = status, role, now
    title = event.title
    for who, said, not_said in (
        (waiting, "⏳ vous êtes en liste d'attente", "✅ vous venez"),
        (coming, "✅ vous venez", "liste d'attente"),
    ):
        user = _user(bot, who.telegram_id)
        agenda = await _only_answer(bot, user, "/agenda")
        assert "Mes actions à venir" in agenda.plain
        line = next(line for line in agenda.plain.splitlines() if title in line)
        assert said in line and not_said not in line
        # Their own task, and not the event's fill (« Tractage 5/5 ✔ » read as theirs).
        assert "(" + line.rsplit("(", 1)[1] == f"({_role_label(role)})"
        assert "✔" not in line


def _role_label(role: str) -> str:
    from capabilities.events.render import role_label

    return role_label("fr", role)


# --- /besoins and /mes_evenements --------------------------------------------------------------------


async def test_besoins_is_one_paged_message_whose_events_open_in_place(bot: Any) -> None:
    facts = await _month(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    needs = await _only_answer(bot, coord, "/besoins")
    assert "Actions qui manquent de monde" in needs.plain
    total = int(re.search(r"Actions qui manquent de monde\s*:\s*(\d+)", needs.plain).group(1))  # type: ignore[union-attr]
    opens = [b for b in needs.button_texts if b.startswith("Ouvrir")]
    assert len(opens) == min(6, total)
    if total > 6:
        assert (_footer(needs) or (0, 0, 0))[2] == total - 6
        await _walk_pages(bot, coord, needs, least=2)
        await bot.forge(coord, needs, NeedsPage(0, 0).pack())
        await bot.sb.wait_for(lambda: (_footer(needs) or (0,))[0] == 1, 10)
    # One event opens in the same message, with its « Relancer » buttons and a way back.
    label = next(b for b in needs.button_texts if b.startswith("Ouvrir"))
    await _press_and_wait(bot, coord, needs, label, lambda m: "Retour" in m.button_texts)
    assert any(b.startswith("Relancer") for b in needs.button_texts)
    await _press_and_wait(bot, coord, needs, "Retour", lambda m: "Actions qui manquent" in m.plain)
    # A candidate sees their city only, and may not open another city's event by a forged button.
    city, cand = next(iter(facts.candidates.items()))
    user = _user(bot, cand.telegram_id)
    theirs = await _only_answer(bot, user, "/besoins")
    async with bot.services.db.session() as s:
        elsewhere = await s.scalar(
            select(Event.id).where(Event.city_id != facts.city_ids[city], Event.city_id.is_not(None))
        )
    from bot.callbacks import NeedsOpen

    refused = await bot.forge(user, theirs, NeedsOpen(int(elsewhere or 0), 0, 0).pack())
    assert refused.show_alert


async def test_mes_evenements_buttons_say_city_and_time_and_page(bot: Any) -> None:
    facts = await _month(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    mine = await _only_answer(bot, coord, "/mes_evenements")
    events = [b for b in mine.button_texts if " · " in b]
    assert len(events) == 8
    cities = [*facts.city_ids, "national"]
    for label in events:
        assert re.search(r"\d\dh\d\d", label), label  # the time of day
        assert any(f" · {c} · " in label for c in cities), label  # the city
    pages, _ = await _walk_pages(bot, coord, mine)
    await bot.forge(coord, mine, MyEventsPage(10**9).pack())
    assert (_footer(mine) or (0,))[0] == pages
    # A volunteer's forged page button shows nothing.
    volunteer = _user(bot, facts.volunteers[0].telegram_id)
    refused = await bot.forge(
        volunteer, volunteer.messages[-1] if volunteer.messages else mine, MyEventsPage(0).pack()
    )
    assert refused.show_alert


# --- /courriels ---------------------------------------------------------------------------------------


async def test_courriels_late_first_with_filters_and_pages(bot: Any) -> None:
    facts = await _month(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    inbox = await _only_answer(bot, coord, "/courriels")
    late = int(re.search(r"dont (\d+) en retard", inbox.plain).group(1))  # type: ignore[union-attr]
    assert late >= sum(facts.late_by_assignee.values())
    lines = [line for line in inbox.plain.splitlines() if line.startswith(("• ", "⏰"))]
    assert lines[0].startswith("⏰")  # the late ones first
    assert "h ouvrées" not in inbox.plain and "depuis" in inbox.plain  # ages in days or weeks
    await _walk_pages(bot, coord, inbox)

    # Late only: every line is late.
    await _press_and_wait(bot, coord, inbox, f"⏰ En retard ({late})", lambda m: "Filtre" in m.plain)
    shown = [line for line in inbox.plain.splitlines() if line.startswith(("• ", "⏰"))]
    assert shown and all(line.startswith("⏰") for line in shown)
    # By person: Hugo's, chosen in the menu, each of his lines naming him.
    hugo = facts.hugo
    await _press_and_wait(bot, coord, inbox, "Par personne", lambda m: "par personne" in m.plain)
    label = next(b for b in inbox.button_texts if b.startswith(f"{hugo.first_name} ("))
    await _press_and_wait(bot, coord, inbox, label, lambda m: f"Filtre{NB}: {hugo.first_name}" in m.plain)
    shown = [line for line in inbox.plain.splitlines() if line.startswith(("• ", "⏰"))]
    assert shown and all(f"({hugo.first_name})" in line or f"par {hugo.first_name}" in line for line in shown)
    # By domain.
    await _press_and_wait(bot, coord, inbox, "Par domaine", lambda m: "par domaine" in m.plain)
    label = next(b for b in inbox.button_texts if b.startswith("Finances ("))
    await _press_and_wait(bot, coord, inbox, label, lambda m: f"Filtre{NB}: Finances" in m.plain)
    shown = [line for line in inbox.plain.splitlines() if line.startswith(("• ", "⏰"))]
    assert shown and all("· Finances ·" in line for line in shown)
    # A forged person filter (nobody by that id) shows everything, not an error.
    await bot.forge(coord, inbox, InboxPage("who", "999999999", 0).pack())
    await bot.sb.wait_for(lambda: "Filtre" not in inbox.plain, 10)
    # Someone without the inbox role is refused.
    volunteer = _user(bot, facts.volunteers[0].telegram_id)
    refused = await bot.forge(volunteer, inbox, InboxPage("all", "0", 0).pack())
    assert refused.show_alert


# --- /dons and /adherents ----------------------------------------------------------------------------


async def test_dons_pages_warnings_and_recording_the_missing_declaration(bot: Any) -> None:
    facts = await _month(bot)
    tres = _user(bot, facts.treasurers[0].telegram_id)
    dons = await _only_answer(bot, tres, "/dons")
    async with bot.services.db.session() as s:
        payments = await s.scalar(select(func.count()).select_from(Donation))  # gifts and fees
    assert payments >= facts.donations
    first = _footer(dons)
    assert first is not None and first[2] == payments - 10 and first[1] == -(-payments // 10)
    await _press_and_wait(bot, tres, dons, "Suivant ▶", lambda m: (_footer(m) or (0,))[0] == 2)
    await bot.forge(tres, dons, DonsPage("all", 10**9, "_").pack())
    await bot.sb.wait_for(lambda: (_footer(dons) or (0,))[0] == first[1], 10)
    assert "Suivant ▶" not in dons.button_texts

    # Only those with the law's remarks: as many as the month has, each line saying what is missing.
    warned = len(facts.donations_with_warnings)
    await _press_and_wait(
        bot, tres, dons, f"⚠️ Seulement avec remarques ({warned})", lambda m: "avec remarques" in m.plain
    )
    assert (_footer(dons) or (0, 0, warned - 10))[2] == warned - min(10, warned)
    lines = [line for line in dons.plain.splitlines() if line.startswith("• ")]
    assert lines and all("⚠️" in line or "⛔" in line for line in lines)
    shown_ids = [int(m.group(1)) for m in (re.match(r"• #(\d+)", line) for line in lines) if m]
    assert set(shown_ids) <= set(facts.donations_with_warnings)

    # « Déclaration reçue »: the donor's record, the remark gone from their payments, audited.
    button = next(
        b for row in dons.inline_keyboard for b in row if b["callback_data"].startswith("dfx:sworn:")
    )
    donation_id = int(button["callback_data"].rsplit(":", 1)[1])
    async with bot.services.db.session() as s:
        pressed = await s.get(Donation, donation_id)
        assert pressed is not None
        donor_id = pressed.donor_id
    before = len(tres.messages)
    tres.press(dons, data=button["callback_data"])
    done = await bot.sb.wait_for(lambda: tres.messages[before:] and tres.messages[-1], 10)
    assert "Déclaration sur l'honneur" in done.plain and "enregistrée" in done.plain
    async with bot.services.db.session() as s:
        donor = await s.get(Donor, donor_id)
        assert donor is not None and donor.sworn_declaration_at is not None
        paid = list(await s.scalars(select(Donation).where(Donation.donor_id == donor_id)))
        assert all(f.get("code") != "sworn_declaration_missing" for d in paid for f in (d.findings or []))
        trail = await s.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.subject == f"donor:{donor_id}")
        )
    assert trail == 1
    # Twice: nothing more recorded.
    again = await bot.forge(tres, dons, DonationFix("sworn", donation_id).pack())
    assert not again.show_alert
    await bot.sb.wait_for(lambda: "déjà enregistrée" in tres.messages[-1].plain, 10)
    # Typed too: /dons remarques opens the same filtered view, now without the payments of that
    # donor whose only remark was the declaration.
    typed = await _only_answer(bot, tres, "/dons remarques")
    count = int(re.search(r"avec remarques de la loi \((\d+)\)", typed.plain).group(1))  # type: ignore[union-attr]
    assert warned - len(paid) <= count < warned
    # A coordinator's forged button is refused, and stores nothing.
    coord = _user(bot, facts.coordinators[0].telegram_id)
    refused = await bot.forge(
        coord, coord.messages[-1] if coord.messages else dons, DonationFix("sworn", 1).pack()
    )
    assert refused.show_alert


async def test_adherents_pages_the_renewals_and_records_one(bot: Any) -> None:
    facts = await _month(bot)
    tres = _user(bot, facts.treasurers[0].telegram_id)
    members = await _only_answer(bot, tres, "/adherents")
    due = len(facts.memberships_to_renew)
    assert f"À renouveler sous 30 jours{NB}: {due}" in members.plain
    renew = [b for b in members.button_texts if b.startswith("🔄 Renouveler")]
    assert len(renew) == min(15, due)
    if due > 15:
        assert (_footer(members) or (0, 0, 0))[2] == due - 15
    await bot.forge(tres, members, MembersPage("due", 10**9).pack())
    await bot.sb.wait_for(lambda: "Suivant ▶" not in members.button_texts, 10)

    # « Renouveler »: the /don form on that member's cotisation, asking only how and when.
    await bot.forge(tres, members, MembersPage("due", 0).pack())
    await bot.sb.wait_for(lambda: "Suivant ▶" in members.button_texts or due <= 15, 10)
    button = next(b for row in members.inline_keyboard for b in row if b["callback_data"].startswith("adr:"))
    donor_id = int(button["callback_data"].split(":")[1])
    async with bot.services.db.session() as s:
        before = list(await s.scalars(select(Membership).where(Membership.donor_id == donor_id)))
    seen = len(tres.messages)
    tres.press(members, data=button["callback_data"])
    # What is being renewed, then the first question the form still has.
    await bot.sb.wait_for(lambda: len(tres.messages) >= seen + 2, 10)
    assert "Renouvellement" in tres.messages[seen].plain
    for _ in range(8):  # each question of the form, answered as the treasurer would
        ask = tres.messages[-1]
        seen = len(tres.messages)
        if "Confirmer" in ask.button_texts:
            tres.press(ask, text="Confirmer")
            await bot.sb.wait_for(lambda seen=seen: len(tres.messages) > seen, 10)
            break
        if "chèque" in ask.button_texts:
            tres.press(ask, text="chèque")
        elif "Non, aucune" in ask.button_texts:
            tres.press(ask, text="Non, aucune")
        elif "Oui" in ask.button_texts:
            tres.press(ask, text="Oui")
        else:
            assert "Reçu quand" in ask.plain, ask.plain
            tres.send("aujourd'hui")
        await bot.sb.wait_for(lambda seen=seen: len(tres.messages) > seen, 10)
    assert "enregistré" in tres.messages[-1].plain
    async with bot.services.db.session() as s:
        after = list(await s.scalars(select(Membership).where(Membership.donor_id == donor_id)))
    assert len(after) == len(before) + 1
    new = max(after, key=lambda m: m.id)
    assert new.period_start > max(m.period_end for m in before)  # an early renewal extends it

    # A coordinator sees the counts, no names and no renewal button; a forged one is refused.
    coord = _user(bot, facts.coordinators[0].telegram_id)
    counts = await _only_answer(bot, coord, "/adherents")
    assert not [b for b in counts.button_texts if b.startswith("🔄")]
    refused = await bot.forge(coord, counts, f"adr:{donor_id}")
    assert refused.show_alert


# --- /villes ------------------------------------------------------------------------------------------


async def test_villes_pages_in_one_message(bot: Any) -> None:
    facts = await _month(bot)
    async with bot.services.transaction() as s:
        for i in range(45):
            s.add(City(name=f"Commune {i:02d}", aliases=[], created_at=datetime.now(UTC)))
    coord = _user(bot, facts.coordinators[0].telegram_id)
    cities = await _only_answer(bot, coord, "/villes")
    async with bot.services.db.session() as s:
        total = await s.scalar(select(func.count()).select_from(City))
    assert (_footer(cities) or (0, 0, 0))[2] == total - 20
    await _walk_pages(bot, coord, cities)
    await bot.forge(coord, cities, CitiesPage(0).pack())
    await bot.sb.wait_for(lambda: (_footer(cities) or (0,))[0] == 1, 10)

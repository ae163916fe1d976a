"""The lists that were still one long message, on the shared pager at a month's volume (issue 18):
an event's roster and its attendance sheet (organisers only, on every page), /modeles (the saved
answers) and /donnees_personne (the open personal-data requests). Each is one message: page 1 fits
and says what it leaves out, « Suivant ▶ » edits that message up to the last page, a forged page
number is clamped. Driven through the Telegram sandbox, with the helpers of test_month_lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.callbacks import DataRequestsPage, RosterPage, TemplatesPage
from capabilities.events import roster as rs
from capabilities.events.roster import ATTENDANCE_PAGE, ROSTER_PAGE
from capabilities.inbox.answers import TEMPLATES_PAGE
from capabilities.privacy.requests import OPEN_PAGE
from domain.statuses import RequestKind, RsvpStatus
from storage import inbox as iq
from storage import privacy as pq
from storage.models import Event, Participation, Person
from tests.handlers.test_month_lists import (
    _footer,
    _month,
    _only_answer,
    _press_and_wait,
    _user,
    _walk_pages,
)

LIMIT = 4096


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fits(message: Any) -> None:
    assert _units(message.plain) <= LIMIT, _units(message.plain)


async def _clamped(bot: Any, user: Any, message: Any, data: str, page: int) -> None:
    """A forged page number: the nearest page that exists, in the same message, no error."""
    answered = await bot.forge(user, message, data)
    assert not answered.show_alert, answered.text
    await bot.sb.wait_for(lambda: (_footer(message) or (0,))[0] == page, 10)


# --- An event's roster ----------------------------------------------------------------------------


async def _crowded_event(bot: Any, facts: Any, size: int) -> tuple[Event, int]:
    """An upcoming event of a city, answered by `size` more volunteers (coming, maybe, not coming
    in turn); returns it and how many people its roster names."""
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        event = await s.scalar(
            select(Event)
            .where(Event.id.in_(facts.upcoming_event_ids), Event.city_id.is_not(None))
            .order_by(Event.starts_at)
        )
        assert event is not None
        answered = set(
            await s.scalars(select(Participation.person_id).where(Participation.event_id == event.id))
        )
        people = [
            p
            for p in await s.scalars(select(Person).where(Person.telegram_id > 0).order_by(Person.id))
            if p.id not in answered
        ][:size]
        assert len(people) == size
        statuses = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO)
        for i, p in enumerate(people):
            s.add(
                Participation(
                    event_id=event.id, person_id=p.id, status=statuses[i % 3], source="button", updated_at=now
                )
            )
        await s.flush()
        built = await rs.build(s, event, now)
        total = sum(
            len(x) for x in (built.coming, built.maybe, built.waitlist, built.not_coming, built.silent)
        )
    return event, total


async def test_roster_pages_for_organisers_only_on_every_page(bot: Any) -> None:
    facts = await _month(bot)
    event, total = await _crowded_event(bot, facts, 2 * ROSTER_PAGE + 15)
    assert total > 2 * ROSTER_PAGE
    coord = _user(bot, facts.coordinators[0].telegram_id)
    roster = await _only_answer(bot, coord, f"/start ros_{event.id}")
    _fits(roster)
    first = _footer(roster)
    pages = -(-total // ROSTER_PAGE)
    assert first == (1, pages, total - ROSTER_PAGE), roster.plain[-200:]
    assert sum(line.startswith("• ") for line in roster.plain.splitlines()) == ROSTER_PAGE
    # The counts of every answer on each page, though the page names only some of the people.
    assert "peut-être" in roster.plain.splitlines()[2] and "sans réponse" in roster.plain.splitlines()[2]
    assert {"📊 Excel (.xlsx)", "📄 CSV"} <= set(roster.button_texts)
    walked, _ = await _walk_pages(bot, coord, roster)
    assert walked == pages
    _fits(roster)
    assert (
        sum(line.startswith("• ") for line in roster.plain.splitlines()) == total - (pages - 1) * ROSTER_PAGE
    )
    assert {"📊 Excel (.xlsx)", "📄 CSV"} <= set(roster.button_texts)  # the actions on every page
    await _clamped(bot, coord, roster, RosterPage("list", event.id, 0).pack(), 1)
    await _clamped(bot, coord, roster, RosterPage("list", event.id, 10**12).pack(), pages)

    # The candidate of the event's city is an organiser: they page it too.
    city = next(name for name, cid in facts.city_ids.items() if cid == event.city_id)
    cand = _user(bot, facts.candidates[city].telegram_id)
    theirs = await _only_answer(bot, cand, f"/start ros_{event.id}")
    assert (_footer(theirs) or (0,))[0] == 1
    await _press_and_wait(bot, cand, theirs, "Suivant ▶", lambda m: (_footer(m) or (0,))[0] == 2)

    # Anyone else, on any page: refused, and the message they pressed shows no name.
    other_city = next(name for name in facts.candidates if name != city)
    outsiders = [
        _user(bot, facts.volunteers[0].telegram_id),
        _user(bot, facts.candidates[other_city].telegram_id),
    ]
    for outsider in outsiders:
        own = await _only_answer(bot, outsider, "/aide")
        for page in range(pages + 1):
            for view in ("list", "att"):
                refused = await bot.forge(outsider, own, RosterPage(view, event.id, page).pack())
                assert refused.show_alert and "réservée aux organisateurs" in refused.text
        assert "Page" not in own.plain and not own.edits


async def test_attendance_sheet_pages_and_marking_keeps_the_page(bot: Any) -> None:
    facts = await _month(bot)
    event, _ = await _crowded_event(bot, facts, 3 * 3 * ATTENDANCE_PAGE)
    start = datetime.now(UTC) - timedelta(minutes=30)
    async with bot.services.transaction() as s:
        await s.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(starts_at=start, ends_at=start + timedelta(hours=2))
        )
        coming = len(
            list(
                await s.scalars(
                    select(Participation.id).where(
                        Participation.event_id == event.id, Participation.status == RsvpStatus.YES
                    )
                )
            )
        )
    assert coming > 2 * ATTENDANCE_PAGE
    coord = _user(bot, facts.coordinators[0].telegram_id)
    roster = await _only_answer(bot, coord, f"/start ros_{event.id}")
    before = len(coord.messages)
    coord.press(roster, text="✔️ Noter les présences")
    await bot.sb.wait_for(lambda: len(coord.messages) > before, 10)
    sheet = coord.messages[-1]
    _fits(sheet)
    pages = -(-coming // ATTENDANCE_PAGE)
    assert _footer(sheet) == (1, pages, coming - ATTENDANCE_PAGE)
    assert sum(b.startswith("✅ ") for b in sheet.button_texts) == ATTENDANCE_PAGE
    await _press_and_wait(bot, coord, sheet, "Suivant ▶", lambda m: (_footer(m) or (0,))[0] == 2)
    # Marking someone on page 2 keeps page 2 (the buttons carry no page: the person's place does).
    label = next(b for b in sheet.button_texts if b.startswith("✅ "))
    name = label.removeprefix("✅ ")
    coord.press(sheet, text=label)
    await bot.sb.wait_for(lambda: f"{name} ✅" in sheet.plain, 10)
    assert (_footer(sheet) or (0,))[0] == 2
    await _clamped(bot, coord, sheet, RosterPage("att", event.id, 10**9).pack(), pages)
    assert "Suivant ▶" not in sheet.button_texts and "↩️ Retour à la liste" in sheet.button_texts


# --- /modeles -------------------------------------------------------------------------------------


async def test_modeles_pages_the_saved_answers(bot: Any) -> None:
    facts = await _month(bot)
    count = 2 * TEMPLATES_PAGE + 7
    async with bot.services.transaction() as s:
        for i in range(count):
            body = (
                f"Bonjour, merci pour votre message numéro {i}. " + "Nous revenons vers vous très vite. " * 4
            )
            await iq.save_reply(s, f"modele-{i:02d}", body, None)
        total = len(await iq.saved_replies(s))
    coord = _user(bot, facts.coordinators[0].telegram_id)
    listing = await _only_answer(bot, coord, "/modeles")
    _fits(listing)
    assert "Réponses enregistrées" in listing.plain and "/modeles ajouter" in listing.plain
    pages = -(-total // TEMPLATES_PAGE)
    assert _footer(listing) == (1, pages, total - TEMPLATES_PAGE)
    assert sum(line.startswith("• ") for line in listing.plain.splitlines()) == TEMPLATES_PAGE
    walked, _ = await _walk_pages(bot, coord, listing)
    assert walked == pages and "/modeles ajouter" in listing.plain
    assert f"modele-{count - 1:02d}" in listing.plain  # the last one is reachable, none is dropped
    await _clamped(bot, coord, listing, TemplatesPage(0).pack(), 1)
    await _clamped(bot, coord, listing, TemplatesPage(10**15).pack(), pages)
    # Someone without the inbox role is refused.
    volunteer = _user(bot, facts.volunteers[0].telegram_id)
    refused = await bot.forge(volunteer, listing, TemplatesPage(1).pack())
    assert refused.show_alert


# --- /donnees_personne ----------------------------------------------------------------------------


async def test_donnees_personne_pages_the_open_requests(bot: Any) -> None:
    facts = await _month(bot)
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        for i in range(2 * OPEN_PAGE + 5):
            await pq.add_request(
                s,
                RequestKind.ACCESS,
                telegram_id=None,
                email=f"demande{i}@exemple.fr",
                now=now - timedelta(hours=i),
            )
        total = await pq.count_open_requests(s)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    usage = await _only_answer(bot, coord, "/donnees_personne")
    _fits(usage)
    assert "Demandes en cours" in usage.plain and "Utilisation" in usage.plain
    pages = -(-total // OPEN_PAGE)
    assert _footer(usage) == (1, pages, total - OPEN_PAGE)
    assert sum(line.startswith("• n°") for line in usage.plain.splitlines()) == OPEN_PAGE
    await _walk_pages(bot, coord, usage)
    assert "demande0@exemple.fr" in usage.plain  # the newest, last: none is dropped past 20
    await _clamped(bot, coord, usage, DataRequestsPage(10**9).pack(), pages)
    await _clamped(bot, coord, usage, DataRequestsPage(0).pack(), 1)
    # A treasurer (not coordination) is refused.
    tres = _user(bot, facts.treasurers[0].telegram_id)
    refused = await bot.forge(tres, usage, DataRequestsPage(1).pack())
    assert refused.show_alert

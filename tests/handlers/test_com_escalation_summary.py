"""Communication requests nobody took reach each coordinator as ONE summary a working day, not one
card per request (issue 18): the count, the oldest's age in days or weeks, a line per request,
« et N autres », an Ouvrir button that shows the request's card, coordinators only. Driven through
the Telegram sandbox as the coordinators would."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.callbacks import ComLate
from capabilities.communication import requests
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import ComRequest, Outbox
from tests.handlers.test_com_requests import (  # noqa: F401  (settings_overrides: the jobs run by hand)
    LEA,
    PAUL,
    Team,
    request_cards,
    settings_overrides,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2031, 3, 10, 9, 30, tzinfo=PARIS)  # a Monday, 9:30 in Paris: the summary's time
NB = "\u00a0"


@pytest.fixture
async def team(bot: Any) -> Team:
    return Team(bot)


async def _setup(team: Team) -> tuple[Any, Any, Any]:
    """Two coordinators (Camille, Paul) and the communication lead (Léa), who gets the cards."""
    coord = await team.coordinator()
    paul = await team.member(PAUL, "Paul", "paul", "coordinateur")
    lea = await team.member(LEA, "Léa", "lea", "responsable communication")
    return coord, paul, lea


async def _ask(team: Team, created: datetime, deadline: datetime | None = None, brief: str = "") -> int:
    """A request of the coordinator, made at `created` (its cards go to Léa)."""
    made = await requests.create(
        team.bot.services,
        await team.person(COORDINATOR_ID),
        kind="visual",
        channels=["facebook"],
        deadline=deadline,
        brief=brief or f"Visuel du {created:%d/%m}",
        files=[],
        now=created,
    )
    return made.request_id


async def _run(team: Team, now: datetime) -> int:
    queued = await requests.run(team.bot.services, now)
    await team.bot.outbox_idle()
    return queued


def _summaries(user: Any) -> list[Any]:
    return [m for m in user.messages if "sans preneur" in m.plain]


async def test_twelve_unclaimed_requests_are_one_summary_per_coordinator(team: Team) -> None:
    coord, paul, lea = await _setup(team)
    # Twelve requests, 25 hours to 23 days old on Monday morning; the oldest has a deadline.
    ages = [timedelta(hours=25) + timedelta(days=2 * i) for i in range(12)]
    ids = [
        await _ask(team, MONDAY - age, deadline=MONDAY + timedelta(days=3) if i == 11 else None)
        for i, age in enumerate(ages)
    ]
    # One more, made on Sunday afternoon: past the delay on Monday afternoon, after the summary.
    recent = await _ask(team, MONDAY - timedelta(hours=20), brief="Bannière du site")
    await team.bot.outbox_idle()
    assert len(request_cards(lea)) == 13
    before = {u.id: len(u.messages) for u in (coord, paul)}

    assert await _run(team, MONDAY) == 2  # one message per coordinator, not 12 each
    oldest_first = ids[::-1]
    for user in (coord, paul):
        new = user.messages[before[user.id] :]
        assert len(new) == 1, [m.plain for m in new]
        [summary] = new
        text = summary.plain
        assert "12 demandes com sans preneur" in text
        assert f"La plus ancienne attend depuis 3{NB}semaines" in text
        # The ten oldest listed, oldest first, with their age (days or weeks, never hours).
        positions = [text.index(f"n°{NB}{rid} ") for rid in oldest_first[:10]]
        assert positions == sorted(positions)
        assert not [rid for rid in oldest_first[10:] + [recent] if f"n°{NB}{rid} " in text]
        assert "… et 2 autres." in text
        [oldest_line] = [line for line in text.splitlines() if f"n°{NB}{ids[11]} " in line]
        assert "Visuel · échéance" in oldest_line and "semaines" in oldest_line
        assert f"depuis 23{NB}jours" not in text and "heure" not in text and "ouvrées" not in text
        # An Ouvrir button for each of the first eight listed.
        assert summary.button_texts == [f"📂 Ouvrir n°{NB}{rid}" for rid in oldest_first[:8]]
        # No card per request for the coordinators.
        assert request_cards(user) == []

    # Every request told is stamped, once; the recent one is not.
    stamped = {r.id: r.escalated_at for r in await team.requests()}
    assert all(stamped[rid] is not None for rid in ids) and stamped[recent] is None
    # Run again the same day, even with the recent one now past the delay: nothing more.
    assert await _run(team, MONDAY + timedelta(minutes=5)) == 0
    assert await _run(team, MONDAY + timedelta(hours=5)) == 0
    assert await _run(team, MONDAY + timedelta(hours=23)) == 0  # Tuesday, before 9:00
    assert [len(_summaries(u)) for u in (coord, paul)] == [1, 1]
    # Not told today, so not stamped: it waits for the next summary.
    assert {r.id: r.escalated_at for r in await team.requests()}[recent] is None
    # The next working day: only what became due since, in the singular.
    assert await _run(team, MONDAY + timedelta(days=1)) == 2
    [_, tuesday] = _summaries(coord)
    assert "1 demande com sans preneur" in tuesday.plain
    assert f"Personne ne l'a prise en charge. Elle attend depuis 1{NB}jour." in tuesday.plain
    assert f"n°{NB}{recent} " in tuesday.plain and f"n°{NB}{ids[0]} " not in tuesday.plain
    async with team.bot.services.db.session() as s:
        cards = await s.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.dedupe_key.like("comreq:%:card:e%"))
        )
        left = await s.scalar(
            select(func.count()).select_from(ComRequest).where(ComRequest.escalated_at.is_(None))
        )
    assert cards == 0 and left == 0


async def test_nothing_is_sent_before_the_summary_hour_or_on_a_weekend(team: Team) -> None:
    coord, _, _ = await _setup(team)
    saturday = MONDAY - timedelta(days=2)
    rid = await _ask(team, saturday - timedelta(days=2))
    assert await _run(team, saturday) == 0
    assert await _run(team, MONDAY.replace(hour=8)) == 0
    assert [r.escalated_at for r in await team.requests()] == [None]  # waits for the summary
    assert await _run(team, MONDAY) == 2
    [summary] = _summaries(coord)
    assert "1 demande com sans preneur" in summary.plain and f"n°{NB}{rid} " in summary.plain


async def test_ouvrir_shows_the_card_and_says_who_took_it_since(team: Team) -> None:
    coord, _, lea = await _setup(team)
    first = await _ask(team, MONDAY - timedelta(days=3), brief="Affiche du meeting")
    second = await _ask(team, MONDAY - timedelta(days=2), brief="Visuel de la pétition")
    await _run(team, MONDAY)
    [summary] = _summaries(coord)

    told = await team.press(coord, summary, f"📂 Ouvrir n°{NB}{first}")
    assert told.text == "La voici ci-dessous." and not told.show_alert
    [card] = request_cards(coord)
    assert f"Demande com n°{NB}{first}" in card.plain and "Affiche du meeting" in card.plain
    assert "✋ Je m'en occupe" in card.button_texts and "👥 Attribuer" in card.button_texts
    # Its buttons work for the coordinator, and the card follows.
    claimed = await team.press(coord, card, "✋ Je m'en occupe")
    assert "vous vous en occupez" in claimed.text

    # Léa takes the second one from her card; Ouvrir says so, and the card shows her.
    [lea_card] = [m for m in request_cards(lea) if f"n°{NB}{second}" in m.plain]
    await team.press(lea, lea_card, "✋ Je m'en occupe")
    taken = await team.press(coord, summary, f"📂 Ouvrir n°{NB}{second}")
    assert "Léa s'en occupe déjà" in taken.text
    await team.bot.outbox_idle()
    [shown] = [m for m in request_cards(coord) if f"n°{NB}{second}" in m.plain]
    assert "Léa s'en occupe" in shown.plain and "✋ Je m'en occupe" not in shown.button_texts


async def test_a_non_coordinator_cannot_press_ouvrir(team: Team) -> None:
    coord, _, lea = await _setup(team)
    rid = await _ask(team, MONDAY - timedelta(days=3))
    await _run(team, MONDAY)
    assert len(_summaries(coord)) == 1 and _summaries(lea) == []
    cards_before = len(request_cards(lea))
    refused = await team.forge(lea, request_cards(lea)[-1], ComLate(rid).pack())
    assert "coordin" in refused.text.lower() and refused.show_alert
    await team.bot.outbox_idle()
    assert len(request_cards(lea)) == cards_before  # no card sent

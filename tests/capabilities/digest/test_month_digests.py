"""The morning digests after a month of use (sandbox/month.py), as each recipient receives them
through the sandbox (issue 18, point 3): the national digest covers the national events, the inbox's
backlog with its oldest email, the data requests near their legal deadline, the memberships to renew
and the donations with warnings, and leaves the empty cities out; a lead's digest counts and has buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.paging import LIMIT, shown_length
from capabilities.digest import send_due
from capabilities.inbox.followup import follow_up
from capabilities.privacy.register import deadline
from domain.ages import format_since
from sandbox.month import MonthFacts, seed_month, start_all
from storage.models import EmailMessage

PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime(2030, 1, 7, 8, 0, 30, tzinfo=PARIS)  # a Monday, just after 08:00 in Paris
NB = "\u00a0"


async def _month_morning(bot: Any) -> MonthFacts:
    facts = await seed_month(bot.services, now=MORNING - timedelta(minutes=1))
    start_all(bot.sb, facts)
    await follow_up(bot.services, MORNING - timedelta(seconds=20))  # the emails past the delay are late
    async with bot.services.transaction() as s:
        assert await send_due(s, bot.services.settings, MORNING) > 0
    await bot.outbox_idle(30)
    return facts


def _digest(user: Any) -> Any:
    [digest] = [m for m in user.messages if "Le point du jour" in (m.plain or "")]
    return digest


async def test_the_national_digest_says_what_matters_most(bot: Any) -> None:
    facts = await _month_morning(bot)
    coord = bot.sb.get_user(facts.coordinators[0].telegram_id)
    digest = _digest(coord)
    text = digest.plain
    assert shown_length(digest.text) <= LIMIT
    assert "Le point du jour — national" in text

    # The national event two days away, understaffed: in its own section and among what needs a look.
    national_part = text.split("National, les 7 prochains jours", 1)[1].split("\n\n", 1)[0]
    assert "Journée nationale de mobilisation" in national_part and "manque" in national_part
    needs = text.split("À regarder", 1)[1]
    assert f"🔴 National{NB}: Journée nationale de mobilisation" in needs
    assert any(b.startswith("Relancer") and "Journée nationale" in b for b in digest.button_texts)

    # The inbox's backlog, how many are late, and its oldest email with a button to open it.
    late = sum(facts.late_by_assignee.values())
    assert f"{facts.pending_emails} courriels en attente, dont {late} en retard" in needs
    assert f"Le plus ancien{NB}: n°\u00a0{facts.oldest_pending_email_id}" in needs
    assert f"depuis 4{NB}semaines" in needs
    assert f"Voir n°\u00a0{facts.oldest_pending_email_id}" in digest.button_texts

    # The data requests near their one-month deadline, and only those.
    for request_id in facts.data_requests_near_deadline:
        assert f"Demande n°\u00a0{request_id}" in needs
    assert needs.count("🔐 Demande n°") == len(facts.data_requests_near_deadline)
    assert "réponse due le" in needs

    # Money: memberships to renew, donations with warnings (counts only: names stay with treasurers).
    assert f"{len(facts.memberships_to_renew)} adhésions arrivent à échéance" in needs
    assert f"{len(facts.donations_with_warnings)} dons portent un avertissement" in needs

    # Busy cities have their line; the cities where nothing happened are left out.
    for city in facts.city_ids:
        assert f"{city}{NB}:" in text
    for city in facts.empty_city_names:
        assert city not in text


async def test_the_oldest_email_button_opens_its_card(bot: Any) -> None:
    facts = await _month_morning(bot)
    coord = bot.sb.get_user(facts.coordinators[0].telegram_id)
    digest = _digest(coord)
    before = len(coord.messages)
    coord.press(digest, text=f"Voir n°\u00a0{facts.oldest_pending_email_id}")
    card = await bot.sb.wait_for(lambda: next(iter(coord.messages[before:]), None), 20)
    assert f"Courriel n°\u00a0{facts.oldest_pending_email_id}" in card.plain


async def test_a_lead_digest_counts_and_has_buttons(bot: Any) -> None:
    facts = await _month_morning(bot)
    hugo = bot.sb.get_user(facts.hugo.telegram_id)
    digest = _digest(hugo)
    oldest = facts.oldest_late_at[facts.hugo.person_id]
    since = format_since(oldest, MORNING)
    async with bot.services.db.session() as s:
        waiting = await s.scalar(
            select(func.count())
            .select_from(EmailMessage)
            .where(EmailMessage.domain == "secretariat", EmailMessage.status.in_(["new", "assigned"]))
        )
    assert waiting is not None and waiting > 9  # Hugo's 9 late ones, and new ones nobody was given
    assert (
        f"Courriels en attente{NB}: {waiting}, dont 9 en retard{NB}; le plus ancien {since}" in digest.plain
    )
    assert since == f"depuis 4{NB}semaines"
    # The late ones first, five listed, the rest counted.
    assert digest.plain.count("⏰ n°") == 5 and f"et {waiting - 5} autres dans /courriels" in digest.plain
    views = [b for b in digest.button_texts if b.startswith("Voir n°")]
    assert len(views) == 4
    before = len(hugo.messages)
    hugo.press(digest, text=views[0])
    card = await bot.sb.wait_for(lambda: next(iter(hugo.messages[before:]), None), 20)
    assert views[0].removeprefix("Voir ") in card.plain and "✋ Je m'en occupe" in card.button_texts


async def test_candidates_hear_of_the_national_event_too(bot: Any) -> None:
    facts = await _month_morning(bot)
    for city, candidate in facts.candidates.items():
        digest = _digest(bot.sb.get_user(candidate.telegram_id))
        assert f"Le point du jour — {city}" in digest.plain
        assert "Journée nationale de mobilisation" in digest.plain
        assert shown_length(digest.text) <= LIMIT


def test_deadline_window_matches_the_register() -> None:
    """The digest's deadline is the register's (one month, RGPD art. 12(3))."""
    asked = datetime(2030, 1, 31, 10, tzinfo=PARIS)
    assert deadline(asked).isoformat() == "2030-02-28"

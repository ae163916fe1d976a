"""A month of late emails (sandbox/month.py) reaches each coordinator as ONE summary a working day,
"Hugo : 9 en retard, le plus ancien depuis 4 semaines", whose buttons open the list or reassign
(issue 18, point 2). Driven through the Telegram sandbox as the coordinators would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.callbacks import InboxLate
from capabilities.inbox.followup import follow_up
from domain.ages import format_since
from domain.people import Domain
from domain.statuses import EmailStatus
from sandbox.month import MonthFacts, seed_month, start_all
from storage.models import EmailMessage, Outbox

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2030, 1, 7, 9, 30, tzinfo=PARIS)  # a Monday, 9:30 in Paris
NB = "\u00a0"


async def _month(bot: Any) -> MonthFacts:
    facts = await seed_month(bot.services, now=MONDAY)
    start_all(bot.sb, facts)
    return facts


async def _month_today(bot: Any) -> tuple[MonthFacts, datetime]:
    """A month ending now (the buttons read the real clock), and the first summary time from now on:
    a working day, 9:00 or later."""
    now = datetime.now(UTC)
    facts = await seed_month(bot.services, now=now)
    start_all(bot.sb, facts)
    local = now.astimezone(PARIS)
    while local.weekday() >= 5 or local.hour < 9:
        local = (local + timedelta(hours=1)).replace(minute=30)
    return facts, local


def _user(bot: Any, telegram_id: int) -> Any:
    return bot.sb.get_user(telegram_id)


async def _tick(bot: Any, now: datetime) -> int:
    queued = await follow_up(bot.services, now)
    await bot.outbox_idle(30)
    return queued


def _summaries(user: Any) -> list[Any]:
    return [m for m in user.messages if "Courriels en retard" in (m.plain or "")]


async def _late_of(bot: Any, person_id: int) -> list[EmailMessage]:
    async with bot.services.db.session() as s:
        return list(
            await s.scalars(
                select(EmailMessage).where(
                    EmailMessage.assignee_id == person_id,
                    EmailMessage.status.in_([EmailStatus.NEW, EmailStatus.ASSIGNED]),
                )
            )
        )


async def test_a_month_of_late_emails_is_one_summary_per_coordinator(bot: Any) -> None:
    facts = await _month(bot)
    coordinators = [_user(bot, c.telegram_id) for c in facts.coordinators]
    late = sum(facts.late_by_assignee.values())
    assert late >= 17

    await _tick(bot, MONDAY)
    for coord in coordinators:
        # One message, not one card per late email (the issue counted 167 cards in a month).
        assert len(coord.messages) == 1, [m.plain for m in coord.messages]
        [summary] = _summaries(coord)
        text = summary.plain
        assert f"Hugo{NB}: 9 en retard, le plus ancien depuis 4{NB}semaines" in text
        lucas, manon = facts.leads[Domain.COMMUNICATION], facts.leads[Domain.FINANCE]
        assert f"{lucas.first_name}{NB}: 5 en retard, le plus ancien depuis 12{NB}jours" in text
        assert f"{manon.first_name}{NB}: 3 en retard, le plus ancien depuis 4{NB}jours" in text
        assert "ouvrées" not in text
        # The most late first, each with its two buttons.
        assert text.index("Hugo") < text.index(lucas.first_name) < text.index(manon.first_name)
        assert summary.button_texts[:2] == ["📂 Hugo (9)", "↪️ Réaffecter (Hugo)"]

    # The same day, later: nothing more. The next working day: one more, with the ages grown.
    await _tick(bot, MONDAY + timedelta(hours=3))
    assert [len(_summaries(c)) for c in coordinators] == [1, 1]
    await _tick(bot, MONDAY + timedelta(days=1))
    assert [len(_summaries(c)) for c in coordinators] == [2, 2]
    assert f"Hugo{NB}: 9 en retard" in _summaries(coordinators[0])[1].plain
    # The weekend sends nothing.
    await _tick(bot, MONDAY + timedelta(days=5, hours=2))
    assert [len(_summaries(c)) for c in coordinators] == [2, 2]
    async with bot.services.db.session() as s:
        escalation_cards = await s.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.dedupe_key.like("inbox:%:card:e%"))
        )
    assert escalation_cards == 0


async def test_open_lists_the_late_emails_and_their_cards(bot: Any) -> None:
    facts, morning = await _month_today(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    await _tick(bot, morning)
    [summary] = _summaries(coord)
    lucas = facts.leads[Domain.COMMUNICATION]

    before = len(coord.messages)
    coord.press(summary, text=f"📂 {lucas.first_name} (5)")
    listed = await bot.sb.wait_for(lambda: next(iter(coord.messages[before:]), None), 20)
    assert f"{lucas.first_name}{NB}: 5 en retard" in listed.plain
    emails = sorted(await _late_of(bot, lucas.person_id), key=lambda e: e.received_at)
    assert len(emails) == 5
    # Oldest first, each with its age in days and a button that opens its card.
    assert listed.plain.index(f"n°\u00a0{emails[0].id}") < listed.plain.index(f"n°\u00a0{emails[-1].id}")
    assert format_since(emails[0].received_at, datetime.now(UTC)) in listed.plain
    assert "jours" in listed.plain and "ouvrées" not in listed.plain
    assert [f"Voir n°\u00a0{e.id}" for e in emails] == [
        b for b in listed.button_texts if b.startswith("Voir")
    ]
    before = len(coord.messages)
    coord.press(listed, text=f"Voir n°\u00a0{emails[0].id}")
    card = await bot.sb.wait_for(lambda: next(iter(coord.messages[before:]), None), 20)
    assert f"Courriel n°\u00a0{emails[0].id}" in card.plain and "✋ Je m'en occupe" in card.button_texts


async def test_reassign_moves_the_late_emails_to_someone_else(bot: Any) -> None:
    facts, morning = await _month_today(bot)
    coord = _user(bot, facts.coordinators[0].telegram_id)
    await _tick(bot, morning)
    [summary] = _summaries(coord)
    hugo = facts.hugo
    assert len(await _late_of(bot, hugo.person_id)) == 9

    before = len(coord.messages)
    coord.press(summary, text="↪️ Réaffecter (Hugo)")
    told = await bot.sb.wait_for(
        lambda: next((m for m in coord.messages[before:] if "réaffectés" in (m.plain or "")), None), 20
    )
    await bot.outbox_idle(30)
    # Hugo is the secretariat's only lead: the coordinators take them, in turn.
    assert f"Courriels de Hugo réaffectés{NB}: 9" in told.plain
    assert await _late_of(bot, hugo.person_id) == []
    holders = [e.assignee_id for e in await _late_of(bot, facts.coordinators[0].person_id)]
    holders += [e.assignee_id for e in await _late_of(bot, facts.coordinators[1].person_id)]
    assert len(holders) >= 9
    # Each new holder got the card of each email they now hold.
    assert sum("Courriel n°" in (m.plain or "") for m in coord.messages) >= 4
    # Pressed again (a double tap, or the next day's old message): nothing more to move.
    before = len(coord.messages)
    coord.press(summary, text="↪️ Réaffecter (Hugo)")
    again = await bot.sb.wait_for(lambda: next(iter(coord.messages[before:]), None), 20)
    assert "Plus rien en retard chez Hugo" in again.plain
    # The next summary names the new holders, not Hugo.
    await _tick(bot, morning + timedelta(days=3))
    assert len(_summaries(coord)) == 2 and "Hugo" not in _summaries(coord)[-1].plain


async def test_only_coordinators_may_use_the_summary_buttons(bot: Any) -> None:
    facts = await _month(bot)
    hugo = _user(bot, facts.hugo.telegram_id)
    await bot.reply(hugo, "/aide")
    lead = facts.leads[Domain.COMMUNICATION].person_id
    refused = await bot.forge(hugo, hugo.messages[-1], InboxLate("r", lead).pack(), timeout=20)
    assert "coordin" in refused.text.lower()
    # Nothing moved.
    assert len(await _late_of(bot, facts.leads[Domain.COMMUNICATION].person_id)) == 5

"""/courriels and /dons with the longest legal values: every message within Telegram's 4,096
UTF-16 units, and nothing left out without a word ("et N autres")."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from capabilities.donations.config import PARTY
from domain.statuses import DonationKind, EmailStatus, PaymentMethod
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Donation, Donor, EmailMessage, Person

LIMIT = 4096
EMOJI = "😀"  # two UTF-16 units: Telegram counts those, not Python characters


def _longest(start: str, size: int) -> str:
    """`start`, then emoji and markup characters up to `size` characters."""
    filler = (EMOJI + "<&>") * size
    return (start + filler)[:size]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def _answers(bot: Any, user: Any, command: str) -> list[Any]:
    """Every message the command brings (after a quiet moment), marked read."""
    log = bot.sb.log(user.id)
    seen = len(log.bot_messages)
    user.send(command)
    await bot.sb.wait_for(lambda: len(log.bot_messages) > seen, 5)
    await asyncio.sleep(0.5)
    log.consumed = len(log.bot_messages)
    return list(log.bot_messages[seen:])


def _check(messages: list[Any]) -> None:
    assert messages
    for m in messages:
        assert _units(m.plain) <= LIMIT, _units(m.plain)
        assert "mal passé" not in m.plain


async def test_courriels_fits_with_the_longest_subjects_senders_and_names(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        people = []
        for i in range(60):
            person = Person(
                telegram_id=50_000 + i,
                first_name=_longest(f"P{i} ", 64),
                consent_version="1",
                consent_at=now,
            )
            s.add(person)
            people.append(person)
        await s.flush()
        for i in range(80):
            s.add(
                EmailMessage(
                    gmail_id=f"g{i}",
                    thread_id=f"t{i}",
                    sender=_longest(f"expediteur{i}@", 320),
                    subject=_longest(f"Objet {i} ", 500),
                    received_at=now - timedelta(hours=i),
                    domain="campaign",
                    city=_longest("Ville ", 80),
                    status=EmailStatus.ASSIGNED,
                    assignee_id=people[i % 60].id,
                )
            )
        for i in range(10):
            s.add(
                EmailMessage(
                    gmail_id=f"s{i}",
                    thread_id=f"st{i}",
                    sender=_longest(f"spam{i}@", 320),
                    subject=_longest(f"Spam {i} ", 500),
                    received_at=now - timedelta(minutes=i),
                    domain="secretariat",
                    status=EmailStatus.SPAM,
                )
            )
    messages = await _answers(bot, coord, "/courriels")
    _check(messages)
    text = "\n".join(m.plain for m in messages)
    # One message, one page (issue 18): none is late yet, so the newest come first; what is not on
    # this page is counted, never dropped silently.
    assert len(messages) == 1
    assert "n°\u00a01 " in text and "n°\u00a080 " not in text
    more = re.search(r"Page 1 sur (\d+) · et (\d+) autres", messages[-1].plain)
    assert more is not None and int(more.group(2)) == 80 - 8


async def test_dons_fits_with_sixty_donations_and_says_how_many_are_older(bot: Any) -> None:
    from tests.handlers.test_donations import setup_treasurer

    _, tres = await setup_treasurer(bot)
    async with bot.services.transaction() as s:
        for i in range(60):
            donor = Donor(first_name=_longest(f"Prénom{i} ", 100), last_name=_longest(f"Nom{i} ", 100))
            s.add(donor)
            await s.flush()
            s.add(
                Donation(
                    donor_id=donor.id,
                    amount_cents=7_500_00,
                    method=PaymentMethod.CHEQUE,
                    received_on=date(2026, 1, 1) + timedelta(days=i),
                    ledger=PARTY,
                    kind=DonationKind.DON,
                    request_key=f"k{i}",
                )
            )
    messages = await _answers(bot, tres, "/dons")
    _check(messages)
    listing = messages[-1]
    # A page of ten (issue 18), the next page a button away, the other fifty counted.
    assert len(listing.button_texts) == 10 + 1 and listing.button_texts[-1] == "Suivant ▶"
    assert "Page 1 sur 6 · et 50 autres" in listing.plain
    for label in listing.button_texts:
        assert len(label) <= 64
    # A search too: all of one donor's payments, nothing said to be older when all are shown.
    found = await _answers(bot, tres, "/dons Nom7")
    _check(found)
    assert "autres" not in found[-1].plain and "Suivant ▶" not in found[-1].button_texts

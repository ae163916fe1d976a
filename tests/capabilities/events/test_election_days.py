"""Second review (W2): posts and events know the same election days (both rounds)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from capabilities.communication import drafts
from capabilities.events import organise
from domain.communication import law
from domain.statuses import PostPurpose, PostStatus
from storage.models import CampaignLedger, ComPost


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "disabled_jobs": [
            "digests",
            "reminders",
            "recruitment",
            "retention",
            "memberships",
            "inbox",
            "donations",
            "calendar",
            "com",
        ]
    }


async def test_a_tractage_on_the_eve_of_the_second_round_is_warned_like_a_post(bot: Any) -> None:
    """drafts.law_context adds the second round (first + 7 days, L56) to the ledgers' days;
    capabilities/events/organise.election_days does not: a tractage the Saturday before the second
    round is not warned, while a post at the same moment is paused."""
    first = date(2027, 3, 14)
    async with bot.services.transaction() as s:
        s.add(
            CampaignLedger(id="paris-2027", city="Paris", election_id="municipales-2027", election_day=first)
        )
    tz = bot.services.settings.tz
    saturday = datetime.combine(first + timedelta(days=6), time(10), tzinfo=tz)
    async with bot.services.db.session() as s:
        post = ComPost(
            purpose=PostPurpose.FREE, status=PostStatus.DRAFT, text="Votez dimanche", channels=["x"]
        )
        post_rules = {f.rule for f in await drafts.findings_of(s, bot.services.settings, post, saturday)}
    assert "silence" in post_rules  # posts: held
    days = await organise.election_days(bot.services)
    assert law.event_in_silence("tractage", saturday, days, tz) is not None, days  # events: not warned

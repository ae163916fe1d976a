"""Issue 14's scenario, end to end: a public event announced -> a suggested post -> edited in chat ->
approved -> scheduled -> published once on every configured channel, with a restart between the
approval and the publication.

Everything goes through the Telegram sandbox (people, the channel) and the fakes of sandbox.platforms
driven by the real client libraries (httpx for Graph and WordPress, Mastodon.py, atproto, tweepy).
The bot is stopped and a new Application (new adapters, new services) is built on the same database
and the same sandbox, as a restart does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.callbacks import CpPublish, PostOpen
from capabilities.communication import publishing, suggestions
from domain.people import Domain, Grant, Role
from domain.statuses import PostPurpose, PostStatus, PublicationStatus
from sandbox.bot_harness import COORDINATOR_ID, BotHarness
from sandbox.platforms import FakeBlueskyPDS, FakeGraph, FakeMastodon, FakeWordPress, FakeX
from storage import people
from storage.models import ComPost, Event, Publication
from tests.conftest import make_settings
from tests.handlers.test_communication_posts import forge, plain

PARIS = ZoneInfo("Europe/Paris")
LEA = 101
CHANNEL_ID, CHANNEL_NAME = -1001234567, "anld_chaine"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
EVERY = ["telegram", "facebook", "mastodon", "bluesky", "x", "wordpress"]
EDITED = (
    "Réunion publique sur les transports à Lyon : venez nombreuses et nombreux, "
    "on parlera des lignes de bus de nuit et du prix des tickets."
)


@dataclass
class Fakes:
    graph: FakeGraph
    masto: FakeMastodon
    pds: FakeBlueskyPDS
    wp: FakeWordPress
    x: FakeX

    def counts(self) -> dict[str, int]:
        return {
            "facebook": len(self.graph.posts),
            "mastodon": len(self.masto.statuses),
            "bluesky": len(self.pds.records),
            "x": len(self.x.tweets),
            "wordpress": len(self.wp.posts),
        }


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    with (
        FakeGraph() as graph,
        FakeMastodon() as masto,
        FakeBlueskyPDS() as pds,
        FakeWordPress() as wp,
        FakeX() as x,
    ):
        yield Fakes(graph, masto, pds, wp, x)


def every_channel(fakes: Fakes) -> dict[str, object]:
    """The six channels, configured as the .env would, against the fakes."""
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
        ],
        "send_per_chat_per_second": 100.0,
        "telegram_channel_id": f"@{CHANNEL_NAME}",
        "facebook_graph_url": fakes.graph.graph_url,
        "facebook_page_id": fakes.graph.page_id,
        "facebook_page_token": SecretStr("page-token"),
        "mastodon_base_url": fakes.masto.url,
        "mastodon_access_token": SecretStr("masto-token"),
        "bluesky_service_url": fakes.pds.url,
        "bluesky_handle": fakes.pds.handle,
        "bluesky_app_password": SecretStr("abcd-efgh-ijkl-mnop"),
        "x_consumer_key": SecretStr("consumer-key"),
        "x_consumer_secret": SecretStr("consumer-secret"),
        "x_access_token": SecretStr("1234567890-AccessToken"),
        "x_access_token_secret": SecretStr("access-token-secret"),
        "x_api_url": fakes.x.url,
        "wordpress_url": fakes.wp.url,
        "wordpress_user": "coordo",
        "wordpress_app_password": SecretStr("abcd EFGH 1234 ijkl MNOP 5678"),
    }


@asynccontextmanager
async def bot_process(
    sandbox: Any, db_target: Any, overrides: dict[str, object]
) -> AsyncIterator[BotHarness]:
    """One run of the bot: a new Application, new services and adapters, on the same database."""
    from bot.app import build_application, running
    from sandbox import SandboxRequest

    app = build_application(
        make_settings(db_target, **overrides),
        request=SandboxRequest(sandbox),
        get_updates_request=SandboxRequest(sandbox),
    )
    async with running(app):
        yield BotHarness(sandbox, app)


def in_words(day: datetime) -> str:
    return f"le {day.day} {MONTHS[day.month - 1]} à 18h30"


async def create_public_event(bot: BotHarness, coord: Any, starts: datetime) -> None:
    """The organiser's /evenement, as in tests/handlers/test_events.py."""
    group = bot.sb.group(-5001, "Militants Lyon")
    group.add_member(coord)
    coord.send("/lier_ville Lyon", chat=group)
    await group.next_message()
    await bot.reply(coord, "/evenement")
    kinds = await bot.reply(coord, "Réunion publique sur les transports")
    coord.press(kinds, text="réunion")
    cities = await coord.next_message()
    coord.press(cities, text="Lyon")
    await coord.next_message()
    confirm = await bot.reply(coord, in_words(starts))
    coord.press(confirm, text="Oui")
    await coord.next_message()
    await bot.reply(coord, "2h")
    await bot.reply(coord, "Salle Molière")
    await bot.reply(coord, "Entrée libre")
    summary = await bot.reply(coord, "photo 1")
    coord.press(summary, text="Confirmer")
    assert "annoncé" in (await coord.next_message()).plain


async def until(user: Any, text: str) -> Any:
    """The next message holding `text` (earlier ones, such as notices, are passed over)."""
    for _ in range(20):
        message = await user.next_message()
        if text in plain(message):
            return message
    raise AssertionError(f"no message with {text!r}")


async def the_post(bot: BotHarness) -> ComPost:
    async with bot.services.db.session() as s:
        post = await s.scalar(select(ComPost).where(ComPost.purpose == PostPurpose.ANNOUNCE))
    assert post is not None
    return post


async def publications(bot: BotHarness, post_id: int) -> dict[str, Publication]:
    async with bot.services.db.session() as s:
        rows = await s.scalars(select(Publication).where(Publication.post_id == post_id))
        return {r.channel: r for r in rows}


async def test_event_to_suggestion_to_edit_to_approval_then_restart_then_published_once_everywhere(
    sandbox: Any, db_target: Any, fakes: Fakes
) -> None:
    overrides = every_channel(fakes)
    sandbox.group(CHANNEL_ID, "À nous la démocratie !", username=CHANNEL_NAME)
    starts = (datetime.now(PARIS) + timedelta(days=5)).replace(hour=18, minute=30, second=0, microsecond=0)

    async with bot_process(sandbox, db_target, overrides) as bot:
        coord = bot.user(COORDINATOR_ID, "Camille")  # organiser, and the second pair of eyes
        await bot.onboard(coord)
        lea = bot.user(LEA, "Léa")  # the communication lead
        await bot.onboard(lea)
        async with bot.services.transaction() as s:
            person = await people.person_by_telegram_id(s, LEA)
            assert person is not None
            await people.grant_role(s, person, Grant(Role.LEAD, Domain.COMMUNICATION), None)

        # An organiser announces a public event.
        await create_public_event(bot, coord, starts)
        assert await bot.count(Event) == 1

        # The suggestions job: the announce is due now (the event is 5 days away), the lead gets it.
        await suggestions.run(bot.services, datetime.now(UTC))
        await bot.outbox_idle()
        suggested = await the_post(bot)
        assert suggested.status == PostStatus.SUGGESTED
        assert sorted(suggested.channels) == sorted(EVERY)
        card = await until(lea, "Publication suggérée")
        assert "Réunion publique sur les transports" in card.plain

        # The lead opens it, edits the text in chat and submits it.
        lea.press(card, data=PostOpen(suggested.id).pack())
        opened = await lea.next_message()
        assert "Modifier le texte" in opened.button_texts
        lea.press(opened, text="Modifier le texte")
        await lea.next_message()
        edited = await bot.reply(lea, EDITED)
        assert "nouvelle version" in plain(edited) and "bus de nuit" in plain(edited)
        lea.press(edited, text="Soumettre")
        assert "Envoyé pour approbation" in plain(await lea.next_message())

        # Another member of the team approves it for tomorrow 18h, in free French.
        approval = await until(coord, "À approuver")
        assert "À approuver" in plain(approval) and "bus de nuit" in plain(approval)
        coord.press(approval, text="Programmer")
        assert "Quand publier" in plain(await coord.next_message())
        done = await bot.reply(coord, "demain 18h")
        assert "programmée pour le" in plain(done) and "18h00" in plain(done)
        post = await the_post(bot)
        assert post.status == PostStatus.SCHEDULED and post.text == EDITED
        assert post.publish_at is not None
        at = post.publish_at
        assert await publications(bot, post.id) == {}
        await bot.outbox_idle()

    # --- The bot restarts: a new Application on the same database and the same sandbox. ---
    # The people are the sandbox's: the same users talk to the new process.
    async with bot_process(sandbox, db_target, overrides) as bot:
        # Before its time: nothing anywhere.
        assert await publishing.run(bot.services, at - timedelta(minutes=1)) == 0
        assert fakes.counts() == dict.fromkeys(["facebook", "mastodon", "bluesky", "x", "wordpress"], 0)
        assert bot.sb.messages_in(CHANNEL_ID) == []

        # At its time: exactly once on every channel.
        assert await publishing.run(bot.services, at + timedelta(minutes=1)) == len(EVERY)
        assert fakes.counts() == dict.fromkeys(["facebook", "mastodon", "bluesky", "x", "wordpress"], 1)
        (sent,) = bot.sb.messages_in(CHANNEL_ID)
        assert sent.plain == EDITED
        rows = await publications(bot, post.id)
        assert set(rows) == set(EVERY)
        for channel, row in rows.items():
            assert row.status == PublicationStatus.PUBLISHED, channel
            assert row.url.startswith(("http://", "https://")), channel
            assert row.attempts == 1, channel
        assert rows["telegram"].url.startswith(f"https://t.me/{CHANNEL_NAME}/")
        assert next(iter(fakes.x.tweets.values())).text == EDITED
        assert (await the_post(bot)).status == PostStatus.PUBLISHED
        await bot.outbox_idle()
        summary = next(m for m in lea.messages if "publié" in m.plain and rows["mastodon"].url in m.plain)
        assert rows["wordpress"].url in summary.plain

        # Again: the job, a new tap on the approval button, the publishing path itself: nothing new.
        assert await publishing.run(bot.services, at + timedelta(hours=1)) == 0
        again = await forge(bot, coord, CpPublish(post.id, post.version).pack())
        assert "déjà" in plain(again)
        await publishing.publish_now(bot.services, post.id, at + timedelta(hours=2))
        assert fakes.counts() == dict.fromkeys(["facebook", "mastodon", "bluesky", "x", "wordpress"], 1)
        assert len(bot.sb.messages_in(CHANNEL_ID)) == 1
        assert all(r.attempts == 1 for r in (await publications(bot, post.id)).values())

"""Publishing exactly once: the ledger against the fake platforms, driven by the real client
libraries (Mastodon.py, atproto, tweepy, httpx for Graph and WordPress), and the Telegram channel
in the sandbox."""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from capabilities.communication import channels, metrics, publishing
from domain.statuses import PostPurpose, PostStatus, PublicationStatus
from integrations.publishing.base import Post
from sandbox.bot_harness import COORDINATOR_ID
from sandbox.platforms import FakeBlueskyPDS, FakeGraph, FakeMastodon, FakeWordPress, FakeX
from storage import publications as q
from storage.models import ComPost, Outbox, Publication

CHANNEL_ID = -1001234567
CHANNEL_NAME = "anld_chaine"
ALL = ["telegram", "facebook", "mastodon", "bluesky", "wordpress"]
JOBS_OFF = ["digests", "reminders", "recruitment", "retention", "memberships", "inbox", "donations"]
JOBS_OFF += ["calendar", "com"]


@dataclass
class Fakes:
    graph: FakeGraph
    masto: FakeMastodon
    pds: FakeBlueskyPDS
    wp: FakeWordPress
    x: FakeX

    def writes(self) -> dict[str, int]:
        """Write requests each platform received (a retry would add one, even if refused)."""
        return {
            "facebook": self.graph.count(None, "POST"),
            "mastodon": self.masto.count(r"/api/v1/statuses", "POST"),
            "bluesky": self.pds.count(r"createRecord", "POST"),
            "wordpress": self.wp.count(r"/wp/v2/posts", "POST"),
        }

    def counts(self) -> dict[str, int]:
        return {
            "facebook": len(self.graph.posts),
            "mastodon": len(self.masto.statuses),
            "bluesky": len(self.pds.records),
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


@pytest.fixture
def settings_overrides(fakes: Fakes) -> dict[str, object]:
    return {
        "disabled_jobs": JOBS_OFF,
        "telegram_channel_id": f"@{CHANNEL_NAME}",
        "facebook_graph_url": fakes.graph.graph_url,
        "facebook_page_id": fakes.graph.page_id,
        "facebook_page_token": SecretStr("page-token"),
        "mastodon_base_url": fakes.masto.url,
        "mastodon_access_token": SecretStr("masto-token"),
        "bluesky_service_url": fakes.pds.url,
        "bluesky_handle": fakes.pds.handle,
        "bluesky_app_password": SecretStr("abcd-efgh-ijkl-mnop"),
        "wordpress_url": fakes.wp.url,
        "wordpress_user": "coordo",
        "wordpress_app_password": SecretStr("abcd EFGH 1234 ijkl MNOP 5678"),
    }


@pytest.fixture
async def lead(bot: Any) -> Any:
    """The coordinator (no communication lead yet: the coordinators are told)."""
    user = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(user)
    bot.sb.group(CHANNEL_ID, "À nous la démocratie !", username=CHANNEL_NAME)
    return user


async def make_post(
    bot: Any, channels_: list[str], text: str = "Réunion publique samedi à Montreuil", **kw: Any
) -> int:
    async with bot.services.transaction() as s:
        post = ComPost(
            purpose=PostPurpose.FREE,
            status=kw.pop("status", PostStatus.APPROVED),
            text=text,
            channels=channels_,
            **kw,
        )
        s.add(post)
        await s.flush()
        return post.id


async def rows_of(bot: Any, post_id: int) -> dict[str, Publication]:
    async with bot.services.db.session() as s:
        return {r.channel: r for r in await q.of_post(s, post_id)}


async def post_status(bot: Any, post_id: int) -> str:
    async with bot.services.db.session() as s:
        post = await s.get(ComPost, post_id)
        assert post is not None
        return str(post.status)


async def messages_to(bot: Any, chat_id: int) -> list[dict[str, Any]]:
    async with bot.services.db.session() as s:
        rows = await s.scalars(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id))
        return [r.payload for r in rows]


def now() -> datetime:
    return datetime.now(UTC)


async def test_a_double_tap_publishes_once_on_every_channel(bot: Any, lead: Any, fakes: Fakes) -> None:
    post_id = await make_post(bot, ALL)
    first, second = await asyncio.gather(
        publishing.publish_now(bot.services, post_id, now()),
        publishing.publish_now(bot.services, post_id, now()),
    )
    assert fakes.counts() == {"facebook": 1, "mastodon": 1, "bluesky": 1, "wordpress": 1}
    assert [m.text for m in bot.sb.messages_in(CHANNEL_ID)] == ["Réunion publique samedi à Montreuil"]
    # The job and a third tap later find everything settled: nothing more is sent.
    assert await publishing.run(bot.services, now()) == 0
    await publishing.publish_now(bot.services, post_id, now())
    assert fakes.counts() == {"facebook": 1, "mastodon": 1, "bluesky": 1, "wordpress": 1}
    assert len(bot.sb.messages_in(CHANNEL_ID)) == 1
    rows = await rows_of(bot, post_id)
    assert {c: r.status for c, r in rows.items()} == dict.fromkeys(ALL, PublicationStatus.PUBLISHED)
    assert rows["telegram"].url.startswith(f"https://t.me/{CHANNEL_NAME}/")
    assert rows["mastodon"].url == f"{fakes.masto.url}/@anld/{rows['mastodon'].remote_id}"
    assert all(r.attempts == 1 for r in rows.values())
    assert await post_status(bot, post_id) == PostStatus.PUBLISHED
    summary = await lead.next_message()
    assert "publié" in summary.text and rows["mastodon"].url in summary.text


async def test_a_crash_after_the_claim_is_looked_up_not_posted_again(
    bot: Any, lead: Any, fakes: Fakes
) -> None:
    post_id = await make_post(bot, ["facebook", "mastodon", "bluesky", "wordpress", "telegram"])
    await publishing.run(bot.services, now())  # creates the rows, publishes everything
    rows = await rows_of(bot, post_id)
    # Replay a crash: the rows are claimed again (SENDING) and each post really went out (on a
    # second post id, so that the platforms hold it), then the process died before writing it.
    crashed = await make_post(
        bot, ["facebook", "mastodon", "bluesky", "wordpress", "telegram"], "Second message"
    )
    async with bot.services.transaction() as s:
        for channel in ["facebook", "mastodon", "bluesky", "wordpress", "telegram"]:
            await q.ensure(s, crashed, channel)
        await s.execute(update(ComPost).where(ComPost.id == crashed).values(status=PostStatus.APPROVED))
    crashed_rows = await rows_of(bot, crashed)
    for row in crashed_rows.values():
        async with bot.services.transaction() as s:
            assert await q.claim(s, row.id, PublicationStatus.PENDING)
        if row.channel != "telegram":
            adapter = channels.build(bot.services.settings, row.channel)
            await asyncio.to_thread(adapter.publish, Post("Second message"), row.key)
            adapter.close()
    assert fakes.counts() == {"facebook": 2, "mastodon": 2, "bluesky": 2, "wordpress": 2}
    before = len(bot.sb.messages_in(CHANNEL_ID))
    fakes.masto.idempotency_ttl = 0  # the hour Mastodon keeps keys has passed: only find() helps
    writes = fakes.writes()

    await publishing.run(bot.services, now() + timedelta(minutes=10))  # the restarted bot's job

    assert fakes.counts() == {"facebook": 2, "mastodon": 2, "bluesky": 2, "wordpress": 2}
    assert fakes.graph.count(r"/posts", "GET") >= 1  # Facebook was searched...
    assert fakes.writes() == writes  # ...and no platform was written to again
    after = await rows_of(bot, crashed)
    for channel in ["facebook", "mastodon", "bluesky", "wordpress"]:
        assert after[channel].status == PublicationStatus.PUBLISHED, channel
        assert after[channel].remote_id and after[channel].remote_id != rows[channel].remote_id
    # Telegram cannot be read back: never resent, the lead is asked to look.
    assert after["telegram"].status == PublicationStatus.FAILED
    assert len(bot.sb.messages_in(CHANNEL_ID)) == before
    texts = [m["text"] for m in await messages_to(bot, COORDINATOR_ID)]
    assert any("je ne sais pas s'il est parti sur la chaîne Telegram" in t for t in texts)


async def test_facebook_token_revoked_is_explained_once(bot: Any, lead: Any, fakes: Fakes) -> None:
    fakes.graph.revoke("page-token")
    post_id = await make_post(bot, ["facebook", "mastodon"])
    await publishing.publish_now(bot.services, post_id, now())
    await publishing.run(bot.services, now() + timedelta(hours=1))
    rows = await rows_of(bot, post_id)
    assert rows["facebook"].status == PublicationStatus.FAILED and rows["facebook"].error_kind == "auth"
    assert rows["mastodon"].status == PublicationStatus.PUBLISHED
    assert fakes.counts()["facebook"] == 0
    told = [m for m in await messages_to(bot, COORDINATOR_ID) if "190" in m["text"]]
    assert len(told) == 1
    assert "FACEBOOK_PAGE_TOKEN" in told[0]["text"] and "renouveler" in told[0]["text"]
    assert told[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"cp:o:{post_id}"


async def test_x_without_credentials_gives_a_share_link_and_never_says_posted(
    bot: Any, lead: Any, fakes: Fakes
) -> None:
    post_id = await make_post(bot, ["x"], link="https://anld.fr/reunion")
    await publishing.publish_now(bot.services, post_id, now())
    row = (await rows_of(bot, post_id))["x"]
    assert row.status == PublicationStatus.SKIPPED
    assert row.url.startswith("https://x.com/intent/post?text=R%C3%A9union")
    assert fakes.x.tweets == {}
    message = await lead.next_message()
    assert "rien n'a été posté sur X" in message.text and "publié" not in message.text
    (button,) = message.reply_markup["inline_keyboard"][0]
    assert button["url"] == row.url


async def test_a_scheduled_post_waits_for_its_time(bot: Any, lead: Any, fakes: Fakes) -> None:
    at = now() + timedelta(hours=2)
    post_id = await make_post(bot, ["mastodon", "telegram"], status=PostStatus.SCHEDULED, publish_at=at)
    await publishing.run(bot.services, at - timedelta(minutes=1))
    await publishing.publish_now(bot.services, post_id, at - timedelta(minutes=1))
    assert fakes.counts()["mastodon"] == 0 and bot.sb.messages_in(CHANNEL_ID) == []
    assert await rows_of(bot, post_id) == {}
    await publishing.run(bot.services, at)
    assert fakes.counts()["mastodon"] == 1 and len(bot.sb.messages_in(CHANNEL_ID)) == 1
    assert await post_status(bot, post_id) == PostStatus.PUBLISHED


async def test_a_platform_down_is_retried_later_then_published_once(
    bot: Any, lead: Any, fakes: Fakes
) -> None:
    fakes.wp.inject(503, times=1, method="POST")
    post_id = await make_post(bot, ["wordpress"])
    start = now()
    await publishing.publish_now(bot.services, post_id, start)
    row = (await rows_of(bot, post_id))["wordpress"]
    assert row.status == PublicationStatus.PENDING and row.next_try_at is not None
    await publishing.run(bot.services, start)  # not yet due: nothing
    assert (await rows_of(bot, post_id))["wordpress"].attempts == 1
    await publishing.run(bot.services, start + timedelta(minutes=5))
    assert (await rows_of(bot, post_id))["wordpress"].status == PublicationStatus.PUBLISHED
    assert fakes.counts()["wordpress"] == 1


async def test_metrics_are_read_back(bot: Any, lead: Any, fakes: Fakes) -> None:
    post_id = await make_post(bot, ["facebook", "mastodon", "telegram"])
    at = now()
    await publishing.publish_now(bot.services, post_id, at)
    rows = await rows_of(bot, post_id)
    fakes.graph.react(rows["facebook"].remote_id, reactions=4, shares=2)
    fakes.masto.interact(rows["mastodon"].remote_id, favourites=3, reblogs=1)
    assert await metrics.run(bot.services, at + timedelta(hours=1)) == 2
    rows = await rows_of(bot, post_id)
    assert rows["facebook"].metrics["reactions"] == 4 and rows["facebook"].metrics["shares"] == 2
    assert rows["mastodon"].metrics.get("boosts", rows["mastodon"].metrics.get("reblogs")) == 1
    assert rows["telegram"].metrics == {}
    assert await metrics.run(bot.services, at + timedelta(hours=2)) == 0  # at most every 6 hours


async def test_the_law_is_checked_again_at_send_time(bot: Any, lead: Any, fakes: Fakes) -> None:
    # An approved post whose publication falls in the electoral silence is held, not sent.
    day = (now() + timedelta(days=3)).date()
    bot.services.settings.election_days = [day]
    post_id = await make_post(bot, ["mastodon"], text="Votez pour nous dimanche !")
    when = datetime.combine(day, time(10), tzinfo=bot.services.settings.tz)
    await publishing.publish_now(bot.services, post_id, when)
    assert fakes.counts()["mastodon"] == 0
    async with bot.services.db.session() as s:
        post = await s.get(ComPost, post_id)
        assert post is not None
        assert (post.status, post.paused_reason) == (PostStatus.PAUSED, "silence")
    message = await lead.next_message()
    assert "en attente" in message.text
    assert message.reply_markup["inline_keyboard"][0][0]["callback_data"] == f"cp:o:{post_id}"


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


async def test_the_telegram_channel_gets_the_photo_with_its_caption(
    bot: Any, lead: Any, fakes: Fakes, tmp_path: Path
) -> None:
    image = tmp_path / "stand.png"
    image.write_bytes(tiny_png())
    images = [{"path": str(image), "name": "stand.png", "mime": "image/png", "alt": "Le stand"}]
    post_id = await make_post(
        bot,
        ["telegram", "mastodon"],
        "Merci à tous pour le stand !",
        images=images,
        confirmations=["image_rights"],
    )
    await publishing.publish_now(bot.services, post_id, now())
    (message,) = bot.sb.messages_in(CHANNEL_ID)
    assert message.photo is not None and message.text == "Merci à tous pour le stand !"
    status = next(iter(fakes.masto.statuses.values()))
    assert [fakes.masto.media[m].description for m in status.media_ids] == ["Le stand"]


LONG_TEXT = " ".join(
    ["Réunion publique samedi à Montreuil pour parler des transports, des écoles et du budget."] * 5
)[:400].rstrip()


async def test_each_channel_gets_the_version_the_preview_showed(bot: Any, lead: Any, fakes: Fakes) -> None:
    from domain.communication.preview import channel_versions

    settings = bot.services.settings
    settings.x_consumer_key, settings.x_consumer_secret = (
        SecretStr("consumer-key"),
        SecretStr("consumer-secret"),
    )
    settings.x_access_token = SecretStr("1234567890-AccessToken")
    settings.x_access_token_secret = SecretStr("access-token-secret")
    settings.x_api_url = fakes.x.url
    link = "https://anld.fr/reunion"
    every = ["telegram", "facebook", "mastodon", "bluesky", "x", "wordpress"]
    assert len(LONG_TEXT) == 400
    preview = {v.channel: v for v in channel_versions(LONG_TEXT, link, every)}
    post_id = await make_post(bot, every, LONG_TEXT, link=link)
    await publishing.publish_now(bot.services, post_id, now())
    rows = await rows_of(bot, post_id)
    assert {c: r.status for c, r in rows.items()} == dict.fromkeys(every, PublicationStatus.PUBLISHED)

    # Whole where it fits: Mastodon (500, the link appended), Facebook (the link as its card),
    # WordPress (no limit), the Telegram channel (4 096).
    assert preview["mastodon"].fits and preview["facebook"].fits and preview["wordpress"].fits
    (status,) = fakes.masto.statuses.values()
    assert status.text == preview["mastodon"].text == f"{LONG_TEXT}\n\n{link}"
    (fb,) = fakes.graph.posts.values()
    assert (fb.message, fb.link) == (LONG_TEXT, link)
    (wp,) = fakes.wp.posts.values()
    assert "budget" in wp.content and LONG_TEXT[-30:] in wp.content
    assert [m.plain for m in bot.sb.messages_in(CHANNEL_ID)] == [f"{LONG_TEXT}\n\n{link}"]
    # Cut with an ellipsis, exactly as the preview said: X (280, the link kept), Bluesky (300).
    assert not preview["x"].fits and not preview["bluesky"].fits
    (tweet,) = fakes.x.tweets.values()
    assert "…" in preview["x"].text and link in preview["x"].text
    assert tweet.text == preview["x"].text  # stored as sent (t.co only when X shows it)
    (record,) = fakes.pds.records.values()
    assert record.value["text"] == preview["bluesky"].text and preview["bluesky"].text.endswith("…")


async def test_an_album_of_three_photos_goes_to_the_telegram_channel(
    bot: Any, lead: Any, fakes: Fakes, tmp_path: Path
) -> None:
    images = []
    for n in range(3):
        path = tmp_path / f"stand-{n}.png"
        path.write_bytes(tiny_png())
        images.append({"path": str(path), "name": path.name, "mime": "image/png", "alt": f"Photo {n}"})
    post_id = await make_post(
        bot, ["telegram"], "Trois photos du stand !", images=images, confirmations=["image_rights"]
    )
    await publishing.publish_now(bot.services, post_id, now())
    album = bot.sb.messages_in(CHANNEL_ID)
    assert [m.photo is not None for m in album] == [True, True, True]
    assert len({m.media_group_id for m in album}) == 1 and album[0].media_group_id
    assert [m.caption for m in album] == ["Trois photos du stand !", None, None]
    row = (await rows_of(bot, post_id))["telegram"]
    assert row.status == PublicationStatus.PUBLISHED
    assert row.url == f"https://t.me/{CHANNEL_NAME}/{album[0].message_id}"


async def test_a_revoked_mastodon_token_or_bluesky_password_names_the_setting_to_renew(
    bot: Any, lead: Any, fakes: Fakes
) -> None:
    fakes.masto.revoke("masto-token")
    fakes.pds.revoke_app_password("abcd-efgh-ijkl-mnop")
    post_id = await make_post(bot, ["mastodon", "bluesky", "wordpress"])
    await publishing.publish_now(bot.services, post_id, now())
    await publishing.run(bot.services, now() + timedelta(hours=1))
    rows = await rows_of(bot, post_id)
    assert (rows["mastodon"].status, rows["mastodon"].error_kind) == (PublicationStatus.FAILED, "auth")
    assert (rows["bluesky"].status, rows["bluesky"].error_kind) == (PublicationStatus.FAILED, "auth")
    assert rows["wordpress"].status == PublicationStatus.PUBLISHED
    assert fakes.counts()["mastodon"] == 0 and fakes.counts()["bluesky"] == 0
    texts = [m["text"] for m in await messages_to(bot, COORDINATOR_ID)]
    masto = [t for t in texts if "MASTODON_ACCESS_TOKEN" in t]
    bsky = [t for t in texts if "BLUESKY_APP_PASSWORD" in t]
    assert len(masto) == 1 and len(bsky) == 1  # once, not at each run
    assert "Rien n'a été publié" in masto[0] and "Mastodon" in masto[0] and "Bluesky" in bsky[0]

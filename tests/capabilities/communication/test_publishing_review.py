"""Exactly-once holes found in review (capabilities/communication/publishing.py): an edit or an
unticked channel stops the send, a re-approved post is really sent, an unreadable image claims
nothing, uncertain rows stop after MAX_ATTEMPTS look-ups, "Republier" retries failed channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from capabilities.communication import channels, publishing
from domain.statuses import PostPurpose, PostStatus, PublicationStatus
from sandbox.bot_harness import COORDINATOR_ID
from storage import publications as q
from storage.models import ComPost, Publication

JOBS_OFF = ["digests", "reminders", "recruitment", "retention", "memberships", "inbox", "donations"]
JOBS_OFF += ["calendar", "com"]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    from pydantic import SecretStr

    return {
        "disabled_jobs": JOBS_OFF,
        "mastodon_base_url": "http://127.0.0.1:9",  # nothing listens: never reached in these tests
        "mastodon_access_token": SecretStr("masto-token"),
    }


@pytest.fixture
async def lead(bot: Any) -> Any:
    user = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(user)
    return user


async def make_post(bot: Any, channels_: list[str], text: str, **kw: Any) -> int:
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


async def test_a_post_blocked_at_send_time_then_fixed_and_reapproved_is_really_published(
    bot: Any, lead: Any
) -> None:
    """publishing._held_by_law writes FAILED rows and sends the post back to DRAFT ("Modifiez-le
    puis soumettez-le de nouveau"). Once fixed and approved again, _publish sees only settled rows:
    no law check, no new row, nothing sent, and _settle marks the post PUBLISHED."""
    now = datetime.now(UTC)
    post_id = await make_post(bot, ["x"], "Faites un don pour la campagne !")  # no mandataire
    await publishing.run(bot.services, now)
    assert (await rows_of(bot, post_id))["x"].status == PublicationStatus.FAILED
    # The author fixes it, an approver approves it again (what drafts.edit + drafts.publish do).
    async with bot.services.transaction() as s:
        post = await s.get(ComPost, post_id)
        assert post is not None and post.status == PostStatus.DRAFT
        post.text = "Faites un don. Mandataire financier : Jeanne Martin."
        post.version += 1
        post.status = PostStatus.APPROVED
    await publishing.publish_now(bot.services, post_id, now + timedelta(minutes=5))
    rows = await rows_of(bot, post_id)
    async with bot.services.db.session() as s:
        post = await s.get(ComPost, post_id)
    assert post is not None
    # Expected: the fixed post gets its X share link (or is at least not called PUBLISHED).
    assert rows["x"].status != PublicationStatus.FAILED or post.status != PostStatus.PUBLISHED, (
        "post marked PUBLISHED while its only channel is FAILED from the earlier law block"
    )


async def test_republish_retries_a_failed_channel(bot: Any, lead: Any) -> None:
    """The failure texts say "rouvrez le message pour le republier", but no button calls
    publishing.republish, and republish itself is a no-op: the post is PUBLISHED (not ACTIVE)."""
    now = datetime.now(UTC)
    post_id = await make_post(bot, ["mastodon"], "Réunion publique samedi", status=PostStatus.PUBLISHED)
    async with bot.services.transaction() as s:
        await q.ensure(s, post_id, "mastodon", status=PublicationStatus.FAILED, error_kind="auth")
    calls: list[str] = []

    class Fake:
        channel = "mastodon"

        def publish(self, content: Any, key: str) -> Any:
            from integrations.publishing.base import Published

            calls.append(key)
            return Published("mastodon", "1", "https://example.org/1")

        def find(self, key: str, content: Any) -> Any:
            return None

        def close(self) -> None:
            pass

    original = channels.build
    channels.build = lambda settings, channel: Fake()  # type: ignore[assignment,return-value]
    try:
        await publishing.republish(bot.services, post_id, now)
    finally:
        channels.build = original
    assert calls, "republish() never retried the FAILED channel"


async def test_an_uncertain_channel_is_not_retried_forever(bot: Any, lead: Any) -> None:
    """An unexpected exception (adapter bug, channel whose adapter cannot be built any more) makes
    the row UNCERTAIN; UNCERTAIN is retried every minute with no MAX_ATTEMPTS and nobody is told."""
    now = datetime.now(UTC)
    post_id = await make_post(bot, ["mastodon"], "Réunion publique samedi")

    def broken(settings: Any, channel: str) -> Any:
        raise RuntimeError("adapter bug")

    original = channels.build
    channels.build = broken
    try:
        for i in range(12):
            await publishing.run(bot.services, now + timedelta(minutes=2 * i))
    finally:
        channels.build = original
    row = (await rows_of(bot, post_id))["mastodon"]
    assert row.attempts <= publishing.MAX_ATTEMPTS, (row.status, row.attempts)


async def test_a_channel_unticked_on_a_paused_post_is_not_published(bot: Any, lead: Any) -> None:
    """A PAUSED post is EDITABLE; its publication rows stay. The lead unticks Mastodon (whose row
    was PENDING, waiting for a retry) and approves again: publishing._publish sends every due row,
    whatever post.channels now says, so Mastodon gets the post anyway (with the new text)."""
    from capabilities.communication import drafts
    from storage.people import person_by_telegram_id

    now = datetime.now(UTC)
    post_id = await make_post(bot, ["mastodon", "x"], "Réunion publique samedi", status=PostStatus.PAUSED)
    async with bot.services.transaction() as s:
        await q.ensure(s, post_id, "mastodon")  # PENDING: a retry was due when the law paused it
        await q.ensure(s, post_id, "x", status=PublicationStatus.SKIPPED, error_kind="share")
        me = await person_by_telegram_id(s, COORDINATOR_ID)
    assert me is not None
    await drafts.toggle_channel(bot.services, me, post_id, "mastodon", "fr", now)
    async with bot.services.transaction() as s:
        post = await s.get(ComPost, post_id)
        assert post is not None and post.channels == ["x"] and post.status == PostStatus.DRAFT
        post.status = PostStatus.APPROVED  # approved again by another member of the team
    calls: list[str] = []

    class Fake:
        channel = "mastodon"

        def publish(self, content: Any, key: str) -> Any:
            from integrations.publishing.base import Published

            calls.append(key)
            return Published("mastodon", "1", "https://example.org/1")

        def find(self, key: str, content: Any) -> Any:
            return None

        def close(self) -> None:
            pass

    original = channels.build
    channels.build = lambda settings, channel: Fake()  # type: ignore[assignment,return-value]
    try:
        await publishing.run(bot.services, now + timedelta(minutes=1))
    finally:
        channels.build = original
    assert not calls, "Mastodon was unticked but still got the post"


async def test_an_image_that_cannot_be_read_leaves_no_row_claimed(bot: Any, lead: Any) -> None:
    """publishing._publish claims the row (SENDING, committed) and only then builds the content
    (_content: Telegram get_file / a file read), outside _attempt's try: an error there escapes the
    job and leaves the row SENDING; 5 minutes later it is UNCERTAIN (Telegram: the leads are told
    it "may have been posted" although nothing left)."""
    now = datetime.now(UTC)
    images = [{"path": "/tmp/w2/does-not-exist.jpg", "name": "a.jpg", "mime": "image/jpeg", "alt": ""}]
    post_id = await make_post(
        bot, ["mastodon"], "Réunion publique samedi", images=images, confirmations=["image_rights"]
    )
    try:
        await publishing.run(bot.services, now)
    except Exception as exc:  # noqa: BLE001
        raised: Exception | None = exc
    else:
        raised = None
    row = (await rows_of(bot, post_id))["mastodon"]
    assert raised is None and row.status != PublicationStatus.SENDING, (raised, row.status)


async def test_an_edit_during_the_send_stops_the_old_text_on_the_other_channels(bot: Any, lead: Any) -> None:
    """A SCHEDULED post stays SCHEDULED (EDITABLE) while the job sends it channel by channel. The
    author edits it after the first channel (drafts._edited: approval withdrawn, back to DRAFT): the
    job goes on sending the old, withdrawn text to the next channels, and after re-approval the new
    text is never sent (every row settled) while the post is marked PUBLISHED."""
    import asyncio

    from capabilities.communication import drafts
    from storage.people import person_by_telegram_id

    now = datetime.now(UTC)
    post_id = await make_post(
        bot,
        ["facebook", "mastodon"],
        "Ancien texte",
        status=PostStatus.SCHEDULED,
        publish_at=now - timedelta(minutes=1),
    )
    async with bot.services.db.session() as s:
        me = await person_by_telegram_id(s, COORDINATOR_ID)
    assert me is not None
    author = me  # narrowed for the closure below
    loop = asyncio.get_running_loop()
    sent: list[tuple[str, str]] = []

    class Fake:
        def __init__(self, channel: str) -> None:
            self.channel = channel

        def publish(self, content: Any, key: str) -> Any:
            from integrations.publishing.base import Published

            sent.append((self.channel, content.text))
            if len(sent) == 1:  # the author edits while the first channel is being sent
                asyncio.run_coroutine_threadsafe(
                    drafts.edit(bot.services, author, post_id, "t", "Nouveau texte", "fr", now), loop
                ).result(10)
            return Published(self.channel, "1", "https://example.org/1")

        def find(self, key: str, content: Any) -> Any:
            return None

        def close(self) -> None:
            pass

    original = channels.build
    channels.build = lambda settings, channel: Fake(channel)  # type: ignore[assignment,return-value]
    original_configured = channels.configured
    channels.configured = lambda settings: ["facebook", "mastodon", "x"]
    try:
        await publishing.run(bot.services, now)
    finally:
        channels.build = original
        channels.configured = original_configured
    assert sent[1:] == [] or sent[1][1] != "Ancien texte", sent  # the withdrawn text went on


class Flaky:
    """A Mastodon adapter that refuses our token until `fixed` is set."""

    channel = "mastodon"
    fixed = False
    calls: list[str] = []

    def publish(self, content: Any, key: str) -> Any:
        from integrations.publishing.base import Published, PublishError

        Flaky.calls.append(content.text)
        if not Flaky.fixed:
            raise PublishError("mastodon", "auth", "The access token is invalid", code="401")
        return Published("mastodon", "7", "https://example.org/7")

    def find(self, key: str, content: Any) -> Any:
        return None

    def close(self) -> None:
        pass


async def test_the_republish_button_retries_a_failed_channel_for_the_team_only(
    bot: Any, lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure message says in French what happened (the platform's words only after
    "Détail :"), carries "Republier"; the lead's press publishes the failed channel; someone outside
    the team, or a forged id, is refused politely and nothing is sent."""
    from storage.people import person_by_telegram_id

    Flaky.fixed, Flaky.calls = False, []
    monkeypatch.setattr(channels, "build", lambda settings, channel: Flaky())
    now = datetime.now(UTC)
    post_id = await make_post(bot, ["mastodon"], "Réunion publique samedi")
    await publishing.run(bot.services, now)
    async with bot.services.db.session() as s:
        post = await s.get(ComPost, post_id)
    assert post is not None and post.status == PostStatus.PUBLISHED
    assert (await rows_of(bot, post_id))["mastodon"].status == PublicationStatus.FAILED
    failure = await lead.next_message()
    assert "refuse nos identifiants" in failure.text and "MASTODON_ACCESS_TOKEN" in failure.text
    french, _, detail = failure.text.partition("Détail")
    assert "The access token is invalid" not in french and "The access token is invalid" in detail
    # Someone outside the team (a volunteer) and a forged id: refused, nothing sent.
    volunteer = bot.user(4242, "Noé")
    await bot.onboard(volunteer)
    async with bot.services.db.session() as s:
        outsider = await person_by_telegram_id(s, 4242)
        me = await person_by_telegram_id(s, COORDINATOR_ID)
    Flaky.fixed = True
    refused = await publishing.republish_pressed(bot.services, outsider, post_id, "fr", now)
    assert "équipe communication" in refused and len(Flaky.calls) == 1
    unknown = await publishing.republish_pressed(bot.services, me, post_id + 999, "fr", now)
    assert "n'existe plus" in unknown and len(Flaky.calls) == 1
    # The lead presses "Republier" once the token is renewed.
    answer = await press_republish(lead, failure)
    assert "Canaux publiés\u00a0: 1" in answer.text
    row = (await rows_of(bot, post_id))["mastodon"]
    assert row.status == PublicationStatus.PUBLISHED and row.url == "https://example.org/7"
    assert len(Flaky.calls) == 2
    # A second press: nothing failed any more, nothing sent again. (The publication's own notice,
    # « Message n° 1 publié », may come before this answer: the outbox sends it on its own.)
    before = len(lead.messages)
    lead.press(failure, text="Republier")
    await bot.sb.wait_for(
        lambda: any("rien à republier" in (m.text or "") for m in lead.messages[before:]), 10
    )
    assert len(Flaky.calls) == 2


async def press_republish(user: Any, message: Any) -> Any:
    user.press(message, text="Republier")
    return await user.next_message()


async def test_an_uncertain_channel_fails_after_its_look_ups_and_the_lead_is_told_once(
    bot: Any, lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(settings: Any, channel: str) -> Any:
        raise RuntimeError("adapter bug")

    monkeypatch.setattr(channels, "build", broken)
    now = datetime.now(UTC)
    post_id = await make_post(bot, ["mastodon"], "Réunion publique samedi")
    for i in range(12):
        await publishing.run(bot.services, now + timedelta(minutes=2 * i))
    row = (await rows_of(bot, post_id))["mastodon"]
    assert row.status == PublicationStatus.FAILED and row.attempts == publishing.MAX_ATTEMPTS
    told = [m for m in await outbox_texts(bot) if "je ne sais toujours pas" in m]
    assert len(told) == 1, told


async def test_an_unreadable_image_fails_the_row_with_a_french_message(bot: Any, lead: Any) -> None:
    now = datetime.now(UTC)
    images = [{"path": "/nonexistent/a.jpg", "name": "a.jpg", "mime": "image/jpeg", "alt": ""}]
    post_id = await make_post(
        bot, ["mastodon"], "Réunion publique samedi", images=images, confirmations=["image_rights"]
    )
    await publishing.run(bot.services, now)
    row = (await rows_of(bot, post_id))["mastodon"]
    assert row.status == PublicationStatus.FAILED and row.error_kind == "image"
    message = await lead.next_message()
    assert "je n'arrive pas à lire ses images" in message.text


async def test_each_channel_gets_at_most_the_images_it_takes(bot: Any, lead: Any) -> None:
    """Six photos: Mastodon gets the first four, as the preview said."""
    from integrations.publishing.base import Image, Post

    content = Post("Merci !", images=[Image(f"{i}.jpg", b"x", "image/jpeg", "") for i in range(6)])
    assert [i.filename for i in publishing.fitted(bot.services.settings, content, "mastodon").images] == [
        "0.jpg",
        "1.jpg",
        "2.jpg",
        "3.jpg",
    ]
    assert len(publishing.fitted(bot.services.settings, content, "facebook").images) == 6


async def outbox_texts(bot: Any) -> list[str]:
    from sqlalchemy import select

    from storage.models import Outbox

    async with bot.services.db.session() as s:
        rows = await s.scalars(select(Outbox).where(Outbox.chat_id == COORDINATOR_ID).order_by(Outbox.id))
        return [str(r.payload.get("text", "")) for r in rows]

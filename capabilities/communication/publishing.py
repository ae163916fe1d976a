"""The publication ledger: each post on each channel exactly once (docs/communication-rules.md).

One ``publication`` row per post and channel, under the key ``post:<id>:<channel>``. Before any
network call the row is claimed (PENDING or UNCERTAIN -> SENDING in one UPDATE ... WHERE status)
and that claim is committed: two workers, a retry or a double tap cannot both send. The outcome
is written after the call. A row found SENDING long after its claim belongs to a process that
stopped mid-call: it becomes UNCERTAIN, and an UNCERTAIN row is looked up on the platform
(the adapter's ``find``) before any new attempt.

The Telegram channel is sent natively by the bot. Telegram has no idempotency key and a bot
cannot read a channel's history: an uncertain Telegram send is never retried automatically;
the communication leads are asked to look at the channel and republish if it is missing.

The law is checked again at send time (domain.communication.law): a "pause" or unconfirmed
"confirm" finding holds the post (PAUSED, paused_reason = the rule, the leads get a button to
open it); a "block" finding fails every channel with the rule cited and sends the post back to
DRAFT. Every failure is explained to the leads with what to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import PostOpen, PostRepublish
from bot.messages import Button, text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.communication import channels as channel_registry
from domain.people import Domain
from domain.statuses import PostStatus, PublicationStatus
from integrations.publishing.base import Image, Post, Published, Publisher, PublishError
from storage import inbox as people_q
from storage import outbox
from storage import publications as q
from storage.models import ComPost, Person, Publication

if TYPE_CHECKING:
    from domain.communication.law import Finding

log = logging.getLogger(__name__)

# A claim older than any adapter's timeout (60 s at most) belongs to a process that stopped.
STUCK_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 6
KNOWN = ("telegram", "facebook", "mastodon", "bluesky", "x", "wordpress")
SETTING_NAMES = {
    "telegram": "TELEGRAM_CHANNEL_ID",
    "facebook": "FACEBOOK_PAGE_TOKEN",
    "mastodon": "MASTODON_ACCESS_TOKEN",
    "bluesky": "BLUESKY_HANDLE, BLUESKY_APP_PASSWORD",
    "x": "X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET",
    "wordpress": "WORDPRESS_USER, WORDPRESS_APP_PASSWORD",
}
ACTIVE = (PostStatus.APPROVED, PostStatus.SCHEDULED)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600.0, 30.0 * 2 ** max(0, attempts - 1)))


# --- The jobs and the entry points -------------------------------------------------------------


async def run(services: Services, now: datetime) -> int:
    """The job: posts approved, or scheduled and due, are published; interrupted attempts are
    looked up. Returns the number of publications settled or attempted."""
    async with services.transaction() as s:
        await q.mark_interrupted(s, None, now - STUCK_AFTER)
        due = await q.due_posts(s, now)
    done = 0
    for post_id in due:
        done += await _publish(services, post_id, now)
    return done


async def publish_now(services: Services, post_id: int, now: datetime) -> list[Publication]:
    """The same path as the job for one post (the "publish now" button, the command line)."""
    async with services.transaction() as s:
        await q.mark_interrupted(s, post_id, now - STUCK_AFTER)
    await _publish(services, post_id, now)
    async with services.db.session() as s:
        return await q.of_post(s, post_id)


async def republish(services: Services, post_id: int, now: datetime) -> list[Publication]:
    """After the lead fixed what failed (a token renewed, the text edited and approved again):
    the failed channels get a new attempt; what was published stays as it is. A post already
    PUBLISHED with failed channels goes back to APPROVED for that (the law is checked again)."""
    async with services.transaction() as s:
        failed = [r for r in await q.of_post(s, post_id) if r.status == PublicationStatus.FAILED]
        if not failed:
            return await q.of_post(s, post_id)
        for row in failed:
            # An uncertain outcome is looked up first (Telegram cannot be: the lead looked).
            look = row.error_kind == "uncertain" and row.channel != "telegram"
            row.status = PublicationStatus.UNCERTAIN if look else PublicationStatus.PENDING
            row.attempts, row.next_try_at = 0, None
            row.error_kind = row.error_detail = ""
        await q.set_post_status(s, post_id, [PostStatus.PUBLISHED], status=PostStatus.APPROVED)
    return await publish_now(services, post_id, now)


async def republish_pressed(
    services: Services, person: Person | None, post_id: int, lang: str, now: datetime
) -> str:
    """The "Republier" button: only the communication team (checked again at each press), only a
    post that exists and has failed channels; the answer says what happened."""
    from storage.com_posts import is_communication_team

    settings = services.settings
    if person is None or not is_communication_team(person, settings.coordinator_ids):
        return str(t(lang, "compub.republish_not_team"))
    async with services.db.session() as s:
        post = await q.post(s, post_id)
        rows = await q.of_post(s, post_id) if post is not None else []
    if post is None:
        return str(t(lang, "compub.republish_unknown"))
    if not any(r.status == PublicationStatus.FAILED for r in rows):
        return str(t(lang, "compub.republish_nothing", post=post_id))
    if post.status not in (PostStatus.PUBLISHED, *ACTIVE):
        return str(t(lang, "compub.republish_not_approved", post=post_id))
    rows = await republish(services, post_id, now)
    sent = sum(1 for r in rows if r.status == PublicationStatus.PUBLISHED)
    failed = sum(1 for r in rows if r.status == PublicationStatus.FAILED)
    return str(t(lang, "compub.republish_done", post=post_id, published=sent, failed=failed))


# --- One post ----------------------------------------------------------------------------------


@dataclass
class _Outcome:
    published: Published | None = None
    error: PublishError | None = None


def _sendable(post: ComPost | None, now: datetime) -> bool:
    """Approved, or scheduled and due: anything else (an edit withdrew the approval, a pause) stops."""
    if post is None or post.status not in ACTIVE:
        return False
    return not (post.status == PostStatus.SCHEDULED and post.publish_at is not None and post.publish_at > now)


async def _publish(services: Services, post_id: int, now: datetime) -> int:
    settings = services.settings
    async with services.transaction() as s:
        post = await q.post(s, post_id)
        if post is None or not _sendable(post, now):
            return 0
        rows = await q.of_post(s, post_id)
        if rows and all(r.status in q.SETTLED for r in rows) and any(_reopenable(r) for r in rows):
            # Every row settled yet the post is approved again (after a law block, or failures):
            # the channels not published get a fresh start (created again below, law re-checked).
            await q.reopen(s, post_id, [r.id for r in rows if _reopenable(r)])
            rows = await q.of_post(s, post_id)
        # A channel unticked since its row was made is not sent.
        wanted = {str(c) for c in post.channels}
        for row in rows:
            if row.channel not in wanted and row.status not in q.SETTLED:
                await q.drop(s, row.id)
        rows = await q.of_post(s, post_id)
        unsent = (
            not rows
            or any(r.status in (PublicationStatus.PENDING, PublicationStatus.UNCERTAIN) for r in rows)
            or bool(wanted - {r.channel for r in rows})
        )
        if unsent and await _held_by_law(s, settings, post, now):
            return 0
        await _create_rows(s, settings, post, {r.channel for r in rows})
        rows = await q.of_post(s, post_id)
        version = post.version
    todo = [r for r in rows if _due(r, now)]
    done = 0
    adapters: dict[str, Publisher] = {}
    try:
        content: Post | None = None
        if todo:
            try:
                # Built before any claim: an unreadable image fails the rows, never leaves one SENDING.
                content = await _content(services, post)
            except Exception as exc:  # a file gone, Telegram refusing get_file...
                log.exception("reading the images of post %s", post_id)
                async with services.transaction() as s:
                    await _unreadable(s, settings, post, todo, type(exc).__name__)
                todo = []
        for row in todo:
            async with services.transaction() as s:
                # Read again before each channel: an edit, a pause or an unticked channel stops it.
                current = await q.post(s, post_id)
                if current is None or not _sendable(current, now) or current.version != version:
                    break
                if row.channel not in {str(c) for c in current.channels}:
                    await q.drop(s, row.id)
                    continue
                if not await q.claim(s, row.id, row.status):
                    continue  # another worker, or a second tap, has it
            assert content is not None
            outcome = await _attempt(services, adapters, row, post, content)
            async with services.transaction() as s:
                await _record(s, settings, post, row, outcome, now)
            done += 1
    finally:
        for adapter in adapters.values():
            try:
                await asyncio.to_thread(adapter.close)
            except Exception:  # closing must never hide the outcome
                log.exception("closing the %s adapter", adapter.channel)
    async with services.transaction() as s:
        await _settle(s, settings, post_id)
    return done


def _reopenable(row: Publication) -> bool:
    """A settled row a new approval starts again: failed ones (never an uncertain Telegram send:
    it may be there, the lead decides with "Republier") and skipped ones."""
    if row.status == PublicationStatus.FAILED:
        # An uncertain outcome may be on the platform already: only "Republier" retries it.
        return row.error_kind != "uncertain"
    return row.status == PublicationStatus.SKIPPED


async def _unreadable(
    s: AsyncSession, settings: Settings, post: ComPost, rows: list[Publication], detail: str
) -> None:
    """The images cannot be read: nothing was sent; each row fails with the reason, the leads told once."""
    for row in rows:
        if await q.claim(s, row.id, row.status):
            await q.settle(
                s, row.id, status=PublicationStatus.FAILED, error_kind="image", error_detail=detail[:1000]
            )
    await _tell(
        s,
        settings,
        f"compub:{post.id}:image:{post.version}",
        "compub.fail_image",
        {"post": post.id, "detail": detail},
        open_post=post.id,
        republish=post.id,
    )


def _due(row: Publication, now: datetime) -> bool:
    if row.status not in (PublicationStatus.PENDING, PublicationStatus.UNCERTAIN):
        return False
    return row.next_try_at is None or row.next_try_at <= now


async def _create_rows(s: AsyncSession, settings: Settings, post: ComPost, existing: set[str]) -> None:
    ready = channel_registry.configured(settings)
    for channel in [str(c) for c in post.channels]:
        if channel in existing:
            continue
        if channel not in ready or channel not in KNOWN:
            await q.ensure(s, post.id, channel, status=PublicationStatus.SKIPPED, error_kind="not_configured")
        elif channel == "x" and not channel_registry.x_has_credentials(settings):
            link = channel_registry.share_link_x(post.text, post.link or None)
            await q.ensure(
                s, post.id, channel, status=PublicationStatus.SKIPPED, error_kind="share", url=link
            )
            await _tell(
                s,
                settings,
                f"compub:{post.id}:x_share:{post.version}",
                "compub.x_share",
                {"post": post.id},
                url_button=("btn.compub_x_share", link),
            )
        else:
            await q.ensure(s, post.id, channel)


# --- The law at send time ----------------------------------------------------------------------


async def _held_by_law(s: AsyncSession, settings: Settings, post: ComPost, now: datetime) -> bool:
    """True when the law stops the post now (paused, or blocked: nothing is sent)."""
    findings = await law_findings(s, settings, post, now)
    blocks = [f for f in findings if f.action == "block"]
    holds = [f for f in findings if f.action in ("pause", "confirm")]
    if blocks:
        finding = blocks[0]
        detail = f"{finding.rule}: {finding.article}"
        for channel in [str(c) for c in post.channels]:
            await q.ensure(
                s, post.id, channel, status=PublicationStatus.FAILED, error_kind="law", error_detail=detail
            )
        for row in await q.of_post(s, post.id):
            if row.status in (PublicationStatus.PENDING, PublicationStatus.UNCERTAIN):
                row.status, row.error_kind, row.error_detail = PublicationStatus.FAILED, "law", detail
        post.status, post.paused_reason = PostStatus.DRAFT, finding.rule
        await _tell(
            s,
            settings,
            f"compub:{post.id}:block:{post.version}:{finding.rule}",
            "compub.law_block",
            {"post": post.id, "article": finding.article},
            open_post=post.id,
        )
        return True
    if holds:
        finding = holds[0]
        post.status, post.paused_reason = PostStatus.PAUSED, finding.rule
        await _tell(
            s,
            settings,
            f"compub:{post.id}:pause:{post.version}:{finding.rule}",
            "compub.law_pause",
            {"post": post.id, "article": finding.article},
            open_post=post.id,
        )
        return True
    return False


async def law_findings(s: AsyncSession, settings: Settings, post: ComPost, when: datetime) -> list[Finding]:
    """The law's findings for `post` published at `when` (confirmed rules left out): the same check,
    on the same text (captions included), as the draft's card showed."""
    from capabilities.communication.drafts import findings_of

    return await findings_of(s, settings, post, when)


# --- One attempt -------------------------------------------------------------------------------


def telegram_bot(services: Services) -> Any:
    """The bot that posts to the channel: the command line's own, else the running application's."""
    bot = services.extras.get("telegram_bot")
    if bot is None and services.sender is not None:
        bot = services.sender.bot
    return bot


async def _content(services: Services, post: ComPost) -> Post:
    images: list[Image] = []
    for index, item in enumerate(post.images or []):
        name = str(item.get("name") or f"image-{index + 1}.jpg")
        mime = str(item.get("mime") or "image/jpeg")
        alt = str(item.get("alt") or "")
        if item.get("path"):
            data = await asyncio.to_thread(Path(str(item["path"])).read_bytes)
        else:
            bot = telegram_bot(services)
            file = await bot.get_file(str(item["file_id"]))
            data = bytes(await file.download_as_bytearray())
        images.append(Image(name, data, mime, alt))
    return Post(post.text, title=post.title, link=post.link or None, images=images)


async def _attempt(
    services: Services, adapters: dict[str, Publisher], row: Publication, post: ComPost, content: Post
) -> _Outcome:
    was_uncertain = row.status == PublicationStatus.UNCERTAIN
    try:
        if row.channel == "telegram":
            if was_uncertain:
                # No idempotency on Telegram and no reading the channel back: a person looks.
                return _Outcome(error=PublishError("telegram", "uncertain", "interrupted", code="ask"))
            return _Outcome(published=await _send_telegram(services, post, content))
        content = fitted(services.settings, content, row.channel)
        adapter = adapters.get(row.channel)
        if adapter is None:
            adapter = adapters[row.channel] = channel_registry.build(services.settings, row.channel)
        if was_uncertain:
            found = await asyncio.to_thread(adapter.find, row.key, content)
            if found is not None:
                return _Outcome(published=found)
        return _Outcome(published=await asyncio.to_thread(adapter.publish, content, row.key))
    except PublishError as exc:
        if was_uncertain and exc.kind in ("unavailable", "rate_limited"):
            # Still unknown whether the first attempt landed: stay uncertain, look again later.
            exc = PublishError(
                exc.channel, "uncertain", exc.detail, retry_after=exc.retry_after, code=exc.code
            )
        return _Outcome(error=exc)
    except Exception as exc:  # a bug or an unexpected library error: we cannot know what left
        log.exception("publishing post %s on %s", post.id, row.channel)
        return _Outcome(error=PublishError(row.channel, "uncertain", type(exc).__name__))


def fitted(settings: Settings, content: Post, channel: str) -> Post:
    """The version of `content` the preview showed for `channel` (domain.communication.preview):
    the link where that channel's adapter puts it, the text cut with "…" when over the limit."""
    from domain.communication.preview import CARD_CHANNELS, channel_versions

    (version,) = channel_versions(
        content.text,
        content.link or "",
        [channel],
        images=len(content.images),
        mastodon_max=settings.mastodon_max_characters,
    )
    # The version already holds the link when the channel puts it in the text: the adapter's
    # text_with_link then leaves it as it is; card channels still get the link for their card.
    # A link the cut dropped (no room for it) must not be appended again by the adapter.
    link = content.link
    card = channel in CARD_CHANNELS and not content.images
    if link and not card and link not in version.text:
        link = None
    # At most the images the channel takes (the preview said which are left out).
    return Post(version.text, title=content.title, link=link, images=content.images[: version.images])


async def _send_telegram(services: Services, post: ComPost, content: Post) -> Published:
    from telegram import InputMediaPhoto
    from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

    chat = services.settings.telegram_channel_id
    bot = telegram_bot(services)
    if bot is None:
        raise PublishError("telegram", "unavailable", "no bot to send with")
    text = fitted(services.settings, content, "telegram").text
    sources: list[Any] = [
        str(item["file_id"]) if item.get("file_id") else image.data
        for item, image in zip(post.images or [], content.images, strict=True)
    ]
    try:
        # The text is already fitted: 4 096 characters alone, 1 024 as a photo's caption.
        if not sources:
            message = await bot.send_message(chat, text)
        elif len(sources) == 1:
            message = await bot.send_photo(chat, sources[0], caption=text or None)
        else:
            # An album (2 to 10 photos): the caption on the first item is the album's.
            media = [
                InputMediaPhoto(source, caption=(text or None) if i == 0 else None)
                for i, source in enumerate(sources[:10])
            ]
            message = (await bot.send_media_group(chat, media))[0]
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        raise PublishError("telegram", "rate_limited", "429", retry_after=seconds) from exc
    except Forbidden as exc:
        raise PublishError("telegram", "auth", str(exc), code="403") from exc
    except BadRequest as exc:
        raise PublishError("telegram", "rejected", str(exc), code="400") from exc
    except (TimedOut, NetworkError) as exc:
        raise PublishError("telegram", "uncertain", type(exc).__name__) from exc
    return Published("telegram", str(message.message_id), telegram_url(chat, message.message_id))


def telegram_url(chat: str, message_id: int) -> str:
    """The public link of a channel message ("@name" or "-100…" ids)."""
    if chat.startswith("@"):
        return f"https://t.me/{chat[1:]}/{message_id}"
    if chat.startswith("-100"):
        return f"https://t.me/c/{chat[4:]}/{message_id}"
    return ""


# --- Outcomes ----------------------------------------------------------------------------------


async def _record(
    s: AsyncSession, settings: Settings, post: ComPost, row: Publication, outcome: _Outcome, now: datetime
) -> None:
    attempts = row.attempts + 1
    if outcome.published is not None:
        found = outcome.published
        await q.settle(
            s,
            row.id,
            status=PublicationStatus.PUBLISHED,
            remote_id=found.remote_id,
            url=found.url,
            published_at=now,
            error_kind="",
            error_detail="",
            next_try_at=None,
        )
        return
    error = outcome.error
    assert error is not None
    detail = error.detail[:1000]
    values: dict[str, Any] = {"error_kind": error.kind, "error_detail": detail}
    channel = row.channel
    key = f"compub:{post.id}:{channel}:fail:{attempts}"
    if error.kind == "uncertain":
        if channel == "telegram":
            await q.settle(s, row.id, status=PublicationStatus.FAILED, **values)
            await _tell(
                s,
                settings,
                key,
                "compub.uncertain_telegram",
                {"post": post.id},
                open_post=post.id,
                republish=post.id,
            )
        elif attempts >= MAX_ATTEMPTS:
            # Looked up MAX_ATTEMPTS times, still unknown: a person looks, once told.
            await q.settle(s, row.id, status=PublicationStatus.FAILED, **values)
            await _tell(
                s,
                settings,
                key,
                "compub.fail_uncertain",
                {"post": post.id, "channel": channel, "attempts": attempts, "detail": detail},
                open_post=post.id,
                republish=post.id,
            )
        else:
            wait = timedelta(seconds=error.retry_after) if error.retry_after else timedelta(minutes=1)
            await q.settle(s, row.id, status=PublicationStatus.UNCERTAIN, next_try_at=now + wait, **values)
        return
    if error.kind in ("unavailable", "rate_limited") and attempts < MAX_ATTEMPTS:
        wait = timedelta(seconds=error.retry_after) if error.retry_after else backoff(attempts)
        await q.settle(s, row.id, status=PublicationStatus.PENDING, next_try_at=now + wait, **values)
        return
    await q.settle(s, row.id, status=PublicationStatus.FAILED, **values)
    text_values: dict[str, Any] = {"post": post.id, "channel": channel, "detail": detail}
    if channel == "facebook" and error.code == "190":
        text_values = {"post": post.id, "detail": detail}
        text_key = "compub.fail_token_facebook"
    elif error.kind == "auth":
        text_values["settings"] = SETTING_NAMES.get(channel, "")
        text_key = "compub.fail_auth"
    elif error.kind == "rejected":
        text_key = "compub.fail_rejected"
    else:
        text_values["attempts"] = attempts
        text_key = "compub.fail_unavailable"
    await _tell(s, settings, key, text_key, text_values, open_post=post.id, republish=post.id)


async def _settle(s: AsyncSession, settings: Settings, post_id: int) -> None:
    """Every channel settled: the post is PUBLISHED and the leads get the links."""
    rows = await q.of_post(s, post_id)
    if not rows or any(r.status not in q.SETTLED for r in rows):
        return
    if not await q.set_post_status(s, post_id, list(ACTIVE), status=PostStatus.PUBLISHED, paused_reason=""):
        return
    if not any(r.status == PublicationStatus.PUBLISHED for r in rows):
        return
    for person in await recipients(s, settings):
        lang = person.language
        lines = []
        for row in rows:
            name = t(lang, f"compub.channel.{row.channel}") if row.channel in KNOWN else row.channel
            if row.status == PublicationStatus.PUBLISHED:
                lines.append(t(lang, "compub.done_line", channel=name, url=row.url or "—"))
            elif row.status == PublicationStatus.FAILED:
                lines.append(t(lang, "compub.done_line_failed", channel=name))
            else:
                lines.append(t(lang, "compub.done_line_skipped", channel=name))
        text = t(lang, "compub.done", post=post_id, lines="\n".join(str(line) for line in lines))
        await outbox.enqueue(
            s,
            person.telegram_id,
            text_message(text),
            dedupe_key=f"compub:{post_id}:done:{person.id}",
            person_id=person.id,
        )


async def recipients(s: AsyncSession, settings: Settings) -> Sequence[Person]:
    """The communication leads, else the coordinators."""
    leads = await people_q.leads_of(s, Domain.COMMUNICATION)
    return leads or await people_q.coordinators(s, settings.coordinator_ids)


async def _tell(
    s: AsyncSession,
    settings: Settings,
    key: str,
    text_key: str,
    values: dict[str, Any],
    *,
    open_post: int | None = None,
    url_button: tuple[str, str] | None = None,
    republish: int | None = None,
) -> None:
    """Queue one message to each lead; the dedupe key makes a retry tell nobody twice. The
    platform's own (English) words, when given as "detail", follow the French explanation."""
    for person in await recipients(s, settings):
        lang = person.language
        if "channel" in values and values["channel"] in KNOWN:
            values = {**values, "channel": t(lang, f"compub.channel.{values['channel']}")}
        if "detail" in values:
            raw = str(values["detail"]).strip()
            values = {**values, "detail": t(lang, "compub.detail", detail=raw[:200]) if raw else ""}
        rows: list[list[Button]] = []
        if open_post is not None:
            rows.append([(t(lang, "btn.compub_open"), PostOpen(open_post).pack())])
        if republish is not None:
            rows.append([(t(lang, "btn.compub_republish"), PostRepublish(republish).pack())])
        payload = text_message(t(lang, text_key, **values), rows or None)
        if url_button is not None:
            label, url = url_button
            payload["reply_markup"] = {"inline_keyboard": [[{"text": t(lang, label), "url": url}]]}
        await outbox.enqueue(
            s, person.telegram_id, payload, dedupe_key=f"{key}:{person.id}", person_id=person.id
        )

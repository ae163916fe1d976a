"""What each channel will receive for one post, counted its own way (spec: docs/communication-rules.md,
"Platforms (limits the preview must show)").

The link goes where the adapter (integrations/publishing/*) puts it, so that the preview counts what
is sent: X, Mastodon, Telegram and WordPress append it to the text (``Post.text_with_link``, after a
blank line, unless the text already contains it); Facebook and Bluesky show it as a preview card,
outside the text, unless the post has images (then there is no card and the link goes into the text).
A text over the limit is cut at a word boundary with "…" (limits.fit); the link is never cut: the text
before it is shortened instead. A channel that takes fewer images than attached (limits.max_images)
gets the first ones only, and the version says how many it leaves out. Pure logic, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from domain.communication import limits

SEPARATOR = "\n\n"  # Post.text_with_link's default
# Channels where, without images, the link rides in a card outside the text.
CARD_CHANNELS = frozenset({"facebook", "bluesky"})


@dataclass(frozen=True)
class ChannelVersion:
    channel: str
    text: str  # what will be sent (link included where the adapter includes it; cut with "…" if over)
    length: int  # the full (uncut) text's length as the channel counts it
    limit: int | None  # None: no limit (WordPress)
    cut: str  # the dropped part ("" when it fits)
    fits: bool  # the full text fits as it is, and every image is sent
    images: int = 0  # how many images this channel gets (at most what it takes)
    images_left: int = 0  # attached images this channel does not take (never sent there)
    text_fits: bool = True  # the text alone fits (``fits`` also counts the images)


def _with_link(text: str, link: str) -> str:
    """Post.text_with_link: the link after a blank line, unless the text already holds it."""
    if not link or link in text:
        return text
    return f"{text.rstrip()}{SEPARATOR}{link}" if text.strip() else link


def _limit(channel: str, images: int, mastodon_max: int) -> int | None:
    if channel == "mastodon":
        return mastodon_max
    return limits.limit(channel, has_media=images > 0)


def _dropped(body: str, kept: str) -> str:
    """The part of ``body`` a cut left out (``kept`` ends with the ellipsis)."""
    prefix = kept.removesuffix(limits.ELLIPSIS)
    return body[len(prefix) :].strip() if body.startswith(prefix) else body


def _version(channel: str, text: str, link: str, images: int, mastodon_max: int) -> ChannelVersion:
    appended = bool(link) and link not in text and not (channel in CARD_CHANNELS and images == 0)
    full = _with_link(text, link) if appended else text
    maximum = _limit(channel, images, mastodon_max)
    length = limits.length(channel, full)
    if limits.fits(channel, full, images > 0, max_length=maximum):
        return ChannelVersion(channel, full, length, maximum, "", True)
    assert maximum is not None  # only a limited channel can overflow
    if appended and text.strip():
        body = text.rstrip()
        # What the link costs on this channel (X: 2 + 23), then shorten the body until both fit.
        budget = maximum - (length - limits.length(channel, body))
        while budget > 0:
            kept, _ = limits.fit(channel, body, images > 0, max_length=budget)
            candidate = f"{kept}{SEPARATOR}{link}"
            if limits.fits(channel, candidate, images > 0, max_length=maximum):
                return ChannelVersion(channel, candidate, length, maximum, _dropped(body, kept), False)
            # Only Bluesky's byte limit gets here: shorten below what was just kept.
            budget = min(budget, limits.length(channel, kept)) - 1
    # No room for the link (or no text besides it): cut the whole, the link with it.
    kept, _ = limits.fit(channel, full, images > 0, max_length=maximum)
    return ChannelVersion(channel, kept, length, maximum, _dropped(full, kept), False)


def _with_images(version: ChannelVersion, images: int) -> ChannelVersion:
    """The images part: a channel that takes fewer images than attached gets the first ones only."""
    most = limits.max_images(version.channel)
    sent = images if most is None else min(images, most)
    left = images - sent
    return replace(
        version, images=sent, images_left=left, text_fits=version.fits, fits=version.fits and not left
    )


def channel_versions(
    text: str, link: str, channels: Sequence[str], *, images: int = 0, mastodon_max: int = 500
) -> list[ChannelVersion]:
    """One version per channel, in the order given; ValueError on an unknown channel."""
    return [_with_images(_version(channel, text, link, images, mastodon_max), images) for channel in channels]

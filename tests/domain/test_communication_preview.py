"""Per-channel preview (docs/communication-rules.md, platforms table): what is sent, counted the channel's way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.communication import limits
from domain.communication.preview import ChannelVersion, channel_versions

LINK = "https://montreuil-en-commun.fr/evenements/2026/03/reunion-publique-quartier-bel-air?source=bot"
THUMB = "👍🏽"  # two code points, one grapheme, 8 UTF-8 bytes, 4 UTF-16 units
ALL = list(limits.CHANNELS)


def one(channel: str, text: str, link: str = "", **kwargs: int) -> ChannelVersion:
    [version] = channel_versions(text, link, [channel], **kwargs)
    return version


def words(n: int) -> str:
    return " ".join(f"mot{i % 10}" for i in range(n))  # 4 characters each, 1 space between


# Where the link goes: (channel, images, link in the sent text)
LINK_CASES = [
    ("x", 0, True),
    ("mastodon", 0, True),
    ("telegram", 0, True),
    ("wordpress", 0, True),
    ("facebook", 0, False),  # a preview card, outside the message
    ("bluesky", 0, False),  # a link-card embed
    ("facebook", 2, True),  # with photos there is no card: the link goes into the text
    ("bluesky", 1, True),
]


@pytest.mark.parametrize(("channel", "images", "in_text"), LINK_CASES)
def test_link_goes_where_the_adapter_puts_it(channel: str, images: int, in_text: bool) -> None:
    version = one(channel, "Réunion publique jeudi.", LINK, images=images)
    assert version.text == ("Réunion publique jeudi.\n\n" + LINK if in_text else "Réunion publique jeudi.")
    assert version.fits and version.cut == ""


def test_link_already_in_text_is_not_repeated() -> None:
    text = f"Tout est ici : {LINK}"
    assert all(v.text == text for v in channel_versions(text, LINK, ALL))


LIMIT_CASES = [
    ("x", 0, 500, 280),
    ("bluesky", 0, 500, 300),
    ("mastodon", 0, 500, 500),
    ("mastodon", 0, 11000, 11000),  # the instance's setting
    ("telegram", 0, 500, 4096),
    ("telegram", 1, 500, 1024),  # a media caption
    ("facebook", 0, 500, 63206),
    ("wordpress", 0, 500, None),
]


@pytest.mark.parametrize(("channel", "images", "mastodon_max", "expected"), LIMIT_CASES)
def test_limits(channel: str, images: int, mastodon_max: int, expected: int | None) -> None:
    assert one(channel, "Bonjour", images=images, mastodon_max=mastodon_max).limit == expected


def test_x_counts_a_url_as_23_and_keeps_the_link_whole() -> None:
    # 255 characters + "\n\n" + a 90-character URL counted 23 = 280: fits exactly.
    text = "a" * 255
    version = one("x", text, LINK)
    assert (version.length, version.fits, version.text) == (280, True, text + "\n\n" + LINK)
    longer = words(60)  # 299 characters: over
    version = one("x", longer, LINK)
    assert not version.fits and version.length == 299 + 2 + 23
    assert version.text.endswith("…\n\n" + LINK)
    assert limits.x_length(version.text) <= 280
    kept = version.text.removesuffix("…\n\n" + LINK)
    assert f"{kept} {version.cut}" == longer  # nothing lost but the cut part


def test_x_weighs_emoji_two() -> None:
    version = one("x", THUMB * 140)
    assert (version.length, version.fits) == (280, True)
    version = one("x", THUMB * 141)
    assert not version.fits and limits.x_length(version.text) <= 280
    assert version.text == THUMB * 139 + "…"  # cut between graphemes: no broken emoji


def test_bluesky_counts_graphemes_with_emoji() -> None:
    version = one("bluesky", THUMB * 300)
    assert (version.length, version.fits, version.cut) == (300, True, "")
    version = one("bluesky", THUMB * 301)
    assert not version.fits and version.length == 301
    assert version.text == THUMB * 299 + "…" and limits.grapheme_count(version.text) == 300


def test_bluesky_link_in_text_with_images_is_counted_in_full() -> None:
    text = words(50)  # 249 graphemes
    assert one("bluesky", text, LINK).fits  # the link is a card: not counted
    version = one("bluesky", text, LINK, images=1)
    assert not version.fits and version.length == 249 + 2 + len(LINK)
    assert version.text.endswith("…\n\n" + LINK) and limits.bluesky_length(version.text) <= 300


def test_bluesky_3000_bytes_with_the_link() -> None:
    family = "👩\u200d👩\u200d👧"  # one grapheme, 18 bytes
    version = one("bluesky", family * 170, LINK, images=1)  # 267 graphemes but 3 077 bytes
    assert not version.fits and version.text.endswith("…\n\n" + LINK)
    assert len(version.text.encode()) <= 3000 and version.cut == family * (170 - version.text.count(family))


def test_telegram_caption_is_1024_utf16_units() -> None:
    text = "é" * 1000
    assert one("telegram", text, LINK).fits  # a message: 4 096
    version = one("telegram", text, LINK, images=1)
    assert not version.fits and version.limit == 1024
    assert limits.utf16_len(version.text) <= 1024 and version.text.endswith(LINK)
    caption = one("telegram", THUMB * 256, images=1)  # 4 UTF-16 units each
    assert (caption.length, caption.fits) == (1024, True)
    assert not one("telegram", THUMB * 257, images=1).fits


def test_mastodon_counts_urls_23() -> None:
    text = "b" * 475
    assert one("mastodon", text, LINK).length == 475 + 2 + 23
    assert one("mastodon", text, LINK).fits
    assert not one("mastodon", text + "b", LINK).fits
    assert one("mastodon", text + "b", LINK, mastodon_max=501).fits


def test_facebook_and_wordpress_take_long_texts() -> None:
    long = words(12000)  # 59 999 characters
    assert one("facebook", long, LINK).fits
    version = one("wordpress", long * 3, LINK)
    assert version.fits and version.limit is None and version.text.endswith(LINK)
    assert not one("facebook", long + " " + long, LINK).fits


def test_link_longer_than_the_limit_is_cut_with_the_text() -> None:
    link = "https://example.org/" + "x" * 400
    version = one("bluesky", "Voir :", link, images=1)
    assert not version.fits and limits.bluesky_length(version.text) <= 300


def test_order_and_unknown_channel() -> None:
    assert [v.channel for v in channel_versions("Salut", "", ["wordpress", "x", "telegram"])] == [
        "wordpress",
        "x",
        "telegram",
    ]
    with pytest.raises(ValueError):
        channel_versions("Salut", "", ["myspace"])


pieces = st.sampled_from(
    ["mot", "Réunion", "é", THUMB, "🇫🇷", "👩\u200d👩\u200d👧", "漢字", "https://a.fr/x", ",", "!"]
)
texts = st.lists(pieces, max_size=400).map(" ".join)


@given(
    texts, st.sampled_from(["", LINK, "https://x.org/" + "y" * 350]), st.sampled_from(ALL), st.integers(0, 4)
)
def test_every_version_fits_its_channel(text: str, link: str, channel: str, images: int) -> None:
    version = one(channel, text, link, images=images, mastodon_max=500)
    assert limits.fits(channel, version.text, images > 0, max_length=version.limit)
    if version.text_fits:
        assert version.cut == "" and version.length <= (version.limit or version.length)
        assert text in version.text or not text.strip()
    else:
        assert version.limit is not None and "…" in version.text
        assert version.length > version.limit or channel == "bluesky"  # Bluesky: 3 000 bytes too


def test_the_preview_says_when_a_channel_takes_fewer_images() -> None:
    """A recap takes up to 20 photos; X, Bluesky and Mastodon take 4, a Telegram album 10: the
    version says how many each gets and how many it leaves out, and then it does not "fit"."""
    versions = {v.channel: v for v in channel_versions("Merci !", "", list(ALL), images=12)}
    taken = {c: (v.images, v.images_left, v.fits, v.text_fits) for c, v in versions.items()}
    assert taken == {
        "x": (4, 8, False, True),
        "bluesky": (4, 8, False, True),
        "mastodon": (4, 8, False, True),
        "telegram": (10, 2, False, True),
        "facebook": (12, 0, True, True),
        "wordpress": (12, 0, True, True),
    }
    five = {v.channel: v for v in channel_versions("Merci !", "", ["x", "bluesky", "mastodon"], images=5)}
    assert not any(v.fits for v in five.values())
    assert all(
        v.fits for v in channel_versions("Merci !", "", list(ALL), images=4) if v.channel != "wordpress"
    )

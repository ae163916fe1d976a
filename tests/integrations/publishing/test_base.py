"""The shared pieces: Post, PublishError, text comparison, Retry-After, network error kinds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import requests

from integrations.publishing._net import httpx_kind, requests_kind
from integrations.publishing.base import (
    Image,
    Post,
    Publisher,
    PublishError,
    comparable_text,
    key_digest,
    parse_retry_after,
)
from integrations.publishing.bluesky import BlueskyPublisher
from integrations.publishing.facebook import FacebookPublisher
from integrations.publishing.mastodon import MastodonPublisher
from integrations.publishing.wordpress import WordPressPublisher
from integrations.publishing.x import XPublisher
from sandbox.platforms.bluesky import FakeBlueskyPDS


def test_post_takes_plain_tuples_and_stays_immutable() -> None:
    post = Post("Bonjour", images=[("a.jpg", b"\xff\xd8", "image/jpeg", "Une affiche")])  # type: ignore[list-item]
    assert post.images == (Image("a.jpg", b"\xff\xd8", "image/jpeg", "Une affiche"),)
    assert isinstance(post.images, tuple)
    with pytest.raises(AttributeError):
        post.text = "autre"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Post("x", publish_at=datetime(2026, 3, 14, 9, 0))


def test_text_with_link() -> None:
    assert Post("Venez !", link="https://anld.fr").text_with_link() == "Venez !\n\nhttps://anld.fr"
    assert Post("Voir https://anld.fr", link="https://anld.fr").text_with_link() == "Voir https://anld.fr"
    assert Post("", link="https://anld.fr").text_with_link() == "https://anld.fr"
    assert Post("Sans lien").text_with_link() == "Sans lien"


def test_publish_error_kinds() -> None:
    err = PublishError("facebook", "rate_limited", "trop vite", retry_after=60, code="32")
    assert (err.channel, err.kind, err.retry_after, err.code) == ("facebook", "rate_limited", 60, "32")
    assert str(err) == "facebook: rate_limited: trop vite"
    with pytest.raises(ValueError):
        PublishError("x", "oops", "?")  # type: ignore[arg-type]


def test_comparable_text_sees_through_markup_and_entities() -> None:
    sent = "Réunion &  débat\n\nhttps://anld.fr/a"
    mastodon_html = (
        '<p>Réunion &amp;  débat</p><p><a href="https://anld.fr/a"><span class="invisible">https://</span>'
        '<span>anld.fr/a</span><span class="invisible"></span></a></p>'
    )
    assert comparable_text(mastodon_html, markup=True) == comparable_text(sent)
    assert comparable_text("Re\u0301union") == comparable_text("Réunion")  # NFC


def test_key_digest_is_stable_and_slug_safe() -> None:
    assert key_digest("post-42:wordpress") == key_digest("post-42:wordpress")
    assert key_digest("a") != key_digest("b")
    assert key_digest("clé 🙂", 8).isalnum() and len(key_digest("x", 8)) == 8


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") == 0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 85 <= (parse_retry_after(later) or 0) <= 90


def test_network_error_kinds() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:1/x")
    assert httpx_kind(httpx.ConnectError("refused", request=request), write=True) == "unavailable"
    assert httpx_kind(httpx.ReadTimeout("slow", request=request), write=True) == "uncertain"
    assert httpx_kind(httpx.ReadTimeout("slow", request=request), write=False) == "unavailable"
    assert httpx_kind(httpx.RemoteProtocolError("dropped", request=request), write=True) == "uncertain"
    assert requests_kind(requests.exceptions.ConnectTimeout(), write=True) == "unavailable"
    assert requests_kind(requests.exceptions.ReadTimeout(), write=True) == "uncertain"
    assert (
        requests_kind(requests.exceptions.ConnectionError("Connection aborted."), write=True) == "uncertain"
    )


async def test_adapters_run_in_a_worker_thread(pds: FakeBlueskyPDS, bluesky: BlueskyPublisher) -> None:
    """The bot's way: blocking adapters under asyncio.to_thread, the loop stays free."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    published = await asyncio.to_thread(bluesky.publish, Post("Depuis un thread"), "thread-1")
    task.cancel()
    assert published.remote_id.endswith(published.url.rsplit("/", 1)[-1])
    assert ticks > 0


def test_every_adapter_is_a_publisher(
    facebook: FacebookPublisher,
    mastodon: MastodonPublisher,
    bluesky: BlueskyPublisher,
    x: XPublisher,
    wordpress: WordPressPublisher,
) -> None:
    adapters: list[Publisher] = [facebook, mastodon, bluesky, x, wordpress]  # checked by mypy
    assert [a.channel for a in adapters] == ["facebook", "mastodon", "bluesky", "x", "wordpress"]
    assert [a.retry_safe for a in adapters] == [False, True, True, False, True]

"""Mastodon publishing through Mastodon.py against the fake instance."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from integrations.publishing.base import Image, Post, PublishError
from integrations.publishing.mastodon import MastodonPublisher, idempotency_key
from sandbox.platforms.mastodon import FakeMastodon

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_text_with_link(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    post = Post("Réunion samedi à Montreuil ✊", link="https://anld.fr/reunion")
    published = mastodon.publish(post, "post-1:mastodon")
    status = masto.statuses[published.remote_id]
    assert status.text == "Réunion samedi à Montreuil ✊\n\nhttps://anld.fr/reunion"
    assert (status.visibility, status.language) == ("public", "fr")
    assert published.url == f"{masto.url}/@anld/{published.remote_id}"
    (call,) = masto.calls("/api/v1/statuses$", "POST")
    assert call.headers["idempotency-key"] == idempotency_key("post-1:mastodon")
    assert call.headers["authorization"] == "Bearer masto-token"


def test_images_wait_for_processing(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    images = [Image("a.png", PNG, "image/png", "Le stand"), Image("b.png", PNG, "image/png", "")]
    published = mastodon.publish(Post("Photos du stand", images=images), "post-2:mastodon")
    status = masto.statuses[published.remote_id]
    assert [masto.media[m].description for m in status.media_ids] == ["Le stand", None]
    assert all(masto.media[m].processed for m in status.media_ids)
    assert masto.count("/api/v2/media$", "POST") == 2
    assert masto.count("/api/v1/media/", "GET") == 6  # each: two 206 "still processing", then 200


def test_same_key_twice_makes_one_status(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    post = Post("Une seule fois")
    first = mastodon.publish(post, "post-3:mastodon")
    assert mastodon.publish(post, "post-3:mastodon") == first
    assert len(masto.statuses) == 1


def test_uncertain_then_plain_retry_is_safe(
    make_mastodon: Callable[..., MastodonPublisher], masto: FakeMastodon
) -> None:
    post = Post("Réponse perdue")
    masto.stall_after_handling("/api/v1/statuses$")
    with pytest.raises(PublishError) as caught:
        make_mastodon().publish(post, "post-4:mastodon")
    assert caught.value.kind == "uncertain"
    assert len(masto.statuses) == 1
    # A restarted bot retries blindly: the Idempotency-Key gets the same status back.
    again = make_mastodon().publish(post, "post-4:mastodon")
    assert len(masto.statuses) == 1 and again.remote_id in masto.statuses
    assert masto.count("/api/v1/statuses$", "POST") == 2


def test_uncertain_then_find(make_mastodon: Callable[..., MastodonPublisher], masto: FakeMastodon) -> None:
    post = Post(
        "Trouvé après coup\n\nsur deux paragraphes https://anld.fr/un/lien/tres/long/qui/depasse/trente"
    )
    masto.stall_after_handling("/api/v1/statuses$")
    with pytest.raises(PublishError):
        make_mastodon().publish(post, "post-5:mastodon")
    found = make_mastodon().find("post-5:mastodon", post)  # matches the rendered HTML
    assert found is not None and found.remote_id in masto.statuses
    assert make_mastodon().find("post-6:mastodon", Post("Jamais publié")) is None


def test_idempotency_window_past_then_find_prevents_a_duplicate(
    make_mastodon: Callable[..., MastodonPublisher], masto: FakeMastodon
) -> None:
    masto.idempotency_ttl = 0  # the hour Mastodon keeps keys has passed
    post = Post("Plus d'une heure après")
    publisher = make_mastodon()
    first = publisher.publish(post, "post-7:mastodon")
    assert publisher.publish(post, "post-7:mastodon") == first  # this process looks before retrying
    assert len(masto.statuses) == 1


def test_revoked_token_is_auth_401(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    masto.revoke("masto-token")
    with pytest.raises(PublishError) as caught:
        mastodon.publish(Post("Bonjour"), "post-8:mastodon")
    assert (caught.value.kind, caught.value.code) == ("auth", "401")
    assert "revoked" in caught.value.detail and "masto-token" not in str(caught.value)


def test_rate_limited_with_retry_after(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    masto.rate_limit(seconds=120)
    with pytest.raises(PublishError) as caught:
        mastodon.publish(Post("Bonjour"), "post-9:mastodon")
    assert caught.value.kind == "rate_limited"
    assert caught.value.retry_after is not None and 110 <= caught.value.retry_after <= 122
    assert not masto.statuses


def test_too_long_is_rejected(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    with pytest.raises(PublishError) as caught:
        mastodon.publish(Post("mot " * 130), "post-10:mastodon")
    assert (caught.value.kind, caught.value.code) == ("rejected", "422")
    assert "500" in caught.value.detail
    assert mastodon.max_characters() == 500


def test_server_error_once(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    masto.inject(503, path="/api/v1/statuses$")
    with pytest.raises(PublishError) as caught:
        mastodon.publish(Post("Bonjour"), "post-11:mastodon")
    assert caught.value.kind == "unavailable"
    mastodon.publish(Post("Bonjour"), "post-11:mastodon")
    assert len(masto.statuses) == 1


def test_network_down_is_unavailable(
    make_mastodon: Callable[..., MastodonPublisher], closed_url: str
) -> None:
    with pytest.raises(PublishError) as caught:
        make_mastodon(base_url=closed_url).publish(Post("Bonjour"), "post-12:mastodon")
    assert caught.value.kind == "unavailable"


def test_metrics(mastodon: MastodonPublisher, masto: FakeMastodon) -> None:
    published = mastodon.publish(Post("À partager"), "post-13:mastodon")
    masto.interact(published.remote_id, favourites=7, reblogs=4, replies=2)
    assert mastodon.metrics(published.remote_id) == {"favourites": 7, "reblogs": 4, "replies": 2}

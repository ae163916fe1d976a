"""X publishing through tweepy against the fake X API (OAuth 1.0a signatures verified), and the
share-intent link when there are no credentials."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from domain.communication import limits
from integrations.publishing.base import Image, Post, PublishError
from integrations.publishing.x import XPublisher, XSettings, expanded_text, make_publisher, share_intent_url
from sandbox.platforms.x import FakeX

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_text_post_signed_for_x_and_sent_to_the_fake(x: XPublisher, xapi: FakeX) -> None:
    post = Post("Réunion à Montreuil & débat <ouvert>", link="https://anld.fr/reunion")
    published = x.publish(post, "post-1:x")
    tweet = xapi.tweets[published.remote_id]
    assert tweet.text == "Réunion à Montreuil & débat <ouvert>\n\nhttps://anld.fr/reunion"
    assert published.url == f"https://x.com/i/web/status/{published.remote_id}"
    (call,) = xapi.calls("^/2/tweets$", "POST")
    assert call.headers["authorization"].startswith("OAuth ")
    assert 'oauth_token="1234567890-AccessToken"' in call.headers["authorization"]
    assert "access-token-secret" not in call.headers["authorization"]


def test_images_upload_v2_with_alt_text(x: XPublisher, xapi: FakeX) -> None:
    images = [Image("a.png", PNG, "image/png", "Le stand"), Image("b.png", PNG, "image/png", "")]
    published = x.publish(Post("Photos", images=images), "post-2:x")
    media = [xapi.media[m] for m in xapi.tweets[published.remote_id].media_ids]
    assert [(m.mime, m.category, m.alt) for m in media] == [
        ("image/png", "tweet_image", "Le stand"),
        ("image/png", "tweet_image", None),
    ]
    assert xapi.count("/2/media/upload", "POST") == 2
    assert xapi.count("/2/media/metadata", "POST") == 1  # only the image with alt text


def test_same_key_twice_makes_one_post(x: XPublisher, xapi: FakeX) -> None:
    post = Post("Une seule fois")
    first = x.publish(post, "post-3:x")
    assert x.publish(post, "post-3:x") == first
    assert len(xapi.tweets) == 1


def test_restarted_bot_hits_duplicate_content_and_finds_the_post(
    make_x: Callable[..., XPublisher], xapi: FakeX
) -> None:
    post = Post("Même texte, lien https://anld.fr/a", link="https://anld.fr/a")
    first = make_x().publish(post, "post-4:x")
    again = make_x().publish(post, "post-4:x")
    assert again.remote_id == first.remote_id
    assert len(xapi.tweets) == 1
    assert [c.status for c in xapi.calls("^/2/tweets$", "POST")] == [201, 403]


def test_uncertain_then_find_through_tco_links(make_x: Callable[..., XPublisher], xapi: FakeX) -> None:
    post = Post(
        "Programme & inscriptions : https://anld.fr/programme", images=[Image("a.png", PNG, "image/png")]
    )
    xapi.stall_after_handling("^/2/tweets$")
    with pytest.raises(PublishError) as caught:
        make_x().publish(post, "post-5:x")
    assert caught.value.kind == "uncertain"
    found = make_x().find("post-5:x", post)
    assert found is not None and found.remote_id in xapi.tweets
    assert make_x().find("post-6:x", Post("Jamais publié")) is None


def test_expanded_text_restores_links_and_drops_media_link() -> None:
    tweet = {
        "text": "Voir https://t.co/abc &amp; https://t.co/pic",
        "entities": {
            "urls": [
                {"start": 5, "end": 21, "url": "https://t.co/abc", "expanded_url": "https://anld.fr/x"},
                {
                    "start": 28,
                    "end": 44,
                    "url": "https://t.co/pic",
                    "media_key": "3_1",
                    "expanded_url": "https://x",
                },
            ]
        },
    }
    assert expanded_text(tweet) == "Voir https://anld.fr/x &amp; "


def test_revoked_token_is_auth_401(x: XPublisher, xapi: FakeX) -> None:
    xapi.revoke("1234567890-AccessToken")
    with pytest.raises(PublishError) as caught:
        x.publish(Post("Bonjour"), "post-7:x")
    assert (caught.value.kind, caught.value.code) == ("auth", "401")


def test_wrong_consumer_secret_fails_the_signature(make_x: Callable[..., XPublisher], xapi: FakeX) -> None:
    with pytest.raises(PublishError) as caught:
        make_x(consumer_secret=SecretStr("wrong")).publish(Post("Bonjour"), "post-8:x")
    assert caught.value.kind == "auth"
    assert xapi.bad_signatures == 1
    xapi.bad_signatures = 0


def test_rate_limited_with_reset(x: XPublisher, xapi: FakeX) -> None:
    xapi.rate_limit(seconds=600, path="^/2/tweets$")
    with pytest.raises(PublishError) as caught:
        x.publish(Post("Bonjour"), "post-9:x")
    assert caught.value.kind == "rate_limited"
    assert caught.value.retry_after is not None and 590 <= caught.value.retry_after <= 600


def test_payment_required_is_an_account_problem(x: XPublisher, xapi: FakeX) -> None:
    xapi.inject(402, path="^/2/tweets$", message="Your enrolled account does not have any credits.")
    with pytest.raises(PublishError) as caught:
        x.publish(Post("Bonjour"), "post-10:x")
    assert (caught.value.kind, caught.value.code) == ("auth", "402")


def test_too_long_is_rejected_before_any_request(x: XPublisher, xapi: FakeX) -> None:
    with pytest.raises(PublishError) as caught:
        x.publish(Post("日本" * 71), "post-11:x")
    assert (caught.value.kind, caught.value.code) == ("rejected", "too_long")
    assert xapi.requests == []


def test_server_error_then_retry(x: XPublisher, xapi: FakeX) -> None:
    xapi.inject(503, path="^/2/tweets$")
    with pytest.raises(PublishError) as caught:
        x.publish(Post("Bonjour"), "post-12:x")
    assert caught.value.kind == "unavailable"
    x.publish(Post("Bonjour"), "post-12:x")
    assert len(xapi.tweets) == 1


def test_metrics(x: XPublisher, xapi: FakeX) -> None:
    published = x.publish(Post("À relayer"), "post-13:x")
    xapi.interact(published.remote_id, likes=5, reposts=2, replies=1, quotes=1)
    assert x.metrics(published.remote_id) == {
        "likes": 5,
        "reposts": 2,
        "replies": 1,
        "quotes": 1,
        "bookmarks": 0,
        "impressions": 90,
    }


def test_without_credentials_only_a_share_link(x_settings: Callable[..., XSettings], xapi: FakeX) -> None:
    settings = x_settings(access_token=SecretStr(""), access_token_secret=SecretStr(""))
    assert make_publisher(settings) is None
    with pytest.raises(ValueError):
        XPublisher(settings)
    url = share_intent_url(Post("Réunion samedi & dimanche #démocratie", link="https://anld.fr/r"))
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "x.com", "/intent/post")
    assert parse_qs(parts.query) == {
        "text": ["Réunion samedi & dimanche #démocratie"],
        "url": ["https://anld.fr/r"],
    }
    assert xapi.requests == []  # nothing was (or could be claimed to be) posted


def test_share_link_text_is_cut_to_leave_room_for_the_link() -> None:
    text = "Tractage devant la gare puis porte-à-porte dans le quartier " * 8
    query = parse_qs(urlsplit(share_intent_url(Post(text, link="https://anld.fr/agenda"))).query)
    shared = query["text"][0]
    assert shared.endswith("…") and limits.x_length(shared) + 1 + 23 <= 280
    in_text = parse_qs(urlsplit(share_intent_url(Post("Voir https://anld.fr", link="https://anld.fr"))).query)
    assert in_text == {"text": ["Voir https://anld.fr"]}  # the link already in the text is not added twice

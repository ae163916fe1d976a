"""WordPress publishing through httpx against the fake REST API."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from integrations.publishing.base import Image, Post, PublishError
from integrations.publishing.wordpress import WordPressPublisher, content_for, slug_for
from sandbox.platforms.wordpress import FakeWordPress

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_publish_with_featured_image(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    images = [
        Image("affiche.jpg", JPEG, "image/jpeg", "Affiche"),
        Image("foule.png", PNG, "image/png", "La foule"),
    ]
    post = Post(
        "Réunion à Montreuil & débat\n\nInscription sur anld.fr/inscription",
        title="Réunion publique à Montreuil",
        link="https://anld.fr",
        images=images,
    )
    published = wordpress.publish(post, "post-1:wordpress")
    stored = wp.posts[int(published.remote_id)]
    assert (stored.title, stored.status) == ("Réunion publique à Montreuil", "publish")
    assert stored.slug == slug_for(post, "post-1:wordpress") and stored.slug.startswith(
        "reunion-publique-a-montreuil-"
    )
    assert published.url == f"{wp.url}/{stored.date_gmt:%Y/%m}/{stored.slug}/"
    featured = wp.media[stored.featured_media]
    assert (featured.data, featured.mime, featured.alt) == (JPEG, "image/jpeg", "Affiche")
    assert "<p>Réunion à Montreuil &amp; débat</p>" in stored.content
    assert '<a href="https://anld.fr/inscription">anld.fr/inscription</a>' in stored.content
    assert 'alt="La foule"' in stored.content  # the second image follows the text
    assert stored.content.endswith(
        '<p><a href="https://anld.fr">https://anld.fr</a></p>\n<!-- /wp:paragraph -->'
    )
    (call,) = wp.calls("/posts$", "POST")
    user, password = base64.b64decode(call.headers["authorization"].split()[1]).decode().split(":", 1)
    assert (user, password) == ("coordo", "abcd EFGH 1234 ijkl MNOP 5678")


def test_same_key_twice_makes_one_post(
    make_wordpress: Callable[..., WordPressPublisher], wp: FakeWordPress
) -> None:
    post = Post("Une seule fois", title="Unique")
    first = make_wordpress().publish(post, "post-2:wordpress")
    assert make_wordpress().publish(post, "post-2:wordpress") == first  # even after a restart
    assert len(wp.posts) == 1


def test_uncertain_then_find(make_wordpress: Callable[..., WordPressPublisher], wp: FakeWordPress) -> None:
    post = Post("Réponse perdue", title="Perdue")
    wp.stall_after_handling("/posts$")
    with pytest.raises(PublishError) as caught:
        make_wordpress().publish(post, "post-3:wordpress")
    assert caught.value.kind == "uncertain"
    found = make_wordpress().find("post-3:wordpress", post)
    assert found is not None and int(found.remote_id) in wp.posts
    assert make_wordpress().publish(post, "post-3:wordpress") == found
    assert len(wp.posts) == 1


def test_scheduled_post_is_future(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    when = datetime(2031, 5, 1, 18, 30, tzinfo=UTC) + timedelta(hours=0)
    published = wordpress.publish(Post("Plus tard", publish_at=when), "post-4:wordpress")
    stored = wp.posts[int(published.remote_id)]
    assert stored.status == "future" and stored.date_gmt == when
    assert wp.calls("/posts$", "POST")[0].json["date_gmt"] == "2031-05-01T18:30:00"


def test_draft_on_request(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    published = wordpress.publish(Post("À relire"), "post-5:wordpress", status="draft")
    assert wp.posts[int(published.remote_id)].status == "draft"
    assert published.url == f"{wp.url}/?p={published.remote_id}"
    assert wordpress.find("post-5:wordpress", Post("À relire")) == published  # drafts are found too


def test_revoked_application_password_is_auth(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    wp.revoke("abcd EFGH 1234 ijkl MNOP 5678")
    with pytest.raises(PublishError) as caught:
        wordpress.publish(Post("Bonjour"), "post-6:wordpress")
    assert (caught.value.kind, caught.value.code) == ("auth", "incorrect_password")
    assert "EFGH" not in str(caught.value)


def test_rate_limited_with_retry_after(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    wp.inject(429, headers={"Retry-After": "30"}, path="/posts$", method="POST")
    with pytest.raises(PublishError) as caught:
        wordpress.publish(Post("Bonjour"), "post-7:wordpress")
    assert (caught.value.kind, caught.value.retry_after) == ("rate_limited", 30)


def test_server_error_once(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    wp.inject(500, path="/posts$", method="POST")
    with pytest.raises(PublishError) as caught:
        wordpress.publish(Post("Bonjour"), "post-8:wordpress")
    assert caught.value.kind == "unavailable"
    wordpress.publish(Post("Bonjour"), "post-8:wordpress")
    assert len(wp.posts) == 1


def test_bad_media_is_rejected(wordpress: WordPressPublisher, wp: FakeWordPress) -> None:
    with pytest.raises(PublishError) as caught:
        wordpress.publish(
            Post("x", images=[Image("a.exe", b"MZ", "application/octet-stream")]), "post-9:wordpress"
        )
    assert (caught.value.kind, caught.value.code) == ("rejected", "rest_upload_sideload_error")


def test_network_down_is_unavailable(
    make_wordpress: Callable[..., WordPressPublisher], closed_url: str
) -> None:
    with pytest.raises(PublishError) as caught:
        make_wordpress(url=closed_url).publish(Post("Bonjour"), "post-10:wordpress")
    assert caught.value.kind == "unavailable"


def test_no_metrics(wordpress: WordPressPublisher) -> None:
    published = wordpress.publish(Post("Bonjour"), "post-11:wordpress")
    assert wordpress.metrics(published.remote_id) == {}


def test_slug_and_content_helpers() -> None:
    assert slug_for(Post("x", title="Été 2026 : « Démocratie » !"), "k").startswith("ete-2026-democratie-")
    assert slug_for(Post("🙂"), "k").startswith("post-")
    assert slug_for(Post("a", title="mot " * 40), "k").count("mot") == 15
    html = content_for(Post("<script>alert(1)</script>\nligne 2"), [])
    assert "&lt;script&gt;" in html and "ligne 2" in html and "<br>" in html

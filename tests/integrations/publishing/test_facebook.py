"""Facebook Page publishing through httpx against the fake Graph API."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from integrations.publishing.base import Image, Post, PublishError
from integrations.publishing.facebook import FacebookPublisher
from sandbox.platforms.facebook import FakeGraph

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_text_with_link_card(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    post = Post("Réunion publique samedi à Montreuil ✊", link="https://anld.fr/reunion")
    published = facebook.publish(post, "post-1:facebook")
    stored = graph.posts[published.remote_id]
    assert stored.message == "Réunion publique samedi à Montreuil ✊"
    assert stored.link == "https://anld.fr/reunion"
    assert published.channel == "facebook"
    assert (
        published.url == f"https://www.facebook.com/{graph.page_id}/posts/{published.remote_id.split('_')[1]}"
    )
    (call,) = graph.calls("/feed$", "POST")
    assert call.headers["authorization"] == "Bearer page-token"
    assert "access_token" not in call.query and b"page-token" not in call.body  # never in a URL or a form


def test_one_photo_is_a_photo_post_with_alt_text(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    post = Post(
        "Affiche", link="https://anld.fr", images=[Image("affiche.jpg", JPEG, "image/jpeg", "Affiche bleue")]
    )
    published = facebook.publish(post, "post-2:facebook")
    stored = graph.posts[published.remote_id]
    assert stored.message == "Affiche\n\nhttps://anld.fr"  # no card with a photo: the link joins the text
    (photo,) = [graph.photos[p] for p in stored.photos]
    assert (photo.data, photo.mime, photo.alt, photo.published) == (JPEG, "image/jpeg", "Affiche bleue", True)
    assert graph.count("/feed$") == 0


def test_several_photos_go_through_attached_media(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    images = [Image("a.jpg", JPEG, "image/jpeg", "Le stand"), Image("b.png", PNG, "image/png", "La foule")]
    published = facebook.publish(Post("Retour sur le stand", images=images), "post-3:facebook")
    uploads = graph.calls("/photos$", "POST")
    assert [u.field("published") for u in uploads] == ["false", "false"]
    (feed,) = graph.calls("/feed$", "POST")
    attached = [json.loads(feed.field(f"attached_media[{i}]") or "") for i in range(2)]
    assert attached == [{"media_fbid": pid} for pid in graph.posts[published.remote_id].photos]
    assert [graph.photos[p].alt for p in graph.posts[published.remote_id].photos] == ["Le stand", "La foule"]
    assert len(graph.posts) == 1


def test_same_key_twice_makes_one_post(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    post = Post("Une seule fois")
    first = facebook.publish(post, "post-4:facebook")
    assert facebook.publish(post, "post-4:facebook") == first
    assert len(graph.posts) == 1
    assert graph.count("/feed$", "POST") == 1  # the second call looked first


def test_restarted_bot_retrying_hits_duplicate_and_finds_the_post(
    make_facebook: Callable[..., FacebookPublisher], graph: FakeGraph
) -> None:
    post = Post("Message identique")
    first = make_facebook().publish(post, "post-5:facebook")
    again = make_facebook().publish(post, "post-5:facebook")  # no memory of the first attempt
    assert again.remote_id == first.remote_id
    assert len(graph.posts) == 1
    assert graph.calls("/feed$", "POST")[-1].status == 400  # Graph's 506 "Duplicate status message"


def test_uncertain_outcome_then_find(
    make_facebook: Callable[..., FacebookPublisher], graph: FakeGraph
) -> None:
    post = Post("Publié mais réponse perdue", link="https://anld.fr")
    graph.stall_after_handling("/feed$")
    with pytest.raises(PublishError) as caught:
        make_facebook().publish(post, "post-6:facebook")
    assert caught.value.kind == "uncertain"
    assert len(graph.posts) == 1  # it did land
    restarted = make_facebook()
    found = restarted.find("post-6:facebook", post)
    assert found is not None and found.remote_id in graph.posts
    assert restarted.find("other", Post("Jamais publié")) is None


def test_revoked_token_is_auth_190(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    graph.revoke("page-token")
    with pytest.raises(PublishError) as caught:
        facebook.publish(Post("Bonjour"), "post-7:facebook")
    assert (caught.value.kind, caught.value.code) == ("auth", "190")
    assert "page-token" not in str(caught.value)


def test_rate_limited_with_regain_time(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    graph.rate_limit(minutes=5)
    with pytest.raises(PublishError) as caught:
        facebook.publish(Post("Bonjour"), "post-8:facebook")
    assert (caught.value.kind, caught.value.code, caught.value.retry_after) == ("rate_limited", "32", 300)
    assert not graph.posts


def test_http_429_retry_after(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    graph.inject(429, headers={"Retry-After": "42"}, path="/feed$")
    with pytest.raises(PublishError) as caught:
        facebook.publish(Post("Bonjour"), "post-9:facebook")
    assert (caught.value.kind, caught.value.retry_after) == ("rate_limited", 42)


def test_server_error_once_then_retry(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    graph.inject(500, path="/feed$")
    with pytest.raises(PublishError) as caught:
        facebook.publish(Post("Bonjour"), "post-10:facebook")
    assert caught.value.kind == "unavailable"
    facebook.publish(Post("Bonjour"), "post-10:facebook")
    assert len(graph.posts) == 1


def test_rejected_content(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    with pytest.raises(PublishError) as caught:
        facebook.publish(Post("x" * 63207), "post-11:facebook")
    assert (caught.value.kind, caught.value.code) == ("rejected", "100")
    with pytest.raises(PublishError) as caught:
        facebook.publish(
            Post("Pas une image", images=[Image("a.txt", b"hi", "text/plain")]), "post-12:facebook"
        )
    assert (caught.value.kind, caught.value.code) == ("rejected", "324")


def test_network_down_is_unavailable(
    make_facebook: Callable[..., FacebookPublisher], closed_url: str
) -> None:
    with pytest.raises(PublishError) as caught:
        make_facebook(graph_url=closed_url + "/v23.0").publish(Post("Bonjour"), "post-13:facebook")
    assert caught.value.kind == "unavailable"


def test_metrics(facebook: FacebookPublisher, graph: FakeGraph) -> None:
    published = facebook.publish(Post("À commenter"), "post-14:facebook")
    assert facebook.metrics(published.remote_id) == {"reactions": 0, "comments": 0, "shares": 0}
    graph.react(published.remote_id, reactions=12, comments=3, shares=2)
    assert facebook.metrics(published.remote_id) == {"reactions": 12, "comments": 3, "shares": 2}

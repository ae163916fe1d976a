"""Bluesky publishing through the atproto library against the fake PDS."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from integrations.publishing.base import Image, Post, PublishError
from integrations.publishing.bluesky import BlueskyPublisher, rkey_for
from sandbox.platforms.bluesky import FakeBlueskyPDS

# atproto hands httpx the blob as ``data=bytes``, which httpx deprecates: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>' to upload raw bytes:DeprecationWarning")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def facet_targets(record: dict[str, object]) -> list[tuple[str, str]]:
    """(the text a facet covers, its link or tag), cutting the UTF-8 bytes as Bluesky does."""
    data = str(record["text"]).encode("utf-8")
    out = []
    for facet in record.get("facets") or []:  # type: ignore[attr-defined]
        index = facet["index"]
        feature = facet["features"][0]
        out.append(
            (
                data[index["byteStart"] : index["byteEnd"]].decode("utf-8"),
                feature.get("uri") or feature["tag"],
            )
        )
    return out


def test_record_key_is_a_tid_derived_from_our_key() -> None:
    keys = [f"post-{i}:bluesky" for i in range(200)]
    rkeys = [rkey_for(k) for k in keys]
    assert all(TID.match(r) for r in rkeys)
    assert len(set(rkeys)) == len(rkeys)
    assert rkey_for("post-1:bluesky") == rkey_for("post-1:bluesky")
    assert all("2k" < r < "3l" for r in rkeys)  # TIDs of 2023-2024: never in the future


def test_text_with_link_facets_on_byte_offsets(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    text = "Réunion à Montreuil 👩\u200d👩\u200d👧\u200d👦 : https://anld.fr/reunion #démocratie"
    post = Post(text, title="Réunion publique", link="https://anld.fr")
    published = bluesky.publish(post, "post-1:bluesky")
    rkey = rkey_for("post-1:bluesky")
    assert published.remote_id == pds.uri(rkey)
    assert published.url == f"https://bsky.app/profile/{pds.handle}/post/{rkey}"
    record = pds.records[rkey].value
    assert record["text"] == text and record["langs"] == ["fr"]
    assert facet_targets(record) == [
        ("https://anld.fr/reunion", "https://anld.fr/reunion"),
        ("#démocratie", "démocratie"),
    ]
    assert record["embed"]["$type"] == "app.bsky.embed.external"  # the link card
    assert record["embed"]["external"]["uri"] == "https://anld.fr"
    assert record["embed"]["external"]["title"] == "Réunion publique"


def test_images_embed_with_alt_text(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    images = [
        Image("a.png", PNG, "image/png", "Le stand"),
        Image("b.svg", b"<svg/>", "image/svg+xml", "La foule"),
    ]
    post = Post("Photos du stand", link="https://anld.fr/stand", images=images)
    published = bluesky.publish(post, "post-2:bluesky")
    record = pds.records[published.remote_id.rsplit("/", 1)[1]].value
    assert (
        record["text"] == "Photos du stand\n\nhttps://anld.fr/stand"
    )  # with images, the link is in the text
    assert facet_targets(record) == [("https://anld.fr/stand", "https://anld.fr/stand")]
    embed = record["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [i["alt"] for i in embed["images"]] == ["Le stand", "La foule"]
    cids = [i["image"]["ref"]["$link"] for i in embed["images"]]
    assert [pds.blobs[c].data for c in cids] == [PNG, b"<svg/>"]
    assert [pds.blobs[c].mime for c in cids] == ["image/png", "image/svg+xml"]  # sniffed, then as declared
    assert {c.headers["content-type"] for c in pds.calls("uploadBlob")} == {"image/png", "image/svg+xml"}


def test_same_key_twice_makes_one_post(
    make_bluesky: Callable[..., BlueskyPublisher], pds: FakeBlueskyPDS
) -> None:
    post = Post("Une seule fois")
    first = make_bluesky().publish(post, "post-3:bluesky")
    again = make_bluesky().publish(post, "post-3:bluesky")  # a restarted bot, no memory
    assert again == first
    assert len(pds.records) == 1
    assert [c.status for c in pds.calls("createRecord")] == [200, 500]  # the PDS refused the second


def test_uncertain_then_find(make_bluesky: Callable[..., BlueskyPublisher], pds: FakeBlueskyPDS) -> None:
    post = Post("Réponse perdue")
    pds.stall_after_handling("createRecord")
    with pytest.raises(PublishError) as caught:
        make_bluesky().publish(post, "post-4:bluesky")
    assert caught.value.kind == "uncertain"
    found = make_bluesky().find("post-4:bluesky", post)
    assert found is not None and found.remote_id == pds.uri(rkey_for("post-4:bluesky"))
    assert make_bluesky().find("post-5:bluesky", Post("Jamais publié")) is None


def test_expired_access_token_is_refreshed(
    make_bluesky: Callable[..., BlueskyPublisher], pds: FakeBlueskyPDS
) -> None:
    publisher = make_bluesky()
    publisher.publish(Post("Premier"), "post-6:bluesky")
    pds.expire_access_tokens()  # the PDS says ExpiredToken; the client's own clock does not know
    publisher.publish(Post("Second"), "post-7:bluesky")
    assert len(pds.records) == 2
    assert pds.count("createSession") == 2  # a new session after the ExpiredToken answer


def test_short_lived_tokens_use_refresh_session(
    make_bluesky: Callable[..., BlueskyPublisher], pds: FakeBlueskyPDS
) -> None:
    pds.access_ttl = 60  # atproto refreshes tokens that expire within 15 minutes
    publisher = make_bluesky()
    publisher.publish(Post("Un"), "post-8:bluesky")
    publisher.publish(Post("Deux"), "post-9:bluesky")
    assert pds.count("createSession") == 1
    assert pds.count("refreshSession") >= 2


def test_revoked_app_password_is_auth(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    bluesky.publish(Post("Avant"), "post-10:bluesky")
    pds.revoke_app_password("abcd-efgh-ijkl-mnop")
    with pytest.raises(PublishError) as caught:
        bluesky.publish(Post("Après"), "post-11:bluesky")
    assert (caught.value.kind, caught.value.code) == ("auth", "AuthenticationRequired")
    assert "abcd-efgh" not in str(caught.value)


def test_rate_limited_with_retry_after(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    pds.rate_limit(seconds=300, path="createRecord")
    with pytest.raises(PublishError) as caught:
        bluesky.publish(Post("Bonjour"), "post-12:bluesky")
    assert (caught.value.kind, caught.value.code) == ("rate_limited", "RateLimitExceeded")
    assert caught.value.retry_after is not None and 290 <= caught.value.retry_after <= 300


def test_too_long_is_rejected_before_any_request(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    with pytest.raises(PublishError) as caught:
        bluesky.publish(Post("é" * 301), "post-13:bluesky")
    assert (caught.value.kind, caught.value.code) == ("rejected", "too_long")
    with pytest.raises(PublishError) as caught:
        bluesky.publish(
            Post("Lourd", images=[Image("big.png", b"x" * 1_000_001, "image/png")]), "post-14:bluesky"
        )
    assert caught.value.code == "BlobTooLarge"
    assert pds.requests == []


def test_server_error_once(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    pds.inject(502, path="createRecord")
    with pytest.raises(PublishError) as caught:
        bluesky.publish(Post("Bonjour"), "post-15:bluesky")
    assert caught.value.kind == "unavailable"
    bluesky.publish(Post("Bonjour"), "post-15:bluesky")
    assert len(pds.records) == 1


def test_metrics(bluesky: BlueskyPublisher, pds: FakeBlueskyPDS) -> None:
    published = bluesky.publish(Post("À aimer"), "post-16:bluesky")
    pds.interact(rkey_for("post-16:bluesky"), likes=9, reposts=3, replies=1, quotes=1)
    assert bluesky.metrics(published.remote_id) == {"likes": 9, "reposts": 3, "replies": 1, "quotes": 1}

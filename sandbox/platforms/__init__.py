"""Fake publishing platforms on 127.0.0.1, for the real client libraries to talk to.

Each fake is a thread-served HTTP server (see ``server.py``) that implements just enough of the
platform's API, keeps what was posted for assertions, counts requests (``calls``, ``count``) and
injects faults: an error once (``inject(500)``), a rate limit with the platform's headers
(``rate_limit``), a revoked token (``revoke``...), and an answer lost after the post was stored
(``stall_after_handling``: the client times out, "uncertain")::

    with FakeMastodon() as masto:
        publisher = MastodonPublisher(MastodonSettings(base_url=masto.url, access_token=...))
        publisher.publish(Post("Bonjour"), "post-1:mastodon")
        assert len(masto.statuses) == 1

| fake | what the adapter's setting points at |
| --- | --- |
| ``FakeGraph`` | ``FACEBOOK_GRAPH_URL`` = ``fake.graph_url`` (with ``/v23.0``) |
| ``FakeMastodon`` | ``MASTODON_BASE_URL`` = ``fake.url`` |
| ``FakeBlueskyPDS`` | ``BLUESKY_SERVICE_URL`` = ``fake.url`` |
| ``FakeX`` | ``X_API_URL`` = ``fake.url`` (tweepy's requests are re-routed after signing) |
| ``FakeWordPress`` | ``WORDPRESS_URL`` = ``fake.url`` |
"""

from __future__ import annotations

from sandbox.platforms.bluesky import FakeBlueskyPDS
from sandbox.platforms.facebook import FakeGraph
from sandbox.platforms.mastodon import FakeMastodon
from sandbox.platforms.server import FakePlatform, Fault, HttpError, Part, RecordedRequest, Response
from sandbox.platforms.wordpress import FakeWordPress
from sandbox.platforms.x import FakeX

__all__ = [
    "FakeBlueskyPDS",
    "FakeGraph",
    "FakeMastodon",
    "FakePlatform",
    "FakeWordPress",
    "FakeX",
    "Fault",
    "HttpError",
    "Part",
    "RecordedRequest",
    "Response",
]

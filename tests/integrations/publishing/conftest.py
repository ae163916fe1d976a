"""Fixtures: each fake platform on 127.0.0.1, and adapters driving it with the real client library.

``make_<channel>(**settings)`` builds a new adapter, as a restarted bot would (no memory of the
keys an earlier instance tried); ``<channel>`` is one made with the default settings.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from pydantic import SecretStr

from integrations.publishing.bluesky import BlueskyPublisher, BlueskySettings
from integrations.publishing.facebook import FacebookPublisher, FacebookSettings
from integrations.publishing.mastodon import MastodonPublisher, MastodonSettings
from integrations.publishing.wordpress import WordPressPublisher, WordPressSettings
from integrations.publishing.x import XPublisher, XSettings
from sandbox.platforms.bluesky import FakeBlueskyPDS
from sandbox.platforms.facebook import FakeGraph
from sandbox.platforms.mastodon import FakeMastodon
from sandbox.platforms.wordpress import FakeWordPress
from sandbox.platforms.x import FakeX

# Short client timeouts: an answer that never comes becomes "uncertain" in half a second.
TIMEOUT = 0.5


@pytest.fixture
def closed_url() -> str:
    """A local URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- Facebook ------------------------------------------------------------------------------


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def make_facebook(graph: FakeGraph) -> Iterator[Callable[..., FacebookPublisher]]:
    made: list[FacebookPublisher] = []

    def make(**overrides: object) -> FacebookPublisher:
        values: dict[str, object] = {
            "graph_url": graph.graph_url,
            "page_id": graph.page_id,
            "page_token": SecretStr("page-token"),
            "timeout": TIMEOUT,
            **overrides,
        }
        made.append(FacebookPublisher(FacebookSettings.model_validate(values)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


@pytest.fixture
def facebook(make_facebook: Callable[..., FacebookPublisher]) -> FacebookPublisher:
    return make_facebook()


# --- Mastodon ------------------------------------------------------------------------------


@pytest.fixture
def masto() -> Iterator[FakeMastodon]:
    with FakeMastodon(processing_polls=2) as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def make_mastodon(masto: FakeMastodon) -> Iterator[Callable[..., MastodonPublisher]]:
    made: list[MastodonPublisher] = []

    def make(**overrides: object) -> MastodonPublisher:
        values: dict[str, object] = {
            "base_url": masto.url,
            "access_token": SecretStr("masto-token"),
            "timeout": TIMEOUT,
            "media_poll_interval": 0.01,
            "media_timeout": 5.0,
            **overrides,
        }
        made.append(MastodonPublisher(MastodonSettings.model_validate(values)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


@pytest.fixture
def mastodon(make_mastodon: Callable[..., MastodonPublisher]) -> MastodonPublisher:
    return make_mastodon()


# --- Bluesky -------------------------------------------------------------------------------


@pytest.fixture
def pds() -> Iterator[FakeBlueskyPDS]:
    with FakeBlueskyPDS() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def make_bluesky(pds: FakeBlueskyPDS) -> Iterator[Callable[..., BlueskyPublisher]]:
    made: list[BlueskyPublisher] = []

    def make(**overrides: object) -> BlueskyPublisher:
        values: dict[str, object] = {
            "service_url": pds.url,
            "handle": pds.handle,
            "app_password": SecretStr("abcd-efgh-ijkl-mnop"),
            "timeout": TIMEOUT,
            **overrides,
        }
        made.append(BlueskyPublisher(BlueskySettings.model_validate(values)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


@pytest.fixture
def bluesky(make_bluesky: Callable[..., BlueskyPublisher]) -> BlueskyPublisher:
    return make_bluesky()


# --- X -------------------------------------------------------------------------------------


@pytest.fixture
def xapi() -> Iterator[FakeX]:
    with FakeX() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors
        assert fake.bad_signatures == 0, "an OAuth 1.0a signature did not verify"


@pytest.fixture
def x_settings(xapi: FakeX) -> Callable[..., XSettings]:
    def settings(**overrides: object) -> XSettings:
        values: dict[str, object] = {
            "consumer_key": SecretStr("consumer-key"),
            "consumer_secret": SecretStr("consumer-secret"),
            "access_token": SecretStr("1234567890-AccessToken"),
            "access_token_secret": SecretStr("access-token-secret"),
            "api_url": xapi.url,
            "timeout": TIMEOUT,
            **overrides,
        }
        return XSettings.model_validate(values)

    return settings


@pytest.fixture
def make_x(x_settings: Callable[..., XSettings]) -> Iterator[Callable[..., XPublisher]]:
    made: list[XPublisher] = []

    def make(**overrides: object) -> XPublisher:
        made.append(XPublisher(x_settings(**overrides)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


@pytest.fixture
def x(make_x: Callable[..., XPublisher]) -> XPublisher:
    return make_x()


# --- WordPress -----------------------------------------------------------------------------


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    with FakeWordPress() as fake:
        yield fake
        assert not fake.server_errors, fake.server_errors


@pytest.fixture
def make_wordpress(wp: FakeWordPress) -> Iterator[Callable[..., WordPressPublisher]]:
    made: list[WordPressPublisher] = []

    def make(**overrides: object) -> WordPressPublisher:
        values: dict[str, object] = {
            "url": wp.url,
            "user": "coordo",
            "app_password": SecretStr("abcd EFGH 1234 ijkl MNOP 5678"),
            "timeout": TIMEOUT,
            **overrides,
        }
        made.append(WordPressPublisher(WordPressSettings.model_validate(values)))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


@pytest.fixture
def wordpress(make_wordpress: Callable[..., WordPressPublisher]) -> WordPressPublisher:
    return make_wordpress()

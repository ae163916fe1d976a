"""Publishing the movement's posts, exactly once, to each public channel (docs/communication-rules.md,
its platform table): thin adapters over each platform's client library.

| module | channel | library | idempotency |
| --- | --- | --- | --- |
| ``facebook`` | Facebook Page | httpx (Graph API) | ``find``: recent Page posts with our message; Graph's 506 duplicate |
| ``mastodon`` | Mastodon | Mastodon.py | ``Idempotency-Key`` (an hour), then ``find`` on recent statuses |
| ``bluesky`` | Bluesky | atproto (sync ``Client``) | record key derived from our key (createRecord refuses a second) |
| ``x`` | X | tweepy ``Client`` (v2) | X refuses duplicate content; ``find`` on recent posts |
| ``wordpress`` | the website | httpx (REST API) | slug derived from our key, looked up before creating |

``base`` holds the contract (:class:`~integrations.publishing.base.Post`, ``Published``,
``PublishError`` and its kinds, the ``Publisher`` protocol). The length rules and ``fit`` live in
``domain.communication.limits`` (pure: the preview counts with them too). Every adapter is synchronous, as the libraries are: the bot calls them through
``asyncio.to_thread``. The Telegram channel is the bot's own (python-telegram-bot), not here.

Tests drive each adapter with its real library against the fakes of ``sandbox.platforms``.
"""

from __future__ import annotations

from integrations.publishing.base import Image, Post, Published, Publisher, PublishError

__all__ = ["Image", "Post", "PublishError", "Published", "Publisher"]

"""The publishing adapters, built from the one typed Settings (each adapter's own BaseSettings is
filled from it with ``_env_file=None``, so .env is read once, by bot.settings).

The Telegram channel is not an adapter here: it is the bot's own, sent by
capabilities.communication.publishing through python-telegram-bot.
Adapter modules import heavy client libraries: they are imported inside the functions.
"""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from integrations.publishing.base import Post, Publisher

ORDER = ("telegram", "facebook", "mastodon", "bluesky", "x", "wordpress")


def _secret(value: Any) -> str:
    return str(value.get_secret_value())


def configured(settings: Settings) -> list[str]:
    """Channels usable now. "x" is always listed: without credentials it gives a share link."""
    ready = {
        "telegram": bool(settings.telegram_channel_id),
        "facebook": bool(settings.facebook_page_id and _secret(settings.facebook_page_token)),
        "mastodon": bool(settings.mastodon_base_url and _secret(settings.mastodon_access_token)),
        "bluesky": bool(settings.bluesky_handle and _secret(settings.bluesky_app_password)),
        "x": True,
        "wordpress": bool(
            settings.wordpress_url and settings.wordpress_user and _secret(settings.wordpress_app_password)
        ),
    }
    return [channel for channel in ORDER if ready[channel]]


def x_has_credentials(settings: Settings) -> bool:
    return all(
        _secret(s)
        for s in (
            settings.x_consumer_key,
            settings.x_consumer_secret,
            settings.x_access_token,
            settings.x_access_token_secret,
        )
    )


def build(settings: Settings, channel: str) -> Publisher:
    """The adapter of `channel` (not "telegram"); ValueError when it is not configured."""
    if channel == "facebook":
        from integrations.publishing.facebook import FacebookPublisher, FacebookSettings

        return FacebookPublisher(
            FacebookSettings(
                _env_file=None,
                graph_url=settings.facebook_graph_url,
                page_id=settings.facebook_page_id,
                page_token=settings.facebook_page_token,
            )
        )
    if channel == "mastodon":
        from integrations.publishing.mastodon import MastodonPublisher, MastodonSettings

        return MastodonPublisher(
            MastodonSettings(
                _env_file=None,
                base_url=settings.mastodon_base_url,
                access_token=settings.mastodon_access_token,
            )
        )
    if channel == "bluesky":
        from integrations.publishing.bluesky import BlueskyPublisher, BlueskySettings

        return BlueskyPublisher(
            BlueskySettings(
                _env_file=None,
                service_url=settings.bluesky_service_url,
                handle=settings.bluesky_handle,
                app_password=settings.bluesky_app_password,
            )
        )
    if channel == "x":
        from integrations.publishing.x import XPublisher, XSettings

        return XPublisher(
            XSettings(
                _env_file=None,
                consumer_key=settings.x_consumer_key,
                consumer_secret=settings.x_consumer_secret,
                access_token=settings.x_access_token,
                access_token_secret=settings.x_access_token_secret,
                api_url=settings.x_api_url,
            )
        )
    if channel == "wordpress":
        from integrations.publishing.wordpress import WordPressPublisher, WordPressSettings

        return WordPressPublisher(
            WordPressSettings(
                _env_file=None,
                url=settings.wordpress_url,
                user=settings.wordpress_user,
                app_password=settings.wordpress_app_password,
                status=settings.wordpress_status,
            )
        )
    raise ValueError(f"no adapter for channel {channel!r}")


def share_link_x(text: str, link: str | None = None) -> str:
    """A share-intent link a person taps to post `text` from their own X account (never posted by us)."""
    from integrations.publishing.x import share_intent_url

    return share_intent_url(Post(text, link=link or None))

"""Group privacy mode: which group messages a bot gets as updates.

With privacy mode on (the BotFather default, and coordo's setting) a bot that is not an
administrator only receives, in groups: commands meant for it, replies to its own
messages and service messages. Private chats are not filtered.
"""

from __future__ import annotations

from typing import Any

from sandbox.text import command_of

SERVICE_FIELDS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "new_chat_photo",
        "delete_chat_photo",
        "group_chat_created",
        "supergroup_chat_created",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "pinned_message",
        "message_auto_delete_timer_changed",
        "forum_topic_created",
        "forum_topic_closed",
        "forum_topic_reopened",
        "video_chat_started",
        "video_chat_ended",
    }
)


def group_message_visible(
    message: dict[str, Any], *, bot_id: int, bot_username: str, bot_is_admin: bool, privacy_mode: bool
) -> bool:
    """Whether a message posted in a group the bot belongs to reaches the bot."""
    if not privacy_mode or bot_is_admin:
        return True
    if SERVICE_FIELDS.intersection(message):
        return True
    reply = message.get("reply_to_message")
    if reply and reply.get("from", {}).get("id") == bot_id:
        return True
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    command = command_of(text, entities)
    if command is None:
        return False
    # The sandbox has a single bot, so it is always "the last bot" a bare /command is for.
    _, target = command
    return target is None or target.lower() == bot_username.lower()

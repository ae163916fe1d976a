"""The state of the fake Telegram world: bot, users, chats, messages, the update queue.

Bot API methods live in core.py; this module holds what they act on and what the
user side (people.py) does to it.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sandbox.errors import SandboxError
from sandbox.files import FileStore
from sandbox.models import BotMessage, CallbackAnswer, CallRecord, ChatLog, WebhookState
from sandbox.notify import Notifier
from sandbox.people import MessageRef, SandboxGroup, SandboxUser
from sandbox.privacy import group_message_visible
from sandbox.text import detect_entities, trim

T = TypeVar("T")

# Update types a bot gets when it never asked for a list (Bot API: all but these).
_NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}


def chat_member_dict(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object of the given status, with the fields PTB requires for it."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(_ADMIN_RIGHTS)
    elif status == "kicked":
        member["until_date"] = 0
    return member


class World:
    """Users, groups, chat logs and pending updates of one sandbox, plus the ways to wait on them."""

    def __init__(
        self,
        *,
        token: str,
        bot_id: int,
        username: str,
        first_name: str,
        privacy_mode: bool,
        strict_html: bool,
        clock: Callable[[], float],
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.username = username
        self.first_name = first_name
        self.privacy_mode = privacy_mode
        self.strict_html = strict_html
        self.clock = clock
        self.files = FileStore()
        self.webhook = WebhookState()
        self.calls: list[CallRecord] = []
        self._users: dict[int, SandboxUser] = {}
        self._groups: dict[int, SandboxGroup] = {}
        self._logs: dict[int, ChatLog] = {}
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._allowed_updates: list[str] | None = None
        self._queries: dict[str, int] = {}  # pending callback query id -> user id
        self._query_ids = itertools.count(4_700_000_000_000_000_001)
        self._changed = Notifier()
        self._sent: list[BotMessage] = []

    # ------------------------------------------------------------------ people and chats

    def user(
        self,
        id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
    ) -> SandboxUser:
        """Create a user (who has not talked to the bot yet)."""
        if id <= 0:
            raise ValueError("user ids are positive")
        if id in self._users or id == self.bot_id:
            raise ValueError(f"user {id} already exists")
        user = SandboxUser(self, id, first_name, last_name, username, language_code)
        self._users[id] = user
        return user

    def group(
        self,
        id: int,
        title: str,
        type: str = "supergroup",
        *,
        username: str | None = None,
        with_bot: bool = True,
    ) -> SandboxGroup:
        """Create a group or supergroup; ``with_bot`` puts the bot in it already (no update)."""
        if id >= 0:
            raise ValueError("group ids are negative")
        if type not in ("group", "supergroup"):
            raise ValueError("type is 'group' or 'supergroup'")
        if id in self._groups:
            raise ValueError(f"group {id} already exists")
        group = SandboxGroup(self, id, title, type, username, "member" if with_bot else "left")
        self._groups[id] = group
        return group

    def get_user(self, user_id: int) -> SandboxUser:
        try:
            return self._users[user_id]
        except KeyError:
            raise SandboxError(f"no user {user_id} in the sandbox") from None

    def get_group(self, chat_id: int) -> SandboxGroup:
        try:
            return self._groups[chat_id]
        except KeyError:
            raise SandboxError(f"no group {chat_id} in the sandbox") from None

    @property
    def users(self) -> list[SandboxUser]:
        return list(self._users.values())

    @property
    def groups(self) -> list[SandboxGroup]:
        return list(self._groups.values())

    def bot_user_dict(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def chat_dict(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._groups:
            return self._groups[chat_id].to_dict()
        user = self._users[chat_id]
        chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
        if user.last_name:
            chat["last_name"] = user.last_name
        if user.username:
            chat["username"] = user.username
        return chat

    def log(self, chat_id: int) -> ChatLog:
        if chat_id not in self._logs:
            self._logs[chat_id] = ChatLog()
        return self._logs[chat_id]

    # ------------------------------------------------------------------ reading what the bot did

    def message(self, chat_id: int, message_id: int) -> BotMessage | None:
        """The bot message ``message_id`` of a chat (deleted ones included)."""
        found = self._logs.get(chat_id, ChatLog()).get(message_id)
        return found if isinstance(found, BotMessage) else None

    def messages_in(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """Bot messages of a chat, in order."""
        log = self._logs.get(chat_id)
        if log is None:
            return []
        return [m for m in log.bot_messages if include_deleted or not m.deleted]

    @property
    def bot_messages(self) -> list[BotMessage]:
        """Every bot message of every chat, in the order they were sent."""
        return list(self._sent)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (copies)."""
        return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ waiting

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, message: str | None = None
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value; AssertionError on timeout.

        Re-checked after every sandbox change, and every 50 ms for outside state.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"condition not met within {timeout}s" + (f": {message}" if message else "")
                )
            await self._changed.wait(min(remaining, 0.05))

    async def next_bot_message(self, chat_id: int, timeout: float = 5.0) -> BotMessage:
        """The next bot message of a chat that no next_bot_message() call has returned yet."""
        log = self.log(chat_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if log.consumed < len(log.bot_messages):
                message = log.bot_messages[log.consumed]
                log.consumed += 1
                log.consumed_at_call = len(self.calls)
                return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._explain_silence(chat_id, timeout, log.consumed_at_call))
            await self._changed.wait(remaining)

    def _explain_silence(self, chat_id: int, timeout: float, since_call: int) -> str:
        name = self._groups[chat_id].title if chat_id in self._groups else self._users.get(chat_id)
        lines = [f"no new bot message in chat {chat_id} ({name}) within {timeout}s."]
        recent = [c for c in self.calls[since_call:] if c.method.lower() != "getupdates"]
        if recent:
            lines.append("Bot API calls since the last message read here:")
            for call in recent[-15:]:
                shown = {
                    k: call.params[k]
                    for k in ("chat_id", "text", "message_id", "caption")
                    if k in call.params
                }
                text = repr(shown)[:160]
                outcome = (
                    call.fault and f"fault {call.fault}" or f"{call.status} {call.description or ''}".strip()
                )
                lines.append(f"  {call.method}({text}) -> {outcome}")
        else:
            lines.append(
                "The bot made no Bot API call (besides getUpdates) since the last message read here."
            )
        if self._updates:
            lines.append(f"{len(self._updates)} update(s) still unconfirmed by the bot (is it polling?).")
        return "\n".join(lines)

    # ------------------------------------------------------------------ updates

    def _push_update(self, kind: str, payload: dict[str, Any]) -> None:
        self._last_update_id += 1
        self._updates.append({"update_id": self._last_update_id, kind: copy.deepcopy(payload)})
        self._changed.notify()

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _NOT_DEFAULT_UPDATES

    def _confirm(self, offset: int) -> None:
        """getUpdates' offset: forget updates before it (a negative one keeps the last -offset)."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Updates of types the bot filtered out would never have been queued by Telegram.
        self._updates = [u for u in self._updates if self._allowed(u)]
        return copy.deepcopy(self._updates[:limit])

    # ------------------------------------------------------------------ user side (driven by people.py)

    def _now(self) -> int:
        return int(time.time())

    def _group_visible(self, chat_id: int, message: dict[str, Any]) -> bool:
        group = self._groups[chat_id]
        if group.bot_status not in ("member", "administrator"):
            return False
        return group_message_visible(
            message,
            bot_id=self.bot_id,
            bot_username=self.username,
            bot_is_admin=group.bot_status == "administrator",
            privacy_mode=self.privacy_mode,
        )

    def _user_chat(self, user: SandboxUser, chat: SandboxGroup | int | None) -> int:
        """The chat a user posts in, checked like a Telegram client would let them."""
        if chat is None or chat == user.id:
            return user.id
        chat_id = chat.id if isinstance(chat, SandboxGroup) else chat
        group = self.get_group(chat_id)
        if group.migrated_to is not None:
            raise SandboxError(f"group {chat_id} was upgraded to supergroup {group.migrated_to}; post there")
        if group.members.get(user.id) not in ("member", "administrator", "creator"):
            raise SandboxError(f"{user} is not a member of {group}; call group.add_member(user) first")
        return chat_id

    def _resolve_ref(self, chat_id: int, ref: MessageRef) -> int:
        if isinstance(ref, BotMessage):
            if ref.chat_id != chat_id:
                raise SandboxError(f"{ref!r} is not in chat {chat_id}")
            return ref.message_id
        if isinstance(ref, dict):
            if ref.get("chat", {}).get("id", chat_id) != chat_id:
                raise SandboxError(f"message {ref.get('message_id')} is not in chat {chat_id}")
            return int(ref["message_id"])
        return int(ref)

    def _post_user_message(
        self,
        user: SandboxUser,
        chat: SandboxGroup | int | None,
        fields: dict[str, Any],
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        chat_id = self._user_chat(user, chat)
        if chat_id == user.id:
            if user.blocked:
                # Writing to a blocked bot means pressing "Unblock"/"Restart" first.
                user.unblock_bot()
            user.started = True
        log = self.log(chat_id)
        message: dict[str, Any] = {
            "message_id": log.next_id(),
            "from": user.to_dict(),
            "chat": self.chat_dict(chat_id),
            "date": self._now(),
            **fields,
        }
        if reply_to is not None:
            reply_id = self._resolve_ref(chat_id, reply_to)
            replied = log.as_dict(reply_id)
            if replied is None or log.is_deleted(reply_id):
                raise SandboxError(f"no message {reply_id} to reply to in chat {chat_id}")
            replied.pop("reply_to_message", None)  # Telegram nests one level only
            message["reply_to_message"] = replied
        log.messages[message["message_id"]] = message
        if chat_id == user.id or self._group_visible(chat_id, message):
            self._push_update("message", message)
        self._changed.notify()
        return copy.deepcopy(message)

    def _text_fields(self, text: str) -> dict[str, Any]:
        plain, _ = trim(text, [])
        if not plain:
            raise SandboxError("a Telegram client cannot send an empty message")
        fields: dict[str, Any] = {"text": plain}
        entities = detect_entities(plain)
        if entities:
            fields["entities"] = entities
        return fields

    def _user_edit(
        self, user: SandboxUser, message: MessageRef, new_text: str, chat: SandboxGroup | int | None
    ) -> dict[str, Any]:
        if isinstance(message, dict) and chat is None:
            chat = message.get("chat", {}).get("id")
        chat_id = self._user_chat(user, chat)
        log = self.log(chat_id)
        message_id = self._resolve_ref(chat_id, message)
        stored = log.get(message_id)
        if not isinstance(stored, dict) or stored["from"]["id"] != user.id or log.is_deleted(message_id):
            raise SandboxError(f"{user} has no message {message_id} to edit in chat {chat_id}")
        for key in ("text", "entities"):
            stored.pop(key, None)
        stored.update(self._text_fields(new_text))
        stored["edit_date"] = self._now()
        if chat_id == user.id or self._group_visible(chat_id, stored):
            self._push_update("edited_message", stored)
        self._changed.notify()
        return copy.deepcopy(stored)

    def _press(
        self,
        user: SandboxUser,
        message: MessageRef,
        text: str | None,
        data: str | None,
        chat: SandboxGroup | int | None,
        *,
        forged: bool = False,
    ) -> dict[str, Any]:
        if text is None and data is None:
            raise SandboxError("press() needs the button's text or its callback data")
        if isinstance(message, BotMessage):
            chat = message.chat_id
        elif isinstance(message, dict) and chat is None:
            chat = message.get("chat", {}).get("id")
        bot_message: BotMessage | None
        if forged and isinstance(message, BotMessage):
            # A forged query may name any message the client has seen, even one of another chat.
            chat_id, bot_message = message.chat_id, message
        else:
            chat_id = self._user_chat(user, chat)
            bot_message = self.message(chat_id, self._resolve_ref(chat_id, message))
        if bot_message is None or bot_message.deleted:
            raise SandboxError(f"no bot message {message!r} in chat {chat_id} to press a button on")
        button = {"callback_data": data} if forged else bot_message.find_button(text, data)
        if button is None:
            wanted = f"text={text!r}" if text is not None else f"data={data!r}"
            offered = [
                (b.get("text"), b.get("callback_data")) for row in bot_message.inline_keyboard for b in row
            ]
            raise SandboxError(
                f"no inline button with {wanted} on {bot_message!r}; buttons (text, data): {offered}"
            )
        if "callback_data" not in button:
            raise SandboxError(f"button {button.get('text')!r} sends no callback (it is {sorted(button)})")
        query_id = str(next(self._query_ids))
        self._queries[query_id] = user.id
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": bot_message.to_dict(),
            "chat_instance": str(abs(chat_id) * 7919 + 104729),
            "data": button["callback_data"],
        }
        self._push_update("callback_query", query)
        return copy.deepcopy(query)

    def _record_answer(self, query_id: str, answer: CallbackAnswer) -> bool:
        user_id = self._queries.pop(query_id, None)
        if user_id is None:
            return False
        self._users[user_id].answers.append(answer)
        self._changed.notify()
        return True

    def _member_update(
        self,
        chat_id: int,
        actor: SandboxUser,
        member: dict[str, Any],
        old_status: str,
        new_status: str,
        kind: str = "my_chat_member",
    ) -> None:
        self._push_update(
            kind,
            {
                "chat": self.chat_dict(chat_id),
                "from": actor.to_dict(),
                "date": self._now(),
                "old_chat_member": chat_member_dict(member, old_status),
                "new_chat_member": chat_member_dict(member, new_status),
            },
        )

    def _service_message(self, chat_id: int, actor: SandboxUser, fields: dict[str, Any]) -> dict[str, Any]:
        """A service message (joins, migrations...): stored, and delivered if the bot is there."""
        log = self.log(chat_id)
        message = {
            "message_id": log.next_id(),
            "from": actor.to_dict(),
            "chat": self.chat_dict(chat_id),
            "date": self._now(),
            **fields,
        }
        log.messages[message["message_id"]] = message
        if self._group_visible(chat_id, message):
            self._push_update("message", message)
        self._changed.notify()
        return copy.deepcopy(message)

"""The user side: people and groups that tests drive, as a Telegram client would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import SandboxError
from sandbox.models import BotMessage, CallbackAnswer

if TYPE_CHECKING:
    from sandbox.world import World

# A message to reply to, edit or press on: the BotMessage, a message dict, or its id.
MessageRef = BotMessage | dict[str, Any] | int

_MEMBER_STATUSES = ("member", "administrator", "creator")


class SandboxUser:
    """A person with a Telegram account. They talk to the bot in private or in groups."""

    def __init__(
        self,
        world: World,
        id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self._world = world
        self.id = id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.started = False  # wrote to the bot in private at least once
        self.blocked = False
        self.deactivated = False
        self.answers: list[CallbackAnswer] = []

    def __repr__(self) -> str:
        return f"<SandboxUser {self.id} {self.first_name!r}>"

    def to_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def chat_id(self) -> int:
        """The id of this user's private chat with the bot (their user id, as in Telegram)."""
        return self.id

    # ------------------------------------------------------------------ acting

    def send(
        self, text: str, chat: SandboxGroup | int | None = None, reply_to: MessageRef | None = None
    ) -> dict[str, Any]:
        """Send a text message (private chat by default); returns the Message dict."""
        return self._world._post_user_message(self, chat, self._world._text_fields(text), reply_to)

    def send_raw(
        self, chat: SandboxGroup | int | None = None, reply_to: MessageRef | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Send a message made of arbitrary Message fields (sticker=..., photo=..., contact=...)."""
        return self._world._post_user_message(self, chat, fields, reply_to)

    def send_document(
        self,
        data: bytes,
        filename: str,
        caption: str | None = None,
        chat: SandboxGroup | int | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """Send a file; the bot can getFile() and download it."""
        stored = self._world.files.add(data, filename, mime_type)
        fields: dict[str, Any] = {"document": stored.document_dict()}
        if caption:
            fields["caption"] = caption
        return self.send_raw(chat, **fields)

    def press(
        self,
        message: MessageRef,
        text: str | None = None,
        data: str | None = None,
        chat: SandboxGroup | int | None = None,
    ) -> dict[str, Any]:
        """Press an inline button found by its text or its callback_data; returns the CallbackQuery."""
        return self._world._press(self, message, text, data, chat)

    def forge_press(
        self, message: MessageRef, data: str, chat: SandboxGroup | int | None = None
    ) -> dict[str, Any]:
        """What a modified client can send: a press on `message` with callback data that none of its
        buttons carries (a forged page, another person's id). The bot must check it like any press."""
        return self._world._press(self, message, None, data, chat, forged=True)

    def edit(
        self, message: MessageRef, new_text: str, chat: SandboxGroup | int | None = None
    ) -> dict[str, Any]:
        """Edit one of this user's own text messages; the bot gets an edited_message update."""
        return self._world._user_edit(self, message, new_text, chat)

    def block_bot(self) -> None:
        """Block the bot: it gets my_chat_member (member -> kicked) and 403 on sends."""
        if self.blocked:
            return
        self.blocked = True
        if self.started:
            self._world._member_update(self.id, self, self._world.bot_user_dict(), "member", "kicked")

    def unblock_bot(self) -> None:
        if not self.blocked:
            return
        self.blocked = False
        if self.started:
            self._world._member_update(self.id, self, self._world.bot_user_dict(), "kicked", "member")

    def deactivate(self) -> None:
        """Delete the account: sends then fail with 403 "user is deactivated"."""
        self.deactivated = True

    # ------------------------------------------------------------------ reading

    @property
    def messages(self) -> list[BotMessage]:
        """Bot messages in the private chat that the user can still see, in order."""
        return self._world.messages_in(self.id)

    @property
    def history(self) -> list[BotMessage]:
        """Every bot message of the private chat, deleted ones included."""
        return self._world.messages_in(self.id, include_deleted=True)

    @property
    def last_message(self) -> BotMessage | None:
        visible = self.messages
        return visible[-1] if visible else None

    async def next_message(self, timeout: float = 5.0) -> BotMessage:
        """The next bot message in the private chat not yet returned by next_message()."""
        return await self._world.next_bot_message(self.id, timeout)

    @property
    def last_answer(self) -> CallbackAnswer | None:
        """The bot's last answerCallbackQuery to this user's presses."""
        return self.answers[-1] if self.answers else None


class SandboxGroup:
    """A group or supergroup (negative id) with members; the bot may be one of them."""

    def __init__(
        self, world: World, id: int, title: str, type: str, username: str | None, bot_status: str
    ) -> None:
        self._world = world
        self.id = id
        self.title = title
        self.type = type
        self.username = username
        self.members: dict[int, str] = {}
        self.bot_status = bot_status  # member | administrator | left | kicked
        self.migrated_to: int | None = None
        # The reactions its admins allow: None is every standard emoji, [] is reactions turned off.
        self.reactions: list[str] | None = None

    def __repr__(self) -> str:
        return f"<SandboxGroup {self.id} {self.title!r}>"

    def to_dict(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "title": self.title, "type": self.type}
        if self.username:
            chat["username"] = self.username
        return chat

    @property
    def bot_is_member(self) -> bool:
        return self.bot_status in ("member", "administrator")

    def set_reactions(self, allowed: list[str] | None) -> None:
        """What admins allow: None every reaction, [] none (setMessageReaction then fails)."""
        self.reactions = None if allowed is None else list(allowed)

    def allows_reaction(self, emoji: str) -> bool:
        return self.reactions is None or emoji in self.reactions

    def member_status(self, user_id: int) -> str:
        if user_id == self._world.bot_id:
            return self.bot_status
        return self.members.get(user_id, "left")

    def add_member(self, user: SandboxUser, status: str = "member", *, announce: bool | None = None) -> None:
        """Make ``user`` a member; ``announce`` (default: when the bot is in) posts new_chat_members."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"status is one of {_MEMBER_STATUSES}")
        self.members[user.id] = status
        if announce is None:
            announce = self.bot_is_member
        if announce:
            self._world._service_message(self.id, user, {"new_chat_members": [user.to_dict()]})

    def remove_member(self, user: SandboxUser, *, announce: bool | None = None) -> None:
        """The user leaves; ``announce`` (default: when the bot is in) posts left_chat_member."""
        self.members[user.id] = "left"
        if announce is None:
            announce = self.bot_is_member
        if announce:
            self._world._service_message(self.id, user, {"left_chat_member": user.to_dict()})

    def add_bot(self, by: SandboxUser, status: str = "member") -> None:
        """``by`` adds the bot: my_chat_member (left -> status) then a new_chat_members message."""
        if status not in ("member", "administrator"):
            raise ValueError("the bot joins as 'member' or 'administrator'")
        self._require_member(by)
        old = self.bot_status
        self.bot_status = status
        bot = self._world.bot_user_dict()
        self._world._member_update(self.id, by, bot, old, status)
        self._world._service_message(self.id, by, {"new_chat_members": [bot]})

    def remove_bot(self, by: SandboxUser) -> None:
        """``by`` kicks the bot: my_chat_member (-> kicked); sends then get 403."""
        self._require_member(by)
        old = self.bot_status
        self.bot_status = "kicked"
        self._world._member_update(self.id, by, self._world.bot_user_dict(), old, "kicked")

    def set_bot_status(self, by: SandboxUser, status: str) -> None:
        """Promote or demote the bot ("administrator" / "member"), with its my_chat_member update."""
        if not self.bot_is_member:
            raise SandboxError(f"the bot is not in {self}; use add_bot()")
        old = self.bot_status
        self.bot_status = status
        self._world._member_update(self.id, by, self._world.bot_user_dict(), old, status)

    def migrate(self, by: SandboxUser | None = None, new_id: int | None = None) -> SandboxGroup:
        """Upgrade a basic group to a supergroup, as Telegram does: a new chat id, both service messages."""
        if self.type != "group":
            raise SandboxError(f"{self} is already a supergroup")
        if by is None:
            members = [uid for uid, s in self.members.items() if s in _MEMBER_STATUSES]
            if not members:
                raise SandboxError(f"{self} has no member to upgrade it")
            by = self._world.get_user(members[0])
        new_id = new_id if new_id is not None else int(f"-100{abs(self.id)}")
        new = self._world.group(new_id, self.title, "supergroup", username=self.username, with_bot=False)
        new.members = dict(self.members)
        new.bot_status = self.bot_status
        self._world._service_message(self.id, by, {"migrate_to_chat_id": new_id})
        self.migrated_to = new_id
        self._world._service_message(new_id, by, {"migrate_from_chat_id": self.id})
        return new

    def _require_member(self, user: SandboxUser) -> None:
        if self.members.get(user.id) not in _MEMBER_STATUSES:
            raise SandboxError(f"{user} is not a member of {self}")

    # ------------------------------------------------------------------ reading

    @property
    def messages(self) -> list[BotMessage]:
        """Bot messages in this group that members can still see, in order."""
        return self._world.messages_in(self.id)

    @property
    def history(self) -> list[BotMessage]:
        return self._world.messages_in(self.id, include_deleted=True)

    @property
    def last_message(self) -> BotMessage | None:
        visible = self.messages
        return visible[-1] if visible else None

    async def next_message(self, timeout: float = 5.0) -> BotMessage:
        """The next bot message in this group not yet returned by next_message()."""
        return await self._world.next_bot_message(self.id, timeout)

"""Records of the fake Telegram world: bot messages, chat logs, calls, stats."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.files import StoredFile


@dataclass
class Edit:
    """A previous version of a bot message, kept when it is edited."""

    text: str | None
    plain: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    date: int


@dataclass
class BotMessage:
    """A message the bot sent, in its current state (edits and deletion included)."""

    chat_id: int
    message_id: int
    date: int
    chat: dict[str, Any]
    sender: dict[str, Any]
    text: str | None  # as sent (with HTML markup); the caption for a document/photo
    plain: str  # what the user sees: tags stripped, entities unescaped ("" for a file without caption)
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to: int | None = None
    reply_to_message: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    disable_notification: bool = False
    document: StoredFile | None = None
    photo: StoredFile | None = None
    media_group_id: str | None = None  # an album's items share it (sendMediaGroup)
    edits: list[Edit] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False

    @property
    def kind(self) -> str:
        if self.document is not None:
            return "document"
        if self.photo is not None:
            return "photo"
        return "text"

    @property
    def caption(self) -> str | None:
        return (self.plain or None) if self.kind != "text" else None

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            rows: list[list[dict[str, Any]]] = self.reply_markup["inline_keyboard"]
            return rows
        return []

    @property
    def buttons(self) -> list[list[str]]:
        """Button texts by row, for an inline or a reply keyboard."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text in row]

    def find_button(self, text: str | None = None, data: str | None = None) -> dict[str, Any] | None:
        for row in self.inline_keyboard:
            for button in row:
                if (text is None or button.get("text") == text) and (
                    data is None or button.get("callback_data") == data
                ):
                    return button
        return None

    def to_dict(self) -> dict[str, Any]:
        """The Telegram Message object for the current state."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_to_message is not None:
            message["reply_to_message"] = self.reply_to_message
        if self.kind == "text":
            message["text"] = self.plain
            if self.entities:
                message["entities"] = self.entities
            if self.link_preview_options:
                message["link_preview_options"] = self.link_preview_options
        else:
            if self.document is not None:
                message["document"] = self.document.document_dict()
            if self.photo is not None:
                message["photo"] = self.photo.photo_sizes()
            if self.media_group_id is not None:
                message["media_group_id"] = self.media_group_id
            if self.plain:
                message["caption"] = self.plain
                if self.entities:
                    message["caption_entities"] = self.entities
        # Telegram echoes only inline keyboards in Message objects.
        if self.inline_keyboard:
            message["reply_markup"] = self.reply_markup
        return copy.deepcopy(message)

    def as_json(self) -> dict[str, Any]:
        """A summary for logs and the HTTP control API."""
        info: dict[str, Any] = {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "kind": self.kind,
            "text": self.text,
            "plain": self.plain if self.kind == "text" else self.plain or None,
            "parse_mode": self.parse_mode,
            "buttons": self.buttons,
            "reply_to": self.reply_to,
            "edits": len(self.edits),
            "deleted": self.deleted,
            "message": self.to_dict(),
        }
        for name in ("document", "photo"):
            stored: StoredFile | None = getattr(self, name)
            if stored is not None:
                info[name] = {"filename": stored.filename, "size": stored.size, "file_id": stored.file_id}
        return info

    def __repr__(self) -> str:
        shown = (self.plain or "")[:60]
        extra = f" {self.kind}" if self.kind != "text" else ""
        gone = " deleted" if self.deleted else ""
        return f"<BotMessage chat={self.chat_id} #{self.message_id}{extra}{gone} {shown!r} buttons={self.button_texts}>"


@dataclass
class ChatLog:
    """All messages of one chat, in order; message ids are per chat, as in supergroups."""

    last_message_id: int = 0
    messages: dict[int, BotMessage | dict[str, Any]] = field(default_factory=dict)
    bot_messages: list[BotMessage] = field(default_factory=list)
    deleted_user_messages: set[int] = field(default_factory=set)
    consumed: int = 0  # how many bot_messages next_message() has handed out
    consumed_at_call: int = 0  # len(calls) when next_message() last returned

    def next_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def get(self, message_id: int) -> BotMessage | dict[str, Any] | None:
        return self.messages.get(message_id)

    def is_deleted(self, message_id: int) -> bool:
        message = self.messages.get(message_id)
        if message is None:
            return False
        if isinstance(message, BotMessage):
            return message.deleted
        return message_id in self.deleted_user_messages

    def as_dict(self, message_id: int) -> dict[str, Any] | None:
        message = self.messages.get(message_id)
        if message is None:
            return None
        if isinstance(message, BotMessage):
            return message.to_dict()
        return copy.deepcopy(message)


@dataclass
class CallRecord:
    """One Bot API call as the sandbox saw it. ``status`` is None when no answer was sent."""

    method: str
    params: dict[str, Any]
    status: int | None
    time: float
    description: str | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "params": {
                k: v if isinstance(v, str | int | float | bool | list | dict) else repr(v)
                for k, v in self.params.items()
            },
            "status": self.status,
            "time": self.time,
            "description": self.description,
            "fault": self.fault,
        }


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to one button press."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass
class Stats:
    """Counters over every call; ``rate_limited`` counts 429s from the limiter, ``faults`` injected ones."""

    calls: int = 0
    sent: int = 0
    edited: int = 0
    deleted: int = 0
    rate_limited: int = 0
    faults: int = 0
    errors: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    sent_by_chat: Counter[int] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "sent": self.sent,
            "edited": self.edited,
            "deleted": self.deleted,
            "rate_limited": self.rate_limited,
            "faults": self.faults,
            "errors": self.errors,
            "by_method": dict(self.by_method),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "sent_by_chat": {str(k): v for k, v in self.sent_by_chat.items()},
        }


@dataclass
class WebhookState:
    """What setWebhook stored; an empty url means getUpdates mode."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

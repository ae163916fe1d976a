"""TelegramSandbox: the Bot API methods, answered with Telegram's own results and errors."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import urlsplit

from telegram.constants import ReactionEmoji

from sandbox.errors import (
    NOT_FOUND,
    ApiError,
    InjectedNetworkError,
    InjectedTimeout,
    bad_request,
    conflict,
    forbidden,
    migrated,
    too_many_requests,
)
from sandbox.faults import Fault, FaultInjector
from sandbox.files import StoredFile, UploadedFile, image_size
from sandbox.html import HtmlParseError, parse_html
from sandbox.limits import Limits, RateLimiter
from sandbox.models import BotMessage, CallbackAnswer, CallRecord, Edit, Stats
from sandbox.params import Params
from sandbox.people import SandboxGroup, SandboxUser
from sandbox.text import trim
from sandbox.world import World, chat_member_dict

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "login_url",
    "copy_text",
)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SCOPE_TYPES = (
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
)
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# The standard emoji a ReactionTypeEmoji may carry (Bot API, ReactionTypeEmoji.emoji).
ALLOWED_REACTIONS = frozenset(e.value for e in ReactionEmoji)

ScopeKey = tuple[str, int | None, int | None]
Handler = Callable[[Params, dict[str, UploadedFile]], Any]


class TelegramSandbox(World):
    """A fake Telegram for one bot: call Bot API methods by name, drive users, read what happened."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_id: int | None = None,
        username: str = "coordo_bot",
        first_name: str = "Coordo",
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
        privacy_mode: bool = True,
        strict_html: bool = True,
    ) -> None:
        if bot_id is None:
            # A real token starts with the bot's id; keep them consistent.
            prefix = (token or "").split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 7_000_000_001
        super().__init__(
            token=token or f"{bot_id}:sandbox-{username}-0123456789abcdef",
            bot_id=bot_id,
            username=username,
            first_name=first_name,
            privacy_mode=privacy_mode,
            strict_html=strict_html,
            clock=clock,
        )
        self.limiter = RateLimiter(limits or Limits(), clock)
        self.faults = FaultInjector()
        self.stats = Stats()
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._commands: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}
        self._poll_generation = 0
        self._media_groups = 13_000_000_000_000_000  # media_group_id of the last album sent
        # The bot's reactions, per (chat id, message id): the ReactionType list last set.
        self.reactions: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._methods: dict[str, Handler] = {
            name.lower(): getattr(self, f"_m_{name}")
            for name in (
                "getMe",
                "getUpdates",
                "setWebhook",
                "deleteWebhook",
                "getWebhookInfo",
                "sendMessage",
                "editMessageText",
                "editMessageCaption",
                "editMessageReplyMarkup",
                "deleteMessage",
                "setMessageReaction",
                "answerCallbackQuery",
                "setMyCommands",
                "getMyCommands",
                "deleteMyCommands",
                "sendDocument",
                "sendPhoto",
                "sendMediaGroup",
                "getFile",
                "getChat",
                "getChatMember",
                "getChatAdministrators",
                "getChatMemberCount",
                "sendChatAction",
                "setChatMenuButton",
                "getChatMenuButton",
                "close",
                "logOut",
            )
        }

    # ------------------------------------------------------------------ configuration

    @property
    def limits(self) -> Limits:
        return self.limiter.limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        self.limiter.limits = limits

    def inject_fault(
        self,
        method: str | None = None,
        kind: str = "429",
        times: int | None = 1,
        chat_id: int | None = None,
        probability: float | None = None,
        retry_after: int = 1,
        seed: int = 0,
        *,
        applied: bool = False,
        hang: float = 30.0,
    ) -> Fault:
        """Make the next matching calls fail; see Fault for the meaning of each field."""
        return self.faults.add(
            Fault(
                kind=str(kind),
                method=method,
                times=times,
                chat_id=chat_id,
                probability=probability,
                retry_after=retry_after,
                seed=seed,
                applied=applied,
                hang=hang,
            )
        )

    def clear_faults(self) -> None:
        self.faults.clear()

    def calls_to(self, method: str) -> list[CallRecord]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    # ------------------------------------------------------------------ commands, read side

    def commands(
        self, scope: str | dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The commands set for exactly this scope and language (what getMyCommands returns)."""
        if isinstance(scope, str):
            scope = {"type": scope}
        return list(self._commands.get((self._scope_key(scope), language_code), []))

    def commands_for(self, user: SandboxUser, chat: SandboxGroup | None = None) -> list[dict[str, str]]:
        """The command list ``user``'s app shows in ``chat`` (default: private), by Telegram's scope order."""
        if chat is None:
            chain: list[ScopeKey] = [("chat", user.id, None), ("all_private_chats", None, None)]
        elif chat.member_status(user.id) in ("administrator", "creator"):
            chain = [
                ("chat_member", chat.id, user.id),
                ("chat_administrators", chat.id, None),
                ("chat", chat.id, None),
                ("all_chat_administrators", None, None),
                ("all_group_chats", None, None),
            ]
        else:
            chain = [
                ("chat_member", chat.id, user.id),
                ("chat", chat.id, None),
                ("all_group_chats", None, None),
            ]
        chain.append(("default", None, None))
        languages = [user.language_code, ""] if user.language_code else [""]
        for key in chain:
            for language in languages:
                found = self._commands.get((key, language))
                if found:
                    return list(found)
        return []

    # ------------------------------------------------------------------ the one entry point

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run one Bot API method; returns (HTTP status, Telegram JSON body).

        Injected "timeout"/"network" faults raise InjectedTimeout / InjectedNetworkError
        (subclasses of telegram.error.TimedOut / NetworkError) instead of returning.
        """
        p = Params(params)
        uploads = dict(files or {})
        record = CallRecord(method, {**uploads, **p.raw}, None, self.clock())
        self.calls.append(record)
        self.stats.calls += 1
        self.stats.by_method[method] += 1
        try:
            fault = self.faults.pick(method, _loose_chat_id(p))
            if fault is not None:
                record.fault = fault.kind
                self.stats.faults += 1
                error = fault.api_error()
                if error is not None:
                    raise error
                if fault.applied:
                    with contextlib.suppress(ApiError):
                        await self._dispatch(method, p, uploads)
                raise fault.transport_error()
            result = await self._dispatch(method, p, uploads)
        except ApiError as exc:
            status, body = exc.code, exc.body()
        except (InjectedTimeout, InjectedNetworkError) as exc:
            record.description = str(exc)
            self._changed.notify()
            raise
        except asyncio.CancelledError:
            record.description = "cancelled by the client"
            raise
        except Exception as exc:  # a sandbox bug must not look like a Telegram answer
            log.exception("sandbox failed on %s", method)
            status, body = (
                500,
                {
                    "ok": False,
                    "error_code": 500,
                    "description": f"Internal Server Error: sandbox bug: {exc!r}",
                },
            )
        else:
            status, body = 200, {"ok": True, "result": result}
        record.status = status
        record.description = body.get("description")
        self.stats.by_status[status] += 1
        if status >= 300:
            self.stats.errors += 1
        self._changed.notify()
        return status, body

    async def _dispatch(self, method: str, p: Params, files: dict[str, UploadedFile]) -> Any:
        handler = self._methods.get(method.lower())  # Bot API method names are case-insensitive
        if handler is None:
            raise ApiError(NOT_FOUND.code, NOT_FOUND.description)
        result = handler(p, files)
        if inspect.isawaitable(result):
            result = await result
        return result

    # ------------------------------------------------------------------ shared checks

    def _chat_ref(self, p: Params, name: str = "chat_id") -> int | str:
        raw = p.raw.get(name)
        if raw is None or raw == "":
            raise bad_request(f"{name} is empty")
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = str(raw).strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if text.startswith("@"):
            return text
        raise bad_request("chat not found")

    def _known_chat(self, ref: int | str) -> int:
        """The chat id for a reference, if the chat exists at all."""
        if isinstance(ref, str):
            for group in self._groups.values():
                if group.username and group.username.lower() == ref[1:].lower():
                    return group.id
            raise bad_request("chat not found")
        if ref in self._users or ref in self._groups:
            return ref
        raise bad_request("chat not found")

    def _sendable_chat(self, ref: int | str) -> int:
        """The chat id if the bot may post there now, else Telegram's 400/403."""
        chat_id = self._known_chat(ref)
        if chat_id == self.bot_id:
            raise forbidden("bot can't send messages to bots")
        if chat_id > 0:
            user = self._users[chat_id]
            if user.deactivated:
                raise forbidden("user is deactivated")
            if user.blocked:
                raise forbidden("bot was blocked by the user")
            if not user.started:
                raise forbidden("bot can't initiate conversation with a user")
            return chat_id
        group = self._groups[chat_id]
        if group.migrated_to is not None:
            raise migrated(group.migrated_to)
        if group.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {group.type} chat")
        if group.bot_status == "left":
            raise forbidden(f"bot is not a member of the {group.type} chat")
        return chat_id

    def _format(
        self, text: str, parse_mode: str | None, p: Params, entities_param: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """(plain text, entities) the way Telegram renders ``text``, trimmed like Telegram does."""
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                plain, entities = parse_html(text, strict=self.strict_html)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode in ("markdown", "markdownv2"):
            # Deliberately loud: silently accepting unparsed Markdown would hide real errors.
            raise bad_request(f"unsupported parse_mode {parse_mode!r} (the sandbox implements only HTML)")
        elif mode:
            raise bad_request("unsupported parse_mode")
        else:
            plain = text
            entities = p.json(entities_param, error="can't parse entities JSON object") or []
        return trim(plain, entities)

    def _reply_markup(self, p: Params) -> dict[str, Any] | None:
        markup = p.json("reply_markup", error="can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            if not any(rows):
                return None  # an empty inline keyboard is no keyboard
        elif not {"keyboard", "remove_keyboard", "force_reply"} & set(markup):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _check_buttons(self, markup: dict[str, Any] | None) -> None:
        """Button checks Telegram's servers make (after the chat was found)."""
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                if not any(action in button for action in _INLINE_ACTIONS):
                    raise bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                    )
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode("utf-8"))
                    if not 1 <= size <= 64:
                        raise bad_request("BUTTON_DATA_INVALID")
                if "url" in button:
                    url = str(button["url"])
                    if not url or any(ch.isspace() for ch in url):
                        raise bad_request("BUTTON_URL_INVALID")

    def _reply_target(self, chat_id: int, p: Params) -> tuple[int, dict[str, Any]] | None:
        options = p.json("reply_parameters", error="can't parse reply parameters JSON object") or {}
        message_id = options.get("message_id") or p.int("reply_to_message_id")
        if not message_id:
            return None
        target_chat = chat_id
        if options.get("chat_id") not in (None, ""):
            target_chat = self._known_chat(self._chat_ref(Params({"chat_id": options["chat_id"]})))
        allow = bool(options.get("allow_sending_without_reply")) or p.bool("allow_sending_without_reply")
        chat_log = self._logs.get(target_chat)
        replied = chat_log.as_dict(int(message_id)) if chat_log else None
        if replied is None or (chat_log is not None and chat_log.is_deleted(int(message_id))):
            if allow:
                return None
            raise bad_request("message to be replied not found")
        replied.pop("reply_to_message", None)
        return int(message_id), replied

    def _rate_check(self, method: str, chat_id: int) -> None:
        if not self.limiter.applies_to(method):
            return
        retry_after = self.limiter.retry_after(chat_id)
        if retry_after is not None:
            self.stats.rate_limited += 1
            raise too_many_requests(retry_after)

    def _rate_record(self, method: str, chat_id: int) -> None:
        if self.limiter.applies_to(method):
            self.limiter.record(chat_id)

    def _store(self, message: BotMessage) -> BotMessage:
        chat_log = self.log(message.chat_id)
        chat_log.messages[message.message_id] = message
        chat_log.bot_messages.append(message)
        self._sent.append(message)
        self.stats.sent += 1
        self.stats.sent_by_chat[message.chat_id] += 1
        self._changed.notify()
        return message

    def _new_message(self, chat_id: int, **fields: Any) -> BotMessage:
        return BotMessage(
            chat_id=chat_id,
            message_id=self.log(chat_id).next_id(),
            date=self._now(),
            chat=self.chat_dict(chat_id),
            sender=self.bot_user_dict(),
            **fields,
        )

    def _edit_target(self, p: Params, verb: str) -> BotMessage:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the sandbox has no inline messages
        message_id = p.int("message_id", error="message identifier is not specified")
        if not p.has("chat_id") or not message_id:
            raise bad_request("message identifier is not specified")
        ref = self._chat_ref(p)
        chat_id = self._sendable_chat(ref) if verb == "edit" else self._known_chat(ref)
        chat_log = self._logs.get(chat_id)
        found = chat_log.get(message_id) if chat_log else None
        if found is None or (chat_log is not None and chat_log.is_deleted(message_id)):
            raise bad_request(f"message to {verb} not found")
        if not isinstance(found, BotMessage):
            raise bad_request(f"message can't be {verb}ed")
        return found

    # ------------------------------------------------------------------ bot identity and updates

    def _m_getMe(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        return {
            **self.bot_user_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getUpdates(self, p: Params, files: dict[str, UploadedFile]) -> list[dict[str, Any]]:
        if self.webhook.url:
            raise conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            )
        offset = p.int("offset", 0) or 0
        limit = min(100, max(1, p.int("limit", 100) or 100))
        timeout = max(0.0, p.float("timeout", 0.0) or 0.0)
        if p.has("allowed_updates"):
            self._allowed_updates = (
                p.json("allowed_updates", error="can't parse allowed_updates JSON object") or None
            )
        self._confirm(offset)
        # Like Telegram, a new long poll ends the one still waiting (it gets 409).
        self._poll_generation += 1
        generation = self._poll_generation
        self._changed.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise conflict(
                    "terminated by other getUpdates request; make sure that only one bot instance is running"
                )
            if self.webhook.url:
                raise conflict("terminated by setWebhook request")
            batch = self._deliverable(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            await self._changed.wait(remaining)

    def _m_setWebhook(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        url = p.str("url") or ""
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if parts.hostname not in _LOOPBACK_HOSTS:
                # The sandbox never sends traffic off this machine.
                raise bad_request("bad webhook: the sandbox only delivers webhooks to 127.0.0.1 or localhost")
        secret = p.str("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(secret):
            raise bad_request("secret token contains unallowed characters")
        if p.has("allowed_updates"):
            self._allowed_updates = (
                p.json("allowed_updates", error="can't parse allowed_updates JSON object") or None
            )
        if p.bool("drop_pending_updates"):
            self._updates.clear()
        self.webhook.url = url
        self.webhook.secret_token = secret if url else None
        self.webhook.max_connections = p.int("max_connections", 40) or 40
        self.webhook.allowed_updates = self._allowed_updates
        self.webhook.last_error_date = None
        self.webhook.last_error_message = None
        self._changed.notify()
        return True

    def _m_deleteWebhook(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        if p.bool("drop_pending_updates"):
            self._updates.clear()
        self.webhook.url = ""
        self.webhook.secret_token = None
        self._changed.notify()
        return True

    def _m_getWebhookInfo(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            info["ip_address"] = "127.0.0.1"
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    # Called by the webhook deliverer (webhook.py).
    def next_webhook_update(self) -> dict[str, Any] | None:
        if not self.webhook.url:
            return None
        batch = self._deliverable(1)
        return batch[0] if batch else None

    def webhook_delivered(self, update_id: int) -> None:
        self._updates = [u for u in self._updates if u["update_id"] != update_id]
        self._changed.notify()

    def webhook_failed(self, error: str) -> None:
        self.webhook.last_error_date = self._now()
        self.webhook.last_error_message = error

    # ------------------------------------------------------------------ messages

    def _m_sendMessage(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        ref = self._chat_ref(p)
        text = p.str("text")
        if not text:
            raise bad_request("message text is empty")
        parse_mode = p.str("parse_mode")
        plain, entities = self._format(text, parse_mode, p, "entities")
        if not plain:
            raise bad_request("message text is empty")
        markup = self._reply_markup(p)
        chat_id = self._sendable_chat(ref)
        reply = self._reply_target(chat_id, p)
        if len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        self._check_buttons(markup)
        self._rate_check("sendMessage", chat_id)
        message = self._store(
            self._new_message(
                chat_id,
                text=text,
                plain=plain,
                entities=entities,
                parse_mode=parse_mode,
                reply_markup=markup,
                reply_to=reply[0] if reply else None,
                reply_to_message=reply[1] if reply else None,
                link_preview_options=self._link_preview(p),
                disable_notification=p.bool("disable_notification"),
            )
        )
        self._rate_record("sendMessage", chat_id)
        return message.to_dict()

    def _link_preview(self, p: Params) -> dict[str, Any] | None:
        options = p.json("link_preview_options", error="can't parse link preview options JSON object")
        if options is None and p.bool("disable_web_page_preview"):
            options = {"is_disabled": True}
        return cast(dict[str, Any] | None, options)

    def _m_editMessageText(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        text = p.str("text")
        if not text:
            raise bad_request("message text is empty")
        parse_mode = p.str("parse_mode")
        plain, entities = self._format(text, parse_mode, p, "entities")
        if not plain:
            raise bad_request("message text is empty")
        markup = self._reply_markup(p)
        message = self._edit_target(p, "edit")
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        if len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        self._check_buttons(markup)
        # Telegram drops the inline keyboard of a message edited without reply_markup.
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if message.plain == plain and message.entities == entities and message.reply_markup == new_markup:
            raise bad_request(NOT_MODIFIED)
        self._rate_check("editMessageText", message.chat_id)
        self._remember_edit(message)
        message.text, message.plain, message.entities = text, plain, entities
        message.parse_mode = parse_mode
        message.reply_markup = new_markup
        preview = self._link_preview(p)
        if preview is not None:
            message.link_preview_options = preview
        self._rate_record("editMessageText", message.chat_id)
        self._changed.notify()
        return message.to_dict()

    def _m_editMessageCaption(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        """A media message's caption (empty removes it), as editMessageText does for text."""
        caption = p.str("caption") or ""
        parse_mode = p.str("parse_mode")
        plain, entities = self._format(caption, parse_mode, p, "caption_entities") if caption else ("", [])
        markup = self._reply_markup(p)
        message = self._edit_target(p, "edit")
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        if len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        self._check_buttons(markup)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if message.plain == plain and message.entities == entities and message.reply_markup == new_markup:
            raise bad_request(NOT_MODIFIED)
        self._rate_check("editMessageCaption", message.chat_id)
        self._remember_edit(message)
        message.text, message.plain, message.entities = caption or None, plain, entities
        message.parse_mode = parse_mode
        message.reply_markup = new_markup
        self._rate_record("editMessageCaption", message.chat_id)
        self._changed.notify()
        return message.to_dict()

    def _remember_edit(self, message: BotMessage) -> None:
        message.edits.append(
            Edit(
                message.text,
                message.plain,
                message.entities,
                message.reply_markup,
                message.edit_date or message.date,
            )
        )
        message.edit_date = self._now()
        self.stats.edited += 1

    def _m_editMessageReplyMarkup(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        markup = self._reply_markup(p)
        message = self._edit_target(p, "edit")
        self._check_buttons(markup)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if message.reply_markup == new_markup:
            raise bad_request(NOT_MODIFIED)
        self._rate_check("editMessageReplyMarkup", message.chat_id)
        self._remember_edit(message)
        message.reply_markup = new_markup
        self._rate_record("editMessageReplyMarkup", message.chat_id)
        self._changed.notify()
        return message.to_dict()

    def _m_deleteMessage(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        message_id = p.int("message_id", error="message identifier is not specified")
        if not message_id:
            raise bad_request("message identifier is not specified")
        chat_id = self._known_chat(self._chat_ref(p))
        chat_log = self._logs.get(chat_id)
        found = chat_log.get(message_id) if chat_log else None
        if found is None or chat_log is None or chat_log.is_deleted(message_id):
            raise bad_request("message to delete not found")
        if isinstance(found, BotMessage):
            found.deleted = True
        else:
            group = self._groups.get(chat_id)
            if group is not None and group.bot_status != "administrator":
                raise bad_request("message can't be deleted")
            chat_log.deleted_user_messages.add(message_id)
        self.stats.deleted += 1
        self._changed.notify()
        return True

    def _m_setMessageReaction(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        """The bot's reaction on a message, as Telegram checks it: a bot sets at most one reaction,
        from the standard emoji the chat allows (none in a group whose reactions are turned off)."""
        message_id = p.int("message_id", error="message identifier is not specified")
        if not message_id:
            raise bad_request("message identifier is not specified")
        chat_id = self._sendable_chat(self._chat_ref(p))
        chat_log = self._logs.get(chat_id)
        if chat_log is None or chat_log.get(message_id) is None or chat_log.is_deleted(message_id):
            raise bad_request("message to react not found")
        reaction = p.json("reaction", error="can't parse reaction types JSON object") or []
        if not isinstance(reaction, list):
            raise bad_request("can't parse reaction types JSON object")
        if len(reaction) > 1:
            raise bad_request("REACTIONS_TOO_MANY")
        group = self._groups.get(chat_id)
        for item in reaction:
            if not isinstance(item, dict) or item.get("type") not in ("emoji", "custom_emoji", "paid"):
                raise bad_request("can't parse ReactionType JSON object")
            if item["type"] != "emoji" or item.get("emoji") not in ALLOWED_REACTIONS:
                raise bad_request("REACTION_INVALID")
            if group is not None and not group.allows_reaction(str(item["emoji"])):
                raise bad_request("REACTION_INVALID")
        if reaction:
            self.reactions[(chat_id, message_id)] = [dict(item) for item in reaction]
        else:
            self.reactions.pop((chat_id, message_id), None)
        self._changed.notify()
        return True

    def reactions_on(self, chat: int | SandboxGroup | SandboxUser, message_id: int) -> list[str]:
        """The emoji the bot has set on one message (empty when none)."""
        chat_id = chat if isinstance(chat, int) else chat.id
        return [str(r.get("emoji")) for r in self.reactions.get((chat_id, message_id), [])]

    def _m_answerCallbackQuery(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        query_id = p.str("callback_query_id") or ""
        answer = CallbackAnswer(
            query_id=query_id,
            text=p.str("text"),
            show_alert=p.bool("show_alert"),
            url=p.str("url"),
        )
        if not self._record_answer(query_id, answer):
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        return True

    # ------------------------------------------------------------------ files

    def _m_sendDocument(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        return self._send_media("sendDocument", "document", p, files)

    def _m_sendPhoto(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        return self._send_media("sendPhoto", "photo", p, files)

    def _send_media(
        self, method: str, kind: str, p: Params, files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        ref = self._chat_ref(p)
        source = p.file(kind, files)
        if source is None:
            raise bad_request(f"there is no {kind} in the request")
        caption = p.str("caption") or ""
        parse_mode = p.str("parse_mode")
        plain, entities = self._format(caption, parse_mode, p, "caption_entities") if caption else ("", [])
        markup = self._reply_markup(p)
        chat_id = self._sendable_chat(ref)
        reply = self._reply_target(chat_id, p)
        if len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        self._check_buttons(markup)
        stored = self._stored_file(source, kind)
        self._rate_check(method, chat_id)
        message = self._store(
            self._new_message(
                chat_id,
                text=caption or None,
                plain=plain or "",
                entities=entities,
                parse_mode=parse_mode,
                reply_markup=markup,
                reply_to=reply[0] if reply else None,
                reply_to_message=reply[1] if reply else None,
                disable_notification=p.bool("disable_notification"),
                **{kind: stored},
            )
        )
        self._rate_record(method, chat_id)
        return message.to_dict()

    def _m_sendMediaGroup(self, p: Params, files: dict[str, UploadedFile]) -> list[dict[str, Any]]:
        """An album: 2 to 10 photos or documents (not mixed), each with its own caption; clients show
        the first item's caption under the album. One message per item, sharing a media_group_id."""
        ref = self._chat_ref(p)
        media = p.json("media", error="can't parse InputMedia array JSON object")
        if not isinstance(media, list) or not media:
            raise bad_request("media is empty")
        if len(media) < 2:
            raise bad_request("MEDIA_GROUP_TOO_FEW: an album needs at least 2 media")
        if len(media) > 10:
            raise bad_request("too many messages to send as an album")
        kinds = set()
        items: list[tuple[str, UploadedFile | str, str, str | None, Any]] = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in ("photo", "document"):
                raise bad_request(
                    "unsupported media type in the album (the sandbox knows photo and document)"
                )
            kind = str(item["type"])
            kinds.add(kind)
            source = Params({"media": item.get("media")}).file("media", files)
            if source is None:
                raise bad_request("there is no media in the request")
            caption = str(item.get("caption") or "")
            mode = item.get("parse_mode") or p.str("parse_mode")
            items.append((kind, source, caption, mode, item.get("caption_entities")))
        if len(kinds) > 1:
            raise bad_request("documents can't be mixed with other media types in an album")
        chat_id = self._sendable_chat(ref)
        reply = self._reply_target(chat_id, p)
        prepared = []
        for kind, source, caption, parse_mode, extra in items:
            plain, entities = (
                self._format(caption, parse_mode, Params({"caption_entities": extra}), "caption_entities")
                if caption
                else ("", [])
            )
            if len(plain) > MAX_CAPTION:
                raise bad_request("message caption is too long")
            prepared.append((kind, self._stored_file(source, kind), caption, plain, entities, parse_mode))
        self._rate_check("sendMediaGroup", chat_id)
        self._media_groups += 1
        group = str(self._media_groups)
        sent = []
        for kind, stored, caption, plain, entities, parse_mode in prepared:
            message = self._store(
                self._new_message(
                    chat_id,
                    text=caption or None,
                    plain=plain or "",
                    entities=entities,
                    parse_mode=parse_mode,
                    reply_to=reply[0] if reply else None,
                    reply_to_message=reply[1] if reply else None,
                    disable_notification=p.bool("disable_notification"),
                    media_group_id=group,
                    **{kind: stored},
                )
            )
            sent.append(message.to_dict())
        self._rate_record("sendMediaGroup", chat_id)
        return sent

    def _stored_file(self, source: UploadedFile | str, kind: str) -> StoredFile:
        if isinstance(source, UploadedFile):
            if not source.data:
                raise bad_request("file must be non-empty")
            if kind == "photo" and image_size(source.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return self.files.add(source.data, source.filename or "file", source.mime_type, kind=f"{kind}s")
        known = self.files.get(source)
        if known is not None:
            return known
        if source.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content (the sandbox does not fetch URLs)")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _m_getFile(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        stored = self.files.get(p.str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    # ------------------------------------------------------------------ chats

    def _full_chat(self, chat_id: int) -> dict[str, Any]:
        group = self._groups.get(chat_id)
        # Telegram omits available_reactions when every reaction is allowed.
        limited = (
            {}
            if group is None or group.reactions is None
            else {"available_reactions": [{"type": "emoji", "emoji": e} for e in group.reactions]}
        )
        return {
            **self.chat_dict(chat_id),
            **limited,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _readable_chat(self, p: Params) -> int:
        """A chat the bot can look into: private chats it has, groups it is in."""
        chat_id = self._known_chat(self._chat_ref(p))
        if chat_id > 0:
            if not self._users[chat_id].started:
                raise bad_request("chat not found")
            return chat_id
        group = self._groups[chat_id]
        if group.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {group.type} chat")
        if group.bot_status == "left":
            raise bad_request("chat not found")
        return chat_id

    def _m_getChat(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        return self._full_chat(self._readable_chat(p))

    def _m_getChatMember(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._readable_chat(p)
        user_id = p.int("user_id", error="invalid user_id specified")
        if user_id == self.bot_id:
            status = "member" if chat_id > 0 else self._groups[chat_id].bot_status
            return chat_member_dict(self.bot_user_dict(), status)
        if user_id not in self._users:
            raise bad_request("user not found")
        user = self._users[user_id]
        if chat_id > 0:
            status = "member" if user_id == chat_id else "left"
        else:
            status = self._groups[chat_id].member_status(user_id)
        return chat_member_dict(user.to_dict(), status)

    def _m_getChatAdministrators(self, p: Params, files: dict[str, UploadedFile]) -> list[dict[str, Any]]:
        chat_id = self._readable_chat(p)
        if chat_id > 0:
            raise bad_request("there are no administrators in the private chat")
        group = self._groups[chat_id]
        admins = [
            chat_member_dict(self._users[uid].to_dict(), status)
            for uid, status in group.members.items()
            if status in ("creator", "administrator")
        ]
        if group.bot_status == "administrator":
            admins.append(chat_member_dict(self.bot_user_dict(), "administrator"))
        return admins

    def _m_getChatMemberCount(self, p: Params, files: dict[str, UploadedFile]) -> int:
        chat_id = self._readable_chat(p)
        if chat_id > 0:
            return 2
        group = self._groups[chat_id]
        humans = sum(1 for s in group.members.values() if s in ("creator", "administrator", "member"))
        return humans + (1 if group.bot_is_member else 0)

    def _m_sendChatAction(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        self._sendable_chat(self._chat_ref(p))
        if not p.has("action"):
            raise bad_request("action is empty")
        return True

    def _m_setChatMenuButton(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        chat_id = self._known_chat(self._chat_ref(p)) if p.has("chat_id") else None
        button = p.json("menu_button", error="can't parse menu button JSON object") or {"type": "default"}
        self.menu_buttons[chat_id] = button
        return True

    def _m_getChatMenuButton(self, p: Params, files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._known_chat(self._chat_ref(p)) if p.has("chat_id") else None
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}

    def _m_close(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        return True

    def _m_logOut(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        return True

    # ------------------------------------------------------------------ commands

    def _scope_key(self, scope: Any) -> ScopeKey:
        if scope is None:
            return ("default", None, None)
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        chat_id = user_id = None
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat_id = self._known_chat(self._chat_ref(Params(scope)))
        if kind == "chat_member":
            user_id = Params(scope).int("user_id", error="invalid user_id specified")
            if user_id not in self._users:
                raise bad_request("user not found")
        return (kind, chat_id, user_id)

    def _command_slot(self, p: Params) -> tuple[ScopeKey, str]:
        scope = p.json("scope", error="can't parse BotCommandScope JSON object")
        return self._scope_key(scope), p.str("language_code") or ""

    def _m_setMyCommands(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        commands = p.json("commands", error="can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request('field "commands" must be an Array')
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        cleaned: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": str(command["command"]), "description": description})
        slot = self._command_slot(p)
        if cleaned:
            self._commands[slot] = cleaned
        else:
            self._commands.pop(slot, None)
        return True

    def _m_getMyCommands(self, p: Params, files: dict[str, UploadedFile]) -> list[dict[str, str]]:
        return list(self._commands.get(self._command_slot(p), []))

    def _m_deleteMyCommands(self, p: Params, files: dict[str, UploadedFile]) -> bool:
        self._commands.pop(self._command_slot(p), None)
        return True

    def commands_shown(self, chat_id: int, user_id: int, language_code: str = "") -> list[dict[str, str]]:
        """The command menu a client shows `user_id` in `chat_id`: the narrowest scope set, in
        Telegram's order (chat member, chat, all private or group chats, default), the person's
        language before the unnamed one."""
        private = chat_id > 0
        scopes: list[ScopeKey] = [("chat", chat_id, None)]
        if not private:
            scopes.insert(0, ("chat_member", chat_id, user_id))
        scopes += [
            ("all_private_chats" if private else "all_group_chats", None, None),
            ("default", None, None),
        ]
        for scope in scopes:
            for language in dict.fromkeys((language_code, "")):
                if (scope, language) in self._commands:
                    return list(self._commands[(scope, language)])
        return []


def _loose_chat_id(p: Params) -> int | None:
    """The chat a call is about, for fault matching; None when it has no numeric chat_id."""
    try:
        return int(str(p.raw.get("chat_id")))
    except ValueError:
        return None


def dumps(body: Mapping[str, Any]) -> bytes:
    """Telegram's JSON encoding of a response body."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

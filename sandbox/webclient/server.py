"""`python3 dev.py demo`: the Telegram sandbox, the real bot and a Telegram-like web page, all on
127.0.0.1 in one process.

- the sandbox (sandbox/http.py) on a free port, with a token made up at each start;
- the bot (bot/app.py's application) polling it over HTTP, a SQLite database in a temporary
  folder, its jobs on, and its own web server (bot/web.py: the Mini App) on a free port;
- the client page (static/) and its JSON API, on the port asked for (8080 by default):

  GET  /api/state                     the personas, the group, the bot
  GET  /api/chat?chat_id=&user_id=&since=   a chat as that person sees it; with `since` (the
                                      `version` of the last answer) it waits up to 25 s for a change
  POST /api/send   {user_id, chat_id, text, reply_to}   a person writes
  POST /api/press  {user_id, chat_id, message_id, data}  a person presses a button (the bot's
                                      answer to the press comes back as `answer`)
  POST /api/webapp {user_id, url}     the Mini App's address for that person, with initData signed
                                      as Telegram signs it, in the fragment (#tgWebAppData=…)

A person acts through the sandbox's own user side (the same as its /_sandbox/ control routes), so
the bot sees exactly what Telegram would send it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import tornado.httpserver
import tornado.netutil
import tornado.web

from sandbox.core import TelegramSandbox
from sandbox.errors import SandboxError
from sandbox.http import SandboxServer, serve_http
from sandbox.models import BotMessage
from sandbox.webclient import seed as demo_seed

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
BOT_USERNAME = "coordo_demo_bot"
LONG_POLL_SECONDS = 25.0
PRESS_ANSWER_SECONDS = 5.0
MAX_TEXT = 4096
# What Telegram's clients pass to a Mini App besides initData (a light theme, like Telegram's).
THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
}
T = TypeVar("T")


# --- Mini App sign-in ----------------------------------------------------------------------------


def sign_init_data(token: str, user: dict[str, Any], *, auth_date: int | None = None) -> str:
    """initData as Telegram builds it for `user`: the fields, and `hash` =
    HMAC_SHA256(key=HMAC_SHA256(key="WebAppData", msg=token), msg=data_check_string), where the
    data_check_string is every other field as `key=value`, sorted by key, joined by newlines."""
    fields = {
        "query_id": "AAH" + secrets.token_urlsafe(12),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def webapp_link(url: str, init_data: str) -> str:
    """The address a Telegram client opens: the Mini App's URL, its launch parameters in the
    fragment (never sent to any server, so no personal data in a request line or a log)."""
    fragment = urlencode(
        {
            "tgWebAppData": init_data,
            "tgWebAppVersion": "7.10",
            "tgWebAppPlatform": "web",
            "tgWebAppThemeParams": json.dumps(THEME, separators=(",", ":")),
        },
        quote_via=quote,
    )
    return f"{url.split('#', 1)[0]}#{fragment}"


def webapp_user(user: dict[str, Any]) -> dict[str, Any]:
    """The WebAppUser object Telegram puts in initData."""
    wanted = ("id", "first_name", "last_name", "username", "language_code")
    found = {key: user[key] for key in wanted if user.get(key) is not None}
    return found | {"allows_write_to_pm": True}


# --- The demo ----------------------------------------------------------------------------------


def make_token() -> str:
    """A throwaway token in Telegram's shape (bot id, colon, 35 characters)."""
    bot_id = 7_000_000_000 + secrets.randbelow(999_999_999)
    return f"{bot_id}:{secrets.token_urlsafe(27)[:35]}"


def demo_settings(workdir: Path, token: str, sandbox_server: SandboxServer, webapp_url: str) -> Any:
    """The bot's settings for the demo: nothing read from .env or the environment (a real
    token, database or Gmail account must never be reached from here)."""
    from bot.settings import Settings

    fields = Settings.model_fields
    # Every setting the environment names is put back to its default, then the demo's own.
    values: dict[str, Any] = {
        name: field.get_default(call_default_factory=True)
        for name, field in fields.items()
        if name.upper() in {key.upper() for key in os.environ}
    }
    values |= {
        "telegram_bot_token": token,
        "telegram_api_base_url": sandbox_server.base_url,
        "telegram_api_base_file_url": sandbox_server.base_file_url,
        "database_url": f"sqlite+aiosqlite:///{workdir / 'coordo-demo.sqlite3'}",
        "coordinator_ids": demo_seed.COORDINATOR_IDS,
        "ics_path": str(workdir / "agenda.ics"),
        "agenda_json_path": str(workdir / "agenda.json"),
        "receipts_dir": str(workdir / "receipts"),
        "triage_model_path": str(workdir / "triage_model.json"),
        "gmail_token_path": str(workdir / "absent" / "gmail-token.json"),
        "google_token_path": str(workdir / "absent" / "google-token.json"),
        "google_client_secrets_path": str(workdir / "absent" / "client-secrets.json"),
        "donations_google_token_path": str(workdir / "absent" / "google_token.json"),
        "log_level": "WARNING",
    }
    if "webapp_url" in fields:
        values["webapp_url"] = webapp_url
    return Settings(_env_file=None, **values)


class Demo:
    """Everything `python3 dev.py demo` runs, started and stopped on the running event loop."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8080, *, seed: bool = True) -> None:
        self.host = host
        self.port = port
        self.seed_wanted = seed
        self.token = make_token()
        self.sandbox = TelegramSandbox(self.token, username=BOT_USERNAME, first_name="Coordo")
        self.webapp_url = ""
        self.seed_report: demo_seed.SeedReport | None = None
        self.app: Any = None
        self._stack = contextlib.AsyncExitStack()
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        from telegram.request import HTTPXRequest

        from bot import web
        from bot.app import build_application, running
        from bot.delivery import MAX_IN_FLIGHT

        # The client's port first: a port in use is said at once, before anything else starts.
        client_sockets = tornado.netutil.bind_sockets(self.port, self.host, family=socket.AF_INET)
        self.port = client_sockets[0].getsockname()[1]
        self._workdir = tempfile.TemporaryDirectory(prefix="coordo-demo-")
        workdir = Path(self._workdir.name)
        sandbox_server = await serve_http(self.sandbox, self.host, 0)
        self._stack.push_async_callback(sandbox_server.close)
        web_sockets = tornado.netutil.bind_sockets(0, self.host, family=socket.AF_INET)
        self.webapp_url = f"http://{self.host}:{web_sockets[0].getsockname()[1]}/app/"

        settings = demo_settings(workdir, self.token, sandbox_server, self.webapp_url)
        # As build_application's own pools, plus a second connection for getUpdates: at stop, PTB's
        # last getUpdates (confirming the offset) must not wait for the long poll it just cancelled.
        self.app = build_application(
            settings,
            request=HTTPXRequest(connection_pool_size=MAX_IN_FLIGHT, pool_timeout=10.0),
            get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=10.0),
        )
        await self._stack.enter_async_context(running(self.app))
        bot_web = tornado.httpserver.HTTPServer(web.make_app(self.app.bot_data["services"]), xheaders=True)
        bot_web.add_sockets(web_sockets)
        self._stack.callback(bot_web.stop)

        if self.seed_wanted:
            self.seed_report = await demo_seed.seed(self.sandbox, self.app)
        client = tornado.httpserver.HTTPServer(client_app(self))
        client.add_sockets(client_sockets)
        self._stack.push_async_callback(client.close_all_connections)
        self._stack.callback(client.stop)

    async def stop(self) -> None:
        await self._stack.aclose()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    # --- what the client reads and does -------------------------------------------------------

    def personas(self) -> list[dict[str, Any]]:
        return [
            {"id": p.id, "first_name": p.first_name, "label": p.label, "username": p.username}
            for p in demo_seed.PERSONAS
        ]

    def state(self) -> dict[str, Any]:
        groups = [
            {"id": g.id, "title": g.title, "members": sorted(g.members)}
            for g in self.sandbox.groups
            if g.bot_is_member
        ]
        return {
            "bot": {"username": self.sandbox.username, "first_name": self.sandbox.first_name},
            "personas": self.personas(),
            "groups": groups,
            "webapp": bool(self.webapp_url),
        }

    def version(self, chat_id: int, user_id: int) -> str:
        log_ = self.sandbox.log(chat_id)
        bots = log_.bot_messages
        parts = (
            log_.last_message_id,
            len(log_.messages),
            sum(len(m.edits) for m in bots),
            sum(m.deleted for m in bots),
            len(log_.deleted_user_messages),
            len(self.sandbox.get_user(user_id).answers),
            json.dumps(self.sandbox.menu_buttons.get(chat_id) or self.sandbox.menu_buttons.get(None)),
            len(self.sandbox.commands_shown(chat_id, user_id, "fr")),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    def chat(self, chat_id: int, user_id: int) -> dict[str, Any]:
        sb = self.sandbox
        user = sb.get_user(user_id)
        if chat_id < 0:
            group = sb.get_group(chat_id)
            if group.member_status(user_id) not in ("member", "administrator", "creator"):
                raise SandboxError(f"{user.first_name} n'est pas membre de ce groupe")
            title = group.title
        elif chat_id == user_id:
            title = sb.first_name
        else:
            raise SandboxError("une conversation privée ne se lit que par la personne qui la tient")
        log_ = sb.log(chat_id)
        messages = []
        for message_id in sorted(log_.messages):
            stored = log_.messages[message_id]
            if isinstance(stored, BotMessage):
                if not stored.deleted:
                    messages.append(_bot_message(stored))
            elif message_id not in log_.deleted_user_messages:
                shown = _user_message(stored)
                if shown is not None:
                    messages.append(shown)
        return {
            "chat_id": chat_id,
            "title": title,
            "version": self.version(chat_id, user_id),
            "messages": messages,
            "menu": self.menu(chat_id) if chat_id > 0 else None,
            "commands": sb.commands_shown(chat_id, user_id, user.language_code or ""),
        }

    def menu(self, chat_id: int) -> dict[str, str] | None:
        """The Mini App button of a private chat: the menu button the bot set, or else the demo's
        Mini App address (so the link is there even before the bot sets its menu)."""
        button = self.sandbox.menu_buttons.get(chat_id) or self.sandbox.menu_buttons.get(None) or {}
        if button.get("type") == "web_app":
            return {"text": str(button.get("text") or "Application"), "url": str(button["web_app"]["url"])}
        if self.webapp_url:
            return {"text": "Ouvrir l'application", "url": self.webapp_url}
        return None

    async def wait_change(self, chat_id: int, user_id: int, since: str, timeout: float) -> None:
        with contextlib.suppress(AssertionError):
            await self.sandbox.wait_for(lambda: self.version(chat_id, user_id) != since, timeout)

    def send(self, user_id: int, chat_id: int, text: str, reply_to: int | None) -> dict[str, Any]:
        text = text.strip()
        if not text:
            raise SandboxError("un message vide ne s'envoie pas")
        if len(text) > MAX_TEXT:
            raise SandboxError(f"message trop long ({len(text)} caractères, {MAX_TEXT} au plus)")
        user = self.sandbox.get_user(user_id)
        return user.send(text, chat=None if chat_id == user_id else chat_id, reply_to=reply_to)

    async def press(self, user_id: int, chat_id: int, message_id: int, data: str) -> dict[str, Any] | None:
        user = self.sandbox.get_user(user_id)
        before = len(user.answers)
        user.press(message_id, data=data, chat=chat_id)
        with contextlib.suppress(AssertionError):
            await self.sandbox.wait_for(lambda: len(user.answers) > before, PRESS_ANSWER_SECONDS)
        if len(user.answers) > before:
            answer = user.answers[-1]
            return {"text": answer.text, "show_alert": answer.show_alert}
        return None

    def webapp(self, user_id: int, url: str | None) -> str:
        """The signed Mini App address for this person; `url` must be one the bot offers them."""
        offered = self.offered_webapps(user_id)
        wanted = url or (self.menu(user_id) or {}).get("url")
        if not wanted or wanted not in offered:
            raise SandboxError("le bot ne propose pas cette application")
        user = self.sandbox.get_user(user_id)
        return webapp_link(wanted, sign_init_data(self.token, webapp_user(user.to_dict())))

    def offered_webapps(self, user_id: int) -> set[str]:
        urls = {self.webapp_url} if self.webapp_url else set()
        menu = self.menu(user_id)
        if menu:
            urls.add(menu["url"])
        chats = [user_id] + [g.id for g in self.sandbox.groups if g.member_status(user_id) != "left"]
        for chat_id in chats:
            for message in self.sandbox.messages_in(chat_id):
                for row in message.inline_keyboard:
                    for button in row:
                        if isinstance(button.get("web_app"), dict):
                            urls.add(str(button["web_app"].get("url", "")))
        return urls


def _buttons(message: BotMessage) -> list[list[dict[str, Any]]]:
    markup = message.reply_markup or {}
    rows: list[list[dict[str, Any]]] = []
    for row in markup.get("inline_keyboard") or []:
        shown = []
        for button in row:
            item: dict[str, Any] = {"text": button.get("text", "")}
            if "callback_data" in button:
                item |= {"kind": "callback", "data": button["callback_data"]}
            elif isinstance(button.get("web_app"), dict):
                item |= {"kind": "web_app", "url": button["web_app"].get("url", "")}
            elif "url" in button:
                item |= {"kind": "url", "url": button["url"]}
            else:
                item |= {"kind": "other"}
            shown.append(item)
        rows.append(shown)
    for row in markup.get("keyboard") or []:
        rows.append([{"text": b if isinstance(b, str) else b.get("text", ""), "kind": "reply"} for b in row])
    return rows


def _quote(replied: dict[str, Any] | None) -> dict[str, Any] | None:
    if not replied:
        return None
    sender = replied.get("from") or {}
    return {
        "id": replied.get("message_id"),
        "from": sender.get("first_name", ""),
        "text": (replied.get("text") or replied.get("caption") or "")[:200],
    }


def _bot_message(message: BotMessage) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": message.message_id,
        "bot": True,
        "from": {"id": message.sender.get("id"), "first_name": message.sender.get("first_name", "")},
        "date": message.date,
        "text": message.plain,
        "entities": message.entities,
        "buttons": _buttons(message),
        "edited": bool(message.edits),
        "reply_to": _quote(message.reply_to_message),
    }
    if message.document is not None:
        shown["file"] = {"name": message.document.filename, "size": message.document.size}
    elif message.photo is not None:
        shown["file"] = {"name": message.photo.filename or "photo", "size": message.photo.size}
    return shown


def _user_message(message: dict[str, Any]) -> dict[str, Any] | None:
    sender = message.get("from") or {}
    base = {
        "id": message["message_id"],
        "bot": False,
        "from": {"id": sender.get("id"), "first_name": sender.get("first_name", "")},
        "date": message.get("date", 0),
    }
    if "new_chat_members" in message:
        names = ", ".join(m.get("first_name", "") for m in message["new_chat_members"])
        return base | {"service": f"{names} a rejoint le groupe"}
    if "left_chat_member" in message:
        return base | {"service": f"{message['left_chat_member'].get('first_name', '')} a quitté le groupe"}
    if "text" not in message and "caption" not in message:
        return None
    return base | {
        "text": message.get("text") or message.get("caption") or "",
        "entities": message.get("entities", []),
        "buttons": [],
        "edited": "edit_date" in message,
        "reply_to": _quote(message.get("reply_to_message")),
    }


# --- HTTP --------------------------------------------------------------------------------------


class _Api(tornado.web.RequestHandler):
    def initialize(self, demo: Demo) -> None:
        self.demo = demo

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def answer(self, body: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False))

    def refuse(self, message: str, status: int = 400) -> None:
        self.answer({"ok": False, "error": message}, status)

    def body(self) -> dict[str, Any]:
        # JSON only: a page of another site cannot send it without the browser asking us first.
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise ValueError("JSON attendu")
        body = json.loads(self.request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("un objet JSON est attendu")
        return body

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.answer({"ok": False, "error": "erreur interne de la démo"}, status_code)


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} : un nombre est attendu") from None


class StateHandler(_Api):
    def get(self) -> None:
        self.answer({"ok": True, "result": self.demo.state()})


class ChatHandler(_Api):
    async def get(self) -> None:
        try:
            chat_id = _int(self.get_query_argument("chat_id", None), "chat_id")
            user_id = _int(self.get_query_argument("user_id", None), "user_id")
            since = self.get_query_argument("since", "")
            self.demo.chat(chat_id, user_id)  # checks who may read it before waiting
            if since:
                await self.demo.wait_change(chat_id, user_id, since, LONG_POLL_SECONDS)
            result = self.demo.chat(chat_id, user_id)
        except (ValueError, SandboxError) as exc:
            self.refuse(str(exc))
            return
        self.answer({"ok": True, "result": result})


class SendHandler(_Api):
    def post(self) -> None:
        try:
            body = self.body()
            reply_to = body.get("reply_to")
            sent = self.demo.send(
                _int(body.get("user_id"), "user_id"),
                _int(body.get("chat_id"), "chat_id"),
                str(body.get("text", "")),
                _int(reply_to, "reply_to") if reply_to is not None else None,
            )
        except (ValueError, SandboxError) as exc:
            self.refuse(str(exc))
            return
        self.answer({"ok": True, "result": {"message_id": sent["message_id"]}})


class PressHandler(_Api):
    async def post(self) -> None:
        try:
            body = self.body()
            answer = await self.demo.press(
                _int(body.get("user_id"), "user_id"),
                _int(body.get("chat_id"), "chat_id"),
                _int(body.get("message_id"), "message_id"),
                str(body.get("data", "")),
            )
        except (ValueError, SandboxError) as exc:
            self.refuse(str(exc))
            return
        self.answer({"ok": True, "result": {"answer": answer}})


class WebAppHandler(_Api):
    def post(self) -> None:
        try:
            body = self.body()
            url = body.get("url")
            link = self.demo.webapp(_int(body.get("user_id"), "user_id"), str(url) if url else None)
        except (ValueError, SandboxError) as exc:
            self.refuse(str(exc))
            return
        self.answer({"ok": True, "result": {"url": link}})


class PageHandler(tornado.web.StaticFileHandler):
    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")


def client_app(demo: Demo) -> tornado.web.Application:
    context = {"demo": demo}
    return tornado.web.Application(
        [
            (r"/api/state", StateHandler, context),
            (r"/api/chat", ChatHandler, context),
            (r"/api/send", SendHandler, context),
            (r"/api/press", PressHandler, context),
            (r"/api/webapp", WebAppHandler, context),
            (r"/()", PageHandler, {"path": str(STATIC), "default_filename": "index.html"}),
            (r"/static/(.*)", PageHandler, {"path": str(STATIC)}),
        ],
        log_function=lambda handler: None,
    )


# --- In a thread (tests, or embedding in synchronous code) --------------------------------------


class BackgroundDemo:
    """A Demo on its own event loop in a thread: `start()`, use `demo.url`, `stop()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, seed: bool = True) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="coordo-demo", daemon=True)
        self._thread.start()
        self.demo: Demo = self.run(_make(host, port, seed))

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def start(self) -> Demo:
        self.run(self.demo.start())
        return self.demo

    def stop(self) -> None:
        try:
            self.run(self.demo.stop(), 60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()


async def _make(host: str, port: int, seed: bool) -> Demo:
    return Demo(host, port, seed=seed)


def check_init_data(token: str, init_data: str) -> dict[str, str] | None:
    """The fields of `init_data` if its hash is right for `token` (what the Mini App's server
    checks); for the demo's own tests and for people reading how it works."""
    fields = dict(parse_qsl(init_data, keep_blank_values=True))
    given = fields.pop("hash", "")
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields if hmac.compare_digest(given, expected) else None


def split_link(link: str) -> tuple[str, dict[str, str]]:
    """(the address before '#', the launch parameters of the fragment) of a Mini App link."""
    parts = urlsplit(link)
    before = link.split("#", 1)[0]
    return before, dict(parse_qsl(parts.fragment, keep_blank_values=True))

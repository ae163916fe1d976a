"""The sandbox over HTTP (tornado, on the running asyncio loop): Bot API, file downloads, control API.

- ``/bot<token>/<method>``: GET or POST with a query string, JSON, x-www-form-urlencoded
  or multipart/form-data, as the real Bot API accepts.
- ``/file/bot<token>/<file_path>``: downloads of files the bot got with getFile.
- ``/_sandbox/<action>``: drive the sandbox from another process (users, groups, members, leave,
  add_bot, remove_bot, send, press, messages, stats, limits, faults, calls, block); listed in the
  README's sandbox section.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from sandbox.core import TelegramSandbox, dumps
from sandbox.errors import UNAUTHORIZED, InjectedNetworkError, InjectedTimeout, SandboxError
from sandbox.files import UploadedFile
from sandbox.limits import Limits
from sandbox.webhook import WebhookDelivery


class SandboxServer:
    """A running HTTP front of a sandbox. PTB wants ``base_url``/``base_file_url`` (it appends the token)."""

    def __init__(
        self,
        sandbox: TelegramSandbox,
        http_server: tornado.httpserver.HTTPServer,
        host: str,
        port: int,
        delivery: WebhookDelivery | None,
        closing: asyncio.Event,
    ) -> None:
        self.sandbox = sandbox
        self.host = host
        self.port = port
        self._http_server = http_server
        self._delivery = delivery
        self._closing = closing

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def close(self) -> None:
        """Stop listening, end held connections and open long polls, stop webhook delivery."""
        self._closing.set()
        self._http_server.stop()
        if self._delivery is not None:
            await self._delivery.stop()
        await self._http_server.close_all_connections()


async def serve_http(
    sandbox: TelegramSandbox,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    deliver_webhooks: bool = True,
) -> SandboxServer:
    """Serve ``sandbox`` on host:port (0 picks a free port) from the running event loop."""
    closing = asyncio.Event()
    context = {"sandbox": sandbox, "closing": closing}
    app = tornado.web.Application(
        [
            (r"/bot([^/]+)/([A-Za-z0-9_]+)/?", BotApiHandler, context),
            (r"/file/bot([^/]+)/(.+)", FileHandler, context),
            (r"/_sandbox/([a-z_]+)", ControlHandler, context),
        ],
        # Tornado's default access log would flood test output with every poll.
        log_function=lambda handler: None,
    )
    sockets = tornado.netutil.bind_sockets(port, host, family=socket.AF_UNSPEC)
    server = tornado.httpserver.HTTPServer(app, max_body_size=64 * 1024 * 1024)
    server.add_sockets(sockets)
    bound_port = sockets[0].getsockname()[1]
    delivery = WebhookDelivery(sandbox) if deliver_webhooks else None
    if delivery is not None:
        delivery.start()
    return SandboxServer(sandbox, server, host, bound_port, delivery, closing)


class _Base(tornado.web.RequestHandler):
    def prepare(self) -> None:
        # Small answers on kept-alive connections: without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK add up to tens of milliseconds per call.
        stream = getattr(self.request.connection, "stream", None)
        if stream is not None:
            stream.set_nodelay(True)

    def initialize(self, sandbox: TelegramSandbox, closing: asyncio.Event) -> None:
        self.sandbox = sandbox
        self.closing = closing

    def reply(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(dumps(body))

    def json_body(self) -> dict[str, Any]:
        if not self.request.body:
            return {}
        body = json.loads(self.request.body)
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body


class BotApiHandler(_Base):
    """``/bot<token>/<method>``: one Bot API call."""

    _task: asyncio.Task[tuple[int, dict[str, Any]]] | None = None

    async def get(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._handle(token, method)

    def on_connection_close(self) -> None:
        # The client gave up (e.g. PTB stopping its long poll): stop waiting for it.
        if self._task is not None:
            self._task.cancel()

    def _params(self) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {k: v[-1].decode("utf-8") for k, v in self.request.query_arguments.items()}
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            params.update(self.json_body())
        else:
            # Tornado already parsed x-www-form-urlencoded and multipart/form-data bodies.
            params.update({k: v[-1].decode("utf-8") for k, v in self.request.body_arguments.items()})
        files = {
            name: UploadedFile(parts[0].filename or name, parts[0].body, parts[0].content_type)
            for name, parts in self.request.files.items()
            if parts
        }
        return params, files

    async def _handle(self, token: str, method: str) -> None:
        if token != self.sandbox.token:
            self.reply(UNAUTHORIZED.code, UNAUTHORIZED.body())
            return
        try:
            params, files = self._params()
        except ValueError:
            self.reply(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse JSON object"}
            )
            return
        self._task = asyncio.ensure_future(self.sandbox.call(method, params, files))
        try:
            status, body = await self._task
        except asyncio.CancelledError:
            return
        except InjectedTimeout as exc:
            # Hold the request past the client's read timeout, then hang up without answering.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), exc.hang)
            self._drop()
            return
        except InjectedNetworkError:
            self._drop()
            return
        finally:
            self._task = None
        self.reply(status, body)

    def _drop(self) -> None:
        with contextlib.suppress(Exception):
            self.detach().close()


class FileHandler(_Base):
    """``/file/bot<token>/<path>``: the bytes of a file, as Telegram's file server gives them."""

    async def get(self, token: str, path: str) -> None:
        if token != self.sandbox.token:
            self.reply(UNAUTHORIZED.code, UNAUTHORIZED.body())
            return
        stored = self.sandbox.files.by_path(path)
        if stored is None:
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self.set_header("Content-Type", stored.mime_type)
        self.finish(stored.data)


class ControlHandler(_Base):
    """``/_sandbox/<action>``: the user side and the knobs, as JSON, for another process."""

    async def get(self, action: str) -> None:
        await self._run(action)

    async def post(self, action: str) -> None:
        await self._run(action)

    async def delete(self, action: str) -> None:
        await self._run(action)

    async def _run(self, action: str) -> None:
        handler = getattr(self, f"_{self.request.method.lower()}_{action}", None)
        if handler is None:
            self.reply(404, {"ok": False, "error": f"no {self.request.method} /_sandbox/{action}"})
            return
        try:
            body = self.json_body() if self.request.method == "POST" else {}
            result = handler(body)
        except (AssertionError, ValueError, KeyError, TypeError) as exc:
            self.reply(400, {"ok": False, "error": f"{type(exc).__name__}: {exc}"})
            return
        self.reply(200, {"ok": True, "result": result})

    def _arg(self, name: str) -> str | None:
        return self.get_query_argument(name, None)

    def _post_users(self, body: dict[str, Any]) -> Any:
        if "users" in body:  # many at once: {"users": [{...}, ...]}
            return [self._post_users(one) for one in body["users"]]
        user_id = int(body["id"])
        try:
            user = self.sandbox.get_user(user_id)
        except SandboxError:
            user = self.sandbox.user(
                user_id,
                body["first_name"],
                last_name=body.get("last_name"),
                username=body.get("username"),
                language_code=body.get("language_code", "fr"),
            )
        if body.get("started"):
            # As if the person had already written to the bot (benchmarks with many members).
            user.started = True
        return user.to_dict()

    def _post_groups(self, body: dict[str, Any]) -> dict[str, Any]:
        group = self.sandbox.group(
            int(body["id"]),
            body["title"],
            body.get("type", "supergroup"),
            username=body.get("username"),
            with_bot=bool(body.get("with_bot", True)),
        )
        for member in body.get("members", []):
            group.add_member(self.sandbox.get_user(int(member)), announce=False)
        for admin in body.get("admins", []):
            group.add_member(self.sandbox.get_user(int(admin)), "administrator", announce=False)
        return group.to_dict()

    def _post_members(self, body: dict[str, Any]) -> dict[str, Any]:
        """People join an existing group: {"chat_id", "user_ids": [...] (or "user_id"), "status"}.
        With the bot in the group, each join is a new_chat_members message it receives."""
        group = self.sandbox.get_group(int(body["chat_id"]))
        ids = body.get("user_ids") or [body["user_id"]]
        status = body.get("status", "member")
        announce = body.get("announce")
        for user_id in ids:
            group.add_member(self.sandbox.get_user(int(user_id)), status, announce=announce)
        return {"chat": group.to_dict(), "members": group.members}

    def _post_leave(self, body: dict[str, Any]) -> dict[str, Any]:
        """A member leaves a group: {"chat_id", "user_id"} (left_chat_member when the bot is in)."""
        group = self.sandbox.get_group(int(body["chat_id"]))
        group.remove_member(self.sandbox.get_user(int(body["user_id"])), announce=body.get("announce"))
        return {"chat": group.to_dict(), "members": group.members}

    def _post_add_bot(self, body: dict[str, Any]) -> dict[str, Any]:
        """A member adds the bot to a group created without it: {"chat_id", "by", "status"}.
        The bot gets my_chat_member, then the new_chat_members message, as on Telegram."""
        group = self.sandbox.get_group(int(body["chat_id"]))
        group.add_bot(self.sandbox.get_user(int(body["by"])), body.get("status", "member"))
        return {"chat": group.to_dict(), "bot_status": group.bot_status}

    def _post_remove_bot(self, body: dict[str, Any]) -> dict[str, Any]:
        """A member removes the bot: {"chat_id", "by"} (my_chat_member, then sends get 403)."""
        group = self.sandbox.get_group(int(body["chat_id"]))
        group.remove_bot(self.sandbox.get_user(int(body["by"])))
        return {"chat": group.to_dict(), "bot_status": group.bot_status}

    def _chat(self, body: dict[str, Any]) -> int | None:
        return int(body["chat_id"]) if body.get("chat_id") is not None else None

    def _post_send(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.sandbox.get_user(int(body["user_id"]))
        reply_to = int(body["reply_to"]) if body.get("reply_to") is not None else None
        return user.send(body["text"], chat=self._chat(body), reply_to=reply_to)

    def _post_press(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.sandbox.get_user(int(body["user_id"]))
        chat_id = self._chat(body) or user.id
        return user.press(int(body["message_id"]), text=body.get("text"), data=body.get("data"), chat=chat_id)

    def _post_block(self, body: dict[str, Any]) -> bool:
        self.sandbox.get_user(int(body["user_id"])).block_bot()
        return True

    def _get_messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = self._arg("chat_id")
        messages = (
            self.sandbox.bot_messages
            if chat_id is None
            else self.sandbox.messages_in(int(chat_id), include_deleted=True)
        )
        return [m.as_json() for m in messages]

    def _get_stats(self, body: dict[str, Any]) -> dict[str, Any]:
        stats = self.sandbox.stats.as_dict()
        stats["pending_updates"] = len(self.sandbox.pending_updates)
        return stats

    def _get_calls(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        since = int(self._arg("since") or 0)
        return [c.as_dict() for c in self.sandbox.calls[since:]]

    def _get_limits(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.sandbox.limits.as_dict()

    def _post_limits(self, body: dict[str, Any]) -> dict[str, Any]:
        current = self.sandbox.limits
        fields = {
            k: body.get(k, getattr(current, k))
            for k in ("per_chat_per_second", "per_group_per_minute", "global_per_second", "scale")
        }
        self.sandbox.limits = Limits(
            **{k: float(v) for k, v in fields.items()},
            enforce=bool(body.get("enforce", current.enforce)),
            methods=frozenset(body["methods"]) if "methods" in body else current.methods,
        )
        return self.sandbox.limits.as_dict()

    def _get_faults(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.sandbox.faults.faults]

    def _post_faults(self, body: dict[str, Any]) -> dict[str, Any]:
        allowed = (
            "method",
            "kind",
            "times",
            "chat_id",
            "probability",
            "retry_after",
            "seed",
            "applied",
            "hang",
        )
        unknown = set(body) - set(allowed)
        if unknown:
            raise ValueError(f"unknown fault fields {sorted(unknown)}")
        return self.sandbox.inject_fault(**body).as_dict()

    def _delete_faults(self, body: dict[str, Any]) -> bool:
        self.sandbox.clear_faults()
        return True

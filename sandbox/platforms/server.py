"""Base for the fake publishing platforms: a ThreadingHTTPServer on 127.0.0.1 in its own thread.

Like ``sandbox.google.server`` (a thread, so sync and async tests alike can use it), plus what
publishing needs to test: each platform's own error envelope and authentication, multipart
bodies, and faults that fire *after* the real handler ran (the post is stored, then the
connection stalls or drops: the client cannot know whether it was published).
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal, Self
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox.local_http import LocalHttpServer


@dataclass
class Part:
    """One part of a multipart/form-data body."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str = "text/plain"

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


@dataclass
class RecordedRequest:
    method: str
    path: str  # percent-decoded
    raw_path: str  # as sent (route patterns match on this)
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int = 0  # the status answered; -1 when the connection was dropped
    raw_query: str = ""

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, list[str]]:
        """An application/x-www-form-urlencoded body, every value kept (``media_ids[]``...)."""
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def parts(self) -> list[Part]:
        """The parts of a multipart/form-data body (empty list for any other body)."""
        if self.content_type != "multipart/form-data":
            return []
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + self.body)
        assert isinstance(message, EmailMessage)
        parts: list[Part] = []
        for part in message.iter_parts():
            assert isinstance(part, EmailMessage)
            payload = part.get_payload(decode=True)
            parts.append(
                Part(
                    name=str(part.get_param("name", header="content-disposition") or ""),
                    data=payload if isinstance(payload, bytes) else b"",
                    filename=part.get_filename(),
                    content_type=part.get_content_type(),
                )
            )
        return parts

    def field(self, name: str) -> str | None:
        """The last value of a form field (urlencoded or multipart), ``None`` when absent."""
        values = self.fields().get(name)
        return values[-1] if values else None

    def fields(self) -> dict[str, list[str]]:
        """Form fields whatever the encoding (urlencoded or the non-file parts of multipart)."""
        if self.content_type == "multipart/form-data":
            out: dict[str, list[str]] = {}
            for part in self.parts():
                if part.filename is None:
                    out.setdefault(part.name, []).append(part.text)
            return out
        if self.content_type == "application/x-www-form-urlencoded":
            return self.form
        return {}

    @property
    def bearer(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else None

    @property
    def basic(self) -> tuple[str, str] | None:
        auth = self.headers.get("authorization", "")
        if not auth.lower().startswith("basic "):
            return None
        try:
            user, _, password = base64.b64decode(auth[6:].strip()).decode("utf-8").partition(":")
        except ValueError:
            return None
        return user, password


FaultMode = Literal["respond", "stall", "disconnect"]


@dataclass
class Fault:
    """The next ``times`` matching requests fail.

    ``respond``: answer ``status`` with the platform's error body (or ``body``) and ``headers``.
    ``stall``: hold the connection ``delay`` seconds, then drop it (the client times out).
    ``disconnect``: drop the connection without an answer.
    With ``after_handler`` the real handler runs first (the post is stored), then the fault.
    """

    mode: FaultMode = "respond"
    status: int = 500
    times: int = 1
    path: str | None = None  # regex searched in the decoded path
    method: str | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Injected fault"
    after_handler: bool = False
    delay: float = 5.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.fired >= self.times:
            return False
        if self.method and self.method.upper() != method:
            return False
        return not (self.path and not re.search(self.path, path))


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-serialisable, bytes, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None


class HttpError(Exception):
    """Raised by a route: answer with the platform's error envelope."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


Route = tuple[str, re.Pattern[str], Callable[..., Any]]


class FakePlatform(LocalHttpServer):
    """Start with ``start()`` / ``with``; ``url`` is the root to give a client (no trailing slash)."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.server_errors: list[str] = []  # tracebacks of bugs in the fake itself
        self.lock = threading.RLock()
        self._stopping = threading.Event()
        self._routes: list[Route] = [
            (method, re.compile(pattern), handler) for method, pattern, handler in self.routes()
        ]

    # --- To override -------------------------------------------------------------------

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        """(HTTP method, regex fully matching the raw path, handler(request, **groups))."""
        return []

    def error_response(self, status: int, message: str, **extra: Any) -> Response:
        """The platform's error envelope."""
        return Response(status, {"error": message})

    def authenticate(self, req: RecordedRequest) -> Response | None:
        """``None`` when the request may go on, else the error to answer."""
        return None

    # --- Lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is None:
            self._stopping.clear()
        return super().start()

    def stop(self) -> None:
        if self._server is not None:
            self._stopping.set()  # ends stalled handlers at once
        super().stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- Test helpers ------------------------------------------------------------------

    def inject(
        self,
        status: int = 500,
        *,
        times: int = 1,
        path: str | None = None,
        method: str | None = None,
        headers: dict[str, str] | None = None,
        body: Any = None,
        message: str = "Injected fault",
        mode: FaultMode = "respond",
        after_handler: bool = False,
        delay: float = 5.0,
    ) -> Fault:
        fault = Fault(
            mode=mode,
            status=status,
            times=times,
            path=path,
            method=method,
            body=body,
            headers=dict(headers or {}),
            message=message,
            after_handler=after_handler,
            delay=delay,
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def stall_after_handling(self, path: str, method: str = "POST", delay: float = 3.0) -> Fault:
        """The request is processed (the post is stored), then no answer comes: a client timeout."""
        return self.inject(path=path, method=method, mode="stall", after_handler=True, delay=delay)

    def calls(self, path: str | None = None, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose decoded path matches the regex ``path`` (and ``method``)."""
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))
            ]

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return len(self.calls(path, method))

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    # --- Request handling --------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        split = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        req = RecordedRequest(
            method=h.command,
            path=unquote(split.path),
            raw_path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
            raw_query=split.query,
        )
        with self.lock:
            self.requests.append(req)
            fault = next((f for f in self.faults if f.matches(req.method, req.path)), None)
            if fault:
                fault.fired += 1
        if fault is not None and not fault.after_handler:
            return self._apply_fault(h, req, fault)
        response = self.authenticate(req)
        if response is None:
            response = self._route_safely(req)
        if fault is not None and 200 <= response.status < 300:
            return self._apply_fault(h, req, fault)
        self._respond(h, req, response)

    def _route_safely(self, req: RecordedRequest) -> Response:
        try:
            return self._route(req)
        except HttpError as exc:
            return self.error_response(exc.status, exc.message, **exc.extra)
        except Exception:
            tb = traceback.format_exc()
            self.server_errors.append(tb)
            print(f"{type(self).__name__} bug:\n{tb}", file=sys.stderr)
            return self.error_response(500, "fake server bug (see server_errors)")

    def _apply_fault(self, h: BaseHTTPRequestHandler, req: RecordedRequest, fault: Fault) -> None:
        if fault.mode == "stall":
            self._stopping.wait(fault.delay)
        if fault.mode in ("stall", "disconnect"):
            req.status = -1
            h.close_connection = True
            with contextlib.suppress(OSError):
                h.wfile.flush()
                h.connection.close()
            return
        if fault.body is not None:
            response = Response(fault.status, fault.body, dict(fault.headers))
        else:
            response = self.error_response(fault.status, fault.message)
            response.headers.update(fault.headers)
        self._respond(h, req, response)

    def _route(self, req: RecordedRequest) -> Response:
        allowed = False
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(req.raw_path)
            if not match:
                continue
            allowed = True
            if method != req.method:
                continue
            groups = {k: unquote(v) for k, v in match.groupdict().items()}
            with self.lock:
                result = handler(req, **groups)
            return result if isinstance(result, Response) else Response(200, result)
        if allowed:
            raise HttpError(405, f"Method {req.method} not allowed on {req.path}")
        raise HttpError(404, f"No fake route for {req.method} {req.path}")

    def _respond(self, h: BaseHTTPRequestHandler, req: RecordedRequest, response: Response) -> None:
        req.status = response.status
        if response.body is None:
            data, ctype = b"", None
        elif isinstance(response.body, bytes):
            data, ctype = response.body, "application/octet-stream"
        else:
            data = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
            ctype = "application/json; charset=utf-8"
        h.send_response(response.status)
        if response.content_type or ctype:
            h.send_header("Content-Type", response.content_type or ctype or "")
        for name, value in response.headers.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if data and h.command != "HEAD":
            with contextlib.suppress(OSError):  # the client gave up (its timeout): no one to answer
                h.wfile.write(data)

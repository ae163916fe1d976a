"""Base for the fake Google servers: a ThreadingHTTPServer on 127.0.0.1 in its own thread.

A thread (not an asyncio server) so one fake serves sync tests and async tests alike: the
adapters call it from ``asyncio.to_thread`` workers and never block the test's event loop.
Every request is recorded; faults can be injected; ``Authorization: Bearer`` is checked.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox.local_http import LocalHttpServer

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    410: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_DEFAULT_REASONS = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "duplicate",
    410: "deleted",
    429: "rateLimitExceeded",
    500: "backendError",
    502: "backendError",
    503: "backendError",
}


class FakeHttpError(Exception):
    """Raised by a route to answer with Google's JSON error envelope."""

    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason or _DEFAULT_REASONS.get(status, "unknown")


def google_error(status: int, message: str, reason: str | None = None) -> dict[str, Any]:
    reason = reason or _DEFAULT_REASONS.get(status, "unknown")
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": _STATUS_NAMES.get(status, "UNKNOWN"),
        }
    }


@dataclass
class RecordedRequest:
    method: str
    path: str  # percent-decoded
    raw_path: str  # as sent (route patterns match on this)
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int = 0

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    @property
    def bearer(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else None


@dataclass
class Fault:
    """The next ``times`` matching requests fail; ``status="disconnect"`` drops the connection."""

    status: int | str
    times: int = 1
    path: str | None = None  # regex searched in the decoded path
    method: str | None = None
    reason: str | None = None
    message: str = "Injected fault"
    retry_after: float | None = None
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.fired >= self.times:
            return False
        if self.method and self.method.upper() != method:
            return False
        return not (self.path and not re.search(self.path, path))


Route = tuple[str, re.Pattern[str], Callable[..., Any]]


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-serialisable, bytes, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer(LocalHttpServer):
    """Start with ``start()`` / ``with`` / ``async with``; ``url`` is the root to give a client."""

    # Paths that need no Bearer token (the OAuth endpoints).
    public_paths: tuple[str, ...] = ()

    def __init__(self, token_validator: Callable[[str], bool] | None = None) -> None:
        self.token_validator = token_validator
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.server_errors: list[str] = []  # tracebacks of bugs in the fake itself
        self.lock = threading.RLock()
        self._routes: list[Route] = [
            (method, re.compile(pattern), handler) for method, pattern, handler in self.routes()
        ]

    # --- Lifecycle ---------------------------------------------------------------------

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        """(HTTP method, regex fully matching the raw path, handler(request, **groups))."""
        return []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # --- Test helpers ------------------------------------------------------------------

    def inject(
        self,
        status: int | str,
        times: int = 1,
        path: str | None = None,
        method: str | None = None,
        reason: str | None = None,
        retry_after: float | None = None,
        message: str = "Injected fault",
    ) -> Fault:
        """Make the next ``times`` matching calls fail, e.g. ``inject(403, reason="rateLimitExceeded")``."""
        fault = Fault(status, times, path, method, reason, message, retry_after)
        with self.lock:
            self.faults.append(fault)
        return fault

    def calls(self, path: str | None = None, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose decoded path matches the regex ``path`` (and ``method``)."""
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))
            ]

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
        )
        with self.lock:
            self.requests.append(req)
            fault = next((f for f in self.faults if f.matches(req.method, req.path)), None)
            if fault:
                fault.fired += 1
        if fault is not None:
            if fault.status == "disconnect":
                h.close_connection = True
                h.wfile.flush()
                h.connection.close()
                req.status = -1
                return
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            status = int(fault.status)
            return self._respond(
                h, req, Response(status, google_error(status, fault.message, fault.reason), headers)
            )
        if not any(req.path.startswith(p) for p in self.public_paths):
            token = req.bearer
            if not token:
                msg = "Request is missing required authentication credential. Expected OAuth 2 access token."
                return self._respond(h, req, Response(401, google_error(401, msg, "required")))
            if self.token_validator is not None and not self.token_validator(token):
                return self._respond(
                    h, req, Response(401, google_error(401, "Invalid Credentials", "authError"))
                )
        try:
            response = self._route(req)
        except FakeHttpError as exc:
            response = Response(exc.status, google_error(exc.status, exc.message, exc.reason))
        except Exception:
            tb = traceback.format_exc()
            self.server_errors.append(tb)
            print(f"{type(self).__name__} bug:\n{tb}", file=sys.stderr)
            response = Response(
                500, google_error(500, "fake server bug (see server_errors)", "fakeServerBug")
            )
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
            raise FakeHttpError(405, f"Method {req.method} not allowed on {req.path}")
        raise FakeHttpError(404, f"No fake route for {req.method} {req.path}")

    def _respond(self, h: BaseHTTPRequestHandler, req: RecordedRequest, response: Response) -> None:
        req.status = response.status
        if response.body is None:
            data = b""
            ctype = None
        elif isinstance(response.body, bytes):
            data = response.body
            ctype = "application/octet-stream"
        else:
            data = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
            ctype = "application/json; charset=UTF-8"
        h.send_response(response.status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for name, value in response.headers.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if data and h.command != "HEAD":
            h.wfile.write(data)


def paginate(
    items: list[Any], req: RecordedRequest, default: int, maximum: int
) -> tuple[list[Any], str | None]:
    """Offset paging with opaque-enough tokens, like Google's pageToken/maxResults."""
    try:
        size = min(maximum, max(1, int(req.param("maxResults") or default)))
        start = int(req.param("pageToken") or 0)
    except ValueError as exc:
        raise FakeHttpError(400, "Invalid pageToken or maxResults") from exc
    page = items[start : start + size]
    token = str(start + size) if start + size < len(items) else None
    return page, token

"""SandboxRequest: a PTB BaseRequest that hands each Bot API call to a TelegramSandbox in-process."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from sandbox.core import TelegramSandbox, dumps
from sandbox.errors import NOT_FOUND, UNAUTHORIZED
from sandbox.files import UploadedFile

_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


class SandboxRequest(BaseRequest):
    """Use as ``ApplicationBuilder().request(SandboxRequest(sb)).get_updates_request(SandboxRequest(sb))``.

    The URL's host is ignored (PTB's default https://api.telegram.org works); its token and
    method name are honoured. Parameters go through a JSON round trip, as on the wire.
    """

    def __init__(self, sandbox: TelegramSandbox, read_timeout: float | None = 5.0) -> None:
        self.sandbox = sandbox
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up: there is no connection."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        file_match = _FILE_PATH.search(path)
        if file_match:
            return self._download(file_match["token"], file_match["path"])
        match = _API_PATH.search(path)
        if match is None:
            return NOT_FOUND.code, dumps(NOT_FOUND.body())
        if match["token"] != self.sandbox.token:
            return UNAUTHORIZED.code, dumps(UNAUTHORIZED.body())

        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        if request_data is not None:
            params = json.loads(json.dumps(request_data.parameters))
            if request_data.contains_files:
                for name, (filename, content, mime_type) in request_data.multipart_data.items():
                    data = content if isinstance(content, bytes) else content.read()
                    files[name] = UploadedFile(filename or name, data, mime_type)

        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        call = self.sandbox.call(match["method"], params, files)
        try:
            status, body = await (asyncio.wait_for(call, timeout) if timeout is not None else call)
        except TimeoutError as exc:
            raise TimedOut(f"sandbox call {match['method']} took longer than {timeout}s") from exc
        return status, dumps(body)

    def _download(self, token: str, file_path: str) -> tuple[int, bytes]:
        if token != self.sandbox.token:
            return UNAUTHORIZED.code, dumps(UNAUTHORIZED.body())
        stored = self.sandbox.files.by_path(file_path)
        if stored is None:
            return NOT_FOUND.code, dumps(NOT_FOUND.body())
        return 200, stored.data

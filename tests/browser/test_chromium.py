"""The browser under every other browser test: Debian's Chromium renders a local page at phone size."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytestmark = pytest.mark.browser


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = "<!doctype html><meta charset=utf-8><title>coordo</title><p id=p>Bonjour à tous</p>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_chromium_renders_a_local_page_at_phone_size(browser: Any) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/")
        assert browser.title == "coordo"
        assert browser.find_element("id", "p").text == "Bonjour à tous"
        assert browser.execute_script("return window.innerWidth") == 390
    finally:
        server.shutdown()

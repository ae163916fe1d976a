"""The HTTP front: request encodings, tokens, file downloads, control API, standalone mode."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot
from telegram.error import InvalidToken

from sandbox import SandboxServer, SandboxUser, TelegramSandbox, running, sandbox_builder
from sandbox.demo import build_demo_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5, trust_env=False) as http:
        yield http


async def test_urls(server: SandboxServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    assert server.base_file_url == f"http://127.0.0.1:{server.port}/file/bot"


async def test_request_encodings(
    sb: TelegramSandbox, alice: SandboxUser, server: SandboxServer, client: httpx.AsyncClient
) -> None:
    api = f"{server.base_url}{sb.token}"
    me = (await client.get(f"{api}/getMe")).json()
    assert me["ok"] and me["result"]["username"] == "coordo_bot"

    as_json = await client.post(
        f"{api}/sendMessage", json={"chat_id": alice.id, "text": "<b>json</b>", "parse_mode": "HTML"}
    )
    assert as_json.status_code == 200 and as_json.json()["result"]["text"] == "json"

    # PTB's encoding: each non-string value JSON-encoded in a form field.
    markup = {"inline_keyboard": [[{"text": "Oui", "callback_data": "yes"}]]}
    form = {
        "chat_id": str(alice.id),
        "text": "123",
        "reply_markup": json.dumps(markup),
        "disable_notification": "true",
    }
    as_form = await client.post(f"{api}/sendMessage", data=form)
    assert as_form.json()["result"]["text"] == "123"  # a numeric-looking text stays text
    assert alice.messages[-1].buttons == [["Oui"]] and alice.messages[-1].disable_notification

    query = await client.get(f"{api}/sendMessage", params={"chat_id": alice.id, "text": "par GET"})
    assert query.json()["result"]["text"] == "par GET"

    upload = await client.post(
        f"{api}/sendDocument",
        data={"chat_id": str(alice.id), "caption": "export"},
        files={"document": ("liste.csv", b"a;b\n", "text/csv")},
    )
    assert upload.status_code == 200, upload.text
    document = upload.json()["result"]["document"]
    assert alice.messages[-1].document is not None and alice.messages[-1].document.data == b"a;b\n"

    path = (await client.post(f"{api}/getFile", json={"file_id": document["file_id"]})).json()["result"][
        "file_path"
    ]
    download = await client.get(f"{server.base_file_url}{sb.token}/{path}")
    assert download.content == b"a;b\n"


async def test_errors_over_http(
    sb: TelegramSandbox, server: SandboxServer, client: httpx.AsyncClient
) -> None:
    wrong = await client.get(f"{server.base_url}123:wrong/getMe")
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    unknown = await client.post(f"{server.base_url}{sb.token}/sendTelepathy")
    assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")
    empty = await client.post(f"{server.base_url}{sb.token}/sendMessage", json={"chat_id": 1, "text": ""})
    assert empty.status_code == 400 and empty.json()["description"] == "Bad Request: message text is empty"
    assert (await client.get(f"{server.base_file_url}123:wrong/documents/x")).status_code == 401
    assert (await client.get(f"{server.base_file_url}{sb.token}/documents/none")).status_code == 404

    bot = Bot("123:wrong", base_url=server.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()


async def test_control_api_drives_a_bot(
    sb: TelegramSandbox, server: SandboxServer, client: httpx.AsyncClient
) -> None:
    control = f"{server.url}/_sandbox"

    async def post(action: str, body: dict[str, object]) -> object:
        response = await client.post(f"{control}/{action}", json=body)
        assert response.status_code == 200, response.text
        return response.json()["result"]

    async def get(action: str, **params: str | int) -> object:
        response = await client.get(f"{control}/{action}", params=params)
        assert response.status_code == 200, response.text
        return response.json()["result"]

    app = build_demo_app(sandbox_builder(sb, server))
    async with running(app):
        assert await post("users", {"id": 7, "first_name": "Zoé"}) == {
            "id": 7,
            "is_bot": False,
            "first_name": "Zoé",
            "language_code": "fr",
        }
        await post("send", {"user_id": 7, "text": "/menu"})
        messages = await sb.wait_for(lambda: sb.messages_in(7))
        listed = await get("messages", chat_id=7)
        assert (
            isinstance(listed, list)
            and listed[0]["plain"] == "Venez-vous ?"
            and listed[0]["buttons"] == [["Oui", "Non"]]
        )

        await post(
            "press", {"user_id": 7, "chat_id": 7, "message_id": messages[0].message_id, "data": "vote:yes"}
        )
        await sb.wait_for(lambda: messages[0].edits)
        assert messages[0].plain == "Réponse : oui"

        await post("groups", {"id": -1002, "title": "AG", "members": [7]})
        await post("send", {"user_id": 7, "chat_id": -1002, "text": "/whoami"})
        reply = await sb.wait_for(lambda: sb.messages_in(-1002))
        assert reply[0].plain == "Vous êtes Zoé"

        limits = await post("limits", {"enforce": True, "scale": 2})
        assert isinstance(limits, dict) and limits["enforce"] is True and sb.limits.scale == 2
        fault = await post("faults", {"method": "sendMessage", "kind": "500", "times": 2})
        assert isinstance(fault, dict) and fault["times"] == 2
        assert len(sb.faults.faults) == 1
        assert (await client.delete(f"{control}/faults")).json()["result"] is True
        assert sb.faults.faults == []

        stats = await get("stats")
        assert isinstance(stats, dict) and stats["sent"] == 2 and stats["edited"] == 1
        calls = await get("calls")
        assert isinstance(calls, list) and any(c["method"] == "editMessageText" for c in calls)
        await post("block", {"user_id": 7})
        assert sb.get_user(7).blocked

        bad = await client.post(
            f"{control}/press", json={"user_id": 7, "chat_id": 7, "message_id": 999, "text": "x"}
        )
        assert bad.status_code == 400 and "no bot message" in bad.json()["error"]


async def test_standalone_process(client: httpx.AsyncClient) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--port",
        "0",
        "--token",
        "42:standalone",
        "--enforce-limits",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert process.stdout is not None
        lines = [(await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip() for _ in range(4)]
        printed = dict(line.split("=", 1) for line in lines[1:])
        base_url = printed["TELEGRAM_API_BASE_URL"]
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
        assert printed["TELEGRAM_BOT_TOKEN"] == "42:standalone"
        me = (await client.get(f"{base_url}42:standalone/getMe")).json()
        assert me["result"]["id"] == 42
        limits = (await client.get(base_url.removesuffix("/bot") + "/_sandbox/limits")).json()
        assert limits["result"]["enforce"] is True
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 10) == 0


async def test_many_users_at_once(
    sb: TelegramSandbox, server: SandboxServer, client: httpx.AsyncClient
) -> None:
    users = [{"id": 700 + i, "first_name": f"U{i}", "started": True} for i in range(3)]
    made = (await client.post(f"{server.url}/_sandbox/users", json={"users": users})).json()["result"]
    assert [u["id"] for u in made] == [700, 701, 702]
    sent = (
        await client.post(
            f"{server.base_url}{sb.token}/sendMessage", json={"chat_id": 701, "text": "Bonjour"}
        )
    ).json()
    assert sent["ok"] and sent["result"]["chat"]["id"] == 701
    assert [m.plain for m in sb.get_user(701).messages] == ["Bonjour"]
    assert sb.get_user(702).started

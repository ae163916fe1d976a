"""The control API sets up a group after creation, as on day one (README, "Premier jour"): a group
made without the bot, the bot added by a member, /lier_ville, then people joining and leaving."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from sandbox import SandboxServer, serve_http
from sandbox.bot_harness import COORDINATOR_ID

GROUP = -100_4242


@pytest.fixture
async def control(bot: Any) -> AsyncIterator[tuple[httpx.AsyncClient, SandboxServer]]:
    server = await serve_http(bot.sb)
    try:
        async with httpx.AsyncClient(base_url=f"{server.url}/_sandbox/", timeout=5, trust_env=False) as http:
            yield http, server
    finally:
        await server.close()


async def _post(http: httpx.AsyncClient, action: str, body: dict[str, Any]) -> Any:
    response = await http.post(action, json=body)
    assert response.status_code == 200, response.text
    return response.json()["result"]


async def test_bot_and_members_are_added_after_the_group_exists(
    bot: Any, control: tuple[httpx.AsyncClient, SandboxServer]
) -> None:
    http, _ = control
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    await _post(http, "users", {"id": 501, "first_name": "Inès"})
    group = await _post(
        http,
        "groups",
        {"id": GROUP, "title": "Militants Lyon", "with_bot": False, "members": [COORDINATOR_ID]},
    )
    assert group["id"] == GROUP and not bot.sb.get_group(GROUP).bot_is_member

    added = await _post(http, "add_bot", {"chat_id": GROUP, "by": COORDINATOR_ID})
    assert added["bot_status"] == "member"
    hello = await bot.sb.get_group(GROUP).next_message()
    assert "/lier_ville" in hello.plain  # the bot says how to link the group

    await _post(http, "send", {"user_id": COORDINATOR_ID, "chat_id": GROUP, "text": "/lier_ville Lyon"})
    linked = await bot.sb.get_group(GROUP).next_message()
    assert "rattaché à Lyon" in linked.plain

    joined = await _post(http, "members", {"chat_id": GROUP, "user_ids": [501]})
    assert joined["members"]["501"] == "member"
    assert bot.sb.get_group(GROUP).member_status(501) == "member"
    left = await _post(http, "leave", {"chat_id": GROUP, "user_id": 501})
    assert left["members"]["501"] == "left"

    messages = (await http.get("messages", params={"chat_id": GROUP})).json()["result"]
    assert any("rattaché à Lyon" in m["text"] for m in messages)

    removed = await _post(http, "remove_bot", {"chat_id": GROUP, "by": COORDINATOR_ID})
    assert removed["bot_status"] == "kicked"


async def test_control_errors_are_answered_not_crashed(
    bot: Any, control: tuple[httpx.AsyncClient, SandboxServer]
) -> None:
    http, _ = control
    unknown = await http.post("members", json={"chat_id": -1, "user_ids": [1]})
    assert unknown.status_code == 400 and not unknown.json()["ok"]
    await _post(http, "users", {"id": 502, "first_name": "Max"})
    await _post(http, "groups", {"id": GROUP, "title": "Sans bot", "with_bot": False})
    # Only a member can add the bot, as on Telegram.
    outsider = await http.post("add_bot", json={"chat_id": GROUP, "by": 502})
    assert outsider.status_code == 400

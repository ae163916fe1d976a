"""setMessageReaction as Telegram answers it: the bot's reaction is recorded; unknown messages,
non-standard emoji and groups with reactions turned off are refused."""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot, ReactionTypeEmoji
from telegram.error import BadRequest

from sandbox import SandboxRequest, SandboxUser, TelegramSandbox


async def call(sb: TelegramSandbox, **params: Any) -> tuple[int, dict[str, Any]]:
    if "reaction" in params:
        params["reaction"] = json.dumps(params["reaction"])
    return await sb.call("setMessageReaction", params)


def group_with(sb: TelegramSandbox, alice: SandboxUser) -> tuple[Any, int]:
    group = sb.group(-100500, "Militants")
    group.add_member(alice, announce=False)
    message = alice.send("je viens", chat=group)
    return group, int(message["message_id"])


async def test_a_reaction_is_recorded_and_replaced(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group, mid = group_with(sb, alice)
    status, body = await call(
        sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "👍"}]
    )
    assert (status, body) == (200, {"ok": True, "result": True})
    assert sb.reactions_on(group, mid) == ["👍"]
    await call(sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "👌"}], is_big=True)
    assert sb.reactions_on(group, mid) == ["👌"]
    await call(sb, chat_id=group.id, message_id=mid, reaction=[])
    assert sb.reactions_on(group, mid) == []


async def test_refusals_have_telegrams_shape(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group, mid = group_with(sb, alice)
    thumbs = [{"type": "emoji", "emoji": "👍"}]
    assert await call(sb, chat_id=group.id, message_id=mid + 50, reaction=thumbs) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message to react not found"},
    )
    status, body = await call(
        sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "✅"}]
    )
    assert status == 400 and body["description"] == "Bad Request: REACTION_INVALID"
    status, body = await call(sb, chat_id=group.id, message_id=mid, reaction=thumbs * 2)
    assert status == 400 and body["description"] == "Bad Request: REACTIONS_TOO_MANY"
    assert sb.reactions_on(group, mid) == []


async def test_a_group_with_reactions_off_refuses_them(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group, mid = group_with(sb, alice)
    group.set_reactions([])
    status, body = await call(
        sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "👍"}]
    )
    assert status == 400 and body["description"] == "Bad Request: REACTION_INVALID"
    assert sb.reactions_on(group, mid) == []
    # getChat tells it, as Telegram does (available_reactions: empty list).
    _, chat = await sb.call("getChat", {"chat_id": group.id})
    assert chat["result"]["available_reactions"] == []
    group.set_reactions(["👍"])
    assert (await call(sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "👍"}]))[
        0
    ] == 200
    status, _ = await call(sb, chat_id=group.id, message_id=mid, reaction=[{"type": "emoji", "emoji": "🤔"}])
    assert status == 400
    group.set_reactions(None)
    _, chat = await sb.call("getChat", {"chat_id": group.id})
    assert "available_reactions" not in chat["result"]


async def test_ptb_sets_a_reaction_and_sees_the_refusal(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group, mid = group_with(sb, alice)
    bot = Bot(sb.token, request=SandboxRequest(sb))
    async with bot:
        assert await bot.set_message_reaction(group.id, mid, ReactionTypeEmoji("🤔")) is True
        assert sb.reactions_on(group.id, mid) == ["🤔"]
        group.set_reactions([])
        try:
            await bot.set_message_reaction(group.id, mid, ReactionTypeEmoji("👍"))
        except BadRequest as exc:
            assert "reaction_invalid" in str(exc).lower()
        else:
            raise AssertionError("a group with reactions off must refuse them")

"""The user side: update shapes PTB understands, entities, privacy mode, long polling."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from telegram import Message, Update

from sandbox import SandboxError, SandboxUser, TelegramSandbox


async def updates(sb: TelegramSandbox, **params: Any) -> list[dict[str, Any]]:
    status, body = await sb.call("getUpdates", params)
    assert status == 200, body
    result: list[dict[str, Any]] = body["result"]
    return result


def parsed(sb: TelegramSandbox, raw: dict[str, Any]) -> Update:
    update = Update.de_json(raw, None)
    assert update is not None
    return update


async def test_private_message_shape(sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice", "Martin", username="alice_m")
    sent = alice.send("Bonjour !")
    [raw] = await updates(sb)
    update = parsed(sb, raw)
    assert raw["update_id"] == 1
    message = update.message
    assert message is not None and message.message_id == sent["message_id"] == 1
    assert message.text == "Bonjour !" and message.chat.type == "private" and message.chat.id == alice.id
    assert message.from_user is not None
    assert (message.from_user.first_name, message.from_user.is_bot, message.from_user.language_code) == (
        "Alice",
        False,
        "fr",
    )
    assert message.date.timestamp() == pytest.approx(time.time(), abs=5)


@pytest.mark.parametrize(
    ("text", "command_length", "args"),
    [
        ("/start", 6, []),
        ("/start invite-42", 6, ["invite-42"]),
        ("/aide@coordo_bot maintenant", 16, ["maintenant"]),
    ],
)
async def test_bot_command_entity(
    sb: TelegramSandbox, text: str, command_length: int, args: list[str]
) -> None:
    sb.user(101, "Alice").send(text)
    [raw] = await updates(sb)
    assert raw["message"]["entities"][0] == {"type": "bot_command", "offset": 0, "length": command_length}
    message = parsed(sb, raw).message
    assert message is not None and message.text is not None
    assert message.text.split()[1:] == args


async def test_other_entities_are_detected(sb: TelegramSandbox) -> None:
    sb.user(101, "Alice").send("Voir https://exemple.org avec @bob_martin #ag2025")
    [raw] = await updates(sb)
    assert [e["type"] for e in raw["message"]["entities"]] == ["url", "mention", "hashtag"]


async def test_update_ids_increase_and_offset_confirms(sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    for word in ("un", "deux", "trois"):
        alice.send(word)
    first = await updates(sb, limit=2)
    assert [u["message"]["text"] for u in first] == ["un", "deux"]
    again = await updates(sb)
    assert len(again) == 3  # nothing confirmed yet
    rest = await updates(sb, offset=first[-1]["update_id"] + 1)
    assert [u["message"]["text"] for u in rest] == ["trois"]
    assert await updates(sb, offset=rest[-1]["update_id"] + 1) == []
    assert sb.pending_updates == []


async def test_negative_offset_keeps_the_last_ones(sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    for word in ("un", "deux", "trois"):
        alice.send(word)
    assert [u["message"]["text"] for u in await updates(sb, offset=-1)] == ["trois"]


async def test_allowed_updates_filters_and_persists(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await sb.call(
        "sendMessage",
        {
            "chat_id": alice.id,
            "text": "x",
            "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "b"}]]},
        },
    )
    await updates(sb, offset=10**6)  # drop /start
    alice.send("texte")
    alice.press(alice.messages[-1], data="b")
    only_callbacks = await updates(sb, allowed_updates=["callback_query"])
    assert [next(k for k in u if k != "update_id") for u in only_callbacks] == ["callback_query"]
    alice.send("encore")
    assert [u for u in await updates(sb) if "message" in u] == []  # the setting persists


async def test_long_poll_wakes_up_at_once(sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(updates(sb, timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    alice.send("réveil")
    result = await asyncio.wait_for(poll, 1)
    assert result[0]["message"]["text"] == "réveil"
    assert loop.time() - started < 0.5


async def test_long_poll_times_out_empty(sb: TelegramSandbox) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await updates(sb, timeout=0.2) == []
    assert 0.15 < loop.time() - started < 1


async def test_second_poller_terminates_the_first(sb: TelegramSandbox) -> None:
    first = asyncio.create_task(sb.call("getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.02)
    second = asyncio.create_task(sb.call("getUpdates", {"timeout": 0.1}))
    status, body = await asyncio.wait_for(first, 1)
    assert status == 409
    assert (
        body["description"]
        == "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    )
    assert (await second)[0] == 200


async def test_reply_to_message_carries_the_whole_message(sb: TelegramSandbox, alice: SandboxUser) -> None:
    status, body = await sb.call(
        "sendMessage", {"chat_id": alice.id, "text": "<b>Question</b> ?", "parse_mode": "HTML"}
    )
    alice.send("Réponse", reply_to=alice.messages[-1])
    raw = (await updates(sb))[-1]
    replied = raw["message"]["reply_to_message"]
    assert replied["message_id"] == body["result"]["message_id"]
    assert replied["text"] == "Question ?" and replied["from"]["is_bot"] is True
    assert replied["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    message = parsed(sb, raw).message
    assert message is not None and message.reply_to_message is not None


async def test_press_and_edit_updates(sb: TelegramSandbox, alice: SandboxUser) -> None:
    markup = {"inline_keyboard": [[{"text": "Oui", "callback_data": "yes"}]]}
    await sb.call("sendMessage", {"chat_id": alice.id, "text": "Venez-vous ?", "reply_markup": markup})
    first = alice.press(alice.messages[-1], text="Oui")
    second = alice.press(alice.messages[-1], data="yes")
    assert first["id"] != second["id"]
    own = alice.send("typo")
    alice.edit(own, "corrigé")
    raws = (await updates(sb))[1:]
    query = parsed(sb, raws[0]).callback_query
    assert query is not None and query.data == "yes" and query.message is not None
    assert isinstance(query.message, Message) and query.message.text == "Venez-vous ?"
    edited = parsed(sb, raws[-1]).edited_message
    assert edited is not None and edited.text == "corrigé" and edited.edit_date is not None

    with pytest.raises(SandboxError, match=r"no inline button with text='Peut-être'.*\('Oui', 'yes'\)"):
        alice.press(alice.messages[-1], text="Peut-être")


async def test_send_raw_and_document(sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send_raw(
        sticker={
            "file_id": "st1",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    )
    alice.send_document(b"a;b\n1;2\n", "liste.csv", caption="ma liste")
    raws = await updates(sb)
    assert parsed(sb, raws[0]).message.sticker is not None  # type: ignore[union-attr]
    document = parsed(sb, raws[1]).message.document  # type: ignore[union-attr]
    assert document is not None and document.file_name == "liste.csv" and document.mime_type == "text/csv"
    status, body = await sb.call("getFile", {"file_id": document.file_id})
    assert status == 200 and sb.files.by_path(body["result"]["file_path"]).data == b"a;b\n1;2\n"  # type: ignore[union-attr]


async def test_block_bot_sends_my_chat_member(sb: TelegramSandbox, alice: SandboxUser) -> None:
    alice.block_bot()
    raw = (await updates(sb))[-1]
    update = parsed(sb, raw)
    assert update.my_chat_member is not None
    assert (update.my_chat_member.old_chat_member.status, update.my_chat_member.new_chat_member.status) == (
        "member",
        "kicked",
    )


async def test_privacy_mode_in_groups(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group = sb.group(-1001, "Militants")
    group.add_member(alice, announce=False)
    await updates(sb, offset=10**6)
    status, body = await sb.call("sendMessage", {"chat_id": group.id, "text": "Annonce"})
    alice.send("bavardage", chat=group)  # not for the bot
    alice.send("/aide", chat=group)  # command: delivered
    alice.send("/aide@coordo_bot", chat=group)  # command for this bot: delivered
    alice.send("/aide@autre_bot", chat=group)  # command for another bot: not delivered
    alice.send("merci", chat=group, reply_to=body["result"]["message_id"])  # reply to the bot: delivered
    bob = sb.user(102, "Bob")
    group.add_member(bob)  # service message: delivered
    texts = [u["message"].get("text") or "new_chat_members" for u in await updates(sb)]
    assert texts == ["/aide", "/aide@coordo_bot", "merci", "new_chat_members"]
    assert [m["text"] for m in sb.log(group.id).messages.values() if isinstance(m, dict) and "text" in m][
        0
    ] == "bavardage"


async def test_admin_bot_or_privacy_off_sees_everything(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group = sb.group(-1001, "Militants")
    group.add_member(alice, announce=False)
    group.set_bot_status(alice, "administrator")
    alice.send("bavardage", chat=group)
    assert (await updates(sb))[-1]["message"]["text"] == "bavardage"

    open_sb = TelegramSandbox(privacy_mode=False)
    bob = open_sb.user(102, "Bob")
    other = open_sb.group(-1002, "Ouvert")
    other.add_member(bob, announce=False)
    bob.send("bavardage", chat=other)
    assert (await updates(open_sb))[-1]["message"]["text"] == "bavardage"


async def test_adding_the_bot_and_migrating(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group = sb.group(-4002, "Section locale", type="group", with_bot=False)
    group.add_member(alice, "creator")
    await updates(sb, offset=10**6)
    group.add_bot(by=alice)
    supergroup = group.migrate(by=alice)
    parsed_updates = [parsed(sb, raw) for raw in await updates(sb)]
    member = parsed_updates[0].my_chat_member
    assert member is not None and (member.old_chat_member.status, member.new_chat_member.status) == (
        "left",
        "member",
    )
    joined = parsed_updates[1].message
    assert joined is not None and joined.new_chat_members[0].id == sb.bot_id
    to, frm = parsed_updates[2].message, parsed_updates[3].message
    assert to is not None and to.migrate_to_chat_id == supergroup.id and to.chat.id == group.id
    assert frm is not None and frm.migrate_from_chat_id == group.id and frm.chat.type == "supergroup"
    with pytest.raises(SandboxError, match="upgraded"):
        alice.send("encore là ?", chat=group)


async def test_user_must_be_member_to_post(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group = sb.group(-1001, "Militants")
    with pytest.raises(SandboxError, match="not a member"):
        alice.send("coucou", chat=group)


async def test_next_message_and_its_timeout_report(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await sb.call("sendMessage", {"chat_id": alice.id, "text": "premier"})
    assert (await alice.next_message()).plain == "premier"
    waiter = asyncio.create_task(alice.next_message(timeout=2))
    await asyncio.sleep(0.01)
    await sb.call("sendMessage", {"chat_id": alice.id, "text": "second"})
    assert (await waiter).plain == "second"

    await sb.call("sendMessage", {"chat_id": alice.id, "text": "<oops>", "parse_mode": "HTML"})
    with pytest.raises(AssertionError) as caught:
        await alice.next_message(timeout=0.05)
    report = str(caught.value)
    assert "no new bot message in chat 101" in report
    assert "sendMessage" in report and "Unsupported start tag" in report


async def test_wait_for(sb: TelegramSandbox, alice: SandboxUser) -> None:
    async def later() -> None:
        await asyncio.sleep(0.02)
        await sb.call("sendMessage", {"chat_id": alice.id, "text": "enfin"})

    task = asyncio.create_task(later())
    found = await sb.wait_for(lambda: [m for m in alice.messages if m.plain == "enfin"], timeout=2)
    assert found[0].plain == "enfin"
    await task
    with pytest.raises(AssertionError, match="condition not met within 0.05s: jamais"):
        await sb.wait_for(lambda: False, timeout=0.05, message="jamais")


async def test_a_forged_press_carries_data_no_button_has(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await sb.call(
        "sendMessage",
        {
            "chat_id": alice.id,
            "text": "x",
            "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "b"}]]},
        },
    )
    await updates(sb, offset=10**6)  # drop /start
    with pytest.raises(SandboxError):
        alice.press(alice.messages[-1], data="page:999")  # an honest client has no such button
    query = alice.forge_press(alice.messages[-1], "page:999")
    (update,) = await updates(sb)
    assert update["callback_query"]["data"] == "page:999" == query["data"]
    assert update["callback_query"]["from"]["id"] == alice.id
    await sb.call("answerCallbackQuery", {"callback_query_id": query["id"], "text": "Non."})
    assert alice.answers[-1].text == "Non."

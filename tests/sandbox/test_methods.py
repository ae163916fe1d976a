"""Bot API methods called directly: results, validation, and Telegram's error shapes."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import ChatFullInfo, ChatMember, Message, WebhookInfo

from sandbox import SandboxUser, TelegramSandbox

KEYBOARD = {
    "inline_keyboard": [[{"text": "Oui", "callback_data": "yes"}, {"text": "Non", "callback_data": "no"}]]
}


async def ok(sb: TelegramSandbox, method: str, **params: Any) -> Any:
    status, body = await sb.call(method, params)
    assert status == 200 and body["ok"] is True, body
    return body["result"]


async def fails(sb: TelegramSandbox, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    status, body = await sb.call(method, params)
    assert body["ok"] is False and body["error_code"] == status, body
    return status, body


async def test_get_me(sb: TelegramSandbox) -> None:
    me = await ok(sb, "getMe")
    assert me["username"] == "coordo_bot" and me["is_bot"] is True
    assert me["can_read_all_group_messages"] is False  # privacy mode


async def test_send_message_stores_text_plain_and_markup(sb: TelegramSandbox, alice: SandboxUser) -> None:
    result = await ok(
        sb,
        "sendMessage",
        chat_id=alice.id,
        text="<b>Réunion</b> &amp; café",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
        disable_notification=True,
        link_preview_options={"is_disabled": True},
    )
    message = Message.de_json(result, None)
    assert message.text == "Réunion & café" and message.entities[0].type == "bold"
    stored = alice.messages[-1]
    assert stored.text == "<b>Réunion</b> &amp; café"
    assert stored.plain == "Réunion & café"
    assert stored.parse_mode == "HTML"
    assert stored.buttons == [["Oui", "Non"]] and stored.button_texts == ["Oui", "Non"]
    assert stored.disable_notification is True
    assert stored.link_preview_options == {"is_disabled": True}


async def test_message_ids_increase_per_chat(sb: TelegramSandbox, alice: SandboxUser) -> None:
    bob = sb.user(102, "Bob")
    bob.send("salut")
    first = await ok(sb, "sendMessage", chat_id=alice.id, text="a")
    second = await ok(sb, "sendMessage", chat_id=alice.id, text="b")
    to_bob = await ok(sb, "sendMessage", chat_id=bob.id, text="c")
    assert second["message_id"] == first["message_id"] + 1
    assert to_bob["message_id"] == 2  # Bob's own message was 1


async def test_unknown_method_is_404(sb: TelegramSandbox) -> None:
    assert await sb.call("sendTelepathy", {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


async def test_method_names_are_case_insensitive(sb: TelegramSandbox) -> None:
    assert (await ok(sb, "GETME"))["id"] == sb.bot_id


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": ""}, "Bad Request: message text is empty"),
        ({"text": "   \n "}, "Bad Request: message text is empty"),
        ({"text": "<b></b>", "parse_mode": "HTML"}, "Bad Request: message text is empty"),
        ({"text": "x" * 4097}, "Bad Request: message is too long"),
        (
            {"text": "a < b", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2',
        ),
        (
            {"text": "<blink>x</blink>", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 0',
        ),
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
        ),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "t", "callback_data": "d" * 65}]]}},
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "t"}]]}},
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (
            {"text": "x", "reply_markup": "{not json"},
            "Bad Request: can't parse reply keyboard markup JSON object",
        ),
        (
            {"text": "x", "reply_parameters": {"message_id": 999}},
            "Bad Request: message to be replied not found",
        ),
    ],
)
async def test_send_message_validation(
    sb: TelegramSandbox, alice: SandboxUser, params: dict[str, Any], description: str
) -> None:
    status, body = await fails(sb, "sendMessage", chat_id=alice.id, **params)
    assert (status, body["description"]) == (400, description)
    assert alice.messages == []


async def test_length_limit_counts_text_after_entity_parsing(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await ok(sb, "sendMessage", chat_id=alice.id, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    await ok(sb, "sendMessage", chat_id=alice.id, text="&amp;" * 4096, parse_mode="HTML")


async def test_callback_data_limit_is_64_bytes_not_chars(sb: TelegramSandbox, alice: SandboxUser) -> None:
    fits = {"inline_keyboard": [[{"text": "t", "callback_data": "é" * 32}]]}
    await ok(sb, "sendMessage", chat_id=alice.id, text="x", reply_markup=fits)
    too_big = {"inline_keyboard": [[{"text": "t", "callback_data": "é" * 33}]]}
    _, body = await fails(sb, "sendMessage", chat_id=alice.id, text="x", reply_markup=too_big)
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_recipient_errors(sb: TelegramSandbox, alice: SandboxUser) -> None:
    stranger = sb.user(103, "Claire")
    _, body = await fails(sb, "sendMessage", chat_id=stranger.id, text="coucou")
    assert body == {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot can't initiate conversation with a user",
    }

    alice.block_bot()
    _, body = await fails(sb, "sendMessage", chat_id=alice.id, text="coucou")
    assert body["error_code"] == 403 and body["description"] == "Forbidden: bot was blocked by the user"

    _, body = await fails(sb, "sendMessage", chat_id=424242, text="coucou")
    assert (body["error_code"], body["description"]) == (400, "Bad Request: chat not found")
    _, body = await fails(sb, "sendMessage", chat_id=-1009999, text="coucou")
    assert body["description"] == "Bad Request: chat not found"
    _, body = await fails(sb, "sendMessage", text="coucou")
    assert body["description"] == "Bad Request: chat_id is empty"


async def test_blocked_user_writing_again_unblocks(sb: TelegramSandbox, alice: SandboxUser) -> None:
    alice.block_bot()
    alice.send("re-bonjour")
    await ok(sb, "sendMessage", chat_id=alice.id, text="ravi de vous revoir")


async def test_migrated_group_answers_with_migrate_to_chat_id(
    sb: TelegramSandbox, alice: SandboxUser
) -> None:
    group = sb.group(-4001, "Comité", type="group")
    group.add_member(alice, "creator")
    supergroup = group.migrate()
    assert supergroup.id == -1004001
    status, body = await fails(sb, "sendMessage", chat_id=group.id, text="ordre du jour")
    assert status == 400
    assert body["description"] == "Bad Request: group chat was upgraded to a supergroup chat"
    assert body["parameters"] == {"migrate_to_chat_id": -1004001}
    await ok(sb, "sendMessage", chat_id=supergroup.id, text="ordre du jour")


async def test_kicked_and_absent_bot_in_groups(sb: TelegramSandbox, alice: SandboxUser) -> None:
    group = sb.group(-1005, "AG", with_bot=False)
    group.add_member(alice)
    _, body = await fails(sb, "sendMessage", chat_id=group.id, text="x")
    assert body["description"] == "Forbidden: bot is not a member of the supergroup chat"
    group.add_bot(by=alice)
    await ok(sb, "sendMessage", chat_id=group.id, text="x")
    group.remove_bot(by=alice)
    _, body = await fails(sb, "sendMessage", chat_id=group.id, text="x")
    assert body["description"] == "Forbidden: bot was kicked from the supergroup chat"


async def test_group_username_as_chat_id(sb: TelegramSandbox) -> None:
    group = sb.group(-1006, "Public", username="coordo_public")
    result = await ok(sb, "sendMessage", chat_id="@coordo_public", text="bonjour")
    assert result["chat"]["id"] == group.id


async def test_edit_message_text(sb: TelegramSandbox, alice: SandboxUser) -> None:
    sent = await ok(sb, "sendMessage", chat_id=alice.id, text="v1", reply_markup=KEYBOARD)
    ids = {"chat_id": alice.id, "message_id": sent["message_id"]}

    _, body = await fails(sb, "editMessageText", **ids, text="v1", reply_markup=KEYBOARD)
    assert body["description"].startswith(
        "Bad Request: message is not modified: specified new message content"
    )

    edited = await ok(
        sb, "editMessageText", **ids, text="<i>v2</i>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert edited["text"] == "v2" and "edit_date" in edited
    stored = sb.message(alice.id, sent["message_id"])
    assert stored is not None
    assert (stored.text, stored.plain, stored.buttons) == ("<i>v2</i>", "v2", [["Oui", "Non"]])
    assert [e.plain for e in stored.edits] == ["v1"]

    # Like Telegram: an edit without reply_markup removes the inline keyboard.
    await ok(sb, "editMessageText", **ids, text="v3")
    assert stored.buttons == [] and len(stored.edits) == 2


async def test_edit_message_caption(sb: TelegramSandbox, alice: SandboxUser) -> None:
    from sandbox import UploadedFile
    from sandbox.files import tiny_png

    photo = UploadedFile("recu.png", tiny_png(), "image/png")
    sent = await ok(
        sb, "sendPhoto", chat_id=alice.id, photo=photo, caption="Frais n° 3", reply_markup=KEYBOARD
    )
    ids = {"chat_id": alice.id, "message_id": sent["message_id"]}
    _, body = await fails(sb, "editMessageCaption", **ids, caption="Frais n° 3", reply_markup=KEYBOARD)
    assert body["description"].startswith("Bad Request: message is not modified")
    await ok(sb, "editMessageCaption", **ids, caption="<b>Approuvée</b>", parse_mode="HTML")
    stored = sb.message(alice.id, sent["message_id"])
    assert stored is not None
    assert (stored.plain, stored.buttons, [e.plain for e in stored.edits]) == (
        "Approuvée",
        [],
        ["Frais n° 3"],
    )
    text = await ok(sb, "sendMessage", chat_id=alice.id, text="texte")
    _, body = await fails(
        sb, "editMessageCaption", chat_id=alice.id, message_id=text["message_id"], caption="x"
    )
    assert "no caption" in body["description"]
    _, body = await fails(sb, "editMessageCaption", **ids, caption="x" * 1025)
    assert "too long" in body["description"]


async def test_edit_message_reply_markup(sb: TelegramSandbox, alice: SandboxUser) -> None:
    sent = await ok(sb, "sendMessage", chat_id=alice.id, text="choix", reply_markup=KEYBOARD)
    ids = {"chat_id": alice.id, "message_id": sent["message_id"]}
    _, body = await fails(sb, "editMessageReplyMarkup", **ids, reply_markup=KEYBOARD)
    assert body["description"].startswith("Bad Request: message is not modified")
    await ok(sb, "editMessageReplyMarkup", **ids)
    assert alice.messages[-1].buttons == []


async def test_edit_and_delete_errors(sb: TelegramSandbox, alice: SandboxUser) -> None:
    _, body = await fails(sb, "editMessageText", chat_id=alice.id, message_id=999, text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    _, body = await fails(sb, "deleteMessage", chat_id=alice.id, message_id=999)
    assert body["description"] == "Bad Request: message to delete not found"
    _, body = await fails(sb, "editMessageText", chat_id=alice.id, text="x")
    assert body["description"] == "Bad Request: message identifier is not specified"
    _, body = await fails(sb, "editMessageText", chat_id=alice.id, message_id=1, text="x")
    assert body["description"] == "Bad Request: message can't be edited"  # /start is Alice's

    sent = await ok(sb, "sendMessage", chat_id=alice.id, text="éphémère")
    assert await ok(sb, "deleteMessage", chat_id=alice.id, message_id=sent["message_id"]) is True
    assert alice.messages == [] and alice.history[0].deleted
    _, body = await fails(sb, "deleteMessage", chat_id=alice.id, message_id=sent["message_id"])
    assert body["description"] == "Bad Request: message to delete not found"
    _, body = await fails(sb, "editMessageText", chat_id=alice.id, message_id=sent["message_id"], text="y")
    assert body["description"] == "Bad Request: message to edit not found"


async def test_reply_to_a_user_message(sb: TelegramSandbox, alice: SandboxUser) -> None:
    question = alice.send("Quand est la réunion ?")
    result = await ok(
        sb,
        "sendMessage",
        chat_id=alice.id,
        text="Jeudi",
        reply_parameters={"message_id": question["message_id"]},
    )
    assert result["reply_to_message"]["text"] == "Quand est la réunion ?"
    assert alice.messages[-1].reply_to == question["message_id"]
    legacy = await ok(
        sb, "sendMessage", chat_id=alice.id, text="18h", reply_to_message_id=question["message_id"]
    )
    assert legacy["reply_to_message"]["message_id"] == question["message_id"]
    gone = await ok(
        sb,
        "sendMessage",
        chat_id=alice.id,
        text="x",
        reply_parameters={"message_id": 999, "allow_sending_without_reply": True},
    )
    assert "reply_to_message" not in gone


async def test_answer_callback_query(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await ok(sb, "sendMessage", chat_id=alice.id, text="choix", reply_markup=KEYBOARD)
    query = alice.press(alice.messages[-1], text="Non")
    assert query["data"] == "no"
    assert await ok(sb, "answerCallbackQuery", callback_query_id=query["id"], text="Dommage", show_alert=True)
    assert alice.last_answer is not None
    assert (alice.last_answer.text, alice.last_answer.show_alert) == ("Dommage", True)
    _, body = await fails(sb, "answerCallbackQuery", callback_query_id=query["id"])
    assert (
        body["description"]
        == "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_commands_per_scope_and_language(sb: TelegramSandbox, alice: SandboxUser) -> None:
    default = [{"command": "start", "description": "Démarrer"}]
    english = [{"command": "start", "description": "Start"}]
    admins = [{"command": "export", "description": "Exporter"}]
    await ok(sb, "setMyCommands", commands=default)
    await ok(sb, "setMyCommands", commands=english, language_code="en")
    await ok(sb, "setMyCommands", commands=admins, scope={"type": "all_chat_administrators"})
    assert await ok(sb, "getMyCommands") == default
    assert await ok(sb, "getMyCommands", language_code="en") == english
    assert await ok(sb, "getMyCommands", scope={"type": "all_private_chats"}) == []
    assert sb.commands() == default
    assert sb.commands("all_chat_administrators") == admins
    assert sb.commands(language_code="en") == english

    group = sb.group(-1007, "Bureau")
    group.add_member(alice, "administrator")
    bob = sb.user(102, "Bob", language_code="en")
    group.add_member(bob)
    assert sb.commands_for(alice, group) == admins
    assert sb.commands_for(bob, group) == english
    assert sb.commands_for(alice) == default

    await ok(sb, "deleteMyCommands", language_code="en")
    assert sb.commands(language_code="en") == []
    _, body = await fails(sb, "setMyCommands", commands=[{"command": "Bad-Name", "description": "x"}])
    assert body["description"] == "Bad Request: BOT_COMMAND_INVALID"


async def test_chat_info_parses_in_ptb(sb: TelegramSandbox, alice: SandboxUser) -> None:
    bot = None
    group = sb.group(-1008, "Bureau")
    group.add_member(alice, "creator")
    sb.group(-1009, "Ailleurs", with_bot=False)
    assert ChatFullInfo.de_json(await ok(sb, "getChat", chat_id=alice.id), bot).first_name == "Alice"
    assert ChatFullInfo.de_json(await ok(sb, "getChat", chat_id=group.id), bot).title == "Bureau"
    member = ChatMember.de_json(await ok(sb, "getChatMember", chat_id=group.id, user_id=alice.id), bot)
    assert member.status == "creator"
    me = ChatMember.de_json(await ok(sb, "getChatMember", chat_id=group.id, user_id=sb.bot_id), bot)
    assert me.status == "member"
    group.set_bot_status(alice, "administrator")
    admins = await ok(sb, "getChatAdministrators", chat_id=group.id)
    assert [ChatMember.de_json(a, bot).status for a in admins] == ["creator", "administrator"]
    assert await ok(sb, "getChatMemberCount", chat_id=group.id) == 2
    _, body = await fails(sb, "getChat", chat_id=-1009)
    assert body["description"] == "Bad Request: chat not found"


async def test_menu_button_close_and_logout(sb: TelegramSandbox, alice: SandboxUser) -> None:
    button = {"type": "web_app", "text": "App", "web_app": {"url": "https://example.org"}}
    assert await ok(sb, "setChatMenuButton", menu_button=button)
    assert await ok(sb, "getChatMenuButton") == button
    assert await ok(sb, "setChatMenuButton", chat_id=alice.id, menu_button={"type": "commands"})
    assert sb.menu_buttons[alice.id] == {"type": "commands"}
    assert await ok(sb, "close") is True
    assert await ok(sb, "logOut") is True


async def test_webhook_info_parses_in_ptb(sb: TelegramSandbox) -> None:
    assert await ok(sb, "setWebhook", url="http://127.0.0.1:9/hook", secret_token="s3cr3t_-")
    info = WebhookInfo.de_json(await ok(sb, "getWebhookInfo"), None)
    assert info.url == "http://127.0.0.1:9/hook"
    _, body = await fails(sb, "getUpdates")
    assert body["error_code"] == 409
    assert body["description"].startswith("Conflict: can't use getUpdates method while webhook is active")
    _, body = await fails(sb, "setWebhook", url="https://example.org/hook")
    assert body["description"].startswith("Bad Request: bad webhook")
    _, body = await fails(sb, "setWebhook", url="http://127.0.0.1:9/hook", secret_token="pas de espaces")
    assert body["description"] == "Bad Request: secret token contains unallowed characters"
    assert await ok(sb, "deleteWebhook")
    assert await ok(sb, "getUpdates") == []


async def test_calls_are_logged(sb: TelegramSandbox, alice: SandboxUser) -> None:
    await ok(sb, "sendMessage", chat_id=alice.id, text="x")
    await fails(sb, "sendMessage", chat_id=alice.id, text="")
    sends = sb.calls_to("sendMessage")
    assert [(c.status, c.params["text"]) for c in sends] == [(200, "x"), (400, "")]
    assert sends[1].description == "Bad Request: message text is empty"
    assert sb.stats.sent == 1 and sb.stats.errors == 1 and sb.stats.by_method["sendMessage"] == 2

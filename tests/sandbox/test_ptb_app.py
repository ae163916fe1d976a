"""A real PTB Application (sandbox.demo) with real polling, in-process and over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.ext import Application

from sandbox import TelegramSandbox, running, sandbox_builder, serve_http
from sandbox.demo import CSV, build_demo_app
from sandbox.files import tiny_png

App = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture(params=["in-process", "http"])
async def app(request: pytest.FixtureRequest, sb: TelegramSandbox) -> AsyncIterator[App]:
    server = await serve_http(sb) if request.param == "http" else None
    application = build_demo_app(sandbox_builder(sb, server))
    async with running(application):
        yield application
    if server is not None:
        await server.close()


async def test_echo_escapes_user_text(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send("Bonjour <toi> & moi")
    reply = await alice.next_message()
    assert reply.plain == "Vous avez dit : Bonjour <toi> & moi"
    assert reply.text == "Vous avez dit : <i>Bonjour &lt;toi&gt; &amp; moi</i>"
    assert reply.entities == [{"type": "italic", "offset": 16, "length": 19}]


async def test_deep_link_start(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send("/start invite-42")
    assert (await alice.next_message()).plain == "Bienvenue ! invite-42"


async def test_keyboard_press_edits_the_message(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send("/menu")
    menu = await alice.next_message()
    assert (menu.plain, menu.buttons) == ("Venez-vous ?", [["Oui", "Non"]])
    alice.press(menu, "Non")
    await sb.wait_for(lambda: menu.edits)
    assert (menu.plain, menu.text, menu.buttons) == ("Réponse : non", "Réponse : <b>non</b>", [])
    assert alice.last_answer is not None
    assert (alice.last_answer.text, alice.last_answer.show_alert) == ("Noté : non", True)
    assert alice.messages == [menu]  # edited in place, nothing new


async def test_document_upload(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send("/export")
    export = await alice.next_message()
    assert export.kind == "document" and export.caption == "Export"
    assert export.document is not None
    assert (export.document.filename, export.document.mime_type) == ("presences.csv", "text/csv")
    assert export.document.text() == CSV


async def test_photo_upload_and_file_download(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    alice.send("/start")
    await alice.next_message()
    png = tiny_png()
    sent = await app.bot.send_photo(
        alice.id, png, caption="<b>graphique</b>", parse_mode="HTML", filename="g.png"
    )
    assert (sent.photo[-1].width, sent.photo[-1].height, sent.caption) == (2, 1, "graphique")
    stored = alice.messages[-1]
    assert stored.photo is not None and stored.photo.data == png
    document = alice.send_document(b"id;nom\n1;Alice\n", "import.csv")["document"]
    file = await app.bot.get_file(document["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"id;nom\n1;Alice\n"


async def test_groups_with_privacy_mode(app: App, sb: TelegramSandbox) -> None:
    alice = sb.user(101, "Alice")
    group = sb.group(-1001, "Militants")
    group.add_member(alice, announce=False)
    alice.send("bavardage", chat=group)
    alice.send("/whoami@autre_bot", chat=group)
    alice.send("/whoami@coordo_bot", chat=group)
    reply = await group.next_message()
    assert reply.plain == "Vous êtes Alice"
    assert group.messages == [reply]

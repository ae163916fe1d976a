"""The demo (`python3 dev.py demo`): its client's HTTP API over real HTTP, against the real bot
polling the sandbox, with the seeded movement."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from sandbox.webclient import seed
from sandbox.webclient.server import BackgroundDemo, Demo, split_link


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    running = BackgroundDemo(port=0)
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture
def client(demo: Demo) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=40) as c:
        yield c


def chat(client: httpx.Client, chat_id: int, user_id: int, since: str = "") -> dict[str, Any]:
    params: dict[str, Any] = {"chat_id": chat_id, "user_id": user_id}
    if since:
        params["since"] = since
    answer = client.get("/api/chat", params=params).json()
    assert answer["ok"], answer
    return answer["result"]  # type: ignore[no-any-return]


def wait_chat(
    client: httpx.Client,
    chat_id: int,
    user_id: int,
    done: Callable[[dict[str, Any]], Any],
    timeout: float = 30,
) -> dict[str, Any]:
    """Follow the chat as the page does (long polling on `version`) until `done` holds."""
    deadline = time.monotonic() + timeout
    current = chat(client, chat_id, user_id)
    while not done(current):
        assert time.monotonic() < deadline, (
            f"never reached: {[m.get('text') for m in current['messages']][-5:]}"
        )
        current = chat(client, chat_id, user_id, since=current["version"])
    return current


def post(client: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(path, json=body)


def test_the_page_and_the_seeded_movement_are_there(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "coordo" in page.text and "/static/client.js" in page.text
    assert client.get("/static/client.js").status_code == 200

    state = client.get("/api/state").json()["result"]
    names = [p["first_name"] for p in state["personas"]]
    assert names == ["Claire", "Karim", "Léa", "Martine", "Hugo"]
    [group] = state["groups"]
    assert group["id"] == seed.GROUP_ID and {1001, 1002, 1003, 1004, 1005} <= set(group["members"])

    posts = chat(client, seed.GROUP_ID, seed.KARIM.id)["messages"]
    texts = [m["text"] for m in posts if m["bot"]]
    assert any("rattaché à Lyon" in t for t in texts)  # /lier_ville went through the bot
    lyon = [e.title for e in seed.EVENTS if e.city == "Lyon"]
    announced = [m for m in posts if m["bot"] and any(title in m["text"] for title in lyon)]
    assert len(announced) == len(lyon)
    assert all(any(b["text"] == "Je viens" for row in m["buttons"] for b in row) for m in announced)
    assert not any(seed.EVENTS[3].title in t for t in texts)  # Grenoble's stand is not Lyon's
    # Karim, Martine and Claire answered with the buttons: the posts show counts, never names.
    tractage = next(m for m in announced if seed.EVENTS[0].title in m["text"])

    def counted(c: dict[str, Any]) -> bool:
        now = next(m for m in c["messages"] if m["id"] == tractage["id"])
        return bool(now["edited"]) and "✅ 2 " in now["text"]

    tractage = next(
        m
        for m in wait_chat(client, seed.GROUP_ID, seed.KARIM.id, counted)["messages"]
        if m["id"] == tractage["id"]
    )
    assert "Karim" not in tractage["text"]
    # Léa answered by replying to the post.
    reply = next(m for m in posts if not m["bot"] and m["from"]["first_name"] == "Léa")
    assert reply["reply_to"]["id"] == next(m["id"] for m in announced if seed.EVENTS[2].title in m["text"])

    # Martine is the treasurer: told by the bot, and the imported donations reached her.
    martine = [m["text"] for m in chat(client, seed.MARTINE.id, seed.MARTINE.id)["messages"] if m["bot"]]
    assert any("trésorerie" in t for t in martine)
    assert any("3 ajoutés" in t for t in martine)

    # Claire has the two emails to sort, each a card with buttons.
    def cards(c: dict[str, Any]) -> list[dict[str, Any]]:
        return [m for m in c["messages"] if m["bot"] and "Courriel" in m["text"] and m["buttons"]]

    claire = wait_chat(client, seed.CLAIRE.id, seed.CLAIRE.id, lambda c: len(cards(c)) == len(seed.EMAILS))
    assert {"aide", "evenement"} <= {c["command"] for c in claire["commands"]}


def test_a_newcomer_sends_start_and_gets_the_bots_first_question(client: httpx.Client) -> None:
    before = chat(client, seed.HUGO.id, seed.HUGO.id)
    assert before["messages"] == []
    sent = post(client, "/api/send", {"user_id": seed.HUGO.id, "chat_id": seed.HUGO.id, "text": "/start"})
    assert sent.json()["ok"], sent.text
    after = wait_chat(client, seed.HUGO.id, seed.HUGO.id, lambda c: any(m["bot"] for m in c["messages"]))
    first, answer = after["messages"][0], after["messages"][1]
    assert first["text"] == "/start" and first["from"]["id"] == seed.HUGO.id
    assert answer["bot"] and "Bonjour" in answer["text"] and "prénom" in answer["text"]


def test_a_button_press_edits_the_groups_post_and_answers_the_press(client: httpx.Client) -> None:
    title = seed.EVENTS[1].title  # nobody answered the door-to-door yet
    posts = chat(client, seed.GROUP_ID, seed.LEA.id)["messages"]
    post_ = next(m for m in posts if m["bot"] and title in m["text"])
    assert not post_["edited"]
    yes = next(b for row in post_["buttons"] for b in row if b["text"] == "Je viens")
    pressed = post(
        client,
        "/api/press",
        {"user_id": seed.LEA.id, "chat_id": seed.GROUP_ID, "message_id": post_["id"], "data": yes["data"]},
    ).json()
    assert pressed["ok"], pressed
    assert "C'est noté" in (pressed["result"]["answer"]["text"] or "")

    def edited(c: dict[str, Any]) -> bool:
        now = next(m for m in c["messages"] if m["id"] == post_["id"])
        return bool(now["edited"]) and "✅ 1 " in now["text"]

    wait_chat(client, seed.GROUP_ID, seed.LEA.id, edited)


def test_the_mini_app_link_is_signed_for_the_person_and_keeps_them_out_of_the_query(
    client: httpx.Client, demo: Demo
) -> None:
    from webapp.auth import validate

    claire = chat(client, seed.CLAIRE.id, seed.CLAIRE.id)
    assert claire["menu"] and claire["menu"]["url"] == demo.webapp_url
    answer = post(client, "/api/webapp", {"user_id": seed.CLAIRE.id, "url": claire["menu"]["url"]}).json()
    link = answer["result"]["url"]
    before, fragment = split_link(link)
    assert before == demo.webapp_url and not urlsplit(link).query
    assert "Claire" not in before and str(seed.CLAIRE.id) not in before
    signed = validate(fragment["tgWebAppData"], demo.token, max_age_seconds=60)
    assert getattr(signed, "id", None) == seed.CLAIRE.id and signed.first_name == "Claire"  # type: ignore[union-attr]
    assert validate(fragment["tgWebAppData"], demo.token + "x", max_age_seconds=60) != signed
    # The Mini App's own server accepts it, as Telegram's clients send it.
    me = httpx.get(f"{demo.webapp_url}api/me", headers={"Authorization": "tma " + fragment["tgWebAppData"]})
    assert me.status_code == 200, me.text


def test_what_a_page_may_not_do(client: httpx.Client) -> None:
    # An address the bot does not offer is not signed (no initData for any site).
    refused = post(client, "/api/webapp", {"user_id": seed.KARIM.id, "url": "https://evil.example/"})
    assert refused.status_code == 400 and not refused.json()["ok"]
    # A button that is not on the message.
    posts = chat(client, seed.GROUP_ID, seed.KARIM.id)["messages"]
    target = next(m for m in posts if m["bot"] and m["buttons"])
    forged = post(
        client,
        "/api/press",
        {"user_id": seed.KARIM.id, "chat_id": seed.GROUP_ID, "message_id": target["id"], "data": "ev:forged"},
    )
    assert forged.status_code == 400
    # Someone else's private chat, and a form post that is not JSON.
    assert (
        client.get("/api/chat", params={"chat_id": seed.CLAIRE.id, "user_id": seed.KARIM.id}).status_code
        == 400
    )
    form = client.post(
        "/api/send", data={"user_id": seed.KARIM.id, "chat_id": seed.KARIM.id, "text": "/aide"}
    )
    assert form.status_code == 400
    assert chat(client, seed.KARIM.id, seed.KARIM.id)["messages"][-1]["text"] != "/aide"
    empty = post(client, "/api/send", {"user_id": seed.KARIM.id, "chat_id": seed.KARIM.id, "text": "   "})
    assert empty.status_code == 400 and "vide" in empty.json()["error"]


def test_the_command_starts_the_demo_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    """`python -m sandbox.webclient` (what `python3 dev.py demo` runs): the address printed serves
    the page, and Ctrl+C stops it with nothing left running. No .env is read: one with a wrong
    token and database in the working folder changes nothing."""
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=1:not-this-one\nDATABASE_URL=sqlite+aiosqlite:///nope/x.db\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(root)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.webclient", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Ouvrez "):
                break
        address = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
        assert address, "".join(lines)
        state = httpx.get(address.group(0) + "api/state", timeout=10).json()
        assert [p["first_name"] for p in state["result"]["personas"]][0] == "Claire"
        assert not any("incomplètes" in line for line in lines), "".join(lines)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # failed before Ctrl+C: still let it clean up
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert process.returncode == 0, rest
    assert "Arrêt de la démo" in rest and "Traceback" not in rest
    assert not (tmp_path / "nope").exists() and not (tmp_path / "data").exists()

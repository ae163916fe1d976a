"""The Mini App's API over real HTTP (the bot's own tornado server on 127.0.0.1, the bot's real
services and the test database), after the scene was arranged through the sandbox-driven bot:
each view's journey, and the object-level rules (a lead's emails, an organiser's rosters, a
volunteer's own data)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from domain.statuses import EmailStatus
from storage.models import Ask, DataRequest, EmailMessage, Participation, Person
from tests.webapp.scene import PEOPLE, Scene, build, rsvp, serve

WEBAPP_URL = "https://coordo.example.org/app/"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"webapp_url": WEBAPP_URL, "send_per_chat_per_second": 100.0}


@pytest.fixture
async def scene(bot: Any) -> AsyncIterator[Scene]:
    built = await build(bot)
    server = await serve(built)
    yield built
    server.stop()


async def _board_event(scene: Scene, who: str = "coordinator") -> dict[str, Any]:
    answer = await scene.call(who, "agenda", week=await scene.week_offset())
    assert answer.status_code == 200
    events: list[dict[str, Any]] = [e for d in answer.json()["days"] for e in d["events"]]
    assert [e["id"] for e in events] == [scene.event_id]
    return events[0]


async def test_the_agenda_board_colours_staffing_from_needs_and_yes_answers(scene: Scene) -> None:
    event = await _board_event(scene)
    assert event["title"] == "Tractage marché Croix-Rousse" and event["city"] == "Lyon"
    assert [(n["role"], n["taken"], n["needed"]) for n in event["needs"]] == [
        ("tractage", 1, 2),
        ("photo", 0, 1),
    ]
    assert event["staffing"] == "red" and event["yes"] == 1  # 1 place of 3
    assert event["can_roster"] and event["can_recruit"]
    # Two more come, through the group's button: 2 places of 3 (amber), then all (green).
    posts = [m for m in scene.group.messages if "Tractage marché" in m.plain and m.button_texts]
    post = posts[-1]
    await rsvp(scene.bot, scene.users["lead"], post)
    assert (await _board_event(scene))["staffing"] == "amber"
    await scene.bot.outbox_idle()
    async with scene.services.transaction() as s:
        nora = await scene.bot.person(PEOPLE["treasurer"][0])
        s.add(Participation(event_id=scene.event_id, person_id=nora.id, status="yes", role="photo"))
    event = await _board_event(scene)
    assert [(n["taken"], n["needed"]) for n in event["needs"]] == [(2, 2), (1, 1)]
    assert event["staffing"] == "green"
    # Another week shows nothing of it.
    other = await scene.call("coordinator", "agenda", week=await scene.week_offset() + 1)
    assert all(e["id"] != scene.event_id for d in other.json()["days"] for e in d["events"])


async def test_a_roster_by_name_for_the_events_organisers_only(scene: Scene) -> None:
    answer = await scene.call("coordinator", "roster", {"event_id": scene.event_id})
    assert answer.status_code == 200
    roster = answer.json()
    assert [p["name"] for p in roster["coming"]] == ["Alice (@alice)"]
    # Bruno (a lead) sees the Lyon board to recruit, but the roster is the organisers'.
    assert (await _board_event(scene, "lead"))["can_roster"] is False
    refused = await scene.call("lead", "roster", {"event_id": scene.event_id})
    assert refused.status_code == 404 and "Alice" not in refused.text
    assert (await scene.call("coordinator", "roster", {"event_id": 9999})).status_code == 404
    assert (await scene.call("coordinator", "roster", {"event_id": "1; drop"})).status_code == 400


async def test_relaunch_from_the_board_asks_people_in_private_as_the_chats_button(scene: Scene) -> None:
    event = await _board_event(scene)
    tractage = next(n for n in event["needs"] if n["role"] == "tractage")
    before = await scene.bot.count(Ask)
    answer = await scene.call(
        "coordinator", "recruit", {"event_id": scene.event_id, "need_id": tractage["id"]}
    )
    assert answer.status_code == 200
    result = answer.json()
    assert result["ok"] and "personne" in result["message"] and "<" not in result["message"]
    async with scene.services.db.session() as s:
        asked = list(await s.scalars(select(Ask).where(Ask.event_id == scene.event_id)))
    assert len(asked) > before and all(a.role == "tractage" for a in asked)
    alice = await scene.bot.person(PEOPLE["volunteer"][0])
    assert alice is not None and alice.id not in {a.person_id for a in asked}  # she is coming already
    await scene.bot.outbox_idle()
    asked_user = next(
        u
        for k, u in scene.users.items()
        if k != "volunteer" and any("Tractage" in m.plain for m in u.messages[-2:])
    )
    assert asked_user is not None
    # The recruitment view lists the event with the asks waiting.
    status = (await scene.call("coordinator", "recruitment")).json()
    need = next(
        n
        for e in status["events"]
        if e["id"] == scene.event_id
        for n in e["needs"]
        if n["role"] == "tractage"
    )
    assert need["pending"] == len(asked)
    # A need of another event, or a forged one: nothing started.
    forged = await scene.call("coordinator", "recruit", {"event_id": scene.event_id, "need_id": 999})
    assert forged.status_code == 200 and forged.json()["ok"] is False
    assert await scene.bot.count(Ask) == len(asked)


async def test_a_lead_sees_and_claims_only_their_domains_emails(scene: Scene) -> None:
    queue = (await scene.call("lead", "inbox")).json()
    shown = {m["id"]: key for key in ("late", "unclaimed", "claimed") for m in queue[key]}
    assert shown == {scene.email_com: "late"}  # a week old, unclaimed; finance is not Bruno's
    assert "presse0@example.org" in queue["late"][0]["sender"]
    fin = (await scene.call("lead_fin", "inbox")).json()
    assert {m["id"] for key in ("late", "unclaimed", "claimed") for m in fin[key]} == {scene.email_fin}
    assert fin["unclaimed"][0]["id"] == scene.email_fin  # received today: not late
    everything = (await scene.call("coordinator", "inbox")).json()
    assert {m["id"] for key in ("late", "unclaimed", "claimed") for m in everything[key]} == {
        scene.email_com,
        scene.email_fin,
    }
    # Zoé cannot take Bruno's email, even with its id.
    stolen = await scene.call("lead_fin", "inbox/action", {"action": "claim", "email_id": scene.email_com})
    assert stolen.status_code == 200 and stolen.json()["ok"] is False
    claimed = await scene.call("lead", "inbox/action", {"action": "claim", "email_id": scene.email_com})
    assert claimed.json() == {"ok": True, "message": claimed.json()["message"]} and claimed.json()["ok"]
    async with scene.services.db.session() as s:
        email = await s.get(EmailMessage, scene.email_com)
        bruno = await scene.bot.person(PEOPLE["lead"][0])
    assert email is not None and bruno is not None
    assert email.status == EmailStatus.CLAIMED and email.claimed_by == bruno.id
    queue = (await scene.call("lead", "inbox")).json()
    assert [m["id"] for m in queue["claimed"]] == [scene.email_com] and queue["claimed"][0]["mine"]
    # Given to finance: it leaves Bruno's queue and reaches Zoé's.
    moved = await scene.call(
        "lead", "inbox/action", {"action": "route", "email_id": scene.email_com, "domain": "finance"}
    )
    assert moved.json()["ok"]
    fin = (await scene.call("lead_fin", "inbox")).json()
    assert scene.email_com in {m["id"] for key in ("late", "unclaimed", "claimed") for m in fin[key]}
    bad = await scene.call("lead", "inbox/action", {"action": "delete", "email_id": scene.email_fin})
    assert bad.status_code == 400


async def test_the_treasurer_filters_the_ledger_and_sees_each_donors_cap(scene: Scene) -> None:
    this = (await scene.call("treasurer", "ledger", year=scene.year)).json()
    assert this["year"] == scene.year and len(this["donations"]) == 3
    assert this["totals"]["accepted_count"] == 2 and this["totals"]["accepted"] == "6\u202f550,00\u00a0€"
    caps = {c["donor"]: c["state"] for c in this["caps"]}
    assert caps == {"Camille Martin": "near", "Jean Petit": "ok"}  # 6 500 € of 7 500 €
    last = (await scene.call("treasurer", "ledger", year=scene.year - 1)).json()
    assert [d["amount_cents"] for d in last["donations"]] == [2_000]
    dons = (await scene.call("treasurer", "ledger", year=scene.year, kind="don")).json()
    assert sorted(d["amount_cents"] for d in dons["donations"]) == [20_000, 650_000]
    refund = (await scene.call("treasurer", "ledger", year=scene.year, status="to_refund")).json()
    assert [d["amount_cents"] for d in refund["donations"]] == [20_000]
    assert refund["donations"][0]["status_label"] != "to_refund"  # a French label, not the code
    assert (await scene.call("treasurer", "ledger", year="deux-mille")).status_code == 400
    chart = await scene.call("treasurer", "bilan.png", year=scene.year)
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert chart.headers["content-type"] == "image/png"


async def test_memberships_names_for_the_treasurer_counts_for_the_coordinator(scene: Scene) -> None:
    for who, names in (("treasurer", True), ("coordinator", False)):
        data = (await scene.call(who, "memberships")).json()
        assert data["names"] is names
        assert {"active", "expiring", "lapsed"} <= set(data)


async def test_a_volunteer_sees_their_events_and_changes_availability_and_skills(scene: Scene) -> None:
    mine = (await scene.call("volunteer", "mine")).json()
    assert [(e["id"], e["status"]) for e in mine["events"]] == [(scene.event_id, "yes")]
    assert [s["id"] for s in mine["skills"] if s["on"]] == ["tractage"]
    paused = (await scene.call("volunteer", "mine/pause", {"paused": True})).json()
    assert paused["paused"] is True
    alice = await scene.bot.person(PEOPLE["volunteer"][0])
    assert alice is not None and alice.asks_paused
    skills = (await scene.call("volunteer", "mine/skills", {"skills": ["photo", "collage"]})).json()
    assert [s["id"] for s in skills["skills"] if s["on"]] == ["collage", "photo"]
    assert (await scene.call("volunteer", "mine/skills", {"skills": ["pirate"]})).status_code == 400
    assert (await scene.call("volunteer", "mine/pause", {"paused": "oui"})).status_code == 400
    # Bruno's own page shows none of Alice's events.
    assert (await scene.call("lead", "mine")).json()["events"] == []


async def test_my_data_export_and_erasure_after_confirmation_only(scene: Scene) -> None:
    export = await scene.call("volunteer", "data/export", {})
    assert export.status_code == 200
    data = export.json()
    assert data["profil"]["prenom"] == "Alice" and data["identifiant_telegram"] == PEOPLE["volunteer"][0]
    assert "Bruno" not in json.dumps(data)
    async with scene.services.db.session() as s:
        requests = list(await s.scalars(select(DataRequest)))
    assert [(r.kind, r.done_at is not None) for r in requests] == [("access", True)]
    ask = (await scene.call("volunteer", "data/erase", {})).json()
    assert ask["nothing"] is False and ask["request_id"] and ask["erased"]
    assert await scene.bot.person(PEOPLE["volunteer"][0]) is not None  # asked, not erased
    # Bruno cannot confirm Alice's request.
    other = (
        await scene.call("lead", "data/erase/confirm", {"request_id": ask["request_id"], "confirm": True})
    ).json()
    assert other["erased"] is False and await scene.bot.person(PEOPLE["volunteer"][0]) is not None
    done = (
        await scene.call(
            "volunteer", "data/erase/confirm", {"request_id": ask["request_id"], "confirm": True}
        )
    ).json()
    assert done["erased"] is True
    assert await scene.bot.person(PEOPLE["volunteer"][0]) is None
    async with scene.services.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Person)) == 4
    # Erased, Alice is a stranger again: her views are gone, her data page stays.
    me = (await scene.call("volunteer", "me")).json()
    assert me["onboarded"] is False and me["views"] == ["data"]


async def test_the_menu_button_and_the_bilan_open_the_app(scene: Scene) -> None:
    button = scene.bot.sb.menu_buttons.get(None)
    assert button is not None and button["type"] == "web_app" and button["web_app"]["url"] == WEBAPP_URL
    nora = scene.users["treasurer"]
    nora.send("/bilan")
    photo = await scene.bot.sb.wait_for(lambda: next((m for m in nora.messages if m.photo), None), 30)
    row = photo.reply_markup["inline_keyboard"][0][0]
    assert row["web_app"]["url"] == WEBAPP_URL + "?screen=ledger"
    # /agenda in private ends with the way to the week board.
    claire = scene.users["coordinator"]
    before = len(claire.messages)
    claire.send("/agenda")
    agenda = await scene.bot.sb.wait_for(lambda: len(claire.messages) > before and claire.messages[-1], 30)
    last_row = agenda.reply_markup["inline_keyboard"][-1][0]
    assert last_row["web_app"]["url"] == WEBAPP_URL + "?screen=agenda"


async def test_the_page_is_served_with_a_strict_policy(scene: Scene) -> None:
    async with scene.client() as c:
        page = await c.get("/app/")
        script = await c.get("/app/app.js")
        missing = await c.get("/app/../bot/settings.py")
    assert page.status_code == 200 and "app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200 and "Authorization" in script.text
    assert missing.status_code in (403, 404)

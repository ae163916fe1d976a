"""Who may call each route of the Mini App's API: the same access rules as the commands
(tests/handlers/test_permissions.py does it for the chat), written here as an independent table,
then checked over real HTTP against a movement arranged through the sandbox-driven bot. Every
route also refuses a missing, forged or expired initData (401) before anything else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.webapp.scene import PEOPLE, Scene, build, headers, init_data, serve
from webapp.routes import ROUTES

PERSONAS = ("unknown", "volunteer", "lead", "lead_fin", "treasurer", "coordinator")
ALL = dict.fromkeys(PERSONAS, 200)
MEMBERS = {**ALL, "unknown": 403}


def only(**codes: int) -> dict[str, int]:
    return {p: codes.get(p, 403) for p in PERSONAS}


ORGANISERS = only(lead=200, lead_fin=200, coordinator=200)
# route name → (what is sent, the status each persona gets). 404: allowed to call, not their object.
MATRIX: dict[str, tuple[dict[str, Any] | None, dict[str, int]]] = {
    "me": (None, ALL),
    "agenda": (None, ORGANISERS),
    "roster": ({"event_id": "EVENT"}, only(lead=404, lead_fin=404, coordinator=200)),
    "recruitment": (None, ORGANISERS),
    "recruit": ({"event_id": "EVENT", "need_id": 1}, ORGANISERS),
    "inbox": (None, ORGANISERS),
    "inbox/action": ({"action": "done", "email_id": 999_999}, ORGANISERS),
    "com": (None, only(lead=200, coordinator=200)),  # the communication team only, not finance
    "ledger": (None, only(treasurer=200)),
    "bilan.png": (None, only(treasurer=200, coordinator=200)),
    "memberships": (None, only(treasurer=200, coordinator=200)),
    "mine": (None, MEMBERS),
    "mine/pause": ({"paused": False}, MEMBERS),
    "mine/skills": ({"skills": ["tractage"]}, MEMBERS),
    "data/export": ({}, ALL),
    "data/erase": ({}, ALL),
    "data/erase/confirm": ({"request_id": 999_999, "confirm": False}, ALL),
}
# The screens each persona's app shows (the GET views their roles open), in the menu's order.
SCREENS = {
    "unknown": ["data"],
    "volunteer": ["mine", "data"],
    "lead": ["agenda", "recruitment", "inbox", "com", "mine", "data"],
    "lead_fin": ["agenda", "recruitment", "inbox", "mine", "data"],
    "treasurer": ["ledger", "memberships", "mine", "data"],
    "coordinator": ["agenda", "recruitment", "inbox", "com", "memberships", "mine", "data"],
}


@pytest.fixture
async def scene(bot: Any) -> AsyncIterator[Scene]:
    built = await build(bot)
    server = await serve(built)
    yield built
    server.stop()


def test_the_matrix_covers_every_route_and_posts_change_state() -> None:
    assert set(MATRIX) == {r.name for r in ROUTES}
    for route in ROUTES:
        body, _ = MATRIX[route.name]
        assert (route.method == "POST") == (body is not None), route.name


def _body(scene: Scene, body: dict[str, Any]) -> dict[str, Any]:
    return {k: scene.event_id if v == "EVENT" else v for k, v in body.items()}


async def test_each_role_reaches_exactly_the_routes_of_its_commands(scene: Scene) -> None:
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    async with scene.client() as c:
        for name, (body, codes) in MATRIX.items():
            for who in PERSONAS:
                path = f"/app/api/{name}"
                if body is None:
                    answer = await c.get(path, headers=headers(who))
                else:
                    answer = await c.post(path, json=_body(scene, body), headers=headers(who))
                got[name, who] = answer.status_code
                want[name, who] = codes[who]
    assert got == want


async def test_each_persona_sees_the_screens_of_its_roles(scene: Scene) -> None:
    for who, screens in SCREENS.items():
        me = (await scene.call(who, "me")).json()
        assert me["views"] == screens, who
        assert me["onboarded"] is (who != "unknown")
        assert me["first_name"] == ("" if who == "unknown" else PEOPLE[who][1])


async def test_missing_forged_or_expired_init_data_is_refused_on_every_route(scene: Scene) -> None:
    forged = init_data("coordinator", token="424242:not-the-bots-token")
    expired = init_data("coordinator", age=25 * 3600)  # WEBAPP_AUTH_MAX_AGE_HOURS is 24
    tampered = init_data("volunteer").replace("%22id%22%3A701", "%22id%22%3A9001")  # Alice posing as Claire
    assert tampered != init_data("volunteer")
    refusals = [
        {},
        {"Authorization": "tma " + forged},
        {"Authorization": "tma " + expired},
        {"Authorization": "tma " + tampered},
        {"Authorization": init_data("coordinator")},  # no scheme
        {"Cookie": "tma=" + init_data("coordinator")},
    ]
    async with scene.client() as c:
        for route in ROUTES:
            body, _ = MATRIX[route.name]
            for hdrs in refusals:
                if route.method == "GET":
                    answer = await c.get(route.path, headers=hdrs)
                else:
                    answer = await c.post(route.path, json=_body(scene, body or {}), headers=hdrs)
                assert answer.status_code == 401, (route.name, hdrs.keys())
                assert answer.json() == {"error": "auth"}
        # Unknown routes say nothing to an unsigned caller either; a wrong method is refused.
        assert (await c.get("/app/api/nope")).status_code == 401
        assert (await c.get("/app/api/nope", headers=headers("coordinator"))).status_code == 404
        assert (await c.get("/app/api/roster", headers=headers("coordinator"))).status_code == 405
        assert (await c.post("/app/api/agenda", json={}, headers=headers("coordinator"))).status_code == 405
        # A change needs a JSON body (a form post from another site cannot send the header anyway).
        form = await c.post(
            "/app/api/mine/pause",
            content=b"paused=true",
            headers={**headers("volunteer"), "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 415


async def test_a_role_taken_back_closes_its_routes_at_once(scene: Scene) -> None:
    assert (await scene.call("treasurer", "ledger")).status_code == 200
    await scene.bot.reply(scene.users["coordinator"], "/retirer_role @nora trésorière")
    assert (await scene.call("treasurer", "ledger")).status_code == 403
    assert "ledger" not in (await scene.call("treasurer", "me")).json()["views"]

"""/annonce to members: preview, progress, final report, opt-out, queueing, faults."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.callbacks import AnnounceAudience, AnnounceConfirm, AnnouncePick
from handlers.announcements import next_step
from sandbox.bot_harness import COORDINATOR_ID
from storage.models import Announcement


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "send_per_chat_per_second": 50.0,
        "send_per_group_per_minute": 1000.0,
        "send_global_per_second": 1500.0,
    }


async def members(bot: Any, n: int, city: str = "Lyon") -> list[Any]:
    people = []
    for i in range(n):
        u = bot.user(1000 + i, f"M{i}")
        await bot.onboard(u, city=city, skills=())
        people.append(u)
    return people


async def announce(
    bot: Any, coord: Any, text: str, audience: str = "Tous les membres", pick: str | None = None
) -> Any:
    ask = await bot.reply(coord, "/annonce")
    coord.press(ask, text=audience)
    nxt = await coord.next_message()
    if pick:
        coord.press(nxt, text=pick)
        nxt = await coord.next_message()
    preview = await bot.reply(coord, text)
    return preview


async def test_announcement_reaches_everyone_once_with_progress_and_report(bot) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city="Paris")
    people = await members(bot, 12)
    stopper = people[-1]
    assert "plus les annonces" in (await bot.reply(stopper, "/stop_annonces")).plain
    preview = await announce(bot, coord, "AG samedi <10h> & café")
    assert "12 destinataires" in preview.plain  # 11 members + the coordinator, not the one who stopped
    assert "AG samedi <10h> & café" in preview.plain
    coord.press(preview, text="Confirmer")
    coord.press(preview, text="Confirmer")  # double tap: one announcement
    progress = await coord.next_message()
    assert progress.plain.startswith("Envoi\u00a0: 0 / 12")
    await bot.sb.wait_for(lambda: any("Annonce envoyée" in m.plain for m in coord.messages), 20)
    report = [m for m in coord.messages if "Annonce envoyée" in m.plain][0]
    assert "12 reçues, 0 personne injoignable, 0 en échec, sur 12" in report.plain
    await bot.sb.wait_for(lambda: "12 / 12" in progress.plain, 10)
    for u in people[:-1]:
        got = [m for m in u.messages if "AG samedi" in m.plain]
        assert len(got) == 1 and "/stop_annonces" in got[0].plain
    assert not [m for m in stopper.messages if "AG samedi" in m.plain]
    async with bot.services.db.session() as s:
        assert len(list(await s.scalars(select(Announcement)))) == 1


async def test_city_audience_and_second_announcement_queues_behind(bot) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city="Paris")
    lyon = await members(bot, 3, "Lyon")
    preview = await announce(bot, coord, "Pour Lyon", audience="Une ville", pick="Lyon")
    assert "3 destinataires" in preview.plain
    coord.press(preview, text="Confirmer")
    assert "Envoi" in (await coord.next_message()).plain
    preview2 = await announce(bot, coord, "Pour tous")
    coord.press(preview2, text="Confirmer")
    await bot.sb.wait_for(lambda: sum("Annonce envoyée" in m.plain for m in coord.messages) == 2, 20)
    for u in lyon:
        texts = [m.plain for m in u.messages if m.plain.startswith("📢")]
        assert [t.split("\n")[0] for t in texts] == ["📢 Pour Lyon", "📢 Pour tous"]


async def test_faults_on_a_fifth_of_calls_deliver_all_once(bot) -> None:  # type: ignore[no-untyped-def]
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city="Paris")
    people = await members(bot, 15)
    preview = await announce(bot, coord, "Résiste aux pannes")
    for kind, seed in (("500", 1), ("timeout", 2), ("429", 3)):
        bot.sb.inject_fault(
            method="sendMessage", kind=kind, times=100, probability=0.07, seed=seed, retry_after=1
        )
    coord.press(preview, text="Confirmer")
    await bot.sb.wait_for(lambda: any("Annonce envoyée" in m.plain for m in coord.messages), 60)
    bot.sb.clear_faults()
    assert bot.sb.stats.faults > 0
    for u in people:
        assert len([m for m in u.messages if "Résiste aux pannes" in m.plain]) == 1


async def test_volunteer_cannot_announce_and_bad_input(bot) -> None:  # type: ignore[no-untyped-def]
    vol = bot.user(1500, "Paul")
    await bot.onboard(vol)
    assert "réservée" in (await bot.reply(vol, "/annonce")).plain
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord, city="Paris")
    ask = await bot.reply(coord, "/annonce")
    coord.press(ask, text="Tous les membres")
    await coord.next_message()
    assert "trop long" in (await bot.reply(coord, "x" * 5000)).plain
    assert "annulé" in (await bot.reply(coord, "/cancel")).plain
    async with bot.services.db.session() as s:
        assert list(await s.scalars(select(Announcement))) == []


def test_the_announcement_form_asks_what_is_missing_in_order() -> None:
    assert next_step({}) == "audience"
    assert next_step({"audience": "city"}) == "pick"
    assert next_step({"kind": "all", "value": ""}) == "text"
    assert next_step({"audience": "role", "kind": "skill", "value": "photo"}) == "text"
    assert next_step({"kind": "all", "value": "", "text": "Bonjour", "count": 3}) == "confirm"


def test_announcement_buttons_keep_their_wire_format() -> None:
    assert [
        AnnounceAudience("all").pack(),
        AnnouncePick("skill", "3").pack(),
        AnnouncePick("city", "12").pack(),
        AnnounceConfirm("y").pack(),
    ] == ["bc:a:all", "bc:p:skill:3", "bc:p:city:12", "bc:ok:y"]
    assert AnnouncePick.parse("bc:p:role:candidate") == AnnouncePick("role", "candidate")
    assert AnnounceAudience.parse("bc:a:everyone") is None

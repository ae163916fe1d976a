"""Summaries, not floods (issue 18): when an event ends and closes, its creator gets its attendance
report; the other coordinators get no message per event but one line per event in their next morning
digest (« Présence aux actions terminées »), each event in exactly one of their digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.settings import Settings
from capabilities.digest import ATTENDANCE_LISTED, national_digest, send_due
from domain.people import Grant, Role
from sandbox.bot_harness import COORDINATOR_ID, TOKEN
from storage import people as people_q
from storage.digest import ClosedEvent
from storage.models import EmailMessage, Person
from tests.capabilities.recruitment.test_reminders import FAST, answer, event, person, press, tick

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2030, 1, 7, tzinfo=PARIS)
NB = "\u00a0"
REPORT = "Présences à «"
SECTION = "Présence aux actions terminées"
NATIONAL = "Le point du jour — national"
# (present, absent, without an answer) of the five events the candidate Nadia created.
COUNTS = [(1, 0, 1), (2, 0, 1), (2, 1, 1), (3, 1, 1), (3, 2, 1)]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(FAST)  # the digest and reminder jobs are off in tests: the test runs them


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return (MONDAY + timedelta(days=day)).replace(hour=hour, minute=minute).astimezone(UTC)


async def morning(bot: Any, day: int, *users: Any) -> dict[int, list[str]]:
    """The digest job just after 08:00 on that day; what each user received since, as read."""
    before = {u.id: len(u.messages) for u in users}
    async with bot.services.transaction() as s:
        await send_due(s, bot.services.settings, at(day, 8, 1))
    await bot.outbox_idle()
    return {u.id: [m.plain for m in u.messages[before[u.id] :]] for u in users}


def section(digest: str) -> str:
    return digest.split(SECTION, 1)[1].split("\n\n", 1)[0] if SECTION in digest else ""


def reports(user: Any) -> list[str]:
    return [m.plain for m in user.messages if REPORT in m.plain]


async def test_coordinators_read_attendance_in_their_digest_once(bot) -> None:  # type: ignore[no-untyped-def]
    camille = await person(bot, COORDINATOR_ID, "Camille", city=None)  # coordinator by settings
    bruno = await person(bot, 601, "Bruno", city=None)  # coordinator by grant
    async with bot.services.transaction() as s:
        who = await s.get(Person, (await bot.person(601)).id)
        await people_q.grant_role(s, who, Grant(Role.COORDINATOR), None)
        # Something else to tell every morning: the digest comes each day, with or without the section.
        s.add(
            EmailMessage(
                gmail_id="g-att",
                thread_id="t-att",
                sender="a@b.fr",
                subject="Une question",
                received_at=at(0, 7),
                domain="campaign",
                status="new",
            )
        )
    nadia = await person(bot, 600, "Nadia")
    came = [await person(bot, 611 + i, name) for i, name in enumerate(("Léa", "Paul", "Inès"))]
    missed = [await person(bot, 621 + i, name) for i, name in enumerate(("Omar", "Zoé"))]
    silent = await person(bot, 631, "Hugo")

    # Monday: five actions by Nadia (09:00 to 15:00), then Camille's own meeting.
    for k, (p, a, _) in enumerate(COUNTS, start=1):
        ev = await event(bot, at(0, 8 + k), needs=[("tractage", 10)], title=f"Action n°{k}", created_by=600)
        for user in [*came[:p], *missed[:a], silent]:
            await answer(bot, ev, user.id, "yes")
    mine = await event(bot, at(0, 15), title="Réunion d'équipe", created_by=COORDINATOR_ID)
    await answer(bot, mine, came[0].id, "yes")

    # Everyone registered is asked whether they came; they answer, except Hugo.
    await tick(bot, at(0, 18))
    for user in [*came, *missed]:
        questions = [await user.next_message() for _ in range(len(user.messages))]
        for q in questions:
            await press(user, q, "Oui, j'y étais" if user in came else "Non")
    # Camille's meeting: everyone answered, so it closes now; her report, once.
    await tick(bot, at(0, 18, 5))
    assert len(reports(camille)) == 1 and "Réunion d'équipe" in reports(camille)[0]
    assert reports(bruno) == []

    # Tuesday morning: Bruno reads the meeting's attendance; Camille, who had her report, does not;
    # Nadia's actions are not closed yet (Hugo may still answer).
    tuesday = await morning(bot, 1, camille, bruno)
    [camille_digest] = [m for m in tuesday[camille.id] if NATIONAL in m]
    [bruno_digest] = [m for m in tuesday[bruno.id] if NATIONAL in m]
    assert section(camille_digest) == "" and SECTION not in camille_digest
    assert f"• Réunion d'équipe (Lyon, lundi 7 janvier){NB}: 1 présent · 0 absent · 0 sans réponse" in (
        section(bruno_digest)
    )
    assert "Action n°" not in bruno_digest

    # A day after their end, Nadia's five actions close: five reports to her, none to the coordinators.
    assert await tick(bot, at(1, 18)) == 5
    assert len(reports(nadia)) == 5
    assert len(reports(camille)) == 1 and len(reports(bruno)) == 0

    # Wednesday morning: the five, oldest first, with their counts, in both coordinators' digests.
    wednesday = await morning(bot, 2, camille, bruno)
    for user in (camille, bruno):
        [digest] = [m for m in wednesday[user.id] if NATIONAL in m]
        listed = section(digest).strip().split("\n")
        assert len(listed) == 5, digest
        for k, ((p, a, u), line) in enumerate(zip(COUNTS, listed, strict=True), start=1):
            assert line == (
                f"• Action n°{k} (Lyon, lundi 7 janvier){NB}: {p} {'présent' if p < 2 else 'présents'} · "
                f"{a} {'absent' if a < 2 else 'absents'} · {u} sans réponse"
            )
        assert "Réunion d'équipe" not in digest  # Bruno read it yesterday, Camille had her report

    # Thursday morning: nothing closed since; the digest comes without the section.
    thursday = await morning(bot, 3, camille, bruno)
    for user in (camille, bruno):
        [digest] = [m for m in thursday[user.id] if NATIONAL in m]
        assert SECTION not in digest and "Action n°" not in digest
    assert len(reports(camille)) == 1 and len(reports(bruno)) == 0


def _closed(n: int) -> list[ClosedEvent]:
    starts = datetime(2030, 1, 7, 9, tzinfo=UTC)
    return [ClosedEvent(k, f"Action n°{k}", "", starts, None, 8, 1, 2) for k in range(1, n + 1)]


def test_the_section_is_capped_and_left_out_when_empty() -> None:
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN)
    now = datetime(2030, 1, 8, 7, tzinfo=UTC)
    assert national_digest("fr", [], 0, settings, None, now, []) is None
    only = national_digest("fr", [], 0, settings, None, now, _closed(ATTENDANCE_LISTED + 3))
    assert only is not None and only.closed == tuple(range(1, ATTENDANCE_LISTED + 4))
    assert (
        f"• Action n°1 (National, lundi 7 janvier){NB}: 8 présents · 1 absent · 2 sans réponse" in only.text
    )
    assert only.text.count("• Action n°") == ATTENDANCE_LISTED and "… et 3 autres." in only.text
    english = national_digest("en", [], 0, settings, None, now, _closed(1))
    assert english is not None
    assert "• Action n°1 (National, Monday 7 January): 8 present · 1 absent · 2 without an answer" in (
        english.text
    )

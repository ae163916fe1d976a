"""Who is coming (issue 13, item 1), through the sandbox: the roster by name in private for the
event's organisers (from /mes_evenements, the group post's « Voir les inscrits » link and the
digest), writing to everyone registered once, .xlsx/CSV exports, attendance from the roster; the
group keeps counts only; a volunteer's /agenda shows their own answer; forged links and buttons
are refused."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from capabilities import digest
from capabilities.events.agenda import refresh_posts
from domain.dates import PARIS
from domain.statuses import RsvpStatus
from storage.models import Ask, Event, Participation
from tests.handlers.test_events import create_via_conversation, setup_city

NAMES = ("Alice", "Bruno", "Chloé", "Damien", "Gina")


async def _answered(bot: Any, user: Any, post: Any, label: str) -> None:
    before = len(user.answers)
    user.press(post, text=label)
    await bot.sb.wait_for(lambda: len(user.answers) > before, 5)


async def scene(bot: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    """Camille (coordination) creates a tractage in Lyon; Alice comes, Bruno maybe, Chloé not;
    Damien is on the waiting list for the photo and Gina was asked in private and said nothing."""
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    people: dict[str, Any] = {}
    for i, name in enumerate(NAMES):
        user = bot.user(701 + i, name)
        await bot.onboard(user)
        group.add_member(user)
        people[name] = user
    await _answered(bot, people["Alice"], post, "Je viens")
    await _answered(bot, people["Bruno"], post, "Peut-être")
    await _answered(bot, people["Chloé"], post, "Je ne peux pas")
    damien, gina = await bot.person(704), await bot.person(705)
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        # Arranged in the database: the waiting list (a full task) and a private ask left unanswered.
        s.add(Participation(event_id=1, person_id=damien.id, status=RsvpStatus.WAITLIST, role="photo"))
        s.add(Ask(event_id=1, role="tractage", person_id=gina.id, asked_at=now))
    return coord, group, post, people


async def open_roster(bot: Any, coord: Any) -> Any:
    mine = await bot.reply(coord, "/mes_evenements")
    coord.press(mine, text=mine.button_texts[0])
    manage = await coord.next_message()
    coord.press(manage, text="👥 Voir les inscrits")
    return await coord.next_message()


def section(text: str, start: str, end: str | None) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else len(text)]


async def test_organiser_sees_the_roster_by_name_from_mes_evenements(bot: Any) -> None:
    coord, group, _, _ = await scene(bot)
    roster = await open_roster(bot, coord)
    text = roster.plain
    assert "Tractage marché Croix-Rousse" in text
    coming = section(text, "1 personne vient", "Peut-être")
    assert "Alice" in coming and "Bruno" not in coming
    assert "Bruno" in section(text, "Peut-être", "Liste d'attente")
    waiting = section(text, "Liste d'attente", "Ne viennent pas")
    assert "Damien" in waiting and "Photo/vidéo" in waiting
    assert "Chloé" in section(text, "Ne viennent pas", "Sollicités sans réponse")
    assert "Gina" in section(text, "Sollicités sans réponse", None)
    assert {"✉️ Écrire aux inscrits", "📊 Excel (.xlsx)", "📄 CSV"} <= set(roster.button_texts)
    # French typography: a no-break space before the colon.
    assert "Liste d'attente\u00a0: 1" in text


async def test_the_group_keeps_counts_only(bot: Any) -> None:
    coord, group, post, _ = await scene(bot)
    async with bot.services.transaction() as s:
        await refresh_posts(s, datetime.now(UTC) + timedelta(minutes=5), timedelta(0))
    await bot.outbox_idle()
    assert "👥 Voir les inscrits" in post.button_texts
    for message in group.history:
        seen = [message.plain, *(e.text or "" for e in message.edits)]
        for name in NAMES:
            assert all(name not in s for s in seen), (name, seen)


async def test_the_group_link_opens_the_roster_in_private_for_organisers_only(bot: Any) -> None:
    coord, group, post, people = await scene(bot)
    alice = people["Alice"]
    # A volunteer pressing « Voir les inscrits » in the group: refused, no link, no names.
    await _answered(bot, alice, post, "👥 Voir les inscrits")
    assert alice.last_answer.show_alert and not alice.last_answer.url
    assert "réservée aux organisateurs" in alice.last_answer.text
    # The organiser gets a link to the private chat, which opens on the roster.
    await _answered(bot, coord, post, "👥 Voir les inscrits")
    assert coord.last_answer.url.endswith("?start=ros_1")
    roster = await bot.reply(coord, "/start ros_1")
    assert "Alice" in roster.plain and "Gina" in roster.plain
    # A volunteer forging the link sees nobody.
    forged = await bot.reply(alice, "/start ros_1")
    assert "réservée aux organisateurs" in forged.plain
    assert not any(name in forged.plain for name in ("Bruno", "Chloé", "Damien", "Gina"))
    odd = await bot.reply(alice, "/start ros_abc")
    assert "réservée aux organisateurs" in odd.plain


async def test_forged_roster_buttons_are_refused(bot: Any) -> None:
    coord, _, _, people = await scene(bot)
    alice = people["Alice"]
    last = await bot.reply(alice, "/agenda")
    await bot.forge(alice, last, "evr:1")
    assert "réservée aux organisateurs" in (await alice.next_message()).plain
    for data in ("evra:xlsx:1", "evra:csv:1", "evra:att:1", "evra:msg:1"):
        answered = await bot.forge(alice, last, data)
        assert "réservée aux organisateurs" in answered.text, data
    async with bot.services.db.session() as s:
        alice_row = await s.scalar(select(Participation).where(Participation.status == RsvpStatus.YES))
    answered = await bot.forge(alice, last, f"evrp:{alice_row.id}:n")
    assert "réservée aux organisateurs" in answered.text
    await bot.outbox_idle()
    assert all(m.kind == "text" for m in alice.messages)  # no export sent
    assert not any("Gina" in m.plain or "Damien" in m.plain for m in alice.messages)
    async with bot.services.db.session() as s:
        assert (await s.get(Participation, alice_row.id)).attended is None


async def test_a_candidate_of_another_city_is_refused(bot: Any) -> None:
    coord, _, post, _ = await scene(bot)
    paul = bot.user(760, "Paul", username="paul_cand")
    await bot.onboard(paul, city="Lyon")
    await bot.reply(coord, "/nouvelle_ville Grenoble")
    await bot.reply(coord, "/role @paul_cand candidat Grenoble")
    await paul.next_message()  # told of the new role
    refused = await bot.reply(paul, "/start ros_1")
    assert "réservée aux organisateurs" in refused.plain and "Alice" not in refused.plain


async def test_export_xlsx_and_csv(bot: Any) -> None:
    from openpyxl import load_workbook

    coord, _, _, _ = await scene(bot)
    roster = await open_roster(bot, coord)
    coord.press(roster, text="📊 Excel (.xlsx)")
    xlsx = await coord.next_message()
    assert xlsx.kind == "document" and xlsx.document.filename.endswith(".xlsx")
    sheet: Any = load_workbook(io.BytesIO(xlsx.document.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Nom", "Réponse", "Tâche", "Accompagnants", "Présence", "Répondu le"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Alice"][1] == "vient" and by_name["Bruno"][1] == "peut-être"
    assert by_name["Damien"][1:3] == ["liste d'attente", "Photo/vidéo"]
    assert by_name["Gina"][1] == "sollicité, sans réponse"
    assert isinstance(by_name["Alice"][5], datetime) and sheet.freeze_panes == "A2"
    coord.press(roster, text="📄 CSV")
    csv = await coord.next_message()
    assert csv.document.filename.endswith(".csv")
    raw = csv.document.data
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nom;Réponse;Tâche;Accompagnants;Présence;Répondu le"
    assert any(line.startswith("Chloé;ne vient pas;") for line in lines)


async def test_message_everyone_registered_once(bot: Any) -> None:
    coord, _, _, people = await scene(bot)
    await bot.outbox_idle()
    before = {name: len(u.messages) for name, u in people.items()}
    roster = await open_roster(bot, coord)
    coord.press(roster, text="✉️ Écrire aux inscrits")
    assert "Quel message" in (await coord.next_message()).plain
    preview = await bot.reply(coord, "Rendez-vous à 13h45 devant la mairie <avec> des gilets")
    assert "2 personnes" in preview.plain
    coord.press(preview, text="Envoyer")
    coord.press(preview, text="Envoyer")  # a double tap sends once
    assert "envoyé à 2 personnes" in (await coord.next_message()).plain
    await bot.outbox_idle()
    for name, user in people.items():
        got = [m for m in user.messages[before[name] :] if "13h45 devant la mairie" in m.plain]
        assert len(got) == (1 if name in ("Alice", "Bruno") else 0), name
    alice_msg = next(m for m in people["Alice"].messages if "13h45" in m.plain)
    assert "<avec>" in alice_msg.plain and "Camille" in alice_msg.plain


async def test_attendance_from_the_roster(bot: Any) -> None:
    coord, _, _, _ = await scene(bot)
    roster = await open_roster(bot, coord)
    assert "✔️ Noter les présences" not in roster.button_texts  # not before the action
    async with bot.services.transaction() as s:
        start = datetime.now(UTC) - timedelta(minutes=30)
        await s.execute(update(Event).values(starts_at=start, ends_at=start + timedelta(hours=2)))
    roster = await open_roster(bot, coord)
    coord.press(roster, text="✔️ Noter les présences")
    sheet = await coord.next_message()
    assert "Alice" in sheet.plain and "Bruno" not in sheet.plain  # only those coming
    coord.press(sheet, text="✅ Alice")
    await bot.sb.wait_for(lambda: "Alice ✅" in sheet.plain, 5)
    async with bot.services.db.session() as s:
        row = await s.scalar(select(Participation).where(Participation.status == RsvpStatus.YES))
    assert row.attended is True
    coord.press(sheet, text="❌ Alice")
    await bot.sb.wait_for(lambda: "Alice ❌" in sheet.plain, 5)
    async with bot.services.db.session() as s:
        assert (await s.get(Participation, row.id)).attended is False


async def test_digest_names_who_is_coming_today(bot: Any) -> None:
    coord, _, _, _ = await scene(bot)
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
    morning = event.starts_at.astimezone(PARIS).replace(hour=8, minute=5).astimezone(UTC)
    await digest.run(bot.services, morning)
    await bot.outbox_idle()
    sent = next(m for m in coord.messages if "Vos actions du jour" in m.plain)
    line = next(x for x in sent.plain.splitlines() if "Tractage marché Croix-Rousse" in x and "👥" in x)
    assert "1 vient (Alice)" in line and "1 peut-être" in line and "1 sans réponse" in line
    # The day before, no roster line.
    await digest.run(bot.services, morning - timedelta(days=1))
    await bot.outbox_idle()
    assert sum("Vos actions du jour" in m.plain for m in coord.messages) == 1


async def test_agenda_shows_my_answer_and_task(bot: Any) -> None:
    _, _, post, people = await scene(bot)
    agenda = await bot.reply(people["Bruno"], "/agenda")
    assert "vous viendrez peut-être" in agenda.plain
    await _answered(bot, people["Gina"], post, "🙋 Photo/vidéo (manque 1)")
    agenda = await bot.reply(people["Gina"], "/agenda")
    assert "vous venez (Photo/vidéo)" in agenda.plain
    agenda = await bot.reply(people["Chloé"], "/agenda")
    assert "vous venez" not in agenda.plain


async def test_the_same_message_confirmed_twice_is_queued_once(bot: Any) -> None:
    """A replayed Envoyer (a restart between the send and the answer) queues nothing more: the
    message's token is in each outbox row's dedupe key."""
    from capabilities.events import roster
    from capabilities.events.organise import Organiser
    from domain.people import Role

    coord, _, _, people = await scene(bot)
    camille = await bot.person(coord.id)
    who = Organiser(camille, frozenset({Role.COORDINATOR}))
    assert await roster.message_registered(bot.services, who, 1, "Réunion au local demain", "t0k3n") == 2
    assert await roster.message_registered(bot.services, who, 1, "Réunion au local demain", "t0k3n") == 0
    await bot.outbox_idle()
    assert sum("Réunion au local demain" in m.plain for m in people["Alice"].messages) == 1

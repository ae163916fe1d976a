"""Creating an action in French, announcing it, answering it, the agenda — through the sandbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.callbacks import (
    AgendaView,
    EventCancelOk,
    EventCity,
    EventConfirm,
    EventEdit,
    EventKind,
    EventManage,
    EventNational,
    EventWhenOk,
    RsvpAnswer,
    RsvpRole,
)
from capabilities.events.agenda import refresh_posts
from domain.dates import PARIS
from handlers.events import next_step
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as q
from storage.models import Event, Participation, PendingRsvp

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


async def setup_city(bot: Any, coord_name: str = "Camille") -> Any:
    coord = bot.user(COORDINATOR_ID, coord_name)
    await bot.onboard(coord)
    group = bot.sb.group(-5001, "Militants Lyon")
    group.add_member(coord)
    coord.send("/lier_ville Lyon", chat=group)
    await group.next_message()
    return coord, group


async def create_via_conversation(
    bot: Any, coord: Any, when: str = "samedi prochain à 14h", needs: str = "tractage 2, photo 1"
) -> Any:
    await bot.reply(coord, "/evenement")
    kinds = await bot.reply(coord, "Tractage marché Croix-Rousse")
    coord.press(kinds, text="tractage")
    cities = await coord.next_message()
    coord.press(cities, text="Lyon")
    await coord.next_message()
    confirm = await bot.reply(coord, when)
    coord.press(confirm, text="Oui")
    await coord.next_message()
    await bot.reply(coord, "2h")
    await bot.reply(coord, "Place de la Croix-Rousse")
    await bot.reply(coord, "Apportez des tracts <et> du café & des croissants")
    summary = await bot.reply(coord, needs)
    coord.press(summary, text="Confirmer")
    return await coord.next_message()


async def test_create_confirm_and_announce(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await bot.reply(coord, "/evenement")
    bad_title = await bot.reply(coord, "x" * 300)
    assert "trop long" in bad_title.plain
    kinds = await bot.reply(coord, "Tractage marché Croix-Rousse")
    coord.press(kinds, text="tractage")
    cities = await coord.next_message()
    assert "National (tous les groupes)" in " ".join(cities.button_texts) or "national" in " ".join(
        cities.button_texts
    )
    coord.press(cities, text="Lyon")
    await coord.next_message()
    assert "Je n'ai pas compris cette date" in (await bot.reply(coord, "avant-hier")).plain
    assert "Je n'ai pas compris cette date" in (await bot.reply(coord, "31 avril 14h")).plain
    ask_time = await bot.reply(coord, "le 12 décembre")
    assert "quelle heure" in ask_time.plain
    confirm = await bot.reply(coord, "18h30")
    assert "samedi 12 décembre à 18h30" in confirm.plain
    coord.press(confirm, text="Oui")
    await coord.next_message()
    assert "Je n'ai pas compris cette durée" in (await bot.reply(coord, "longtemps")).plain
    await bot.reply(coord, "1h30")
    assert "trop long" in (await bot.reply(coord, "p" * 400)).plain  # the place step asks again
    assert "description" in (await bot.reply(coord, "Place de la Croix-Rousse")).plain.lower()
    await bot.reply(coord, "-")
    assert "il faut un nombre" in (await bot.reply(coord, "tractage beaucoup")).plain
    assert "entre 1 et 500" in (await bot.reply(coord, "tractage -3")).plain
    summary = await bot.reply(coord, "tractage 4, photo 1")
    assert "Tractage × 4" in summary.plain and "Photo/vidéo × 1" in summary.plain
    # Nothing stored before Confirmer.
    assert await bot.count(Event) == 0
    coord.press(summary, text="Confirmer")
    coord.press(summary, text="Confirmer")  # a double tap creates one event
    done = await coord.next_message()
    assert "annoncé dans 1 groupe" in done.plain
    assert await bot.count(Event) == 1
    post = await group.next_message()
    assert "Tractage marché Croix-Rousse" in post.plain and "Lyon" in post.plain
    assert "samedi 12 décembre de 18h30 à 20h00" in post.plain
    assert "Tractage 0/4" in post.plain
    assert post.button_texts[:3] == ["Je viens", "Peut-être", "Je ne peux pas"]
    assert "🙋 Tractage (manque 4)" in post.button_texts
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
    assert event.starts_at.astimezone(PARIS).hour == 18 and event.ends_at - event.starts_at == timedelta(
        minutes=90
    )


async def test_cancel_in_the_middle_stores_nothing(bot) -> None:  # type: ignore[no-untyped-def]
    coord, _ = await setup_city(bot)
    await bot.reply(coord, "/evenement")
    await bot.reply(coord, "Réunion publique")
    assert "annulé" in (await bot.reply(coord, "/cancel")).plain
    assert await bot.count(Event) == 0


async def test_volunteer_cannot_create_and_candidate_only_for_their_city(bot) -> None:  # type: ignore[no-untyped-def]
    coord, _ = await setup_city(bot)
    vol = bot.user(601, "Paul", username="paul")
    await bot.onboard(vol)
    assert "réservée" in (await bot.reply(vol, "/evenement")).plain
    await bot.reply(coord, "/role @paul candidat Nantes")
    await vol.next_message()
    await bot.reply(vol, "/evenement")
    kinds = await bot.reply(vol, "Porte-à-porte Île de Nantes")
    vol.press(kinds, text="porte-à-porte")
    # Only one city allowed: no city question, straight to the date.
    assert "Quand" in (await vol.next_message()).plain


async def test_buttons_and_replies_update_the_announcement(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    people = []
    for i in range(4):
        u = bot.user(610 + i, f"Vol{i}")
        await bot.onboard(u)
        group.add_member(u)
        people.append(u)
    people[0].press(post, text="Je viens")
    await bot.sb.wait_for(lambda: people[0].last_answer is not None and people[0].last_answer.text, 5)
    # "Je viens" on a tractage counts toward the tractage (its main task).
    assert "Tractage pour" in people[0].last_answer.text
    people[1].press(post, text="🙋 Photo/vidéo (manque 1)")
    await bot.sb.wait_for(lambda: people[1].last_answer is not None and people[1].last_answer.text, 5)
    # Replies understood are acknowledged by a reaction, not a message (tests/handlers/test_quiet_groups.py).
    tracter = people[2].send("je peux tracter !", chat=group, reply_to=post)["message_id"]
    await bot.sb.wait_for(lambda: bot.sb.reactions_on(group, tracter) == ["👍"], 5)
    people[3].send("Sofia sera là", chat=group, reply_to=post)  # about someone else: left alone
    doubt = people[3].send("ça m'étonnerait que je puisse", chat=group, reply_to=post)["message_id"]
    await bot.sb.wait_for(lambda: bot.sb.reactions_on(group, doubt) == ["👌"], 5)
    # The announcement is edited in place, counts only.
    await bot.sb.wait_for(lambda: "✅ 3 personnes viennent" in post.plain, 10)
    assert "Tractage 2/2 ✔" in post.plain and "Photo/vidéo 1/1 ✔" in post.plain
    assert "Vol" not in post.plain
    assert "🙋 Photo/vidéo (manque 1)" not in post.button_texts
    async with bot.services.db.session() as s:
        rows = {(p.person.first_name, p.status, p.role) for p in await s.scalars(select(Participation))}
    assert rows == {
        ("Vol0", "yes", "tractage"),
        ("Vol1", "yes", "photo"),
        ("Vol2", "yes", "tractage"),
        ("Vol3", "no", None),
    }


async def test_full_role_goes_to_waitlist_and_is_promoted(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord, needs="photo 1")
    post = await group.next_message()
    a, b = bot.user(620, "Alice"), bot.user(621, "Bob")
    for u in (a, b):
        await bot.onboard(u)
        group.add_member(u)
    a.press(post, text="🙋 Photo/vidéo (manque 1)")
    await bot.sb.wait_for(lambda: a.last_answer is not None and a.last_answer.text, 5)
    b.send("dispo pour la photo", chat=group, reply_to=post)
    assert "liste d'attente" in (await b.next_message()).plain  # told in private, the group stays quiet
    a.send("finalement je peux pas", chat=group, reply_to=post)
    promoted = await b.next_message()
    assert "Une place s'est libérée" in promoted.plain
    async with bot.services.db.session() as s:
        rows = {(p.person.first_name, p.status, p.role) for p in await s.scalars(select(Participation))}
    assert rows == {("Alice", "no", None), ("Bob", "yes", "photo")}


async def test_answer_before_onboarding_is_recorded_after(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    newbie = bot.user(630, "Nina")
    group.add_member(newbie)
    newbie.press(post, text="Je viens")
    await bot.sb.wait_for(lambda: newbie.last_answer is not None and newbie.last_answer.url, 5)
    assert newbie.last_answer.url.endswith("?start=ev_1")
    assert await bot.count(Participation) == 0
    assert await bot.count(PendingRsvp) == 1
    await bot.onboard(newbie, start="/start ev_1")
    applied = await newbie.next_message()
    assert "est enregistrée" in applied.plain
    async with bot.services.db.session() as s:
        part = await s.scalar(select(Participation))
    assert part is not None and part.status == "yes" and part.person.first_name == "Nina"
    assert await bot.count(PendingRsvp) == 0


async def test_edit_and_cancel_notify_registered_and_close_buttons(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    vol = bot.user(640, "Vic")
    await bot.onboard(vol)
    group.add_member(vol)
    vol.press(post, text="Je viens")
    await bot.sb.wait_for(lambda: vol.last_answer is not None and vol.last_answer.text, 5)

    listing = await bot.reply(coord, "/mes_evenements")
    coord.press(listing, data="evm:1")
    menu = await coord.next_message()
    coord.press(menu, text="Changer le lieu")
    await coord.next_message()
    assert "1 personne prévenue" in (await bot.reply(coord, "Mairie du 4e")).plain
    notice = await vol.next_message()
    assert "a changé" in notice.plain and "Mairie du 4e" in notice.plain
    await bot.sb.wait_for(lambda: "Mairie du 4e" in post.plain, 10)

    listing = await bot.reply(coord, "/mes_evenements")
    coord.press(listing, data="evm:1")
    menu = await coord.next_message()
    coord.press(menu, text="Annuler l'action")
    confirm = await coord.next_message()
    coord.press(confirm, text="Annuler l'action")
    assert "est annulée" in (await coord.next_message()).plain
    assert "est annulée" in (await vol.next_message()).plain
    await bot.sb.wait_for(lambda: "ANNULÉ" in post.plain, 10)
    assert post.button_texts == []
    # An answer to a cancelled event is explained and changes nothing.
    late = bot.user(641, "Léo")
    await bot.onboard(late)
    group.add_member(late)
    late.send("je viens", chat=group, reply_to=post)
    assert "annulée ou terminée" in (await group.next_message()).plain
    assert await bot.count(Participation) == 1


async def test_agenda_views_and_ics(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    coord.press(post, text="Je viens")
    await bot.sb.wait_for(lambda: coord.last_answer is not None and coord.last_answer.text, 5)
    mine = await bot.reply(coord, "/agenda")
    assert "Mes actions à venir" in mine.plain and "Tractage marché Croix-Rousse" in mine.plain
    coord.press(mine, text="Tout")
    await bot.sb.wait_for(lambda: "Toutes les actions" in mine.plain, 5)
    coord.send("/agenda_ics")
    doc = await coord.next_message()
    assert doc.document is not None and doc.document.filename.endswith(".ics")
    cal = Calendar.from_ical(doc.document.data)
    (vevent,) = [c for c in cal.walk("VEVENT")]
    assert "Tractage marché Croix-Rousse" in str(vevent["summary"])
    assert str(vevent["location"]) == "Place de la Croix-Rousse"
    with open(bot.services.settings.ics_path, "rb") as f:
        assert b"Tractage march" in f.read()


async def test_five_hundred_answers_collapse_into_few_edits(bot) -> None:  # type: ignore[no-untyped-def]
    """Many answers in a short time produce one edit per interval, not one per answer."""
    coord, group = await setup_city(bot)
    await create_via_conversation(bot, coord)
    await group.next_message()
    async with bot.services.transaction() as s:
        event = await s.scalar(select(Event))
        from storage.models import Person

        for i in range(50):
            s.add(
                Person(
                    telegram_id=70000 + i,
                    first_name=f"P{i}",
                    consent_version="v",
                    consent_at=datetime.now(UTC),
                )
            )
        await s.flush()
        people = list(await s.scalars(select(Person).where(Person.telegram_id >= 70000)))
        from capabilities.events.agenda import record_answer

        now = datetime.now(UTC)
        for p in people:
            await record_answer(s, event, p, "yes", None, "button", now)
        edits = await refresh_posts(s, now + timedelta(seconds=10), timedelta(seconds=4))
    assert edits <= 1
    async with bot.services.db.session() as s:
        assert (await q.counts(s, [1]))[1]["yes"] == 50


async def candidate(bot: Any, coord: Any, tid: int, handle: str) -> Any:
    """A member made candidate in Lyon by the coordinator."""
    user = bot.user(tid, handle.title(), username=handle)
    await bot.onboard(user)
    await bot.reply(coord, f"/role @{handle} candidat Lyon")
    await user.next_message()
    return user


async def test_a_role_taken_back_stops_the_form_and_the_old_buttons(bot) -> None:  # type: ignore[no-untyped-def]
    """Creating an event gives no lasting right to it: what an organiser may do follows their roles now."""
    coord, group = await setup_city(bot)
    cand = await candidate(bot, coord, 650, "nadia")
    await bot.reply(cand, "/evenement")
    kinds = await bot.reply(cand, "Stand place Bellecour")
    cand.press(kinds, text="stand")
    await cand.next_message()  # one city: straight to the date
    confirm = await bot.reply(cand, "samedi prochain à 14h")
    cand.press(confirm, text="Oui")
    await cand.next_message()
    await bot.reply(cand, "2h")
    await bot.reply(cand, "Place Bellecour")
    await bot.reply(cand, "-")
    summary = await bot.reply(cand, "aucun")
    cand.press(summary, text="Confirmer")
    assert "annoncé dans 1 groupe" in (await cand.next_message()).plain
    await group.next_message()
    listing = await bot.reply(cand, "/mes_evenements")
    cand.press(listing, data="evm:1")
    menu = await cand.next_message()
    cand.press(menu, text="Changer le lieu")
    await cand.next_message()
    await bot.reply(coord, "/retirer_role @nadia candidat Lyon")
    await cand.next_message()
    # The form stops at its next step.
    assert "retiré entre-temps" in (await bot.reply(cand, "Mairie du 2e")).plain
    # The old buttons refuse: having created the event is not enough.
    cand.press(listing, data="evm:1")
    await bot.sb.wait_for(
        lambda: cand.last_answer is not None and "réservée" in (cand.last_answer.text or ""), 5
    )
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event))
    assert event is not None and event.place == "Place Bellecour" and event.status == "scheduled"


async def test_a_role_taken_back_in_the_middle_of_creating_stops_it(bot) -> None:  # type: ignore[no-untyped-def]
    coord, _ = await setup_city(bot)
    cand = await candidate(bot, coord, 651, "nora")
    await bot.reply(cand, "/evenement")
    kinds = await bot.reply(cand, "Réunion publique")
    await bot.reply(coord, "/retirer_role @nora candidat Lyon")
    await cand.next_message()
    cand.press(kinds, text="réunion")
    assert "retiré entre-temps" in (await cand.next_message()).plain
    cand.press(kinds, text="réunion")  # the form is gone: the button is stale
    await bot.sb.wait_for(lambda: cand.last_answer is not None and bool(cand.last_answer.text), 5)
    assert await bot.count(Event) == 0


def test_the_event_form_asks_what_is_missing_in_order() -> None:
    draft: dict[str, object] = {"cities": [(1, "Lyon"), (None, "national")]}
    asked = []
    for key, value in [
        ("title", "Tractage"),
        ("kind", "tractage"),
        ("city_id", 1),
        ("day", NOW),
        ("starts_at", NOW),
        ("when_ok", True),
        ("ends_at", NOW),
        ("place", ""),
        ("description", ""),
        ("needs", []),
    ]:
        asked.append(next_step(draft))
        draft[key] = value
    asked.append(next_step(draft))
    assert asked == [
        "title",
        "kind",
        "city",
        "when",
        "time",
        "when_ok",
        "duration",
        "place",
        "description",
        "needs",
        "summary",
    ]
    # « Non » to the date removes it: the date is asked again, then confirmed again.
    assert next_step({**draft, "when_ok": False}) == "when_ok"
    del draft["starts_at"], draft["day"]
    assert next_step(draft) == "when"


def test_event_buttons_keep_their_wire_format() -> None:
    packed = [
        EventKind(3).pack(),
        EventCity(12).pack(),
        EventNational().pack(),
        EventWhenOk("y").pack(),
        EventConfirm("n").pack(),
        EventManage(7).pack(),
        EventEdit("place", 7).pack(),
        EventCancelOk("y").pack(),
        AgendaView("city").pack(),
        RsvpAnswer(12, "m").pack(),
        RsvpRole(12, 34).pack(),
    ]
    assert packed == [
        "evk:3",
        "evc:12",
        "evc:national",
        "evw:y",
        "evok:n",
        "evm:7",
        "eve:place:7",
        "evx:y",
        "ag:city",
        "rsvp:12:m",
        "rsvp:12:r34",
    ]
    assert EventCity.parse("evc:national") is None and EventNational.parse("evc:national") is not None
    assert EventEdit.parse("eve:delete:7") is None and RsvpAnswer.parse("rsvp:12:r34") is None


async def test_free_typed_role_labels_show_as_typed_in_posts_buttons_and_digests(bot) -> None:  # type: ignore[no-untyped-def]
    coord, group = await setup_city(bot)
    done = await create_via_conversation(bot, coord, needs="<b>son & lumière 2")
    assert "annoncé" in done.plain
    post = await group.next_message()
    assert "<b>son & lumière 0/2" in post.plain
    assert "🙋 <b>son & lumière (manque 2)" in post.button_texts
    cand = bot.user(420, "Inès", username="ines_cand")
    await bot.onboard(cand)
    await bot.reply(coord, "/role @ines_cand candidat Lyon")
    await cand.next_message()
    digest = await bot.reply(cand, "/digest")
    assert "<b>son & lumière ×2" in digest.plain, digest.plain
    assert "&lt;" not in digest.plain and "&amp;" not in digest.plain
    assert not any("&amp;" in b or "&lt;" in b for b in digest.button_texts)


def _longest(seed: str, length: int) -> str:
    """A legal value of the maximal length, made of characters that grow once escaped."""
    return (seed * length)[:length]


async def test_every_listing_fits_telegram_with_the_longest_legal_values(bot) -> None:  # type: ignore[no-untyped-def]
    """15+ actions, 60 cities, every field at its maximum: each view answers within 4,096
    characters (fitted or paged), never with an error."""
    from domain.events import PLACE_MAX, ROLE_MAX, TITLE_MAX
    from domain.people import CITY_NAME_MAX
    from storage import people as pq

    coord, _ = await setup_city(bot)
    me = await bot.person(COORDINATOR_ID)
    start = datetime.now(UTC) + timedelta(days=2)
    async with bot.services.transaction() as s:
        long_city = None
        for i in range(60):
            city = await pq.create_city(s, _longest(f"Ville <{i}> & ", CITY_NAME_MAX))
            long_city = long_city or city
        lyon = next(c for c in await pq.cities(s) if c.name == "Lyon")
        assert long_city is not None
        for i in range(24):
            event = await q.create_event(
                s,
                title=_longest(f"Action {i} <b>&</b> ", TITLE_MAX),
                kind="tractage",
                city_id=[lyon.id, None, long_city.id][i % 3],
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i + 2),
                place=_longest("Place <&> de la République ", PLACE_MAX),
                description="",
                needs=[(_longest(f"son & lumière {r} <b> ", ROLE_MAX), 500) for r in range(12)],
                created_by=me.id,
            )
            s.add(Participation(event_id=event.id, person_id=me.id, status="yes"))
    await bot.outbox_idle()

    def check(messages: list[Any]) -> None:
        assert messages
        for m in messages:
            assert len(m.plain) <= 4096
            assert "mal passé" not in m.plain

    async def answers(command: str) -> list[Any]:
        """Every message the command brings (after a quiet moment), marked read."""
        log = bot.sb.log(coord.id)
        seen = len(log.bot_messages)
        coord.send(command)
        await bot.sb.wait_for(lambda: len(log.bot_messages) > seen, 5)
        await asyncio.sleep(0.5)
        log.consumed = len(log.bot_messages)
        return list(log.bot_messages[seen:])

    agenda = await answers("/agenda")
    check(agenda)
    assert "Mes actions à venir" in agenda[0].plain and "/agenda_ics" in agenda[0].plain
    for view, header in (("Ma ville", "Actions à venir — Lyon"), ("Tout", "Toutes les actions à venir")):
        coord.press(agenda[0], text=view)
        await bot.sb.wait_for(lambda header=header: header in coord.messages[-1].plain, 5)
        check([coord.messages[-1]])
    check(await answers("/mes_evenements"))
    check(await answers("/besoins"))
    cities = await answers("/villes")
    check(cities)
    # One message, a page at a time (issue 18): no burst of messages.
    assert len(cities) == 1 and "Lyon" in cities[0].plain

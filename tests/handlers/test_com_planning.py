"""Communication planning as the team lives it: posts suggested from events, the due cards, site
needs, photos from volunteers, the communication digest and weekly summary, /calendrier_com, and the
electoral silence warning at /evenement — through the Telegram sandbox."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.callbacks import ComCalendarWeek, ComPhotoEvent, PostOpen
from capabilities.communication import planning, suggestions
from domain.people import Grant, Role
from domain.statuses import ComRequestKind, PostPurpose, PostStatus, PublicationStatus, RsvpStatus
from sandbox.bot_harness import COORDINATOR_ID
from storage import events as eq
from storage import people as pq
from storage.models import City, ComPost, ComRequest, Event, Participation, Person, Publication

PARIS = ZoneInfo("Europe/Paris")
FAST = {"send_per_chat_per_second": 100.0}
_ids = itertools.count(7000)


# The communication jobs run only when a test calls them, at the `now` it chooses.
DISABLED = [
    "digests",
    "reminders",
    "recruitment",
    "retention",
    "memberships",
    "inbox",
    "donations",
    "calendar",
]
BASE: dict[str, object] = {**FAST, "disabled_jobs": [*DISABLED, "com"], "telegram_channel_id": "@coordo_test"}


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return dict(BASE)


# --- Set-up helpers ---------------------------------------------------------------------------------


async def city(bot: Any, name: str = "Lyon") -> int:
    async with bot.services.transaction() as s:
        found = await s.scalar(select(City.id).where(City.name == name))
        if found is None:
            created = await pq.create_city(s, name)
            assert created is not None
            found = created.id
        return int(found)


async def member(
    bot: Any, name: str, *, lead: str | None = None, skills: Iterable[str] = (), tid: int | None = None
) -> Any:
    """Someone who went through /start earlier (and a lead of `lead` when given)."""
    tid = tid or next(_ids)
    cid = await city(bot)
    async with bot.services.transaction() as s:
        p = await pq.create_person(
            s,
            telegram_id=tid,
            first_name=name,
            username=None,
            language="fr",
            city_id=cid,
            skills=list(skills),
            consent_version="test",
            consent_at=datetime.now(UTC),
        )
        if lead:
            await s.refresh(p, ["grants"])
            await pq.grant_role(s, p, Grant(Role.LEAD, lead), None)
    user = bot.user(tid, name)
    user.started = True
    return user


async def person_id(bot: Any, user: Any) -> int:
    p = await bot.person(user.id)
    assert p is not None
    return int(p.id)


async def make_event(
    bot: Any,
    title: str,
    starts: datetime,
    kind: str = "réunion",
    hours: int = 2,
    place: str = "Salle Molière",
) -> int:
    cid = await city(bot)
    async with bot.services.transaction() as s:
        ev = await eq.create_event(
            s,
            title=title,
            kind=kind,
            city_id=cid,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            place=place,
            description="Entrée libre",
            needs=[("photo", 1)],
            created_by=None,
        )
        return int(ev.id)


async def posts_of(bot: Any, event_id: int) -> dict[str, ComPost]:
    async with bot.services.db.session() as s:
        rows = await s.scalars(select(ComPost).where(ComPost.event_id == event_id))
        return {p.purpose: p for p in rows}


async def count(bot: Any, model: Any, *where: Any) -> int:
    async with bot.services.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def add_post(bot: Any, **values: Any) -> int:
    values.setdefault("purpose", PostPurpose.FREE.value)
    values.setdefault("channels", ["mastodon"])
    async with bot.services.transaction() as s:
        post = ComPost(**values)
        s.add(post)
        await s.flush()
        return int(post.id)


async def add_publication(bot: Any, post_id: int, channel: str, at: datetime, **values: Any) -> None:
    async with bot.services.transaction() as s:
        s.add(
            Publication(
                post_id=post_id,
                channel=channel,
                key=f"post:{post_id}:{channel}",
                status=PublicationStatus.PUBLISHED.value,
                published_at=at,
                **values,
            )
        )


async def run_suggestions(bot: Any, at: datetime) -> int:
    done = await suggestions.run(bot.services, at)
    await bot.outbox_idle()
    return done


async def run_planning(bot: Any, at: datetime) -> int:
    done = await planning.run(bot.services, at)
    await bot.outbox_idle()
    return done


def cards(user: Any, text: str) -> list[Any]:
    return [m for m in user.messages if text in m.plain]


# --- Suggested posts, due cards, site needs -------------------------------------------------------


async def test_suggestions_are_made_once_and_each_due_card_is_sent_once(bot: Any) -> None:
    lea = await member(bot, "Léa", lead="communication")
    web = await member(bot, "Wassim", lead="website")
    volunteer = await member(bot, "Victor")
    now = datetime.now(UTC).replace(microsecond=0)
    event_id = await make_event(bot, "Réunion publique sur les transports", now + timedelta(days=10))
    internal = await make_event(bot, "Formation des nouveaux", now + timedelta(days=10), kind="formation")

    # Run twice: three suggestions, not six (the unique event_id + purpose).
    await run_suggestions(bot, now)
    await run_suggestions(bot, now)
    posts = await posts_of(bot, event_id)
    assert sorted(posts) == ["announce", "recall", "recap"]
    assert {p.status for p in posts.values()} == {PostStatus.SUGGESTED}
    assert await posts_of(bot, internal) == {}  # a training is not public
    announce = posts["announce"]
    assert "Réunion publique sur les transports" in announce.text
    assert "Salle Molière, Lyon" in announce.text
    assert "telegram" in announce.channels
    start_local = (now + timedelta(days=10)).astimezone(PARIS)
    assert announce.due_at is not None and posts["recall"].due_at is not None
    assert abs(announce.due_at.astimezone(UTC) - (now + timedelta(days=3))) < timedelta(seconds=1)
    recall_local = posts["recall"].due_at.astimezone(PARIS)
    assert (recall_local.date(), recall_local.time()) == (start_local.date() - timedelta(days=1), time(18))
    # Nothing due yet: no card, no site need (10 days before).
    assert not cards(lea, "Publication suggérée")
    assert await count(bot, ComRequest) == 0

    # The announce falls due: one card to the communication lead, even when the job runs again.
    later = now + timedelta(days=3, minutes=5)
    await run_suggestions(bot, later)
    await run_suggestions(bot, later + timedelta(minutes=5))
    got = cards(lea, "Publication suggérée")
    assert len(got) == 1
    assert "annonce" in got[0].plain and "Réunion publique sur les transports" in got[0].plain
    assert got[0].find_button(data=PostOpen(announce.id).pack()) is not None
    assert not volunteer.messages

    # 7 days before, the event is not on the website: one website request, the website lead told once.
    requests = await _requests(bot)
    assert [(r.kind, r.domain, r.event_id) for r in requests] == [
        (ComRequestKind.WEBSITE, "website", event_id)
    ]
    assert "Réunion publique sur les transports" in requests[0].brief
    assert len(cards(web, "Réunion publique sur les transports")) == 1  # the request's card


async def _requests(bot: Any) -> list[ComRequest]:
    async with bot.services.db.session() as s:
        return list(await s.scalars(select(ComRequest).order_by(ComRequest.id)))


async def test_a_cancelled_event_cancels_its_unpublished_posts(bot: Any) -> None:
    await member(bot, "Léa", lead="communication")
    now = datetime.now(UTC)
    event_id = await make_event(bot, "Stand au marché", now + timedelta(days=5), kind="stand")
    await run_suggestions(bot, now)
    posts = await posts_of(bot, event_id)
    async with bot.services.transaction() as s:
        published = await s.get(ComPost, posts["announce"].id)
        assert published is not None
        published.status = PostStatus.PUBLISHED
        scheduled = await s.get(ComPost, posts["recall"].id)
        assert scheduled is not None
        scheduled.status = PostStatus.SCHEDULED
        event = await s.get(Event, event_id)
        assert event is not None
        event.status = "cancelled"
    await run_suggestions(bot, now + timedelta(minutes=5))
    after = await posts_of(bot, event_id)
    assert after["announce"].status == PostStatus.PUBLISHED  # what is out stays out
    assert after["recall"].status == PostStatus.CANCELLED
    assert after["recap"].status == PostStatus.CANCELLED


async def test_no_site_need_when_the_event_is_already_on_the_website(bot: Any) -> None:
    await member(bot, "Wassim", lead="website")
    now = datetime.now(UTC)
    on_site = await make_event(bot, "Réunion publique déjà en ligne", now + timedelta(days=4))
    missing = await make_event(bot, "Réunion publique absente du site", now + timedelta(days=4))
    far = await make_event(bot, "Réunion publique lointaine", now + timedelta(days=20))
    post = await add_post(
        bot, event_id=on_site, purpose="announce", status="published", channels=["wordpress"]
    )
    await add_publication(bot, post, "wordpress", now - timedelta(hours=1))
    await run_suggestions(bot, now)
    await run_suggestions(bot, now + timedelta(minutes=1))
    await run_suggestions(bot, now + timedelta(minutes=2))
    assert [r.event_id for r in await _requests(bot)] == [missing]
    assert far != missing


# --- Photos from volunteers ---------------------------------------------------------------------------


async def _took_part(bot: Any, user: Any, event_id: int, role: str = "tractage") -> None:
    async with bot.services.transaction() as s:
        s.add(
            Participation(
                event_id=event_id, person_id=await _pid(s, user), status=RsvpStatus.YES.value, role=role
            )
        )


async def _pid(session: Any, user: Any) -> int:
    return int(await session.scalar(select(Person.id).where(Person.telegram_id == user.id)))


def _photo(user: Any, unique: str, caption: str | None = None) -> None:
    fields: dict[str, Any] = {
        "photo": [
            {"file_id": f"small-{unique}", "file_unique_id": f"s{unique}", "width": 90, "height": 60},
            {"file_id": f"big-{unique}", "file_unique_id": unique, "width": 1280, "height": 960},
        ]
    }
    if caption:
        fields["caption"] = caption
    user.send_raw(**fields)


async def test_a_photo_volunteer_adds_photos_to_the_recap_which_stay_private(bot: Any) -> None:
    lea = await member(bot, "Léa", lead="communication")
    photographer = await member(bot, "Paula", skills=("photo",))
    stranger = await member(bot, "Sam", skills=("photo",))
    tasked = await member(bot, "Tom")  # no photo skill, but the photo task of the event
    now = datetime.now(UTC)
    event_id = await make_event(bot, "Tractage gare", now - timedelta(days=1), kind="tractage")
    old = await make_event(bot, "Tractage ancien", now - timedelta(days=6), kind="tractage")
    await _took_part(bot, photographer, event_id)
    await _took_part(bot, photographer, old)
    await _took_part(bot, tasked, event_id, role="photo")

    _photo(photographer, "u1", caption="La table du stand")
    ask = await photographer.next_message()
    assert "De quelle action" in ask.plain
    assert len(ask.button_texts) == 1 and "Tractage gare" in ask.button_texts[0]  # not the old one
    photographer.press(ask, data=ComPhotoEvent(event_id).pack())
    thanks = await photographer.next_message()
    assert "Merci" in thanks.plain and "reste privée" in thanks.plain
    recap = (await posts_of(bot, event_id))["recap"]
    assert recap.status == PostStatus.SUGGESTED
    assert recap.images == [
        {"file_id": "big-u1", "name": "photo-u1.jpg", "mime": "image/jpeg", "alt": "La table du stand"}
    ]
    assert await count(bot, Publication) == 0  # nothing published
    assert not lea.messages

    # Someone with the photo task (no skill) may too.
    _photo(tasked, "u2")
    tasked.press(await tasked.next_message(), data=ComPhotoEvent(event_id).pack())
    assert "Merci" in (await tasked.next_message()).plain
    assert len((await posts_of(bot, event_id))["recap"].images) == 2

    # Someone who did not take part: nothing to attach to, even with the event's id (a forged button).
    _photo(stranger, "u3")
    assert "Je ne sais pas encore lire" in (await stranger.next_message()).plain
    forged = await suggestions.add_photo(bot.services, stranger.id, event_id, {"file_id": "f"}, now)
    assert forged is suggestions.PhotoResult.NOT_ALLOWED
    assert len((await posts_of(bot, event_id))["recap"].images) == 2

    # Once the recap is approved, no photo joins it any more.
    async with bot.services.transaction() as s:
        post = await s.get(ComPost, recap.id)
        assert post is not None
        post.status = PostStatus.APPROVED
    _photo(tasked, "u5")
    tasked.press(await tasked.next_message(), data=ComPhotoEvent(event_id).pack())
    assert "déjà validé" in (await tasked.next_message()).plain
    assert len((await posts_of(bot, event_id))["recap"].images) == 2


# --- The communication digest and the weekly summary -------------------------------------------------


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


TUESDAY = date(2030, 1, 8)
MONDAY = date(2030, 1, 14)


async def _digest_world(bot: Any) -> None:
    now = paris(TUESDAY, 8, 5)
    await add_post(bot, title="Annonce du meeting", status="suggested", due_at=now - timedelta(hours=3))
    await add_post(bot, title="Suggestion de demain", status="suggested", due_at=now + timedelta(days=1))
    await add_post(bot, title="Brouillon à valider", status="submitted")
    await add_post(bot, title="Post de midi", status="scheduled", publish_at=paris(TUESDAY, 12))
    await add_post(
        bot, title="Post de jeudi", status="scheduled", publish_at=paris(TUESDAY, 12) + timedelta(days=2)
    )
    await add_post(bot, title="Post suspendu", status="paused", paused_reason="silence")
    done = await add_post(bot, title="Post d'hier", status="published")
    await add_publication(
        bot,
        done,
        "mastodon",
        now - timedelta(days=1),
        url="https://masto.example/@c/1",
        metrics={"likes": 12},
    )
    async with bot.services.transaction() as s:
        s.add(ComRequest(kind="visual", domain="communication", brief="Affiche pour la fête", status="open"))


async def test_the_digest_lists_what_is_due_once_a_day(bot: Any) -> None:
    lea = await member(bot, "Léa", lead="communication")
    await member(bot, "Victor")
    await _digest_world(bot)

    assert await run_planning(bot, paris(TUESDAY, 7, 59)) == 0  # before 08:00
    assert await run_planning(bot, paris(TUESDAY, 8, 5)) == 1
    assert await run_planning(bot, paris(TUESDAY, 9, 30)) == 0  # once a day
    assert len(lea.messages) == 1
    text = lea.messages[0].plain
    for expected in (
        "Communication du jour",
        "Demandes à traiter (1)",
        "Affiche pour la fête",
        "Publications suggérées à reprendre (1)",
        "Annonce du meeting",
        "Brouillons en attente de validation (1)",
        "Brouillon à valider",
        "Publications prévues aujourd'hui (1)",
        "12h00\u00a0: Post de midi (Mastodon)",
        "Publications suspendues (1)",
        "Post suspendu — silence électoral",
        "Mastodon\u00a0: Post d'hier — likes 12",
    ):
        assert expected in text, expected
    assert "Suggestion de demain" not in text and "Post de jeudi" not in text
    assert "Bilan de la semaine" not in text  # Tuesday: no weekly summary
    assert len(text) <= 4096
    # The next day, a new digest.
    assert await run_planning(bot, paris(TUESDAY + timedelta(days=1), 8, 0)) == 1


async def test_monday_brings_the_weekly_summary_with_reach_figures(bot: Any) -> None:
    lea = await member(bot, "Léa", lead="communication")
    first = await add_post(bot, title="Meeting de mardi", status="published")
    second = await add_post(bot, title="Photos du stand", status="published")
    older = await add_post(bot, title="Post d'avant", status="published")
    await add_publication(
        bot,
        first,
        "mastodon",
        paris(TUESDAY, 18),
        url="https://masto.example/@c/1",
        metrics={"likes": 12, "shares": 3},
    )
    await add_publication(bot, first, "facebook", paris(TUESDAY, 18), url="https://fb.example/1", metrics={})
    await add_publication(
        bot, second, "mastodon", paris(MONDAY - timedelta(days=1), 21), url="https://masto.example/@c/2"
    )
    await add_publication(bot, older, "mastodon", paris(TUESDAY - timedelta(days=2), 10))

    assert await run_planning(bot, paris(MONDAY, 8, 1)) == 2  # the digest and the summary
    assert await run_planning(bot, paris(MONDAY, 8, 30)) == 0
    summary = next(m for m in lea.messages if "Bilan de la semaine" in m.plain)
    text = summary.plain
    assert "lundi 7 janvier" in text and "dimanche 13 janvier" in text
    assert "Publications\u00a0: 2" in text
    assert "Mastodon (2)" in text and "Facebook (1)" in text
    assert "Meeting de mardi — likes 12, shares 3" in text
    assert "Photos du stand — pas encore de chiffres" in text
    assert "Post d'avant" not in text  # the week before
    assert summary.text is not None and 'href="https://masto.example/@c/1"' in summary.text


# --- /calendrier_com --------------------------------------------------------------------------------


async def test_calendrier_com_shows_the_week_per_channel_and_warns_of_a_clash(bot: Any) -> None:
    lea = await member(bot, "Léa", lead="communication")
    volunteer = await member(bot, "Victor")
    today = datetime.now(UTC).astimezone(PARIS).date()
    monday = today - timedelta(days=today.weekday())
    wednesday = monday + timedelta(days=2)
    await add_post(
        bot,
        title="Tract numérique",
        status="scheduled",
        publish_at=paris(wednesday, 10),
        channels=["mastodon", "facebook"],
    )
    await add_post(
        bot,
        title="Vidéo du meeting",
        status="approved",
        publish_at=paris(wednesday, 11),
        channels=["mastodon"],
    )
    await add_post(
        bot, title="Post du soir", status="scheduled", publish_at=paris(wednesday, 20), channels=["facebook"]
    )
    await add_post(
        bot, title="Brouillon caché", status="draft", publish_at=paris(wednesday, 9), channels=["mastodon"]
    )
    await add_post(
        bot, title="Annonce suggérée", status="suggested", due_at=paris(wednesday, 15), channels=["bluesky"]
    )
    await add_post(
        bot, title="Semaine prochaine", status="scheduled", publish_at=paris(monday + timedelta(days=8), 9)
    )

    shown = await bot.reply(lea, "/calendrier_com")
    text = shown.plain
    assert "Mastodon" in text and "Facebook" in text and "Bluesky" in text
    assert "Tract numérique" in text and "Vidéo du meeting" in text and "Annonce suggérée" in text
    assert "10h00\u00a0: Tract numérique (programmée)" in text
    assert "Brouillon caché" not in text and "Semaine prochaine" not in text
    assert "trop rapprochées" in text
    clash = [line for line in text.splitlines() if "Pensez à en décaler une" in line]
    assert len(clash) == 1  # mastodon 10:00 and 11:00; not facebook 10:00 and 20:00
    assert "Mastodon" in clash[0] and "Tract numérique" in clash[0] and "Vidéo du meeting" in clash[0]

    lea.press(shown, data=ComCalendarWeek(1).pack())
    await bot.sb.wait_for(lambda: "Semaine prochaine" in (lea.messages[-1].plain or ""), 5)
    assert "Tract numérique" not in lea.messages[-1].plain

    denied = await bot.reply(volunteer, "/calendrier_com")
    assert "réservée" in denied.plain
    # A role taken back: the week button shows nothing more.
    async with bot.services.transaction() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == lea.id))
        assert person is not None
        await pq.revoke_role(s, person, Grant(Role.LEAD, "communication"))
    before = lea.messages[-1].plain
    lea.press(lea.messages[-1], text="◀ Semaine précédente")
    await bot.sb.wait_for(lambda: len(lea.answers) >= 2, 5)
    assert "retiré" in (lea.last_answer.text or "")
    assert lea.messages[-1].plain == before


# --- The electoral silence at /evenement ---------------------------------------------------------------


def _next_sunday(after: date) -> date:
    return after + timedelta(days=6 - after.weekday() or 7)


SILENCE_DAY = _next_sunday(datetime.now(PARIS).date() + timedelta(days=14))


async def _summary(bot: Any, coord: Any, kind: str, when: str) -> Any:
    await bot.reply(coord, "/evenement")
    kinds = await bot.reply(coord, "Action au centre")
    coord.press(kinds, text=kind)
    nxt = await coord.next_message()
    if nxt.button_texts:  # the city question
        coord.press(nxt, text="Lyon")
        await coord.next_message()
    confirm = await bot.reply(coord, when)
    coord.press(confirm, text="Oui")
    await coord.next_message()
    await bot.reply(coord, "2h")
    await bot.reply(coord, "Place Bellecour")
    await bot.reply(coord, "-")
    return await bot.reply(coord, "aucun")


@pytest.mark.parametrize("settings_overrides", [{**BASE, "election_days": SILENCE_DAY.isoformat()}])
async def test_evenement_warns_of_the_electoral_silence_without_blocking(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    eve = SILENCE_DAY - timedelta(days=1)
    day_words = f"{eve.day}/{eve.month}/{eve.year} à 10h"
    summary = await _summary(bot, coord, "tractage", day_words)
    assert "silence électoral" in summary.plain and "L49" in summary.plain
    coord.press(summary, text="Confirmer")
    await coord.next_message()
    assert await count(bot, Event) == 1  # a warning, not a block

    # Outside the window, or a kind the silence does not concern: no warning.
    before = SILENCE_DAY - timedelta(days=3)
    quiet = await _summary(bot, coord, "tractage", f"{before.day}/{before.month}/{before.year} à 10h")
    assert "silence" not in quiet.plain
    coord.press(quiet, text="Annuler")
    await coord.next_message()
    training = await _summary(bot, coord, "formation", day_words)
    assert "silence" not in training.plain

"""The public agenda feed (JSON) written next to the .ics: valid, only public scheduled events to
come, nothing about people."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from capabilities.events.ical import write_ics_file
from storage import events as q
from storage import people as pq
from storage.models import City, Event, Participation


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, object]:
    return {
        "ics_path": str(tmp_path / "site" / "agenda.ics"),
        "agenda_json_path": str(tmp_path / "site" / "agenda.json"),
    }


async def _event(s: Any, title: str, kind: str, starts: datetime, city_id: int | None, **extra: Any) -> Event:
    event = await q.create_event(
        s,
        title=title,
        kind=kind,
        city_id=city_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Salle des fêtes",
        description="Entrée libre",
        needs=[("tractage", 2)],
        created_by=None,
    )
    for key, value in extra.items():
        setattr(event, key, value)
    return event


async def test_the_json_feed_holds_only_public_scheduled_events_to_come(bot: Any, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with bot.services.transaction() as s:
        lyon = await s.scalar(select(City.id).where(City.name == "Lyon"))
        organiser = await pq.create_person(
            s,
            telegram_id=4242,
            first_name="Organisatrice Secrète",
            username="secrete",
            language="fr",
            city_id=lyon,
            skills=[],
            consent_version="test",
            consent_at=now,
        )
        public = await _event(
            s, "Réunion publique", "réunion", now + timedelta(days=3), lyon, created_by=organiser.id
        )
        national = await _event(s, "Stand national", "stand", now + timedelta(days=5), None)
        await _event(s, "Réunion annulée", "réunion", now + timedelta(days=4), lyon, status="cancelled")
        await _event(s, "Formation interne", "formation", now + timedelta(days=2), lyon)
        await _event(s, "Réunion d'équipe", "réunion", now + timedelta(days=2), lyon)  # internal
        await _event(s, "Réunion passée", "réunion", now - timedelta(days=3), lyon)
        s.add(Participation(event_id=public.id, person_id=organiser.id, status="yes", role="tractage"))
        public_id, national_id = public.id, national.id

    await write_ics_file(bot.services)  # the JSON feed is written with the .ics

    ics = tmp_path / "site" / "agenda.ics"
    raw = (tmp_path / "site" / "agenda.json").read_text(encoding="utf-8")
    assert ics.exists()
    feed = json.loads(raw)
    assert feed["version"] == 1 and feed["timezone"] == "Europe/Paris"
    assert [e["title"] for e in feed["events"]] == ["Réunion publique", "Stand national"]
    first, second = feed["events"]
    assert first == {
        "id": f"event-{public_id}",
        "title": "Réunion publique",
        "kind": "réunion",
        "city": "Lyon",
        "starts_at": (now + timedelta(days=3)).isoformat(),
        "ends_at": (now + timedelta(days=3, hours=2)).isoformat(),
        "place": "Salle des fêtes",
    }
    assert second["id"] == f"event-{national_id}" and second["city"] is None
    assert datetime.fromisoformat(first["starts_at"]).tzinfo is not None
    # Nobody's name, handle or telegram id; no needs or counts.
    for secret in ("Organisatrice", "secrete", "4242", "tractage", "needs", "created_by"):
        assert secret not in raw


async def test_the_description_is_never_published(bot: Any, tmp_path: Path) -> None:
    """Free text may hold a home address or a phone number: the feed leaves it out."""
    now = datetime.now(UTC)
    async with bot.services.transaction() as s:
        await _event(
            s,
            "Stand du marché",
            "stand",
            now + timedelta(days=1),
            None,
            description="Appelez Léa au 06 12 34 56 78",
        )
    await write_ics_file(bot.services)
    raw = (tmp_path / "site" / "agenda.json").read_text(encoding="utf-8")
    assert "Stand du marché" in raw and "06 12 34 56 78" not in raw and "description" not in raw


async def test_during_the_silence_the_feed_keeps_what_was_online_and_adds_nothing(
    bot: Any, tmp_path: Path
) -> None:
    """L49: from the eve's 00:00 to polling day 20:00, no new propaganda, but what was online may stay."""
    from capabilities.events.feed import agenda_json
    from storage.models import CampaignLedger

    tz = bot.services.settings.tz
    day = (datetime.now(tz) + timedelta(days=30)).date()
    saturday = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=tz) + timedelta(hours=9)
    async with bot.services.transaction() as s:
        s.add(CampaignLedger(id="lyon-test", city="Lyon", election_id="municipales", election_day=day))
        old = await _event(s, "Stand ancien", "stand", saturday + timedelta(hours=2), None)
        old.created_at = (saturday - timedelta(days=5)).astimezone(UTC)
        new = await _event(s, "Tractage de dernière minute", "tractage", saturday + timedelta(hours=3), None)
        new.created_at = saturday.astimezone(UTC)
    during = await agenda_json(bot.services, saturday)
    assert [e["title"] for e in during["events"]] == ["Stand ancien"]
    before = await agenda_json(bot.services, saturday - timedelta(days=2))
    assert {e["title"] for e in before["events"]} == {"Stand ancien", "Tractage de dernière minute"}

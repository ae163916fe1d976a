"""The agenda mirrored in Google Calendar: the real client against a local fake Calendar server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from capabilities.events import agenda, calendar_sync
from integrations.calendar import CalendarClient
from sandbox.google import FakeCalendar, static_credentials
from storage import events as q
from storage.models import City, Event

CAL = "agenda@group.calendar.google.com"


async def test_create_update_cancel_and_retry_after_a_failure(bot) -> None:  # type: ignore[no-untyped-def]
    with FakeCalendar(calendars=[CAL]) as fake:
        bot.services.extras["calendar"] = CalendarClient(
            static_credentials, CAL, api_endpoint=fake.url, backoff_base=0.001, backoff_max=0.005, retries=1
        )
        now = datetime.now(UTC)
        async with bot.services.transaction() as s:
            lyon = await s.scalar(select(City.id).where(City.name == "Lyon"))
            event = await q.create_event(
                s,
                title="Stand marché",
                kind="stand",
                city_id=lyon,
                starts_at=now + timedelta(days=2),
                ends_at=now + timedelta(days=2, hours=3),
                place="Marché",
                description="",
                needs=[],
                created_by=None,
            )
        # A 5xx answer: nothing is marked synced, the next tick does it.
        fake.inject(503, times=2, method="POST")
        assert await calendar_sync.run(bot.services, now) == 0
        assert await calendar_sync.run(bot.services, now) == 1
        async with bot.services.db.session() as s:
            event = await s.get(Event, event.id)
        assert event is not None and event.gcal_id
        stored = fake.event(CAL, event.gcal_id)
        assert stored["summary"] == "Stand marché (Lyon)" and stored["location"] == "Marché"
        assert await calendar_sync.run(bot.services, now) == 0  # nothing changed: no call

        async with bot.services.transaction() as s:
            row = await s.get(Event, event.id)
            await agenda.change_event(s, row, place="Mairie")
        assert await calendar_sync.run(bot.services, now) == 1
        assert fake.event(CAL, event.gcal_id)["location"] == "Mairie"

        async with bot.services.transaction() as s:
            row = await s.get(Event, event.id)
            await agenda.cancel_event(s, row)
        assert await calendar_sync.run(bot.services, now) == 1
        assert (
            event.gcal_id not in fake.events[CAL]
            or fake.events[CAL][event.gcal_id].get("status") == "cancelled"
        )


async def test_without_configuration_the_sync_does_nothing(bot) -> None:  # type: ignore[no-untyped-def]
    assert await calendar_sync.run(bot.services, datetime.now(UTC)) == 0

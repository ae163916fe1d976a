"""Personal data: the register's deadlines, the purge's cutoff, the summary and the erasure's words,
and requests logged for someone the bot never knew."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import Services
from bot.settings import Settings
from capabilities.privacy import deadline, purge_cutoff, requests
from capabilities.privacy.access import has_data, summary
from capabilities.privacy.erasure import Erasure, erasure_parts
from capabilities.privacy.retention import record_activity
from capabilities.privacy.subjects import Subject
from domain.statuses import RequestKind, RequestNote
from sandbox.bot_harness import TOKEN
from storage.models import DataRequest, Person


def test_deadline_is_one_month_later() -> None:
    paris = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert deadline(paris) == date(2026, 2, 28)
    assert deadline(datetime(2026, 12, 15, 12, tzinfo=UTC)) == date(2027, 1, 15)


def test_purge_cutoff_is_ten_years_and_one_day() -> None:
    assert purge_cutoff(date(2036, 3, 15), 10) == date(2026, 3, 14)
    assert purge_cutoff(date(2036, 2, 29), 10) == date(2026, 2, 27)
    assert purge_cutoff(date(2036, 1, 1), 10) == date(2025, 12, 31)


def test_a_subject_is_named_by_what_is_known() -> None:
    assert Subject(5, None, ("a@b.fr", "c@d.fr")).label() == "a@b.fr, c@d.fr"
    assert Subject(5, None).label() == "id 5"


def test_an_empty_export_says_nothing_is_stored() -> None:
    export = {"genere_le": datetime(2026, 5, 1, 22, 30, tzinfo=UTC).isoformat(), "profil": None}
    assert not has_data(export)
    text = summary("fr", export)
    assert "(au 02/05/2026)" in text  # the day in Paris
    assert "Je n'ai aucune donnée sur vous" in text
    assert has_data({**export, "messages_du_bot": {"nombre": 1}})


def test_erasure_parts_name_what_goes() -> None:
    assert erasure_parts("fr", Erasure()) == "rien"
    assert erasure_parts("fr", Erasure(profile=True, roles=2, emails_sent=1)) == (
        "votre profil (prénom, pseudo, ville, envies d'agir, préférences), 2 rôles, "
        "1 courriel reçu de cette adresse"
    )


@pytest.fixture
def svc(db: Any, db_target: Any) -> Services:
    settings = Settings(
        _env_file=None, telegram_bot_token=TOKEN, database_url=db_target.url, database_schema=db_target.schema
    )
    return Services(settings=settings, db=db)


async def register(svc: Services) -> list[tuple[str, str, bool]]:
    async with svc.db.session() as s:
        rows = await s.scalars(select(DataRequest).order_by(DataRequest.id))
        return [(r.kind, r.note, r.done_at is not None) for r in rows]


async def test_a_stranger_s_requests_are_logged_and_answered(svc: Services) -> None:
    access = await requests.access_mine(svc, 77)
    assert not has_data(access.export)
    assert [r["type"] for r in access.export["demandes_sur_vos_donnees"]] == ["access"]
    await requests.close(svc, access.request_id)
    request_id, found = await requests.ask_erasure(svc, 77)
    assert not found.anything
    assert await requests.stop_mine(svc, 77) is None
    assert await register(svc) == [
        (RequestKind.ACCESS, "", True),
        (RequestKind.ERASURE, RequestNote.NOTHING_TO_ERASE, True),
        (RequestKind.STOP, "", True),
    ]
    # Someone else's button, or the stranger's own once answered.
    assert (await requests.confirm_erasure(svc, request_id, True, telegram_id=78)).key == requests.STALE
    assert (await requests.confirm_erasure(svc, request_id, True, telegram_id=77)).key == "pv.already_done"
    assert (
        await requests.confirm_erasure(svc, request_id, True)
    ).key == requests.STALE  # not a coordinator's
    assert await requests.financial_records(svc, None, 999) is None
    assert not await requests.mark_done(svc, None, request_id)


async def _people(svc: Services, *telegram_ids: int) -> None:
    async with svc.transaction() as s:
        for tid in telegram_ids:
            s.add(
                Person(
                    telegram_id=tid, first_name=f"P{tid}", consent_version="v", consent_at=datetime.now(UTC)
                )
            )


async def _stamps(svc: Services) -> dict[int, datetime | None]:
    async with svc.db.session() as s:
        return {p.telegram_id: p.last_active_at for p in await s.scalars(select(Person))}


async def test_activity_is_stamped_once_a_day(svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import retention

    real = retention.touch_activities
    calls: list[list[int]] = []

    async def counted(session: Any, telegram_ids: Any, now: datetime) -> set[int]:
        calls.append(sorted(telegram_ids))
        return await real(session, telegram_ids, now)

    monkeypatch.setattr("storage.retention.touch_activities", counted)
    await _people(svc, 1)  # 2 is not onboarded yet: stamped again next time
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    for telegram_id in (1, 1, 2, 2):
        await record_activity(svc, telegram_id, now)
    await record_activity(svc, 1, now + timedelta(days=1))
    assert calls == [[1], [2], [2], [1]]
    stamped = (await _stamps(svc))[1]
    assert stamped is not None and stamped.replace(tzinfo=UTC) == now + timedelta(days=1)


async def test_a_crowd_is_stamped_in_a_few_writes(svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """500 people pressing at once: every stamp written when record_activity returns, in a
    handful of statements rather than 500 (they would queue for SQLite's one writer)."""
    import asyncio

    from storage import retention

    real = retention.touch_activities
    calls: list[int] = []

    async def counted(session: Any, telegram_ids: Any, now: datetime) -> set[int]:
        calls.append(len(telegram_ids))
        return await real(session, telegram_ids, now)

    monkeypatch.setattr("storage.retention.touch_activities", counted)
    crowd = range(100, 600)
    await _people(svc, *crowd)
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    await asyncio.gather(*(record_activity(svc, tid, now) for tid in crowd))
    assert sum(calls) == 500 and len(calls) <= 3, calls
    stamps = await _stamps(svc)
    assert all(stamps[tid] is not None for tid in crowd)

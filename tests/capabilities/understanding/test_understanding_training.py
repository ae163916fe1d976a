"""The reply model's training and storage (capabilities/understanding, storage/corrections.py):
the tables it reads, the votes of corrections, the stored model, and what the daily tidy keeps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from capabilities import understanding
from capabilities.understanding import tables
from capabilities.understanding.reader import MODEL_KEY
from capabilities.understanding.training import retrain_due, votes
from domain.learned import Reading
from storage import corrections as q
from storage import inbox as kv
from storage.models import Correction, EmailMessage, Person

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_cases_are_read_from_the_test_module_without_importing_it(tmp_path: Path) -> None:
    source = tmp_path / "test_x.py"
    source.write_text(
        'Y, N, M, OTHER = "yes", "no", "maybe", "other"\n'
        "CASES: list[tuple[str, str, str | None]] = [\n"
        '    ("je viens", Y, None),\n'
        '    ("je peux pas", N, None),\n'
        '    ("bof", "maybe", None),\n'
        '    ("x", "unknown", None),\n'
        '    (f"{1}", Y, None),\n'
        "]\n",
        encoding="utf-8",
    )
    assert tables.cases_table(source) == [("je viens", "yes"), ("je peux pas", "no"), ("bof", "maybe")]
    assert tables.cases_table(tmp_path / "missing.py") == []


def test_sets_are_read_and_held_out_sets_never(tmp_path: Path) -> None:
    (tmp_path / "replies_set_x.jsonl").write_text(
        json.dumps({"text": "je viens", "intent": "yes"})
        + "\nnot json\n"
        + json.dumps({"text": "c'est où ?", "intent": "other", "role": None})
        + "\n"
        + json.dumps({"text": "x", "intent": "bof"})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "replies_holdout_x.jsonl").write_text(json.dumps({"text": "secret", "intent": "no"}) + "\n")
    assert tables.sets_table(tmp_path) == [("je viens", "yes"), ("c'est où ?", "other")]


def test_the_repository_tables_are_found() -> None:
    rows = tables.training_tables()
    assert len(rows) >= 500
    assert {label for _, label in rows} == {"yes", "no", "maybe", "other"}
    assert len(rows) == len(tables.cases_table()) + len(tables.sets_table())
    read = list(tables.SETS_DIR.glob(tables.SETS_GLOB))
    assert read and all("holdout" not in path.name and path.parent.name == "data" for path in read)
    assert not any(path.is_relative_to(tables.ROOT / "bench") for path in read)


def _c(i: int, text: str, expected: str, by: int | None) -> Correction:
    return Correction(id=i, kind="reply", text=text, read="no", expected=expected, corrected_by=by)


def test_votes_one_per_person_latest_wins_and_majority_is_remembered() -> None:
    rows = [
        _c(1, "on dit pas non", "maybe", 1),
        _c(2, "On dit pas non !", "yes", 1),  # the same person, later: replaces their vote
        _c(3, "on dit pas non", "yes", 2),
        _c(4, "on dit pas non", "no", 3),
        _c(5, "bof", "maybe", 1),
        _c(6, "bof", "no", 2),  # a tie: not remembered
        _c(7, "chaud", "waitlist", 1),  # not a label
    ]
    extra, memory = votes(rows)
    assert memory == {"on dit pas non": "yes"}
    assert sorted(extra) == sorted(
        [
            ("On dit pas non !", "yes"),
            ("on dit pas non", "yes"),
            ("on dit pas non", "no"),
            ("bof", "maybe"),
            ("bof", "no"),
        ]
    )


async def _person(bot: Any, telegram_id: int) -> Person:
    async with bot.services.transaction() as s:
        person = Person(telegram_id=telegram_id, first_name="Léa", consent_version="v", consent_at=NOW)
        s.add(person)
        await s.flush()
        return person


async def test_retrain_stores_the_model_and_the_reader_uses_it(bot: Any) -> None:
    services = bot.services
    assert await understanding.live_model(services) is None  # not trained yet: the rules alone
    lea = await _person(bot, 5001)
    fix = await understanding.remember(
        services,
        author_id=lea.id,
        event_id=None,  # type: ignore[arg-type]
        chat_id=-1,
        message_id=1,
        text="zorglub demain",
        announcement="Tractage",
        reading=Reading("no", None, "rules"),
        now=datetime.now(UTC),
    )
    async with services.transaction() as s:
        row = await q.by_id(s, fix)
        assert row is not None
        row.expected, row.corrected_by, row.corrected_at = "yes", lea.id, datetime.now(UTC)

    assert await retrain_due(services, NOW) == 0  # noon: not the moment
    assert await understanding.live_model(services) is None
    night = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)  # 03:30 in Paris
    assert await retrain_due(services, night) == 0
    model = await understanding.live_model(services)
    assert model is not None and model.memory == {"zorglub demain": "yes"}
    assert (await understanding.read_reply(services, "Zorglub demain !")).intent == "yes"
    assert await retrain_due(services, night + timedelta(hours=1)) == 0  # once a day
    async with services.db.session() as s:
        stored = await kv.kv_get(s, MODEL_KEY)
    assert stored is not None and stored.value["memory"] == {"zorglub demain": "yes"}

    # A stored model that cannot be read: the rules read alone, nothing breaks.
    async with services.transaction() as s:
        await kv.kv_put(s, MODEL_KEY, {"format": 42})
    assert await understanding.live_model(services) is None
    assert (await understanding.read_reply(services, "je viens")).intent == "yes"


async def test_tidy_forgets_old_readings_and_unlinks_old_corrections(bot: Any) -> None:
    lea = await _person(bot, 5002)
    old, recent = NOW - timedelta(days=400), NOW - timedelta(days=1)
    async with bot.services.transaction() as s:
        for text, created, corrected in (
            ("vieille lecture", old, None),
            ("lecture récente", recent, None),
            ("vieille correction", old, old),
            ("correction récente", recent, recent),
        ):
            s.add(
                Correction(
                    kind="reply",
                    text=text,
                    read="no",
                    expected="yes" if corrected else None,
                    author_id=lea.id,
                    corrected_by=lea.id if corrected else None,
                    created_at=created,
                    corrected_at=corrected,
                )
            )
    async with bot.services.transaction() as s:
        assert await q.purge(s, NOW - timedelta(days=14), NOW - timedelta(days=365)) == 1
    async with bot.services.db.session() as s:
        rows = {c.text: c for c in await s.scalars(select(Correction))}
    assert set(rows) == {"lecture récente", "vieille correction", "correction récente"}
    assert rows["vieille correction"].author_id is None and rows["vieille correction"].corrected_by is None
    assert rows["correction récente"].author_id == lea.id

    async with bot.services.transaction() as s:
        await q.forget_person(s, lea.id)
    async with bot.services.db.session() as s:
        rows = {c.text: c for c in await s.scalars(select(Correction))}
    assert set(rows) == {"vieille correction", "correction récente"}  # her bare reading went
    assert all(c.author_id is None and c.corrected_by is None for c in rows.values())


async def test_an_inbox_reassignment_is_stored_as_a_correction(bot: Any) -> None:
    lea = await _person(bot, 5003)
    async with bot.services.transaction() as s:
        email = EmailMessage(
            gmail_id="g1",
            thread_id="t1",
            sender="a@example.org",
            subject="Reçu fiscal",
            received_at=NOW,
            excerpt="Bonjour, je n'ai pas reçu mon reçu",
            domain="communication",
            city=None,
        )
        s.add(email)
        await s.flush()
        await understanding.note_reassignment(s, email, "communication", None, lea.id, NOW)  # not moved
        await understanding.note_reassignment(s, email, "finance", None, lea.id, NOW)
    async with bot.services.db.session() as s:
        (row,) = list(await s.scalars(select(Correction)))
    assert (row.kind, row.read, row.expected, row.corrected_by) == (
        "inbox",
        "communication",
        "finance",
        lea.id,
    )
    assert row.text.startswith("Reçu fiscal") and row.email_id == email.id
    # An email deleted (its sender erased): the correction quoting it goes with it.
    async with bot.services.transaction() as s:
        await s.delete(await s.get(EmailMessage, email.id))
    async with bot.services.db.session() as s:
        assert list(await s.scalars(select(Correction))) == []

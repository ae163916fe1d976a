"""The daily retention job and /purge: inactive volunteers anonymised, old emails deleted, financial
records past 10 years listed to treasurers and deleted only when one of them confirms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from capabilities import privacy as privacy_capability
from capabilities.privacy import ANONYMOUS_NAME, purge_cutoff
from sandbox.bot_harness import COORDINATOR_ID
from storage import privacy as pq
from storage.events import create_event
from storage.models import (
    Ask,
    AuditLog,
    City,
    Donation,
    Donor,
    EmailMessage,
    Membership,
    Outbox,
    Participation,
    Person,
    RoleGrant,
)

NOW = datetime.now(UTC)
TODAY = NOW.date()


def days_after(count: int) -> list[datetime]:
    """Days to run the daily job on (tests/conftest.py keeps its own clock off): from tomorrow,
    `count` consecutive days within one month (the purge notice is monthly)."""
    start = 1
    while (NOW + timedelta(days=start)).month != (NOW + timedelta(days=start + count - 1)).month:
        start += 1
    return [NOW + timedelta(days=start + i) for i in range(count)]


async def add(bot: Any, *objects: Any) -> list[Any]:
    async with bot.services.db.session() as s:
        s.add_all(objects)
        await s.flush()
        return list(objects)


async def rows(bot: Any, model: Any, *where: Any) -> list[Any]:
    async with bot.services.db.session() as s:
        return list(await s.scalars(select(model).where(*where)))


def volunteer(
    tid: int, name: str, *, idle_days: int, last_active_days: int | None = None, **extra: Any
) -> Person:
    stamp = NOW - timedelta(days=idle_days)
    return Person(
        telegram_id=tid,
        first_name=name,
        username=name.lower(),
        skills=["tractage"],
        consent_version="v1",
        consent_at=stamp,
        created_at=stamp,
        updated_at=stamp,
        last_active_at=NOW - timedelta(days=last_active_days) if last_active_days is not None else None,
        **extra,
    )


async def seen(bot: Any, user: Any, before: int, expect: str) -> Any:
    return await bot.sb.wait_for(
        lambda: next((m for m in user.messages[before:] if expect in (m.plain or "")), None), 10, expect
    )


async def test_inactive_volunteers_are_anonymised_and_nobody_else(bot: Any) -> None:
    day1, day2 = days_after(2)
    async with bot.services.db.session() as s:
        lyon = await s.scalar(select(City).where(City.name == "Lyon"))
        assert lyon is not None
        old_event = await create_event(
            s,
            title="Vieille action",
            kind="stand",
            city_id=lyon.id,
            starts_at=NOW - timedelta(days=500),
            ends_at=NOW - timedelta(days=500),
            place="",
            description="",
            needs=[],
            created_by=None,
        )
        event_id = old_event.id
    gone, helper, answered, candidate, env_coord, member, recent, stale = await add(
        bot,
        volunteer(801, "Oubliée", idle_days=400, city_id=lyon.id),
        volunteer(802, "Participe", idle_days=400),
        volunteer(803, "Répond", idle_days=400),
        volunteer(804, "Candidate", idle_days=400),
        volunteer(COORDINATOR_ID, "Coordo", idle_days=400),
        volunteer(805, "Adhérente", idle_days=400),
        volunteer(806, "Active", idle_days=400, last_active_days=5),
        volunteer(807, "Ancienne", idle_days=10, last_active_days=400),  # last_active_at wins over updated_at
    )
    (donor,) = await add(bot, Donor(first_name="Adhérente", last_name="X", person_id=member.id))
    await add(
        bot,
        Participation(
            event_id=event_id,
            person_id=gone.id,
            status="yes",
            created_at=NOW - timedelta(days=500),
            updated_at=NOW - timedelta(days=500),
        ),
        Participation(
            event_id=event_id, person_id=helper.id, status="yes", updated_at=NOW - timedelta(days=10)
        ),
        Ask(
            event_id=event_id,
            role="stand",
            person_id=answered.id,
            asked_at=NOW - timedelta(days=31),
            answer="no",
            answered_at=NOW - timedelta(days=30),
        ),
        RoleGrant(person_id=candidate.id, role="candidate", scope="Lyon"),
        Membership(
            donor_id=donor.id,
            period_start=TODAY - timedelta(days=730),
            period_end=TODAY - timedelta(days=365),
            fee_cents=3000,
        ),
        AuditLog(
            action="person.profile_edited", subject=f"person:{gone.id}", details={"note": "Oubliée a changé"}
        ),
    )

    await privacy_capability.run_retention(bot.services, day1)

    (anonymous,) = await rows(bot, Person, Person.id == gone.id)
    assert anonymous.first_name == ANONYMOUS_NAME and anonymous.username is None and anonymous.skills == []
    assert anonymous.telegram_id == pq.sentinel_id(gone.id) < -(2**53) and anonymous.city_id is None
    assert not anonymous.reachable and anonymous.announcements_stopped
    # Past attendance figures stay right: the participation is kept, attached to nobody identifiable.
    assert await rows(bot, Participation, Participation.person_id == gone.id)
    (stale_row,) = await rows(bot, Person, Person.id == stale.id)
    assert stale_row.first_name == ANONYMOUS_NAME
    kept = {p.first_name for p in await rows(bot, Person, Person.telegram_id > 0)}
    assert kept == {"Participe", "Répond", "Candidate", "Coordo", "Adhérente", "Active"}
    audit = await rows(bot, AuditLog, AuditLog.action == "privacy.anonymised")
    assert sorted(a.subject for a in audit) == sorted([f"person:{gone.id}", f"person:{stale.id}"])
    (note,) = await rows(bot, AuditLog, AuditLog.action == "person.profile_edited")
    assert "Oubliée" not in str(note.details)

    # Once a day: a second tick changes nothing; the next day finds no one new.
    await add(bot, volunteer(808, "Tardive", idle_days=400))
    await privacy_capability.run_retention(bot.services, day1 + timedelta(minutes=5))
    assert (await rows(bot, Person, Person.telegram_id == 808))[0].first_name == "Tardive"
    await privacy_capability.run_retention(bot.services, day2)
    assert await rows(bot, Person, Person.telegram_id == 808) == []
    assert len(await rows(bot, AuditLog, AuditLog.action == "privacy.anonymised")) == 3


async def test_an_anonymised_person_starting_again_is_a_newcomer(bot: Any) -> None:
    (old,) = await add(bot, volunteer(810, "Revenante", idle_days=400))
    await privacy_capability.run_retention(bot.services, days_after(1)[0])
    user = bot.user(810, "Revenante")
    assert "prénom" in (await bot.reply(user, "/start")).plain
    await bot.reply(user, "/cancel")
    assert "aucune donnée" in (await bot.reply(user, "/mes_donnees")).plain
    assert (await rows(bot, Person, Person.id == old.id))[0].telegram_id < 0


async def test_old_emails_are_deleted_with_their_cards(bot: Any) -> None:
    old, new = await add(
        bot,
        EmailMessage(
            gmail_id="old",
            thread_id="t",
            sender="a@example.org",
            subject="Vieux",
            received_at=NOW - timedelta(days=1200),
            domain="secretariat",
            status="answered",
        ),
        EmailMessage(
            gmail_id="new",
            thread_id="u",
            sender="b@example.org",
            subject="Neuf",
            received_at=NOW - timedelta(days=30),
            domain="secretariat",
            status="answered",
        ),
    )
    await add(
        bot,
        Outbox(
            chat_id=42,
            payload={"text": "De a@example.org\u00a0: Vieux"},
            dedupe_key=f"inbox:{old.id}:card:f1",
            status="sent",
        ),
    )
    await privacy_capability.run_retention(bot.services, days_after(1)[0])
    assert [e.gmail_id for e in await rows(bot, EmailMessage)] == ["new"]
    (card,) = await rows(bot, Outbox, Outbox.dedupe_key == f"inbox:{old.id}:card:f1")
    assert card.payload == {}


async def test_old_financial_records_wait_for_a_treasurer(bot: Any) -> None:
    coord = bot.user(COORDINATOR_ID, "Camille")
    await bot.onboard(coord)
    tres = bot.user(701, "Nora", username="nora")
    await bot.onboard(tres)
    coord.send("/role @nora trésorier")
    await seen(bot, tres, 0, "trésorerie")
    cutoff = purge_cutoff(TODAY, 10)
    long_ago = datetime.combine(cutoff - timedelta(days=400), datetime.min.time(), UTC)
    old_donor, mixed, young = await add(
        bot,
        Donor(first_name="Ancien", last_name="Donateur", created_at=long_ago),
        Donor(first_name="Fidèle", last_name="Donatrice", created_at=long_ago),
        Donor(first_name="Jeune", last_name="Donateur", created_at=NOW),
    )
    old_gift, edge_gift, mixed_old, mixed_new, young_gift, just_inside = await add(
        bot,
        Donation(
            donor_id=old_donor.id,
            amount_cents=10000,
            method="chèque",
            received_on=cutoff - timedelta(days=300),
            ledger="party",
            kind="cotisation",
            receipt_number="P-2015-1",
        ),
        Donation(
            donor_id=old_donor.id,
            amount_cents=2000,
            method="espèces",
            received_on=cutoff,
            ledger="party",
            kind="don",
            receipt_number="P-2015-2",
        ),
        Donation(
            donor_id=mixed.id,
            amount_cents=3000,
            method="virement",
            received_on=cutoff - timedelta(days=5),
            ledger="party",
            kind="don",
        ),
        Donation(
            donor_id=mixed.id,
            amount_cents=4000,
            method="virement",
            received_on=TODAY,
            ledger="party",
            kind="don",
        ),
        Donation(
            donor_id=young.id,
            amount_cents=5000,
            method="carte",
            received_on=TODAY,
            ledger="party",
            kind="don",
        ),
        Donation(
            donor_id=mixed.id,
            amount_cents=6000,
            method="carte",
            received_on=cutoff + timedelta(days=1),
            ledger="party",
            kind="don",
        ),
    )
    (old_membership,) = await add(
        bot,
        Membership(
            donor_id=old_donor.id,
            donation_id=old_gift.id,
            period_start=cutoff - timedelta(days=300),
            period_end=cutoff - timedelta(days=1),
            fee_cents=10000,
        ),
    )
    await add(
        bot,
        AuditLog(
            action="donation.recorded",
            subject=f"donation:{old_gift.id}",
            details={"after": {"amount_cents": 10000, "donor_id": old_donor.id}},
        ),
    )

    day1, day2 = days_after(2)
    before = len(tres.messages)
    await privacy_capability.run_retention(bot.services, day1)
    await bot.outbox_idle()
    notice = await seen(bot, tres, before, "durée légale de conservation")
    # The job ran "tomorrow": by then the gift of cutoff + 1 day is past the limit too.
    assert "4 dons, 1 adhésion, 1 fiche de donateur et" in notice.plain and "/purge" in notice.plain
    assert len(await rows(bot, Donation)) == 6  # nothing deleted without a treasurer
    await privacy_capability.run_retention(bot.services, day2)
    await bot.outbox_idle()
    assert len([m for m in tres.messages if "durée légale" in m.plain]) == 1  # once a month at most

    # Coordinators may not purge; the treasurer sees the list, may cancel, then confirms.
    before = len(coord.messages)
    coord.send("/purge")
    await seen(bot, coord, before, "réservée")
    before = len(tres.messages)
    tres.send("/purge")
    preview = await seen(bot, tres, before, "Pièces de plus de 10 ans")
    assert "3 dons, 1 adhésion, 1 fiche" in preview.plain
    assert "Ancien Donateur" in preview.plain and "P-2015-1" in preview.plain and "100,00" in preview.plain
    tres.press(preview, text="Annuler")
    await seen(bot, tres, before, "annulé")
    assert len(await rows(bot, Donation)) == 6
    before = len(tres.messages)
    tres.send("/purge")
    preview = await seen(bot, tres, before, "Pièces de plus de 10 ans")
    tres.press(preview, text="Purger définitivement")
    done = await seen(bot, tres, before, "Purge faite")
    assert "3 dons, 1 adhésion et 1 fiche" in done.plain

    left = {d.id for d in await rows(bot, Donation)}
    assert left == {mixed_new.id, young_gift.id, just_inside.id}
    assert not {old_gift.id, edge_gift.id, mixed_old.id} & left
    assert await rows(bot, Membership, Membership.id == old_membership.id) == []
    assert {d.id for d in await rows(bot, Donor)} == {mixed.id, young.id}
    (trail,) = await rows(bot, AuditLog, AuditLog.subject == f"donation:{old_gift.id}")
    assert trail.details == {"purged": True}
    (purged,) = await rows(bot, AuditLog, AuditLog.action == "privacy.purged")
    assert purged.details["donations"] == 3 and purged.actor_id is not None
    before = len(tres.messages)
    tres.send("/purge")
    await seen(bot, tres, before, "rien à purger")

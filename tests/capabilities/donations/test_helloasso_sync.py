"""The HelloAsso sync against the fake HelloAsso server: each payment recorded once, with the law."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import Services
from capabilities.donations import helloasso
from capabilities.donations.checking import Entry
from capabilities.donations.recording import record
from domain.statuses import DonationKind, DonationStatus, PaymentMethod
from integrations.helloasso import HelloAssoClient, Payment
from sandbox.helloasso import FakeHelloAsso
from storage import donations as q
from storage.models import AuditLog, Donation, Donor, Event, Membership, Outbox, Person, RoleGrant
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005, "trust_env": False}
CAMILLE = {
    "first_name": "Camille",
    "last_name": "Martin",
    "address": "12 rue de la République",
    "postcode": "69002",
    "city": "Lyon",
    "country": "FR",
    "nationality": "FR",
    "sworn_declaration_at": datetime(2026, 1, 1, tzinfo=UTC),
}


@pytest.fixture
def fake() -> Iterator[FakeHelloAsso]:
    with FakeHelloAsso() as server:
        yield server
        assert not server.server_errors, server.server_errors


def services_for(
    db: Any, db_target: Any, fake: FakeHelloAsso, client: HelloAssoClient | None = None
) -> Services:
    settings = make_settings(
        db_target,
        helloasso_api_url=fake.url,
        helloasso_client_id=fake.client_id,
        helloasso_client_secret=fake.client_secret,
        helloasso_organization_slug=fake.organization_slug,
    )
    services = Services(settings, db)
    services.extras[helloasso.CLIENT_EXTRA] = client or HelloAssoClient(
        fake.settings(), clock=fake.clock, **FAST
    )
    return services


@pytest.fixture
async def services(db: Any, db_target: Any, fake: FakeHelloAsso) -> AsyncIterator[Services]:
    svc = services_for(db, db_target, fake)
    async with db.session() as s:
        person = Person(telegram_id=555, first_name="Nora", consent_version="v", consent_at=NOW)
        person.grants.append(RoleGrant(role="treasurer", scope=""))
        s.add(person)
        s.add(Donor(**CAMILLE))
    yield svc
    await helloasso.client_of(svc).aclose()


async def rows(services: Services) -> list[Donation]:
    async with services.db.session() as s:
        return list(await s.scalars(select(Donation).order_by(Donation.id)))


async def outbox_keys(services: Services, prefix: str) -> list[str]:
    async with services.db.session() as s:
        keys = await s.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.startswith(prefix)))
        return sorted(k for k in keys if k)


def by_id(report: helloasso.SyncReport) -> dict[int, helloasso.PaymentReport]:
    return {p.id: p for p in report.payments}


async def test_tip_company_foreigner_and_unknown_payer_then_a_second_run_adds_nothing(
    services: Services, fake: FakeHelloAsso
) -> None:
    async with services.db.session() as s:  # a German living in Berlin, already in the register
        s.add(
            Donor(
                first_name="Hans",
                last_name="Müller",
                address="5 Hauptstraße",
                postcode="10115",
                city="Berlin",
                country="DE",
                nationality="DE",
            )
        )
    tipped = fake.add_tipped_payment(2000, tip_cents=250)["id"]
    company = fake.add_company_payment(50_000)["id"]
    foreigner = fake.add_payment(
        10_000,
        first_name="Hans",
        last_name="Müller",
        address="5 Hauptstraße",
        zip_code="10115",
        city="Berlin",
        country="DEU",
    )["id"]
    unknown = fake.add_payment(3000, first_name="Inès", last_name="Nouvelle", address="1 rue Neuve")["id"]
    pending = fake.add_payment(1500, state="Pending")["id"]

    report = await helloasso.sync(services, now=NOW)
    got = by_id(report)
    assert got[tipped].status == "ok" and got[tipped].amount_cents == 2000  # the tip is not counted
    assert any("pourboire" in r for r in got[tipped].reasons)
    assert got[company].status == "refused"
    assert got[foreigner].status == "refused"
    assert got[unknown].status == "skipped"  # nationality unknown: held, nothing stored
    assert got[pending].status == "skipped"
    assert report.added == 3

    stored = {d.provider_tx_id: d for d in await rows(services)}
    assert set(stored) == {str(tipped), str(company), str(foreigner)}
    assert stored[str(tipped)].amount_cents == 2000 and stored[str(tipped)].status == DonationStatus.RECORDED
    assert stored[str(tipped)].receipt_number and stored[str(tipped)].method == PaymentMethod.PLATEFORME
    assert (
        stored[str(company)].status == DonationStatus.TO_REFUND
        and stored[str(company)].receipt_number is None
    )
    assert stored[str(foreigner)].status == DonationStatus.TO_REFUND
    async with services.db.session() as s:
        company_donor = await s.get(Donor, stored[str(company)].donor_id)
        assert company_donor is not None and company_donor.donor_type == "morale"
    # The treasurer: the usual alert for each row, how to refund the two refused, the held one.
    assert len(await outbox_keys(services, "don:alert:")) == 3
    assert await outbox_keys(services, "ha:refund:") == [f"ha:refund:{company}:1", f"ha:refund:{foreigner}:1"]
    assert await outbox_keys(services, "ha:held:") == [f"ha:held:{unknown}:1"]
    async with services.db.session() as s:
        refund = await s.scalar(select(Outbox).where(Outbox.dedupe_key == f"ha:refund:{company}:1"))
        assert refund is not None and "Rembourser" in refund.payload["text"]

    again = await helloasso.sync(services, now=NOW)
    assert again.added == 0
    assert {p.id: p.status for p in again.payments} == {p.id: p.status for p in report.payments}
    assert len(await rows(services)) == 3
    assert len(await outbox_keys(services, "don:alert:")) == 3  # alerted once
    assert len(await outbox_keys(services, "ha:")) == 3


async def test_a_refund_and_a_chargeback_after_recording_are_reversed_once(
    services: Services, fake: FakeHelloAsso
) -> None:
    paid = fake.add_payment(3000, form_type="Membership", form_slug="adhesion")["id"]
    disputed = fake.add_payment(4000)["id"]
    assert (await helloasso.sync(services, now=NOW)).added == 2
    [cotisation, don] = await rows(services)
    assert cotisation.kind == DonationKind.COTISATION and don.kind == DonationKind.DON
    async with services.db.session() as s:
        assert (await s.scalars(select(Membership))).all()

    fake.refund(paid)
    fake.contest(disputed)
    report = await helloasso.sync(services, now=NOW)
    assert report.added == 0 and {p.status for p in report.payments} == {"skipped"}
    assert {d.status for d in await rows(services)} == {DonationStatus.REFUNDED}
    assert cotisation.donor_id is not None
    async with services.db.session() as s:
        assert not (await q.accepted_gifts_of(s, cotisation.donor_id))  # out of the caps
    await helloasso.sync(services, now=NOW)
    assert len(await outbox_keys(services, "ha:reversed:")) == 2
    async with services.db.session() as s:
        audits = (await s.scalars(select(AuditLog).where(AuditLog.action == "donation.refunded"))).all()
    assert len(audits) == 2  # reversed once, not at every sync


async def test_a_donor_crossing_the_cap_across_a_don_gift_and_helloasso(
    services: Services, fake: FakeHelloAsso
) -> None:
    async with services.transaction() as s:  # 7 000 € typed in /don (same recording path)
        camille = await s.scalar(select(Donor).where(Donor.last_name == "Martin"))
        entry = Entry(700_000, PaymentMethod.VIREMENT, DonationKind.DON, date(2026, 1, 2))
        await record(s, services.settings, entry, camille, findings=[], request_key="don:test", actor=None)
    fits = fake.add_payment(40_000)["id"]  # 7 400 €: warned, accepted
    over = fake.add_payment(20_000)["id"]  # 7 600 €: above 7 500 €, refused
    report = by_id(await helloasso.sync(services, now=NOW))
    assert report[fits].status == "warned"
    assert report[over].status == "refused"
    assert any("7\u202f600,00\xa0€" in r for r in report[over].reasons)  # counted across sources
    stored = {d.provider_tx_id: d.status for d in await rows(services)}
    assert stored[str(fits)] == DonationStatus.RECORDED and stored[str(over)] == DonationStatus.TO_REFUND


async def test_a_page_boundary_and_a_token_expiring_mid_sync(
    db: Any, db_target: Any, services: Services, fake: FakeHelloAsso
) -> None:
    ids = [p["id"] for p in fake.add_many(7, amount_cents=1000)]

    class Expiring(HelloAssoClient):
        async def payments(self, since: datetime, until: datetime | None = None) -> AsyncIterator[Payment]:
            n = 0
            async for payment in super().payments(since, until):
                n += 1
                if n == 3:
                    fake.expire_access_tokens()  # the server drops the token between pages
                yield payment

    client = Expiring(fake.settings(), clock=fake.clock, page_size=3, **FAST)
    report = await helloasso.sync(services, now=NOW, client=client)
    await client.aclose()
    assert [p.id for p in report.payments] == ids and report.added == 7
    assert len([r for r in fake.requests if r.status == 401]) == 1
    assert len(await rows(services)) == 7


async def test_a_notification_then_the_sync_records_once_with_the_apis_figures(
    services: Services, fake: FakeHelloAsso
) -> None:
    payment_id = fake.add_payment(2500)["id"]
    body = fake.notification_body(payment_id).replace(b'"amount": 2500', b'"amount": 1')
    [one] = await helloasso.notified(services, body, NOW)
    assert one.status == "ok" and one.added == 1
    assert [d.amount_cents for d in await rows(services)] == [2500]  # re-fetched, never the body
    assert fake.calls(rf"^/v5/payments/{payment_id}$")
    report = await helloasso.sync(services, now=NOW)
    assert report.added == 0 and len(await rows(services)) == 1
    [again] = await helloasso.notified(services, fake.notification_body(payment_id, "Order"), NOW)
    assert again.added == 0 and len(await outbox_keys(services, "don:alert:")) == 1


async def test_two_concurrent_syncs_record_each_payment_once(
    db: Any, db_target: Any, services: Services, fake: FakeHelloAsso
) -> None:
    fake.add_many(6, amount_cents=1000)
    other = services_for(db, db_target, fake)
    first, second = await asyncio.gather(helloasso.sync(services, now=NOW), helloasso.sync(other, now=NOW))
    await helloasso.client_of(other).aclose()
    assert first.added + second.added == 6
    stored = await rows(services)
    assert len(stored) == 6 and len({d.provider_tx_id for d in stored}) == 6
    assert len(await outbox_keys(services, "don:alert:")) == 6


async def test_an_event_ticket_is_linked_to_its_event_and_a_payment_typed_in_don_is_not_recorded_twice(
    services: Services, fake: FakeHelloAsso
) -> None:
    async with services.db.session() as s:
        event = Event(
            title="Dîner de soutien",
            kind="levee_de_fonds",
            starts_at=datetime(2026, 2, 1, 19, tzinfo=UTC),
            ends_at=datetime(2026, 2, 1, 23, tzinfo=UTC),
            helloasso_form_slug="diner-de-soutien",
        )
        s.add(event)
        await s.flush()
        event_id = event.id
    # A ticket with a don added on the event's form, and a don on another form linked to nothing.
    ticket = fake.add_payment(
        3500,
        form_type="Event",
        form_slug="diner-de-soutien",
        items=[("Registration", 3000), ("Donation", 500)],
    )["id"]
    typed = fake.add_payment(1200)["id"]
    async with services.transaction() as s:  # the treasurer typed "HelloAsso <id>" in /don
        camille = await s.scalar(select(Donor).where(Donor.last_name == "Martin"))
        entry = Entry(
            1200,
            PaymentMethod.PLATEFORME,
            DonationKind.DON,
            date(2026, 1, 5),
            provider="HelloAsso",
            provider_tx_id=str(typed),
        )
        await record(s, services.settings, entry, camille, findings=[], request_key="don:typed", actor=None)
    report = by_id(await helloasso.sync(services, now=NOW))
    assert report[typed].status == "ok" and report[typed].added == 0
    # docs/legal-rules.md has no ticket kind: a ticket is a don with something in return (rule 31:
    # no tax reduction, WARN), counted in the caps; the don added is a plain don. Both count
    # toward the event.
    assert report[ticket].status == "warned" and report[ticket].added == 2
    booked = [d for d in await rows(services) if d.provider_tx_id == str(ticket)]
    got = [
        (d.request_key, d.kind, d.amount_cents, d.event_id, [f["code"] for f in d.findings]) for d in booked
    ]
    assert got == [
        (f"helloasso:{ticket}", "don", 3000, event_id, ["no_tax_reduction_consideration"]),
        (f"helloasso:{ticket}:don", "don", 500, event_id, []),
    ]
    assert len(await rows(services)) == 3


async def test_the_job_does_nothing_without_settings_and_the_payout_report_groups_by_payout(
    db: Any, db_target: Any, services: Services, fake: FakeHelloAsso
) -> None:
    bare = Services(make_settings(db_target), db)
    assert await helloasso.run(bare, NOW) == 0 and not fake.requests
    a, b = fake.add_payment(1000)["id"], fake.add_tipped_payment(2000, tip_cents=300)["id"]
    c, refunded = fake.add_payment(4000)["id"], fake.add_payment(500)["id"]
    late = fake.add_payment(700)["id"]
    fake.refund(refunded)
    paris = services.settings.tz
    fake.cash_out([a, b], 9001, datetime(2026, 2, 3, 10, tzinfo=paris))
    fake.cash_out([c], 9002, datetime(2026, 2, 17, 10, tzinfo=paris))
    fake.cash_out([late], 9003, datetime(2026, 3, 2, 10, tzinfo=paris))
    groups = await helloasso.payouts(services, date(2026, 2, 1))
    assert [(g.id, g.count, g.amount_cents, g.tip_cents) for g in groups] == [
        (9001, 2, 3000, 300),
        (9002, 1, 4000, 0),
    ]
    assert "9001" in helloasso.format_payouts(groups)


async def test_cash_the_association_entered_itself_keeps_the_cash_limit(
    services: Services, fake: FakeHelloAsso
) -> None:
    cash = fake.add_payment(20_000, state="Registered", means="Cash")["id"]
    report = by_id(await helloasso.sync(services, now=NOW))
    assert report[cash].status == "refused"  # 200 € in cash: above 150 €
    [row] = await rows(services)
    assert row.method == PaymentMethod.ESPECES and row.status == DonationStatus.TO_REFUND
    # Never paid through HelloAsso: the treasurer gives it back by hand, not from HelloAsso.
    assert "en main propre" in row.reason and "espace HelloAsso" not in row.reason
    async with services.db.session() as s:
        [alert] = await s.scalars(select(Outbox).where(Outbox.dedupe_key.startswith("ha:refund:")))
    text = alert.payload["text"]
    assert (
        "rendez-le vous-même" in text
        and "espèces" in text
        and "Remboursez-le depuis votre espace" not in text
    )

"""A month of real use, seeded in bulk: what tests and `python -m bench month` open every view against.

`seed_month(services)` writes, through the bot's own storage, what thirty days of a movement leave
behind (issue 18): 6 cities with their groups, 400 members (coordinators, treasurers, candidates,
domain leads, volunteers), 60 events with 1,131 answers, 250 emails (a backlog of late ones for
several leads), 446 donations (some with the law's warnings), 151 memberships (some due for
renewal), personal-data requests near their legal deadline, communication requests left waiting.

Everything is fictional and deterministic for a given `seed` and `now`. Rows go in with bulk
inserts: no use case runs, so nothing is queued in the outbox. The returned `MonthFacts` holds the
ids and counts tests assert against.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bot.services import Services
from capabilities.donations.checking import findings_json
from domain.law import PARTY_LEDGER_ID, Finding, campaign_ledger_id
from domain.law.model import ART_PARTY_DONORS, ART_PLATFORM
from domain.people import Domain, Role
from domain.roles import ROLES
from domain.statuses import (
    ComRequestKind,
    ComRequestStatus,
    DonationKind,
    DonationStatus,
    EmailStatus,
    EventStatus,
    PaymentMethod,
    RequestKind,
    RsvpSource,
    RsvpStatus,
)
from storage.models import (
    CampaignLedger,
    Chat,
    City,
    ComRequest,
    DataRequest,
    Donation,
    Donor,
    EmailMessage,
    Event,
    Membership,
    Need,
    Participation,
    Person,
    ReceiptCounter,
    RoleGrant,
)

NATIONAL_TITLE = "Journée nationale de mobilisation"
ELECTION = "municipales-2026"
# Telegram ids of the seeded people: first_telegram_id + index (index 0 is the first coordinator).
FIRST_TELEGRAM_ID = 700_000
CHAT_BASE = -1_007_000_000

FIRST_NAMES = [
    "Camille",
    "Rachid",
    "Hugo",
    "Inès",
    "Léa",
    "Malik",
    "Chloé",
    "Yanis",
    "Sarah",
    "Théo",
    "Nadia",
    "Lucas",
    "Manon",
    "Karim",
    "Jade",
    "Noé",
    "Amina",
    "Louis",
    "Zoé",
    "Mehdi",
    "Clara",
    "Hamza",
    "Lina",
    "Jules",
    "Salomé",
    "Adam",
    "Elsa",
    "Nathan",
    "Maëlys",
    "Bilal",
    "Anaïs",
    "Tom",
    "Yasmine",
    "Hélène",
    "Victor",
    "Leïla",
    "Paul",
    "Océane",
    "Samir",
    "Margaux",
    "Antoine",
    "Sofia",
    "Gabriel",
    "Emma",
    "Ryan",
    "Louise",
    "Arthur",
    "Rose",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
]
KINDS = ("tractage", "porte-à-porte", "collage", "stand", "réunion publique", "boîtage")
SUBJECTS = (
    "Demande d'interview",
    "Proposition de salle pour une réunion",
    "Question sur l'adhésion",
    "Reçu fiscal pas reçu",
    "Invitation à un débat",
    "Je voudrais aider pendant la campagne",
    "Erreur sur le site",
    "Demande de visuels pour le marché",
    "Procuration : comment faire ?",
    "Partenariat avec une association",
    "Remboursement de frais",
    "Article de presse locale",
)
LEAD_DOMAINS = (Domain.SECRETARIAT, Domain.COMMUNICATION, Domain.FINANCE, Domain.WEBSITE, Domain.CAMPAIGN)


@dataclass(frozen=True)
class Seeded:
    """One seeded person, as tests drive them: their Telegram id and first name."""

    person_id: int
    telegram_id: int
    first_name: str


@dataclass
class MonthFacts:
    now: datetime
    city_ids: dict[str, int]  # the 6 active cities, by name
    empty_city_names: list[str]  # cities that exist but saw nothing this month
    coordinators: list[Seeded]
    treasurers: list[Seeded]
    candidates: dict[str, Seeded]  # by city name
    leads: dict[Domain, Seeded]  # by domain; the secretariat lead is "Hugo"
    volunteers: list[Seeded]
    members: int
    events: int
    upcoming_event_ids: list[int]
    national_event_id: int
    national_missing: int  # people still missing for the national event
    answers: int
    emails: int
    pending_emails: int  # new or assigned, nobody took them
    unrouted_emails: int
    late_by_assignee: dict[int, int]  # person id → emails unclaimed for more than the escalation delay
    oldest_late_at: dict[int, datetime]  # person id → when their oldest late email came
    oldest_pending_email_id: int
    donations: int
    donations_with_warnings: list[int]
    warnings_by_code: dict[str, int]
    memberships: int
    memberships_to_renew: list[int]  # ending within 30 days, not yet renewed
    data_requests_near_deadline: list[int]  # open, their one-month deadline within 7 days
    com_requests_late: list[int]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hugo(self) -> Seeded:
        return self.leads[Domain.SECRETARIAT]


def _working_morning(when: datetime, tz: ZoneInfo) -> datetime:
    """07:00 local on that day, or on the Friday before a weekend: an email received then and still
    untouched three days later is past the escalation delay (8 working hours) whatever the weekday."""
    day = when.astimezone(tz).date()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(7, 0), tz).astimezone(UTC)


def _name(rng: random.Random, i: int) -> tuple[str, str]:
    return FIRST_NAMES[i % len(FIRST_NAMES)], rng.choice(LAST_NAMES)


async def seed_month(
    services: Services,
    *,
    now: datetime | None = None,
    cities: int = 6,
    members: int = 400,
    events: int = 60,
    answers: int = 1131,
    emails: int = 250,
    donations: int = 446,
    memberships: int = 151,
    seed: int = 0,
    first_telegram_id: int = FIRST_TELEGRAM_ID,
) -> MonthFacts:
    """Seed a month of use ending at `now` (default: the current time) and return what was written."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    start = now - timedelta(days=30)
    settings = services.settings
    tz = settings.tz
    async with services.transaction() as s:
        # --- Cities and their groups -------------------------------------------------------------
        all_cities = list(await s.scalars(select(City).order_by(City.id)))
        while len(all_cities) < cities:
            new_city = City(name=f"Ville {len(all_cities) + 1}", aliases=[], created_at=start)
            s.add(new_city)
            await s.flush()
            all_cities.append(new_city)
        active = all_cities[:cities]
        city_ids = {c.name: c.id for c in active}
        names = list(city_ids)
        await s.execute(
            insert(Chat),
            [
                {
                    "id": CHAT_BASE - i,
                    "type": "supergroup",
                    "title": f"Mouvement {c.name}",
                    "city_id": c.id,
                    "purpose": "city",
                    "active": True,
                    "created_at": start,
                }
                for i, c in enumerate(active)
            ],
        )

        # --- People: coordinators, treasurers, one candidate per city, one lead per domain ---------
        specials = 2 + 2 + len(active) + len(LEAD_DOMAINS)
        n_people = max(members, specials + 10)
        person_rows = []
        for i in range(n_people):
            first, _ = _name(rng, i)
            if i == 2 + 2 + len(active):  # the first lead (secretariat) is Hugo
                first = "Hugo"
            elif first == "Hugo":
                first = "Hugues"
            joined = start + timedelta(minutes=rng.randint(0, 30 * 24 * 60 - 1))
            if i < specials:
                joined = start - timedelta(days=200)
            elif i >= n_people - 12:  # a dozen joined yesterday: the digest's new volunteers
                joined = now - timedelta(hours=rng.randint(1, 20))
            person_rows.append(
                {
                    "telegram_id": first_telegram_id + i,
                    "first_name": first,
                    "username": None,
                    "language": "fr",
                    "city_id": active[i % len(active)].id,
                    "skills": rng.sample(list(ROLES[:6]), k=rng.randint(1, 3)),
                    "consent_version": "month",
                    "consent_at": joined,
                    "reachable": True,
                    "asks_paused": False,
                    "digest_hour": 8,
                    "digest_paused": False,
                    "announcements_stopped": False,
                    "last_active_at": now - timedelta(days=rng.randint(0, 20)),
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
        await s.execute(insert(Person), person_rows)
        people = list(
            (
                await s.execute(
                    select(Person.id, Person.telegram_id, Person.first_name)
                    .where(Person.telegram_id >= first_telegram_id)
                    .where(Person.telegram_id < first_telegram_id + n_people)
                    .order_by(Person.telegram_id)
                )
            ).all()
        )
        seeded = [Seeded(pid, tid, first) for pid, tid, first in people]
        coordinators, treasurers = seeded[0:2], seeded[2:4]
        candidates = {c.name: seeded[4 + i] for i, c in enumerate(active)}
        leads = {d: seeded[4 + len(active) + i] for i, d in enumerate(LEAD_DOMAINS)}
        volunteers = seeded[specials:]
        grants: list[dict[str, Any]] = []
        grants += [{"person_id": p.person_id, "role": Role.COORDINATOR, "scope": ""} for p in coordinators]
        grants += [{"person_id": p.person_id, "role": Role.TREASURER, "scope": ""} for p in treasurers]
        grants += [
            {"person_id": p.person_id, "role": Role.CANDIDATE, "scope": city}
            for city, p in candidates.items()
        ]
        grants += [{"person_id": p.person_id, "role": Role.LEAD, "scope": d} for d, p in leads.items()]
        await s.execute(insert(RoleGrant), [{**g, "granted_at": start - timedelta(days=200)} for g in grants])

        # --- Events: past and coming, in the cities, and national ones -----------------------------
        event_rows = []
        for i in range(events):
            national = i == 0 or i % 15 == 7
            if i == 0:
                starts = (now + timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0)
                title, kind = NATIONAL_TITLE, "réunion publique"
            else:
                offset = timedelta(hours=rng.randint(-26 * 24, 14 * 24))
                starts = (now + offset).replace(minute=0, second=0, microsecond=0)
                kind = rng.choice(KINDS)
                title = f"{kind.capitalize()} {rng.choice(['du marché', 'de quartier', 'en centre-ville', 'de la gare', 'du samedi'])}"
                if national:
                    title = f"Rencontre nationale {i}"
            past = starts < now
            event_rows.append(
                {
                    "title": title,
                    "kind": kind,
                    "city_id": None if national else active[i % len(active)].id,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "place": "Place de la République" if national else f"Salle {i}",
                    "description": "",
                    "status": EventStatus.DONE if past and i % 3 == 0 else EventStatus.SCHEDULED,
                    "created_by": coordinators[0].person_id,
                    "created_at": min(starts, now) - timedelta(days=7),
                    "updated_at": min(starts, now) - timedelta(days=7),
                    "revision": 0,
                    "gcal_synced_revision": -1,
                }
            )
        await s.execute(insert(Event), event_rows)
        event_list = list(
            (
                await s.execute(
                    select(Event.id, Event.starts_at, Event.city_id, Event.title)
                    .where(Event.created_by == coordinators[0].person_id)
                    .order_by(Event.id)
                )
            ).all()
        )[-events:]
        event_ids = [e[0] for e in event_list]
        national_id = event_ids[0]
        needs: list[dict[str, Any]] = []
        need_counts: dict[int, dict[str, int]] = {}
        for idx, (eid, *_rest) in enumerate(event_list):
            roles = {"tractage": 8, "logistique": 4, "stand": 3} if idx == 0 else {}
            if idx:
                for role in rng.sample(["tractage", "collage", "stand", "logistique"], k=rng.randint(1, 2)):
                    roles[role] = rng.randint(3, 8)
            need_counts[eid] = roles
            needs += [{"event_id": eid, "role": r, "count": c} for r, c in roles.items()]
        await s.execute(insert(Need), needs)

        # --- Answers: unique (event, person); the national event stays understaffed ----------------
        volunteer_ids = [v.person_id for v in volunteers]
        national_yes = 5
        pairs: set[tuple[int, int]] = set()
        answer_rows: list[tuple[int, int, RsvpStatus, str | None]] = []
        statuses = [RsvpStatus.YES] * 6 + [RsvpStatus.MAYBE] * 2 + [RsvpStatus.NO, RsvpStatus.WAITLIST]
        for v in rng.sample(volunteer_ids, national_yes):
            pairs.add((national_id, v))
            answer_rows.append((national_id, v, RsvpStatus.YES, "tractage"))
        others = event_ids[1:]
        while len(answer_rows) < answers and others:
            eid, pid = rng.choice(others), rng.choice(volunteer_ids)
            if (eid, pid) in pairs:
                continue
            pairs.add((eid, pid))
            answer = rng.choice(statuses)
            role_names: list[str | None] = [*need_counts[eid]] or [None]
            answer_rows.append(
                (eid, pid, answer, rng.choice(role_names) if answer != RsvpStatus.NO else None)
            )
        starts_of = {e[0]: e[1] for e in event_list}
        await s.execute(
            insert(Participation),
            [
                {
                    "event_id": eid,
                    "person_id": pid,
                    "status": status,
                    "role": role,
                    "guests": 0,
                    "source": RsvpSource.BUTTON,
                    "created_at": min(now, starts_of[eid]) - timedelta(days=2),
                    "updated_at": min(now, starts_of[eid]) - timedelta(days=2),
                }
                for eid, pid, status, role in answer_rows
            ],
        )
        national_missing = sum(need_counts[national_id].values()) - national_yes

        # --- Emails: answered, claimed, new, and a backlog of late ones for several leads ----------
        hugo = leads[Domain.SECRETARIAT]
        late_plan = [(hugo, 9, 28), (leads[Domain.COMMUNICATION], 5, 12), (leads[Domain.FINANCE], 3, 4)]
        email_rows: list[dict[str, Any]] = []

        def email(i: int, received: datetime, **values: Any) -> dict[str, Any]:
            row = {
                "gmail_id": f"month-{seed}-{i}",
                "thread_id": f"month-t-{seed}-{i}",
                "sender": f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}@exemple.fr",
                "reply_to": "",
                "subject": f"{rng.choice(SUBJECTS)} ({i + 1})",
                "received_at": received,
                "excerpt": "Bonjour, je me permets de vous écrire au sujet de…",
                "attachments": [],
                "message_id_header": f"<month-{seed}-{i}@exemple.fr>",
                "references": "",
                "domain": Domain.SECRETARIAT,
                "city": None,
                "confidence": 0.9,
                "auto_routed": True,
                "status": EmailStatus.ANSWERED,
                "created_at": received,
                "updated_at": received,
            }
            row.update(values)
            return row

        late_by: Counter[int] = Counter()
        oldest_late: dict[int, datetime] = {}
        for lead, count, days in late_plan:
            domain = next(d for d, p in leads.items() if p == lead)
            for k in range(count):
                received = _working_morning(
                    now - timedelta(days=max(3, days - k * max(1, days // (count + 1)))), tz
                )
                email_rows.append(
                    email(
                        len(email_rows),
                        received,
                        domain=domain,
                        status=EmailStatus.ASSIGNED,
                        assignee_id=lead.person_id,
                        reminded_at=received + timedelta(hours=6),
                    )
                )
                late_by[lead.person_id] += 1
                oldest_late[lead.person_id] = min(oldest_late.get(lead.person_id, received), received)
        n_unrouted = 4
        for _ in range(n_unrouted):
            received = now - timedelta(hours=rng.randint(2, 40))
            email_rows.append(
                email(len(email_rows), received, status=EmailStatus.NEW, confidence=0.2, auto_routed=False)
            )
        while len(email_rows) < emails:
            received = now - timedelta(minutes=rng.randint(60, 30 * 24 * 60))
            domain = rng.choice(LEAD_DOMAINS)
            lead = leads[domain]
            recent = now - received < timedelta(hours=3)
            status = (
                EmailStatus.ASSIGNED
                if recent
                else rng.choice([EmailStatus.ANSWERED] * 5 + [EmailStatus.SPAM])
            )
            email_rows.append(
                email(
                    len(email_rows),
                    received,
                    domain=domain,
                    city=rng.choice(names) if domain == Domain.CAMPAIGN else None,
                    status=status,
                    assignee_id=lead.person_id if status != EmailStatus.SPAM else None,
                    claimed_by=lead.person_id if status == EmailStatus.ANSWERED else None,
                    claimed_at=received + timedelta(hours=2) if status == EmailStatus.ANSWERED else None,
                    answered_at=received + timedelta(hours=5) if status == EmailStatus.ANSWERED else None,
                )
            )
        await s.execute(insert(EmailMessage), email_rows)
        pending = list(
            (
                await s.execute(
                    select(EmailMessage.id, EmailMessage.received_at)
                    .where(EmailMessage.gmail_id.like(f"month-{seed}-%"))
                    .where(EmailMessage.status.in_([EmailStatus.NEW, EmailStatus.ASSIGNED]))
                    .order_by(EmailMessage.received_at)
                )
            ).all()
        )

        # --- Money: donors, donations (some with warnings), memberships ----------------------------
        campaign_cities = names[:2]
        ledgers = {name: campaign_ledger_id(name, ELECTION) for name in campaign_cities}
        await s.execute(
            insert(CampaignLedger),
            [
                {
                    "id": lid,
                    "city": name,
                    "election_id": ELECTION,
                    "population": 150_000,
                    "mandataire_declared": True,
                    "bank_account": "",
                }
                for name, lid in ledgers.items()
            ],
        )
        n_donors = max(1, donations // 2 + memberships // 2)
        donor_rows = []
        for i in range(n_donors):
            first, last = _name(rng, i + 7)
            linked = seeded[specials + i] if i < memberships and specials + i < len(seeded) else None
            donor_rows.append(
                {
                    "donor_type": "physique",
                    "civility": rng.choice(["M.", "Mme"]),
                    "first_name": linked.first_name if linked else first,
                    "last_name": last,
                    "organisation": "",
                    "address": f"{rng.randint(1, 120)} rue des Lilas",
                    "postcode": f"{rng.randint(10, 95)}000",
                    "city": rng.choice(names),
                    "country": "FR",
                    "email": f"donateur{i}@exemple.fr",
                    "nationality": "française",
                    "tax_residence": "FR",
                    "elected_mandate": "",
                    "sworn_declaration_at": start if i % 7 else None,
                    "person_id": linked.person_id if linked else None,
                    "created_at": start,
                }
            )
        await s.execute(insert(Donor), donor_rows)
        donors = list(
            (
                await s.execute(
                    select(Donor.id, Donor.sworn_declaration_at, Donor.person_id)
                    .where(Donor.email.like("donateur%@exemple.fr"))
                    .order_by(Donor.id)
                )
            ).all()
        )[-n_donors:]
        counters: Counter[tuple[str, int]] = Counter()
        donation_rows = []
        warned_keys: list[str] = []
        warnings: Counter[str] = Counter()
        for i in range(donations):
            donor_id, sworn, _ = donors[i % len(donors)]
            received_on = (start + timedelta(days=rng.randint(0, 29))).date()
            list_city = rng.choice(campaign_cities) if i % 5 == 0 else None
            ledger = ledgers[list_city] if list_city else PARTY_LEDGER_ID
            method = rng.choice(
                [
                    PaymentMethod.CARTE,
                    PaymentMethod.CARTE,
                    PaymentMethod.VIREMENT,
                    PaymentMethod.CHEQUE,
                    PaymentMethod.PLATEFORME,
                ]
            )
            findings: list[Finding] = []
            if sworn is None:
                findings.append(
                    Finding(
                        "warn",
                        "sworn_declaration_missing",
                        ART_PARTY_DONORS,
                        {"statement": "campaign" if list_city else "party", "article": ART_PARTY_DONORS},
                    )
                )
            if method == PaymentMethod.PLATEFORME and i % 3 == 0:
                findings.append(
                    Finding("warn", "platform_tx_missing", ART_PLATFORM, {"article": ART_PLATFORM})
                )
            counters[(ledger, received_on.year)] += 1
            n = counters[(ledger, received_on.year)]
            number = (
                f"MVT-{received_on.year}-{n:05d}"
                if ledger == PARTY_LEDGER_ID
                else f"{(list_city or 'LISTE').upper()[:14]}-M{seed:03d}-{received_on.year}-{n:05d}"
            )
            key = f"month:{seed}:don:{i}"
            if findings:
                warned_keys.append(key)
                warnings.update(f.code for f in findings)
            donation_rows.append(
                {
                    "donor_id": donor_id,
                    "amount_cents": rng.choice([1000, 2000, 3000, 5000, 10_000, 15_000, 50_000]),
                    "method": method,
                    "provider": "helloasso" if method == PaymentMethod.PLATEFORME else "",
                    "provider_tx_id": f"ha-{seed}-{i}"
                    if method == PaymentMethod.PLATEFORME and i % 3
                    else "",
                    "received_on": received_on,
                    "ledger": ledger,
                    "kind": DonationKind.DON,
                    "status": DonationStatus.RECORDED,
                    "findings": findings_json(findings),
                    "receipt_number": number,
                    "reason": "",
                    "request_key": key,
                    "created_by": treasurers[0].person_id,
                    "created_at": datetime.combine(received_on, datetime.min.time(), UTC)
                    + timedelta(hours=10),
                    "updated_at": datetime.combine(received_on, datetime.min.time(), UTC)
                    + timedelta(hours=10),
                }
            )
        # Memberships: a fee each, one a member; a fifth end within the next 30 days.
        fee_rows = []
        membership_plan = []
        for i in range(memberships):
            donor_id, _, person_id = donors[i % len(donors)]
            paid_on = (start + timedelta(days=rng.randint(0, 29))).date()
            # One in five paid a year ago: due for renewal soon.
            period_start = (now - timedelta(days=365 - rng.randint(2, 28))).date() if i % 5 == 0 else paid_on
            period_end = period_start + timedelta(days=364)
            key = f"month:{seed}:cot:{i}"
            counters[(PARTY_LEDGER_ID, paid_on.year)] += 1
            n = counters[(PARTY_LEDGER_ID, paid_on.year)]
            fee_rows.append(
                {
                    "donor_id": donor_id,
                    "amount_cents": rng.choice([1000, 2000, 3000]),
                    "method": PaymentMethod.CARTE,
                    "provider": "",
                    "provider_tx_id": "",
                    "received_on": paid_on,
                    "ledger": PARTY_LEDGER_ID,
                    "kind": DonationKind.COTISATION,
                    "status": DonationStatus.RECORDED,
                    "findings": [],
                    "receipt_number": f"MVT-{paid_on.year}-{n:05d}",
                    "reason": "",
                    "request_key": key,
                    "created_by": treasurers[0].person_id,
                    "created_at": datetime.combine(paid_on, datetime.min.time(), UTC) + timedelta(hours=11),
                    "updated_at": datetime.combine(paid_on, datetime.min.time(), UTC) + timedelta(hours=11),
                }
            )
            membership_plan.append((key, donor_id, person_id, period_start, period_end))
        await s.execute(insert(Donation), donation_rows + fee_rows)
        by_key = dict(
            (
                await s.execute(
                    select(Donation.request_key, Donation.id).where(
                        Donation.request_key.like(f"month:{seed}:%")
                    )
                )
            ).all()
        )
        # Receipt numbers go on from where the seeded ones stop.
        await s.execute(
            insert(ReceiptCounter), [{"ledger": lg, "year": y, "last": n} for (lg, y), n in counters.items()]
        )
        await s.execute(
            insert(Membership),
            [
                {
                    "donor_id": donor_id,
                    "person_id": person_id,
                    "kind": "standard",
                    "period_start": period_start,
                    "period_end": period_end,
                    "fee_cents": 2000,
                    "donation_id": by_key[key],
                    "created_at": now - timedelta(days=1),
                }
                for key, donor_id, person_id, period_start, period_end in membership_plan
            ],
        )
        soon = (now + timedelta(days=30)).date()
        to_renew = list(
            await s.scalars(
                select(Membership.id)
                .where(Membership.donation_id.in_([by_key[k] for k, *_ in membership_plan]))
                .where(Membership.period_end <= soon, Membership.period_end >= now.date())
                .order_by(Membership.period_end)
            )
        )

        # --- Personal-data requests: some near their one-month deadline, one done ------------------
        request_plan: list[tuple[int, RequestKind, int | None]] = [
            (27, RequestKind.ACCESS, None),
            (25, RequestKind.ERASURE, None),
            (24, RequestKind.ACCESS, None),
        ]
        request_plan += [(10, RequestKind.STOP, None), (40, RequestKind.ACCESS, 12)]
        request_ids = []
        for days, kind, done_after in request_plan:
            asked = now - timedelta(days=days, hours=2)
            req = DataRequest(
                telegram_id=volunteers[days].telegram_id,
                email="",
                kind=kind,
                requested_at=asked,
                requested_by=None,
                done_at=asked + timedelta(days=done_after) if done_after else None,
                reminded_at=asked + timedelta(days=20) if days >= 20 else None,
                note="",
            )
            s.add(req)
            await s.flush()
            if days >= 20 and done_after is None:
                request_ids.append(req.id)

        # --- Communication requests left open --------------------------------------------------------
        com_ids = []
        for k in range(4):
            asked = now - timedelta(days=3 + 2 * k)
            com = ComRequest(
                kind=ComRequestKind.VISUAL if k % 2 else ComRequestKind.POST,
                domain=Domain.COMMUNICATION,
                channels=["facebook"],
                brief=f"Visuel pour le {KINDS[k]} de {names[k % len(names)]}",
                deadline=now + timedelta(days=k - 1),
                city=names[k % len(names)],
                files=[],
                requested_by=candidates[names[k % len(names)]].person_id,
                status=ComRequestStatus.OPEN,
                created_at=asked,
                updated_at=asked,
            )
            s.add(com)
            await s.flush()
            com_ids.append(com.id)

    upcoming = [e[0] for e in event_list if e[1] >= now]
    return MonthFacts(
        now=now,
        city_ids=city_ids,
        empty_city_names=[c.name for c in all_cities[cities:]],
        coordinators=coordinators,
        treasurers=treasurers,
        candidates=candidates,
        leads=leads,
        volunteers=volunteers,
        members=n_people,
        events=len(event_ids),
        upcoming_event_ids=upcoming,
        national_event_id=national_id,
        national_missing=national_missing,
        answers=len(answer_rows),
        emails=len(email_rows),
        pending_emails=len(pending),
        unrouted_emails=n_unrouted,
        late_by_assignee=dict(late_by),
        oldest_late_at=oldest_late,
        oldest_pending_email_id=pending[0][0],
        donations=len(donation_rows),
        donations_with_warnings=sorted(by_key[k] for k in warned_keys),
        warnings_by_code=dict(warnings),
        memberships=len(membership_plan),
        memberships_to_renew=to_renew,
        data_requests_near_deadline=request_ids,
        com_requests_late=com_ids,
        extra={"coordinator_ids_settings": list(settings.coordinator_ids), "cities": names},
    )


def telegram_ids(facts: MonthFacts) -> list[int]:
    """Every seeded person's Telegram id (to mark them as having started the bot in a sandbox)."""
    people = [*facts.coordinators, *facts.treasurers, *facts.candidates.values(), *facts.leads.values()]
    return [p.telegram_id for p in [*people, *facts.volunteers]]


def start_all(sandbox: Any, facts: MonthFacts) -> dict[int, Any]:
    """Make every seeded person known to a TelegramSandbox as having pressed /start; returns the
    sandbox users by Telegram id (a user already created is reused)."""
    people = [*facts.coordinators, *facts.treasurers, *facts.candidates.values(), *facts.leads.values()]
    users: dict[int, Any] = {}
    known = {u.id for u in sandbox.users}
    for p in [*people, *facts.volunteers]:
        user = (
            sandbox.get_user(p.telegram_id)
            if p.telegram_id in known
            else sandbox.user(p.telegram_id, p.first_name)
        )
        user.started = True
        users[p.telegram_id] = user
    return users


def today(facts: MonthFacts) -> date:
    return facts.now.date()

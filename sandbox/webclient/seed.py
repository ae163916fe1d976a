"""A small fictional movement for the demo, seeded the way people and the bot make it: personas
onboard by chatting with the bot, the coordinator gives a role with /role and links the Lyon group
with /lier_ville, events go through the events capability (and are announced in the group by the
bot), volunteers answer with the post's buttons or by replying, donations through the import
capability, emails through the inbox's own ingestion. No raw SQL."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from telegram.ext import Application

from sandbox.bot_harness import BotHarness
from sandbox.core import TelegramSandbox
from sandbox.models import BotMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Persona:
    id: int
    first_name: str
    username: str
    label: str  # what the client's list says under the name
    city: str | None = None
    skills: tuple[str, ...] = ()
    registered: bool = True  # onboarded at seed time (the newcomer is not)


CLAIRE = Persona(1001, "Claire", "claire_coordo", "Coordinatrice", "Lyon", ("Tractage",))
KARIM = Persona(1002, "Karim", "karim_lyon", "Bénévole à Lyon", "Lyon", ("Tractage",))
LEA = Persona(1003, "Léa", "lea_lyon", "Bénévole à Lyon", "Lyon", ("Tractage",))
MARTINE = Persona(1004, "Martine", "martine_tresor", "Trésorière", "Grenoble", ("Tractage",))
HUGO = Persona(1005, "Hugo", "hugo_nouveau", "Nouveau venu : essayez /start", registered=False)
PERSONAS: tuple[Persona, ...] = (CLAIRE, KARIM, LEA, MARTINE, HUGO)
COORDINATOR_IDS = [CLAIRE.id]

WAIT = 30.0  # seconds for one answer of the bot while seeding
GROUP_ID = -1001000000042
GROUP_TITLE = "À nous Lyon !"
CITIES = ("Lyon", "Grenoble", "Marseille", "Villeurbanne")


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    city: str
    days: int  # from today
    at: time
    place: str
    description: str
    needs: tuple[tuple[str, int], ...]


EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "Tractage au marché de la Croix-Rousse",
        "tractage",
        "Lyon",
        3,
        time(10, 0),
        "Boulevard de la Croix-Rousse, devant le métro",
        "Distribution du tract sur les assemblées citoyennes. Rendez-vous au stand à 9h45.",
        (("tractage", 6),),
    ),
    DemoEvent(
        "Porte-à-porte à la Guillotière",
        "porte-à-porte",
        "Lyon",
        5,
        time(18, 30),
        "Place Gabriel-Péri",
        "Par binômes, une heure et demie. Débutants bienvenus.",
        (("porte-à-porte", 4),),
    ),
    DemoEvent(
        "Réunion publique : la démocratie locale",
        "réunion",
        "Lyon",
        9,
        time(19, 0),
        "Maison des associations, 28 rue Denfert-Rochereau",
        "Présentation du programme et questions du public.",
        (("accueil", 2),),
    ),
    DemoEvent(
        "Stand au marché de l'Estacade",
        "stand",
        "Grenoble",
        4,
        time(9, 30),
        "Quai Claude-Bernard, Grenoble",
        "",
        (("stand", 3),),
    ),
)

# Three payments, as the treasurer's spreadsheet has them (the columns of `donations import`).
DONATIONS: tuple[dict[str, str], ...] = (
    {
        "last_name": "Dupont",
        "first_name": "Bernard",
        "address": "12 rue de la République",
        "postcode": "69002",
        "city": "Lyon",
        "amount": "50",
        "method": "chèque",
        "kind": "don",
        "reference": "CHQ-004512",
        "days": "6",
    },
    {
        "last_name": "Martin",
        "first_name": "Sophie",
        "address": "3 place Sathonay",
        "postcode": "69001",
        "city": "Lyon",
        "amount": "30",
        "method": "virement",
        "kind": "cotisation",
        "reference": "VIR-2291",
        "days": "4",
    },
    {
        "last_name": "Moreau",
        "first_name": "Jean",
        "address": "8 cours Berriat",
        "postcode": "38000",
        "city": "Grenoble",
        "amount": "120",
        "method": "carte",
        "kind": "don",
        "reference": "CB-77310",
        "days": "2",
    },
)

EMAILS: tuple[tuple[str, str, str], ...] = (
    (
        "Nadia Benali <nadia.benali@example.org>",
        "Proposition de salle pour une réunion à Villeurbanne",
        "Bonjour, je gère la salle des fêtes du quartier et je peux vous la prêter un samedi soir. "
        "Qui dois-je contacter ? Bien cordialement, Nadia",
    ),
    (
        "Paul Girard <paul.girard@example.net>",
        "Demande de reçu fiscal",
        "Bonjour, j'ai fait un don en novembre et je n'ai pas reçu mon reçu fiscal. "
        "Pouvez-vous me l'envoyer ? Merci, Paul Girard",
    ),
)


@dataclass
class SeedReport:
    """What the seed did, and what it could not (the demo starts anyway)."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


async def seed(sandbox: TelegramSandbox, app: Application) -> SeedReport:  # type: ignore[type-arg]
    report = SeedReport()
    harness = BotHarness(sandbox, app)
    svc = harness.services
    for persona in PERSONAS:
        sandbox.user(persona.id, persona.first_name, username=persona.username, language_code="fr")

    from capabilities.people import cities

    for name in CITIES:
        await cities.create(svc, None, name)
    report.done.append(f"{len(CITIES)} villes")

    for persona in PERSONAS:
        if persona.registered:
            await _step(report, f"inscription de {persona.first_name}", _onboard(harness, persona))

    await _step(report, "rôle de trésorière", _treasurer(harness))
    await _step(report, "groupe de Lyon", _group(harness))
    await _step(report, "événements", _events(harness))
    await _step(report, "réponses aux annonces", _answers(harness))
    await _step(report, "dons", _donations(harness))
    await _step(report, "courriels", _emails(harness))
    return report


async def _step(report: SeedReport, name: str, work: Any) -> None:
    try:
        await asyncio.wait_for(work, 4 * WAIT)
    except Exception as exc:  # the demo is still worth opening without this part
        log.warning("demo seed: %s skipped (%s: %s)", name, type(exc).__name__, exc)
        report.skipped.append(name)
    else:
        report.done.append(name)


async def _onboard(harness: BotHarness, persona: Persona) -> None:
    """/start, as a person answers it: first name typed, city and actions tapped, consent. (The
    first answers of a fresh process can take seconds: modules load on first use.)"""
    user = harness.sb.get_user(persona.id)
    user.send("/start")
    await user.next_message(WAIT)
    user.send(persona.first_name)
    ask_city = await user.next_message(WAIT)
    user.press(ask_city, text=persona.city)
    ask_skills = await user.next_message(WAIT)
    for label in persona.skills:
        user.press(ask_skills, text=label)
        await harness.sb.wait_for(lambda label=label: f"✅ {label}" in ask_skills.button_texts, WAIT)
    user.press(ask_skills, text="Valider")
    privacy = await user.next_message(WAIT)
    user.press(privacy, text="J'accepte")
    await user.next_message(WAIT)


async def _treasurer(harness: BotHarness) -> None:
    """Claire gives Martine the treasurer's role, as a coordinator does: /role in private."""
    claire = harness.sb.get_user(CLAIRE.id)
    claire.send(f"/role @{MARTINE.username} trésorier")
    await claire.next_message(WAIT)
    from capabilities.people.actors import identify
    from domain.people import Role

    for _ in range(int(WAIT / 0.05)):
        person, roles = await identify(harness.services, MARTINE.id)
        if person is not None and Role.TREASURER in roles:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("Martine did not become treasurer")


async def _group(harness: BotHarness) -> None:
    """The Lyon group: its members, then Claire adds the bot and links it with /lier_ville."""
    sb = harness.sb
    group = sb.group(GROUP_ID, GROUP_TITLE, with_bot=False)
    group.add_member(sb.get_user(CLAIRE.id), "administrator", announce=False)
    for persona in (KARIM, LEA, MARTINE, HUGO):
        group.add_member(sb.get_user(persona.id), announce=False)
    group.add_bot(sb.get_user(CLAIRE.id))
    await group.next_message(WAIT)  # the bot's greeting
    sb.get_user(CLAIRE.id).send("/lier_ville Lyon", chat=GROUP_ID)
    await group.next_message(WAIT)


async def _events(harness: BotHarness) -> None:
    from capabilities.events.organise import NewEvent, Organiser, create
    from capabilities.people import cities
    from capabilities.people.actors import identify

    svc = harness.services
    tz = svc.settings.tz
    person, roles = await identify(svc, CLAIRE.id)
    assert person is not None, "Claire is not registered"
    city_ids = {name: city_id for city_id, name in await cities.choices(svc)}
    today = datetime.now(tz).date()
    for event in EVENTS:
        starts = datetime.combine(today + timedelta(days=event.days), event.at, tzinfo=tz)
        new = NewEvent(
            title=event.title,
            kind=event.kind,
            city_id=city_ids[event.city],
            starts_at=starts,
            ends_at=None,
            place=event.place,
            description=event.description,
            needs=list(event.needs),
        )
        await create(svc, Organiser(person, roles), new)
    lyon = [e.title for e in EVENTS if e.city == "Lyon"]
    await harness.sb.wait_for(lambda: len(_posts(harness.sb, lyon)) == len(lyon), WAIT)


def _posts(sb: TelegramSandbox, titles: list[str]) -> dict[str, BotMessage]:
    found: dict[str, BotMessage] = {}
    for message in sb.messages_in(GROUP_ID):
        for title in titles:
            if title in message.plain and message.inline_keyboard:
                found.setdefault(title, message)
    return found


async def _answers(harness: BotHarness) -> None:
    """Karim and Martine press « Je viens », Léa answers by replying in plain French."""
    sb = harness.sb
    posts = _posts(sb, [e.title for e in EVENTS])
    tractage, reunion = posts[EVENTS[0].title], posts[EVENTS[2].title]
    for persona, post in ((KARIM, tractage), (MARTINE, reunion), (CLAIRE, tractage)):
        user = sb.get_user(persona.id)
        before = len(user.answers)
        user.press(post, text="Je viens")
        await sb.wait_for(lambda user=user, before=before: len(user.answers) > before, WAIT)
    sb.get_user(LEA.id).send("Je viens avec plaisir !", chat=GROUP_ID, reply_to=reunion.message_id)
    # The posts are edited with the counts on the announcements' own schedule, a few seconds later:
    # the page shows it live.


async def _donations(harness: BotHarness) -> None:
    from capabilities.donations.config import today_in
    from capabilities.donations.importing import import_rows
    from capabilities.people.actors import identify

    svc = harness.services
    actor, _ = await identify(svc, MARTINE.id)
    today = today_in(svc.settings)
    rows = []
    for line, row in enumerate(DONATIONS, start=2):
        received = today - timedelta(days=int(row["days"]))
        values = {k: v for k, v in row.items() if k != "days"}
        values |= {
            "date": received.isoformat(),
            "country": "France",
            "nationality": "française",
            "donor_type": "physique",
            "ledger": "mouvement",
            "declaration": "oui",
        }
        rows.append((line, values))
    async with svc.transaction() as s:
        report = await import_rows(s, svc.settings, rows, today, actor)
    if not report.added:
        raise ValueError("no donation stored: " + "; ".join(r for row in report.rows for r in row.reasons))
    if svc.sender is not None:
        svc.sender.kick()


async def _emails(harness: BotHarness) -> None:
    from capabilities.inbox.learning import live_model
    from capabilities.inbox.sync import ingest
    from integrations.email_parse import ParsedEmail

    svc = harness.services
    now = datetime.now(UTC)
    async with svc.db.session() as s:
        model = await live_model(svc, s)
    for n, (sender, subject, body) in enumerate(EMAILS, start=1):
        received = now - timedelta(hours=3 * n)
        parsed = ParsedEmail(
            id=f"demo-{n:04d}",
            thread_id=f"demo-thread-{n:04d}",
            history_id=None,
            sender=sender,
            to="contact@anouslademocratie.example",
            subject=subject,
            date=received,
            message_id_header=f"<demo-{n}@example.org>",
            body_text=body,
        )
        await ingest(svc, model, parsed, now)

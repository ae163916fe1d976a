"""Who sees whose name: every view, run by every role, through the sandbox.

A participant (Zéphyrine), a donor (Barnabé Tirelire) and an email sender (Eulalie) exist; each
role runs each view, and the names found in what the bot sent (texts, captions, files, edits) must
be exactly the ones that role needs (docs/legal-rules.md rule 41: names to those who need them,
counts for everyone else).

To extend: add the view to VIEWS (how to run it) and a line to EXPECTED (who may see what).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from capabilities.events import agenda
from sandbox.bot_harness import COORDINATOR_ID
from storage.events import create_event, event_by_id
from storage.models import Ask, Chat, City, Donation, Donor, EmailMessage, Membership, Person

NOW = datetime.now(UTC)
# Looked for case-insensitively, so that an email address or a CSV column counts too.
NAMES = {"P": "zéphyrine", "D": "tirelire", "S": "eulalie"}  # participant, donor, email sender
ROLES = ("stranger", "volunteer", "candidate", "lead", "treasurer", "coordinator")
GRANTS = {
    "candidate": "candidat Lyon",
    "lead": "responsable campagne",
    "treasurer": "trésorier",
    "coordinator": "coordinateur",
}
GROUP_ID = -100_4242


@dataclass(frozen=True)
class View:
    command: str
    # then press these buttons in turn, each found by the start of its label (e.g. « Ouvrir » an
    # event of the list, then « who was asked »)
    press: tuple[str, ...] = ()


VIEWS: dict[str, View] = {
    "/agenda": View("/agenda"),
    "/besoins": View("/besoins", press=("Ouvrir", "Qui a été sollicité\u202f?")),
    "/digest": View("/digest"),
    "/courriels": View("/courriels"),
    "/dons": View("/dons"),
    "/bilan": View("/bilan"),
    "/adherents": View("/adherents"),
    "/export": View("/export"),
    "/mes_donnees": View("/mes_donnees"),
}
# Names each role may see in each view; "group" is the announcement in the city's group.
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    #               stranger volunteer candidate lead  treasurer coordinator
    "group":       dict(zip(ROLES, ("",  "",  "",   "",   "",   ""), strict=True)),
    "/agenda":     dict(zip(ROLES, ("",  "",  "",   "",   "",   ""), strict=True)),
    # Who was asked to help: the organisers of the city (a lead organises in their own city).
    "/besoins":    dict(zip(ROLES, ("",  "",  "P",  "P",  "",   "P"), strict=True)),
    # A candidate's digest greets the city's new volunteers by name; others get counts.
    "/digest":     dict(zip(ROLES, ("",  "",  "P",  "",   "",   ""), strict=True)),
    # Senders: the lead of the email's domain and coordinators.
    "/courriels":  dict(zip(ROLES, ("",  "",  "",   "S",  "",   "S"), strict=True)),
    # Donors: treasurers only.
    "/dons":       dict(zip(ROLES, ("",  "",  "",   "",   "D",  ""), strict=True)),
    "/bilan":      dict(zip(ROLES, ("",  "",  "",   "",   "",   ""), strict=True)),
    "/adherents":  dict(zip(ROLES, ("",  "",  "",   "",   "D",  ""), strict=True)),
    "/export":     dict(zip(ROLES, ("",  "",  "",   "",   "D",  ""), strict=True)),
    # Only one's own data.
    "/mes_donnees": dict(zip(ROLES, ("", "",  "",   "",   "",   ""), strict=True)),
}
# fmt: on


def texts_of(messages: list[Any]) -> str:
    """Everything a person could read in these messages: text, captions, files, earlier versions."""
    parts: list[str] = []
    for m in messages:
        parts.append(m.plain or "")
        parts += [e.plain or "" for e in m.edits]
        if m.document is not None:
            parts.append(_readable(m.document.data))
        parts += [b for b in m.button_texts]
    return "\n".join(parts).casefold()


def _readable(data: bytes) -> str:
    """A file as its reader sees it: an archive's files, a spreadsheet's cells, a text's words."""
    import io
    import zipfile

    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "[Content_Types].xml" in archive.namelist():  # an .xlsx: its cells
                from openpyxl import load_workbook

                book = load_workbook(io.BytesIO(data), read_only=True)
                return "\n".join(
                    str(cell)
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for cell in row
                )
            return "\n".join(_readable(archive.read(name)) for name in archive.namelist())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def names_in(messages: list[Any]) -> str:
    text = texts_of(messages)
    return "".join(key for key, name in NAMES.items() if name in text)


async def until_answered(bot: Any, user: Any, before: int) -> None:
    """/aide as a sentinel: updates are handled in order, so its answer comes after the view's."""
    user.send("/aide")
    await bot.sb.wait_for(
        lambda: any(
            ("Ce que vous pouvez faire" in (m.plain or "") or "Pour commencer" in (m.plain or ""))
            for m in user.messages[before:]
        ),
        15,
        "the /aide sentinel",
    )


def without_sentinel(messages: list[Any]) -> list[Any]:
    return [
        m for m in messages if not (m.plain or "").startswith(("Ce que vous pouvez faire", "Pour commencer"))
    ]


async def run_view(bot: Any, user: Any, view: View) -> list[Any]:
    before = len(user.messages)
    user.send(view.command)
    await until_answered(bot, user, before)
    got = without_sentinel(user.messages[before:])
    for prefix in view.press:
        found = next(
            ((m, b) for m in got for b in m.button_texts if b.startswith(prefix)),
            None,
        )
        if found is None:
            break
        mark = len(user.messages)
        user.press(found[0], text=found[1])
        await until_answered(bot, user, mark)
        got += without_sentinel(user.messages[mark:])
    return got


async def setup_world(bot: Any) -> tuple[dict[str, Any], Any]:
    coord = bot.user(COORDINATOR_ID, "Camille", username="camille")
    await bot.onboard(coord)
    actors: dict[str, Any] = {}
    for i, role in enumerate(ROLES):
        if role == "coordinator":
            actors[role] = coord
            continue
        user = bot.user(900 + i, f"Acteur{i}", username=f"acteur{i}")
        actors[role] = user
        if role == "stranger":
            continue
        await bot.onboard(user, city="Lyon")
        if role in GRANTS:
            before = len(user.messages)
            coord.send(f"/role @acteur{i} {GRANTS[role]}")
            await bot.sb.wait_for(lambda u=user, b=before: len(u.messages) > b, 10)

    participant = bot.user(950, "Zéphyrine", username="zephyrine")
    await bot.onboard(participant, city="Lyon")
    group = bot.sb.group(GROUP_ID, "Militants de Lyon")
    group.add_member(participant, announce=False)
    async with bot.services.db.session() as s:
        lyon = await s.scalar(select(City).where(City.name == "Lyon"))
        assert lyon is not None
        s.add(Chat(id=GROUP_ID, type="supergroup", title="Militants de Lyon", city_id=lyon.id))
        await s.flush()
        starts = NOW + timedelta(days=2)
        event = await create_event(
            s,
            title="Porte-à-porte à la Croix-Rousse",
            kind="porte-à-porte",
            city_id=lyon.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Place de la Croix-Rousse",
            description="",
            needs=[("porte-à-porte", 4)],
            created_by=None,
        )
        stored = await event_by_id(s, event.id)
        assert stored is not None
        await agenda.announce(s, stored)
        event_id = event.id
        donor = Donor(
            civility="M.",
            first_name="Barnabé",
            last_name="Tirelire",
            address="3 rue du Don",
            postcode="69001",
            city="Lyon",
            nationality="Française",
            tax_residence="FR",
            email="barnabe@example.org",
        )
        s.add(donor)
        await s.flush()
        gift = Donation(
            donor_id=donor.id,
            amount_cents=12000,
            method="chèque",
            received_on=NOW.date(),
            ledger="party",
            kind="cotisation",
            receipt_number="P-0001",
        )
        s.add(gift)
        await s.flush()
        s.add(
            Membership(
                donor_id=donor.id,
                kind="standard",
                period_start=NOW.date() - timedelta(days=355),
                period_end=NOW.date() + timedelta(days=10),
                fee_cents=3000,
                donation_id=gift.id,
            )
        )
        s.add(
            EmailMessage(
                gmail_id="m-eulalie",
                thread_id="t-eulalie",
                sender="Eulalie Expéditrice <eulalie@example.org>",
                subject="Question sur le porte-à-porte",
                received_at=NOW - timedelta(hours=1),
                excerpt="Bonjour, je voudrais aider.",
                domain="campaign",
                city="Lyon",
                status="new",
            )
        )
    await bot.outbox_idle()
    await bot.sb.wait_for(lambda: group.messages, 10)
    async with bot.services.db.session() as s:
        me = await s.scalar(select(Person).where(Person.telegram_id == 950))
        stored = await event_by_id(s, event_id)
        assert me is not None and stored is not None
        # What the « Je viens » button records (pressing it is covered by tests/handlers/test_events.py).
        await agenda.record_answer(s, stored, me, "yes", None, "button", NOW)
        # The participant was also asked to help (« who was asked » lists names).
        s.add(Ask(event_id=event_id, role="porte-à-porte", person_id=me.id, asked_at=NOW))
        # Scheduled digests would slip into the views' answers: /digest still answers on demand.
        await s.execute(update(Person).values(digest_paused=True))
    return actors, group


async def test_names_are_shown_only_to_the_roles_that_need_them(bot: Any) -> None:
    actors, group = await setup_world(bot)
    await bot.sb.wait_for(lambda: any("✅ 1 personne vient" in (m.plain or "") for m in group.messages), 15)
    seen: dict[str, dict[str, str]] = {view: {} for view in EXPECTED}
    group_names = names_in(group.messages)
    for role in ROLES:
        seen["group"][role] = group_names
        for name, view in VIEWS.items():
            seen[name][role] = names_in(await run_view(bot, actors[role], view))
    wrong = {
        view: {
            role: (seen[view][role], EXPECTED[view][role])
            for role in ROLES
            if seen[view][role] != EXPECTED[view][role]
        }
        for view in EXPECTED
    }
    wrong = {view: cells for view, cells in wrong.items() if cells}
    assert not wrong, f"(seen, expected) per view and role: {wrong}"
    # One's own data does carry one's name.
    participant = bot.sb.get_user(950)
    assert names_in(await run_view(bot, participant, VIEWS["/mes_donnees"])) == "P"
    # The views did run: the group post counts the participant without naming her.
    await bot.sb.wait_for(lambda: any("✅ 1 personne vient" in (m.plain or "") for m in group.messages), 10)

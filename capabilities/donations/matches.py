"""Who is who among donors: one identity per person, and the treasurer's word on near-matches.

A donor is identified by the normalised name (case, accents, spaces) and the normalised street
address and town (domain/donor_input.py): homonyms at two addresses are two people, and a typo in
a postcode does not make a second person. Two records with the same name at another address may
be one person who moved (one 7 500 € cap, rule 5) or two homonyms: the import reports it, the
treasurers get the question in chat with two buttons, and the first answer decides (merge, or
keep apart); a pair is never asked twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import DonorMatchChoice
from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from capabilities.donations.checking import DonorSource, entry_of, field_of
from capabilities.donations.config import PARTY, law_config, ledger_map
from capabilities.donations.labels import donor_name
from domain import law
from domain.donor_input import address_identity, name_identity
from domain.money import format_eur
from domain.statuses import DonorType
from storage import donations as q
from storage import outbox
from storage import people as pq
from storage.models import Donor, DonorMatch, Person

Choice = Literal["merge", "apart"]
# Fields a merge copies from the dropped record when the kept one has none.
_FILLED = ("email", "elected_mandate", "sworn_declaration_at", "person_id", "civility")


def name_key(src: DonorSource) -> tuple[str, str]:
    """The donor's name as identity (organisations by their name)."""
    if field_of(src, "donor_type") == DonorType.MORALE:
        return ("morale", name_identity(field_of(src, "organisation") or ""))
    return ("physique", name_identity(field_of(src, "last_name") or "", field_of(src, "first_name") or ""))


def identity(src: DonorSource) -> tuple[str, str, str]:
    """One person: the name and the street address (with the town) as identity."""
    address = address_identity(field_of(src, "address") or "", field_of(src, "city") or "")
    return (*name_key(src), address)


def near_matches(src: DonorSource, donors: Sequence[Donor]) -> list[Donor]:
    """Stored donors with the same name at another address."""
    name, own = name_key(src), identity(src)
    return [d for d in donors if name_key(d) == name and identity(d) != own]


async def ask_treasurers(session: AsyncSession, settings: Settings, new: Donor, other: Donor) -> DonorMatch:
    """Record the pair and ask every treasurer (outbox): the same person, or two?"""
    match = await q.add_donor_match(session, new.id, other.id)
    for person in await q.treasurers(session):
        lang = person.language
        text = t(
            lang,
            "match.ask",
            first=_describe(other, lang),
            second=_describe(new, lang),
            cap=format_eur(law_config(settings).party_cap_cents, lang),
        )
        rows = [
            [(t(lang, "match.btn_merge"), DonorMatchChoice("merge", match.id).pack())],
            [(t(lang, "match.btn_apart"), DonorMatchChoice("apart", match.id).pack())],
        ]
        await outbox.enqueue(
            session,
            person.telegram_id,
            text_message(text[:4000], rows),
            dedupe_key=f"don:match:{match.id}:{person.id}",
            person_id=person.id,
        )
    return match


def _describe(donor: Donor, lang: str) -> str:
    place = ", ".join(p for p in (donor.address, f"{donor.postcode} {donor.city}".strip()) if p)
    return t(lang, "match.donor", id=donor.id, name=donor_name(donor, lang), address=place or "?")


@dataclass
class Decision:
    status: str  # merged | apart | done (already decided) | gone
    kept: Donor | None = None
    moved: int = 0
    over_cap: list[tuple[int, int]] = field(default_factory=list)  # (year, total cents) above the cap


async def decide(services: Services, match_id: int, choice: Choice, actor: Person) -> Decision:
    """The treasurer's answer: merge the newer record into the older one (payments and
    memberships follow, empty fields are filled), or keep them apart for good. Audited."""
    async with services.transaction() as s:
        match = await q.donor_match(s, match_id, lock=True)
        if match is None:
            return Decision("gone")
        if match.status != "pending":
            return Decision("done")
        match.decided_by, match.decided_at = actor.id, datetime.now(UTC)
        if choice == "apart":
            match.status = "apart"
            await pq.audit(s, actor, "donor.kept_apart", f"donor:{match.donor_id}", other=match.other_id)
            return Decision("apart")
        kept, dropped = await q.donor_by_id(s, match.other_id), await q.donor_by_id(s, match.donor_id)
        if kept is None or dropped is None:
            return Decision("gone")
        for name in _FILLED:
            if not getattr(kept, name) and getattr(dropped, name):
                setattr(kept, name, getattr(dropped, name))
        moved = await q.move_donor_records(s, dropped.id, kept.id)
        await s.delete(dropped)
        await s.flush()
        await pq.audit(s, actor, "donor.merged", f"donor:{kept.id}", merged=dropped.id, moved=moved)
        over = await _over_cap(s, services.settings, kept)
    return Decision("merged", kept, moved, over)


async def _over_cap(session: AsyncSession, settings: Settings, donor: Donor) -> list[tuple[int, int]]:
    """Years where the merged record's accepted party gifts pass the 7 500 € cap (rule 5)."""
    ledgers = await ledger_map(session)
    gifts = [entry_of(d).gift(ledgers) for d in await q.accepted_gifts_of(session, donor.id)]
    cap = law_config(settings).party_cap_cents
    years = sorted({g.received_on.year for g in gifts if g.ledger.id == PARTY})
    totals = [(year, law.year_total_party(gifts, year)) for year in years]
    return [(year, total) for year, total in totals if total > cap]


def decision_text(decision: Decision, lang: str, settings: Settings) -> str:
    if decision.status in ("done", "gone"):
        return t(lang, f"match.{decision.status}")
    if decision.status == "apart":
        return t(lang, "match.apart")
    assert decision.kept is not None
    lines = [t(lang, "match.merged", id=decision.kept.id, moved=decision.moved)]
    cap = format_eur(law_config(settings).party_cap_cents, lang)
    lines += [
        t(lang, "match.over_cap", year=year, total=format_eur(total, lang), cap=cap)
        for year, total in decision.over_cap
    ]
    return "\n".join(lines)


def describe_for_report(donor: Any, lang: str) -> str:
    """A stored donor in the import report: number and address."""
    return t(lang, "match.donor", id=donor.id, name=donor_name(donor, lang), address=donor.address or "?")

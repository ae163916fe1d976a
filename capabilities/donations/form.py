"""The /don form: a draft (a dict kept by the conversation), its questions in order, the answers
read into it, the law's review, and the one transaction that stores it.

Nothing is stored before Confirmer; the draft's request key makes a replayed confirmation
record nothing more. The next question is always derived from the draft (`next_step`).

Each rule of docs/legal-rules.md is checked as soon as the facts it needs are answered
(`refusals`, with domain/law's checks): cash over 150 € right after amount and method, a legal
person right after the donor type, a foreign non-resident right after nationality and residence,
the caps once the donor, amount, year and ledger are known. A refusal keeps the draft: the person
changes the one answer (`fix`), or a treasurer goes on to record it « à rembourser » (rule 15).
A whole gift may be typed on one line first (`read_line`); only what it does not say is asked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.services import Services
from bot.texts import t
from capabilities.donations.checking import Entry, check, law_donor
from capabilities.donations.config import PARTY, fees, ledger_map, today_in
from capabilities.donations.donors import find_donors
from capabilities.donations.labels import country_names, day_words, kind_label, ledger_label, method_label
from capabilities.donations.recording import record
from domain import law
from domain.dates import parse_past_day
from domain.donor_input import (
    GiftLine,
    is_none_answer,
    name_splits,
    one_line,
    parse_country,
    parse_email,
    parse_gift_line,
    parse_nationality,
    parse_postcode_city,
    parse_provider,
)
from domain.money import format_eur, parse_amount
from domain.statuses import DonationKind, DonationStatus, DonorType, PaymentMethod
from domain.text import TextError
from storage import donations as q
from storage import people as pq
from storage.models import CampaignLedger, Donation, Donor, Person

Draft = dict[str, Any]
# Fundraising events offered for linking: upcoming, or ended within this many days.
EVENT_LOOKBACK = timedelta(days=30)
EVENTS_OFFERED = 8
# Lists whose account was filed longer ago than this take no more gifts: not offered.
FILED_GRACE = timedelta(days=60)
REASON_MAX = 500
TEXT_LIMITS = {
    "d_first_name": 100,
    "d_last_name": 100,
    "d_organisation": 200,
    "d_address": 300,
    "d_elected_mandate": 200,
}
USE_BUTTONS = TextError("don.use_buttons")


async def new_draft(services: Services, *, treasurer: bool, lang: str) -> Draft:
    """A fresh draft with the choices of the moment: open campaign lists, recent fundraisers."""
    now = datetime.now(UTC)
    today = today_in(services.settings, now)
    async with services.db.session() as s:
        ledgers = [
            row
            for row in await q.campaign_ledgers(s)
            if row.account_filed_on is None or row.account_filed_on >= today - FILED_GRACE
        ]
        events = await q.open_levee_events(s, now - EVENT_LOOKBACK)
    return {
        "key": f"don:{uuid.uuid4().hex}",
        "treasurer": treasurer,
        "ledgers": [(row.id, ledger_label(lang, row.id, {row.id: row})) for row in ledgers],
        "events": [(e.id, e.title) for e in events[:EVENTS_OFFERED]],
        "mkinds": list(services.settings.membership_fees),
        "fees": fees(services.settings),
    }


def next_step(d: Draft) -> str:
    """The first question not answered yet (the form's whole order is here)."""
    if "donor_id" not in d and "donor" not in d:
        return "search"
    nd = d.get("donor")
    if nd is not None:
        if "donor_type" not in nd:
            return "d_donor_type"
        person = nd["donor_type"] == DonorType.PHYSIQUE
        if person and "words" in nd:
            return "d_names"
        names = ("civility", "first_name", "last_name") if person else ("organisation",)
        more = ("nationality", "tax_residence") if person else ()
        tail = ("elected_mandate", "sworn_declaration_at", "person_id") if person else ()
        for name in (*names, "address", "postcode", "country", *more, "email", *tail):
            if name not in nd:
                return f"d_{name}"
    for name in ("amount", "method"):
        if name not in d:
            return name
    if d["method"] == PaymentMethod.PLATEFORME and "provider" not in d:
        return "provider"
    if "received_on" not in d:
        return "date_ok" if "pending_day" in d else "date"
    for name in ("ledger", "kind"):
        if name not in d:
            return name
    if d["kind"] == DonationKind.COTISATION and "mkind" not in d:
        return "mkind"
    if "event_id" not in d:
        return "event"
    return "summary"


def advance(d: Draft, today: date) -> str:
    """Fill the questions with a single possible answer, then return (and keep) the next step."""
    d["today"] = today
    if not d["ledgers"]:
        d.setdefault("ledger", PARTY)
    if d.get("ledger", PARTY) != PARTY:
        d.setdefault("kind", DonationKind.DON)  # a list receives dons only (a collection has its own)
    if len(d["mkinds"]) <= 1:
        d.setdefault("mkind", d["mkinds"][0] if d["mkinds"] else None)
    if not d["events"]:
        d.setdefault("event_id", None)
    _place_words(d.get("donor"))
    fixing = _fix_step(d)
    if fixing is None:
        d.pop("fixing", None)
    d["step"] = fixing or next_step(d)
    return str(d["step"])


def _fix_step(d: Draft) -> str | None:
    """After « Modifier … » (`fix`), the question of that answer comes first, whatever the
    form's order; None once it is answered again."""
    nd = d.get("donor") or {}
    name = d.get("fixing")
    if name in ("amount", "method", "kind") and name not in d:
        return str(name)
    if name == "method" and d.get("method") == PaymentMethod.PLATEFORME and "provider" not in d:
        return "provider"
    if name == "date" and "received_on" not in d:
        return "date_ok" if "pending_day" in d else "date"
    if name == "donor_type" and "donor_type" not in nd:
        return "d_donor_type"
    if name == "nationality":
        return next((f"d_{n}" for n in ("nationality", "tax_residence") if n not in nd), None)
    return None


def _place_words(nd: Draft | None) -> None:
    """Name words typed on one line, once the donor type is known: an organisation's name, or a
    person's first and family names when the line told them apart; otherwise the d_names
    question offers the readings (never a guess)."""
    if nd is None or "words" not in nd or "donor_type" not in nd:
        return
    if nd["donor_type"] == DonorType.MORALE:
        nd.setdefault("organisation", " ".join(nd["words"])[: TEXT_LIMITS["d_organisation"]])
    elif nd.get("split"):
        nd.setdefault("first_name", nd["split"][0])
        nd.setdefault("last_name", nd["split"][1])
    elif name_splits(nd["words"]):
        return  # asked as d_names
    nd.pop("words")
    nd.pop("split", None)


_QUESTION_KEYS = {
    "d_names": "names",
    "d_donor_type": "type",
    "d_tax_residence": "residence",
    "d_sworn_declaration_at": "sworn",
}


def question(d: Draft, step: str, lang: str) -> tuple[str, list[tuple[str, str]], int]:
    """The question of `step` (HTML), its buttons (label, value) and how many per row; no
    buttons for a typed answer."""
    if step == "date_ok":
        day = day_words(date.fromisoformat(d["pending_day"]), lang, d["today"])
        return t(lang, "don.confirm_date", day=day), [(t(lang, "btn.yes"), "y"), (t(lang, "btn.no"), "n")], 2
    text = t(lang, f"don.ask_{_QUESTION_KEYS.get(step, step.removeprefix('d_'))}")
    return text, *_choices(d, step, lang)


def _choices(d: Draft, step: str, lang: str) -> tuple[list[tuple[str, str]], int]:
    if step == "d_names":
        splits = name_splits(d["donor"]["words"])
        pairs = [
            (t(lang, "don.btn_name_split", first=f, last=la)[:60], str(i)) for i, (f, la) in enumerate(splits)
        ]
        return [*pairs, (t(lang, "don.btn_name_typed"), "none")], 1
    if step == "d_donor_type":
        return [
            (t(lang, "don.btn_physique"), DonorType.PHYSIQUE),
            (t(lang, "don.btn_morale"), DonorType.MORALE),
        ], 1
    if step == "d_civility":
        return [
            (t(lang, "don.btn_mme"), "Mme"),
            (t(lang, "don.btn_m"), "M."),
            (t(lang, "don.btn_no_civility"), "none"),
        ], 3
    if step in ("d_country", "d_nationality", "d_tax_residence"):
        pairs = [(t(lang, "don.btn_french" if step == "d_nationality" else "don.btn_france"), "FR")]
        country = (d.get("donor") or {}).get("country")
        if step == "d_tax_residence" and country and country != "FR":
            pairs.append((country_names(country, lang), country))
        return pairs, 2
    if step == "d_sworn_declaration_at":
        return [(t(lang, "don.btn_sworn_yes"), "yes"), (t(lang, "don.btn_sworn_no"), "no")], 1
    if step == "d_email":  # une adresse: « Aucune »
        return [(t(lang, "don.btn_none_f"), "none")], 2
    if step in ("d_elected_mandate", "d_person_id"):
        return [(t(lang, "don.btn_none"), "none")], 2
    if step == "method":
        return [(method_label(lang, m), str(i)) for i, m in enumerate(law.METHODS)], 3
    if step == "ledger":
        lists = [(label, str(i)) for i, (_, label) in enumerate(d["ledgers"])]
        return [(t(lang, "money.ledger.party"), "party"), *lists], 1
    if step == "kind":
        return [(kind_label(lang, k), k) for k in law.DON_KINDS], 3
    if step == "mkind":
        fees = d["fees"]
        return [
            (t(lang, "don.mkind_button", kind=k, fee=format_eur(fees.get(k, 0), lang)), str(i))
            for i, k in enumerate(d["mkinds"])
        ], 1
    if step == "event":
        return [(title[:40], str(eid)) for eid, title in d["events"]] + [
            (t(lang, "don.btn_no_event"), "none")
        ], 1
    return [], 0


# Typed answers read by one parser: the parser, the error to show, the names the value fills.
Reader = tuple[Callable[[str], Any], str, tuple[str, ...]]
_READERS: dict[str, Reader] = {
    "amount": (parse_amount, "don.amount_invalid", ("amount",)),
    "provider": (parse_provider, "don.provider_invalid", ("provider", "provider_tx_id")),
    "d_postcode": (parse_postcode_city, "don.postcode_invalid", ("postcode", "city")),
    "d_country": (parse_country, "don.country_invalid", ("country",)),
    "d_tax_residence": (parse_country, "don.country_invalid", ("tax_residence",)),
    "d_nationality": (parse_nationality, "don.nationality_invalid", ("nationality",)),
    "d_email": (
        lambda text: "" if is_none_answer(text) else parse_email(text),
        "don.email_invalid",
        ("email",),
    ),
}


async def read_answer(services: Services, d: Draft, step: str, text: str, lang: str) -> TextError | None:
    """Store the typed answer of `step`; the error to show (USE_BUTTONS for a button-only step)."""
    target = d.get("donor") if step.startswith("d_") else d
    if target is None:
        return USE_BUTTONS
    if step in _READERS:
        parse, error, names = _READERS[step]
        value = parse(text)
        if value is None:
            return TextError(error)
        target.update(zip(names, value if len(names) > 1 else (value,), strict=True))
        return None
    if step in TEXT_LIMITS:
        return _read_line(target, step, text)
    if step == "d_person_id":
        return await _read_person(services, target, text)
    if step == "date":
        day = parse_past_day(text, d["today"])
        if day is None:
            return TextError("don.date_invalid")
        if day > d["today"]:
            return TextError("don.date_future", (("day", day_words(day, lang, d["today"])),))
        d["pending_day"] = day.isoformat()
        return None
    return USE_BUTTONS


def _read_line(nd: Draft, step: str, text: str) -> TextError | None:
    if step == "d_elected_mandate" and is_none_answer(text):
        nd["elected_mandate"] = ""
        return None
    value = one_line(text, TEXT_LIMITS[step])
    if value is None:
        return TextError("don.line_invalid", (("max", TEXT_LIMITS[step]),))
    nd[step[2:]] = value
    return None


async def _read_person(services: Services, nd: Draft, text: str) -> TextError | None:
    """The donor's Telegram account (@pseudo), to remind them of their membership; "Aucun"."""
    if is_none_answer(text):
        nd["person_id"] = None
        return None
    async with services.db.session() as s:
        person = await pq.person_by_handle(s, text.strip())
    if person is None:
        return TextError("don.person_unknown", (("who", text.strip()[:64]),))
    nd["person_id"] = person.id
    return None


async def apply_button(services: Services, d: Draft, step: str, value: str) -> bool:
    """Store the button pressed for `step`; False when the value is not one the form offered."""
    if step == "search":
        return await _choose_donor(services, d, value)
    nd = d.get("donor")
    if step.startswith("d_"):
        return nd is not None and _donor_button(nd, step, value)
    if step == "method" and value.isdigit() and int(value) < len(law.METHODS):
        d["method"] = law.METHODS[int(value)]
    elif step == "date_ok":
        if value == "y":
            d["received_on"] = date.fromisoformat(d["pending_day"])
        d.pop("pending_day", None)
    elif step == "ledger" and value == "party":
        d["ledger"] = PARTY
    elif step == "ledger" and value.isdigit() and int(value) < len(d["ledgers"]):
        d["ledger"] = d["ledgers"][int(value)][0]
    elif step == "kind" and value in law.DON_KINDS:
        d["kind"] = value
    elif step == "mkind" and value.isdigit() and int(value) < len(d["mkinds"]):
        d["mkind"] = d["mkinds"][int(value)]
    elif step == "event" and value == "none":
        d["event_id"] = None
    elif step == "event" and value.isdigit() and int(value) in dict(d["events"]):
        d["event_id"] = int(value)
    else:
        return False
    return True


async def search(services: Services, d: Draft, query: str) -> list[Donor]:
    """The donors this person may pick for this draft (exact match unless a treasurer); only their
    ids are accepted afterwards from a button, so forged callback data reveals no one."""
    found = await find_donors(services, query, exact=not d["treasurer"])
    d["offered"] = [donor.id for donor in found]
    return found


async def _choose_donor(services: Services, d: Draft, value: str) -> bool:
    if value == "new":
        d["donor"] = d.pop("line_donor", {})  # what a one-line gift said of the donor
        return True
    d.pop("line_donor", None)
    if value == "anon":
        # Rule 8: a collection is its own kind (no donor, no receipt), never a don.
        d.update(donor_id=None, anonymous=True, method=PaymentMethod.ESPECES, kind=DonationKind.QUETE)
    elif value.isdigit() and int(value) in d.get("offered", ()):
        async with services.db.session() as s:
            donor = await q.donor_by_id(s, int(value))
        if donor is None:
            return False
        d["donor_id"] = donor.id
    else:
        return False
    return True


def _donor_button(nd: Draft, step: str, value: str) -> bool:
    if step == "d_names":
        splits = name_splits(nd.get("words", ()))
        if value.isdigit() and int(value) < len(splits):
            nd["first_name"], nd["last_name"] = splits[int(value)]
        elif value != "none":
            return False
        nd.pop("words", None)
        nd.pop("split", None)
    elif step == "d_donor_type" and value in (DonorType.PHYSIQUE, DonorType.MORALE):
        nd["donor_type"] = value
    elif step == "d_civility":
        nd["civility"] = "" if value == "none" else value[:10]
    elif step in ("d_country", "d_nationality", "d_tax_residence"):
        nd[step[2:]] = value[:2]
    elif step == "d_sworn_declaration_at":
        nd["sworn_declaration_at"] = datetime.now(UTC) if value == "yes" else None
    elif step in ("d_email", "d_elected_mandate", "d_person_id") and value == "none":
        nd[step[2:]] = None if step == "d_person_id" else ""
    else:
        return False
    return True


def entry_of_draft(d: Mapping[str, Any]) -> Entry:
    return Entry(
        amount_cents=d["amount"],
        method=d["method"],
        kind=d["kind"],
        received_on=d["received_on"],
        ledger=d["ledger"],
        provider=d.get("provider", ""),
        provider_tx_id=d.get("provider_tx_id", ""),
        event_id=d.get("event_id"),
        membership_kind=d.get("mkind") if d["kind"] == DonationKind.COTISATION else None,
    )


@dataclass
class Review:
    """The law on a complete draft: its findings, the known donor, the ledgers to name."""

    findings: list[law.Finding]
    donor: Donor | None
    ledgers: dict[str, CampaignLedger] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return law.has_block(self.findings)


async def review(services: Services, d: Draft) -> Review:
    async with services.db.session() as s:
        donor = await q.donor_by_id(s, d["donor_id"]) if d.get("donor_id") else None
        source: Any = donor if donor is not None else d.get("donor")
        checked = law_donor(source) if source is not None else None
        ledgers = await ledger_map(s)
        findings = await check(
            s, services.settings, entry_of_draft(d), checked, d.get("donor_id"), d["today"], ledgers=ledgers
        )
    return Review(findings, donor, ledgers)


@dataclass
class Stored:
    donation: Donation | None  # None: the law now blocks it (the history changed), nothing stored
    created: bool
    findings: list[law.Finding]


async def store(services: Services, d: Draft, status: str, reason: str, actor: Person | None) -> Stored:
    """Check the draft again with the history as it is now, then record it (once per draft)."""
    entry = entry_of_draft(d)
    async with services.transaction() as s:
        ledgers = await ledger_map(s)
        donor = await q.donor_by_id(s, d["donor_id"]) if d.get("donor_id") else None
        fields = d.get("donor")
        source: Any = donor if donor is not None else fields
        checked = law_donor(source) if (donor or fields) else None
        # Checked again: another gift may have come in since the summary.
        findings = await check(
            s, services.settings, entry, checked, donor.id if donor else None, d["today"], ledgers=ledgers
        )
        if status == DonationStatus.RECORDED and law.has_block(findings):
            return Stored(None, False, findings)
        if donor is None and fields is not None:
            donor = await q.add_donor(s, **fields)
        donation, created = await record(
            s,
            services.settings,
            entry,
            donor,
            findings=findings,
            request_key=d["key"],
            actor=actor,
            status=status,
            reason=reason,
            ledgers=ledgers,
        )
    return Stored(donation, created, findings)


def read_reason(text: str) -> str | None:
    """A reason (a refund, a correction): one line of REASON_MAX characters at most."""
    return one_line(text, REASON_MAX)


# --- The whole gift on one line -----------------------------------------------------------------


@dataclass
class LineRead:
    """A one-line gift read into the draft, and the known donors its name may be."""

    line: GiftLine
    found: list[Donor]


async def read_line(services: Services, d: Draft, text: str) -> LineRead | None:
    """Fill the draft from "50 € chèque Jean Martin 12 rue X 69001 Lyon"; None when the text has
    no amount (then it is a name to search). The parts the line does not give are asked after.
    When known donors bear the name, they are offered (the typed donor stays in d["line_donor"])."""
    line = parse_gift_line(text)
    if line is None:
        return None
    d["amount"] = line.amount_cents
    if line.method is not None:
        d["method"] = str(line.method)
    nd: Draft = {}
    if line.civility:
        # A civility says a natural person.
        nd.update(donor_type=DonorType.PHYSIQUE, civility=line.civility)
    if line.names:
        nd["words"] = list(line.names)
        if line.first_name and line.last_name:
            nd["split"] = [line.first_name, line.last_name]
    for name in ("address", "postcode", "city"):
        value = getattr(line, name)
        if value:
            nd[name] = value[: TEXT_LIMITS.get(f"d_{name}", 100)]
    found = await search(services, d, " ".join(line.names)) if len(line.names) >= 1 else []
    if found:
        d["line_donor"] = nd
    else:
        d["donor"] = nd
    return LineRead(line, found)


# --- Each rule of the law as soon as its facts are known (docs/legal-rules.md) ------------------

# The facts of the draft each blocking finding needs; a code not listed waits for the summary.
# The checks themselves are domain/law's (via checking.check), run on the draft with neutral
# stand-ins for what is not known yet; only findings whose facts are all known are kept.
NEEDS: dict[str, tuple[str, ...]] = {
    "cash_over_max": ("amount", "method"),  # rules 7, 23: right after amount and method
    "legal_person": ("donor_type",),  # rules 4, 22: right after the donor type
    "party_money_not_1988": ("donor_type", "ledger"),
    "donor_not_eligible": ("nationality", "residence"),  # rules 4, 22: after nationality, residence
    # Rules 5 and 21: the yearly (or per-election) cap needs the donor, the amount, and the
    # year, the ledger and the kind (an élu's cotisation is outside the cap).
    "party_cap_exceeded": ("donor", "amount", "date", "ledger", "kind"),
    "campaign_cap_exceeded": ("donor", "amount", "ledger"),
    "campaign_account_filed": ("date", "ledger"),
    "campaign_after_window": ("date", "ledger"),
    "campaign_before_window": ("date", "ledger"),
    "campaign_cash_total_exceeded": ("amount", "method", "ledger"),
    "cotisation_on_campaign": ("ledger", "kind"),
}
# What the person may change after a refusal, per finding (the draft keeps everything else).
FIXES: dict[str, tuple[str, ...]] = {
    "cash_over_max": ("amount", "method"),
    "legal_person": ("donor_type",),
    "party_money_not_1988": ("donor_type",),
    "donor_not_eligible": ("nationality",),
    "party_cap_exceeded": ("amount", "date", "kind"),
    "campaign_cap_exceeded": ("amount",),
    "campaign_account_filed": ("date",),
    "campaign_after_window": ("date",),
    "campaign_before_window": ("date",),
    "campaign_cash_total_exceeded": ("amount", "method"),
    "cotisation_on_campaign": ("kind",),
}


def _known(d: Draft, fact: str) -> bool:
    stored = bool(d.get("donor_id"))  # a stored donor: every identity fact is known
    nd = d.get("donor") or {}
    if fact == "donor":
        return stored or d.get("donor") is not None
    if fact in ("donor_type", "nationality"):
        return stored or fact in nd
    if fact == "residence":
        return stored or "tax_residence" in nd
    if fact == "date":
        return "received_on" in d
    return fact in d


async def refusals(services: Services, d: Draft, lang: str) -> list[law.Finding]:
    """The law's blocks on the draft as far as it is known, minus those the treasurer chose to
    carry to the summary ("passed"); empty once nothing known so far breaks a rule."""
    if d.get("anonymous") or not any(_known(d, f) for f in ("amount", "donor_type", "nationality")):
        return []
    today: date = d["today"]
    entry = Entry(
        amount_cents=d.get("amount", 1),  # stand-ins: the rules needing them wait (NEEDS)
        method=d.get("method", PaymentMethod.VIREMENT),
        kind=d.get("kind", DonationKind.DON),
        received_on=d.get("received_on", today),
        ledger=d.get("ledger", PARTY),
        membership_kind=d.get("mkind"),
    )
    async with services.db.session() as s:
        donor = await q.donor_by_id(s, d["donor_id"]) if d.get("donor_id") else None
        source: Any = donor if donor is not None else d.get("donor")
        if (
            donor is None
            and source is not None
            and not (source.get("organisation") or source.get("last_name"))
        ):
            # Refused before the name is typed: "Ce donateur est une personne morale…".
            source = {**source, "organisation": t(lang, "don.unnamed_donor")}
        checked = law_donor(source) if source is not None else None
        findings = await check(s, services.settings, entry, checked, d.get("donor_id"), today)
    passed = set(d.get("passed", ()))
    return [
        f
        for f in findings
        if f.level == "block"
        and f.code in NEEDS
        and f.code not in passed
        and all(_known(d, fact) for fact in NEEDS[f.code])
    ]


def fixes(d: Draft, findings: list[law.Finding]) -> list[str]:
    """The fields the person may change to lift these blocks (a stored donor's identity is
    corrected on the donor's record, not here)."""
    out: list[str] = []
    for f in findings:
        for name in FIXES.get(f.code, ()):
            if name in ("donor_type", "nationality") and d.get("donor") is None:
                continue
            if name == "kind" and d.get("ledger", PARTY) != PARTY:
                continue
            if name not in out:
                out.append(name)
    return out


def fix(d: Draft, name: str) -> bool:
    """Forget one answer so that the form asks it again; everything else is kept."""
    nd = d.get("donor")
    drops: dict[str, tuple[str, ...]] = {
        "amount": ("amount",),
        "method": ("method", "provider", "provider_tx_id"),
        "date": ("received_on", "pending_day"),
        "kind": ("kind", "mkind"),
    }
    if name in drops:
        for key in drops[name]:
            d.pop(key, None)
    elif name == "donor_type" and nd is not None:
        nd.pop("donor_type", None)
        nd.pop("organisation", None)
    elif name == "nationality" and nd is not None:
        nd.pop("nationality", None)
        nd.pop("tax_residence", None)
    else:
        return False
    d.pop("passed", None)  # a changed answer is judged again
    d["fixing"] = name
    return True

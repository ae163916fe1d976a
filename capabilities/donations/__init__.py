"""The treasurer's ledger: what handlers, the import and the jobs share.

The law itself is domain/law.py; this module feeds it (settings → LawConfig, database rows →
its dataclasses, the donor's whole history) and carries out the outcome in one transaction:
the donation, its register number, the membership a cotisation buys, the audit row and the
treasurers' alerts (outbox). SQL stays in storage/donations.py.

Decisions (see also the report of issue 5):
- Only accepted gifts ("recorded") get a register number, in sequence per ledger and received
  year; a gift refused by the law is stored "à rembourser" without one (rule 15: never issue the
  receipt), and a cancelled gift keeps its number so the sequence shows the gap.
- The date a gift was received is read by `parse_received` (past dates: "hier", "12/11",
  "lundi"); a date without a year is the most recent one not in the future, and the bot always
  says it back in words with the year when it is not this year.
- History sums use recorded gifts only; an edited gift is checked against its history without
  itself (domain/law.History).
- Findings that reveal a donor's history (yearly total, election total, cash splitting) are
  shown in full to treasurers only; collectors and coordinators see the rule, not the figure.
- A bulk import checks every row first (reads only) and writes the accepted ones at the end, in
  date order: SQLite's single write lock is held for the writes, not for the whole file.
- A row refused by the law at import is not stored (the report says why); money actually received
  is then recorded "à rembourser" through /don, with a reason.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel import Locale
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import Html, t
from domain import law
from domain.dates import format_day
from domain.money import format_eur, parse_amount
from domain.text import fold
from storage import donations as q
from storage import outbox
from storage import people as pq
from storage.models import CampaignLedger, Donation, Donor, Membership, Person

log = logging.getLogger(__name__)

PARTY = law.PARTY_LEDGER_ID
RECORDED, TO_REFUND, REFUNDED, CANCELLED = q.RECORDED, q.TO_REFUND, q.REFUNDED, q.CANCELLED
COTISATIONS = ("cotisation", "cotisation_élu")
ELU_MEMBERSHIP = "élu"
# Findings whose figures come from the donor's history: shown in full to treasurers only.
HISTORY_CODES = frozenset({"party_cap_exceeded", "party_cap_near", "campaign_cap_exceeded", "cash_split_suspected"})
REMINDER_DAYS = (30, 7, 0)


# =============================================================================================
# Settings → the law's numbers
# =============================================================================================


def cents(euros: Decimal | int | float) -> int:
    return int((Decimal(str(euros)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fees(settings: Settings) -> dict[str, int]:
    """Yearly fee per membership kind, in cents (settings MEMBERSHIP_FEES)."""
    return {kind: cents(amount) for kind, amount in settings.membership_fees.items()}


def default_membership_kind(settings: Settings) -> str:
    return next(iter(settings.membership_fees), "standard")


def law_config(settings: Settings, membership_kind: str | None = None) -> law.LawConfig:
    return law.LawConfig(
        party_cap_cents=cents(settings.law_party_cap_eur),
        party_warn_cents=cents(settings.law_party_warn_eur),
        cash_max_cents=cents(settings.law_cash_max_eur),
        campaign_cap_cents=cents(settings.law_campaign_cap_eur),
        campaign_cash_share=settings.law_campaign_cash_share,
        campaign_cash_ceiling_threshold_cents=cents(settings.law_campaign_cash_ceiling_threshold_eur),
        campaign_cash_warn_share=settings.law_campaign_cash_warn_share,
        commune_threshold=settings.law_commune_threshold,
        cash_split_days=settings.law_cash_split_days,
        is_party_1988=settings.law_is_party_1988,
        tax_reduction_suspended_until=settings.law_tax_reduction_suspended_until,
        # The statutory fee is the one of the membership kind paid for (rule 30).
        statutory_fee_cents=fees(settings).get(membership_kind) if membership_kind else None,
        require_sworn_declaration=settings.law_require_sworn_declaration,
    )


def today_in(settings: Settings, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(settings.tz).date()


# =============================================================================================
# Reading what people type (conversation and import)
# =============================================================================================

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2, "february": 2,
    "feb": 2, "mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4, "april": 4, "apr": 4, "mai": 5,
    "may": 5, "juin": 6, "june": 6, "jun": 6, "juillet": 7, "juil": 7, "july": 7, "jul": 7, "aout": 8,
    "august": 8, "aug": 8, "septembre": 9, "sept": 9, "sep": 9, "september": 9, "octobre": 10,
    "oct": 10, "october": 10, "novembre": 11, "nov": 11, "november": 11, "decembre": 12, "dec": 12,
    "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_SMALL_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                  "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "a": 1, "an": 1, "one": 1, "two": 2,
                  "three": 3}  # fmt: skip
_RELATIVE = {"aujourd hui": 0, "aujourdhui": 0, "today": 0, "hier": -1, "yesterday": -1, "avant hier": -2,
             "demain": 1, "tomorrow": 1, "apres demain": 2}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(_WEEKDAYS)
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUM_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")
_TEXT_RE = re.compile(rf"^(?:(?:{_WEEKDAY_ALT}) )?(\d{{1,2}})(?:er|e|st|nd|rd|th)? ({_MONTH_ALT})(?: (\d{{4}}))?$")
_DOM_RE = re.compile(rf"^(?:(?:{_WEEKDAY_ALT}) )?(\d{{1,2}})(?:er|e)?$")
_WEEKDAY_RE = re.compile(rf"^({_WEEKDAY_ALT})(?: (dernier|derniere|last))?$")
_AGO_RE = re.compile(r"^(?:il y a (\w+) (jours?|semaines?)|(\w+) (days?|weeks?) ago)$")
_PREFIX_RE = re.compile(r"^(?:recu |reçu |received |paid |verse )?(?:le |on |the )?")


def _fold_date_text(text: str) -> str:
    s = fold(text).replace("'", " ").replace("\u2019", " ").replace(",", " ")
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)  # "avant-hier", "après-demain"
    s = re.sub(r"\s+", " ", s).strip().rstrip(".")
    return _PREFIX_RE.sub("", s, count=1).strip()


def parse_received(text: str, today: date) -> date | None:
    """The day a gift was received, typed in French (or English): None when unreadable.

    Future days are returned as read (the caller refuses them with a clear message); a date
    without a year is the most recent such day that is not after `today`.
    """
    if not isinstance(text, str) or len(text) > 60:
        return None
    s = _fold_date_text(text)
    if not s:
        return None
    try:
        return _read_day(s, today)
    except (ValueError, OverflowError):
        return None  # 31/02, year 0…


def _read_day(s: str, today: date) -> date | None:
    if s in _RELATIVE:
        return today + timedelta(days=_RELATIVE[s])
    if m := _AGO_RE.match(s):
        count_word, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        count = int(count_word) if count_word.isdigit() else _SMALL_NUMBERS.get(count_word)
        if count is None or count > 3660:
            return None
        return today - timedelta(days=count * (7 if unit.startswith(("semaine", "week")) else 1))
    if m := _ISO_RE.match(s):
        return _checked(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _NUM_RE.match(s):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        return _dated(day, month, year, today)
    if m := _TEXT_RE.match(s):
        return _dated(int(m.group(1)), _MONTHS[m.group(2)], m.group(3), today)
    if m := _DOM_RE.match(s):
        # "le 3": the most recent 3rd of a month, this one or the one before.
        day = int(m.group(1))
        year, month = today.year, today.month
        for _ in range(3):
            try:
                candidate = date(year, month, day)
            except ValueError:
                candidate = None
            if candidate is not None and candidate <= today:
                return candidate
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return None
    if m := _WEEKDAY_RE.match(s):
        back = (today.weekday() - _WEEKDAYS[m.group(1)]) % 7
        if m.group(2) and back == 0:
            back = 7  # "lundi dernier" said on a Monday: a week ago
        return today - timedelta(days=back)
    return None


def _dated(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is None:
        candidate = date(today.year, month, day) if _valid(today.year, month, day) else None
        if candidate is None or candidate > today:
            candidate = date(today.year - 1, month, day)
        return candidate
    full = int(year) + (2000 if len(year) == 2 else 0)
    return _checked(date(full, month, day))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _checked(day: date) -> date | None:
    return day if day.year >= 2000 else None


_METHOD_WORDS = {
    "cheque": "chèque", "chq": "chèque", "check": "chèque", "cheques": "chèque",
    "virement": "virement", "vir": "virement", "transfer": "virement", "virement bancaire": "virement",
    "bank transfer": "virement", "transfert": "virement",
    "carte": "carte", "cb": "carte", "carte bancaire": "carte", "card": "carte", "carte bleue": "carte",
    "prelevement": "prélèvement", "direct debit": "prélèvement", "sepa": "prélèvement",
    "prelevement sepa": "prélèvement",
    "especes": "espèces", "espece": "espèces", "liquide": "espèces", "cash": "espèces",
    "plateforme": "plateforme", "plateforme en ligne": "plateforme", "en ligne": "plateforme",
    "online": "plateforme", "helloasso": "plateforme", "stripe": "plateforme", "paypal": "plateforme",
}  # fmt: skip
_PROVIDERS = {"helloasso": "HelloAsso", "stripe": "Stripe", "paypal": "PayPal"}
_KIND_WORDS = {
    "don": "don", "dons": "don", "gift": "don", "donation": "don",
    "cotisation": "cotisation", "adhesion": "cotisation", "fee": "cotisation", "membership": "cotisation",
    "cotisation elu": "cotisation_élu", "cotisation_elu": "cotisation_élu", "cotisation d elu": "cotisation_élu",
    "cotisation delu": "cotisation_élu", "cotisation-elu": "cotisation_élu",
}  # fmt: skip
_DONOR_TYPES = {
    "physique": "physique", "personne physique": "physique", "pp": "physique", "particulier": "physique",
    "morale": "morale", "personne morale": "morale", "pm": "morale", "entreprise": "morale",
    "societe": "morale", "association": "morale", "company": "morale",
}  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).replace("'", " ").replace("\u2019", " ")).strip()


def parse_method(text: str) -> tuple[str, str] | None:
    """(method, provider) from a typed payment method; provider only for known platforms."""
    key = _key(text)
    method = _METHOD_WORDS.get(key)
    return (method, _PROVIDERS.get(key, "")) if method else None


def parse_kind(text: str) -> str | None:
    return _KIND_WORDS.get(_key(text).replace("_", " ").replace(" d elu", " elu")) or _KIND_WORDS.get(_key(text))


def parse_donor_type(text: str) -> str | None:
    return _DONOR_TYPES.get(_key(text))


def _build_countries() -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                out[_key(name).replace("-", " ")] = code
    for code in list(out.values()):
        out[code.lower()] = code
    out.update({"uk": "GB", "angleterre": "GB", "usa": "US", "etats unis d amerique": "US", "fra": "FR"})
    return out


_COUNTRIES = _build_countries()
_NATIONALITIES = {
    "francaise": "FR", "francais": "FR", "french": "FR", "allemande": "DE", "allemand": "DE", "german": "DE",
    "belge": "BE", "belgian": "BE", "espagnole": "ES", "espagnol": "ES", "spanish": "ES",
    "italienne": "IT", "italien": "IT", "italian": "IT", "portugaise": "PT", "portugais": "PT",
    "portuguese": "PT", "britannique": "GB", "anglaise": "GB", "anglais": "GB", "british": "GB",
    "irlandaise": "IE", "irlandais": "IE", "irish": "IE", "neerlandaise": "NL", "neerlandais": "NL",
    "dutch": "NL", "luxembourgeoise": "LU", "luxembourgeois": "LU", "suisse": "CH", "swiss": "CH",
    "americaine": "US", "americain": "US", "american": "US", "canadienne": "CA", "canadien": "CA",
    "canadian": "CA", "marocaine": "MA", "marocain": "MA", "algerienne": "DZ", "algerien": "DZ",
    "tunisienne": "TN", "tunisien": "TN", "senegalaise": "SN", "senegalais": "SN", "malienne": "ML",
    "malien": "ML", "ivoirienne": "CI", "ivoirien": "CI", "camerounaise": "CM", "camerounais": "CM",
    "turque": "TR", "turc": "TR", "polonaise": "PL", "polonais": "PL", "roumaine": "RO", "roumain": "RO",
    "grecque": "GR", "grec": "GR", "chinoise": "CN", "chinois": "CN", "japonaise": "JP", "japonais": "JP",
    "indienne": "IN", "indien": "IN", "bresilienne": "BR", "bresilien": "BR", "russe": "RU",
    "ukrainienne": "UA", "ukrainien": "UA", "autrichienne": "AT", "autrichien": "AT", "suedoise": "SE",
    "suedois": "SE", "danoise": "DK", "danois": "DK", "norvegienne": "NO", "norvegien": "NO",
    "finlandaise": "FI", "finlandais": "FI", "tcheque": "CZ", "hongroise": "HU", "hongrois": "HU",
    "bulgare": "BG", "croate": "HR", "libanaise": "LB", "libanais": "LB", "vietnamienne": "VN",
    "vietnamien": "VN", "haitienne": "HT", "haitien": "HT",
}  # fmt: skip


def parse_country(text: str) -> str | None:
    """ISO 3166 alpha-2 code of a country typed as a name (fr or en) or a code."""
    return _COUNTRIES.get(_key(text).replace("-", " "))


def parse_nationality(text: str) -> str | None:
    """ISO codes joined by "/" (dual nationals), from adjectives, country names or codes."""
    parts = [p for p in re.split(r"\s*(?:[,;/+]| et | and )\s*", _key(text)) if p]
    codes = []
    for part in parts:
        code = _NATIONALITIES.get(part) or parse_country(part)
        if code is None:
            return None
        if code not in codes:
            codes.append(code)
    return "/".join(codes) if codes else None


_POSTCITY_RE = re.compile(r"^\s*([0-9][0-9A-Za-z-]{2,9}|[A-Za-z]{1,2}[0-9][0-9A-Za-z-]{1,8})[\s,]+(\S.*?)\s*$")
_EMAIL_RE = re.compile(r"^[^@\s<>&]+@[^@\s<>&]+\.[^@\s<>&]+$")
_NONE_WORDS = {"-", "non", "aucun", "aucune", "none", "no", "rien", "/"}


def parse_postcode_city(text: str) -> tuple[str, str] | None:
    m = _POSTCITY_RE.match(text or "")
    if not m or len(m.group(2)) > 100:
        return None
    return m.group(1).upper(), m.group(2)


def is_none_answer(text: str) -> bool:
    return _key(text) in _NONE_WORDS


def parse_email(text: str) -> str | None:
    value = (text or "").strip()
    return value.lower() if len(value) <= 320 and _EMAIL_RE.match(value) else None


def clean_line(text: str, max_len: int) -> str | None:
    """One line of 1..max_len characters, spaces collapsed; None otherwise."""
    value = re.sub(r"\s+", " ", text or "").strip()
    if not value or len(value) > max_len or "\n" in (text or "").strip():
        return None
    return value


def parse_provider(text: str) -> tuple[str, str] | None:
    """"HelloAsso 123456" → ("HelloAsso", "123456")."""
    parts = (text or "").strip().split(maxsplit=1)
    if len(parts) != 2 or len(parts[0]) > 40 or len(parts[1]) > 120 or "\n" in parts[1]:
        return None
    return _PROVIDERS.get(parts[0].lower(), parts[0]), parts[1].strip()


# =============================================================================================
# Database rows → the law's dataclasses
# =============================================================================================


def _field(src: Any, name: str) -> Any:
    return src.get(name) if isinstance(src, Mapping) else getattr(src, name, None)


def law_donor(src: Donor | Mapping[str, Any]) -> law.Donor:
    """A stored donor, or the fields of one being typed (same names as the model)."""
    kind = _field(src, "donor_type") or "physique"
    return law.Donor(
        type=kind,
        first_name=_field(src, "first_name") or None,
        last_name=_field(src, "last_name") or None,
        address=_field(src, "address") or None,
        postcode=_field(src, "postcode") or None,
        city=_field(src, "city") or None,
        country=_field(src, "country") or None,
        nationality=_field(src, "nationality") or None,
        tax_residence_country=_field(src, "tax_residence") or None,
        elected_mandate=_field(src, "elected_mandate") or None,
        sworn_declaration_at=_field(src, "sworn_declaration_at"),
        name=_field(src, "organisation") or _field(src, "last_name") or None,
    )


def law_ledger(ledger_id: str, ledgers: Mapping[str, CampaignLedger]) -> law.Ledger:
    row = ledgers.get(ledger_id)
    if ledger_id == PARTY or row is None:
        return law.Ledger()
    return law.Ledger(
        id=row.id, kind="campaign", city=row.city, election_id=row.election_id, population=row.population,
        mandataire_declared=row.mandataire_declared, official_ceiling_cents=row.official_ceiling_cents,
        window_start=row.window_start, window_end=row.window_end, account_filed_on=row.account_filed_on,
        bank_account=row.bank_account or None,
    )  # fmt: skip


async def ledger_map(session: AsyncSession) -> dict[str, CampaignLedger]:
    return {row.id: row for row in await q.campaign_ledgers(session)}


@dataclass
class Entry:
    """One payment as typed or imported, before it is stored."""

    amount_cents: int
    method: str
    kind: str
    received_on: date
    ledger: str = PARTY
    provider: str = ""
    provider_tx_id: str = ""
    event_id: int | None = None
    membership_kind: str | None = None

    def gift(self, ledgers: Mapping[str, CampaignLedger]) -> law.Gift:
        return law.Gift(
            amount_cents=self.amount_cents, method=self.method, kind=self.kind, received_on=self.received_on,
            ledger=law_ledger(self.ledger, ledgers), provider=self.provider or None,
            provider_tx_id=self.provider_tx_id or None,
        )  # fmt: skip

    def effective_membership_kind(self, settings: Settings) -> str | None:
        if self.kind == "cotisation_élu":
            return ELU_MEMBERSHIP
        if self.kind == "cotisation":
            return self.membership_kind or default_membership_kind(settings)
        return None


def entry_of(donation: Donation) -> Entry:
    return Entry(
        amount_cents=donation.amount_cents, method=donation.method, kind=donation.kind,
        received_on=donation.received_on, ledger=donation.ledger, provider=donation.provider,
        provider_tx_id=donation.provider_tx_id, event_id=donation.event_id,
    )  # fmt: skip


async def check(
    session: AsyncSession,
    settings: Settings,
    entry: Entry,
    donor: law.Donor | None,
    donor_id: int | None,
    today: date,
    *,
    exclude_id: int | None = None,
    ledgers: Mapping[str, CampaignLedger] | None = None,
) -> list[law.Finding]:
    """Every finding for `entry`, against the donor's whole accepted history (blocks first)."""
    ledgers = ledgers if ledgers is not None else await ledger_map(session)
    history: list[law.Gift] = []
    if donor_id is not None:
        history = [entry_of(d).gift(ledgers) for d in await q.accepted_gifts_of(session, donor_id, exclude_id)]
    cash = await q.ledger_cash_total(session, entry.ledger, exclude_id) if entry.ledger != PARTY else 0
    return check_against(settings, entry, donor, history, cash, ledgers, today)


def check_against(
    settings: Settings,
    entry: Entry,
    donor: law.Donor | None,
    history: Sequence[law.Gift],
    ledger_cash_cents: int,
    ledgers: Mapping[str, CampaignLedger],
    today: date,
) -> list[law.Finding]:
    """The law on `entry`, given the donor's accepted gifts and the cash already on its ledger."""
    config = law_config(settings, entry.effective_membership_kind(settings))
    return law.check_gift(entry.gift(ledgers), donor, law.History(tuple(history), ledger_cash_cents), config, today)


# =============================================================================================
# Findings: stored as JSON, shown per viewer
# =============================================================================================


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def findings_json(findings: Iterable[law.Finding]) -> list[dict[str, Any]]:
    return [
        {"level": f.level, "code": f.code, "article": f.article,
         "params": {k: _jsonable(v) for k, v in f.params.items()}}
        for f in findings
    ]  # fmt: skip


def findings_from_json(data: Iterable[Mapping[str, Any]] | None) -> list[law.Finding]:
    out = []
    for item in data or []:
        try:
            out.append(law.Finding(item["level"], item["code"], item.get("article", ""), dict(item.get("params", {}))))
        except (KeyError, TypeError):
            continue
    return out


def finding_text(finding: law.Finding, lang: str) -> str:
    try:
        return law.finding_message(finding, lang)
    except (KeyError, IndexError, ValueError):
        return f"{finding.code} ({finding.article})"


def finding_lines(findings: Iterable[law.Finding], lang: str, full: bool = True) -> list[str]:
    """One HTML line per finding; `full=False` hides figures drawn from the donor's history."""
    lines = []
    for f in findings:
        if full or f.code not in HISTORY_CODES:
            text = finding_text(f, lang)
        else:
            text = t(lang, f"money.hidden_{f.level}", article=f.article)
        lines.append(t(lang, f"money.finding_{f.level}", text=Html(html.escape(text, quote=False))))
    return lines


# =============================================================================================
# Labels
# =============================================================================================


def method_label(lang: str, method: str) -> str:
    return t(lang, f"money.method.{method}") if f"money.method.{method}" in _keys(lang) else method


def kind_label(lang: str, kind: str) -> str:
    return t(lang, f"money.kind.{kind}") if f"money.kind.{kind}" in _keys(lang) else kind


def status_label(lang: str, status: str) -> str:
    return t(lang, f"money.status.{status}") if f"money.status.{status}" in _keys(lang) else status


def _keys(lang: str) -> Mapping[str, str]:
    from bot.texts import CATALOG

    return CATALOG.get(lang, CATALOG["fr"])


def ledger_label(lang: str, ledger_id: str, ledgers: Mapping[str, CampaignLedger]) -> str:
    if ledger_id == PARTY:
        return t(lang, "money.ledger.party")
    row = ledgers.get(ledger_id)
    if row is None:
        return ledger_id
    return t(lang, "money.ledger.campaign", city=row.city, election=row.election_id)


def donor_name(donor: Donor | Mapping[str, Any] | None, lang: str = "fr") -> str:
    if donor is None:
        return t(lang, "money.anonymous")
    if _field(donor, "donor_type") == "morale":
        return _field(donor, "organisation") or _field(donor, "last_name") or "?"
    parts = [_field(donor, "civility"), _field(donor, "first_name"), _field(donor, "last_name")]
    return " ".join(p for p in parts if p) or "?"


def donor_card(donor: Donor | Mapping[str, Any], lang: str) -> str:
    """The identity the CNCCFP needs, for the treasurer's summary (HTML, values escaped)."""
    nationality = _field(donor, "nationality") or "—"
    residence = _field(donor, "tax_residence") or _field(donor, "country") or "—"
    address = ", ".join(
        p for p in (_field(donor, "address"), f"{_field(donor, 'postcode') or ''} {_field(donor, 'city') or ''}".strip(),
                    _field(donor, "country")) if p
    )  # fmt: skip
    key = "money.card_morale" if _field(donor, "donor_type") == "morale" else "money.card"
    sworn = _field(donor, "sworn_declaration_at")
    return t(
        lang, key, name=donor_name(donor, lang), address=address or "—", nationality=nationality,
        residence=residence, email=_field(donor, "email") or "—", mandate=_field(donor, "elected_mandate") or "—",
        sworn=t(lang, "money.sworn_yes") if sworn else t(lang, "money.sworn_no"),
    )  # fmt: skip


def day_words(day: date, lang: str, today: date) -> str:
    return format_day(day, lang, now=datetime(today.year, today.month, today.day, 12, tzinfo=UTC))


def receipt_number(ledger: str, year: int, n: int, ledgers: Mapping[str, CampaignLedger]) -> str:
    """"MVT-2026-00001" for the movement; "<CITY>-<hash>-2026-00001" for a campaign (≤ 40 chars)."""
    if ledger == PARTY:
        return f"MVT-{year}-{n:05d}"
    row = ledgers.get(ledger)
    slug = re.sub(r"[^A-Z0-9]+", "", fold(row.city if row else ledger).upper())[:14] or "LISTE"
    digest = hashlib.sha1(ledger.encode()).hexdigest()[:4].upper()
    return f"{slug}-{digest}-{year}-{n:05d}"


# =============================================================================================
# Recording
# =============================================================================================


def snapshot(donation: Donation) -> dict[str, Any]:
    """What the audit log keeps of a donation, before and after a change."""
    return {
        "amount_cents": donation.amount_cents, "method": donation.method, "provider": donation.provider,
        "provider_tx_id": donation.provider_tx_id, "received_on": donation.received_on.isoformat(),
        "ledger": donation.ledger, "kind": donation.kind, "status": donation.status,
        "receipt_number": donation.receipt_number, "donor_id": donation.donor_id, "event_id": donation.event_id,
        "reason": donation.reason,
    }  # fmt: skip


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _live(m: Membership) -> bool:
    # A membership voided by the cancellation of its cotisation ends before it starts.
    return m.period_end >= m.period_start


async def add_membership(
    session: AsyncSession, settings: Settings, donation: Donation, donor: Donor, kind: str
) -> Membership:
    """A cotisation buys `membership_months` from the payment, or from the end of a membership
    still running on that day (an early renewal extends it instead of overlapping)."""
    start = donation.received_on
    running = [m for m in await q.memberships_of(session, donor.id) if _live(m) and m.period_end >= start]
    if running:
        start = max(m.period_end for m in running) + timedelta(days=1)
    end = add_months(start, settings.membership_months) - timedelta(days=1)
    return await q.add_membership(
        session, donor_id=donor.id, person_id=donor.person_id, kind=kind, period_start=start, period_end=end,
        fee_cents=donation.amount_cents, donation_id=donation.id,
    )  # fmt: skip


async def record(
    session: AsyncSession,
    settings: Settings,
    entry: Entry,
    donor: Donor | None,
    *,
    findings: Sequence[law.Finding],
    request_key: str,
    actor: Person | None,
    status: str = RECORDED,
    reason: str = "",
    alert: bool = True,
    source: str = "bot",
    ledgers: Mapping[str, CampaignLedger] | None = None,
    key_checked: bool = False,
) -> tuple[Donation, bool]:
    """Store one payment once (request_key), with its register number, membership, audit and alerts.

    Returns (donation, created); a key already used returns the stored donation and does nothing.
    """
    if status == RECORDED and law.has_block(findings):
        raise ValueError("a gift the law blocks can only be stored 'to_refund'")
    existing = None if key_checked else await q.donation_by_request_key(session, request_key)
    if existing is not None:
        return existing, False
    ledgers = ledgers if ledgers is not None else await ledger_map(session)
    number = None
    if status == RECORDED:
        n = await q.next_receipt_number(session, entry.ledger, entry.received_on.year)
        number = receipt_number(entry.ledger, entry.received_on.year, n, ledgers)
    donation = await q.add_donation(
        session, donor, amount_cents=entry.amount_cents, method=entry.method,
        provider=entry.provider, provider_tx_id=entry.provider_tx_id, received_on=entry.received_on,
        ledger=entry.ledger, kind=entry.kind, status=status, findings=findings_json(findings),
        receipt_number=number, event_id=entry.event_id, reason=reason, request_key=request_key,
        created_by=actor.id if actor else None,
    )  # fmt: skip
    membership = None
    kind = entry.effective_membership_kind(settings)
    if status == RECORDED and kind and donor is not None:
        membership = await add_membership(session, settings, donation, donor, kind)
    await pq.audit(
        session, actor, "donation.recorded", f"donation:{donation.id}", after=snapshot(donation), source=source,
        membership_id=membership.id if membership else None,
    )  # fmt: skip
    if alert:
        await alert_treasurers(session, donation, findings, actor, ledgers)
    return donation, True


def alert_text(
    lang: str, donation: Donation, findings: Sequence[law.Finding], actor: Person | None,
    ledgers: Mapping[str, CampaignLedger],
) -> str:
    lines = [t(lang, "money.alert_refund" if donation.status == TO_REFUND else "money.alert_title",
               who=actor.first_name if actor else "coordo")]  # fmt: skip
    # The law's remarks before the details: what needs the treasurer's attention comes first.
    lines += finding_lines(findings, lang)
    lines.append(donation_line(lang, donation, ledgers, full=True))
    if donation.status == TO_REFUND and donation.reason:
        lines.append(t(lang, "money.reason_line", reason=donation.reason))
    return "\n".join(lines)


def donation_line(
    lang: str, d: Donation, ledgers: Mapping[str, CampaignLedger], full: bool, today: date | None = None
) -> str:
    """The payment in one block; `full` adds the donor (treasurers only)."""
    today = today or datetime.now(UTC).date()
    text = t(
        lang, "money.donation_line", id=d.id, amount=format_eur(d.amount_cents, lang),
        kind=kind_label(lang, d.kind), method=method_label(lang, d.method), day=day_words(d.received_on, lang, today),
        ledger=ledger_label(lang, d.ledger, ledgers), status=status_label(lang, d.status),
        receipt=d.receipt_number or "—",
    )  # fmt: skip
    if full:
        text += "\n" + t(lang, "money.donor_line", donor=donor_name(d.donor, lang))
    return text


async def alert_treasurers(
    session: AsyncSession, donation: Donation, findings: Sequence[law.Finding], actor: Person | None,
    ledgers: Mapping[str, CampaignLedger],
) -> int:
    sent = 0
    for person in await q.treasurers(session):
        text = alert_text(person.language, donation, findings, actor, ledgers)
        sent += await outbox.enqueue(
            session, person.telegram_id, text_message(text[:4000]),
            dedupe_key=f"don:alert:{donation.id}:{person.id}", person_id=person.id,
        )  # fmt: skip
    return sent


# =============================================================================================
# Corrections (treasurers only; nothing is deleted)
# =============================================================================================


@dataclass
class Correction:
    ok: bool
    donation: Donation | None = None
    findings: list[law.Finding] = field(default_factory=list)
    error: str = ""  # a text key when not ok


async def correct(
    session: AsyncSession,
    settings: Settings,
    donation_id: int,
    *,
    field_name: str,
    value: Any,
    reason: str,
    actor: Person | None,
    today: date,
) -> Correction:
    """Change one field (amount, date, method) or the status (cancel, refunded), audited with
    before/after. A change that would make an accepted gift illegal is refused."""
    donation = await q.donation_by_id(session, donation_id, lock=True)
    if donation is None:
        return Correction(False, error="dons.gone")
    before = snapshot(donation)
    ledgers = await ledger_map(session)
    findings: list[law.Finding] = findings_from_json(donation.findings)
    if field_name in ("cancel", "refunded"):
        allowed = {"cancel": (RECORDED, TO_REFUND), "refunded": (TO_REFUND,)}[field_name]
        if donation.status not in allowed:
            return Correction(False, donation, error="dons.bad_status")
        donation.status = CANCELLED if field_name == "cancel" else REFUNDED
        if donation.status == CANCELLED:
            for m in await q.memberships_for_donation(session, donation.id):
                # Voided, not deleted: the period ends the day before it starts.
                m.period_end = m.period_start - timedelta(days=1)
    else:
        if donation.status in (CANCELLED, REFUNDED):
            return Correction(False, donation, error="dons.bad_status")
        entry = entry_of(donation)
        if field_name == "amount":
            entry.amount_cents = int(value)
        elif field_name == "date":
            entry.received_on = value
        elif field_name == "method":
            entry.method, entry.provider = value
        else:
            raise ValueError(field_name)
        donor = donation.donor
        findings = await check(
            session, settings, entry, law_donor(donor) if donor else None, donation.donor_id, today,
            exclude_id=donation.id, ledgers=ledgers,
        )  # fmt: skip
        if donation.status == RECORDED and law.has_block(findings):
            return Correction(False, donation, findings, error="dons.edit_blocked")
        donation.amount_cents, donation.received_on = entry.amount_cents, entry.received_on
        donation.method, donation.provider = entry.method, entry.provider
        donation.findings = findings_json(findings)
        for m in await q.memberships_for_donation(session, donation.id):
            m.fee_cents = donation.amount_cents
    donation.reason = reason
    donation.updated_at = datetime.now(UTC)
    await session.flush()
    await pq.audit(
        session, actor, f"donation.{'corrected' if field_name in ('amount', 'date', 'method') else field_name}",
        f"donation:{donation.id}", before=before, after=snapshot(donation), reason=reason,
    )  # fmt: skip
    return Correction(True, donation, findings)


# =============================================================================================
# Memberships
# =============================================================================================


def latest_memberships(memberships: Iterable[Membership]) -> list[Membership]:
    """Each donor's membership that ends last (voided ones left out)."""
    latest: dict[int, Membership] = {}
    for m in memberships:
        if not _live(m):
            continue
        current = latest.get(m.donor_id)
        if current is None or (m.period_end, m.id) > (current.period_end, current.id):
            latest[m.donor_id] = m
    return list(latest.values())


@dataclass
class MembershipCounts:
    active: int = 0  # ends in more than 30 days
    expiring: int = 0  # ends within 30 days (today included)
    lapsed: int = 0  # ended
    expiring_list: list[Membership] = field(default_factory=list)
    lapsed_list: list[Membership] = field(default_factory=list)


def membership_counts(memberships: Iterable[Membership], today: date) -> MembershipCounts:
    out = MembershipCounts()
    for m in latest_memberships(memberships):
        if m.period_end < today:
            out.lapsed += 1
            out.lapsed_list.append(m)
        elif m.period_end <= today + timedelta(days=30):
            out.expiring += 1
            out.expiring_list.append(m)
        else:
            out.active += 1
    out.expiring_list.sort(key=lambda m: m.period_end)
    out.lapsed_list.sort(key=lambda m: m.period_end, reverse=True)
    return out


def reminder_stage(m: Membership, today: date) -> int | None:
    """30, 7 or 0 (the last day) once that many days or fewer are left; None before."""
    left = (m.period_end - today).days
    for stage in sorted(REMINDER_DAYS):
        if left <= stage:
            return stage
    return None


_STAGE_COLUMN = {30: "reminded_30_at", 7: "reminded_7_at", 0: "reminded_end_at"}
# A membership that ended longer ago than this gets no "expired" message (first run on old data).
STALE_AFTER = timedelta(days=7)


async def send_membership_reminders(session: AsyncSession, now: datetime, today: date) -> int:
    """Remind each member (linked to a Telegram person) at 30 and 7 days before the end and on the
    last day, exactly once each: the column and the outbox row are written together, and a stage
    reached late marks the earlier ones done without sending them."""
    sent = 0
    latest = latest_memberships(await q.all_memberships(session, lock=True))
    # The member's Telegram account: the one linked when the fee was paid, else the donor's now.
    linked = await q.donor_people(session, [m.donor_id for m in latest if m.person_id is None])
    people = await q.people_by_ids(session, [m.person_id or linked.get(m.donor_id) or 0 for m in latest])
    for m in latest:
        stage = reminder_stage(m, today)
        if stage is None or getattr(m, _STAGE_COLUMN[stage]) is not None:
            continue
        for earlier in (s for s in REMINDER_DAYS if s > stage):
            if getattr(m, _STAGE_COLUMN[earlier]) is None:
                setattr(m, _STAGE_COLUMN[earlier], now)
        setattr(m, _STAGE_COLUMN[stage], now)
        person = people.get(m.person_id or linked.get(m.donor_id) or 0)
        if person is None or not person.reachable or today - m.period_end > STALE_AFTER:
            continue
        lang = person.language
        key = {30: "mship.remind_30", 7: "mship.remind_7", 0: "mship.remind_end"}[stage]
        text = t(lang, key, name=person.first_name, end=day_words(m.period_end, lang, today),
                 days=(m.period_end - today).days)  # fmt: skip
        sent += await outbox.enqueue(
            session, person.telegram_id, text_message(text), dedupe_key=f"mship:{m.id}:{stage}", person_id=person.id
        )
    return sent


# =============================================================================================
# /bilan
# =============================================================================================


@dataclass
class Bilan:
    year: int
    total: int = 0
    count: int = 0
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    by_ledger: dict[str, int] = field(default_factory=dict)
    by_method: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    refund_count: int = 0
    refund_total: int = 0
    goal: int | None = None
    events: list[tuple[str, date, int, int]] = field(default_factory=list)  # title, day, count, cents


async def bilan(session: AsyncSession, settings: Settings, year: int) -> Bilan:
    out = Bilan(year, goal=cents(settings.fundraising_goal_eur) if settings.fundraising_goal_eur else None)
    rows = await q.donations(session, start=date(year, 1, 1), end=date(year, 12, 31))
    sums: dict[str, Counter[str]] = {"ledger": Counter(), "method": Counter(), "kind": Counter()}
    for d in rows:
        if d.status == TO_REFUND:
            out.refund_count += 1
            out.refund_total += d.amount_cents
        if d.status != RECORDED:
            continue
        out.total += d.amount_cents
        out.count += 1
        out.by_month[d.received_on.month - 1] += d.amount_cents
        sums["ledger"][d.ledger] += d.amount_cents
        sums["method"][d.method] += d.amount_cents
        sums["kind"][d.kind] += d.amount_cents
    out.by_ledger, out.by_method, out.by_kind = (dict(sums[k].most_common()) for k in ("ledger", "method", "kind"))
    tz = settings.tz
    since = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    until = datetime(year, 12, 31, 23, 59, tzinfo=tz).astimezone(UTC)
    events = await q.levee_events(session, since, until)
    raised = await q.raised_by_event(session, [e.id for e in events])
    out.events = [
        (e.title, e.starts_at.astimezone(tz).date(), *raised.get(e.id, (0, 0))) for e in events
    ]
    return out


# =============================================================================================
# Exports
# =============================================================================================


def _csv(rows: Iterable[Sequence[Any]], delimiter: str = ";") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # BOM: spreadsheet programs then read the accents right.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A name typed as "=HYPERLINK(...)" must not run as a formula when the file is opened.
    if text.startswith(_FORMULA_START) and not re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return "'" + text
    return text


def euros_text(amount_cents: int) -> str:
    """"1234.50": a plain decimal for machines (exports), never a float."""
    sign = "-" if amount_cents < 0 else ""
    whole, part = divmod(abs(amount_cents), 100)
    return f"{sign}{whole}.{part:02d}"


DONATION_COLUMNS = (
    "id", "date_reception", "montant", "montant_centimes", "mode", "plateforme", "transaction",
    "caisse", "nature", "statut", "numero_registre", "donateur_id", "civilite", "prenom", "nom",
    "organisation", "ville", "evenement_id", "motif", "remarques", "enregistre_le",
)  # fmt: skip


def donations_csv(rows: Sequence[Donation]) -> bytes:
    out: list[Sequence[Any]] = [DONATION_COLUMNS]
    for d in rows:
        donor = d.donor
        findings = "; ".join(f"{f.level}:{f.code}" for f in findings_from_json(d.findings))
        out.append((
            d.id, d.received_on.isoformat(), euros_text(d.amount_cents), d.amount_cents, d.method, d.provider,
            d.provider_tx_id, d.ledger, d.kind, d.status, d.receipt_number or "", d.donor_id or "",
            donor.civility if donor else "", donor.first_name if donor else "", donor.last_name if donor else "",
            donor.organisation if donor else "", donor.city if donor else "", d.event_id or "", d.reason,
            findings, d.created_at.isoformat(timespec="seconds"),
        ))  # fmt: skip
    return _csv(out)


def donors_csv(donors: Sequence[Donor], rows: Sequence[Donation]) -> bytes:
    """One line per donor with the recorded total of each year (party and campaigns apart)."""
    years = sorted({d.received_on.year for d in rows if d.status == RECORDED})
    totals: dict[tuple[int, int, str], int] = defaultdict(int)
    for d in rows:
        if d.status == RECORDED and d.donor_id is not None:
            scope = "mouvement" if d.ledger == PARTY else "campagnes"
            totals[(d.donor_id, d.received_on.year, scope)] += d.amount_cents
    header = ["donateur_id", "type", "civilite", "prenom", "nom", "organisation", "adresse", "code_postal",
              "ville", "pays", "email", "nationalite", "residence_fiscale", "mandat", "declaration_sur_l_honneur"]
    for year in years:
        header += [f"mouvement_{year}", f"campagnes_{year}"]
    out: list[Sequence[Any]] = [header]
    for donor in donors:
        line: list[Any] = [
            donor.id, donor.donor_type, donor.civility, donor.first_name, donor.last_name, donor.organisation,
            donor.address, donor.postcode, donor.city, donor.country, donor.email, donor.nationality,
            donor.tax_residence or donor.country, donor.elected_mandate,
            donor.sworn_declaration_at.date().isoformat() if donor.sworn_declaration_at else "",
        ]  # fmt: skip
        for year in years:
            line += [euros_text(totals[(donor.id, year, "mouvement")]), euros_text(totals[(donor.id, year, "campagnes")])]
        out.append(line)
    return _csv(out)


# Rule 12 (⚠ to check against the current Fin'Pol documentation): one row per payment.
CNCCFP_COLUMNS = (
    "identifiant", "nature", "date", "identifiant_donateur", "civilite", "nom", "prenom", "mandat",
    "adresse", "ville", "code_postal", "pays", "nationalite", "devise", "montant", "mode",
    "reference_releve", "numero_bordereau", "numero_recu",
)  # fmt: skip
_CNCCFP_KIND = {"don": "don", "cotisation": "cotisation", "cotisation_élu": "cotisation d'élu"}


def cnccfp_tsv(rows: Sequence[Donation]) -> bytes:
    """The donor list of one ledger and year, accepted payments only."""
    out: list[Sequence[Any]] = [CNCCFP_COLUMNS]
    for d in rows:
        if d.status != RECORDED:
            continue
        donor = d.donor
        out.append((
            d.id, _CNCCFP_KIND.get(d.kind, d.kind), d.received_on.strftime("%d/%m/%Y"), d.donor_id or "",
            donor.civility if donor else "", (donor.last_name or donor.organisation) if donor else "",
            donor.first_name if donor else "", donor.elected_mandate if donor and d.kind == "cotisation_élu" else "",
            donor.address if donor else "", donor.city if donor else "", donor.postcode if donor else "",
            donor.country if donor else "", donor.nationality if donor else "", "EUR", euros_text(d.amount_cents),
            d.method, d.provider_tx_id, "", d.receipt_number or "",
        ))  # fmt: skip
    # Tab-separated: a tab inside a field would shift the columns.
    buf = io.StringIO()
    for row in out:
        buf.write("\t".join(_cell(v).replace("\t", " ").replace("\r", " ").replace("\n", " ") for v in row) + "\r\n")
    return buf.getvalue().encode("utf-8")


@dataclass
class ExportFile:
    filename: str
    data: bytes
    caption_key: str
    values: dict[str, Any] = field(default_factory=dict)


async def exports(session: AsyncSession, year: int) -> list[ExportFile]:
    all_rows = await q.donations(session)
    donors = await q.all_donors(session)
    ledgers = await ledger_map(session)
    files = [
        ExportFile("dons.csv", donations_csv(all_rows), "export.donations", {"count": len(all_rows)}),
        ExportFile("donateurs.csv", donors_csv(donors, all_rows), "export.donors", {"count": len(donors)}),
    ]
    year_rows = [d for d in all_rows if d.received_on.year == year]
    for ledger in [PARTY, *sorted({d.ledger for d in year_rows} - {PARTY})]:
        rows = [d for d in year_rows if d.ledger == ledger]
        if ledger != PARTY and not rows:
            continue
        slug = "mouvement" if ledger == PARTY else re.sub(r"[^a-z0-9]+", "-", fold(ledger))[:60].strip("-")
        files.append(ExportFile(
            f"cnccfp-{slug}-{year}.tsv", cnccfp_tsv(rows), "export.cnccfp",
            {"ledger": ledger_label("fr", ledger, ledgers), "year": year,
             "count": sum(1 for d in rows if d.status == RECORDED)},
        ))  # fmt: skip
    return files


# =============================================================================================
# Bulk import (python -m bot donations import FILE.csv)
# =============================================================================================

IMPORT_COLUMNS = (
    "date", "last_name", "first_name", "address", "postcode", "city", "country", "nationality",
    "donor_type", "amount", "method", "ledger", "kind", "reference",
)  # fmt: skip
# Optional: when the source form collected the sworn declaration ("oui", or its date).
OPTIONAL_COLUMNS = ("declaration", "email", "civility")


@dataclass
class RowReport:
    line: int
    status: str  # ok | warned | refused
    amount_cents: int | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "status": self.status, "amount_cents": self.amount_cents, "reasons": self.reasons}


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    added: int = 0
    error: str = ""  # a whole-file problem (missing columns); nothing was read

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [r.as_dict() for r in sorted(self.rows, key=lambda r: r.line)], "added": self.added}


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    entry: Entry | None = None
    donor: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    report: RowReport | None = None


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line number, row) pairs and the missing required columns. Delimiter: , ; or tab."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_key(h).replace(" ", "_") for h in next(reader)]
    except StopIteration:
        return [], list(IMPORT_COLUMNS)
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, padded, strict=False) if h}))
    return rows, missing


def _row_key(raw: Mapping[str, str], seen: Counter[str]) -> str:
    reference = raw.get("reference", "").strip()
    if reference:
        # A cheque number and a transfer reference may coincide: the method is part of the identity.
        return f"imp:ref:{_key(raw.get('method', ''))[:12]}:{reference[:90]}"
    # No reference: the row's own content, plus its rank among identical rows of the file (two
    # genuine identical gifts stay two), so a second import of the file finds the same keys.
    content = "\x1f".join(_key(raw.get(c, "")) for c in IMPORT_COLUMNS)
    digest = hashlib.sha256(content.encode()).hexdigest()[:40]
    seen[digest] += 1
    return f"imp:row:{digest}:{seen[digest]}"


def _reason(key: str, **values: Any) -> str:
    # Reasons of the import report are plain text (JSON and terminal), not Telegram HTML.
    return html.unescape(t("fr", key, **values))


def _parse_row(row: _Row, today: date, ledgers: Sequence[CampaignLedger]) -> None:
    raw, reasons = row.raw, []
    amount = parse_amount(raw.get("amount", ""))
    if amount is None:
        reasons.append(_reason("imp.bad_amount", value=raw.get("amount", "")))
    day = parse_received(raw.get("date", ""), today)
    if day is None:
        reasons.append(_reason("imp.bad_date", value=raw.get("date", "")))
    elif day > today:
        reasons.append(_reason("imp.future_date", value=raw.get("date", "")))
    donor_type = parse_donor_type(raw.get("donor_type", ""))
    if donor_type is None:
        reasons.append(_reason("imp.bad_donor_type", value=raw.get("donor_type", "")))
    method = parse_method(raw.get("method", ""))
    if method is None:
        reasons.append(_reason("imp.bad_method", value=raw.get("method", "")))
    kind = parse_kind(raw.get("kind", ""))
    if kind is None:
        reasons.append(_reason("imp.bad_kind", value=raw.get("kind", "")))
    ledger = _import_ledger(raw.get("ledger", ""), day, ledgers, reasons)
    country = raw.get("country", "")
    country_code = parse_country(country) if country else ""
    if country_code is None:
        reasons.append(_reason("imp.bad_country", value=country))
    nationality = raw.get("nationality", "")
    nationality_code = parse_nationality(nationality) if nationality else ""
    if nationality_code is None:
        reasons.append(_reason("imp.bad_nationality", value=nationality))
    sworn = _declaration(raw.get("declaration", ""), day, today)
    row.report = RowReport(row.line, "refused", amount, reasons)
    if reasons:
        return
    assert amount is not None and day is not None and method is not None and kind is not None
    row.entry = Entry(amount, method[0], kind, day, ledger or PARTY, provider=method[1],
                      provider_tx_id=raw.get("reference", "") if method[0] == "plateforme" else "")
    morale = donor_type == "morale"
    row.donor = {
        "donor_type": donor_type, "civility": raw.get("civility", "")[:10],
        "first_name": "" if morale else raw.get("first_name", "")[:100],
        "last_name": "" if morale else raw.get("last_name", "")[:100],
        "organisation": " ".join(p for p in (raw.get("last_name", ""), raw.get("first_name", "")) if p)[:200]
        if morale else "",
        "address": raw.get("address", "")[:300], "postcode": raw.get("postcode", "")[:20],
        "city": raw.get("city", "")[:100], "country": country_code or "", "email": (parse_email(raw.get("email", "")) or ""),
        "nationality": nationality_code or "", "tax_residence": "", "sworn_declaration_at": sworn,
    }  # fmt: skip


def _declaration(value: str, day: date | None, today: date) -> datetime | None:
    key = _key(value)
    if not key or key in _NONE_WORDS:
        return None
    if key in ("oui", "yes", "1", "x", "true", "vrai"):
        day = day or today
    else:
        day = parse_received(value, today)
        if day is None:
            return None
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _import_ledger(text: str, day: date | None, ledgers: Sequence[CampaignLedger], reasons: list[str]) -> str | None:
    key = _key(text)
    if key in ("mouvement", "parti", "party", "movement"):
        return PARTY
    if not key.startswith("liste:") and not key.startswith("liste :"):
        reasons.append(_reason("imp.bad_ledger", value=text))
        return None
    city = _key(key.split(":", 1)[1])
    matches = [row for row in ledgers if _key(row.city) == city]
    if not matches:
        reasons.append(_reason("imp.unknown_list", value=text.split(":", 1)[1].strip()))
        return None
    if len(matches) == 1 or day is None:
        return matches[0].id
    # Several elections for the city: the one whose collection window holds the day, else the latest.
    def holds(row: CampaignLedger) -> bool:
        end = row.account_filed_on or row.window_end
        return (row.window_start is None or row.window_start <= day) and (end is None or day <= end)

    inside = [row for row in matches if holds(row)]
    pool = inside or matches
    return max(pool, key=lambda r: (r.window_start or date.min, r.id)).id


def _donor_key(src: Donor | Mapping[str, Any]) -> tuple[str, ...]:
    postcode = _key(_field(src, "postcode") or "")
    if _field(src, "donor_type") == "morale":
        return ("morale", _key(_field(src, "organisation") or ""), postcode)
    return ("physique", _key(_field(src, "last_name") or ""), _key(_field(src, "first_name") or ""), postcode)


async def import_rows(
    session: AsyncSession,
    settings: Settings,
    rows: Sequence[tuple[int, dict[str, str]]],
    today: date,
    actor: Person | None = None,
) -> ImportReport:
    """Check every row in date order against the database and the rows before it, store the valid
    ones (in the caller's transaction) and report each. A refused row stores nothing."""
    report = ImportReport()
    ledger_rows = await q.campaign_ledgers(session)
    ledgers = {row.id: row for row in ledger_rows}
    seen: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    parsed = []
    for line, raw in rows:
        row = _Row(line, raw, key=_row_key(raw, seen))
        _parse_row(row, today, ledger_rows)
        if row.key in first_line:
            # One reference is one payment: a second line with it is a duplicate, not a new gift.
            assert row.report is not None
            row.entry = None
            row.report.reasons.append(_reason("imp.duplicate", value=raw.get("reference", ""), line=first_line[row.key]))
        first_line.setdefault(row.key, line)
        parsed.append(row)
    existing = await q.existing_request_keys(session, [r.key for r in parsed])
    donors = {_donor_key(d): d for d in await q.all_donors(session)}
    # Checks first, reads only: the history of each donor and the cash of each ledger are loaded
    # once and grow with the rows accepted so far. SQLite's write lock is then held only for the
    # writes at the end, not while the whole file is checked (the running bot keeps writing).
    histories: dict[tuple[str, ...], list[law.Gift]] = {}
    cash: dict[str, int] = {}
    accepted: list[tuple[_Row, list[law.Finding]]] = []
    for row in sorted(parsed, key=lambda r: (r.entry.received_on if r.entry else date.min, r.line)):
        assert row.report is not None
        report.rows.append(row.report)
        if row.entry is None:
            continue
        done = existing.get(row.key)
        if done is not None:
            _report_existing(row.report, done)
            continue
        key = _donor_key(row.donor)
        stored = donors.get(key)
        if key not in histories:
            gifts = await q.accepted_gifts_of(session, stored.id) if stored is not None else []
            histories[key] = [entry_of(d).gift(ledgers) for d in gifts]
        ledger = row.entry.ledger
        if ledger not in cash:
            cash[ledger] = await q.ledger_cash_total(session, ledger) if ledger != PARTY else 0
        findings = check_against(
            settings, row.entry, law_donor(stored if stored is not None else row.donor), histories[key],
            cash[ledger], ledgers, today,
        )  # fmt: skip
        row.report.reasons = [finding_text(f, "fr") for f in findings]
        if law.has_block(findings):
            continue
        histories[key].append(row.entry.gift(ledgers))
        if row.entry.method == "espèces":
            cash[ledger] += row.entry.amount_cents
        accepted.append((row, findings))
    warned = 0
    for row, findings in accepted:  # in date order: register numbers follow the received dates
        assert row.report is not None and row.entry is not None
        key = _donor_key(row.donor)
        stored = donors.get(key)
        if stored is None:
            stored = donors[key] = await q.add_donor(session, **row.donor)
        await record(
            session, settings, row.entry, stored, findings=findings, request_key=row.key, actor=actor,
            alert=False, source="import", ledgers=ledgers, key_checked=True,
        )  # fmt: skip
        row.report.status = "warned" if findings else "ok"
        warned += bool(findings)
        report.added += 1
    if report.added:
        await _alert_import(session, report, warned)
        await pq.audit(session, actor, "donations.import", "", added=report.added, rows=len(rows))
    return report


def _report_existing(report: RowReport, donation: Donation) -> None:
    findings = findings_from_json(donation.findings)
    report.status = "warned" if findings else "ok"
    report.amount_cents = donation.amount_cents
    report.reasons = [finding_text(f, "fr") for f in findings]
    report.reasons.append(_reason("imp.already", receipt=donation.receipt_number or donation.id))


async def _alert_import(session: AsyncSession, report: ImportReport, warned: int) -> None:
    refused = sum(1 for r in report.rows if r.status == "refused")
    digest = hashlib.sha256(repr([r.as_dict() for r in report.rows]).encode()).hexdigest()[:16]
    for person in await q.treasurers(session):
        lang = person.language
        lines = [t(lang, "imp.alert", added=report.added, warned=warned, refused=refused)]
        lines += [t(lang, "imp.alert_line", line=r.line, status=t(lang, f"imp.status.{r.status}"),
                    reasons=" ; ".join(r.reasons)[:300])
                  for r in sorted(report.rows, key=lambda r: r.line) if r.status != "ok"][:25]  # fmt: skip
        await outbox.enqueue(
            session, person.telegram_id, text_message("\n".join(lines)[:4000]),
            dedupe_key=f"don:import:{digest}:{person.id}", person_id=person.id,
        )  # fmt: skip


def format_report(report: ImportReport) -> str:
    """The French text report of the CLI."""
    lines = []
    for r in sorted(report.rows, key=lambda r: r.line):
        amount = format_eur(r.amount_cents, "fr") if r.amount_cents is not None else "—"
        lines.append(_reason("imp.line", line=r.line, status=_reason(f"imp.status.{r.status}"), amount=amount))
        lines += [f"    - {reason}" for reason in r.reasons]
    lines.append(_reason("imp.total", added=report.added, count=len(report.rows)))
    return "\n".join(lines)


# =============================================================================================
# Google Sheet push (optional)
# =============================================================================================

SHEET_CURSOR = "donations.sheet"
SHEET_HEADER = ["id", "date", "montant", "montant_centimes", "mode", "caisse", "nature", "statut",
                "numero_registre", "donateur", "ville", "enregistre_le"]  # fmt: skip


def sheets_client(services: Services) -> Any:
    """The SheetsClient of the donations sheet: injected in services.extras (tests) or built once."""
    client = services.extras.get("donations_sheets")
    if client is None:
        from integrations.google_auth import CredentialStore
        from integrations.sheets import SheetsClient

        client = SheetsClient(CredentialStore(services.settings.donations_google_token_path),
                              services.settings.donations_sheet_id)  # fmt: skip
        services.extras["donations_sheets"] = client
    return client


async def push_to_sheet(services: Services) -> int:
    """Append the donations recorded since the last push; the cursor moves only after Google said yes.

    Google's append is not idempotent: a crash between its answer and our commit would append
    those rows again at the next push (rare; a duplicate line in a sheet, never in the ledger).
    """
    settings = services.settings
    if not settings.donations_sheet_id:
        return 0
    async with services.db.session() as s:
        state = await q.kv_get(s, SHEET_CURSOR)
        after = int(state.get("last_id", 0)) if state else 0
        rows = await q.donations_after(s, after)
        ledgers = await ledger_map(s)
    if not rows:
        return 0
    values: list[list[Any]] = [] if state else [SHEET_HEADER]
    for d in rows:
        values.append([
            d.id, d.received_on.isoformat(), format_eur(d.amount_cents, "fr"), d.amount_cents, d.method,
            ledger_label("fr", d.ledger, ledgers), d.kind, d.status, d.receipt_number or "",
            donor_name(d.donor), d.donor.city if d.donor else "", d.created_at.isoformat(timespec="seconds"),
        ])  # fmt: skip
    await sheets_client(services).append_rows(settings.donations_sheet_tab, values)
    async with services.db.session() as s:
        await q.kv_set(s, SHEET_CURSOR, {"last_id": rows[-1].id})
    return len(rows)


# =============================================================================================
# Campaign ledgers (CLI)
# =============================================================================================


def new_ledger(
    *, city: str, election: str, population: int | None, mandataire: bool, ceiling_cents: int | None,
    window_start: date | None, window_end: date | None, filed_on: date | None, bank_account: str,
) -> CampaignLedger:
    return CampaignLedger(
        id=law.campaign_ledger_id(city, election), city=city, election_id=election, population=population,
        mandataire_declared=mandataire, official_ceiling_cents=ceiling_cents, window_start=window_start,
        window_end=window_end, account_filed_on=filed_on, bank_account=bank_account,
    )  # fmt: skip



async def remind_due(services: Services, now: datetime) -> int:
    """Queue the reminders due at `now`; returns how many were queued."""
    today = today_in(services.settings, now)
    async with services.transaction() as s:
        return await send_membership_reminders(s, now, today)


async def push_sheet_due(services: Services, now: datetime) -> int:
    """Append new donations to the Google Sheet when DONATIONS_SHEET_ID is set."""
    if not services.settings.donations_sheet_id:
        return 0
    try:
        return await push_to_sheet(services)
    except Exception as exc:  # Google down or the token expired: the next tick tries again
        log.warning("donations sheet push failed: %s", exc)
        return 0

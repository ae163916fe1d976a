"""/export: the payments, the donors with their yearly totals, and the CNCCFP donor list of each
ledger (rule 12), as files; every transmission of the donor list is logged (rules 35 and 41).

Payments and donors come as .xlsx (typed numbers and dates, frozen header, French column names)
and as CSV (;, decimal comma, UTF-8 BOM) through integrations/spreadsheets.py; the CNCCFP list
keeps its own tab-separated format. All of them travel in one .zip (issue 13, item 8)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from bot.texts import t
from capabilities.donations import labels
from capabilities.donations.checking import finding_text, findings_from_json
from capabilities.donations.config import PARTY, ledger_map
from capabilities.donations.labels import ledger_label
from domain.money import euros_text
from domain.statuses import DonationKind, DonationStatus, DonorType
from domain.text import fold
from integrations.spreadsheets import PARIS, cents_to_euros, csv_bytes, xlsx_bytes
from storage import donations as q
from storage import people as pq
from storage.models import CampaignLedger, Donation, Donor, Person

_FORMULA_START = ("=", "+", "-", "@")
# Rule 12 (⚠ to check against the current Fin'Pol documentation): one row per payment.
# fmt: off
CNCCFP_COLUMNS = (
    "identifiant", "nature", "date", "identifiant_donateur", "civilite", "nom", "prenom", "mandat",
    "adresse", "ville", "code_postal", "pays", "nationalite", "devise", "montant", "mode",
    "reference_releve", "numero_bordereau", "numero_recu",
)
DONATION_COLUMNS = (
    "id", "received", "amount", "method", "provider", "transaction", "ledger", "kind", "status",
    "receipt", "donor_id", "civility", "first_name", "last_name", "organisation", "city", "event",
    "reason", "findings", "created",
)
DONOR_COLUMNS = (
    "donor_id", "donor_type", "civility", "first_name", "last_name", "organisation", "address",
    "postcode", "city", "country", "email", "nationality", "residence", "mandate", "sworn",
)
# fmt: on
_CNCCFP_KIND: dict[str, str] = {
    DonationKind.DON: "don",
    DonationKind.COTISATION: "cotisation",
    DonationKind.COTISATION_ELU: "cotisation d'élu",
}


@dataclass
class Table:
    """One spreadsheet: French column names (bot/texts/first_day.py), typed cells."""

    sheet: str
    headers: list[str]
    rows: list[list[Any]]


def _plain(lang: str, key: str, **values: Any) -> str:
    # Column names head a spreadsheet, not a Telegram message: no HTML escaping.
    return html.unescape(t(lang, key, **values))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A name typed as "=HYPERLINK(...)" must not run as a formula when the file is opened.
    if text.startswith(_FORMULA_START) and not re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return "'" + text
    return text


def donations_table(
    rows: Sequence[Donation], ledgers: Mapping[str, CampaignLedger], lang: str = "fr"
) -> Table:
    headers = [_plain(lang, f"xp.col.{c}") for c in DONATION_COLUMNS]
    out: list[list[Any]] = []
    for d in rows:
        donor = d.donor
        findings = "; ".join(finding_text(f, lang) for f in findings_from_json(d.findings))
        out.append(
            [
                d.id,
                d.received_on,
                cents_to_euros(d.amount_cents),
                labels.method_label(lang, d.method),
                d.provider,
                d.provider_tx_id,
                ledger_label(lang, d.ledger, ledgers),
                labels.kind_label(lang, d.kind),
                labels.status_label(lang, d.status),
                d.receipt_number,
                d.donor_id,
                donor.civility if donor else None,
                donor.first_name if donor else None,
                donor.last_name if donor else None,
                donor.organisation if donor else None,
                donor.city if donor else None,
                d.event_id,
                d.reason,
                findings,
                d.created_at,
            ]
        )
    return Table(_plain(lang, "xp.sheet_donations"), headers, out)


def donors_table(donors: Sequence[Donor], rows: Sequence[Donation], lang: str = "fr") -> Table:
    """One line per donor with the recorded total of each year (party and campaigns apart)."""
    recorded = [d for d in rows if d.status == DonationStatus.RECORDED]
    years = sorted({d.received_on.year for d in recorded})
    totals: dict[tuple[int, int, str], int] = defaultdict(int)
    for d in recorded:
        if d.donor_id is not None:
            scope = "party" if d.ledger == PARTY else "campaigns"
            totals[(d.donor_id, d.received_on.year, scope)] += d.amount_cents
    headers = [_plain(lang, f"xp.col.{c}") for c in DONOR_COLUMNS]
    for year in years:
        headers += [
            _plain(lang, "xp.col.party_year", year=year),
            _plain(lang, "xp.col.campaigns_year", year=year),
        ]
    out: list[list[Any]] = []
    for donor in donors:
        sworn = donor.sworn_declaration_at
        kind = "btn_morale" if donor.donor_type == DonorType.MORALE else "btn_physique"
        line: list[Any] = [
            donor.id,
            _plain(lang, f"don.{kind}"),
            donor.civility,
            donor.first_name,
            donor.last_name,
            donor.organisation,
            donor.address,
            donor.postcode,
            donor.city,
            donor.country,
            donor.email,
            donor.nationality,
            donor.tax_residence or donor.country,
            donor.elected_mandate,
            sworn.astimezone(PARIS).date() if sworn and sworn.tzinfo else (sworn.date() if sworn else None),
        ]
        for year in years:
            line += [
                cents_to_euros(totals[(donor.id, year, "party")]),
                cents_to_euros(totals[(donor.id, year, "campaigns")]),
            ]
        out.append(line)
    return Table(_plain(lang, "xp.sheet_donors"), headers, out)


def table_files(stem: str, table: Table) -> list[tuple[str, bytes]]:
    """The same table twice: .xlsx for spreadsheets, .csv (;, decimal comma, BOM) for the rest."""
    return [
        (f"{stem}.xlsx", xlsx_bytes(table.sheet, table.headers, table.rows)),
        (f"{stem}.csv", csv_bytes(table.headers, table.rows)),
    ]


def cnccfp_tsv(rows: Sequence[Donation]) -> bytes:
    """The donor list of one ledger and year, accepted payments only."""
    out: list[Sequence[Any]] = [CNCCFP_COLUMNS]
    for d in rows:
        if d.status != DonationStatus.RECORDED or d.kind == DonationKind.QUETE:
            continue  # the donor list: collections have no donor (rule 8)
        donor = d.donor
        elu = donor is not None and d.kind == DonationKind.COTISATION_ELU
        out.append(
            (
                d.id,
                _CNCCFP_KIND.get(d.kind, d.kind),
                d.received_on.strftime("%d/%m/%Y"),
                d.donor_id or "",
                donor.civility if donor else "",
                (donor.last_name or donor.organisation) if donor else "",
                donor.first_name if donor else "",
                donor.elected_mandate if donor and elu else "",
                donor.address if donor else "",
                donor.city if donor else "",
                donor.postcode if donor else "",
                donor.country if donor else "",
                donor.nationality if donor else "",
                "EUR",
                euros_text(d.amount_cents),
                d.method,
                d.provider_tx_id,
                "",
                d.receipt_number or "",
            )
        )
    # Tab-separated: a tab inside a field would shift the columns.
    buf = io.StringIO()
    for row in out:
        cells = (_cell(v).replace("\t", " ").replace("\r", " ").replace("\n", " ") for v in row)
        buf.write("\t".join(cells) + "\r\n")
    return buf.getvalue().encode("utf-8")


@dataclass
class ExportFile:
    filename: str
    data: bytes


@dataclass
class Export:
    """Every file of one /export, and the caption lines saying what they hold."""

    year: int
    files: list[ExportFile] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def archive(self) -> ExportFile:
        """One .zip: a single document in the chat instead of a burst of files."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in self.files:
                zf.writestr(f.filename, f.data)
        return ExportFile(f"exports-dons-{self.year}.zip", buf.getvalue())

    def caption(self) -> str:
        text = "\n".join(self.lines)
        # Telegram captions stop at 1024 characters: many campaign lists get cut, the files stay whole.
        return text if len(text) <= CAPTION_MAX else text[: CAPTION_MAX - 1] + "…"


CAPTION_MAX = 1024


async def exports(session: AsyncSession, year: int, lang: str = "fr") -> Export:
    all_rows = await q.donations(session)
    donors = await q.all_donors(session)
    ledgers = await ledger_map(session)
    out = Export(year, lines=[t(lang, "xp.archive", year=year)])
    for stem, table in (
        ("dons", donations_table(all_rows, ledgers, lang)),
        ("donateurs", donors_table(donors, all_rows, lang)),
    ):
        out.files += [ExportFile(name, data) for name, data in table_files(stem, table)]
    out.lines.append(t(lang, "xp.donations", count=len(all_rows)))
    out.lines.append(t(lang, "xp.donors", count=len(donors)))
    # The CNCCFP list keeps its own format (tab-separated, dot decimals): do not change it.
    year_rows = [d for d in all_rows if d.received_on.year == year]
    for ledger in [PARTY, *sorted({d.ledger for d in year_rows} - {PARTY})]:
        rows = [d for d in year_rows if d.ledger == ledger]
        if ledger != PARTY and not rows:
            continue
        slug = "mouvement" if ledger == PARTY else re.sub(r"[^a-z0-9]+", "-", fold(ledger))[:60].strip("-")
        name = f"cnccfp-{slug}-{year}.tsv"
        out.files.append(ExportFile(name, cnccfp_tsv(rows)))
        count = sum(1 for d in rows if d.status == DonationStatus.RECORDED and d.kind != DonationKind.QUETE)
        label = ledger_label(lang, ledger, ledgers)
        out.lines.append(t(lang, "xp.cnccfp", file=name, year=year, ledger=label, count=count))
    out.lines.append(t(lang, "xp.receipts"))
    return out


async def export_year(services: Services, actor: Person | None, year: int, lang: str = "fr") -> Export:
    """Every export file for `year`, with the audit row of their transmission."""
    async with services.transaction() as s:
        result = await exports(s, year, lang)
        # Rules 35 and 41: every transmission of the donor list is logged.
        await pq.audit(s, actor, "donations.export", f"year:{year}", files=[f.filename for f in result.files])
    return result

"""/export: the payments, the donors with their yearly totals, and the CNCCFP donor list of each
ledger (rule 12), as files; every transmission of the donor list is logged (rules 35 and 41)."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from capabilities.donations.checking import findings_from_json
from capabilities.donations.config import PARTY, ledger_map
from capabilities.donations.labels import ledger_label
from domain.money import euros_text
from domain.statuses import DonationKind, DonationStatus
from domain.text import fold
from storage import donations as q
from storage import people as pq
from storage.models import Donation, Donor, Person

_FORMULA_START = ("=", "+", "-", "@")
# fmt: off
DONATION_COLUMNS = (
    "id", "date_reception", "montant", "montant_centimes", "mode", "plateforme", "transaction",
    "caisse", "nature", "statut", "numero_registre", "donateur_id", "civilite", "prenom", "nom",
    "organisation", "ville", "evenement_id", "motif", "remarques", "enregistre_le",
)
DONOR_COLUMNS = (
    "donateur_id", "type", "civilite", "prenom", "nom", "organisation", "adresse", "code_postal",
    "ville", "pays", "email", "nationalite", "residence_fiscale", "mandat", "declaration_sur_l_honneur",
)
# Rule 12 (⚠ to check against the current Fin'Pol documentation): one row per payment.
CNCCFP_COLUMNS = (
    "identifiant", "nature", "date", "identifiant_donateur", "civilite", "nom", "prenom", "mandat",
    "adresse", "ville", "code_postal", "pays", "nationalite", "devise", "montant", "mode",
    "reference_releve", "numero_bordereau", "numero_recu",
)
# fmt: on
_CNCCFP_KIND: dict[str, str] = {
    DonationKind.DON: "don",
    DonationKind.COTISATION: "cotisation",
    DonationKind.COTISATION_ELU: "cotisation d'élu",
}


def _csv(rows: Iterable[Sequence[Any]], delimiter: str = ";") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # BOM: spreadsheet programs then read the accents right.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A name typed as "=HYPERLINK(...)" must not run as a formula when the file is opened.
    if text.startswith(_FORMULA_START) and not re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return "'" + text
    return text


def donations_csv(rows: Sequence[Donation]) -> bytes:
    out: list[Sequence[Any]] = [DONATION_COLUMNS]
    for d in rows:
        donor = d.donor
        findings = "; ".join(f"{f.level}:{f.code}" for f in findings_from_json(d.findings))
        out.append(
            (
                d.id,
                d.received_on.isoformat(),
                euros_text(d.amount_cents),
                d.amount_cents,
                d.method,
                d.provider,
                d.provider_tx_id,
                d.ledger,
                d.kind,
                d.status,
                d.receipt_number or "",
                d.donor_id or "",
                donor.civility if donor else "",
                donor.first_name if donor else "",
                donor.last_name if donor else "",
                donor.organisation if donor else "",
                donor.city if donor else "",
                d.event_id or "",
                d.reason,
                findings,
                d.created_at.isoformat(timespec="seconds"),
            )
        )
    return _csv(out)


def donors_csv(donors: Sequence[Donor], rows: Sequence[Donation]) -> bytes:
    """One line per donor with the recorded total of each year (party and campaigns apart)."""
    recorded = [d for d in rows if d.status == DonationStatus.RECORDED]
    years = sorted({d.received_on.year for d in recorded})
    totals: dict[tuple[int, int, str], int] = defaultdict(int)
    for d in recorded:
        if d.donor_id is not None:
            scope = "mouvement" if d.ledger == PARTY else "campagnes"
            totals[(d.donor_id, d.received_on.year, scope)] += d.amount_cents
    header = list(DONOR_COLUMNS)
    for year in years:
        header += [f"mouvement_{year}", f"campagnes_{year}"]
    out: list[Sequence[Any]] = [header]
    for donor in donors:
        sworn = donor.sworn_declaration_at
        line: list[Any] = [
            donor.id,
            donor.donor_type,
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
            sworn.date().isoformat() if sworn else "",
        ]
        for year in years:
            line += [
                euros_text(totals[(donor.id, year, "mouvement")]),
                euros_text(totals[(donor.id, year, "campagnes")]),
            ]
        out.append(line)
    return _csv(out)


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
        values = {
            "ledger": ledger_label("fr", ledger, ledgers),
            "year": year,
            "count": sum(1 for d in rows if d.status == DonationStatus.RECORDED),
        }
        files.append(ExportFile(f"cnccfp-{slug}-{year}.tsv", cnccfp_tsv(rows), "export.cnccfp", values))
    return files


async def export_year(services: Services, actor: Person | None, year: int) -> list[ExportFile]:
    """Every export file for `year`, with the audit row of their transmission."""
    async with services.transaction() as s:
        files = await exports(s, year)
        # Rules 35 and 41: every transmission of the donor list is logged.
        await pq.audit(s, actor, "donations.export", f"year:{year}", files=[f.filename for f in files])
    return files

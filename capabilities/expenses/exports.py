"""/export_frais: the year's claims as CSV (;, decimal comma, UTF-8 BOM) and a ZIP of the receipts named
by expense number. A separate command from the donations' /export: other files, other readers (the
accountant), and the donations' export stays as it is. Each export is logged (docs/legal-rules.md,
rule 42: receipts are financial records)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from bot.services import Services
from bot.texts import t
from capabilities.donations.labels import ledger_label
from capabilities.expenses import receipts
from domain.expenses import receipt_name
from storage import donations as dq
from storage import expenses as q
from storage import people as pq
from storage.models import Person

_FORMULA_START = ("=", "+", "-", "@")
# fmt: off
COLUMNS = (
    "numero", "date", "montant", "montant_centimes", "objet", "categorie", "compte", "evenement",
    "demandeur", "statut", "motif_refus", "question", "reponse", "paye_le", "justificatif",
)
# fmt: on


@dataclass
class ExportFile:
    filename: str
    data: bytes
    caption_key: str
    values: dict[str, object]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell a spreadsheet would run as a formula is quoted (CSV injection).
    return "'" + text if text.startswith(_FORMULA_START) else text


def euros(cents: int) -> str:
    """Decimal comma, no thousands separator: what spreadsheets read as a number in French."""
    return f"{cents // 100},{cents % 100:02d}"


async def export_year(svc: Services, actor: Person | None, year: int, lang: str = "fr") -> list[ExportFile]:
    async with svc.transaction() as s:
        rows = await q.for_export(s, date(year, 1, 1), date(year, 12, 31))
        ledgers = {r.id: r for r in await dq.campaign_ledgers(s)}
        titles = await q.event_titles(s, [e.event_id for e in rows if e.event_id])
        await pq.audit(s, actor, "expense.exported", f"year:{year}", count=len(rows))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    archive = io.BytesIO()
    missing = 0
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for e in rows:
            data = receipts.read(svc, e.receipt_file)
            name = receipt_name(e.id, e.receipt_kind)
            if data is None:
                missing += 1
                name = ""
            else:
                z.writestr(name, data)
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        e.id,
                        e.spent_on.strftime("%d/%m/%Y"),
                        euros(e.amount_cents),
                        e.amount_cents,
                        e.purpose,
                        t(lang, f"exp.cat.{e.category}"),
                        ledger_label(lang, e.ledger, ledgers),
                        titles.get(e.event_id or 0, ""),
                        e.claimant,
                        t(lang, f"exp.status.{e.status}"),
                        e.reason,
                        e.question,
                        e.reply,
                        e.paid_on.strftime("%d/%m/%Y") if e.paid_on else "",
                        name,
                    )
                ]
            )
    csv_bytes = ("\ufeff" + buf.getvalue()).encode("utf-8")
    return [
        ExportFile(f"frais-{year}.csv", csv_bytes, "exp.export_csv", {"count": len(rows), "year": year}),
        ExportFile(
            f"justificatifs-{year}.zip",
            archive.getvalue(),
            "exp.export_zip",
            {"count": len(rows) - missing, "missing": missing},
        ),
    ]

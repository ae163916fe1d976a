"""Evaluation of a triage model on labelled emails, and its printed report (in French)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.triage.model import Email, Prediction, Triage
from domain.triage.rules import LABELS

LABEL_NAMES = {
    "spam": "spam",
    "finance": "finances",
    "communication": "communication",
    "website": "site",
    "campaign": "campagne",
    "secretariat": "secrétariat",
}


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file (blank lines skipped; a bad line raises ValueError with its number)."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number} : JSON invalide ({exc.msg})") from exc
            if isinstance(row, dict):
                rows.append(row)
    return rows


@dataclass
class LabelStats:
    total: int = 0
    correct: int = 0
    predicted: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0


@dataclass
class EvaluationReport:
    total: int
    correct: int
    threshold: float
    per_label: dict[str, LabelStats]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    campaign_total: int
    campaign_city_correct: int
    automatic: int
    automatic_correct: int
    predictions: list[tuple[str, Prediction]] = field(default_factory=list)
    errors: list[tuple[str, str, str | None, Prediction]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def city_accuracy(self) -> float:
        return self.campaign_city_correct / self.campaign_total if self.campaign_total else 0.0

    @property
    def automatic_share(self) -> float:
        return self.automatic / self.total if self.total else 0.0

    @property
    def automatic_accuracy(self) -> float:
        return self.automatic_correct / self.automatic if self.automatic else 0.0


ModelSource = Callable[[], Triage] | Triage | Iterable[Mapping[str, Any]]


def _model_from(source: ModelSource) -> Triage:
    if isinstance(source, Triage):
        return source
    if callable(source):
        return source()
    return Triage().fit(list(source))


def evaluate(
    model_factory_or_train_rows: ModelSource,
    test_rows: Sequence[Mapping[str, Any]],
    threshold: float | None = None,
) -> EvaluationReport:
    """Predict every test row and compare with its label (and city for campaign emails).

    The first argument is a trained model, a function returning one, or training rows.
    An email counts as correct when its label is right and, for campaign, its city too.
    """
    model = _model_from(model_factory_or_train_rows)
    if threshold is None:
        threshold = model.threshold
    per_label = {label: LabelStats() for label in LABELS}
    confusion = {gold: dict.fromkeys(LABELS, 0) for gold in LABELS}
    report = EvaluationReport(0, 0, threshold, per_label, confusion, 0, 0, 0, 0)
    for row in test_rows:
        gold = row.get("label")
        email = Email.from_row(row)
        prediction = model.predict(email)
        report.predictions.append((email.id, prediction))
        if gold not in LABELS:
            continue
        gold_city = row.get("city") if gold == "campaign" else None
        report.total += 1
        per_label[gold].total += 1
        per_label[prediction.label].predicted += 1
        confusion[gold][prediction.label] += 1
        right = prediction.label == gold and (gold != "campaign" or prediction.city == gold_city)
        if gold == "campaign":
            report.campaign_total += 1
            if prediction.city == gold_city:
                report.campaign_city_correct += 1
        if right:
            report.correct += 1
            per_label[gold].correct += 1
        else:
            report.errors.append((email.id, str(gold), gold_city, prediction))
        if prediction.confidence >= threshold:
            report.automatic += 1
            report.automatic_correct += int(right)
    return report


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def format_report(report: EvaluationReport, show_errors: int = 20) -> str:
    """The report printed by `coordo triage evaluate`."""
    lines = [
        f"Emails évalués : {report.total}",
        f"Exactitude globale : {_pct(report.accuracy)} ({report.correct}/{report.total})",
        "",
        "Par domaine :",
    ]
    for label in LABELS:
        stats = report.per_label[label]
        lines.append(
            f"  {LABEL_NAMES[label]:<14} {stats.correct:>4}/{stats.total:<4} rappel {_pct(stats.accuracy):>8}"
            f"   précision {_pct(stats.precision):>8}"
        )
    lines += [
        "",
        f"Ville des emails de campagne : {_pct(report.city_accuracy)}"
        f" ({report.campaign_city_correct}/{report.campaign_total})",
        "",
        "Matrice de confusion (lignes : attendu, colonnes : prédit) :",
    ]
    short = {label: LABEL_NAMES[label][:6] for label in LABELS}
    lines.append(" " * 15 + " ".join(f"{short[p]:>6}" for p in LABELS))
    for gold in LABELS:
        row = " ".join(f"{report.confusion[gold][p]:>6}" for p in LABELS)
        lines.append(f"  {LABEL_NAMES[gold]:<13}{row}")
    lines += [
        "",
        f"Seuil de confiance : {report.threshold:.2f}",
        f"Routés automatiquement : {_pct(report.automatic_share)} ({report.automatic}/{report.total}),"
        f" dont corrects : {_pct(report.automatic_accuracy)} ({report.automatic_correct}/{report.automatic})",
    ]
    if report.errors and show_errors:
        lines += ["", "Erreurs :"]
        for email_id, gold, gold_city, prediction in report.errors[:show_errors]:
            expected = f"{gold}/{gold_city}" if gold_city else gold
            got = f"{prediction.label}/{prediction.city}" if prediction.city else prediction.label
            lines.append(
                f"  {email_id} : attendu {expected}, prédit {got} (confiance {prediction.confidence:.2f})"
            )
        if len(report.errors) > show_errors:
            lines.append(f"  … et {len(report.errors) - show_errors} autres")
    return "\n".join(lines)

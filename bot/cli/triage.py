"""`coordo triage ...`: evaluate the email triage on labelled files, train and save the live model."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from domain.triage import DEFAULT_THRESHOLD, Triage, evaluate, format_report, load_jsonl

DEFAULT_MODEL_PATH = Path("data") / "triage_model.json"


def add_parser(subparsers: Any) -> None:
    """Add the `triage` subcommand (with `evaluate` and `train`) to an argparse subparsers object."""
    parser = subparsers.add_parser("triage", help="tri des emails de la boîte partagée")
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="triage_command", metavar="{evaluate,train}")

    ev = commands.add_parser("evaluate", help="entraîner sur un fichier et mesurer sur un autre")
    ev.add_argument(
        "--train", required=True, metavar="FICHIER", help="emails étiquetés (JSONL) pour l'apprentissage"
    )
    ev.add_argument("--test", required=True, metavar="FICHIER", help="emails étiquetés (JSONL) à prédire")
    ev.add_argument("--predictions", metavar="SORTIE", help="écrire une ligne JSON par email testé")
    ev.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="X",
        help=f"seuil de confiance du routage automatique (défaut {DEFAULT_THRESHOLD})",
    )
    ev.add_argument("--aliases", metavar="FICHIER", help="alias de villes en plus (JSON : ville -> liste)")
    ev.set_defaults(func=run_evaluate)

    tr = commands.add_parser("train", help="entraîner le modèle en service et l'enregistrer")
    tr.add_argument("file", metavar="FICHIER", help="emails étiquetés (JSONL)")
    tr.add_argument(
        "--out", default=str(DEFAULT_MODEL_PATH), metavar="CHEMIN", help="où enregistrer le modèle JSON"
    )
    tr.add_argument("--aliases", metavar="FICHIER", help="alias de villes en plus (JSON : ville -> liste)")
    tr.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, metavar="X")
    tr.set_defaults(func=run_train)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _load_aliases(path: str | None) -> dict[str, list[str]] | None:
    if not path:
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("le fichier d'alias doit être un objet JSON ville -> liste d'alias")
    return {
        str(city): [str(a) for a in (aliases if isinstance(aliases, list) else [aliases])]
        for city, aliases in data.items()
    }


def _check_threshold(value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"seuil hors de [0, 1] : {value}")


def run_evaluate(args: argparse.Namespace) -> int:
    try:
        _check_threshold(args.threshold)
        aliases = _load_aliases(getattr(args, "aliases", None))
        train_rows = load_jsonl(args.train)
        test_rows = load_jsonl(args.test)
    except (OSError, ValueError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    model = Triage(extra_aliases=aliases, threshold=args.threshold).fit(train_rows)
    report = evaluate(model, test_rows, args.threshold)
    print(f"Apprentissage : {len(train_rows)} emails ({args.train})")
    print(f"Test : {len(test_rows)} emails ({args.test})")
    print()
    print(format_report(report))
    if args.predictions:
        try:
            out = Path(args.predictions)
            if out.parent and not out.parent.exists():
                out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8") as handle:
                for email_id, prediction in report.predictions:
                    line = {"id": email_id, "label": prediction.label, "city": prediction.city}
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            print(f"Erreur : impossible d'écrire {args.predictions} ({exc})", file=sys.stderr)
            return 1
        print()
        print(f"Prédictions écrites dans {args.predictions}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    try:
        _check_threshold(args.threshold)
        aliases = _load_aliases(getattr(args, "aliases", None))
        rows = load_jsonl(args.file)
    except (OSError, ValueError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    model = Triage(extra_aliases=aliases, threshold=args.threshold).fit(rows)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_text(model.to_json(), encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        print(f"Erreur : impossible d'écrire {out} ({exc})", file=sys.stderr)
        return 1
    labelled = sum(1 for row in rows if row.get("label"))
    print(f"Modèle entraîné sur {labelled} emails, enregistré dans {out}")
    return 0

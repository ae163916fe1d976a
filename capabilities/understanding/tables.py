"""The labelled replies the learned reader is trained on: the hand-written table of
tests/domain/test_replies.py (read as text, without importing the test module) and every
tests/domain/data/replies_set_*.jsonl. Never the held-out sets of bench/data: they measure.

Where the repository's tests are not deployed, there are no tables: the model then learns from
the stored corrections alone."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "domain" / "test_replies.py"
SETS_DIR = ROOT / "tests" / "domain" / "data"
SETS_GLOB = "replies_set_*.jsonl"
INTENTS = frozenset({"yes", "no", "maybe", "other"})


def cases_table(path: Path = CASES_FILE) -> list[tuple[str, str]]:
    """(text, intent) of the module's `CASES` list, its names (Y, N, M, OTHER) resolved."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    names: dict[str, object] = {}
    rows: list[tuple[str, str]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            targets = node.targets[0]
            if isinstance(targets, ast.Tuple):
                for name, constant in zip(targets.elts, node.value.elts, strict=False):
                    if isinstance(name, ast.Name) and isinstance(constant, ast.Constant):
                        names[name.id] = constant.value
        if not isinstance(node, ast.AnnAssign):
            continue
        target, table = node.target, node.value
        if isinstance(target, ast.Name) and target.id == "CASES" and isinstance(table, ast.List):
            for item in table.elts:
                row = _row(item, names)
                if row is not None:
                    rows.append(row)
    return rows


def _row(item: ast.expr, names: dict[str, object]) -> tuple[str, str] | None:
    if not isinstance(item, ast.Tuple) or len(item.elts) < 2:
        return None
    values: list[object] = []
    for element in item.elts[:2]:
        if isinstance(element, ast.Constant):
            values.append(element.value)
        elif isinstance(element, ast.Name):
            values.append(names.get(element.id))
        else:
            return None
    text, intent = values
    if isinstance(text, str) and isinstance(intent, str) and intent in INTENTS:
        return text, intent
    return None


def sets_table(folder: Path = SETS_DIR) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in sorted(folder.glob(SETS_GLOB)):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text, intent = item["text"], item["intent"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(text, str) and intent in INTENTS:
                rows.append((text, intent))
    return rows


def training_tables() -> list[tuple[str, str]]:
    """Every labelled reply of the repository's tables (empty where tests are not deployed)."""
    rows = cases_table() + sets_table()
    if not rows:
        log.info("no reply tables found under %s: the reply model learns from corrections only", ROOT)
    return rows

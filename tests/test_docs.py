"""The specifications the code cites exist, and so do the rules it cites in them.

The citation convention is written in docs/README.md ("How code cites a specification"); this
module checks it. In short: a document is cited as `docs/<name>.md`; a rule as "rule N", "rules N
and M", "rules N, M" or "rules N–M", a lettered section as "section E" / "sections E and F", each
on one line. A citation refers to, first match:
1. the document named nearest before it on the same line, or right after it ("rule N of docs/X.md");
2. the one document its file names; when the file names several, the nearest named on a line above
   (in a document of docs/, the document itself);
3. the nearest sub-package `__init__.py` (below the top-level folder) naming exactly one document;
4. the capability named by a folder or file name of its path (`CAPABILITY_DOCS`);
5. nothing: the citation is reported.
A document defines rule N with a line starting "N. " and section X with a heading "## X. ".

Every check is a function of a repository root, so the negative tests run it on small trees in
tmp_path and prove that it fails where it should.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = (
    "bot",
    "capabilities",
    "handlers",
    "domain",
    "storage",
    "scheduler",
    "integrations",
    "sandbox",
    "bench",
)
# Step 4: the document of a capability, for its modules that name none (mirrored in docs/README.md).
CAPABILITY_DOCS: dict[str, str] = {
    "donations": "legal-rules",
    "privacy": "legal-rules",
    "backup": "legal-rules",
    "communication": "communication-rules",
    "inbox": "inbox-labels",
    "triage": "inbox-labels",
    "rsvp": "reply-conventions",
    "replies": "reply-conventions",
    "dates": "date-conventions",
}
README = "README"

# `docs/<name>.md`, or a bare `<name>.md` (counted only when docs/<name>.md exists).
_DOC = re.compile(r"(?<![\w./-])(docs/)?([\w-]+)\.md\b")
_SEP = r"\s*(?:[-–—,&]|\band\b|\bet\b|\bor\b|\bou\b)\s*"
_RULE = re.compile(rf"\brules?\s+(\d+(?:{_SEP}\d+)*)", re.IGNORECASE)
_SECTION = re.compile(rf"\b[Ss]ections?\s+([A-Z](?:{_SEP}[A-Z])*)\b")
_THEN_DOC = re.compile(r"\s+(?:of|in|from|de|du)\s+(?:the\s+)?")
_DASHES = "-–—"
_DEFINES_RULE = re.compile(r"^(\d+)\. ", re.MULTILINE)
_DEFINES_SECTION = re.compile(r"^#{2,6}\s+([A-Z])\.\s", re.MULTILINE)
_README_LINK = re.compile(r"\]\(\s*(?:\./)?([^)\s]+?)\.md\s*\)")


@dataclass(frozen=True)
class Mention:
    """A document named in a file."""

    line: int  # 1-based
    start: int
    end: int
    name: str  # without docs/ and .md
    explicit: bool  # written `docs/<name>.md`


@dataclass(frozen=True)
class Citation:
    """A rule or section citation and the document it refers to (None: none found)."""

    path: str
    line: int
    text: str
    kind: str  # "rule" or "section"
    items: tuple[str, ...]
    doc: str | None
    how: str  # the step that resolved it, or why none did


@dataclass(frozen=True)
class Spec:
    rules: frozenset[str]
    sections: frozenset[str]


# --- files -----------------------------------------------------------------------------------


def code_files(root: Path, use_git: bool = True) -> list[Path]:
    """The tracked .py files under CODE_DIRS (every one on disk when git is not used or fails)."""
    if use_git:
        try:
            out = subprocess.run(
                ["git", "ls-files", "-z", "--", *CODE_DIRS], cwd=root, capture_output=True, check=True
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            out = None
        if out is not None:
            paths = [root / p for p in out.decode("utf-8", "replace").split("\0") if p.endswith(".py")]
            return sorted(p for p in paths if p.is_file() and ".venv" not in p.parts)
    found = [p for d in CODE_DIRS for p in (root / d).rglob("*.py")]
    return sorted(p for p in found if ".venv" not in p.relative_to(root).parts)


def doc_files(root: Path) -> list[Path]:
    return sorted((root / "docs").glob("*.md"))


def known_docs(root: Path) -> frozenset[str]:
    return frozenset(p.stem for p in doc_files(root))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def spec_of(root: Path, name: str) -> Spec | None:
    path = root / "docs" / f"{name}.md"
    if not path.is_file():
        return None
    text = read(path)
    return Spec(frozenset(_DEFINES_RULE.findall(text)), frozenset(_DEFINES_SECTION.findall(text)))


# --- reading citations -----------------------------------------------------------------------


def mentions(text: str, known: frozenset[str]) -> list[Mention]:
    found: list[Mention] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for m in _DOC.finditer(line):
            explicit = m.group(1) is not None
            if explicit or m.group(2) in known:
                found.append(Mention(number, m.start(), m.end(), m.group(2), explicit))
    return found


def _items(kind: str, written: str) -> tuple[str, ...]:
    """ "42–43" → 42, 43; "33, 41" → 33, 41; "E and F" → E, F."""
    if kind == "section":
        return tuple(re.findall(r"[A-Z]", written))
    tokens = re.findall(rf"\d+|[{_DASHES}]", written)
    numbers: list[int] = []
    dash = False
    for token in tokens:
        if token in _DASHES:
            dash = True
            continue
        n = int(token)
        if dash and numbers and numbers[-1] < n <= numbers[-1] + 100:
            numbers.extend(range(numbers[-1] + 1, n + 1))
        else:
            numbers.append(n)
        dash = False
    return tuple(str(n) for n in numbers)


def _distinct(names: list[Mention]) -> set[str]:
    return {m.name for m in names}


def _package_doc(root: Path, path: Path, known: frozenset[str]) -> tuple[str | None, str]:
    top = root / path.relative_to(root).parts[0]
    folder = path.parent.parent if path.name == "__init__.py" else path.parent
    while folder != top and top in folder.parents:
        init = folder / "__init__.py"
        if init.is_file():
            names = _distinct(mentions(read(init), known))
            if len(names) == 1:
                return names.pop(), f"package {rel(root, init)}"
            if names:
                return None, f"{rel(root, init)} names several documents"
        folder = folder.parent
    return None, ""


def _capability_doc(root: Path, path: Path) -> tuple[str | None, str]:
    parts = path.relative_to(root).with_suffix("").parts
    docs = {CAPABILITY_DOCS[p] for p in parts if p in CAPABILITY_DOCS}
    if len(docs) == 1:
        return docs.pop(), "capability"
    return None, "its path names several capabilities" if docs else "no document named in the file"


def resolve(
    root: Path, path: Path, file_mentions: list[Mention], line: int, start: int, end: int, text: str
) -> tuple[str | None, str]:
    """The document a citation at `line`[start:end] refers to, and the step that found it."""
    on_line = [m for m in file_mentions if m.line == line]
    before = [m for m in on_line if m.end <= start]
    if before:
        return before[-1].name, "same line"
    after = _THEN_DOC.match(text, end)
    if after:
        for m in on_line:
            if m.start == after.end():
                return m.name, "same line, after"
    in_docs = path.parent == root / "docs"
    if in_docs:
        return path.stem, "the document itself"
    names = _distinct(file_mentions)
    if len(names) == 1:
        return names.pop(), "the file"
    if names:
        above = [m for m in file_mentions if m.line < line]
        if above:
            return above[-1].name, "nearest above"
        return None, "the file names several documents, none above this line"
    known = known_docs(root)
    doc, how = _package_doc(root, path, known)
    if doc is not None or how:
        return doc, how
    return _capability_doc(root, path)


def citations(root: Path, path: Path) -> list[Citation]:
    text = read(path)
    file_mentions = mentions(text, known_docs(root))
    found: list[Citation] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in (("rule", _RULE), ("section", _SECTION)):
            for m in pattern.finditer(line):
                doc, how = resolve(root, path, file_mentions, number, m.start(), m.end(), line)
                found.append(
                    Citation(rel(root, path), number, m.group(0), kind, _items(kind, m.group(1)), doc, how)
                )
    return found


# --- the checks ------------------------------------------------------------------------------


def missing_doc_problems(root: Path, files: list[Path]) -> list[str]:
    """Every `docs/<name>.md` cited in `files` that docs/ does not hold."""
    problems: list[str] = []
    for path in files:
        for m in mentions(read(path), frozenset()):
            if not (root / "docs" / f"{m.name}.md").is_file():
                problems.append(f"{rel(root, path)}:{m.line}: cites docs/{m.name}.md, which is not in docs/")
    return problems


def rule_problems(root: Path, files: list[Path]) -> list[str]:
    """Every rule or section citation in `files` that its document does not define."""
    problems: list[str] = []
    for path in files:
        for c in citations(root, path):
            where = f"{c.path}:{c.line}: «{c.text}»"
            if c.doc is None:
                problems.append(
                    f"{where} refers to no document ({c.how}); write docs/<name>.md on the line or in the "
                    "module docstring"
                )
                continue
            spec = spec_of(root, c.doc)
            if spec is None:
                problems.append(f"{where} refers to docs/{c.doc}.md ({c.how}), which does not exist")
                continue
            defined = spec.rules if c.kind == "rule" else spec.sections
            for item in c.items:
                if item not in defined:
                    problems.append(f"{where}: docs/{c.doc}.md ({c.how}) defines no {c.kind} {item}")
    return problems


def readme_problems(root: Path) -> list[str]:
    """Every document of docs/ missing from docs/README.md's links, and every link to no document."""
    readme = root / "docs" / f"{README}.md"
    if not readme.is_file():
        return ["docs/README.md does not exist"]
    linked = set(_README_LINK.findall(read(readme)))
    names = {p.stem for p in doc_files(root)} - {README}
    problems = [f"docs/{name}.md is not listed in docs/README.md" for name in sorted(names - linked)]
    problems += [
        f"docs/README.md links to {name}.md, which is not in docs/" for name in sorted(linked - names)
    ]
    return problems


def checked_files(root: Path, use_git: bool = True) -> list[Path]:
    """The code, and the documents of docs/ (their cross-references), README aside."""
    return code_files(root, use_git) + [p for p in doc_files(root) if p.stem != README]


# --- the repository --------------------------------------------------------------------------


def test_every_cited_doc_exists() -> None:
    problems = missing_doc_problems(ROOT, code_files(ROOT) + doc_files(ROOT))
    assert not problems, "\n".join(problems)


def test_every_cited_rule_is_defined_by_its_doc() -> None:
    problems = rule_problems(ROOT, checked_files(ROOT))
    assert not problems, "\n".join(problems)


def test_every_doc_is_listed_in_the_readme() -> None:
    problems = readme_problems(ROOT)
    assert not problems, "\n".join(problems)


def test_the_scan_sees_the_code_that_cites_docs() -> None:
    # A scan that finds nothing would pass every check above.
    files = code_files(ROOT)
    assert len(files) > 50
    assert all(".venv" not in p.parts and p.suffix == ".py" for p in files)
    cited = {c.doc for p in files for c in citations(ROOT, p)}
    assert cited >= {"legal-rules", "inbox-labels", "reply-conventions"}


@pytest.mark.parametrize(
    ("path", "doc"),
    [
        ("domain/law/checks.py", "legal-rules"),  # the module docstring
        ("domain/law/model.py", "legal-rules"),
        ("bot/settings.py", "legal-rules"),  # a settings group's header comment
        ("domain/triage/cities.py", "inbox-labels"),  # its package's docstring
        ("capabilities/privacy/purge.py", "legal-rules"),
        ("handlers/donations.py", "legal-rules"),  # its capability
        ("storage/privacy.py", "legal-rules"),
        ("bot/cli/backup.py", "legal-rules"),
        ("capabilities/donations/exports.py", "legal-rules"),
        ("domain/replies.py", "reply-conventions"),
        ("domain/triage/rules.py", "inbox-labels"),
    ],
)
def test_existing_citations_resolve_to_the_expected_doc(path: str, doc: str) -> None:
    # The convention reaches the document these files mean (other citations may come later).
    file = ROOT / path
    docs = {c.doc for c in citations(ROOT, file)} if file.is_file() else set()
    if not docs:
        pytest.skip(f"{path} cites no rule any more")
    assert doc in docs


# --- the checks fail where they should (small trees in tmp_path) -----------------------------

SPEC = "# Spec\n\n## A. First part\n\n1. **One.** Text.\n2. **Two.** Text,\n   continued.\n3. Three.\n"
OTHER = "# Other\n\n1. Only one.\n"
LEGAL = "# Law\n\n1. One.\n2. Two.\n"
README_ALL = "# Docs\n\n[spec](spec.md) · [other](other.md) · [law](legal-rules.md)\n"


def make_repo(tmp_path: Path, files: dict[str, str], readme: str = README_ALL) -> Path:
    docs = {
        "docs/spec.md": SPEC,
        "docs/other.md": OTHER,
        "docs/legal-rules.md": LEGAL,
        "docs/README.md": readme,
    }
    for name, text in {**docs, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def problems_in(root: Path) -> list[str]:
    files = checked_files(root, use_git=False)
    return missing_doc_problems(root, files) + rule_problems(root, files) + readme_problems(root)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"bot/a.py": '"""Spec: docs/missing.md."""\n'}, "bot/a.py:1: cites docs/missing.md"),
        (
            {"domain/a.py": "x = 1  # see docs/missing.md rule 2\n"},
            "docs/missing.md (same line), which does not",
        ),
        (
            {"bot/a.py": "# docs/spec.md rule 9\n"},
            "bot/a.py:1: «rule 9»: docs/spec.md (same line) defines no rule 9",
        ),
        (
            {"bot/a.py": '"""Spec: docs/spec.md."""\n\n\n# Rule 4\n'},
            "bot/a.py:4: «Rule 4»: docs/spec.md (the file)",
        ),
        ({"bot/a.py": "# docs/spec.md rules 2–5\n"}, "defines no rule 4"),
        ({"bot/a.py": "# docs/spec.md rules 3, 7\n"}, "defines no rule 7"),
        ({"bot/a.py": "# docs/spec.md sections A and C\n"}, "defines no section C"),
        ({"bot/a.py": "# rule 2 of docs/other.md\n"}, "docs/other.md (same line, after) defines no rule 2"),
        (
            {"bot/a.py": "# docs/spec.md\n# docs/other.md\n# rule 3\n"},
            "bot/a.py:3: «rule 3»: docs/other.md (nearest above)",
        ),
        ({"bot/a.py": "# rule 1\n# docs/spec.md and docs/other.md\n"}, "none above this line"),
        (
            {"domain/pkg/__init__.py": '"""docs/other.md"""\n', "domain/pkg/m.py": "# rule 3\n"},
            "package domain/pkg/__init__.py",
        ),
        ({"handlers/donations.py": "# rule 5\n"}, "docs/legal-rules.md (capability) defines no rule 5"),
        ({"storage/inbox.py": "# rule 1\n"}, "docs/inbox-labels.md (capability), which does not exist"),
        ({"bot/a.py": "# rule 1\n"}, "bot/a.py:1: «rule 1» refers to no document"),
        (
            {"docs/other.md": OTHER + "\n   See spec.md rule 8 and rule 2.\n"},
            "docs/spec.md (same line) defines no rule 8",
        ),
    ],
)
def test_a_false_citation_is_reported(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    problems = problems_in(make_repo(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_the_same_line_wins_over_the_file(tmp_path: Path) -> None:
    # "rule 2" after docs/other.md on one line is other.md's, although the file names spec.md first.
    root = make_repo(tmp_path, {"docs/other.md": OTHER + "\n   Cited: docs/spec.md rule 2, rule 1.\n"})
    assert [p for p in problems_in(root) if "other.md" in p] == []
    root = make_repo(tmp_path, {"bot/a.py": '"""Spec: docs/spec.md."""\n# docs/other.md rule 2\n'})
    assert any("bot/a.py:2: «rule 2»: docs/other.md (same line)" in p for p in problems_in(root))


def test_true_citations_pass(tmp_path: Path) -> None:
    files = {
        "bot/a.py": '"""Spec: docs/spec.md, sections A."""\n\n# rules 1 and 2; Rule 3; rules 1–3; rules 2, 3\n',
        "bot/b.py": "# docs/spec.md\nx = 1\n# docs/other.md\n# rule 1\n# rule 3 of docs/spec.md\n",
        "domain/pkg/__init__.py": '"""Written from docs/spec.md."""\n',
        "domain/pkg/m.py": "# rule 3\n",
        "handlers/donations.py": "# Rules 1 and 2\n",
        "docs/other.md": OTHER + "\n   Here rule 1, there spec.md rule 3 and legal-rules.md rules 1-2.\n",
        "capabilities/thing.py": "# a rule without a number, rules.py, rules of thumb\n",
    }
    assert problems_in(make_repo(tmp_path, files)) == []


def test_a_doc_missing_from_the_readme_is_reported(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {}, readme="# Docs\n\n[spec](spec.md), [gone](gone.md), legal-rules.md\n")
    assert readme_problems(root) == [
        "docs/legal-rules.md is not listed in docs/README.md",
        "docs/other.md is not listed in docs/README.md",
        "docs/README.md links to gone.md, which is not in docs/",
    ]


def test_without_git_every_python_file_on_disk_is_scanned(tmp_path: Path) -> None:
    files = {"bot/a.py": "", "bot/.venv/x.py": "", "scheduler/j.py": "", "tests/t.py": "", "bot/n.txt": ""}
    root = make_repo(tmp_path, files)
    assert [rel(root, p) for p in code_files(root, use_git=False)] == ["bot/a.py", "scheduler/j.py"]

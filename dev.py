#!/usr/bin/env python3
"""Set-up and entry for people and CI: `python3 dev.py run`, `python3 dev.py test` or `python3 dev.py demo`.

Creates .venv on first use and (re)installs the project whenever pyproject.toml changes,
so both commands work on a fresh machine with only Python 3.11.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be run by an older python3)
        sys.exit("coordo demande Python 3.11 ou plus récent.")
    if not PY.exists():
        print("Création de l'environnement virtuel .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installation des dépendances (première fois ou pyproject.toml modifié) …", flush=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], cwd=ROOT, check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT, check=True)
    stamp.write_text(digest)


PACKAGES = (
    "bot",
    "capabilities",
    "domain",
    "handlers",
    "integrations",
    "sandbox",
    "scheduler",
    "storage",
    "bench",
    "webapp",
)


def compile_sources() -> None:
    """Write the project's bytecode, as Python itself does on first import where it may write
    (some machines set PYTHONDONTWRITEBYTECODE): each start then loads it instead of compiling
    ~200 modules again. Up-to-date files are skipped, so this is quick."""
    subprocess.run([str(PY), "-m", "compileall", "-q", "-j", "0", *PACKAGES], cwd=ROOT, check=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "demo", "bench"):
        print(
            "Utilisation : python3 dev.py run [sous-commande…] | python3 dev.py test [options de pytest…]"
            " | python3 dev.py demo [--port 8080] | python3 dev.py bench [nom…]"
        )
        return 2
    what, rest = argv[0], argv[1:]
    if what == "run":
        ensure_env("")
        compile_sources()
        return subprocess.call([str(PY), "-m", "bot", *rest], cwd=ROOT)
    if what == "demo":
        ensure_env("")
        compile_sources()
        demo = subprocess.Popen([str(PY), "-m", "sandbox.webclient", *rest], cwd=ROOT)
        if os.name != "nt":  # a `kill` of this process stops the demo too, cleanly
            signal.signal(signal.SIGTERM, lambda *_: demo.send_signal(signal.SIGTERM))
        while True:
            try:
                return demo.wait()
            except KeyboardInterrupt:
                continue  # the demo got the same Ctrl+C: let it stop and clean up
    if what == "bench":
        ensure_env("")
        compile_sources()
        return subprocess.call([str(PY), "-m", "bench", *rest], cwd=ROOT)
    ensure_env("test")
    # Every gate runs, whatever failed before it, so that one run shows everything to mend.
    gates = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ]
    failed = [" ".join(gate) for gate in gates if subprocess.call([str(PY), "-m", *gate], cwd=ROOT)]
    # The few tests marked serial (they restart a shared server) alone first, then the rest on two
    # workers (each test has its own database or schema); with -n given, one run as asked.
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest):
        runs = [[*rest]]
    else:
        runs = [["-p", "no:xdist", "-m", "serial", *rest], ["-n", "auto", "-m", "not serial", *rest]]
    for args in runs:
        # 5: nothing selected (e.g. no serial test among the paths asked for)
        if subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT) not in (0, 5):
            failed.append("pytest")
            break
    if failed:
        print("Échec : " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

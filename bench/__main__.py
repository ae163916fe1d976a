"""`python -m bench` runs every benchmark and prints one `name: value` line per figure.

`python -m bench NAME…` runs only those (e.g. `python -m bench broadcast digests`).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(argv: list[str]) -> int:
    names = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(bench.__path__)
        if m.name.startswith("bench_")
    )
    wanted = argv or names
    for name in wanted:
        if name not in names:
            print(f"benchmark inconnu : {name} (connus : {', '.join(names)})", file=sys.stderr)
            return 2
        module = importlib.import_module(f"bench.bench_{name}")
        for key, value in module.run().items():
            print(f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

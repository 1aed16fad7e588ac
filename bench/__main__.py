"""`python -m bench [name ...]`: run the benches (all by default) and print their figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench

# Modules of bench/ that help benches and tests but are no bench themselves.
HELPERS = frozenset({"reference_venv"})


def bench_names() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if not m.name.startswith("_") and m.name not in HELPERS
    )


def main(argv: list[str]) -> int:
    names = argv or bench_names()
    unknown = sorted(set(names) - set(bench_names()))
    if unknown:
        print(f"Unknown bench: {', '.join(unknown)}. Benches: {', '.join(bench_names())}.")
        return 2
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        title = (module.__doc__ or name).strip().splitlines()[0]
        print(f"== {name}: {title}")
        started = time.perf_counter()
        results = module.run()
        width = max((len(label) for label in results), default=0)
        for label, value in results.items():
            print(f"  {label:<{width}}  {value}")
        print(f"  ({time.perf_counter() - started:.1f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Time a 100,000-row enterprise CSV import on SQLite: python scripts/bench_import.py [ROWS]."""

import sys

from chainatlas.imports.bench import run_import_benchmark

if __name__ == "__main__":
    run_import_benchmark(rows=int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

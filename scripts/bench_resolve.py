"""Time entity resolution on a synthetic corpus: python scripts/bench_resolve.py [MENTIONS]."""

from __future__ import annotations

import sys

from chainatlas.kb.bench import run_resolve_benchmark

if __name__ == "__main__":
    run_resolve_benchmark(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

"""Build chainatlas/data/shenwan_2021.tsv from the ChainKnowledgeGraph dump.

Dev-time only: the product never reads the shared folder, it reads the TSV this
script writes. Usage:

    python scripts/import_shenwan.py SHARED_DIR [--out chainatlas/data/shenwan_2021.tsv]

SHARED_DIR is the folder holding ``data/chainkg/industry.json`` and
``data/chainkg/industry_industry.json`` (JSON lines, one record a line).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "chainatlas" / "data" / "shenwan_2021.tsv"


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_rows(chainkg_dir: Path) -> list[tuple[str, str, str]]:
    """Return (code, name, parent_code) rows sorted by code; parent is '' for level 1."""
    industries = _read_jsonl(chainkg_dir / "industry.json")
    relations = _read_jsonl(chainkg_dir / "industry_industry.json")
    names = {r["code"]: r["name"] for r in industries}
    parents: dict[str, str] = {}
    for rel in relations:
        if rel.get("rel") != "上级行业":
            continue
        child, parent = rel["from_code"], rel["to_code"]
        if child not in names or parent not in names:
            raise ValueError(f"relation refers to unknown code: {child} -> {parent}")
        parents[child] = parent
    for code in names:
        # Level-1 codes end in 0000 and are the only ones allowed to lack a parent.
        if code not in parents and not code.endswith("0000"):
            raise ValueError(f"code {code} ({names[code]}) has no parent")
    return sorted((code, names[code], parents.get(code, "")) for code in names)


def write_tsv(rows: list[tuple[str, str, str]], out: Path) -> None:
    lines = ["code\tname\tparent_code"] + ["\t".join(row) for row in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared_dir", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build_rows(args.shared_dir / "data" / "chainkg")
    write_tsv(rows, args.out)
    print(f"wrote {len(rows)} Shenwan 2021 codes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

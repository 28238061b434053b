"""Readers the gold-file form tests share: JSONL gold sets, the shipped listed-company
file and the demo corpus text (decoded as the manifest says), without building a store."""

from __future__ import annotations

import csv
import html
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"
DATA = ROOT / "chainatlas" / "data"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def listed_company_rows() -> list[dict]:
    path = DATA / "companies" / "listed_a_shares.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def demo_corpus_text() -> str:
    manifest = json.loads((DATA / "demo" / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for page in manifest["pages"]:
        raw = (DATA / "demo" / page["file"]).read_bytes()
        pages.append(html.unescape(raw.decode(page["encoding"])))
    return "\n".join(pages)


def load_fact_checker():
    """eval/check_gold.py, the fact gold-file validator. eval/ is deliberately not a package
    (and `eval` shadows a builtin), so it is loaded by path."""
    spec = importlib.util.spec_from_file_location("check_gold", EVAL / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

"""Is a store entity typed as company a foreign enterprise? (pure, shipped data)

The 招商 matcher ranks domestic enterprises outside a region by their domestic record
(Shenwan code, listing, projects). A multinational the corpus names beside its China plant
(三星在西安高新区建有存储芯片工厂) reaches the list through one keyword; it is a lead for
foreign-investment work, not for this list, so the matcher keeps it lower with a note.
Brands live in `data/match/foreign_firms.tsv`; read once per process.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

__all__ = ["FOREIGN_FILE", "foreign_country", "load_foreign_brands"]

FOREIGN_FILE = Path(__file__).resolve().parents[1] / "data/match/foreign_firms.tsv"


@lru_cache(maxsize=1)
def load_foreign_brands() -> dict[str, str]:
    """brand -> country or area, longest brand first."""
    with FOREIGN_FILE.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    rows = {r["brand"]: r["country"] for r in csv.DictReader(lines, delimiter="\t")}
    return dict(sorted(rows.items(), key=lambda kv: -len(kv[0])))


def foreign_country(name: str, brands: dict[str, str] | None = None) -> str | None:
    """The home country of a foreign firm named `name` (三星, 三星电子, 西门子医疗), else None.
    Callers skip listed A-share firms: a listing makes a firm domestic here."""
    text = name.strip()
    for brand, country in (brands if brands is not None else load_foreign_brands()).items():
        if text.startswith(brand):
            return country
    return None

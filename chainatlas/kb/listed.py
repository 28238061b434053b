"""The A-share listed-company gazetteer shipped in chainatlas/data/companies/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "companies" / "listed_a_shares.tsv"


@dataclass(frozen=True, slots=True)
class ListedCompany:
    code: str  # 6 digits
    exchange: str  # SZ / SH / BJ
    name: str  # short name (简称) as of the reference data, e.g. 卫星石化
    full_name: str
    listed_on: str
    shenwan_code: str | None
    shenwan_name: str | None

    @property
    def ticker(self) -> str:
        return f"{self.code}.{self.exchange}"


class ListedCompanies:
    """Lookups by code, short name and full name."""

    def __init__(self, rows: list[ListedCompany]) -> None:
        self.rows = rows
        self.by_code = {r.code: r for r in rows}
        self.by_name: dict[str, ListedCompany] = {}
        for r in rows:
            self.by_name.setdefault(r.name, r)
            self.by_name.setdefault(r.full_name, r)

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, name_or_code: str) -> ListedCompany | None:
        key = name_or_code.strip()
        return self.by_code.get(key[:6]) if key[:6].isdigit() else self.by_name.get(key)


@lru_cache(maxsize=1)
def load_listed() -> ListedCompanies:
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = [
            ListedCompany(
                code=r["code"],
                exchange=r["exchange"],
                name=r["name"],
                full_name=r["full_name"],
                listed_on=r["listed_on"],
                shenwan_code=r["shenwan_code"] or None,
                shenwan_name=r["shenwan_name"] or None,
            )
            for r in csv.DictReader(fh, delimiter="\t")
        ]
    return ListedCompanies(rows)

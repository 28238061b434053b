"""Build chainatlas/data/match/listed_industry_extra.tsv: listed companies whose Shenwan
industry the ChainKnowledgeGraph files give (company_industry.json) but which have no row
in company.json, so the listed-company gazetteer (listed_a_shares.tsv) lacks them
(中芯国际, 华润微, 三一重工 …). The 招商 matcher reads this table to place such firms.

Dev-time only: `python scripts/import_listed_industry_extra.py SHARED_DATA_DIR`, where the
directory holds `company.json` and `company_industry.json` (one JSON object per line).
We keep facts only: stock code, exchange, short name, Shenwan industry code and name.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "chainatlas/data/match/listed_industry_extra.tsv"
GAZETTEER = ROOT / "chainatlas/data/companies/listed_a_shares.tsv"


def _lines(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def main(src: Path) -> None:
    with GAZETTEER.open(encoding="utf-8") as fh:
        known = {row["code"] for row in csv.DictReader(fh, delimiter="\t")}
    known |= {row["code"][:6] for row in _lines(src / "company.json")}
    rows = []
    for row in _lines(src / "company_industry.json"):
        code, _, exchange = row["company_code"].partition(".")
        if code in known or not (code.isdigit() and len(code) == 6):
            continue
        rows.append(
            [
                code,
                exchange,
                row["company_name"].strip(),
                row["industry_code"],
                row["industry_name"],
            ]
        )
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "exchange", "name", "shenwan_code", "shenwan_name"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} companies to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: import_listed_industry_extra.py SHARED_DATA_DIR")
    main(Path(sys.argv[1]))

"""Build chainatlas/data/companies/listed_a_shares.tsv from the ChainKnowledgeGraph files.

Dev-time only: `python scripts/import_listed_companies.py SHARED_DATA_DIR`, where the
directory holds `company.json` and `company_industry.json` (one JSON object per line).
We keep facts only: code, exchange, short name, full name, listing date, Shenwan industry.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "chainatlas/data/companies/listed_a_shares.tsv"
EXCHANGES = {"深圳证券交易所": "SZ", "上海证券交易所": "SH", "北京证券交易所": "BJ"}


def exchange_for(code: str) -> str:
    # Prefix rules of the mainland exchanges; used where the source row lacks a venue.
    if code.startswith(("60", "68", "90")):
        return "SH"
    if code.startswith(("00", "30", "20")):
        return "SZ"
    return "BJ"


def main(src: Path) -> None:
    industries = {}
    for line in (src / "company_industry.json").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        industries[row["company_code"][:6]] = (row["industry_code"], row["industry_name"])
    rows = []
    for line in (src / "company.json").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        code = row["code"][:6]
        if not (code.isdigit() and len(code) == 6):
            continue
        exchange = EXCHANGES.get(row["location"]) or exchange_for(code)
        sw_code, sw_name = industries.get(code, ("", ""))
        rows.append(
            [
                code,
                exchange,
                row["name"].strip(),
                row["fullname"].strip(),
                row["time"],
                sw_code,
                sw_name,
            ]
        )
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(
            ["code", "exchange", "name", "full_name", "listed_on", "shenwan_code", "shenwan_name"]
        )
        writer.writerows(rows)
    print(f"wrote {len(rows)} companies to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

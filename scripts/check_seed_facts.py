"""Dev check: print the mentions and facts extracted from one raw page dump.

    python scripts/check_seed_facts.py PATH [--published 2022-11-30]

The page footer and navigation are stripped with `parse_text_dump` first, so only the
article body is extracted. Dev-time only: the path is given on the command line.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.records import Arg, DateValue, EntityType, Money, Quantity
from chainatlas.ingest.text_page import parse_text_dump


def _show(value: object) -> str:
    if isinstance(value, Arg):
        return value.text
    if isinstance(value, Money | Quantity | DateValue):
        return value.text
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--published", type=date.fromisoformat, default=None)
    ns = ap.parse_args()
    page = parse_text_dump(ns.path.read_text(encoding="utf-8"), fetched_at=datetime.now())
    published = ns.published or getattr(page, "published", None)
    if isinstance(published, datetime):
        published = published.date()
    mentions, facts = extract_document(
        page.text, title=page.title, published=published, resources=load_resources()
    )
    print(f"# {page.title} ({len(page.text)} chars, published {published})")
    print("\n## regions")
    for m in mentions:
        if m.type is EntityType.REGION:
            print(f"  {m.text}\t{m.attrs.get('code')}\t{m.attrs.get('full_name')}")
    print("\n## organisations and people")
    for m in mentions:
        if m.type not in (EntityType.REGION, EntityType.INDUSTRY, EntityType.POSITION):
            print(f"  {m.type.value:12s} {m.text}")
    print("\n## facts")
    for f in facts:
        args = "; ".join(f"{k}={_show(v)}" for k, v in f.args.items() if k != "position_arg")
        print(f"  {f.kind.value:18s} {f.confidence:.2f}  {args}")


if __name__ == "__main__":
    main()

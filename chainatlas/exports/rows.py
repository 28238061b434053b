"""One row writer for every tabular export: JSON lines, or CSV with nested values as JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import TextIO

FORMATS = ("jsonl", "csv")


def row_writer(stream: TextIO, fmt: str, fields: list[str]) -> Callable[[dict], object]:
    """A function writing one record; CSV cells holding lists or dicts get JSON, so each
    record stays one row and stays machine-readable."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        return lambda rec: writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in rec.items()
            }
        )
    return lambda rec: stream.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")

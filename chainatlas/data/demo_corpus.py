"""The bundled demo corpus: pages plus the manifest that says when they were fetched.

Relative dates on the pages (`4个月前 (09-21)`) are resolved against the manifest's fetch
time, not the file's mtime (which is whenever the package was installed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from chainatlas.ingest.records import RawItem, SourceKind

DEMO_DIR = Path(__file__).with_name("demo")


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))


def demo_items() -> Iterator[RawItem]:
    """The demo pages as raw items, each with the fetch time recorded in the manifest."""
    for page in manifest()["pages"]:
        path = DEMO_DIR / page["file"]
        yield RawItem(
            source=f"demo:{page['file']}",
            kind=SourceKind.FILE,
            data=path.read_bytes(),
            fetched_at=datetime.fromisoformat(page["fetched_at"]),
            url=page.get("url") or None,
        )

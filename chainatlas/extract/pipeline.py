"""The versioned extraction step: `extract(document, resources) -> Extraction`.

Pure: no database, no network, no globals beyond cached, read-only resources, so the same
function runs in-process, in a process pool or on Dask workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from chainatlas.extract.core import EXTRACTOR_VERSION, extract_document
from chainatlas.extract.records import Extraction

# EXTRACTOR_VERSION lives next to the rules it versions (chainatlas/extract/core.py): bump
# it when rules, lexicons or models change what is extracted; documents extracted by an
# older version become stale and `chainatlas extract` redoes them (and only them).
__all__ = ["EXTRACTOR_VERSION", "DocInput", "default_resources", "extract"]


@dataclass(frozen=True, slots=True)
class DocInput:
    id: str
    text: str
    title: str | None = None
    published: date | None = None


@lru_cache(maxsize=1)
def default_resources():
    """Models and gazetteers, loaded once per process (workers call this themselves)."""
    from chainatlas.extract.core import load_resources

    return load_resources()


def extract(document: DocInput, resources=None) -> Extraction:
    resources = resources if resources is not None else default_resources()
    mentions, facts = extract_document(
        document.text, title=document.title, published=document.published, resources=resources
    )
    return Extraction(document.id, EXTRACTOR_VERSION, mentions=mentions, facts=facts)

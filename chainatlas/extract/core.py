"""Document-level extraction: mentions and facts from one clean article body.

    resources = load_resources()            # once per process (tagger, gazetteers)
    mentions, facts = extract_document(text, title=..., published=..., resources=resources)

`extract_document` is pure: no database, no network, no globals beyond the cached
loaders. Offsets in mentions, facts and args index `text` (the original body).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from chainatlas.extract.entities import Gazetteer, find_entities, nested_place_regions
from chainatlas.extract.facts import run_all
from chainatlas.extract.facts.context import DocContext
from chainatlas.extract.records import Fact, Mention
from chainatlas.kb.listed import ListedCompany, load_listed
from chainatlas.text.normalize import normalize
from chainatlas.text.sentences import sentence_spans

if TYPE_CHECKING:
    from chainatlas.extract.ner import Tagger

__all__ = ["EXTRACTOR_VERSION", "Resources", "extract_document", "load_resources"]

# Rules version: bump when rules or lexicons change what is extracted. The model part
# changes by itself whenever the shipped NER model is retrained (hash of its meta.json),
# so stored results of an older model become stale too.
RULES_VERSION = "extract.core.v12"


def _model_id() -> str:
    meta = Path(__file__).parent / "ner" / "model" / "meta.json"
    return hashlib.sha256(meta.read_bytes()).hexdigest()[:8] if meta.exists() else "none"


EXTRACTOR_VERSION = f"{RULES_VERSION}+ner.{_model_id()}"


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything extraction reads besides the document; build once, share freely."""

    tagger: Tagger | None  # None: rules and gazetteers only (tests, degraded mode)
    listed_index: dict[str, ListedCompany]  # short and full names → company
    gazetteer: Gazetteer  # listed names + chain keywords/products, one scan


@lru_cache(maxsize=2)
def load_resources(with_ner: bool = True) -> Resources:
    """Load the tagger, listed companies and chain terms (cached per process)."""
    from chainatlas.chains.templates import load_chains

    listed = load_listed()
    index: dict[str, ListedCompany] = {}
    for row in listed.rows:
        for name in (row.name, row.full_name):
            if name and len(name) >= 2:
                index.setdefault(normalize(name).text, row)
    terms: set[str] = set()
    for chain in load_chains():
        for seg in chain.segments:
            terms.update(k for k in (*seg.keywords, *seg.products) if len(k) >= 2)
    tagger = None
    if with_ner:
        from chainatlas.extract.ner import load_tagger

        tagger = load_tagger()
    return Resources(tagger, index, Gazetteer([*index, *terms]))


def extract_document(
    text: str,
    *,
    title: str | None = None,
    published: date | None = None,
    resources: Resources,
) -> tuple[list[Mention], list[Fact]]:
    """Mentions and facts of one article body (see module docstring)."""
    if not text or not text.strip():
        return [], []
    norm = normalize(text).text
    sentences = sentence_spans(text)
    ner_spans = resources.tagger.tag([norm])[0] if resources.tagger is not None else []
    mentions = find_entities(text, norm, sentences, ner_spans, resources)
    ctx = DocContext.build(text, norm, sentences, mentions, title=title, published=published)
    facts = run_all(ctx)
    # Added after the fact rules, which rely on non-overlapping mentions.
    nested = nested_place_regions(mentions)
    if nested:
        mentions = sorted([*mentions, *nested], key=lambda m: (m.start, -m.end))
    return mentions, facts

"""The place job: classify every entity and investment project onto chain segments once,
persist the placements (migration 0006), so the region diagnosis reads them by region
instead of classifying per call.

Incremental: each record's classifier input (name, code, evidence sentences, or the
project's title and sentence) is hashed with the classifier version; a record whose hash
was seen before reuses its stored placements, and a record whose stored row would not
change is not written. Run after every resolve (hooked into `jobs.resolve`) and by
`chainatlas chains place [--rebuild]`.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from chainatlas.chains.templates import ChainCatalog, load_chains
from chainatlas.jobs.diagnose import (
    DiagnosisInputs,
    Weighted,
    classifier_version,
    declared_payload,
    load_inputs,
    stored_placements,
)
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.store import placements as pstore
from chainatlas.store.db import Store

__all__ = ["PlaceReport", "run_place"]


@dataclass(frozen=True, slots=True)
class PlaceReport:
    records: int  # entities (company/research/facility) and projects considered
    placed: int  # records with at least one placement
    classified: int  # records the classifier had to read (the rest reused)
    written: int  # records whose stored rows changed
    removed: int  # records gone since the last run
    declared: int
    version: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(slots=True)
class _Record:
    kind: str
    id: str
    type: str
    region_code: str | None
    levels: dict[str, str | None]
    listed: bool
    day: Any
    attrs: dict[str, Any]
    placements: Weighted

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    def content_hash(self, version: str) -> str:
        body = [
            version,
            self.type,
            self.region_code,
            self.listed,
            self.day,
            self.attrs,
            [(p.chain_id, p.segment_id, p.confidence, p.evidence, w) for p, w in self.placements],
        ]
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _records(inputs: DiagnosisInputs, gaz: RegionGazetteer) -> list[_Record]:
    def levels(code: str | None) -> tuple[str | None, dict[str, str | None]]:
        try:
            regions = gaz.rollup(code) if code else []
        except KeyError:
            regions = []
        # Same rule as `load_inputs`: a code the gazetteer does not know is no region.
        return (code if regions else None), pstore.level_codes(regions)

    out = []
    for e in inputs.entities:
        key = ("entity", e.id)
        code, lv = levels(inputs.region_codes.get(key))
        weights = inputs.weights.get(key, ())
        attrs = {
            "input_hash": inputs.input_hashes[key],
            "name": e.name,
            "stock_code": e.stock_code,
            # Key people ride along: the diagnosis then needs no fact query per call.
            "people": [[p.name, p.position, p.org, p.sentence] for p in e.people],
        }
        out.append(
            _Record("entity", e.id, e.type, code, lv, e.listed, e.first_seen, attrs,
                    tuple(zip(e.placements, weights, strict=True)))
        )  # fmt: skip
    for p in inputs.projects:
        key = ("project", p.id)
        code, lv = levels(inputs.region_codes.get(key))
        attrs = {
            "input_hash": inputs.input_hashes[key],
            "own": p.id in inputs.own_placements,
            "title": p.title,
            "amount": p.amount,
            "stage": p.stage,
            "investor": p.investor,
            "sentence": p.sentence,
            "document_id": p.document_id,
            "region_source": p.region_source,
        }
        weights = inputs.weights.get(key, ())
        out.append(
            _Record("project", p.id, "project", code, lv, False, p.date, attrs,
                    tuple(zip(p.placements, weights, strict=True)))
        )  # fmt: skip
    return out


def _insert_records(session: Session, recs: list[tuple[_Record, str]], version: str) -> None:
    now = datetime.now(UTC)
    for i in range(0, len(recs), 2_000):
        chunk = recs[i : i + 2_000]
        session.execute(
            insert(pstore.PlacementRecordRow),
            [
                {
                    "record_kind": r.kind,
                    "record_id": r.id,
                    "record_type": r.type,
                    "content_hash": h,
                    "classifier_version": version,
                    "placed": len(r.placements),
                    "region_code": r.region_code,
                    **r.levels,
                    "listed": r.listed,
                    "day": r.day,
                    "attrs": r.attrs,
                    "updated_at": now,
                }
                for r, h in chunk
            ],
        )
        rows = [
            {
                "record_kind": r.kind,
                "record_id": r.id,
                "record_type": r.type,
                "rank": rank,
                "chain_id": p.chain_id,
                "segment_id": p.segment_id,
                "weight": w,
                "confidence": p.confidence,
                "stage": r.attrs.get("stage"),
                "evidence": {"text": p.evidence},
                "region_code": r.region_code,
                **r.levels,
                "listed": r.listed,
                "classifier_version": version,
            }
            for r, _h in chunk
            for rank, (p, w) in enumerate(r.placements)
        ]
        if rows:
            session.execute(insert(pstore.PlacementRow), rows)


def _write_declared(session: Session, inputs: DiagnosisInputs, gaz: RegionGazetteer) -> int:
    session.execute(delete(pstore.DeclaredItemRow))
    rows = []
    for seq, d in enumerate(inputs.declared):
        try:
            regions = gaz.rollup(d.region_code)
        except KeyError:
            continue  # no region, no rollup: `diagnose` could never select it either
        rows.append(
            {
                "seq": seq,
                "kind": d.kind,
                "chain_id": d.chain_id,
                "region_code": d.region_code,
                **pstore.level_codes(regions),
                "document_id": d.document_id,
                "payload": declared_payload(d),
            }
        )
    if rows:
        session.execute(insert(pstore.DeclaredItemRow), rows)
    return len(rows)


def run_place(
    store: Store, *, rebuild: bool = False, catalog: ChainCatalog | None = None
) -> PlaceReport:
    """Bring the persisted placements up to date with the store (one transaction)."""
    t0 = time.perf_counter()
    catalog = catalog or load_chains()
    gaz = RegionGazetteer.load()
    version = classifier_version()
    with store.session() as session:
        if rebuild:
            session.execute(delete(pstore.PlacementRow))
            session.execute(delete(pstore.PlacementRecordRow))
        previous, reuse = stored_placements(session, version)
        inputs = load_inputs(session, catalog, gaz, with_baseline=False, reuse=reuse)
        records = _records(inputs, gaz)
        classified = sum(1 for h in inputs.input_hashes.values() if h not in reuse)
        fresh = [(r, r.content_hash(version)) for r in records]
        changed = [(r, h) for r, h in fresh if previous.get(r.key) != h]
        seen = {r.key for r in records}
        removed = [k for k in previous if k not in seen]
        pstore.delete_records(session, [r.key for r, _ in changed if r.key in previous])
        pstore.delete_records(session, removed)
        _insert_records(session, changed, version)
        declared = _write_declared(session, inputs, gaz)
        report = PlaceReport(
            records=len(records),
            placed=sum(1 for r in records if r.placements),
            classified=classified,
            written=len(changed),
            removed=len(removed),
            declared=declared,
            version=version,
            seconds=0.0,
        )
        counts = report.as_dict()
        counts.pop("seconds")
        # Store-LQ denominators, kept with the state so a cold diagnosis needs no pass
        # over every placement.
        per_key, total = pstore.company_totals(session)
        counts["company_segments"], counts["company_total"] = dict(per_key), total
        pstore.write_state(session, pstore.latest_resolve_run(session), version, counts)
    return PlaceReport(**{**report.as_dict(), "seconds": time.perf_counter() - t0})

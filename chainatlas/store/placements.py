"""Persisted chain placements (migration 0006): rows, writes and the indexed reads the
region diagnosis needs.

A placed record is an entity (company, research body, facility) or an investment-project
fact. `placement_records` holds one row per record with the content hash that makes
`chains place` incremental; `placements` one row per (record, segment), carrying the
record's rolled-up region codes in one column per level so "every placement of chain X
in region R" is a single indexed lookup at province, city or county level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chainatlas.kb.regions import Region
from chainatlas.store.kb_schema import ResolveRunRow
from chainatlas.store.schema import Base

__all__ = [
    "LEVEL_COLUMNS",
    "DeclaredItemRow",
    "PlaceStateRow",
    "PlacementRecordRow",
    "PlacementRow",
    "company_totals",
    "latest_resolve_run",
    "level_codes",
    "read_state",
    "region_chain_counts",
    "region_chain_rows",
    "region_company_total",
    "region_declared",
]

LEVEL_COLUMNS = {"province": "province_code", "city": "city_code", "county": "county_code"}


class PlacementRecordRow(Base):
    __tablename__ = "placement_records"

    record_kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # entity | project
    record_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(20))  # company | research | … | project
    content_hash: Mapped[str] = mapped_column(String(64))
    classifier_version: Mapped[str] = mapped_column(String(40))
    placed: Mapped[int] = mapped_column(Integer)  # number of placement rows
    region_code: Mapped[str | None] = mapped_column(String(12))
    province_code: Mapped[str | None] = mapped_column(String(12))
    city_code: Mapped[str | None] = mapped_column(String(12))
    county_code: Mapped[str | None] = mapped_column(String(12))
    listed: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date | None] = mapped_column(Date)  # first seen (entity) or project date
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)  # input hash, project fields
    updated_at: Mapped[datetime]


class PlacementRow(Base):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_kind: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)  # position in the record's placement tuple
    chain_id: Mapped[str] = mapped_column(String(60))
    segment_id: Mapped[str] = mapped_column(String(80))
    weight: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    stage: Mapped[str | None] = mapped_column(String(20))  # project stage (签约 …)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    region_code: Mapped[str | None] = mapped_column(String(12))
    province_code: Mapped[str | None] = mapped_column(String(12))
    city_code: Mapped[str | None] = mapped_column(String(12))
    county_code: Mapped[str | None] = mapped_column(String(12))
    listed: Mapped[bool] = mapped_column(Boolean)
    classifier_version: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_placements_record", "record_kind", "record_id"),
        *(
            Index(f"ix_placements_chain_{c}", "chain_id", c, "record_kind", "record_id", "rank")
            for c in LEVEL_COLUMNS.values()
        ),
        *(
            Index(f"ix_placements_{c}", c, "record_kind", "record_type")
            for c in LEVEL_COLUMNS.values()
        ),
    )


class DeclaredItemRow(Base):
    __tablename__ = "declared_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)  # order the on-the-fly loader produced
    kind: Mapped[str] = mapped_column(String(10))
    chain_id: Mapped[str | None] = mapped_column(String(60))
    region_code: Mapped[str | None] = mapped_column(String(12))
    province_code: Mapped[str | None] = mapped_column(String(12))
    city_code: Mapped[str | None] = mapped_column(String(12))
    county_code: Mapped[str | None] = mapped_column(String(12))
    document_id: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = tuple(Index(f"ix_declared_items_{c}", c) for c in LEVEL_COLUMNS.values())


class PlaceStateRow(Base):
    """One row: which resolve run and classifier version the placements reflect."""

    __tablename__ = "place_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resolve_run_id: Mapped[int | None] = mapped_column(Integer)
    classifier_version: Mapped[str] = mapped_column(String(40))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    finished_at: Mapped[datetime]


def level_codes(regions: Iterable[Region]) -> dict[str, str | None]:
    """{province_code, city_code, county_code} from a rolled-up region list."""
    out: dict[str, str | None] = dict.fromkeys(LEVEL_COLUMNS.values())
    for r in regions:
        out[LEVEL_COLUMNS[r.level]] = r.code
    return out


# --------------------------------------------------------------------------- state


def latest_resolve_run(session: Session) -> int | None:
    return session.scalar(select(func.max(ResolveRunRow.id)))


def read_state(session: Session) -> PlaceStateRow | None:
    return session.get(PlaceStateRow, 1)


def write_state(session: Session, resolve_run_id: int | None, version: str, counts: dict) -> None:
    from datetime import UTC

    row = session.get(PlaceStateRow, 1)
    now = datetime.now(UTC)
    if row is None:
        session.add(PlaceStateRow(id=1, resolve_run_id=resolve_run_id,
                                  classifier_version=version, counts=counts, finished_at=now))  # fmt: skip
    else:
        row.resolve_run_id, row.classifier_version = resolve_run_id, version
        row.counts, row.finished_at = counts, now


# --------------------------------------------------------------------------- writes


def delete_records(session: Session, keys: Sequence[tuple[str, str]]) -> None:
    """Drop records and their placement rows (re-placed or gone)."""
    by_kind: dict[str, list[str]] = {}
    for kind, rid in keys:
        by_kind.setdefault(kind, []).append(rid)
    for kind, ids in by_kind.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            session.execute(
                delete(PlacementRow).where(
                    PlacementRow.record_kind == kind, PlacementRow.record_id.in_(chunk)
                )
            )
            session.execute(
                delete(PlacementRecordRow).where(
                    PlacementRecordRow.record_kind == kind,
                    PlacementRecordRow.record_id.in_(chunk),
                )
            )


# --------------------------------------------------------------------------- reads


def _level(level: str):
    return getattr(PlacementRow, LEVEL_COLUMNS[level])


def region_chain_rows(session: Session, level: str, code: str, chain_id: str, kind: str):
    """Placements of one chain for records of `kind` in the region, joined to their record
    (one indexed query), in record then rank order: (record_id, record_type, segment_id,
    confidence, evidence, region_code, listed, day, attrs)."""
    p, r = PlacementRow, PlacementRecordRow
    return session.execute(
        select(
            p.record_id,
            p.record_type,
            p.segment_id,
            p.confidence,
            p.evidence,
            r.region_code,
            r.listed,
            r.day,
            r.attrs,
        )
        .join(r, (r.record_kind == p.record_kind) & (r.record_id == p.record_id))
        .where(p.chain_id == chain_id, _level(level) == code, p.record_kind == kind)
        .order_by(p.record_id, p.rank)
    ).all()


def region_company_total(session: Session, level: str, code: str) -> int:
    """Companies in the region with at least one placement (the store-LQ denominator)."""
    return (
        session.scalar(
            select(func.count(func.distinct(PlacementRow.record_id))).where(
                _level(level) == code,
                PlacementRow.record_kind == "entity",
                PlacementRow.record_type == "company",
            )
        )
        or 0
    )


def company_totals(session: Session) -> tuple[Counter[str], int]:
    """All placed companies with a region: per segment key, and in total."""
    per_key: Counter[str] = Counter()
    rows = session.execute(
        select(PlacementRow.chain_id, PlacementRow.segment_id, func.count())
        .where(
            PlacementRow.record_kind == "entity",
            PlacementRow.record_type == "company",
            PlacementRow.region_code.is_not(None),
        )
        .group_by(PlacementRow.chain_id, PlacementRow.segment_id)
    ).all()
    for chain_id, segment_id, n in rows:
        per_key[f"{chain_id}/{segment_id}"] = n
    total = session.scalar(
        select(func.count()).where(
            PlacementRecordRow.record_kind == "entity",
            PlacementRecordRow.record_type == "company",
            PlacementRecordRow.placed > 0,
            PlacementRecordRow.region_code.is_not(None),
        )
    )
    return per_key, total or 0


def region_chain_counts(
    session: Session, level: str, code: str, *, kind: str, since: date | None = None
) -> list[tuple[str, str]]:
    """(record id, chain id) pairs, distinct, for companies or projects in the region."""
    stmt = select(PlacementRow.record_id, PlacementRow.chain_id).where(
        _level(level) == code, PlacementRow.record_kind == kind
    )
    if kind == "entity":
        stmt = stmt.where(PlacementRow.record_type == "company")
    if since is not None:
        stmt = stmt.join(
            PlacementRecordRow,
            (PlacementRecordRow.record_kind == PlacementRow.record_kind)
            & (PlacementRecordRow.record_id == PlacementRow.record_id),
        ).where(PlacementRecordRow.day >= since)
    return [(r, c) for r, c in session.execute(stmt.distinct()).all()]


def region_declared(
    session: Session, level: str, code: str, chain_id: str | None = None
) -> list[DeclaredItemRow]:
    stmt = select(DeclaredItemRow).where(getattr(DeclaredItemRow, LEVEL_COLUMNS[level]) == code)
    if chain_id is not None:
        stmt = stmt.where(DeclaredItemRow.chain_id == chain_id)
    return list(session.scalars(stmt.order_by(DeclaredItemRow.seq)))


def chain_activity(session: Session, limit: int = 8) -> list[tuple[str, int, int]]:
    """The busiest chains: (chain id, placed organisations, placed projects), most first."""
    org = func.count(func.distinct(PlacementRow.record_id)).filter(
        PlacementRow.record_kind == "entity"
    )
    proj = func.count(func.distinct(PlacementRow.record_id)).filter(
        PlacementRow.record_kind == "project"
    )
    rows = session.execute(
        select(PlacementRow.chain_id, org, proj)
        .group_by(PlacementRow.chain_id)
        .order_by((org + proj).desc(), PlacementRow.chain_id)
        .limit(limit)
    ).all()
    return [(c, int(o), int(p)) for c, o, p in rows]

"""Validated records → the store, upserting by key.

Rows are written in batches (one transaction per batch, multi-row INSERT and
UPDATE-by-primary-key), which is what makes 100,000 rows a matter of seconds. A batch the
database refuses is retried row by row, each row in its own savepoint, so one bad row is
skipped and reported while the good rows of its batch still land.

Nothing here touches the derived knowledge-base tables: imported records join the entities
at the next resolve (`load_imported_entities` feeds them to the resolver).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from chainatlas.imports.columns import ColumnMap, map_columns
from chainatlas.imports.readers import read_table
from chainatlas.imports.validate import ERROR, ImportRecord, Problem, RegionResolver, Validator
from chainatlas.kb.imported import ImportedEntity
from chainatlas.store.db import Store
from chainatlas.store.imports_schema import ImportedRecordRow, ListingRow

__all__ = [
    "ImportReport",
    "import_file",
    "load_imported_entities",
    "upsert_records",
]

BATCH = 2000


@dataclass(slots=True)
class ImportReport:
    kind: str
    source: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    encoding: str | None = None
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


# --- rows for the two tables --------------------------------------------------------------


def _record_row(rec: ImportRecord, source: str, now: datetime) -> dict:
    attrs = dict(rec.values)
    attrs.pop("name", None)
    if rec.extra:
        attrs["extra"] = rec.extra
    return {
        "kind": rec.kind,
        "key": rec.key[:400],
        "name": rec.name,
        "credit_code": rec.credit_code,
        "region_code": rec.region_code,
        "attrs": attrs,
        "source": source,
        "source_row": rec.row,
        "created_at": now,
        "updated_at": now,
    }


def _listing_row(rec: ImportRecord, source: str, now: datetime) -> dict:
    v = dict(rec.values)
    area = v.pop("area", None) or {}
    price = v.pop("price", None) or {}
    available = v.pop("available_from", None)
    row = {
        "key": rec.key[:400],
        "listing_type": v.pop("listing_type"),
        "title": v.pop("title", None),
        "area": area.get("value"),
        "area_unit": area.get("unit"),
        "area_sqm": area.get("sqm"),
        "price": price.get("value"),
        "price_unit": (price.get("unit") or None) and price["unit"][:40],
        "park": v.pop("park", None),
        "region_code": rec.region_code,
        "address": v.pop("address", None),
        "available_from": date.fromisoformat(available) if available else None,
        "contact_name": (v.pop("contact_name", None) or None),
        "contact_phone": v.pop("contact_phone", None),
        "source": source,
        "source_row": rec.row,
        "created_at": now,
        "updated_at": now,
    }
    v.pop("listing_id", None)
    if price.get("text"):
        v["price_text"] = price["text"]
    if rec.extra:
        v["extra"] = rec.extra
    row["attrs"] = v
    return row


def _merge(old: dict, new: dict) -> dict:
    """A re-import fills and overwrites values but does not blank ones it lacks."""
    merged = dict(old or {})
    merged.update({k: v for k, v in new.items() if v not in (None, "", {}, [])})
    return merged


# --- upsert -------------------------------------------------------------------------------


def _existing(session: Session, kind: str, keys: list[str]) -> dict[str, tuple[int, dict]]:
    if kind == "listings":
        stmt = select(ListingRow.key, ListingRow.id, ListingRow.attrs).where(
            ListingRow.key.in_(keys)
        )
    else:
        stmt = select(ImportedRecordRow.key, ImportedRecordRow.id, ImportedRecordRow.attrs).where(
            ImportedRecordRow.kind == kind, ImportedRecordRow.key.in_(keys)
        )
    return {k: (i, a or {}) for k, i, a in session.execute(stmt)}


def _write(session: Session, table, inserts: list[dict], updates: list[dict]) -> None:
    if inserts:
        session.execute(table.__table__.insert(), inserts)
    if updates:
        session.execute(update(table), updates)  # executemany UPDATE … WHERE id = :id


def _split(kind, rows, existing) -> tuple[list[dict], list[dict]]:
    inserts, updates = [], []
    for row in rows:
        hit = existing.get(row["key"])
        if hit is None:
            inserts.append(row)
            continue
        row = dict(row)
        row.pop("created_at")
        row["id"] = hit[0]
        row["attrs"] = _merge(hit[1], row["attrs"])
        if kind == "listings":
            # A blank contact in the new file keeps the known one.
            for col in ("contact_name", "contact_phone", "title", "address", "park"):
                if not row.get(col):
                    row.pop(col, None)
        updates.append(row)
    return inserts, updates


def upsert_records(
    session: Session, kind: str, records: list[ImportRecord], source: str
) -> tuple[int, int, list[Problem]]:
    """Insert or update one batch; (inserted, updated, problems of rows the database
    refused). Runs inside the caller's transaction."""
    now = datetime.now(UTC)
    to_row = _listing_row if kind == "listings" else _record_row
    table = ListingRow if kind == "listings" else ImportedRecordRow
    rows = [to_row(r, source, now) for r in records]
    existing = _existing(session, kind, [r["key"] for r in rows])
    inserts, updates = _split(kind, rows, existing)
    try:
        with session.begin_nested():
            _write(session, table, inserts, updates)
        return len(inserts), len(updates), []
    except SQLAlchemyError:
        pass
    # Slow path: find the offending rows one savepoint at a time.
    inserted = updated = 0
    problems: list[Problem] = []
    by_key = {r.key[:400]: r for r in records}
    for row, is_insert in [(r, True) for r in inserts] + [(r, False) for r in updates]:
        try:
            with session.begin_nested():
                _write(session, table, [row] if is_insert else [], [] if is_insert else [row])
        except SQLAlchemyError as exc:
            rec = by_key.get(row["key"])
            detail = str(getattr(exc, "orig", exc)).splitlines()[0][:120]
            problems.append(Problem(rec.row if rec else 0, "—", f"数据库拒绝写入：{detail}"))
            continue
        if is_insert:
            inserted += 1
        else:
            updated += 1
    return inserted, updated, problems


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_file(
    store: Store,
    kind: str,
    path: str | Path,
    *,
    overrides: dict[str, str] | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
    batch: int = BATCH,
    regions: RegionResolver | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read, validate and upsert one file. Header problems (a required column missing)
    raise ValueError before anything is written."""
    import time

    t0 = time.perf_counter()
    path = Path(path)
    table = read_table(path, sheet=sheet)
    columns: ColumnMap = map_columns(kind, table.headers, overrides)
    if columns.missing_required:
        labels = "、".join(s.label or s.name for s in columns.missing_required)
        raise ValueError(
            f"缺少必需的列：{labels}（表头：{'，'.join(table.headers)}；可用 --map 源列=字段 指定）"
        )
    report = ImportReport(kind, path.name, unmapped=columns.unmapped, encoding=table.encoding,
                          dry_run=dry_run)  # fmt: skip
    validator = Validator(columns, regions)

    def valid() -> Iterator[ImportRecord]:
        for row_no, cells in table.rows:
            report.rows += 1
            record, problems = validator.row(row_no, cells)
            report.problems.extend(problems)
            if record is None:
                report.skipped += 1
            else:
                yield record

    for chunk in _batches(valid(), batch):
        with store.session() as session:
            if dry_run:
                existing = _existing(session, kind, [r.key[:400] for r in chunk])
                report.updated += len(existing)
                report.inserted += len(chunk) - len(existing)
                continue
            inserted, updated, refused = upsert_records(session, kind, chunk, path.name)
        report.inserted += inserted
        report.updated += updated
        report.skipped += len(refused)
        report.problems.extend(refused)
        if on_progress:
            on_progress(report.rows)
    report.seconds = time.perf_counter() - t0
    return report


# --- feeding the resolver -----------------------------------------------------------------


def load_imported_entities(session: Session) -> tuple[ImportedEntity, ...]:
    """Every imported enterprise, park, research body and expert, for `resolve`."""
    rows = session.execute(
        select(
            ImportedRecordRow.kind,
            ImportedRecordRow.key,
            ImportedRecordRow.name,
            ImportedRecordRow.credit_code,
            ImportedRecordRow.region_code,
            ImportedRecordRow.attrs,
        ).order_by(ImportedRecordRow.id)
    ).all()
    return tuple(ImportedEntity(*r[:5], r[5] or {}) for r in rows)

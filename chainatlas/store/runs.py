"""Reading back stored ingest runs and their per-input outcomes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainatlas.store.schema import IngestEventRow, IngestRunRow


def recent_runs(session: Session, limit: int = 5) -> list[IngestRunRow]:
    return list(session.scalars(select(IngestRunRow).order_by(IngestRunRow.id.desc()).limit(limit)))


def failures_of(session: Session, run_id: int) -> list[IngestEventRow]:
    return list(
        session.scalars(
            select(IngestEventRow)
            .where(IngestEventRow.run_id == run_id, IngestEventRow.status == "failed")
            .order_by(IngestEventRow.id)
        )
    )

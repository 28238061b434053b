"""Web jobs (migration 0009): the durable record of a background ingest or import job.

Every worker process of a server shares this table, so a job accepted by one worker can be
polled through any other. The process that accepted a job runs it and writes its progress
here; `owner` names that process, which is how a later start-up tells a job whose process
died (left `queued`/`running`) from one that is still being worked on.

Phases and inputs are stored as the JSON the API shows (minus display labels), so a read
needs no other table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chainatlas.store.schema import Base

__all__ = [
    "UNFINISHED",
    "WebJobRow",
    "fail_jobs",
    "first_unfinished_before",
    "get_job",
    "insert_job",
    "prune_jobs",
    "recent_jobs",
    "unfinished_jobs",
    "update_job",
]

UNFINISHED = ("queued", "running")


class WebJobRow(Base):
    __tablename__ = "web_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # ingest | import
    status: Mapped[str] = mapped_column(String(12))  # queued | running | done | failed
    phases: Mapped[list] = mapped_column(JSON, default=list)  # [{name, state, done, total}]
    inputs: Mapped[list] = mapped_column(JSON, default=list)  # [{url, kind, state, outcomes}]
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(Integer)  # ingest_runs.id, once stored
    owner: Mapped[str] = mapped_column(String(200))  # host:pid:start of the running process
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_web_jobs_status", "status"),)


def insert_job(session: Session, **values) -> int:
    row = WebJobRow(**values)
    session.add(row)
    session.flush()
    return row.id


def update_job(session: Session, job_id: int, **values) -> None:
    row = session.get(WebJobRow, job_id)
    if row is None:  # pruned meanwhile: progress of a forgotten job has nowhere to go
        return
    for name, value in values.items():
        setattr(row, name, value)


def get_job(session: Session, job_id: int) -> WebJobRow | None:
    return session.get(WebJobRow, job_id)


def recent_jobs(session: Session, limit: int) -> list[WebJobRow]:
    """Newest first."""
    return list(session.scalars(select(WebJobRow).order_by(WebJobRow.id.desc()).limit(limit)))


def unfinished_jobs(session: Session) -> list[WebJobRow]:
    return list(
        session.scalars(
            select(WebJobRow).where(WebJobRow.status.in_(UNFINISHED)).order_by(WebJobRow.id)
        )
    )


def first_unfinished_before(session: Session, job_id: int) -> WebJobRow | None:
    """The oldest job submitted before `job_id` that has not finished, if any."""
    return session.scalars(
        select(WebJobRow)
        .where(WebJobRow.id < job_id, WebJobRow.status.in_(UNFINISHED))
        .order_by(WebJobRow.id)
        .limit(1)
    ).first()


def fail_jobs(
    session: Session,
    is_dead: Callable[[WebJobRow], bool],
    message: str,
    now: datetime,
    *,
    only: Sequence[int] | None = None,
) -> list[int]:
    """Mark unfinished jobs for which `is_dead` holds as failed with `message`; their
    running phases and inputs fail with them. Returns the ids changed."""
    changed = []
    for row in unfinished_jobs(session):
        if (only is not None and row.id not in only) or not is_dead(row):
            continue
        # New lists: JSON columns notice reassignment, not in-place edits.
        row.phases = [
            {**p, "state": "failed"} if p.get("state") == "running" else p for p in row.phases
        ]
        row.inputs = [
            {**i, "state": "failed"} if i.get("state") == "running" else i for i in row.inputs
        ]
        row.status, row.error = "failed", message
        row.finished_at = row.updated_at = now
        changed.append(row.id)
    return changed


def prune_jobs(session: Session, keep: int) -> int:
    """Forget finished jobs older than the newest `keep` (ingests live on as stored runs)."""
    newest = session.scalar(select(func.max(WebJobRow.id)))
    if newest is None or newest <= keep:
        return 0
    result = session.execute(
        delete(WebJobRow).where(WebJobRow.id <= newest - keep, WebJobRow.status.not_in(UNFINISHED))
    )
    return result.rowcount or 0

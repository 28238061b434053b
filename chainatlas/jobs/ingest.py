"""The ingest job: sources → prepare (pure, optionally in worker processes) → store.

One transaction per document, so killing the process leaves only whole documents, and
re-running skips what is already there. Every outcome is printed and stored with the run.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from chainatlas.ingest import dedup
from chainatlas.ingest.pipeline import PreparedDocument, RejectedInput, prepare
from chainatlas.ingest.records import RawItem
from chainatlas.settings import IngestSettings
from chainatlas.store import documents
from chainatlas.store.db import Store
from chainatlas.store.documents import Outcome, Status
from chainatlas.store.schema import IngestEventRow, IngestRunRow


@dataclass(slots=True)
class IngestReport:
    run_id: int | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    bytes_in: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(o.status) for o in self.outcomes)
        return {str(s): counted.get(str(s), 0) for s in Status}

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is Status.FAILED]


def _prepare_safely(raw: RawItem, settings: IngestSettings) -> PreparedDocument | Outcome:
    """Worker entry point: never raises, so one bad page cannot end the batch."""
    try:
        return prepare(raw, settings)
    except RejectedInput as exc:
        return Outcome(raw.source, Status.FAILED, None, str(exc))
    except Exception as exc:  # a parser bug must not lose the rest of the batch
        return Outcome(
            raw.source, Status.FAILED, None, f"internal error: {type(exc).__name__}: {exc}"
        )


def _event(run_id: int, outcome: Outcome):
    return insert(IngestEventRow).values(
        run_id=run_id,
        source=outcome.source,
        status=str(outcome.status),
        document_id=outcome.document_id,
        detail=outcome.detail,
        at=datetime.now(UTC),
    )


def _store_one(
    store: Store, prepared: PreparedDocument, settings: IngestSettings, run_id: int
) -> Outcome:
    """Document, source, signature, index rows and the run event: one transaction."""
    for attempt in range(2):
        try:
            with store.session() as session:
                # The first attempt follows triage's same-bytes check; a retry re-checks.
                outcome = documents.save(
                    session,
                    prepared,
                    near_dup_threshold=settings.near_dup_threshold,
                    bytes_checked=attempt == 0,
                )
                session.execute(_event(run_id, outcome))
                return outcome
        except IntegrityError:
            # Another writer stored the same content between our check and insert: retry
            # once, which then records it as a duplicate.
            if attempt:
                raise
    raise AssertionError("unreachable")


def run_ingest(
    store: Store,
    items: Iterable[RawItem | object],
    *,
    settings: IngestSettings | None = None,
    arguments: list[str] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> IngestReport:
    """Ingest a stream of RawItems (or source errors with .source/.reason) into the store."""
    settings = settings or IngestSettings()
    report = IngestReport()
    with store.session() as session:
        run = IngestRunRow(started_at=datetime.now(UTC), arguments=arguments or [], counts={})
        session.add(run)
        session.flush()
        report.run_id = run.id

    def note(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    def record(outcome: Outcome) -> None:
        with store.session() as session:
            session.execute(_event(report.run_id, outcome))
        note(outcome)

    def finish(result: PreparedDocument | Outcome) -> None:
        if isinstance(result, Outcome):
            record(result)
            return
        try:
            note(_store_one(store, result, settings, report.run_id))
        except Exception as exc:
            record(Outcome(result.source, Status.FAILED, None, f"store error: {exc}"))

    def triage(item: RawItem | object) -> RawItem | None:
        """Source errors and already-ingested bytes are settled here, before any parsing."""
        if not isinstance(item, RawItem):
            record(
                Outcome(
                    getattr(item, "source", "?"),
                    Status.FAILED,
                    None,
                    getattr(item, "reason", str(item)),
                )
            )
            return None
        report.bytes_in += len(item.data)
        with store.session() as session:
            known = documents.document_for_raw(session, dedup.raw_hash(item.data))
        if known:
            record(Outcome(item.source, Status.DUPLICATE, known, "already ingested (same bytes)"))
            return None
        return item

    if settings.workers <= 1:
        for item in items:
            raw = triage(item)
            if raw is not None:
                finish(_prepare_safely(raw, settings))
    else:
        # A bounded window of in-flight pages keeps memory flat however large the corpus.
        window: deque[Future] = deque()
        with ProcessPoolExecutor(max_workers=settings.workers) as pool:
            for item in items:
                raw = triage(item)
                if raw is None:
                    continue
                window.append(pool.submit(_prepare_safely, raw, settings))
                while len(window) >= settings.workers * 4:
                    finish(window.popleft().result())
            while window:
                finish(window.popleft().result())

    with store.session() as session:
        run = session.get(IngestRunRow, report.run_id)
        run.finished_at = datetime.now(UTC)
        run.counts = report.counts
    return report

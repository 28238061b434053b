"""Background jobs for the web app: URL/feed ingest and the resolve that follows an import.

One worker thread per app runs jobs one at a time, in submission order: the pipeline
stages write whole tables (resolve replaces the derived knowledge base), and the machine
is shared, so queueing beats parallelism here. Job state lives in memory for the page to
poll; the durable record of an ingest is the stored run (`chainatlas runs`), linked by
`run_id`.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chainatlas.ingest.fetch import AddressPolicy, Fetcher, FetchSettings
from chainatlas.settings import IngestSettings
from chainatlas.store.db import Store

__all__ = ["InputReport", "Job", "JobRunner", "Phase"]

QUEUED, RUNNING, DONE, FAILED, SKIPPED, PENDING = (
    "queued",
    "running",
    "done",
    "failed",
    "skipped",
    "pending",
)
PHASE_LABELS = {
    "fetch": "抓取与入库",
    "import": "导入",
    "extract": "抽取",
    "resolve": "实体消歧",
}
KEEP_JOBS = 100  # finished jobs kept in memory; older ones live on as stored runs


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(slots=True)
class Phase:
    name: str
    state: str = PENDING
    done: int = 0
    total: int | None = None  # None while unknown (a feed's entry count, say)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": PHASE_LABELS.get(self.name, self.name),
            "state": self.state,
            "done": self.done,
            "total": self.total,
        }


@dataclass(slots=True)
class InputReport:
    """One URL or feed the user gave, and what became of everything fetched for it."""

    url: str
    kind: str  # "url" | "feed"
    state: str = PENDING
    outcomes: list[dict] = field(default_factory=list)

    def settle(self) -> None:
        ok = any(o["status"] != FAILED for o in self.outcomes)
        self.state = DONE if ok else FAILED

    def as_dict(self) -> dict:
        return {"url": self.url, "kind": self.kind, "state": self.state,
                "outcomes": list(self.outcomes)}  # fmt: skip


@dataclass(slots=True)
class Job:
    id: int
    kind: str  # "ingest" | "import"
    phases: list[Phase]
    inputs: list[InputReport] = field(default_factory=list)
    status: str = QUEUED
    run_id: int | None = None  # the stored ingest run, for `chainatlas runs`
    # Web-submitted fetches may not reach internal addresses unless the operator said so.
    allow_private_fetch: bool = False
    summary: dict = field(default_factory=dict)
    error: str | None = None
    created_at: datetime = field(default_factory=_now)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "phases": [p.as_dict() for p in self.phases],
            "inputs": [i.as_dict() for i in self.inputs],
            "run_id": self.run_id,
            "summary": dict(self.summary),
            "error": self.error,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
        }


Work = Callable[[Job], None]


class JobRunner:
    """The queue and its single worker thread (started on the first submission)."""

    def __init__(
        self,
        store: Store,
        *,
        fetch_settings: FetchSettings | None = None,
        ingest_settings: IngestSettings | None = None,
        keep: int = KEEP_JOBS,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        self.store = store
        self.fetch_settings = fetch_settings or FetchSettings()
        # The SSRF guard for jobs that do not allow private targets.
        self.address_policy = address_policy or AddressPolicy()
        # One parsing process: the web server must not fan out over a shared machine.
        self.ingest_settings = ingest_settings or IngestSettings(workers=1)
        self.keep = keep
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._ids = itertools.count(1)
        self._queue: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- reading (any thread) -------------------------------------------------------

    def get(self, job_id: int) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.as_dict() if job else None

    def list(self) -> list[dict]:
        """Newest first."""
        with self._lock:
            return [j.as_dict() for j in reversed(self._jobs.values())]

    def busy(self) -> bool:
        with self._lock:
            return any(j.status in (QUEUED, RUNNING) for j in self._jobs.values())

    # -- submitting -----------------------------------------------------------------

    def submit_ingest(
        self, urls: list[str], feeds: list[str], *, allow_private_fetch: bool = False
    ) -> dict:
        """Queue a fetch of `urls` and `feeds`; internal addresses are refused per input
        (see `AddressPolicy`) unless `allow_private_fetch`."""
        inputs = [InputReport(u, "url") for u in urls] + [InputReport(f, "feed") for f in feeds]
        phases = [Phase("fetch", total=len(inputs)), Phase("extract"), Phase("resolve", total=1)]
        return self._submit(
            "ingest",
            phases,
            self._ingest,
            inputs=inputs,
            allow_private_fetch=allow_private_fetch,
        )

    def submit_import(self, summary: dict, *, resolve: bool) -> dict:
        """Record a finished import and queue the resolve that makes its rows entities."""
        phases = [
            Phase("import", state=DONE, done=summary.get("rows", 0), total=summary.get("rows", 0)),
            Phase("resolve", state=PENDING if resolve else SKIPPED, total=1),
        ]
        return self._submit("import", phases, self._resolve_only, summary=summary)

    def _submit(self, kind: str, phases: list[Phase], work: Work, **fields: Any) -> dict:
        with self._lock:
            job = Job(next(self._ids), kind, phases, **fields)
            self._jobs[job.id] = job
            self._forget_old()
            snapshot = job.as_dict()
        self._ensure_worker()
        self._queue.put((job, work))
        return snapshot

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.status in (DONE, FAILED)]
        for job_id in finished[: max(0, len(self._jobs) - self.keep)]:
            del self._jobs[job_id]

    # -- the worker -----------------------------------------------------------------

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="chainatlas-jobs", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the running job (queued ones are dropped with the process)."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)

    def wait(self, job_id: int, timeout: float = 30.0) -> dict | None:
        """Block until a job finishes (tests and scripts); its final snapshot."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snap = self.get(job_id)
            if snap is None or snap["status"] in (DONE, FAILED):
                return snap
            time.sleep(0.05)
        return self.get(job_id)

    def _loop(self) -> None:
        while (entry := self._queue.get()) is not None:
            job, work = entry
            self._set(job, status=RUNNING, started_at=_now())
            try:
                work(job)
            except Exception as exc:  # one broken job must not stop the queue
                with self._lock:
                    for p in job.phases:
                        if p.state == RUNNING:
                            p.state = FAILED
                    job.error = f"{type(exc).__name__}: {exc}"
                    job.status = FAILED
                    job.finished_at = _now()
                continue
            self._set(job, status=DONE, finished_at=_now())

    def _set(self, job: Job, **values: Any) -> None:
        with self._lock:
            for name, value in values.items():
                setattr(job, name, value)

    def _phase(self, job: Job, name: str, **values: Any) -> None:
        with self._lock:
            phase = job.phase(name)
            for key, value in values.items():
                setattr(phase, key, value)

    # -- work -----------------------------------------------------------------------

    def _ingest(self, job: Job) -> None:
        from chainatlas.jobs.ingest import run_ingest

        self._phase(job, "fetch", state=RUNNING)
        current: list[InputReport] = []

        def on_outcome(outcome) -> None:
            with self._lock:
                current[-1].outcomes.append(
                    {
                        "source": outcome.source,
                        "status": str(outcome.status),
                        "document_id": outcome.document_id,
                        "detail": outcome.detail,
                    }
                )

        policy = None if job.allow_private_fetch else self.address_policy
        with Fetcher(self.fetch_settings, address_policy=policy) as fetcher:
            items = self._items(job, fetcher, current)
            arguments = [i.url if i.kind == "url" else f"--feed={i.url}" for i in job.inputs]
            report = run_ingest(
                self.store,
                items,
                settings=self.ingest_settings,
                arguments=["web", *arguments],
                on_outcome=on_outcome,
            )
        with self._lock:
            job.run_id = report.run_id
            job.summary["ingest"] = report.counts
            job.phase("fetch").state = DONE
        added = report.counts.get("new", 0) + report.counts.get("near_duplicate", 0)
        extracted = self._extract(job)
        if added or extracted:
            self._resolve(job)
        else:
            self._phase(job, "resolve", state=SKIPPED)

    def _items(self, job: Job, fetcher: Fetcher, current: list[InputReport]) -> Iterator:
        """Each input's items in turn; `current` names the input whose items are flowing.

        With one parsing process, run_ingest stores an item before pulling the next, so
        the code after each `yield from` runs once that input is fully settled."""
        from chainatlas.ingest.sources import iter_sources

        for entry in job.inputs:
            with self._lock:
                entry.state = RUNNING
                current.append(entry)
            yield from iter_sources(
                [entry.url],
                feed=entry.kind == "feed",
                # One fetcher for the whole job keeps the per-host delay across inputs.
                fetcher_factory=lambda: nullcontext(fetcher),
                max_bytes=self.fetch_settings.max_bytes,
            )
            with self._lock:
                entry.settle()
                job.phase("fetch").done += 1

    def _extract(self, job: Job) -> int:
        from chainatlas.extract.pipeline import EXTRACTOR_VERSION
        from chainatlas.jobs.extract import run_extract
        from chainatlas.store.extractions import count_pending

        with self.store.session() as session:
            pending = count_pending(session, EXTRACTOR_VERSION)
        self._phase(job, "extract", state=RUNNING, total=pending)

        def on_result(_result) -> None:
            with self._lock:
                job.phase("extract").done += 1

        report = run_extract(self.store, workers=1, on_result=on_result)
        with self._lock:
            job.summary["extract"] = {
                "ok": report.ok,
                "failed": [{"document_id": d, "error": e} for d, e in report.failed],
                "mentions": report.mentions,
                "facts": report.facts,
            }
            job.phase("extract").state = DONE
        return report.ok

    def _resolve(self, job: Job) -> None:
        from chainatlas.jobs.resolve import run_resolve

        self._phase(job, "resolve", state=RUNNING)
        report = run_resolve(self.store)
        with self._lock:
            job.summary["resolve"] = dict(report.counts)
            phase = job.phase("resolve")
            phase.state, phase.done = DONE, 1

    def _resolve_only(self, job: Job) -> None:
        if job.phase("resolve").state == PENDING:
            self._resolve(job)

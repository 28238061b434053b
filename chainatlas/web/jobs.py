"""Background jobs for the web app: URL/feed ingest and the resolve that follows an import.

Job state is kept in the store (`web_jobs`, migration 0009), so with several worker
processes (`chainatlas serve --workers N`) any worker answers `GET /api/v1/jobs/{id}`.
The process that accepted a job runs it on its one worker thread and writes progress to
the row in short transactions of its own. Jobs run one at a time in submission order
across all processes of a server: the pipeline stages write whole tables (resolve
replaces the derived knowledge base) and the machine is shared, so queueing beats
parallelism. A job whose process died is marked failed at the next start-up (and by any
runner waiting behind it) instead of staying "running" for ever. The durable record of
an ingest remains the stored run (`chainatlas runs`), linked by `run_id`.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from chainatlas.ingest.fetch import AddressPolicy, Fetcher, FetchSettings
from chainatlas.settings import IngestSettings
from chainatlas.store import web_jobs
from chainatlas.store.db import Store

__all__ = [
    "INTERRUPTED",
    "InputReport",
    "Job",
    "JobRunner",
    "Phase",
    "job_view",
    "owner_alive",
    "process_owner",
    "recover_interrupted",
]

log = logging.getLogger(__name__)

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
INTERRUPTED = "服务重启，任务中断"
KEEP_JOBS = 100  # finished jobs kept (and listed); older ones live on as stored runs
# Every write transaction bumps the store's data version, which empties the web response
# cache of every worker. Progress is therefore written at most once a second per job
# (plus once per status or phase change), not once per fetched page or extracted document.
PROGRESS_INTERVAL = 1.0
TURN_POLL = 0.5  # seconds between looks at the table while an earlier job runs elsewhere
# A job owned by a process on another host cannot be checked for liveness; it is taken
# as dead when its row has not changed for this long (a web job writes at least at every
# phase change, and no phase of a web-sized job takes hours).
STALE_AFTER = timedelta(hours=6)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


# -- which process owns a job ---------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a Linux process; None where /proc is absent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # the command name may hold spaces
    return (fields[0], fields[19]) if len(fields) > 19 else None


def process_owner() -> str:
    """This process as `host:pid:start`; the start time tells a reused pid apart."""
    pid = os.getpid()
    stat = _proc_stat(pid)
    return f"{socket.gethostname()}:{pid}:{stat[1] if stat else ''}"


def owner_alive(owner: str) -> bool | None:
    """Whether the process named by `owner` still runs; None when this host cannot tell
    (it ran on another host, or the value is not ours)."""
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname() or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started = stat
    # A zombie is a dead worker its parent has not reaped yet.
    return state != "Z" and (not start or started == start)


def _dead(row: web_jobs.WebJobRow, now: datetime) -> bool:
    alive = owner_alive(row.owner)
    if alive is None:
        return now - row.updated_at > STALE_AFTER
    return not alive


def recover_interrupted(store: Store) -> list[int]:
    """Mark jobs left queued/running by a process that no longer runs as failed
    ("服务重启，任务中断"); the ids changed. Reads only, unless there is something to mark."""
    now = _now()
    with store.session() as session:
        return web_jobs.fail_jobs(session, lambda row: _dead(row, now), INTERRUPTED, now)


# -- records ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Phase:
    name: str
    state: str = PENDING
    done: int = 0
    total: int | None = None  # None while unknown (a feed's entry count, say)

    def stored(self) -> dict:
        return {"name": self.name, "state": self.state, "done": self.done, "total": self.total}

    def as_dict(self) -> dict:
        return _phase_view(self.stored())


def _phase_view(stored: dict) -> dict:
    name = stored["name"]
    return {
        "name": name,
        "label": PHASE_LABELS.get(name, name),
        "state": stored["state"],
        "done": stored["done"],
        "total": stored["total"],
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
    """The running process's working copy of a job; `record()` is what the row holds."""

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

    def record(self) -> dict:
        """The row's changing columns (copies: the worker keeps mutating the job)."""
        return {
            "status": self.status,
            "phases": [p.stored() for p in self.phases],
            "inputs": [i.as_dict() for i in self.inputs],
            "summary": dict(self.summary),
            "error": self.error,
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }

    def as_dict(self) -> dict:
        return _view(self.id, self.kind, self.created_at, self.record())


def _view(job_id: int, kind: str, created_at: datetime, record: dict) -> dict:
    """The public JSON shape of a job (API and 数据 page)."""
    return {
        "id": job_id,
        "kind": kind,
        "status": record["status"],
        "phases": [_phase_view(p) for p in record["phases"]],
        "inputs": [dict(i) for i in record["inputs"]],
        "run_id": record["run_id"],
        "summary": dict(record["summary"] or {}),
        "error": record["error"],
        "created_at": _iso(created_at),
        "started_at": _iso(record["started_at"]),
        "finished_at": _iso(record["finished_at"]),
    }


def job_view(row: web_jobs.WebJobRow) -> dict:
    record = {
        "status": row.status,
        "phases": row.phases or [],
        "inputs": row.inputs or [],
        "summary": row.summary,
        "error": row.error,
        "run_id": row.run_id,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
    }
    return _view(row.id, row.kind, row.created_at, record)


Work = Callable[[Job], None]


class JobRunner:
    """This process's queue and its single worker thread (started on the first submission);
    reads go to the store, so they see the jobs of every process."""

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
        self.owner = process_owner()
        self._accepted: dict[int, Job] = {}  # submitted here and not finished
        self._flushed: dict[int, float] = {}  # job id -> monotonic time of the last write
        self._queue: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self._lock = threading.Lock()  # guards the in-memory jobs
        self._write_lock = threading.Lock()  # keeps a job's row writes in order
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- reading (any thread, any process's jobs) ---------------------------------------

    def get(self, job_id: int) -> dict | None:
        with self.store.session() as session:
            row = web_jobs.get_job(session, job_id)
            return job_view(row) if row else None

    def list(self) -> list[dict]:
        """Newest first."""
        with self.store.session() as session:
            return [job_view(r) for r in web_jobs.recent_jobs(session, self.keep)]

    def busy(self) -> bool:
        with self.store.session() as session:
            return bool(web_jobs.unfinished_jobs(session))

    def recover(self) -> list[int]:
        """Fail the jobs of dead processes (start-up); the ids changed."""
        return recover_interrupted(self.store)

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
        job = Job(0, kind, phases, **fields)
        with self.store.session() as session:
            job.id = web_jobs.insert_job(
                session,
                kind=kind,
                owner=self.owner,
                created_at=job.created_at,
                updated_at=job.created_at,
                **job.record(),
            )
            web_jobs.prune_jobs(session, self.keep)
        with self._lock:
            self._accepted[job.id] = job
            snapshot = job.as_dict()
        self._ensure_worker()
        self._queue.put((job, work))
        return snapshot

    # -- the worker -----------------------------------------------------------------

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(
                    target=self._loop, name="chainatlas-jobs", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the running job; jobs accepted here that never started are marked
        failed, since no other process will run them."""
        self._stopping.set()
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        while True:  # a restarted worker must not meet a stale stop sentinel or old work
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        with self._lock:
            never_started = [j.id for j in self._accepted.values() if j.status == QUEUED]
        if never_started:
            with self.store.session() as session:
                web_jobs.fail_jobs(
                    session, lambda _row: True, INTERRUPTED, _now(), only=never_started
                )

    def wait(self, job_id: int, timeout: float = 30.0) -> dict | None:
        """Block until a job finishes (tests and scripts); its final snapshot."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snap = self.get(job_id)
            if snap is None or snap["status"] in (DONE, FAILED):
                return snap
            time.sleep(0.05)
        return self.get(job_id)

    def _loop(self) -> None:
        while (entry := self._queue.get()) is not None and not self._stopping.is_set():
            job, work = entry
            if not self._await_turn(job):
                break
            try:
                self._set(job, status=RUNNING, started_at=_now())
                work(job)
            except Exception as exc:  # one broken job must not stop the queue
                with self._lock:
                    for p in job.phases:
                        if p.state == RUNNING:
                            p.state = FAILED
                    job.error = f"{type(exc).__name__}: {exc}"
                    job.status = FAILED
                    job.finished_at = _now()
                self._finish(job)
                continue
            with self._lock:
                job.status, job.finished_at = DONE, _now()
            self._finish(job)

    def _await_turn(self, job: Job) -> bool:
        """Wait until every job submitted before this one (by any process) has finished;
        False when the runner is stopping meanwhile."""
        while not self._stopping.is_set():
            try:
                with self.store.session() as session:
                    earlier = web_jobs.first_unfinished_before(session, job.id)
                    dead = earlier is not None and _dead(earlier, _now())
                if earlier is None:
                    return True
                if dead:  # its process is gone and nobody restarted to notice
                    recover_interrupted(self.store)
                    continue
            except SQLAlchemyError:
                log.exception("web job %s: cannot read the job table; retrying", job.id)
            self._stopping.wait(TURN_POLL)
        return False

    def _finish(self, job: Job) -> None:
        try:
            self._flush(job, force=True)
        except Exception:  # the thread must survive a failed write to serve the next job
            log.exception("web job %s: final state not stored", job.id)
        with self._lock:
            self._accepted.pop(job.id, None)
            self._flushed.pop(job.id, None)

    def _flush(self, job: Job, *, force: bool = False) -> None:
        """Write the job's row: always when `force` (status and phase changes), else at
        most once per PROGRESS_INTERVAL (see there why)."""
        with self._write_lock:
            with self._lock:
                now = time.monotonic()
                if not force and now - self._flushed.get(job.id, 0.0) < PROGRESS_INTERVAL:
                    return
                self._flushed[job.id] = now
                values = job.record()
            try:
                with self.store.session() as session:
                    web_jobs.update_job(session, job.id, updated_at=_now(), **values)
            except SQLAlchemyError:
                if force:
                    raise
                # Progress is advisory: the next write carries it.
                log.warning("web job %s: progress not stored", job.id, exc_info=True)

    def _set(self, job: Job, **values: Any) -> None:
        with self._lock:
            for name, value in values.items():
                setattr(job, name, value)
        self._flush(job, force=True)

    def _phase(self, job: Job, name: str, **values: Any) -> None:
        with self._lock:
            phase = job.phase(name)
            for key, value in values.items():
                setattr(phase, key, value)
        self._flush(job, force="state" in values)

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
            self._flush(job)

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
        self._flush(job, force=True)
        added = report.counts.get("new", 0) + report.counts.get("near_duplicate", 0)
        extracted = self._extract(job)
        if added or extracted:
            self._resolve(job)
        else:
            self._phase(job, "resolve", state=SKIPPED)

    def _items(self, job: Job, fetcher: Fetcher, current: list[InputReport]) -> Iterator:
        """Each input's items in turn; `current` names the input whose items are flowing.

        With one parsing process, run_ingest stores an item before pulling the next, so
        the code after each `yield from` runs once that input is fully settled (and
        outside any store transaction, so the progress write cannot wait on itself)."""
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
            self._flush(job)

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
            self._flush(job)

        report = run_extract(self.store, workers=1, on_result=on_result)
        with self._lock:
            job.summary["extract"] = {
                "ok": report.ok,
                "failed": [{"document_id": d, "error": e} for d, e in report.failed],
                "mentions": report.mentions,
                "facts": report.facts,
            }
            job.phase("extract").state = DONE
        self._flush(job, force=True)
        return report.ok

    def _resolve(self, job: Job) -> None:
        from chainatlas.jobs.resolve import run_resolve

        self._phase(job, "resolve", state=RUNNING)
        report = run_resolve(self.store)
        with self._lock:
            job.summary["resolve"] = dict(report.counts)
            phase = job.phase("resolve")
            phase.state, phase.done = DONE, 1
        self._flush(job, force=True)

    def _resolve_only(self, job: Job) -> None:
        if job.phase("resolve").state == PENDING:
            self._resolve(job)

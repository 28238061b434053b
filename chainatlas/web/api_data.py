"""REST endpoints for putting data in: file imports and URL/feed ingest jobs.

- `POST /api/v1/import/{kind}` — a CSV/.xlsx upload through the same importer as
  `chainatlas import` (per-row validation, batched upserts); the resolve that turns the
  rows into entities is queued on the job runner, as the CLI runs it after an import.
- `POST /api/v1/ingest` — URLs and feeds to fetch; answers 202 with a job to poll.
- `GET /api/v1/jobs`, `GET /api/v1/jobs/{id}` — status, per-phase progress, per-input report,
  read from the store, so every worker process of a server answers for every job.
- `GET /api/v1/runs` — the stored ingest reports (kept after their jobs are pruned).

Every write needs the write token (`require_write`).
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from chainatlas.ingest.fetch import (
    AddressPolicy,
    FetchError,
    FetchSettings,
    check_url,
    literal_address,
)
from chainatlas.store.db import Store
from chainatlas.web.jobs import JobRunner
from chainatlas.web.security import allow_private_fetch, read_upload, require_write

__all__ = ["IMPORT_KINDS", "MAX_INPUTS", "IngestRequest", "data_router", "import_summary"]

log = logging.getLogger(__name__)

# The kinds `chainatlas import` takes; listings are matched directly and need no resolve.
IMPORT_KINDS = {
    "enterprises": "企业名录",
    "parks": "园区",
    "research": "科研机构",
    "experts": "专家",
    "listings": "招商载体（土地/厂房/写字楼）",
}
NO_RESOLVE_KINDS = frozenset({"listings"})
MAX_INPUTS = 50  # URLs + feeds per job: about a minute of polite fetching per host
MAX_URL_CHARS = 2000
UPLOAD_TYPES = (".csv", ".xlsx")
MAX_PROBLEMS = 500  # per-row problems returned; the counts stay exact


class IngestRequest(BaseModel):
    urls: list[Annotated[str, Field(max_length=MAX_URL_CHARS)]] = Field(default_factory=list)
    feeds: list[Annotated[str, Field(max_length=MAX_URL_CHARS)]] = Field(default_factory=list)


def _checked_urls(values: list[str], label: str, policy: AddressPolicy | None) -> list[str]:
    """Well-formed, de-duplicated URLs; with a `policy`, literal internal addresses are
    refused at once (host names are resolved and checked when the job fetches them, and
    fail that input in the job report)."""
    out: list[str] = []
    for n, raw in enumerate(values, start=1):
        url = raw.strip()
        try:
            host = check_url(url)
        except FetchError as exc:
            raise HTTPException(
                422, f"{label}第 {n} 个（{url[:200]}）不可用：{exc.reason}"
            ) from exc
        literal = literal_address(host) if policy is not None else None
        if literal is not None and (reason := policy.refusal(literal)) is not None:
            raise HTTPException(
                422,
                f"{label}第 {n} 个（{url[:200]}）指向内部地址（{reason}），服务器不抓取内网地址；"
                "运维人员可用 CHAINATLAS_ALLOW_PRIVATE_FETCH=1 放开",
            )
        if any(c.isspace() for c in url):
            raise HTTPException(422, f"{label}第 {n} 个（{url[:200]}）含空白字符")
        if url not in out:  # the same page twice in one job is one fetch
            out.append(url)
    return out


def import_summary(report, *, max_problems: int = MAX_PROBLEMS) -> dict:
    """An ImportReport as JSON: counts plus per-row problems (row number, column, reason)."""
    rejected = sorted({p.row for p in report.errors})
    return {
        "kind": report.kind,
        "source": report.source,
        "encoding": report.encoding,
        "dry_run": report.dry_run,
        "rows": report.rows,
        "inserted": report.inserted,
        "updated": report.updated,
        "rejected": report.skipped,
        "rejected_rows": rejected,
        "problems": [asdict(p) for p in report.problems[:max_problems]],
        "problems_total": len(report.problems),
        "unmapped_columns": list(report.unmapped),
        "seconds": round(report.seconds, 3),
    }


def _safe_name(filename: str | None, suffix: str) -> str:
    """The upload's base name for reports (the importer records it as the source), with
    nothing a path or a shell could misread."""
    stem = PurePath(filename or "").stem
    stem = re.sub(r"[^\w\-. ]+", "_", stem).strip(" .")[:100] or "upload"
    return f"{stem}{suffix}"


def _import_bytes(store: Store, kind: str, data: bytes, name: str, dry_run: bool):
    from chainatlas.imports.load import import_file

    # The readers work on paths and pick CSV vs .xlsx by suffix, so the bytes go to a
    # private temporary directory under the user's own file name.
    with tempfile.TemporaryDirectory(prefix="chainatlas-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return import_file(store, kind, path, dry_run=dry_run)


def data_router(store: Store, runner: JobRunner | None = None) -> APIRouter:
    """The data-entry API. The job runner (one worker thread) belongs to this app: it is
    created here, published as `app.state.jobs` on first use, and stopped at shutdown.
    Building it fails the jobs that a dead process left unfinished (start-up recovery)."""
    runner = runner or JobRunner(store, fetch_settings=FetchSettings())
    try:
        interrupted = runner.recover()
    except SQLAlchemyError:  # a store opened unmigrated (before 0009): pages still serve
        log.warning("web jobs unavailable: store not migrated to 0009?", exc_info=True)
    else:
        if interrupted:
            log.warning("web jobs %s marked failed: their process had stopped", interrupted)

    def publish(request: Request) -> None:
        request.app.state.jobs = runner  # for tests and other routers of the same app

    router = APIRouter(
        prefix="/api/v1",
        tags=["data"],
        on_shutdown=[runner.stop],
        dependencies=[Depends(publish)],
    )

    @router.post("/import/{kind}", dependencies=[Depends(require_write)])
    async def api_import(
        request: Request,
        kind: str,
        file: Annotated[UploadFile, File(description="CSV（任意编码）或 .xlsx")],
        dry_run: Annotated[bool, Query(description="只校验不写入")] = False,
    ):
        from chainatlas.imports.readers import TableError

        if kind not in IMPORT_KINDS:
            raise HTTPException(404, f"没有名为 {kind} 的导入类型；可选：{'、'.join(IMPORT_KINDS)}")
        security = getattr(request.app.state, "security", None)
        max_bytes = getattr(security, "max_upload_bytes", 20 * 1024 * 1024)
        data = await read_upload(file, allowed=UPLOAD_TYPES, max_bytes=max_bytes)
        name = _safe_name(file.filename, PurePath(file.filename or "").suffix.lower())
        try:
            report = await run_in_threadpool(_import_bytes, store, kind, data, name, dry_run)
        except TableError as exc:
            raise HTTPException(422, f"无法读取表格：{exc}") from exc
        except ValueError as exc:  # header problems: a required column is missing
            raise HTTPException(422, str(exc)) from exc
        summary = import_summary(report)
        changed = report.inserted + report.updated
        resolve = not dry_run and kind not in NO_RESOLVE_KINDS and changed > 0
        job = _submitted(
            runner.submit_import,
            summary,
            resolve=resolve,
            busy="表格已导入，但数据库正忙，后续的实体消歧任务未提交；请稍后重新上传（不会重复导入）",
        )
        return {**summary, "job_id": job["id"], "resolve": "queued" if resolve else "skipped"}

    @router.post("/ingest", status_code=202, dependencies=[Depends(require_write)])
    def api_ingest(request: Request, body: IngestRequest):
        allow_private = allow_private_fetch(request)
        given = len(body.urls) + len(body.feeds)
        if given > MAX_INPUTS:  # counted before any per-URL work
            raise HTTPException(422, f"每个任务最多 {MAX_INPUTS} 个网址和订阅源，实为 {given} 个")
        policy = None if allow_private else runner.address_policy
        urls = _checked_urls(body.urls, "网址", policy)
        feeds = _checked_urls(body.feeds, "订阅源", policy)
        if not urls and not feeds:
            raise HTTPException(422, "请至少提供一个网址（urls）或订阅源（feeds）")
        job = _submitted(runner.submit_ingest, urls, feeds, allow_private_fetch=allow_private)
        return {**job, "href": f"/api/v1/jobs/{job['id']}"}

    @router.get("/jobs")
    def api_jobs():
        items = runner.list()
        return {"busy": any(j["status"] in ("queued", "running") for j in items), "items": items}

    @router.get("/jobs/{job_id}")
    def api_job(job_id: int):
        job = runner.get(job_id)
        if job is None:
            raise HTTPException(404, f"没有编号为 {job_id} 的任务（较早的已完成任务会被清理）")
        return job

    @router.get("/runs")
    def api_runs(limit: Annotated[int, Query(ge=1, le=100)] = 10):
        with store.session() as session:
            return {"items": stored_runs(session, limit)}

    return router


def _submitted(
    submit, *args, busy: str = "数据库正忙（正在写入大量数据），任务未提交，请稍后重试", **kwargs
) -> dict:
    """A job submission, which writes its row: on SQLite that waits for a long write
    (a resolve saving its results) for the busy timeout, then answers 503, not 500."""
    try:
        return submit(*args, **kwargs)
    except OperationalError as exc:
        log.warning("job not accepted: %s", exc)
        raise HTTPException(503, busy) from exc


def stored_runs(session, limit: int) -> list[dict]:
    """Recent stored ingest reports with their failures, newest first (page and API)."""
    from chainatlas.store.runs import failures_of, recent_runs

    out = []
    for run in recent_runs(session, limit):
        out.append(
            {
                "id": run.id,
                "started_at": _iso(run.started_at),
                "finished_at": _iso(run.finished_at),
                "arguments": list(run.arguments or []),
                "counts": dict(run.counts or {}),
                "failures": [
                    {"source": e.source, "detail": e.detail} for e in failures_of(session, run.id)
                ][:50],
            }
        )
    return out


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None

"""Web jobs kept in the store (issue 7): two apps on one store stand for two worker
processes of `chainatlas serve --workers 2`; jobs of a dead process are failed at start-up;
jobs run in submission order across processes; migration 0009 on both engines."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from chainatlas.store import version as store_version
from chainatlas.store import web_jobs
from chainatlas.store.db import alembic_config
from chainatlas.web import jobs
from chainatlas.web.app import create_app
from chainatlas.web.security import SecurityConfig

AUTH = {"Authorization": "Bearer t"}
CSV = "企业名称,地区,行业\n深圳澄川储能科技有限公司,深圳,储能\n".encode()


def _app(store):
    return create_app(store, SecurityConfig(write_token="t"))


def _import(client: TestClient) -> int:
    resp = client.post(
        "/api/v1/import/enterprises", files={"file": ("名录.csv", CSV)}, headers=AUTH
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["resolve"] == "queued"
    return resp.json()["job_id"]


@pytest.fixture
def slow_resolve(monkeypatch):
    """run_resolve that waits for `release` to be set, so a test can look at a job while it
    runs; `started` is set once a resolve is under way."""
    import chainatlas.jobs.resolve as resolve_job

    started, release = threading.Event(), threading.Event()

    def held(store, **kwargs):
        started.set()
        assert release.wait(30), "test never released the resolve"
        return resolve_job.ResolveReport(counts={"entities": 1})

    monkeypatch.setattr(resolve_job, "run_resolve", held)
    yield started, release
    release.set()  # never leave a worker thread blocked


def _phases(job: dict) -> dict[str, str]:
    return {p["name"]: p["state"] for p in job["phases"]}


def test_a_job_submitted_to_one_worker_is_followed_through_another(store, slow_resolve):
    started, release = slow_resolve
    with TestClient(_app(store)) as a, TestClient(_app(store)) as b:
        job_id = _import(a)
        assert started.wait(10)

        seen = b.get(f"/api/v1/jobs/{job_id}")
        assert seen.status_code == 200, seen.text
        running = seen.json()
        assert running["status"] == "running" and running["kind"] == "import"
        assert _phases(running) == {"import": "done", "resolve": "running"}
        assert running["phases"][0]["label"] == "导入" and running["phases"][0]["done"] == 1
        assert running["summary"]["source"] == "名录.csv" and running["started_at"]
        listed = b.get("/api/v1/jobs").json()
        assert listed["busy"] is True and [j["id"] for j in listed["items"]] == [job_id]

        release.set()
        done = b.app.state.jobs.wait(job_id, timeout=20)
        assert done["status"] == "done" and _phases(done) == {"import": "done", "resolve": "done"}
        assert done["summary"]["resolve"] == {"entities": 1} and done["finished_at"]
        assert b.get("/api/v1/jobs").json()["busy"] is False
        # The same public shape whoever answers.
        assert a.get(f"/api/v1/jobs/{job_id}").json() == b.get(f"/api/v1/jobs/{job_id}").json()


def test_jobs_run_in_submission_order_across_workers(sqlite_store, slow_resolve):
    started, release = slow_resolve
    with TestClient(_app(sqlite_store)) as a, TestClient(_app(sqlite_store)) as b:
        first = _import(a)
        assert started.wait(10)
        started.clear()
        second = _import(b)
        # B's runner waits for A's job instead of resolving alongside it.
        assert not started.wait(1.5)
        assert b.get(f"/api/v1/jobs/{second}").json()["status"] == "queued"
        release.set()
        one = a.app.state.jobs.wait(first, timeout=20)
        two = b.app.state.jobs.wait(second, timeout=20)
        assert one["status"] == two["status"] == "done"
        assert two["started_at"] >= one["finished_at"]


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def _row(store, owner: str, *, status="running", updated=None) -> int:
    now = datetime.now(UTC)
    phases = [
        {"name": "fetch", "state": "running", "done": 1, "total": 2},
        {"name": "extract", "state": "pending", "done": 0, "total": None},
    ]
    inputs = [{"url": "http://example.com/a", "kind": "url", "state": "running", "outcomes": []}]
    with store.session() as session:
        return web_jobs.insert_job(
            session,
            kind="ingest",
            status=status,
            phases=phases,
            inputs=inputs,
            summary={},
            owner=owner,
            created_at=now,
            started_at=now if status == "running" else None,
            updated_at=updated or now,
        )


def test_start_up_fails_jobs_whose_process_died_and_keeps_live_ones(store):
    host = socket.gethostname()
    dead = _row(store, f"{host}:{_dead_pid()}:")
    dead_queued = _row(store, f"{host}:{_dead_pid()}:", status="queued")
    reused_pid = _row(store, f"{host}:{os.getpid()}:not-our-start-time")
    alive = _row(store, jobs.process_owner())
    elsewhere_stale = _row(store, "other-host:1:1", updated=datetime.now(UTC) - timedelta(days=1))
    elsewhere_recent = _row(store, "other-host:1:1")

    with TestClient(_app(store)) as client:  # building the app is the start-up
        by_id = {j["id"]: j for j in client.get("/api/v1/jobs").json()["items"]}
    for job_id in (dead, dead_queued, reused_pid, elsewhere_stale):
        job = by_id[job_id]
        assert job["status"] == "failed" and job["error"] == "服务重启，任务中断", job
        assert job["finished_at"] and "running" not in _phases(job).values()
        assert job["inputs"][0]["state"] == "failed"
    assert _phases(by_id[dead])["extract"] == "pending"  # never reached, not failed
    for job_id in (alive, elsewhere_recent):
        assert by_id[job_id]["status"] == "running" and by_id[job_id]["error"] is None


def test_owner_liveness():
    me = jobs.process_owner()
    assert jobs.owner_alive(me) is True
    host, pid, _start = me.rsplit(":", 2)
    if os.path.exists("/proc/self/stat"):
        assert jobs.owner_alive(f"{host}:{pid}:12345") is False  # the pid was reused
    assert jobs.owner_alive(f"{host}:{_dead_pid()}:") is False
    assert jobs.owner_alive("elsewhere:1:1") is None
    assert jobs.owner_alive("garbage") is None


def test_stop_fails_accepted_jobs_that_never_started(sqlite_store, slow_resolve):
    started, release = slow_resolve
    with TestClient(_app(sqlite_store)) as client:
        first = _import(client)
        runner = client.app.state.jobs
        assert started.wait(10)
        second = _import(client)
        release.set()
        runner.stop()  # the first finishes; the second never starts
        assert runner.get(first)["status"] == "done"
        job = runner.get(second)
        assert job["status"] == "failed" and job["error"] == jobs.INTERRUPTED


def test_progress_writes_are_throttled(sqlite_store):
    runner = jobs.JobRunner(sqlite_store)
    job = jobs.Job(0, "ingest", [jobs.Phase("extract", state="running", total=100)])
    with sqlite_store.session() as session:
        job.id = web_jobs.insert_job(
            session,
            kind="ingest",
            owner=runner.owner,
            created_at=job.created_at,
            updated_at=job.created_at,
            **job.record(),
        )
    with sqlite_store.session() as session:
        before = store_version.current(session)
    for _ in range(50):  # fifty extracted documents in well under a second
        job.phase("extract").done += 1
        runner._flush(job)
    with sqlite_store.session() as session:
        # Each write bumps the data version (and so empties the response caches): once.
        assert store_version.current(session) == before + 1
        assert web_jobs.get_job(session, job.id).phases[0]["done"] == 1
    runner._phase(job, "extract", state="done")  # a phase change is always written
    assert runner.get(job.id)["phases"][0] == {
        "name": "extract",
        "label": "抽取",
        "state": "done",
        "done": 50,
        "total": 100,
    }


def test_finished_jobs_beyond_the_kept_number_are_pruned(sqlite_store):
    with TestClient(_app(sqlite_store)) as client:
        client.get("/api/v1/jobs")  # publishes the runner on app.state
        runner = client.app.state.jobs
        runner.keep = 3
        ids = []
        for _ in range(5):
            ids.append(runner.submit_import({"rows": 0}, resolve=False)["id"])
            assert runner.wait(ids[-1])["status"] == "done"
        runner.submit_import({"rows": 0}, resolve=False)
        listed = [j["id"] for j in client.get("/api/v1/jobs").json()["items"]]
        assert listed[1:] == [ids[4], ids[3]] and len(listed) == 3
        gone = client.get(f"/api/v1/jobs/{ids[0]}")
        assert gone.status_code == 404 and "没有编号" in gone.json()["title"]


def test_migration_0009_on_both_engines(store):
    def columns() -> set[str]:
        return {c["name"] for c in inspect(store.engine).get_columns("web_jobs")}

    assert {"id", "kind", "status", "phases", "inputs", "summary", "error", "run_id",
            "owner", "created_at", "started_at", "finished_at", "updated_at"} <= columns()  # fmt: skip
    cfg = alembic_config(store.engine)
    command.downgrade(cfg, "0008")
    assert "web_jobs" not in inspect(store.engine).get_table_names()
    command.upgrade(cfg, "head")
    assert "status" in columns()
    job = _row(store, jobs.process_owner())
    runner = jobs.JobRunner(store)
    assert runner.get(job)["phases"][0]["label"] == "抓取与入库"


def test_a_locked_store_refuses_the_job_with_503(sqlite_store, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def locked(session, **values):
        raise OperationalError("INSERT INTO web_jobs", {}, Exception("database is locked"))

    with TestClient(_app(sqlite_store)) as client:
        monkeypatch.setattr(web_jobs, "insert_job", locked)
        resp = client.post("/api/v1/ingest", json={"urls": ["http://example.com/a"]}, headers=AUTH)
        assert resp.status_code == 503 and "稍后重试" in resp.json()["title"]

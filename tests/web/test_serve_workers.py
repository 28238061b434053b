"""`chainatlas serve --workers 2` for real: the CLI in a subprocess on a small temporary
store. Two worker processes answer; a login cookie and a job accepted by one worker are
good on the other; the shared cache file is removed when the server stops."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from chainatlas.bench.load import free_port
from chainatlas.store.db import Store
from chainatlas.web.app import worker_env
from chainatlas.web.security import SecurityConfig
from chainatlas.web.shared_cache import ENV_VAR as SHARED_ENV_VAR

TOKEN_LINE = re.compile(r"写入令牌（本次启动随机生成）：(\S+)")
CSV = "企业名称,地区,行业\n深圳澄川储能科技有限公司,深圳,储能\n".encode()


def test_worker_env_carries_every_setting(tmp_path):
    config = SecurityConfig(
        read_token="r",
        write_token="w",
        max_upload_bytes=16 * 1024,
        store_contacts=True,
        allow_private_fetch=True,
    )
    env = worker_env(config, "sqlite:///x.sqlite", tmp_path / "c.sqlite")
    assert env["CHAINATLAS_DB"] == "sqlite:///x.sqlite"
    assert env[SHARED_ENV_VAR] == str(tmp_path / "c.sqlite")
    # What each worker reads back is what the serving process decided.
    old = dict(os.environ)
    try:
        os.environ.update(env)
        assert SecurityConfig.from_env() == config
        os.environ.update(worker_env(SecurityConfig(write_token="w"), "sqlite:///x", None))
        assert SecurityConfig.from_env() == SecurityConfig(write_token="w")
        assert os.environ[SHARED_ENV_VAR] == ""  # no shared file: each worker on its own
    finally:
        os.environ.clear()
        os.environ.update(old)


def _workers(parent: int) -> list[int]:
    """Processes spawned by uvicorn's supervisor (not multiprocessing's helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_with_two_workers(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    Store(url).close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINATLAS_")}
    env.update(PYTHONUNBUFFERED="1", COLUMNS="200")
    cmd = [sys.executable, "-c", "import sys; from chainatlas.cli import main; sys.exit(main())",
           "--db", url, "serve", "--port", str(port), "--workers", "2"]  # fmt: skip
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True
        )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.decode() for line in proc.stdout), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
            try:
                if httpx.get(f"{base}/api/v1/chains", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server never answered"
            time.sleep(0.2)

        assert any(f"http://127.0.0.1:{port}/" in line for line in lines), lines
        token = next(m.group(1) for line in lines if (m := TOKEN_LINE.search(line)))
        workers = _workers(proc.pid)
        assert len(workers) == 2, workers
        shared = {_environ(pid)[SHARED_ENV_VAR] for pid in workers}
        assert len(shared) == 1
        cache_dir = Path(shared.pop()).parent
        assert cache_dir.is_dir() and oct(cache_dir.stat().st_mode & 0o777) == "0o700"

        # A fresh connection per request, so the kernel spreads them over both workers.
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=base, limits=fresh, timeout=10) as client:
            page = client.get("/login")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            login = client.post("/login", data={"token": token, "next": "/data",
                                                "csrf_token": csrf})  # fmt: skip
            assert login.status_code == 303 and "ca_session" in client.cookies
            for _ in range(12):  # the cookie one worker signed, checked by both
                assert 'id="import-form"' in client.get("/data").text

            auth = {"Authorization": f"Bearer {token}"}
            resp = client.post(
                "/api/v1/import/enterprises", files={"file": ("a.csv", CSV)}, headers=auth
            )
            assert resp.status_code == 200, resp.text
            job_id = resp.json()["job_id"]
            status = None
            deadline = time.monotonic() + 60
            while status != "done":
                answers = [client.get(f"/api/v1/jobs/{job_id}") for _ in range(4)]
                assert [a.status_code for a in answers] == [200] * 4
                status = answers[-1].json()["status"]
                assert status != "failed" and time.monotonic() < deadline, answers[-1].json()
                time.sleep(0.2)
    finally:
        proc.terminate()  # the supervisor stops its workers and removes the cache file
        try:
            proc.wait(timeout=20)
        finally:
            with contextlib.suppress(ProcessLookupError):  # leftovers of a failed stop
                os.killpg(proc.pid, signal.SIGKILL)
    assert not cache_dir.exists()

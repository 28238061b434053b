"""Web load benchmark: the real app under N concurrent clients for a fixed duration.

The app runs as `uvicorn` in a subprocess (its own worker processes, as in production),
and the clients run here on asyncio + aiohttp. By default clients are *closed-loop with no
think time*: each sends its next request as soon as the previous answer arrives. That is
the harshest steady load N clients can produce, so latency measured here is an upper bound
for N real users; throughput is what the server sustains at saturation. `--think S` makes
each client pause a random (exponential) S seconds on average between requests, as a person
reading the page does; both figures are reported in BENCHMARKS.md.
Each client has its own connection and cookie jar, like a separate browser.

The request mix is drawn from the store itself: search queries are 2–6 character pieces of
entity names and chain keywords, entity ids and (region, chain) pairs are sampled from
the entities table. Errors are non-2xx answers and transport exceptions, with examples.
Note: clients share the machine with the server, so on a 2-core box they take CPU from it.
That is why they use aiohttp rather than httpx: against a trivial uvicorn app on this
machine, httpx clients spent 0.84 ms of CPU per request and capped the run at 690 req/s,
aiohttp clients 0.10 ms and 4,200 req/s (BENCHMARKS.md, web load).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import aiohttp
import httpx
from sqlalchemy import func, select

from chainatlas.store.db import Store

__all__ = [
    "P95_BUDGET_MS",
    "EndpointStats",
    "LoadReport",
    "RequestSpec",
    "build_request_set",
    "run_load",
    "summarise",
]

P95_BUDGET_MS = 200.0
# Share of each endpoint in the mix: the JSON API carries most traffic, pages the rest.
MIX = {
    "api_search": 0.30,
    "api_entity": 0.25,
    "api_diagnosis": 0.15,
    "page_search": 0.15,
    "page_entity": 0.15,
}
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True)
class RequestSpec:
    endpoint: str  # a key of MIX
    path: str  # path and query, URL-encoded


@dataclass
class EndpointStats:
    endpoint: str
    requests: int
    errors: int
    error_examples: list[str]
    throughput: float  # requests per second
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    cache_hits: int


@dataclass
class LoadReport:
    clients: int
    duration_s: float
    workers: int
    documents: int
    entities: int
    endpoints: list[EndpointStats]
    overall: EndpointStats
    passed: bool
    think_s: float = 0.0  # mean pause between a client's requests; 0 = closed loop
    shared_cache: bool = False  # workers shared one response cache file
    budget: str = f"zero errors, p95 ≤ {P95_BUDGET_MS:g} ms"
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


# --- the request set ----------------------------------------------------------------------


def _pieces(name: str, rng: random.Random) -> str | None:
    runs = _HAN.findall(name)
    if not runs:
        return None
    run = rng.choice(runs)
    size = rng.randint(2, min(6, len(run)))
    start = rng.randint(0, len(run) - size)
    return run[start : start + size]


def build_request_set(store: Store, *, size: int = 3000, seed: int = 0) -> list[RequestSpec]:
    """A deterministic mixed request list sampled from the store's own data."""
    from chainatlas.chains.templates import load_chains
    from chainatlas.store.kb_schema import EntityRow

    rng = random.Random(seed)
    catalog = list(load_chains())
    with store.session() as session:
        ids_names = session.execute(
            select(EntityRow.id, EntityRow.name).order_by(EntityRow.id)
        ).all()
        regions = [
            r
            for (r,) in session.execute(
                select(EntityRow.region_code).where(EntityRow.region_code.is_not(None)).distinct()
            )
            if r
        ]
    if not ids_names:
        raise ValueError("the store has no entities: load the demo corpus or generate data first")
    sample = rng.sample(ids_names, min(len(ids_names), 2000))
    queries = [q for _, name in sample if (q := _pieces(name, rng))]
    keywords = [kw for chain in catalog for seg in chain.segments for kw in seg.keywords]
    queries += [kw for kw in rng.sample(keywords, min(len(keywords), 300)) if 2 <= len(kw) <= 6]
    chain_ids = [c.id for c in catalog]
    regions = sorted(regions) or ["440300"]

    names, weights = zip(*MIX.items(), strict=True)
    out = []
    for _ in range(size):
        endpoint = rng.choices(names, weights)[0]
        if endpoint in ("api_search", "page_search"):
            q = quote(rng.choice(queries))
            path = f"/api/v1/search?q={q}" if endpoint == "api_search" else f"/search?q={q}"
        elif endpoint in ("api_entity", "page_entity"):
            eid = rng.choice(sample)[0]
            path = f"/api/v1/entities/{eid}" if endpoint == "api_entity" else f"/entities/{eid}"
        else:
            path = f"/api/v1/regions/{rng.choice(regions)}/diagnosis?chain={rng.choice(chain_ids)}"
        out.append(RequestSpec(endpoint, path))
    return out


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    db_url: str, *, workers: int, port: int, shared_cache: str | None = None
) -> subprocess.Popen:
    """uvicorn with the app factory and worker environment of `chainatlas serve --workers`
    (reads open, a write token minted for this run), so the benchmark measures what a
    deployment runs; `shared_cache` None gives each worker its own cache."""
    from chainatlas.web.app import worker_env
    from chainatlas.web.security import SecurityConfig, ensure_write_token

    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "chainatlas.web.app:app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    security = ensure_write_token(SecurityConfig())
    cache = Path(shared_cache) if shared_cache else None
    env = {**os.environ, **worker_env(security, db_url, cache)}
    # Its own process group, so stopping it can never leave worker processes behind.
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/api/v1/chains", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {timeout:g} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop uvicorn and its workers: politely first, then the whole process group."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    # Workers still busy when their parent went are killed with the group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


# --- the clients --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    endpoint: str
    ms: float
    error: str | None  # None on 2xx
    cache_hit: bool


async def _client(
    base: str,
    specs: list[RequestSpec],
    seed: int,
    stop_at: float,
    out: list[Sample],
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    # One connection and one cookie jar per client, like a separate browser.
    connector = aiohttp.TCPConnector(limit=1)
    timeout = aiohttp.ClientTimeout(total=30.0)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as client:
        while time.perf_counter() < stop_at:
            spec = rng.choice(specs)
            t0 = time.perf_counter()
            error, hit = None, False
            try:
                async with client.get(spec.path) as resp:
                    await resp.read()
                    if not 200 <= resp.status < 300:
                        error = f"{resp.status} {spec.path}"
                    hit = resp.headers.get("x-cache") == "hit"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"{type(exc).__name__} {spec.path}"
            out.append(Sample(spec.endpoint, (time.perf_counter() - t0) * 1000, error, hit))
            if think > 0:
                # A person reading the answer: exponential pauses with the given mean.
                pause = min(rng.expovariate(1 / think), max(0.0, stop_at - time.perf_counter()))
                await asyncio.sleep(pause)


async def drive(
    base: str,
    specs: list[RequestSpec],
    *,
    clients: int,
    duration: float,
    seed: int = 0,
    think: float = 0.0,
    tick: Callable[[float, int], None] | None = None,
) -> tuple[list[Sample], float]:
    """Run `clients` closed-loop clients for `duration` seconds; samples and elapsed time."""
    samples: list[Sample] = []
    t0 = time.perf_counter()
    stop_at = t0 + duration
    tasks = [
        asyncio.create_task(_client(base, specs, seed * 1000 + i, stop_at, samples, think))
        for i in range(clients)
    ]
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0.25)
        if tick:
            tick(min(time.perf_counter() - t0, duration), len(samples))
    await asyncio.gather(*tasks)  # re-raise anything unexpected
    return samples, time.perf_counter() - t0


def _percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return 0.0
    k = min(len(sorted_ms) - 1, max(0, math.ceil(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]  # nearest-rank


def _stats(name: str, samples: list[Sample], elapsed: float) -> EndpointStats:
    ms = sorted(s.ms for s in samples)
    errors = [s.error for s in samples if s.error]
    return EndpointStats(
        endpoint=name,
        requests=len(samples),
        errors=len(errors),
        error_examples=sorted(set(errors))[:5],
        throughput=round(len(samples) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(_percentile(ms, 50), 1),
        p95_ms=round(_percentile(ms, 95), 1),
        p99_ms=round(_percentile(ms, 99), 1),
        max_ms=round(ms[-1], 1) if ms else 0.0,
        cache_hits=sum(s.cache_hit for s in samples),
    )


def summarise(
    samples: list[Sample], elapsed: float
) -> tuple[list[EndpointStats], EndpointStats, bool]:
    """Per-endpoint and overall figures; passed only with zero errors and every endpoint's
    p95 within budget (stricter than the overall p95 alone)."""
    per = [_stats(n, [s for s in samples if s.endpoint == n], elapsed) for n in MIX]
    overall = _stats("overall", samples, elapsed)
    passed = (
        overall.requests > 0
        and overall.errors == 0
        and all(e.p95_ms <= P95_BUDGET_MS for e in per if e.requests)
    )
    return [e for e in per if e.requests], overall, passed


def _store_size(store: Store) -> tuple[int, int]:
    from chainatlas.store.kb_schema import EntityRow
    from chainatlas.store.schema import DocumentRow

    with store.session() as session:
        docs = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
        ents = session.scalar(select(func.count()).select_from(EntityRow)) or 0
    return docs, ents


def _ensure_placements(store: Store, log: Callable[[str], None]) -> None:
    """Bring persisted chain placements up to date, as a deployment does after each
    resolve (`chainatlas chains place`); without them every diagnosis recomputes the
    placements of the whole store and the benchmark would measure a misconfiguration."""
    from chainatlas.jobs.diagnose import placements_current
    from chainatlas.jobs.place import run_place

    with store.session() as session:
        if placements_current(session):
            return
    log("persisting chain placements (chains place) …")
    run_place(store)


def run_load(
    db_url: str,
    *,
    clients: int = 50,
    duration: float = 60.0,
    workers: int = 2,
    generate: int = 0,
    seed: int = 0,
    think: float = 0.0,
    shared_cache: bool = True,
    tick: Callable[[float, int], None] | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> LoadReport:
    """Prepare the store, start the server, drive the load, stop the server, report."""
    store = Store(db_url)  # migrates once here, so workers can open without racing
    try:
        docs, _ = _store_size(store)
        if generate and docs < generate:
            from chainatlas.bench.synthetic import build_synthetic_store

            log(f"generating {generate:,} synthetic documents …")
            build_synthetic_store(store, documents=generate, entities=generate // 2, seed=seed)
        _ensure_placements(store, log)
        docs, ents = _store_size(store)
        specs = build_request_set(store, seed=seed)
    finally:
        store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # A fresh cache file per run: the workers share it; nothing survives into the next run.
    cache_dir = tempfile.TemporaryDirectory(prefix="chainatlas-load-")
    shared = str(Path(cache_dir.name) / "responses.sqlite") if shared_cache else None
    proc = start_server(db_url, workers=workers, port=port, shared_cache=shared)
    try:
        wait_healthy(base, proc)
        log(f"server up at {base} ({workers} worker(s)); {clients} clients for {duration:g} s")
        samples, elapsed = asyncio.run(
            drive(
                base,
                specs,
                clients=clients,
                duration=duration,
                seed=seed,
                think=think,
                tick=tick,
            )
        )
    finally:
        stop_server(proc)
        cache_dir.cleanup()
    per, overall, passed = summarise(samples, elapsed)
    return LoadReport(
        clients=clients,
        duration_s=round(elapsed, 1),
        workers=workers,
        documents=docs,
        entities=ents,
        endpoints=per,
        overall=overall,
        passed=passed,
        think_s=think,
        shared_cache=shared_cache,
    )


# --- the command --------------------------------------------------------------------------


def run_load_benchmark(
    *,
    db_url: str,
    clients: int,
    duration: float,
    workers: int,
    generate: int,
    seed: int,
    as_json: bool,
    console,
    think: float = 0.0,
    shared_cache: bool = True,
) -> LoadReport:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    with Progress(
        TextColumn("[bold]负载测试"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[done]:,} 次请求"),
        console=console,
        disable=as_json,
        transient=True,
    ) as progress:
        task = progress.add_task("load", total=duration, done=0)

        def tick(elapsed: float, done: int) -> None:
            progress.update(task, completed=elapsed, done=done)

        report = run_load(
            db_url,
            clients=clients,
            duration=duration,
            workers=workers,
            generate=generate,
            seed=seed,
            think=think,
            shared_cache=shared_cache,
            tick=tick,
            log=(lambda _m: None) if as_json else console.log,
        )
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return report
    table = Table(
        title=(
            f"{report.clients} 个客户端 × {report.duration_s:g} 秒"
            f"（思考时间 {report.think_s:g} 秒），{report.workers} 个进程"
            f"{'（共享缓存）' if report.shared_cache else ''}；"
            f"文档 {report.documents:,} 篇，实体 {report.entities:,} 个"
        )
    )
    for col in (
        "端点",
        "请求",
        "错误",
        "请求/秒",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "缓存命中",
    ):
        table.add_column(col, justify="left" if col == "端点" else "right")
    for e in [*report.endpoints, report.overall]:
        table.add_row(
            e.endpoint,
            f"{e.requests:,}",
            str(e.errors),
            f"{e.throughput:,.1f}",
            f"{e.p50_ms:.1f}",
            f"{e.p95_ms:.1f}",
            f"{e.p99_ms:.1f}",
            f"{e.max_ms:.1f}",
            f"{e.cache_hits / e.requests:.0%}" if e.requests else "-",
        )
    console.print(table)
    for e in report.endpoints:
        for example in e.error_examples:
            console.print(f"[red]错误[/red] {e.endpoint}: {example}")
    verdict = "[green]通过[/green]" if report.passed else "[red]未通过[/red]"
    console.print(f"结论（{report.budget}）：{verdict}")
    return report

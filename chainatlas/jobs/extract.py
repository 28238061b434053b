"""The extract job: stale documents → extract (pure; in-process, process pool or Dask) → store.

Incremental: only documents never extracted or extracted by another extractor version,
unless `rebuild`. One transaction per document; a failing document is recorded with its
error and the run goes on.
"""

from __future__ import annotations

import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from chainatlas.extract.pipeline import EXTRACTOR_VERSION, DocInput, extract
from chainatlas.extract.records import Extraction
from chainatlas.store import extractions
from chainatlas.store.db import Store


@dataclass(slots=True)
class Result:
    doc: DocInput
    extraction: Extraction | None
    error: str | None
    seconds: float


@dataclass(slots=True)
class ExtractReport:
    ok: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document id, error)
    mentions: int = 0
    facts: int = 0
    chars: int = 0
    seconds: float = 0.0


def run_one(doc: DocInput) -> Result:
    """Worker entry point (process pool and Dask): never raises."""
    started = time.perf_counter()
    try:
        extraction = extract(doc)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return Result(doc, None, detail, time.perf_counter() - started)
    return Result(doc, extraction, None, time.perf_counter() - started)


def _local(docs: Iterable[DocInput], workers: int) -> Iterator[Result]:
    if workers <= 1:
        yield from map(run_one, docs)
        return
    window: deque[Future] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for doc in docs:
            window.append(pool.submit(run_one, doc))
            while len(window) >= workers * 4:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _dask(docs: Iterable[DocInput], address: str, batch: int = 64) -> Iterator[Result]:
    """The same `run_one` on a Dask distributed cluster, in bounded batches."""
    from distributed import Client

    with Client(address) as client:
        chunk: list[DocInput] = []
        for doc in docs:
            chunk.append(doc)
            if len(chunk) == batch:
                yield from client.gather(client.map(run_one, chunk, pure=False))
                chunk = []
        if chunk:
            yield from client.gather(client.map(run_one, chunk, pure=False))


def _pending(store: Store, rebuild: bool) -> Iterator[DocInput]:
    """Stream pending documents page by page (short read transactions, flat memory).

    Paging by primary key means rows written meanwhile are never revisited, so a rebuild
    does not see its own fresh results as pending again.
    """
    last = 0
    while True:
        with store.session() as session:
            batch = extractions.pending_batch(
                session, EXTRACTOR_VERSION, after_pk=last, rebuild=rebuild
            )
        if not batch:
            return
        last = batch[-1][0]
        for _, doc in batch:
            yield doc


def run_extract(
    store: Store,
    *,
    workers: int = 1,
    rebuild: bool = False,
    dask_address: str | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> ExtractReport:
    report = ExtractReport()
    started = time.perf_counter()
    docs = _pending(store, rebuild)
    results = _dask(docs, dask_address) if dask_address else _local(docs, workers)
    for result in results:
        with store.session() as session:
            if result.extraction is not None:
                extractions.save_extraction(session, result.doc, result.extraction, result.seconds)
            else:
                extractions.save_failure(
                    session, result.doc.id, EXTRACTOR_VERSION, result.error or "?", result.seconds
                )
        if result.extraction is not None:
            report.ok += 1
            report.mentions += len(result.extraction.mentions)
            report.facts += len(result.extraction.facts)
        else:
            report.failed.append((result.doc.id, result.error or "?"))
        report.chars += len(result.doc.text)
        if on_result:
            on_result(result)
    report.seconds = time.perf_counter() - started
    return report

"""The real extractor on a local Dask cluster with worker processes gives exactly what the
in-process run gives (the pure-function property the architecture relies on)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from chainatlas.data.demo_corpus import demo_items
from chainatlas.jobs.extract import run_extract
from chainatlas.jobs.ingest import run_ingest
from chainatlas.store.schema import FactRow, MentionRow

pytestmark = pytest.mark.slow


def snapshot(store):
    with store.session() as session:
        facts = sorted(
            (f.document_id, f.kind, f.sentence_start, f.sentence_end, str(sorted(f.args)))
            for f in session.scalars(select(FactRow))
        )
        mentions = sorted(
            (m.document_id, m.start, m.end, m.type) for m in session.scalars(select(MentionRow))
        )
    return facts, mentions


def test_dask_cluster_matches_in_process(tmp_path):
    from distributed import LocalCluster

    from chainatlas.store.db import Store

    stores = [Store(f"sqlite:///{tmp_path / name}.sqlite") for name in ("local", "dask")]
    for store in stores:
        run_ingest(store, itertools.islice(demo_items(), 4))
    local = run_extract(stores[0])
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = run_extract(stores[1], dask_address=cluster.scheduler_address)
    assert local.ok == remote.ok == 4 and not remote.failed
    assert remote.facts == local.facts > 0
    assert snapshot(stores[0]) == snapshot(stores[1])

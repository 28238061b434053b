"""Helpers for the tech/site matcher tests (a helper module, not a conftest, so other
matchers' tests in this folder are unaffected): a store with the demo corpus resolved and
the demo CSVs imported."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

from chainatlas.data.demo_corpus import demo_items
from chainatlas.imports.load import import_file
from chainatlas.jobs.extract import run_extract
from chainatlas.jobs.ingest import run_ingest
from chainatlas.jobs.resolve import run_resolve
from chainatlas.store.db import Store


def demo_store(tmp_path_factory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("match") / "demo.sqlite"
    store = Store(f"sqlite:///{path}")
    run_ingest(store, demo_items(), arguments=["demo"])
    run_extract(store)
    demo = resources.files("chainatlas").joinpath("data/demo")
    for kind in ("research", "experts", "listings"):
        import_file(store, kind, str(demo.joinpath(f"{kind}.csv")))
    run_resolve(store)
    yield store
    store.close()

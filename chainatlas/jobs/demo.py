"""Loading the bundled demo: corpus → extract → demo lists → resolve. Used by
`chainatlas demo` and by the tests that need a realistic store. Every step is
incremental or an upsert, so running it twice does no new work."""

from __future__ import annotations

from dataclasses import dataclass, field

from chainatlas.data.demo_corpus import DEMO_DIR, demo_items
from chainatlas.jobs.extract import ExtractReport, run_extract
from chainatlas.jobs.ingest import IngestReport, run_ingest
from chainatlas.jobs.resolve import ResolveReport, run_resolve
from chainatlas.settings import IngestSettings
from chainatlas.store.db import Store

# Demo lists of research institutions, experts and listings: they feed the matchers.
DEMO_LISTS = ("research", "experts", "listings")


@dataclass(slots=True)
class DemoReport:
    ingest: IngestReport
    extract: ExtractReport
    resolve: ResolveReport
    imports: dict = field(default_factory=dict)  # kind → ImportReport

    @property
    def failed(self) -> bool:
        return bool(self.ingest.failed or self.extract.failed)


def load_demo(store: Store, *, workers: int = 1) -> DemoReport:
    from chainatlas.imports.load import import_file

    ingest = run_ingest(
        store, demo_items(), settings=IngestSettings(workers=workers), arguments=["demo"]
    )
    extract = run_extract(store, workers=workers)
    imports = {kind: import_file(store, kind, DEMO_DIR / f"{kind}.csv") for kind in DEMO_LISTS}
    return DemoReport(ingest, extract, run_resolve(store), imports)

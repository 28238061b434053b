"""The resolve job: stored mentions and facts → entities, links, candidates, events.

The derived tables are replaced in one transaction, so readers see either the old or the
new knowledge base, never a mix. Curations are read, re-applied by the resolver and left in
place; each one's outcome (applied / target missing) is written back for `curate log`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from chainatlas.jobs.place import PlaceReport, run_place
from chainatlas.kb.resolve import AFTER_WINDOW, ORG_TYPES, Gazetteers, resolve
from chainatlas.store import kb
from chainatlas.store.db import Store

# The bracket rule reads organisations and government bodies (see kb.resolve).
BRACKET_TYPES = frozenset((*ORG_TYPES, "government"))


@dataclass(slots=True)
class ResolveReport:
    mentions: int = 0
    facts: int = 0
    counts: dict = field(default_factory=dict)
    curations: list[dict] = field(default_factory=list)  # per decision: applied | missing
    seconds_resolve: float = 0.0
    seconds_total: float = 0.0
    place: PlaceReport | None = None  # the chain placements refreshed after resolving

    @property
    def missing(self) -> list[dict]:
        return [c for c in self.curations if c["status"] != "applied"]


def run_resolve(
    store: Store, *, gazetteers: Gazetteers | None = None, extra_curations: Iterable = ()
) -> ResolveReport:
    started_at = datetime.now(UTC)
    t0 = time.perf_counter()
    with store.session() as session:
        mentions = list(kb.iter_mention_inputs(session))
        facts = list(kb.iter_fact_inputs(session))
        decisions = [*kb.list_curations(session, active_only=True), *extra_curations]
        gazetteers = gazetteers or Gazetteers.default()
        if not gazetteers.imported:  # CSV/Excel imports are one more gazetteer source
            from chainatlas.imports.load import load_imported_entities

            gazetteers = replace(gazetteers, imported=load_imported_entities(session))
        after = kb.mention_windows(session, mentions, AFTER_WINDOW, BRACKET_TYPES)
    t1 = time.perf_counter()
    result = resolve(mentions, facts, gazetteers, decisions, after=after)
    t2 = time.perf_counter()
    with store.session() as session:
        counts = kb.save_resolution(session, result)
        kb.record_curation_reports(session, result.curation_reports)
        kb.record_run(session, started_at, counts)
    # Placements follow the entities they place: refreshed here so the diagnosis never
    # reads placements of an older knowledge base (it would fall back to on-the-fly).
    place = run_place(store)
    return ResolveReport(
        mentions=len(mentions),
        facts=len(facts),
        counts=counts,
        curations=result.curation_reports,
        seconds_resolve=t2 - t1,
        seconds_total=time.perf_counter() - t0,
        place=place,
    )

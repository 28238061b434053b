"""The region map's presence counts read from persisted placements equal the counts
computed on the fly from the diagnosis inputs, for every chain and both levels."""

from __future__ import annotations

from chainatlas.chains.templates import load_chains
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.web.api_region import (
    load_presence_inputs,
    presence_by_region,
    presence_from_placements,
)


def test_placements_give_the_same_presence_as_the_diagnosis_inputs(demo_store):
    catalog = load_chains()
    gaz = RegionGazetteer.load()
    inputs = load_presence_inputs(demo_store, catalog, gaz)
    compared = 0
    with demo_store.session() as session:
        for chain_id in [None, *(c.id for c in catalog)]:
            for level in ("province", "city"):
                fast = presence_from_placements(session, chain_id, level, gaz)
                assert fast is not None, "the demo store's placements are current"
                slow = presence_by_region(inputs, chain_id, level, gaz)
                assert fast == slow, (chain_id, level)
                compared += len(slow)
    assert compared > 50

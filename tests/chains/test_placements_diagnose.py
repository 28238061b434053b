"""The diagnosis reads persisted placements and gives exactly the answers of the
on-the-fly path, on the demo store (whose resolve ran the place job)."""

from __future__ import annotations

from datetime import date

import pytest

from chainatlas.chains.templates import load_chains
from chainatlas.jobs import diagnose as jd
from chainatlas.kb.regions import RegionGazetteer


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def inputs(demo_store, catalog):
    with demo_store.session() as s:
        return jd.load_inputs(s, catalog, RegionGazetteer.load())


def test_resolve_left_placements_current(demo_store):
    with demo_store.session() as s:
        assert jd.placements_current(s)


def _regions(inputs) -> list[str]:
    codes = set()
    for record in [*inputs.entities, *inputs.projects]:
        codes |= record.regions
    return sorted(codes)


def test_same_diagnosis_from_placements(demo_store, catalog, inputs):
    codes = _regions(inputs)
    assert len(codes) > 20
    checked = 0
    for code in codes:
        for chain in catalog:
            for since in (None, date(2024, 1, 1)):
                slow = jd.diagnose_region(
                    demo_store, code, chain.id, since=since, catalog=catalog, inputs=inputs
                )
                fast = jd.diagnose_region(demo_store, code, chain.id, since=since, catalog=catalog)
                assert fast.as_dict() == slow.as_dict(), (code, chain.id, since)
                checked += 1
    assert checked == len(codes) * len(catalog) * 2


def test_same_overview_from_placements(demo_store, catalog, monkeypatch):
    regions = ["广州市黄埔区", "深圳", "合肥", "440000", "上海市"]
    fast = [jd.overview(demo_store, r, catalog=catalog) for r in regions]
    monkeypatch.setattr(jd, "placements_current", lambda session: False)
    slow = [jd.overview(demo_store, r, catalog=catalog) for r in regions]
    assert fast == slow
    assert any(o["chains"] for o in fast)


def test_stale_placements_fall_back(demo_store, catalog, monkeypatch):
    # A classifier change makes the stored rows stale: answers come from the slow path.
    monkeypatch.setattr(jd, "classifier_version", lambda: "classify.other")
    with demo_store.session() as s:
        assert not jd.placements_current(s)
    d = jd.diagnose_region(demo_store, "深圳", "高端医疗器械", catalog=catalog)
    assert any("迈瑞" in e["name"] for e in d.segment("life-support").enterprises)

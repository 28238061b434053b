"""The place job: persisted placements on a fresh store, no-op re-runs, updates after the
knowledge base changes, and the `chains place` command."""

from __future__ import annotations

import json

import typer
from sqlalchemy import delete, func, select, update
from typer.testing import CliRunner

from chainatlas.bench.synthetic import build_synthetic_store
from chainatlas.jobs.diagnose import classifier_version, placements_current
from chainatlas.jobs.place import run_place
from chainatlas.store.kb_schema import EntityRow, MentionLinkRow
from chainatlas.store.placements import PlacementRecordRow, PlacementRow


def _tiny(store):
    build_synthetic_store(store, documents=200, entities=100, seed=5)


def test_fresh_store_then_rerun_is_a_noop(store):
    _tiny(store)
    with store.session() as s:
        assert not placements_current(s)
    first = run_place(store)
    assert first.records > 0 and first.placed > 0
    assert first.classified == first.records == first.written
    with store.session() as s:
        assert placements_current(s)
        rows = s.scalar(select(func.count()).select_from(PlacementRow))
        assert rows >= first.placed
        versions = set(s.scalars(select(PlacementRow.classifier_version).distinct()))
        assert versions == {classifier_version()}
        # Region columns roll up: a county row also carries its city/province.
        row = s.scalars(select(PlacementRow).where(PlacementRow.county_code.is_not(None))).first()
        assert row.province_code and row.county_code.startswith(row.province_code[:2])
    again = run_place(store)
    assert (again.classified, again.written, again.removed) == (0, 0, 0)
    assert again.records == first.records and again.placed == first.placed


def test_changed_and_removed_entities_are_replaced(store):
    _tiny(store)
    run_place(store)
    with store.session() as s:
        renamed, dropped = s.scalars(
            select(PlacementRecordRow.record_id)
            .where(PlacementRecordRow.record_type == "company", PlacementRecordRow.placed > 0)
            .order_by(PlacementRecordRow.record_id)
            .limit(2)
        ).all()
        # As a re-extraction would: one company renamed with its old mentions gone,
        # another one gone altogether.
        s.execute(
            update(EntityRow).where(EntityRow.id == renamed).values(name="示例医学影像设备有限公司")
        )
        s.execute(delete(MentionLinkRow).where(MentionLinkRow.entity_id.in_([renamed, dropped])))
        s.execute(delete(EntityRow).where(EntityRow.id == dropped))
    report = run_place(store)
    assert report.removed == 1
    assert report.classified >= 1 and report.written >= 1
    with store.session() as s:
        assert not s.scalar(
            select(func.count()).select_from(PlacementRow).where(PlacementRow.record_id == dropped)
        )
        chains = set(
            s.scalars(select(PlacementRow.chain_id).where(PlacementRow.record_id == renamed))
        )
    assert "medical-devices" in chains


def test_rebuild_writes_everything_again(sqlite_store):
    _tiny(sqlite_store)
    first = run_place(sqlite_store)
    rebuilt = run_place(sqlite_store, rebuild=True)
    assert rebuilt.written == first.records and rebuilt.removed == 0


def test_place_command(sqlite_store, monkeypatch):
    from chainatlas import cli
    from chainatlas.cli_chains import chains_app

    _tiny(sqlite_store)
    app = typer.Typer()
    app.add_typer(chains_app, name="chains")
    monkeypatch.setattr(cli.state, "db_url", str(sqlite_store.engine.url), raising=False)
    runner = CliRunner()
    res = runner.invoke(app, ["chains", "place", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["written"] > 0
    res = runner.invoke(app, ["chains", "place"])
    assert res.exit_code == 0 and "写入 0" in res.output

"""The extract job's contract, independent of the models: incremental by extractor version,
--rebuild, one failing document recorded while the rest go on, results replaced whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from chainatlas.extract.records import Arg, EntityType, Extraction, Fact, FactKind, Mention, Money
from chainatlas.jobs import extract as job
from chainatlas.store import documents
from chainatlas.store.schema import DocumentExtractionRow, FactRow, MentionRow
from tests.factories import OTHER_STORY, STORY, prepared


def fake_extract(doc, resources=None):
    if "坏" in (doc.title or ""):
        raise ValueError("model exploded on this one")
    i = doc.text.index("企业")
    mention = Mention(i, i + 2, "企业", EntityType.COMPANY, 0.9, "fake.v1")
    fact = Fact(
        FactKind.INVESTMENT_PROJECT,
        {
            "investor": Arg("企业", i, i + 2, EntityType.COMPANY),
            "amount": Money("约30亿元", 3e9, qualifier="约"),
            "stage": "签约",
        },
        0,
        20,
        doc.text[:20],
        0.8,
        "fake.v1",
    )
    return Extraction(doc.id, job.EXTRACTOR_VERSION, [mention], [fact])


@pytest.fixture
def filled(store, monkeypatch):
    monkeypatch.setattr(job, "extract", fake_extract)
    with store.session() as session:
        for i, (title, text) in enumerate(
            [("甲", STORY), ("乙", OTHER_STORY), ("坏文档", STORY + "续")]
        ):
            documents.save(
                session, prepared(title, text, source=f"{i}.html"), near_dup_threshold=0.99
            )
    return store


def counts(store):
    with store.session() as session:
        return (
            session.scalar(select(func.count()).select_from(MentionRow)),
            session.scalar(select(func.count()).select_from(FactRow)),
            dict(
                session.execute(
                    select(DocumentExtractionRow.status, func.count()).group_by(
                        DocumentExtractionRow.status
                    )
                ).all()
            ),
        )


def test_failures_are_recorded_and_the_run_goes_on(filled):
    report = job.run_extract(filled)
    assert report.ok == 2
    assert len(report.failed) == 1 and "model exploded" in report.failed[0][1]
    mentions, facts, status = counts(filled)
    assert (mentions, facts) == (2, 2)
    assert status == {"ok": 2, "failed": 1}


def test_second_run_is_incremental_and_rebuild_redoes_everything(filled):
    job.run_extract(filled)
    again = job.run_extract(filled)
    assert again.ok == 0 and len(again.failed) == 0
    rebuilt = job.run_extract(filled, rebuild=True)
    assert rebuilt.ok == 2 and len(rebuilt.failed) == 1
    assert counts(filled)[:2] == (2, 2)  # replaced, not duplicated


def test_a_new_extractor_version_makes_old_results_stale(filled, monkeypatch):
    job.run_extract(filled)
    monkeypatch.setattr(job, "EXTRACTOR_VERSION", "extract.v999")
    report = job.run_extract(filled)
    assert report.ok == 2  # everything is stale for the new version
    assert counts(filled)[:2] == (2, 2)


def test_stored_facts_keep_typed_values_and_evidence(filled):
    job.run_extract(filled)
    with filled.session() as session:
        fact = session.scalars(select(FactRow)).first()
        assert fact.args["amount"]["_"] == "money" and fact.args["amount"]["value"] == 3e9
        assert fact.as_of is not None  # the document's publish date
        mention = session.scalars(select(MentionRow)).first()
        doc = documents.get(session, mention.document_id)
        assert doc.text[mention.start : mention.end] == mention.text
        assert mention.sentence_start <= mention.start < mention.end <= mention.sentence_end


@pytest.mark.slow
def test_the_same_job_runs_on_a_local_dask_cluster(filled):
    from distributed import LocalCluster

    # Threads in this process, so the monkeypatched extractor is what the workers run.
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        report = job.run_extract(filled, dask_address=cluster.scheduler_address)
    assert report.ok == 2 and len(report.failed) == 1
    assert counts(filled)[:2] == (2, 2)


def test_exports_carry_evidence_and_provenance(filled):
    import csv
    import io
    import json

    from chainatlas.exports.extractions import write_facts, write_mentions

    job.run_extract(filled)
    with filled.session() as session:
        out = io.StringIO()
        assert write_facts(session, out, "jsonl") == 2
        fact = json.loads(out.getvalue().splitlines()[0])
        assert fact["kind"] == "investment_project"
        assert (
            fact["args"]["amount"]["value"] == 3e9 and fact["args"]["amount"]["qualifier"] == "约"
        )
        assert fact["sentence"] and fact["extractor"] == "fake.v1" and fact["confidence"] == 0.8
        out = io.StringIO()
        write_facts(session, out, "csv")
        row = next(csv.DictReader(io.StringIO(out.getvalue())))
        assert json.loads(row["args"])["amount"] == 3e9  # flat view in CSV
        out = io.StringIO()
        assert write_mentions(session, out, "jsonl") == 2
        mention = json.loads(out.getvalue().splitlines()[0])
        assert mention["text"] == "企业" and mention["text"] in mention["sentence"]
        assert {
            "document_id",
            "start",
            "end",
            "sentence_start",
            "sentence_end",
            "extractor",
            "confidence",
        } <= set(mention)

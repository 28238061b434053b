"""The entity-resolution pair set (eval/resolution_gold.jsonl) stays valid and keeps its hard cases."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import opencc
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "resolution_gold.jsonl"
README = ROOT / "eval" / "README.md"
MANIFEST = ROOT / "chainatlas" / "data" / "demo" / "manifest.json"
_T2S = opencc.OpenCC("t2s")


def _load_checker():
    # eval/ is not a package; register the module so its dataclass can resolve annotations.
    spec = importlib.util.spec_from_file_location(
        "check_resolution_gold", ROOT / "eval" / "check_resolution_gold.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


crg = _load_checker()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    errors, rows = crg.check_file(GOLD)
    assert errors == []
    return rows


def _page(mention: dict) -> str:
    return mention["source"].removeprefix("demo:pages/")[:3]


def test_file_is_valid_balanced_and_large_enough(records):
    summary = crg.summarise(records)
    assert summary.pairs >= 320
    assert summary.hard_negatives >= 60
    assert 0.4 <= summary.positives / summary.pairs <= 0.6
    types = {record[side]["type"] for record in records for side in ("a", "b")}
    assert types == crg.TYPES


def test_every_source_family_is_used(records):
    sources = {record[side]["source"].split(":")[0] for record in records for side in ("a", "b")}
    assert sources == {"demo", "gold", "fixture"}


def test_manifest_same_name_people_are_never_merged(records):
    zhang_wei = [
        record
        for record in records
        if record["a"]["text"] == record["b"]["text"] == "张伟"
        and {_page(record["a"]), _page(record["b"])} == {"007", "027"}
    ]
    assert len(zhang_wei) >= 5
    assert not any(record["same"] for record in zhang_wei)


def test_manifest_same_short_name_companies_are_never_merged(records):
    cities = {"007": "苏州", "034": "合肥", "037": "合肥"}
    lantu = [
        record
        for record in records
        if "澜图" in record["a"]["text"]
        and "澜图" in record["b"]["text"]
        and record["a"]["type"] == "company"
    ]
    assert sum(not record["same"] for record in lantu) >= 6
    for record in lantu:
        # A mention's city is its own prefix, else the article it comes from.
        city = [
            "苏州"
            if m["text"].startswith("苏州")
            else "合肥"
            if m["text"].startswith("合肥")
            else cities[_page(m)]
            for m in (record["a"], record["b"])
        ]
        assert record["same"] == (city[0] == city[1]), record["id"]


def test_manifest_alias_sets_have_positive_pairs(records):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    for alias_set in manifest["hard_negatives"]["alias_sets"]:
        forms = {alias_set["canonical"], *alias_set["aliases"]}
        linked = [
            record
            for record in records
            if record["same"]
            and any(form in record["a"]["text"] for form in forms)
            and any(form in record["b"]["text"] for form in forms)
            and record["a"]["text"] != record["b"]["text"]
        ]
        assert linked, alias_set["canonical"]
        assert any(alias_set["stock_code"] in r["a"]["text"] + r["b"]["text"] for r in linked)
        if any(_T2S.convert(form) != form for form in forms):
            assert any("traditional/simplified" in crg.why_labels(r["why"]) for r in linked)


def test_required_negative_classes_are_present(records):
    summary = crg.summarise(records)
    for label in (
        "same name, different person",
        "same short name, different city",
        "parent vs subsidiary",
        "lab vs place",
        "lab vs government",
        "lab vs university",
        "city vs province",
    ):
        assert summary.by_why[label] >= 3, label
    assert summary.by_why[crg.EASY_NEGATIVE] >= 20


def _bad(record: dict, **changes) -> dict:
    bad = copy.deepcopy(record)
    for path, value in changes.items():
        side, _, field = path.partition("__")
        (bad[side] if field else bad)[field or side] = value
    return bad


def test_checker_rejects_broken_records(records):
    good = next(
        record for record in records if record["same"] and record["a"]["source"].startswith("demo:")
    )
    assert crg.check_record(good) == []
    cases = {
        "not in context": _bad(good, a__text="不存在的名字"),
        "not found in": _bad(good, a__context=good["a"]["context"] + "多出来的字"),
        "unknown or unreadable source": _bad(good, a__source="demo:pages/999_missing.html"),
        "unknown type": _bad(good, a__type="association"),
        "positive why-label": _bad(good, why="different entity"),
        "one type": _bad(good, b__type="region"),
        "same must be": _bad(good, same="yes"),
        "keys": {key: value for key, value in good.items() if key != "why"},
    }
    for expected, record in cases.items():
        errors = crg.check_record(record)
        assert any(expected in error for error in errors), (expected, errors)


def test_checker_rejects_boilerplate_context():
    # Site chrome on a demo page is visible text but not article text.
    mention = {
        "source": "demo:pages/002_mindray_aed.html",
        "text": "示例产业园区招商网",
        "type": "company",
    }
    record = {
        "id": "p001",
        "a": {**mention, "context": "欢迎访问示例产业园区招商网！"},
        "b": {**mention, "text": "迈瑞", "context": "迈瑞的成长也带动了上游供应链在深圳本地集聚。"},
        "same": False,
        "why": "different entity",
    }
    errors = crg.check_record(record)
    assert len(errors) == 1 and "context not found" in errors[0]


def test_checker_rejects_duplicate_pairs(tmp_path):
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    swapped = json.loads(lines[0])
    swapped["id"], swapped["a"], swapped["b"] = "p999", swapped["b"], swapped["a"]
    path = tmp_path / "dup.jsonl"
    path.write_text(
        "\n".join([*lines, json.dumps(swapped, ensure_ascii=False)]) + "\n", encoding="utf-8"
    )
    errors, _ = crg.check_file(path)
    assert errors == ["p999: duplicate of pair p001"]


def test_readme_counts_match_the_file(records):
    summary = crg.summarise(records)
    section = README.read_text(encoding="utf-8").split("# Resolution pairs", 1)[1]
    assert f"{summary.pairs} pairs" in section
    assert f"{summary.positives} same" in section
    assert f"{summary.hard_negatives} hard negatives" in section

"""The shipped demo corpus matches its manifest and its sources (no silent drift).

Fast file-level checks only; parsing quality on these pages is tested by the ingest
parsers' own tests, which use manifest.json as their golden expectations.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chainatlas.data.demo_corpus import DEMO_DIR

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BUILDER = ROOT / "scripts" / "build_demo_corpus.py"
CHAIN_TEMPLATES = ROOT / "chainatlas" / "data" / "chains"

MANIFEST = json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))
PAGES = MANIFEST["pages"]


def page_text(entry: dict) -> str:
    data = (DEMO_DIR / entry["file"]).read_bytes()
    text = data.decode(entry["encoding"])  # strict: must decode as declared
    return html.unescape(text) if entry["format"] == "html" else text


def test_every_listed_file_exists_and_nothing_else_is_shipped() -> None:
    listed = {e["file"] for e in PAGES}
    on_disk = {f"pages/{p.name}" for p in (DEMO_DIR / "pages").iterdir()}
    assert listed == on_disk
    assert len({e["id"] for e in PAGES}) == len(PAGES)


def test_corpus_size_formats_and_coverage() -> None:
    formats = Counter(e["format"] for e in PAGES)
    assert len(PAGES) >= 44
    assert formats["txt"] >= 6
    assert formats["html"] > formats["txt"]
    assert len({p for e in PAGES for p in e["provinces"]}) >= 6
    assert len({c for e in PAGES for c in e["chains"]}) >= 6
    assert len({e["site"] for e in PAGES}) >= 5


@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e["file"])
def test_page_decodes_and_carries_its_expected_fields(entry: dict) -> None:
    text = page_text(entry)
    assert entry["title"] in text
    assert entry["published_text"] in text
    assert entry["body_first"] in text
    assert entry["body_last"] in text
    for tag in entry["tags"]:
        assert tag in text
    for title in entry["related_titles"]:
        assert title in text
    assert entry["n_related"] == len(entry["related_titles"])
    assert 2_000 <= len((DEMO_DIR / entry["file"]).read_bytes()) <= 40_000


def test_non_utf8_pages_really_are_in_their_legacy_encoding() -> None:
    by_encoding = {e["encoding"]: e for e in PAGES if e["encoding"] != "utf-8"}
    assert set(by_encoding) == {"gbk", "gb18030", "big5"}
    for entry in by_encoding.values():
        data = (DEMO_DIR / entry["file"]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_charset_declarations_match_the_manifest() -> None:
    for entry in PAGES:
        if entry["format"] != "html":
            continue
        head = page_text(entry)[:1500].lower()
        declared = entry["declared_charset"]
        if declared is None:
            assert "charset" not in head, entry["file"]
        else:
            assert f"charset={declared}" in head or f'charset="{declared}"' in head
    undeclared = [e for e in PAGES if e["declared_charset"] is None]
    assert [e["encoding"] for e in undeclared] == ["gb18030"]


def test_traditional_page_has_a_simplified_title() -> None:
    (big5,) = [e for e in PAGES if e["encoding"] == "big5"]
    assert big5["title"] != big5["title_simplified"]
    assert "動力電池" in page_text(big5)


def test_published_values_are_consistent() -> None:
    fetched = datetime.fromisoformat(MANIFEST["fetched_at"])
    for entry in PAGES:
        assert entry["fetched_at"] == MANIFEST["fetched_at"]
        published = entry["published"]
        assert published.startswith(entry["published_date"])
        if "T" in published:
            moment = datetime.fromisoformat(published)
            assert moment.utcoffset() == timedelta(hours=8)
            assert moment < fetched


def _age_days(entry: dict, fetched: datetime) -> int:
    return (fetched.date() - datetime.fromisoformat(entry["published_date"]).date()).days


def test_relative_dates_agree_with_the_fetch_time() -> None:
    fetched = datetime.fromisoformat(MANIFEST["fetched_at"])
    seen = Counter()
    for entry in PAGES:
        shown = entry["published_text"]
        if m := re.fullmatch(r"(\d+)个月前 \((\d\d)-(\d\d)\)", shown):
            seen["months"] += 1
            assert _age_days(entry, fetched) // 30 == int(m[1])
            assert entry["published_date"][5:] == f"{m[2]}-{m[3]}"
        elif m := re.fullmatch(r"(\d+)天前", shown):
            seen["days"] += 1
            assert _age_days(entry, fetched) == int(m[1])
        elif m := re.fullmatch(r"昨天 (\d\d:\d\d)", shown):
            seen["yesterday"] += 1
            assert _age_days(entry, fetched) == 1
            assert entry["published"][11:16] == m[1]
    assert seen["months"] >= 5 and seen["days"] >= 2 and seen["yesterday"] >= 2


def test_absolute_date_formats_are_mixed() -> None:
    shown = [e["published_text"] for e in PAGES]
    patterns = [
        r"\d{4}-\d\d-\d\d \d\d:\d\d",
        r"\d{4}年\d{1,2}月\d{1,2}日",
        r"\d{4}年\d\d月\d\d日 \d\d:\d\d",
        r"\d{4}/\d\d/\d\d",
        r"\d{4}/\d\d/\d\d \d\d:\d\d",
    ]
    for pattern in patterns:
        assert any(re.fullmatch(pattern, s) for s in shown), pattern


def test_repost_group_is_a_near_duplicate_across_sites() -> None:
    groups: dict[str, list[dict]] = {}
    for entry in PAGES:
        if entry["repost_group"]:
            groups.setdefault(entry["repost_group"], []).append(entry)
    assert groups
    for members in groups.values():
        assert len({e["site"] for e in members}) >= 3
        # Not byte-identical bodies: each copy differs in length, first or last sentence.
        shapes = {(e["body_chars"], e["body_first"], e["body_last"]) for e in members}
        assert len(shapes) == len(members)
        texts = [page_text(e) for e in members]
        assert all("HIAF将在2025年底前完成项目总验收" in t for t in texts)


def test_hard_negatives_point_at_real_mentions() -> None:
    by_id = {e["id"]: e for e in PAGES}
    negatives = MANIFEST["hard_negatives"]
    for group in negatives["same_name_people"]:
        for entity in group["entities"]:
            for page in entity["pages"]:
                text = page_text(by_id[page])
                assert group["name"] in text and entity["org"] in text
        assert len({e["org"] for e in group["entities"]}) == len(group["entities"]) >= 2
    for group in negatives["same_short_name_companies"]:
        for entity in group["entities"]:
            for page in entity["pages"]:
                assert entity["full_name"] in page_text(by_id[page])
        assert len({e["city"] for e in group["entities"]}) == len(group["entities"]) >= 2
    for group in negatives["alias_sets"]:
        texts = "".join(page_text(by_id[p]) for p in group["pages"])
        assert all(alias in texts for alias in [group["canonical"], *group["aliases"]])


def test_chain_ids_name_existing_chain_templates() -> None:
    if not CHAIN_TEMPLATES.is_dir():
        pytest.skip("chain templates not present")
    known = {p.stem for p in CHAIN_TEMPLATES.glob("*.toml")}
    used = {cid for e in PAGES for cid in e["chain_ids"]}
    assert used <= known


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_demo_corpus", BUILDER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def test_shipped_files_equal_a_fresh_build_from_sources() -> None:
    builder = _load_builder()
    for rel, data in builder.build().items():
        assert (ROOT / rel).read_bytes() == data, f"{rel} is stale: run {BUILDER.name}"


def test_seed_like_fixture_has_the_seed_page_structure() -> None:
    text = (FIXTURES / "seed_like.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "当前位置:首页 > 产业地产资讯 > 正文内容"
    assert re.fullmatch(r"admin4个月前 \(09-21\)产业地产资讯\d+", lines[2])
    for marker in ("扫一扫关注公众号", "版权声明:", "本文链接:", "标签: 产业链", "分享给朋友:"):
        assert any(line.startswith(marker) for line in lines), marker
    tail = lines[lines.index("相关文章") + 1 :]
    assert len(tail) == 24  # 8 items: title, title again, teaser
    for i in range(0, 24, 3):
        assert tail[i] == tail[i + 1]
        assert tail[i + 2].endswith("...")
    page = html.unescape((FIXTURES / "seed_like.html").read_text(encoding="utf-8"))
    for title in tail[::3]:
        assert title in page
    assert lines[1] in page and "4个月前 (09-21)" in page

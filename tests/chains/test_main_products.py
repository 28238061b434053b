"""chainatlas/data/companies/main_products.tsv: every row is a listed firm filed under the
code given, its products reach the templates, and the classifier reads them only when
name and code both match. Rows cover codes that map one segment as well as several: a
firm filed under 面板 may make polarisers, one under 军工电子 infrared detectors."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from chainatlas.chains.classify import (
    _LEGACY_SHENWAN,
    _find_terms,
    _index,
    _normalise,
    classify_company,
)
from chainatlas.chains.templates import load_chains

DATA = Path(__file__).resolve().parents[2] / "chainatlas" / "data" / "companies"

# A products cell is a short list of trade nouns, not prose: sentence punctuation or a long
# item means someone pasted a description.
_PROSE = re.compile(r"[，。；：,;:！？!?（）()]")
_MAX_ITEMS = 4
_MAX_ITEM_CHARS = 16


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def products() -> list[dict]:
    return _rows("main_products.tsv")


def test_every_row_is_a_listed_firm_under_that_code(products):
    listed = {(r["code"], r["name"]): r["shenwan_code"] for r in _rows("listed_a_shares.tsv")}
    # Pass 5 wrote 167 rows; the 2026-11 extensions brought it to 1,423 (codes mapping
    # several segments) and then 3,103 (codes mapping one). A much shorter file means it
    # was truncated.
    assert len(products) >= 3000
    seen = set()
    for row in products:
        key = (row["code"], row["name"])
        assert key not in seen, key
        seen.add(key)
        assert listed.get(key) == row["shenwan_code"], key


def test_one_row_per_stock_code(products):
    # The listed file keeps former short names next to current ones (姚记扑克 / 姚记科技);
    # a firm described twice would be classified from whichever name the caller used.
    codes = [r["code"] for r in products]
    assert len(codes) == len(set(codes))


def test_products_are_short_trade_nouns(products):
    for row in products:
        words = row["products"].split("、")
        key = (row["code"], row["name"])
        assert 1 <= len(words) <= _MAX_ITEMS, key
        assert len(set(words)) == len(words), key
        for word in words:
            assert word and word.strip() == word, key
            assert len(word) <= _MAX_ITEM_CHARS, key
            assert not _PROSE.search(word), key


def _segment_count(catalog, code: str) -> int:
    # Legacy codes (640301 仪器仪表 …) are read as their 2021 equivalent, as the classifier does.
    mapped = catalog.by_shenwan(_LEGACY_SHENWAN.get(code, code))
    return len({(c.id, s.id) for c, s in mapped})


def test_every_code_maps_a_segment(products, catalog):
    # A code no template maps gives the products nothing to refine or to move away from;
    # a row there means a code typo or a template that lost its Shenwan reference.
    for code in {r["shenwan_code"] for r in products}:
        assert _segment_count(catalog, code) >= 1, code


def test_products_reach_the_templates(products, catalog):
    index = _index(catalog)
    by_kind: dict[bool, list[bool]] = {True: [], False: []}
    for r in products:
        terms = _find_terms(_normalise(r["products"]), index.terms_by_len)
        by_kind[_segment_count(catalog, r["shenwan_code"]) >= 2].append(
            any(t in index.postings for _, _, t in terms)
        )
    several, single = by_kind[True], by_kind[False]
    # Some firms make things no segment names yet (硒鼓, 刹车片, 压力校验仪, ATM); they keep
    # the code's reading. Under codes with several segments 0.838 of 1,423 rows reached
    # the templates on 2026-11-27; the floor catches a template edit that drops common
    # product words.
    assert sum(several) >= 0.8 * len(several)
    # Under one-segment codes a row that reaches nothing only confirms the code, so the
    # floor is lower: 0.716 of 1,680 rows on 2026-11-27 (百货商场, 自来水供应, 园林工程 and
    # 烟标 are the commonest words no segment names).
    assert sum(single) >= 0.65 * len(single)


def test_products_choose_among_the_codes_segments(catalog):
    # 370502 医疗设备: the code's primary is life support; the product list says surgical robots.
    hits = classify_company("天智航", shenwan_code="370502", catalog=catalog)
    assert hits[0].key == "medical-devices/therapy-surgical-robots"
    assert any(e.kind == "product" for e in hits[0].evidence)
    # 710402 横向通用软件: primary is cybersecurity; an office-software firm leaves it.
    hits = classify_company("泛微网络", shenwan_code="710402", catalog=catalog)
    assert hits[0].key == "software-it/enterprise-software"


@pytest.mark.parametrize(
    ("name", "code", "segment"),
    [
        # 640301 仪器仪表 (legacy code, read as 640107): the code alone says environmental
        # and energy meters; a spectrometer maker and a multimeter maker are elsewhere.
        ("天瑞仪器", "640301", "precision-instruments/analytical-instruments"),
        ("优利德", "640301", "precision-instruments/measurement-metrology"),
        # 710301 IT服务: the code alone says IT services; a data-centre operator is infra.
        ("光环新网", "710301", "software-it/infrastructure"),
        # 280203 底盘与发动机系统: the code alone says powertrain; a brake maker is chassis.
        ("伯特利", "280203", "automotive/chassis"),
        # 630701 锂电池: the code alone says power batteries; a storage-system maker is not.
        ("派能科技", "630701", "new-energy/storage-systems"),
        # Codes that map one segment: 军工电子 alone says functional materials; an
        # infrared-detector maker and a passive-component maker are electronics.
        ("大立科技", "650501", "electronic-info/optoelectronic-components"),
        ("振华科技", "650501", "electronic-info/passive-pcb"),
    ],
)
def test_products_move_firms_off_the_code_default(catalog, name, code, segment):
    hits = classify_company(name, shenwan_code=code, catalog=catalog)
    assert hits[0].key == segment
    assert any(e.kind == "product" for e in hits[0].evidence)


def test_products_confirm_a_one_segment_code(catalog):
    # 340901 调味发酵品 maps one segment; a soy-sauce maker stays there, now with its
    # product as evidence next to the code.
    hits = classify_company("千禾味业", shenwan_code="340901", catalog=catalog)
    assert hits[0].key == "agri-food/food-manufacturing"
    assert any(e.kind == "product" for e in hits[0].evidence)
    assert any(e.kind == "shenwan" for e in hits[0].evidence)


def test_products_need_name_and_code(catalog):
    # Same short name without the code, or with another code: no borrowed products.
    bare = classify_company("天智航", catalog=catalog)
    assert not any(e.kind == "product" for h in bare for e in h.evidence)
    other = classify_company("天智航", shenwan_code="370503", catalog=catalog)
    assert not any(e.kind == "product" for h in other for e in h.evidence)

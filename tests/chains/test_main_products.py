"""chainatlas/data/companies/main_products.tsv: every row is a listed firm filed under the
code given, its products reach the templates, and the classifier reads them only when
name and code both match."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chainatlas.chains.classify import _find_terms, _index, _normalise, classify_company
from chainatlas.chains.templates import load_chains

DATA = Path(__file__).resolve().parents[2] / "chainatlas" / "data" / "companies"


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
    assert len(products) >= 150
    seen = set()
    for row in products:
        key = (row["code"], row["name"])
        assert key not in seen, key
        seen.add(key)
        assert listed.get(key) == row["shenwan_code"], key
        words = row["products"].split("、")
        assert words and all(w.strip() == w and w for w in words), key


def test_only_codes_that_map_several_segments(products, catalog):
    for code in {r["shenwan_code"] for r in products}:
        assert len({(c.id, s.id) for c, s in catalog.by_shenwan(code)}) >= 2, code


def test_products_reach_the_templates(products, catalog):
    index = _index(catalog)
    reached = [
        r
        for r in products
        if any(
            t in index.postings
            for _, _, t in _find_terms(_normalise(r["products"]), index.terms_by_len)
        )
    ]
    # A few firms make things no segment names yet (硒鼓, 药用玻璃); they keep the code's reading.
    assert len(reached) >= 0.9 * len(products)


def test_products_choose_among_the_codes_segments(catalog):
    # 370502 医疗设备: the code's primary is life support; the product list says surgical robots.
    hits = classify_company("天智航", shenwan_code="370502", catalog=catalog)
    assert hits[0].key == "medical-devices/therapy-surgical-robots"
    assert any(e.kind == "product" for e in hits[0].evidence)
    # 710402 横向通用软件: primary is cybersecurity; an office-software firm leaves it.
    hits = classify_company("泛微网络", shenwan_code="710402", catalog=catalog)
    assert hits[0].key == "software-it/enterprise-software"


def test_products_need_name_and_code(catalog):
    # Same short name without the code, or with another code: no borrowed products.
    bare = classify_company("天智航", catalog=catalog)
    assert not any(e.kind == "product" for h in bare for e in h.evidence)
    other = classify_company("天智航", shenwan_code="370503", catalog=catalog)
    assert not any(e.kind == "product" for h in other for e in h.evidence)

"""The curated product catalogue (chainatlas/chains/product_catalog.py,
chainatlas/data/chains/products.tsv): the table is well formed and covers every product
term of the listed-company product table, and the classifier reads a listed firm's
products through it before the keywords found inside them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_text
from chainatlas.chains.product_catalog import (
    PRODUCTS_FILE,
    ProductLabel,
    ProductTableError,
    load_product_labels,
    read_product_list,
    shipped_product_labels,
    split_products,
)
from chainatlas.chains.templates import load_chains

MAIN_PRODUCTS = PRODUCTS_FILE.parents[1] / "companies" / "main_products.tsv"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "products.tsv"
    path.write_text(body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading


def test_split_products_keeps_order_and_drops_blanks():
    assert split_products("光学镜头、车载镜头，触控显示屏、 ") == [
        "光学镜头",
        "车载镜头",
        "触控显示屏",
    ]
    assert split_products("") == []


def test_load_reads_primary_alts_none_and_unsure(tmp_path):
    path = _write(
        tmp_path,
        "# a comment line\n"
        "term\tprimary\talts\tnote\n"
        "金刚石线\tnew-energy/pv-materials\t\t\n"
        "PI薄膜\tadvanced-materials/advanced-chemical-materials\t"
        "electronic-info/electronic-materials\tunsure\n"
        "住宅开发\t-\t\t\n"
        "电池\tnev/power-battery\t\tcategory\n",
    )
    labels = load_product_labels(path)
    assert labels["金刚石线"] == ProductLabel("金刚石线", ("new-energy", "pv-materials"))
    assert labels["PI薄膜"].alts == (("electronic-info", "electronic-materials"),)
    assert labels["PI薄膜"].unsure
    assert labels["住宅开发"].primary is None
    assert labels["电池"].category and not labels["电池"].unsure


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("term\talts\n金刚石线\t\n", "missing column"),
        ("term\tprimary\n金刚石线\tnew-energy\n", "expected chain_id/segment_id"),
        ("term\tprimary\n金刚石线\t\n", "term and primary are required"),
        ("term\tprimary\talts\n金刚石线\tnew-energy/pv-materials\tnev;\n", "expected chain_id"),
    ],
)
def test_malformed_rows_are_rejected_with_file_and_line(tmp_path, body, message):
    with pytest.raises(ProductTableError, match=message) as err:
        load_product_labels(_write(tmp_path, body))
    assert "products.tsv" in str(err.value)


def test_read_product_list_weights_the_first_product_most():
    labels = {
        "甲": ProductLabel("甲", ("c", "s1")),
        "丙": ProductLabel("丙", ("c", "s2")),
    }
    read = read_product_list("甲、乙、丙", labels)
    assert [(label.term, weight) for label, weight in read] == [("甲", 1.0), ("丙", 0.45)]


# --------------------------------------------------------------------------- shipped table


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def test_every_shipped_label_names_a_template_segment(catalog):
    keys = {(c.id, s.id) for c in catalog for s in c.segments}
    labels = shipped_product_labels()
    for label in labels.values():
        for key in (label.primary, *label.alts):
            if key is not None:
                assert key in keys, (label.term, key)
    # Most product terms of listed firms sit on some chain; a table of mostly "-" would
    # mean the labels were lost.
    placed = sum(1 for label in labels.values() if label.primary is not None)
    assert placed >= 0.6 * len(labels)


def test_every_listed_product_term_is_labelled():
    with MAIN_PRODUCTS.open(encoding="utf-8", newline="") as fh:
        terms = {
            term
            for row in csv.DictReader(fh, delimiter="\t")
            for term in split_products(row["products"])
        }
    missing = sorted(terms - set(shipped_product_labels()))
    assert not missing, missing[:20]


# --------------------------------------------------------------------------- classifier


@pytest.fixture
def table(monkeypatch):
    """A tiny catalogue in place of the shipped one, with a fresh catalog (the keyword
    index is cached per catalog and holds the catalogue's terms)."""

    def install(labels: dict[str, ProductLabel]):
        monkeypatch.setattr(classify, "shipped_product_labels", lambda: labels)
        return load_chains()

    return install


def test_a_listed_firms_curated_product_outranks_its_code_and_inner_words(table):
    # 美畅股份 is filed under 640103 (machine tools); its product 金刚石线 is a PV wafer
    # consumable. The keyword reading alone finds a tool word in it.
    catalog = table({"金刚石线": ProductLabel("金刚石线", ("new-energy", "pv-materials"))})
    hits = classify_company("美畅股份", shenwan_code="640103", catalog=catalog)
    assert hits[0].key == "new-energy/pv-materials"
    assert any(ev.kind == "product" and ev.value == "金刚石线" for ev in hits[0].evidence)


def test_a_product_placed_on_no_chain_adds_nothing(table):
    bare = classify_company("美畅股份", shenwan_code="640103", catalog=table({}))
    unplaced = classify_company(
        "美畅股份",
        shenwan_code="640103",
        catalog=table({"金刚石线": ProductLabel("金刚石线", None)}),
    )
    assert [(h.key, h.weight) for h in unplaced] == [(h.key, h.weight) for h in bare]


def test_catalogue_terms_reach_sentences_when_no_template_lists_them(table):
    text = "该公司生产亲水铝箔，年产能两万吨。"
    empty = table({})
    assert not any(
        h.key == "advanced-materials/advanced-nonferrous"
        for h in classify_text(text, catalog=empty)[:1]
    )
    catalog = table(
        {"亲水铝箔": ProductLabel("亲水铝箔", ("advanced-materials", "advanced-nonferrous"))}
    )
    assert classify_text(text, catalog=catalog)[0].key == "advanced-materials/advanced-nonferrous"


@pytest.mark.parametrize("flag", ["unsure", "category"])
def test_unsure_and_category_labels_stay_out_of_the_keyword_index(table, flag):
    text = "该公司生产亲水铝箔，年产能两万吨。"
    label = ProductLabel("亲水铝箔", ("advanced-materials", "advanced-nonferrous"), **{flag: True})
    hits = classify_text(text, catalog=table({"亲水铝箔": label}))
    assert not hits or hits[0].key != "advanced-materials/advanced-nonferrous"


def test_a_curated_word_never_cuts_a_template_word_in_two(table):
    # 晶圆级测试 | 测试设备: the template's 测试设备 (semiconductor equipment) crosses the
    # curated word; the text is read without the curated word.
    catalog = table(
        {"晶圆级测试": ProductLabel("晶圆级测试", ("semiconductor", "packaging-testing"))}
    )
    hits = classify_text("公司研发晶圆级测试设备。", catalog=catalog)
    assert hits[0].key == "semiconductor/semi-equipment"
    # On its own the curated word is read.
    hits = classify_text("公司提供晶圆级测试服务。", catalog=catalog)
    assert hits[0].key == "semiconductor/packaging-testing"


def test_a_curated_word_may_contain_a_template_word(table, catalog):
    # 钕铁硼废料 holds the template's 钕铁硼 (magnet material); the longer, curated reading
    # (recycling) wins.
    assert any("钕铁硼" in seg.keywords for chain in catalog for seg in chain.segments)
    label = ProductLabel("钕铁硼废料", ("safety-environment", "solid-waste"))
    hits = classify_text("公司回收钕铁硼废料。", catalog=table({"钕铁硼废料": label}))
    assert hits[0].key == "safety-environment/solid-waste"
    assert hits[0].evidence[0].value == "钕铁硼废料"

"""Issue 5, pass 5: what a sentence's grammar says about customers and means, brands that
straddle a name's first words, and a name's generic head that the texts make specific.

Sentences and firm names are invented for these tests; none comes from a gold set.
"""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import (
    _context_mask,
    _find_terms,
    _index,
    _normalise,
    classify_company,
    classify_text,
)
from chainatlas.chains.templates import load_chains


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def _mask_over(text: str, word: str, catalog) -> list[bool]:
    norm = _normalise(text)
    found = _find_terms(norm, _index(catalog).terms_by_len)
    mask = _context_mask(norm, found)
    start = norm.index(word)
    return mask[start : start + len(word)]


# ------------------------------------------------------------------ customer and means


def test_object_before_yong_is_the_application(catalog):
    # 储能用电芯: a battery cell for storage, not a storage system.
    assert all(_mask_over("公司专门生产储能用磷酸铁锂电芯。", "储能", catalog))
    assert not any(_mask_over("公司专门生产储能用磷酸铁锂电芯。", "磷酸铁锂电芯", catalog))
    # 外壳用的钢板: the appliance is the customer; the object stops at the verb 生产.
    text = "工厂生产冰箱外壳用的彩涂钢板。"
    assert all(_mask_over(text, "冰箱", catalog))
    assert not any(_mask_over(text, "彩涂钢板", catalog))


def test_yong_inside_a_term_or_after_a_non_term_is_not_a_marker(catalog):
    # 应用 / 使用 are ordinary verbs: no catalog term ends right before their 用.
    assert not any(_mask_over("公司推动工业机器人应用落地。", "工业机器人", catalog))
    assert not any(_mask_over("公司使用伺服电机驱动关节。", "伺服电机", catalog))
    assert not any(_mask_over("项目采用的光伏组件来自本地。", "光伏组件", catalog))


def test_object_of_a_service_is_not_the_product(catalog):
    hits = classify_company(
        "某某装备服务有限公司",
        texts=["公司从事盾构机和大型工程机械的再制造与维修。"],
        catalog=catalog,
    )
    assert hits[0].key == "high-end-equipment/services-remanufacturing"


def test_wei_pei_tao_marks_the_customer_but_zuowei_does_not(catalog):
    text = "公司为多家整车厂配套生产热成形钢板。"
    assert all(_mask_over(text, "整车厂", catalog))
    # 作为首条晶圆生产线: the firm describing itself, not a customer.
    assert not any(
        _mask_over("作为本市首条12英寸晶圆生产线，公司主要生产功率器件。", "12英寸", catalog)
    )


def test_means_after_caiyong_count_less_than_the_product(catalog):
    hits = classify_company(
        "某某芯算科技有限公司",
        texts=["公司研发GPGPU芯片，采用先进纳米工艺流片。"],
        catalog=catalog,
    )
    assert hits[0].chain_id in {"artificial-intelligence", "semiconductor"}
    assert hits[0].key != "semiconductor/wafer-fab"


def test_supply_target_after_peitao_is_customer(catalog):
    # The firm's own cell outweighs the storage plant it is supplied to.
    hits = classify_company(
        "某某电芯科技有限公司",
        texts=["公司生产磷酸铁锂电芯，产品配套电网侧储能电站。"],
        catalog=catalog,
    )
    assert hits[0].key != "new-energy/storage-systems"


# ------------------------------------------------------------------ names


def test_term_straddling_brand_and_trade_is_discounted(catalog):
    # 盐城|恒储|能源科技: 储能 starts on the brand's second character.
    hits = classify_company("盐城恒储能源科技有限公司", catalog=catalog)
    assert not any(h.key == "new-energy/storage-systems" and h.weight > 1.0 for h in hits)
    # The same word after the brand is the business.
    hits = classify_company("盐城恒泰储能科技有限公司", catalog=catalog)
    assert hits and hits[0].chain_id == "new-energy"


def test_long_registered_name_opening_with_the_business_keeps_it(catalog):
    hits = classify_company("北京航天时代电子技术股份有限公司", catalog=catalog)
    assert hits and hits[0].key == "high-end-equipment/aerospace"


def test_generic_name_head_yields_to_the_specific_term_in_texts(catalog):
    texts = ["公司量产湿电子化学品，纯度达到G5等级。"]
    hits = classify_company("苏州晶澈化学品有限公司", texts=texts, catalog=catalog)
    assert hits[0].key == "semiconductor/semi-materials"
    # Without the specific term the name's head still places the firm.
    plain = classify_company("苏州晶澈化学品有限公司", catalog=catalog)
    assert plain[0].key == "green-petrochem/fine-chemicals"


def test_name_head_that_agrees_with_the_text_term_keeps_its_say(catalog):
    texts = ["公司制造碳纤维复合材料结构件。"]
    hits = classify_company("常州某某复合材料有限公司", texts=texts, catalog=catalog)
    assert hits[0].key == "advanced-materials/composites"


# ------------------------------------------------------------------ vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "一家本地生活服务平台把区域总部设在本市，主营外卖和团购业务。",
            "software-it/internet-platforms",
        ),
        ("项目新增液晶模组产能2000万片。", "uhd-display/modules-terminals"),
        ("项目以桉木为原料生产漂白化学浆。", "light-textile/fibres-pulp"),
        ("县里建设垃圾焚烧发电项目，日处理生活垃圾800吨。", "safety-environment/solid-waste"),
        ("企业建设区块链即服务平台，为机构部署节点。", "blockchain-quantum/blockchain-platforms"),
    ],
)
def test_everyday_words_reach_their_segment(catalog, text, expected):
    hits = classify_text(text, catalog=catalog)
    assert hits and hits[0].key == expected

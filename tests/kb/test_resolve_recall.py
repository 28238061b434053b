"""Recall rules of the resolver (issue 4): park kinds and nicknames, bracketed acronyms and
equivalences, places as governments, stock codes, short forms, regions by context."""

from __future__ import annotations

import pytest

from chainatlas.kb.evaluate import in_split
from chainatlas.kb.names import canonical_park, colocated_admin, parse_org
from chainatlas.kb.resolve import Gazetteers, MentionIn, resolve


@pytest.fixture(scope="module")
def gaz():
    return Gazetteers.default()


def put(doc: str, text: str, surface: str, etype: str, ids: list, **attrs) -> MentionIn:
    """A mention of `surface` at its first position in `text`."""
    start = text.index(surface)
    m = MentionIn(len(ids) + 1, doc, start, start + len(surface), surface, etype, attrs)
    ids.append(m)
    return m


def key(r, m: MentionIn) -> str:
    return r.links[m.id].entity


def test_park_kind_words_and_nicknames_come_from_the_data_table():
    assert parse_org("合肥经济技术开发区").core == parse_org("合肥经开区").core == "经开区"
    assert parse_org("武汉东湖新技术开发区").core == "东湖高新区"
    assert canonical_park("中国光谷") == "武汉东湖高新区"
    assert canonical_park("光谷生物城") == "光谷生物城"  # only whole names are replaced
    assert colocated_admin("广州开发区") == "广州市黄埔区"


def test_park_abbreviations_and_aliases_merge_but_neighbouring_zones_do_not(gaz):
    ms = []
    a = put("d1", "项目落户芜湖经济技术开发区。", "芜湖经济技术开发区", "park", ms)
    b = put("d2", "芜湖经开区今年引进了三家企业。", "芜湖经开区", "park", ms)
    c = put("d2", "芜湖高新区的企业也有增长。", "芜湖高新区", "park", ms)
    d = put("d3", "光谷的激光企业接到新订单。", "光谷", "park", ms)
    e = put("d4", "武汉东湖新技术开发区发布了新政策。", "武汉东湖新技术开发区", "park", ms)
    f = put("d4", "光谷生物城新增两家药企。", "光谷生物城", "park", ms)
    r = resolve(ms, (), gaz)
    assert key(r, a) == key(r, b) != key(r, c)
    assert key(r, d) == key(r, e) != key(r, f)


def test_a_bracketed_acronym_names_the_facility_across_articles(gaz):
    t1 = "山区里的深空射电观测阵列（DSRA）已进入调试阶段。"
    t2 = "DSRA计划明年开放观测。"
    ms = []
    long = put("d1", t1, "深空射电观测阵列", "facility", ms)
    short = put("d2", t2, "DSRA", "facility", ms)
    other = put("d2", t2 + "另一台望远镜XYZ在建。", "XYZ", "facility", ms)
    r = resolve(ms, (), gaz, texts={"d1": t1, "d2": t2 + "另一台望远镜XYZ在建。"})
    assert key(r, long) == key(r, short) != key(r, other)
    # Without the article text the resolver cannot see the bracket and keeps them apart.
    assert key(resolve(ms, (), gaz), long) != key(resolve(ms, (), gaz), short)


def test_a_bracketed_equivalence_and_colocated_administrations_are_one_government(gaz):
    t1 = "株洲市荷塘区（株洲高新区）与企业签约。"  # an invented bracket pair
    t2 = "广州开发区与企业签署协议，黄埔区将提供用地保障。"
    t3 = "株洲近日发布方案，株洲市将扩大投资。"
    ms = []
    a = put("d1", t1, "株洲市荷塘区", "government", ms)
    b = put("d4", "株洲高新区管委会表示", "株洲高新区", "government", ms)
    c = put("d2", t2, "广州开发区", "government", ms)
    d = put("d2", t2, "黄埔区", "government", ms)
    e = put("d3", t3, "株洲", "government", ms)
    f = put("d3", t3, "株洲市", "government", ms)
    texts = {"d1": t1, "d2": t2, "d3": t3, "d4": "株洲高新区管委会表示"}
    r = resolve(ms, (), gaz, texts=texts)
    assert key(r, a) == key(r, b)
    assert key(r, c) == key(r, d) == "government:440112:人民政府"
    assert key(r, e) == key(r, f) == "government:430200:人民政府"
    assert key(r, a) != key(r, e)  # a district is not its city


def test_stock_codes_bare_cut_short_or_written_elsewhere_name_the_listed_company(gaz):
    ms = []
    a = put("d1", "股票代码300760", "300760", "company", ms)
    b = put("d2", "迈瑞医疗(300760表示", "迈瑞医疗(300760", "company", ms)
    c = put("d3", "卫星化学(002648)公告", "卫星化学(002648)", "company", ms)
    d = put("d4", "卫星化学表示将扩产", "卫星化学", "company", ms)
    r = resolve(ms, (), gaz)
    assert key(r, a) == key(r, b) == "company:code:300760"
    assert key(r, c) == key(r, d) == "company:code:002648"


def test_a_short_form_joins_the_only_long_form_that_begins_with_it(gaz):
    ms = []
    a = put(
        "d1",
        "湖南青禾智能装备联合研究有限公司投产",
        "湖南青禾智能装备联合研究有限公司",
        "company",
        ms,
    )
    b = put("d2", "青禾智能完成融资", "青禾智能", "company", ms)
    # Two long forms begin with 蓝屿: the short form stays alone.
    c = put("d3", "江苏蓝屿储能科技有限公司", "江苏蓝屿储能科技有限公司", "company", ms)
    d = put("d4", "浙江蓝屿光电科技有限公司", "浙江蓝屿光电科技有限公司", "company", ms)
    e = put("d5", "蓝屿签约", "蓝屿", "company", ms)
    f = put("d6", "上海临港新片区推出政策。临港的企业受益。", "上海临港新片区", "park", ms)
    g = MentionIn(99, "d6", 13, 15, "临港", "park", {})
    h = put("d7", "中国科学院近代物理研究所", "中国科学院近代物理研究所", "research", ms)
    i = put("d7", "中国科学院近代物理研究所隶属中国科学院", "中国科学院", "research", ms)
    r = resolve([*ms, g], (), gaz)
    assert key(r, a) == key(r, b)
    assert key(r, e) not in (key(r, c), key(r, d))
    assert key(r, f) == key(r, g)
    assert key(r, h) != key(r, i)  # a whole and its part


def test_an_ambiguous_county_short_form_takes_the_article_region(gaz):
    ms = []
    text = "深圳市出台规划，研发中心设在南山。"
    put("d1", text, "深圳市", "region", ms)
    a = put("d1", text, "南山", "region", ms, code=None, candidates=["230404", "440305"])
    b = put("d2", "总部位于深圳南山。", "深圳南山", "region", ms)
    r = resolve(ms, (), gaz)
    assert key(r, a) == key(r, b) == "region:code:440305"


def test_id_split_is_by_parity():
    assert in_split("p001", "odd") and not in_split("p001", "even")
    assert in_split("p188", "even") and in_split("p188", "all")

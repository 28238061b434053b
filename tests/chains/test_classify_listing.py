"""Listed companies placed from their listing record alone: the registered name's trade
words and the templates' primary segment for a shared Shenwan code."""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import classify_company, top_chain
from chainatlas.chains.templates import ChainTemplateError, load_chains, load_shenwan, parse_chain


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def test_registered_name_trade_words_choose_among_the_codes_segments(catalog):
    # 640703 激光设备 maps lasers and laser equipment; the short name 锐科激光 says only
    # 激光, the registered name (…锐科光纤激光技术股份有限公司) says fibre lasers.
    hits = classify_company("锐科激光", shenwan_code="640703", catalog=catalog)
    assert hits[0].key == "laser-additive/lasers"
    assert any(e.kind == "name" and e.value == "光纤激光" for e in hits[0].evidence)
    # A firm not in the gazetteer with the same code gets the code's primary segment.
    unknown = classify_company("某某激光", shenwan_code="640703", catalog=catalog)
    assert unknown[0].key == "laser-additive/laser-equipment"


def test_trade_word_in_registered_name_overrides_the_primary_segment(catalog):
    # 370503 医疗耗材: primary is high-value consumables; 振德医疗用品股份有限公司 makes
    # dressings and masks, which its registered name says.
    plain = classify_company("某某医疗", shenwan_code="370503", catalog=catalog)
    assert plain[0].key == "medical-devices/high-value-consumables"
    named = classify_company("振德医疗", shenwan_code="370503", catalog=catalog)
    assert named[0].key == "medical-devices/low-value-consumables"


def test_chain_words_in_registered_name_do_not_pick_the_chain(catalog):
    # 云南恩捷新材料股份有限公司: 新材料 is a descriptor, not the 前沿新材料 chain.
    hits = classify_company("恩捷股份", shenwan_code="630702", catalog=catalog)
    assert hits[0].key == "nev/battery-materials"
    assert top_chain(hits) == "nev"


def test_listing_is_used_only_when_name_and_code_agree(catalog):
    # 机器人 is a listed short name (新松, 640701) but also a plain word: without the code
    # nothing from the gazetteer is borrowed.
    bare = classify_company("机器人", catalog=catalog)
    assert not any(e.kind == "shenwan" for h in bare for e in h.evidence)
    # 振德医疗 with another firm's code: its registered name is not read.
    other = classify_company("振德医疗", shenwan_code="370502", catalog=catalog)
    assert not any(e.value == "医疗用品" for h in other for e in h.evidence)
    named = classify_company("振德医疗", shenwan_code="370503", catalog=catalog)
    assert any(e.value == "医疗用品" for e in named[0].evidence)


def test_shipped_templates_mark_each_code_primary_at_most_once(catalog):
    seen: dict[str, str] = {}
    for chain in catalog:
        for seg in chain.segments:
            for ref in seg.shenwan:
                if ref.primary:
                    assert ref.code not in seen, (ref.code, seen.get(ref.code), seg.key)
                    seen[ref.code] = seg.key
    # Every code marked primary is shared by two or more segments (else it is noise).
    for code in seen:
        assert len(catalog.by_shenwan(code)) >= 2, code


def _chain(primary_a: object, primary_b: object = False) -> dict:
    def seg(i: int, stage: str, primary: object) -> dict:
        ref = {"code": "370502", "name": "医疗设备"}
        if primary is not False:
            ref["primary"] = primary
        return {
            "id": f"s{i}",
            "name": f"环节{i}",
            "stage": stage,
            "order": i,
            "keywords": [f"词{i}"],
            "shenwan": [ref],
        }

    return {
        "id": "demo",
        "name": "演示",
        "description": "测试。",
        "segments": [seg(1, "upstream", primary_a), seg(2, "midstream", primary_b)],
    }


def test_primary_flag_is_read_and_validated():
    tree = load_shenwan()
    chain, _ = parse_chain(_chain(True), "t.toml", strict=False, shenwan=tree)
    assert [r.primary for s in chain.segments for r in s.shenwan] == [True, False]
    with pytest.raises(ChainTemplateError, match=r"primary.*true or false"):
        parse_chain(_chain("yes"), "t.toml", strict=False, shenwan=tree)
    with pytest.raises(ChainTemplateError, match="370502 marked primary more than once"):
        parse_chain(_chain(True, True), "t.toml", strict=False, shenwan=tree)

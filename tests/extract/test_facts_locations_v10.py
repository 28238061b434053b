"""located_in rule of `extract.core.v10` (docs/fact-extraction-notes.md, unseen set 3):
a park word that names no park resolves to the park named before. Sentences written for
these tests; firms are invented."""

from __future__ import annotations

from tests.extract._facts_helpers import of_kind, run


def _located(text: str) -> set[tuple[str, str]]:
    return {(f["subject"], f["place"]) for f in of_kind(run(text), "located_in")}


def test_inside_the_park_takes_the_named_park_not_a_verb_span():
    text = (
        "重庆澜江微电子产业园区今年以来已引进项目12个。另有消息称，某企业有意在园区设立研发中心。"
        "同日，园区内的重庆澜测半导体设备有限公司宣布完成B轮融资。"
    )
    got = _located(text)
    assert ("重庆澜测半导体设备有限公司", "重庆澜江微电子产业园区") in got
    assert not any("有意" in p for _s, p in got)


def test_same_park_resolves_to_the_park_named_before():
    text = (
        "芜湖澜江汽车零部件有限公司项目在芜湖市鸠江经济开发区竣工投产。"
        "同日，位于同一园区的芜湖澜驰热管理科技有限公司宣布扩产。"
    )
    got = _located(text)
    assert ("芜湖澜驰热管理科技有限公司", "芜湖市鸠江经济开发区") in got
    assert not any(p == "同一园区" for _s, p in got)

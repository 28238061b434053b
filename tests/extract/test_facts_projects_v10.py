"""investment_project rules of `extract.core.v10` (docs/fact-extraction-notes.md, unseen
set 3). Sentences written for these tests; firms and figures are invented."""

from __future__ import annotations

from tests.extract._facts_helpers import of_kind, run


def _projects(text: str) -> list[dict]:
    return of_kind(run(text), "investment_project")


def test_site_before_what_is_built_there_is_no_project():
    text = (
        "浙江澜石新能源科技股份有限公司董事会秘书唐远表示，公司经营正常。"
        "唐远同时介绍，公司在衢州智造基地建设的正极材料二期项目已于今年5月开工。"
    )
    got = _projects(text)
    assert [p["project"] for p in got] == ["正极材料二期项目"]
    assert got[0]["investor"] == "浙江澜石新能源科技股份有限公司"
    assert got[0]["stage"] == "开工"


def test_topic_header_and_share_of_a_batch_are_not_projects():
    text = (
        "重大项目方面，台州澜海汽车零部件有限公司投资12亿元的轻量化底盘项目已于8月投产。"
        "一季度全区新签约亿元以上项目40个，协议投资额合计560亿元，其中新能源项目占比超过三成。"
    )
    names = {p["project"] for p in _projects(text)}
    assert "轻量化底盘项目" in names
    assert not names & {"重大项目", "新能源项目"}


def test_lines_built_inside_a_project_are_its_parts():
    text = "该项目总投资12亿元，建成4条6000吨级压铸生产线，达产后可年产车身结构件40万套。"
    assert not any(p["project"] and "生产线" in p["project"] for p in _projects(text))


def test_capacity_led_project_is_still_a_project():
    # Near miss: 年产2000台 is a capacity, not a count of parts.
    text = "苏州澜驰动力有限公司年产2000台氢能发动机项目已于今年3月开工，总投资5亿元。"
    assert [p["project"] for p in _projects(text)] == ["氢能发动机项目"]


def test_newly_signed_batch_with_a_size_band_is_an_aggregate():
    text = "今年1—6月，澜湖经开区新签约亿元以上项目22个，协议总投资180亿元。"
    got = _projects(text)
    assert any(p["project"] is None and p["amount"] == 18_000_000_000 for p in got)


def test_running_total_stays_unread():
    text = "截至目前，澜湖经开区累计签约亿元以上产业项目137个。"
    assert _projects(text) == []


def test_dated_history_after_a_report_gives_each_earlier_stage():
    text = (
        "湖南澜湘新材料有限公司年产5万吨负极材料项目在岳阳经开区竣工投产。"
        "该项目于2023年10月签约，2024年2月开工建设，总投资12亿元。"
    )
    stages = {p["stage"] for p in _projects(text) if p["project"] == "负极材料项目"}
    assert stages == {"投产", "签约", "开工"}


def test_undated_repeat_adds_no_stage():
    # Near miss: the sentence after the report names a stage again without dates.
    text = (
        "湖南澜湘新材料有限公司年产5万吨负极材料项目在岳阳经开区竣工投产。"
        "该项目签约后进展顺利，总投资12亿元。"
    )
    stages = [p["stage"] for p in _projects(text) if p["project"] == "负极材料项目"]
    assert stages == ["投产"]

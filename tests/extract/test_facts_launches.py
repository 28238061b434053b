"""launch facts: several releases per sentence, anaphors, reports and plans excluded
(sentences written for these tests)."""

from tests.extract._facts_helpers import of_kind, run


def launches(text: str) -> set[tuple[str, str]]:
    return {(f["company"], f["product"]) for f in of_kind(run(text), "launch")}


def test_release_after_a_launch_event_and_second_release():
    text = (
        "4月9日，杭州云枢机器人有限公司举办新品发布会，正式推出人形机器人“云枢R3”，"
        "同时推出配套的运维软件平台。"
    )
    got = launches(text)
    assert any(p.endswith("“云枢R3”") for _c, p in got)
    assert ("杭州云枢机器人有限公司", "运维软件平台") in got


def test_anaphor_company_and_head_after_de():
    text = "杭州云枢机器人有限公司完成融资。同日，公司还发布了面向仓储物流的四足机器人QZ-5。"
    assert ("杭州云枢机器人有限公司", "四足机器人QZ-5") in launches(text)


def test_reports_and_plans_are_not_launches():
    text = "3月27日晚，武汉江盛智能股份有限公司发布2024年年度报告。公司今年计划推出两款新品。"
    assert launches(text) == set()

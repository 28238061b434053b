from tests.extract._facts_helpers import of_kind, run


def triples(text: str) -> set[tuple]:
    return {(f["person"], f["position"], f["org"]) for f in of_kind(run(text), "holds_position")}


def test_org_title_name_and_double_title():
    got = triples("江东精密仪器有限公司董事长兼总经理张立衡表示，订单已排到明年。")
    assert got == {
        ("张立衡", "董事长", "江东精密仪器有限公司"),
        ("张立衡", "总经理", "江东精密仪器有限公司"),
    }


def test_anaphor_resolves_to_subject_company_not_investor():
    text = (
        "合肥衡远传感科技有限公司完成2亿元B轮融资，由北岭资本领投。公司首席科学家罗安平介绍了新品。"
    )
    assert ("罗安平", "首席科学家", "合肥衡远传感科技有限公司") in triples(text)


def test_parenthesised_title_and_short_name_resolution():
    text = "南湖量子研究院成立三年。陈启明（南湖量子研究院院长）说，团队还在扩大。"
    assert ("陈启明", "院长", "南湖量子研究院") in triples(text)


def test_rank_is_not_a_position():
    assert triples("中国科学院院士王志远出席论坛并作报告。") == set()


def test_no_person_no_fact():
    assert triples("开发区招商部门负责人表示，力争年内完成签约。") == set()

from tests.extract._facts_helpers import of_kind, run


def test_round_amount_and_ordered_investors():
    text = "苏州禾光生物科技有限公司宣布完成3亿元B轮融资，本轮由青松资本领投，北湾创投、海川医疗基金跟投，老股东继续追加投资。"
    (f,) = of_kind(run(text), "financing")
    assert f["company"] == "苏州禾光生物科技有限公司"
    assert f["round"] == "B轮"
    assert f["amount"] == 3e8
    assert f["investors"] == ["青松资本", "北湾创投", "海川医疗基金"]


def test_quoted_angel_plus_round_with_vague_amount():
    text = "杭州知远数据科技有限公司完成数千万元“天使+”轮融资。"
    (f,) = of_kind(run(text), "financing")
    assert f["round"] == "天使+轮"
    assert f["amount"] is None  # 数千万元 is vague: no point value
    assert f["investors"] == []


def test_undisclosed_strategic_round_drops_unnamed_investor():
    text = "成都蜀禾制药有限公司完成了战略融资，投资方为一家大型医药集团，具体金额未披露。"
    (f,) = of_kind(run(text), "financing")
    assert (f["round"], f["amount"], f["investors"]) == ("战略融资", None, [])

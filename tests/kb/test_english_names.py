"""English names written beside Chinese ones (迈瑞医疗（Mindray）) become mentions of the same
organisation, and resolution puts both spellings in one entity."""

from __future__ import annotations

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.kb.resolve import Gazetteers, MentionIn, resolve

TEXT = (
    "深圳迈瑞生物医疗电子股份有限公司（Mindray）今天发布新一代监护仪。"
    "海外客户认为Mindray的产品性价比较高。比亚迪（BYD）在欧洲建厂，BYD的新工厂年产能15万辆。"
)


def test_latin_names_in_brackets_and_their_repeats_are_mentions():
    mentions, _ = extract_document(TEXT, resources=load_resources(with_ner=False))
    latin = [(m.text, m.type.value) for m in mentions if m.text.isascii()]
    assert latin == [
        ("Mindray", "company"),
        ("Mindray", "company"),
        ("BYD", "company"),
        ("BYD", "company"),
    ]


def test_resolution_puts_both_spellings_in_one_entity():
    mentions, _ = extract_document(TEXT, resources=load_resources(with_ner=False))
    ins = [
        MentionIn(i, "d1", m.start, m.end, m.text, m.type.value, m.attrs, m.confidence)
        for i, m in enumerate(mentions, start=1)
        if m.type.value == "company"
    ]
    result = resolve(ins, gazetteers=Gazetteers.default(), texts={"d1": TEXT})
    entity_of = {mid: link.entity for mid, link in result.links.items()}
    by_text: dict[str, set[str]] = {}
    for m in ins:
        by_text.setdefault(m.text, set()).add(entity_of[m.id])
    assert by_text["Mindray"] == by_text["深圳迈瑞生物医疗电子股份有限公司"]
    assert by_text["BYD"] == by_text["比亚迪"]
    assert by_text["BYD"] != by_text["Mindray"]

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.records import EntityType


def mentions(text: str) -> dict[str, EntityType]:
    ms, _ = extract_document(text, resources=load_resources())
    return {m.text: m.type for m in ms}


def test_suffix_rules_type_organisations():
    got = mentions("深圳国际量子研究院与广东华南疫苗股份有限公司在深圳光明科学城签约。")
    assert got["深圳国际量子研究院"] is EntityType.RESEARCH
    assert got["广东华南疫苗股份有限公司"] is EntityType.COMPANY
    assert got["深圳光明科学城"] is EntityType.PARK


def test_facility_and_policy():
    got = mentions("惠州的“强流重离子加速器装置”正在施工，当地印发《高端装备产业集群行动计划》。")
    assert got["强流重离子加速器装置"] is EntityType.FACILITY
    assert got["《高端装备产业集群行动计划》"] is EntityType.POLICY


def test_position_is_split_from_party_committee():
    got = mentions("深圳湾实验室党委书记胡晓军介绍了情况。")
    assert got["党委书记"] is EntityType.POSITION
    assert got["深圳湾实验室"] is EntityType.RESEARCH


def test_traditional_text_keeps_original_surface():
    got = mentions("廈門晶瀾半導體有限公司董事長許文彬表示。")
    assert got.get("廈門晶瀾半導體有限公司") is EntityType.COMPANY


def test_no_mentions_in_contact_lines():
    ms, _ = extract_document("联系人：王小明 电话：0755-12345678", resources=load_resources())
    assert all(m.type is not EntityType.PERSON for m in ms)

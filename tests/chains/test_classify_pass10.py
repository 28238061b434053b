"""Pass 10 of the segment classifier (issue 5): everyday trade words for fields that had
none (hot forging, pressure dies, dialect transcription, landslide gauges, pulp moulding,
cracker units, remanufactured machines), and three context wordings: 把 A …成 B (A is the
input), a launch or best-seller verb after a channel (在…开售 / 热销), and 给/为 + buyer +
a data-service verb (整理, 清洗, 画框). Every sentence is written for the test; none comes
from a gold file."""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import classify_company, classify_text
from tests.chains.classify_helpers import FIRM, firm_top


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "甲乙丙公司专做不锈钢温锻件和冷挤压件，供应水泵厂。",
            "advanced-materials/materials-processing",
        ),
        ("甲乙丙公司批量生产陶瓷压阻芯体，用于液压系统。", "precision-instruments/sensors"),
        (
            "甲乙丙公司的语音转写系统已在政务服务热线上线。",
            "artificial-intelligence/perception-technologies",
        ),
        ("甲乙丙公司在尾矿库周边安装裂缝计和雨量站。", "safety-environment/monitoring-warning"),
        ("甲乙丙公司用竹浆做纸浆模塑托盘，替代泡沫内衬。", "light-textile/paper-packaging"),
        (
            "甲乙丙公司收购旧装载机，拆检翻新后作为再制造整机出售。",
            "high-end-equipment/services-remanufacturing",
        ),
        ("甲乙丙公司的楼宇对讲终端进入多个新建小区。", "electronic-info/security-iot"),
        ("甲乙丙公司量产双足机器人，首批交付高校实验室。", "robotics/humanoid-mobile"),
        ("甲乙丙公司把聚丙烯粒料制成缠绕膜，供应物流仓库。", "green-petrochem/downstream-products"),
        ("甲乙丙公司量产汽车空调压缩机，配套多家车企。", "nev/thermal-chassis-body"),
        ("甲乙丙公司提供环境与可靠性试验服务。", "precision-instruments/testing-calibration"),
        ("甲乙丙公司承接大型活动和灯光秀的创意制作。", "digital-creative/immersive-experience"),
        ("甲乙丙公司冶炼精锡和锡锭。", "advanced-materials/mineral-smelting"),
        ("甲乙丙公司发布带屏眼镜。", "artificial-intelligence/intelligent-products"),
        ("甲乙丙公司开发搪胶潮流玩具。", "digital-creative/consumption-scenarios"),
        ("甲乙丙公司生产聚酯薄膜。", "green-petrochem/downstream-products"),
    ],
)
def test_trade_words(catalog, text, expected):
    assert firm_top(catalog, text) == expected


def test_cracker_unit_beats_the_park_word(catalog):
    hits = classify_text("某化工园区开工建设80万吨/年蒸汽裂解装置。", catalog=catalog)
    assert hits[0].key == "green-petrochem/olefins-aromatics"


def test_pulp_moulding_project_is_packaging(catalog):
    hits = classify_text("某县签约甘蔗渣纸浆模塑餐盒项目。", catalog=catalog)
    assert hits[0].key == "light-textile/paper-packaging"


def test_ba_input_is_not_the_product(catalog):
    # The resin word is the input of 把…加工成; the product word decides.
    hits = classify_company(FIRM, texts=["甲乙丙公司把聚丙烯粒料加工成编织袋。"], catalog=catalog)
    assert hits[0].key == "green-petrochem/downstream-products"
    resin = next((h for h in hits if h.segment_id == "synthetic-resins"), None)
    assert resin is None or resin.weight < hits[0].weight / 2


def test_launch_channel_is_context(catalog):
    # 跨境电商 names where the cups are sold (在…渠道热销), not the firm's trade.
    sold = classify_company(FIRM, texts=["甲乙丙公司的保温杯在跨境电商渠道热销。"], catalog=catalog)
    own = classify_company(FIRM, texts=["甲乙丙公司从事跨境电商。"], catalog=catalog)
    trade = max((h.weight for h in sold if h.segment_id == "trade-services"), default=0.0)
    assert own and own[0].segment_id == "trade-services"
    assert trade < own[0].weight / 2


def test_data_service_buyer_is_context(catalog):
    # 给 + buyer + 整理: the buyer's field (autonomous driving) is not the firm's.
    text = "甲乙丙公司给自动驾驶客户整理道路图片并做人工标注。"
    hits = classify_company(FIRM, texts=[text], catalog=catalog)
    own = classify_company(FIRM, texts=["甲乙丙公司开发自动驾驶软件。"], catalog=catalog)
    nev = next((h for h in hits if h.chain_id == "nev"), None)
    assert nev is None or nev.weight < own[0].weight / 2


def test_plastics_machine_row_stays_equipment(catalog):
    # 吹膜 was tried and dropped: it moved a blown-film machine maker (吹膜机组) to plastics.
    hits = classify_company(FIRM, texts=["甲乙丙公司生产吹膜机组和注塑机。"], catalog=catalog)
    assert hits and hits[0].chain_id != "green-petrochem"

"""Pass 9 of the segment classifier (issue 5): chain boundaries stated once for whole
families of products (wide-bandgap substrates, resorbable implant metals, quantum sensors,
special engineering plastics, pollution monitoring, home projectors and speakers, offshore
platforms), everyday product words for fields that had none (network security products,
rare-earth metals, blockchain documents, tiles and slabs, lubricants), and two customer
wordings (买家…, 进入…产线). Every sentence here is written for the test; none comes from a
gold file."""

from __future__ import annotations

import pytest

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_text
from tests.chains.classify_helpers import FIRM, firm_top


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # boundaries: the whole product family goes to one chain
        (
            "甲乙丙公司主要生产碳化硅单晶衬底。",
            "frontier-materials/third-gen-semiconductor-materials",
        ),
        (
            "甲乙丙公司量产六英寸氮化镓衬底。",
            "frontier-materials/third-gen-semiconductor-materials",
        ),
        ("甲乙丙公司生产可降解镁合金接骨板坯料。", "frontier-materials/biomedical-materials"),
        ("甲乙丙公司研制原子磁力仪，用于矿产勘查。", "blockchain-quantum/quantum-metrology"),
        (
            "甲乙丙公司生产聚醚醚酮和聚苯硫醚粒料。",
            "advanced-materials/advanced-chemical-materials",
        ),
        ("甲乙丙公司生产改性尼龙粒子。", "green-petrochem/synthetic-resins"),
        ("甲乙丙公司提供烟气监测和空气质量监测设备。", "safety-environment/monitoring-warning"),
        ("甲乙丙公司生产家用投影仪和蓝牙音箱。", "smart-appliances/audio-video-lighting"),
        ("甲乙丙公司建造自升式钻井平台。", "high-end-equipment/marine-offshore"),
        # field vocabulary
        ("甲乙丙公司的入侵防御和日志审计产品卖给银行。", "software-it/cybersecurity"),
        ("甲乙丙公司以熔盐电解法生产镨钕金属。", "advanced-materials/mineral-smelting"),
        ("甲乙丙公司为船公司开发电子提单平台。", "blockchain-quantum/blockchain-applications"),
        ("甲乙丙公司生产陶瓷岩板。", "advanced-materials/building-materials"),
        ("甲乙丙公司调配液压油和润滑脂。", "green-petrochem/fine-chemicals"),
        ("甲乙丙公司回收废旧动力电池。", "nev/battery-recycling"),
        (
            "甲乙丙公司生产超低温冰箱和生物安全柜。",
            "precision-instruments/life-science-instruments",
        ),
        ("甲乙丙公司生产热释电红外传感器。", "precision-instruments/sensors"),
        ("甲乙丙公司提纯高纯铟和高纯锗。", "frontier-materials/precursors-high-purity"),
        ("甲乙丙公司用改良西门子法生产多晶硅。", "new-energy/pv-materials"),
    ],
)
def test_company_boundaries_and_vocabulary(catalog, text, expected):
    assert firm_top(catalog, text) == expected


def test_semiconductor_keeps_silicon_materials(catalog):
    # The wide-bandgap rule moves substrates of SiC/GaN only; silicon stays semiconductor.
    assert firm_top(catalog, "甲乙丙公司生产12英寸大硅片。") == "semiconductor/semi-materials"


def test_devices_on_wide_bandgap_stay_semiconductor(catalog):
    hits = classify_text("碳化硅器件和氮化镓器件封测项目", catalog=catalog)
    assert hits and hits[0].chain_id == "semiconductor"


def test_offshore_installation_platform_is_marine_not_wind(catalog):
    # The platform serves wind farms, but building it is marine engineering.
    assert firm_top(catalog, "甲乙丙公司建造海上风电安装平台。") == (
        "high-end-equipment/marine-offshore"
    )


def test_buyer_word_marks_customers(catalog):
    # 买家 names who buys: the machine tools are the customers, the bearing is the product.
    text = "甲乙丙公司生产主轴轴承，买家以数控机床制造商为主。"
    assert firm_top(catalog, text) == "high-end-equipment/basic-components"


def test_line_entered_is_the_customers(catalog):
    # 进入…产线: the battery line is the buyer's; the laser welder is the product.
    text = "甲乙丙公司的激光焊接设备已进入电池厂产线。"
    assert firm_top(catalog, text) == "laser-additive/laser-equipment"
    sentence = "设备已进入两家动力电池企业的生产线"
    mask = classify._context_mask(sentence)
    start = sentence.index("动力电池")
    assert all(mask[start : start + 4])


def test_lab_analyser_maker_stays_instruments(catalog):
    # 环境监测仪器 is shared; a maker that also sells lab analysers stays in instruments.
    hits = classify_company(
        FIRM, texts=["甲乙丙公司生产环境监测仪器和实验室分析仪器。"], catalog=catalog
    )
    assert hits and hits[0].chain_id == "precision-instruments"


def test_form_word_after_a_field_term_yields(catalog):
    # 激光焊接|工作站: the workstation is a laser welder, not a robot cell.
    assert firm_top(catalog, "甲乙丙公司的激光焊接工作站已交付。") == (
        "laser-additive/laser-equipment"
    )
    # A bare workstation stays with robot integration.
    assert firm_top(catalog, "甲乙丙公司设计并交付自动化工作站。") == (
        "robotics/system-integration"
    )


def test_contract_work_taken_on_is_the_service(catalog):
    # 承接 opens the object: the parts named before 的 are what is printed.
    text = "甲乙丙公司承接航空发动机叶片等零件的金属打印代工。"
    assert firm_top(catalog, text) == "laser-additive/processing-services"


def test_machining_centre_is_a_customer_noun_not_a_verb(catalog):
    # The buyer span runs over 加工中心 (a machine) to the buyers' trade.
    text = "甲乙丙公司生产主轴轴承，买家以加工中心制造商为主。"
    assert firm_top(catalog, text) == "high-end-equipment/basic-components"


def test_short_name_of_a_customer_is_the_customer(catalog):
    # 数控机床 is the buyer; 机床 in 机床主轴轴承 is the same buyer named short, so the
    # bearing maker (its trade is in its name) is not read as a machine-tool maker.
    name = "甲乙轴承有限公司"
    text = "甲乙轴承有限公司生产机床主轴轴承，买家以数控机床和加工中心制造商为主。"
    hits = classify_company(name, texts=[text], catalog=catalog)
    assert hits[0].key == "high-end-equipment/basic-components"


def test_supplied_for_use_marks_the_user(catalog):
    # 供…使用: crystal growth is the user's process, not the firm's equipment trade.
    text = "甲乙丙公司提纯高纯砷，供化合物半导体晶体生长使用。"
    assert firm_top(catalog, text) == "frontier-materials/precursors-high-purity"


def test_wind_farm_project_is_generation(catalog):
    hits = classify_text("某海上风电项目装机30万千瓦，年内全容量并网。", catalog=catalog)
    assert hits and hits[0].key == "new-energy/power-generation"


def test_breeding_institute_is_seeds(catalog):
    from chainatlas.chains.classify import classify_institution

    result = classify_institution(
        "某农科院玉米研究所", ["某农科院玉米研究所选育耐旱杂交组合。"], catalog
    )
    assert result.segments and result.segments[0].key == "agri-food/seeds-breeding"

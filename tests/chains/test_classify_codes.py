"""Where a listed company known only by its Shenwan code lands (issue 5, pass 4).

Each case pins one decision about what a code means, taken from the firms the shipped
gazetteer files under that code (see docs/chain-classification-notes.md, pass 4), not
from any gold item. Names are placeholders (某某) so only the code speaks.
"""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import classify_company
from chainatlas.chains.templates import load_chains


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def _top(catalog, code: str, name: str = "某某") -> str:
    hits = classify_company(name, shenwan_code=code, catalog=catalog)
    assert hits, code
    return hits[0].key


def _candidates(catalog, code: str) -> set[str]:
    return {f"{chain.id}/{seg.id}" for chain, seg in catalog.by_shenwan(code)}


def test_every_primary_mark_decides_a_code_only_company(catalog):
    # A `primary` mark is the template's answer for a firm known only by its code; the
    # classifier must give that answer for every marked code, whatever the affinities.
    checked = 0
    for chain in catalog:
        for seg in chain.segments:
            for ref in seg.shenwan:
                if ref.primary:
                    assert _top(catalog, ref.code) == f"{chain.id}/{seg.id}", ref.code
                    checked += 1
    assert checked >= 80


@pytest.mark.parametrize("code", ["220401", "220405", "220406"])
def test_oil_based_synthetic_fibres_are_petrochemicals(catalog, code):
    # 涤纶 / 氨纶 / 锦纶 makers polymerise petrochemical feedstock; the textile chain keeps
    # the codes as a second reading.
    assert _top(catalog, code) == "green-petrochem/synthetic-fibres-rubber"
    assert "light-textile/fibres-pulp" in _candidates(catalog, code)


def test_cellulose_fibre_stays_a_textile_fibre(catalog):
    assert _top(catalog, "220403") == "light-textile/fibres-pulp"  # 粘胶


def test_dyes_and_textile_auxiliaries_are_fine_chemicals(catalog):
    assert _top(catalog, "220308") == "green-petrochem/fine-chemicals"  # 纺织化学制品
    assert "light-textile/textile-dyeing" in _candidates(catalog, "220308")


def test_cotton_spinning_is_spinning_not_raw_fibre(catalog):
    assert _top(catalog, "350102") == "light-textile/textile-dyeing"  # 棉纺


def test_metal_products_code_means_machine_parts_unless_the_name_says_processing(catalog):
    # 640108 金属制品: bearings, valves, gears and reducers outnumber wire, welding
    # material and forging firms; a processing word in the name still wins.
    assert _top(catalog, "640108") == "high-end-equipment/basic-components"
    assert _top(catalog, "640401") == "high-end-equipment/basic-components"  # pre-2021 code
    assert _top(catalog, "640108", "某某锻造") == "advanced-materials/materials-processing"


@pytest.mark.parametrize("code", ["640107", "640301", "630804"])
def test_instrument_codes_default_to_energy_and_utility_metering(catalog, code):
    # 仪器仪表 and 电工仪器仪表: water, gas, heat and electricity meter makers are the
    # largest group under both codes.
    assert _top(catalog, code) == "precision-instruments/environmental-instruments"


def test_other_electronics_is_components_not_medical(catalog):
    # 270401 其他电子Ⅲ: fuses, connectors, transformers and their distributors.
    assert _top(catalog, "270401") == "electronic-info/passive-pcb"


def test_telecom_value_added_services_are_telecom_services(catalog):
    assert _top(catalog, "730104") == "electronic-info/telecom-services"


@pytest.mark.parametrize("code", ["610102", "610103", "610302", "610303"])
def test_cement_pipes_and_other_building_materials_are_mapped(catalog, code):
    # 水泥制品 (and its pre-2021 code), 管材, 其他建材 mapped nowhere before pass 4.
    assert _top(catalog, code) == "advanced-materials/building-materials"


def test_household_goods_are_home_furnishing(catalog):
    assert _top(catalog, "360311") == "light-textile/home-textile-furniture"

"""Shared fixtures for the chain tests."""

from __future__ import annotations

import pytest

from chainatlas.chains import classify
from chainatlas.chains.templates import load_chains


@pytest.fixture(scope="module")
def catalog():
    # The shipped templates (loading validates all 24 files), read without the curated
    # product catalogue: the rule tests pin how the keyword reading behaves, and
    # test_product_catalog.py / test_main_products.py cover the catalogue end to end.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(classify, "shipped_product_labels", dict)
        patch.setattr(classify, "shipped_vocabulary", dict)
        yield load_chains()

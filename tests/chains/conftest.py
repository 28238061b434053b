"""Shared fixtures for the chain tests."""

from __future__ import annotations

import pytest

from chainatlas.chains.templates import load_chains


@pytest.fixture(scope="module")
def catalog():
    # The shipped templates, loaded once per module (loading validates all 24 files).
    return load_chains()

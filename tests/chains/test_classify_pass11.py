"""Pass 11 context rules (docs/chain-classification-notes.md): where the goods are shipped,
向 + buyer + supply verb + the firm's product, and where a product runs."""

from __future__ import annotations

from chainatlas.chains.classify import _context_mask, _normalise
from tests.chains.classify_helpers import firm_top


def _masked(text: str) -> str:
    norm = _normalise(text)
    return "".join("_" if m else c for c, m in zip(norm, _context_mask(norm), strict=True))


def test_where_goods_are_shipped_is_the_buyer():
    assert "连锁超市" not in _masked("冷鲜分割肉主要送往长沙的连锁超市和火锅店。")
    assert "中东" not in _masked("产品运往中东。")


def test_what_follows_a_buyer_and_a_supply_verb_is_the_firms_product():
    masked = _masked("公司向政务专网供应量子密钥分发终端。")
    assert "政务专网" not in masked
    assert "量子密钥分发终端" in masked
    # 面向 names a field, not a buyer: that rule is untouched.
    assert "新能源汽车" not in _masked("产品面向新能源汽车。")


def test_where_a_product_runs_is_its_user():
    assert "电子政务外网" not in _masked("设备已在省内电子政务外网上运行。")


def test_a_firm_supplying_a_product_to_a_field_lands_on_the_product(catalog):
    text = "公司向政务专网供应量子密钥分发终端，设备已在电子政务外网上运行。"
    assert firm_top(catalog, text) == "blockchain-quantum/quantum-communication"

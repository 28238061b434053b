"""Small readers the classifier rule tests share: the top segment key of a result, and
one anonymous firm's top segment for a sentence."""

from __future__ import annotations

from chainatlas.chains.classify import classify_company

FIRM = "甲乙丙公司"  # no catalog word, no head word, no gazetteer row


def top_key(hits) -> str | None:
    return hits[0].key if hits else None


def firm_top(catalog, text: str, name: str = FIRM) -> str | None:
    return top_key(classify_company(name, texts=[text], catalog=catalog))

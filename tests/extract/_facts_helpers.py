"""Shared helpers for the fact-extraction tests (sentences written for these tests)."""

from __future__ import annotations

from datetime import date

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.records import Arg, Fact, Money, Quantity


def run(text: str, published: date = date(2024, 6, 1), title: str | None = None) -> list[Fact]:
    return extract_document(text, title=title, published=published, resources=load_resources())[1]


def plain(fact: Fact) -> dict:
    out: dict = {}
    for k, v in fact.args.items():
        if isinstance(v, Arg):
            out[k] = v.text
        elif isinstance(v, (Money, Quantity)):
            out[k] = v.value
        elif isinstance(v, list):
            out[k] = [x.text if isinstance(x, Arg) else x for x in v]
        else:
            out[k] = v
    return out


def of_kind(facts: list[Fact], kind: str) -> list[dict]:
    return [plain(f) for f in facts if f.kind == kind]

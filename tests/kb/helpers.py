"""Builders for resolver inputs: mentions and facts without a store or an extractor."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from chainatlas.kb.resolve import FactIn, MentionIn

_ids = count(1)


def mention(doc: str, text: str, etype: str = "company", start: int = 0, **attrs) -> MentionIn:
    i = next(_ids)
    return MentionIn(i, doc, start or i * 10, (start or i * 10) + len(text), text, etype, attrs)


def arg(m: MentionIn) -> dict:
    return {"_": "arg", "text": m.text, "start": m.start, "end": m.end, "type": m.type}


def fact(doc: str, kind: str, args: dict, day: int = 1, month: int = 1) -> FactIn:
    return FactIn(
        next(_ids), doc, kind, args, datetime(2024, month, day, tzinfo=UTC), next(_ids), 0, 0.9
    )


def money(value: float, text: str) -> dict:
    return {"_": "money", "text": text, "value": value, "low": None, "high": None,
            "qualifier": None, "currency": "CNY"}  # fmt: skip

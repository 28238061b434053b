"""Extraction records ⇄ JSON-safe dicts, for storage and export (lossless round trip)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chainatlas.extract.records import Arg, DateValue, EntityType, Fact, FactKind, Money, Quantity

_TYPES = {"arg": Arg, "money": Money, "quantity": Quantity, "date": DateValue}
_TAGS = {cls: tag for tag, cls in _TYPES.items()}


def value_to_json(value: Any) -> Any:
    tag = _TAGS.get(type(value))
    if tag:
        data = asdict(value)
        if isinstance(value, Arg) and value.type is not None:
            data["type"] = str(value.type)
        return {"_": tag, **data}
    if isinstance(value, list | tuple):
        return [value_to_json(v) for v in value]
    return value


def value_from_json(value: Any) -> Any:
    if isinstance(value, dict) and value.get("_") in _TYPES:
        data = {k: v for k, v in value.items() if k != "_"}
        if value["_"] == "arg" and data.get("type"):
            data["type"] = EntityType(data["type"])
        return _TYPES[value["_"]](**data)
    if isinstance(value, list):
        return [value_from_json(v) for v in value]
    return value


def args_to_json(args: dict[str, Any]) -> dict[str, Any]:
    return {k: value_to_json(v) for k, v in args.items()}


def fact_from_row(
    kind: str,
    args: dict,
    sentence_start: int,
    sentence_end: int,
    sentence: str,
    confidence: float,
    extractor: str,
) -> Fact:
    return Fact(
        kind=FactKind(kind),
        args={k: value_from_json(v) for k, v in args.items()},
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        sentence=sentence,
        confidence=confidence,
        extractor=extractor,
    )


def plain_args(args: dict[str, Any]) -> dict[str, Any]:
    """A flat, human-readable view for CSV export: Arg → text, Money → value, ..."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, dict) and value.get("_") == "arg":
            out[key] = value["text"]
        elif isinstance(value, dict) and value.get("_") in {"money", "quantity"}:
            out[key] = value["value"] if value["value"] is not None else value["text"]
            out[f"{key}_text"] = value["text"]
        elif isinstance(value, dict) and value.get("_") == "date":
            out[key] = value["text"]
        elif isinstance(value, list):
            out[key] = "、".join(str(v["text"]) if isinstance(v, dict) else str(v) for v in value)
        else:
            out[key] = value
    return out

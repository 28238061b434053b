"""Scoring extracted facts against a gold file (`eval/facts_gold.jsonl` format).

Matching is per article and per kind, one-to-one, greedy in gold order. Strings are
compared after folding (Traditional→Simplified, full-width→half-width, spaces removed)
and match when equal or when one contains the other — the gold convention is "fullest
name in the text", and a shorter predicted name that it contains names the same thing.
Numbers match within 1%. A gold role that is null is not compared. The roles compared
per kind are in `KEY_ROLES`; everything else is informational.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chainatlas.extract.records import Arg, DateValue, Fact, Money, Quantity
from chainatlas.text.normalize import normalize

# role → how to compare: "text" (folded containment), "exact" (folded equality),
# "number" (within 1%). Roles marked required must be present in the prediction when the
# gold has them; every kind lists the roles that identify the fact.
KEY_ROLES: dict[str, dict[str, str]] = {
    "holds_position": {"person": "text", "position": "text", "org": "text"},
    "investment_project": {
        "investor": "text",
        "project": "text",
        "amount_cny": "number",
        "stage": "exact",
    },
    "financing": {"company": "text", "round": "round", "amount_cny": "number"},
    "launch": {"company": "text", "product": "text"},
    "milestone": {"subject": "text", "date_text": "text"},
    "indicator": {"metric": "text", "value": "number", "year": "exact"},
    "count": {"category": "text", "number": "number"},
    "located_in": {"subject": "text", "place": "text"},
}
HEADLINE_KINDS = ("investment_project", "holds_position", "financing", "indicator")


def fold(value: str) -> str:
    return "".join(normalize(value).text.split()).lower()


def _plain(value: Any) -> Any:
    """A predicted argument as a plain comparable value."""
    if isinstance(value, Arg):
        return value.text
    if isinstance(value, Money | Quantity):
        return value.value
    if isinstance(value, DateValue):
        return value.text
    if isinstance(value, dict):  # facts read back from JSON storage
        for key in ("value", "text"):
            if key in value:
                return value[key]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def predicted_view(fact: Fact) -> dict[str, Any]:
    """Map a predicted fact's args onto the gold file's role names."""
    args = {k: _plain(v) for k, v in fact.args.items()}
    if "amount" in fact.args:
        args["amount_cny"] = _plain(fact.args["amount"])
        amount = fact.args["amount"]
        if isinstance(amount, Money) and amount.currency != "CNY":
            args["amount_cny"] = None
    if "date" in fact.args and "date_text" not in args:
        args["date_text"] = _plain(fact.args["date"])
    if fact.kind == "indicator" and "value" in fact.args:
        args["value"] = _plain(fact.args["value"])
    return args


def _round_key(value: str) -> str:
    return fold(value).replace("轮", "").replace("融资", "").replace("投资", "")


def _same(mode: str, gold: Any, pred: Any) -> bool:
    if gold is None:
        return True
    if pred is None:
        return False
    if mode == "number":
        try:
            g, p = float(gold), float(pred)
        except (TypeError, ValueError):
            return False
        return abs(g - p) <= 0.01 * max(abs(g), 1e-9)
    if mode == "exact":
        return fold(str(gold)) == fold(str(pred))
    if mode == "round":
        return _round_key(str(gold)) == _round_key(str(pred))
    g, p = fold(str(gold)), fold(str(pred))
    return bool(g and p) and (g == p or (min(len(g), len(p)) >= 2 and (g in p or p in g)))


def fact_matches(kind: str, gold: dict, pred: dict) -> bool:
    return all(
        _same(mode, gold.get(role), pred.get(role)) for role, mode in KEY_ROLES[kind].items()
    )


@dataclass(slots=True)
class KindScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class FactReport:
    articles: int = 0
    kinds: dict[str, KindScore] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)  # false negatives, for error analysis
    spurious: list[dict] = field(default_factory=list)  # false positives

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "kinds": {
                k: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for k, s in sorted(self.kinds.items())
            },
            "misses": self.misses,
            "spurious": self.spurious,
        }


Extractor = Callable[[str, str | None, date | None], list[Fact]]


def read_gold(path: Path, ids: Iterable[str] | None = None) -> list[dict]:
    wanted = set(ids) if ids else None
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON: {exc.msg}") from exc
        if wanted is None or record["id"] in wanted:
            records.append(record)
    return records


def score(records: list[dict], extract: Extractor) -> FactReport:
    report = FactReport()
    for record in records:
        report.articles += 1
        published = date.fromisoformat(record["published"]) if record.get("published") else None
        predicted = [
            (f, predicted_view(f)) for f in extract(record["text"], record.get("title"), published)
        ]
        for kind in KEY_ROLES:
            score_ = report.kinds.setdefault(kind, KindScore())
            golds = [g for g in record["facts"] if g["kind"] == kind]
            preds = [(f, v) for f, v in predicted if f.kind == kind]
            used: set[int] = set()
            for gold in golds:
                hit = next(
                    (
                        i
                        for i, (_, v) in enumerate(preds)
                        if i not in used and fact_matches(kind, gold, v)
                    ),
                    None,
                )
                if hit is None:
                    score_.fn += 1
                    report.misses.append({"article": record["id"], **gold})
                else:
                    used.add(hit)
                    score_.tp += 1
            for i, (fact, view) in enumerate(preds):
                if i not in used:
                    score_.fp += 1
                    report.spurious.append(
                        {
                            "article": record["id"],
                            "kind": kind,
                            **_jsonable(view),
                            "sentence": fact.sentence,
                        }
                    )
    return report


def _jsonable(view: dict) -> dict:
    return {
        k: v if isinstance(v, str | int | float | bool | type(None) | list) else str(v)
        for k, v in view.items()
    }

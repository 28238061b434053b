"""Score the segment classifier against a chain gold file (``eval/chain_gold.jsonl``).

Two figures per item kind: **segment accuracy** (the top predicted segment is one of the
gold segments) and **chain accuracy** (the chain of the top predicted segment is the
gold ``top_chain``). Items are split by id order into a dev half, which weights and
templates may be tuned on, and a held-out half, which must not be looked at while
tuning; the report gives both. Mounted as ``chainatlas eval chains FILE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainatlas.chains.classify import (
    SegmentHit,
    classify_company,
    classify_institution,
    classify_text,
    innovation_stage,
)
from chainatlas.chains.templates import ChainCatalog

__all__ = [
    "KINDS",
    "GoldItem",
    "ItemResult",
    "KindScore",
    "Report",
    "evaluate",
    "format_report",
    "predict",
    "read_gold",
    "run_cli",
]

KINDS = ("listed", "company", "project", "institution")
SPLITS = ("dev", "heldout", "all")


@dataclass(frozen=True, slots=True)
class GoldItem:
    id: str
    kind: str
    name: str
    texts: tuple[str, ...]
    gold: tuple[tuple[str, str], ...]  # (chain_id, segment_id); the first is primary
    top_chain: str
    shenwan_code: str | None = None
    stock_code: str | None = None
    innovation_stages: tuple[str, ...] = ()
    source: str | None = None


@dataclass(slots=True)
class ItemResult:
    item: GoldItem
    split: str
    predicted: list[SegmentHit]
    stage: str | None = None  # top innovation stage (institutions)

    @property
    def top(self) -> tuple[str, str] | None:
        return (
            (self.predicted[0].chain_id, self.predicted[0].segment_id) if self.predicted else None
        )

    @property
    def segment_ok(self) -> bool:
        return self.top is not None and self.top in self.item.gold

    @property
    def chain_ok(self) -> bool:
        return self.top is not None and self.top[0] == self.item.top_chain

    @property
    def stage_ok(self) -> bool | None:
        if not self.item.innovation_stages:
            return None
        return self.stage in self.item.innovation_stages


@dataclass(slots=True)
class KindScore:
    n: int = 0
    segment_hits: int = 0
    chain_hits: int = 0
    stage_n: int = 0
    stage_hits: int = 0

    @property
    def segment_accuracy(self) -> float:
        return self.segment_hits / self.n if self.n else 0.0

    @property
    def chain_accuracy(self) -> float:
        return self.chain_hits / self.n if self.n else 0.0

    @property
    def stage_accuracy(self) -> float | None:
        return self.stage_hits / self.stage_n if self.stage_n else None

    def add(self, result: ItemResult) -> None:
        self.n += 1
        self.segment_hits += result.segment_ok
        self.chain_hits += result.chain_ok
        if result.stage_ok is not None:
            self.stage_n += 1
            self.stage_hits += bool(result.stage_ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "segment_accuracy": round(self.segment_accuracy, 4),
            "chain_accuracy": round(self.chain_accuracy, 4),
            "stage_n": self.stage_n,
            "stage_accuracy": None
            if self.stage_accuracy is None
            else round(self.stage_accuracy, 4),
        }


@dataclass(slots=True)
class Report:
    results: list[ItemResult]
    # split -> kind (or "all") -> score
    scores: dict[str, dict[str, KindScore]] = field(default_factory=dict)

    def score(self, split: str = "all", kind: str = "all") -> KindScore:
        return self.scores.get(split, {}).get(kind, KindScore())

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not (r.segment_ok and r.chain_ok)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scores": {
                split: {kind: s.as_dict() for kind, s in by_kind.items()}
                for split, by_kind in self.scores.items()
            },
            "failures": [
                {
                    "id": r.item.id,
                    "split": r.split,
                    "kind": r.item.kind,
                    "name": r.item.name,
                    "gold": [f"{c}/{s}" for c, s in r.item.gold],
                    "top_chain": r.item.top_chain,
                    "predicted": [h.key for h in r.predicted[:3]],
                }
                for r in self.failures
            ],
        }


# --------------------------------------------------------------------------- reading


def _item(record: dict[str, Any], where: str) -> GoldItem:
    try:
        gold = tuple((g["chain_id"], g["segment_id"]) for g in record["gold"])
        item = GoldItem(
            id=str(record["id"]),
            kind=str(record["kind"]),
            name=str(record["name"]),
            texts=tuple(record.get("texts") or ()),
            gold=gold,
            top_chain=str(record["top_chain"]),
            shenwan_code=record.get("shenwan_code") or None,
            stock_code=record.get("stock_code") or None,
            innovation_stages=tuple(record.get("innovation_stages") or ()),
            source=record.get("source"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{where}: missing or malformed field ({exc})") from exc
    if item.kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {item.kind!r}; expected one of {KINDS}")
    if not item.gold:
        raise ValueError(f"{where}: gold must list at least one segment")
    return item


def read_gold(path: Path) -> list[GoldItem]:
    """Items in id order (the order the dev/held-out split is defined on)."""
    items: list[GoldItem] = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc})") from exc
            items.append(_item(record, f"{path}:{n}"))
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate ids")
    return sorted(items, key=lambda i: i.id)


# --------------------------------------------------------------------------- scoring


def predict(item: GoldItem, catalog: ChainCatalog) -> tuple[list[SegmentHit], str | None]:
    """Run the classifier the way the product would for this kind of item."""
    if item.kind == "institution":
        result = classify_institution(item.name, item.texts, catalog)
        stage = result.stages[0].stage_id if result.stages else None
        return result.segments, stage
    if item.kind in ("listed", "company"):
        hits = classify_company(
            item.name, shenwan_code=item.shenwan_code, texts=item.texts, catalog=catalog
        )
        return hits, None
    hits = classify_text("\n".join((item.name, *item.texts)), catalog=catalog)
    stage_hits = innovation_stage(item.name, item.texts) if item.innovation_stages else []
    return hits, (stage_hits[0].stage_id if stage_hits else None)


def _split_of(index: int, total: int) -> str:
    return "dev" if index < (total + 1) // 2 else "heldout"


def evaluate(gold_path: Path | str | Iterable[GoldItem], catalog: ChainCatalog) -> Report:
    """Classify every gold item and score it, per split (dev/heldout/all) and kind."""
    items = (
        read_gold(Path(gold_path))
        if isinstance(gold_path, str | Path)
        else sorted(gold_path, key=lambda i: i.id)
    )
    report = Report(results=[], scores={s: {} for s in SPLITS})
    for i, item in enumerate(items):
        hits, stage = predict(item, catalog)
        result = ItemResult(item=item, split=_split_of(i, len(items)), predicted=hits, stage=stage)
        report.results.append(result)
        for split in (result.split, "all"):
            for kind in (item.kind, "all"):
                report.scores[split].setdefault(kind, KindScore()).add(result)
    return report


def format_report(report: Report, *, show_failures: bool = False) -> str:
    lines = ["split    kind          n  segment  chain  stage"]
    for split in SPLITS:
        by_kind = report.scores.get(split, {})
        for kind in (*KINDS, "all"):
            s = by_kind.get(kind)
            if s is None or not s.n:
                continue
            stage = "" if s.stage_accuracy is None else f"{s.stage_accuracy:.3f} ({s.stage_n})"
            lines.append(
                f"{split:<8} {kind:<11} {s.n:>4}  {s.segment_accuracy:.3f}    "
                f"{s.chain_accuracy:.3f}  {stage}"
            )
    if show_failures:
        lines.append("")
        lines.append("failures (id split kind name: gold → predicted):")
        for r in report.failures:
            gold = ",".join(f"{c}/{s}" for c, s in r.item.gold[:2])
            pred = ",".join(h.key for h in r.predicted[:2]) or "—"
            lines.append(f"  {r.item.id} {r.split} {r.item.kind} {r.item.name}: {gold} → {pred}")
    return "\n".join(lines)


def run_cli(
    file: Path,
    *,
    catalog: ChainCatalog | None = None,
    as_json: bool = False,
    show_failures: bool = False,
) -> tuple[int, str]:
    """What ``chainatlas eval chains FILE`` prints, and its exit code (2 = bad file)."""
    if catalog is None:
        from chainatlas.chains.templates import load_chains

        catalog = load_chains()
    try:
        report = evaluate(file, catalog)
    except (OSError, ValueError) as exc:
        return 2, f"错误：{exc}"
    if as_json:
        return 0, json.dumps(report.as_dict(), ensure_ascii=False, indent=1)
    return 0, format_report(report, show_failures=show_failures)

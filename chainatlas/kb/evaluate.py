"""Pairwise evaluation of entity resolution against `eval/resolution_gold.jsonl`.

Each gold record is a pair of mentions (text, type, context sentence, source) and whether
they name the same entity. The evaluation rebuilds a small corpus from the gold file alone:
per source, the distinct context sentences in order of first appearance form one document.
The real extractor runs on each such document and the real resolver on all of them, so a
pair is predicted "same" when both mentions end up linked to one entity.

Using only the context sentences keeps the evaluation self-contained (no corpus files are
read) and fair to the resolver: it sees the evidence the annotators cite, no more. A gold
mention the extractor did not find is added as a bare mention of the gold type (counted in
`not_extracted`), so resolution is scored even where recognition failed. With
`gold_spans=True` every gold mention is used with its annotated span and type, which
separates resolver errors from recognition (boundary and type) errors.

Positive = same entity. Precision = merged positives / all merged pairs; recall = merged
positives / all positive pairs.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from chainatlas.kb.resolve import FactIn, Gazetteers, MentionIn, resolve

__all__ = [
    "GoldMention",
    "GoldPair",
    "PairOutcome",
    "ResolutionEval",
    "Score",
    "evaluate_pairs",
    "evaluate_resolution",
    "in_split",
    "read_pairs",
    "why_labels",
]


@dataclass(frozen=True, slots=True)
class GoldMention:
    source: str
    text: str
    type: str
    context: str


@dataclass(frozen=True, slots=True)
class GoldPair:
    id: str
    a: GoldMention
    b: GoldMention
    same: bool
    why: str


@dataclass(slots=True)
class Score:
    tp: int = 0  # same in gold, merged
    fp: int = 0  # different in gold, merged
    fn: int = 0  # same in gold, kept apart
    tn: int = 0  # different in gold, kept apart

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif gold:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        merged = self.tp + self.fp
        return self.tp / merged if merged else 1.0

    @property
    def recall(self) -> float:
        positives = self.tp + self.fn
        return self.tp / positives if positives else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "pairs": self.pairs,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class PairOutcome:
    id: str
    same: bool
    predicted: bool
    why: str
    a_text: str
    b_text: str
    a_entity: str  # entity key the resolver chose
    b_entity: str
    a_found: str  # how the mention was found: exact | overlap | missing
    b_found: str

    @property
    def correct(self) -> bool:
        return self.same == self.predicted


@dataclass(slots=True)
class ResolutionEval:
    overall: Score = field(default_factory=Score)
    by_type: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_why: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    outcomes: list[PairOutcome] = field(default_factory=list)
    mentions: int = 0  # gold mentions (distinct)
    not_extracted: int = 0  # gold mentions the extractor missed (added bare)
    type_mismatch: int = 0  # found, but typed differently by the extractor
    documents: int = 0
    gold_spans: bool = False

    @property
    def errors(self) -> list[PairOutcome]:
        return [o for o in self.outcomes if not o.correct]

    def as_dict(self, *, with_errors: bool = True) -> dict:
        out = {
            "overall": self.overall.as_dict(),
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
            "by_why": {k: v.as_dict() for k, v in sorted(self.by_why.items())},
            "mode": "gold spans" if self.gold_spans else "extracted mentions",
            "documents": self.documents,
            "mentions": self.mentions,
            "not_extracted": self.not_extracted,
            "type_mismatch": self.type_mismatch,
        }
        if with_errors:
            out["errors"] = [
                {
                    "id": o.id,
                    "same": o.same,
                    "why": o.why,
                    "a": o.a_text,
                    "b": o.b_text,
                    "a_entity": o.a_entity,
                    "b_entity": o.b_entity,
                    "a_found": o.a_found,
                    "b_found": o.b_found,
                }
                for o in self.errors
            ]
        return out


def why_labels(why: str) -> list[str]:
    """`alias + stock code: detail` → ["alias", "stock code"]."""
    head = why.split(":", 1)[0]
    return [part.strip() for part in head.split(" + ") if part.strip()]


def _mention(obj: dict) -> GoldMention:
    return GoldMention(obj["source"], obj["text"], obj["type"], obj["context"])


def read_pairs(path: str | Path) -> list[GoldPair]:
    pairs = []
    with Path(path).open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                pairs.append(
                    GoldPair(rec["id"], _mention(rec["a"]), _mention(rec["b"]),
                             bool(rec["same"]), rec.get("why", ""))
                )  # fmt: skip
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"line {line_no}: not a resolution pair ({exc})") from exc
    return pairs


# --- building the corpus ------------------------------------------------------------------


@dataclass(slots=True)
class _Doc:
    id: str
    text: str
    offsets: dict[str, int]  # context → start offset in text


def _documents(pairs: Iterable[GoldPair]) -> dict[str, _Doc]:
    contexts: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        for m in (p.a, p.b):
            if m.context not in contexts[m.source]:
                contexts[m.source].append(m.context)
    docs = {}
    for source, sentences in contexts.items():
        offsets, parts, pos = {}, [], 0
        for s in sentences:
            offsets[s] = pos
            parts.append(s)
            pos += len(s) + 1  # one newline between sentences
        docs[source] = _Doc(source, "\n".join(parts), offsets)
    return docs


Extractor = Callable[[str, str], tuple[list, list]]  # (doc id, text) → (mentions, facts)


def _default_extractor(doc_id: str, text: str) -> tuple[list, list]:
    from chainatlas.extract.pipeline import DocInput, extract

    result = extract(DocInput(doc_id, text))
    return result.mentions, result.facts


def _fact_json(fact) -> tuple[str, dict]:
    from chainatlas.extract.serialize import args_to_json

    return str(fact.kind), args_to_json(fact.args)


def evaluate_pairs(
    pairs: list[GoldPair],
    *,
    extractor: Extractor | None = None,
    gazetteers: Gazetteers | None = None,
    gold_spans: bool = False,
    ids: str = "all",
) -> ResolutionEval:
    """Extract, resolve and score `pairs` (see the module docstring). With `gold_spans`
    every gold mention enters the resolver with its annotated span and type (extracted
    mentions overlapping it are dropped), which scores the resolver alone; without it the
    extractor's own mentions are used, which scores the pipeline end to end.

    `ids` (all | odd | even) scores only pairs whose id number has that parity. The
    corpus and the resolver input stay the same for every split, so a development half
    and a held-out half are scored on one identical resolution."""
    if ids not in SPLITS:
        raise ValueError(f"ids must be one of {', '.join(SPLITS)}, not {ids!r}")
    extractor = extractor or _default_extractor
    docs = _documents(pairs)
    mentions: list[MentionIn] = []
    facts: list[FactIn] = []
    next_id = 1
    for doc in docs.values():
        found, doc_facts = extractor(doc.id, doc.text)
        for m in found:
            mentions.append(
                MentionIn(next_id, doc.id, m.start, m.end, m.text, str(m.type),
                          dict(m.attrs or {}), m.confidence)
            )  # fmt: skip
            next_id += 1
        for f in doc_facts:
            kind, args = _fact_json(f)
            facts.append(
                FactIn(len(facts) + 1, doc.id, kind, args, None, f.sentence_start,
                       f.sentence_end, f.confidence)
            )  # fmt: skip
    by_doc: dict[str, list[MentionIn]] = defaultdict(list)
    for m in mentions:
        by_doc[m.document_id].append(m)

    report = ResolutionEval(documents=len(docs), gold_spans=gold_spans)
    gold_ids: dict[GoldMention, tuple[int, str]] = {}
    gold_mentions: list[MentionIn] = []
    for p in pairs:
        for g in (p.a, p.b):
            if g in gold_ids:
                continue
            doc = docs[g.source]
            start = doc.offsets[g.context] + max(g.context.find(g.text), 0)
            end = start + len(g.text)
            hit, how = _match(by_doc[g.source], start, end, g.type)
            if hit is None:
                report.not_extracted += 1
            elif hit.type != g.type:
                report.type_mismatch += 1
            if hit is None or gold_spans:
                # Attributes (stock code, region code) only carry over from the same span.
                attrs = dict(hit.attrs) if hit is not None and how == "exact" else {}
                hit = MentionIn(next_id, g.source, start, end, g.text, g.type, attrs)
                next_id += 1
                gold_mentions.append(hit)
            gold_ids[g] = (hit.id, how)
    if gold_spans:
        # Extracted mentions overlapping a gold span would compete with it: drop them.
        spans = defaultdict(list)
        for m in gold_mentions:
            spans[m.document_id].append((m.start, m.end))
        mentions = [
            m for m in mentions
            if not any(m.start < e and s < m.end for s, e in spans[m.document_id])
        ]  # fmt: skip
    mentions.extend(gold_mentions)
    report.mentions = len(gold_ids)

    texts = {doc.id: doc.text for doc in docs.values()}
    result = resolve(mentions, facts, gazetteers or Gazetteers.default(), texts=texts)
    for p in pairs:
        if not in_split(p.id, ids):
            continue
        (a_id, a_how), (b_id, b_how) = gold_ids[p.a], gold_ids[p.b]
        a_link, b_link = result.links.get(a_id), result.links.get(b_id)
        a_key = a_link.entity if a_link else f"(unlinked:{a_id})"
        b_key = b_link.entity if b_link else f"(unlinked:{b_id})"
        predicted = a_key == b_key
        report.outcomes.append(
            PairOutcome(p.id, p.same, predicted, p.why, p.a.text, p.b.text, a_key, b_key,
                        a_how, b_how)
        )  # fmt: skip
        report.overall.add(p.same, predicted)
        type_key = p.a.type if p.a.type == p.b.type else "mixed"
        report.by_type[type_key].add(p.same, predicted)
        for label in why_labels(p.why) or ["(none)"]:
            report.by_why[label].add(p.same, predicted)
    return report


SPLITS = ("all", "odd", "even")
_ID_NUMBER = re.compile(r"(\d+)\s*$")


def in_split(pair_id: str, ids: str) -> bool:
    """p001 is odd, p002 even; an id without a trailing number belongs to `all` only."""
    if ids == "all":
        return True
    m = _ID_NUMBER.search(pair_id)
    if m is None:
        return False
    return (int(m.group(1)) % 2 == 1) == (ids == "odd")


def _match(candidates: list[MentionIn], start: int, end: int, gold_type: str):
    """The extracted mention for a gold span: the exact span, else the largest overlap
    (same type preferred), else None."""
    best, best_rank = None, None
    for m in candidates:
        overlap = min(end, m.end) - max(start, m.start)
        if overlap <= 0:
            continue
        exact = m.start == start and m.end == end
        rank = (exact, m.type == gold_type, overlap, -abs((m.end - m.start) - (end - start)))
        if best_rank is None or rank > best_rank:
            best, best_rank = m, rank
    if best is None:
        return None, "missing"
    return best, "exact" if best_rank[0] else "overlap"


def evaluate_resolution(path: str | Path, **kwargs) -> ResolutionEval:
    return evaluate_pairs(read_pairs(path), **kwargs)


def error_classes(report: ResolutionEval) -> Counter:
    """Errors counted by (false merge | missed merge, why-label): the main error classes."""
    counts: Counter = Counter()
    for o in report.errors:
        kind = "false merge" if o.predicted else "missed merge"
        for label in why_labels(o.why) or ["(none)"]:
            counts[(kind, label)] += 1
    return counts

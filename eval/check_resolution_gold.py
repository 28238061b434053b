"""Validate eval/resolution_gold.jsonl, the gold mention pairs for entity resolution.

Standard library plus lxml (to read the visible text of the demo HTML pages):

    python eval/check_resolution_gold.py [eval/resolution_gold.jsonl]

Every line is one pair of mentions, ``{"id", "a", "b", "same", "why"}``. A mention is
``{"source", "text", "type", "context"}``; ``text`` must occur in ``context`` and
``context`` must occur verbatim (after whitespace normalisation) in the article text of
its source. Exit status 0 when every line is valid; counts are printed either way.
The conventions behind ``same`` and ``why`` are in eval/README.md ("Resolution pairs").
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import lxml.html

__all__ = [
    "DEFAULT_PATH",
    "EASY_NEGATIVE",
    "HARD_NEGATIVE_LABELS",
    "POSITIVE_LABELS",
    "TYPES",
    "Summary",
    "check_file",
    "check_record",
    "main",
    "normalise",
    "source_segments",
    "summarise",
    "why_labels",
]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = Path(__file__).with_name("resolution_gold.jsonl")
DEMO_DIR = ROOT / "chainatlas" / "data" / "demo"
FACTS_GOLD = Path(__file__).with_name("facts_gold.jsonl")
FIXTURE_DIR = ROOT / "tests" / "fixtures"

TYPES = frozenset({"company", "government", "research", "park", "facility", "person", "region"})

# `why` is "<label>[ + <label>][: free-text detail]"; labels come from these closed lists
# so the printed breakdown stays meaningful and a typo cannot invent a new class.
POSITIVE_LABELS = frozenset(
    {
        "alias",  # short name or other name of the same entity (迈瑞 / 迈瑞医疗)
        "legal form",  # with / without 有限公司, 股份有限公司
        "region prefix",  # with / without a leading place name (深圳迈瑞…, 江苏溧阳)
        "stock code",  # one side carries a six-digit listing code
        "traditional/simplified",  # script variants (寧德時代 / 宁德时代)
        "abbreviation",  # 中国科大, 经开区, 省, 市 dropped or shortened
        "parenthetical alias",  # a name and the acronym the text puts in brackets (HIAF)
        "same name, other document",
        "same name, other sentence",
        "same person, same article",
        "same person, other article",  # same name and same org or role in two articles
    }
)
HARD_NEGATIVE_LABELS = frozenset(
    {
        "same name, different person",
        "same short name, different city",
        "similar name, different org",
        "parent vs subsidiary",
        "part vs whole",
        "org vs its facility",  # a company vs its plant, a lab vs a platform it runs
        "lab vs place",
        "lab vs government",
        "lab vs university",
        "region vs region-named org",
        "neighbouring zones, same city",
        "park vs its administrator",
        "city vs province",
        "different people, same org",
        "same surname, different person",
    }
)
EASY_NEGATIVE = "different entity"
NEGATIVE_LABELS = HARD_NEGATIVE_LABELS | {EASY_NEGATIVE}

TOP_KEYS = frozenset({"id", "a", "b", "same", "why"})
MENTION_KEYS = frozenset({"source", "text", "type", "context"})
_ID = re.compile(r"^p\d{3,}$")
_DEMO_SOURCE = re.compile(r"^demo:(pages/[0-9]{3}_[a-z0-9_]+\.(?:html|txt))$")
_GOLD_SOURCE = re.compile(r"^gold:(g[0-9]{3})$")
_FIXTURE_SOURCE = re.compile(r"^fixture:([a-z0-9_]+\.txt)$")

# Targets from the brief: at least 320 pairs, roughly balanced, with many hard negatives.
MIN_PAIRS = 320
MIN_HARD_NEGATIVES = 60
POSITIVE_SHARE = (0.4, 0.6)


def normalise(text: str) -> str:
    """Collapse every whitespace run (including U+3000 indents) to one space."""
    return " ".join(text.split())


def _visible_html(raw: str) -> str:
    doc = lxml.html.document_fromstring(raw)
    for element in doc.xpath("//head|//script|//style|//noscript"):
        element.drop_tree()
    return normalise(doc.text_content())


@lru_cache(maxsize=1)
def _manifest_pages() -> dict[str, dict]:
    manifest = json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))
    return {page["file"]: page for page in manifest["pages"]}


@lru_cache(maxsize=1)
def _facts_gold() -> dict[str, dict]:
    rows = (json.loads(line) for line in FACTS_GOLD.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row for row in rows}


@cache
def source_segments(source: str) -> tuple[str, ...]:
    """The normalised text spans a context may be taken from; empty if unknown.

    Demo pages: the article body only (from the manifest's ``body_first`` to its
    ``body_last``, so site boilerplate and related-article teasers are excluded) plus the
    headline. Fact-gold articles: title and text. Fixtures: the whole file.
    """
    if match := _DEMO_SOURCE.match(source):
        page = _manifest_pages().get(match.group(1))
        if page is None:
            return ()
        raw = (DEMO_DIR / page["file"]).read_bytes().decode(page["encoding"])
        text = _visible_html(raw) if page["format"] == "html" else normalise(raw)
        first, last = normalise(page["body_first"]), normalise(page["body_last"])
        start, end = text.find(first), text.find(last)
        if start < 0 or end < start:
            return ()
        title = normalise(page["title"])
        body = text[start : end + len(last)]
        return (body, title) if title in text else (body,)
    if match := _GOLD_SOURCE.match(source):
        row = _facts_gold().get(match.group(1))
        return () if row is None else (normalise(row["title"]), normalise(row["text"]))
    if match := _FIXTURE_SOURCE.match(source):
        path = FIXTURE_DIR / match.group(1)
        return (normalise(path.read_text(encoding="utf-8")),) if path.is_file() else ()
    return ()


def why_labels(why: str) -> list[str]:
    """The class labels of a ``why`` string (the part before an optional ``: detail``)."""
    head = why.split(":", 1)[0]
    return [label.strip() for label in head.split(" + ")]


def _check_mention(mention: object, where: str) -> list[str]:
    if not isinstance(mention, dict):
        return [f"{where}: mention is not an object"]
    if set(mention) != MENTION_KEYS:
        return [f"{where}: keys {sorted(mention)} != {sorted(MENTION_KEYS)}"]
    if not all(isinstance(mention[key], str) and mention[key] for key in MENTION_KEYS):
        return [f"{where}: every mention field must be a non-empty string"]
    errors = []
    text, context = mention["text"], mention["context"]
    if mention["type"] not in TYPES:
        errors.append(f"{where}: unknown type {mention['type']!r}")
    if context != context.strip() or normalise(context) != context:
        errors.append(f"{where}: context must be whitespace-normalised")
    if text not in context:
        errors.append(f"{where}: text {text!r} not in context")
    segments = source_segments(mention["source"])
    if not segments:
        errors.append(f"{where}: unknown or unreadable source {mention['source']!r}")
    elif not any(context in segment for segment in segments):
        errors.append(f"{where}: context not found in {mention['source']}: {context[:30]}…")
    return errors


def _mention_key(mention: dict) -> tuple[str, str, str]:
    return (mention["source"], mention["text"], mention["context"])


def check_record(record: object, line_no: int = 0) -> list[str]:
    """Problems with one pair record (schema, verbatim contexts, label vocabulary)."""
    where = f"line {line_no}"
    if not isinstance(record, dict):
        return [f"{where}: not a JSON object"]
    if set(record) != TOP_KEYS:
        return [f"{where}: keys {sorted(record)} != {sorted(TOP_KEYS)}"]
    where = f"line {line_no} ({record['id']})"
    errors = []
    if not isinstance(record["id"], str) or not _ID.match(record["id"]):
        errors.append(f"{where}: id must look like p001")
    if not isinstance(record["same"], bool):
        errors.append(f"{where}: same must be true or false")
    for side in ("a", "b"):
        errors += _check_mention(record[side], f"{where}.{side}")
    if errors:
        return errors
    if _mention_key(record["a"]) == _mention_key(record["b"]):
        errors.append(f"{where}: a and b are the same mention")
    why = record["why"]
    if not isinstance(why, str) or not why.strip():
        return [*errors, f"{where}: why must be a non-empty string"]
    allowed = POSITIVE_LABELS if record["same"] else NEGATIVE_LABELS
    for label in why_labels(why):
        if label not in allowed:
            polarity = "positive" if record["same"] else "negative"
            errors.append(f"{where}: {label!r} is not a {polarity} why-label")
    if record["same"] and record["a"]["type"] != record["b"]["type"]:
        errors.append(f"{where}: a positive pair must have one type")
    return errors


def _records(lines: Iterable[str]) -> Iterable[tuple[int, object | None, str | None]]:
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            yield line_no, None, f"line {line_no}: blank line"
            continue
        try:
            yield line_no, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield line_no, None, f"line {line_no}: invalid JSON ({exc.msg})"


def _pair_key(record: dict) -> frozenset:
    return frozenset({_mention_key(record["a"]), _mention_key(record["b"])})


@dataclass(frozen=True)
class Summary:
    """Counts printed by the checker and asserted by the tests."""

    pairs: int
    positives: int
    negatives: int
    hard_negatives: int
    by_type: Counter[str]
    by_why: Counter[str]
    by_type_polarity: Counter[tuple[str, bool]]


def _type_key(record: dict) -> str:
    types = sorted({record["a"]["type"], record["b"]["type"]})
    return "/".join(types)


def summarise(records: list[dict]) -> Summary:
    """Counts by polarity, by (sorted) type pair and by why-label."""
    by_why: Counter[str] = Counter()
    for record in records:
        by_why.update(why_labels(record["why"]))
    positives = sum(record["same"] for record in records)
    hard = sum(
        1
        for record in records
        if not record["same"]
        and any(lb in HARD_NEGATIVE_LABELS for lb in why_labels(record["why"]))
    )
    return Summary(
        pairs=len(records),
        positives=positives,
        negatives=len(records) - positives,
        hard_negatives=hard,
        by_type=Counter(_type_key(record) for record in records),
        by_why=by_why,
        by_type_polarity=Counter((_type_key(record), record["same"]) for record in records),
    )


def _check_set(records: list[dict]) -> list[str]:
    errors = []
    ids = Counter(record["id"] for record in records)
    errors += [f"duplicate id {rid}" for rid, n in sorted(ids.items()) if n > 1]
    seen: dict[frozenset, str] = {}
    for record in records:
        key = _pair_key(record)
        if key in seen:
            errors.append(f"{record['id']}: duplicate of pair {seen[key]}")
        seen.setdefault(key, record["id"])
    summary = summarise(records)
    if summary.pairs < MIN_PAIRS:
        errors.append(f"only {summary.pairs} pairs (want >= {MIN_PAIRS})")
    share = summary.positives / summary.pairs if summary.pairs else 0.0
    if not POSITIVE_SHARE[0] <= share <= POSITIVE_SHARE[1]:
        errors.append(f"positive share {share:.2f} outside {POSITIVE_SHARE}")
    if summary.hard_negatives < MIN_HARD_NEGATIVES:
        errors.append(
            f"only {summary.hard_negatives} hard negatives (want >= {MIN_HARD_NEGATIVES})"
        )
    return errors


def check_file(path: str | Path = DEFAULT_PATH) -> tuple[list[str], list[dict]]:
    """All problems in the file, and the records that passed the per-line checks."""
    errors: list[str] = []
    records: list[dict] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for line_no, record, error in _records(lines):
        if error:
            errors.append(error)
            continue
        problems = check_record(record, line_no)
        errors += problems
        if not problems:
            records.append(record)
    if not errors:
        errors += _check_set(records)
    return errors, records


def _print_summary(summary: Summary) -> None:
    print(f"{summary.pairs} pairs: {summary.positives} same, {summary.negatives} different")
    print(f"hard negatives: {summary.hard_negatives}")
    print("\nby type (same / different):")
    for key in sorted(summary.by_type):
        pos = summary.by_type_polarity[(key, True)]
        neg = summary.by_type_polarity[(key, False)]
        print(f"  {key:<22} {pos:>4} {neg:>4}")
    print("\nby why:")
    for label, count in summary.by_why.most_common():
        print(f"  {label:<34} {count:>4}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    errors, records = check_file(path)
    for error in errors:
        print(error, file=sys.stderr)
    _print_summary(summarise(records))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

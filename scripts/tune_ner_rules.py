"""Experiment: rule-based boundary repair of tagged address and company spans.

    python scripts/tune_ner_rules.py --cluener /path/to/train.json

Each rule rewrites the shipped tagger's spans; the script reports six-type macro-F1 on
the selection slice (the decision set) and the held-out lines, and how many lines each
rule touched. Rules:

- address-tail: grow an address over directly following untagged characters that end
  Chinese street addresses (路, 街, 号, 大厦, 小区, 地区, ...);
- address-merge: join two address spans that touch;
- company-legal: grow a company over a directly following untagged legal-form suffix
  (有限公司, 集团, 银行, 分行, ...).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainatlas.extract.ner.evaluate import (
    read_cluener,
    score,
    selection_indices,
    split_indices,
)
from chainatlas.extract.ner.tagger import load_tagger

Spans = list[tuple[int, int, str]]
ADDRESS_TAIL_1 = set("路街道号巷弄栋楼室层")
ADDRESS_TAIL_2 = ("大厦", "广场", "小区", "大道", "公路", "花园", "地区")
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "银行", "分行", "支行")


def _occupied(spans: Spans) -> set[int]:
    return {i for s, e, _ in spans for i in range(s, e)}


def address_tail(text: str, spans: Spans) -> Spans:
    taken = _occupied(spans)
    out = []
    for s, e, t in spans:
        while t == "address" and e < len(text) and e not in taken:
            if text[e : e + 2] in ADDRESS_TAIL_2 and e + 1 not in taken:
                e += 2
            elif text[e] in ADDRESS_TAIL_1:
                e += 1
            else:
                break
        out.append((s, e, t))
    return out


def address_merge(text: str, spans: Spans) -> Spans:
    out: Spans = []
    for sp in sorted(spans):
        if out and out[-1][2] == sp[2] == "address" and out[-1][1] == sp[0]:
            out[-1] = (out[-1][0], sp[1], "address")
        else:
            out.append(sp)
    return out


def company_legal(text: str, spans: Spans) -> Spans:
    taken = _occupied(spans)
    out = []
    for s, e, t in spans:
        if t == "company":
            for suffix in LEGAL_FORMS:
                if text.startswith(suffix, e) and not taken & set(range(e, e + len(suffix))):
                    e += len(suffix)
                    break
        out.append((s, e, t))
    return out


RULES: dict[str, Callable[[str, Spans], Spans]] = {
    "none": lambda text, spans: spans,
    "address-tail": address_tail,
    "address-merge": address_merge,
    "company-legal": company_legal,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluener", required=True)
    args = ap.parse_args()
    examples = read_cluener(args.cluener)
    _, held_idx = split_indices(len(examples))
    _, sel_idx = selection_indices(len(examples))
    tagger = load_tagger()
    for part, idx in (("selection", sel_idx), ("held-out", held_idx)):
        texts = [examples[i].text for i in idx]
        gold = [examples[i].spans for i in idx]
        base = [[(s.start, s.end, s.type) for s in row] for row in tagger.tag(texts)]
        for name, rule in RULES.items():
            pred = [rule(t, p) for t, p in zip(texts, base, strict=True)]
            touched = sum(sorted(a) != sorted(b) for a, b in zip(base, pred, strict=True))
            per, mac, _ = score(gold, pred)
            print(
                f"{part:9s} {name:14s} macro {mac:.4f}  address {per['address'].f1:.4f}  "
                f"company {per['company'].f1:.4f}  lines touched {touched}"
            )


if __name__ == "__main__":
    main()

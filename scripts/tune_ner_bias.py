"""Tune per-type decoding biases of the entity tagger on the model-selection slice.

    python scripts/tune_ner_bias.py --cluener /path/to/train.json            # report only
    python scripts/tune_ner_bias.py --cluener /path/to/train.json --write    # ship decode.json

A bias per product type is added to that type's B-/I- tag scores before Viterbi
decoding; a coordinate search picks the values that maximise six-type macro-F1 on the
484 selection lines (never trained on). Held-out figures are printed for the result
but play no part in the choice. ``--write`` stores the biases as decode.json in the
model directory and records its digest in meta.json, which re-versions extractions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainatlas.extract.ner.evaluate import (
    read_cluener,
    score,
    selection_indices,
    split_indices,
)
from chainatlas.extract.ner.spans import PRODUCT_TYPES, bio_to_spans
from chainatlas.extract.ner.tagger import MODEL_DIR, Tagger, _load_model, viterbi_batch

GRID = [x / 4 for x in range(-12, 13)]  # -3.0 .. 3.0 in steps of 0.25


@dataclass
class Pieces:
    """All pieces of a set of lines, padded once so each re-decode is a single batch."""

    emissions: np.ndarray  # (P, T, K)
    lengths: np.ndarray  # (P,)
    owner: list[int]  # line index of each piece
    offset: list[int]  # piece start within its line
    texts: list[str]
    gold: list[tuple[tuple[int, int, str], ...]]


def collect(tagger: Tagger, texts: list[str], gold) -> Pieces:
    rows = tagger.piece_emissions(texts)
    flat = [(ti, s, em) for ti, row in enumerate(rows) for s, em in row]
    t_max = max(em.shape[0] for _, _, em in flat)
    k = flat[0][2].shape[1]
    emissions = np.zeros((len(flat), t_max, k), dtype=np.float32)
    for i, (_, _, em) in enumerate(flat):
        emissions[i, : em.shape[0]] = em
    lengths = np.array([em.shape[0] for _, _, em in flat], dtype=np.int64)
    return Pieces(emissions, lengths, [f[0] for f in flat], [f[1] for f in flat], texts, gold)


def decode(tagger: Tagger, pieces: Pieces, bias: np.ndarray) -> list[list[tuple[int, int, str]]]:
    m = tagger._m
    paths = viterbi_batch(pieces.emissions + bias, pieces.lengths, m.transitions, m.start, m.end)
    out: list[list[tuple[int, int, str]]] = [[] for _ in pieces.texts]
    for i, n in enumerate(pieces.lengths):
        ti, off = pieces.owner[i], pieces.offset[i]
        for a, z, typ in bio_to_spans(paths[i, :n].tolist(), m.tag_names):
            frag = pieces.texts[ti][off + a : off + z]
            if any(unicodedata.category(ch)[0] in "LN" for ch in frag):
                out[ti].append((off + a, off + z, typ))
    return out


def macro(tagger: Tagger, pieces: Pieces, bias: np.ndarray):
    return score(pieces.gold, decode(tagger, pieces, bias))


def bias_vector(tag_names: list[str], per_type: dict[str, tuple[float, float]]) -> np.ndarray:
    vec = np.zeros(len(tag_names), dtype=np.float32)
    for typ, (b, i) in per_type.items():
        vec[tag_names.index(f"B-{typ}")] = b
        vec[tag_names.index(f"I-{typ}")] = i
    return vec


def search(tagger: Tagger, sel: Pieces, split_bi: bool, passes: int) -> dict:
    """Coordinate ascent; ties keep the smaller bias so untouched types stay at zero."""
    names = tagger.tag_names
    params = {t: [0.0, 0.0] for t in PRODUCT_TYPES}
    best = macro(tagger, sel, bias_vector(names, params))[1]
    for _ in range(passes):
        improved = False
        for typ in PRODUCT_TYPES:
            for slot in (0, 1) if split_bi else (None,):
                current = params[typ][:]
                cand_best, cand_val = best, current
                for g in GRID:
                    trial = current[:]
                    if slot is None:
                        trial = [g, g]
                    else:
                        trial[slot] = g
                    params[typ] = trial
                    val = macro(tagger, sel, bias_vector(names, params))[1]
                    better = val > cand_best + 1e-9
                    tie_smaller = abs(val - cand_best) <= 1e-9 and sum(map(abs, trial)) < sum(
                        map(abs, cand_val)
                    )
                    if better or tie_smaller:
                        cand_best, cand_val = val, trial
                params[typ] = cand_val
                if cand_best > best + 1e-9:
                    improved = True
                best = cand_best
        if not improved:
            break
    return {"params": params, "selection_macro": best}


def show(label: str, result) -> None:
    per, mac, _ = result
    cells = "  ".join(
        f"{t} {s.f1:.3f} (P {s.precision:.3f} R {s.recall:.3f})" for t, s in per.items()
    )
    print(f"{label}: macro {mac:.4f}\n    {cells}", flush=True)


def write(model_dir: Path, tag_names: list[str], params: dict, note: dict) -> None:
    bias = {}
    for typ, (b, i) in params.items():
        if b:
            bias[f"B-{typ}"] = b
        if i:
            bias[f"I-{typ}"] = i
    body = json.dumps({"bias": bias, **note}, ensure_ascii=False, indent=1) + "\n"
    (model_dir / "decode.json").write_text(body, encoding="utf-8")
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["decode"] = {
        "file": "decode.json",
        "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {model_dir / 'decode.json'} and updated meta.json")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluener", required=True)
    ap.add_argument("--model-dir", default=str(MODEL_DIR))
    ap.add_argument("--split-bi", action="store_true", help="separate B- and I- biases")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--o-curve", action="store_true", help="only scan one bias on the O score")
    args = ap.parse_args()

    examples = read_cluener(args.cluener)
    _, held_idx = split_indices(len(examples))
    _, sel_idx = selection_indices(len(examples))
    model_dir = Path(args.model_dir)
    model = _load_model(model_dir)
    tagger = Tagger(model)
    sel = collect(tagger, [examples[i].text for i in sel_idx], [examples[i].spans for i in sel_idx])
    held = collect(
        tagger, [examples[i].text for i in held_idx], [examples[i].spans for i in held_idx]
    )
    zero = np.zeros(len(tagger.tag_names), dtype=np.float32)
    show("selection, no bias", macro(tagger, sel, zero))
    show("held-out,  no bias", macro(tagger, held, zero))
    if args.o_curve:
        for b in (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0):
            vec = zero.copy()
            vec[tagger.tag_names.index("O")] = b
            print(f"O bias {b:+.2f}: selection macro {macro(tagger, sel, vec)[1]:.4f}")
        return
    found = search(tagger, sel, args.split_bi, args.passes)
    print("biases:", json.dumps(found["params"]))
    vec = bias_vector(tagger.tag_names, found["params"])
    show("selection, tuned", macro(tagger, sel, vec))
    show("held-out,  tuned", macro(tagger, held, vec))
    if args.write:
        note = {
            "tuned_on": f"CLUENER train selection slice ({len(sel_idx)} lines)",
            "selection_macro_f1": round(found["selection_macro"], 4),
        }
        write(model_dir, tagger.tag_names, found["params"], note)


if __name__ == "__main__":
    main()

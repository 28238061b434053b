"""Offline CLUENER-style entity tagger: a character BiGRU exported to ONNX plus a numpy CRF.

The network runs in onnxruntime on one thread; Viterbi decoding is vectorised over the
batch in numpy. Long text is cut into sentence-sized segments so memory stays bounded
whatever the input size.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from chainatlas.extract.ner.spans import Span, bio_to_spans

MODEL_DIR = Path(__file__).parent / "model"

# Segments end after these; the model was trained on sentences of at most 50 characters.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_SOFT_BREAK = "，,、 \t：:"
_ILLEGAL = -1.0e4
# Sentence edge markers for bigram features; must match scripts/train_ner.py.
_BOS, _EOS = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class _Model:
    session: object
    vocab: dict[str, int]
    oov_id: int
    pad_id: int
    fold: dict[str, str]
    bigrams: dict[str, int] | None  # (previous char + char) -> id; 0 pads, 1 is unknown
    tag_names: list[str]
    transitions: np.ndarray
    start: np.ndarray
    end: np.ndarray
    max_segment: int
    batch_size: int
    bias: np.ndarray  # per-tag offset added to emissions before decoding (zeros: none)


def _bio_constraints(tag_names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Penalties forbidding I-x unless it follows B-x or I-x (and at sentence start)."""
    k = len(tag_names)
    trans = np.zeros((k, k), dtype=np.float32)
    start = np.zeros(k, dtype=np.float32)
    for j, name in enumerate(tag_names):
        if not name.startswith("I-"):
            continue
        start[j] = _ILLEGAL
        for i, prev in enumerate(tag_names):
            if prev[2:] != name[2:] or prev == "O":
                trans[i, j] = _ILLEGAL
    return trans, start


def load_decode_bias(model_dir: Path, meta: dict, tag_names: list[str]) -> np.ndarray:
    """Per-tag emission offsets from the file meta.json names, checked against its digest.

    meta.json records the file's sha256 so that re-tuning the biases must also change
    meta.json, whose hash versions stored extractions (chainatlas/extract/core.py).
    """
    bias = np.zeros(len(tag_names), dtype=np.float32)
    ref = meta.get("decode")
    if not ref:
        return bias
    raw = (model_dir / ref["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != ref["sha256"]:
        raise ValueError(f"{ref['file']} does not match the digest in meta.json; re-run tuning")
    for name, value in json.loads(raw)["bias"].items():
        bias[tag_names.index(name)] = float(value)
    return bias


def _load_model(model_dir: Path) -> _Model:
    import onnxruntime as ort  # imported lazily: callers that never tag pay nothing

    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    vocab_list = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    fold = json.loads((model_dir / "fold.json").read_text(encoding="utf-8"))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    session = ort.InferenceSession(
        str(model_dir / meta["onnx"]), sess_options=opts, providers=["CPUExecutionProvider"]
    )
    tag_names = list(meta["tags"])
    c_trans, c_start = _bio_constraints(tag_names)
    vocab = {ch: i for i, ch in enumerate(vocab_list)}
    bigrams = None
    if meta.get("bigrams"):
        bigram_list = json.loads((model_dir / meta["bigrams"]).read_text(encoding="utf-8"))
        bigrams = {b: i for i, b in enumerate(bigram_list)}
    return _Model(
        session=session,
        vocab=vocab,
        oov_id=vocab[meta["oov"]],
        pad_id=vocab[meta["pad"]],
        fold=fold,
        bigrams=bigrams,
        tag_names=tag_names,
        transitions=np.asarray(meta["transitions"], dtype=np.float32) + c_trans,
        start=np.asarray(meta["start"], dtype=np.float32) + c_start,
        end=np.asarray(meta["end"], dtype=np.float32),
        max_segment=int(meta.get("max_segment", 120)),
        batch_size=int(meta.get("batch_size", 64)),
        bias=load_decode_bias(model_dir, meta, tag_names),
    )


def _has_word_char(text: str) -> bool:
    """Names contain letters or digits; a span of only emoji/punctuation is noise."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def segment(text: str, max_len: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) pieces covering ``text``: sentences, cut further if too long."""
    pos = 0
    n = len(text)
    while pos < n:
        m = _SENTENCE_END.search(text, pos, min(n, pos + max_len))
        if m:
            cut = m.end()
        elif n - pos <= max_len:
            cut = n
        else:
            window = text[pos : pos + max_len]
            soft = max(window.rfind(c) for c in _SOFT_BREAK)
            # A cut in the first half would leave a uselessly short piece; cut hard instead.
            cut = pos + soft + 1 if soft >= max_len // 2 else pos + max_len
        yield pos, cut
        pos = cut


def viterbi_batch(
    emissions: np.ndarray,
    lengths: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> np.ndarray:
    """Best tag path per row of ``emissions`` (B, T, K); positions past a row's length are junk."""
    b, t_max, k = emissions.shape
    dp = start[None, :] + emissions[:, 0]
    back = np.empty((max(t_max - 1, 0), b, k), dtype=np.int64)
    identity = np.broadcast_to(np.arange(k), (b, k))
    for t in range(1, t_max):
        scores = dp[:, :, None] + transitions[None]
        best_prev = scores.argmax(axis=1)
        new = np.take_along_axis(scores, best_prev[:, None, :], axis=1)[:, 0] + emissions[:, t]
        active = (t < lengths)[:, None]
        dp = np.where(active, new, dp)
        # Finished rows carry their state through unchanged so backtracking stays simple.
        back[t - 1] = np.where(active, best_prev, identity)
    path = np.empty((b, t_max), dtype=np.int64)
    path[:, -1] = (dp + end[None, :]).argmax(axis=1)
    rows = np.arange(b)
    for t in range(t_max - 1, 0, -1):
        path[:, t - 1] = back[t - 1][rows, path[:, t]]
    return path


class Tagger:
    """Tags entity spans in Chinese text; thread-compatible, not thread-safe."""

    def __init__(self, model: _Model) -> None:
        self._m = model

    @property
    def tag_names(self) -> list[str]:
        return list(self._m.tag_names)

    def _emissions(self, pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw (unbiased) tag scores (B, T, K) and lengths for a batch of text pieces."""
        m = self._m
        lengths = np.array([len(p) for p in pieces], dtype=np.int64)
        t_max = int(lengths.max())
        ids = np.full((len(pieces), t_max), m.pad_id, dtype=np.int64)
        bis = np.zeros((len(pieces), t_max + 1), dtype=np.int64) if m.bigrams else None
        for i, piece in enumerate(pieces):
            folded = "".join(m.fold.get(ch, ch) for ch in piece)
            ids[i, : len(piece)] = [m.vocab.get(ch, m.oov_id) for ch in folded]
            if bis is not None:
                edged = _BOS + folded + _EOS
                bis[i, : len(piece) + 1] = [
                    m.bigrams.get(edged[j : j + 2], 1) for j in range(len(piece) + 1)
                ]
        # Reversing each row inside its own length lets the backward GRU ignore padding.
        pos = np.arange(t_max)[None, :]
        rev = np.where(pos < lengths[:, None], lengths[:, None] - 1 - pos, pos)
        feeds = {"token_ids": ids, "rev_index": rev}
        if bis is not None:
            feeds["bigram_ids"] = bis
        (emissions,) = m.session.run(None, feeds)
        return emissions, lengths

    def _run(self, pieces: list[str]) -> list[tuple[list[int], np.ndarray]]:
        """Tag-id path and per-char probability of that tag for each text piece."""
        m = self._m
        emissions, lengths = self._emissions(pieces)
        emissions = emissions + m.bias
        paths = viterbi_batch(emissions, lengths, m.transitions, m.start, m.end)
        shifted = emissions - emissions.max(axis=2, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=2, keepdims=True)
        chosen = np.take_along_axis(probs, paths[:, :, None], axis=2)[:, :, 0]
        return [
            (paths[i, : lengths[i]].tolist(), chosen[i, : lengths[i]]) for i in range(len(pieces))
        ]

    def piece_emissions(self, texts: list[str]) -> list[list[tuple[int, np.ndarray]]]:
        """Per text, (piece start, raw tag scores (len, K)) for each piece ``tag`` would run.

        For tuning and stacking experiments: decoding these with the model's transitions
        and bias reproduces ``tag``.
        """
        m = self._m
        out: list[list[tuple[int, np.ndarray]]] = [[] for _ in texts]
        for ti, text in enumerate(texts):
            pieces = [(s, e) for s, e in segment(text, m.max_segment) if text[s:e].strip()]
            for b0 in range(0, len(pieces), m.batch_size):
                batch = pieces[b0 : b0 + m.batch_size]
                em, lengths = self._emissions([text[s:e] for s, e in batch])
                for (s, _e), row, n in zip(batch, em, lengths, strict=True):
                    out[ti].append((s, row[:n].copy()))
        return out

    def tag(self, texts: list[str]) -> list[list[Span]]:
        """Entity spans for each text, ordered by start; offsets index the given strings."""
        m = self._m
        pieces: list[tuple[int, int, int]] = []  # (text index, start, end)
        for ti, text in enumerate(texts):
            for s, e in segment(text, m.max_segment):
                if text[s:e].strip():
                    pieces.append((ti, s, e))
        # Similar lengths share a batch so padding (and wasted work) stays small.
        pieces.sort(key=lambda p: p[2] - p[1])
        out: list[list[Span]] = [[] for _ in texts]
        for b0 in range(0, len(pieces), m.batch_size):
            batch = pieces[b0 : b0 + m.batch_size]
            results = self._run([texts[ti][s:e] for ti, s, e in batch])
            for (ti, s, _e), (path, prob) in zip(batch, results, strict=True):
                for a, z, typ in bio_to_spans(path, m.tag_names):
                    if not _has_word_char(texts[ti][s + a : s + z]):
                        continue
                    out[ti].append(Span(s + a, s + z, typ, round(float(prob[a:z].mean()), 4)))
        for spans in out:
            spans.sort(key=lambda sp: (sp.start, sp.end))
        return out


@lru_cache(maxsize=2)
def _cached(model_dir: str) -> Tagger:
    return Tagger(_load_model(Path(model_dir)))


def load_tagger(model_dir: str | Path | None = None) -> Tagger:
    """The shipped tagger (cached per model directory)."""
    return _cached(str(Path(model_dir) if model_dir else MODEL_DIR))

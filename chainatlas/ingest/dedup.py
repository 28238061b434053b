"""Exact and near-duplicate detection: content hashes and MinHash with LSH banding.

Pure functions; the store keeps signatures and band keys and asks for candidates.
Shingles are character 5-grams of the normalised body with whitespace and punctuation
removed, so the same story re-typeset by another site still matches.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: candidate probability 0.5 at Jaccard ≈ 0.42
ROWS = NUM_PERM // BANDS
SHINGLE = 5

_rng = np.random.default_rng(20261127)  # fixed seed: signatures must be stable forever
# Multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, take the high 32 bits.
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)
_SHINGLE_MUL = np.uint64(0x100000001B3)  # FNV prime as polynomial base
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def content_hash(norm_title: str | None, norm_text: str) -> str:
    """SHA-256 over the normalised title and body: equal content, equal key."""
    body = _STRIP.sub("", norm_text)
    payload = f"{_STRIP.sub('', norm_title or '')}\n{body}".encode()
    return hashlib.sha256(payload).hexdigest()


def raw_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shingle_hashes(norm_text: str) -> np.ndarray:
    """Unique 64-bit hashes of character 5-grams, vectorised (no Python loop per char)."""
    compact = _STRIP.sub("", norm_text)
    if len(compact) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    cps = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - SHINGLE + 1
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):
        acc = acc * _SHINGLE_MUL + cps[k : k + n]  # wraps mod 2^64 by design
    return np.unique(acc)


def signature(norm_text: str) -> np.ndarray | None:
    """MinHash signature (uint32[NUM_PERM]) or None when the text is too short to compare."""
    shingles = shingle_hashes(norm_text)
    if len(shingles) < 10:
        return None
    sig = np.empty(NUM_PERM, dtype=np.uint32)
    # Process permutations in blocks to bound memory on huge documents.
    block = max(1, 4_000_000 // len(shingles))
    for start in range(0, NUM_PERM, block):
        a = _A[start : start + block, None]
        b = _B[start : start + block, None]
        hashed = ((a * shingles[None, :] + b) >> np.uint64(32)).astype(np.uint32)
        sig[start : start + block] = hashed.min(axis=1)
    return sig


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band: band number in the top byte, bucket hash below."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")
        keys.append((band << 56) | bucket)
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)

"""Technology need → innovation resources (research bodies, labs, experts, facilities).

Pure and offline: BM25 over character bigrams and whole words, with the need expanded by a
small domain synonym lexicon (`data/match/synonyms.tsv`), plus chain-segment overlap from
`classify_text` and a soft region boost. Every match carries its own explanation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "TechCandidate",
    "TechMatch",
    "expand_need",
    "load_synonyms",
    "match_tech",
    "tech_index",
    "tokens",
]

# BM25 constants: the usual defaults; fields are short, so length normalisation matters little.
_K1, _B = 1.2, 0.75
_EXPANSION_WEIGHT = 0.5  # a synonym is evidence, but weaker than the user's own word
_NAME_REPEAT = 2  # terms in the candidate's name or declared fields count twice
_TEXT_WEIGHT = 0.5  # text share; chain segments settle which concept of the need leads
_SEGMENT_WEIGHT = 1.0  # times the need's confidence in each shared segment
_CHAIN_WEIGHT = 0.5  # times its confidence in each shared chain without a shared segment
_REGION_BOOST = 0.25  # multiplicative, soft: a distant lab can still win

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|\d+[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class TechCandidate:
    id: str  # entity id, or "imported:<kind>:<row id>" when not resolved yet
    name: str
    kind: str  # research | facility | expert
    region_code: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # (label, value): 研究方向, 单位, 职称 …
    sentences: tuple[str, ...] = ()  # evidence sentences from the news
    origin: str = "extracted"  # extracted | imported
    people: tuple[tuple[str, str], ...] = ()  # (person, position) heading it, from the news


@dataclass(slots=True)
class TechMatch:
    candidate: TechCandidate
    score: float
    parts: dict[str, float]  # bm25, segments, region_boost
    matched_terms: list[str]
    segments: list[str]  # shared segment keys (chain/segment)
    evidence: list[str]  # the fields and sentences that matched

    def to_dict(self) -> dict:
        c = self.candidate
        return {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "origin": c.origin,
            "region_code": c.region_code,
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
            "matched_terms": self.matched_terms,
            "segments": self.segments,
            "evidence": self.evidence,
            "people": [{"name": n, "position": p} for n, p in c.people],
        }


# --------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def load_synonyms() -> tuple[tuple[str, ...], ...]:
    """Synonym groups from the shipped TSV (head term first)."""
    path = resources.files("chainatlas").joinpath("data/match/synonyms.tsv")
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, rest = line.partition("\t")
        terms = [head.strip(), *(t.strip() for t in rest.split("|"))]
        groups.append(tuple(dict.fromkeys(t for t in terms if t)))
    return tuple(groups)


def _lexicon_terms(groups) -> tuple[str, ...]:
    return tuple(sorted({t for g in groups for t in g}, key=len, reverse=True))


def _find_terms(text: str, groups) -> list[str]:
    """Lexicon terms present in `text`, case-insensitive for Latin abbreviations."""
    low = text.lower()
    found = [t for t in _lexicon_terms(groups) if t.lower() in low]
    # A term inside a longer term the text names (精密测量 in 量子精密测量) is not named on
    # its own: expanding it would drag in an unrelated group.
    return [t for t in found if not any(t != o and t.lower() in o.lower() for o in found)]


def expand_need(text: str, groups=None) -> tuple[list[str], dict[str, str]]:
    """Lexicon terms the need names, and the synonyms they bring in (synonym → source)."""
    groups = load_synonyms() if groups is None else groups
    present = _find_terms(text, groups)
    added: dict[str, str] = {}
    for group in groups:
        hit = next((t for t in group if t in present), None)
        if hit is None:
            continue
        for term in group:
            if term not in present and term not in added:
                added[term] = hit
    return present, added


# --------------------------------------------------------------------------- tokens


def tokens(text: str, words: tuple[str, ...] = ()) -> list[str]:
    """Character bigrams of every CJK run (single characters for one-character runs),
    lower-cased Latin words, and any of `words` present (as `w:` tokens)."""
    out: list[str] = []
    for run in _CJK.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    out.extend(m.lower() for m in _LATIN.findall(text))
    low = text.lower()
    out.extend("w:" + w for w in words if w.lower() in low)
    return out


def _candidate_text(c: TechCandidate) -> tuple[str, str]:
    """(strong text: name and declared fields, weak text: evidence sentences)."""
    strong = " ".join([c.name, *(v for _, v in c.fields)])
    return strong, " ".join(c.sentences)


# --------------------------------------------------------------------------- matching


def _segments(text: str, catalog) -> dict[str, float]:
    from chainatlas.chains.classify import classify_text

    if not text.strip():
        return {}
    return {h.key: h.confidence for h in classify_text(text, catalog=catalog)[:6]}


def _candidate_segments(c: TechCandidate, catalog) -> dict[str, float]:
    """Segments an institution serves; the institution classifier also places a lab that
    names only a field (量子科技) on that chain's research-end segments."""
    from chainatlas.chains.classify import classify_institution

    texts = [v for _, v in c.fields] + list(c.sentences)
    result = classify_institution(c.name, texts, catalog)
    return {h.key: h.confidence for h in result.segments[:8]}


def _region_code(region: str | None) -> str | None:
    if not region:
        return None
    from chainatlas.kb.regions import RegionGazetteer

    gaz = RegionGazetteer.load()
    if gaz.get(region):
        return gaz.by_code(region).code
    hits = gaz.lookup(region)
    return hits[0].code if hits else None


def _within(code: str | None, ancestor: str | None) -> bool:
    if not code or not ancestor:
        return False
    from chainatlas.kb.regions import RegionGazetteer

    gaz = RegionGazetteer.load()
    try:
        return gaz.is_within(code, ancestor)
    except KeyError:
        return False


def _evidence(c: TechCandidate, terms: list[str]) -> list[str]:
    out = [f"{label}：{value}" for label, value in c.fields if any(t in value for t in terms)]
    out += [s for s in c.sentences if any(t in s for t in terms)][:2]
    return out[:4]


def _match_tech_reference(
    need_text: str,
    candidates: list[TechCandidate] | tuple[TechCandidate, ...],
    *,
    region: str | None = None,
    top: int = 10,
    catalog=None,
    synonyms=None,
) -> list[TechMatch]:
    """The original scan (re-tokenises and re-classifies every candidate per query), kept
    as the reference the indexed path is tested against (tests/match/test_match_fast.py)."""
    if catalog is None:
        from chainatlas.chains.templates import load_chains

        catalog = load_chains()
    groups = load_synonyms() if synonyms is None else synonyms
    words = _lexicon_terms(groups)
    _, added = expand_need(need_text, groups)

    # Query: the need's own tokens at weight 1, synonyms' tokens at a reduced weight.
    query: dict[str, float] = {}
    for t in tokens(need_text, words):
        query[t] = 1.0
    for syn in added:
        for t in tokens(syn, (syn,)):
            query.setdefault(t, _EXPANSION_WEIGHT)

    docs: list[Counter] = []
    for c in candidates:
        strong, weak = _candidate_text(c)
        tf = Counter(tokens(weak, words))
        for t in tokens(strong, words):
            tf[t] += _NAME_REPEAT
        docs.append(tf)
    n = len(docs) or 1
    avg_len = sum(sum(d.values()) for d in docs) / n or 1.0
    df: Counter = Counter()
    for d in docs:
        df.update(d.keys())

    need_segments = _segments(need_text, catalog)
    need_chains: dict[str, float] = {}
    for key, conf in need_segments.items():
        chain = key.split("/")[0]
        need_chains[chain] = max(need_chains.get(chain, 0.0), conf)
    region_code = _region_code(region)

    scored = []
    for c, tf in zip(candidates, docs, strict=True):
        length = sum(tf.values())
        bm25 = 0.0
        matched: list[str] = []
        for t, qw in query.items():
            f = tf.get(t)
            if not f:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            bm25 += qw * idf * f * (_K1 + 1) / (f + _K1 * (1 - _B + _B * length / avg_len))
            if t.startswith("w:"):
                matched.append(t[2:])
        if not matched:  # no lexicon word: report the need's bigrams that matched
            matched = [t for t in query if t in tf and query[t] == 1.0][:6]
        if bm25 > 0:
            scored.append((c, bm25, matched))
    top_bm25 = max((b for _, b, _ in scored), default=1.0) or 1.0

    out: list[TechMatch] = []
    for c, bm25, matched in scored:
        text_score = bm25 / top_bm25  # 0..1 within this query, so the parts are comparable
        seg_score = 0.0
        shared: list[str] = []
        if need_segments:
            cand_segments = _candidate_segments(c, catalog)
            shared = [k for k in need_segments if k in cand_segments]
            seg_score = _SEGMENT_WEIGHT * sum(need_segments[k] for k in shared)
            cand_chains = {k.split("/")[0] for k in cand_segments}
            shared_chains = {k.split("/")[0] for k in shared}
            seg_score += _CHAIN_WEIGHT * sum(
                need_chains[ch] for ch in cand_chains - shared_chains if ch in need_chains
            )
        boost = _REGION_BOOST if _within(c.region_code, region_code) else 0.0
        score = (_TEXT_WEIGHT * text_score + seg_score) * (1 + boost)
        out.append(
            TechMatch(
                candidate=c,
                score=score,
                parts={"text": text_score, "segments": seg_score, "region_boost": boost},
                matched_terms=matched,
                segments=shared,
                evidence=_evidence(c, matched),
            )
        )
    out.sort(key=lambda m: (-m.score, m.candidate.name))
    return out[:top]


# --------------------------------------------------------------------------- indexed path


@dataclass(slots=True)
class _TechIndex:
    """Everything `match_tech` reads from the candidates, computed once per candidate list:
    term counts, lengths, postings and each candidate's segments. The candidates, catalog
    and synonym groups are held so a recycled id() in the cache key can never hit."""

    candidates: tuple[TechCandidate, ...]
    catalog: object
    groups: tuple
    words: tuple[str, ...]
    tfs: list[Counter]
    lengths: list[int]
    postings: dict[str, list[int]]  # token -> candidate positions, ascending
    n: int
    avg_len: float
    segments: list[dict[str, float]]


_INDEX_CACHE: dict[tuple, _TechIndex] = {}
_INDEX_CACHE_SIZE = 4  # one live candidate list per store, a few stores per process


@lru_cache(maxsize=1)
def _shipped_catalog():
    # load_chains() parses every template (~50 ms) and returns a new object each call, which
    # would also defeat the index cache below; the shipped catalog is the same every time.
    from chainatlas.chains.templates import load_chains

    return load_chains()


def _build_index(candidates: tuple[TechCandidate, ...], catalog, groups) -> _TechIndex:
    words = _lexicon_terms(groups)
    tfs: list[Counter] = []
    postings: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        strong, weak = _candidate_text(c)
        tf = Counter(tokens(weak, words))
        for t in tokens(strong, words):
            tf[t] += _NAME_REPEAT
        tfs.append(tf)
        for t in tf:
            postings.setdefault(t, []).append(i)
    lengths = [sum(tf.values()) for tf in tfs]
    n = len(tfs) or 1
    avg_len = sum(lengths) / n or 1.0  # integer sum: bit-identical to the reference
    # Classified eagerly: a query then costs its postings only, whatever candidates it touches.
    segments = [_candidate_segments(c, catalog) for c in candidates]
    return _TechIndex(
        candidates, catalog, groups, words, tfs, lengths, postings, n, avg_len, segments
    )


def tech_index(candidates, *, catalog=None, synonyms=None) -> _TechIndex:
    """The index for this candidate list (same objects in the same order), cached."""
    catalog = _shipped_catalog() if catalog is None else catalog
    groups = load_synonyms() if synonyms is None else synonyms
    if not isinstance(candidates, list | tuple):  # an iterator can be read only once
        candidates = tuple(candidates)
    key = (id(catalog), id(groups), tuple(map(id, candidates)))
    hit = _INDEX_CACHE.get(key)
    if hit is None:
        hit = _build_index(tuple(candidates), catalog, groups)
        if len(_INDEX_CACHE) >= _INDEX_CACHE_SIZE:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[key] = hit
    return hit


def match_tech(
    need_text: str,
    candidates: list[TechCandidate] | tuple[TechCandidate, ...],
    *,
    region: str | None = None,
    top: int = 10,
    catalog=None,
    synonyms=None,
    reference: bool = False,
) -> list[TechMatch]:
    """Rank `candidates` for a technology need, best first (only candidates with any
    textual or segment evidence). `region` (name or code) boosts candidates inside it.

    Scores from a per-candidate-list index (see `tech_index`), so a query touches only the
    candidates sharing one of its tokens; `reference=True` runs the original full scan,
    which must give the same ranking, scores and explanations."""
    if reference:
        return _match_tech_reference(
            need_text, candidates, region=region, top=top, catalog=catalog, synonyms=synonyms
        )
    index = tech_index(candidates, catalog=catalog, synonyms=synonyms)
    groups, catalog = index.groups, index.catalog
    _, added = expand_need(need_text, groups)
    # Same query construction, and the same float operations in the same order, as the
    # reference: identical scores, not merely close ones.
    query: dict[str, float] = {}
    for t in tokens(need_text, index.words):
        query[t] = 1.0
    for syn in added:
        for t in tokens(syn, (syn,)):
            query.setdefault(t, _EXPANSION_WEIGHT)

    hits: set[int] = set()
    for t in query:
        hits.update(index.postings.get(t, ()))
    n, avg_len = index.n, index.avg_len
    idf = {
        t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
        for t in query
        if (p := index.postings.get(t))
    }
    scored: list[tuple[int, float, list[str]]] = []
    for i in sorted(hits):  # candidate order, so ties sort as in the reference
        tf, length = index.tfs[i], index.lengths[i]
        bm25 = 0.0
        matched: list[str] = []
        for t, qw in query.items():
            f = tf.get(t)
            if not f:
                continue
            bm25 += qw * idf[t] * f * (_K1 + 1) / (f + _K1 * (1 - _B + _B * length / avg_len))
            if t.startswith("w:"):
                matched.append(t[2:])
        if not matched:
            matched = [t for t in query if t in tf and query[t] == 1.0][:6]
        if bm25 > 0:
            scored.append((i, bm25, matched))
    top_bm25 = max((b for _, b, _ in scored), default=1.0) or 1.0

    need_segments = _segments(need_text, catalog)
    need_chains: dict[str, float] = {}
    for key, conf in need_segments.items():
        chain = key.split("/")[0]
        need_chains[chain] = max(need_chains.get(chain, 0.0), conf)
    region_code = _region_code(region)
    within: dict[str | None, bool] = {}

    ranked = []
    for i, bm25, matched in scored:
        c = index.candidates[i]
        text_score = bm25 / top_bm25
        seg_score = 0.0
        shared: list[str] = []
        if need_segments:
            cand_segments = index.segments[i]
            shared = [k for k in need_segments if k in cand_segments]
            seg_score = _SEGMENT_WEIGHT * sum(need_segments[k] for k in shared)
            cand_chains = {k.split("/")[0] for k in cand_segments}
            shared_chains = {k.split("/")[0] for k in shared}
            seg_score += _CHAIN_WEIGHT * sum(
                need_chains[ch] for ch in cand_chains - shared_chains if ch in need_chains
            )
        inside = within.get(c.region_code)
        if inside is None:
            inside = within[c.region_code] = _within(c.region_code, region_code)
        boost = _REGION_BOOST if inside else 0.0
        score = (_TEXT_WEIGHT * text_score + seg_score) * (1 + boost)
        ranked.append((score, c, text_score, seg_score, boost, matched, shared))
    ranked.sort(key=lambda r: (-r[0], r[1].name))  # stable, like the reference's sort
    return [
        TechMatch(
            candidate=c,
            score=score,
            parts={"text": text_score, "segments": seg_score, "region_boost": boost},
            matched_terms=matched,
            segments=shared,
            evidence=_evidence(c, matched),
        )
        for score, c, text_score, seg_score, boost, matched, shared in ranked[:top]
    ]

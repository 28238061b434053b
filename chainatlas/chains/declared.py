"""Declared industrial priorities in policy prose: which chains a region says it bets on.

Pure: text in, :class:`DeclaredPriority` records out, each with its evidence sentence.
Three shapes are read, all common in plans and bureau articles:

* ``以 A、B、C 等主导产业链群为"躯干"`` — a list, an optional group label after 等, and a
  metaphor in quotes (躯干 / 两翼 / 尾翼 / 双核 …);
* ``主导产业链群是"躯干"`` / ``新兴产业和未来产业作为"两翼"`` — a group label and its
  metaphor, the label itself giving the terms when no list follows;
* ``所谓"躯干"，指的是 A、B、C 等主导产业链群`` — the list that fills an earlier metaphor;
* ``重点发展 / 攻关 / 补齐 A、B、C 等…`` — a plain priority or gap-filling list.

Each term is mapped to a chain by the catalog's names and aliases, then a small table of
policy words the templates do not carry (绿色能源, 生物技术), then :func:`classify_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.chains.classify import classify_text
from chainatlas.chains.templates import ChainCatalog

__all__ = [
    "DeclaredPriority",
    "dominant_chain",
    "extract_priorities",
    "map_term",
    "structure",
]


@dataclass(frozen=True, slots=True)
class DeclaredPriority:
    role: str  # group label: 主导产业链群, 新兴产业和未来产业, 生产性、生活性服务业, 补链 …
    metaphor: str | None  # 躯干 / 两翼 / 尾翼 …, when the text uses one
    term: str  # one industry as written: 新一代信息技术
    chain_id: str | None  # mapped chain, None for categories such as 未来产业
    segment_id: str | None  # when the term names one segment (手术机器人)
    sentence: str  # evidence


_Q_OPEN = '“"「『‘'
_Q_CLOSE = '”"」』’'
_QUOTED = rf"[{_Q_OPEN}](?P<metaphor>[^{_Q_CLOSE}，。]{{1,6}})[{_Q_CLOSE}]"
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")

# 以 <list> 为 "<metaphor>"
_WITH_AS = re.compile(rf"以(?P<body>[^以，。；“”\"]{{2,120}}?)为{_QUOTED}")
# <label> 是 / 作为 / 作 "<metaphor>"  (the label is the clause tail before the verb)
_LABEL_IS = re.compile(rf"(?P<body>[^，。；：、“”\"]{{2,24}}?)(?:是|作为|作|为){_QUOTED}")
# 所谓 "<metaphor>"，指的是 <list>
_SO_CALLED = re.compile(
    rf"所谓{_QUOTED}[，,]?(?:指的是|是指|就是|即|包括)(?P<body>[^。；]{{2,160}}?)(?=[，。；]|$)"
)
# 重点发展 <list> 等… / 攻关 <list> 等…  (a list is required: at least one 、)
_VERB_LIST = re.compile(
    r"(?P<verb>重点发展|大力发展|培育发展|发展壮大|培育壮大|重点培育|聚焦|打造|攻关|突破|补齐|补强|招引)"
    r"(?P<body>[^，。；：]{2,120}?、[^，。；：]{1,120}?)(?=[，。；]|$)"
)
_GAP_VERBS = frozenset({"攻关", "突破", "补齐", "补强", "招引"})

# 等<label>: 等主导产业链群, 等十大战略性新兴产业集群, 等仍依赖进口的品类
_ETC = re.compile(r"等(?P<label>[^、，。；]{0,16})$")
_SPLIT = re.compile(r"、|和|与|及|以及|，")
_HEADS = ("产业链群", "产业集群", "产业链", "服务业", "产业", "集群")
_FILLER = re.compile(r"^(?:的|是|则|为|在|了|等|新一轮)+")

# Policy words no chain template carries as a name or alias; checked after the catalog.
_POLICY_TERMS = {
    "绿色能源": "new-energy",
    "新能源": "new-energy",
    "生物技术": "biomedicine",
    "生物制造": "biomedicine",
    "健康食品": "agri-food",
    "智能装备": "high-end-equipment",
    "智能网联汽车": "nev",
    "集成电路": "semiconductor",
    "数字经济": "software-it",
}
# Categories that name a kind of industry, not an industry: kept as terms without a chain.
_CATEGORIES = ("新兴产业", "未来产业", "服务业", "主导产业", "支柱产业", "优势产业")
_MIN_TEXT_CONFIDENCE = 0.3  # classify_text hit strong enough to name a chain from one term


def _sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _split_terms(body: str) -> list[str]:
    """A、B和C → [A, B, C]; a head shared at the end is given back to bare parts
    (生产性、生活性服务业 → 生产性服务业, 生活性服务业)."""
    parts = [_FILLER.sub("", p.strip(' “”"')) for p in _SPLIT.split(body)]
    parts = [p for p in parts if len(p) >= 2]
    if not parts:
        return []
    head = next((h for h in _HEADS if parts[-1].endswith(h) and len(parts[-1]) > len(h)), None)
    if head is not None:
        # 生产性、生活性服务业 / 新兴与未来产业: a bare qualifier borrows the last part's head.
        parts = [
            p + head if not p.endswith(_HEADS) and (p.endswith("性") or len(p) <= 2) else p
            for p in parts
        ]
    return parts


def _list_and_label(body: str) -> tuple[list[str], str]:
    """A、B、C等主导产业链群 → ([A, B, C], 主导产业链群); without 等 the body is its own label."""
    body = body.strip()
    m = _ETC.search(body)
    if m is not None:
        return _split_terms(body[: m.start()]), m.group("label")
    return _split_terms(body), body


def map_term(
    term: str, catalog: ChainCatalog, *, prefer: str | None = None
) -> tuple[str | None, str | None]:
    """(chain id, segment id) an industry term stands for; (None, None) for a category.

    `prefer` is the chain the surrounding text is about: a segment of it wins over a
    better-scoring one elsewhere (高端影像设备 in a medical-device plan).
    """
    stripped = term
    for head in ("产业链群", "产业集群", "产业链", "产业"):
        if stripped.endswith(head) and len(stripped) > len(head) + 1:
            stripped = stripped[: -len(head)]
            break
    if any(term.endswith(c) or term == c for c in _CATEGORIES) and stripped == term:
        return None, None
    for candidate in (term, stripped):
        chain = catalog.get(candidate)
        if chain is not None:
            return chain.id, None
        if candidate in _POLICY_TERMS and _POLICY_TERMS[candidate] in catalog.chains:
            return _POLICY_TERMS[candidate], None
    hits = [h for h in classify_text(term, catalog=catalog) if h.confidence >= _MIN_TEXT_CONFIDENCE]
    preferred = [h for h in hits if h.chain_id == prefer]
    best = preferred[0] if preferred else (hits[0] if hits else None)
    return (best.chain_id, best.segment_id) if best else (None, None)


def dominant_chain(text: str, catalog: ChainCatalog) -> str | None:
    """The chain whose name or aliases the text uses most (ties: longest name first)."""
    counts: dict[str, int] = {}
    for chain in catalog:
        for term in {chain.name, *chain.aliases}:
            if len(term) >= 2:
                n = text.count(term)
                if n:
                    counts[chain.id] = counts.get(chain.id, 0) + n * len(term)
    return max(counts, key=lambda c: (counts[c], c)) if counts else None


def _records(
    terms: list[str],
    role: str,
    metaphor: str | None,
    sentence: str,
    catalog: ChainCatalog,
    prefer: str | None = None,
) -> list[DeclaredPriority]:
    out = []
    for term in terms:
        chain_id, segment_id = map_term(term, catalog, prefer=prefer)
        out.append(DeclaredPriority(role, metaphor, term, chain_id, segment_id, sentence))
    return out


def extract_priorities(text: str, catalog: ChainCatalog) -> list[DeclaredPriority]:
    """Declared priorities in `text`, in reading order, one record per (metaphor, term).

    When a metaphor is first introduced by its label (主导产业链群是"躯干") and later filled
    by a list (所谓"躯干"，指的是 …), the list replaces the label's own terms.
    """
    by_metaphor: dict[str, list[DeclaredPriority]] = {}
    labelled_only: set[str] = set()
    plain: list[DeclaredPriority] = []
    context = dominant_chain(text, catalog)
    for sentence in _sentences(text):
        for m in _WITH_AS.finditer(sentence):
            terms, label = _list_and_label(m.group("body"))
            meta = m.group("metaphor")
            by_metaphor[meta] = _records(terms, label or meta, meta, sentence, catalog)
            labelled_only.discard(meta)
        for m in _SO_CALLED.finditer(sentence):
            terms, label = _list_and_label(m.group("body"))
            meta = m.group("metaphor")
            old = by_metaphor.get(meta, [])
            role = old[0].role if old and not label else (label or meta)
            if meta in labelled_only or meta not in by_metaphor:
                by_metaphor[meta] = _records(terms, role, meta, sentence, catalog)
                labelled_only.discard(meta)
        if _WITH_AS.search(sentence) or _SO_CALLED.search(sentence):
            continue
        for m in _LABEL_IS.finditer(sentence):
            meta = m.group("metaphor")
            if meta in by_metaphor:
                continue
            label = _FILLER.sub("", re.split(r"[：:]", m.group("body"))[-1].strip())
            if not any(h in label for h in _HEADS):
                continue  # 产业布局是"一个比喻": not a group of industries
            by_metaphor[meta] = _records(_split_terms(label), label, meta, sentence, catalog)
            labelled_only.add(meta)
        for m in _VERB_LIST.finditer(sentence):
            terms, label = _list_and_label(m.group("body"))
            role = "补链" if m.group("verb") in _GAP_VERBS else (label or m.group("verb"))
            plain.extend(_records(terms, role, None, sentence, catalog, context))
    out = [p for group in by_metaphor.values() for p in group]
    return out + plain


def structure(priorities: list[DeclaredPriority]) -> list[tuple[str, str | None, list[str]]]:
    """(role, metaphor, terms) groups in first-seen order, for display."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for p in priorities:
        terms = groups.setdefault((p.role, p.metaphor), [])
        if p.term not in terms:
            terms.append(p.term)
    return [(role, meta, terms) for (role, meta), terms in groups.items()]

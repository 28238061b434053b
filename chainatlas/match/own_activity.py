"""Does a placement's evidence sentence describe the firm's own activity? (pure)

Text placements come as ``keyword：sentence``. A firm named in a sentence about something
else — 华星光电和天马 listed after 长江存储的存储芯片基地, or 华虹 in the clause after SK海力士's
memory fab — is placed on the keyword's segment by co-occurrence alone. The keyword is
the firm's own when both sit in one clause (between ，。；！？) with no enumeration comma
(、) between them (长鑫存储专注于动态随机存储器 yes; 存储芯片基地、华星光电 no), or when the
firm opens a clause as its subject and the keyword is in the next one, where the subject
carries over (苏州澜图…签署投资协议，计划建设…精密减速器生产基地), or when a short lead-in
clause names the topic just before a clause the firm opens (芯片测试方向，上海临港芯测…;
说到国产高端医学影像设备，上海联影…). A long clause before it is another firm's news
(SK海力士在无锡建有存储芯片生产基地，华虹半导体…), so it does not count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chainatlas.kb.names import parse_company
from chainatlas.text.normalize import normalize

__all__ = ["own_activity"]

_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?\n]")
_SHENWAN_EVIDENCE = re.compile(r"^\d{6} ")
# Longest lead-in clause (characters) read as a topic for the clause after it; the demo
# corpus's topic phrases run 6-12 characters, other firms' clauses 15 and more.
_LEAD_IN_MAX = 12
_OPENERS = " \t“”\"'‘’「」（）()"


def _mentions(sentence: str, name: str) -> list[tuple[int, int]]:
    parsed = parse_company(name)
    forms = [name, parsed.text, parsed.core + "".join(parsed.industry), parsed.core]
    for form in dict.fromkeys(f for f in forms if f and len(f) >= 2):
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(form), sentence)]
        if spans:
            return spans
    return []


def _clauses(sentence: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(sentence)))
    return out


def _clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    return next(i for i, (a, b) in enumerate(spans) if a <= pos <= b)


# Cached: the same names and sentences come back on every query of a warm process.
@lru_cache(maxsize=65_536)
def own_activity(name: str, evidence: str) -> bool | None:
    """True when the keyword is the firm's own (same clause, nothing enumerated between;
    the next clause after one the firm opens; a short topic clause just before it),
    False when it is not, None when the
    evidence is not a text placement or either one is not in the sentence (no judgement)."""
    if not evidence or _SHENWAN_EVIDENCE.match(evidence) or "：" not in evidence:
        return None
    keyword, sentence = evidence.split("：", 1)
    # Placements carry the template's simplified keyword while the sentence keeps its
    # original script (正负极材料 vs 正負極材料): compare in the index form, which keeps
    # length, so clause positions are unchanged.
    keyword, sentence, name = (normalize(t).text for t in (keyword, sentence, name))
    firm = _mentions(sentence, name)
    words = (
        [(m.start(), m.end()) for m in re.finditer(re.escape(keyword), sentence)] if keyword else []
    )
    if not firm or not words:
        return None
    clauses = _clauses(sentence)
    for f0, f1 in firm:
        fc = _clause_of(clauses, f0)
        opens = not sentence[clauses[fc][0] : f0].strip(_OPENERS)
        for w0, w1 in words:
            wc = _clause_of(clauses, w0)
            if wc == fc:
                lo, hi = (f1, w0) if f1 <= w0 else (w1, f0)
                if "、" not in sentence[lo:hi]:
                    return True
            elif wc == fc + 1 and opens:
                return True
            elif wc == fc - 1 and opens:
                a, b = clauses[wc]
                if len(sentence[a:b].strip(_OPENERS)) <= _LEAD_IN_MAX:
                    return True
    return False

"""招商 matcher: enterprises outside a region that could fill its weak or missing segments.

Pure: takes a :class:`~chainatlas.chains.diagnose.Diagnosis` and typed candidate records
(built from the store and the listed-company gazetteer by :mod:`chainatlas.jobs.invest`)
and returns ranked matches, each with the segments it fills, evidence sentences with
document ids and the parts of its score.

Score = Σ WEIGHTS[part]·part, each part in 0..1:

* fit: best placement confidence on a target segment (missing counts fully, weak a little
  less: a weak link already has a foothold), plus a small bonus per extra target segment
  the store's evidence puts it on (not for firms placed by their Shenwan code alone);
* expansion: recent signals of a firm that is growing — investment projects signed or
  built elsewhere, financing rounds, capacity announcements — saturating with count;
* scale: listed, and the money named in its projects and financings (log scale);
* evidence: the store's documents name the firm (1), or only the gazetteer does (0);
* prominence: how many store documents name the firm (log scale), and whether one of its
  sentences calls it a leader (龙头, 链主, 领军 …): the standing a size figure would give,
  read from the corpus because the shipped listing facts carry no size field;
* standing: the firm leads its industry or the segment per the shipped leaders file
  (`data/match/leaders.tsv`, :mod:`chainatlas.match.leaders`) — 1 for the first-named
  leader of the segment, 0.1 less per later one down to 0.6, and 0.3 for a leader of some
  other industry: the size signal the gazetteer lacks;
* priority: the segment is one the region declared (★ / 补链 direction in the diagnosis).

Before scoring, store entries whose name is extraction debris (机器人, 深圳凭借电子) are
dropped (:mod:`chainatlas.match.firm_names`); a text placement whose sentence names the
firm beside the keyword but not doing it (华星光电 listed after a memory fab) counts at
half its confidence (:mod:`chainatlas.match.own_activity`); a text placement on the target
with a non-target sibling segment placed nearly as surely (a memory maker on design and
fab) fits like a code-only firm, since the target is not clearly its main line. The
leaders file adds the segments it names for a candidate (双环传动, filed under auto parts,
on robot reducers; as sure as a code, so a documented firm's own sentences still count for
more), and gives the registered city of a firm whose name carries none (美的集团 is not
offered to 佛山). A leader cue counts for prominence only when said of the firm, not of
another firm later in the sentence. A foreign firm with no expansion signal in China
(:mod:`chainatlas.match.foreign`) is kept with a note and a lower score.

Equal scores break on meaningful facts, never on the name alone: more documents naming
the firm, then the longer public record (earlier listing date), then stock code / id.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from chainatlas.chains.diagnose import Diagnosis, Placement
from chainatlas.match.firm_names import is_plausible_firm_name
from chainatlas.match.foreign import foreign_country
from chainatlas.match.leaders import LEADERS_SOURCE, LeaderTable, Standing, load_leaders
from chainatlas.match.own_activity import own_activity

__all__ = [
    "GAZETTEER_SOURCE",
    "TARGET_VERDICTS",
    "WEIGHTS",
    "Candidate",
    "InvestMatch",
    "Signal",
    "match_invest",
    "target_segments",
]

# Hand-set before any tuning on eval/match_invest_gold.jsonl; fit dominates because a firm
# off the gap is useless however large, expansion next because a firm that is investing
# elsewhere right now is the one a 招商 team can actually land.
# prominence was added later (issue 6) with a small weight so it mostly orders firms the
# older parts leave (nearly) tied; dev-half figures were identical for 0 … 0.15 (rerun
# `python -m chainatlas.match.evaluate_invest DB eval/match_invest_gold.jsonl`).
# standing (issue 6, second pass) weighs as much as scale: it orders the firms the other
# parts leave tied, and a code-only leader stays below a firm the store documents on a
# declared segment (上海联影 for 深圳 imaging). Swept on both development files
# (eval/match_invest_gold.jsonl / eval/match_invest_fresh.jsonl, recall@5): 0.05 →
# 0.940 / 0.819, 0.1 → 0.952 / 0.844, 0.15 → 0.940 / 0.825, 0.2 → 0.929 / 0.836.
# Re-swept in round 2 (segment lists, renames) on gold / fresh / fresh2, recall@5 (MRR):
# 0.05 → 0.970 (1.0) / 0.900 (0.950) / 0.858 (0.919); 0.1 → 0.946 (1.0) / 0.919 (0.983) /
# 0.886 (0.928); 0.15 → 0.946 (0.946) / 0.889 (0.983) / 0.867 (0.894); 0.2 lower still.
WEIGHTS: dict[str, float] = {
    "fit": 0.4,
    "evidence": 0.2,
    "expansion": 0.2,
    "scale": 0.1,
    "prominence": 0.05,
    "standing": 0.1,
    "priority": 0.1,
}
TARGET_VERDICTS = ("missing", "weak")
_VERDICT_NEED = {"missing": 1.0, "weak": 0.8}
_EXTRA_SEGMENT_BONUS = 0.1  # per further target segment filled
_SIGNAL_VALUE = {"project": 0.5, "financing": 0.4, "capacity": 0.35}
_CODE_ONLY_FIT = 0.7  # a Shenwan code maps a firm to every segment of its industry
_UNKNOWN_REGION_FACTOR = 0.9  # it might be local: rank it a little lower, do not drop it
# A multinational (data/match/foreign_firms.tsv) with no expansion signal is a lead for
# foreign-investment work, not a domestic firm to attract from elsewhere: kept with a note,
# below domestic leaders of equal fit. 0.8 puts a one-sentence foreign mention (三星 on design, 0.43) under the listed
# leaders of the segment (≈0.40) without dropping it from a short list.
_FOREIGN_FACTOR = 0.8
_AMOUNT_FULL = 1e10  # CNY; 100亿 saturates the money part of scale
_DOCS_FULL = 4  # documents naming a firm at which the coverage half of prominence saturates
# A text placement whose sentence does not show the firm doing the keyword (co-occurrence
# only) keeps this share of its confidence: still a lead, no longer a confident one.
_COOCCURRENCE_FACTOR = 0.5
# A text placement on the target with a non-target sibling segment placed nearly as surely
# (≥ _PRIMARY_MARGIN of its confidence) is not the firm's main line: it fits like a
# code-only firm. Set on the demo store, where 9 firms are placed from text on two
# segments of one chain: second/first confidence runs 0.6–1.0, and the three at ≥ 0.9 are
# a memory maker (design / fab, 0.97), 比亚迪 (two automotive segments) and 腾讯 (two AI
# segments). Rerun the three eval/match_invest_*.jsonl files after changing it.
_PRIMARY_MARGIN = 0.9
_SECONDARY_FIT = 0.7
_SHENWAN_EVIDENCE = re.compile(r"^\d{6} ")
# Words a sentence uses to call a firm a leader of its field; the sentence is kept as evidence.
LEADER_CUES = re.compile(
    r"龙头|链主|领军|头部企业|领先企业|代表性的?企业|全球知名|行业领先|国内领先|全球领先"
)

GAZETTEER_SOURCE = "A股上市公司名录"  # document_id of evidence read from the gazetteer

SignalKind = Literal["project", "financing", "capacity"]


@dataclass(frozen=True, slots=True)
class Signal:
    """One expansion signal: a project signed elsewhere, a financing, a capacity step."""

    kind: SignalKind
    label: str  # 锂电池隔膜涂层材料项目（投产） / A轮 2亿元
    sentence: str
    document_id: str = ""
    amount: float | None = None  # CNY
    date: date | None = None
    regions: frozenset[str] = frozenset()  # where it happens (projects)


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    sentence: str
    document_id: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str  # entity id, or "listed:300760"
    name: str
    regions: frozenset[str]  # rolled up; empty when unknown
    placements: tuple[Placement, ...]
    source: str = "store"  # store | listed | store+listed
    region_name: str = ""
    listed: bool = False
    stock_code: str | None = None
    signals: tuple[Signal, ...] = ()
    sentences: tuple[EvidenceSentence, ...] = ()  # where the store mentions it
    documents: int = 0  # store documents naming it
    listed_on: str | None = None  # ISO date of its listing, when listed
    former: tuple[str, ...] = ()  # other names of the same firm (天业通联 for 晶澳科技)


@dataclass
class InvestMatch:
    id: str
    name: str
    score: float
    segments: list[dict[str, Any]]  # segment_id, name, verdict, confidence, evidence
    parts: dict[str, float]
    evidence: list[dict[str, str]]  # sentence, document_id
    signals: list[dict[str, Any]]
    listed: bool = False
    stock_code: str | None = None
    region_name: str = ""
    source: str = "store"
    notes: list[str] = field(default_factory=list)
    documents: int = 0  # store documents naming it (first tie-break)
    listed_on: str | None = None  # listing date (second tie-break: longer public record)
    former: list[str] = field(default_factory=list)  # other names of the same firm

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def target_segments(diagnosis: Diagnosis, segment: str | None = None) -> dict[str, str]:
    """segment id -> verdict for the segments to fill. `segment` (id or name) narrows the
    target to one segment whatever its verdict: an analyst asking for it wants names."""
    if segment:
        q = segment.strip()
        for s in diagnosis.segments:
            if q in (s.segment_id, s.name):
                return {s.segment_id: s.verdict}
        raise KeyError(segment)
    return {s.segment_id: s.verdict for s in diagnosis.segments if s.verdict in TARGET_VERDICTS}


def _expansion(signals: Sequence[Signal]) -> float:
    # 1 - prod(1 - v): two signals beat one, but ten do not beat three by much.
    rest = 1.0
    for s in signals:
        rest *= 1.0 - _SIGNAL_VALUE.get(s.kind, 0.3)
    return 1.0 - rest


def _scale(c: Candidate) -> float:
    money = sum(s.amount or 0.0 for s in c.signals)
    money_part = 0.0
    if money > 0:
        money_part = min(1.0, math.log10(1 + money / 1e7) / math.log10(1 + _AMOUNT_FULL / 1e7))
    return min(1.0, (0.5 if c.listed else 0.0) + 0.5 * money_part)


def _calls_it_leader(name: str, sentence: str) -> bool:
    """A leader cue in the sentence said of this firm: not of another firm in a later
    clause (三星 … 工厂，…，隆基绿能则是光伏领域的龙头企业). The clause test is the one
    text placements use; where the firm's name is not found in the sentence, no judgement."""
    verdicts = {
        own_activity(name, f"{m.group()}：{sentence}") for m in LEADER_CUES.finditer(sentence)
    }
    return bool(verdicts) and verdicts != {False}


def _leader_sentences(c: Candidate) -> list[EvidenceSentence]:
    return [
        s
        for s in c.sentences
        if s.document_id != GAZETTEER_SOURCE and _calls_it_leader(c.name, s.sentence)
    ]


def _prominence(c: Candidate) -> float:
    coverage = min(1.0, math.log2(1 + c.documents) / math.log2(1 + _DOCS_FULL))
    return 0.5 * coverage + (0.5 if _leader_sentences(c) else 0.0)


def _signal_dict(s: Signal) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "label": s.label,
        "sentence": s.sentence,
        "document_id": s.document_id,
        "amount": s.amount,
        "date": s.date.isoformat() if s.date else None,
    }


def _target_placements(
    c: Candidate, chain_id: str, targets: dict[str, str], leaders: LeaderTable
) -> dict[str, Placement]:
    """segment id -> the candidate's best placement on a target segment of `chain_id`:
    its own placements (co-occurrence-only text ones discounted) and those the leaders
    file names for it."""
    on: dict[str, Placement] = {}
    own = [p for p in c.placements if p.chain_id == chain_id and p.segment_id in targets]
    # The file names segments a firm's code does not reach (绿的谐波 → reducers); the store
    # edge adds them to its candidates' placements already (jobs.invest._with_curated), so
    # both paths and the shortlist see the same pool; here they serve callers that pass
    # bare candidates. Each segment keeps the surer placement.
    curated = leaders.curated_placements(c.stock_code, chain_id)
    for p in (*own, *curated):
        if p.chain_id != chain_id or p.segment_id not in targets:
            continue
        if c.source != "listed" and p.evidence.startswith(LEADERS_SOURCE):
            # The file places a firm as a code does, from outside the store's text: for a
            # documented firm it weighs as a code-only placement, not as its own sentences.
            p = Placement(p.chain_id, p.segment_id, p.confidence * _CODE_ONLY_FIT, p.evidence)
        if own_activity(c.name, p.evidence) is False:
            p = Placement(p.chain_id, p.segment_id, p.confidence * _COOCCURRENCE_FACTOR,
                          p.evidence)  # fmt: skip
        if p.segment_id not in on or p.confidence > on[p.segment_id].confidence:
            on[p.segment_id] = p
    return on


def _primarily_on(c: Candidate, chain_id: str, best: Placement, targets: dict[str, str]) -> bool:
    """Is the firm's text evidence clearly about the target rather than a sibling segment?
    A memory maker's sentence names 存储器 (design) and 晶圆厂 (fab) about equally: it sits
    on both, and a design need should prefer firms whose main line is design. False when a
    non-target segment of the chain is placed from text nearly as surely as the best
    target; codes and the leaders file place by industry, so they are not judged here."""
    if c.source == "listed" or not _is_text(best):
        return True
    return not any(
        p.chain_id == chain_id
        and p.segment_id not in targets
        and _is_text(p)
        and p.confidence >= _PRIMARY_MARGIN * best.confidence
        for p in c.placements
    )


def _is_text(p: Placement) -> bool:
    return not (_SHENWAN_EVIDENCE.match(p.evidence) or p.evidence.startswith(LEADERS_SOURCE))


def _standing(
    c: Candidate, chain_id: str, segment_ids: Iterable[str], leaders: LeaderTable
) -> Standing:
    best = Standing(0.0)
    for sid in segment_ids:
        found = leaders.standing(
            c.stock_code, f"{chain_id}/{sid}", c.placements, code_only=c.source == "listed"
        )
        if found.value > best.value:
            best = found
    return best


def _rank_key(m: InvestMatch) -> tuple:
    return (-m.score, -m.documents, m.listed_on or "9999", m.stock_code or "~", m.id)


def match_invest(
    diagnosis: Diagnosis,
    candidates: Iterable[Candidate],
    *,
    segment: str | None = None,
    top: int = 10,
    leaders: LeaderTable | None = None,
) -> list[InvestMatch]:
    """Rank enterprises outside the diagnosed region for its weak or missing segments
    (or for `segment` only). Candidates inside the region, on no target segment, or whose
    store name is extraction debris are left out; ties break on documents naming the firm,
    then earlier listing, then code. `leaders` defaults to the shipped leaders file."""
    targets = target_segments(diagnosis, segment)
    if not targets:
        return []
    leaders = load_leaders() if leaders is None else leaders
    names = {s.segment_id: s.name for s in diagnosis.segments}
    declared = {s.segment_id for s in diagnosis.segments if s.declared}
    declared.update(diagnosis.declared_without_evidence)
    region = diagnosis.region_code
    out: list[InvestMatch] = []
    for c in candidates:
        regions, region_name = c.regions, c.region_name
        if not regions:  # the leaders file knows where some name-less-place firms sit
            regions, region_name = leaders.home(c.stock_code)
        if region in regions:
            continue
        if c.source == "store" and not is_plausible_firm_name(c.name):
            continue
        on = _target_placements(c, diagnosis.chain_id, targets, leaders)
        if not on:
            continue
        needs = sorted(
            ((p.confidence * _VERDICT_NEED.get(targets[sid], 1.0), sid) for sid, p in on.items()),
            reverse=True,
        )
        # A code-only firm sits on every segment its Shenwan industry maps to: that breadth
        # is the code's, not evidence that it fills several gaps, so it earns no bonus.
        extra = len(needs) - 1 if c.source != "listed" else 0
        fit = min(1.0, needs[0][0] + _EXTRA_SEGMENT_BONUS * extra)
        if not _primarily_on(c, diagnosis.chain_id, on[needs[0][1]], targets):
            fit *= _SECONDARY_FIT
        if c.source == "listed":
            fit *= _CODE_ONLY_FIT
        # Signals in the region itself are local presence, not expansion elsewhere.
        signals = [s for s in c.signals if region not in s.regions]
        # A firm's growth counts as far as the firm fits the gap: a start-up's financing
        # must not lift it over the segment's makers when it sits there on one weak word.
        expansion = _expansion(signals) * fit
        scale = _scale(c)
        priority = 1.0 if any(sid in declared for _, sid in needs) else 0.0
        documented = any(s.document_id and s.document_id != GAZETTEER_SOURCE for s in c.sentences)
        standing = _standing(c, diagnosis.chain_id, on, leaders)
        parts = {
            "fit": round(fit, 3),
            "evidence": 1.0 if documented or signals else 0.0,
            "expansion": round(expansion, 3),
            "scale": round(scale, 3),
            "prominence": round(_prominence(c), 3),
            "standing": standing.value,
            "priority": priority,
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        notes = []
        # A multinational investing here now (a project or capacity signal) is a lead like
        # any other; one the corpus only names beside its plant is not a domestic lead.
        country = foreign_country(c.name) if not c.listed and not signals else None
        if country:
            score *= _FOREIGN_FACTOR
            notes.append(f"境外企业（{country}），宜按外资招商另行研判")
        elif not regions:
            score *= _UNKNOWN_REGION_FACTOR
            notes.append("注册地未知，可能已在本地，需核实")
        segs = [
            {
                "segment_id": sid,
                "name": names[sid],
                "verdict": targets[sid],
                "confidence": round(on[sid].confidence, 3),
                "evidence": on[sid].evidence,
            }
            for _, sid in needs
        ]
        # Signals, then leader sentences (they justify prominence), the leaders-file row
        # (it justifies standing), then the rest.
        listed_leader = (
            (EvidenceSentence(standing.leader.explanation(), LEADERS_SOURCE),)
            if standing.leader
            else ()
        )
        evidence: list[dict[str, str]] = []
        seen: set[str] = set()
        for s in (*signals, *_leader_sentences(c), *listed_leader, *c.sentences):
            if s.sentence not in seen:
                seen.add(s.sentence)
                evidence.append({"sentence": s.sentence, "document_id": s.document_id})
        out.append(
            InvestMatch(
                id=c.id,
                name=c.name,
                score=round(score, 4),
                segments=segs,
                parts=parts,
                evidence=evidence[:6],
                signals=[_signal_dict(s) for s in signals],
                listed=c.listed,
                stock_code=c.stock_code,
                region_name=region_name,
                source=c.source,
                notes=notes,
                documents=c.documents,
                listed_on=c.listed_on,
                former=list(c.former),
            )
        )
    out.sort(key=_rank_key)
    return out[:top] if top > 0 else out

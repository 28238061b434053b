"""Region × chain diagnosis: which segments of a chain a region is strong in, present in,
weak in or missing (强链 / 补链 / 延链), and whether what it declared is landing.

Pure: every input is a typed record already placed on segments and already carrying its
rolled-up region codes (a 广州市黄埔区 entity carries 440112, 440100 and 440000), so the
same function serves the CLI, the API and tests on hand-made records. The store edge that
builds the records is :mod:`chainatlas.jobs.diagnose`.

Per segment the verdict comes from evidence in the store (enterprises, projects,
institutions) and a location quotient::

    LQ = (region's enterprises on the segment / region's enterprises on any segment)
         / (all enterprises on the segment   / all enterprises on any segment)

computed twice: over every region in the store, and over the national listed-company
baseline (A-share gazetteer; a company's region is the region prefix of its full name).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from chainatlas.chains.templates import Chain

__all__ = [
    "PRESENT_LQ",
    "PRESENT_MIN",
    "STRONG_LQ",
    "STRONG_MIN",
    "VERDICT_LABELS",
    "Baseline",
    "DeclaredItem",
    "Diagnosis",
    "EntityRecord",
    "KeyPerson",
    "Placement",
    "ProjectRecord",
    "SegmentDiagnosis",
    "build_baseline",
    "diagnose",
    "location_quotient",
    "verdict",
]

# Verdict thresholds. Hand-set (no gold diagnosis exists yet): LQ 1.5 is the usual
# "specialised" cut in regional economics, 0.8 leaves room for noise around 1.0 on small
# stores. Re-check with `chainatlas diagnose 深圳 --chain 高端医疗器械` on the demo store
# and tests/chains/test_diagnose.py after changing them.
STRONG_LQ = 1.5
STRONG_MIN = 3  # enterprises: one big firm is a 链主, not yet a strong link
PRESENT_LQ = 0.8
PRESENT_MIN = 2

Verdict = Literal["strong", "present", "weak", "missing"]
VERDICT_LABELS: dict[str, str] = {
    "strong": "强",
    "present": "有",
    "weak": "弱",
    "missing": "缺",
}

ENTERPRISE_TYPES = frozenset({"company"})
INSTITUTION_TYPES = frozenset({"research", "facility"})


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Placement:
    chain_id: str
    segment_id: str
    confidence: float
    evidence: str = ""  # "370502 医疗设备", or the matched word and its sentence

    @property
    def key(self) -> str:
        return f"{self.chain_id}/{self.segment_id}"


@dataclass(frozen=True, slots=True)
class KeyPerson:
    name: str
    position: str
    org: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    id: str
    name: str
    type: str  # company | research | facility
    regions: frozenset[str]  # its own code and every ancestor; empty when unknown
    placements: tuple[Placement, ...] = ()
    listed: bool = False
    stock_code: str | None = None
    first_seen: date | None = None  # earliest publication naming it
    people: tuple[KeyPerson, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: str
    title: str
    regions: frozenset[str]
    placements: tuple[Placement, ...] = ()
    amount: float | None = None  # CNY
    stage: str | None = None  # 签约 / 开工 / 投产 …
    date: date | None = None
    investor: str | None = None
    sentence: str = ""
    document_id: str = ""
    region_source: str = ""  # place | investor | document


@dataclass(frozen=True, slots=True)
class DeclaredItem:
    """A target (增加值 650亿元 by 2025) or a priority (躯干: 新一代信息技术) of a region."""

    kind: Literal["target", "priority"]
    region_code: str  # the declaring region
    regions: frozenset[str]  # region_code and its ancestors
    chain_id: str | None
    label: str  # 增加值 650亿元（2025） / 主导产业链群：新一代信息技术
    sentence: str
    document_id: str = ""
    segment_ids: tuple[str, ...] = ()  # empty: the whole chain
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    year: int | None = None
    role: str | None = None
    metaphor: str | None = None
    term: str | None = None


@dataclass(frozen=True)
class Baseline:
    """National structure from the listed-company gazetteer, counts rolled up by region."""

    segment_counts: Mapping[str, Mapping[str, int]]  # segment key -> region -> companies
    region_totals: Mapping[str, int]  # region -> companies placed on any segment
    national_segment: Mapping[str, int]  # segment key -> companies
    national_total: int  # companies placed on any segment
    source: str = "A股上市公司名录"


def build_baseline(
    companies: Iterable[tuple[frozenset[str], Iterable[str]]], source: str = "A股上市公司名录"
) -> Baseline:
    """From (rolled-up regions, segment keys) per company. Companies with no segment are
    left out of every total, as they are for the store LQ."""
    seg_counts: dict[str, Counter[str]] = defaultdict(Counter)
    region_totals: Counter[str] = Counter()
    national: Counter[str] = Counter()
    total = 0
    for regions, segments in companies:
        keys = set(segments)
        if not keys:
            continue
        total += 1
        region_totals.update(regions)
        for key in keys:
            national[key] += 1
            seg_counts[key].update(regions)
    return Baseline(dict(seg_counts), dict(region_totals), dict(national), total, source)


# --------------------------------------------------------------------------- outputs


@dataclass
class SegmentDiagnosis:
    segment_id: str
    name: str
    stage: str  # upstream | midstream | downstream
    stage_label: str  # 上游 / 中游 / 下游
    enterprises: list[dict[str, Any]] = field(default_factory=list)
    listed: int = 0
    new_enterprises: int = 0  # first seen inside the window
    projects: list[dict[str, Any]] = field(default_factory=list)
    investment: float = 0.0  # CNY, projects inside the window
    institutions: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    lq_store: float | None = None
    lq_national: float | None = None
    national_listed: int = 0  # the region's listed companies on it, per the baseline
    verdict: str = "missing"
    rule: str = ""
    trend: dict[int, dict[str, int]] = field(default_factory=dict)
    declared: bool = False

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass
class Diagnosis:
    region_code: str
    chain_id: str
    chain_name: str
    since: date | None
    segments: list[SegmentDiagnosis]
    declared: list[DeclaredItem]
    observed: dict[str, Any]  # projects, investment, new enterprises, enterprises
    declared_without_evidence: list[str]  # segment ids declared yet missing
    trend: dict[int, dict[str, int]]
    region_name: str = ""

    def by_verdict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {v: [] for v in VERDICT_LABELS}
        for seg in self.segments:
            out[seg.verdict].append(seg.segment_id)
        return out

    def segment(self, segment_id: str) -> SegmentDiagnosis:
        return next(s for s in self.segments if s.segment_id == segment_id)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["since"] = self.since.isoformat() if self.since else None
        out["by_verdict"] = self.by_verdict()
        out["declared"] = [{**asdict(d), "regions": sorted(d.regions)} for d in self.declared]
        return out


# --------------------------------------------------------------------------- maths


def location_quotient(local: int, local_total: int, seg_total: int, total: int) -> float | None:
    """(local / local_total) / (seg_total / total); None when a share is undefined."""
    if local_total <= 0 or seg_total <= 0 or total <= 0:
        return None
    return (local / local_total) / (seg_total / total)


def verdict(
    enterprises: int, projects: int, institutions: int, lq: float | None
) -> tuple[Verdict, str]:
    """The verdict and its rule as text, e.g. ``强：LQ 2.1 ≥ 1.5 且企业 4 ≥ 3``."""
    lq_text = f"{lq:.1f}" if lq is not None else "—"
    if enterprises >= STRONG_MIN and lq is not None and lq >= STRONG_LQ:
        return "strong", f"强：LQ {lq_text} ≥ {STRONG_LQ} 且企业 {enterprises} ≥ {STRONG_MIN}"
    if enterprises >= PRESENT_MIN:
        return "present", f"有：企业 {enterprises} ≥ {PRESENT_MIN}（LQ {lq_text}）"
    if enterprises >= 1 and lq is not None and lq >= PRESENT_LQ:
        return "present", f"有：企业 {enterprises} 家且 LQ {lq_text} ≥ {PRESENT_LQ}"
    if enterprises or projects or institutions:
        parts = [f"企业 {enterprises}", f"项目 {projects}", f"机构 {institutions}"]
        why = f"LQ {lq_text} < {PRESENT_LQ}" if enterprises else "无本地企业"
        return "weak", f"弱：{'、'.join(parts)}，{why}"
    return "missing", "缺：本地无企业、项目与科研机构证据"


# --------------------------------------------------------------------------- diagnosis


def _on(record_placements: Sequence[Placement], chain_id: str) -> set[str]:
    return {p.segment_id for p in record_placements if p.chain_id == chain_id}


def _store_lq_counts(
    entities: Sequence[EntityRecord], region_code: str
) -> tuple[Counter[str], int, Counter[str], int]:
    """(region's enterprises per segment key, region's placed total, all per key, all)."""
    local: Counter[str] = Counter()
    every: Counter[str] = Counter()
    local_total = total = 0
    for e in entities:
        if e.type not in ENTERPRISE_TYPES or not e.regions or not e.placements:
            continue
        keys = {p.key for p in e.placements}
        total += 1
        every.update(keys)
        if region_code in e.regions:
            local_total += 1
            local.update(keys)
    return local, local_total, every, total


def _ref(e: EntityRecord, chain_id: str, segment_id: str) -> dict[str, Any]:
    ev = next(
        (p.evidence for p in e.placements if p.chain_id == chain_id and p.segment_id == segment_id),
        "",
    )
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "listed": e.listed,
        "stock_code": e.stock_code,
        "first_seen": e.first_seen.isoformat() if e.first_seen else None,
        "evidence": ev,
    }


def _project_ref(p: ProjectRecord) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "investor": p.investor,
        "amount": p.amount,
        "stage": p.stage,
        "date": p.date.isoformat() if p.date else None,
        "sentence": p.sentence,
        "document_id": p.document_id,
        "region_source": p.region_source,
    }


def _in_window(day: date | None, since: date | None) -> bool:
    return since is None or (day is not None and day >= since)


def diagnose(
    region_code: str,
    chain: Chain,
    *,
    entities: Sequence[EntityRecord],
    projects: Sequence[ProjectRecord],
    declared: Sequence[DeclaredItem],
    baseline: Baseline | None,
    since: date | None = None,
    region_name: str = "",
) -> Diagnosis:
    """Diagnose `chain` in `region_code` (any level: county, city or province).

    The window (`since`) applies to projects, investment, new enterprises and the trend;
    enterprise and institution counts are the stock known to the store. A project with no
    date is outside any window.
    """
    local, local_total, every, total = _store_lq_counts(entities, region_code)
    in_region = [e for e in entities if region_code in e.regions]
    projects_here = [p for p in projects if region_code in p.regions and _in_window(p.date, since)]
    declared_here = [d for d in declared if d.chain_id == chain.id and region_code in d.regions]
    declared_segments = {s for d in declared_here for s in d.segment_ids}
    if any(not d.segment_ids for d in declared_here):
        declared_segments = {s.id for s in chain.segments}  # the chain as a whole

    segments: list[SegmentDiagnosis] = []
    for seg in chain.segments:
        key = seg.key
        ents = [
            e
            for e in in_region
            if e.type in ENTERPRISE_TYPES and seg.id in _on(e.placements, chain.id)
        ]
        insts = [
            e
            for e in in_region
            if e.type in INSTITUTION_TYPES and seg.id in _on(e.placements, chain.id)
        ]
        projs = [p for p in projects_here if seg.id in _on(p.placements, chain.id)]
        lq_store = location_quotient(local[key], local_total, every[key], total)
        lq_nat = None
        nat_local = 0
        if baseline is not None:
            nat_local = baseline.segment_counts.get(key, {}).get(region_code, 0)
            lq_nat = location_quotient(
                nat_local,
                baseline.region_totals.get(region_code, 0),
                baseline.national_segment.get(key, 0),
                baseline.national_total,
            )
        v, rule = verdict(len(ents), len(projs), len(insts), lq_store)
        if v == "missing" and nat_local:
            rule += f"（上市公司名录中本地有 {nat_local} 家，待核实）"
        trend: dict[int, Counter[str]] = defaultdict(Counter)
        for p in projs:
            if p.date is not None:
                trend[p.date.year]["projects"] += 1
        for e in ents:
            if e.first_seen is not None and _in_window(e.first_seen, since):
                trend[e.first_seen.year]["enterprises"] += 1
        people = {
            (person.name, person.position, person.org): person
            for e in [*ents, *insts]
            for person in e.people
        }
        segments.append(
            SegmentDiagnosis(
                segment_id=seg.id,
                name=seg.name,
                stage=seg.stage.value,
                stage_label=seg.stage.label,
                enterprises=[_ref(e, chain.id, seg.id) for e in ents],
                listed=sum(1 for e in ents if e.listed),
                new_enterprises=sum(
                    1 for e in ents if since is not None and _in_window(e.first_seen, since)
                ),
                projects=[_project_ref(p) for p in projs],
                investment=sum(p.amount or 0.0 for p in projs),
                institutions=[_ref(e, chain.id, seg.id) for e in insts],
                people=[asdict(p) for p in people.values()],
                lq_store=round(lq_store, 3) if lq_store is not None else None,
                lq_national=round(lq_nat, 3) if lq_nat is not None else None,
                national_listed=nat_local,
                verdict=v,
                rule=rule,
                trend={y: dict(c) for y, c in sorted(trend.items())},
                declared=seg.id in declared_segments,
            )
        )

    # A project or enterprise on several segments counts once for the chain.
    chain_projects = {p.id: p for p in projects_here if _on(p.placements, chain.id)}
    chain_ents = [
        e for e in in_region if e.type in ENTERPRISE_TYPES and _on(e.placements, chain.id)
    ]
    chain_trend: dict[int, Counter[str]] = defaultdict(Counter)
    for p in chain_projects.values():
        if p.date is not None:
            chain_trend[p.date.year]["projects"] += 1
    for e in chain_ents:
        if e.first_seen is not None and _in_window(e.first_seen, since):
            chain_trend[e.first_seen.year]["enterprises"] += 1
    observed = {
        "projects": len(chain_projects),
        "investment": sum(p.amount or 0.0 for p in chain_projects.values()),
        "enterprises": len(chain_ents),
        "new_enterprises": sum(
            1 for e in chain_ents if since is not None and _in_window(e.first_seen, since)
        ),
        "institutions": len(
            {e.id for e in in_region if e.type in INSTITUTION_TYPES and _on(e.placements, chain.id)}
        ),
    }
    return Diagnosis(
        region_code=region_code,
        chain_id=chain.id,
        chain_name=chain.name,
        since=since,
        segments=segments,
        declared=declared_here,
        observed=observed,
        declared_without_evidence=[
            s.segment_id for s in segments if s.declared and s.verdict == "missing"
        ],
        trend={y: dict(c) for y, c in sorted(chain_trend.items())},
        region_name=region_name,
    )

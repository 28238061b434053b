"""Store edge of the 招商 matcher: diagnose the region, build candidates from the store's
companies (placements, projects, financings, evidence sentences with document ids) and
from the listed-company gazetteer (placed via Shenwan codes), and rank them with the pure
:func:`chainatlas.match.invest.match_invest`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainatlas.chains.classify import classify_company
from chainatlas.chains.diagnose import Diagnosis, EntityRecord, ProjectRecord
from chainatlas.chains.templates import Chain, ChainCatalog, load_chains
from chainatlas.jobs.diagnose import (
    _placements,  # same placement cut as the diagnosis, so both agree on who sits where
    _Rollup,
    diagnose_region,
    load_inputs,
)
from chainatlas.kb.names import region_prefix
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.match.invest import (
    GAZETTEER_SOURCE,
    Candidate,
    EvidenceSentence,
    InvestMatch,
    Signal,
    match_invest,
)
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, FactEntityRow
from chainatlas.store.schema import FactRow

__all__ = ["EMPTY_STORE_MESSAGE", "InvestResult", "build_candidates", "invest_region"]

EMPTY_STORE_MESSAGE = (
    "库中还没有企业数据：请先采集并抽取（ingest、extract、resolve），或运行 demo。"
)
_CAPACITY = re.compile(r"投产|达产|扩产|产能|年产|产线|生产线|量产")
_MAX_SENTENCES = 8
# Extraction noise typed as company: places and bodies (生物城, 宜宾基地, 光电子信息产业协…).
_NOT_FIRM = re.compile(r"(城|园|区|基地|中心|协|所|基金|厂|工厂)$")


def _chain_placements(name, sentences, chain, catalog, shenwan_code=None):
    """Placements on `chain` alone: a firm whose best hit is on a sibling chain (a device
    maker read as 生物医药) still counts for this chain's segments."""
    hits = classify_company(name, shenwan_code=shenwan_code, texts=sentences, catalog=catalog)
    return _placements([h for h in hits if h.chain_id == chain.id])


@dataclass
class InvestResult:
    diagnosis: Diagnosis | None
    matches: list[InvestMatch]
    message: str = ""
    candidates: int = 0
    targets: list[str] = field(default_factory=list)


def _project_signal(p: ProjectRecord) -> Signal:
    kind = "capacity" if _CAPACITY.search(f"{p.stage or ''}{p.sentence}") else "project"
    label = p.title + (f"（{p.stage}）" if p.stage else "")
    return Signal(kind, label, p.sentence, p.document_id, p.amount, p.date, p.regions)


def _financings(session: Session) -> dict[str, list[Signal]]:
    """entity id -> financing signals."""
    rows = session.execute(
        select(
            FactEntityRow.entity_id,
            FactRow.args,
            FactRow.sentence,
            FactRow.document_id,
            FactRow.as_of,
        )
        .join(FactRow, FactRow.id == FactEntityRow.fact_id)
        .where(FactRow.kind == "financing", FactEntityRow.role == "company")
    ).all()
    out: dict[str, list[Signal]] = defaultdict(list)
    for entity_id, args, sentence, doc_id, as_of in rows:
        args = args or {}
        amount = args.get("amount")
        value = amount.get("value") if isinstance(amount, dict) else None
        text = amount.get("text") if isinstance(amount, dict) else ""
        label = " ".join(x for x in (args.get("round") or "融资", text or "") if x)
        day = as_of.date() if as_of is not None else None
        out[entity_id].append(Signal("financing", label, sentence, doc_id, value, day))
    return out


def _sentences(session: Session, ids: list[str]) -> dict[str, list[EvidenceSentence]]:
    out: dict[str, list[EvidenceSentence]] = defaultdict(list)
    if not ids:
        return out
    rows = ((e, t, d) for e, t, d, _published in kb.entity_sentences(session, ids))
    for entity_id, text, doc_id in rows:
        have = out[entity_id]
        if text and len(have) < _MAX_SENTENCES and all(s.sentence != text for s in have):
            have.append(EvidenceSentence(text, doc_id))
    return out


def _region_name(gaz: RegionGazetteer, regions: frozenset[str]) -> str:
    if not regions:
        return ""
    # The most specific unit is the one with the longest ancestry, i.e. the longest code set.
    best = max(regions, key=lambda code: (len(gaz.rollup(code)), code))
    region = gaz.get(best)
    return region.full_name if region else best


def _listed_candidates(
    chain: Chain, catalog: ChainCatalog, gaz: RegionGazetteer, skip_codes: set[str]
) -> list[Candidate]:
    from chainatlas.kb.listed import load_listed

    rollup = _Rollup(gaz)
    out = []
    for company in load_listed().rows:
        code = company.shenwan_code
        if not code or company.code in skip_codes:
            continue
        if not any(c.id == chain.id for c, _ in catalog.by_shenwan(code)):
            continue
        placements = _chain_placements(company.full_name, (), chain, catalog, code)
        if not placements:
            continue
        prefix, _ = region_prefix(company.full_name)
        regions = rollup(prefix.code) if prefix else frozenset()
        out.append(
            Candidate(
                id=f"listed:{company.code}",
                name=company.name,
                regions=regions,
                placements=placements,
                source="listed",
                region_name=_region_name(gaz, regions),
                listed=True,
                stock_code=company.code,
                sentences=(
                    EvidenceSentence(
                        f"{company.full_name}（{company.ticker}，{company.listed_on} 上市），"
                        f"申万行业 {code} {company.shenwan_name or ''}",
                        GAZETTEER_SOURCE,
                    ),
                ),
            )
        )
    return out


def build_candidates(
    session: Session,
    chain: Chain,
    catalog: ChainCatalog,
    gazetteer: RegionGazetteer,
    *,
    entities: list[EntityRecord],
    projects: list[ProjectRecord],
    with_listed: bool = True,
) -> list[Candidate]:
    """Companies on `chain` from the store, then listed companies the store does not know."""
    firms = [e for e in entities if e.type == "company" and not _NOT_FIRM.search(e.name)]
    sentences = _sentences(session, [e.id for e in firms])
    companies = []
    for e in firms:
        texts = [s.sentence for s in sentences.get(e.id, ())]
        placed = _chain_placements(e.name, texts, chain, catalog)
        if placed:
            companies.append((e, placed))
    by_name = {e.name: e.id for e in entities if e.type == "company"}
    signals: dict[str, list[Signal]] = defaultdict(list)
    for p in projects:
        entity_id = by_name.get(p.investor or "")
        if entity_id is not None:
            signals[entity_id].append(_project_signal(p))
    for entity_id, found in _financings(session).items():
        signals[entity_id].extend(found)
    out = [
        Candidate(
            id=e.id,
            name=e.name,
            regions=e.regions,
            placements=placed,
            source="store+listed" if e.listed else "store",
            region_name=_region_name(gazetteer, e.regions),
            listed=e.listed,
            stock_code=e.stock_code,
            signals=tuple(signals.get(e.id, ())),
            sentences=tuple(sentences.get(e.id, ())[:4]),
        )
        for e, placed in companies
    ]
    if with_listed:
        known = {e.stock_code for e, _ in companies if e.stock_code}
        out.extend(_listed_candidates(chain, catalog, gazetteer, known))
    return out


def invest_region(
    store: Store,
    region: str,
    chain: str,
    *,
    segment: str | None = None,
    top: int = 10,
    catalog: ChainCatalog | None = None,
    with_listed: bool = True,
) -> InvestResult:
    """Diagnose `region` on `chain` and rank enterprises to attract for its gaps.

    An empty store (no resolved companies) gives no matches and a message saying what to
    run first: without local evidence every segment looks missing and the ranking would
    only echo the listed-company list."""
    catalog = catalog or load_chains()
    gaz = RegionGazetteer.load()
    with store.session() as session:
        n_companies = session.scalar(
            select(func.count()).select_from(EntityRow).where(EntityRow.type == "company")
        )
        if not n_companies:
            return InvestResult(None, [], EMPTY_STORE_MESSAGE)
        inputs = load_inputs(session, catalog, gaz)
        diagnosis = diagnose_region(store, region, chain, catalog=catalog, inputs=inputs)
        ch = catalog.chains[diagnosis.chain_id]
        candidates = build_candidates(
            session,
            ch,
            catalog,
            gaz,
            entities=inputs.entities,
            projects=inputs.projects,
            with_listed=with_listed,
        )
    matches = match_invest(diagnosis, candidates, segment=segment, top=top)
    targets = [s.segment_id for s in diagnosis.segments if s.verdict in ("weak", "missing")]
    message = "" if matches else "没有找到可招引的区外企业（目标环节上无候选）。"
    return InvestResult(diagnosis, matches, message, len(candidates), targets)

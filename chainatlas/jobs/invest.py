"""Store edge of the 招商 matcher: diagnose the region, build candidates from the store's
companies (placements, projects, financings, evidence sentences with document ids) and
from the listed-company gazetteer (placed via Shenwan codes), and rank them with the pure
:func:`chainatlas.match.invest.match_invest`.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainatlas.chains.classify import SegmentHit, classify_company
from chainatlas.chains.diagnose import Diagnosis, EntityRecord, ProjectRecord
from chainatlas.chains.templates import Chain, ChainCatalog
from chainatlas.jobs.diagnose import (
    DiagnosisInputs,
    _placements,  # same placement cut as the diagnosis, so both agree on who sits where
    _Rollup,
    _shipped_catalog,
    diagnose_region,
    load_inputs,
    placements_current,
)
from chainatlas.kb.listed import ListedCompany, load_listed
from chainatlas.kb.names import region_prefix
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.match.firm_names import is_plausible_firm_name
from chainatlas.match.invest import (
    GAZETTEER_SOURCE,
    Candidate,
    EvidenceSentence,
    InvestMatch,
    Signal,
    match_invest,
    target_segments,
)
from chainatlas.match.leaders import load_leaders
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, FactEntityRow
from chainatlas.store.schema import FactRow

__all__ = [
    "EMPTY_STORE_MESSAGE",
    "InvestResult",
    "Renamed",
    "build_candidates",
    "current_rows",
    "invest_region",
    "renamed_firms",
]

EMPTY_STORE_MESSAGE = (
    "库中还没有企业数据：请先采集并抽取（ingest、extract、resolve），或运行 demo。"
)
_CAPACITY = re.compile(r"投产|达产|扩产|产能|年产|产线|生产线|量产")
_MAX_SENTENCES = 8
_EXTRA_INDUSTRY = Path(__file__).resolve().parents[1] / "data/match/listed_industry_extra.tsv"
_RENAMED = Path(__file__).resolve().parents[1] / "data/match/renamed.tsv"
# Extraction noise typed as company: places and bodies (生物城, 宜宾基地, 光电子信息产业协…).
_NOT_FIRM = re.compile(r"(城|园|区|基地|中心|协|所|基金|厂|工厂)$")


def _is_place(name: str, gaz: RegionGazetteer) -> bool:
    """A bare place name typed as company by the extractor (连云港 in 连云港石化基地)."""
    return bool(gaz.lookup(name))


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


@dataclass(frozen=True, slots=True)
class _FirmFacts:
    documents: int = 0  # documents naming it
    shenwan_code: str | None = None  # from its listing attrs
    listed_on: str | None = None


_NO_FACTS = _FirmFacts()


def _firm_facts(session: Session, ids: list[str]) -> dict[str, _FirmFacts]:
    out: dict[str, _FirmFacts] = {}
    if not ids:
        return out
    rows = session.execute(
        select(EntityRow.id, EntityRow.document_count, EntityRow.attrs).where(EntityRow.id.in_(ids))
    )
    for entity_id, docs, attrs in rows:
        attrs = attrs if isinstance(attrs, dict) else {}
        out[entity_id] = _FirmFacts(
            int(docs or 0), attrs.get("shenwan_code") or None, attrs.get("listed_on") or None
        )
    return out


@dataclass(frozen=True, slots=True)
class Renamed:
    code: str
    name: str  # short name it trades under now
    full_name: str
    former: tuple[str, ...] = ()  # earlier short names the gazetteer may still carry


@lru_cache(maxsize=1)
def renamed_firms() -> dict[str, Renamed]:
    """stock code -> current names (data/match/renamed.tsv)."""
    with _RENAMED.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return {
        r["code"]: Renamed(
            r["code"],
            r["name"],
            r["full_name"],
            tuple(x for x in (r["former"] or "").split(",") if x),
        )
        for r in csv.DictReader(lines, delimiter="\t")
    }


def current_rows(
    rows: list[ListedCompany], renamed: dict[str, Renamed]
) -> dict[str, ListedCompany]:
    """One row per stock code under the name the firm trades under now. The gazetteer
    keeps former names and, for some codes, several rows with no date to choose by; the
    rename table settles both, and a test keeps every code with several rows in it, so
    which row is read first never decides a name."""
    out: dict[str, ListedCompany] = {}
    for c in rows:
        out.setdefault(c.code, c)
    for code, r in renamed.items():
        if code in out:
            out[code] = replace(out[code], name=r.name, full_name=r.full_name)
    return out


@lru_cache(maxsize=1)
def _listed_rows() -> dict[str, ListedCompany]:
    """stock code -> listed company under its current name: the gazetteer, plus firms
    whose Shenwan industry the source data gives without a company row
    (data/match/listed_industry_extra.tsv)."""
    out = current_rows(load_listed().rows, renamed_firms())
    with _EXTRA_INDUSTRY.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["code"] not in out:
                out[r["code"]] = ListedCompany(
                    r["code"], r["exchange"], r["name"], r["name"], "",
                    r["shenwan_code"] or None, r["shenwan_name"] or None,
                )  # fmt: skip
    return out


def _shenwan_of(stock_code: str | None, known: str | None) -> str | None:
    # Resolution stores the code in attrs when the gazetteer has the firm; otherwise only
    # the stock code is there (中芯国际(688981)) and the supplement may know its industry.
    if known or not stock_code:
        return known
    company = _listed_rows().get(stock_code[:6])
    return company.shenwan_code if company else None


def _region_name(gaz: RegionGazetteer, regions: frozenset[str]) -> str:
    if not regions:
        return ""
    # The most specific unit is the one with the longest ancestry, i.e. the longest code set.
    best = max(regions, key=lambda code: (len(gaz.rollup(code)), code))
    region = gaz.get(best)
    return region.full_name if region else best


_BRACKETED = re.compile(r"[（(]([^（）()]{2,8})[）)]")


def _home_regions(full_name: str, gaz: RegionGazetteer, rollup: _Rollup) -> frozenset[str]:
    """Registered place from the name: the prefix (广州万孚生物…), else a bracketed place
    after the trade name (乐普(北京)医疗器械…), a common registered form. Unknown: empty,
    and the matcher then ranks the firm a little lower instead of treating it as remote."""
    prefix, _ = region_prefix(full_name)
    if prefix:
        return rollup(prefix.code)
    for inner in _BRACKETED.findall(full_name):
        found = gaz.lookup(inner)
        if found:
            return rollup(found[0].code)
    return frozenset()


def _listing_sentence(c: ListedCompany) -> str:
    since = f"，{c.listed_on} 上市" if c.listed_on else ""
    return f"{c.full_name}（{c.ticker}{since}），申万行业 {c.shenwan_code} {c.shenwan_name or ''}"


# (catalog, gazetteer, chain id) -> code-only candidates. They depend on shipped data and
# the catalog alone, and placing ~4,700 firms was most of a query's time (≈1.8 s of 2.4 s
# on nev); the objects are kept with the entry so a recycled id() can never hit.
_LISTED_CACHE: dict[tuple[int, int, str], tuple[object, object, list[Candidate]]] = {}
_LISTED_CACHE_SIZE = 64


def _listed_candidates(
    chain: Chain, catalog: ChainCatalog, gaz: RegionGazetteer, skip_codes: set[str]
) -> list[Candidate]:
    key = (id(catalog), id(gaz), chain.id)
    hit = _LISTED_CACHE.get(key)
    if hit is None or hit[0] is not catalog or hit[1] is not gaz:
        if len(_LISTED_CACHE) >= _LISTED_CACHE_SIZE:
            _LISTED_CACHE.clear()
        hit = (catalog, gaz, _place_listed(chain, catalog, gaz))
        _LISTED_CACHE[key] = hit
    return [c for c in hit[2] if c.stock_code not in skip_codes]


def _with_curated(placements: tuple, stock_code: str | None, chain_id: str) -> tuple:
    """A firm's placements plus the segments the leaders file names it for on `chain_id`
    (a firm filed under another Shenwan code: 双环传动 under 汽车零部件 makes robot
    reducers), so it can enter as a candidate there. Where it is placed already the
    surer of the two counts (the matcher keeps each segment's best placement): the file
    names a firm for exactly that segment, its code only for the industry."""
    best: dict[str, float] = {}
    for p in placements:
        best[p.segment_id] = max(best.get(p.segment_id, 0.0), p.confidence)
    extra = [
        p
        for p in load_leaders().curated_placements(stock_code, chain_id)
        if p.confidence > best.get(p.segment_id, 0.0)
    ]
    return (*placements, *extra) if extra else placements


def _display_name(company: ListedCompany) -> str:
    # A short name that is an industry word alone (新松's 机器人, 生物股份) reads as a category
    # in a ranked list and would match any name containing it; the full name identifies the
    # firm. A place plus industry (深圳能源, 佛山照明) is a name people know: it stays.
    if is_plausible_firm_name(company.name) or region_prefix(company.name)[0]:
        return company.name
    return company.full_name


def _other_names(company: ListedCompany) -> tuple[str, ...]:
    """Former short names of the firm (a reader, or an older list, may still use them).
    A generic short name (机器人) is left out: it names a category, not this firm."""
    renamed = renamed_firms().get(company.code)
    return renamed.former if renamed else ()


def _place_listed(chain: Chain, catalog: ChainCatalog, gaz: RegionGazetteer) -> list[Candidate]:
    rollup = _Rollup(gaz)
    out = []
    for company in _listed_rows().values():
        code = company.shenwan_code
        if not code:
            continue
        placements: tuple = ()
        if any(c.id == chain.id for c, _ in catalog.by_shenwan(code)):
            placements = _chain_placements(company.full_name, (), chain, catalog, code)
        placements = _with_curated(placements, company.code, chain.id)
        if not placements:
            continue
        regions = _home_regions(company.full_name, gaz, rollup)
        out.append(
            Candidate(
                id=f"listed:{company.code}",
                name=_display_name(company),
                regions=regions,
                placements=placements,
                source="listed",
                region_name=_region_name(gaz, regions),
                listed=True,
                stock_code=company.code,
                listed_on=company.listed_on or None,
                sentences=(EvidenceSentence(_listing_sentence(company), GAZETTEER_SOURCE),),
                former=_other_names(company),
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
    firms = _firms_of(entities, gazetteer)
    sentences = _sentences(session, [e.id for e in firms])
    facts = _firm_facts(session, [e.id for e in firms])
    companies = []
    for e in firms:
        texts = [s.sentence for s in sentences.get(e.id, ())]
        # A listed firm's own Shenwan code places it even when the store's sentences are
        # about something else (海康威视 named in a piece on a city's digital economy).
        code = (
            _shenwan_of(e.stock_code, facts.get(e.id, _NO_FACTS).shenwan_code) if e.listed else None
        )
        placed = _chain_placements(e.name, texts, chain, catalog, code)
        if placed:
            companies.append((e, placed))
    signals = _signals(session, entities, projects)
    out = _store_candidates(companies, sentences, facts, signals, gazetteer)
    if with_listed:
        known = {e.stock_code for e, _ in companies if e.stock_code}
        out.extend(_listed_candidates(chain, catalog, gazetteer, known))
    return out


def _firms_of(entities: list[EntityRecord], gazetteer: RegionGazetteer) -> list[EntityRecord]:
    return [
        e
        for e in entities
        if e.type == "company" and not _NOT_FIRM.search(e.name) and not _is_place(e.name, gazetteer)
    ]


def _signals(
    session: Session, entities: list[EntityRecord], projects: list[ProjectRecord]
) -> dict[str, list[Signal]]:
    """entity id -> expansion signals: its projects (by investor name), then financings."""
    by_name = {e.name: e.id for e in entities if e.type == "company"}
    signals: dict[str, list[Signal]] = defaultdict(list)
    for p in projects:
        entity_id = by_name.get(p.investor or "")
        if entity_id is not None:
            signals[entity_id].append(_project_signal(p))
    for entity_id, found in _financings(session).items():
        signals[entity_id].extend(found)
    return signals


def _store_candidates(companies, sentences, facts, signals, gazetteer) -> list[Candidate]:
    return [
        Candidate(
            id=e.id,
            name=e.name,
            regions=e.regions,
            placements=_with_curated(placed, e.stock_code, placed[0].chain_id),
            source="store+listed" if e.listed else "store",
            region_name=_region_name(gazetteer, e.regions),
            listed=e.listed,
            stock_code=e.stock_code,
            signals=tuple(signals.get(e.id, ())),
            sentences=tuple(sentences.get(e.id, ())[:4]),
            documents=facts.get(e.id, _NO_FACTS).documents,
            listed_on=facts.get(e.id, _NO_FACTS).listed_on,
        )
        for e, placed in companies
    ]


# --------------------------------------------------------------------------- cached path


@dataclass
class _StoreFirms:
    """Everything a 招商 query reads that does not depend on the query: the diagnosis
    inputs and, per chain, the store's candidates exactly as `build_candidates` makes
    them. One `classify_company` call per firm answers every chain (a query keeps its
    chain's hits), so all chains are built at once."""

    catalog: ChainCatalog
    inputs: DiagnosisInputs
    by_chain: dict[str, list[Candidate]] = field(default_factory=dict)


# (store url, data version, placement state, id(catalog)) -> _StoreFirms. Building one
# costs about what one query used to cost (every firm's evidence read and every firm
# classified: minutes at 10⁵ documents); every later query on any chain reuses it.
_FIRMS_CACHE: dict[tuple, _StoreFirms] = {}
_FIRMS_CACHE_SIZE = 2


def _firms_key(session: Session, store: Store, catalog: ChainCatalog) -> tuple:
    from chainatlas.jobs.match import data_version
    from chainatlas.store.placements import read_state

    state = read_state(session)
    placed = (state.resolve_run_id, state.classifier_version, state.finished_at) if state else None
    return (store.url, data_version(session), placed, id(catalog))


def _store_firms(
    session: Session, catalog: ChainCatalog, gazetteer: RegionGazetteer
) -> _StoreFirms:
    inputs = load_inputs(session, catalog, gazetteer)
    firms = _firms_of(inputs.entities, gazetteer)
    sentences = _sentences(session, [e.id for e in firms])
    facts = _firm_facts(session, [e.id for e in firms])
    per_chain: dict[str, list[tuple[EntityRecord, tuple]]] = defaultdict(list)
    for e in firms:  # firm order within every chain, as build_candidates iterates
        texts = [s.sentence for s in sentences.get(e.id, ())]
        code = (
            _shenwan_of(e.stock_code, facts.get(e.id, _NO_FACTS).shenwan_code) if e.listed else None
        )
        hits = classify_company(e.name, shenwan_code=code, texts=texts, catalog=catalog)
        by_chain: dict[str, list[SegmentHit]] = defaultdict(list)
        for h in hits:
            by_chain[h.chain_id].append(h)
        for chain_id, chain_hits in by_chain.items():
            placed = _placements(chain_hits)
            if placed:
                per_chain[chain_id].append((e, placed))
    signals = _signals(session, inputs.entities, inputs.projects)
    built = {
        chain_id: _store_candidates(companies, sentences, facts, signals, gazetteer)
        for chain_id, companies in per_chain.items()
    }
    for chain in catalog:  # listed firms per chain (~0.5 s each), so no query pays for it
        _listed_candidates(chain, catalog, gazetteer, set())
    return _StoreFirms(catalog, inputs, built)


def _cached_firms(
    store: Store, session: Session, catalog: ChainCatalog, gazetteer: RegionGazetteer
) -> _StoreFirms:
    key = _firms_key(session, store, catalog)
    hit = _FIRMS_CACHE.get(key)
    if hit is None or hit.catalog is not catalog:
        hit = _store_firms(session, catalog, gazetteer)
        if len(_FIRMS_CACHE) >= _FIRMS_CACHE_SIZE:
            _FIRMS_CACHE.pop(next(iter(_FIRMS_CACHE)))
        _FIRMS_CACHE[key] = hit
    return hit


def _cached_candidates(
    data: _StoreFirms, chain: Chain, gazetteer: RegionGazetteer, *, with_listed: bool
) -> list[Candidate]:
    """`build_candidates` from the cached firm data: same records, same order."""
    store_part = data.by_chain.get(chain.id, [])
    out = list(store_part)
    if with_listed:
        known = {c.stock_code for c in store_part if c.stock_code}
        out.extend(_listed_candidates(chain, data.catalog, gazetteer, known))
    return out


def _shortlist(
    diagnosis: Diagnosis, candidates: list[Candidate], segment: str | None
) -> list[Candidate]:
    """The candidates `match_invest` can keep (outside the region, placed on a target
    segment of the chain), in their order; the rest it would skip one by one."""
    try:
        targets = target_segments(diagnosis, segment)
    except KeyError:
        return candidates  # match_invest raises the same error for the caller
    region, chain_id = diagnosis.region_code, diagnosis.chain_id
    return [
        c
        for c in candidates
        if region not in c.regions
        and any(p.chain_id == chain_id and p.segment_id in targets for p in c.placements)
    ]


# --------------------------------------------------------------------------- entry point


def invest_region(
    store: Store,
    region: str,
    chain: str,
    *,
    segment: str | None = None,
    top: int = 10,
    catalog: ChainCatalog | None = None,
    with_listed: bool = True,
    reference: bool = False,
) -> InvestResult:
    """Diagnose `region` on `chain` and rank enterprises to attract for its gaps.

    An empty store (no resolved companies) gives no matches and a message saying what to
    run first: without local evidence every segment looks missing and the ranking would
    only echo the listed-company list.

    Query-independent work (diagnosis inputs, firm evidence, classification) is cached per
    store data version; `reference=True` recomputes it all, as the original did, for the
    equivalence test."""
    # The shipped catalog is shared per process so the caches keyed by catalog can hit.
    catalog = catalog or _shipped_catalog()
    gaz = RegionGazetteer.load()
    with store.session() as session:
        n_companies = session.scalar(
            select(func.count()).select_from(EntityRow).where(EntityRow.type == "company")
        )
        if not n_companies:
            return InvestResult(None, [], EMPTY_STORE_MESSAGE)
        if reference:
            inputs = load_inputs(session, catalog, gaz)
            diagnosis = diagnose_region(store, region, chain, catalog=catalog, inputs=inputs)
        else:
            data = _cached_firms(store, session, catalog, gaz)
            # Current persisted placements give the same diagnosis from the region's rows
            # alone (tests/chains/test_placements_diagnose.py); otherwise use the inputs.
            current = placements_current(session)
            diagnosis = diagnose_region(
                store, region, chain, catalog=catalog, inputs=None if current else data.inputs
            )
        ch = catalog.chains[diagnosis.chain_id]
        if reference:
            candidates = build_candidates(
                session,
                ch,
                catalog,
                gaz,
                entities=inputs.entities,
                projects=inputs.projects,
                with_listed=with_listed,
            )
        else:
            candidates = _cached_candidates(data, ch, gaz, with_listed=with_listed)
    pool = candidates if reference else _shortlist(diagnosis, candidates, segment)
    matches = match_invest(diagnosis, pool, segment=segment, top=top)
    targets = [s.segment_id for s in diagnosis.segments if s.verdict in ("weak", "missing")]
    message = "" if matches else "没有找到可招引的区外企业（目标环节上无候选）。"
    return InvestResult(diagnosis, matches, message, len(candidates), targets)

"""Store edge of the region diagnosis: read entities, facts and evidence sentences, place
them on chain segments on the fly, and call the pure :func:`chainatlas.chains.diagnose.diagnose`.

Placements are computed per call (no placements table yet); see docs/diagnosis-notes.md
for the cost and what persisting them would buy.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainatlas.chains.classify import (
    SegmentHit,
    classify_company,
    classify_institution,
    classify_text,
)
from chainatlas.chains.declared import DeclaredPriority, extract_priorities
from chainatlas.chains.diagnose import (
    Baseline,
    DeclaredItem,
    Diagnosis,
    EntityRecord,
    KeyPerson,
    Placement,
    ProjectRecord,
    build_baseline,
    diagnose,
)
from chainatlas.chains.templates import Chain, ChainCatalog, load_chains
from chainatlas.kb.names import region_prefix
from chainatlas.kb.regions import Region, RegionGazetteer
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, FactEntityRow, MentionLinkRow
from chainatlas.store.schema import DocumentRow, FactRow, MentionRow

__all__ = [
    "DiagnosisInputs",
    "RegionNotFound",
    "compare",
    "diagnose_region",
    "listed_baseline",
    "load_inputs",
    "overview",
    "resolve_chain",
    "resolve_region",
]

# A placement below this confidence, or far below the entity's best one, is noise.
# Hand-set on the demo corpus (迈瑞 must land on 生命信息与支持设备 and 医学影像设备,
# not on every segment Shenwan 370502 maps to).
_MIN_CONFIDENCE = 0.3
_KEEP_SHARE = 0.6  # keep hits with weight >= this share of the entity's best hit
_MAX_PLACEMENTS = 3
_MAX_SENTENCES = 12  # evidence sentences read per entity
_DOC_REGION_SHARE = 0.5
_LOCAL_WORDS = ("全市", "全区", "全省", "全县", "本市", "我市", "我区", "我省", "全域")


class RegionNotFound(LookupError):
    def __init__(self, text: str, candidates: list[Region] | None = None) -> None:
        self.text = text
        self.candidates = candidates or []
        super().__init__(text)


@dataclass
class DiagnosisInputs:
    entities: list[EntityRecord]
    projects: list[ProjectRecord]
    declared: list[DeclaredItem]
    baseline: Baseline | None
    structures: dict[str, list[DeclaredPriority]] = field(default_factory=dict)  # doc -> list
    doc_regions: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- lookups


def resolve_region(text: str, gazetteer: RegionGazetteer | None = None) -> Region:
    """深圳 / 深圳市 / 广州市黄埔区 / 440112 → the region; RegionNotFound otherwise."""
    gaz = gazetteer or RegionGazetteer.load()
    q = text.strip()
    if q.isdigit():
        region = gaz.get(q)
        if region is None:
            raise RegionNotFound(q)
        return region
    hits = gaz.lookup(q)
    if hits:
        return hits[0]
    prefix, rest = region_prefix(q, min_rest=0)
    if prefix is not None and not rest:
        return gaz.by_code(prefix.code)
    raise RegionNotFound(q)


def resolve_chain(name: str, catalog: ChainCatalog) -> Chain:
    chain = catalog.get(name)
    if chain is None:
        raise KeyError(name)
    return chain


class _Rollup:
    def __init__(self, gaz: RegionGazetteer) -> None:
        self.gaz = gaz
        self.cache: dict[str, frozenset[str]] = {}

    def __call__(self, code: str | None) -> frozenset[str]:
        if not code:
            return frozenset()
        hit = self.cache.get(code)
        if hit is None:
            try:
                hit = frozenset(r.code for r in self.gaz.rollup(code))
            except KeyError:
                hit = frozenset()
            self.cache[code] = hit
        return hit


# --------------------------------------------------------------------------- baseline

_BASELINES: dict[int, Baseline] = {}


def listed_baseline(catalog: ChainCatalog, gazetteer: RegionGazetteer) -> Baseline:
    """National listed-company structure: region from the full name's region prefix,
    segments from the Shenwan code (every segment the code maps; cheap and symmetric
    between region and nation, so the LQ stays meaningful). Cached per catalog."""
    cached = _BASELINES.get(id(catalog))
    if cached is not None:
        return cached
    from chainatlas.kb.listed import load_listed

    rollup = _Rollup(gazetteer)

    def rows():
        for company in load_listed().rows:
            if not company.shenwan_code:
                continue
            prefix, _ = region_prefix(company.full_name)
            regions = rollup(prefix.code) if prefix else frozenset()
            if not regions:
                continue
            keys = {s.key for _, s in catalog.by_shenwan(company.shenwan_code)}
            yield regions, keys

    baseline = build_baseline(rows())
    _BASELINES[id(catalog)] = baseline
    return baseline


# --------------------------------------------------------------------------- placements


def _placements(hits: list[SegmentHit]) -> tuple[Placement, ...]:
    hits = [h for h in hits if h.confidence >= _MIN_CONFIDENCE]
    if not hits:
        return ()
    top = hits[0].weight
    out = []
    for h in hits[:_MAX_PLACEMENTS]:
        if h.weight < _KEEP_SHARE * top:
            break
        ev = h.evidence[0] if h.evidence else None
        text = ""
        if ev is not None:
            text = ev.value + (f"：{ev.sentence}" if ev.sentence else "")
        out.append(Placement(h.chain_id, h.segment_id, h.confidence, text[:200]))
    return tuple(out)


def _date(value: Any) -> date | None:
    return value.date() if value is not None else None


def _arg_text(arg: Any) -> str | None:
    return arg.get("text") if isinstance(arg, dict) else None


# --------------------------------------------------------------------------- loading


def _doc_main_regions(session: Session, rollup: _Rollup) -> dict[str, str]:
    """Per document, the region it is about: mentions are counted up the hierarchy, and
    the most specific unit holding at least half of the top count wins (深圳 + 南山 +
    光明 + one 广东 → 深圳; 广州市黄埔区 ×3 + 广东 → 黄埔区)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rows = session.execute(
        select(MentionRow.document_id, EntityRow.region_code)
        .join(MentionLinkRow, MentionLinkRow.mention_id == MentionRow.id)
        .join(EntityRow, EntityRow.id == MentionLinkRow.entity_id)
        .where(EntityRow.type == "region", EntityRow.region_code.is_not(None))
    ).all()
    for doc_id, code in rows:
        counts[doc_id].update(rollup(code))
    out = {}
    for doc_id, c in counts.items():
        floor = _DOC_REGION_SHARE * max(c.values())
        out[doc_id] = max(
            (code for code, n in c.items() if n >= floor),
            key=lambda code: (len(rollup(code)), c[code], code),
        )
    return out


def _entity_sentences(session: Session, ids: list[str]) -> dict[str, tuple[list[str], date | None]]:
    """Evidence sentences (distinct, capped) and first publication date per entity."""
    out: dict[str, tuple[list[str], date | None]] = {}
    if not ids:
        return out
    rows = ((e, t, p) for e, t, _doc, p in kb.entity_sentences(session, ids))
    for entity_id, text, published in rows:
        sents, first = out.get(entity_id, ([], None))
        if text and text not in sents and len(sents) < _MAX_SENTENCES:
            sents.append(text)
        day = _date(published)
        if day is not None and (first is None or day < first):
            first = day
        out[entity_id] = (sents, first)
    return out


def _chain_terms(catalog: ChainCatalog) -> list[tuple[str, str]]:
    terms = {t: c.id for c in catalog for t in (c.name, *c.aliases) if len(t) >= 2}
    return sorted(terms.items(), key=lambda kv: -len(kv[0]))


def _find_chain(text: str, terms: list[tuple[str, str]]) -> str | None:
    return next((chain_id for term, chain_id in terms if term in text), None)


def _subject_region(subject: str, doc_region: str | None) -> str | None:
    """A region named at the head of the subject, else the document's region when the
    subject is local (全市…) or names none."""
    cleaned = re.sub("^(?:" + "|".join(_LOCAL_WORDS) + ")", "", subject)
    prefix, _ = region_prefix(cleaned, min_rest=1)
    return prefix.code if prefix else doc_region


def _money_text(value: float, unit: str | None) -> str:
    if unit == "元" and value >= 1e8:
        return f"{value / 1e8:g}亿元"
    if unit == "元" and value >= 1e4:
        return f"{value / 1e4:g}万元"
    return f"{value:g}{unit or ''}"


def load_inputs(
    session: Session,
    catalog: ChainCatalog,
    gazetteer: RegionGazetteer,
    *,
    with_baseline: bool = True,
) -> DiagnosisInputs:
    """Everything `diagnose` needs, for every region and chain at once."""
    rollup = _Rollup(gazetteer)
    doc_regions = _doc_main_regions(session, rollup)
    # --- facts and their entity roles
    facts = session.execute(
        select(
            FactRow.id,
            FactRow.document_id,
            FactRow.kind,
            FactRow.args,
            FactRow.sentence,
            FactRow.as_of,
        ).where(FactRow.kind.in_(("investment_project", "indicator", "holds_position")))
    ).all()
    roles: dict[int, dict[str, str]] = defaultdict(dict)
    for fact_id, role, entity_id in session.execute(
        select(FactEntityRow.fact_id, FactEntityRow.role, FactEntityRow.entity_id)
    ).all():
        roles[fact_id].setdefault(role, entity_id)
    rows = session.execute(
        select(EntityRow.id, EntityRow.type, EntityRow.name, EntityRow.attrs, EntityRow.region_code)
    ).all()
    entity_region = {r[0]: r[4] for r in rows}
    entity_name = {r[0]: r[2] for r in rows}
    people: dict[str, list[KeyPerson]] = defaultdict(list)
    for fact_id, _doc, kind, args, sentence, _as_of in facts:
        if kind != "holds_position":
            continue
        org, person = roles[fact_id].get("org"), roles[fact_id].get("person")
        if org and person:
            position = (args or {}).get("position") or ""
            people[org].append(KeyPerson(entity_name[person], position, entity_name[org], sentence))
    # --- entities placed on segments
    wanted = [r for r in rows if r[1] in ("company", "research", "facility")]
    evidence = _entity_sentences(session, [r[0] for r in wanted])
    entities: list[EntityRecord] = []
    for entity_id, etype, name, attrs, region_code in wanted:
        attrs = attrs or {}
        sents, first = evidence.get(entity_id, ([], None))
        if etype == "company":
            hits = classify_company(
                name, shenwan_code=attrs.get("shenwan_code"), texts=sents, catalog=catalog
            )
        else:
            hits = classify_institution(name, sents, catalog).segments
        entities.append(
            EntityRecord(
                id=entity_id,
                name=name,
                type=etype,
                regions=rollup(region_code),
                placements=_placements(hits),
                listed=bool(attrs.get("stock_code")),
                stock_code=attrs.get("stock_code"),
                first_seen=first,
                people=tuple(people.get(entity_id, ())),
            )
        )
    placed = {e.id: e for e in entities}
    # --- projects
    projects: list[ProjectRecord] = []
    terms = _chain_terms(catalog)
    declared: list[DeclaredItem] = []
    for fact_id, doc_id, kind, args, sentence, as_of in facts:
        args = args or {}
        if kind == "investment_project":
            r = roles[fact_id]
            code, source = None, ""
            if r.get("place") and entity_region.get(r["place"]):
                code, source = entity_region[r["place"]], "place"
            elif r.get("investor") and entity_region.get(r["investor"]):
                code, source = entity_region[r["investor"]], "investor"
            elif doc_regions.get(doc_id):
                code, source = doc_regions[doc_id], "document"
            title = _arg_text(args.get("project")) or sentence[:40]
            hits = classify_text(f"{title}。{sentence}", catalog=catalog)
            placements = _placements(hits)
            investor = r.get("investor")
            if not placements and investor in placed:
                placements = placed[investor].placements
            amount = args.get("amount")
            projects.append(
                ProjectRecord(
                    id=str(fact_id),
                    title=title,
                    regions=rollup(code),
                    placements=placements,
                    amount=amount.get("value") if isinstance(amount, dict) else None,
                    stage=args.get("stage"),
                    date=_date(as_of),
                    investor=entity_name.get(investor)
                    if investor
                    else _arg_text(args.get("investor")),
                    sentence=sentence,
                    document_id=doc_id,
                    region_source=source,
                )
            )
        elif kind == "indicator" and args.get("target"):
            subject = _arg_text(args.get("subject")) or ""
            chain_id = _find_chain(subject, terms) or _find_chain(sentence, terms)
            code = _subject_region(subject, doc_regions.get(doc_id))
            if chain_id is None or code is None:
                continue
            value, unit, year = args.get("value"), args.get("unit"), args.get("year")
            label = f"{args.get('metric') or '指标'} " + (
                args.get("value_text") or (_money_text(value, unit) if value else "")
            )
            if year:
                label += f"（{year}年）"
            declared.append(
                DeclaredItem(
                    kind="target",
                    region_code=code,
                    regions=rollup(code),
                    chain_id=chain_id,
                    label=label,
                    sentence=sentence,
                    document_id=doc_id,
                    metric=args.get("metric"),
                    value=value,
                    unit=unit,
                    year=year,
                )
            )
    # --- declared priorities: read from documents that carry policy wording
    structures: dict[str, list[DeclaredPriority]] = {}
    policy_docs = session.execute(
        select(DocumentRow.id, DocumentRow.text).where(
            DocumentRow.dup_of.is_(None),
            DocumentRow.norm_text.contains("为“")
            | DocumentRow.norm_text.contains("是“")
            | DocumentRow.norm_text.contains("所谓")
            | DocumentRow.norm_text.contains("重点发展")
            | DocumentRow.norm_text.contains("攻关"),
        )
    ).all()
    for doc_id, text in policy_docs:
        code = doc_regions.get(doc_id)
        if code is None:
            continue
        found = extract_priorities(text, catalog)
        if not found:
            continue
        structures[doc_id] = found
        for p in found:
            label = f"{p.role}" + (f"（{p.metaphor}）" if p.metaphor else "") + f"：{p.term}"
            declared.append(
                DeclaredItem(
                    kind="priority",
                    region_code=code,
                    regions=rollup(code),
                    chain_id=p.chain_id,
                    label=label,
                    sentence=p.sentence,
                    document_id=doc_id,
                    segment_ids=(p.segment_id,) if p.segment_id else (),
                    role=p.role,
                    metaphor=p.metaphor,
                    term=p.term,
                )
            )
    baseline = listed_baseline(catalog, gazetteer) if with_baseline else None
    return DiagnosisInputs(entities, projects, declared, baseline, structures, doc_regions)


# --------------------------------------------------------------------------- entry points


@dataclass
class _Context:
    catalog: ChainCatalog
    gazetteer: RegionGazetteer


def _context(catalog: ChainCatalog | None) -> _Context:
    return _Context(catalog or load_chains(), RegionGazetteer.load())


def _load(store: Store, ctx: _Context) -> DiagnosisInputs:
    with store.session() as session:
        return load_inputs(session, ctx.catalog, ctx.gazetteer)


def diagnose_region(
    store: Store,
    region: str,
    chain: str,
    *,
    since: date | None = None,
    catalog: ChainCatalog | None = None,
    inputs: DiagnosisInputs | None = None,
) -> Diagnosis:
    """`region` as a name or 6-digit code, `chain` as id, name or alias."""
    ctx = _context(catalog)
    reg = resolve_region(region, ctx.gazetteer)
    ch = resolve_chain(chain, ctx.catalog)
    data = inputs or _load(store, ctx)
    return diagnose(
        reg.code,
        ch,
        entities=data.entities,
        projects=data.projects,
        declared=data.declared,
        baseline=data.baseline,
        since=since,
        region_name=reg.full_name,
    )


def compare(
    store: Store,
    region_a: str,
    region_b: str,
    chain: str,
    *,
    since: date | None = None,
    catalog: ChainCatalog | None = None,
) -> tuple[Diagnosis, Diagnosis]:
    """Both regions diagnosed on one chain from one read of the store."""
    ctx = _context(catalog)
    data = _load(store, ctx)
    return (
        diagnose_region(store, region_a, chain, since=since, catalog=ctx.catalog, inputs=data),
        diagnose_region(store, region_b, chain, since=since, catalog=ctx.catalog, inputs=data),
    )


def overview(
    store: Store,
    region: str,
    *,
    since: date | None = None,
    catalog: ChainCatalog | None = None,
    top: int = 5,
) -> dict[str, Any]:
    """Without a chain: the region's declared structure and chains (with what was observed
    on each) and its top observed chains by enterprises + projects."""
    ctx = _context(catalog)
    reg = resolve_region(region, ctx.gazetteer)
    data = _load(store, ctx)
    mine = [d for d in data.declared if reg.code in d.regions]
    structure: list[dict[str, Any]] = []
    seen_groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for d in mine:
        if d.kind != "priority":
            continue
        group = seen_groups.get((d.role or "", d.metaphor))
        if group is None:
            group = seen_groups[(d.role or "", d.metaphor)] = {
                "role": d.role,
                "metaphor": d.metaphor,
                "region_code": d.region_code,
                "terms": [],
                "sentence": d.sentence,
            }
            structure.append(group)
        if all(t["term"] != d.term for t in group["terms"]):
            group["terms"].append({"term": d.term, "chain_id": d.chain_id})
    declared_chains = list(dict.fromkeys(d.chain_id for d in mine if d.chain_id))
    observed: Counter[str] = Counter()
    for e in data.entities:
        if reg.code in e.regions and e.type == "company":
            observed.update({p.chain_id for p in e.placements})
    for p in data.projects:
        if reg.code in p.regions and (since is None or (p.date and p.date >= since)):
            observed.update({pl.chain_id for pl in p.placements})
    chains = []
    for chain_id in [*declared_chains, *(c for c, _ in observed.most_common(top))]:
        if any(c["chain_id"] == chain_id for c in chains):
            continue
        diag = diagnose(
            reg.code,
            ctx.catalog.chains[chain_id],
            entities=data.entities,
            projects=data.projects,
            declared=data.declared,
            baseline=data.baseline,
            since=since,
            region_name=reg.full_name,
        )
        chains.append(
            {
                "chain_id": chain_id,
                "chain_name": diag.chain_name,
                "declared": chain_id in declared_chains,
                "declared_items": [d.label for d in diag.declared],
                "observed": diag.observed,
                "by_verdict": diag.by_verdict(),
            }
        )
    return {
        "region_code": reg.code,
        "region_name": reg.full_name,
        "since": since.isoformat() if since else None,
        "structure": structure,
        "targets": [
            {
                "chain_id": d.chain_id,
                "label": d.label,
                "sentence": d.sentence,
                "region_code": d.region_code,
            }
            for d in mine
            if d.kind == "target"
        ],
        "chains": chains,
    }

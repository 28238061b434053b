"""Store edge of the region diagnosis: records placed on chain segments in, the pure
:func:`chainatlas.chains.diagnose.diagnose` called on them.

Two ways to get the records. `load_inputs` reads every entity, fact and evidence sentence
and classifies them on the fly; the place job (:mod:`chainatlas.jobs.place`) runs it
once after each resolve and persists the result. `diagnose_region` then reads only the
region's rows of one chain through indexed queries (the fast path) whenever the persisted
placements are current, and falls back to `load_inputs` when they are not. Both paths
give the same diagnosis (tests/chains/test_placements_diagnose.py); see
docs/diagnosis-notes.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainatlas.chains import classify as _classify_module
from chainatlas.chains import product_catalog as _product_catalog_module
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
    location_quotient,
    verdict,
)
from chainatlas.chains.templates import Chain, ChainCatalog, shipped_chains
from chainatlas.kb.names import region_prefix
from chainatlas.kb.regions import Region, RegionGazetteer
from chainatlas.store import kb
from chainatlas.store import placements as pstore
from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, FactEntityRow, MentionLinkRow
from chainatlas.store.schema import DocumentRow, FactRow, MentionRow

__all__ = [
    "DiagnosisInputs",
    "RegionNotFound",
    "Weighted",
    "classifier_version",
    "compare",
    "declared_payload",
    "diagnose_region",
    "listed_baseline",
    "load_inputs",
    "overview",
    "placements_current",
    "resolve_chain",
    "resolve_region",
    "stored_placements",
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


@cache
def classifier_version() -> str:
    """Changes whenever anything that decides a placement changes: the classifier's source,
    the shipped chain templates and word tables, the listing records, or the cut above.
    Stored with every persisted placement; a different version makes `chains place`
    re-place everything."""
    h = hashlib.sha256(Path(_classify_module.__file__).read_bytes())
    h.update(Path(_product_catalog_module.__file__).read_bytes())
    root = resources.files("chainatlas").joinpath("data/chains")
    # Templates, and the word tables the classifier reads beside them (head words, the
    # curated product catalogue, the segment vocabulary).
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".toml", ".tsv")):
            h.update(entry.name.encode() + entry.read_bytes())
    # The listing records the classifier reads registered names from (classify_company),
    # and the main products it reads for listed firms under multi-segment codes.
    data = resources.files("chainatlas").joinpath("data")
    for rel in (
        "companies/listed_a_shares.tsv",
        "match/listed_industry_extra.tsv",
        "companies/main_products.tsv",
    ):
        entry = data.joinpath(rel)
        if entry.is_file():
            h.update(rel.encode() + entry.read_bytes())
    h.update(repr((_MIN_CONFIDENCE, _KEEP_SHARE, _MAX_PLACEMENTS, _MAX_SENTENCES)).encode())
    return "classify." + h.hexdigest()[:12]


def _input_hash(*parts: Any) -> str:
    payload = json.dumps([classifier_version(), *parts], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    # (entity|project, id) -> hash of what the classifier read; the place job's cache key
    input_hashes: dict[tuple[str, str], str] = field(default_factory=dict)
    region_codes: dict[tuple[str, str], str | None] = field(default_factory=dict)
    weights: dict[tuple[str, str], tuple[float, ...]] = field(default_factory=dict)
    own_placements: set[str] = field(default_factory=set)  # projects placed by their text


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


Weighted = tuple[tuple[Placement, float], ...]  # placements with the hit's raw weight


def _weighted(hits: list[SegmentHit]) -> Weighted:
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
        out.append((Placement(h.chain_id, h.segment_id, h.confidence, text[:200]), h.weight))
    return tuple(out)


def _placements(hits: list[SegmentHit]) -> tuple[Placement, ...]:
    return tuple(p for p, _ in _weighted(hits))


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


def stored_placements(session: Session, version: str) -> tuple[dict, dict[str, Weighted]]:
    """Stored content hashes per record, and stored placements per classifier-input hash
    (only from rows made by this classifier version)."""
    hashes: dict[tuple[str, str], str] = {}
    own: dict[tuple[str, str], tuple[str, bool]] = {}
    for row in session.execute(
        select(
            pstore.PlacementRecordRow.record_kind,
            pstore.PlacementRecordRow.record_id,
            pstore.PlacementRecordRow.content_hash,
            pstore.PlacementRecordRow.classifier_version,
            pstore.PlacementRecordRow.attrs,
        )
    ):
        kind, rid, content, ver, attrs = row
        hashes[(kind, rid)] = content
        if ver == version and attrs.get("input_hash"):
            own[(kind, rid)] = (attrs["input_hash"], kind == "entity" or bool(attrs.get("own")))
    grouped: dict[tuple[str, str], list[tuple[Placement, float]]] = {}
    for r in session.scalars(
        select(pstore.PlacementRow).order_by(
            pstore.PlacementRow.record_kind, pstore.PlacementRow.record_id, pstore.PlacementRow.rank
        )
    ):
        p = Placement(r.chain_id, r.segment_id, r.confidence, r.evidence.get("text", ""))
        grouped.setdefault((r.record_kind, r.record_id), []).append((p, r.weight))
    reuse: dict[str, Weighted] = {}
    for key, (input_hash, is_own) in own.items():
        # A project placed through its investor had no placements of its own.
        reuse[input_hash] = tuple(grouped.get(key, ())) if is_own else ()
    return hashes, reuse


def load_inputs(
    session: Session,
    catalog: ChainCatalog,
    gazetteer: RegionGazetteer,
    *,
    with_baseline: bool = True,
    reuse: Mapping[str, Weighted] | None = None,
) -> DiagnosisInputs:
    """Everything `diagnose` needs, for every region and chain at once.

    `reuse` maps an input hash (see `DiagnosisInputs.input_hashes`) to placements computed
    earlier for the same input: those records skip the classifier."""
    rollup = _Rollup(gazetteer)
    if reuse is None and placements_current(session):
        # Current persisted placements answer the classifier for unchanged records.
        reuse = stored_placements(session, classifier_version())[1]
    reuse = reuse or {}
    hashes: dict[tuple[str, str], str] = {}
    codes: dict[tuple[str, str], str | None] = {}
    weights: dict[tuple[str, str], tuple[float, ...]] = {}
    own: set[str] = set()
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
        )
        .where(FactRow.kind.in_(("investment_project", "indicator", "holds_position")))
        .order_by(FactRow.id)
    ).all()
    roles: dict[int, dict[str, str]] = defaultdict(dict)
    for fact_id, role, entity_id in session.execute(
        select(FactEntityRow.fact_id, FactEntityRow.role, FactEntityRow.entity_id).order_by(
            FactEntityRow.id
        )
    ).all():
        roles[fact_id].setdefault(role, entity_id)
    rows = session.execute(
        select(
            EntityRow.id, EntityRow.type, EntityRow.name, EntityRow.attrs, EntityRow.region_code
        ).order_by(EntityRow.id)
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
        key = _input_hash(etype, name, attrs.get("shenwan_code"), sents)
        hashes[("entity", entity_id)] = key
        codes[("entity", entity_id)] = region_code
        weighted = reuse.get(key)
        if weighted is None:
            if etype == "company":
                hits = classify_company(
                    name, shenwan_code=attrs.get("shenwan_code"), texts=sents, catalog=catalog
                )
            else:
                hits = classify_institution(name, sents, catalog).segments
            weighted = _weighted(hits)
        placements = tuple(p for p, _ in weighted)
        weights[("entity", entity_id)] = tuple(w for _, w in weighted)
        entities.append(
            EntityRecord(
                id=entity_id,
                name=name,
                type=etype,
                regions=rollup(region_code),
                placements=placements,
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
            key = _input_hash("project", title, sentence)
            hashes[("project", str(fact_id))] = key
            codes[("project", str(fact_id))] = code
            weighted = reuse.get(key)
            if weighted is None:
                weighted = _weighted(classify_text(f"{title}。{sentence}", catalog=catalog))
            placements = tuple(p for p, _ in weighted)
            weights[("project", str(fact_id))] = tuple(w for _, w in weighted)
            if placements:
                own.add(str(fact_id))
            investor = r.get("investor")
            if not placements and investor in placed:
                placements = placed[investor].placements
                weights[("project", str(fact_id))] = weights[("entity", investor)]
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
        select(DocumentRow.id, DocumentRow.text)
        .where(
            DocumentRow.dup_of.is_(None),
            DocumentRow.norm_text.contains("为“")
            | DocumentRow.norm_text.contains("是“")
            | DocumentRow.norm_text.contains("所谓")
            | DocumentRow.norm_text.contains("重点发展")
            | DocumentRow.norm_text.contains("攻关"),
        )
        .order_by(DocumentRow.pk)
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
    return DiagnosisInputs(
        entities, projects, declared, baseline, structures, doc_regions, hashes, codes, weights, own
    )


# --------------------------------------------------------------------------- fast path


@dataclass
class _Context:
    catalog: ChainCatalog
    gazetteer: RegionGazetteer


@cache
def _shipped_catalog() -> ChainCatalog:
    # Parsing the templates costs ~50 ms and a new catalog also misses the listed-baseline
    # cache (keyed by catalog): callers without a catalog (API, web) share one per process.
    return shipped_chains()


def _context(catalog: ChainCatalog | None) -> _Context:
    return _Context(catalog or _shipped_catalog(), RegionGazetteer.load())


def _load(store: Store, ctx: _Context) -> DiagnosisInputs:
    with store.session() as session:
        return load_inputs(session, ctx.catalog, ctx.gazetteer)


def placements_current(session: Session) -> bool:
    """The persisted placements reflect the latest resolve and this classifier."""
    state = pstore.read_state(session)
    return (
        state is not None
        and state.classifier_version == classifier_version()
        and state.resolve_run_id == pstore.latest_resolve_run(session)
    )


def _company_totals(session: Session) -> tuple[Counter[str], int]:
    """Store-wide LQ denominators, saved by the place job with its state."""
    state = pstore.read_state(session)
    counts = state.counts if state else {}
    if "company_total" in counts:
        return Counter(counts["company_segments"]), counts["company_total"]
    return pstore.company_totals(session)


def _grouped(rows) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in rows:
        out.setdefault(row.record_id, []).append(row)
    return out


def _region_records(
    session: Session, ctx: _Context, reg: Region, chain_id: str
) -> tuple[list[EntityRecord], list[ProjectRecord], list[DeclaredItem]]:
    """The region's records on one chain, rebuilt from persisted placements as
    `load_inputs` builds them (placements on other chains left out: `diagnose` reads one
    chain), with two indexed queries and one for the declared items."""
    rollup = _Rollup(ctx.gazetteer)

    def placements(rows) -> tuple[Placement, ...]:
        return tuple(
            Placement(chain_id, r.segment_id, r.confidence, r.evidence.get("text", ""))
            for r in rows
        )

    entities = []
    ent_rows = pstore.region_chain_rows(session, reg.level, reg.code, chain_id, "entity")
    for eid, rows in _grouped(ent_rows).items():
        head, a = rows[0], rows[0].attrs
        entities.append(
            EntityRecord(
                id=eid,
                name=a["name"],
                type=head.record_type,
                regions=rollup(head.region_code),
                placements=placements(rows),
                listed=head.listed,
                stock_code=a.get("stock_code"),
                first_seen=head.day,
                people=tuple(KeyPerson(*p) for p in a.get("people", ())),
            )
        )
    projects = []
    proj_rows = pstore.region_chain_rows(session, reg.level, reg.code, chain_id, "project")
    for pid, rows in sorted(_grouped(proj_rows).items(), key=lambda kv: int(kv[0])):
        head, a = rows[0], rows[0].attrs
        projects.append(
            ProjectRecord(
                id=pid,
                title=a["title"],
                regions=rollup(head.region_code),
                placements=placements(rows),
                amount=a.get("amount"),
                stage=a.get("stage"),
                date=head.day,
                investor=a.get("investor"),
                sentence=a.get("sentence", ""),
                document_id=a.get("document_id", ""),
                region_source=a.get("region_source", ""),
            )
        )
    declared = [
        _declared_item(row, rollup)
        for row in pstore.region_declared(session, reg.level, reg.code, chain_id)
    ]
    return entities, projects, declared


def _declared_item(row: pstore.DeclaredItemRow, rollup: _Rollup) -> DeclaredItem:
    p = dict(row.payload)
    p["segment_ids"] = tuple(p.get("segment_ids") or ())
    return DeclaredItem(regions=rollup(row.region_code), **p)


def declared_payload(item: DeclaredItem) -> dict[str, Any]:
    """A declared item as stored (its rolled-up regions are recomputed on read)."""
    from dataclasses import asdict

    out = asdict(item)
    out.pop("regions")
    out["segment_ids"] = list(item.segment_ids)
    return out


def _with_store_totals(
    diag: Diagnosis, local_total: int, every: Counter[str], total: int
) -> Diagnosis:
    """`diagnose` saw only the region's records of one chain, so its store LQ used local
    denominators; recompute LQ, verdict and rule with the store-wide ones, by the same
    public rules `diagnose` applies."""
    segments = []
    for seg in diag.segments:
        key = f"{diag.chain_id}/{seg.segment_id}"
        lq = location_quotient(len(seg.enterprises), local_total, every[key], total)
        v, rule = verdict(len(seg.enterprises), len(seg.projects), len(seg.institutions), lq)
        if v == "missing" and seg.national_listed:
            rule += f"（上市公司名录中本地有 {seg.national_listed} 家，待核实）"
        segments.append(
            replace(seg, lq_store=round(lq, 3) if lq is not None else None, verdict=v, rule=rule)
        )
    return replace(
        diag,
        segments=segments,
        declared_without_evidence=[
            s.segment_id for s in segments if s.declared and s.verdict == "missing"
        ],
    )


def _fast_diagnose(
    session: Session,
    ctx: _Context,
    reg: Region,
    chain: Chain,
    since: date | None,
) -> Diagnosis:
    entities, projects, declared = _region_records(session, ctx, reg, chain.id)
    every, total = _company_totals(session)
    local_total = pstore.region_company_total(session, reg.level, reg.code)
    diag = diagnose(
        reg.code,
        chain,
        entities=entities,
        projects=projects,
        declared=declared,
        baseline=listed_baseline(ctx.catalog, ctx.gazetteer),
        since=since,
        region_name=reg.full_name,
    )
    return _with_store_totals(diag, local_total, every, total)


# --------------------------------------------------------------------------- entry points


def diagnose_region(
    store: Store,
    region: str,
    chain: str,
    *,
    since: date | None = None,
    catalog: ChainCatalog | None = None,
    inputs: DiagnosisInputs | None = None,
) -> Diagnosis:
    """`region` as a name or 6-digit code, `chain` as id, name or alias.

    Reads persisted placements when they are current (indexed, region-sized reads);
    otherwise, or when `inputs` are given, places everything on the fly."""
    ctx = _context(catalog)
    reg = resolve_region(region, ctx.gazetteer)
    ch = resolve_chain(chain, ctx.catalog)
    if inputs is None:
        with store.session() as session:
            if placements_current(session):
                return _fast_diagnose(session, ctx, reg, ch, since)
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
    """Both regions diagnosed on one chain (from one on-the-fly read when the persisted
    placements are not current)."""
    ctx = _context(catalog)
    with store.session() as session:
        current = placements_current(session)
    data = None if current else _load(store, ctx)
    return (
        diagnose_region(store, region_a, chain, since=since, catalog=ctx.catalog, inputs=data),
        diagnose_region(store, region_b, chain, since=since, catalog=ctx.catalog, inputs=data),
    )


@dataclass
class _RegionView:
    """What `overview` reads besides per-chain diagnoses."""

    declared: list[DeclaredItem]
    observed: Counter[str]


def _view_on_the_fly(data: DiagnosisInputs, code: str, since: date | None) -> _RegionView:
    mine = [d for d in data.declared if code in d.regions]
    observed: Counter[str] = Counter()
    for e in data.entities:
        if code in e.regions and e.type == "company":
            observed.update({p.chain_id for p in e.placements})
    for p in data.projects:
        if code in p.regions and (since is None or (p.date and p.date >= since)):
            observed.update({pl.chain_id for pl in p.placements})
    return _RegionView(mine, observed)


def _view_persisted(session: Session, ctx: _Context, reg: Region, since: date | None):
    rollup = _Rollup(ctx.gazetteer)
    mine = [_declared_item(r, rollup) for r in pstore.region_declared(session, reg.level, reg.code)]
    observed: Counter[str] = Counter()
    for _rid, chain_id in pstore.region_chain_counts(session, reg.level, reg.code, kind="entity"):
        observed[chain_id] += 1
    # Undated projects fall outside any window, as in `diagnose`.
    for _rid, chain_id in pstore.region_chain_counts(
        session, reg.level, reg.code, kind="project", since=since
    ):
        observed[chain_id] += 1
    return _RegionView(mine, observed)


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
    with store.session() as session:
        current = placements_current(session)
        view = _view_persisted(session, ctx, reg, since) if current else None
    data = None
    if view is None:
        data = _load(store, ctx)
        view = _view_on_the_fly(data, reg.code, since)
    mine = view.declared
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
    chains = []
    # Ties broken by chain id: the same list on both paths and in every process.
    ranked = sorted(view.observed.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    for chain_id in [*declared_chains, *(c for c, _ in ranked)]:
        if any(c["chain_id"] == chain_id for c in chains):
            continue
        diag = diagnose_region(
            store, reg.code, chain_id, since=since, catalog=ctx.catalog, inputs=data
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

"""A synthetic store at benchmark scale (10⁵ documents, 5·10⁴ entities), written straight
into the real, migrated tables with bulk inserts.

The rows look like what ingest → extract → resolve produce: documents with templated
Chinese bodies and their FTS rows (SQLite; PostgreSQL's trigram indexes need none),
mentions with sentence spans linked to entities, facts of each kind with their evidence
sentence and role rows, KB entities (companies, research bodies, parks, people, regions)
spread over real province/city/county codes, and listings for the site matcher. Company
and institution names carry chain keywords, so the classifier places them as it would
real ones. Everything is drawn from one seeded `random.Random`: same seed, same store.

Entities are written as origin ``synthetic``; running `chainatlas resolve` on such a
store rebuilds the KB from the mentions, which is possible but not what this is for.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from chainatlas.chains.templates import ChainCatalog, Segment, load_chains
from chainatlas.kb.regions import Region, RegionGazetteer
from chainatlas.store.db import Store
from chainatlas.store.imports_schema import ListingRow
from chainatlas.store.kb_schema import (
    EntityAliasRow,
    EntityRow,
    FactEntityRow,
    MentionLinkRow,
    stable_id,
)
from chainatlas.store.schema import (
    DocumentExtractionRow,
    DocumentRow,
    DocumentSourceRow,
    FactRow,
    MentionRow,
)

__all__ = [
    "SYNTHETIC_VERSION",
    "Progress",
    "SyntheticSummary",
    "build_synthetic_store",
    "build_with_progress",
]

SYNTHETIC_VERSION = "synthetic.v1"  # extractor name on every synthetic mention and fact
Progress = Callable[[str, int, int], None]  # (stage, done, total)

_BATCH_DOCS = 1_000  # documents per transaction: flat memory, few commits
_ENTITY_SHARE = {"company": 0.72, "research": 0.08, "park": 0.08, "person": 0.12}
_LISTED_SHARE = 0.04
_T0 = datetime(2019, 1, 1, tzinfo=UTC)
_DAYS = 2_880  # publication dates spread over ~8 years

_BRAND = "华中恒泰瑞宏达信诚新安康力博远海天卓越凯盛鼎创智联芯源光启明思睿科"
_SUFFIX = ("科技有限公司", "股份有限公司", "技术有限公司", "有限公司", "集团有限公司")
_SURNAME = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宁"
_POSITIONS = ("董事长", "总经理", "首席执行官", "总裁", "院长", "主任", "首席科学家")
_RESEARCH = ("研究院", "重点实验室", "工程技术研究中心", "创新中心", "产业技术研究院")
_PARKS = ("产业园", "高新区", "经济技术开发区", "科技园", "产业基地")
_STAGES = ("签约", "落户", "开工", "投产", "竣工", "达产", "在谈")
_ROUNDS = ("天使轮", "Pre-A轮", "A轮", "B轮", "C轮", "战略融资")
_SITES = ("招商网", "产业资讯", "投资促进", "园区动态", "经济日报地方版")


@dataclass(frozen=True, slots=True)
class SyntheticSummary:
    documents: int
    entities: int
    mentions: int
    facts: int
    listings: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)  # entities by type, facts by kind


@dataclass(slots=True)
class _Ent:
    id: str
    type: str
    name: str
    region: Region
    segment: Segment | None
    attrs: dict[str, Any]


def _short(region: Region) -> str:
    return region.aliases[0] if region.aliases else region.name


def _regions(gaz: RegionGazetteer, rng: random.Random) -> list[Region]:
    """County and city units in a shuffled order; callers draw with a skew so that a few
    hundred regions are dense and the long tail is sparse, as in real news."""
    units = [r for r in gaz if r.level in ("county", "city")]
    rng.shuffle(units)
    return units


def _skewed(rng: random.Random, items: list, alpha: float = 1.6):
    # Pareto-like index: small indices far more likely, every item reachable.
    i = int(len(items) * (rng.random() ** alpha))
    return items[min(i, len(items) - 1)]


def _segment_word(seg: Segment, rng: random.Random) -> str:
    words = seg.keywords + seg.products
    return rng.choice(words) if words else seg.name


def _make_entities(
    n: int, catalog: ChainCatalog, regions: list[Region], rng: random.Random
) -> list[_Ent]:
    segments = [s for c in catalog for s in c.segments]
    out: list[_Ent] = []
    counts = {k: int(n * v) for k, v in _ENTITY_SHARE.items()}
    counts["company"] += n - sum(counts.values())
    serial = 0
    for etype, count in counts.items():
        for _ in range(count):
            serial += 1
            region = _skewed(rng, regions)
            seg = rng.choice(segments)
            attrs: dict[str, Any] = {"synthetic": serial}
            brand = "".join(rng.sample(_BRAND, 2))
            if etype == "company":
                name = f"{_short(region)}{brand}{_segment_word(seg, rng)}{rng.choice(_SUFFIX)}"
                if rng.random() < _LISTED_SHARE and seg.shenwan:
                    code = 600000 + serial % 400_000
                    attrs |= {
                        "stock_code": f"{code:06d}",
                        "shenwan_code": rng.choice(seg.shenwan).code,
                    }
            elif etype == "research":
                name = f"{_short(region)}{_segment_word(seg, rng)}{rng.choice(_RESEARCH)}"
            elif etype == "park":
                chain = catalog.chains[seg.chain_id]
                name = f"{_short(region)}{brand}{chain.name}{rng.choice(_PARKS)}"
            else:
                name = rng.choice(_SURNAME) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
                seg = None
            key = f"{etype}:{name}#{serial}"
            out.append(_Ent(stable_id("e", key), etype, name, region, seg, attrs))
    return out


class _Doc:
    """One document being written: text grows sentence by sentence; spans are recorded."""

    def __init__(self, doc_id: str) -> None:
        self.id = doc_id
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[dict] = []
        self.facts: list[tuple[dict, list[tuple[str, str]]]] = []  # fact row, (role, entity)

    def sentence(self, pieces: list[tuple[str, _Ent | None, str | None]]) -> tuple[int, int]:
        """Append a sentence made of pieces (text, entity or None, mention type)."""
        start = self.length
        spans = []
        pos = start
        for chunk, ent, mtype in pieces:
            if ent is not None:
                spans.append((pos, pos + len(chunk), chunk, ent, mtype))
            pos += len(chunk)
        end = pos
        for s, e, surface, ent, mtype in spans:
            attrs = {"code": ent.region.code} if mtype == "region" else {}
            self.mentions.append(
                {
                    "document_id": self.id,
                    "start": s,
                    "end": e,
                    "text": surface,
                    "type": mtype,
                    "confidence": 0.9,
                    "extractor": SYNTHETIC_VERSION,
                    "attrs": attrs,
                    "sentence_start": start,
                    "sentence_end": end,
                    "_entity": ent.id,
                }
            )
        self.parts.append("".join(p[0] for p in pieces))
        self.length = end
        return start, end

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _arg(value: str, start: int, etype: str | None) -> dict:
    return {"_": "arg", "text": value, "start": start, "end": start + len(value), "type": etype}


class _Writer:
    """Turns entity picks into document text, mentions and facts."""

    def __init__(self, catalog: ChainCatalog, ents: list[_Ent], rng: random.Random) -> None:
        self.catalog = catalog
        self.rng = rng
        self.by_type: dict[str, list[_Ent]] = {}
        self.local: dict[tuple[str, str], list[_Ent]] = {}  # (type, province) -> entities
        for e in ents:
            self.by_type.setdefault(e.type, []).append(e)
            self.local.setdefault((e.type, e.region.province), []).append(e)
        self.region_ents: dict[str, _Ent] = {}

    def region_entity(self, region: Region) -> _Ent:
        ent = self.region_ents.get(region.code)
        if ent is None:
            key = f"region:{region.code}"
            ent = _Ent(stable_id("e", key), "region", region.full_name, region, None, {})
            self.region_ents[region.code] = ent
        return ent

    def pick(self, etype: str, province: str) -> _Ent:
        pool = self.local.get((etype, province))
        if pool and self.rng.random() < 0.8:
            return self.rng.choice(pool)
        return _skewed(self.rng, self.by_type[etype])

    def document(self, doc_id: str, day: datetime) -> tuple[_Doc, str]:
        rng = self.rng
        lead = _skewed(rng, self.by_type["company"])
        seg = lead.segment
        assert seg is not None
        chain = self.catalog.chains[seg.chain_id]
        region = lead.region
        prov = region.province
        reg_ent = self.region_entity(region)
        park = self.pick("park", prov)
        other = self.pick("company", prov)
        lab = self.pick("research", prov)
        person = self.pick("person", prov)
        word = _segment_word(seg, rng)
        other_word = _segment_word(other.segment, rng) if other.segment else word
        amount = rng.choice((1, 2, 3, 5, 8, 10, 12, 15, 20, 30, 50, 80, 100))
        stage = rng.choice(_STAGES)
        doc = _Doc(doc_id)
        when = f"{day.year}年{day.month}月"
        doc.sentence(
            [
                (when + "，", None, None),
                (region.name, reg_ent, "region"),
                (f"{chain.name}产业链迎来新一批重点项目，{seg.name}环节持续补强。", None, None),
            ]
        )
        s, e = doc.sentence(
            [
                (lead.name, lead, "company"),
                ("宣布在", None, None),
                (park.name, park, "park"),
                (f"投资建设{word}项目，总投资{amount}亿元，项目已正式{stage}。", None, None),
            ]
        )
        body = doc.text[s:e]
        project = f"{word}项目"
        doc.facts.append(
            (
                {
                    "kind": "investment_project",
                    "args": {
                        "investor": _arg(lead.name, 0, "company"),
                        "project": _arg(project, body.index(project), None),
                        "amount": {"_": "money", "text": f"{amount}亿元", "value": amount * 1e8},
                        "stage": stage,
                        "place": _arg(park.name, body.index(park.name), "park"),
                    },
                    "sentence_start": s,
                    "sentence_end": e,
                    "sentence": body,
                },
                [("investor", lead.id), ("place", park.id)],
            )
        )
        doc.sentence(
            [
                (other.name, other, "company"),
                (
                    f"主要从事{other_word}的研发与生产，是当地{chain.name}产业的骨干企业。",
                    None,
                    None,
                ),
            ]
        )
        position = rng.choice(_POSITIONS[:4])
        s, e = doc.sentence(
            [
                (person.name, person, "person"),
                ("现任", None, None),
                (lead.name, lead, "company"),
                (position + "，负责公司整体战略。", None, None),
            ]
        )
        body = doc.text[s:e]
        doc.facts.append(
            (
                {
                    "kind": "holds_position",
                    "args": {
                        "person": _arg(person.name, 0, "person"),
                        "position": position,
                        "org": _arg(lead.name, body.index(lead.name), "company"),
                    },
                    "sentence_start": s,
                    "sentence_end": e,
                    "sentence": body,
                },
                [("person", person.id), ("org", lead.id)],
            )
        )
        lab_word = _segment_word(lab.segment, rng) if lab.segment else word
        doc.sentence(
            [
                (lab.name, lab, "research"),
                (f"在{lab_word}方向取得阶段性成果，并与", None, None),
                (other.name, other, "company"),
                ("共建联合实验室，推动成果就地转化。", None, None),
            ]
        )
        roll = rng.random()
        if roll < 0.15:
            value = rng.choice((100, 200, 300, 500, 800, 1000, 2000))
            year = day.year + rng.choice((2, 3, 5))
            s, e = doc.sentence(
                [
                    (
                        f"按照规划，到{year}年，全市{chain.name}产业营业收入力争达到{value}亿元。",
                        None,
                        None,
                    ),
                ]
            )
            body = doc.text[s:e]
            subject = f"全市{chain.name}产业"
            doc.facts.append(
                (
                    {
                        "kind": "indicator",
                        "args": {
                            "subject": _arg(subject, body.index(subject), None),
                            "metric": "营业收入",
                            "value": value * 1e8,
                            "unit": "元",
                            "year": year,
                            "target": True,
                            "value_text": f"{value}亿元",
                        },
                        "sentence_start": s,
                        "sentence_end": e,
                        "sentence": body,
                    },
                    [],
                )
            )
        elif roll < 0.30:
            money = rng.choice((1, 2, 3, 5, 10))
            rnd = rng.choice(_ROUNDS)
            s, e = doc.sentence(
                [
                    (other.name, other, "company"),
                    (f"近日完成{money}亿元{rnd}融资，资金将用于扩产和研发。", None, None),
                ]
            )
            doc.facts.append(
                (
                    {
                        "kind": "financing",
                        "args": {
                            "company": _arg(other.name, 0, "company"),
                            "round": rnd,
                            "amount": {"_": "money", "text": f"{money}亿元", "value": money * 1e8},
                        },
                        "sentence_start": s,
                        "sentence_end": e,
                        "sentence": doc.text[s:e],
                    },
                    [("company", other.id)],
                )
            )
        elif roll < 0.40:
            s, e = doc.sentence(
                [
                    (other.name, other, "company"),
                    ("总部位于", None, None),
                    (region.name, reg_ent, "region"),
                    ("，近年来持续扩大本地产能。", None, None),
                ]
            )
            body = doc.text[s:e]
            doc.facts.append(
                (
                    {
                        "kind": "located_in",
                        "args": {
                            "subject": _arg(other.name, 0, "company"),
                            "place": _arg(region.name, body.index(region.name), "region"),
                        },
                        "sentence_start": s,
                        "sentence_end": e,
                        "sentence": body,
                    },
                    [("subject", other.id), ("place", reg_ent.id)],
                )
            )
        elif roll < 0.45:
            alt = rng.choice([c for c in self.catalog if c.id != chain.id])
            doc.sentence(
                [
                    (region.name, reg_ent, "region"),
                    (f"将重点发展{chain.name}、{alt.name}等产业，打造特色产业集群。", None, None),
                ]
            )
        doc.sentence(
            [("有关负责人表示，下一步将继续优化营商环境，做好项目全周期服务。", None, None)]
        )
        title = f"{region.name}{chain.name}：{lead.name}{word}项目{stage}"
        return doc, title


def _reset_sequences(session, tables: list[str]) -> None:
    """Explicit ids bypass PostgreSQL sequences; move each past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        col = "pk" if table == "documents" else "id"
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                f"COALESCE((SELECT MAX({col}) FROM {table}), 0) + 1, false)"
            )
        )


def _next_id(session, column) -> int:
    return (session.scalar(select(func.max(column))) or 0) + 1


def _entity_row(e: _Ent, now: datetime, origin: str = "synthetic") -> dict:
    return {
        "id": e.id,
        "key": f"synthetic:{e.type}:{e.id}",
        "type": e.type,
        "name": e.name,
        "attrs": e.attrs,
        "region_code": e.region.code,
        "origin": origin,
        "mention_count": 0,
        "document_count": 0,
        "merged_keys": [],
        "created_at": now,
        "updated_at": now,
    }


def _listings(ents: list[_Ent], n: int, rng: random.Random, now: datetime) -> list[dict]:
    parks = [e for e in ents if e.type == "park"]
    rows = []
    for i in range(n):
        park = rng.choice(parks)
        kind = rng.choice(("land", "factory", "factory", "office"))
        area = float(rng.choice((20, 50, 80, 120)) if kind == "land" else rng.randint(5, 200) * 100)
        unit = "亩" if kind == "land" else "㎡"
        sqm = area * 666.67 if kind == "land" else area
        label = {"land": "工业用地", "factory": "标准厂房", "office": "研发办公楼"}[kind]
        rows.append(
            {
                "key": f"id:syn-{i}",
                "listing_type": kind,
                "title": f"{park.name}{label}{int(area)}{unit}",
                "area": area,
                "area_unit": unit,
                "area_sqm": sqm,
                "price": float(rng.randint(15, 60)),
                "price_unit": "万元/亩" if kind == "land" else "元/㎡·月",
                "park": park.name,
                "region_code": park.region.code,
                "address": f"{park.region.full_name}{park.name}内",
                "available_from": None,
                "contact_name": None,
                "contact_phone": None,
                "attrs": {"notes": f"适合{park.segment.name if park.segment else ''}企业入驻"},
                "source": SYNTHETIC_VERSION,
                "source_row": i + 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def build_synthetic_store(
    store: Store,
    *,
    documents: int = 100_000,
    entities: int = 50_000,
    seed: int = 0,
    progress: Progress | None = None,
) -> SyntheticSummary:
    """Fill `store` (migrated, normally empty) with a deterministic synthetic corpus."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    catalog = load_chains()
    gaz = RegionGazetteer.load()
    regions = _regions(gaz, rng)
    ents = _make_entities(max(entities, 20), catalog, regions, rng)
    writer = _Writer(catalog, ents, rng)
    now = datetime.now(UTC)
    sqlite = store.dialect == "sqlite"
    tick = progress or (lambda stage, done, total: None)

    with store.session() as session:
        for i in range(0, len(ents), 5_000):
            chunk = ents[i : i + 5_000]
            session.execute(insert(EntityRow), [_entity_row(e, now) for e in chunk])
            session.execute(
                insert(EntityAliasRow),
                [
                    {"entity_id": e.id, "alias": e.name, "norm": e.name, "mentions": 0}
                    for e in chunk
                ],
            )
        mention_id = _next_id(session, MentionRow.id)
        fact_id = _next_id(session, FactRow.id)
        doc_pk = _next_id(session, DocumentRow.pk)
    tick("entities", len(ents), len(ents))

    n_mentions = n_facts = 0
    fact_kinds: dict[str, int] = {}
    for batch_start in range(0, documents, _BATCH_DOCS):
        docs, sources, extractions, fts = [], [], [], []
        mentions, links, facts, roles = [], [], [], []
        new_regions: list[_Ent] = []
        for n in range(batch_start, min(documents, batch_start + _BATCH_DOCS)):
            day = _T0 + timedelta(days=rng.randrange(_DAYS), hours=rng.randrange(24))
            known = len(writer.region_ents)
            doc, title = writer.document("", day)
            new_regions.extend(list(writer.region_ents.values())[known:])
            body = f"{doc.text}（编号{seed}-{n}）"
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
            doc_id = digest[:16]
            docs.append(
                {
                    "pk": doc_pk,
                    "id": doc_id,
                    "content_hash": digest,
                    "url": f"https://synthetic.example/{seed}/{n}.html",
                    "site": rng.choice(_SITES),
                    "title": title,
                    "published_at": day,
                    "published_raw": day.strftime("%Y-%m-%d"),
                    "fetched_at": day,
                    "ingested_at": now,
                    "category": "产业动态",
                    "breadcrumb": [],
                    "tags": [],
                    "author": None,
                    "text": body,
                    "norm_title": title,
                    "norm_text": body,
                    "script": "hans",
                    "encoding": "utf-8",
                    "links": [],
                    "boilerplate": [],
                    "warnings": [],
                    "dup_of": None,
                    "dup_similarity": None,
                    "parser_version": SYNTHETIC_VERSION,
                }
            )
            sources.append(
                {
                    "document_id": doc_id,
                    "source": f"synthetic:{seed}:{n}",
                    "kind": "file",
                    "url": None,
                    "raw_sha256": digest,
                    "fetched_at": day,
                }
            )
            extractions.append(
                {
                    "document_id": doc_id,
                    "extractor_version": SYNTHETIC_VERSION,
                    "status": "ok",
                    "error": None,
                    "mentions": len(doc.mentions),
                    "facts": len(doc.facts),
                    "seconds": 0.0,
                    "extracted_at": now,
                }
            )
            if sqlite:
                fts.append({"pk": doc_pk, "title": title, "body": body})
            doc_pk += 1
            for m in doc.mentions:
                entity = m.pop("_entity")
                m["document_id"] = doc_id
                m["id"] = mention_id
                mentions.append(m)
                links.append(
                    {
                        "mention_id": mention_id,
                        "entity_id": entity,
                        "score": 1.0,
                        "reason": "synthetic",
                    }
                )
                mention_id += 1
            for row, fact_roles in doc.facts:
                row |= {
                    "id": fact_id,
                    "document_id": doc_id,
                    "confidence": 0.8,
                    "extractor": SYNTHETIC_VERSION,
                    "as_of": day,
                }
                facts.append(row)
                fact_kinds[row["kind"]] = fact_kinds.get(row["kind"], 0) + 1
                roles.extend({"fact_id": fact_id, "role": r, "entity_id": e} for r, e in fact_roles)
                fact_id += 1
        with store.session() as session:
            if new_regions:
                session.execute(
                    insert(EntityRow), [_entity_row(e, now, "gazetteer") for e in new_regions]
                )
            session.execute(insert(DocumentRow), docs)
            session.execute(insert(DocumentSourceRow), sources)
            session.execute(insert(DocumentExtractionRow), extractions)
            if fts:
                session.execute(
                    text(
                        "INSERT INTO documents_fts(rowid, norm_title, norm_text) "
                        "VALUES (:pk, :title, :body)"
                    ),
                    fts,
                )
            session.execute(insert(MentionRow), mentions)
            session.execute(insert(MentionLinkRow), links)
            session.execute(insert(FactRow), facts)
            if roles:
                session.execute(insert(FactEntityRow), roles)
        n_mentions += len(mentions)
        n_facts += len(facts)
        tick("documents", batch_start + len(docs), documents)

    n_listings = max(10, len(ents) // 25)
    with store.session() as session:
        session.execute(insert(ListingRow), _listings(ents, n_listings, rng, now))
        # Counts the resolver would have written, in two set-based statements.
        session.execute(
            text(
                "UPDATE entities SET mention_count = (SELECT COUNT(*) FROM mention_links l "
                "WHERE l.entity_id = entities.id)"
            )
        )
        session.execute(
            text(
                "UPDATE entities SET document_count = (SELECT COUNT(DISTINCT m.document_id) "
                "FROM mention_links l JOIN mentions m ON m.id = l.mention_id "
                "WHERE l.entity_id = entities.id)"
            )
        )
        _reset_sequences(
            session,
            ["documents", "document_sources", "mentions", "facts", "fact_entities",
             "entity_aliases", "listings"],
        )  # fmt: skip
    tick("finish", 1, 1)
    by_type: dict[str, int] = {}
    for e in [*ents, *writer.region_ents.values()]:
        by_type[e.type] = by_type.get(e.type, 0) + 1
    return SyntheticSummary(
        documents=documents,
        entities=len(ents) + len(writer.region_ents),
        mentions=n_mentions,
        facts=n_facts,
        listings=n_listings,
        seconds=time.perf_counter() - t0,
        counts={f"entity:{k}": v for k, v in by_type.items()}
        | {f"fact:{k}": v for k, v in fact_kinds.items()},
    )


def build_with_progress(
    store: Store, *, documents: int, entities: int, seed: int, console: Any
) -> SyntheticSummary:
    """`build_synthetic_store` behind a Rich progress bar (the CLI's way to call it)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("合成文档", total=documents)

        def tick(stage: str, done: int, total: int) -> None:
            if stage == "documents":
                bar.update(task, completed=done)

        summary = build_synthetic_store(
            store, documents=documents, entities=entities, seed=seed, progress=tick
        )
    console.print(
        f"合成库：{summary.documents:,} 篇文档，{summary.entities:,} 个实体，"
        f"{summary.mentions:,} 个提及，{summary.facts:,} 条事实，{summary.listings:,} 个载体；"
        f"用时 {summary.seconds:.1f} 秒"
    )
    return summary

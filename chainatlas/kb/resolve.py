"""Entity resolution (pure): mentions + facts + gazetteers + curations → canonical entities,
links with score and reason, merge candidates for review, and events.

Shape of the work, chosen so a million mentions fit in minutes and a few GB:

1. Mentions are grouped by (type, cleaned surface): names are analysed once per distinct
   surface, not once per mention.
2. Organisations are *blocked* on their core name (迈瑞, 澜图), so comparisons happen only
   inside a block, never pairwise over the corpus.
3. Decisions become key unions in a union-find (`_UnionFind`); the entity is the root.
4. People are resolved after organisations, keyed by the organisation they hold a position
   in (from `holds_position` facts), so two 张伟 in different companies stay two.
5. Facts become events keyed by (kind, subject entity, object); values from different
   sources are kept side by side with their as-of dates.
6. Curations are re-applied last (`chainatlas.kb.curation`).

Scores and thresholds
---------------------
Every link carries a score in [0, 1] and a reason. Links at or above `MERGE_THRESHOLD` are
applied; weaker evidence between `CANDIDATE_THRESHOLD` and it becomes a `Candidate` for an
analyst and is not merged. The values below were set by hand against the demo corpus
(`chainatlas/data/demo/manifest.json`: the three alias sets must collapse, the 张伟 and 澜图科技
hard negatives must stay apart) and the cases in `tests/kb/test_resolve.py`. After changing
any of them re-run `python -m pytest tests/kb -q` and `chainatlas demo && chainatlas
resolve` on a fresh store, then check `chainatlas entity show 迈瑞医疗` and the open
candidates in `docs/kb-notes.md`'s checklist.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from chainatlas.kb.events import Event, EventFact, build_events, fact_fingerprint
from chainatlas.kb.listed import ListedCompanies, ListedCompany
from chainatlas.kb.names import (
    ORG_KINDS,
    CompanyName,
    canonical_park,
    clean,
    colocated_admin,
    is_generic_name,
    is_generic_org,
    parse_company,
    parse_gov,
    parse_org,
    person_key,
    region_prefix,
    regions_compatible,
)
from chainatlas.kb.regions import RegionGazetteer

__all__ = [
    "CANDIDATE_THRESHOLD",
    "MERGE_THRESHOLD",
    "Candidate",
    "Entity",
    "Event",
    "EventFact",
    "FactIn",
    "Gazetteers",
    "Link",
    "MentionIn",
    "ResolutionResult",
    "fact_fingerprint",
    "resolve",
]

MERGE_THRESHOLD = 0.8  # below this a link is not applied
CANDIDATE_THRESHOLD = 0.5  # below this weak evidence is dropped, not even proposed

# Scores per rule. Strong, explainable evidence ≥ 0.9; context alone sits at the threshold.
S_CODE = 1.0  # stock code in the text or in the mention's attributes
S_EXACT = 1.0  # the same cleaned surface
S_GAZETTEER = 0.95  # exact listed full or short name
S_SAME_DOC_PERSON = 0.95  # the same name twice in one article
S_ALIAS = 0.9  # legal-form / region-prefix / industry-word variant, region compatible
S_SAME_DOC = 0.9  # short form whose long form appears in the same article
S_SAME_ORG = 0.9  # person: same name, same organisation
S_SHORT = 0.85  # bare short form, one compatible long form in its block
S_REGION_CONTEXT = 0.8  # short form, exactly one candidate in a region the article names
S_GENERIC_LISTED = 0.6  # listed short name that is also a common word (机器人, 光明): candidate
S_GOV_CONTEXT = 0.8  # 市发改委 in an article about exactly one city
S_AMBIGUOUS = 0.5  # short form with several compatible long forms: candidate only
S_PERSON_NO_ORG = 0.55  # same name, one side without an organisation: candidate only
S_BRACKET = 0.95  # 强流重离子加速器装置（HIAF）, 广州市黄埔区（广州开发区）: the text equates them
S_PREFIX_DOC = 0.9  # 张江 / 张江科学城 in one article, no other long form fits
S_PREFIX_CORPUS = 0.85  # 楚峰新能源 / 湖北楚峰新能源商用车有限公司: the only long form anywhere

# A block larger than this (a generic core such as 中国) is resolved by exact base only:
# comparisons inside a block are quadratic in its number of distinct long forms.
MAX_BLOCK = 300

ORG_TYPES = ("company", "research", "park", "facility", "association")
EVENT_KINDS = ("investment_project", "financing", "launch", "milestone")


# --- input and output records -------------------------------------------------------------


@dataclass(slots=True)
class MentionIn:
    id: int
    document_id: str
    start: int
    end: int
    text: str
    type: str
    attrs: dict = field(default_factory=dict)
    confidence: float = 1.0


@dataclass(slots=True)
class FactIn:
    id: int
    document_id: str
    kind: str
    args: dict  # JSON form, see chainatlas.extract.serialize
    as_of: datetime | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 1.0


@dataclass(slots=True)
class Gazetteers:
    listed: ListedCompanies | None = None
    regions: RegionGazetteer | None = None
    imported: tuple = ()  # chainatlas.kb.imported.ImportedEntity, from CSV/Excel imports

    @classmethod
    def default(cls) -> Gazetteers:
        from chainatlas.kb.listed import load_listed

        return cls(load_listed(), RegionGazetteer.load())


@dataclass(slots=True)
class Link:
    entity: str  # entity key
    score: float
    reason: str


@dataclass(slots=True)
class Entity:
    key: str
    type: str
    name: str
    attrs: dict = field(default_factory=dict)
    origin: str = "extracted"  # extracted | gazetteer | curated
    region_code: str | None = None
    aliases: Counter = field(default_factory=Counter)  # surface → mentions
    mentions: list[int] = field(default_factory=list)
    merged_keys: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    a: str
    b: str
    score: float
    reason: str
    status: str = "open"  # open | merged | rejected


@dataclass(slots=True)
class ResolutionResult:
    entities: dict[str, Entity] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)  # mention id → link
    candidates: list[Candidate] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)
    fact_args: list[tuple[int, str, str]] = field(default_factory=list)  # fact, role, entity
    redirects: dict[str, str] = field(default_factory=dict)  # absorbed key → surviving key
    curation_reports: list[dict] = field(default_factory=list)
    mentions: Sequence[MentionIn] = ()  # the input, for curation lookups

    def find(self, key: str) -> Entity | None:
        """The entity for `key`, following merges."""
        seen = set()
        while key in self.redirects and key not in seen:
            seen.add(key)
            key = self.redirects[key]
        return self.entities.get(key)


# --- union-find ---------------------------------------------------------------------------


def _rank(key: str) -> tuple[int, str]:
    """Which key survives a union: coded > regional > bare > document-local."""
    if ":code:" in key:
        return (0, key)
    if key.startswith("curated:"):
        return (1, key)
    if ":doc:" in key or ":?:" in key:
        return (4, key)
    if ":-:" in key:
        return (3, key)
    return (2, key)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self.parent
        root = key
        while parent.get(root, root) != root:
            root = parent[root]
        while key != root:  # path compression
            key, parent[key] = parent[key], root
        return root

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        keep, drop = (ra, rb) if _rank(ra) <= _rank(rb) else (rb, ra)
        self.parent[drop] = keep
        self.parent.setdefault(keep, keep)
        return keep


# --- the resolver -------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    key: str
    region: str | None
    industry: set[str]
    coded: bool = False


class _Resolver:
    def __init__(
        self,
        mentions: Sequence[MentionIn],
        facts: Sequence[FactIn],
        gaz: Gazetteers,
        after: Mapping[tuple[str, int], str] | None = None,
    ):
        self.mentions = mentions
        # (document id, mention end) → the few characters after the mention: all the
        # bracket rule reads, so callers need not hold whole documents in memory.
        self.after = after or {}
        self.evidence: dict[str, set[str]] = defaultdict(set)  # doc → region codes named
        self.facts = facts
        self.gaz = gaz
        self.uf = _UnionFind()
        self.assign: dict[int, Link] = {}  # mention id → provisional key
        self.candidates: dict[tuple[str, str], Candidate] = {}
        self.gaz_entities: dict[str, ListedCompany] = {}  # code key → listed row
        self.doc_regions: dict[str, set[str]] = defaultdict(set)
        self.doc_keys: dict[str, set[str]] = defaultdict(set)  # keys anchored in a document
        self.listed_by_core: dict[str, list[ListedCompany]] | None = None

    # -- helpers --

    def link(self, mention: MentionIn, key: str, score: float, reason: str) -> None:
        self.assign[mention.id] = Link(key, score, reason)
        self.uf.parent.setdefault(key, key)

    def propose(self, a: str, b: str, score: float, reason: str) -> None:
        if score < CANDIDATE_THRESHOLD or a == b:
            return
        pair = (a, b) if a < b else (b, a)
        old = self.candidates.get(pair)
        if old is None or old.score < score:
            self.candidates[pair] = Candidate(pair[0], pair[1], score, reason)

    def _listed_index(self) -> dict[str, list[ListedCompany]]:
        if self.listed_by_core is None:
            index: dict[str, list[ListedCompany]] = defaultdict(list)
            if self.gaz.listed is not None:
                for row in self.gaz.listed.rows:
                    for core in {parse_company(row.full_name).core, parse_company(row.name).core}:
                        if len(core) >= 2:
                            index[core].append(row)
            self.listed_by_core = index
        return self.listed_by_core

    def _code_key(self, code: str) -> str:
        key = f"company:code:{code}"
        listed = self.gaz.listed.by_code.get(code) if self.gaz.listed else None
        if listed is not None:
            self.gaz_entities[key] = listed
        return key

    # -- stage 1: group by surface --

    def run(self) -> None:
        by_form: dict[tuple[str, str], list[MentionIn]] = defaultdict(list)
        for m in self.mentions:
            norm = clean(m.text)
            if not norm:
                continue
            by_form[(m.type, norm)].append(m)
            if m.type == "region" and m.attrs.get("code"):
                self.doc_regions[m.document_id].add(str(m.attrs["code"]))
        per_type: dict[str, dict[str, list[MentionIn]]] = defaultdict(dict)
        for (etype, norm), ms in by_form.items():
            per_type[etype][norm] = ms
        self._collect_evidence(per_type)
        for etype, forms in per_type.items():
            if etype == "region":
                self._regions(forms)
            elif etype == "company":
                self._orgs(etype, forms, parse_company)
            elif etype in ORG_TYPES:
                self._orgs(etype, forms, parse_org)
            elif etype == "government":
                self._governments(forms)
            elif etype != "person":
                for norm, ms in forms.items():
                    for m in ms:
                        self.link(m, f"{etype}:{norm}", S_EXACT, "exact")
        self._bracket_aliases(by_form)
        for etype in ORG_TYPES:
            if etype in per_type:
                self._prefix_aliases(etype, per_type[etype])
        self._people(per_type.get("person", {}))

    # -- regions --

    def _collect_evidence(self, per_type: dict[str, dict[str, list[MentionIn]]]) -> None:
        """Region codes each article names without ambiguity: region mentions with one
        reading, regions written into organisation or government names, and the home
        region of a listed company whose code is written (迈瑞医疗(300760) → 深圳)."""
        gaz = self.gaz.regions
        for norm, ms in per_type.get("region", {}).items():
            hits = gaz.lookup(norm) if gaz is not None else []
            for m in ms:
                code, cands = m.attrs.get("code"), m.attrs.get("candidates") or ()
                if code and len(cands) <= 1:
                    self.evidence[m.document_id].add(str(code))
                elif not code and len(hits) == 1:
                    self.evidence[m.document_id].add(hits[0].code)
        listed = self.gaz.listed
        for etype, forms in per_type.items():
            if etype not in (*ORG_TYPES, "government"):
                continue
            for norm, ms in forms.items():
                if etype == "government":
                    code = parse_gov(norm).region_code
                elif etype == "company":
                    p = parse_company(norm)
                    code = p.region_code
                    row = listed.by_code.get(p.stock_code) if listed and p.stock_code else None
                    if row is not None:
                        code = code or parse_company(row.full_name).region_code
                else:
                    code = parse_org(norm).region_code
                if code:
                    for m in ms:
                        self.evidence[m.document_id].add(code)

    def _place_code(self, norm: str, m: MentionIn) -> str | None:
        """Admin code for a place name; an ambiguous short form (南山: 深圳 or 鹤岗) takes
        the reading that fits the regions its article names, and a city followed by a
        county short form (深圳南山) is read inside that city."""
        gaz = self.gaz.regions
        code = m.attrs.get("code")
        cands = [str(c) for c in m.attrs.get("candidates") or ()]
        if not cands and gaz is not None:
            cands = [r.code for r in gaz.lookup(norm)]
            if not cands:
                prefix, rest = region_prefix(norm, min_rest=0)
                if prefix is not None and not rest:
                    cands = [prefix.code]
                elif prefix is not None and len(rest) >= 2:
                    cands = [
                        r.code for r in gaz.lookup(rest)
                        if r.code != prefix.code and regions_compatible(r.code, prefix.code)
                    ]  # fmt: skip
        if len(cands) > 1:
            seen = self.evidence.get(m.document_id, set())
            near = [c for c in cands if any(regions_compatible(c, e) for e in seen)]
            if len(near) == 1:
                return near[0]
        return str(code) if code else (cands[0] if cands else None)

    def _regions(self, forms: dict[str, list[MentionIn]]) -> None:
        for norm, ms in forms.items():
            for m in ms:
                code = self._place_code(norm, m)
                if code:
                    self.link(m, f"region:code:{code}", S_CODE, "code")
                else:
                    self.link(m, f"region:{norm}", S_EXACT, "exact")

    # -- organisations --

    def _orgs(self, etype: str, forms: dict[str, list[MentionIn]], parse) -> None:
        blocks: dict[str, list[tuple[CompanyName, list[MentionIn]]]] = defaultdict(list)
        listed = self.gaz.listed if etype == "company" else None
        # A park nickname (光谷) is read as the full name it stands for.
        parsed = {norm: parse(canonical_park(norm) if etype == "park" else norm) for norm in forms}
        cores = {p.core for p in parsed.values()}
        written = _written_codes(parsed) if listed is not None else {}
        for norm, ms in forms.items():
            p = parsed[norm]
            if listed is not None and p.stock_code is None:
                extra = _code_in_name(norm, listed) or _only(written.get(norm, ()))
                if extra and not (is_generic_name(norm) and extra not in norm):
                    # 688271 alone, 迈瑞医疗(300760 cut short, or 卫星化学 when
                    # 卫星化学(002648) is written elsewhere: the code names the company.
                    p = dataclasses.replace(p, stock_code=extra)
            if p.alt is not None and p.alt[1] in cores and p.alt[1] != p.core:
                # 合肥澜图 joins the 澜图 block as a regional form.
                p = CompanyName(p.text, p.alt[0], p.alt[1], p.industry, p.legal_form, p.stock_code)
            weak = listed is not None and is_generic_name(norm) and p.legal_form is None
            coded, rest = [], []
            for m in ms:
                code = p.stock_code or m.attrs.get("stock_code")
                if code and weak and not p.stock_code and m.attrs.get("listed_name"):
                    # The extractor matched a listed short name, not a written code.
                    self.link(m, f"company:{norm}", S_EXACT, "exact")
                    self.propose(f"company:{norm}", self._code_key(str(code)),
                                 S_GENERIC_LISTED, "gazetteer: generic listed name")  # fmt: skip
                    continue
                (coded if code else rest).append(m)
                if code:
                    key = self._code_key(str(code))
                    self.link(m, key, S_CODE, "code")
                    self.doc_keys[m.document_id].add(key)
            if coded and rest and not weak:
                # The surface itself is tied to the code elsewhere: adopt it for all.
                codes = {m.attrs.get("stock_code") or p.stock_code for m in coded}
                if len(codes) == 1:
                    key = self._code_key(str(codes.pop()))
                    for m in rest:
                        self.link(m, key, S_CODE, "code (same surface)")
                        self.doc_keys[m.document_id].add(key)
                    rest = []
            if not rest:
                continue
            hit = listed.lookup(norm) if listed is not None and not norm.isdigit() else None
            if hit is not None and weak:
                for m in rest:
                    self.link(m, f"company:{norm}", S_EXACT, "exact")
                self.propose(f"company:{norm}", self._code_key(hit.code),
                             S_GENERIC_LISTED, "gazetteer: generic listed name")  # fmt: skip
                continue
            if hit is not None:
                key = self._code_key(hit.code)
                for m in rest:
                    self.link(m, key, S_GAZETTEER, "gazetteer: listed name")
                    self.doc_keys[m.document_id].add(key)
                continue
            blocks[p.core].append((p, rest))
        listed_index = self._listed_index() if listed is not None else {}
        for core, members in blocks.items():
            self._block(etype, core, members, listed_index.get(core, ()))

    def _block(self, etype, core, members, listed_rows) -> None:
        clusters: list[_Cluster] = []
        for row in listed_rows:
            full = parse_company(row.full_name)
            short = parse_company(row.name)
            clusters.append(
                _Cluster(
                    self._code_key(row.code),
                    full.region_code,
                    set(full.industry) | set(short.industry),
                    coded=True,
                )
            )
        anchored = [(p, ms) for p, ms in members if p.region is not None]
        loose = [(p, ms) for p, ms in members if p.region is None]
        if etype != "company" and is_generic_org(core):
            self._generic_org_block(etype, members)
            return
        if len(anchored) > MAX_BLOCK or is_generic_name(core, min_len=0):
            for p, ms in members:
                for m in ms:
                    self.link(m, f"{etype}:{p.region_code or '-'}:{p.base}", S_EXACT, "exact")
            return
        # Most specific first, so a county-level form founds the cluster a city form joins.
        anchored.sort(key=lambda pm: (-len(pm[0].region_code or ""), -len(pm[0].text)))
        for p, ms in anchored:
            compatible = [
                c for c in clusters if _region_ok(p.region_code, c) and _industry_ok(p, c)
            ]
            if len(compatible) == 1:
                cluster, score, reason = compatible[0], S_ALIAS, "alias: name variant"
                cluster.industry.update(p.industry)
            else:
                key = f"{etype}:{p.region_code}:{p.base}"
                found = next((c for c in clusters if c.key == key), None)
                cluster = found or _Cluster(key, p.region_code, set(p.industry))
                if found is None:
                    clusters.append(cluster)
                score, reason = S_EXACT, "exact"
                for other in compatible:
                    if other is not cluster:
                        self.propose(cluster.key, other.key, S_AMBIGUOUS + 0.1, "similar name")
            for m in ms:
                self.link(m, cluster.key, score, reason)
                self.doc_keys[m.document_id].add(cluster.key)
        # Region-less forms: longer first, so 迈瑞医疗 founds the free cluster 迈瑞 joins.
        loose.sort(key=lambda pm: -len(pm[0].text))
        free: list[_Cluster] = []
        for p, ms in loose:
            compatible = [c for c in clusters if _industry_ok(p, c)]
            if len(compatible) == 1 and not (
                compatible[0].coded and len(p.base) <= 2 and compatible[0].key not in self.uf.parent
            ):
                score = S_ALIAS if p.legal_form or p.industry else S_SHORT
                for m in ms:
                    self.link(m, compatible[0].key, score, "alias: short form")
                continue
            if len(compatible) == 1:
                # 三星 vs the listed 三星医疗, which no article names in full: too thin.
                own = f"{etype}:-:{p.base}"
                for m in ms:
                    self.link(m, own, S_EXACT, "exact")
                self.propose(own, compatible[0].key, S_GENERIC_LISTED, "gazetteer: short core")
                continue
            if not compatible:
                target = next((c for c in free if _industry_ok(p, c)), None)
                if target is None:
                    target = _Cluster(f"{etype}:-:{p.base}", None, set(p.industry))
                    free.append(target)
                    score, reason = S_EXACT, "exact"
                else:
                    target.industry.update(p.industry)
                    score, reason = S_SHORT, "alias: short form"
                for m in ms:
                    self.link(m, target.key, score, reason)
                continue
            self._ambiguous(etype, p, ms, compatible)

    def _generic_org_block(self, etype: str, members) -> None:
        """广州实验室 / 广东省实验室: the region is the name, so keys need the exact region;
        a bare 实验室 is only tied to a regional one named in the same article."""
        for p, ms in members:
            if p.region is not None:
                key = f"{etype}:{p.region_code}:{p.base}"
                for m in ms:
                    self.link(m, key, S_EXACT, "exact")
                    self.doc_keys[m.document_id].add(key)
        for p, ms in members:
            if p.region is not None:
                continue
            suffix = f":{p.base}"
            for m in ms:
                in_doc = [
                    k for k in self.doc_keys.get(m.document_id, ())
                    if k.startswith(etype + ":") and k.endswith(suffix)
                ]  # fmt: skip
                if len(in_doc) == 1:
                    self.link(m, in_doc[0], S_SAME_DOC, "context: long form in same article")
                else:
                    self.link(m, f"{etype}:doc:{m.document_id}:{p.base}", S_EXACT, "local")

    def _ambiguous(self, etype, p: CompanyName, ms, compatible: list[_Cluster]) -> None:
        """A short form several long forms fit (澜图科技 ↔ 苏州澜图 / 合肥澜图): decide per
        article from context, else leave it unresolved with candidates."""
        keys = {c.key for c in compatible}
        for m in ms:
            in_doc = keys & self.doc_keys.get(m.document_id, set())
            if len(in_doc) == 1:
                self.link(m, in_doc.pop(), S_SAME_DOC, "context: long form in same article")
                continue
            regions = self.doc_regions.get(m.document_id, set())
            near = [
                c
                for c in compatible
                if c.region and any(r != "" and _same_place(r, c.region) for r in regions)
            ]
            if len(near) == 1:
                self.link(m, near[0].key, S_REGION_CONTEXT, "context: article region")
                continue
            own = f"{etype}:?:{p.base}"
            self.link(m, own, S_EXACT, "unresolved short form")
            for c in compatible:
                self.propose(own, c.key, S_AMBIGUOUS, "ambiguous short form")

    # -- government bodies --

    def _governments(self, forms: dict[str, list[MentionIn]]) -> None:
        for norm, ms in forms.items():
            target = colocated_admin(norm)  # 广州开发区 → 广州市黄埔区 (one administration)
            places = [(m, self._gov_place(target, m)) for m in ms]
            if all(code for _, code in places):
                # The name is only a place (株洲, 株洲市, 广州市黄埔区): its government.
                reason = "exact" if target == norm else "alias: co-located administration"
                for m, code in places:
                    key = f"government:{code}:人民政府"
                    self.link(m, key, S_EXACT if target == norm else S_ALIAS, reason)
                    self.doc_keys[m.document_id].add(key)
                continue
            g = parse_gov(norm)
            if g.region is not None:
                key = f"government:{g.region_code}:{g.body}"
                reason = "exact" if g.body in norm else "alias: abbreviation"
                for m in ms:
                    self.link(m, key, S_EXACT if reason == "exact" else S_ALIAS, reason)
                    self.doc_keys[m.document_id].add(key)
                continue
            if g.level_hint is None and _national(g.body):  # 工信部, 国家发改委
                for m in ms:
                    self.link(m, f"government:-:{g.body}", S_ALIAS, "alias: abbreviation")
                continue
            if g.level_hint is None:  # 招商部门, 相关部门: whose depends on the article
                for m in ms:
                    key = f"government:doc:{m.document_id}:{g.body}"
                    self.link(m, key, S_EXACT, "local")
                continue
            for m in ms:
                self._gov_in_context(m, g.body, g.level_hint)

    def _gov_place(self, name: str, m: MentionIn) -> str | None:
        """Admin code when a government name is a bare place (+ 市/省/区/县 or 政府)."""
        for suffix in ("人民政府", "政府"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                break
        prefix, rest = region_prefix(name, min_rest=0)
        if prefix is not None and rest in ("", "市", "省", "区", "县"):
            hits = self.gaz.regions.lookup(name) if self.gaz.regions is not None else []
            if len(hits) > 1:  # the same county name in two provinces: ask the article
                return self._place_code(name, m)
            return prefix.code
        return None

    def _gov_key_of(self, name: str, m: MentionIn) -> str | None:
        """The key a government name written inside brackets would get, if it is certain."""
        target = colocated_admin(name)
        code = self._gov_place(target, m)
        if code:
            return f"government:{code}:人民政府"
        g = parse_gov(target)
        return f"government:{g.region_code}:{g.body}" if g.region is not None else None

    def _gov_in_context(self, m: MentionIn, body: str, level: str) -> None:
        """市发改委: the city is whichever one the article is about, if exactly one."""
        in_doc = {k for k in self.doc_keys.get(m.document_id, ()) if k.startswith("government:")}
        same = [k for k in in_doc if k.endswith(":" + body)]
        if len(same) == 1:
            self.link(m, same[0], S_SAME_DOC, "context: full name in same article")
            return
        level_codes = {c for c in self.doc_regions.get(m.document_id, ()) if _level_of(c) == level}
        if len(level_codes) == 1:
            code = level_codes.pop()
            self.link(m, f"government:{code}:{body}", S_GOV_CONTEXT, "context: article region")
            return
        self.link(m, f"government:doc:{m.document_id}:{level}:{body}", S_EXACT, "local")

    # -- equivalences the text states, and short forms of one long form --

    def _bracket_aliases(self, by_form: dict[tuple[str, str], list[MentionIn]]) -> None:
        """强流重离子加速器装置（HIAF）, 广州市黄埔区（广州开发区）: a name followed by another
        name in brackets is the same entity. An acronym joins every mention spelled like it
        in the corpus when it brackets exactly one entity."""
        if not self.after:
            return
        form_key: dict[tuple[str, str], str] = {}
        for (etype, norm), ms in by_form.items():
            for m in ms:
                if m.id in self.assign:
                    form_key.setdefault((etype, norm), self.assign[m.id].entity)
                    break
        acronyms: dict[str, set[str]] = defaultdict(set)
        long_forms: dict[str, set[str]] = defaultdict(set)  # acronym → names bracketing it
        for (etype, norm), ms in by_form.items():
            if etype not in (*ORG_TYPES, "government"):
                continue
            for m in ms:
                snippet = self.after.get((m.document_id, m.end))
                link = self.assign.get(m.id)
                match = _BRACKET_AFTER.match(snippet) if snippet and link else None
                if match is None:
                    continue
                inner = clean(match.group(1))
                if _ACRONYM.match(inner):
                    acronyms[inner].add(self.uf.find(link.entity))
                    long_forms[inner].add(norm)
                    continue
                other = form_key.get((etype, inner))
                if other is None and etype == "government":
                    other = self._gov_key_of(inner, m)
                if other is not None and len(inner) >= 2:
                    self.uf.union(link.entity, other)
        for inner, roots in acronyms.items():
            shortest = min(long_forms[inner], key=len)
            if len(roots) > 1 and all(n.endswith(shortest) for n in long_forms[inner]):
                # 还有加速器驱动嬗变研究装置（CiADS）: a boundary error in front of the same
                # name and acronym, not a second entity.
                for other in roots:
                    self.uf.union(other, next(iter(roots)))
                roots = {self.uf.find(next(iter(roots)))}
            root = _only(roots)
            if root is None:
                continue
            for etype in ORG_TYPES:
                for m in by_form.get((etype, inner), ()):
                    if m.id in self.assign:
                        self.uf.union(self.assign[m.id].entity, root)

    def _prefix_aliases(self, etype: str, forms: dict[str, list[MentionIn]]) -> None:
        """A short form that begins exactly one longer name of its type: 张江 / 张江科学城,
        秀水园区 / 秀水新能源材料产业园, 深度求索 / 杭州深度求索人工智能基础技术研究有限公司.
        The long form named in the same article wins; otherwise it must be the only one in
        the corpus. Companies need a registered-looking long form (region or legal form);
        other organisations a long form closed by a compatible kind word, and a short form
        that already ends in a different kind (中国科学院 vs …研究所) never matches."""
        parse = parse_company if etype == "company" else parse_org
        entries = []
        for norm, ms in forms.items():
            keys = {self.assign[m.id].entity for m in ms if m.id in self.assign}
            if len(keys) != 1:
                continue
            key = keys.pop()
            if ":?:" in key or ":doc:" in key:
                continue  # several long forms already fit, or a generic local name
            p = parse(canonical_park(norm) if etype == "park" else norm)
            base = p.base if etype == "company" else p.core
            docs = {m.document_id for m in ms}
            entries.append((p, base, key, docs))
        if len(entries) > MAX_BLOCK * 20:
            return  # quadratic below; a corpus this size needs an index (left for later)
        for p, base, key, docs in entries:
            if etype == "company":
                if p.is_full or p.stock_code or ":code:" in key or is_generic_name(base):
                    continue
                stem, kind = base, None
                if len(stem) < 3:
                    continue
            else:
                stem, kind = _split_kind(base)
                if len(stem) < 2 or (is_generic_org(base) and kind is None):
                    continue
            fits = []
            for p2, base2, key2, docs2 in entries:
                if len(base2) <= len(stem) or base2 == base or not base2.startswith(stem):
                    continue
                if not regions_compatible(p.region_code, p2.region_code):
                    continue
                if etype == "company":
                    if not (p2.is_full or ":code:" in key2):
                        continue
                elif not _kinds_fit(kind, _split_kind(base2)[1]):
                    continue
                fits.append((self.uf.find(key2), docs2))
            own = self.uf.find(key)
            roots = {r for r, _ in fits} - {own}
            near = {r for r, d in fits if d & docs} - {own}
            target = _only(near) if near else _only(roots)
            if target is not None:
                self.uf.union(own, target)

    # -- people --

    def _people(self, forms: dict[str, list[MentionIn]]) -> None:
        """Within an article one name is one person; across articles only when the same
        organisation (after resolution) is named with them."""
        if not forms:
            return
        by_span = {(m.document_id, m.start, m.end): m for ms in forms.values() for m in ms}
        orgs: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, name) → org roots
        for f in self.facts:
            if f.kind != "holds_position":
                continue
            person, org = f.args.get("person"), f.args.get("org")
            if not isinstance(person, dict) or not isinstance(org, dict):
                continue
            pm = by_span.get((f.document_id, person.get("start"), person.get("end")))
            name = person_key(pm.text if pm else str(person.get("text", "")))
            org_key = self._key_for_arg(f.document_id, org)
            if org_key and org_key.split(":", 1)[0] in (*ORG_TYPES, "government"):
                orgs[(f.document_id, name)].add(self.uf.find(org_key))
        by_name: dict[str, dict[str, list[MentionIn]]] = defaultdict(lambda: defaultdict(list))
        for ms in forms.values():
            for m in ms:
                by_name[person_key(m.text)][m.document_id].append(m)
        for name, docs in by_name.items():
            with_org: dict[str, str] = {}  # org root → person key
            without: list[str] = []
            for doc, ms in docs.items():
                doc_orgs = orgs.get((doc, name), set())
                if len(doc_orgs) == 1:
                    org = next(iter(doc_orgs))
                    key = with_org.setdefault(org, f"person:{name}@{org}")
                    reason, score = (
                        ("context: same organisation", S_SAME_ORG)
                        if key in self.uf.parent
                        else ("exact", S_EXACT)
                    )
                else:
                    key, reason, score = f"person:{name}@doc:{doc}", "exact", S_EXACT
                    without.append(key)
                for i, m in enumerate(ms):
                    self.link(m, key, score if i == 0 else S_SAME_DOC_PERSON, reason)
            for key in without:
                for other in with_org.values():
                    self.propose(key, other, S_PERSON_NO_ORG, "same name, organisation unknown")

    def _key_for_arg(self, doc: str, arg: dict) -> str | None:
        m = self.span_index().get((doc, arg.get("start"), arg.get("end")))
        if m is not None and m.id in self.assign:
            return self.assign[m.id].entity
        norm = clean(str(arg.get("text", "")))
        for m in self.doc_index().get((doc, norm), ()):
            if m.id in self.assign:
                return self.assign[m.id].entity
        return None

    _spans: dict | None = None
    _docs: dict | None = None

    def span_index(self) -> dict[tuple, MentionIn]:
        if self._spans is None:
            self._spans = {(m.document_id, m.start, m.end): m for m in self.mentions}
        return self._spans

    def doc_index(self) -> dict[tuple, list[MentionIn]]:
        if self._docs is None:
            index: dict[tuple, list[MentionIn]] = defaultdict(list)
            for m in self.mentions:
                index[(m.document_id, clean(m.text))].append(m)
            self._docs = index
        return self._docs


_CODE_AT_END = re.compile(r"^(.*?)[(（]?([036894]\d{5})[)）]?$")
_ACRONYM = re.compile(r"^[a-z][a-z0-9-]{1,11}$")
AFTER_WINDOW = 45  # longest bracket the rule reads, plus leading spaces


def windows_after(
    mentions: Iterable[MentionIn], texts: Mapping[str, str]
) -> dict[tuple[str, int], str]:
    """The text right after each mention, keyed by (document id, mention end)."""
    out: dict[tuple[str, int], str] = {}
    for m in mentions:
        text = texts.get(m.document_id)
        if text:
            out[(m.document_id, m.end)] = text[m.end : m.end + AFTER_WINDOW]
    return out


_BRACKET_AFTER = re.compile(r"[ \t]*[（(]([^（）()\n]{1,40})[）)]")
# Kind words that close a facility or zone name, beyond ORG_KINDS (中微子实验, 临港新片区).
_EXTRA_KINDS = ("实验", "新片区", "工厂", "观测站", "片区")
_KINDS = tuple(sorted(set(ORG_KINDS) | set(_EXTRA_KINDS), key=len, reverse=True))
# Kinds that name the same sort of place, so 秀水园区 may shorten 秀水新能源材料产业园.
_PARK_KINDS = frozenset({"园区", "园", "产业园", "科技园", "工业园"})


def _only(values) -> str | None:
    values = set(values)
    return values.pop() if len(values) == 1 else None


def _code_in_name(norm: str, listed: ListedCompanies) -> str | None:
    """A listed code written as the whole name or at its end, brackets optional."""
    m = _CODE_AT_END.match(norm)
    if m is None or m.group(2) not in listed.by_code:
        return None
    head = m.group(1)
    return m.group(2) if not head or norm[len(head) : len(head) + 1] in "(（" else None


def _written_codes(parsed: dict[str, CompanyName]) -> dict[str, set[str]]:
    """Surface without its bracketed code → codes written with it (卫星化学 → 002648)."""
    out: dict[str, set[str]] = defaultdict(set)
    for norm, p in parsed.items():
        if p.stock_code:
            bare = re.sub(r"[(（][^)）]*[)）]?", "", norm)
            if bare and bare != norm:
                out[bare].add(p.stock_code)
    return out


def _split_kind(base: str) -> tuple[str, str | None]:
    for kind in _KINDS:
        if base.endswith(kind) and len(base) > len(kind):
            return base[: -len(kind)], kind
    return base, None


def _kinds_fit(short_kind: str | None, long_kind: str | None) -> bool:
    if long_kind is None:
        return False
    if short_kind is None or short_kind == long_kind:
        return True
    return short_kind in _PARK_KINDS and long_kind in _PARK_KINDS


def _region_ok(region: str | None, cluster: _Cluster) -> bool:
    return regions_compatible(region, cluster.region)


def _industry_ok(p: CompanyName, cluster: _Cluster) -> bool:
    if not p.industry or not cluster.industry:
        return True
    words = set(p.industry)
    if words & cluster.industry:
        return True
    joined = "".join(sorted(cluster.industry))
    return any(w in joined for w in words) or any(w in p.base for w in cluster.industry)


def _same_place(a: str, b: str) -> bool:
    """Both specific (city or county) and one inside the other: a province alone is too
    broad to pick between two companies in it."""
    if a.endswith("0000") and b.endswith("0000"):
        return a == b
    return regions_compatible(a, b) and not (a.endswith("0000") or b.endswith("0000"))


def _national(body: str) -> bool:
    return body.startswith(("国家", "国务院", "中央", "全国", "中国")) or body.endswith(
        ("部", "总局", "署")
    )


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


# --- building entities --------------------------------------------------------------------


_TYPE_OF_PREFIX = {"government", "company", "person", "region"}


def _build_entities(r: _Resolver) -> tuple[dict[str, Entity], dict[int, Link], dict[str, str]]:
    entities: dict[str, Entity] = {}
    links: dict[int, Link] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for m in r.mentions:
        link = r.assign.get(m.id)
        if link is None:
            continue
        root = r.uf.find(link.entity)
        links[m.id] = Link(root, link.score, link.reason)
        surfaces[root][m.text.strip()] += 1
        types[root][m.type] += 1
        entity = entities.get(root)
        if entity is None:
            entity = entities[root] = Entity(root, m.type, "")
        entity.mentions.append(m.id)
        if m.type == "region" and m.attrs.get("code"):
            entity.region_code = str(m.attrs["code"])
    redirects: dict[str, str] = {}
    for key in r.uf.parent:
        root = r.uf.find(key)
        if root != key:
            redirects[key] = root
            if root in entities:
                entities[root].merged_keys.append(key)
    for key, entity in entities.items():
        entity.type = types[key].most_common(1)[0][0]
        entity.aliases = surfaces[key]
        entity.name = _display_name(entity)
        _attach_gazetteer(entity, r)
    return entities, links, redirects


def _display_name(entity: Entity) -> str:
    """The most complete written form: legal names beat short forms; ties go to frequency."""
    if entity.type == "company":
        best = max(
            entity.aliases.items(),
            key=lambda kv: (parse_company(kv[0]).legal_form is not None, len(kv[0]), kv[1]),
        )
        return best[0]
    return max(entity.aliases.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


def _attach_gazetteer(entity: Entity, r: _Resolver) -> None:
    key = entity.key
    if key.startswith("company:code:"):
        row = r.gaz_entities.get(key)
        code = key.rsplit(":", 1)[1]
        entity.attrs["stock_code"] = code
        if row is not None:
            entity.origin = "gazetteer"
            entity.name = row.full_name
            entity.attrs.update(
                exchange=row.exchange,
                ticker=row.ticker,
                listed_name=row.name,
                listed_on=row.listed_on,
                shenwan_code=row.shenwan_code,
                shenwan_name=row.shenwan_name,
            )
            entity.region_code = parse_company(row.full_name).region_code
            for alias in (row.name, row.full_name):
                entity.aliases.setdefault(alias, 0)
        return
    if key.startswith("region:code:"):
        code = key.rsplit(":", 1)[1]
        entity.region_code = code
        region = r.gaz.regions.get(code) if r.gaz.regions else None
        if region is not None:
            entity.origin = "gazetteer"
            entity.name = region.full_name
            entity.attrs.update(code=code, level=region.level)
        return
    parts = key.split(":")
    if entity.type in (*ORG_TYPES, "government") and len(parts) >= 3:
        code = parts[1]
        if code.isdigit():
            entity.region_code = code


def _entity_lookup(r: _Resolver, links: dict[int, Link]):
    """Fact argument → entity key: by exact span, else by the same text in the article."""
    spans = r.span_index()

    def entity_for(doc: str, arg: dict) -> str | None:
        m = spans.get((doc, arg.get("start"), arg.get("end")))
        if m is not None and m.id in links:
            return links[m.id].entity
        for m in r.doc_index().get((doc, clean(str(arg.get("text", "")))), ()):
            if m.id in links:
                return links[m.id].entity
        return None

    return entity_for


# --- entry point --------------------------------------------------------------------------


def resolve(
    mentions: Sequence[MentionIn],
    facts: Sequence[FactIn] = (),
    gazetteers: Gazetteers | None = None,
    curations: Iterable = (),
    texts: Mapping[str, str] | None = None,
    after: Mapping[tuple[str, int], str] | None = None,
) -> ResolutionResult:
    """Resolve mentions into entities and facts into events, then re-apply curations.

    `texts` (document id → the text mention spans point into) or, cheaper, `after`
    ((document id, mention end) → text right after the mention; see `windows_after`) is
    optional; with it the resolver also reads equivalences the text writes in brackets
    right after a name."""
    from chainatlas.kb import curation

    if after is None and texts:
        after = windows_after(mentions, texts)
    r = _Resolver(mentions, facts, gazetteers or Gazetteers(), after)
    r.run()
    entities, links, redirects = _build_entities(r)
    result = ResolutionResult(
        entities=entities,
        links=links,
        candidates=[],
        redirects=redirects,
        mentions=mentions,
    )
    for cand in r.candidates.values():
        a, b = r.uf.find(cand.a), r.uf.find(cand.b)
        if a != b and a in entities and b in entities:
            result.candidates.append(Candidate(a, b, cand.score, cand.reason))
    if r.gaz.imported:  # imported records enrich or add entities; curations still win
        from chainatlas.kb.imported import attach_imported

        attach_imported(result, r.gaz)
    curations = list(curations)
    curation.apply_entity_curations(result, curations)
    result.events, result.fact_args = build_events(facts, _entity_lookup(r, result.links))
    curation.apply_fact_curations(result, curations)
    _regions_from_locations(result)
    return result


def _regions_from_locations(result: ResolutionResult) -> None:
    """An organisation whose name carries no region still gets one when the text says where
    it is (总部位于西安的隆基绿能 …): the place its located_in facts name most often, a region
    directly or a park's region. Names and curations win: only empty regions are filled."""
    votes: dict[str, Counter] = {}
    owners: dict[str, Entity] = {}
    for event in result.events.values():
        if event.kind != "located_in" or not event.subject:
            continue
        entity = result.find(event.subject)
        if entity is None or entity.region_code or entity.type not in ORG_TYPES:
            continue
        for ef in event.facts:
            if ef.status == "rejected" or ef.superseded:
                continue
            place = ef.values.get("place")
            code = None
            if isinstance(place, str) and place.startswith("region:code:"):
                code = place.rsplit(":", 1)[1]
            elif isinstance(place, str):
                where = result.find(place)
                code = where.region_code if where is not None else None
            if code:
                votes.setdefault(entity.key, Counter())[code] += 1
                owners[entity.key] = entity
    for key, counter in votes.items():
        # Most facts first, then the most specific code (a county beats its city).
        code = max(counter, key=lambda c: (counter[c], not c.endswith("00"), c))
        owners[key].region_code = code

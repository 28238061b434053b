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
any of them re-run `python -m pytest tests/kb -q` and `chainatlas demo && chainatlas kb
resolve` on a fresh store, then check `chainatlas kb entity show 迈瑞医疗` and the open
candidates in `docs/kb-notes.md`'s checklist.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from chainatlas.kb.events import Event, EventFact, build_events, fact_fingerprint
from chainatlas.kb.listed import ListedCompanies, ListedCompany
from chainatlas.kb.names import (
    CompanyName,
    clean,
    is_generic_name,
    is_generic_org,
    parse_company,
    parse_gov,
    parse_org,
    person_key,
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
    def __init__(self, mentions: Sequence[MentionIn], facts: Sequence[FactIn], gaz: Gazetteers):
        self.mentions = mentions
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
        self._people(per_type.get("person", {}))

    # -- regions --

    def _regions(self, forms: dict[str, list[MentionIn]]) -> None:
        gaz = self.gaz.regions
        for norm, ms in forms.items():
            for m in ms:
                code = m.attrs.get("code")
                if not code and gaz is not None:
                    hits = gaz.lookup(norm)
                    code = hits[0].code if hits else None
                if code:
                    self.link(m, f"region:code:{code}", S_CODE, "code")
                else:
                    self.link(m, f"region:{norm}", S_EXACT, "exact")

    # -- organisations --

    def _orgs(self, etype: str, forms: dict[str, list[MentionIn]], parse) -> None:
        blocks: dict[str, list[tuple[CompanyName, list[MentionIn]]]] = defaultdict(list)
        listed = self.gaz.listed if etype == "company" else None
        parsed = {norm: parse(norm) for norm in forms}
        cores = {p.core for p in parsed.values()}
        for norm, ms in forms.items():
            p = parsed[norm]
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
) -> ResolutionResult:
    """Resolve mentions into entities and facts into events, then re-apply curations."""
    from chainatlas.kb import curation

    r = _Resolver(mentions, facts, gazetteers or Gazetteers())
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
    return result

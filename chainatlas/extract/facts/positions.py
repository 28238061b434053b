"""holds_position facts: who holds which office at which organisation.

Phrasings read (per sentence, over typed mentions):

* ORG POS[兼/、POS…] PERSON      武汉晶核半导体有限公司董事长何振宇; 蔚来创始人、董事长李斌
* ORG 的 POS PERSON               深度求索的创始人梁文锋
* 该公司/公司 POS PERSON          → the company the text was just talking about
* PERSON（ORG POS）               俞大鹏（深圳国际量子研究院院长）
* POS PERSON with no ORG before   → the sentence's subject organisation (董事长秦英林…)
* PERSON 也是/担任 ORG(的)POS(之一)
* ORG POS 一职由 PERSON 担任; ORG POS 仍由 POS2 PERSON 担任/接任 (POS2 at the same ORG)
* PERSON 出任 ORG POS，PERSON2 任 POS2 (a list of offices keeps its ORG, also across ；)
* REGION 副市长兼 PARK 党工委书记 PERSON; 由副市长 PERSON 担任…链长 (the city named before)

Not read: offices given up (不再担任, 辞去, 原/前/时任), plans (将由…接任), 董事 in 董事会,
and places standing before the employer (位于X的Y公司).

Ranks (院士, 教授) are not in the position lexicon, so they never produce a fact.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import ANAPHORA_RE, ORG_TYPES, DocContext, Sentence
from chainatlas.extract.facts.position_repair import EXTRACTOR as REPAIR_EXTRACTOR
from chainatlas.extract.facts.position_repair import repair_mentions
from chainatlas.extract.lexicon import RANK_TITLES
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind, Mention
from chainatlas.extract.regions import find_regions

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.positions.v3"

_CHAIN_SEP = re.compile(r"兼|、|和|及|暨")
_NAME_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]{2,14}$")
_RUN_STOP = re.compile(
    r".*(?:[与和在由是将对向据于为及]|其中|此外|另外|以及|介绍|表示|认为|透露|指出|出席|作为|机构|企业|厂商"
    r"|出任|担任|兼任|接任|升任|改任|调任|转任)"
)
_REGION_OK = (EntityType.REGION,)
# Words that qualify a title, not name an employer (颜宁担任创始院长, 首任所长).
_TITLE_PREFIXES = frozenset({"创始", "首任", "名誉", "荣誉", "代理", "执行", "终身"})
_GENERIC_UNITS = frozenset({"项目", "工程", "装置", "设施", "该项目", "该装置", "项目部"})
_SUBJECT_VERB = re.compile(r"^(?:也|同时|还|已)?(?:是|为|担任|任|出任|兼任|升任|改任|调任|转任)")


# Affiliation without a named office (颜宁…全职回国参与创建深圳医学科学院). Decision: a
# holds_position fact with position None and the verbatim verb phrase in `role`, at low
# confidence — the text links person and organisation but names no title, and inventing
# one (创建者) would state more than the text does.
_AFFILIATION = re.compile(r"(?:全职)?(?:回国)?(参与创建|牵头创建|创建|创办|加盟|加入|组建)")


def _affiliations(ctx: DocContext) -> list[Fact]:
    out = []
    for sent in ctx.sentences:
        persons = sent.of(EntityType.PERSON)
        for m in _AFFILIATION.finditer(sent.norm):
            ae = sent.start + m.end()
            org = next(
                (o for o in sent.orgs() if o.start == ae and o.type is not EntityType.COMPANY), None
            )
            before = [
                p
                for p in persons
                if p.end <= sent.start + m.start() and sent.start + m.start() - p.end <= 12
            ]
            if org is None or not before:
                continue
            args = {"person": ctx.arg(before[-1]), "position": None, "position_arg": None,
                    "org": ctx.org_arg(org), "role": m.group(1)}  # fmt: skip
            out.append(ctx.fact(FactKind.HOLDS_POSITION, args, sent, 0.55, EXTRACTOR))
    return out


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = _affiliations(ctx)
    seen: set[tuple[str, str, str]] = set()
    prev_org: tuple[int, Arg] | None = None  # (sentence index, company of its offices)
    prev_clause: tuple[int, Arg] | None = None  # (sentence index, org of its last office)
    for sent in ctx.sentences:
        inherited = prev_org[1] if prev_org and prev_org[0] == sent.index - 1 else None
        # 「院长由A担任；常务副院长为B」: a clause cut off at ； continues the same list.
        clause_org = None
        if (
            prev_clause
            and prev_clause[0] == sent.index - 1
            and ctx.sentences[sent.index - 1].norm.rstrip().endswith(("；", ";"))
        ):
            clause_org = prev_clause[1]
        found = _sentence_facts(ctx, sent, inherited, clause_org)
        orgs = [f.args["org"] for f in found if f.args["org"] is not None]
        if orgs and orgs[-1].type in (EntityType.COMPANY, EntityType.RESEARCH):
            prev_org = (sent.index, orgs[-1])
        if orgs:
            prev_clause = (sent.index, orgs[-1])
        for fact in found:
            a = fact.args
            org = a["org"].text if a["org"] is not None else ""
            key = (a["person"].text, a["position"] or "", org)
            if key not in seen:
                seen.add(key)
                out.append(fact)
    return _drop_unplaced_repeats(_zone_bodies(ctx, out))


# The bodies of a zone's administration: 管委会主任 is an office of the zone itself.
_ZONE_BODIES = frozenset({"管委会", "管委", "党工委", "工委", "党委"})


def _zone_bodies(ctx: DocContext, facts: list[Fact]) -> list[Fact]:
    """襄阳高新区党工委书记、管委会主任X: an office read with the bare body word as its
    organisation (主任 at 管委会) is the body's office at the zone or region named earlier
    in the sentence (管委会主任 at 襄阳高新区), as the text writes it."""
    out: list[Fact] = []
    for fact in facts:
        org = fact.args["org"]
        if org is not None and org.text in _ZONE_BODIES and fact.args["position"]:
            zone = ctx.last_org_before(org.start, (EntityType.PARK, EntityType.REGION), window=0)
            if zone is not None:
                fact.args["org"] = ctx.arg(zone)
                fact.args["position"] = org.text + fact.args["position"]
        out.append(fact)
    return out


def _drop_unplaced_repeats(facts: list[Fact]) -> list[Fact]:
    """新任总经理X… after 聘任X为公司总经理: a repeat of an office already read with its
    organisation adds nothing, and with org null it would read as a second office."""
    placed = {
        (f.args["person"].text, f.args["position"]) for f in facts if f.args["org"] is not None
    }
    return [
        f
        for f in facts
        if f.args["org"] is not None or (f.args["person"].text, f.args["position"]) not in placed
    ]


def _sentence_facts(
    ctx: DocContext, sent: Sentence, inherited: Arg | None = None, clause_org: Arg | None = None
) -> list[Fact]:
    ms = repair_mentions(ctx, sent.mentions, sent.end)
    facts: list[Fact] = []
    last_org: Arg | None = None
    role_org: dict[int, tuple[Arg | None, float]] = {}  # person start → org of the 由-office
    i = 0
    while i < len(ms):
        if ms[i].type is not EntityType.POSITION:
            i += 1
            continue
        if _not_an_office(ctx, ms[i]):
            i += 1
            continue
        # Collect a chain of positions joined by 兼 / 、.
        chain = [ms[i]]
        chain_phrase: tuple[int, int] | None = None
        own_org: dict[int, tuple[Arg | None, float]] = {}  # titles with their own org
        j = i + 1
        while j < len(ms):
            nxt = _chain_title_after(ctx, ms, j, chain[-1].end)
            if _org_title_after(ctx, ms, j, chain[-1].end):
                # 常州市副市长、金坛区委书记X: a second office at another organisation.
                own_org[ms[j + 1].start] = _org_before(ctx, sent, ms, j + 1, ms[j + 1].start)
                chain.append(ms[j + 1])
                j += 2
                continue
            untagged = _untagged_org_title(ctx, ms, j, chain[-1].end)
            if untagged is not None and nxt is None:
                # 新区管委会副主任、新区投资促进中心主任X: an organisation the tagger missed.
                own_org[ms[j].start] = (untagged, 0.7)
                chain.append(ms[j])
                j += 1
                continue
            if nxt is not None:
                # 副市长、市新能源汽车产业链链长X: the chain phrase sits inside the title run.
                j, chain_phrase = nxt
            elif ms[j].type is not EntityType.POSITION:
                break
            else:
                gap = ctx.norm[chain[-1].end : ms[j].start]
                if gap and not _CHAIN_SEP.fullmatch(gap):
                    break
            chain.append(ms[j])
            j += 1
        if (
            _former(ctx, ms, ms[i].start, sent.start)
            or _UNNAMED_EMPLOYER.search(ctx.norm, sent.start, ms[i].start)
            or _GIVEN_UP.search(ctx.norm, max(sent.start, ms[i].start - 30), ms[i].start)
            or _PAST_TERM.search(ctx.norm, sent.start, ms[i].start)
        ):
            i = j
            continue  # 原总裁X / 前董事长X / 曾在一家药企担任… / 不再担任主任: not held now
        last = chain[-1]
        person, conf = _person_after(ctx, ms, j, last.end)
        if person is not None and (
            _RESIGNED.match(ctx.norm, person.end) or _MOVES_ON.match(ctx.norm, person.end)
        ):
            i = j
            continue  # 副总经理X已于近日辞去职务 / 副总经理X升任总经理: the office is left
        first = chain[0]
        org, org_conf = _org_before(ctx, sent, ms, i, first.start)
        by_role = False
        if person is None:
            person, conf = _person_by_role(ctx, sent, ms, j, last.end)
            by_role = person is not None
        if person is None:
            person, org2, conf = _person_before(ctx, sent, ms, i, first.start, org)
            if org2 is not None:
                org = org2
        if person is not None:
            parallel = by_role and ctx.norm[first.start - 1] in "，,；;"
            if org is None and last_org is not None and parallel:
                # 「理事长由A兼任，常务副主任由B担任」: parallel clauses share the org.
                org, org_conf = last_org, 0.65
            if org is None and person.start in role_org:
                # 董事长仍由创始人X担任: the title before the name is at the same employer.
                org, org_conf = role_org[person.start]
            if org is None and facts and _enumerating(ctx, sent, facts[-1], first.start):
                # 宋延庆出任研究院院长，何立伟任副院长: the next clause of the same list.
                org, org_conf = facts[-1].args["org"], 0.65
            if (
                org is None
                and not facts
                and clause_org is not None
                and not _named_before(sent, first.start)
            ):
                org, org_conf = clause_org, 0.6
            if org is None and _GOVERNMENT_TITLE.match(ctx.norm[first.start : first.end]):
                # 由副市长高明远担任… in a city's own plan: the city the text is about.
                org, org_conf = _official_region(ctx, first), 0.6
            named_here = any(m.end <= first.start for m in sent.orgs())
            if org is None and inherited is not None and _fits(chain, inherited) and not named_here:
                # 「公司董事长A表示…。董事会秘书B补充说…」: the same company's officers.
                org, org_conf = inherited, 0.6
            if org is None:
                org, org_conf = _subject_org(ctx, sent, first.start, person)
            if by_role:
                last_org = org
                role_org[person.start] = (org, org_conf)
            chain_arg = None
            whole = _WHOLE_REGION_CHAIN.search(
                ctx.norm, max(sent.start, first.start - 20), first.start
            )
            park_chain = _PARK_CHAIN.search(
                ctx.norm, max(sent.start, first.start - 20), first.start
            )
            if chain_phrase is not None:
                chain_arg = ctx.span_arg(*chain_phrase)
            elif park_chain is not None and any(
                ctx.norm[p.start : p.end] in _CHAIN_TITLES for p in chain
            ):
                # 兼任园区机器人产业链链长: the chain of the park the text named last, whatever
                # office the person holds besides.
                park = ctx.last_org_before(park_chain.start(), (EntityType.PARK,), window=6)
                if park is not None:
                    lo = ctx.norm.index("园区", park_chain.start()) + 2
                    chain_arg = ctx.span_arg(lo, park_chain.end())
                    org, org_conf = ctx.org_arg(park), 0.6
            elif whole is not None and any(
                ctx.norm[p.start : p.end] in _CHAIN_TITLES for p in chain
            ):
                # 兼任全市海上风电产业链链长: the chain of the city (province …) the text is
                # about, whatever office the person holds besides.
                chain_arg = ctx.span_arg(whole.start(), whole.end())
                org = _region_of_level(ctx, whole.start(), whole.group(1))
                org_conf = 0.6
            elif org is not None and any(ctx.text[p.start : p.end] in _CHAIN_TITLES for p in chain):
                org, chain_arg = _chain_org(ctx, org, first.start)
            if org is None and any(ctx.norm[p.start : p.end] in _CHAIN_TITLES for p in chain):
                # 由副市长X担任生物制造产业链链长: the chain belongs to the official's region.
                org = _official_org(ctx, facts, person)
            for p in chain:
                p_org, p_conf = own_org.get(p.start, (org, org_conf))
                facts.append(_make(ctx, sent, person, p, p_org, min(conf, p_conf), chain_arg))
        i = j
    return facts


# 曾在一家跨国药企担任研发负责人 / 此前担任集团首席财务官: an office at an organisation the
# text does not name, or one held before (as 原总裁X); neither is a current office.
_UNNAMED_EMPLOYER = re.compile(
    r"(?:(?:在|于)(?:一家|某|多家)[^，。；]{0,12}|(?:此前|曾经|曾)[^，。；]{0,16}?)"
    r"(?:担任|任职|出任|任)[^，。；的]{0,24}$"
)
# 仍由/继续由: the office stays with the person (将由 is a plan, not read).
_BY_ROLE = re.compile(r"(?:之一)?(?:一职)?(?:仍然|仍|继续|改)?由")
# 上一届任期内担任公司总经理: an office of a past term, in the same clause.
_PAST_TERM = re.compile(r"(?:上一?届|前一?届)任期(?:内|中)?(?:曾)?(?:担任|任)[^，。；,;]{0,20}$")
# 不再担任主任 / 辞去董事长: the title named is the one given up.
# The verb may stand before the employer and earlier titles of the same list (不再担任公司
# 董事长及董事职务, 免去其南京市发改委副主任职务), but not across 职务 or a clause break
# (辞去总经理职务后继续担任董事长 keeps 董事长).
_GIVEN_UP = re.compile(r"(?:不再|辞去|卸任|卸去|免去|辞任)(?:担任)?(?:(?!职务)[^，。；,;]){0,24}$")
# 副总经理X已于近日辞去职务: the person leaves the office just named.
_RESIGNED = re.compile(r"[^，。；,;]{0,10}?(?:辞去|辞任|辞职|卸任|离任|离职)")
# 副总经理X升任总经理 / 原总经理Y改任董事长: the title before the name is the one left.
_MOVES_ON = re.compile(r"(?:已|将)?(?:升任|改任|调任|转任)")
_LATIN_ALIAS = re.compile(r"[（(][A-Za-z]{2,5}[)）]")
_GOVERNMENT_TITLE = re.compile(r"^(?:常务)?副?(?:市|区|县|旗|省)长$")
_RANK_RE = re.compile("|".join(map(re.escape, sorted(RANK_TITLES, key=len, reverse=True))))
# 原总裁 / 前任董事长 / 前董事长 / 时任副市长; not 目前/日前/此前 and not 原 inside a name
# (太原副市长).
_FORMER = re.compile(r"(?:原|前任|时任|(?<![目日此之提年])前)$")


# What joins a region to the office that belongs to its party committee or government.
_GOV_TAILS = frozenset({"委", "党委", "政府", "人民政府"})


def _org_title_after(ctx: DocContext, ms: list[Mention], j: int, end: int) -> bool:
    """「、」 or 「兼」 + an organisation or region + a title right after it continues a
    title run (西安市副市长兼西安高新区党工委书记X)."""
    if j + 1 >= len(ms) or ctx.norm[end : ms[j].start] not in ("、", "兼"):
        return False
    org, title = ms[j], ms[j + 1]
    if org.type not in ORG_TYPES | {EntityType.REGION} or title.type is not EntityType.POSITION:
        return False
    return ctx.norm[org.end : title.start] in {"", "的"} | _GOV_TAILS


# An untagged organisation name in a title run ends with one of these.
_UNTAGGED_ORG = re.compile(
    r"、([\u4e00-\u9fff]{2,12}?(?:中心|管委会|委员会|办公室|研究院|研究所|协会|商会|局))"
)


def _untagged_org_title(ctx: DocContext, ms: list[Mention], j: int, end: int) -> Arg | None:
    """「、」 + an organisation name no mention covers + a title: that title's organisation."""
    if j >= len(ms) or ms[j].type is not EntityType.POSITION:
        return None
    m = _UNTAGGED_ORG.fullmatch(ctx.norm, end, ms[j].start)
    if m is None:
        return None
    etype = EntityType.RESEARCH if m.group(1).endswith(("院", "所")) else EntityType.GOVERNMENT
    return ctx.span_arg(m.start(1), m.end(1), etype)


def _former(ctx: DocContext, ms: list[Mention], pos: int, lo: int) -> bool:
    m = _FORMER.search(ctx.norm, max(lo, pos - 2), pos)
    if m is None:
        return False
    return not any(x.start <= m.start() < x.end for x in ms)


_CHAIN_PHRASE_GAP = re.compile(r"[、，,]([\u4e00-\u9fff]{2,16}链)")
# Offices of a company (not of a government or an institute), which a bare title in the
# next sentence can only mean at the company whose officers were just named.
_CORPORATE = re.compile(
    r"^(?:副?董事长|董事|执行董事|董事会秘书|董秘|副?总经理|副?总裁|执行总裁|首席.+|CEO|CTO|CFO"
    r"|COO|联合创始人|创始人|监事会主席|财务总监)$"
)


def _chain_title_after(
    ctx: DocContext, ms: list[Mention], j: int, end: int
) -> tuple[int, tuple[int, int]] | None:
    """The index of a 链长 title after `end` that only a chain phrase (、…产业链) separates
    from the run, with the phrase's span; None otherwise."""
    k = j
    while k < len(ms) and ms[k].type not in (EntityType.POSITION, EntityType.PERSON):
        k += 1
    if k >= len(ms) or ms[k].type is not EntityType.POSITION or ms[k].text not in _CHAIN_TITLES:
        return None
    split = _CHAIN_PHRASE_GAP.fullmatch(ctx.norm[end : ms[k].start])
    if split is None:
        return None
    return k, (end + split.start(1), end + split.end(1))


def _corporate(chain: list[Mention]) -> bool:
    return all(_CORPORATE.match(p.text) for p in chain)


# Offices of an institute; a bare one in the next sentence is at the institute whose
# officers were just named (研究院院长由A担任。副院长兼总工程师B介绍…).
_INSTITUTIONAL = re.compile(r"^(?:常务)?副?(?:院长|所长|主任)$|^(?:总工程师|首席科学家)$")
_INSTITUTE_TAIL = ("院", "所", "实验室", "中心")


def _fits(chain: list[Mention], inherited: Arg) -> bool:
    if _corporate(chain):
        return inherited.type is EntityType.COMPANY
    return inherited.text.endswith(_INSTITUTE_TAIL) and all(
        _INSTITUTIONAL.match(p.text) for p in chain
    )


_TAKES_ROLE = re.compile(r"(?:兼任|担任|出任|出掌|接任|升任|改任|调任|转任)")


def _person_by_role(
    ctx: DocContext, sent: Sentence, ms: list[Mention], j: int, end: int
) -> tuple[Mention | None, float]:
    """「理事长由无锡市副市长蒋国伟兼任」: the office is filled by the person who
    兼任/担任 it later in the clause (other titles may stand before the name)."""
    by = _BY_ROLE.match(ctx.norm, end)
    if by is None:
        return None, 0.0
    clause_end = end
    while clause_end < sent.end and ctx.norm[clause_end] not in "，,。；;":
        clause_end += 1
    for k in range(j, len(ms)):
        p = ms[k]
        if p.start >= clause_end:
            break
        if p.type is EntityType.PERSON and _TAKES_ROLE.match(ctx.norm, p.end):
            return p, 0.75
    return None, 0.0


def _person_after(
    ctx: DocContext, ms: list[Mention], j: int, end: int
) -> tuple[Mention | None, float]:
    if j < len(ms) and ms[j].type is EntityType.PERSON:
        gap = ctx.norm[end : ms[j].start]
        if gap == "":
            return ms[j], 0.9
        if gap in ("也叫", "叫", "为", "是", "由") or _LATIN_ALIAS.fullmatch(gap):
            return ms[j], 0.8  # …为X / 首席运营官（COO）X
        if _RANK_RE.fullmatch(gap.lstrip("、")) and gap.startswith("、"):
            return ms[j], 0.8  # 首席科学家、教授X: a rank in apposition
    # 首席科学家、南开大学教授X: a rank at another organisation in apposition; the office
    # before it is still the person's.
    if (
        j + 1 < len(ms)
        and ms[j].type in ORG_TYPES
        and ms[j + 1].type is EntityType.PERSON
        and ctx.norm[end : ms[j].start] == "、"
        and _RANK_RE.fullmatch(ctx.norm[ms[j].end : ms[j + 1].start])
    ):
        return ms[j + 1], 0.75
    return None, 0.0


def _official_org(ctx: DocContext, facts: list[Fact], person: Mention) -> Arg | None:
    """The region of the government office the same person was just named with."""
    for f in reversed(facts):
        a = f.args
        pa = a["position_arg"]
        if a["person"].start == person.start and _GOVERNMENT_TITLE.match(
            ctx.norm[pa.start : pa.end]
        ):
            return a["org"]
    return None


def _not_an_office(ctx: DocContext, m: Mention) -> bool:
    """董事 in 董事会 (理事会, 监事会) names a board, not an office; 链长 in 链长制 (河长制)
    names a system of offices."""
    return (
        ctx.norm[m.start : m.end].endswith("事") and ctx.norm.startswith("会", m.end)
    ) or ctx.norm.startswith("制", m.end)


def _rank_affiliation(ctx: DocContext, m: Mention) -> bool:
    """中国海洋大学教授X: the organisation only qualifies a rank in apposition; it employs
    no office named around it."""
    return _RANK_RE.match(ctx.norm, m.end) is not None


def _named_before(sent: Sentence, pos: int) -> bool:
    return any(m.end <= pos for m in sent.orgs())


def _enumerating(ctx: DocContext, sent: Sentence, prev: Fact, pos: int) -> bool:
    """The title at `pos` continues the list of offices the fact before it opened: that
    fact has an organisation, and no other organisation is named in between."""
    org = prev.args["org"]
    pa = prev.args.get("position_arg")
    if org is None or pa is None or pa.end > pos:
        return False
    between = ctx.norm[pa.end : pos]
    if not re.search(r"[，,、；;]", between) or len(between) > 30:
        return False
    return not any(
        pa.end <= m.start and m.end <= pos and not _rank_affiliation(ctx, m) for m in sent.orgs()
    )


# How far back a mayor's city is looked for: a few paragraphs, so the scan stays linear
# in a long document.
_REGION_LOOKBACK = 3000


# 全市/本市/我市…产业链: a chain owned by the region of that level the text is about.
# 兼任园区机器人产业链链长: 园区 as a word (after a verb or a break), not the tail of a name.
_PARK_CHAIN = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[任是为]))(?:该)?园区[\u4e00-\u9fff]{1,14}链$"
)
_WHOLE_REGION_CHAIN = re.compile(r"(?:全|本|我)(市|省|区|县)[\u4e00-\u9fff]{1,14}链$")


def _region_of_level(ctx: DocContext, pos: int, level: str) -> Arg | None:
    """The last region of the given level (市, 区 …) named before `pos`."""
    lo = max(0, pos - _REGION_LOOKBACK)
    before = [r for r in find_regions(ctx.norm[lo:pos]) if r.text.endswith(level)]
    if not before:
        return None
    return ctx.span_arg(lo + before[-1].start, lo + before[-1].end, EntityType.REGION)


def _official_region(ctx: DocContext, pos: Mention) -> Arg | None:
    """The region of a mayor (district head, governor) the text names no region for:
    the last region of that level named before, else one named in the title."""
    level = ctx.norm[pos.end - 2]  # 市 of 副市长, 区 of 区长
    lo = max(0, pos.start - _REGION_LOOKBACK)
    before = [r for r in find_regions(ctx.norm[lo : pos.start]) if r.text.endswith(level)]
    if before:
        return ctx.span_arg(lo + before[-1].start, lo + before[-1].end, EntityType.REGION)
    in_title = [r for r in find_regions(ctx.title or "") if r.text.endswith(level)]
    if in_title:
        return Arg(in_title[-1].text, pos.start, pos.start, EntityType.REGION)
    return None


def _org_before(
    ctx: DocContext, sent: Sentence, ms: list[Mention], i: int, pos_start: int
) -> tuple[Arg | None, float]:
    if ctx.norm.endswith(("现任", "新任"), 0, pos_start):
        pos_start -= 2  # 公司现任董事长: the qualifier belongs to the title, not the name
    k = i - 1
    # An industry word inside a company name the tagger missed (澄镜|医疗|创始人) is not a
    # boundary: look past it.
    while k >= 0 and ms[k].type is EntityType.INDUSTRY and ms[k].end > pos_start - 8:
        k -= 1
    if k >= 0 and ms[k].type in ORG_TYPES | {EntityType.REGION}:
        gap = ctx.norm[ms[k].end : pos_start]
        word = ctx.norm[ms[k].start : ms[k].end]
        if gap in ("", "的") and word in ("集团", "该集团", "公司", "该公司"):
            # 集团副总裁: an anaphor split off a glued span (position_repair).
            a = ctx.anaphor_arg(ms[k].start, ms[k].end, ms[k].start, word)
            if a is not None:
                return a, 0.75
        if ms[k].type is EntityType.REGION and gap in ("区", "市", "县", "旗"):
            # 即墨|区副区长: the tagger dropped the level character of the region's name.
            return ctx.span_arg(ms[k].start, pos_start, EntityType.REGION), 0.75
        if ms[k].type is EntityType.REGION and _REGION_CHAIN_GAP.fullmatch(gap):
            # 南京市集成电路产业链链长、副市长X: the region owns the chain (_chain_org splits
            # the chain phrase off) and is the government of the other titles of the run.
            return ctx.arg(ms[k]), 0.75
        if ms[k].type is EntityType.REGION and gap in _GOV_TAILS:
            # 金坛区委书记: the region's party committee or government holds the office.
            return ctx.span_arg(ms[k].start, pos_start, EntityType.GOVERNMENT), 0.8
        if gap in ("", "的"):
            if ms[k].type is EntityType.REGION:
                return ctx.arg(ms[k]), 0.8
            if ms[k].extractor == REPAIR_EXTRACTOR:
                # Split off a span that ran over the title: the longer document name that
                # contains it is that very span, so no fullest-name lookup.
                return ctx.span_arg(ms[k].start, ms[k].end, ms[k].type), 0.85
            return ctx.org_arg(ms[k]), 0.9
    # 公司创始人 / 该公司总经理: an anaphor right before the title.
    lo = ms[k].end if k >= 0 else sent.start
    if (
        k >= 0
        and ms[k].type in ORG_TYPES
        and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", ctx.norm[lo:pos_start])
    ):
        lo = ms[k].start  # 云弈|智能创始人: the tagger cut the short name early
        k -= 1
    head = ctx.norm[lo:pos_start]
    if head.endswith(("该子公司", "该子公司的")):
        # 继续兼任该子公司执行董事: the subsidiary named last, not the parent company.
        sub = _subsidiary_before(ctx, lo + head.rindex("该子公司"))
        if sub is not None:
            return sub, 0.75
    found = list(ANAPHORA_RE.finditer(head))
    m = found[-1] if found else None  # the anaphor nearest the title
    if m is not None and head[m.end() :] in ("", "的"):
        a = ctx.anaphor_arg(lo + m.start(), lo + m.end(), lo + m.start(), m.group())
        if a is not None:
            return a, 0.8
    # A name the tagger missed: the word run right before the title (蔚来创始人).
    run_end = pos_start - (1 if head.endswith("的") else 0)
    run = _NAME_RUN.search(ctx.norm, max(lo, pos_start - 14), run_end)
    if run is not None:
        text = run.group()
        stop = _RUN_STOP.match(text)
        if stop is not None:
            text = text[stop.end() :]
        s = run.end() - len(text)
        bad = (
            re.search(r"[0-9]|部门|人士|记者|方面|团队|企业|公司$", text)
            or text in _TITLE_PREFIXES
            # 朱某当选董事长 / 李某获任总经理: the verb between a name and its title.
            or _ELECTED.fullmatch(text)
            # 聘任副总经理X兼任财务总监: the appointing verb before a title is no employer.
            or _APPOINTS.fullmatch(text)
        )
        if text in _GENERIC_UNITS:
            # 项目总工程师: the facility or project the text is about, never the word 项目.
            prev = ctx.last_org_before(pos_start, (EntityType.FACILITY, EntityType.RESEARCH), 3)
            if prev is None or _LEADS.match(ctx.norm, prev.end):
                # 实验由X研究所牵头，Y担任项目负责人: the institute leads the project; the
                # project itself is unnamed here, so no organisation.
                return None, 0.0
            name = ctx.fullest_name(ctx.norm[prev.start : prev.end])
            return Arg(ctx._surface(name, prev.start, prev.end), s, run.end(), prev.type), 0.65
        if 2 <= len(text) <= 8 and not bad:
            name = _split_short_name(ctx, text)
            return Arg(ctx._surface(name, s, run.end()), s, run.end(), EntityType.COMPANY), 0.7
    return None, 0.0


_LEADS = re.compile(r"(?:牵头|主导|承担|负责)")
_REGION_CHAIN_GAP = re.compile(r"[\u4e00-\u9fff]{2,12}产业链")
_SUBSIDIARY = re.compile(r"(?:全资|控股)?子公司")


def _subsidiary_before(ctx: DocContext, pos: int) -> Arg | None:
    """The last company named as a subsidiary (全资子公司X有限公司) before `pos`."""
    for m in reversed(ctx.mentions):
        if m.end > pos or m.type is not EntityType.COMPANY:
            continue
        lead = _SUBSIDIARY.match(ctx.norm, m.start)
        if lead is not None and lead.end() < m.end:
            return ctx.span_arg(lead.end(), m.end, EntityType.COMPANY)
        if _SUBSIDIARY.search(ctx.norm, max(0, m.start - 5), m.start):
            return ctx.org_arg(m)
    return None


def _split_short_name(ctx: DocContext, text: str) -> str:
    """The fullest company name for a short name; also one that drops a middle word of the
    registered name (驰远零部件 for 襄阳驰远汽车零部件有限公司), when exactly one company name
    holds both halves in order."""
    name = ctx.fullest_name(text)
    if name != text or len(text) < 4:
        return name
    found = set()
    for full in ctx._org_names:
        if not full.endswith("公司"):
            continue
        for k in range(2, len(text) - 1):
            i = full.find(text[:k])
            if i >= 0 and full.find(text[k:], i + k + 1) >= 0:
                found.add(full)
                break
    return found.pop() if len(found) == 1 else name


def _person_before(
    ctx: DocContext, sent: Sentence, ms: list[Mention], i: int, pos_start: int, org: Arg | None
) -> tuple[Mention | None, Arg | None, float]:
    """PERSON（ORG POS）, PERSON 也是 ORG 的 POS, ORG POS 一职由 PERSON 担任."""
    tail = ctx.norm[ms[i].end : sent.end]
    m = re.match(r"(?:之一)?一职由", tail)
    if m is not None:
        k = i + 1
        if k < len(ms) and ms[k].type is EntityType.PERSON and ms[k].start == ms[i].end + m.end():
            return ms[k], None, 0.85
    # Walk back to the organisation start, then look for the person before it.
    anchor = org.start if org is not None else pos_start
    persons = [p for p in ms if p.type is EntityType.PERSON and p.end <= anchor]
    if not persons:
        return None, None, 0.0
    p = persons[-1]
    between = ctx.norm[p.end : anchor]
    if between in ("（", "("):
        return p, None, 0.9
    if (
        (
            _SUBJECT_VERB.search(between)
            or re.search(r"(?:也|还|同时)?(?:是|担任|出任)[^，。；]{0,20}$", between)
            or _ELECTED.fullmatch(between)
        )
        and len(between) <= 24
        and "，" not in between
    ):
        return p, None, 0.75
    if _STILL_HOLDS.fullmatch(between):
        return p, None, 0.7  # X不再担任总裁职务，继续担任集团董事: the subject keeps this one
    return None, None, 0.0


# X当选为ORG会长 / X被任命为ORG总经理: the subject now holds the office.
_ELECTED = re.compile(r"(?:正式|日前|近日)?(?:当选为?|被(?:任命|聘任|选举|推选)为|获任)")
_APPOINTS = re.compile(r"(?:同时|另|并|还|拟)?(?:聘任|聘请|任命|委任|选举|推选|提名|增补|聘)")
_STILL_HOLDS = re.compile(
    r"[^，。；]{0,30}[，,](?:今后|此后)?将?(?:并|仍|继续|仍然|同时)(?:担任|兼任|出任)"
)


def _subject_org(
    ctx: DocContext, sent: Sentence, pos_start: int, person: Mention
) -> tuple[Arg | None, float]:
    """No organisation next to the title: the organisation the sentence is about."""
    orgs = [
        m
        for m in sent.orgs()
        if m.end <= pos_start and not _placed(ctx, m) and not ctx.norm.endswith("由", 0, m.start)
    ]  # 由X牵头: an agent, not what the sentence is about
    if orgs:
        return ctx.org_arg(orgs[0]), 0.7
    prev = _last_non_investor(ctx, sent)
    if prev is not None:
        return ctx.org_arg(prev), 0.6
    # 「董事长王传福多次表示，技术是比亚迪的立身之本」 in a profile of 比亚迪: the company the
    # article is about, when this sentence names it too.
    topic = ctx.topic_company(sent.start)
    if topic is not None:
        name = ctx.fullest_name(ctx.norm[topic.start : topic.end])
        for m in sent.of(EntityType.COMPANY):
            if ctx.fullest_name(ctx.norm[m.start : m.end]) == name:
                return ctx.org_arg(topic), 0.55
        # 董事长X在致股东信中表示，公司…: the sentence refers to the company by 公司 alone.
        if _BARE_COMPANY.search(sent.norm):
            return ctx.org_arg(topic), 0.55
    return None, 0.6


# 公司 as a word of its own, not the tail of a name (…有限公司) or 子公司/分公司.
_BARE_COMPANY = re.compile(r"(?:^|[，,；;。、在的和与])(?:本|该)?公司(?![\u4e00-\u9fff]{0,2}有限)")


_PLACE_VERB = re.compile(r"(?:位于|地处|坐落于|落户|落户于|来自)$")


def _placed(ctx: DocContext, m: Mention) -> bool:
    """位于香港科学园的X公司 / 上海临港的X公司: the first name says where the second
    organisation is; it is not the employer of the officers named after it."""
    return bool(_PLACE_VERB.search(ctx.norm, max(0, m.start - 4), m.start)) or (
        ctx.is_attributive_place(m)
    )


_INVESTING = re.compile(r"(?:共同|联合)?(?:领投|跟投|参投|独家投资)")
_INVESTOR_LIST = re.compile(r"、[^，。；]{0,20}?(?:共同|联合)?(?:领投|跟投|参投)")
_INVESTOR_BEFORE = re.compile(r"投资(?:方|机构|人)(?:为|是|包括|有)[^，。；]*$")


def _last_non_investor(ctx: DocContext, sent: Sentence) -> Mention | None:
    """The last company or institute of the previous sentence that is not named as an
    investor of a round (…完成天使轮融资，由X领投。联合创始人Y… → the funded company)."""
    if sent.index == 0:
        return None
    prev = ctx.sentences[sent.index - 1]
    for m in reversed(prev.mentions):
        if m.type not in (EntityType.COMPANY, EntityType.RESEARCH):
            continue
        if _rank_affiliation(ctx, m):
            continue  # 由中国海洋大学教授X担任: the university is not what the text is about
        if _INVESTING.match(ctx.norm, m.end) or _INVESTING.match(ctx.norm, m.end + 1):
            continue  # 由X领投 / 由X创领投 (a name cut one character short)
        if _INVESTOR_LIST.match(ctx.norm, m.end):
            continue  # X基金、Y国投跟投: every name of the list is an investor
        if _INVESTOR_BEFORE.search(ctx.norm, max(0, m.start - 8), m.start):
            continue  # 投资方为X基金 / 投资方包括X: the round's investor, not the funded firm
        if ctx.is_dependent_unit(m):
            continue  # X二期工厂: a site, not an employer
        return m
    return None


_CHAIN_TITLES = frozenset({"链长", "副链长", "总链长"})


def _chain_org(ctx: DocContext, org: Arg, pos_start: int) -> tuple[Arg | None, Arg | None]:
    """株洲市轨道交通装备产业链链长、副市长: the chain is what the official leads, not an
    organisation; the org of every title in the run is the region the chain belongs to,
    if the text names one, else none."""
    if org.end <= org.start or org.end > pos_start:
        return org, None
    if not (org.text.endswith("链") or ctx.norm[org.end : pos_start].endswith("链")):
        return org, None
    chain = ctx.span_arg(org.start, pos_start)
    # The tagger often reads 湘潭市先进储能材料 as one name, so look inside the span.
    lead = [r for r in find_regions(ctx.norm[org.start : pos_start]) if r.start == 0]
    if not lead:
        return None, chain
    return ctx.span_arg(org.start, org.start + lead[0].end, EntityType.REGION), chain


# Short forms of park and government names, and the words they stand for.
_ABBREVIATIONS = (
    ("经开区", "经济技术开发区"),
    ("高新区", "高新技术产业开发区"),
    ("管委会", "管理委员会"),
)


def _expand_abbreviation(ctx: DocContext, org: Arg) -> Arg:
    """小蓝经开区 → 南昌小蓝经济技术开发区 when the document names the park in full: an
    organisation takes the fullest name the article gives."""
    text = ctx.norm[org.start : org.end] if org.end > org.start else org.text
    if ctx.fullest_name(text) != text or len(text) < 5:
        return org
    expanded = text
    for short, full in _ABBREVIATIONS:
        expanded = expanded.replace(short, full)
    if expanded == text:
        return org
    name = ctx.fullest_name(expanded)
    if expanded not in name or name not in ctx.norm:
        return org
    return Arg(ctx._surface(name, org.start, org.end), org.start, org.end, org.type)


def _make(
    ctx: DocContext,
    sent: Sentence,
    person: Mention,
    pos: Mention,
    org: Arg | None,
    conf: float,
    chain: Arg | None = None,
) -> Fact:
    position = ctx.text[pos.start : pos.end]
    if org is not None:
        org = _expand_abbreviation(ctx, org)
    args = {
        "person": ctx.arg(person),
        "position": position,
        "position_arg": ctx.arg(pos),
        "org": org,
    }
    if chain is not None and position in _CHAIN_TITLES:
        args["chain"] = chain
    return ctx.fact(FactKind.HOLDS_POSITION, args, sent, conf, EXTRACTOR)

"""indicator and count facts: figures about a subject (company, park, project, region+industry).

Indicator: a metric word (lexicon.METRICS: 营业收入, 产值, 增加值, 产能, 研发人员 …) and the
value in its clause — money for money metrics, a counted quantity for quantity metrics
(also written before the word: 超4万名研发工程师), a percentage for ratios. A following
同比增长/年均增长 X% gives a `<metric>增速` fact. The subject is the text the clause
starts with (an organisation, project or region+industry phrase), else the project or
company the sentence is about.

Count: 10家省实验室 / 集聚新能源材料企业60余家 — a number of organisations of a category
(lexicon.COUNT_CATEGORY_SUFFIXES); counts of people are indicators, not counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.extract.facts.context import ORG_TYPES, DocContext, Sentence
from chainatlas.extract.facts.investments import stage_in
from chainatlas.extract.facts.projects import find_projects
from chainatlas.extract.lexicon import (
    COUNT_CATEGORY_SUFFIXES,
    METRIC_VERBS,
    METRICS,
    PRODUCTION_UNITS,
    longest_first,
)
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind, Money, Quantity

__all__ = ["COUNT_EXTRACTOR", "EXTRACTOR", "extract", "extract_counts"]

EXTRACTOR = "facts.indicators.v2"
COUNT_EXTRACTOR = "facts.counts.v2"

_METRIC_RE = re.compile("|".join(map(re.escape, longest_first(METRICS))))
_QUAL = re.compile(r"(超过|突破|达到|高达|达|约|超|逾|近|以上|余|不低于|不少于|预计|力争)")
_TARGET = re.compile(
    r"到20\d\d年|预计|力争|目标|建成后|达产后|投产后|全部建成|将|有望|可达|争取|全面达产后"
)
_GROWTH = re.compile(
    # 按年增长 is the Hong Kong wording of 同比增长; a decline (同比下降12.5%) is a
    # negative growth rate, as the labellers of new text write it.
    r"(?:同比|年均|年平均|按年)?(?:增长|增加|下降|减少|下滑|增速(?:保持在|保持|为|达到|达|超过|在))"
    r"(?:了)?(?:超过|约|近|逾)?"
    r"([0-9.]+)[%％](以上|左右)?"
)
_CHENG = re.compile(r"([一二三四五六七八九])成")
_CN = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
_CLAUSE_END = re.compile(r"[，,；;。]")
_SUBJ_STOP = re.compile(
    r"^(?:其中|此外|同时|目前|另外|据披露|据了解|据介绍|方案提出|提出|预计|力争|全年|当年|全部建成后|建成后|达产后|"
    r"到20\d\d年|20\d\d年|去年|今年|上年|该|其|前[一二三]季度|[一二三四]季度|上半年|下半年"
    r"|[0-9]+[—–-][0-9]+月)+"
)
_PERIOD_ONLY = re.compile(
    r"(?:今年|去年|上年|全年|当年|20\d\d年|前[一二三]季度|[一二三四]季度|上半年|下半年"
    r"|[0-9]+[—–-][0-9]+月)+"
)
_SENTENCE_SUBJECT = re.compile(r"该公司|公司|园区|全市|全省|全区|全县|开发区|高新区")
_PEOPLE_UNITS = ("名", "人")
_COUNT_UNITS = ("家", "个", "所", "座")
_CAT_RE = "|".join(map(re.escape, longest_first(COUNT_CATEGORY_SUFFIXES)))
_COUNT_AFTER = re.compile(r"^([\u4e00-\u9fff“”\"A-Za-z0-9]{0,12}?(?:" + _CAT_RE + r"))")
_COUNT_BEFORE = re.compile(
    r"([\u4e00-\u9fff]{1,12}?(?:" + _CAT_RE + r"))(?:数量|总数)?(?:超过|超|达到|达|约|近|逾)?$"
)


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    carried: Arg | None = None
    for sent in ctx.sentences:
        found = _sentence_indicators(ctx, sent, carried)
        # 「…产业规模达到3500亿元；到2030年，产业规模突破5000亿元」: the next clause
        # with no subject of its own talks about the same thing.
        carried = found[-1].args["subject"] if found and _continues(ctx, sent) else None
        seen = {(f.args["metric"], f.args["value"]) for f in found}
        out.extend(found)
        # 年产10万吨电解液项目 is read both as 年产 + value and as a capacity prefix.
        out.extend(
            f
            for f in _capacity_prefix(ctx, sent)
            if (f.args["metric"], f.args["value"]) not in seen
        )
    return out


def _continues(ctx: DocContext, sent: Sentence) -> bool:
    """The next sentence continues this one (a semicolon, not a full stop, ends it)."""
    return bool(re.search(r"[；;]\s*$", sent.norm))


def _sentence_indicators(ctx: DocContext, sent: Sentence, carried: Arg | None = None) -> list[Fact]:
    facts: list[Fact] = []
    used_values: set[int] = set()
    norm = sent.norm
    last_subject: Arg | None = carried
    hits = _metric_hits(norm)
    skip: set[int] = set()
    for n, m in enumerate(hits):
        if n in skip:
            continue
        metric, kind = m.metric, m.kind
        clause_end = _clause_end(norm, m.end)
        pair = _paired_metric(norm, hits, n)
        if pair is not None:
            # 产量和销量分别为61.2万辆和59.7万辆: two metrics, values in the same order.
            split = _respectively(ctx, sent, m, clause_end, used_values, pair)
            if split:
                facts.extend(split)
                skip.add(n + 1)
                continue
        if _RESPECTIVELY.match(norm, m.end) or _RESPECTIVELY_BEFORE.search(norm, 0, m.start):
            split = _respectively(ctx, sent, m, clause_end, used_values)
            if split:
                facts.extend(split)
                continue
        value = _value_after(ctx, sent, m.end, clause_end, kind, used_values, m.verb)
        if value is None and kind == "qty" and not m.verb:
            value = _value_before(sent, m.start)
        if value is None:
            if kind != "pct" and not m.verb:
                facts.extend(_bare_growth(ctx, sent, m, last_subject))
                facts.extend(_bare_share(ctx, sent, m, last_subject))
            continue
        vstart, vend, val = value
        used_values.add(vstart)
        if _THRESHOLD_OF.match(ctx.norm, vend):
            continue
        subject = _subject(ctx, sent, m.start, last_subject)
        if subject is None:
            continue
        last_subject = subject
        year, target = _year_target(ctx, sent, m.start, metric)
        between = ctx.norm[sent.start + m.end : vstart]
        qual = _qualifier(between, val)
        num, unit = _num_unit(val)
        args = {"subject": subject, "metric": metric, "value": num, "unit": unit, "year": year,
                "qualifier": qual, "target": target, "value_text": ctx.text[vstart:vend]}  # fmt: skip
        # A verb read (销售…6.8万辆) is less certain than a metric noun.
        facts.append(ctx.fact(FactKind.INDICATOR, args, sent, 0.65 if m.verb else 0.75, EXTRACTOR))
        rel_vend = vend - sent.start
        # 4865亿元，按不变价格计算，同比增长6.1%: a clause naming the price basis is skipped.
        basis = _PRICE_BASIS.match(norm, rel_vend)
        g_from = basis.end() if basis is not None else rel_vend
        g = _GROWTH.search(
            norm, g_from, min(len(norm), _clause_end(norm, _clause_end(norm, g_from) + 1))
        )
        if g is not None and (
            _METRIC_RE.search(norm, rel_vend, g.start())
            or "分别" in norm[rel_vend : g.start()]
            or not _growth_continues(norm, g_from, g.start())
        ):
            g = None  # the growth belongs to another metric (…出货量2亿片，营业收入同比增长85%)
        if g is not None and kind != "pct":
            gargs = dict(args, metric=metric + "增速", value=_rate(g), unit="%",
                         qualifier=_rate_qualifier(g), value_text=g.group())  # fmt: skip
            facts.append(ctx.fact(FactKind.INDICATOR, gargs, sent, 0.7, EXTRACTOR))
        share = _SHARE_OF_REVENUE.match(norm, rel_vend)
        if share is not None and metric in _SHARE_METRIC:
            s0 = sent.start + share.start(2)
            sargs = dict(args, metric=_SHARE_METRIC[metric], value=float(share.group(2)), unit="%",
                         qualifier=_qualifier(share.group(1), val) if share.group(1) else None,
                         value_text=ctx.text[s0 : sent.start + share.end()])  # fmt: skip
            facts.append(ctx.fact(FactKind.INDICATOR, sargs, sent, 0.7, EXTRACTOR))
    facts.extend(_fastest_growth(ctx, sent, hits))
    return facts


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # offsets inside the sentence
    end: int
    metric: str
    kind: str
    verb: bool = False


_VERB_RE = re.compile(
    r"(?<![可能将拟])(?:累计|全年|共|共计|合计)?("
    + "|".join(map(re.escape, METRIC_VERBS))
    + r")(?![线基车工企商服型性力额量收能规])"
)


def _metric_hits(norm: str) -> list[_Hit]:
    """Metric nouns (营业收入, 产值 …) and, where no noun covers them, metric verbs."""
    hits = []
    for m in _METRIC_RE.finditer(norm):
        metric, kind = METRICS[m.group()]
        if m.group() == "规模" and _NOT_SCALE.match(norm, m.end()):
            continue  # 规模以上工业 is a size class, not an industry size
        if m.group() == "规模" and "基金" in norm[m.end() : _clause_end(norm, m.end())]:
            continue  # 规模10亿元的…基金: the size of a fund, not of an industry
        hits.append(_Hit(m.start(), m.end(), metric, kind))
    for m in _VERB_RE.finditer(norm):
        if any(h.start <= m.start(1) < h.end for h in hits):
            continue
        hits.append(_Hit(m.start(1), m.end(1), METRIC_VERBS[m.group(1)], "qty", True))
    return sorted(hits, key=lambda h: h.start)


_NOT_SCALE = re.compile(r"以上|以下")
# A subject starts after a clause break or a colon (…发展报告显示：全年园区实现…).
_HEAD_BREAK = re.compile(r"[，,；;。：:]")
# 培育年营业收入超百亿元的零部件企业: a threshold that defines a group, not a figure.
_THRESHOLD_OF = re.compile(
    r"(?:以上|以下)?的[\u4e00-\u9fff]{0,10}?(?:企业|公司|项目|集群|园区|产业)"
)
# What may stand between a clause break and a growth rate that still belongs to the figure
# before it (…892亿元，同比增长13.2% / ，较上年增长12%). Anything else is a new subject
# (…3万亿元，工业投资年均增长10%以上).
_PRICE_BASIS = re.compile(r"[，,](?:按|以)(?:不变价格|可比价格|可比价|可比口径)计算(?=[，,])")
_GROWTH_LEAD = re.compile(r"(?:与|较|比)?(?:上年|去年|上一年|20\d\d年)?(?:同期)?(?:相比)?")

# 同比增长20% right after a metric with no level figure (产值同比增长9.5%).
_BARE_GROWTH = re.compile(
    r"(?:同比|按年|比上年|较上年|较去年同期|比去年同期)?(?:增长|增加|提高|下降|减少|下滑)(?:了)?"
    r"(?:超过|约|近|逾)?"
    r"([0-9.]+)[%％](以上)?"
)
# 研发投入达到5.2亿元，占营业收入的比例为9.2%.
_SHARE_OF_REVENUE = re.compile(
    r"[，,]?占(?:公司)?(?:营业收入|营收|总营收|销售收入|主营业务收入)(?:总额)?的?(?:比例|比重)?"
    r"(?:为|达|达到|约为|约|超过|提高到|提升至|升至)?(约|超过|达到|近|高达)?([0-9.]+)[%％]"
)
_SHARE_METRIC = {"研发投入": "研发投入占比", "出口额": "出口占比"}
_RESPECTIVELY = re.compile(r"(?:量|额)?分别(?:为|是|达到|达|完成|实现)?")
_PAIR_SUBJECT = re.compile(r"两家(?:公司|企业)|二者|两者|双方|两企")


_DECLINE = re.compile(r"下降|减少|下滑")


def _rate(g: re.Match[str]) -> float:
    """A growth rate with its sign: 同比下降12.5% is -12.5."""
    value = float(g.group(1))
    return -value if _DECLINE.search(g.group()) else value


def _rate_qualifier(g: re.Match[str]) -> str | None:
    """以上/左右 after the rate, else 约/超过… before it (增加约40%)."""
    if g.group(2):
        return g.group(2)
    q = re.search(r"(超过|约|近|逾)[0-9.]", g.group())
    return q.group(1) if q else None


def _growth_continues(norm: str, vend: int, gstart: int) -> bool:
    """The growth rate after a clause break still describes the figure before it."""
    brk = _clause_end(norm, vend)
    if brk >= gstart:
        return True
    return bool(_GROWTH_LEAD.fullmatch(norm, brk + 1, gstart))


def _bare_growth(ctx: DocContext, sent: Sentence, m: _Hit, last: Arg | None) -> list[Fact]:
    g = _BARE_GROWTH.match(sent.norm, m.end)
    if g is None:
        return []
    subject = _subject(ctx, sent, m.start, last)
    if subject is None:
        return []
    year, target = _year_target(ctx, sent, m.start, m.metric)
    args = {"subject": subject, "metric": m.metric + "增速", "value": _rate(g),
            "unit": "%", "year": year, "qualifier": _rate_qualifier(g), "target": target,
            "value_text": g.group()}  # fmt: skip
    out = [ctx.fact(FactKind.INDICATOR, args, sent, 0.65, EXTRACTOR)]
    # 工业总产值增长10%以上，力争突破1400亿元: the goal clause gives the level of the same
    # metric, as a target.
    brk = _clause_end(sent.norm, g.end())
    goal = _GOAL_CLAUSE.match(sent.norm, brk + 1)
    if goal is not None and brk < len(sent.norm):
        value = _value_after(
            ctx, sent, goal.end(), _clause_end(sent.norm, goal.end()), m.kind, set(), False
        )
        if value is not None and value[0] - sent.start <= goal.end() + 2:
            vs, ve, val = value
            num, unit = _num_unit(val)
            between = sent.norm[brk + 1 : vs - sent.start]
            vargs = dict(args, metric=m.metric, value=num, unit=unit, target=True,
                         qualifier=_qualifier(between, val), value_text=ctx.text[vs:ve])  # fmt: skip
            out.append(ctx.fact(FactKind.INDICATOR, vargs, sent, 0.6, EXTRACTOR))
    return out


_GOAL_CLAUSE = re.compile(r"(?:力争|争取|确保|预计|有望)(?:实现|达到|突破|超过|达)?")
# 其中电子信息产业增速最快，达到21.7%: the growth of the metric just reported, for one of
# the subjects it was reported for.
_FASTEST = re.compile(
    r"其中([\u4e00-\u9fff]{2,12}?)(?:增速|增长)最快[，,]?(达到|达|为|增长)?(?:了)?([0-9.]+)[%％]"
)


def _bare_share(ctx: DocContext, sent: Sentence, m: _Hit, last: Arg | None) -> list[Fact]:
    """海外市场收入占营业收入的比重提升至38.6%: a share given without the amount itself."""
    share = _SHARE_OF_REVENUE.match(sent.norm, m.end)
    if share is None or m.metric not in _SHARE_METRIC:
        return []
    subject = _subject(ctx, sent, m.start, last)
    if subject is None:
        return []
    year, target = _year_target(ctx, sent, m.start, m.metric)
    s0 = sent.start + share.start(2)
    args = {"subject": subject, "metric": _SHARE_METRIC[m.metric], "value": float(share.group(2)),
            "unit": "%", "year": year, "qualifier": share.group(1) or None, "target": target,
            "value_text": ctx.text[s0 : sent.start + share.end()]}  # fmt: skip
    return [ctx.fact(FactKind.INDICATOR, args, sent, 0.65, EXTRACTOR)]


def _fastest_growth(ctx: DocContext, sent: Sentence, hits: list[_Hit]) -> list[Fact]:
    out = []
    for f in _FASTEST.finditer(sent.norm):
        before = [h for h in hits if h.end <= f.start() and h.kind != "pct"]
        if not before:
            continue
        h = before[-1]
        year, target = _year_target(ctx, sent, h.start, h.metric)
        s0, e0 = sent.start + f.start(1), sent.start + f.end(1)
        args = {"subject": ctx.span_arg(s0, e0), "metric": h.metric + "增速",
                "value": float(f.group(3)), "unit": "%", "year": year,
                "qualifier": f.group(2) if f.group(2) != "增长" else None, "target": target,
                "value_text": f.group()}  # fmt: skip
        out.append(ctx.fact(FactKind.INDICATOR, args, sent, 0.6, EXTRACTOR))
    return out


def _paired_metric(norm: str, hits: list[_Hit], n: int) -> _Hit | None:
    """The second of two metric words joined by 和/及/与/、 and followed by 分别."""
    if n + 1 >= len(hits):
        return None
    a, b = hits[n], hits[n + 1]
    if b.start != a.end + 1 or norm[a.end] not in "和及与、" or a.kind != b.kind or a.verb:
        return None
    return b if re.match(r"(?:量|额)?分别", norm[b.end :]) else None


def _respectively(
    ctx, sent, m: _Hit, clause_end: int, used: set[int], pair: _Hit | None = None
) -> list[Fact]:  # type: ignore[no-untyped-def]
    """出货量分别为28GWh和19.5GWh (two companies) / 产销分别完成X和Y (two metrics) /
    产量和销量分别为X和Y (two metric words)."""
    values = []
    pos = pair.end if pair is not None else m.end
    clause_end = _clause_end(sent.norm, pos) if pair is not None else clause_end
    while True:
        v = _value_after(ctx, sent, pos, clause_end, m.kind, used, False)
        if v is None:
            break
        values.append(v)
        pos = v[1] - sent.start
        if not re.match(r"[和、及与]", sent.norm[pos : pos + 1]):
            break
    if len(values) < 2:
        return []
    head = sent.norm[max(0, m.start - 2) : m.start]
    if pair is not None:
        if len(values) != 2:
            return []
        metrics = [(m.metric, None), (pair.metric, None)]
        subj = _subject(ctx, sent, m.start, None)
        subjects = [subj, subj]
    elif head.endswith("产销") and len(values) == 2:
        metrics = [("产量", None), ("销量", None)]
        subj = _subject(ctx, sent, m.start - 2, None)
        subjects = [subj, subj]
    else:
        metrics = [(m.metric, None)] * len(values)
        subjects = _listed_companies(ctx, sent, m.start, len(values))
        if subjects is None:
            subjects = _coordinated_subjects(ctx, sent, m.start, len(values))
    if subjects is None or any(s is None for s in subjects):
        return []
    year, target = _year_target(ctx, sent, m.start, m.metric)
    growth = _BARE_GROWTH_LIST.match(sent.norm, values[-1][1] - sent.start)
    rates = [float(x) for x in re.findall(r"([0-9.]+)[%％]", growth.group())] if growth else []
    out = []
    for k, ((vs, ve, val), (metric, _), subject) in enumerate(
        zip(values, metrics, subjects, strict=True)
    ):
        used.add(vs)
        num, unit = _num_unit(val)
        args = {"subject": subject, "metric": metric, "value": num, "unit": unit, "year": year,
                "qualifier": val.qualifier, "target": target, "value_text": ctx.text[vs:ve]}  # fmt: skip
        out.append(ctx.fact(FactKind.INDICATOR, args, sent, 0.65, EXTRACTOR))
        if len(rates) == len(values):
            gargs = dict(args, metric=metric + "增速", value=rates[k], unit="%", qualifier=None,
                         value_text=growth.group())  # fmt: skip
            out.append(ctx.fact(FactKind.INDICATOR, gargs, sent, 0.6, EXTRACTOR))
    return out


# A和B两大产业分别实现产值X和Y: 分别 written before the metric word.
_RESPECTIVELY_BEFORE = re.compile(r"分别(?:实现|完成|达到|为)?$")
# What stands between the coordinated nouns and a metric: 的, a period (挖掘机和装载机全年销量).
_HEAD_TRAIL = re.compile(r"(?:的|全年|当年|上半年|下半年|前三季度|[一二三四]季度)*$")
_GROUP_TAIL = re.compile(r"[两三四五][大个家类](?:主导|支柱|重点|新兴)?(?:产业|行业|企业|领域)?$")


def _coordinated_subjects(ctx: DocContext, sent: Sentence, pos: int, n: int) -> list[Arg] | None:
    """The n coordinated nouns before 分别 (新能源汽车零部件和电子信息两大主导产业), or,
    when 分别 follows the metric, before the metric (A、B和C三个产业的营业收入分别为…)."""
    head_end = sent.norm.rfind("分别", 0, pos)
    if head_end < 0:
        trail = _HEAD_TRAIL.search(sent.norm, 0, pos).group()
        if not trail and sent.norm.startswith("全年", pos - 1):
            trail = "全"  # 装载机全|年销量: the metric word took the 年 of 全年
        head_end = pos - len(trail)
    cstart = 0
    for c in _CLAUSE_END.finditer(sent.norm, 0, head_end):
        cstart = c.end()
    head = sent.norm[cstart:head_end]
    lead = _SUBJ_STOP.match(head)
    off = cstart + (lead.end() if lead else 0)
    head = sent.norm[off:head_end]
    tail = _GROUP_TAIL.search(head)
    if tail is not None:
        head = head[: tail.start()]
    parts = list(re.finditer(r"[^和、及与]+", head))
    if len(parts) != n or any(len(x.group()) < 2 for x in parts):
        return None
    return [ctx.span_arg(sent.start + off + x.start(), sent.start + off + x.end()) for x in parts]


_BARE_GROWTH_LIST = re.compile(
    r"[，,]?(?:同比|比上年)?分别(?:增长|提高)(?:了)?[0-9.]+[%％](?:[和、][0-9.]+[%％])+"
)


def _listed_companies(ctx: DocContext, sent: Sentence, pos: int, n: int) -> list[Arg] | None:
    """The n companies a 两家公司…分别 sentence spreads its figures over, in order."""
    head = sent.norm[:pos]
    comps = [x for x in sent.mentions if x.type is EntityType.COMPANY and x.end <= sent.start + pos]
    if len(comps) < n and (_PAIR_SUBJECT.search(head) or not comps) and sent.index > 0:
        prev = ctx.sentences[sent.index - 1]
        comps = [x for x in prev.mentions if x.type is EntityType.COMPANY] + comps
    if len(comps) < n:
        return None
    chosen = comps[-n:]
    s = sent.start + pos
    return [
        Arg(
            a.text,
            s if a.start < sent.start else a.start,
            s if a.start < sent.start else a.end,
            a.type,
        )
        for a in (ctx.org_arg(c) for c in chosen)
    ]


_BUILT = frozenset({"投产", "达产", "竣工"})
_CAPACITY_UNITS = ("GWh", "MWh", "吨", "台", "辆", "片", "套", "条", "GW", "MW", "万千瓦")


def _capacity_prefix(ctx: DocContext, sent: Sentence) -> list[Fact]:
    """20GWh储能电池项目: a capacity written in front of the project name."""
    out = []
    for p in find_projects(ctx, sent):
        for s, e, q in sent.quantities:
            if e == p.start and q.unit in _CAPACITY_UNITS:
                # Not built yet unless the sentence reports it running (已…投产/达产).
                built = any(st in _BUILT for _a, _b, st in stage_in(sent.norm))
                args = {"subject": Arg(ctx.text[p.start : p.end], p.start, p.end, None),
                        "metric": "产能", "value": q.value, "unit": q.unit, "year": None,
                        "qualifier": q.qualifier, "target": not built, "value_text": ctx.text[s:e]}  # fmt: skip
                out.append(ctx.fact(FactKind.INDICATOR, args, sent, 0.7, EXTRACTOR))
    return out


def _clause_end(norm: str, pos: int) -> int:
    m = _CLAUSE_END.search(norm, pos)
    return m.start() if m else len(norm)


def _value_after(ctx, sent, pos, end, kind, used, verb=False):  # type: ignore[no-untyped-def]
    rel = lambda x: x - sent.start  # noqa: E731
    if kind == "money":
        for s, e, money in sent.money:
            if pos <= rel(s) < end and rel(s) - pos <= 14 and s not in used:
                return s, e, money
        return None
    reach = 12 if verb else 16
    for s, e, q in sent.quantities:
        if not (pos <= rel(s) < end and rel(s) - pos <= reach) or s in used:
            continue
        if verb and re.search(r"[0-9]", sent.norm[pos : rel(s)]):
            return None
        if kind == "pct":
            if q.unit == "%":
                return s, e, q
            continue
        if q.unit in PRODUCTION_UNITS or (q.unit in _PEOPLE_UNITS and not verb):
            return s, e, q
        if verb:
            return None  # the first figure after the verb is not a product count
    if kind == "pct":
        c = _CHENG.search(sent.norm, pos, end)
        if c is not None:
            s = sent.start + c.start()
            return s, s + len(c.group()), Quantity(c.group(), _CN[c.group(1)] * 10.0, "%")
    return None


def _value_before(sent: Sentence, pos: int):  # type: ignore[no-untyped-def]
    for s, e, q in sent.quantities:
        if e - sent.start == pos and q.unit in _PEOPLE_UNITS:
            return s, e, q
    return None


def _num_unit(val: Money | Quantity) -> tuple[float | None, str]:
    if isinstance(val, Money):
        return val.value if val.value is not None else val.low, "元"
    return val.value, val.unit


def _qualifier(between: str, val: Money | Quantity) -> str | None:
    found = _QUAL.findall(between)
    if found:
        # The word nearest the number wins (预计超过 → 超过); 预计/力争 only when alone.
        return found[-1]
    return val.qualifier


def _year_target(
    ctx: DocContext, sent: Sentence, pos: int, metric: str | None = None
) -> tuple[int | None, bool]:
    head = sent.norm[:pos]
    target = bool(_TARGET.search(head)) or "可年产" in sent.norm[pos : pos + 4]
    year = None
    for s, _e, d in sent.dates:
        period = d.precision == "period" and not d.expected  # 截至9月末
        if s - sent.start < pos and (
            period or d.precision in ("year", "month", "quarter", "half", "day")
        ):
            year = int(d.start[:4])
            target = target or d.expected
    if year is None:
        prev = _prev_year(ctx, sent)
        if prev is not None and not target:
            year = prev
    if year is None:
        carried = _carried_target(ctx, sent)
        if carried is not None:
            return carried, True
    if year is None and not target and metric not in _STOCK_METRICS:
        year = _context_year(ctx, sent)
    if year is None and not target and _PERIOD_END.search(sent.norm):
        # 截至报告期末，公司共有研发人员1150人: the end of the period the report covers.
        year = _report_year(ctx)
    return year, target


# Figures that describe a standing state (head count, capacity) carry a year only when
# the sentence gives one; everything else inherits the period of the sentences before.
_STOCK_METRICS = frozenset({"员工", "研发人员", "产能"})
_NOW = re.compile(r"目前|现有|截至|现拥有|拥有|已有|设计")
_REPORT_PERIOD = re.compile(r"(?:报告期内|报告期|同期|期内)")


def _context_year(ctx: DocContext, sent: Sentence) -> int | None:
    """The period the surrounding sentences report on (报告期内…, 其中…, 全年…).

    Looks back up to three sentences for a year-like date (2023年, 去年, 今年一季度);
    day dates without a year (3月27日晚) are event dates, not reporting periods.
    """
    if _NOW.search(sent.norm):
        return None
    lo = max(-1, sent.index - 4)
    for k in range(sent.index - 1, -1, -1):
        if k <= lo:
            break
        prev = ctx.sentences[k]
        if _REPORT_PERIOD.match(prev.norm):
            lo = max(-1, k - 3)  # 报告期内… refers to the period named before it
        found = [
            d
            for ds, de, d in prev.dates
            if d.precision != "day"
            and not d.expected
            and re.search(r"年|季度", d.text)
            and not _is_comparison(ctx.norm, ds, de)
        ]
        if found:
            return int(found[0].start[:4])
        if prev.dates and all(_is_comparison(ctx.norm, ds, de) for ds, de, _d in prev.dates):
            lo = max(-1, lo - 1)  # a figure compared with 上年: the report goes on, look further
        if _TARGET.search(prev.norm):
            return None  # a plan sentence in between: its year is not a reporting period
    if lo >= 0 and not _breakdown(ctx, sent):
        return None
    # Past the window with nothing in between: the period the whole article reports on
    # (发布2025年经济运行情况 / 披露2025年年度报告 in the title or the first sentence), unless
    # the sentence starts a new topic with a date of its own.
    return _report_year(ctx)


# 分产业看， / 分产品看， / 其中，: a breakdown of the article's reporting period.
_NEW_TOPIC = re.compile(r"(?:分产业看|分产品看|分行业看|分领域看|分业务看|其中)[，,]")


def _breakdown(ctx: DocContext, sent: Sentence) -> bool:
    """The sentence, or the ；-joined one it continues, opens a breakdown (分产业看，…)."""
    if _NEW_TOPIC.match(sent.norm):
        return True
    prev = ctx.sentences[sent.index - 1] if sent.index else None
    return (
        prev is not None
        and prev.norm.rstrip().endswith(("；", ";"))
        and _NEW_TOPIC.match(prev.norm) is not None
    )


_PERIOD_END = re.compile(r"截至报告期末|报告期末")
# 2025年经济运行情况 / 2025年年度报告 / 2025年年报: what the article reports on.
_REPORT_OF = re.compile(r"(20\d\d)年(?:年度报告|年报|经济运行|全年经济|主要经济指标)")


def _report_year(ctx: DocContext) -> int | None:
    first = ctx.sentences[0].norm if ctx.sentences else ""
    for where in (first, ctx.title or ""):
        m = _REPORT_OF.search(where)
        if m is not None:
            return int(m.group(1))
    return None


def _is_comparison(norm: str, start: int, end: int) -> bool:
    """较去年同期增长18%: the date is the base of a comparison, not the reporting period."""
    return norm[start - 1 : start] in ("较", "比", "与") or norm.startswith("同期", end)


def _prev_year(ctx: DocContext, sent: Sentence) -> int | None:
    """据披露，2023年… / 2023年，X… : a year that opens the sentence governs it."""
    for s, _e, d in sent.dates:
        if s - sent.start <= 6 and d.precision == "year":
            return int(d.start[:4])
    return None


def _carried_target(ctx: DocContext, sent: Sentence) -> int | None:
    """到2027年，…突破8000亿元；动力电池年产量达到300GWh: the clause after a semicolon
    continues the target of the clause before."""
    if sent.index == 0:
        return None
    prev = ctx.sentences[sent.index - 1]
    if not re.search(r"[；;]\s*$", prev.norm):
        return None
    for _s, _e, d in prev.dates:
        if d.expected and d.precision == "year":
            return int(d.start[:4])
    m = re.search(r"到(20\d\d)年", prev.norm)
    return int(m.group(1)) if m else None


def _subject(ctx: DocContext, sent: Sentence, pos: int, last: Arg | None) -> Arg | None:
    # Clause head up to the metric word.
    cstart = 0
    for m in _HEAD_BREAK.finditer(sent.norm, 0, pos):
        cstart = m.end()
    head = sent.norm[cstart:pos]
    stripped = _SUBJ_STOP.sub("", head)
    off = cstart + len(head) - len(stripped)
    # 园区去年实现 / 公司累计实现: a period or 累计 between subject and verb is no part of it.
    stripped = re.sub(
        r"(?:的|实现|有|现有|拥有|已|已有|全年|去年|今年|上年|当年|累计|共|合计|年|可形成|形成|可)+$",
        "",
        stripped,
    )
    stripped = re.sub(r"^(?:全部建成后|建成后|达产后|投产后|可形成|形成|可)+", "", stripped)
    verb = re.search(r"实现|完成|拥有|共有", stripped)
    if verb is not None and verb.start() >= 2:
        stripped = stripped[: verb.start()]
    if not stripped and last is not None:
        return last
    lead = _SENTENCE_SUBJECT.match(sent.norm) if not stripped and cstart > 0 else None
    if lead is not None:
        # 公司…，今年上半年营业收入同比增长85%: a clause with only a period before the metric
        # reports on what the sentence opened with.
        s, e = sent.start, sent.start + lead.end()
        a = ctx.anaphor_arg(s, e, s) if "公司" in lead.group() else None
        return a or ctx.span_arg(s, e)
    ind = [
        m for m in sent.mentions if m.type is EntityType.INDUSTRY and m.start == sent.start + off
    ]
    product = None
    if ind and ind[0].end - ind[0].start == len(stripped):
        product = ctx.arg(ind[0])
        stripped = ""  # 储能电池出货量: a product, the figure is the company's
    stripped = (
        re.sub(r"(?:20\d\d年|[0-9]{4}年)", "", stripped) if stripped.startswith("20") else stripped
    )
    orgs = [
        m
        for m in sent.mentions
        if m.type in ORG_TYPES and sent.start + off <= m.start and m.end <= sent.start + pos
    ]
    if stripped in ("公司", "该公司", "企业") or (not stripped and re.search(r"公司$", head)):
        a = ctx.anaphor_arg(sent.start + off, sent.start + off + len(stripped), sent.start + off)
        if a is not None:
            return a
    if (
        orgs
        and orgs[0].start == sent.start + off
        and len(stripped) - (orgs[0].end - orgs[0].start) <= 2
    ):
        return ctx.org_arg(orgs[0])
    if 2 <= len(stripped) <= 20 and not re.search(r"[0-9，。]|后$|可$", stripped):
        s = sent.start + off
        name = ctx.fullest_name(stripped)
        return Arg(
            ctx._surface(name, s, s + len(stripped)),
            s,
            s + len(stripped),
            orgs[0].type if orgs else None,
        )
    # Fall back to the project or the company the sentence is about.
    projects = find_projects(ctx, sent)
    before = [p for p in projects if p.end - sent.start <= pos]
    if before:
        p = before[-1]
        return Arg(ctx.text[p.start : p.end], p.start, p.end, None)
    if re.search(r"建成后|达产后|投产后|项目|可形成|年产", sent.norm[:pos]):
        for k in range(sent.index - 1, max(-1, sent.index - 4), -1):
            pp = [p for p in find_projects(ctx, ctx.sentences[k]) if len(p.name) >= 5]
            if pp:
                p = pp[-1]
                return Arg(ctx.text[p.start : p.end], p.start, p.end, None)
    comp = ctx.subject_company(sent.start + pos, back=4)
    if comp is not None:
        return ctx.org_arg(comp)
    if stripped.startswith("公司"):
        # 公司2025年前三季度实现…, far from the last company named: the company the
        # article is about (a subsidiary named in between is not it).
        a = ctx.anaphor_arg(sent.start + off, sent.start + off + 2, sent.start + off)
        if a is not None:
            return a
    opener = _previous_opener(ctx, sent) if not stripped and product is None else None
    if opener is not None:
        # X高新区近日发布经济运行情况。全年实现地区生产总值…: the place the sentence before
        # opened with is what the figures are about.
        return ctx.org_arg(opener)
    if product is None and head and _PERIOD_ONLY.fullmatch(head):
        # Only a period before the metric (上半年营业收入…) and nothing to resolve: the clause
        # head still anchors the figure, as it did before periods were cut from subjects.
        return ctx.span_arg(sent.start + cstart, sent.start + pos)
    return product  # 动力电池年产量达到300GWh in a plan: the product line itself


def _previous_opener(ctx: DocContext, sent: Sentence):  # type: ignore[no-untyped-def]
    """The park or region the sentence before opens with, if it opens with one."""
    if sent.index == 0:
        return None
    prev = ctx.sentences[sent.index - 1]
    first = prev.mentions[0] if prev.mentions else None
    if first is None or first.start != prev.start:
        return None
    return first if first.type in (EntityType.PARK, EntityType.REGION) else None


_BIG_N = re.compile(r"([0-9]+)大(?:主要)?((?:研发|研究|创新)(?:机构|中心|平台|基地))")


def extract_counts(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        last: Arg | None = None
        for m in _BIG_N.finditer(sent.norm):  # 11大研发机构
            subject = _count_subject(ctx, sent, sent.start + m.start(), None)
            if subject is not None:
                cs, ce = sent.start + m.start(2), sent.start + m.end(2)
                args = {"subject": subject, "category": Arg(ctx.text[cs:ce], cs, ce, None),
                        "number": float(m.group(1)), "qualifier": None}  # fmt: skip
                out.append(ctx.fact(FactKind.COUNT, args, sent, 0.65, COUNT_EXTRACTOR))
        for s, e, q in sent.quantities:
            if q.unit not in _COUNT_UNITS:
                continue
            rs, re_ = s - sent.start, e - sent.start
            after = _COUNT_AFTER.match(sent.norm[re_:])
            cat_start = cat_end = None
            if after is not None:
                cat_start, cat_end = e, e + len(after.group(1))
            else:
                before = _COUNT_BEFORE.search(sent.norm[:rs])
                if before is not None:
                    cat_start, cat_end = sent.start + before.start(1), sent.start + before.end(1)
                    cat = before.group(1)
                    cut = re.search(r".*(?:集聚|拥有|共有|已有|聚集|汇聚|培育|建有|有)", cat)
                    if cut is not None:
                        cat_start += cut.end()
            if cat_start is None or cat_end - cat_start < 2:
                continue
            if ctx.norm[cat_start:cat_end] in COUNT_CATEGORY_SUFFIXES:
                continue  # 两家企业 / 一批企业: a bare noun names no category
            if re.search(r"项目|国家和地区|客户|国家$", ctx.norm[cat_start:cat_end]):
                continue
            if re.match(
                r"(?:披露|完成|获得|宣布|签约|参加|参与|出席|代表|表示)",
                ctx.norm[cat_end : cat_end + 2],
            ):
                continue  # 四家企业披露了融资: who did something, not how many exist
            if last is not None and ctx.norm[s - 1 : s] in ("、", "和", "及"):
                subject = last  # 10家省实验室、30家…: the list shares its subject
            else:
                subject = _count_subject(ctx, sent, min(cat_start, s), last)
            if subject is None:
                continue
            last = subject
            qual = q.qualifier
            head = ctx.norm[max(sent.start, s - 3) : s]
            hq = re.search(r"(超过|超|近|约|逾)$", head)
            if hq is not None:
                qual = hq.group(1)
            args = {"subject": subject, "category": Arg(ctx.text[cat_start:cat_end], cat_start, cat_end, None),
                    "number": q.value, "qualifier": qual}  # fmt: skip
            out.append(ctx.fact(FactKind.COUNT, args, sent, 0.7, COUNT_EXTRACTOR))
    return out


def _count_subject(ctx: DocContext, sent: Sentence, pos: int, last: Arg | None) -> Arg | None:
    rel = pos - sent.start
    cstart = 0
    for m in _CLAUSE_END.finditer(sent.norm, 0, rel):
        cstart = m.end()
    types = (EntityType.PARK, EntityType.REGION, EntityType.COMPANY, EntityType.RESEARCH)
    cands = [
        m
        for m in sent.mentions
        if sent.start + cstart <= m.start and m.end <= pos and m.type in types
    ]
    if not cands and last is not None:
        return last
    if not cands:
        cands = [m for m in sent.mentions if m.end <= pos and m.type in types]
    # Prefer a park or company over a bare region when both precede (东湖高新区 in 武汉…).
    for m in reversed(cands):
        if m.type is not EntityType.REGION:
            return ctx.org_arg(m)
    if cands:
        return ctx.arg(cands[0])
    if sent.index > 0:
        # 园区现有…: the park the text is about, however far back it was named.
        window = 5 if _PARK_ANAPHOR.search(sent.norm[cstart:rel]) else 1
        prev = ctx.last_org_before(sent.start, (EntityType.PARK, EntityType.COMPANY), window)
        if prev is not None:
            return ctx.org_arg(prev)
    return None


_PARK_ANAPHOR = re.compile(r"园区|开发区|高新区|经开区|新区")

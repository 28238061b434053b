"""investment_project facts: investor, project, amount, stage, place (+ date).

Per sentence: a stage verb (签约, 开工, 投产 …; see lexicon.STAGE_VERBS) reported as done
or under way, projects found by `projects.find_projects`, the investor as the company
before each project, the amount as the 投资/总投资 money nearest to it. Sentences listing
items of an event (其中…, 此外…, list numbering) inherit the event's stage and place.
Planned stages (将于…投产, 力争…签约, 建成后) are not investment facts (see milestones).
Rumours and denials (传闻, 未获证实, 暂无…计划) yield nothing.
A project is one project across sentences: anaphors (该/此/这一/上述项目) and a following
sentence about its company add to it, and facts with the same project name share the amount
and investor any of them found (`_share_project_attributes`).
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import DocContext, Sentence
from chainatlas.extract.facts.projects import Project, find_projects
from chainatlas.extract.lexicon import STAGE_VERBS, longest_first
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind, Money

__all__ = ["EXTRACTOR", "extract", "stage_in"]

EXTRACTOR = "facts.investments.v2"

_STAGE_RE = re.compile("|".join(map(re.escape, longest_first(STAGE_VERBS))))
_PLANNED = re.compile(
    r"(?:将于|将在|将|预计|计划|力争|争取|有望|拟|准备|目标|推动|促进|确保|力促|尽快)[^，。；]{0,10}$"
    r"|早$"  # 早签约、早开工、早投产: an exhortation, nothing reported
)
_AFTER_PLANNED = re.compile(r"^(?:后|以后|之后)")
_NEGATED = re.compile(r"(?:尚未|还未|仍未|暂未|并未|没有|未)(?:正式)?(?:完成)?$")
# 缩短项目从签约到投产的周期: the two ends of a span of time, not a reported stage.
_SPAN_OF_STAGES = re.compile(r"从$|从[^，。；]{1,6}到$")
# 项目正式落地X区: settled, reported as done (a bare 落地 is mostly a plan or a metaphor:
# 推动项目落地, 落地见效, 场景落地).
_LANDED = re.compile(r"(?:正式|成功|已经|已|顺利|率先)落地(?![的生见应场])")
# Talks under way, with or without a stage verb (公司正与X高新区洽谈建设…项目).
_TALKS = re.compile(
    r"洽谈中|正在洽谈|仍在洽谈|洽谈阶段|处于洽谈|对接洽谈中|正(?:在)?(?:与|同|和)[^，。；]{1,20}洽谈"
)
_RUMOUR = re.compile(
    r"传闻|传言|据传|网传|未获证实|流传|有消息称|有[\u4e00-\u9fff]{0,4}(?:媒体|网友|博主)称|暂无|否认|不实"
)
# Incentive clauses of a policy (对新落户…项目，按投资额的5%给予奖励，最高3000万元): the
# amounts are thresholds and caps, the 落户 a condition, so no project is reported.
_POLICY = re.compile(
    r"给予[^，。；]{0,8}(?:奖励|补助|补贴|资助|扶持|支持)|最高(?:奖励|补助|补贴|资助|不超过)"
    r"|(?:奖励|补助|补贴|资助)[^，。；]{0,4}最高|对(?:新)?(?:落户|引进|签约|投资)[^，。；]{0,20}(?:项目|企业)"
)
# A stage verb used as a category of a plan (2026年新开工项目45个 in a project plan).
_ATTRIBUTIVE_STAGE = re.compile(r"(?:项目|重点项目|重大项目)")
_PLAN_CONTEXT = re.compile(r"预计|计划|拟|将于|力争")
# A project named as what another project builds (…基地项目落户…，主要建设…生产线).
_COMPONENT = re.compile(r"主要建设|重点建设|建设内容|主要包括|用于建设|包括建设|主要生产")
_AGGREGATE = re.compile(
    r"(?:共有|共|新签约|集中签约|签约|开工)?[0-9一二三四五六七八九十两]+个[\u4e00-\u9fff]{0,10}项目"
    r"|(?:签约|开工|集中开工|竣工|投产|在谈)项目(?:共|共计|合计|有)?[0-9一二三四五六七八九十两]+个"
    # 签订合作协议，签约项目总投资超过80亿元: the batch named by its total alone.
    r"|(?:签约|开工|集中开工|竣工|投产)项目(?=总投资|投资总额|总金额|合同总金额)"
    # 共签约先进制造业项目9个: a sector between verb and 项目, only after 共 (a period's
    # batch); 累计签约亿元以上产业项目137个 is a running total and stays unread.
    r"|(?:共|共计|合计)(?:签约|开工|集中开工|竣工|投产)[\u4e00-\u9fff]{1,8}?项目"
    r"[0-9一二三四五六七八九十两]+个"
    # 新引进制造业项目6个: projects brought in during a period are signed ones.
    r"|新引进[\u4e00-\u9fff]{0,8}?项目[0-9一二三四五六七八九十两]+个"
    # 新签约亿元以上项目28个: 新 makes it a period's batch too (累计 stays unread).
    r"|新签约[\u4e00-\u9fff]{1,8}?项目[0-9一二三四五六七八九十两]+个"
    # 集中签约智能家电产业项目11个 / 集中开工…: one event's batch, like 集中签约N个项目.
    r"|集中(?:签约|开工)[\u4e00-\u9fff]{1,10}?项目[0-9一二三四五六七八九十两]+个"
)
_ONE_ITEM = re.compile(r"(?:共有|共|新签约|集中签约|签约|开工)?一个")
_INVEST_MONEY = re.compile(
    r"(?:(?:总投资|投资总额|计划投资|合计投资|投资额|投资)(?:合计|共计|总计)?(?:分别)?"
    r"|(?:合同|协议|签约)总?金额|以?(?:自有|自筹)资金"
    # 投资额最大，达到14亿元: a superlative between the word and the amount.
    r"|投资(?:总额|额)(?:最大|最高|最多)[，,]?(?:达到|达))(?:约|超过|超|达|为|是|近)?$"
)
# 三个项目总投资分别为22亿元、8.6亿元和5.2亿元: every amount after it is one project's.
_RESPECTIVE_MONEY = re.compile(r"分别投资|投资(?:总额|额)?分别")
_NOT_INVEST = re.compile(r"(?:产值|收入|营收|利润|纳税|税收|规模|融资|销售额)[^，。；]{0,6}$")
_PLACE_CUES = re.compile(r"(?:在|落户|落地|签约地为|位于|落户于|选址|入驻)$")
_PLACE_TYPES = (EntityType.PARK, EntityType.REGION)
_EVENT = re.compile(
    r"集中签约|集中开工|签约仪式|开工仪式|签约活动|开工活动|项目签约|重点签约项目|集中开工活动|举行"
)


# A clause that opens on a date and follows a planning clause continues the plan.
_DATED_CLAUSE = re.compile(
    r"[^，。；,;]{0,3}(?:20[0-9]{2}年|明年|后年|年底|年内|下半年|上半年|[一二三四]季度|[0-9]{1,2}月)[^，。；,;]*$"
)
_PLAN_WORD = re.compile(r"将|计划|预计|拟|力争|争取|有望")


def _plan_continues(norm: str, pos: int) -> bool:
    cut = max((c.end() for c in _CLAUSE_BREAK.finditer(norm, 0, pos)), default=0)
    if cut == 0 or not _DATED_CLAUSE.fullmatch(norm, cut, pos):
        return False
    prev = max((c.end() for c in _CLAUSE_BREAK.finditer(norm, 0, cut - 1)), default=0)
    return bool(_PLAN_WORD.search(norm, prev, cut))


def stage_in(norm: str) -> list[tuple[int, int, str]]:
    """Done or under-way stage verbs of a sentence as (start, end, stage label)."""
    out = []
    for m in _STAGE_RE.finditer(norm):
        if _PLANNED.search(norm[: m.start()]) or _AFTER_PLANNED.match(norm[m.end() :]):
            continue
        if _plan_continues(norm, m.start()):
            continue  # 项目计划明年开工，2028年建成投产: the schedule runs on past the comma
        if _NEGATED.search(norm, 0, m.start()) or _SPAN_OF_STAGES.search(norm, 0, m.start()):
            continue  # 尚未签约 / 从签约到投产的周期: nothing is reported
        if (
            m.group() in ("在谈", "洽谈中", "正在洽谈")
            or "洽谈" in norm[max(0, m.start() - 2) : m.end() + 1]
        ):
            out.append((m.start(), m.end(), "在谈"))
            continue
        if norm[m.end() : m.end() + 2] in ("仪式", "活动") and "举行" not in norm:
            continue
        if (
            _ATTRIBUTIVE_STAGE.match(norm, m.end())
            and norm[m.start() - 1 : m.start()] in ("新", "续")
            and _PLAN_CONTEXT.search(norm)
        ):
            continue
        out.append((m.start(), m.end(), STAGE_VERBS[m.group()]))
    for m in _LANDED.finditer(norm):
        if not _PLANNED.search(norm[: m.start()]) and not _NEGATED.search(norm, 0, m.start()):
            out.append((m.start(), m.end(), "落户"))
    out.sort()
    if not out and _TALKS.search(norm):
        i = norm.find("洽谈")
        out.append((i, i + 2, "在谈"))
    return out


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    event_stage: str | None = None
    event_place: Arg | None = None
    title_stage = stage_in(ctx.title or "")
    if title_stage and ("集中" in (ctx.title or "") or "项目" in (ctx.title or "")):
        event_stage = title_stage[0][2]
    in_list = False  # inside the items of 「签约项目情况如下：」
    under_header = False  # inside the items after 「签约项目中，」
    for sent in ctx.sentences:
        prev = ctx.sentences[sent.index - 1].norm if sent.index else ""
        if _LIST_HEAD.search(prev):
            in_list = True
        elif in_list and not _ITEM_END.search(prev):
            in_list = False  # the item before closed with 。: the list is over
        if _RUMOUR.search(sent.norm) or _POLICY.search(sent.norm):
            continue
        header = _HEADER.match(sent.norm)
        # The items of 「签约项目中，A…；B…；」 run on over ；-separated sentences.
        under_header = header is not None or (under_header and prev.rstrip().endswith(("；", ";")))
        if header is not None:
            if _HEADER_STAGE.get(header.group(1)) is None:
                # 已落地的项目中，X项目投资额最大: a ranking inside a group, no stage
                # reported here (the project's own stage follows in the next sentence).
                continue
            # 开工项目中，A项目…；B项目…: the group word is the stage of every item after it.
            event_stage = _HEADER_STAGE[header.group(1)]
        stages = stage_in(sent.norm)
        if not stages and _fills_previous(ctx, sent, out):
            continue  # 这家企业…追加投资4.5亿元，新建…产线: the amount of the project just named
        if not stages and _PER_AGREEMENT.match(sent.norm) and sent.index > 0:
            # 「…签订投资协议。根据协议，X将投资…建设Y项目」: the plan is what was signed.
            prev_stages = stage_in(ctx.sentences[sent.index - 1].norm)
            if any(label == "签约" for _a, _b, label in prev_stages):
                stages = [(0, 0, "签约")]
        if stages and (_EVENT.search(sent.norm) or _LIST_OPENS.search(sent.norm, stages[0][1])):
            # 此次签约的项目包括：A项目…；B项目…: the items after the colon share the stage.
            event_stage = stages[0][2]
            event_place = _first_place(ctx, sent) or event_place
        elif event_place is None:
            event_place = None
        projects = find_projects(ctx, sent)
        if not projects and stages:
            carried = _carried_project(ctx, sent, out)
            if not carried:
                plan = _signed_plan(ctx, sent, stages)
                carried = [plan] if plan is not None else []
            if carried:
                out.extend(carried)
                continue
        aggs = [
            a
            for a in _AGGREGATE.finditer(sent.norm)
            if not _ONE_ITEM.match(a.group()) and not _resumptive(sent, a, projects)
        ]
        listed: set[int] = set()
        if aggs and stages:
            monies_all = _invest_money(ctx, sent)
            event_stage = stages[0][2]
            event_place = _first_place(ctx, sent) or event_place
            for n, agg in enumerate(aggs):
                # 全市开工项目58个，总投资326亿元，其中X开工项目11个，总投资87亿元: each batch
                # takes the first amount after it (the first batch also one before it).
                lo = agg.end() if n else 0
                hi = aggs[n + 1].start() if n + 1 < len(aggs) else len(sent.norm)
                money = [x for x in monies_all if lo <= x[0] - sent.start < hi]
                if not money:
                    continue
                place = (
                    _place(ctx, sent, None) or event_place
                    if n == 0
                    else _place_before(ctx, sent, agg.start()) or event_place
                )
                args = _args(None, None, money[0][2], _batch_stage(sent, aggs, n, stages), place)
                out.append(ctx.fact(FactKind.INVESTMENT_PROJECT, args, sent, 0.7, EXTRACTOR))
            first = aggs[0]
            # X项目、Y项目等12个项目已竣工投产: the named items of the batch are reported too.
            listed = {
                q.start
                for q in projects
                if q.end - sent.start <= first.start()
                and _LISTED_BEFORE.fullmatch(ctx.norm[q.end : sent.start + first.start()])
            }
            projects = [
                q for q in projects if q.start in listed or q.start - sent.start > first.end()
            ]
        # 落户X产业园 / 与X产业园签署协议: the park is where it goes or who signs, not a project.
        projects = [q for q in projects if not _is_destination(ctx, sent, q)]
        if not projects:
            continue
        stage_conf = 0.8
        if not stages:
            if event_stage is None or not _is_item(sent):
                continue
            stages = [(0, 0, event_stage)]
            stage_conf = 0.65
        monies = _invest_money(ctx, sent)
        split = _split_amounts(sent, projects, monies)
        split_investors = _split_investors(ctx, sent, projects) if split else None
        for k, proj in enumerate(projects):
            if k > 0 and _COMPONENT.search(ctx.norm[projects[k - 1].end : proj.start]):
                continue  # what the project before it builds, not a project of its own
            if _COMPONENT_LEAD.search(ctx.norm, max(sent.start, proj.start - 8), proj.start):
                continue  # 其中一期投资18亿元，主要建设电芯产线: the same, after a full stop
            if _planned_after_stage(sent, proj, stages):
                continue
            stage = _stage_for(sent, proj, stages)
            if stage == "落户" and (in_list or under_header) and event_stage == "签约":
                # Items of a published list of signings, or after 「签约项目中，」: the
                # project was signed; 落户 says where it goes (签约落户 → 签约).
                stage = "签约"
            investor = (
                split_investors[k] if split_investors else _investor(ctx, sent, proj, projects)
            )
            amount = split[k] if split else _amount_for(sent, proj, projects, monies)
            place = _place(ctx, sent, proj) or event_place or _first_place(ctx, sent)
            if investor is None:
                investor = _investor_next(ctx, sent)
            if amount is None and len(projects) == 1:
                amount = _amount_next(ctx, sent)
            if amount is None and investor is None and _is_park(sent, proj):
                continue  # 产业园已入驻企业140余家: the park hosts firms; it is not a project
            if amount is None and _RESTATED.fullmatch(proj.name):
                continue  # 以上项目均已签订投资协议: the items reported before, not a new one
            if (
                amount is None
                and investor is None
                and proj.start not in listed
                and not _stage_follows(sent, proj, stages)
            ):
                continue  # a bare 项目 word with nothing attached is not a reported project
            project_arg = Arg(ctx.text[proj.start : proj.end], proj.start, proj.end, None)
            phase = _PHASE_CLAUSE.match(ctx.norm, proj.end)
            if phase is not None and sent.start + min(s for s, _e, _l in stages) > proj.end:
                # 整车生产基地位于X，一期工程已于2023年竣工投产: what is reported done is
                # the phase, not the whole base.
                ps, pe = phase.start(1), phase.end(1)
                project_arg = Arg(ctx.text[ps:pe], ps, pe, None)
            args = _args(investor, project_arg, amount, stage, place)
            conf = stage_conf - (0.1 if investor is None else 0.0)
            out.append(ctx.fact(FactKind.INVESTMENT_PROJECT, args, sent, conf, EXTRACTOR))
            earlier = _earlier_stage(ctx, sent, proj)
            if earlier is not None and STAGE_VERBS[earlier.group(1)] != stage:
                # 去年签约的X项目已于今年2月竣工: the dated earlier stage is reported too.
                args = _args(investor, project_arg, amount, STAGE_VERBS[earlier.group(1)], place)
                out.append(ctx.fact(FactKind.INVESTMENT_PROJECT, args, sent, 0.6, EXTRACTOR))
    return _share_project_attributes(out)


def _is_park(sent: Sentence, proj: Project) -> bool:
    """The project span is exactly a park the entity layer tagged (…产业园, …科技园)."""
    return any(
        m.type is EntityType.PARK and m.start == proj.start and m.end == proj.end
        for m in sent.mentions
    )


# A project word that points back at items already reported (以上项目, 上述签约项目); with
# an amount it is an aggregate (read by _AGGREGATE), without one it adds nothing.
_RESTATED = re.compile(
    r"(?:以上|上述|前述|这些|这批|该批|各|所有|全部)(?:签约|开工|重点|重大)?项目"
)


# 「开工项目中，」 opens a sentence about items of one group; the group word is the stage
# (None: a group that is no reported stage, 已落地的项目中 ranks projects by amount).
_HEADER = re.compile(r"(在谈|洽谈|签约|已签约的|开工|竣工|投产|已落地的|落地|新引进的?)项目中[，,]")
_HEADER_STAGE = {
    "在谈": "在谈", "洽谈": "在谈", "签约": "签约", "已签约的": "签约",
    "开工": "开工", "竣工": "竣工", "投产": "投产",
}  # fmt: skip
# 去年签约的X项目 / 2024年开工的X项目: an earlier stage, dated, as an attributive.
_EARLIER_STAGE = re.compile(
    r"(?:去年|前年|上年|年初|[0-9]{4}年|[0-9]{1,2}月份?)[^，。；]{0,3}?(签约|开工|落户)的$"
)


def _earlier_stage(ctx: DocContext, sent: Sentence, proj: Project) -> re.Match[str] | None:
    """去年签约的[X公司]Y项目: the attributive stage before the project (and its investor)."""
    left = proj.start
    for m in sent.mentions:
        if m.type is EntityType.COMPANY and ctx.norm[m.end : proj.start] in ("", "的"):
            left = m.start
    return _EARLIER_STAGE.search(ctx.norm, max(sent.start, left - 12), left)


_EARLIER = re.compile(r"去年|前年|上年|此前|曾|早在|[0-9]{4}年")
_COMPANY_REF = re.compile(r"(?:这家企业|该企业|这家公司|该公司|企业|公司)")
# 该项目由公司追加投资6.8亿元建设: the project just reported, named by an anaphor.
_PROJECT_REF = re.compile(r"(?:该|这一|此|上述)(?:项目|产线|生产线|生产基地|基地|工厂)")
_BATCH_NEW = re.compile(r"新引进")


def _batch_stage(sent: Sentence, aggs: list[re.Match[str]], n: int, stages) -> str:  # type: ignore[no-untyped-def]
    """The stage of the n-th batch of a sentence: the verb inside its own stretch of the
    sentence (…新引进项目6个，协议总投资37.2亿元，另有4个项目处于洽谈阶段…: 签约, then 在谈)."""
    if _BATCH_NEW.match(aggs[n].group()):
        return "签约"
    lo = aggs[n].start() if n else 0
    hi = aggs[n + 1].start() if n + 1 < len(aggs) else len(sent.norm)
    own = [label for s, _e, label in stages if lo <= s < hi]
    if own:
        return own[0]
    if len(aggs) > 1:
        talks = _TALKS.search(sent.norm, lo, hi)
        if talks is not None:
            return "在谈"
    return stages[0][2]


def _fills_previous(ctx: DocContext, sent: Sentence, done: list[Fact]) -> bool:
    """「同日开工的还有X公司增资扩产项目。这家企业…追加投资4.5亿元，新建内饰件产线」: a
    sentence about the company (or 该项目) of the project just reported, with no stage of its own,
    gives that project's amount; what it builds is part of the project, not a new one."""
    opens = _COMPANY_REF.match(sent.norm) or _PROJECT_REF.match(sent.norm)
    if sent.index == 0 or not opens or _EARLIER.search(sent.norm):
        return False  # 公司去年投资2亿元建设了…: an earlier investment, not this project's
    prev = ctx.sentences[sent.index - 1]
    last = [f for f in done if f.sentence_start == prev.start]
    if len(last) != 1 or last[0].args.get("amount") is not None:
        return False
    monies = _invest_money(ctx, sent)
    if len(monies) != 1:
        return False
    last[0].args["amount"] = monies[0][2]
    return True


def _signed_plan(ctx: DocContext, sent: Sentence, stages) -> Fact | None:  # type: ignore[no-untyped-def]
    """「公司拟投资6.8亿元实施X项目。…并于当日与开发区签订投资协议」: a signing that names
    no project signs the one planned in the sentence before."""
    if sent.index == 0 or [label for _s, _e, label in stages] != ["签约"]:
        return None
    if _AGGREGATE.search(sent.norm) or "协议" not in sent.norm:
        return None
    prev = ctx.sentences[sent.index - 1]
    if stage_in(prev.norm) or not _PLAN_CONTEXT.search(prev.norm):
        return None
    projects = find_projects(ctx, prev)
    if len(projects) != 1:
        return None
    proj = projects[0]
    investor = _investor(ctx, prev, proj, projects)
    amount = _amount_for(prev, proj, projects, _invest_money(ctx, prev))
    if investor is None or amount is None:
        return None
    place = _place(ctx, prev, proj) or _first_place(ctx, prev)
    s = sent.start
    project_arg = Arg(ctx.text[proj.start : proj.end], s, s, None)
    investor_arg = Arg(investor.text, s, s, investor.type)
    if place is not None:
        place = Arg(place.text, s, s, place.type)
    args = _args(investor_arg, project_arg, amount, "签约", place)
    return ctx.fact(FactKind.INVESTMENT_PROJECT, args, sent, 0.6, EXTRACTOR)


def _share_project_attributes(facts: list[Fact]) -> list[Fact]:
    """Facts about the same project (same name) share the amount and the investor one of
    them found: 「此项目于3月完成签约」 after 「X项目投资额最大，达到14亿元」 is the same
    project, and an amount stated once holds for each of its stages."""
    by_name: dict[str, list[Fact]] = {}
    for f in facts:
        proj = f.args.get("project")
        if proj is not None:
            by_name.setdefault(proj.text, []).append(f)
    for group in by_name.values():
        if len(group) < 2:
            continue
        amounts = [f.args["amount"] for f in group if f.args.get("amount") is not None]
        investors = [f.args["investor"] for f in group if f.args.get("investor") is not None]
        if len({a.value for a in amounts}) > 1 or len({i.text for i in investors}) > 1:
            continue  # two projects that share a generic name (二期项目): leave them apart
        for f in group:
            if f.args.get("amount") is None and amounts:
                f.args["amount"] = amounts[0]
            if f.args.get("investor") is None and investors:
                inv = investors[0]
                f.args["investor"] = Arg(inv.text, f.sentence_start, f.sentence_start, inv.type)
    return facts


# 「重点签约项目情况如下：」 opens a list of items; a sentence that is not an item ends it.
_LIST_HEAD = re.compile(r"如下[：:]?\s*$|(?:名单|清单)[：:]\s*$")
_ITEM_END = re.compile(r"[；;]\s*$")
_LIST_OPENS = re.compile(r"(?:包括|如下|分别是|有)[：:]")
_COMPONENT_LEAD = re.compile(r"(?:主要建设|重点建设|建设内容为|建设内容包括|主要包括|包括建设)$")


_PHASE_CLAUSE = re.compile(
    r"[^，。；]{0,16}[，,]([一二三四五六七八九]期(?:工程|项目))(?:已经|已于|已|目前已|于)"
)
_FUTURE = re.compile(r"将|计划|拟|准备|推进|力争|争取")
_CLAUSE_BREAK = re.compile(r"[，,；;]")


def _planned_after_stage(sent: Sentence, proj: Project, stages: list[tuple[int, int, str]]) -> bool:
    """「…第三生产基地已于5月全面达产，下半年将重点推进欧洲客户的定点项目」: a project in a
    later clause that plans something does not share the stage reported before it. A
    signing is different: what was signed is the plan (签署协议，将投资…建设X项目)."""
    rel = proj.start - sent.start
    if not stages or any(s >= rel for s, _e, _l in stages):
        return False
    cut = max((c.end() for c in _CLAUSE_BREAK.finditer(sent.norm, 0, rel)), default=0)
    if any(e > cut for _s, e, _l in stages) or stages[-1][2] in ("签约", "在谈"):
        return False
    return bool(_FUTURE.search(sent.norm, cut, rel))


def _resumptive(sent: Sentence, agg: re.Match[str], projects: list[Project]) -> bool:
    """「A项目、B项目和C项目同时开工，三个项目总投资分别为…」: the count refers back to the
    projects just named and 分别 spreads the amounts over them; it is no batch of its own."""
    before = [q for q in projects if q.end - sent.start <= agg.start()]
    return len(before) >= 2 and "分别" in sent.norm[agg.end() :]


_PARTNER = re.compile(r"(?:与|同|和|跟)$")


def _is_destination(ctx: DocContext, sent: Sentence, proj: Project) -> bool:
    for m in sent.mentions:
        if m.type is EntityType.PARK and m.start <= proj.start and m.end >= proj.end:
            head = ctx.norm[max(sent.start, m.start - 4) : m.start]
            return bool(_PLACE_CUES.search(head) or _PARTNER.search(head))
    return False


# Words that point back to the project just named (该项目, 这一项目, 上述基地).
_REF = r"(?:该|此|这一|这个|上述)"
_PER_AGREEMENT = re.compile(r"(?:根据|按照|依据)(?:协议|合同|约定)|协议约定|协议明确")
_THIS_PROJECT = re.compile(rf"{_REF}(?:项目|基地|工厂|产线|生产线|园区)|项目")
# What may precede 该项目 at the start of the sentence: nothing, or a source clause.
_LEAD_IN = re.compile(r"(?:(?:公告|资料|数据)显示|据(?:介绍|悉|了解|披露)|此外|同时)?[，,]?")


def _carried_project(ctx: DocContext, sent: Sentence, done: list[Fact]) -> list[Fact]:
    """「X公司12英寸晶圆制造项目主厂房封顶。该项目…总投资165亿元，去年11月开工建设。」:
    a sentence that opens with 该项目 reports the stage of the project just named."""
    m = _THIS_PROJECT.search(sent.norm, 0, 12)
    if m is None or sent.index == 0 or not _LEAD_IN.fullmatch(sent.norm[: m.start()]):
        return []
    prev = ctx.sentences[sent.index - 1]
    projects = find_projects(ctx, prev)
    if len(projects) != 1 and m.group().endswith("项目"):
        # 「…对X生产基地增资扩产，实施Y扩产项目。该项目已…签署投资协议」: 该项目 names the one
        # candidate that is called a 项目.
        named = [q for q in projects if q.name.endswith("项目")]
        projects = named if len(named) == 1 else projects
    if len(projects) != 1:
        return []  # with two candidates the reference is ambiguous
    proj = projects[0]
    stages = stage_in(sent.norm)
    reported = [
        f
        for f in done
        if f.args.get("project") is not None and f.args["project"].start == proj.start
    ]
    if reported:
        # 「…项目实现全面达产。该项目…于2023年10月建成投产」: an earlier stage of the project
        # just reported, dated in this sentence, is a fact of its own; a repeat is not.
        seen = {f.args["stage"] for f in reported}
        new = [st for st in stages if st[2] not in seen and st[2] != "在谈"]
        if not new or not sent.dates:
            return []
        stages = new
    monies = _invest_money(ctx, sent)
    if not monies:
        # 「公司拟投资30亿元建设…项目。该项目已…签署投资协议」: the amount came first.
        prev_monies = _invest_money(ctx, prev)
        prev_amount = _amount_for(prev, proj, projects, prev_monies)
        if prev_amount is None and len(prev_monies) == 1:
            prev_amount = prev_monies[0][2]  # 公司拟以自有资金X万元对…增资扩产，实施…项目
        monies = [(0, 0, prev_amount)] if prev_amount is not None else []
    investor = _investor(ctx, prev, proj, projects)
    place = _place(ctx, sent, None) or _first_place(ctx, sent) or _first_place(ctx, prev)
    s = sent.start
    investor_arg = (
        Arg(investor.text, s, s + m.end(), investor.type) if investor is not None else None
    )
    project_arg = Arg(ctx.text[proj.start : proj.end], s + m.start(), s + m.end(), None)
    if place is not None and not sent.start <= place.start < sent.end:
        place = Arg(place.text, s, s + m.end(), place.type)
    told = [stages[-1][2]]
    if reported and len(stages) >= 2 and len(sent.dates) >= len(stages):
        # 该项目于2024年11月签约，2025年3月开工建设: a dated history after the report gives
        # each earlier stage its own fact.
        told = list(dict.fromkeys(st[2] for st in stages))
    amount = monies[0][2] if monies else None
    return [
        ctx.fact(
            FactKind.INVESTMENT_PROJECT,
            _args(investor_arg, project_arg, amount, stage, place),
            sent,
            0.65,
            EXTRACTOR,
        )
        for stage in told
    ]


def _args(investor, project, amount, stage, place) -> dict:  # type: ignore[no-untyped-def]
    return {
        "investor": investor,
        "project": project,
        "amount": amount,
        "stage": stage,
        "place": place,
    }


def _is_item(sent: Sentence) -> bool:
    return bool(
        re.match(r"(?:其中|此外|另外|同时|[一二三四五六七八九十]+、|[0-9]+[.、])", sent.norm)
    ) or bool(_INVEST_MONEY.pattern and re.search(r"总投资|投资", sent.norm))


def _stage_follows(sent: Sentence, proj: Project, stages: list[tuple[int, int, str]]) -> bool:
    rel = proj.end - sent.start
    return any(0 <= s - rel <= 14 for s, _e, _l in stages) and "举行" not in sent.norm


_NEXT_TOTAL = re.compile(rf"(?:{_REF}项目|项目)?(?:计划)?(?:总投资|投资总额|投资)")
# 「…产业园一期工程竣工投产。该项目由X投资建设，总投资45亿元」: the next sentence is about
# the same project and gives its total further on.
_NEXT_REF = re.compile(
    rf"(?:{_REF}(?:项目|基地|工厂)|项目)(?:由|是|系|位于|总投资|计划总投资|投资总额)"
)
_TOTAL_HEAD = re.compile(r"(?:总投资|投资总额)(?:约|超过|超|达|为|近)?$")


def _amount_next(ctx: DocContext, sent: Sentence) -> Money | None:
    """「…叶片项目正式投产。项目总投资26亿元，其中设备投资约9亿元。」"""
    nxt = sent.index + 1
    if nxt >= len(ctx.sentences):
        return None
    ns = ctx.sentences[nxt]
    m = _NEXT_TOTAL.match(ns.norm)
    if m is None:
        if _NEXT_REF.match(ns.norm) is None or find_projects(ctx, ns):
            return None
        totals = [
            x
            for x in _invest_money(ctx, ns)
            if _TOTAL_HEAD.search(ctx.norm[max(ns.start, x[0] - 6) : x[0]])
        ]
        return totals[0][2] if totals else None
    monies = [x for x in _invest_money(ctx, ns) if x[0] - ns.start <= m.end() + 3]
    return monies[0][2] if monies else None


def _investor_next(ctx: DocContext, sent: Sentence) -> Arg | None:
    """项目由X投资建设 in the next sentence."""
    nxt = sent.index + 1
    if nxt >= len(ctx.sentences):
        return None
    ns = ctx.sentences[nxt]
    m = re.match(r"(?:该项目|项目)由", ns.norm)
    if m is None:
        return None
    for x in ns.mentions:
        if x.type is EntityType.COMPANY and x.start - ns.start == m.end():
            return ctx.org_arg(x)
    return None


def _stage_for(sent: Sentence, proj: Project, stages: list[tuple[int, int, str]]) -> str:
    rel = proj.end - sent.start
    after = [s for s in stages if s[0] >= rel]
    if not after:
        return stages[-1][2]
    # 通过竣工验收并正式投产: stages joined in one clause report the latest (as 竣工投产 → 投产).
    brk = _CLAUSE_BREAK.search(sent.norm, after[0][1])
    joined = [x for x in after if brk is None or x[0] < brk.start()]
    return max(joined, key=lambda x: _STAGE_ORDER.index(x[2]))[2]


_STAGE_ORDER = ("在谈", "签约", "落户", "开工", "竣工", "投产", "达产")


def _invest_money(ctx: DocContext, sent: Sentence) -> list[tuple[int, int, Money]]:
    out = []
    for s, e, money in sent.money:
        head = ctx.norm[max(sent.start, s - 8) : s]
        if _NOT_INVEST.search(head):
            continue
        if _INVEST_MONEY.search(head) or _RESPECTIVE_MONEY.search(ctx.norm, sent.start, s):
            out.append((s, e, money))
    return out


def _amount_for(
    sent: Sentence, proj: Project, projects: list[Project], monies: list[tuple[int, int, Money]]
) -> Money | None:
    k = projects.index(proj)
    lo = projects[k - 1].end if k > 0 else sent.start
    hi = projects[k + 1].start if k + 1 < len(projects) else sent.end
    cands = [(abs(s - proj.start), money) for s, _e, money in monies if lo <= s < hi]
    return min(cands, key=lambda c: c[0])[1] if cands else None


def _split_amounts(
    sent: Sentence, projects: list[Project], monies: list[tuple[int, int, Money]]
) -> list[Money] | None:
    """A和B分别投资X和Y: amounts in order."""
    if "分别" not in sent.norm or len(monies) != len(projects) or len(projects) < 2:
        return None
    return [m for _s, _e, m in monies]


def _split_investors(ctx: DocContext, sent: Sentence, projects: list[Project]) -> list[Arg] | None:
    """A和B分别投资X和Y，建设P和Q: the companies before the first project, in order."""
    comps = [
        m for m in sent.mentions if m.type is EntityType.COMPANY and m.end <= projects[0].start
    ]
    if len(comps) != len(projects):
        return None
    return [ctx.org_arg(c) for c in comps]


def _investor(
    ctx: DocContext, sent: Sentence, proj: Project, projects: list[Project]
) -> Arg | None:
    k = projects.index(proj)
    lo = projects[k - 1].end if k > 0 else sent.start
    comps = [
        m
        for m in sent.mentions
        if m.type is EntityType.COMPANY
        and lo <= m.start
        and m.end <= proj.start
        and not _SITE_NAME.search(ctx.norm, m.start, m.end)
    ]
    between = ctx.norm[lo : proj.start]
    if comps:
        return ctx.org_arg(comps[-1])
    # 某研究院华南中试基地项目: an institute glued to its project invests in it.
    glued = [
        m
        for m in sent.mentions
        if m.type is EntityType.RESEARCH
        and lo <= m.start
        and ctx.norm[m.end : proj.start] in ("", "的")
    ]
    if glued:
        return ctx.org_arg(glued[-1])
    run = re.search(r"([\u4e00-\u9fff]{2,10}?)(?:计划|将|拟)?(?:追加|新增|继续)?投资", between)
    if run is not None:
        word = re.sub(r"^(?:其中|此外|另外|同时)", "", run.group(1))
        known = [
            m
            for m in ctx.mentions
            if m.type is EntityType.COMPANY and word in ctx.norm[m.start : m.end]
        ]
        if known and len(word) >= 2:
            s = lo + run.start(1) + (len(run.group(1)) - len(word))
            name = ctx.fullest_name(word)
            return Arg(ctx._surface(name, s, s + len(word)), s, s + len(word), EntityType.COMPANY)
    if re.search(r"另一家|一家企业|某企业", between):
        return None
    a = re.search(r"后者|该公司|公司|该集团|集团", between)
    if a is not None:
        return ctx.anaphor_arg(lo + a.start(), lo + a.end(), lo + a.start(), a.group())
    # 「公司拟以…对…增资扩产，实施Y项目」: 公司 opening the sentence is the subject of every
    # project in it that no company stands before.
    lead = re.match(r"(?:该公司|公司|该集团|集团)", sent.norm)
    if lead is not None and (
        k == 0
        or not any(m.type is EntityType.COMPANY and m.end <= proj.start for m in sent.mentions)
    ):
        return ctx.anaphor_arg(sent.start, sent.start + lead.end(), sent.start, lead.group())
    return None


def _place(ctx: DocContext, sent: Sentence, proj: Project | None) -> Arg | None:
    for m in sent.mentions:
        if m.type not in _PLACE_TYPES or (proj is not None and proj.start <= m.start < proj.end):
            continue
        head = ctx.norm[max(sent.start, m.start - 5) : m.start]
        if _PLACE_CUES.search(head):
            return ctx.arg(m)
    return None


# A tagger span such as 常州生产基地 names a site of a company, never the investor.
_SITE_NAME = re.compile(r"(?:基地|工厂|项目|产线|生产线)$")
_LISTED_BEFORE = re.compile(r"(?:、[^，。；]*)?等")


def _place_before(ctx: DocContext, sent: Sentence, rel: int) -> Arg | None:
    """The last park or region named before `rel` in the sentence (其中X开工项目11个)."""
    found = [
        m
        for m in sent.mentions
        if m.type in _PLACE_TYPES and m.end - sent.start <= rel and not m.attrs.get("inside_org")
    ]
    return ctx.arg(found[-1]) if found else None


def _first_place(ctx: DocContext, sent: Sentence) -> Arg | None:
    for m in sent.mentions:
        if m.type in _PLACE_TYPES and not m.attrs.get("inside_org"):
            return ctx.arg(m)
    return None

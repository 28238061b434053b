"""Project names inside a sentence: 抗体药物生产基地项目, 速冻食品智能工厂, 一期项目.

A project name ends with a project word (项目, 基地, 工厂, 研发中心, 产线 …) and starts
after the nearest left boundary: punctuation, 的/建设/投资 and similar verbs, an amount,
or a company name (南通远舟船舶配套有限公司|船用低速机曲轴项目). A leading capacity is not
part of the name (20GWh|储能电池项目). A park or facility name glued to 项目 is
(江城晶核功率半导体产业园项目).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.extract.facts.context import DocContext, Sentence
from chainatlas.extract.records import EntityType

__all__ = ["Project", "find_projects"]

_SUFFIX = re.compile(
    r"(?:项目|(?:生产基地|产业基地|研发基地|基地|智能工厂|工厂|研发中心|生产线|产线|中试线|示范线|量产线"
    r"|产业园|总部(?!位于|设在))(?:项目)?|(?<=[一二三四五六七八九十新])厂"
    # 中心 / 平台 name many things; they are projects only as what is invested in
    # (投资9亿元的卫星总装测试中心, 由X投资的中试平台), checked in find_projects.
    r"|(?<=[\u4e00-\u9fff]{2})(?:中心|平台))"
    # Not a name's end: 基地企业, 工厂建设, or a phase that continues the name
    # (第一整车基地二期扩能项目 is one project).
    # 基地建设的X项目 names the site of X, not a project.
    r"(?![\u4e00-\u9fff]?企业|[\u4e00-\u9fff]建设|建设的|投资的|[一二三四五六七八九十]期[\u4e00-\u9fff]{0,8}项目)"
)
_STOP = re.compile(
    r"(?:在谈|洽谈|该公司|公司|该集团|集团|的|建设|新建|打造|投资|总投资|计划|拟|将|与|和|及|在|是|为|由|其中|此外|另|了|"
    r"签约|签订|签署|落户|开工|同时|以及|包括|分别|启动|推进|实施|年产|可年产|形成|用于|该|还有|共有|"
    r"一个|一家|主要|一批|首个|这个|这一|上述|此次|本次|\d+个|[一二三四五六七八九十]+个|"
    r"确保|推动|推进|加快|建立|促进|支持|保障|做好|服务|引进|招引|谋划|储备|围绕|重点引进|实行|举行|举办|宣布)"
)
_BAD = re.compile(
    r"^(?:该|本|此|这个|这一|上述|重点|重大|产业|签约|开工|集中|项目|部分|多个|相关|单个|每个|单体|更多"
    # 本批项目 / 其余项目 / 所有项目: a group of the projects named, not one of them.
    r"|本批|该批|这批|此批|同批|首批|各|所有|全部|其余|其他|剩余)$|批次|名单|重点项目|产业链项目|举行"
)
_COORDINATED = re.compile(
    r"(?:总部|研发中心|生产基地|研发基地|制造基地|结算中心|运营中心|基地|工厂)[及和与暨]$"
)
# A leading number that is part of the name, not a capacity (12英寸晶圆制造项目).
_SPEC_LEAD = re.compile(r"[0-9]+(?:英寸|寸|纳米|nm|代|位|米级|吨级|万吨级|兆瓦级)")
_INVESTED_IN = re.compile(r"投资(?:建设)?[^，。；]{0,10}的$")
_GLUE_TYPES = (EntityType.PARK, EntityType.FACILITY)
_GROUP_BEFORE = re.compile(r"(?:一批|多个|若干|一些|数个|部分)$")
# 重大项目方面 (a topic header) and 新能源项目占比 (a share of a batch) name no project.
_NOT_A_NAME_AFTER = re.compile(r"方面|占比|所占比|比重|占全|占总")
# 建成6条生产线 / 新建3座厂房: lines counted inside a project are its parts, not projects.
# (年产2000台X项目 is a capacity: only a building verb before the count makes it parts.)
_UNIT_COUNT = re.compile(
    r"(?:建成|新建|建设|配套|包括)[0-9一二三四五六七八九十两]+(?:条|座|台|套)[0-9.万千]*(?:吨|瓦|兆瓦)?$"
)


@dataclass(frozen=True, slots=True)
class Project:
    start: int  # document offsets
    end: int
    name: str  # normalised text


def find_projects(ctx: DocContext, sent: Sentence) -> list[Project]:
    out: list[Project] = []
    norm = sent.norm
    prev_end = 0
    for m in _SUFFIX.finditer(norm):
        s, e = m.start(), m.end()
        left = prev_end
        for p in re.finditer(r"[，。；、,;：:“”\"（）()\s]", norm[left:s]):
            left = prev_end + p.end()
        for p in _STOP.finditer(norm, left, s):
            left = max(left, p.end())
        for _ms, me, _v in sent.money + sent.quantities:
            if left <= me - sent.start <= s:
                left = me - sent.start
        for x in sent.mentions:
            xs, xe = x.start - sent.start, x.end - sent.start
            if left <= xe <= s and x.type in (
                EntityType.COMPANY,
                EntityType.GOVERNMENT,
                EntityType.PERSON,
                EntityType.RESEARCH,
            ):
                left = xe
            elif xe == s and x.type in _GLUE_TYPES and xs < left:
                left = xs
        name = norm[left:e]
        bare = len(name) <= len(m.group()) and not re.match(r"[一二三四五六七八九]期", name)
        co = _COORDINATED.search(norm, max(0, left - 8), left) if bare else None
        if co is not None:
            left = co.start()  # 总部及研发中心项目: two project words joined make one name
            name, bare = norm[left:e], False
        if bare and not re.search(r"[一二三四五六七八九]期$", norm[max(0, left - 2) : left]):
            continue
        if m.group() in ("中心", "平台") and not _INVESTED_IN.search(norm, max(0, left - 16), left):
            continue
        core = name[: -len(m.group())]
        if norm.startswith("建设", e) and len(core) < 4:
            continue  # 推进项目建设 / 产业园建设: a generic phrase, not a name
        if core.endswith("产业") and m.group() == "项目":
            continue  # 智能网联汽车产业项目签约活动: a sector of an event, not one project
        if _BAD.search(core or name) or len(name) < 3 or (core == "新" and m.group() == "项目"):
            continue
        if re.match(r"[0-9.亿万元%]", name) and not _SPEC_LEAD.match(name):
            continue
        if _NOT_A_NAME_AFTER.match(norm, e) or _UNIT_COUNT.search(norm, max(0, left - 14), left):
            continue  # 重大项目方面 / 新能源项目占比 / 建成6条9000吨级压铸生产线
        if name.startswith("级"):
            continue  # 9000吨|级压铸生产线: a specification cut off by a quantity
        if _GROUP_BEFORE.search(norm, max(0, left - 4), left):
            continue  # 还有一批半导体零部件项目处于洽谈阶段: a group, not one project
        out.append(Project(sent.start + left, sent.start + e, name))
        prev_end = e
    return out

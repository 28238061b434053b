"""launch facts: a company releases a product or puts it into service.

「X公司发布了…装备BR-2000」「X研制的“本源悟空”上线运行」「同日，公司还推出了…」. Every
release verb of a sentence is read (发布会 and 发布《…》 are not releases), so
「发布了A，同时推出B」 gives two facts. The company is the first non-investor company
before the verb, an anaphor (公司, 该公司) resolved to the company the text is about, or
the company of the previous release in the sentence. The product is the phrase after the
verb, cut to the head after the last 的 (面向数据中心的|液冷服务器主板GQ-9). Reports,
notices and data (发布2024年年度报告) are not products. `first` keeps a market claim
(国内首台, 全球首款) from the same or the next sentence; a company's own first product
(旗下首款) is not a claim.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import DocContext, Sentence, _is_investor
from chainatlas.extract.facts.events import FIRST_CLAIM, QUOTED
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.launches.v2"

_VERB = re.compile(r"正式发布|发布了|发布|推出了|推出|上线运行|正式上线|上线|亮相|首发")
_PRODUCT_AFTER = re.compile(r"[^，,。；;、]{2,40}")
_NOT_RELEASE_AFTER = re.compile(r"会|《|了《|的《|公告|通知|报告|数据|消息")
_NOT_PRODUCT = re.compile(
    r"报告|年报|财报|公告|通知|数据|业绩|方案|规划|白皮书|榜单|名单|政策|意见|办法|指南|倡议|"
    r"计划|信息|消息|声明|预告|措施|举措|服务$|活动|招聘|岗位|标准$|简报|快报|通报|月报|周报"
)
_PLANNED_BEFORE = re.compile(r"(?:计划|将|拟|预计|有望|即将|准备|打算|争取)[^，,。；;]{0,4}$")
_ANAPHOR = re.compile(r"(?:该公司|公司|该企业|企业)(?:还|也|同时|此次|今天|当天|随后)*$")


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        company: Arg | None = None
        for v in _VERB.finditer(sent.norm):
            if _NOT_RELEASE_AFTER.match(sent.norm, v.end()):
                continue
            if _PLANNED_BEFORE.search(sent.norm[max(0, v.start() - 6) : v.start()]):
                continue  # 计划推出 / 将于明年发布: a plan, not a release
            company = _company(ctx, sent, v) or company
            if company is None:
                continue
            product = _product(ctx, sent, v)
            if product is None or _NOT_PRODUCT.search(product.text):
                continue
            first = None
            nxt = ctx.sentences[sent.index + 1].norm if sent.index + 1 < len(ctx.sentences) else ""
            fc = FIRST_CLAIM.search(sent.norm) or FIRST_CLAIM.search(nxt)
            if fc is not None:
                first = fc.group()
            vpos = sent.start + v.start()
            date = next((d for s, _e, d in sent.dates if s < vpos), None)
            args = {"company": company, "product": product, "first": first, "date": date}
            conf = 0.6 if company.type is EntityType.COMPANY else 0.5
            out.append(ctx.fact(FactKind.LAUNCH, args, sent, conf, EXTRACTOR))
    return out


def _company(ctx: DocContext, sent: Sentence, v: re.Match[str]) -> Arg | None:
    vpos = sent.start + v.start()
    comps = [
        m
        for m in sent.mentions
        if m.type is EntityType.COMPANY
        and m.end <= vpos
        and not _is_investor(ctx.norm[m.start : m.end])
    ]
    if comps:
        return ctx.org_arg(comps[0])
    cstart = 0
    for p in re.finditer(r"[，,；;：:]", sent.norm[: v.start()]):
        cstart = p.end()
    a = _ANAPHOR.search(sent.norm, cstart, v.start())
    if a is None:
        return None
    s = sent.start + a.start()
    return ctx.anaphor_arg(s, s + 2, s)


def _product(ctx: DocContext, sent: Sentence, v: re.Match[str]) -> Arg | None:
    if v.group().startswith("上线") or v.group() == "亮相":
        q = [m for m in QUOTED.finditer(sent.norm, 0, v.start())]
        if q:
            s = sent.start + q[-1].start(1)
            return Arg(
                ctx.text[s : s + len(q[-1].group(1))],
                s,
                s + len(q[-1].group(1)),
                EntityType.INDUSTRY,
            )
        return None
    m = _PRODUCT_AFTER.match(sent.norm, v.end())
    if m is None:
        return None
    text = m.group()
    nxt = _VERB.search(text)
    if nxt is not None and nxt.start() >= 2:
        text = text[: nxt.start()]  # 发布A并推出B: A ends where the next release begins
    text = re.sub(r"(?:并|同时|以及|和)$", "", text)
    lead = re.match(r"(?:了|新一代|全新|自主研制的|自主研发的|其)+", text)
    if lead is not None:
        text = text[lead.end() :]
    de = text.rfind("的")
    if de >= 0 and len(text) - de - 1 >= 2 and not re.search(r"[“”\"]", text[:de]):
        text = text[de + 1 :]  # 面向数据中心的|液冷服务器主板GQ-9
    if len(text) < 2:
        return None
    s = sent.start + v.end() + m.group().find(text)
    return Arg(ctx.text[s : s + len(text)], s, s + len(text), EntityType.INDUSTRY)

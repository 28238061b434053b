"""launch facts: a company releases a product or puts it into service.

「X公司发布了…装备BR-2000」「X研制的“本源悟空”上线运行」. `first` keeps a market claim
(国内首台, 全球首款) from the same or the next sentence; a company's own first product
(旗下首款) is not a claim.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import DocContext
from chainatlas.extract.facts.events import FIRST_CLAIM, QUOTED
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.launches.v1"

_VERB = re.compile(r"正式发布|发布了|发布|推出了|推出|上线运行|正式上线|上线|亮相")
_PRODUCT_AFTER = re.compile(r"[^，,。；;、]{2,30}")


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        v = _VERB.search(sent.norm)
        if v is None or re.search(
            r"印发|发布会|发布了《|发布《|报告|政策|通知", sent.norm[v.start() : v.end() + 2]
        ):
            continue
        vpos = sent.start + v.start()
        comps = [m for m in sent.mentions if m.type is EntityType.COMPANY and m.end <= vpos]
        if not comps:
            continue
        company = ctx.org_arg(comps[0])
        product = _product(ctx, sent, v)
        if product is None:
            continue
        first = None
        nxt = ctx.sentences[sent.index + 1].norm if sent.index + 1 < len(ctx.sentences) else ""
        fc = FIRST_CLAIM.search(sent.norm) or FIRST_CLAIM.search(nxt)
        if fc is not None:
            first = fc.group()
        date = next((d for s, _e, d in sent.dates if s < vpos), None)
        args = {"company": company, "product": product, "first": first, "date": date}
        out.append(ctx.fact(FactKind.LAUNCH, args, sent, 0.6, EXTRACTOR))
    return out


def _product(ctx: DocContext, sent, v: re.Match[str]) -> Arg | None:  # type: ignore[no-untyped-def]
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
    text = re.sub(r"^(?:了|新一代|全新)", "", m.group())
    s = sent.start + m.end() - len(text)
    return Arg(ctx.text[s : s + len(text)], s, s + len(text), EntityType.INDUSTRY)

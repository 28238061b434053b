"""financing facts: company, round, amount, investors (领投 first, then 跟投/参投).

A sentence qualifies when it names a round (天使+轮, Pre-A轮, B+轮, 战略融资 …) next to
a financing verb (完成, 获得, 宣布). The company is the organisation right before the
verb, or the sentence's subject when the text says 公司/该公司. Investors are read from
clauses carrying 领投 / 跟投 / 参投 / 独家投资 / 投资方为 / 投资方包括; unnamed investors
(老股东, 一家…集团) are dropped, as the gold rules ask.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import DocContext, Sentence, _is_investor
from chainatlas.extract.lexicon import FINANCING_ROUND_RE
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.financing.v1"

_ROUND = re.compile(FINANCING_ROUND_RE)
_VERB = re.compile(r"完成|获得|获|宣布|斩获|拿下|落定")
_INVESTOR_CLAUSE = re.compile(
    r"领投|跟投|参投|独家投资|投资方为|投资方包括|投资机构为|联合投资|共同投资"
)
_SPLIT = re.compile(r"[、，,和及与]|以及")
_UNNAMED = re.compile(r"老股东|一家|一位|多家|其他|数家|现有股东|个人投资|投资人$")
_CLEAN_HEAD = re.compile(
    r"^(?:本轮融资|本轮|本次融资|本次|由|投资方为|投资方包括|投资机构为|并由|则由|其中)+"
)
_CLEAN_TAIL = re.compile(
    r"(?:领投|跟投|参投|独家投资|联合投资|共同投资|等机构|等|继续追加投资|追加投资)+$"
)


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        for m in _ROUND.finditer(sent.norm):
            round_start = sent.start + m.start()
            if "融资" not in sent.norm and "投资" not in sent.norm:
                continue
            if m.group() in ("战略投资", "并购") and not _VERB.search(sent.norm[: m.start()]):
                continue
            verb = None
            for v in _VERB.finditer(sent.norm, 0, m.start()):
                verb = v
            if verb is None:
                continue
            company = _company(ctx, sent, sent.start + verb.start())
            if company is None:
                continue
            amount = None
            for s, _e, money in sent.money:
                near = sent.start + verb.start() <= s < round_start + len(m.group()) + 6
                if near or _AMOUNT_HEAD.search(ctx.norm, max(sent.start, s - 7), s):
                    amount = money
                    break
            args = {
                "company": company,
                "round": _round_text(ctx, round_start, m),
                "amount": amount,
                "investors": _investors(ctx, sent),
            }
            conf = 0.85 if company.type is EntityType.COMPANY else 0.7
            out.append(ctx.fact(FactKind.FINANCING, args, sent, conf, EXTRACTOR))
            break
    return out


# 融资金额为 / 融资额超过2亿元 / 规模: the amount named as such, further from the round.
_AMOUNT_HEAD = re.compile(r"(?:金额|融资额|规模)(?:为|达到|达|约为|约|超过|超|近|逾)?$")


def _round_text(ctx: DocContext, start: int, m: re.Match[str]) -> str:
    raw = ctx.text[start : start + len(m.group())]
    return re.sub(r"[“”\"'‘’]", "", raw)


def _company(ctx: DocContext, sent: Sentence, verb_pos: int) -> Arg | None:
    comps = [
        x
        for x in sent.mentions
        if x.type in (EntityType.COMPANY, EntityType.RESEARCH)
        and x.end <= verb_pos
        and not _is_investor(ctx.norm[x.start : x.end])
    ]
    if comps:
        return ctx.org_arg(comps[-1])
    head = ctx.norm[sent.start : verb_pos]
    a = re.search(r"该公司|公司|该企业|后者", head)
    if a is not None:
        return ctx.anaphor_arg(sent.start + a.start(), sent.start + a.end(), sent.start)
    return None


def _investors(ctx: DocContext, sent: Sentence) -> list[Arg]:
    leads: list[Arg] = []
    rest: list[Arg] = []
    pos = 0
    for clause in re.split(r"([，,；;。])", sent.norm):
        cstart = pos
        pos += len(clause)
        if not _INVESTOR_CLAUSE.search(clause):
            continue
        target = leads if "领投" in clause or "独家" in clause else rest
        body = _CLEAN_HEAD.sub("", clause)
        offset = cstart + len(clause) - len(body)
        body_tail = _CLEAN_TAIL.sub("", body)
        i = 0
        for part in _SPLIT.split(body_tail):
            j = body_tail.find(part, i)
            i = j + len(part)
            name = _CLEAN_TAIL.sub("", part.strip())
            if len(name) < 2 or _UNNAMED.search(name) or re.search(r"[0-9]|亿|万|融资|资金", name):
                continue
            s = sent.start + offset + j
            target.append(Arg(ctx.text[s : s + len(name)], s, s + len(name), EntityType.COMPANY))
    return leads + rest

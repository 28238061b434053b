"""milestone facts: construction, acceptance and delivery events with dates.

「该项目预计2025年底完成项目总验收」 → subject (the project or facility the sentence is
about), event (the words of the text, trimmed), date, expected. `expected` is true when
the date is a target or a plan marker (预计, 计划, 将, 力争) governs the event.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import DocContext
from chainatlas.extract.facts.events import PLANNED
from chainatlas.extract.facts.projects import find_projects
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.milestones.v1"

_EVENT = re.compile(
    r"(?:完成(?:项目)?(?:总)?验收|通过(?:国家)?(?:验收|鉴定)|建成投产|建成投用|建成运行|全面建成|"
    r"落成启用|竣工验收|竣工|建成|投用|下线|批量交付|交付|完成签约|提交临床试验申请|完成野外测试|投产)"
)
_SUBJECT_HEAD = re.compile(
    r"(?:项目|工程)?[一二三四五六七八九]期(?:项目|工程)?|该项目|该装置|该设施|项目"
)


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        for ds, de, dv in sent.dates:
            rel_end = de - sent.start
            ev = _EVENT.search(sent.norm, rel_end, min(len(sent.norm), rel_end + 12))
            if ev is None or re.search(r"[，。；]", sent.norm[rel_end : ev.start()]):
                continue
            if re.search(r"后$", sent.norm[ev.end() : ev.end() + 1]):
                continue  # 建成后: a condition, not an event
            head = sent.norm[: ds - sent.start]
            expected = dv.expected or bool(PLANNED.search(head[-10:]))
            subject = _subject(ctx, sent, ds)
            if subject is None:
                continue
            if not expected and ev.group() in ("投产", "竣工", "建成投产") and subject.type is None:
                continue  # a project's reported stage is an investment_project fact
            evs = sent.start + ev.start()
            args = {"subject": subject, "event": ctx.norm[evs : sent.start + ev.end()],
                    "date": dv, "expected": expected}  # fmt: skip
            out.append(ctx.fact(FactKind.MILESTONE, args, sent, 0.65, EXTRACTOR))
    return out


def _subject(ctx: DocContext, sent, pos: int) -> Arg | None:  # type: ignore[no-untyped-def]
    head = ctx.norm[sent.start : pos]
    clause = re.split(r"[，,]", head)[-1]
    off = pos - len(clause)
    m = _SUBJECT_HEAD.search(clause)
    named = [
        x
        for x in sent.mentions
        if x.type in (EntityType.FACILITY, EntityType.RESEARCH, EntityType.PARK) and x.end <= pos
    ]
    projects = [p for p in find_projects(ctx, sent) if p.end <= pos]
    if projects:
        p = projects[-1]
        return Arg(ctx.text[p.start : p.end], p.start, p.end, None)
    if named:
        return ctx.org_arg(named[-1])
    if m is not None:
        s = off + m.start()
        # 该项目 / 项目: the facility or project of the previous sentence.
        if m.group() in ("该项目", "项目", "该装置", "该设施") and sent.index > 0:
            prev = ctx.last_org_before(
                sent.start, (EntityType.FACILITY, EntityType.RESEARCH), window=1
            )
            if prev is not None:
                return Arg(ctx.text[prev.start : prev.end], s, s + len(m.group()), prev.type)
        return Arg(ctx.text[s : s + len(m.group())], s, s + len(m.group()), None)
    return None

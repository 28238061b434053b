"""Local repairs of a sentence's mentions before positions are read from them.

The entity layer sometimes glues words around an office into one name, and misses
given names after a title when the surname is rare. Positions depend on exact
title/person/organisation adjacency, so these spans are split here, per sentence,
without touching the shared mention list:

* 蒲海波（新乡经济技术开发区管委会 → person 蒲海波 + organisation (a name run over a bracket);
* 聘任蔡鸿儒为集团 / 总经理一职由集团 / 继续担任集团 → the verbs' parts (a person after
  聘任, a title) + 集团, an anaphor of the group the text is about;
* 董事长兼总裁隋景澄表示 with no person mention → person 隋景澄, when the surname is one the
  shared surname list lacks (names with listed surnames are found upstream already).
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import ORG_TYPES, DocContext
from chainatlas.extract.lexicon import BOUNDARY_AFTER_NAME, POSITIONS, SURNAMES, longest_first
from chainatlas.extract.records import EntityType, Mention

__all__ = ["repair_mentions"]

EXTRACTOR = "facts.positions.repair.v1"

# What may follow a name, on top of the shared list: verbs a person does (当选, 获, 兼任 …).
_AFTER_NAME = BOUNDARY_AFTER_NAME | frozenset("当获荣被毕担兼任接牵回")
_POSITION_RE = re.compile("|".join(map(re.escape, longest_first(POSITIONS))))
# An anaphor 集团/公司 glued to the verb before it: 继续担任集团, 总经理一职由集团.
_GLUED = re.compile(r"(?:一职由|由|为|担任|兼任|出任)(该?集团|该?公司)$")
_APPOINTED = re.compile(r"(?:聘任|任命|聘请|推选|选举)([\u4e00-\u9fff]{2,4}?)为$")


def _surname_led(name: str) -> bool:
    return name[:1] in SURNAMES or name[:2] in SURNAMES


def _mention(ctx: DocContext, start: int, end: int, etype: EntityType) -> Mention:
    return Mention(start, end, ctx.text[start:end], etype, 0.55, EXTRACTOR)


def _split_bracketed(ctx: DocContext, m: Mention) -> list[Mention] | None:
    text = ctx.norm[m.start : m.end]
    i = min((k for k in (text.find("（"), text.find("(")) if k > 0), default=-1)
    if i < 2 or i > 4 or not _surname_led(text[:i]) or len(text) - i - 1 < 2:
        return None
    return [
        _mention(ctx, m.start, m.start + i, EntityType.PERSON),
        _mention(ctx, m.start + i + 1, m.end, m.type),
    ]


def _split_glued(ctx: DocContext, m: Mention) -> list[Mention] | None:
    text = ctx.norm[m.start : m.end]
    g = _GLUED.search(text)
    if g is None:
        return None
    out = [_mention(ctx, m.start + g.start(1), m.end, EntityType.COMPANY)]
    head = text[: g.start()]
    for p in _POSITION_RE.finditer(head):
        out.append(_mention(ctx, m.start + p.start(), m.start + p.end(), EntityType.POSITION))
    # 聘任|邬建国为公司: the verb may stand just before the glued span.
    a = _APPOINTED.search(ctx.norm, max(0, m.start - 4), m.start + g.start() + 1)
    if a is not None and a.start(1) >= m.start and _surname_led(a.group(1)):
        out.append(_mention(ctx, a.start(1), a.end(1), EntityType.PERSON))
    return out


# 财务总监, 技术总监: the lexicon knows only 总监; the field belongs to the office.
_FIELD = re.compile(r"(?:财务|技术|运营|市场|销售|研发|人力资源|品牌|产品|设计|投资)$")


def _widen_titles(ctx: DocContext, ms: list[Mention]) -> list[Mention]:
    out = []
    for m in ms:
        if m.type is EntityType.POSITION and ctx.norm[m.start : m.end] == "总监":
            f = _FIELD.search(ctx.norm, max(0, m.start - 4), m.start)
            if f is not None and not any(x.start <= f.start() < x.end for x in ms if x is not m):
                m = _mention(ctx, f.start(), m.end, EntityType.POSITION)
        out.append(m)
    return out


def _untagged_names(ctx: DocContext, ms: list[Mention], end: int) -> list[Mention]:
    starts = {m.start for m in ms}
    out = []
    for p in ms:
        e = p.end
        if p.type is not EntityType.POSITION or e in starts or e >= end:
            continue
        if not _surname_led(ctx.norm[e : e + 2]):
            continue
        for length in (3, 2):
            stop = e + length
            name = ctx.norm[e:stop]
            if (
                stop <= end
                and re.fullmatch(r"[\u4e00-\u9fff]+", name)
                and (stop >= len(ctx.norm) or ctx.norm[stop] in _AFTER_NAME)
                and not any(e < m.start < stop for m in ms)
            ):
                out.append(_mention(ctx, e, stop, EntityType.PERSON))
                break
    return out


def repair_mentions(ctx: DocContext, mentions: list[Mention], end: int) -> list[Mention]:
    """The sentence's mentions with glued spans split and missed names added (sorted)."""
    out: list[Mention] = []
    for m in mentions:
        parts = None
        if m.type in ORG_TYPES:
            parts = _split_bracketed(ctx, m)
            if parts is None and m.type is EntityType.COMPANY:
                parts = _split_glued(ctx, m)
        out.extend(parts if parts is not None else [m])
    out = _widen_titles(ctx, out)
    out.extend(_untagged_names(ctx, out, end))
    return sorted(out, key=lambda m: (m.start, -m.end))

"""Local repairs of a sentence's mentions before positions are read from them.

The entity layer sometimes glues words around an office into one name, and misses
given names after a title when the surname is rare. Positions depend on exact
title/person/organisation adjacency, so these spans are split here, per sentence,
without touching the shared mention list:

* 蒲海波（新乡经济技术开发区管委会 → person 蒲海波 + organisation (a name run over a bracket);
* 聘任蔡鸿儒为集团 / 总经理一职由集团 / 继续担任集团 → the verbs' parts (a person after
  聘任, a title) + 集团, an anaphor of the group the text is about;
* 董事长兼总裁隋景澄表示 with no person mention → person 隋景澄, when the surname is one the
  shared surname list lacks (names with listed surnames are found upstream already);
* 三江新区管委会主任彭越代表新区 read as one park name → organisation 三江新区管委会 + title
  (the name after the title is then found as above);
* 常务副院长: 常务 before a deputy title belongs to the office;
* 龚立任副院长 read as the name 龚立任 → 龚立 + the verb 任;
* 首席运营官（COO）何蓓: the bracketed abbreviation is not a second title;
* 总经理乌云其其格介绍: a name without a Han surname (Mongolian, Tibetan) right between a
  title and a speech verb.
"""

from __future__ import annotations

import re

from chainatlas.extract.entities import org_type_of
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


def _split_over_title(ctx: DocContext, m: Mention) -> list[Mention] | None:
    """An organisation span that runs over a title (三江新区管委会主任彭越代表新区): the name
    ends where the title starts, when what stands before it ends like an organisation."""
    text = ctx.norm[m.start : m.end]
    for p in _POSITION_RE.finditer(text):
        if p.start() >= 3 and p.end() < len(text) and org_type_of(text[: p.start()]) is not None:
            return [
                _mention(ctx, m.start, m.start + p.start(), m.type),
                _mention(ctx, m.start + p.start(), m.start + p.end(), EntityType.POSITION),
            ]
    return None


def _bracket_alias(ctx: DocContext, m: Mention, ms: list[Mention]) -> bool:
    """首席运营官（COO）: the bracketed abbreviation repeats the title before it."""
    if m.type is not EntityType.POSITION or m.start < 1:
        return False
    if ctx.norm[m.start - 1] not in "（(" or ctx.norm[m.end : m.end + 1] not in ("）", ")"):
        return False
    return any(x.type is EntityType.POSITION and x.end == m.start - 1 for x in ms)


def _trim_verb(ctx: DocContext, m: Mention, starts: dict[int, Mention]) -> Mention:
    """龚立任|副院长: a 3-character name whose last character is 任/为 right before a title is
    a 2-character name and the verb."""
    nxt = starts.get(m.end)
    if (
        m.type is EntityType.PERSON
        and m.end - m.start == 3
        and ctx.norm[m.end - 1] in "任为"
        and nxt is not None
        and nxt.type is EntityType.POSITION
        and _surname_led(ctx.norm[m.start : m.end])
    ):
        return _mention(ctx, m.start, m.end - 1, EntityType.PERSON)
    if (
        m.type is EntityType.PERSON
        and m.end - m.start == 3
        and ctx.norm[m.end - 1] in "升改调转"
        and ctx.norm.startswith("任", m.end)
        and _surname_led(ctx.norm[m.start : m.end])
    ):
        # 郝亮升|任总经理: 升任/改任/调任 is the verb of a new office, not part of the name.
        return _mention(ctx, m.start, m.end - 1, EntityType.PERSON)
    if m.type is EntityType.PERSON and ctx.norm.startswith("任", m.start) and m.start > 0:
        # 聘|任谷|一凡为: the tagger took the verb's second character as a surname; the
        # name is the 2-3 characters after the verb, up to 为.
        again = _NAME_AFTER_VERB.match(ctx.norm, m.start + 1)
        if (
            ctx.norm[m.start - 1] in "聘委担出兼接"
            and again is not None
            and _surname_led(again.group(1))
            and not any(m.end <= x.start < again.end(1) for x in starts.values())
        ):
            return _mention(ctx, again.start(1), again.end(1), EntityType.PERSON)
    return m


_NAME_AFTER_VERB = re.compile(r"([\u4e00-\u9fff]{2,3}?)为")


# 财务总监, 技术总监: the lexicon knows only 总监; the field belongs to the office.
_FIELD = re.compile(r"(?:财务|技术|运营|市场|销售|研发|人力资源|品牌|产品|设计|投资)$")


def _widen_titles(ctx: DocContext, ms: list[Mention]) -> list[Mention]:
    out = []
    for m in ms:
        if m.type is EntityType.POSITION and ctx.norm[m.start : m.end] == "总监":
            f = _FIELD.search(ctx.norm, max(0, m.start - 4), m.start)
            if f is not None and not any(x.start <= f.start() < x.end for x in ms if x is not m):
                m = _mention(ctx, f.start(), m.end, EntityType.POSITION)
        elif (
            m.type is EntityType.POSITION
            and ctx.norm.startswith("副", m.start)
            and ctx.norm.endswith("常务", 0, m.start)
            and not any(x.end > m.start - 2 and x.start < m.start for x in ms)
        ):
            m = _mention(ctx, m.start - 2, m.end, EntityType.POSITION)
        out.append(m)
    return out


def _bare_title_ends(ms: list[Mention], end: int) -> list[int]:
    """Ends of titles inside the sentence that no mention follows: where a missed name sits."""
    starts = {m.start for m in ms}
    return [
        p.end for p in ms if p.type is EntityType.POSITION and p.end not in starts and p.end < end
    ]


def _untagged_names(ctx: DocContext, ms: list[Mention], end: int) -> list[Mention]:
    out = []
    for e in _bare_title_ends(ms, end):
        if not _surname_led(ctx.norm[e : e + 2]):
            continue
        for length in (3, 2):
            stop = e + length
            name = ctx.norm[e:stop]
            if (
                stop <= end
                and re.fullmatch(r"[\u4e00-\u9fff]+", name)
                and (
                    stop >= len(ctx.norm)
                    or ctx.norm[stop] in _AFTER_NAME
                    or ctx.norm.startswith("代表", stop)
                )
                and not any(e < m.start < stop for m in ms)
            ):
                out.append(_mention(ctx, e, stop, EntityType.PERSON))
                break
    return out


# A name without a Han surname: 3-5 characters between a title and a speech verb.
# 副主任额尔敦表示 / 副主任额尔敦在签约时表示: the speech verb may follow a short 在-phrase
# of occasion (在会上, 在签约时), never a comma.
_UNSURNAMED = re.compile(
    r"([\u4e00-\u9fff]{3,5}?)(?:在[\u4e00-\u9fff]{1,8}?(?:上|时|中))?(?:介绍|表示|指出|透露|坦言)"
)
_NOT_NAME = re.compile(r"[的在和与及是为对将也等]|助理|秘书|代表|团队|本人")


def _unsurnamed_names(ctx: DocContext, ms: list[Mention], end: int) -> list[Mention]:
    out = []
    for e in _bare_title_ends(ms, end):
        n = _UNSURNAMED.match(ctx.norm, e, end)
        if n is None or _NOT_NAME.search(n.group(1)) or _POSITION_RE.search(n.group(1)):
            continue
        if any(e < m.start < n.end(1) for m in ms):
            continue
        out.append(_mention(ctx, e, n.end(1), EntityType.PERSON))
    return out


def repair_mentions(ctx: DocContext, mentions: list[Mention], end: int) -> list[Mention]:
    """The sentence's mentions with glued spans split and missed names added (sorted)."""
    out: list[Mention] = []
    for m in mentions:
        parts = None
        if m.type in ORG_TYPES:
            parts = _split_bracketed(ctx, m) or _split_over_title(ctx, m)
            if parts is None and m.type is EntityType.COMPANY:
                parts = _split_glued(ctx, m)
        out.extend(parts if parts is not None else [m])
    starts = {m.start: m for m in out}
    out = [_trim_verb(ctx, m, starts) for m in out if not _bracket_alias(ctx, m, out)]
    out = _widen_titles(ctx, out)
    out.extend(_untagged_names(ctx, out, end))
    out = sorted(out, key=lambda m: (m.start, -m.end))
    out.extend(_unsurnamed_names(ctx, out, end))
    return sorted(out, key=lambda m: (m.start, -m.end))

"""located_in facts: where an organisation or facility is.

Two phrasings are read:

* a cue verb before the place: 位于, 总部位于, 地处, 坐落于, 设在, 总部设在, 扎根于. The
  subject is the organisation right before the cue, an anaphor (该公司, 该实验室, 公司 at
  the head of the sentence) resolved to the organisation the text is about, or the short
  name before 总部 (中原鼎新汽车总部位于…).
* the attributive 「合肥的X公司」「同样扎根苏州工业园区的X」「位于香港数码港的金融科技企业X」
  「园区内的X」: a place, 的, at most a short descriptor, then an organisation.

A place inside a company name, an event held somewhere (在西安高新区发布) and the
location of a project or plant (位于…的第二工厂, 该项目坐落于…) are not read: project
locations are the `place` of investment_project facts.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import ORG_TYPES, DocContext, Sentence
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind, Mention
from chainatlas.extract.regions import find_regions

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.locations.v2"

_CUE = re.compile(
    r"(总部|中国总部|总部同样|同样|总部就|就)?(?:位于|地处|坐落于|坐落在|设在|扎根于|扎根在|落户于|落户在)"
)
_PLACES = (EntityType.REGION, EntityType.PARK)
# Organisations that can be located (a park or a government is itself a place).
_SUBJECTS = (EntityType.COMPANY, EntityType.RESEARCH, EntityType.FACILITY, EntityType.ASSOCIATION)
# What may stand right before an attributive place: nothing (clause start) or a cue.
_ATTRIB_LEAD = re.compile(
    r"(?:同在|同样扎根|扎根|位于|地处|坐落于|总部位于|同处|地处|[，,。；;：:、]|^)$"
)
_CUE_BEFORE = re.compile(r"(?:位于|地处|坐落于|坐落在)$")
_PLACE_RUN = re.compile(r"[\u4e00-\u9fff]{0,8}?的")
_DESCRIPTOR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{0,12}")
_PROJECTISH = re.compile(r"项目|基地|工厂|产线|生产线|厂房|车间|[一二三四五六七八九]期")
_PARK_ANAPHOR = re.compile(r"(?:园区|开发区|高新区|经开区|新区|产业园)内的")
_ANAPHOR = re.compile(r"(?:该|这家|这个)([\u4e00-\u9fff]{1,4})$|^(?:公司|企业)$")


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sent in ctx.sentences:
        found = (*_cued(ctx, sent), *_attributive(ctx, sent), *_settled(ctx, sent))
        for subject, place, conf in found:
            key = (subject.text, place.text)
            if key in seen or _PROJECTISH.search(subject.text):
                continue
            seen.add(key)
            args = {"subject": subject, "place": place}
            out.append(ctx.fact(FactKind.LOCATED_IN, args, sent, conf, EXTRACTOR))
    return out


def _place_at(ctx: DocContext, sent: Sentence, pos: int) -> Arg | None:
    """The place mention starting at `pos`, joined with places right after it
    (苏州工业园区|生物医药产业园)."""
    first = next((m for m in sent.mentions if m.type in _PLACES and m.start == pos), None)
    if first is None:
        return None
    end = first.end
    while True:
        nxt = next((m for m in sent.mentions if m.type in _PLACES and m.start == end), None)
        if nxt is None:
            break
        end = nxt.end
    return ctx.span_arg(first.start, end, first.type)


# 「X公司日前落户东湖高新区」: an organisation (not a project) settling somewhere.
_SETTLES = re.compile(
    r"(?:日前|近日|已经|已|正式|成功|今年|去年|宣布|确定)*(?:落户|入驻|迁入|进驻)"
)


def _settled(ctx: DocContext, sent: Sentence) -> list[tuple[Arg, Arg, float]]:
    out = []
    for org in sent.mentions:
        if org.type not in (EntityType.COMPANY, EntityType.RESEARCH):
            continue
        m = _SETTLES.match(ctx.norm, org.end)
        if m is None or m.end() > sent.end or m.end() - org.end > 8:
            continue
        if re.search(
            r"(?:将|拟|计划|预计|有望)$", ctx.norm[max(sent.start, org.start - 3) : org.start]
        ):
            continue
        place = _place_at(ctx, sent, m.end())
        if place is not None and not ctx.norm.startswith("的", place.end):
            out.append((ctx.org_arg(org), place, 0.6))
    return out


def _cued(ctx: DocContext, sent: Sentence) -> list[tuple[Arg, Arg, float]]:
    out = []
    for cue in _CUE.finditer(sent.norm):
        cs, ce = sent.start + cue.start(), sent.start + cue.end()
        place = _place_at(ctx, sent, ce)
        if place is None:
            continue
        hq = bool(cue.group(1) and "总部" in cue.group(1))
        run_on = _PLACE_RUN.match(ctx.norm, place.end)
        if (
            run_on is not None
            and run_on.end() <= sent.end
            and not re.search(r"[，,。；;、]", run_on.group())
        ):
            place = ctx.span_arg(place.start, run_on.end() - 1, place.type)
        if ctx.norm.startswith("的", place.end):
            # 位于X的Y: the attributive reading below decides about Y, unless the
            # sentence says 「公司是一家总部位于X的…企业」.
            kind = _A_FIRM.search(ctx.norm, max(sent.start, cs - 6), cs)
            tail = _FIRM_TAIL.match(ctx.norm, place.end + 1)
            if kind is None or tail is None:
                continue
            cs = kind.start()
        subject = _subject(ctx, sent, cs, hq)
        if subject is not None:
            out.append((subject, place, 0.75))
    return out


_A_FIRM = re.compile(r"(?:是|为)(?:一家|一所|国内)")
_FIRM_TAIL = re.compile(r"[\u4e00-\u9fff]{0,12}?(?:企业|公司|机构|厂商|研究院|实验室)")


def _subject(ctx: DocContext, sent: Sentence, pos: int, hq: bool) -> Arg | None:
    orgs = [m for m in sent.mentions if m.type in _SUBJECTS and m.end <= pos and pos - m.end <= 6]
    if orgs:
        return ctx.org_arg(orgs[-1])
    cstart = sent.start
    for m in re.finditer(r"[，,；;：:]", sent.norm[: pos - sent.start]):
        cstart = sent.start + m.end()
    head = ctx.norm[cstart:pos]
    a = _ANAPHOR.search(head)
    if a is not None:
        return _resolve(ctx, sent, a.group(1) or "公司", pos - len(a.group()), pos)
    if 2 <= len(head) <= 10 and re.fullmatch(r"[\u4e00-\u9fffA-Za-z]+", head):
        # 中原鼎新汽车总部位于… / 清研智算位于…: a short name the tagger missed. Without
        # 总部 it counts only when the text gives the full name elsewhere.
        name = ctx.fullest_name(head)
        if hq or len(name) > len(head):
            return Arg(ctx._surface(name, cstart, pos), cstart, pos, EntityType.COMPANY)
    if cstart > sent.start:
        # 公司专注于…，总部位于X: the subject opens the sentence.
        lead = re.match(r"(?:该公司|公司|该企业|企业)", sent.norm)
        if lead is not None:
            return _resolve(ctx, sent, "公司", sent.start, sent.start + lead.end())
        return _opening_name(ctx, sent, cstart) if hq else None
    return None


_SAYS = re.compile(r"(?:显示|了解|悉|介绍|表示|称|指出)$")
_NAME_THEN_VERB = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{2,12}?)(?:成立于|创立于|始建于|是|为|主要|专注)"
)


def _opening_name(ctx: DocContext, sent: Sentence, before: int) -> Arg | None:
    """公开资料显示，昇能电池成立于2019年，总部位于…: the organisation that opens the
    first clause carrying content; a bare run counts only if the text names it in full
    elsewhere (so the run is a known short name, not a stray phrase)."""
    pos = sent.start
    for m in re.finditer(r"[^，,；;：:]+[，,；;：:]", ctx.norm[sent.start : before]):
        clause = m.group()[:-1]
        start = sent.start + m.start()
        if _SAYS.search(clause):
            continue
        pos = start
        break
    first = next((m for m in sent.mentions if m.start == pos), None)
    if first is not None and first.type in _SUBJECTS:
        return ctx.org_arg(first)
    run = _NAME_THEN_VERB.match(ctx.norm, pos, before)
    if run is None:
        return None
    name = ctx.fullest_name(run.group(1))
    if len(name) <= len(run.group(1)):
        return None
    return Arg(ctx._surface(name, pos, run.end(1)), pos, run.end(1), EntityType.COMPANY)


def _resolve(ctx: DocContext, sent: Sentence, head: str, start: int, end: int) -> Arg | None:
    """该公司 / 该实验室 / 该阵列 → the latest organisation with that head noun."""
    if head in ("公司", "企业", "集团"):
        return ctx.anaphor_arg(start, end, start)
    for m in reversed(ctx.mentions):
        if m.end > start or m.type not in _SUBJECTS:
            continue
        if ctx.sentence_index(m.start) < sent.index - 3:
            break
        if ctx.norm[m.start : m.end].endswith(head):
            name = ctx.fullest_name(ctx.norm[m.start : m.end])
            return Arg(ctx._surface(name, m.start, m.end), start, end, m.type)
    return None


def _attributive(ctx: DocContext, sent: Sentence) -> list[tuple[Arg, Arg, float]]:
    out = []
    for place in sent.mentions:
        if place.type not in _PLACES and not _place_like_company(ctx, place):
            continue
        lead = ctx.norm[max(sent.start, place.start - 4) : place.start]
        place_end = place.end
        inside = ctx.norm.startswith("内的", place_end) and place.type is EntityType.PARK
        if inside:
            place_end += 1  # 香港科学园内的X企业Y公司: 内 belongs to the attribute
        if not ctx.norm.startswith("的", place_end):
            # 位于东莞松山湖的…: after an explicit cue, a place name may run on past the
            # matched region for a few characters.
            more = _PLACE_RUN.match(ctx.norm, place_end)
            if not _CUE_BEFORE.search(lead) or more is None:
                continue
            place_end = more.end() - 1
        if not _ATTRIB_LEAD.search(lead) and place.start != sent.start:
            continue
        org = _org_after(ctx, sent, place_end + 1)
        if org is not None:
            end = place_end - 1 if inside else place_end
            where = ctx.span_arg(place.start, end, place.type)
            if _GENERIC_PARK.fullmatch(ctx.norm, place.start, place.end):
                # 位于同一园区的X: the park named before, not the words 同一园区.
                park = _named_park(ctx, place.start)
                if park is None:
                    continue
                name = ctx.fullest_name(ctx.norm[park.start : park.end])
                where = Arg(ctx._surface(name, park.start, park.end), place.start, end, park.type)
            out.append((ctx.org_arg(org), where, 0.7))
    for m in _PARK_ANAPHOR.finditer(sent.norm):
        org = _org_after(ctx, sent, sent.start + m.end())
        park = _named_park(ctx, sent.start + m.start())
        if org is not None and park is not None:
            name = ctx.fullest_name(ctx.norm[park.start : park.end])
            s = sent.start + m.start()
            place = Arg(ctx._surface(name, park.start, park.end), s, s + 2, EntityType.PARK)
            out.append((ctx.org_arg(org), place, 0.6))
    return out


# A park word that names no park by itself (同一园区, 该园区), or a tagger span that ran
# over a verb (有意在园区).
_GENERIC_PARK = re.compile(
    r"(?:同一|同一个|该|本|这个|[\u4e00-\u9fff]*[在于将向到])?(?:园区|开发区|高新区|经开区|新区|产业园)"
)


def _named_park(ctx: DocContext, pos: int) -> Mention | None:
    """The last park mention before `pos` (six sentences back) that is a name."""
    si = ctx.sentence_index(pos)
    lo = ctx.sentences[max(0, si - 6)].start if ctx.sentences else 0
    best = None
    for m in ctx.mentions:
        if m.end > pos:
            break
        if (
            m.type is EntityType.PARK
            and m.start >= lo
            and not _GENERIC_PARK.fullmatch(ctx.norm, m.start, m.end)
        ):
            best = m
    return best


_FIRM_WORDS = re.compile(r"公司|集团|有限|股份|科技|资本|基金")


def _place_like_company(ctx: DocContext, m: Mention) -> bool:
    """上海临港的上海澄川…公司: the tagger calls 上海临港 a company, but a name with no firm
    word that starts with a region and stands before 的 + an organisation is a place."""
    if m.type is not EntityType.COMPANY or not ctx.is_attributive_place(m):
        return False
    text = ctx.norm[m.start : m.end]
    lead = find_regions(text)
    return not _FIRM_WORDS.search(text) and bool(lead) and lead[0].start == 0


def _org_after(ctx: DocContext, sent: Sentence, pos: int) -> Mention | None:
    """The organisation a 「X的」 attribute describes: right after, or after a short
    descriptor with no punctuation or conjunction (的生物科技初创企业X)."""
    run = _DESCRIPTOR.match(ctx.norm, pos)
    limit = run.end() if run is not None else pos
    for m in sent.mentions:
        if m.start < pos or m.start > limit:
            continue
        if re.search(r"[和与及、]|的", ctx.norm[pos : m.start]):
            return None
        if m.type in _SUBJECTS:
            return m
        if m.type in ORG_TYPES or m.type is EntityType.PERSON:
            return None
    return None

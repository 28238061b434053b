"""located_in facts: where an organisation or facility is (位于, 总部位于, 地处, 坐落于).

Also the attributive 「同在合肥高新区的X」. A place inside a company name, or an event
held somewhere, is not a statement of location and is not read.
"""

from __future__ import annotations

import re

from chainatlas.extract.facts.context import ORG_TYPES, DocContext
from chainatlas.extract.records import Arg, EntityType, Fact, FactKind

__all__ = ["EXTRACTOR", "extract"]

EXTRACTOR = "facts.locations.v1"

_CUE = re.compile(r"(总部|中国总部|总部同样|同样)?(?:位于|地处|坐落于|坐落在|设在)")
_PLACES = (EntityType.REGION, EntityType.PARK)
_ATTRIB = re.compile(r"(?:同在|位于|地处)$")


def extract(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    for sent in ctx.sentences:
        for cue in _CUE.finditer(sent.norm):
            cs, ce = sent.start + cue.start(), sent.start + cue.end()
            place = next((m for m in sent.mentions if m.type in _PLACES and m.start == ce), None)
            if place is None:
                continue
            subject = _subject(ctx, sent, cs)
            if subject is None:
                continue
            args = {"subject": subject, "place": ctx.arg(place)}
            out.append(ctx.fact(FactKind.LOCATED_IN, args, sent, 0.75, EXTRACTOR))
        for place in sent.mentions:
            if place.type not in _PLACES:
                continue
            if not _ATTRIB.search(ctx.norm[max(sent.start, place.start - 2) : place.start]):
                continue
            if not ctx.norm.startswith("的", place.end):
                continue
            org = next(
                (
                    m
                    for m in sent.mentions
                    if m.type in ORG_TYPES and m.start > place.end and m.start - place.end <= 12
                ),
                None,
            )
            if org is not None:
                args = {"subject": ctx.org_arg(org), "place": ctx.arg(place)}
                out.append(ctx.fact(FactKind.LOCATED_IN, args, sent, 0.7, EXTRACTOR))
    return out


def _subject(ctx: DocContext, sent, pos: int) -> Arg | None:  # type: ignore[no-untyped-def]
    orgs = [m for m in sent.mentions if m.type in ORG_TYPES and m.end <= pos and pos - m.end <= 6]
    if orgs:
        return ctx.org_arg(orgs[-1])
    head = ctx.norm[max(sent.start, pos - 4) : pos]
    a = re.search(r"(?:该公司|公司)$", head)
    if a is not None:
        s = pos - len(a.group())
        return ctx.anaphor_arg(s, pos, s)
    return None

"""Fact extractors, one module per fact family; `run_all` applies them in order."""

from __future__ import annotations

from chainatlas.extract.facts import (
    financing,
    indicators,
    investments,
    launches,
    locations,
    milestones,
    positions,
)
from chainatlas.extract.facts.context import DocContext
from chainatlas.extract.records import Fact

__all__ = ["FAMILIES", "run_all"]

FAMILIES = (positions, financing, investments, launches, milestones, locations)


def run_all(ctx: DocContext) -> list[Fact]:
    facts: list[Fact] = []
    for family in FAMILIES:
        if family is milestones:
            # Milestones leave a project's reported stage to the investment facts.
            facts.extend(milestones.extract(ctx, prior=facts))
        else:
            facts.extend(family.extract(ctx))
    facts.extend(indicators.extract(ctx))
    facts.extend(indicators.extract_counts(ctx))
    return facts

"""Typed records that leave the extraction stage: mentions, facts, and their evidence.

Offsets are character offsets into `Document.text` (the original clean body), end
exclusive. The normalised copy has the same length, so offsets found there are valid here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntityType(StrEnum):
    COMPANY = "company"
    GOVERNMENT = "government"  # incl. party committees, 管委会, bureaus
    RESEARCH = "research"  # universities, labs, institutes, new-type R&D institutions
    PARK = "park"  # 高新区, 开发区, 新区, 科学城, 产业园, 孵化器
    FACILITY = "facility"  # major science facilities (大科学装置)
    ASSOCIATION = "association"  # 协会, 联盟, 商会
    PERSON = "person"
    POSITION = "position"  # 院长, 总工程师, 创始人, 党委书记, 链长, 负责人 …
    REGION = "region"  # province / city / county / town with admin code
    INDUSTRY = "industry"  # industry, product or technology term
    POLICY = "policy"  # 《…》, …计划, 行动计划


class FactKind(StrEnum):
    HOLDS_POSITION = "holds_position"  # person, position, org
    LOCATED_IN = "located_in"  # subject, place
    INVESTMENT_PROJECT = (
        "investment_project"  # investor, project, amount, capacity, output, stage, place, date
    )
    FINANCING = "financing"  # company, round, amount, investors
    LAUNCH = "launch"  # company, product, date, first
    MILESTONE = "milestone"  # subject, event, date
    INDICATOR = "indicator"  # subject, metric, value, unit, year, qualifier
    COUNT = "count"  # subject, category, number


@dataclass(frozen=True, slots=True)
class Money:
    """An amount normalised to CNY. `value` is the point estimate (None for vague forms
    like 数千万元, which only give a range); `low`/`high` bound it."""

    text: str
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None  # 约 / 超 / 近 / 以上 / 逾 / 数 …
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    value: float
    unit: str  # canonical unit: 辆, 吨, 亩, 平方米, 家, 名, 个, %, GWh …
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as precise as the text allows, resolved against the publish date."""

    text: str
    start: str  # ISO date of the first day the expression covers
    end: str  # ISO date of the last day it covers
    precision: str  # day / month / quarter / half / year / period
    expected: bool = False  # 预计 / 计划 / 力争 / 到…年: a target, not a past event


@dataclass(frozen=True, slots=True)
class Arg:
    """An entity-valued argument of a fact: the surface text and where it is."""

    text: str
    start: int
    end: int
    type: EntityType | None = None


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: EntityType
    confidence: float
    extractor: str
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. region code, stock code


@dataclass(slots=True)
class Fact:
    kind: FactKind
    args: dict[str, Any]  # role → Arg | Money | Quantity | DateValue | str | float | list
    sentence_start: int
    sentence_end: int
    sentence: str
    confidence: float
    extractor: str


@dataclass(slots=True)
class Extraction:
    document_id: str
    extractor_version: str
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

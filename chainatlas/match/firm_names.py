"""Is a store entity typed as company plausibly a firm's name? (pure)

The extractor sometimes types sentence debris as a company: an industry word alone
(机器人), a place plus industry words (合肥新能源汽车), a clause cut at a verb
(深圳凭借电子, 西安已形成半导体) or a generic description (工业视觉公司). Such entries
carry real sentences, so the 招商 matcher would rank them; it drops them instead.

A name passes when, after its region prefix, legal form and trailing industry words are
peeled off, a proper-name part (a brand) is left that is neither a generic business word
nor a clause with a verb in it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chainatlas.kb.names import INDUSTRY_WORDS, LEGAL_FORMS, clean, region_prefix

__all__ = ["GENERIC_WORDS", "is_plausible_firm_name"]

# Business words the name gazetteer does not peel (it keeps them as possible brands) but
# that name no firm on their own. Checked by tests/match/test_invest_names.py.
GENERIC_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            "新能源汽车", "整车", "视觉", "工业视觉", "机器视觉", "存储", "存储芯片", "面板",
            "显示面板", "锂电", "锂电池", "动力电池", "减速器", "伺服", "传感器", "控制器",
            "医疗器械", "生物医药", "光伏组件", "风电", "氢能", "储能电池", "企业", "厂商",
            "龙头", "龙头企业", "链主", "头部", "配套", "零部件", "整机", "终端", "平台",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_GENERIC = re.compile(
    "(?:"
    + "|".join(map(re.escape, sorted({*GENERIC_WORDS, *INDUSTRY_WORDS}, key=len, reverse=True)))
    + ")+"
)
# Verbs and adverbs that start or join a clause; a brand never holds them (凭借, 已形成).
_CLAUSE = re.compile(
    r"凭借|拥有|已经|已形成|形成了?|打造|成为|围绕|依托|聚焦|推动|加快|引进|落户|正在|带动|"
    r"吸引|集聚|聚集|以及|其中|包括|作为|通过|位于|总部"
)


def _strip_form(text: str) -> str:
    for _ in range(2):
        for suffix in LEGAL_FORMS:
            if len(text) > len(suffix) and text.endswith(suffix):
                text = text[: -len(suffix)]
                break
        else:
            break
    return text


# Cached: the same names and sentences come back on every query of a warm process.
@lru_cache(maxsize=65_536)
def is_plausible_firm_name(name: str) -> bool:
    """False for debris typed as company: 机器人, 合肥新能源汽车, 深圳凭借电子, 工业视觉公司.
    Real short names pass (宇树科技, 蔚来, 华润, 三星, 绿的谐波, 苏州澜图科技有限公司)."""
    text = _strip_form(clean(name))
    if not text:
        return False
    _, rest = region_prefix(text, min_rest=0)
    if not rest:  # a place alone
        return False
    if _CLAUSE.search(rest):
        return False
    # Nothing but business words once the place is gone: no brand to identify a firm.
    return _GENERIC.fullmatch(rest) is None

"""Place companies, projects, articles and research institutions on chain segments.

Pure functions over a :class:`~chainatlas.chains.templates.ChainCatalog`: no I/O beyond
reading the shipped innovation-chain file and listed-company gazetteer once. Every hit carries its evidence — the
Shenwan code, the words matched, and the sentence they came from — so a user can see
why a company sits on a segment.

Scoring, in one place so it can be tuned against ``eval/chain_gold.jsonl``
(``chainatlas eval chains eval/chain_gold.jsonl``; tune on the dev half only):

* a term's weight grows with its length (a four-character term such as 动力电池 says
  more than a two-character one such as 芯片), products count less than keywords, and a
  term shared by ``n`` segments across the catalog is divided by ``sqrt(n)``;
* repeated mentions add ``1 + ln(count)``, not ``count``, so one long article does not
  drown a short one;
* when two terms overlap, only the longest occurrence counts (存储芯片 is not also 芯片);
* words in customer or application context (面向…的, 客户为…, 用户包括…, 为/给…提供/配套,
  配套/供应…, 装上…, 进入…供应链, 在…领域的应用, 通过…销售) count about a third, and so do the means (采用…工艺,
  基于…) and the object in front of 用(的), of a service word (储能用电芯, 工程机械(的)再制造)
  or of 的 + a parts word (工业机器人的核心部件), and a product glued in front of its own
  input (锂电池|负极材料); for companies and projects a chain name
  in such context counts a third too (产品面向新能源汽车驱动电机);
* a Shenwan code gives every mapped segment a prior: stronger for an exact code than for
  a parent code, for segments mapped by few codes, and for chains that map much of the
  code's Shenwan family (the company's home chain); the industry's own name is read as
  weak text; keyword evidence on code-mapped segments is amplified (it refines the
  code), evidence elsewhere damped but able to override an odd code;
* segments gain a share of their chain's total (chain coherence), and chain names or
  aliases in the text boost the segments of that chain that already have evidence;
* an institution that names only a field (主攻生物医药) is placed on that chain's segments
  whose innovation hints match its own innovation stage (those named like the field word
  first: 量子信息 → the quantum segments; a pilot base, accelerator or testing centre on the
  field's R&D-service segment); a company that names only a
  chain is placed, weakly, on the chain's ``core`` segment if the template declares one;
* the entity's own name is read once, from the name: it is blanked out of its sentences,
  and a catalog word that is the brand of a short trade name (火箭涂料), or that starts on
  the brand's second character (盐城恒储能源: 储能), counts a fifth; a generic word of the
  name that a longer term in the texts places elsewhere (化学品 vs 湿电子化学品) is dropped;
* for companies, a word once seen in customer context is the customer's everywhere;
* for companies and texts, the firm's own output — the object of a clause's first output
  verb (生产水性工业漆) or the subject after its name and 的 (…的巡视机器人已在…投用) — counts
  more where a term ends an item of it, and the predicate after a product subject counts
  like a customer word (see _OWN_FACTOR); a pilot-line form word (中试平台) yields to another
  chain the text names;
* a listed company given with its code is looked up in the shipped gazetteer, and the
  trade words of its registered name (region, brand and legal form removed) are read as
  name evidence; when a code maps several segments, the one a template marks
  ``primary`` for it (where the typical company with that code sits) gets a bonus, and
  the industry's own name is then not read (the template author already has);
* a listed firm under a code that maps several segments may have a main-products row
  (``data/companies/main_products.tsv``): read like its name, free of the off-code damping,
  with the code prior halved so the products choose the segment; each item is a noun
  phrase whose last term is the head (消费电子|检测设备 is test equipment, 电力设备|检测 a
  testing service), and a template's product word counts like a keyword there.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

from chainatlas.chains.ngram_guess import NgramModel
from chainatlas.chains.ngram_guess import fit as fit_ngrams
from chainatlas.chains.ngram_guess import guess as guess_ngrams
from chainatlas.chains.product_catalog import (
    read_product_list,
    shipped_product_labels,
    shipped_vocabulary,
)
from chainatlas.chains.templates import (
    ChainCatalog,
    InnovationStage,
    Stage,
    load_innovation_chain,
)

__all__ = [
    "Evidence",
    "InstitutionResult",
    "SegmentHit",
    "StageHit",
    "chain_scores",
    "classify_company",
    "classify_institution",
    "classify_text",
    "innovation_stage",
    "top_chain",
]

EvidenceKind = Literal["shenwan", "keyword", "product", "name", "ngram"]


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: EvidenceKind
    value: str  # the matched term, or "370502 医疗设备" for a code
    sentence: str | None = None


@dataclass(slots=True)
class SegmentHit:
    chain_id: str
    segment_id: str
    stage: Stage
    weight: float  # raw score; comparable within one call only
    confidence: float  # 0..1
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.chain_id}/{self.segment_id}"


@dataclass(slots=True)
class StageHit:
    stage_id: str  # innovation-chain stage id, e.g. "basic-research"
    name: str  # 基础研究
    weight: float
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class InstitutionResult:
    segments: list[SegmentHit]
    stages: list[StageHit]


# --------------------------------------------------------------------------- weights
# Calibrated on the dev half of eval/chain_gold.jsonl; rerun `chainatlas eval chains`.

_PRODUCT_FACTOR = 0.6  # products are typical outputs, often generic (口罩, 电视)
_NAME_FACTOR = 1.5  # a term in the entity's own name says more than one in its context
_SHENWAN_EXACT = 3.0
_SHENWAN_PARENT = 1.5
# Added to the segment a template marks `primary` for the code: enough to break a tie
# between segments sharing a code (and to beat a small chain-affinity edge), not enough
# to outvote one business word in the company's name. Rerun `chainatlas eval chains`.
_SHENWAN_PRIMARY = 1.5
_REFINE_ON_CODE = 1.5  # keyword evidence on a segment the code already maps to
_OFF_CODE_SAME_CHAIN = 0.8
_OFF_CODE_OTHER_CHAIN = 0.7
_CHAIN_COHERENCE = 0.25  # share of the rest of the chain's score a segment inherits
_CHAIN_MENTION = 0.8  # per (log-scaled) mention of a chain name or alias
_AFFINITY = 1.0  # per ln(1 + codes the chain maps in the code's Shenwan family)
# Level-1 industries are broad (电力设备 holds batteries, PV, wind and grids), so a cousin
# code is weak evidence of a shared home chain.
_GRANDPARENT_SHARE = 0.1
_SHENWAN_NAME_FACTOR = 0.5  # the industry's own name (数字芯片设计) read as text
_ALIAS_ELSEWHERE = 0.5  # a chain's alias used as a keyword by another chain (医疗器械)
_GUESS_CONFIDENCE = 0.25
_NGRAM_CAP = 2.0  # an n-gram guess never counts more than two fallback readings
_FALLBACK = 0.5  # institution naming only a field: its chain's research-facing segments
_MIN_WEIGHT = 0.5  # below this a hit is noise (one generic two-character product)
_MAX_HITS = 12

# Products that name a customer industry rather than something the segment makes;
# they would pull every text that mentions 汽车 or 医疗 into an "applications" segment.
_GENERIC_PRODUCTS = frozenset(
    {
        "汽车",
        "电子",
        "物流",
        "医疗",
        "家庭",
        "科研",
        "半导体",
        "新能源",
        "航空航天",
        "消费电子",
        "模具",
        "环境",
        "食品药品",
        "工业控制",
        "通信设备",
        "数据中心",
        "汽车电子",
        "零售",
        "餐饮",
        "批发",
        "储备",
        "医院",
    }
)

# Codes the listed-company file still carries from before the 2021 revision, mapped to
# the 2021 code with the same name (found by comparing the two files' names).
_LEGACY_SHENWAN = {
    "280102": "280601",  # 商用载货车
    "280103": "280602",  # 商用载客车
    "420101": "421102",  # 港口
    "610103": "610102",  # 水泥制品
    "610203": "610202",  # 玻纤制造
    "620501": "620307",  # 园林工程
    "640301": "640107",  # 仪器仪表
    "640401": "640108",  # 金属制品
}

# Words after these markers name a customer or application, not what the entity makes:
# 面向功率半导体的测试设备, 主要客户为动力电池企业, 为新能源汽车电机提供材料. Spans stop
# at a clause break; the text is NFKC-folded first, so the full-width ，；！？ arrive as
# ASCII ,;!? and both forms are listed.
_CONTEXT_FACTOR = 0.35
_CONTEXT_SPANS = (
    # 用于 / 应用于 / 装进 / 装在 + X: X is where the product goes (芯片装进安防摄像机).
    re.compile(r"(?:面向|用于|应用于|装进|装在|装入|装到|用在)[^，。；！？,;!?的]*"),
    # 主要渠道是连锁餐饮和社区团购, 销售渠道包括商超: the channel is not the firm's segment.
    re.compile(r"渠道(?:主要)?(?:是|为|包括|有|覆盖|以)[^，。；！？,;!?]*"),
    # 第三代半导体在新能源汽车和快充领域的应用: the field where the product is applied.
    re.compile(r"在[^，。；！？,;!?在]{2,20}?(?=等?(?:领域|行业|场景)中?的?应用)"),
    # 对上线前的大模型做越狱测试, 对压力仪表进行校准: what a test or service works on.
    re.compile(
        r"对(?!外|于|接|标|比|话)[^，。；！？,;!?对]{1,20}?"
        r"(?=(?:做|进行|开展|实施)[^，。；！？,;!?]{0,10}?(?:测试|检测|评测|评估|审核|校准|检验|认证))"
    ),
    # 进入新能源车企供应链, 获得多家整车厂定点: the buyer a supplier has won.
    # 已进入两家电池厂的产线: the line it went into is the buyer's, not the firm's trade.
    re.compile(
        r"(?:进入|打入|切入)[^，。；！？,;!?]{1,20}?(?=供应链|供应体系|采购体系|的?(?:生产线|产线))"
    ),
    re.compile(r"(?:获得|拿到|取得)[^，。；！？,;!?]{1,20}?(?=(?:项目)?定点)"),
    # 在电商平台销售, 通过直播渠道销售: the channel the goods are sold through.
    # 在跨境电商渠道开售, 在潮玩店热销 (pass 10): a launch or best-seller verb names a channel too.
    re.compile(
        r"(?:通过|在|经由)[^，。；！？,;!?通在]{2,15}?"
        r"(?=(?:渠道)?(?:销售|售卖|出售|上架|开售|发售|首发|热销|畅销|铺货))"
    ),
    # 把聚乙烯粒料吹成缠绕膜 (pass 10): A in 把 A …成 B is the input, B (the own span) the product.
    re.compile(
        r"把[^，。；！？,;!?把]{1,20}?(?=(?:吹|做|加工|纺|压|拉|制|织|轧|铸|锻|烧|炼|切|磨|印)成)"
    ),
    # 用户包括食品检测机构: users are customers too. The span stops at a verb that names
    # what is done for them (为大模型客户采集并标注数据: the firm annotates).
    re.compile(
        r"(?:客户|用户|买家|买方|采购方|服务于|下游)"
        # 加工中心 is a machine the customer owns, not the verb 加工.
        r"(?:(?!提供|生产|制造|研制|研发|开发|采集|标注|设计|加工(?!中心)|定制)[^，。；！？,;!?])*"
    ),
    # 为整车厂配套, 给冰箱厂商做配套, 为博物馆设计: 为/给 + whom + what is done for them.
    # Not 作为 / 成为 / 认为 / 因为 (作为首条晶圆生产线 is the firm itself).
    re.compile(
        r"(?<![作成认因称视行更])[为给][^，。；！？,;!?为给]{2,30}?"
        r"(?:提供|做配套|配套|供货|供应|设计|生产|制造|加工|采集|标注|定制|打印|送样|测试|检测|校准|拍摄"
        r"|代工|整理|清洗|画框)"
    ),
    # 产品配套储能电站, 已装上加工中心, 主要供应空调外壳注塑厂: what follows is where the
    # product goes. Not 配套企业 or 配套设施 (the project's own supporting parts), nor
    # 供应链 / 供应商 (a trade of its own).
    re.compile(
        r"(?:配套|供货|供应|装上|装配到|装配于|搭载于|装机于|销往)"
        r"(?!企业|项目|设施|产业|服务|政策|工程|建设|园区|能力|体系|齐全|完善|率|的|链|商|保障|体系)"
        r"[^，。；！？,;!?]*"
    ),
    # 供给光模块厂家, 卖给工程机械厂: whoever follows is the buyer (no 配套工程 exception).
    # 送往连锁超市, 运往中东 (pass 11): where the goods are shipped is the buyer too.
    re.compile(r"(?:供给|卖给|售给|送往|运往|发往|送到)[^，。；！？,;!?]*"),
    # 向政务专网供应终端, 向园区管委会收取运维费 (pass 11): 向 + whom + a supply or fee verb.
    # Not 面向 / 方向 / 转向 … (a field or a turn, read by their own rules).
    re.compile(
        r"(?<![方面导走转意投去志动倾])向[^，。；！？,;!?向]{2,30}?"
        r"(?=(?:提供|供应|供货|交付|销售|出售|收取))"
    ),
    # 已在电子政务外网上运行, 在三甲医院投用 (pass 11): where the product runs is its user.
    re.compile(r"在[^，。；！？,;!?在]{2,20}?(?=上?(?:运行|使用|投用|上线|试用|落地|装机))"),
    # 在化工园区布设监测站 (pass 11): the park where the work happens, not the firm's trade.
    re.compile(
        r"在[^，。；！？,;!?在]{1,15}?(?:园区|开发区|高新区|新区|工业园|产业园|经开区|基地)"
        r"(?=[^，。；！？,;!?]{0,4}?(?:布设|安装|建设|运营|部署|投放))"
    ),
    # 供晶体生长使用, 供医院用: 供 + whoever uses the goods (not 供应 / 供给 / 供货 / 供电 …).
    re.compile(r"供(?![应给货电水气热暖销需])[^，。；！？,;!?供]{2,20}?(?=使用|用)"),
    # 采用7纳米工艺, 基于区块链: the means used, not what is made; stops at the verb that
    # names the output (采用新工艺生产电池 still makes batteries).
    re.compile(
        r"(?:采用|基于|利用|依托)"
        r"(?:(?!生产|制造|研制|研发|开发|建设|打造|推出|提供|的)[^，。；！？,;!?])*"
    ),
)

# The object in front of these markers is what the product serves or what the service
# works on, not the product: 储能用电芯 and 冰箱外壳用的钢板 (a battery cell and a steel
# sheet), 工程机械的再制造 (a remanufacturer, not a machinery maker). The object runs back
# to the nearest clause break or to the verb that opens it (生产, 从事 …).
_SERVICE_WORDS = "再制造|维修|维保|运维|修复|翻新|回收|租赁|改装"
# 工业机器人的核心部件: the parts are the subject, the machine they go into the customer.
_PART_WORDS = "核心部件|关键部件|核心零部件|关键零部件|零部件|配套件"
_OBJECT_BEFORE = re.compile(
    rf"用(?:的)?(?![于户途量地来以作])|的(?={_SERVICE_WORDS}|{_PART_WORDS})"
    rf"|(?=(?:{_SERVICE_WORDS}))"
)
_OBJECT_STOP = re.compile(
    r"(?:生产|制造|研制|研发|开发|提供|供应|从事|专注|主营|专门|主要|推出|打造|做|是|有|为)$"
)
_OBJECT_MAX = 20
_YONG_VERBS = frozenset("使采利应作运适试选享占借租调引援沿挪启通专备费")

# A company name is [place][brand][industry][legal form]; a catalog word that *is* the
# brand (火箭涂料: 火箭 is a trade name, 涂料 the trade) says nothing about the business.
_BRAND_FACTOR = 0.2
_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团股份|集团|公司|股份)$")

# Everyday words that contain a catalog term but mean something else (生产线 is any
# factory line, not the wafer-fab 产线; 航空港 is a place). Matched like terms so the
# longest-match rule hides the term inside them, then ignored.
# A count of firms (多家电池企业, 一家电池厂) would otherwise read as 家电 (appliances).
_COUNT_BLOCKERS = frozenset(
    f"{n}家" for n in ("一", "两", "几", "多", "数", "各", "每", "余", "百", "千", "万")
)
_BLOCKERS = (
    frozenset({"生产线", "航空港", "高铁站", "故障诊断", "电视台", "卫星城", "玻璃钢化"})
    | _COUNT_BLOCKERS
)

# A head term posted on this many segments (传感器, 控制器) is a category the modifier
# specifies, so the modifier keeps its weight. Checked against the dev files and the
# fact-set sentences; rerun `chainatlas eval chains`.
_GENERIC_HEAD_POSTINGS = 3

# Main products of listed firms whose Shenwan code maps several segments (医疗设备 holds
# imaging, monitoring and surgical robots): a firm's own product list says as much as a
# business word in its name, so it is read like one. Rerun `chainatlas eval chains`.
_MAIN_PRODUCTS = Path(__file__).resolve().parents[1] / "data" / "companies" / "main_products.tsv"
_MAIN_PRODUCT_FACTOR = 1.5
_CODE_UNDER_PRODUCTS = 0.5  # share of the code prior kept when the product list places the firm
# The curated product catalogue (product_catalog.py): a labelled product outweighs the
# keyword reading of the same list, which keeps a small say for unlabelled terms.
_CURATED = 4.0
_CURATED_ALT = 0.3  # a further acceptable segment of the same product
_CURATED_UNSURE = 0.7
_KEYWORDS_UNDER_CURATED = 0.4
# A product list item is a noun phrase ending in its head (消费电子检测设备 is test
# equipment); these split items, and a testing or service word after a term makes the
# term its object.
_ITEM_END = re.compile(r"[、，,；;/：:|（）()\s]")
# 手机分销, 酒类零售, 农机连锁: the goods a trading firm moves are not what it makes.
_SERVICE_TAIL = re.compile(rf"(?:检测|检验|认证|{_SERVICE_WORDS}|分销|零售|连锁|批发|经销|代理)")

# Firms whose Shenwan industry the source data gives without a gazetteer row.
_EXTRA_LISTED = Path(__file__).resolve().parents[1] / "data" / "match" / "listed_industry_extra.tsv"

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_ASCII_WORD = re.compile(r"[0-9a-z]")


# --------------------------------------------------------------------------- text prep


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a declared dependency
        return None


def _normalise(text: str) -> str:
    """NFKC (full-width → ASCII), Traditional → Simplified, case-folded.

    Both conversions keep the length, so offsets into the result index the input too.
    """
    folded = unicodedata.normalize("NFKC", text)
    conv = _t2s()
    if conv is not None:
        simplified = conv.convert(folded)
        if len(simplified) == len(folded):
            folded = simplified
    return folded.casefold()


_SUPPLY_OBJECT = re.compile(
    r"(?<![方面导走转意投去志动倾作成认因称视行更])[向为给][^，。；！？,;!?向为给]{2,30}?"
    r"(?:提供|供应|供货|交付|出售)([^，。；！？,;!?]+)"
)


def _context_mask(text: str, found: Sequence[tuple[int, int, str]] = ()) -> list[bool]:
    """True where a character sits in customer, application or means context.

    ``found`` (term spans) lets the object-before-marker rule fire only after a catalog
    term (储能用) and never on a 用 inside a term (车用芯片 names a product).
    """
    mask = [False] * len(text)
    for pattern in _CONTEXT_SPANS:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                mask[i] = True
    # 向政务专网供应终端, 为车企供货电池包: after a buyer and a supply verb comes what the
    # firm supplies, whatever a broader span marked (供应 + X elsewhere names the buyer).
    for m in _SUPPLY_OBJECT.finditer(text):
        for i in range(m.start(1), m.end(1)):
            mask[i] = False
    ends = {end for _, end, _ in found}
    inside = {i for start, end, _ in found for i in range(start, end)}
    for m in _OBJECT_BEFORE.finditer(text):
        pos = m.start()
        if not m.group():
            # 工程机械再制造 (no 的): only right after a catalog term, so the object is
            # one the catalog knows; the service word may itself be a term.
            if pos not in ends:
                continue
        elif pos in inside:
            continue
        if text[pos] == "用":
            # 外壳用的 always marks an object; a bare 用 only right after a catalog term
            # (储能用), and never in a verb (使用的, 采用的, 应用的).
            verb = pos > 0 and text[pos - 1] in _YONG_VERBS
            if verb or (pos not in ends and not m.group().endswith("的")):
                continue
        start = pos
        while start > 0 and pos - start < _OBJECT_MAX:
            ch = text[start - 1]
            if ch in "，。；！？：,;:\n" or _OBJECT_STOP.search(text[:start]):
                break
            start -= 1
        for i in range(start, pos):
            mask[i] = True
    return mask


# A noun phrase whose head is a buyer (an organisation or a user) names a customer, not
# the firm's product: 向功率器件研发团队送样, 帮光伏和锂电工厂找出隐裂, 卖给航空发动机和燃气轮机的
# 锻造厂, 供给白电整机厂. The phrase runs back from the head over catalog terms, the
# connectors between them and at most _BUYER_GAP other characters in front of the head
# (研发|团队); it counts when what precedes it is not a self-description (是一家…企业,
# 作为…厂商). Companies only: in a project text 引进锂电池企业 is the project itself.
_BUYER_HEAD = re.compile(
    r"企业|整机厂|主机厂|工厂|厂家|厂商|车企|药企|设备商|服务商|集成商|运营商|团队|院所"
    r"|医院|客户|用户|剧组|厂(?![房区址长内外])"
)
_BUYER_LINK = frozenset("和与及、/的跟或")
_BUYER_GAP = 3
_BUYER_GAP_STOP = frozenset("为给向帮替对是把将被在从由卖供销送和与及、的，。；！？,;:：\n\u3000")
_SELF_BEFORE = re.compile(r"(?:一家|一个|作为|成为|属于|(?<!对象)(?<!客户)(?<!用户)是)$")
_CLAUSE_BREAK = frozenset("，。；！？,;:：、\n")
_BUYER_BEFORE = re.compile(
    r"(?:为|给|向|帮|帮助|替|卖给|售给|供给|供货|供应|对象是|客户是|用户是)$"
)


def _buyer_terms(text: str, found: Sequence[tuple[int, int, str]]) -> set[int]:
    """Starts of terms inside a noun phrase headed by a buyer word (see _BUYER_HEAD)."""
    # A count word (多家) is no catalog term: the phrase stops there, as before it was one.
    by_end = {end: (start, end) for start, end, t in found if t not in _COUNT_BLOCKERS}
    marked: set[int] = set()
    for m in _BUYER_HEAD.finditer(text):
        pos, terms, crossed_de, gap = m.start(), [], False, 0
        cover = next((f for f in found if f[0] < pos < f[1]), None)
        if cover is not None:  # 3D打印设备|商: the head word ends inside a term
            terms.append(cover[0])
            pos = cover[0]
        while pos > 0:
            if pos in by_end:
                pos = by_end[pos][0]
                terms.append(pos)
            elif text[pos - 1] in _BUYER_LINK:
                crossed_de = crossed_de or text[pos - 1] == "的"
                pos -= 1
            elif not terms and gap < _BUYER_GAP and text[pos - 1] not in _BUYER_GAP_STOP:
                gap += 1
                pos -= 1
            else:
                break
        if not terms:
            continue
        pos = min(terms)  # a trailing connector (内饰、|车身结构件) belongs to a list before it
        before = text[:pos].rstrip("\u3000")
        # Clause-initial (光电子企业正在加速成长: the subject) or in apposition to the
        # firm's own blanked name (医疗器械企业|某某医疗): the phrase describes the firm.
        if not before or before[-1] in _CLAUSE_BREAK or _SELF_BEFORE.search(before):
            continue
        if text.startswith("\u3000", m.end()):
            continue
        # 专注碳化硅衬底的企业 describes the firm, and 建有存储芯片工厂 is its own plant:
        # across 的, or before a bare factory word, only a buyer marker will do.
        own_plant = m.group() in ("工厂", "厂")
        if (crossed_de or own_plant) and not _BUYER_BEFORE.search(before):
            continue
        marked.update(terms)
    return marked


# The firm's own output (pass 8). In a company or project clause the product is the
# object of the first output verb (生产水性工业漆, 把晶棒切片做成半导体制冷片, 为手机品牌代工
# 真无线耳机), or the subject noun phrase after the firm's blanked name and 的 (…的变电站
# 巡视机器人已在电网公司投用). The *own span* is that object or subject:
# * object: from the first output verb of the clause that is not inside a catalog term
#   (芯片设计 is a term, not a verb) to the first _OWN_STOP (a setting, a buyer, an end
#   use or a new predicate: 在, 于, 给, 向, 供给, 客户, 用于, 已, 获 …) or the clause end;
# * subject: from after 的 to the first _SUBJECT_STOP (the predicate: 已, 在, 获, 投产 …),
#   when no output verb intervenes.
# A term that ends an item of the span (items split at 和, 与, 及, 、 …) is a head and
# counts _OWN_FACTOR; a term with more words after it in its item (塑料|抗氧剂) modifies a
# head the catalog does not know and is left alone, and so is every item when the last
# one ends in such a head (数据治理、…和数据交易撮合|服务: the head is shared). After a
# subject span that names a product (a catalog term) the rest of the clause is its
# predicate — where the product is used or registered (已在|电网|公司投用, 获批|注册证) —
# and counts like a customer word; a subject with no term (…的员工正在调试…) is not the
# product, and its predicate keeps full weight.
_OWN_FACTOR = 1.5
# Not inside an organisation's name or a noun (生物制造有限公司, 制造业, 生产商).
_OWN_VERB = re.compile(
    r"(?:承接|批量生产|生产|制造|研制|研发|开发|设计|做成|制成|制取|制备|运营|提供|建设|年产|量产"
    r"|代工|推出|发布|加工|主营|主打|专注于|专注|专做|从事|签约|引进)"
    r"(?!有限|公司|集团|股份|企业|业|商|厂|研究|中心)"
)
_OWN_STOP = re.compile(
    r"在|于|供给|卖给|售给|销往|给|为|向|用于|应用于|面向|客户|用户|供应|已|并|以|将|获|通过|实现"
)
_SUBJECT_STOP = re.compile(
    r"已|在|获|于|将|正|被|通过|实现|完成|投用|上线|进入|销往|出口|累计|达到|是|为|与|和|成为|入选|亮相"
    r"|投产|贯通|下线|落地|开工|成立|位于|由|同|携手|联合|签署|宣布|发布|计划|拟|正式"
)
# Catalog terms that only name a form of equipment (a robot cell, an "intelligent
# machine"): after another term they describe that term's kit. Both are the whole list of
# such bare form words in the shipped templates (checked in pass 9).
_FORM_TERMS = frozenset({"工作站", "智能装备"})
_OWN_LINK = re.compile(r"[、,，和与及或/+跟]")
_CLAUSE_SPLIT = re.compile(r"[，。；！？,;!?:：\n]")


@dataclass(frozen=True, slots=True)
class _OwnSpan:
    start: int
    end: int
    clause_end: int
    subject: bool  # the subject after 的 (else the object of an output verb)


def _own_spans(text: str, found: Sequence[tuple[int, int, str]]) -> list[_OwnSpan]:
    """The own span of each clause that has one (see _OWN_FACTOR)."""
    inside = {i for start, end, _ in found for i in range(start, end)}
    exact = {(start, end) for start, end, _ in found}
    spans: list[_OwnSpan] = []
    pos = 0
    for piece in _CLAUSE_SPLIT.split(text):
        c_start, c_end = pos, pos + len(piece)
        pos = c_end + 1
        stripped = piece.lstrip(" \t")  # not str.lstrip(): U+3000 (the blanked name) is space
        own = len(stripped) - len(stripped.lstrip("\u3000"))
        if own and stripped[own:].startswith("的"):
            a = c_start + (len(piece) - len(stripped)) + own + 1
            m = _SUBJECT_STOP.search(text, a, c_end)
            b = m.start() if m else c_end
            if not _OWN_VERB.search(text, a, b):
                spans.append(_OwnSpan(a, b, c_end, True))
                continue
        for m in _OWN_VERB.finditer(text, c_start, c_end):
            # 芯片设计 is a term, not a verb; a term that is just the verb (代工) stays one.
            if m.start() in inside and (m.start(), m.end()) not in exact:
                continue
            a = m.end()
            while a < c_end and text[a] == "的":  # 运营的联盟链平台
                a += 1
            stop = _OWN_STOP.search(text, a, c_end)
            spans.append(_OwnSpan(a, stop.start() if stop else c_end, c_end, False))
            break
    return [span for span in spans if span.end > span.start]


def _own_terms(
    text: str, found: Sequence[tuple[int, int, str]], index: _Index
) -> tuple[set[int], set[int]]:
    """Starts of (head terms of own spans, terms in the predicate after a subject span)."""
    heads: set[int] = set()
    predicate: set[int] = set()
    for span in _own_spans(text, found):
        a, b = span.start, span.end
        ends = {m.start() for m in _OWN_LINK.finditer(text, a, b)} | {b}
        inner = [(s, e) for s, e, t in found if a <= s and e <= b and t in index.postings]
        shared = bool(inner) and len(ends) > 1 and max(e for _, e in inner) < b
        if not shared:
            item_final = [(s, e) for s, e in inner if e == min(i for i in ends if i >= e)]
            # 激光焊接|工作站: a bare form word names the shape and the term glued before it
            # the field, so that term heads the item instead.
            before = {e: s for s, e in inner}
            heads.update(
                before[s] if text[s:e] in _FORM_TERMS and s in before else s for s, e in item_final
            )
        if span.subject and inner:  # 的二十多名员工正在调试…: no product, no predicate
            predicate.update(s for s, e, _ in found if b <= s and e <= span.clause_end)
    return heads, predicate


def _sentences(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    for piece in _SENTENCE_END.split(text):
        if piece.strip():
            out.append((pos, pos + len(piece), piece.strip()))
        pos += len(piece)
    return out


def _brand_span(name: str) -> tuple[tuple[int, int] | None, int | None]:
    """Where the brand sits in a name, as (brand span, crossing position).

    The brand span is the first two characters of a 4–6 character trade name (legal form
    stripped) when more characters follow it: 火箭|涂料. The crossing position is the
    brand's second character once the region is also stripped (盐城|恒储|能源科技): a
    term that starts there (储能) straddles brand and trade, an accident of spelling. Not
    the brand itself for long names: 航天|时代电子, 水务|规划设计院 open with the business.
    """
    from chainatlas.kb.names import parse_company

    full = name.strip()
    core = _LEGAL_FORM.sub("", full)
    cjk = all("\u4e00" <= ch <= "\u9fff" for ch in core)
    span = (0, 2) if cjk and 4 <= len(core) <= 6 else None
    region = parse_company(full).region
    offset = len(region.text) if region is not None and core.startswith(region.text) else 0
    crossing = offset + 1 if cjk and len(core) - offset >= 4 else None
    return span, crossing


def _own_names(name: str) -> tuple[str, ...]:
    """The name as given and without its legal form (火箭涂料股份有限公司 → 火箭涂料)."""
    name = (name or "").strip()
    core = _LEGAL_FORM.sub("", name)
    return tuple(n for n in (name, core) if len(n) >= 2)


def _term_weight(term: str) -> float:
    if term.isascii():
        letters = len(term.replace(" ", ""))
        return 0.8 if letters <= 2 else 1.0 if letters == 3 else 1.4
    n = sum(1 for ch in term if not ch.isascii()) + 0.5 * sum(1 for ch in term if ch.isascii())
    if n < 2:
        return 0.3
    return {2: 1.0, 3: 1.4}.get(int(n), 1.8 if n < 5 else 2.0)


# --------------------------------------------------------------------------- index


@dataclass(frozen=True, slots=True)
class _Posting:
    chain_id: str
    segment_id: str
    kind: EvidenceKind  # keyword | product
    weight: float


@dataclass
class _Index:
    postings: dict[str, list[_Posting]]  # normalised term -> segments
    display: dict[str, str]  # normalised term -> term as written in the template
    chain_terms: dict[str, str]  # normalised chain name/alias -> chain id
    terms_by_len: list[str]  # longest first, for overlap resolution
    prefixes: _Prefixes  # of terms_by_len: which terms a text can hold
    stages: dict[tuple[str, str], Stage]
    spec: dict[tuple[str, str], float]  # 1/sqrt(number of codes) per segment
    chain_codes: dict[str, frozenset[str]]  # chain id -> every Shenwan code it maps
    hints: dict[str, dict[str, list[str]]]  # chain -> innovation stage -> segment ids
    core: dict[str, str] = field(default_factory=dict)  # chain id -> its core segment id
    affinities: dict[str, dict[str, float]] = field(default_factory=dict)  # by Shenwan code
    curated: frozenset[str] = frozenset()  # terms from the product catalogue / vocabulary
    template_heads: frozenset[str] = frozenset()  # first two characters of template terms
    guesser: NgramModel | None = None  # fitted on first need (_ngram_tallies)


# ChainCatalog is a mutable (unhashable) dataclass, so key on identity and keep a weak
# reference to tell a live catalog from a new one that reused a freed id.
_INDEXES: dict[int, tuple[weakref.ref[ChainCatalog], _Index]] = {}


def _index(catalog: ChainCatalog) -> _Index:
    cached = _INDEXES.get(id(catalog))
    if cached is not None and cached[0]() is catalog:
        return cached[1]
    raw: dict[str, dict[tuple[str, str], tuple[EvidenceKind, str]]] = defaultdict(dict)
    stages: dict[tuple[str, str], Stage] = {}
    spec: dict[tuple[str, str], float] = {}
    chain_terms: dict[str, str] = {}
    chain_codes: dict[str, frozenset[str]] = {}
    hints: dict[str, dict[str, list[str]]] = {}
    core: dict[str, str] = {}
    for chain in catalog:
        chain_codes[chain.id] = frozenset(r.code for s in chain.segments for r in s.shenwan)
        for seg in chain.segments:
            if seg.core:
                core[chain.id] = seg.id
            for stage_id in seg.innovation:
                hints.setdefault(chain.id, {}).setdefault(stage_id, []).append(seg.id)
        for term in (chain.name, *chain.aliases):
            norm = _normalise(term)
            if len(norm) >= 2:
                chain_terms[norm] = chain.id
        for seg in chain.segments:
            key = (chain.id, seg.id)
            stages[key] = seg.stage
            spec[key] = 1.0 / math.sqrt(max(1, len(seg.shenwan)))
            for kind, terms in (("keyword", seg.keywords), ("product", seg.products)):
                for term in terms:
                    if kind == "product" and term in _GENERIC_PRODUCTS:
                        continue
                    norm = _normalise(term)
                    # A keyword wins over the same word listed as a product.
                    if key not in raw[norm] or kind == "keyword":
                        raw[norm][key] = (kind, term)  # type: ignore[assignment]
    shares: dict[tuple[str, tuple[str, str]], float] = {}  # a curated term's second homes
    curated: set[str] = set()
    # Curated words no template lists join as keywords of their segments (排水泵,
    # 金刚石线): the templates' own words keep their tuned owners.
    for label in (*shipped_product_labels().values(), *shipped_vocabulary().values()):
        norm = _normalise(label.term)
        # Chain names stay chain mentions (新能源汽车 is the chain, not a product line).
        if (
            label.primary is None
            or label.unsure
            or label.category
            or len(norm) < 2
            or norm in raw
            or norm in chain_terms
            or label.term in _BLOCKERS
        ):
            continue
        for key, share in ((label.primary, 1.0), *((a, _CURATED_ALT) for a in label.alts)):
            if key in stages:
                raw[norm][key] = ("keyword", label.term)
                shares[(norm, key)] = share
                curated.add(norm)
    postings: dict[str, list[_Posting]] = {}
    display: dict[str, str] = {}
    for norm, segs in raw.items():
        idf = 1.0 / math.sqrt(len(segs))
        base = _term_weight(norm)
        alias_of = chain_terms.get(norm)
        postings[norm] = [
            _Posting(
                chain_id=c,
                segment_id=s,
                kind=kind,
                weight=base
                * idf
                * (_PRODUCT_FACTOR if kind == "product" else 1.0)
                * (_ALIAS_ELSEWHERE if alias_of is not None and alias_of != c else 1.0)
                * shares.get((norm, (c, s)), 1.0),
            )
            for (c, s), (kind, _) in segs.items()
        ]
        display[norm] = next(iter(segs.values()))[1]
    every = set(postings) | set(chain_terms) | {_normalise(b) for b in _BLOCKERS}
    by_len = sorted(every, key=lambda t: (-len(t), t))
    key = id(catalog)
    index = _Index(
        postings=postings,
        display=display,
        chain_terms=chain_terms,
        terms_by_len=by_len,
        prefixes=_prefixes(by_len),
        stages=stages,
        spec=spec,
        chain_codes=chain_codes,
        hints=hints,
        core=core,
        curated=frozenset(curated),
        template_heads=frozenset(t[:2] for t in postings if t not in curated),
    )
    _INDEXES[id(catalog)] = (weakref.ref(catalog, lambda _: _INDEXES.pop(key, None)), index)
    return index


def _bounded(text: str, start: int, end: int, term: str) -> bool:
    """ASCII terms must not sit inside a longer ASCII word (PE in PET, DR in DRAM)."""
    if not term[0].isascii() or not term[-1].isascii():
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (
        (term[0].isalnum() and _ASCII_WORD.match(before))
        or (term[-1].isalnum() and _ASCII_WORD.match(after))
    )


@dataclass(frozen=True)
class _Prefixes:
    """Positions in a longest-first term list, by each term's first two characters (its
    one character for single-character terms): a text can only hold the terms whose
    prefix it contains, so a scan tries those instead of every term of every template."""

    by_two: dict[str, tuple[int, ...]]
    by_one: dict[str, tuple[int, ...]]


def _prefixes(terms_by_len: Sequence[str]) -> _Prefixes:
    by_two: dict[str, list[int]] = defaultdict(list)
    by_one: dict[str, list[int]] = defaultdict(list)
    for i, term in enumerate(terms_by_len):
        if len(term) >= 2:
            by_two[term[:2]].append(i)
        elif term:
            by_one[term].append(i)
    return _Prefixes(
        {k: tuple(v) for k, v in by_two.items()}, {k: tuple(v) for k, v in by_one.items()}
    )


def _find_terms(
    text: str,
    terms_by_len: Sequence[str],
    prefixes: _Prefixes | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, longest term first, leaving out `exclude`. With
    `prefixes` (built from the same list) only the terms that can occur are tried, in the
    same order, so the result is identical."""
    if prefixes is not None:
        present: set[int] = set()
        for pair in {text[i : i + 2] for i in range(len(text) - 1)}:
            present.update(prefixes.by_two.get(pair, ()))
        for char in set(text):
            present.update(prefixes.by_one.get(char, ()))
        terms_by_len = [terms_by_len[i] for i in sorted(present)]
    taken = [False] * len(text)
    found: list[tuple[int, int, str]] = []
    for term in terms_by_len:
        if term in exclude:
            continue
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]) and _bounded(text, start, end, term):
                found.append((start, end, term))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(term, start + 1)
    found.sort()
    return found


_LONGEST_TERM = 16  # characters; template and catalogue terms are shorter


def _crossing(text: str, start: int, end: int, index: _Index) -> bool:
    """Whether a template term overlaps text[start:end] without containing or being
    contained in it (晶圆级测试 | 测试设备)."""
    heads = index.template_heads
    for i in range(start + 1, end):  # starts inside, ends beyond
        if text[i : i + 2] not in heads:
            continue
        for j in range(end + 1, min(len(text), i + _LONGEST_TERM) + 1):
            term = text[i:j]
            if term in index.postings and term not in index.curated:
                return True
    for i in range(max(0, start - _LONGEST_TERM), start):  # starts before, ends inside
        if text[i : i + 2] not in heads:
            continue
        for j in range(start + 1, end):
            term = text[i:j]
            if term in index.postings and term not in index.curated:
                return True
    return False


def _find_index_terms(text: str, index: _Index) -> list[tuple[int, int, str]]:
    """`_find_terms`, except that a catalogue or vocabulary term never cuts a template
    term in two: where one crosses a template term, the text is read without it, so the
    templates' tuned words keep their say and curated words fill the gaps or extend them
    (光伏压延玻璃 still contains 压延玻璃)."""
    found = _find_terms(text, index.terms_by_len, index.prefixes)
    banned = {
        term
        for start, end, term in found
        if term in index.curated and _crossing(text, start, end, index)
    }
    if not banned:
        return found
    return _find_terms(text, index.terms_by_len, index.prefixes, exclude=banned)


# --------------------------------------------------------------------------- scoring


@dataclass
class _Tally:
    score: float = 0.0
    evidence: dict[tuple[str, str], Evidence] = field(default_factory=dict)

    def add(self, amount: float, ev: Evidence) -> None:
        self.score += amount
        self.evidence.setdefault((ev.kind, ev.value), ev)


@dataclass
class _Mentions(dict):  # chain id -> strength; remembers the first word and sentence
    first: dict[str, Evidence] = field(default_factory=dict)


def _scan(
    texts: Iterable[str],
    index: _Index,
    *,
    kind_override: EvidenceKind | None = None,
    mask: Sequence[str] = (),
    sticky_customer: bool = False,
    skip: frozenset[str] = frozenset(),
    customer_chains: bool = False,
    product_list: bool = False,
    own_span: bool = False,
) -> tuple[dict[tuple[str, str], _Tally], _Mentions]:
    """Keyword/product evidence per segment and chain-mention strength per chain.

    ``mask`` lists names to blank out first: the entity's own name is scored once, from
    the name (with its brand discount), not again each time a sentence repeats it.
    ``sticky_customer`` (companies): a word once seen in customer context counts as the
    customer's everywhere in the texts. ``skip`` lists normalised terms to find (they
    still hide shorter terms inside them) but not to score. ``customer_chains``
    (companies, projects): a chain name in customer context counts a fraction, like any
    other customer word; institutions keep it whole (面向生物医药 is their field).
    ``product_list`` (a listed firm's curated main products): each 、-separated item is
    one noun phrase whose head is its end, so a term another term follows in the item is
    a modifier (消费电子|检测设备) and counts like a customer word; and a template's
    product word counts like a keyword (the row says the firm makes it).
    """
    masks = sorted({_normalise(m) for m in mask if len(m) >= 2}, key=len, reverse=True)
    # (chain, seg, term) -> mentions, a mention in customer context counting a fraction
    counts: dict[tuple[str, str, str], float] = defaultdict(float)
    first: dict[tuple[str, str, str], tuple[_Posting, str]] = {}
    chain_counts: dict[str, float] = defaultdict(float)
    chain_first: dict[str, Evidence] = {}
    hits: list[tuple[str, bool, float, str]] = []  # term, in context, factor, sentence
    for text in texts:
        if not text or not text.strip():
            continue
        norm = _normalise(text)
        for m in masks:
            norm = norm.replace(m, "\u3000" * len(m))
        sents = _sentences(text)
        found = _find_index_terms(norm, index)
        context = _context_mask(norm, found)
        if sticky_customer:
            for start in _buyer_terms(norm, found):
                context[start] = True
        modifiers = _modifiers(found, index)
        own_heads: set[int] = set()
        if own_span:
            own_heads, predicate = _own_terms(norm, found, index)
            own_heads -= modifiers
            for start in predicate:
                context[start] = True
        if product_list:
            modifiers |= _non_final(norm, found, index)
        brand = _brand_span(norm) if kind_override == "name" else None
        for start, end, term in found:
            sentence = next((s for a, b, s in sents if a <= start < b), text.strip())
            chain_id = index.chain_terms.get(term)
            if chain_id is not None:
                # 产品面向新能源汽车驱动电机: the customer's field is no chain of ours.
                in_context = customer_chains and context[start]
                chain_counts[chain_id] += _CONTEXT_FACTOR if in_context else 1.0
                chain_first.setdefault(
                    chain_id, Evidence(kind_override or "keyword", text[start:end], sentence)
                )
                if term not in index.postings:
                    continue
            # The brand itself (火箭|涂料), or a term that starts on the brand's second
            # character (恒|储能|源): an accident of spelling, not the business.
            on_brand = brand is not None and ((start, end) == brand[0] or start == brand[1])
            factor = _BRAND_FACTOR if on_brand else 1.0
            if term in skip:
                continue
            if start in modifiers:
                factor *= _CONTEXT_FACTOR
            elif start in own_heads and not context[start]:
                factor *= _OWN_FACTOR
            hits.append((term, context[start], factor, sentence))
    # Once a company's texts mark a word as the customer's (用于检测动力电池极片), its
    # other mentions (深耕动力电池) are the same customer, not a second line of business. Not
    # for institutions: 面向量子计算 there names a research direction.
    customer = {term for term, in_context, _, _ in hits if in_context} if sticky_customer else set()
    # 买家以数控机床制造商为主 … 机床主轴轴承: a shorter word inside a customer's word is the
    # same customer named short.
    customer |= {term for term, _, _, _ in hits if any(term in c and term != c for c in customer)}
    for term, in_context, factor, sentence in hits:
        for post in index.postings.get(term, ()):
            key = (post.chain_id, post.segment_id, term)
            damp = _CONTEXT_FACTOR if in_context or term in customer else 1.0
            counts[key] += factor * damp
            first.setdefault(key, (post, sentence))
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for key, n in counts.items():
        post, sentence = first[key]
        kind = kind_override or post.kind
        amount = post.weight * (n if n <= 1.0 else 1.0 + math.log(n))
        if product_list and post.kind == "product":
            amount /= _PRODUCT_FACTOR
        if kind_override == "name":
            amount *= _NAME_FACTOR
        tallies[(post.chain_id, post.segment_id)].add(
            amount, Evidence(kind, index.display.get(key[2], key[2]), sentence)
        )
    mentions = _Mentions(first=chain_first)
    mentions.update(
        {
            c: _CHAIN_MENTION * (n if n <= 1.0 else 1.0 + math.log(n))
            for c, n in chain_counts.items()
        }
    )
    return tallies, mentions


def _modifiers(found: Sequence[tuple[int, int, str]], index: _Index) -> set[int]:
    """Starts of terms that name what the next term is for: 锂电池|负极材料 is an anode
    material, 空调|主控板 a control board. A Chinese compound's head is its last word;
    here the modifier is a product of the head's own chain further down the chain (the
    head is its input), so it names the customer. Only within one chain and only
    downstream-of-head modifiers: across chains, or between peers (氢燃料电池|发动机,
    细胞治疗|中试平台), the first word often says what the second is.
    """

    def stages(term: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for post in index.postings.get(term, ()):
            rank = index.stages[(post.chain_id, post.segment_id)].rank
            out[post.chain_id] = min(rank, out.get(post.chain_id, rank))
        return out

    marked: set[int] = set()
    for (start, end, term), (h_start, _, head) in pairwise(found):
        if end != h_start:
            continue
        if len(index.postings.get(head, ())) >= _GENERIC_HEAD_POSTINGS:
            continue  # 光纤|传感器: a head many segments share is a category, not a product
        mod_ranks, head_ranks = stages(term), stages(head)
        if mod_ranks and all(
            chain in head_ranks and head_ranks[chain] < rank for chain, rank in mod_ranks.items()
        ):
            marked.add(start)
    return marked


def _non_final(text: str, found: Sequence[tuple[int, int, str]], index: _Index) -> set[int]:
    """Starts of terms that are not the head of their list item: another catalog term
    follows them in the same item (消费电子|检测设备, 工程机械|变速箱, 石油|钻机), or a
    testing or service word does (电力设备|检测: the firm tests power equipment). A
    non-catalog tail says nothing either way (液晶显示|模组, 转向器|壳体 keep their term),
    and neither does a category head (智慧矿山|软件, MEMS|传感器: a chain name or a term
    posted on many segments, which the modifier specifies)."""
    marked: set[int] = set()
    for (start, end, _), (h_start, _, head) in pairwise(found):
        generic = (
            head in index.chain_terms or len(index.postings.get(head, ())) >= _GENERIC_HEAD_POSTINGS
        )
        if not generic and not _ITEM_END.search(text[end:h_start]):
            marked.add(start)
    for start, end, _ in found:
        if _SERVICE_TAIL.match(text, end):
            marked.add(start)
    return marked


def _subsumed(name: str, texts: Sequence[str], index: _Index) -> frozenset[str]:
    """Terms of the name that a longer term in the texts contains and places elsewhere:
    the texts say which kind (纯芯化学品 + 湿电子化学品: the 化学品 are the electronic
    ones), so the name's generic head would only pull toward its broad segment. When the
    longer term shares a segment with the name's (复合材料 + 碳纤维复合材料), both agree
    and the name keeps its say."""

    def segments(term: str) -> set[tuple[str, str]]:
        return {(p.chain_id, p.segment_id) for p in index.postings.get(term, ())}

    def terms_in(text: str) -> set[str]:
        return {t for _, _, t in _find_terms(_normalise(text), index.terms_by_len, index.prefixes)}

    in_name = terms_in(name)
    in_texts = {t for text in texts if text for t in terms_in(text)}
    return frozenset(
        n
        for n in in_name
        if any(n != t and n in t and not segments(n) & segments(t) for t in in_texts)
    )


def _merge(into: dict[tuple[str, str], _Tally], other: dict[tuple[str, str], _Tally]) -> None:
    for key, tally in other.items():
        target = into.setdefault(key, _Tally())
        target.score += tally.score
        for ev_key, ev in tally.evidence.items():
            target.evidence.setdefault(ev_key, ev)


def _finish(
    tallies: dict[tuple[str, str], _Tally],
    mentions: dict[str, float],
    index: _Index,
    *,
    min_weight: float = _MIN_WEIGHT,
    limit: int = _MAX_HITS,
) -> list[SegmentHit]:
    live = {k: t for k, t in tallies.items() if t.score > 0}
    if not live:
        return []
    chain_total: dict[str, float] = defaultdict(float)
    for (chain_id, _), tally in live.items():
        chain_total[chain_id] += tally.score
    final: dict[tuple[str, str], float] = {}
    for key, tally in live.items():
        chain_id = key[0]
        rest = chain_total[chain_id] - tally.score
        final[key] = tally.score + _CHAIN_COHERENCE * rest + mentions.get(chain_id, 0.0)
    top = max(final.values())
    hits: list[SegmentHit] = []
    for key, score in final.items():
        if score < min_weight:
            continue
        strength = 1.0 - math.exp(-score / 2.0)
        confidence = strength * math.sqrt(score / top)
        hits.append(
            SegmentHit(
                chain_id=key[0],
                segment_id=key[1],
                stage=index.stages[key],
                weight=round(score, 3),
                confidence=round(confidence, 3),
                evidence=list(live[key].evidence.values()),
            )
        )
    hits.sort(key=lambda h: (-h.weight, h.chain_id, h.segment_id))
    return hits[:limit]


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True, slots=True)
class _Listing:
    full_name: str  # registered name; equals the short name when the source has none
    shenwan_code: str | None


@lru_cache(maxsize=1)
def _listings() -> dict[str, _Listing]:
    """Short name -> listing record, from the shipped A-share gazetteer plus the firms
    whose industry the supplementary file gives. Read once; a missing file means no
    lookups, not an error (a trimmed install still classifies from what it is given)."""
    out: dict[str, _Listing] = {}
    try:
        from chainatlas.kb.listed import load_listed

        for row in load_listed().rows:
            out.setdefault(_normalise(row.name), _Listing(row.full_name, row.shenwan_code))
    except OSError:  # pragma: no cover - shipped data
        return out
    if _EXTRA_LISTED.is_file():
        with _EXTRA_LISTED.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                out.setdefault(
                    _normalise(row["name"]), _Listing(row["name"], row["shenwan_code"] or None)
                )
    return out


@lru_cache(maxsize=1)
def _main_products() -> dict[tuple[str, str], str]:
    """(normalised short name, Shenwan code) -> the firm's main products, 、-separated.
    Keyed on both, like the gazetteer lookup, so a store entity that merely shares a
    short name does not borrow a listed firm's products."""
    out: dict[tuple[str, str], str] = {}
    if not _MAIN_PRODUCTS.is_file():  # pragma: no cover - shipped data
        return out
    with _MAIN_PRODUCTS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[(_normalise(row["name"]), row["shenwan_code"])] = row["products"]
    return out


def _curated_tallies(products: str, index: _Index) -> dict[tuple[str, str], _Tally]:
    """A listed firm's product list read through the curated product catalogue."""
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    sentence = f"主营产品：{products}"
    for label, position in read_product_list(products, shipped_product_labels()):
        if label.primary is None:
            continue
        amount = _CURATED * position * (_CURATED_UNSURE if label.unsure else 1.0)
        shares = ((alt, _CURATED_ALT) for alt in label.alts)
        for key, share in ((label.primary, 1.0), *shares):
            if key in index.stages:
                tallies[key].add(amount * share, Evidence("product", label.term, sentence))
    return dict(tallies)


def _business_name(short: str, full: str) -> str:
    """The business words of a registered name: region, legal form and brand removed.

    武汉锐科光纤激光技术股份有限公司 (short 锐科激光) → 光纤激光技术. A-share short names
    are brand + trade (锐科 + 激光), or the brand alone when three characters or fewer
    (天智航 is 北京天智航医疗科技); the brand is blanked where the full name carries it.
    """
    from chainatlas.kb.names import parse_company

    base = _normalise(parse_company(full).base)
    short = _normalise(_LEGAL_FORM.sub("", short.strip()))
    # Three characters or fewer is all brand (天智航, 寒武纪); longer is brand + trade.
    brand = short if len(short) <= 3 else short[:2]
    if len(brand) >= 2 and brand in base:
        return base.replace(brand, " ", 1).strip()
    return base


# --------------------------------------------------------------------------- services

# Work done on a product for a client (测试代工, 打印服务, 按图纸加工并做后处理) places the
# firm on its chain's service segment for that kind of work, when the chain has one:
# 晶圆测试和成品测试代工 → 封装测试, 为模具企业打印金属零件 → 加工与打印服务. A foundry's
# 晶圆代工 has no such segment (wafer fabrication is the service) and stays where it is.
# Pairs of (what the text says, what the segment's name says).
_SERVICE_ON = (
    (
        re.compile(r"(?:(?:测试|检测|封测)(?:代工|服务|外包)|代测)(?!商|企业|公司|机构)"),
        re.compile(r"封装测试|(?:测试|检测).*服务"),
    ),
    (
        # not 打印服务商 (a provider named as a buyer)
        re.compile(
            r"(?:(?:打印|加工)服务|代加工|受托加工|来料加工|外协加工|后处理|按图纸|按需打印)"
            r"(?!商|企业|公司|机构)"
        ),
        re.compile(r"(?:加工|打印).*服务"),
    ),
)


def _service_tallies(
    texts: Sequence[str],
    tallies: dict[tuple[str, str], _Tally],
    mentions: dict[str, float],
    catalog: ChainCatalog,
) -> dict[tuple[str, str], _Tally]:
    """For each service the texts offer on a product, the service segment of the leading
    chain gets that chain's best score plus a weak word's worth, so the service reading
    wins within the chain. Other chains are left alone: 园区提供中试平台和检测服务 in a materials article
    does not make the article one about testing."""
    joined = _normalise("\n".join(t for t in texts if t))
    totals: dict[str, float] = defaultdict(float, mentions)
    for (chain_id, _), tally in tallies.items():
        totals[chain_id] += tally.score
    if not totals:
        return {}
    lead = max(totals, key=lambda c: (totals[c], c))
    best = {lead: max((t.score for (c, _), t in tallies.items() if c == lead), default=0.0)}
    out: dict[tuple[str, str], _Tally] = {}
    for said, named in _SERVICE_ON:
        m = said.search(joined)
        if m is None:
            continue
        for chain in catalog:
            if best.get(chain.id, 0.0) <= 0:
                continue
            for seg in chain.segments:
                if named.search(seg.name):
                    out[(chain.id, seg.id)] = _Tally(
                        best[chain.id] + _FALLBACK,
                        {("keyword", m.group()): Evidence("keyword", m.group(), None)},
                    )
    return out


# --------------------------------------------------------------------------- heads

_HEADS_FILE = Path(__file__).resolve().parents[1] / "data" / "chains" / "heads.tsv"
# A head word counts only where a word ends: before punctuation, a connector, or the
# descriptor and legal-form words of a company name (测量|技术有限公司, 跟踪仪|，).
_WORD_END = re.compile(
    r"$|[，。；！？、,.;:：\s（）()“”\"和与及并或等的]|技术|科技|有限|公司|股份|集团|工程|研究|中心|服务"
)


_OUTPUT_VERB = re.compile(r"生产|制造|研制|研发|开发|设计|推出|提供|销售|主营|专注|专做|量产")
_CLAUSE_START = re.compile(r"[，。；！？,;!?:：\n][^，。；！？,;!?:：\n]*$")


def _clause_before(text: str, pos: int) -> str:
    m = _CLAUSE_START.search(text, 0, pos)
    return text[m.start() + 1 : pos] if m else text[:pos]


@lru_cache(maxsize=1)
def _heads() -> tuple[tuple[str, str, str, bool], ...]:
    """(head, chain id, segment id, read in prose), longest head first; see
    data/chains/heads.tsv."""
    if not _HEADS_FILE.is_file():  # pragma: no cover - shipped data
        return ()
    with _HEADS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        out = [
            (_normalise(r["head"]), r["chain_id"], r["segment_id"], r["in_text"] == "1")
            for r in rows
        ]
    return tuple(sorted(out, key=lambda r: -len(r[0])))


def _head_tallies(
    texts: Iterable[str], index: _Index, *, in_name: bool = False
) -> dict[tuple[str, str], _Tally]:
    """Weak placement from the head words of a text that holds no catalog term: 西安精光
    测量技术 → measurement, 衡算软件 → software. Each word end is read once, by its longest
    head; a head whose segment the catalog lacks is skipped. In prose the word must be
    the object of an output verb in its clause (研制…跟踪仪, not 培养软件工程师)."""
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for text in texts:
        norm = _normalise(text or "")
        taken: set[int] = set()
        for head, chain_id, seg_id, in_text in _heads():
            if (chain_id, seg_id) not in index.stages or not (in_text or in_name):
                continue
            start = norm.find(head)
            while start != -1:
                end = start + len(head)
                if (
                    end not in taken
                    and start > 0
                    and _WORD_END.match(norm, end)
                    and (in_name or _OUTPUT_VERB.search(_clause_before(norm, start)))
                ):
                    taken.add(end)
                    tallies[(chain_id, seg_id)].add(
                        _FALLBACK * (_NAME_FACTOR if in_name else 1.0),
                        Evidence("name" if in_name else "keyword", head, text),
                    )
                start = norm.find(head, start + 1)
    return dict(tallies)


# --------------------------------------------------------------------------- public API


def classify_text(text: str, *, catalog: ChainCatalog) -> list[SegmentHit]:
    """Segments a project description or article is about, best first."""
    index = _index(catalog)
    tallies, mentions = _scan([text], index, customer_chains=True, own_span=True)
    _damp_foreign_forms(tallies, mentions, catalog)
    _merge(tallies, _service_tallies([text], tallies, mentions, catalog))
    return _finish(tallies, mentions, index)


def _affinity(code: str, catalog: ChainCatalog, index: _Index) -> dict[str, float]:
    """How much of the code's Shenwan family each chain maps.

    A code such as 270103 半导体材料 is mapped by 半导体与集成电路 (which maps six other
    codes under 270100 半导体) and by 前沿新材料 (which maps only this one); the first
    is the company's home chain. Siblings under the same parent count 1, codes under the
    same grandparent :data:`_GRANDPARENT_SHARE`.
    """
    known = index.affinities.get(code)
    if known is not None:  # a pure function of the code for one catalog: computed once
        return known
    lineage = catalog.shenwan.ancestors(code)
    parent = lineage[0] if lineage else ""
    grand = lineage[1] if len(lineage) > 1 else ""
    out: dict[str, float] = {}
    for chain_id, codes in index.chain_codes.items():
        score = 0.0
        for other in codes:
            up = [other, *catalog.shenwan.ancestors(other)]
            if parent and parent in up:
                score += 1.0
            elif grand and grand in up:
                score += _GRANDPARENT_SHARE
        out[chain_id] = score
    index.affinities[code] = out
    return out


def _shenwan_tallies(
    code: str, catalog: ChainCatalog, index: _Index
) -> dict[tuple[str, str], _Tally]:
    """Prior for every segment the code (or one of its parents) maps to."""
    lineage = [code, *catalog.shenwan.ancestors(code)]
    affinity = _affinity(code, catalog, index)
    tallies: dict[tuple[str, str], _Tally] = {}
    for chain, seg in catalog.by_shenwan(code):
        key = (chain.id, seg.id)
        ref = min(
            (r for r in seg.shenwan if r.code in lineage), key=lambda r: lineage.index(r.code)
        )
        base = _SHENWAN_EXACT if ref.code == code else _SHENWAN_PARENT
        amount = base * index.spec[key] + _AFFINITY * math.log1p(affinity.get(chain.id, 0.0))
        if ref.primary:
            amount += _SHENWAN_PRIMARY
        if key in tallies and tallies[key].score >= amount:
            continue
        label = f"{ref.code} {ref.name}"
        tallies[key] = _Tally(amount, {("shenwan", label): Evidence("shenwan", label, None)})
    return tallies


def _shenwan_names(code: str, catalog: ChainCatalog) -> list[str]:
    """The industry names of the code and its parents (数字芯片设计, 半导体, 电子)."""
    names = catalog.shenwan.names
    # Strip the Ⅱ/Ⅲ level markers Shenwan adds to disambiguate repeated names.
    return [names[c].rstrip("ⅡⅢ") for c in (code, *catalog.shenwan.ancestors(code)) if c in names]


def classify_company(
    name: str,
    *,
    shenwan_code: str | None = None,
    texts: Sequence[str] = (),
    catalog: ChainCatalog,
) -> list[SegmentHit]:
    """Segments a company sits on, best first (a company may sit on several).

    The Shenwan code (listed companies) gives the candidate segments; words in the name
    and in the evidence sentences choose among them and can add segments the code does
    not reach (a diversified group). A listed company given by short name and code is
    also read from its registered name in the shipped gazetteer.
    """
    index = _index(catalog)
    code = (shenwan_code or "").strip()
    # The gazetteer record is used only when name *and* code agree with it: a bare name
    # can be a listed short name by accident (机器人 is 新松's short name).
    listing = _listings().get(_normalise((name or "").strip())) if code else None
    if listing is not None and listing.shenwan_code != code:
        listing = None
    products = _main_products().get((_normalise((name or "").strip()), code)) if code else None
    code = _LEGACY_SHENWAN.get(code, code)
    code_tallies = _shenwan_tallies(code, catalog, index) if code else {}
    name_tallies, name_mentions = _scan(
        [name], index, kind_override="name", skip=_subsumed(name, texts, index)
    )
    if listing is not None and listing.full_name != name:
        # The registered name often says the trade the short name drops (维克液压 is
        # 邵阳维克液压股份有限公司; 锐科激光 is …光纤激光技术…). Same evidence, so a word in
        # both names counts once: per segment, the stronger reading wins.
        # Chain names in a registered name (新材料, 新能源科技) are descriptors many firms
        # adopt, so only segment words are read from it.
        full_tallies, _ = _scan(
            [_business_name(name, listing.full_name)], index, kind_override="name"
        )
        for key, tally in full_tallies.items():
            if key not in name_tallies or name_tallies[key].score < tally.score:
                name_tallies[key] = tally
    prod_tallies: dict[tuple[str, str], _Tally] = {}
    if products:
        prod_tallies, _ = _scan(
            [f"主营产品：{products}"], index, kind_override="product", product_list=True
        )
        for tally in prod_tallies.values():
            tally.score *= _MAIN_PRODUCT_FACTOR
        curated = _curated_tallies(products, index)
        if curated:
            # An analyst's placement of the product outranks words found inside it.
            for tally in prod_tallies.values():
                tally.score *= _KEYWORDS_UNDER_CURATED
            _merge(prod_tallies, curated)
        # Name and product list describing the same segment are one reading: the stronger
        # score, both pieces of evidence.
        for key, tally in prod_tallies.items():
            named = name_tallies.pop(key, None)
            if named is not None:
                tally.score = max(tally.score, named.score)
                for ev_key, ev in named.evidence.items():
                    tally.evidence.setdefault(ev_key, ev)
    text_tallies, mentions = _scan(
        texts,
        index,
        mask=_own_names(name),
        sticky_customer=True,
        customer_chains=True,
        own_span=True,
    )
    _merge(text_tallies, name_tallies)
    _damp_foreign_forms(text_tallies, mentions, catalog)
    for chain_id, boost in name_mentions.items():
        mentions[chain_id] = mentions.get(chain_id, 0.0) + _NAME_FACTOR * boost
        mentions.first.setdefault(chain_id, name_mentions.first[chain_id])
    has_primary = any(
        ref.primary and ref.code in (code, *catalog.shenwan.ancestors(code))
        for _, seg in catalog.by_shenwan(code)
        for ref in seg.shenwan
    )
    if code_tallies and not has_primary:
        # The industry's own name is read as weak text: 数字芯片设计 says 芯片设计. Not when
        # a template names the code's primary segment: the author has already read it.
        sw_tallies, sw_mentions = _scan(_shenwan_names(code, catalog), index)
        for tally in sw_tallies.values():
            tally.score *= _SHENWAN_NAME_FACTOR
            tally.evidence = {
                ("shenwan", ev.value): Evidence("shenwan", ev.value, None)
                for ev in tally.evidence.values()
            }
        _merge(text_tallies, sw_tallies)
        for chain_id, boost in sw_mentions.items():
            mentions[chain_id] = mentions.get(chain_id, 0.0) + _SHENWAN_NAME_FACTOR * boost
    if code_tallies:
        code_chains = {c for c, _ in code_tallies}
        for key, tally in text_tallies.items():
            if key in code_tallies:
                factor = _REFINE_ON_CODE
            elif key[0] in code_chains:
                factor = _OFF_CODE_SAME_CHAIN
            else:
                factor = _OFF_CODE_OTHER_CHAIN
            tally.score *= factor
    if prod_tallies and code_tallies:
        # The product list is finer than the code: it picks the segment (and may leave the
        # code's segments for another chain's), the code keeps a smaller say.
        for tally in code_tallies.values():
            tally.score *= _CODE_UNDER_PRODUCTS
    tallies: dict[tuple[str, str], _Tally] = {}
    _merge(tallies, code_tallies)
    _merge(tallies, text_tallies)
    _merge(tallies, prod_tallies)
    _merge(tallies, _service_tallies(texts, tallies, mentions, catalog))
    hits = _finish(tallies, mentions, index)
    if not hits:
        # Nothing reached the noise floor (no term, or only customer words such as a
        # damped 风电 in 用于…风电部件的检测): fall back on weaker readings.
        _merge(tallies, _zero_hit_fallback(name, texts, mentions, index))
        hits = _finish(tallies, mentions, index)
    if not hits:
        hits = _as_guess(_finish(_ngram_tallies(name, texts, mentions, index), mentions, index))
    return hits


def _as_guess(hits: list[SegmentHit]) -> list[SegmentHit]:
    """A piece guess is shown for the entity but kept below the diagnosis placement floor
    (jobs/diagnose.py), so it never makes a region's segment present on its own."""
    for hit in hits:
        hit.confidence = min(hit.confidence, _GUESS_CONFIDENCE)
    return hits


_ENTITY_FORMS = re.compile(
    r"(?:股份)?有限(?:责任)?公司|集团|科技|技术|研究院|研究所|研究中心|实验室|中心|公司"
)


# Verbs that make a clause say what the entity itself makes or does: only such clauses
# (and the name) are read for a piece guess; 本地培养了大量软件工程师 says nothing about it.
_GUESS_VERB = re.compile(
    _OUTPUT_VERB.pattern
    + r"|做|承接|供应|供货|加工|制作|运营|经营|从事|回收|拆解|养殖|种植|屠宰|宰杀|代工|打印"
    r"|施工|检测|校准|整理|托管|建设|投产|研究"
)
_CLAUSE_SPLIT = re.compile(r"[，。；！？,;!?:：\n]")


def _ngram_tallies(
    name: str, texts: Sequence[str], mentions: _Mentions, index: _Index
) -> dict[tuple[str, str], _Tally]:
    """The last resort when no word and no head word places an entity: the character
    pieces that its name and its own clauses (an output verb, customer and channel spans
    blanked) share with each segment's terms (ngram_guess.py). A chain the text names
    bounds the guess. Weak by design; see _as_guess."""
    if index.guesser is None:
        pairs = ((t, (p.chain_id, p.segment_id)) for t, ps in index.postings.items() for p in ps)
        index.guesser = fit_ngrams(pairs)
    # Legal and institutional forms (有限公司, 研究院) say what kind of body, not what field.
    parts = [_ENTITY_FORMS.sub(" ", _normalise(name or ""))]
    for text in texts:
        norm = _ENTITY_FORMS.sub(lambda m: " " * len(m.group()), _normalise(text or ""))
        mask = _context_mask(norm, _find_index_terms(norm, index))
        own = "".join(" " if masked else ch for ch, masked in zip(norm, mask, strict=True))
        parts += [c for c in _CLAUSE_SPLIT.split(own) if _GUESS_VERB.search(c)]
    evidence_text = "\n".join((name, *texts))
    tallies: dict[tuple[str, str], _Tally] = {}
    for found in guess_ngrams("\n".join(parts), index.guesser, limit=2):
        if found.key not in index.stages or (mentions and found.key[0] not in mentions):
            continue
        # Shown to users as a guess: 近似「校准、计量」 (character pieces, not a matched word).
        ev = Evidence("ngram", f"近似「{'、'.join(found.pieces[:3])}」", evidence_text)
        tallies[found.key] = _Tally(
            _FALLBACK * min(found.score, _NGRAM_CAP), {("ngram", ev.value): ev}
        )
    return tallies


def _zero_hit_fallback(
    name: str,
    texts: Sequence[str],
    mentions: _Mentions,
    index: _Index,
) -> dict[tuple[str, str], _Tally]:
    """Placement for a company whose name and texts hold no segment term, in order of
    what says most about the business: the head words of its name (精光测量技术 →
    measurement), then chain words (某公司是本地新能源汽车产业的代表: a company in a chain most
    likely makes its namesake product, the chain's core segment), then head words in its
    texts that name products in prose (研制…跟踪仪 → instruments). All weak."""
    tallies = _head_tallies([name], index, in_name=True)
    if tallies:
        return tallies
    for chain_id, strength in mentions.items():
        seg_id = index.core.get(chain_id)
        if seg_id is not None:
            tallies[(chain_id, seg_id)] = _Tally(
                _FALLBACK * strength, {("fallback", chain_id): mentions.first[chain_id]}
            )
    return tallies or _head_tallies(texts, index)


def classify_institution(
    name: str, texts: Sequence[str], catalog: ChainCatalog
) -> InstitutionResult:
    """Segments a lab, institute, facility, incubator or fund serves, plus its
    innovation-chain stage(s)."""
    index = _index(catalog)
    name_tallies, name_mentions = _scan([name], index, kind_override="name")
    tallies, mentions = _scan(texts, index, mask=_own_names(name))
    _merge(tallies, name_tallies)
    for chain_id, boost in name_mentions.items():
        mentions[chain_id] = mentions.get(chain_id, 0.0) + _NAME_FACTOR * boost
        mentions.first[chain_id] = name_mentions.first[chain_id]
    _damp_foreign_forms(tallies, mentions, catalog)
    stages = innovation_stage(name, texts, stages=catalog.innovation or None)
    # A lab "for 生物医药" names a field but no segment; place it on the segments of that
    # chain whose innovation hints match its own stage (the chain's research end).
    with_evidence = {c for c, _ in tallies}
    stage_id = stages[0].stage_id if stages else None
    for chain_id, strength in mentions.items():
        if chain_id in with_evidence or chain_id not in index.hints:
            continue
        by_stage = index.hints[chain_id]
        seg_ids = by_stage.get(stage_id or "", []) or sorted(
            {s for ids in by_stage.values() for s in ids}
        )
        seg_ids = _named_after(mentions.first[chain_id].value, chain_id, seg_ids, catalog)
        if _SERVICE_FORM.search(_normalise(name)):
            seg_ids = _service_segments(chain_id, catalog) or seg_ids
        for seg_id in seg_ids:
            tallies[(chain_id, seg_id)] = _Tally(
                _FALLBACK * strength,
                {("fallback", chain_id): mentions.first[chain_id]},
            )
    segments = _finish(tallies, mentions, index)
    if not segments:
        segments = _as_guess(_finish(_ngram_tallies(name, texts, mentions, index), mentions, index))
    return InstitutionResult(segments=segments, stages=stages)


def _damp_foreign_forms(
    tallies: dict[tuple[str, str], _Tally], mentions: _Mentions, catalog: ChainCatalog
) -> None:
    """A form word (中试平台, 中试基地) sits on one chain's pilot segment
    (前沿新材料's 中试验证与示范应用); when the institution, project or firm names another
    chain and not that one (机器人关键部件中试平台, 集成电路中试平台), the form says how it
    works, the field what it serves: the form word counts like a customer word. Not a testing centre: a
    battery testing centre sells testing (检测校准服务), whatever it tests."""
    if not mentions:
        return
    names = {(c.id, s.id): s.name for c in catalog for s in c.segments}
    for key, tally in tallies.items():
        chain_id = key[0]
        if chain_id in mentions or "中试" not in names.get(key, ""):
            continue
        tally.score *= _CONTEXT_FACTOR


def _named_after(
    word: str, chain_id: str, seg_ids: Sequence[str], catalog: ChainCatalog
) -> list[str]:
    """The fallback segments whose name shares a two-character word with the chain word
    the institution used, when any do: 量子信息 names the quantum half of 区块链与量子信息,
    not its blockchain segments. Otherwise all of them."""
    norm = _normalise(word)
    pairs = {norm[i : i + 2] for i in range(len(norm) - 1)}
    names = {s.id: _normalise(s.name) for c in catalog if c.id == chain_id for s in c.segments}
    like = [s for s in seg_ids if any(p in names.get(s, "") for p in pairs)]
    return like or list(seg_ids)


# A pilot base, accelerator, incubator, shared platform or testing centre sells R&D
# services to the field's firms; when it names only its field, the field's R&D-service
# segment (药物研发与外包服务, 中试验证与示范应用, 检测校准服务) is where it sits. Not a park
# (产业园 hosts manufacturers).
_SERVICE_FORM = re.compile(r"中试|加速器|孵化|公共平台|服务平台|检测|检验|测试中心|外包平台")
_SERVICE_SEGMENT = re.compile(r"外包|中试|检测|验证")


def _service_segments(chain_id: str, catalog: ChainCatalog) -> list[str]:
    return [
        s.id
        for c in catalog
        if c.id == chain_id
        for s in c.segments
        if _SERVICE_SEGMENT.search(s.name)
    ]


def chain_scores(hits: Iterable[SegmentHit]) -> dict[str, float]:
    """Total weight per chain."""
    out: dict[str, float] = defaultdict(float)
    for hit in hits:
        out[hit.chain_id] += hit.weight
    return dict(out)


def top_chain(hits: Sequence[SegmentHit]) -> str | None:
    """The chain of the best segment (segments already inherit their chain's support)."""
    return hits[0].chain_id if hits else None


# --------------------------------------------------------------------------- innovation

# What the institution *is* decides its stage more than what an article says about it;
# checked in order, each with the stage it implies. Calibrated on the institution items
# of the gold dev half.
_NAME_STAGE_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("基金", "创投", "资本", "风投", "私募", "天使投资", "投资管理", "创业投资"), "tech-finance"),
    (
        (
            "孵化器",
            "孵化",
            "众创空间",
            "中试",
            "转化",
            "技术转移",
            "概念验证",
            "创新驱动平台",
            "产业园",
            "科技园",
            # Public service forms: testing, metrology, pilot zones and service
            # platforms serve firms bringing products to market (a bare 平台 says nothing).
            "检测",
            "计量",
            "测试院",
            "示范区",
            "服务中心",
            "服务平台",
            "公共平台",
            "外包平台",
        ),
        "commercialisation",
    ),
    (
        (
            "技术创新中心",
            "工程技术研究中心",
            "工程研究中心",
            "制造业创新中心",
            "产业技术研究院",
            "产业创新中心",
            "新型研发机构",
            "工程中心",
            "创新中心",
            "研究中心",
            "研究平台",
        ),
        "tech-breakthrough",
    ),
    (
        (
            "国家实验室",
            "重点实验室",
            "省实验室",
            "实验室",
            "大科学装置",
            "科技基础设施",
            "装置",
            "设施",
            "光源",
            "科学中心",
            "研究院",
            "研究所",
            "科学院",
            "大学",
            "实验",
        ),
        "basic-research",
    ),
)
_NAME_STAGE_WEIGHT = 3.0
_NAME_ONLY_WHEN_FACILITY = ("装置", "设施")  # 加速器装置 is a facility, not an incubator


@lru_cache(maxsize=1)
def _default_stages() -> tuple[InnovationStage, ...]:
    return load_innovation_chain()


def innovation_stage(
    name: str,
    texts: Sequence[str] = (),
    *,
    stages: Sequence[InnovationStage] | None = None,
) -> list[StageHit]:
    """Innovation-chain stage(s) of an institution, facility, incubator or fund."""
    stages = tuple(stages) if stages else _default_stages()
    by_id = {s.id: s for s in stages}
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    norm_name = _normalise(name or "")
    is_facility = any(w in norm_name for w in _NAME_ONLY_WHEN_FACILITY)
    for words, stage_id in _NAME_STAGE_RULES:
        if stage_id not in by_id:
            continue
        if is_facility and stage_id != "basic-research":
            continue
        word = next((w for w in words if w in norm_name), None)
        if word is not None:
            tallies[stage_id].add(_NAME_STAGE_WEIGHT, Evidence("name", word, None))
            break  # the first matching rule names what the institution is
    terms = sorted(
        {_normalise(k): (s.id, k) for s in stages for k in s.keywords}.items(),
        key=lambda kv: (-len(kv[0]), kv[0]),
    )
    lookup = dict(terms)
    order = [t for t, _ in terms]
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, str] = {}
    for text in texts:
        if not text or not text.strip():
            continue
        norm = _normalise(text)
        sents = _sentences(text)
        for start, _end, term in _find_terms(norm, order):
            counts[term] += 1
            first.setdefault(term, next((s for a, b, s in sents if a <= start < b), text))
    for term, n in counts.items():
        stage_id, written = lookup[term]
        weight = _term_weight(term) * 0.5 * (1.0 + math.log(n))
        tallies[stage_id].add(weight, Evidence("keyword", written, first[term]))
    live = {k: t for k, t in tallies.items() if t.score > 0}
    if not live:
        return []
    top = max(t.score for t in live.values())
    hits = [
        StageHit(
            stage_id=stage_id,
            name=by_id[stage_id].name,
            weight=round(t.score, 3),
            confidence=round((1.0 - math.exp(-t.score / 2.0)) * math.sqrt(t.score / top), 3),
            evidence=list(t.evidence.values()),
        )
        for stage_id, t in live.items()
    ]
    hits.sort(key=lambda h: (-h.weight, by_id[h.stage_id].order))
    return hits

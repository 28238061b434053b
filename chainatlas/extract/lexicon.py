"""Domain lexicons for entity and fact extraction, kept as plain data.

Everything here is matched against the *normalised* text (Simplified, half-width), so
entries are written in Simplified Chinese only. Ordering matters where noted: lists
used to build regexes are sorted longest-first by the consumers, so 副总经理 wins over
总经理 and 经济技术开发区 over 开发区.
"""

from __future__ import annotations

from chainatlas.extract.records import EntityType

__all__ = [
    "BOUNDARY_AFTER_NAME",
    "COUNT_CATEGORY_SUFFIXES",
    "FINANCING_ROUND_RE",
    "INVESTOR_SUFFIXES",
    "METRICS",
    "METRIC_VERBS",
    "ORG_SUFFIXES",
    "POSITIONS",
    "PRODUCTION_UNITS",
    "RANK_TITLES",
    "STAGE_VERBS",
    "SURNAMES",
    "longest_first",
]

# Offices a person holds. Ranks (院士, 教授, 研究员) are deliberately absent: the gold
# annotation rules treat them as titles, not positions (see eval/README.md).
POSITIONS: tuple[str, ...] = (
    "董事长", "副董事长", "董事", "总经理", "副总经理", "总裁", "副总裁", "执行总裁", "行政总裁",
    "首席执行官", "CEO", "首席技术官", "CTO", "首席财务官", "CFO", "首席运营官", "COO",
    # Other C-level offices written 首席X官 (a start-up's officers in a financing note).
    "首席医学官", "首席产品官", "首席信息官", "首席战略官", "首席商务官", "首席营销官",
    "首席投资官", "首席数据官", "首席人力资源官",
    "首席科学家", "首席专家", "总工程师", "副总工程师", "总设计师", "总指挥",
    "院长", "副院长", "所长", "副所长", "主任", "副主任", "常务副主任",
    "党委书记", "党工委书记", "党组书记", "书记", "副书记", "创始人", "联合创始人",
    "负责人", "创办人", "联合创办人", "市长", "副市长", "常务副市长", "区长", "副区长", "县长", "副县长", "旗长", "副旗长",
    "省长", "副省长", "局长", "副局长", "厅长", "副厅长", "部长", "副部长", "链长", "副链长",
    "理事长", "副理事长", "会长", "副会长", "秘书长", "副秘书长", "校长", "副校长",
    "总监", "合伙人", "管理合伙人", "创始合伙人", "执行董事", "监事会主席", "董事会秘书", "董秘",
)  # fmt: skip

# Honorific ranks: recognised so they are not mistaken for names, never emitted as facts.
RANK_TITLES: tuple[str, ...] = ("院士", "教授", "研究员", "博士", "专家")

# Organisation-name endings and the type they imply. A longer suffix wins (consumers sort).
ORG_SUFFIXES: dict[str, EntityType] = {
    # companies
    "股份有限公司": EntityType.COMPANY, "有限责任公司": EntityType.COMPANY,
    "有限公司": EntityType.COMPANY, "集团公司": EntityType.COMPANY, "集团": EntityType.COMPANY,
    "公司": EntityType.COMPANY, "控股": EntityType.COMPANY,
    # research
    "大学": EntityType.RESEARCH, "学院": EntityType.RESEARCH, "研究院": EntityType.RESEARCH,
    "研究所": EntityType.RESEARCH, "实验室": EntityType.RESEARCH, "科学院": EntityType.RESEARCH,
    "研究中心": EntityType.RESEARCH, "创新中心": EntityType.RESEARCH,
    "科学中心": EntityType.RESEARCH,
    "医学科学院": EntityType.RESEARCH, "工程院": EntityType.RESEARCH,
    # parks
    "高新区": EntityType.PARK, "高新技术产业开发区": EntityType.PARK,
    "新技术开发区": EntityType.PARK, "经济技术开发区": EntityType.PARK,
    "经开区": EntityType.PARK, "开发区": EntityType.PARK, "新区": EntityType.PARK,
    "科学城": EntityType.PARK, "科技城": EntityType.PARK, "知识城": EntityType.PARK,
    "产业园": EntityType.PARK, "科创园": EntityType.PARK, "工业园区": EntityType.PARK,
    "工业园": EntityType.PARK, "科技园": EntityType.PARK, "孵化器": EntityType.PARK,
    "众创空间": EntityType.PARK, "产业基地": EntityType.PARK, "生物城": EntityType.PARK,
    "产业区": EntityType.PARK, "科学园": EntityType.PARK, "医药谷": EntityType.PARK,
    "数码港": EntityType.PARK, "示范区": EntityType.PARK, "园区": EntityType.PARK, "自贸区": EntityType.PARK, "保税区": EntityType.PARK,
    # facilities
    "装置": EntityType.FACILITY, "大科学装置": EntityType.FACILITY,
    "光源": EntityType.FACILITY, "阵列": EntityType.FACILITY, "天文台": EntityType.FACILITY, "望远镜": EntityType.FACILITY,
    # associations
    "协会": EntityType.ASSOCIATION, "联盟": EntityType.ASSOCIATION,
    "商会": EntityType.ASSOCIATION, "学会": EntityType.ASSOCIATION,
    "促进会": EntityType.ASSOCIATION, "联合会": EntityType.ASSOCIATION,
    # government
    "人民政府": EntityType.GOVERNMENT, "政府": EntityType.GOVERNMENT,
    "委员会": EntityType.GOVERNMENT, "管委会": EntityType.GOVERNMENT,
    "管理委员会": EntityType.GOVERNMENT, "党委": EntityType.GOVERNMENT,
    "市委": EntityType.GOVERNMENT, "区委": EntityType.GOVERNMENT, "省委": EntityType.GOVERNMENT,
    "县委": EntityType.GOVERNMENT, "党工委": EntityType.GOVERNMENT,
    "发改委": EntityType.GOVERNMENT, "工信部": EntityType.GOVERNMENT,
    "科技部": EntityType.GOVERNMENT, "科技厅": EntityType.GOVERNMENT,
    "科技局": EntityType.GOVERNMENT, "商务局": EntityType.GOVERNMENT,
    "工信局": EntityType.GOVERNMENT, "工信厅": EntityType.GOVERNMENT,
    "局": EntityType.GOVERNMENT, "厅": EntityType.GOVERNMENT,
}  # fmt: skip

# Names of investment firms end like this; used for financing investor lists.
INVESTOR_SUFFIXES: tuple[str, ...] = (
    "资本", "创投", "基金", "投资", "资管", "产业基金", "科创基金", "创业投资", "投资集团",
    "私募", "控股",
)  # fmt: skip

# Investment stage verb → the stage label of the gold vocabulary. Two joined stages take
# the later one; consumers match longest-first, so 竣工投产 → 投产 beats 竣工.
STAGE_VERBS: dict[str, str] = {
    "签约落户": "签约", "签约": "签约", "签署": "签约", "签订": "签约", "落户": "落户",
    "入驻": "落户", "开工": "开工", "动工": "开工", "开建": "开工", "奠基": "开工",
    "投产": "投产", "建成投产": "投产", "竣工投产": "投产", "全面投产": "投产",
    "竣工": "竣工", "达产": "达产", "全面达产": "达产", "在谈": "在谈", "洽谈中": "在谈",
    "正在洽谈": "在谈",
}  # fmt: skip

# Financing rounds as a regex over normalised text (quotes around the round allowed).
FINANCING_ROUND_RE = (
    r"(?:[“\"'‘]?(?:种子|天使\+?|Pre-?[A-E]\+{0,2}|[A-H]\+{0,2}|Pre-IPO)[”\"'’]?轮"
    r"|Pre-IPO|战略融资|战略投资|并购)"
)

# Surface metric word → canonical metric (gold vocabulary) and the value kind it takes.
# kind: "money" (元), "qty" (a counted quantity), "pct" (a ratio in %).
METRICS: dict[str, tuple[str, str]] = {
    "营业收入": ("营业收入", "money"), "营收": ("营业收入", "money"),
    "销售收入": ("营业收入", "money"), "总营收": ("营业收入", "money"),
    "主营业务收入": ("营业收入", "money"), "年产值": ("产值", "money"),
    "产值": ("产值", "money"), "工业总产值": ("产值", "money"),
    "增加值": ("增加值", "money"), "产业规模": ("产业规模", "money"),
    "规模": ("产业规模", "money"), "研发投入": ("研发投入", "money"),
    "出口额": ("出口额", "money"), "净利润": ("净利润", "money"),
    "利润": ("净利润", "money"), "税收": ("税收", "money"), "纳税": ("税收", "money"),
    "年纳税": ("税收", "money"), "地区生产总值": ("地区生产总值", "money"),
    "GDP": ("地区生产总值", "money"),
    "研发人员": ("研发人员", "qty"), "研发工程师": ("研发人员", "qty"),
    "员工": ("员工", "qty"), "职工": ("员工", "qty"),
    "年产能": ("产能", "qty"), "产能": ("产能", "qty"), "可年产": ("产能", "qty"),
    "月产能": ("产能", "qty"), "月产": ("产能", "qty"), "可月产": ("产能", "qty"),
    "年产量": ("产量", "qty"), "年销量": ("销量", "qty"), "年出货量": ("出货量", "qty"),
    "年出口额": ("出口额", "money"), "出口总额": ("出口额", "money"),
    "营业总收入": ("营业收入", "money"), "研发费用": ("研发投入", "money"),
    "研发投入占营收": ("研发投入占比", "pct"),
    "年产": ("产能", "qty"), "产量": ("产量", "qty"), "销量": ("销量", "qty"),
    "出货量": ("出货量", "qty"), "出口量": ("出口量", "qty"), "装机量": ("装机量", "qty"),
    "市场占有率": ("市场占有率", "pct"), "市场份额": ("市场占有率", "pct"),
    "渗透率": ("市场占有率", "pct"),
    "研发投入占": ("研发投入占比", "pct"), "研发投入占比": ("研发投入占比", "pct"),
    "出口占比": ("出口占比", "pct"), "海外收入占比": ("出口占比", "pct"),
    "海外销售收入占比": ("出口占比", "pct"), "境外收入占比": ("出口占比", "pct"),
    "海外营收占比": ("出口占比", "pct"), "海外业务收入占比": ("出口占比", "pct"),
    # Batch 5: shares of revenue spent on R&D or earned abroad, and R&D spending words.
    "研发投入强度": ("研发投入占比", "pct"), "研发强度": ("研发投入占比", "pct"),
    "研发经费投入强度": ("研发投入占比", "pct"),
    "海外营业收入占比": ("出口占比", "pct"), "境外营业收入占比": ("出口占比", "pct"),
    "外销收入占比": ("出口占比", "pct"), "出口收入占比": ("出口占比", "pct"),
    "研发费用投入": ("研发投入", "money"), "研发经费投入": ("研发投入", "money"),
    # Batch 10: revenue earned abroad is the export figure (境外销售收入19.7亿元).
    "境外销售收入": ("出口额", "money"), "海外销售收入": ("出口额", "money"),
    "境外营业收入": ("出口额", "money"), "海外营业收入": ("出口额", "money"),
    "境外收入": ("出口额", "money"), "海外收入": ("出口额", "money"),
    "外销收入": ("出口额", "money"), "出口收入": ("出口额", "money"),
    # Batch 11: the share of output shipped abroad, revenue from foreign markets, research
    # staff of an institute, and 利税 (profit plus tax, reported as one figure).
    "出口量占比": ("出口占比", "pct"), "出口比例": ("出口占比", "pct"),
    "海外市场收入": ("出口额", "money"), "境外市场收入": ("出口额", "money"),
    "国际市场收入": ("出口额", "money"),
    "研究人员": ("研发人员", "qty"), "科研人员": ("研发人员", "qty"),
    "利税": ("利税", "money"),
}  # fmt: skip

# Verbs that report a quantity without a metric noun (累计生产新能源汽车8.6万辆,
# 销售整车6.8万辆). Read only with a production unit right after a short object.
METRIC_VERBS: dict[str, str] = {"生产": "产量", "销售": "销量", "出口": "出口量"}

# Units a produced, sold or shipped quantity can carry; a spec such as 12英寸 or 700千瓦
# next to a metric word is not its value.
PRODUCTION_UNITS: frozenset[str] = frozenset(
    {"辆", "台", "套", "条", "片", "吨", "GWh", "MWh", "GW", "MW", "件", "只", "颗", "块",
     "部", "艘", "架", "头", "箱", "支", "瓶", "盒", "万千瓦", "千瓦时", "平方米", "张", "副"}
)  # fmt: skip

# What a counted category ends with (「10家省实验室」「超1100家孵化器」).
COUNT_CATEGORY_SUFFIXES: tuple[str, ...] = (
    "实验室", "企业", "孵化器", "众创空间", "研发机构", "研究机构", "研究院", "创新中心",
    "技术中心", "工程中心", "平台", "基地", "园区", "高校", "院所", "专精特新", "上市公司",
    "单项冠军", "小巨人", "设施", "装置",
)  # fmt: skip

# A character right after a 2-3 character name that cannot continue the name.
BOUNDARY_AFTER_NAME = frozenset(
    "说表介认称指强透坦笑在也的是等和与及对向就则还已将曾为日近此今昨去带率会出主很"
    '，。、；：:,（(）)“”"！？ \n'
)

# Common single- and double-character surnames; a person candidate must start with one.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉"
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米杭洪诸钮郎廉"
    # Surnames common in Guangdong, Hong Kong and among Korean-Chinese names.
    "萧区冼邝甄巫佘朴谌粟禹闵揭麦"
    # Less common surnames found missing in development text (batches 10 and 11; the
    # tagger misses names such as 傅远舟, 卞思远, 冶文博 after a title).
    "傅隋闻储匡寇巩栾池索胥荆蔺衣裘计赖邬伏刁卞冶仇郜晁"
    # Surnames of minority names seen in unseen sets 1-2 (刀 is a common Dai surname).
    "刀"
) | frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐"})


def longest_first(words: object) -> list[str]:
    """Sort words longest first so a regex alternation prefers the longest match."""
    return sorted(set(words), key=lambda w: (-len(w), w))  # type: ignore[call-overload]

"""Synthetic but realistic Chinese news pages for benchmarks: 50–150 KB each, most of it
site chrome (navigation, sidebars, scripts, related lists), a unique 2–8 KB article body.

Bodies mix sentences drawn from the demo corpus (our own text) with templated sentences
whose numbers and names vary, so every body is distinct and two bodies overlap about as
little as unrelated news stories (mean MinHash similarity ≈ 0.03, like the demo corpus).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from chainatlas.ingest.records import RawItem, SourceKind

_CITIES = [
    "深圳",
    "广州",
    "苏州",
    "合肥",
    "武汉",
    "成都",
    "西安",
    "杭州",
    "宁波",
    "东莞",
    "佛山",
    "惠州",
]
_CHAINS = [
    "高端医疗器械",
    "新能源汽车",
    "半导体与集成电路",
    "生物医药",
    "新材料",
    "智能机器人",
    "人工智能",
    "动力电池",
]
_STAGES = ["签约", "开工", "投产", "竣工", "落户"]
_FRAGMENTS = [
    "{city}围绕{chain}产业链持续发力，一批重点项目加快推进。",
    "据介绍，该项目总投资约{n}亿元，建成后预计年产值超过{m}亿元。",
    "当地有关负责人表示，将进一步优化营商环境，为企业提供全周期服务。",
    "{city}{chain}产业集群目前已集聚上下游企业{k}家，其中规上企业{j}家。",
    "项目于今年{month}月正式{stage}，计划分两期建设，一期用地约{a}亩。",
    "企业负责人介绍，新工厂将引入自动化产线，关键工序的国产化率有望明显提升。",
    "业内人士认为，补齐核心零部件短板，是提升产业链韧性的关键一步。",
    "园区管委会称，下一步将围绕链主企业开展精准招商，吸引配套企业集聚。",
    "今年以来，{city}新签约{chain}相关项目{k}个，协议投资额合计{n}亿元。",
    "该企业此前完成{round}融资，金额达数{unit}元，资金将用于研发和产能扩张。",
    "研发团队由{k}名工程师组成，已申请发明专利{j}项。",
    "市里提出，到2025年全市{chain}产业营业收入力争突破{m}亿元。",
    "与会专家建议，加强高校院所与企业联合攻关，推动科研成果就地转化。",
    "新建的中试平台面向园区企业开放共享，可缩短新品验证周期。",
    "据了解，项目达产后可新增就业岗位约{k}个，年纳税额预计{j}亿元。",
]
_NAV = [
    "首页",
    "新闻中心",
    "园区动态",
    "招商政策",
    "产业资讯",
    "厂房土地",
    "项目库",
    "专题报道",
    "政策解读",
    "联系我们",
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(_FRAGMENTS).format(
        city=rng.choice(_CITIES),
        chain=rng.choice(_CHAINS),
        stage=rng.choice(_STAGES),
        n=rng.randint(2, 300),
        m=rng.randint(10, 3000),
        k=rng.randint(5, 900),
        j=rng.randint(1, 200),
        a=rng.randint(20, 2000),
        month=rng.randint(1, 12),
        round=rng.choice(["天使轮", "Pre-A轮", "A轮", "B轮", "战略"]),
        unit=rng.choice(["千万", "亿"]),
    )


@lru_cache(maxsize=1)
def sentence_bank() -> tuple[str, ...]:
    """Sentences of the demo corpus bodies (our own text): realistic diversity, so two
    generated pages share about as little as two unrelated news stories do."""
    from chainatlas.data.demo_corpus import demo_items
    from chainatlas.ingest.pipeline import prepare
    from chainatlas.text.sentences import sentence_spans

    bank = []
    for item in demo_items():
        text = prepare(item).text
        bank.extend(text[a:b] for a, b in sentence_spans(text) if b - a >= 12)
    return tuple(bank)


def _body_sentence(rng: random.Random) -> str:
    bank = sentence_bank()
    return rng.choice(bank) if bank and rng.random() < 0.85 else _sentence(rng)


def _chrome_block(rng: random.Random, n_links: int) -> str:
    items = "".join(
        f'<li><a href="/news/{rng.randint(10000, 99999)}.html" title="{_sentence(rng)[:18]}">'
        f'{_sentence(rng)[:22]}</a><span class="date">2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}</span></li>'
        for _ in range(n_links)
    )
    return f'<div class="side-box"><h3>热门资讯</h3><ul class="list">{items}</ul></div>'


def make_page(index: int, rng: random.Random, target_kb: int) -> str:
    city, chain = rng.choice(_CITIES), rng.choice(_CHAINS)
    title = f"{city}{chain}产业链再添新项目（第{index}期）"
    paragraphs = [
        "".join(_body_sentence(rng) for _ in range(rng.randint(3, 6)))
        for _ in range(rng.randint(6, 18))
    ]
    body = "".join(f"<p>\u3000\u3000{p}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="/c/{i}.html">{name}</a></li>' for i, name in enumerate(_NAV))
    related = "".join(
        f'<li><a href="/post/{rng.randint(1000, 9999)}.html">{_sentence(rng)[:20]}</a>'
        f"<p>{_sentence(rng)}{_sentence(rng)}...</p></li>"
        for _ in range(8)
    )
    script = "var _hmt=_hmt||[];(function(){var hm=document.createElement('script');})();" * 20
    head = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_园区招商网</title>'
        f'<meta name="keywords" content="{chain},{city},产业链"><style>'
        + ".nav li{float:left;margin:0 8px}.side-box{width:300px}" * 30
        + f"</style><script>{script}</script></head><body>"
    )
    article = (
        f'<div class="header"><ul class="nav">{nav}</ul></div>'
        f'<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/c/3.html">产业资讯</a> &gt; 正文</div>'
        f'<div class="main"><h1 class="title">{title}</h1>'
        f'<div class="info">作者：admin　发布时间：2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 09:{rng.randint(10, 59)}　浏览：{rng.randint(1, 999)}</div>'
        f'<div class="article-content">{body}</div>'
        '<div class="contact">产业招商/厂房土地租售：400 000 0000　请说明您的需求、用途、税收、公司、联系人、手机号</div>'
        '<div class="qr">扫一扫关注公众号</div>'
        '<div class="copyright">版权声明：本文由园区招商网发布，如需转载请注明出处。</div>'
        f'<div class="tags">标签：<a href="/tag/1">{chain}</a></div>'
        f'<div class="related"><h3>相关文章</h3><ul>{related}</ul></div></div>'
    )
    page = head + article
    # Sidebars until the page reaches its target size, as real portals do.
    while len(page.encode("utf-8")) < target_kb * 1024:
        page += _chrome_block(rng, 40)
    return page + '<div class="footer">Copyright © 园区招商网 粤ICP备00000000号</div></body></html>'


def generate(pages: int, seed: int = 1, min_kb: int = 50, max_kb: int = 150) -> Iterator[RawItem]:
    """A stream of generated pages (never all in memory)."""
    rng = random.Random(seed)
    fetched = datetime(2024, 12, 1, tzinfo=UTC)
    for i in range(pages):
        html = make_page(i, rng, rng.randint(min_kb, max_kb))
        yield RawItem(
            source=f"generated://{seed}/{i}",
            kind=SourceKind.GENERATED,
            data=html.encode("utf-8"),
            fetched_at=fetched + timedelta(seconds=i),
            url=f"https://bench.example-park-news.cn/post/{seed}-{i}.html",
        )

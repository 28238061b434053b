"""Time trafilatura alone against `parse_html` on large generated article pages.

Usage: python scripts/measure_parse_speed.py [--pages 30] [--rounds 3] [--seed 7]

Pages are generated (random CJK text in a park-news page layout: nav, breadcrumb,
sidebar link lists, body, contact-ad footer, related list, scripts), sized 50-150 KB.
Both sides get the same HTML string and the same trafilatura options, so the ratio is
our overhead: one lxml parse we share with trafilatura, our XPaths, line filtering.
Run it alone: the machine's cores are shared.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from trafilatura import bare_extraction

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chainatlas.ingest.html_page import parse_html

# Common characters of news prose; random strings of them look like text to extractors.
_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从"
    "业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
    "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位"
    "入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放"
)
_PUNCT = "，，，。、；"


def _sentence(rng: random.Random, n: int) -> str:
    out = []
    for i in range(n):
        out.append(rng.choice(_CHARS))
        if i and i % rng.randint(8, 20) == 0:
            out.append(rng.choice(_PUNCT))
    return "".join(out) + "。"


def _link_list(rng: random.Random, cls: str, n: int) -> str:
    items = "".join(
        f'<li><a href="/post/{rng.randint(1, 99999)}.html">{_sentence(rng, rng.randint(10, 24))}</a>'
        f"<span>{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span></li>"
        for _ in range(n)
    )
    return f'<div class="{cls}"><h3>热门</h3><ul>{items}</ul></div>'


def make_page(rng: random.Random, target_kb: int) -> str:
    """One article page of about `target_kb` kilobytes (UTF-8)."""
    nav = "".join(f'<li><a href="/c/{i}">{_sentence(rng, 3)[:-1]}</a></li>' for i in range(30))
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{_sentence(rng, 18)[:-1]}_示例园区网</title>"
        "<meta name='keywords' content='产业链,招商'>"
        "<script>var x = 1;" + "function f(){return 2;}" * 200 + "</script>"
        "<style>" + ".a{color:red}" * 300 + "</style></head><body>"
        f"<div class='header'><ul class='nav'>{nav}</ul></div>"
        "<div class='place'>当前位置:<a href='/'>首页</a> &gt; <a href='/c/1'>产业资讯</a> &gt; 正文内容</div>"
    )
    title = _sentence(rng, 20)[:-1]
    article = [
        f"<div class='article'><h1>{title}</h1>",
        "<div class='info'><span>admin</span><span>2个月前 (10-08)</span>"
        "<span><a href='/c/1'>产业资讯</a></span><span>88</span></div><div class='content'>",
    ]
    tail = (
        "<p>产业招商/厂房土地租售:400 0000 000</p><p>或微信/手机:13800000000</p>"
        "<p>扫一扫关注公众号</p></div>"
        "<div class='copyright'><p>版权声明:本文由示例园区网发布,转载请注明出处。</p>"
        "<p>本文链接:<a href='https://x.example.cn/post/1.html'>https://x.example.cn/post/1.html</a></p></div>"
        "<div class='tags'>标签: <a href='/t/1'>产业链</a></div></div>"
        "<div class='relates'><div class='relates-title'>相关文章</div><ul>"
        + "".join(
            f"<li><h3><a href='/post/{i}.html'>{_sentence(rng, 16)[:-1]}</a></h3>"
            f"<p>{_sentence(rng, 60)}...</p></li>"
            for i in range(8)
        )
        + "</ul></div>"
    )
    sidebar = "".join(_link_list(rng, f"side{i}", 25) for i in range(4))
    footer = "<div class='footer'><p>Copyright © 示例园区网</p><p>沪ICP备00000000号</p></div></body></html>"
    size = len((head + "".join(article) + tail + sidebar + footer).encode())
    while size < target_kb * 1024:
        para = f"<p>\u3000\u3000{_sentence(rng, rng.randint(80, 220))}</p>"
        article.append(para)
        size += len(para.encode())
    return head + "".join(article) + tail + sidebar + footer


def _time(fn, pages: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for html in pages:
            fn(html)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pages = [make_page(rng, rng.randint(50, 150)) for _ in range(args.pages)]
    sizes = [len(p.encode()) / 1024 for p in pages]
    fetched = datetime(2026, 1, 1, tzinfo=UTC)
    url = "https://x.example.cn/post/1.html"

    def traf(html: str) -> object:
        return bare_extraction(html, url=url, with_metadata=True, include_comments=False)

    def traf_text(html: str) -> object:
        return bare_extraction(html, url=url, with_metadata=False, include_comments=False)

    def ours(html: str) -> object:
        return parse_html(html, url=url, fetched_at=fetched)

    ours(pages[0])  # warm caches and imports on both paths
    traf(pages[0])
    t_traf = _time(traf, pages, args.rounds)
    t_text = _time(traf_text, pages, args.rounds)
    t_ours = _time(ours, pages, args.rounds)
    n = len(pages)
    sz = f"min {min(sizes):.0f} / median {statistics.median(sizes):.0f} / max {max(sizes):.0f}"
    print(f"pages: {n}, size KB: {sz}; CPU time, best of {args.rounds} rounds")
    for name, t in (
        ("trafilatura (text + metadata)", t_traf),
        ("trafilatura (text only)", t_text),
        ("parse_html", t_ours),
    ):
        print(f"{name:<30} {t / n * 1000:6.1f} ms/page {n / t:6.1f} pages/s")
    print(f"ratio parse_html / trafilatura text+metadata: {t_ours / t_traf:.2f}")
    print(f"ratio parse_html / trafilatura text only:     {t_ours / t_text:.2f}")


if __name__ == "__main__":
    main()

"""Resolution benchmark on a synthetic corpus (not a test): `run_resolve_benchmark`.

Run it with `chainatlas bench resolve`.
Synthetic firms are written the ways articles write them (registered name, short name,
region + short name), with people holding positions in them, regions, government bodies
and industry terms, so every resolver stage sees realistic block sizes.
"""

from __future__ import annotations

import gc
import random
import resource
import sys
import time
from dataclasses import dataclass

from chainatlas.kb.resolve import FactIn, Gazetteers, MentionIn, resolve

__all__ = ["BenchResult", "run_resolve_benchmark", "synthetic_corpus"]

# Characters rare at the start of place names, so synthetic brands do not look like regions.
_BRAND_CHARS = "垠澜锦瑞曜珀栖翊骁铂沐岚昕煜钛琨璟珈湃芯擎拓砺芃筠祺曦霁蔚朗峻弈"
_INDUSTRY = ["科技", "生物科技", "智能科技", "新材料", "医疗器械", "电子", "新能源科技", "信息技术"]
_FORMS = ["有限公司", "股份有限公司", "有限责任公司"]
_CITIES = [("深圳", "440300"), ("苏州", "320500"), ("合肥", "340100"), ("成都", "510100"),
           ("武汉", "420100"), ("杭州", "330100"), ("西安", "610100"), ("广州", "440100")]  # fmt: skip
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
_GOV = ["科技局", "科学技术局", "发改委", "发展和改革委员会", "工信局", "投资促进局"]
_TERMS = ["集成电路", "锂电池", "医疗器械", "工业机器人", "光伏组件", "合成生物", "储能"]


@dataclass(slots=True)
class BenchResult:
    mentions: int
    facts: int
    entities: int
    candidates: int
    events: int
    seconds: float
    rss_before_mb: float
    rss_peak_mb: float

    @property
    def per_second(self) -> float:
        return self.mentions / self.seconds if self.seconds else 0.0


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def synthetic_corpus(
    n_mentions: int, *, seed: int = 1, per_doc: int = 20
) -> tuple[list[MentionIn], list[FactIn]]:
    rng = random.Random(seed)
    n_firms = max(10, n_mentions // 40)
    firms = []
    for _ in range(n_firms):
        brand = "".join(rng.sample(_BRAND_CHARS, 2)) + rng.choice(
            ["", "", rng.choice(_BRAND_CHARS)]
        )
        city, code = rng.choice(_CITIES)
        firms.append((brand, rng.choice(_INDUSTRY), rng.choice(_FORMS), city, code))
    people = [rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
              for _ in range(max(10, n_firms // 2))]  # fmt: skip
    mentions: list[MentionIn] = []
    facts: list[FactIn] = []
    mid = fid = 0
    doc_no = 0
    while len(mentions) < n_mentions:
        doc = f"doc{doc_no:08d}"
        doc_no += 1
        pos = 0

        def add(text: str, etype: str, doc: str = doc, **attrs) -> MentionIn:
            nonlocal mid, pos
            mid += 1
            m = MentionIn(mid, doc, pos, pos + len(text), text, etype, attrs, 0.9)
            pos += len(text) + 7
            mentions.append(m)
            return m

        city, code = rng.choice(_CITIES)
        add(city, "region", code=code)
        add(city + "市" + rng.choice(_GOV), "government")
        while pos < per_doc * 12:
            brand, industry, form, fcity, _ = rng.choice(firms)
            full = add(fcity + brand + industry + form, "company")
            add(brand + industry, "company")
            add(brand, "company")
            person = add(rng.choice(people), "person")
            add(rng.choice(_TERMS), "industry")
            fid += 1
            facts.append(FactIn(fid, doc, "holds_position", {
                "person": {"_": "arg", "text": person.text, "start": person.start,
                           "end": person.end, "type": "person"},
                "position": "总经理",
                "org": {"_": "arg", "text": full.text, "start": full.start, "end": full.end,
                        "type": "company"}}, None, 0, 10, 0.8))  # fmt: skip
    return mentions[:n_mentions], facts


def run_resolve_benchmark(mentions: int = 1_000_000, seed: int = 1, console=None) -> BenchResult:
    say = console.print if console is not None else print
    ms, fs = synthetic_corpus(mentions, seed=seed)
    gaz = Gazetteers.default()
    gc.collect()
    before = _rss_mb()
    say(f"合成语料：提及 {len(ms):,} 个，事实 {len(fs):,} 条；开始消歧……")
    started = time.perf_counter()
    result = resolve(ms, fs, gaz)
    seconds = time.perf_counter() - started
    out = BenchResult(
        mentions=len(ms),
        facts=len(fs),
        entities=len(result.entities),
        candidates=len(result.candidates),
        events=len(result.events),
        seconds=seconds,
        rss_before_mb=before,
        rss_peak_mb=_rss_mb(),
    )
    say(
        f"消歧用时 {out.seconds:.1f} 秒（{out.per_second:,.0f} 提及/秒）；实体 {out.entities:,}，"
        f"候选 {out.candidates:,}，事件 {out.events:,}；内存峰值 {out.rss_peak_mb:,.0f} MB"
        f"（输入就绪时 {out.rss_before_mb:,.0f} MB）"
    )
    return out

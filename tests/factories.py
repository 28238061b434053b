"""Small builders for test data, so store tests need no parser."""

from __future__ import annotations

from datetime import UTC, datetime

from chainatlas.ingest import dedup
from chainatlas.ingest.pipeline import PreparedDocument
from chainatlas.text.normalize import normalize

FETCHED = datetime(2024, 12, 1, 8, 0, tzinfo=UTC)


def prepared(
    title: str,
    text: str,
    *,
    source: str = "test.html",
    raw: bytes | None = None,
    published: datetime | None = None,
) -> PreparedDocument:
    norm_title = normalize(title).text
    norm = normalize(text)
    chash = dedup.content_hash(norm_title, norm.text)
    sig = dedup.signature(norm.text)
    return PreparedDocument(
        source=source,
        kind="file",
        raw_sha256=dedup.raw_hash(raw if raw is not None else f"{source}|{title}|{text}".encode()),
        fetched_at=FETCHED,
        id=chash[:16],
        content_hash=chash,
        url=f"https://news.example-park-news.cn/{source}",
        site="园区招商示例网",
        title=title,
        norm_title=norm_title,
        published_at=published or FETCHED,
        published_raw=None,
        category="产业资讯",
        breadcrumb=["产业资讯"],
        tags=["产业链"],
        author="admin",
        text=text,
        norm_text=norm.text,
        script="hant" if norm.looks_traditional else "hans",
        encoding="utf-8",
        links=[{"title": "相关文章一", "url": None, "teaser": "摘要..."}],
        boilerplate=["扫一扫关注公众号"],
        warnings=[],
        signature=dedup.to_bytes(sig) if sig is not None else None,
        band_keys=dedup.band_keys(sig) if sig is not None else [],
    )


STORY = (
    "深圳市光明区近日与一家医疗器械企业签约，项目总投资约30亿元，主要建设高端医学影像设备研发与生产基地。"
    "该企业负责人表示，新基地将聚焦CT探测器和超声探头等核心部件，力争三年内实现关键部件国产化。"
    "光明区有关部门介绍，当地已集聚医疗器械上下游企业两百余家，正在打造从材料、部件到整机的完整链条。"
    "按照计划，项目一期将于明年上半年开工建设，预计2027年投产，达产后年产值可超过50亿元。"
)
OTHER_STORY = (
    "合肥经开区一家动力电池企业的新产线近日投产，年产能达到20GWh，主要配套新能源整车厂。"
    "园区介绍，围绕整车龙头企业，当地正引进正负极材料、电解液和隔膜等配套项目，补齐产业链短板。"
    "今年以来，园区新签约新能源汽车相关项目十余个，协议投资额超过两百亿元。"
)

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chainatlas.ingest.feeds import FeedEntry, FeedError, parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>某产业园区 招商动态</title>
    <link>http://park.example.cn/</link>
    <description>园区新闻</description>
    <item>
      <title>储能电池项目落户园区</title>
      <link>/news/2026/0921.html</link>
      <pubDate>Mon, 21 Sep 2026 08:30:00 +0800</pubDate>
      <description>总投资约十亿元。</description>
    </item>
    <item>
      <title>半导体设备企业签约</title>
      <link>http://other.example.cn/a/2.shtml</link>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>政策发布</title>
  <id>urn:uuid:feed</id>
  <updated>2026-10-01T00:00:00Z</updated>
  <entry>
    <title>关于支持新型研发机构的若干措施</title>
    <link href="policy/101.html"/>
    <id>urn:uuid:101</id>
    <updated>2026-10-01T09:00:00+08:00</updated>
    <summary>一、总则</summary>
  </entry>
  <entry>
    <title>只有永久链接的条目</title>
    <id>https://gov.example.cn/policy/102.html</id>
    <updated>2026-10-02T00:00:00Z</updated>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="http://lab.example.cn/">
    <title>实验室</title>
    <link>http://lab.example.cn/</link>
    <description>d</description>
  </channel>
  <item rdf:about="http://lab.example.cn/n/7">
    <title>大科学装置通过验收</title>
    <link>http://lab.example.cn/n/7</link>
  </item>
</rdf:RDF>
"""


def test_rss_entries_with_relative_link_resolved_against_base_url():
    entries = parse_feed(RSS.encode(), base_url="http://feeds.example.cn/rss/park.xml")
    assert entries == [
        FeedEntry(
            url="http://feeds.example.cn/news/2026/0921.html",
            title="储能电池项目落户园区",
            published=datetime(2026, 9, 21, 0, 30, tzinfo=UTC),
            summary="总投资约十亿元。",
        ),
        FeedEntry(
            url="http://other.example.cn/a/2.shtml",
            title="半导体设备企业签约",
            published=None,
            summary=None,
        ),
    ]


def test_rss_without_base_url_falls_back_to_channel_link():
    entries = parse_feed(RSS.encode(), base_url=None)
    assert entries[0].url == "http://park.example.cn/news/2026/0921.html"


def test_gbk_encoded_feed():
    data = RSS.replace('encoding="utf-8"', 'encoding="gbk"').encode("gbk")
    entries = parse_feed(data, base_url="http://x.cn/")
    assert entries[0].title == "储能电池项目落户园区"


def test_atom_entries_and_id_permalink():
    entries = parse_feed(ATOM.encode(), base_url="https://gov.example.cn/feeds/atom.xml")
    assert [e.url for e in entries] == [
        "https://gov.example.cn/feeds/policy/101.html",
        "https://gov.example.cn/policy/102.html",
    ]
    assert entries[0].published == datetime(2026, 10, 1, 1, 0, tzinfo=UTC)
    assert entries[0].summary == "一、总则"
    assert entries[1].title == "只有永久链接的条目"


def test_rdf_feed():
    entries = parse_feed(RDF.encode())
    assert [(e.url, e.title) for e in entries] == [
        ("http://lab.example.cn/n/7", "大科学装置通过验收")
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (RSS.replace("</item>", "", 1).encode(), "not well-formed"),
        (b"<rss version='2.0'><channel><title>a &amp b</title></channel>", "not well-formed"),
        (b"<html><body><p>not a feed</p></body></html>", "not an RSS, Atom or RDF feed"),
        (b"plain text", "not well-formed"),
        (b'<?xml version="1.0"?><catalog><book/></catalog>', "not an RSS, Atom or RDF feed"),
        (b"<rss version='2.0'><channel><title>t</title></channel></rss>", "feed has no entries"),
        (
            b"<rss version='2.0'><channel><item><title>x</title></item></channel></rss>",
            "no entries with a link (1 entries without one)",
        ),
        (b"   \n", "empty document"),
    ],
)
def test_broken_or_non_feed_documents(data, fragment):
    with pytest.raises(FeedError) as info:
        parse_feed(data, base_url="http://x.cn/")
    assert fragment in info.value.reason
    assert "\n" not in info.value.reason


def test_malformed_reason_has_position():
    with pytest.raises(FeedError) as info:
        parse_feed(RSS.replace("</item>", "", 1).encode())
    assert "line " in info.value.reason
    assert "mismatched tag" in info.value.reason


def test_str_input_is_refused_so_feedparser_never_fetches():
    with pytest.raises(TypeError):
        parse_feed("http://example.com/feed.xml")  # type: ignore[arg-type]

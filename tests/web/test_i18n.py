"""Interface language: Chinese by default, English on request and remembered; every
string a template marks for translation has an English entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chainatlas.web import i18n
from chainatlas.web.app import create_app

TEMPLATES = Path(i18n.__file__).with_name("templates")
# _("…") or _('…') with a literal first argument
MARKED = re.compile(r"""\b_\(\s*(?:"([^"]+)"|'([^']+)')""")


def marked_strings() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*.html"):
        for m in MARKED.finditer(path.read_text(encoding="utf-8")):
            found.add(m.group(1) or m.group(2))
    return found


# _({"key": "中文", …}.get(k, k)): a label table written inline and translated as a whole
MARKED_TABLE = re.compile(r"\b_\(\{(.*?)\}\.get\(", re.S)
TABLE_VALUE = re.compile(r':\s*"([^"]+)"')


def marked_table_strings() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*.html"):
        for table in MARKED_TABLE.finditer(path.read_text(encoding="utf-8")):
            found |= set(TABLE_VALUE.findall(table.group(1)))
    return found


def test_every_marked_template_string_has_an_english_entry():
    marked = marked_strings()
    assert marked, "templates mark their strings with _()"
    missing = sorted(marked - set(i18n.english()))
    assert missing == []
    tables = marked_table_strings()
    assert {"环节契合", "新提交", "科学装置"} <= tables  # the score parts, statuses, kinds
    assert sorted(tables - set(i18n.english())) == []


def test_english_entries_are_really_english():
    han = re.compile(r"[\u4e00-\u9fff]")
    # Chinese may appear inside an English string only as an example value (比亚迪).
    offenders = [k for k, v in i18n.english().items() if han.sub("", v) == "" and v]
    assert offenders == []


def test_pick_lang_prefers_query_then_cookie_then_chinese():
    assert i18n.pick_lang("en", "zh") == "en"
    assert i18n.pick_lang(None, "en") == "en"
    assert i18n.pick_lang("fr", None) == "zh"
    assert i18n.pick_lang(None, None) == "zh"


def test_pages_switch_language_and_remember_it(sqlite_store):
    client = TestClient(create_app(sqlite_store))
    zh = client.get("/")
    assert 'lang="zh-CN"' in zh.text and "首页" in zh.text
    en = client.get("/?lang=en")
    assert 'lang="en"' in en.text and ">Home<" in en.text
    assert client.cookies.get("lang") == "en"
    again = client.get("/chains")  # no query: the cookie keeps English
    assert ">Chains<" in again.text
    back = client.get("/?lang=zh")
    assert ">首页<" in back.text


# --------------------------------------------------------------------- catalog coverage

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_english_keeps_every_placeholder_of_its_message_id():
    broken = {
        k: v
        for k, v in i18n.english().items()
        if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))
    }
    assert broken == {}


def test_labels_rendered_through_underscore_have_english_entries():
    # Pages render these Python-side labels with _(label), so each needs a catalog entry.
    from chainatlas.chains.diagnose import VERDICT_LABELS
    from chainatlas.chains.templates import Stage
    from chainatlas.match.site import TYPE_LABELS
    from chainatlas.web.api_data import IMPORT_KINDS
    from chainatlas.web.api_graph import KIND_LABELS
    from chainatlas.web.jobs import PHASE_LABELS
    from chainatlas.web.labels import ENTITY_TYPE_LABELS, FACT_KIND_LABELS, ROLE_LABELS
    from chainatlas.web.pages_match import MESSAGES
    from chainatlas.web.pages_region import LEVEL_LABELS, STAGES

    labels = {s.label for s in Stage} | {label for _, label in STAGES} | set(MESSAGES)
    for table in (
        ENTITY_TYPE_LABELS,
        FACT_KIND_LABELS,
        ROLE_LABELS,
        VERDICT_LABELS,
        LEVEL_LABELS,
        IMPORT_KINDS,
        PHASE_LABELS,
        TYPE_LABELS,
        KIND_LABELS,
    ):
        labels |= set(table.values())
    assert sorted(labels - set(i18n.english())) == []


def test_placeholders_escape_values_but_keep_macro_markup(sqlite_store):
    client = TestClient(create_app(sqlite_store))
    page = client.get("/search", params={"q": "<i>x</i>", "lang": "en"})
    assert "No documents contain “&lt;i&gt;x&lt;/i&gt;”." in page.text
    assert "<i>x</i>" not in page.text


# ------------------------------------------------------------------ pages in English

HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Interface parts of a page: navigation, headings, table heads, form labels and buttons,
# notes. Data (titles, names, sentences) sits elsewhere, and <select> options are chain
# names, so they are cut out before the check.
INTERFACE = (
    "//title | //nav | //footer | //main//h1 | //main//h2 | //main//h3 | //main//th"
    " | //main//label | //main//button | //main//p[contains(@class, 'note')]"
    " | //main//summary | //main//dt"
)


def leftover_chinese(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """Interface text of `html` that still has Chinese once the page's own data (chain,
    region, entity and document names, given in `data`) is taken out."""
    from lxml import html as lh

    tree = lh.fromstring(html)
    for drop in tree.xpath("//select | //script"):
        drop.drop_tree()
    out = []
    for node in tree.xpath(INTERFACE):
        # The 中文 switch link is meant to be Chinese.
        text = " ".join(node.xpath(".//text()[not(ancestor::a[@class='lang'])]"))
        for value in data:
            text = text.replace(value, "")
        if HAN.search(text):
            out.append(" ".join(text.split())[:80])
    return out


@pytest.fixture(scope="module")
def demo_client(demo_store):
    return TestClient(create_app(demo_store))


CHAIN, SZ, SH = "高端医疗器械", "广东省深圳市", "上海市"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/", ()),
        ("/chains", ()),
        ("/regions", ()),
        ("/regions?chain=medical-devices", (CHAIN,)),
        ("/regions/440300?chain=medical-devices", (CHAIN, SZ)),
        ("/regions/440300", (SZ,)),
        ("/regions/compare?a=深圳&b=上海&chain=medical-devices", (CHAIN, SZ, SH)),
        ("/data", ()),
        ("/login", ()),
        ("/chains/medical-devices?region=深圳", (CHAIN, SZ)),
        ("/search?q=比亚迪", ("比亚迪",)),
        ("/no-such-page", ()),
    ],
)
def test_english_pages_have_no_leftover_interface_chinese(demo_client, path, data):
    sep = "&" if "?" in path else "?"
    page = demo_client.get(f"{path}{sep}lang=en")
    assert 'lang="en"' in page.text and ">Home<" in page.text
    assert leftover_chinese(page.text, data) == []


def test_english_document_and_entity_pages(demo_client):
    hit = demo_client.get("/api/v1/search", params={"q": "研发人员超10万"}).json()["items"][0]
    doc = demo_client.get(f"/documents/{hit['id']}?lang=en")
    assert "Extracted facts" in doc.text and "Evidence" in doc.text
    assert leftover_chinese(doc.text, (hit["title"],)) == []
    found = demo_client.get("/api/v1/entities", params={"q": "比亚迪"}).json()["items"][0]
    profile = demo_client.get(f"/entities/{found['id']}?lang=en")
    assert "Source articles" in profile.text and "Enterprise" in profile.text
    assert leftover_chinese(profile.text, (found["name"],)) == []
    # The checker itself notices an untranslated heading.
    assert leftover_chinese("<main><h2>来源文章</h2></main>") == ["来源文章"]


def test_chinese_stays_the_default(demo_client):
    fresh = TestClient(demo_client.app)  # no cookie
    for path, words in [
        ("/", ("最新动态", "篇文档")),
        ("/chains", ("个环节",)),
        ("/regions", ("省级", "存在度")),
        ("/data", ("采集记录",)),
        ("/login", ("令牌",)),
        ("/chains/medical-devices?region=深圳", ("上游", "诊断")),
    ]:
        text = fresh.get(path).text
        assert 'lang="zh-CN"' in text and all(w in text for w in words), path
    english = fresh.get("/chains/medical-devices?region=深圳&lang=en").text
    assert "Upstream" in english and "diagnosis for" in english
    assert "上游" in fresh.get("/chains/medical-devices?lang=zh").text


STATIC = TEMPLATES.with_name("static")


@pytest.mark.parametrize(
    ("script", "path", "name"),
    [
        ("chain_map.js", "/chains/medical-devices?region=深圳", "ui"),
        ("region_map.js", "/regions", "ui"),
        ("region.js", "/regions/440300?chain=medical-devices", "ui"),
        ("data.js", "/data", "T"),
        ("search.js", "/search?q=医疗", "ui"),
    ],
)
def test_scripts_get_every_interface_word_from_the_page(demo_client, script, path, name):
    """Each word a script shows is in the page's translated #ui-text block, so English
    never falls back to the script's built-in Chinese."""
    import json

    used = set(re.findall(rf"\b{name}\.(\w+)", (STATIC / script).read_text(encoding="utf-8")))
    html = demo_client.get(path + ("&" if "?" in path else "?") + "lang=en").text
    block = re.search(r'<script type="application/json" id="ui-text">(.*?)</script>', html, re.S)
    given = json.loads(block.group(1))
    assert used and used <= set(given)
    flat = json.dumps(given, ensure_ascii=False)
    assert not re.search(r"[\u4e00-\u9fff]", flat), flat


# ------------------------------------------------ graph, matching and site-need pages


@pytest.fixture(scope="module")
def byd(demo_client) -> dict:
    return demo_client.get("/api/v1/entities", params={"q": "比亚迪"}).json()["items"][0]


def _match_data(client, path: str) -> tuple[str, ...]:
    """Names the matchers put in result headings (entities, their regions): data."""
    if "tab=invest" in path:
        found = client.get(
            "/api/v1/match/invest", params={"region": "深圳", "chain": "medical-devices"}
        ).json()
        return tuple(v for m in found["items"] for v in (m["name"], m["region_name"]) if v)
    if "tab=tech" in path:
        found = client.get("/api/v1/match/tech", params={"need": "量子计算 芯片"}).json()
        return tuple(m["name"] for m in found["items"])
    return ()


@pytest.mark.parametrize(
    "path",
    [
        "/graph",
        "/match",
        "/match?tab=tech&need=量子计算+芯片",
        "/match?tab=invest&region=深圳&chain=medical-devices",
        "/match?tab=site",
    ],
)
def test_english_graph_and_match_pages(demo_client, path):
    page = demo_client.get(f"{path}{'&' if '?' in path else '?'}lang=en")
    assert page.status_code == 200 and 'lang="en"' in page.text
    data = _match_data(demo_client, path)
    if "tab=" in path:
        assert "tab=invest" not in path or data, "the invest form finds candidates"
        assert "tab=tech" not in path or data, "the tech form finds candidates"
    assert leftover_chinese(page.text, data) == []
    assert "Matching" in page.text or "Graph" in page.text


def test_english_match_results_translate_labels_not_data(demo_client):
    tech = demo_client.get("/match?tab=tech&need=量子计算+芯片&lang=en").text
    assert "Text relevance" in tech and "Matched terms: " in tech and "Research institution" in tech
    assert "文本相关" not in tech and "匹配词" not in tech
    assert "深圳国际量子研究院" in tech  # names are data and stay Chinese
    invest = demo_client.get("/match?tab=invest&region=深圳&chain=medical-devices&lang=en").text
    assert "Segment fit" in invest and "Can fill: " in invest and "(Missing, fit " in invest
    assert "可补环节" not in invest and "环节契合" not in invest
    bad = demo_client.get("/match?tab=invest&region=火星&chain=medical-devices&lang=en").text
    assert "No region matches “火星”" in bad and "没有找到地区" not in bad
    half = demo_client.get("/match?tab=invest&region=深圳&lang=en").text
    assert "Enter both a region and a chain." in half


def test_english_graph_page_for_an_entity(demo_client, byd):
    page = demo_client.get(f"/graph?entity={byd['id']}&lang=en").text
    assert leftover_chinese(page, (byd["name"],)) == []
    assert "Relation types" in page and "Open entity profile" in page
    import json

    labels = re.search(r'<script type="application/json" id="graph-labels">(.*?)</script>',
                       page, re.S)  # fmt: skip
    given = json.loads(labels.group(1))
    assert given["types"]["company"] == "Enterprise"
    assert given["kinds"]["co_mention"] == "Named in the same sentence"
    flat = json.dumps(given, ensure_ascii=False)
    assert not re.search(r"[\u4e00-\u9fff]", flat), flat
    # Chinese is still the default, and the API keeps its Chinese labels for clients.
    fresh = TestClient(demo_client.app)
    assert "关系类型" in fresh.get(f"/graph?entity={byd['id']}").text
    api = fresh.get(f"/api/v1/graph/{byd['id']}").json()
    assert {k["label"] for k in api["kinds"]} & {"同句提及", "任职"}


def test_graph_script_gets_every_interface_word_from_the_page(demo_client, byd):
    import json

    used = set(re.findall(r"\bui\.(\w+)", (STATIC / "graph.js").read_text(encoding="utf-8")))
    html = demo_client.get(f"/graph?entity={byd['id']}&lang=en").text
    block = re.search(r'<script type="application/json" id="ui-text">(.*?)</script>', html, re.S)
    given = json.loads(block.group(1))
    assert used and used <= set(given)
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(given, ensure_ascii=False))


# The site-need form posts and lists; both need a writable copy and the write token.
SITE_FIT = {"need_type": "factory", "industry": "医疗器械生产", "area": "5000", "area_unit": "㎡",
            "region": "广州"}  # fmt: skip


def _writer(store) -> TestClient:
    from chainatlas.web.security import SecurityConfig

    client = TestClient(create_app(store, SecurityConfig(write_token="t", store_contacts=True)))
    client.get("/match", params={"tab": "site", "lang": "en"})  # CSRF and language cookies
    return client


def _post_site(client: TestClient, fields: dict):
    return client.post("/match/site", data={**fields, "csrf_token": client.cookies.get("ca_csrf")})


def test_english_site_form_errors_result_and_request_list(demo_copy):
    client = _writer(demo_copy)
    bad = _post_site(client, {**SITE_FIT, "area": "abc", "region": "火星", "phone": "1"})
    assert "Area should be a number, not “abc”" in bad.text
    assert "Unknown region “火星”" in bad.text and "Tick the consent box" in bad.text
    assert "Invalid phone number" in bad.text
    assert "Fields to fix: 4." in bad.text and "无法识别" not in bad.text
    # The region typed and the example names are Chinese on purpose.
    assert leftover_chinese(bad.text, ("火星", "广州市黄埔区", "深圳")) == []
    ok = _post_site(client, {**SITE_FIT, "contact": "张伟", "phone": "13812345678",
                             "consent": "1"})  # fmt: skip
    assert "Need recorded (ID " in ok.text and "Nearest sites" not in ok.text
    assert "Sites of type “Factory” meeting every hard condition" in ok.text
    from lxml import html as lh

    titles = lh.fromstring(ok.text).xpath("//ol[@id='site-results']/li/h3/text()")
    assert titles, "the demo lists a factory in 广州 that fits"
    data = ("医疗器械生产", *(t.strip() for t in titles))
    assert "需求已记录" not in ok.text and leftover_chinese(ok.text, data) == []
    auth = {"Authorization": "Bearer t"}
    listing = client.get("/requests", params={"lang": "en"}, headers=auth).text
    assert "Site needs" in listing and "1 in total" in listing and "Factory" in listing
    assert "1 matching" in listing or "0 matching" in listing
    assert leftover_chinese(listing) == []


def test_form_errors_stay_chinese_strings_for_code_and_api():
    from chainatlas.web.pages_match import UiText, parse_site_form

    form = parse_site_form({**SITE_FIT, "area": "abc", "need_type": ""})
    area = form.errors["area"]
    assert area == "面积应为数字，实为“abc”" and isinstance(area, UiText)
    assert area.tr("en") == "Area should be a number, not “abc”"
    assert area.tr("zh") == area
    assert form.errors["need_type"].tr("en").startswith("Choose a need type")
    # A value that looks like a placeholder is only ever a value.
    assert UiText("没有找到{what}", what="{x}").tr("en") == "Not found: {x}"

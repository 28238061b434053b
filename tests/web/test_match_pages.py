"""The 对接 forms on the demo corpus: explained results for each matcher, the lead form's
validation, nearest misses, contact storage only when enabled, the token-only list."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from chainatlas.store.leads import list_requirements
from chainatlas.web.app import create_app
from chainatlas.web.pages_match import parse_site_form
from chainatlas.web.security import SecurityConfig

TOKEN = "t"
FIT = {
    "need_type": "factory",
    "industry": "医疗器械生产",
    "area": "5000",
    "area_unit": "㎡",
    "region": "广州",
}
IMPOSSIBLE = {"need_type": "land", "industry": "医疗器械生产", "area": "9000", "area_unit": "亩",
              "region": "拉萨"}  # fmt: skip
CONTACT = {"contact": "张伟", "phone": "138 1234 5678", "email": "zw@example.com", "consent": "1"}


@pytest.fixture(scope="module")
def read_client(demo_store):
    return TestClient(create_app(demo_store))


def _client(store, *, store_contacts: bool) -> TestClient:
    config = SecurityConfig(write_token=TOKEN, store_contacts=store_contacts)
    return TestClient(create_app(store, config))


def _post(client: TestClient, fields: dict):
    client.get("/match", params={"tab": "site"})  # sets the CSRF cookie
    return client.post("/match/site", data={**fields, "csrf_token": client.cookies.get("ca_csrf")})


def test_tech_form_shows_ranked_explained_results(read_client):
    page = read_client.get("/match", params={"tab": "tech", "need": "量子计算 芯片"})
    assert page.status_code == 200
    items = re.findall(r'<li class="match-item">(.*?)</li>\s*(?=<li class="match-item">|</ol>)',
                       page.text, re.S)  # fmt: skip
    assert items and "深圳国际量子研究院" in items[0]
    assert "文本相关" in items[0] and "匹配词：" in items[0]
    assert re.search(r'href="/documents/[0-9a-f]+#s-\d+"', page.text)  # evidence anchored


def test_invest_form_lists_targets_with_segments_and_evidence(read_client):
    page = read_client.get(
        "/match", params={"tab": "invest", "region": "深圳", "chain": "高端医疗器械"}
    )
    assert page.status_code == 200
    assert "目标环节" in page.text and "可补环节：" in page.text
    assert "环节契合" in page.text  # score parts
    assert re.search(r'href="/documents/[0-9a-f]+(#s-\d+)?"', page.text)
    bad = read_client.get(
        "/match", params={"tab": "invest", "region": "火星", "chain": "高端医疗器械"}
    )
    assert "没有找到地区“火星”" in bad.text


def test_impossible_site_need_lists_nearest_misses(demo_copy):
    client = _client(demo_copy, store_contacts=False)
    page = _post(client, IMPOSSIBLE)
    assert page.status_code == 200
    assert "没有符合条件的土地载体" in page.text
    misses = re.findall(r"未满足：([^<]+)", page.text)
    assert any(m.startswith("面积不符") for m in misses)
    assert any(m.startswith("地区不符") for m in misses)


def test_fitting_site_need_shows_score_parts_and_reasons(demo_copy):
    client = _client(demo_copy, store_contacts=False)
    page = _post(client, FIT)
    assert "找到" in page.text and 'id="site-results"' in page.text
    assert "产业契合" in page.text and "价格" in page.text


def test_invalid_phone_gives_the_chinese_message_and_stores_nothing(demo_copy):
    client = _client(demo_copy, store_contacts=True)
    page = _post(client, {**FIT, **CONTACT, "phone": "12345"})
    assert re.search(r'class="field-error" id="err-phone"[^>]*>手机号格式不正确', page.text)
    assert 'value="12345"' in page.text  # the form keeps what was typed
    bad_email = _post(client, {**FIT, **CONTACT, "email": "zw@"})
    assert "邮箱格式不正确" in bad_email.text
    with demo_copy.session() as session:
        assert list_requirements(session) == []


def test_contacts_need_consent():
    form = parse_site_form({**FIT, **CONTACT, "consent": ""})
    assert form.requirement is None and "consent" in form.errors
    form = parse_site_form({**FIT, "area": "三千", "need_type": "house"})
    assert form.errors["area"].startswith("面积应为数字")
    assert form.errors["need_type"].startswith("请选择需求类型")


def test_area_in_mu_is_converted(demo_copy):
    form = parse_site_form({**IMPOSSIBLE, "area": "15"})
    assert form.requirement is not None and round(form.requirement.area_sqm) == 10000


@pytest.mark.parametrize("store_contacts", [True, False])
def test_contacts_stored_only_when_enabled(demo_copy, store_contacts):
    client = _client(demo_copy, store_contacts=store_contacts)
    page = _post(client, {**FIT, **CONTACT})
    assert "需求已记录" in page.text
    with demo_copy.session() as session:
        (row,) = list_requirements(session)
    assert row.requirement.industry == "医疗器械生产" and row.attrs["source"] == "web"
    if store_contacts:
        assert row.requirement.phone == "13812345678" and row.requirement.contact == "张伟"
        assert row.public()["phone"] == "138****5678" and row.public()["contact"] == "张*"
    else:
        assert (row.requirement.contact, row.requirement.phone, row.requirement.email) == ("",) * 3
        assert "没有被保存" in page.text


def test_site_form_needs_csrf(demo_copy):
    client = _client(demo_copy, store_contacts=False)
    assert client.post("/match/site", data=FIT).status_code == 403


def test_requirement_list_needs_the_write_token(demo_copy):
    client = _client(demo_copy, store_contacts=True)
    _post(client, {**FIT, **CONTACT})
    assert client.get("/requests").status_code == 401
    assert client.get("/api/v1/match/site/requirements").status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/requests", headers={"Authorization": "Bearer wrong"}).status_code == 403
    masked = client.get("/requests", headers=auth)
    assert masked.status_code == 200 and "138****5678" in masked.text
    assert "13812345678" not in masked.text
    shown = client.get("/requests", params={"reveal": 1}, headers=auth)
    assert "13812345678" in shown.text
    api = client.get("/api/v1/match/site/requirements", headers=auth).json()
    assert api["total"] == 1 and api["items"][0]["email"] == "z***@example.com"


def test_api_submission_needs_the_token_and_validates(demo_copy):
    client = _client(demo_copy, store_contacts=False)
    url = "/api/v1/match/site/requirements"
    assert client.post(url, json=FIT).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = client.post(url, json={**FIT, "phone": "1", "consent": True}, headers=auth)
    assert bad.status_code == 422 and "phone" in bad.json()["errors"]
    ok = client.post(url, json={**FIT, **CONTACT, "consent": True}, headers=auth)
    assert ok.status_code == 201
    body = ok.json()
    assert body["contacts_kept"] is False and body["matches"]
    with demo_copy.session() as session:
        (row,) = list_requirements(session)
    assert row.id == body["id"] and row.requirement.phone == ""


def test_leads_store_round_trip_on_each_engine(store):
    from chainatlas.match.site import SiteRequirement
    from chainatlas.store.leads import count_requirements, insert_requirement

    need = SiteRequirement("land", "新材料", 20000.0, "深圳", 50.0, 300.0, "示例公司",
                           "欧阳明月", "13812345678", "oy@example.com")  # fmt: skip
    with store.session() as session:
        kept = insert_requirement(session, need, store_contacts=True, attrs={"source": "api"})
        dropped = insert_requirement(session, need, store_contacts=False)
    with store.session() as session:
        rows = {r.id: r for r in list_requirements(session)}
        assert count_requirements(session) == 2
    assert list(rows) == [dropped, kept]  # newest first
    assert rows[kept].contacts_kept and rows[kept].requirement.email == "oy@example.com"
    masked = rows[kept].public()
    assert (masked["contact"], masked["phone"], masked["email"]) == (
        "欧***",
        "138****5678",
        "o***@example.com",
    )
    assert rows[kept].public(reveal=True)["phone"] == "13812345678"
    assert not rows[dropped].contacts_kept and rows[dropped].requirement.phone == ""
    assert rows[kept].created_at.tzinfo is not None and rows[kept].status == "new"

"""REST curation over a writable copy of the demo store: each decision is stored, applied
by a resolve, visible in the profile and the log, and undoable."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from chainatlas.web.security import SecurityConfig

WRITE = "curation-write-token-0123456789"
AUTH = {"Authorization": f"Bearer {WRITE}"}
BYD = "比亚迪"


@pytest.fixture
def client(demo_copy):
    from chainatlas.web.app import create_app

    return TestClient(create_app(demo_copy, SecurityConfig(write_token=WRITE)))


def _post(client, op: str, **body):
    return client.post(f"/api/v1/curation/{op}", json=body, headers=AUTH)


def _entity(client, ref: str) -> dict:
    items = client.get("/api/v1/entities", params={"q": ref}).json()["items"]
    assert len(items) == 1, items
    return client.get(f"/api/v1/entities/{items[0]['id']}").json()


def _aliases(profile: dict) -> set[str]:
    return {a["alias"] for a in profile["aliases"]}


def test_alias_add_shows_in_profile_log_and_undo(client):
    before = _entity(client, BYD)
    r = _post(client, "alias-add", entity=before["id"], alias="BYD", reason="英文简称")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "applied" and out["entities"]["entity"] == before["id"]
    assert "BYD" in _aliases(_entity(client, BYD))
    log = client.get("/api/v1/curation/log").json()
    assert log["total"] == 1
    entry = log["items"][0]
    assert entry["op"] == "alias-add" and entry["reason"] == "英文简称" and entry["active"]
    assert entry["last_status"] == "applied"
    r = client.post(f"/api/v1/curation/{out['decision_id']}/undo", headers=AUTH)
    assert r.status_code == 200
    assert "BYD" not in _aliases(_entity(client, BYD))
    assert client.get("/api/v1/curation/log").json()["items"][0]["active"] is False


def test_rename_and_retype_keep_the_entity(client):
    eid = _entity(client, BYD)["id"]
    r = _post(client, "rename", entity=eid, name="比亚迪（BYD）")
    assert r.status_code == 201 and r.json()["entities"]["entity"] == eid
    profile = client.get(f"/api/v1/entities/{eid}").json()
    assert profile["name"] == "比亚迪（BYD）"
    assert "比亚迪股份有限公司" in _aliases(profile)  # the old name stays findable
    r = _post(client, "retype", entity=eid, type="research")
    assert r.status_code == 201
    assert client.get(f"/api/v1/entities/{eid}").json()["type"] == "research"


def test_set_attr_and_fact_decisions(client):
    profile = _entity(client, BYD)
    eid = profile["id"]
    assert (
        _post(client, "set-attr", entity=eid, name="website", value="example.cn").status_code == 201
    )
    profile = client.get(f"/api/v1/entities/{eid}").json()
    assert profile["attrs"]["website"] == "example.cn"
    facts = [f for items in profile["facts"].values() for f in items]
    first, second = facts[0], facts[1]
    assert _post(client, "reject-fact", fact=first["fact_id"]).status_code == 201
    assert _post(client, "confirm-fact", fact=second["fingerprint"]).status_code == 201
    after = client.get(f"/api/v1/entities/{eid}").json()
    status = {f["fingerprint"]: f["status"] for items in after["facts"].values() for f in items}
    assert status[first["fingerprint"]] == "rejected"
    assert status[second["fingerprint"]] == "confirmed"


def test_merge_returns_the_surviving_entity(client):
    into = _entity(client, "广东省深圳市")["id"]
    other = _entity(client, "广东省广州市")["id"]
    r = _post(client, "merge", into=into, other=other, reason="测试合并")
    assert r.status_code == 201, r.text
    assert r.json()["entities"] == {"into": into, "other": into}
    assert client.get(f"/api/v1/entities/{other}").status_code == 404
    r = _post(client, "keep-apart", a=into, b=into)
    assert r.status_code == 422 and "same entity" in r.json()["title"]


def test_reject_mention_and_alias_remove(client):
    profile = _entity(client, BYD)
    doc = profile["documents"][0]
    ev = doc["evidence"][0]
    r = _post(
        client, "reject-mention", document_id=doc["id"], start=ev["start"], end=ev["end"],
        text=ev["text"],
    )  # fmt: skip
    assert r.status_code == 201 and r.json()["status"] == "applied", r.text
    r = _post(client, "alias-remove", entity=profile["id"], alias="比亞迪")
    assert r.status_code == 201
    assert "比亞迪" not in _aliases(client.get(f"/api/v1/entities/{profile['id']}").json())


@pytest.mark.parametrize(
    ("op", "body", "status", "message"),
    [
        ("rename", {"entity": "不存在的公司XYZ", "name": "x"}, 422, "no entity matches"),
        ("rename", {"entity": BYD}, 422, "'name' is required"),
        ("retype", {"entity": BYD, "type": "alien"}, 422, "unknown type 'alien'"),
        ("reject-fact", {"fact": "99999999"}, 422, "no fact #99999999"),
        ("reject-fact", {"fact": "abc"}, 422, "fact number or fingerprint"),
        ("reject-mention", {"document_id": "d", "start": 5, "end": 2}, 422, "start < end"),
        ("split", {"entity": BYD}, 422, "documents or surfaces"),
        ("explode", {"entity": BYD}, 404, "unknown curation operation"),
    ],
)
def test_validation_errors_are_precise(client, op, body, status, message):
    r = _post(client, op, **body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert message in r.json()["title"]
    assert client.get("/api/v1/curation/log").json()["total"] == 0  # nothing stored


def test_unknown_fields_and_undo_of_missing_decision(client):
    r = _post(client, "rename", entity=BYD, name="x", sql="DROP TABLE")
    assert r.status_code == 422
    assert client.post("/api/v1/curation/424242/undo", headers=AUTH).status_code == 404


def test_entity_page_form_redirects_and_persists(client):
    eid = _entity(client, BYD)["id"]
    page = client.get(f"/entities/{eid}", headers=AUTH)
    assert "人工校正" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        f"/entities/{eid}/curate/alias-add",
        data={"value": "Build Your Dreams", "csrf_token": token},
        headers=AUTH,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/entities/{eid}?curated=")
    assert "Build Your Dreams" in client.get(r.headers["location"]).text
    r = client.post(f"/entities/{eid}/curate/retype", data={"value": "alien"}, headers=AUTH)
    assert r.status_code == 422 and "alien" in r.text
    r = client.post(f"/entities/{eid}/curate/merge", data={"value": "x"}, headers=AUTH)
    assert r.status_code == 404

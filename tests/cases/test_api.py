"""/api/v1/cases with the subtree rules, versions and masking; the workers' endpoints apart."""

import pytest
from django.test import Client

from chunfeng.cases.models import Case

from .helpers import call, ident

NEW = {
    "caller_name": "孙丽娟",
    "caller_phone": "13904110008",
    "caller_id_number": ident("19820422", 18),
    "caller_is_migrant": True,
    "request_type": "service",
    "category": "wages",
    "description": "欠薪",
    "region": "210202001",
    "workers": 3,
}


@pytest.fixture
def as_(fed, api):
    return lambda unit, role: api(fed.token(unit, role))


def test_create_read_masked_and_revealed(fed, as_):
    response = as_("city", "filler").post("/api/v1/cases", NEW, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit"] == "210202" and body["caller_phone"] == "139****0008"
    assert body["caller_id_number"].startswith("2102") and "*" in body["caller_id_number"]
    assert body["caller_new_generation"] is True and response["ETag"] == '"1"'
    url = f"/api/v1/cases/{body['id']}"
    assert as_("zs", "reviewer").get(url + "?reveal=1").json()["revealed"] is False
    full = as_("zs", "filler").get(url + "?reveal=1").json()
    assert full["revealed"] and full["caller_phone"] == "13904110008"
    assert as_("xg", "admin").get(url).status_code == 404


def test_list_filters(fed, as_):
    call(fed, category="injury")
    call(fed, region="210203")
    client = as_("city", "viewer")
    assert client.get("/api/v1/cases").json()["count"] == 2
    assert client.get("/api/v1/cases?unit=210202").json()["count"] == 1
    assert client.get("/api/v1/cases?category=injury").json()["items"][0]["category"] == "injury"
    assert client.get("/api/v1/cases?status=open&overdue=true").json()["count"] == 2
    assert client.get("/api/v1/cases?status=lost").status_code == 400
    assert as_("zs", "viewer").get("/api/v1/cases").json()["count"] == 1


def test_the_moves_with_versions(fed, as_):
    case = call(fed)
    url = f"/api/v1/cases/{case.pk}"
    zs = as_("zs", "filler")
    stale = {"HTTP_IF_MATCH": '"0"'}
    assert zs.post(url + "/acknowledge", **stale).status_code == 409
    assert zs.post(url + "/acknowledge", HTTP_IF_MATCH='"1"').json()["status"] == "handling"
    moved = zs.post(
        url + "/transfer",
        {"unit": "210202001", "reason": "街道办理"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["unit"] == "210202001"
    g1 = as_("zsg", "filler")
    logged = g1.post(
        url + "/log", {"kind": "mediation", "text": "调解成功"}, content_type="application/json"
    )
    assert logged.status_code == 200 and logged.json()["status"] == "handling"
    extension = g1.post(
        url + "/extensions", {"days": 5, "reason": "等待仲裁"}, content_type="application/json"
    )
    assert extension.status_code == 201
    decide = f"{url}/extensions/{extension.json()['id']}/decide"
    assert g1.post(decide, {"approve": True}, content_type="application/json").status_code == 403
    assert (
        as_("zs", "reviewer")
        .post(decide, {"approve": True}, content_type="application/json")
        .json()["status"]
        == "approved"
    )
    closed = g1.post(
        url + "/close", {"outcome": "solved", "recovered": "1500"}, content_type="application/json"
    )
    assert closed.json()["recovered"] == "1500.00" and closed.json()["status"] == "closed"
    visit = g1.post(
        url + "/return-visit", {"satisfaction": "unsatisfied"}, content_type="application/json"
    )
    assert visit.json()["satisfaction"] == "unsatisfied"
    assert (
        g1.post(url + "/reopen", {"reason": "不满意"}, content_type="application/json").status_code
        == 403
    )
    reopened = as_("zs", "reviewer").post(
        url + "/reopen", {"reason": "不满意"}, content_type="application/json"
    )
    assert reopened.json()["status"] == "handling" and reopened.json()["reopened"] == 1


def test_figures(fed, as_):
    call(fed, caller_is_migrant=True)
    body = as_("zs", "viewer").get("/api/v1/cases/figures?start=2012-01-01&end=2012-12-31").json()
    assert body["unit"] == "210202" and body["total"] == 1 and body["birth_year_unknown"] == 1
    assert {c["value"]: c["count"] for c in body["by_category"]}["wages"] == 1


def test_the_workers_endpoints_need_no_token_and_say_nothing_else(fed):
    client = Client()
    made = client.post(
        "/api/public/v1/requests",
        {
            "caller_name": "陈志强",
            "caller_phone": "13904110005",
            "description": "欠薪",
            "region": "210202",
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    number = made.json()["number"]
    status = client.post(
        "/api/public/v1/status",
        {"number": number, "phone": "13904110005"},
        content_type="application/json",
    )
    assert status.status_code == 200 and set(status.json()) == {
        "number",
        "received_on",
        "category",
        "unit",
        "status",
        "due",
        "outcome",
        "recovered",
    }
    other = client.post(
        "/api/public/v1/status",
        {"number": number, "phone": "13900000000"},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert client.get("/api/public/v1/docs").status_code == 404
    assert client.get("/api/public/v1/openapi.json").status_code == 404
    assert Case.objects.get().source == "online"

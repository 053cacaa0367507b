"""/api/v1/applications: create, list, get, the steps to a file with a return, objections,
documents, the yearly reviews and the standards; scope (404), roles (403), versions (409),
masked numbers."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.applications.models import Application
from tests.applications.conftest import app_data, ident, make_standard, to_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def standard(fed):
    return make_standard(fed)


URL = "/api/v1/applications"
J = "application/json"


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type=J, headers=headers)


def test_create_then_every_step_with_a_return(fed, client_as):
    g, centre = client_as("zsg", "filler"), client_as("zs", "reviewer")
    created = post(g, URL, app_data())
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "submitted" and body["per_capita"] == "300.00"
    assert body["proposed"] == "B" and body["low_line"] == "400.00"
    text = json.dumps(body, ensure_ascii=False)
    assert ident(1) not in text and ident(501) not in text and "6222021234567890123" not in text
    pk = body["id"]
    step = lambda client, action, **data: post(client, f"{URL}/{pk}/steps/{action}", data)  # noqa: E731
    assert step(centre, "check").status_code == 403
    assert step(g, "check").status_code == 200
    assert (
        step(g, "visit", visited_on="2011-10-20", visitors="王五", findings="属实").status_code
        == 400
    )
    for kind in ("signed", "consent"):
        upload = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        r = g.post(f"{URL}/{pk}/documents?kind={kind}", {"file": upload})
        assert r.status_code == 200, r.json()
    assert len(r.json()["documents"]) == 2
    visited = step(g, "visit", visited_on="2011-10-20", visitors="王五", findings="属实")
    assert visited.json()["status"] == "visited"
    assert step(centre, "return", reason="").status_code == 400
    assert step(centre, "return", reason="缺少病历").json()["status"] == "returned"
    assert step(g, "resubmit").json()["status"] == "visited"
    version = Application.objects.get(pk=pk).version
    stale = post(centre, f"{URL}/{pk}/steps/review", {}, **{"If-Match": f'"{version - 1}"'})
    assert stale.status_code == 409
    assert step(centre, "review").json()["status"] == "reviewed"
    assert step(centre, "verify", matched=True, reference="民核-1").json()["status"] == "verified"
    assert step(centre, "notice", start="2011-11-01").json()["notice_until"] == "2011-11-07"
    objected = post(g, f"{URL}/{pk}/objections", {"received_on": "2011-11-02", "text": "有房"})
    oid = objected.json()["objections"][0]["id"]
    resolved = post(
        centre, f"{URL}/{pk}/objections/{oid}/resolve", {"upheld": False, "resolution": "已售"}
    )
    assert resolved.json()["objections"][0]["resolved"] is True
    assert step(centre, "approve", on="2011-11-07").status_code == 400  # in the notice period
    approved = step(centre, "approve", on="2011-11-08").json()
    assert approved["status"] == "approved" and approved["household"]
    actions = [s["action"] for s in approved["steps"]]
    assert actions[0] == "create" and actions[-1] == "approve" and "return" in actions
    assert step(centre, "bogus").status_code == 400


def test_a_c_above_the_margin_needs_an_explanation(fed, client_as):
    data = app_data(income_items=[{"item": "工资", "amount": "2100"}], category="C")
    refused = post(client_as("zsg", "filler"), URL, data)
    assert refused.status_code == 400 and refused.json()["code"] == "category_unsupported"
    explained = post(client_as("zsg", "filler"), URL, data | {"explanation": "大病支出大"})
    assert explained.status_code == 201


LIST = [
    ("zsg", "filler", 1),
    ("zs", "reviewer", 1),
    ("city", "viewer", 1),
    ("xg", "admin", 0),
    ("ind", "filler", 0),
]


@pytest.mark.parametrize("key, role, count", LIST)
def test_scope_of_list_and_get(fed, client_as, key, role, count):
    a = to_step(fed, "submitted")
    client = client_as(key, role)
    assert client.get(URL).json()["count"] == count
    assert client.get(f"{URL}/{a.pk}").status_code == (200 if count else 404)


CREATE = [
    ("zsg", "filler", 201),
    ("zs", "admin", 201),
    ("zsg", "viewer", 403),
    ("zs", "reviewer", 403),
    ("xg", "filler", 404),  # 青泥洼桥 lies outside 西岗区
]


@pytest.mark.parametrize("key, role, status", CREATE)
def test_who_may_create(fed, client_as, key, role, status):
    response = post(client_as(key, role), URL, app_data() | {"unit": fed.zs_g1.code})
    assert response.status_code == status


def test_reviews_and_standards(fed, client_as):
    household = to_step(fed, "approved").household
    due = client_as("zs", "viewer").get(f"{URL}/reviews?on=2012-12-01").json()
    assert [(d["household"], d["overdue"]) for d in due] == [(household.pk, True)]
    assert due[0]["id_number"] != household.id_number
    assert client_as("xg", "viewer").get(f"{URL}/reviews?on=2012-12-01").json() == []
    review = {"on": "2012-12-01", "family_size": 3, "income": "1500", "outcome": "close"}
    assert (
        post(client_as("zs", "reviewer"), f"{URL}/reviews/{household.pk}", review).status_code
        == 403
    )
    assert (
        post(client_as("xg", "filler"), f"{URL}/reviews/{household.pk}", review).status_code == 404
    )
    assert (
        post(client_as("zsg", "filler"), f"{URL}/reviews/{household.pk}", review).status_code == 400
    )
    review["reason"] = "再就业"
    done = post(client_as("zsg", "filler"), f"{URL}/reviews/{household.pk}", review)
    assert done.json()["outcome"] == "close"
    household.refresh_from_db()
    assert household.escaped_on == dt.date(2012, 12, 1)
    standards = client_as("zs", "viewer").get(f"{URL}/standards").json()
    assert standards[0]["low_line"] == "400.00" and standards[0]["c_margin"] == "1.50"


def test_a_document_is_downloaded_by_those_who_handle_the_application(fed, client_as):
    g = client_as("zsg", "filler")
    pk = post(g, URL, app_data()).json()["id"]
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    doc = g.post(f"{URL}/{pk}/documents?kind=signed", {"file": upload}).json()["documents"][0]
    url = f"{URL}/{pk}/documents/{doc['id']}"
    for unit, role in (("zsg", "filler"), ("zs", "reviewer")):  # the union, the centre above
        got = client_as(unit, role).get(url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 signed"
    assert client_as("zs", "viewer").get(url).status_code == 403
    assert client_as("xg", "reviewer").get(url).status_code == 404  # outside the subtree
    assert g.get(f"{URL}/{pk}/documents/999999").status_code == 404

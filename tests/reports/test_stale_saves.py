"""No lost update of a report (contract (c)): two fillers read 01A = 92000; one saves 111111, the
other then saves from the page (or the API client) read before — refused with 409 naming 01A
with both values, the second filler's input kept, 111111 kept."""

from __future__ import annotations

import re

import pytest

from chunfeng.accounts.services import user_create
from chunfeng.core.actors import SYSTEM
from chunfeng.reports.models import ReportValue
from tests.fixtures import PASSWORD, file_report

from .test_entry_views import entry_url


@pytest.fixture
def read_twice(fed, login):
    """The report as two fillers of 中山区 opened it: 01A = 92000 on both pages."""
    file_report(fed, fed.zs, submit=False, values={"01A": 92000})
    second = user_create(
        username="zs_filler2", unit=fed.zs, role="filler", password=PASSWORD, actor=SYSTEM
    )
    clients = login(fed.user("zs", "filler")), login(second)
    pages = [c.get(entry_url(fed)).content.decode() for c in clients]
    return clients, pages


def form_of(page: str) -> dict:
    """What the page's form posts: its blanks as shown and the hidden version."""
    form = page[
        page.index('id="entry-form"') : page.index("</form>", page.index('id="entry-form"'))
    ]
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    data.pop("csrfmiddlewaretoken", None)
    return data


def value_01a() -> int:
    return ReportValue.objects.get(code="01A").value


def test_a_save_from_an_older_page_is_refused_and_the_first_kept(fed, read_twice):
    (first, second), (page1, page2) = read_twice
    assert form_of(page1)["version"] == form_of(page2)["version"] != ""
    assert first.post(entry_url(fed), form_of(page1) | {"v-01A": "111111"}).status_code == 302
    stale = second.post(entry_url(fed), form_of(page2) | {"v-01A": "92000", "v-01A.2": "7"})
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "别人已修改并保存了这条记录" in html and "01A" in html
    assert "现为“111111”，您填的是“92000”" in html  # both values
    assert value_01a() == 111111  # not lost
    kept = form_of(html)
    assert kept["v-01A.2"] == "7"  # what the second filler typed stays on the page
    # having seen it, the second filler saves knowingly: the page carries the current version
    assert second.post(entry_url(fed), kept | {"v-01A": "111112"}).status_code == 302
    assert value_01a() == 111112


def test_the_api_answers_an_etag_and_refuses_a_stale_if_match(fed, api):
    file_report(fed, fed.zs, submit=False, values={"01A": 92000})
    client = api(fed.token("zs", "filler"))
    url = f"/api/v1/campaigns/{fed.campaign.pk}/reports/210202/F1"
    read = client.get(url)
    etag = read["ETag"]
    values = read.json()["values"]

    def put(value, **headers):
        body = {"values": values | {"01A": value}}
        return client.put(url, body, content_type="application/json", headers=headers)

    saved = put("111111", **{"If-Match": etag})
    assert saved.status_code == 200 and saved["ETag"] != etag
    stale = put("92000", **{"If-Match": etag})
    assert stale.status_code == 409
    got = stale.json()
    assert got["code"] == "stale"
    assert [d["field"] for d in got["details"]] == ["01A"]
    assert "现为“111111”，您填的是“92000”" in got["details"][0]["message"]
    assert value_01a() == 111111
    assert put("5", **{"If-Match": saved["ETag"]}).status_code == 200
    assert put("6").status_code == 200  # an older client that sends no version
    assert value_01a() == 6
    assert put("7", **{"If-Match": "soon"}).status_code == 400


def test_a_report_not_started_reads_as_version_zero(fed, api):
    client = api(fed.token("zs", "filler"))
    url = f"/api/v1/campaigns/{fed.campaign.pk}/reports/210202/F1"
    assert client.get(url)["ETag"] == '"0"'
    body = {"values": {"01A": "1"}}
    first = client.put(url, body, content_type="application/json", headers={"If-Match": '"0"'})
    assert first.status_code == 200
    second = client.put(url, body, content_type="application/json", headers={"If-Match": '"0"'})
    assert second.status_code == 409  # the report exists now: "0" is stale


def test_the_openapi_documents_if_match_and_409(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, method in (
        ("/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}", "put"),
        ("/api/v1/households/{household_id}", "patch"),
    ):
        operation = schema["paths"][path][method]
        assert "409" in operation["responses"], path
        headers = [p for p in operation["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["If-Match"], path

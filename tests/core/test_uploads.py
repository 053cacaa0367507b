"""Every upload route asks who may send the file before a byte of it is read, and takes no more
than its limit; every other route takes 2 MB; the login page refuses a huge body unread."""

from __future__ import annotations

import pytest
from django.test import Client

from chunfeng.core.uploads import DOCUMENT, FORM_FILE, HOUSEHOLD_LIST, NON_UPLOAD, SHORT_LIST
from chunfeng.funds.services import batch_create

from .bodies import Body

MB = 1024 * 1024


@pytest.fixture
def batch(fed):
    return batch_create(
        unit=fed.zs, campaign=fed.campaign, name="第一批", actor=fed.user("zs", "filler")
    )


def routes(fed, batch) -> dict[str, tuple[str, int, str, str]]:
    """name → (url, limit, who may send, who may not)."""
    report = f"/campaigns/{fed.campaign.pk}/reports/210202/F1/"
    api_report = f"/api/v1/campaigns/{fed.campaign.pk}/reports/210202/F1/import"
    return {
        "report template page": (report + "import/", FORM_FILE, "zs_filler", "zs_viewer"),
        "report template API": (api_report, FORM_FILE, "zs_filler", "zs_viewer"),
        "household list page": ("/register/import/", HOUSEHOLD_LIST, "zs_filler", "zs_viewer"),
        "household list API": (
            "/api/v1/households/import",
            HOUSEHOLD_LIST,
            "zs_filler",
            "zs_viewer",
        ),
        "unit list": ("/units/import/", SHORT_LIST, "zs_admin", "zs_filler"),
        "payment lines": (
            f"/funds/batches/{batch.pk}/import/",
            SHORT_LIST,
            "zs_filler",
            "zs_viewer",
        ),
        "work report": (report + "work-report/", DOCUMENT, "zs_filler", "zs_viewer"),
        "campaign notice": ("/campaigns/new/", DOCUMENT, "city_admin", "city_filler"),
    }


ROUTES = [
    "report template page",
    "report template API",
    "household list page",
    "household list API",
    "unit list",
    "payment lines",
    "work report",
    "campaign notice",
]


@pytest.fixture
def client_of(fed, login, api):
    def make(url: str, username: str) -> Client:
        unit, role = username.split("_")
        if url.startswith("/api/"):
            return api(fed.token(unit, role))
        return login(fed.user(unit, role))

    return make


@pytest.mark.parametrize("route", ROUTES)
def test_who_may_not_send_is_refused_before_the_body_is_read(fed, batch, client_of, route):
    url, _limit, _may, may_not = routes(fed, batch)[route]
    body = Body.multipart({"unit": "210202"}, "名单.xlsx", b"PK\x03\x04", pad=3 * MB)
    response = client_of(url, may_not).post(url, **body.environ())
    assert response.status_code == 403, response.content[:300]
    assert body.read_bytes == 0


@pytest.mark.parametrize("route", ROUTES)
def test_a_body_above_the_limit_is_refused_unread(fed, batch, client_of, route):
    url, limit, may, _may_not = routes(fed, batch)[route]
    body = Body.multipart({"unit": "210202"}, "名单.xlsx", b"", pad=limit + MB)
    response = client_of(url, may).post(url, **body.environ())
    assert response.status_code == 413
    assert f"{limit // MB} MB" in response.content.decode()
    assert body.read_bytes == 0


@pytest.mark.parametrize("route", ["unit list", "payment lines", "report template API"])
def test_a_file_above_the_limit_is_stopped_while_it_streams(fed, batch, client_of, route):
    """The Content-Length leaves room for the form around the file; the file itself is counted
    as it arrives and the parse stops at the limit."""
    url, limit, may, _may_not = routes(fed, batch)[route]
    body = Body.multipart({"unit": "210202"}, "名单.csv", b"a,b\n", pad=limit + 100 * 1024)
    response = client_of(url, may).post(url, **body.environ())
    assert response.status_code == 413
    assert "too_large" in response.content.decode() or "超过" in response.content.decode()
    assert body.read_bytes < limit + 200 * 1024


def test_an_upload_page_still_checks_the_csrf_token(fed, batch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fed.user("zs", "admin"))
    body = Body.multipart({}, "units.csv", "代码,名称\n".encode())
    assert client.post("/units/import/", **body.environ()).status_code == 403
    assert body.read_bytes == body.length  # refused by the CSRF check, after the permission


def test_a_huge_body_on_the_login_page_is_refused_unread(client):
    body = Body.lazy(200 * MB)
    response = client.post("/login/", **body.environ("application/x-www-form-urlencoded"))
    assert response.status_code == 413
    assert "2 MB" in response.content.decode()
    assert body.read_bytes == 0


def test_any_route_that_takes_no_file_takes_2_mb(fed, login):
    body = Body.multipart({"name": "x"}, "a.bin", b"", pad=NON_UPLOAD + 1)
    response = login(fed.user("zs", "filler")).post("/register/new/", **body.environ())
    assert response.status_code == 413 and body.read_bytes == 0


def test_a_chunked_body_without_a_length_is_refused(client):
    response = client.post(
        "/login/",
        data=b"",
        content_type="text/plain",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )
    assert response.status_code == 411


def test_a_permitted_upload_within_the_limit_goes_through(fed, login):
    csv = "代码,名称,类别,上级代码\n210202902,测试街道总工会,基层工会,210202\n".encode()
    body = Body.multipart({}, "units.csv", csv)
    response = login(fed.user("zs", "admin")).post("/units/import/", **body.environ())
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.parametrize(
    "path", ["/register/?q=%00", "/campaigns/1/reports/%00/F1/", "/funds/receipts/?campaign=%00"]
)
def test_a_nul_in_the_url_is_a_400_page(fed, login, path):
    response = login(fed.user("zs", "filler")).get(path)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_in_a_form_field_is_a_400_page(fed, client):
    response = client.post("/login/", {"username": "zs_\x00filler", "password": "x"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()

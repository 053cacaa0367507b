"""The application pages through the test client: a filler files an application on the form,
the grassroots union and the help centre take it through the steps, personal numbers stay
masked; the permission matrix of every page."""

import datetime as dt

import pytest
from django.urls import reverse

from chunfeng.applications.models import Application, Standard

from .conftest import USCC, ident, to_step, upload

pytestmark = pytest.mark.django_db


def form_data(fed, **over) -> dict:
    data = {
        "unit": fed.zs_g1.code,
        "name": "王红",
        "id_number": ident(7),
        "phone": "13912345678",
        "region_code": "210202",
        "street": "青泥洼桥街道",
        "address": "友好路 9 号 3-2",
        "employer": "大连示例机床厂",
        "employer_uscc": USCC,
        "post": "钳工",
        "main_cause": "illness",
        "other_causes": ["schooling"],
        "bank_name": "建设银行",
        "bank_account": "6227001234567890",
        "category": "D",
        "m1_name": "李强",
        "m1_id_number": ident(8),
        "m1_relation": "配偶",
        "m1_health": "尿毒症",
        "i1_item": "工资",
        "i1_amount": "1000",
    }
    return data | over


def test_a_filler_files_an_application_on_the_form(fed, standard, login):
    client = login(fed.user("zsg", "filler"))
    page = client.get(reverse("application-new"))
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    refused = client.post(reverse("application-new"), form_data(fed, category="B"))
    assert refused.status_code == 400
    assert "与收入和致困原因不符" in refused.content.decode()  # 500 a head, B chosen
    response = client.post(reverse("application-new"), form_data(fed))
    a = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{a.pk}/"
    assert (a.per_capita, a.family_size, a.proposed) == (500, 2, "D")
    detail = client.get(reverse("application-detail", args=[a.pk])).content.decode()
    assert ident(7) not in detail and ident(8) not in detail and "6227001234567890" not in detail
    assert "初审通过" in detail and "审核通过" not in detail


def test_steps_posted_from_the_page(fed, standard, login):
    a = to_step(fed, "visited")
    centre, grassroots = login(fed.user("zs", "reviewer")), login(fed.user("zsg", "filler"))
    act = lambda client, action, **data: client.post(  # noqa: E731
        reverse("application-act", args=[a.pk, action]), data
    )
    assert act(grassroots, "review").status_code == 403
    assert act(centre, "return", reason="").status_code == 400
    assert act(centre, "return", reason="缺少病历").status_code == 302
    a.refresh_from_db()
    assert a.status == "returned"
    edit = grassroots.get(reverse("application-edit", args=[a.pk]))
    assert edit.status_code == 200
    assert act(grassroots, "resubmit", note="已补").status_code == 302
    assert act(centre, "review", note="同意").status_code == 302
    assert act(centre, "verify", matched="1", reference="民核-7").status_code == 302
    assert act(centre, "notice", start="2011-11-01").status_code == 302
    pdf = centre.get(reverse("application-notice-pdf", args=[a.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    stale = act(centre, "approve", on="2011-11-20", version="1")
    assert stale.status_code == 302  # refused (409 behind): flashed, back to the page
    a.refresh_from_db()
    assert a.status == "notice"
    assert act(centre, "approve", on="2011-11-20", version=str(a.version)).status_code == 302
    a.refresh_from_db()
    assert a.status == "approved" and a.household_id


def test_documents_upload_and_download(fed, standard, login):
    a = to_step(fed, "checked")
    grassroots = login(fed.user("zsg", "filler"))
    url = reverse("application-document-add", args=[a.pk])
    response = grassroots.post(url, {"kind": "photo", "file": upload("门口.jpg")})
    assert response.status_code == 302
    doc = a.documents.get()
    assert grassroots.get(reverse("application-document", args=[a.pk, doc.pk])).status_code == 200
    assert (
        login(fed.user("zs", "viewer"))
        .get(reverse("application-document", args=[a.pk, doc.pk]))
        .status_code
        == 403
    )
    refused = login(fed.user("zs", "reviewer")).post(url, {"kind": "photo", "file": upload()})
    assert refused.status_code == 403 and a.documents.count() == 1


PAGES = ["list", "new", "detail", "notice", "reviews", "review", "standards"]


def urls(a) -> dict:
    return {
        "list": reverse("application-list"),
        "new": reverse("application-new"),
        "detail": reverse("application-detail", args=[a.pk]),
        "notice": reverse("application-notice-pdf", args=[a.pk]),
        "reviews": reverse("file-reviews"),
        "review": reverse("file-review", args=[a.household_id or 0]),
        "standards": reverse("application-standards"),
    }


# who → page → status; zsg the grassroots union, zs the help centre above, xg elsewhere
MATRIX = {
    ("zsg", "filler"): [200, 200, 200, 200, 200, 200, 200],
    ("zsg", "viewer"): [200, 403, 200, 200, 200, 403, 200],
    ("zs", "reviewer"): [200, 403, 200, 200, 200, 403, 200],
    ("zs", "admin"): [200, 200, 200, 200, 200, 200, 200],
    ("city", "viewer"): [200, 403, 200, 200, 200, 403, 200],
    ("xg", "filler"): [200, 200, 404, 404, 200, 404, 200],
    ("xg", "admin"): [200, 200, 404, 404, 200, 404, 200],
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_of_the_pages(fed, standard, login, who):
    a = to_step(fed, "approved")
    client = login(fed.user(*who))
    got = [client.get(urls(a)[p]).status_code for p in PAGES]
    assert got == MATRIX[who]


def test_standards_are_set_by_the_district_or_city_admin(fed, login):
    data = {
        "region_code": "210202", "year": 2011, "low_line": "400", "c_margin": "1.5",
        "effective_from": "2011-07-01", "notice_days": 7, "source": "示例",
    }  # fmt: skip
    assert (
        login(fed.user("zs", "filler")).post(reverse("application-standards"), data).status_code
        == 403
    )
    assert (
        login(fed.user("xg", "admin")).post(reverse("application-standards"), data).status_code
        == 400
    )
    response = login(fed.user("zs", "admin")).post(reverse("application-standards"), data)
    assert response.status_code == 302
    assert Standard.objects.get().set_by == fed.zs
    again = login(fed.user("city", "admin")).post(reverse("application-standards"), data)
    assert again.status_code == 400 and Standard.objects.count() == 1


def test_reviews_page_lists_overdue(fed, standard, login):
    a = to_step(fed, "approved")
    page = login(fed.user("zs", "reviewer")).get(reverse("file-reviews")).content.decode()
    assert a.name in page and "逾期" in page and ident(1) not in page
    client = login(fed.user("zsg", "filler"))
    form = {
        "on": "2012-11-15",
        "family_size": 3,
        "income": "1200",
        "outcome": "close",
        "reason": "",
    }
    assert client.post(reverse("file-review", args=[a.household_id]), form).status_code == 400
    form["reason"] = "再就业"
    assert client.post(reverse("file-review", args=[a.household_id]), form).status_code == 302
    a.household.refresh_from_db()
    assert a.household.escaped_on == dt.date(2012, 11, 15)


def test_list_pages_do_not_query_per_row(fed, standard, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(fed.user("zs", "reviewer"))
    counts = []
    for batch in (range(1, 3), range(3, 7)):
        for n in batch:
            to_step(fed, "approved", n=n)
        for url in (reverse("application-list"), reverse("file-reviews"), "/register/"):
            with CaptureQueriesContext(connection) as seen:
                assert client.get(url).status_code == 200
            counts.append((url, len(seen)))
    assert counts[:3] == counts[3:]
